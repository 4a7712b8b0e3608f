"""Plant labelled anomalies in real invoices, so detectors can be scored against known truth.

Three kinds, each a story an operator would want flagged:

* ``quantity``: one line's quantity multiplied by a factor drawn log-uniformly from
  ``quantity_factor`` (a typo, an extra zero, a scripted order);
* ``price``: one line's unit price multiplied or divided by ten (a decimal-point slip);
* ``burst``: a new customer places several near-identical copies of a real basket
  minutes apart, at any hour of the day (a bot, a card-testing run, a stuck checkout).

Everything else in the data is labelled ``normal``; some real invoices are anomalous too,
so measured precision is a lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_columns,
    require_datetime,
    require_not_empty,
    require_number,
    require_positive_int,
    require_seed,
)
from shopai_lab.anomaly.features import LINE_COLUMNS, product_lines

KINDS: tuple[str, ...] = ("quantity", "price", "burst")


@dataclass(frozen=True)
class InjectedLines:
    """Result of :func:`inject_anomalies`.

    Attributes
    ----------
    lines
        Product lines with the anomalies planted (a new frame).
    labels
        Kind of every invoice in ``lines`` (``"normal"`` or one of :data:`KINDS`),
        indexed by ``invoice_id``.
    changes
        One row per planted change: ``invoice_id``, ``kind``, ``item_id`` and ``factor``
        (the multiplier applied; the burst size for bursts).
    """

    lines: pd.DataFrame
    labels: pd.Series
    changes: pd.DataFrame

    def __repr__(self) -> str:
        counts = self.labels.value_counts()
        shown = ", ".join(f"{k}={int(counts.get(k, 0))}" for k in ("normal",) + KINDS)
        return f"InjectedLines({shown})"


def _check_range(value: Sequence[float], name: str, minimum: float, whole: bool = False) -> tuple[float, float]:
    kind = "integers" if whole else "numbers"
    try:
        low, high = value
        low, high = (require_positive_int(v, name) if whole else require_number(v, name) for v in (low, high))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a pair (low, high) of {kind}, got {value!r}") from exc
    if not (minimum <= low <= high) or not np.isfinite(high):
        raise ValueError(f"{name} must satisfy {minimum} <= low <= high, got {value!r}")
    return low, high


def inject_anomalies(
    lines: pd.DataFrame,
    rate: float = 0.01,
    kinds: Sequence[str] = KINDS,
    quantity_factor: tuple[float, float] = (10.0, 100.0),
    burst_size: tuple[int, int] = (4, 8),
    burst_minutes: int = 5,
    random_state: int | None = 0,
) -> InjectedLines:
    """Plant anomalous invoices of the given kinds, about ``rate`` of all invoices.

    Parameters
    ----------
    lines
        Canonical purchase lines (non-product lines are removed first). Not modified.
    rate
        Target share of anomalous invoices among all invoices, in (0, 0.5]; it is
        split equally between ``kinds``.
    kinds
        Any of :data:`KINDS`.
    quantity_factor
        Range of the quantity multiplier (drawn log-uniformly).
    burst_size
        Range of the number of invoices in one burst (inclusive).
    burst_minutes
        Largest gap in minutes between two invoices of a burst.
    random_state
        Seed.

    Returns
    -------
    InjectedLines

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": [str(i % 7) for i in range(200)],
    ...     "invoice_id": [str(i // 2) for i in range(200)], "item_id": ["x", "y"] * 100,
    ...     "quantity": 1, "unit_price": 2.0,
    ...     "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(range(200), unit="h")})
    >>> injected = inject_anomalies(lines, rate=0.1, burst_size=(3, 3), random_state=0)
    >>> injected.labels.value_counts().sort_index().to_dict()
    {'burst': 3, 'normal': 94, 'price': 3, 'quantity': 3}
    """
    require_columns(lines, LINE_COLUMNS, "lines")
    require_datetime(lines, "timestamp", "lines")
    rate = require_number(rate, "rate", low=0.0, high=0.5, low_inclusive=False)
    if isinstance(kinds, str):
        raise TypeError(f"kinds must be a list of kinds, got the single string {kinds!r}")
    kinds = list(kinds)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise ValueError(f"kinds must be a non-empty subset of {list(KINDS)}, got {kinds!r}")
    q_low, q_high = _check_range(quantity_factor, "quantity_factor", 1.0)
    b_low, b_high = _check_range(burst_size, "burst_size", 2, whole=True)
    burst_minutes = require_positive_int(burst_minutes, "burst_minutes")
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)

    base = product_lines(lines).copy()
    require_not_empty(base, "lines (after removing non-product lines)")
    invoice_ids = pd.unique(base["invoice_id"])
    n_invoices = len(invoice_ids)
    per_kind = max(1, int(round(rate * n_invoices / len(kinds))))
    line_pos = base.groupby("invoice_id", sort=False).indices
    changes: list[tuple] = []

    in_place = [k for k in kinds if k != "burst"]
    _plant_in_place(base, in_place, per_kind, invoice_ids, line_pos, rng, (q_low, q_high), changes)
    labels = pd.Series("normal", index=pd.Index(invoice_ids, name="invoice_id"), name="kind", dtype=object)
    labels[[c[0] for c in changes]] = [c[1] for c in changes]
    new_frames = []
    if "burst" in kinds:
        new_frames = _plant_bursts(
            base, per_kind, invoice_ids, line_pos, rng, (b_low, b_high), burst_minutes, random_state, labels, changes
        )
    out = pd.concat([base, *new_frames], ignore_index=True) if new_frames else base
    if "revenue" in out.columns:
        out["revenue"] = out["quantity"] * out["unit_price"]
    for column in ("customer_id", "invoice_id"):
        out[column] = out[column].astype(lines[column].dtype) if lines[column].dtype != object else out[column]
    changes_frame = pd.DataFrame(changes, columns=["invoice_id", "kind", "item_id", "factor"])
    return InjectedLines(lines=out, labels=labels, changes=changes_frame)


def _plant_in_place(base, kinds, per_kind, invoice_ids, line_pos, rng, quantity_range, changes) -> None:
    """Change one line of ``per_kind`` distinct invoices per kind in ``base`` (in place): quantity or price."""
    q_low, q_high = quantity_range
    n_invoices = len(invoice_ids)
    chosen = rng.choice(n_invoices, size=min(per_kind * len(kinds), n_invoices), replace=False)
    quantity = base["quantity"].to_numpy(float).copy()
    price = base["unit_price"].to_numpy(float).copy()
    for j, kind in enumerate(kinds):
        for idx in chosen[j * per_kind : (j + 1) * per_kind]:
            invoice = invoice_ids[idx]
            row = rng.choice(line_pos[invoice])
            if kind == "quantity":
                factor = float(np.exp(rng.uniform(np.log(q_low), np.log(q_high))))
                quantity[row] = np.ceil(quantity[row] * factor)
            else:
                factor = 10.0 if rng.random() < 0.5 else 0.1
                price[row] = np.round(price[row] * factor, 4)
            changes.append((invoice, kind, base["item_id"].iloc[row], factor))
    if pd.api.types.is_integer_dtype(base["quantity"]):
        base["quantity"] = quantity.astype(base["quantity"].dtype)
    else:
        base["quantity"] = quantity
    base["unit_price"] = price


def _plant_bursts(
    base, per_kind, invoice_ids, line_pos, rng, size_range, burst_minutes, random_state, labels, changes
) -> list[pd.DataFrame]:
    """New invoices: bursts of near-copies of a real basket from one new customer, minutes apart."""
    b_low, b_high = size_range
    n_invoices = len(invoice_ids)
    start, stop = base["timestamp"].min(), base["timestamp"].max()
    new_frames, planted, burst = [], 0, 0
    while planted < per_kind:
        size = min(int(rng.integers(b_low, b_high + 1)), per_kind - planted)
        size = max(size, 2)
        template = base.iloc[line_pos[invoice_ids[rng.integers(n_invoices)]]]
        day = start.normalize() + pd.Timedelta(days=int(rng.integers(0, max((stop - start).days, 1))))
        when = day + pd.Timedelta(minutes=int(rng.integers(0, 24 * 60)))
        customer = f"burst-{random_state}-{burst}"
        for copy in range(size):
            frame = template.copy()
            jitter = rng.integers(-1, 2, size=len(frame))
            frame["quantity"] = np.maximum(frame["quantity"].to_numpy() + jitter, 1).astype(base["quantity"].dtype)
            frame["invoice_id"] = f"B{random_state}-{burst}-{copy}"
            frame["customer_id"] = customer
            frame["timestamp"] = when
            new_frames.append(frame)
            labels[f"B{random_state}-{burst}-{copy}"] = "burst"
            changes.append((f"B{random_state}-{burst}-{copy}", "burst", "", float(size)))
            when = when + pd.Timedelta(minutes=int(rng.integers(1, burst_minutes + 1)))
        planted += size
        burst += 1
    return new_frames
