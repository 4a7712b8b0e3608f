"""What the extreme lines flagged by :func:`shopai_lab.data.flag_extreme_lines` do to RFM.

The flag is computed on the raw lines; cleaning re-indexes them, so a flagged line is found again in
the clean purchases or returns by its content (invoice, product, quantity, price and time: exact
duplicates are dropped by cleaning, so the match is one-to-one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_positive, require_transactions
from shopai_lab.behavior.rfm import resolve_reference_date, rfm, rfm_scores
from shopai_lab.behavior.segments import assign_segments

#: Columns that identify a line across the raw and the cleaned frames.
LINE_KEY = ("invoice_id", "item_id", "quantity", "unit_price", "timestamp")


def matches_lines(lines: pd.DataFrame, flagged: pd.DataFrame) -> np.ndarray:
    """Boolean mask: which rows of ``lines`` also appear in ``flagged`` (compared on :data:`LINE_KEY`).

    Examples
    --------
    >>> a = pd.DataFrame({"invoice_id": ["1", "2"], "item_id": ["x", "y"], "quantity": [5, 1],
    ...                   "unit_price": [1.0, 2.0], "timestamp": pd.to_datetime(["2024-01-01"] * 2)})
    >>> matches_lines(a, a.iloc[[1]]).tolist()
    [False, True]
    """
    require_columns(lines, LINE_KEY, "lines")
    require_columns(flagged, LINE_KEY, "flagged")
    if lines.empty or flagged.empty:
        return np.zeros(len(lines), dtype=bool)
    key = list(LINE_KEY)

    def index(frame: pd.DataFrame) -> pd.MultiIndex:
        return pd.MultiIndex.from_frame(frame[key].astype({"invoice_id": str, "item_id": str, "unit_price": float}))

    return np.asarray(index(lines).isin(index(flagged)))


def extreme_bounds(flagged: pd.DataFrame, threshold: float) -> dict[str, float]:
    """The smallest flagged line size: ``units`` (by the quantity rule) and ``value`` (by the value rule).

    Reads the rule of :func:`shopai_lab.data.flag_extreme_lines` in plain units ("a flagged line
    is at least this many units, or at least this much money"); NaN when no line passes a rule.

    Examples
    --------
    >>> f = pd.DataFrame({"quantity": [5, -900, 20], "unit_price": [1.0, 2.0, 300.0],
    ...                   "quantity_z": [0.1, 6.0, 0.3], "value_z": [0.0, 5.5, 5.2]})
    >>> extreme_bounds(f, 5.0)
    {'units': 900.0, 'value': 1800.0}
    """
    require_columns(flagged, ["quantity", "unit_price", "quantity_z", "value_z"], "flagged")
    threshold = require_positive(threshold, "threshold")
    units = flagged["quantity"].abs().astype(float)
    value = (flagged["quantity"] * flagged["unit_price"]).abs().astype(float)
    by_units = units[flagged["quantity_z"].fillna(0) > threshold]
    by_value = value[flagged["value_z"].fillna(0) > threshold]
    return {
        "units": float(by_units.min()) if len(by_units) else float("nan"),
        "value": float(by_value.min()) if len(by_value) else float("nan"),
    }


def extreme_line_effect(
    purchases: pd.DataFrame,
    returns: pd.DataFrame,
    extreme: pd.DataFrame,
    reference_date: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Net revenue and RFM segment of each customer with and without the extreme lines.

    The extreme purchase lines and the extreme cancellation lines are both removed for the
    "without" table (a huge order and its cancellation are flagged together), and RFM is
    recomputed from scratch, so customers without extreme lines can change segment too
    (quantile scores are relative).

    Parameters
    ----------
    purchases, returns
        Clean purchase and cancellation lines (:func:`shopai_lab.data.clean_transactions`).
    extreme
        The flagged lines (rows of :func:`shopai_lab.data.flag_extreme_lines` with ``extreme``).
    reference_date
        As for :func:`shopai_lab.behavior.rfm`; default: midnight after the last purchase.

    Returns
    -------
    pandas.DataFrame
        One row per customer who has an extreme line or whose segment changes, indexed by
        ``customer_id``: ``extreme_lines``, ``net_revenue``, ``net_revenue_without``,
        ``segment``, ``segment_without`` (``"(no purchase left)"`` when every purchase was
        extreme), sorted by the absolute change in net revenue (largest first), then by id.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b"], "invoice_id": ["1", "2", "3"],
    ...     "item_id": ["x", "x", "y"], "quantity": [1, 900, 2], "unit_price": [1.0, 1.0, 1.0],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])})
    >>> none = lines.iloc[:0]
    >>> effect = extreme_line_effect(lines, none, lines.iloc[[1]])
    >>> effect[["extreme_lines", "net_revenue", "net_revenue_without"]].reset_index().values.tolist()
    [['a', 1, 901.0, 1.0], ['b', 0, 2.0, 2.0]]

    Customer ``b`` has no extreme line but changes segment: scores are relative.
    """
    require_transactions(purchases, "purchases", ["customer_id", *LINE_KEY], allow_empty=False)
    require_transactions(returns, "returns", ["customer_id", *LINE_KEY])
    ref = resolve_reference_date(purchases, reference_date)
    in_purchases = matches_lines(purchases, extreme)
    in_returns = matches_lines(returns, extreme)
    full = assign_segments(rfm_scores(rfm(purchases, ref, returns)))
    kept = purchases[~in_purchases]
    if kept.empty or not (kept["timestamp"] < ref).any():
        raise ValueError("every purchase line before reference_date is extreme: nothing left to compare")
    without = assign_segments(rfm_scores(rfm(kept, ref, returns[~in_returns])))
    counts = pd.concat(
        [purchases["customer_id"][in_purchases], returns["customer_id"][in_returns].dropna()]
    ).value_counts()
    table = pd.DataFrame(
        {
            "extreme_lines": counts.reindex(full.index, fill_value=0).astype(int),
            "net_revenue": full["net_revenue"],
            "net_revenue_without": without["net_revenue"].reindex(full.index).fillna(0.0),
            "segment": full["segment"].astype(str),
            "segment_without": without["segment"].astype(str).reindex(full.index).fillna("(no purchase left)"),
        }
    )
    changed = (table["extreme_lines"] > 0) | (table["segment"] != table["segment_without"])
    table = table[changed]
    order = np.lexsort((table.index.astype(str), -(table["net_revenue"] - table["net_revenue_without"]).abs()))
    return table.iloc[order]
