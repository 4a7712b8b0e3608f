"""Sentences of notebook 10 built from its results, so the report stays true on any shop's data.

Each function takes numbers or the small results of :mod:`shopai_lab.spark.checks` and returns Markdown;
where a claim (Spark equals pandas, the cleaning finds the planted dirt) fails on the data, the sentence
says so in bold instead of claiming it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from shopai_lab._validation import require_bool, require_non_negative, require_positive_int
from shopai_lab.report import count, percent

__all__ = [
    "describe_cleaning",
    "describe_cohorts",
    "describe_evaluation",
    "describe_large_shop",
    "describe_read",
    "describe_rfm_check",
    "describe_split",
]


_RFM_CHECK_KEYS = ("customers", "reference_customers", "same_ids", "mismatches", "net_revenue_gap")


def describe_read(n_spark: int, n_pandas: int, dtypes: Sequence[tuple[str, str]]) -> str:
    """Lines read by each engine and Spark's schema.

    Examples
    --------
    >>> print(describe_read(120, 120, [("customer_id", "string"), ("quantity", "bigint")]))
    120 lines read by Spark and by pandas. Spark's schema: customer_id string, quantity bigint.
    >>> describe_read(120, 119, [])[:40]
    '**Spark read 120 lines and pandas 119**:'
    """
    n_spark = require_positive_int(n_spark, "n_spark", minimum=0)
    n_pandas = require_positive_int(n_pandas, "n_pandas", minimum=0)
    if isinstance(dtypes, str) or not isinstance(dtypes, Sequence):
        raise TypeError(f"dtypes must be a list of (column, type) pairs (a DataFrame's dtypes), got {dtypes!r}")
    schema = ", ".join(f"{name} {kind}" for name, kind in dtypes)
    if n_spark == n_pandas:
        return f"{count(n_spark, 'line')} read by Spark and by pandas. Spark's schema: {schema}."
    return (
        f"**Spark read {n_spark:,} lines and pandas {n_pandas:,}**: the engines disagree on the file, so check the "
        f"format and the column map before trusting the comparisons below. Spark's schema: {schema}."
    )


def describe_cleaning(rows_left: int, same_report: bool) -> str:
    """The clean purchase lines Spark keeps, and whether its report equals pandas' rule by rule.

    Examples
    --------
    >>> describe_cleaning(391150, True)
    'Spark keeps 391,150 clean purchase lines; its cleaning report equals the pandas report rule by rule.'
    """
    require_bool(same_report, "same_report")
    verdict = "equals the pandas report rule by rule" if same_report else "**differs from the pandas report**"
    return f"Spark keeps {count(rows_left, 'clean purchase line')}; its cleaning report {verdict}."


def describe_rfm_check(check: dict) -> str:
    """RFM, scores and segments from Spark against pandas, from :func:`shopai_lab.spark.checks.compare_rfm`.

    Examples
    --------
    >>> print(describe_rfm_check({"customers": 10, "reference_customers": 10, "same_ids": True,
    ...     "mismatches": {"invoices": 0, "segment": 0}, "net_revenue_gap": 1e-15}))  # doctest: +NORMALIZE_WHITESPACE
    10 customers from Spark and from pandas, the same ids; no customer's days, invoices, scores or segment
    differ, and net revenue agrees to a relative 1e-12 (sums in another order).
    """
    missing = [key for key in _RFM_CHECK_KEYS if key not in check] if isinstance(check, dict) else None
    if missing is None or missing:
        raise ValueError(f"check must be compare_rfm's dict with keys {list(_RFM_CHECK_KEYS)}; missing {missing}")
    if not check["same_ids"]:
        return (
            f"**Spark finds {count(check['customers'], 'customer')} and pandas "
            f"{count(check['reference_customers'], 'customer')}, not the same ids**: the tables cannot be compared."
        )
    differ = {name: n for name, n in check["mismatches"].items() if n}
    gap = check["net_revenue_gap"]
    agreement = "1e-12" if gap < 1e-12 else f"{gap:.1e}"
    values = (
        "no customer's days, invoices, scores or segment differ"
        if not differ
        else "**customers differ on " + ", ".join(f"{name} ({n:,})" for name, n in differ.items()) + "**"
    )
    return (
        f"{count(check['customers'], 'customer')} from Spark and from pandas, the same ids; {values}, and net revenue "
        f"agrees to a relative {agreement} (sums in another order)."
    )


def describe_cohorts(n_cohorts: int, same_table: bool, same_summary: bool) -> str:
    """Whether Spark's cohort table and its month-1 retention summary equal pandas'.

    Examples
    --------
    >>> print(describe_cohorts(12, True, True))  # doctest: +NORMALIZE_WHITESPACE
    12 monthly cohorts. Spark's retention table equals pandas'; its month-1 summary, computed with notebook
    01's definition, equals behavior.retention_summary's:
    """
    require_bool(same_table, "same_table")
    require_bool(same_summary, "same_summary")
    table = "equals pandas'" if same_table else "**differs from pandas'**"
    summary = "equals behavior.retention_summary's" if same_summary else "**differs from behavior.retention_summary's**"
    return (
        f"{count(n_cohorts, 'monthly cohort')}. Spark's retention table {table}; its month-1 summary, computed with "
        f"notebook 01's definition, {summary}:"
    )


def describe_split(cutoff: str, spark_users: int, pandas_users: int, same_users: bool, cold: int, buyers: int) -> str:
    """The evaluated customers of the house protocol in both engines, and the cold-start trap.

    Examples
    --------
    >>> print(describe_split("2011-10-11", 1683, 1683, True, 596, 2374))  # doctest: +NORMALIZE_WHITESPACE
    Cutoff 2011-10-11: 1,683 customers evaluated in Spark and in pandas, at the same positions. 596 of the
    2,374 customers buying in the test period (25.1%) had no train purchase: coldStartStrategy='drop' would
    silently leave them out of a prediction-based evaluation.
    """
    require_bool(same_users, "same_users")
    if spark_users == pandas_users and same_users:
        evaluated = f"{count(spark_users, 'customer')} evaluated in Spark and in pandas, at the same positions"
    else:
        evaluated = (
            f"**{count(spark_users, 'customer')} evaluated in Spark and {pandas_users:,} in pandas, not the same ones**"
        )
    share = f" ({percent(cold / buyers)})" if buyers else ""
    return (
        f"Cutoff {cutoff}: {evaluated}. {cold:,} of the {count(buyers, 'customer')} buying in the test period{share} "
        "had no train purchase: coldStartStrategy='drop' would silently leave them out of a prediction-based "
        "evaluation."
    )


def describe_evaluation(gap: float, tolerance: float = 1e-9) -> str:
    """Whether the metrics Spark computed equal the lab's ``evaluate_lists`` on the same lists.

    Examples
    --------
    >>> print(describe_evaluation(1e-16))  # doctest: +NORMALIZE_WHITESPACE
    The metrics computed in Spark equal rec.evaluate_lists on the same lists (largest gap below 1e-15):
    Spark's evaluation can be trusted where pandas cannot follow.
    """
    gap = require_non_negative(gap, "gap")
    tolerance = require_non_negative(tolerance, "tolerance")
    shown = "below 1e-15" if gap < 1e-15 else f"{gap:.0e}"
    if gap <= tolerance:
        return (
            f"The metrics computed in Spark equal rec.evaluate_lists on the same lists (largest gap {shown}): Spark's "
            "evaluation can be trusted where pandas cannot follow."
        )
    return f"**The metrics computed in Spark differ from rec.evaluate_lists on the same lists by up to {shown}.**"


def describe_large_shop(matches: bool, customers: int, segments: int, month1: dict) -> str:
    """The large simulated shop: did cleaning find the planted dirt; customers, segments and month-1 retention.

    ``month1`` is :func:`shopai_lab.spark.retention_summary`'s dict.

    Examples
    --------
    >>> m = {"weighted_later_cohorts": 0.111, "later_cohorts": 22}
    >>> print(describe_large_shop(True, 9078, 11, m))  # doctest: +NORMALIZE_WHITESPACE
    Spark cleaning finds exactly the dirt the simulator put in; 9,078 customers in 11 segments; month-1
    retention of new customers 11.1% (22 cohorts after the first, weighted by size).
    """
    require_bool(matches, "matches")
    require_positive_int(segments, "segments", minimum=0)
    found = "finds exactly" if matches else "**does not find**"
    weighted = month1["weighted_later_cohorts"]
    retention = (
        "no later cohort is observed a month on"
        if isinstance(weighted, float) and math.isnan(weighted)
        else f"month-1 retention of new customers {percent(weighted)} ({month1['later_cohorts']} cohorts after the "
        "first, weighted by size)"
    )
    return (
        f"Spark cleaning {found} the dirt the simulator put in; {count(customers, 'customer')} in "
        f"{count(segments, 'segment')}; {retention}."
    )
