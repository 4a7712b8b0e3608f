"""Checks that Spark's results equal the pandas path's (notebook 10): small pandas frames in, plain results out.

Spark brings its small results back as pandas frames (the cleaning report, RFM per customer, cohort
tables, retention summaries, metric tables); these functions say whether they equal the pandas
version's, exactly where the quantity is a count and to a stated tolerance where it is a float sum
computed in another order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_frame, require_non_negative

__all__ = ["compare_rfm", "dirt_check", "frames_equal", "max_gap", "segment_sizes", "summaries_equal"]

#: RFM columns that are counts, days, scores or labels: compared exactly.
EXACT_RFM_COLUMNS: tuple[str, ...] = ("days_since_last", "invoices", "r_score", "f_score", "m_score", "fm_score")


def frames_equal(left: pd.DataFrame, right: pd.DataFrame, atol: float = 0.0) -> bool:
    """Same shape, labels and values (NaN equal to NaN; numbers within ``atol``).

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1.0, np.nan]})
    >>> frames_equal(a, a.copy()), frames_equal(a, a + 1e-13, atol=1e-12), frames_equal(a, a.head(1))
    (True, True, False)
    """
    left, right = require_frame(left, "left"), require_frame(right, "right")
    atol = require_non_negative(atol, "atol")
    if left.shape != right.shape or not left.index.equals(right.index) or not left.columns.equals(right.columns):
        return False
    numeric = [
        c for c in left.columns if pd.api.types.is_numeric_dtype(left[c]) and not pd.api.types.is_bool_dtype(left[c])
    ]
    others = [c for c in left.columns if c not in numeric]
    same_numbers = all(
        np.allclose(left[c].astype(float), right[c].astype(float), rtol=0, atol=atol, equal_nan=True) for c in numeric
    )
    return same_numbers and all(left[c].astype(str).equals(right[c].astype(str)) for c in others)


def compare_rfm(from_spark: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """Customers whose RFM values, scores or segment differ, and net revenue's largest relative gap.

    Both frames are indexed by ``customer_id`` in the same order (``sort_index()``).

    Returns
    -------
    dict
        ``customers`` (Spark's count), ``reference_customers``, ``same_ids``, ``mismatches``
        (column -> customers whose value differs; counts, days, scores and segment compared exactly)
        and ``net_revenue_gap`` (largest ``|spark - pandas| / max(|pandas|, 1)``: sums in another order).

    Examples
    --------
    >>> t = pd.DataFrame({c: [1, 2] for c in EXACT_RFM_COLUMNS}, index=["a", "b"]).assign(
    ...     segment=["Lost", "New"], net_revenue=[10.0, 20.0])
    >>> r = compare_rfm(t, t.copy())
    >>> r["same_ids"], sum(r["mismatches"].values()), r["net_revenue_gap"]
    (True, 0, 0.0)
    """
    columns = [*EXACT_RFM_COLUMNS, "segment", "net_revenue"]
    require_columns(from_spark, columns, "from_spark")
    require_columns(reference, columns, "reference")
    same_ids = bool(from_spark.index.equals(reference.index))
    if not same_ids:
        return {"customers": len(from_spark), "reference_customers": len(reference), "same_ids": False,
                "mismatches": {}, "net_revenue_gap": float("nan")}  # fmt: skip
    mismatches = {c: int((from_spark[c].to_numpy() != reference[c].to_numpy()).sum()) for c in EXACT_RFM_COLUMNS}
    segments = from_spark["segment"].astype(str).to_numpy() != reference["segment"].astype(str).to_numpy()
    mismatches["segment"] = int(segments.sum())
    gap = np.abs(from_spark["net_revenue"] - reference["net_revenue"]) / np.maximum(np.abs(reference["net_revenue"]), 1)
    return {
        "customers": len(from_spark),
        "reference_customers": len(reference),
        "same_ids": True,
        "mismatches": mismatches,
        "net_revenue_gap": float(gap.max()) if len(gap) else 0.0,
    }


def summaries_equal(left: dict, right: dict, atol: float = 1e-12) -> bool:
    """Two retention summaries (``retention_summary``'s dicts) with the same keys and values (numbers within ``atol``).

    Examples
    --------
    >>> summaries_equal({"a": 0.2, "b": "x", "c": float("nan")}, {"a": 0.2 + 1e-15, "b": "x", "c": float("nan")})
    True
    """
    if not isinstance(left, dict) or not isinstance(right, dict):
        raise TypeError(f"left and right must be dicts, got {type(left).__name__} and {type(right).__name__}")
    atol = require_non_negative(atol, "atol")
    if set(left) != set(right):
        return False

    def same(a, b) -> bool:
        if isinstance(a, float) or isinstance(b, float):
            return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= atol
        return a == b

    return all(same(left[key], right[key]) for key in left)


def segment_sizes(segmented: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Customers and their share, and the share of net revenue, per segment in ``order`` (empty ones left out).

    Examples
    --------
    >>> t = pd.DataFrame({"segment": ["Lost", "New", "New"], "net_revenue": [10.0, 30.0, 60.0]})
    >>> segment_sizes(t, ["New", "Lost", "At risk"])
             customers  share  revenue_share
    segment
    New              2  0.667            0.9
    Lost             1  0.333            0.1
    """
    require_columns(segmented, ["segment", "net_revenue"], "segmented")
    if isinstance(order, str):
        raise TypeError("order must be a list of segment names, not a single string")
    present = set(segmented["segment"].astype(str))
    kept = [s for s in order if s in present]
    sizes = segmented.groupby("segment")["net_revenue"].agg(customers="size", net_revenue="sum").reindex(kept)
    sizes["share"] = (sizes["customers"] / sizes["customers"].sum()).round(3)
    sizes["revenue_share"] = (sizes["net_revenue"] / sizes["net_revenue"].sum()).round(3)
    return sizes.drop(columns="net_revenue")


def max_gap(left: pd.DataFrame, right: pd.DataFrame, columns: Sequence[str]) -> float:
    """The largest absolute difference between two tables' ``columns`` (row by row).

    Examples
    --------
    >>> max_gap(pd.DataFrame({"a": [0.5]}), pd.DataFrame({"a": [0.25]}), ["a"])
    0.25
    """
    require_columns(left, columns, "left")
    require_columns(right, columns, "right")
    if len(left) != len(right):
        raise ValueError(f"left and right must have the same rows, got {len(left)} and {len(right)}")
    gaps = np.abs(left[list(columns)].to_numpy(dtype=float) - right[list(columns)].to_numpy(dtype=float))
    return float(gaps.max()) if gaps.size else 0.0


def dirt_check(report: pd.DataFrame, shop: dict, rules: Sequence[str]) -> tuple[pd.DataFrame, bool]:
    """The cleaning report beside the dirt the simulator planted, and whether every planted rule matches.

    ``rules`` are the rules the simulator plants (the last rule, exact duplicates, is not planted
    on purpose and has no known truth).

    Examples
    --------
    >>> report = pd.DataFrame({"rows_dropped": [3, 1]}, index=["cancellation", "exact duplicate"])
    >>> table, ok = dirt_check(report, {"cancellation": 3}, ["cancellation"])
    >>> ok, table["simulated"].tolist()
    (True, [3, <NA>])
    """
    require_columns(report, ["rows_dropped"], "report")
    if not isinstance(shop, dict):
        raise TypeError(f"shop must be the dict write_simulated_shop returns, got {type(shop).__name__}")
    missing = [rule for rule in rules if rule not in shop]
    if missing:
        raise ValueError(f"shop has no count for the rule(s) {missing}")
    truth = pd.Series({rule: shop[rule] for rule in rules}, name="simulated")
    table = report[["rows_dropped"]].join(truth)
    table["simulated"] = table["simulated"].astype("Int64")
    planted = table.loc[list(rules)]
    return table, bool((planted["rows_dropped"] == planted["simulated"]).all())
