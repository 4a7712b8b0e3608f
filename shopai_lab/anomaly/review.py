"""A review queue: the top-scored episodes with the reasons for each flag, in words.

An **episode** is one customer's flagged invoices less than ``episode_days`` apart (chained: each
within the window of another). A double submission, a re-order after a slip, or a bot's burst
comes from one customer within hours, and one reviewer action (a call to that customer) settles all
of its invoices; listed one by one they would fill the queue with one story. Two customers hit by
the same catalogue error stay two entries: each needs its own call.

The reasons are the features that stand out most for the invoice: robust z-scores
against all scored invoices (median and MAD, see
:class:`~shopai_lab.anomaly.RobustZDetector`) on the model-matrix scale, reported with
the invoice's raw value next to the typical (median) one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import (
    as_float_array,
    require_columns,
    require_frame,
    require_number,
    require_positive_int,
    require_string,
)
from shopai_lab.anomaly.detectors import RobustZDetector
from shopai_lab.anomaly.features import FEATURE_COLUMNS, model_matrix


def _times(x: float) -> str:
    return f"{10**x:,.1f}x"


def _minutes(days: float) -> str:
    minutes = days * 1440
    return f"{minutes:,.0f} min" if minutes < 120 else f"{days * 24:,.1f} h" if days < 2 else f"{days:,.0f} days"


#: Feature -> (words, formatter of the raw value). ``{currency}`` is filled in.
FEATURE_TEXT: dict[str, tuple[str, Callable[[float], str]]] = {
    "lines": ("product lines", lambda v: f"{v:,.0f}"),
    "units": ("units", lambda v: f"{v:,.0f}"),
    "value": ("value ({currency})", lambda v: f"{v:,.0f}"),
    "max_unit_price": ("dearest unit price ({currency})", lambda v: f"{v:,.2f}"),
    "median_unit_price": ("median unit price ({currency})", lambda v: f"{v:,.2f}"),
    "max_price_ratio": ("a line's price vs its product's usual", lambda v: _times(v) + " off"),
    "share_off_price": ("lines far off their usual price", lambda v: f"{v:.0%}"),
    "max_quantity_ratio": ("a line's quantity vs its product's usual", _times),
    "quantity_contrast": ("one line's quantity vs the rest of the basket", _times),
    "top_line_share": ("largest line's share of the value", lambda v: f"{v:.0%}"),
    "hour": ("time of day", lambda v: f"{int(v):02d}:{int(round((v % 1) * 60)) % 60:02d}"),
    "invoices_so_far": ("customer's earlier invoices", lambda v: f"{v:,.0f}"),
    "days_since_last": ("since the customer's previous invoice", _minutes),
    "invoices_last_24h": ("customer's invoices in the previous 24 h", lambda v: f"{v:,.0f}"),
    "basket_overlap": ("products shared with the previous invoice", lambda v: f"{v:.0%}"),
    "repeat_basket": ("same products as an invoice under a day old", lambda v: f"{v:.0%}"),
}


def explain(
    features: pd.DataFrame,
    rows: pd.Index,
    n_reasons: int = 3,
    min_z: float = 3.0,
    *,
    currency: str,
    columns: tuple[str, ...] | list[str] = FEATURE_COLUMNS,
) -> pd.Series:
    """The reasons, in words, why each invoice in ``rows`` stands out among all of ``features``.

    Parameters
    ----------
    features
        :func:`~shopai_lab.anomaly.invoice_features` of every scored invoice.
    rows
        Invoice ids to explain.
    n_reasons
        Largest number of reasons per invoice.
    min_z
        A feature is a reason when its robust |z| is at least this.
    currency
        Shown with money amounts.

    Returns
    -------
    pandas.Series
        One string per invoice: reasons joined by ``"; "`` (most unusual first), or
        ``"no single feature stands out (unusual combination)"``.
    """
    n_reasons = require_positive_int(n_reasons, "n_reasons")
    min_z = require_number(min_z, "min_z", low=0)
    require_string(currency, "currency")
    if isinstance(rows, str) or np.ndim(rows) != 1:
        raise TypeError(f"rows must be a list or Index of invoice ids, got {rows!r}")
    X = model_matrix(features, columns)
    missing = [r for r in rows if r not in X.index]
    if missing:
        raise ValueError(f"rows holds invoice ids not in features, e.g. {missing[:3]}")
    z = RobustZDetector().fit(X).z_scores(X.loc[rows])
    typical = features[list(columns)].median()
    reasons = []
    for invoice, zrow in z.iterrows():
        order = ranking.descending_order(np.abs(zrow.to_numpy()))[:n_reasons]
        words = []
        for j in order:
            column = zrow.index[j]
            if abs(zrow.iloc[j]) < min_z:
                break
            label, fmt = FEATURE_TEXT.get(column, (column, lambda v: f"{v:,.3g}"))
            value = features.at[invoice, column]
            low = " (low)" if zrow.iloc[j] < 0 else ""
            words.append(f"{label.format(currency=currency)}{low}: {fmt(value)} (typical {fmt(typical[column])})")
        reasons.append("; ".join(words) if words else "no single feature stands out (unusual combination)")
    return pd.Series(reasons, index=z.index, name="reasons")


def episodes(features: pd.DataFrame, order: np.ndarray, top_n: int, episode_days: float) -> list[list[int]]:
    """The first ``top_n`` episodes (lists of positions of ``features``) met in ``order``.

    Walking down ``order`` (most anomalous first), an invoice joins the episode holding an
    invoice of the same customer less than ``episode_days`` from it, else starts a new one.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b", "a", "a"],
    ...                   "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:01",
    ...                                                "2024-01-01 10:05", "2024-01-09 10:00"])})
    >>> episodes(f, np.array([0, 1, 2, 3]), top_n=3, episode_days=1.0)
    [[0, 2], [1], [3]]
    """
    require_columns(features, ["customer_id", "timestamp"], "features")
    top_n = require_positive_int(top_n, "top_n")
    window = pd.Timedelta(days=require_number(episode_days, "episode_days", low=0.0)).to_timedelta64()
    customer = features["customer_id"].to_numpy()
    stamp = features["timestamp"].to_numpy()
    found: list[list[int]] = []
    open_by_customer: dict[object, list[int]] = {}
    for position in np.asarray(order, dtype=int):
        candidates = open_by_customer.get(customer[position], [])
        home = next(
            (e for e in candidates if any(abs(stamp[position] - stamp[p]) < window for p in found[e])),
            None,
        )
        if home is not None:
            found[home].append(int(position))
            continue
        if len(found) == top_n:
            continue  # only the queue's episodes collect further invoices
        found.append([int(position)])
        open_by_customer.setdefault(customer[position], []).append(len(found) - 1)
    return found


def _aligned_scores(features: pd.DataFrame, scores) -> pd.Series:
    if isinstance(scores, pd.Series):
        score = scores.reindex(features.index)
        if score.isna().any():
            raise ValueError("scores has no value for some invoices of features")
        as_float_array(score, "scores")
        return score
    values = as_float_array(scores, "scores", ndim=None)
    if values.shape != (len(features),):
        raise ValueError(f"scores must have one value per invoice ({len(features)}), got shape {values.shape}")
    return pd.Series(values, index=features.index)


def review_queue(
    features: pd.DataFrame,
    scores,
    top_n: int = 20,
    *,
    currency: str,
    n_reasons: int = 3,
    extra: pd.DataFrame | None = None,
    episode_days: float = 1.0,
    scan: int | None = None,
) -> pd.DataFrame:
    """The ``top_n`` highest-scored episodes with their reasons, most anomalous first.

    Parameters
    ----------
    features
        :func:`~shopai_lab.anomaly.invoice_features` (one row per invoice). Not modified.
    scores
        Anomaly score per invoice (array aligned with ``features`` or Series by invoice id).
    top_n
        Queue length, in episodes.
    currency
        Shown with money amounts.
    n_reasons
        Largest number of reasons per invoice.
    extra
        Optional columns to add, indexed by invoice id (e.g. a later reversal label).
    episode_days
        Invoices of one customer less than this many days apart are one episode (see the module
        docstring); 0: every invoice is its own entry.
    scan
        How many of the highest-scored invoices are grouped (default ``20 * top_n``): an episode
        collects its invoices from among them.

    Returns
    -------
    pandas.DataFrame
        One row per episode, indexed by its highest-scored ``invoice_id``: ``rank``, ``score``,
        ``customer_id``, ``timestamp``, ``lines``, ``units``, ``value``, ``episode_invoices`` (how
        many), ``other_invoices`` (their ids, by score), ``reasons`` (+ ``extra``).

    Examples
    --------
    >>> f = pd.DataFrame({c: np.linspace(1, 2, 30) for c in FEATURE_COLUMNS},
    ...                  index=pd.Index([f"i{j}" for j in range(30)], name="invoice_id"))
    >>> f = f.assign(customer_id="c", timestamp=pd.Timestamp("2024-01-01"))
    >>> f.loc["i3", "units"] = 5000.0
    >>> queue = review_queue(f, f["units"].to_numpy(), top_n=1, currency="EUR", episode_days=0)
    >>> queue.index.tolist(), queue["reasons"].iloc[0]
    (['i3'], 'units: 5,000 (typical 2)')
    """
    require_columns(features, ["customer_id", "timestamp", *FEATURE_COLUMNS], "features")
    top_n = require_positive_int(top_n, "top_n")
    scan = 20 * top_n if scan is None else require_positive_int(scan, "scan")
    if extra is not None:
        require_frame(extra, "extra")
    score = _aligned_scores(features, scores)
    order = ranking.descending_order(score.to_numpy())[: max(scan, top_n)]
    groups = episodes(features, order, top_n, episode_days)
    rows = features.index[[g[0] for g in groups]]
    queue = features.loc[rows, ["customer_id", "timestamp", "lines", "units", "value"]].copy()
    queue.insert(0, "score", score.loc[rows].to_numpy())
    queue.insert(0, "rank", np.arange(1, len(rows) + 1))
    queue["episode_invoices"] = [len(g) for g in groups]
    queue["other_invoices"] = [", ".join(str(features.index[p]) for p in g[1:]) for g in groups]
    queue["reasons"] = explain(features, rows, n_reasons=n_reasons, currency=currency)
    if extra is not None:
        queue = queue.join(extra, how="left")
    return queue


def export_review_queue(queue: pd.DataFrame, path: str | Path) -> Path:
    """Write the queue as a UTF-8 CSV for a person to work through, with an empty ``decision`` column.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    require_columns(queue, ["rank", "score", "reasons"], "queue")
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"path's folder does not exist: {path.parent}")
    out = queue.copy()
    if "decision" not in out.columns:
        out["decision"] = ""
    out.to_csv(path, encoding="utf-8")
    return path
