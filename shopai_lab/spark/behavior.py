"""RFM with scores and named segments, and monthly cohort retention, on Spark DataFrames.

The definitions are those of :mod:`shopai_lab.behavior` (notebook 01): only activity strictly before the
reference date counts; ``days_since_last`` is whole days to the reference date, ``invoices`` distinct
purchase invoices, ``net_revenue`` purchases plus (negative) returns; scores are ``ceil(n_bins * p)``
of the tie-averaged percentile rank ``p``; segments come from the same 5 x 5 grid. Cohort tables are
small (cohorts x months), so they come back as pandas frames shaped exactly like the pandas version's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from shopai_lab._validation import require_bool, require_positive_int, require_string, to_timestamp
from shopai_lab.behavior import PURCHASE_COLUMNS, RFM_COLUMNS, SEGMENT_GRID
from shopai_lab.spark.cleaning import _check_frame
from shopai_lab.spark.session import require_pyspark

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame

_MICROS_PER_DAY = 86_400_000_000


def _micros(column: Column) -> Column:
    from pyspark.sql import functions as F

    return F.unix_micros(column.cast("timestamp"))


def reference_date(purchases: DataFrame, reference_date: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """``reference_date`` as a Timestamp; ``None`` gives midnight after the last purchase (one small job).

    Examples
    --------
    >>> reference_date(purchases)  # doctest: +SKIP
    Timestamp('2011-12-10 00:00:00')
    """
    require_pyspark()
    from pyspark.sql import functions as F

    _check_frame(purchases, "purchases", ["timestamp"], timestamps=["timestamp"])
    if reference_date is not None:
        return to_timestamp(reference_date, "reference_date")
    last = purchases.agg(F.max(_micros(F.col("timestamp"))).alias("last")).first()["last"]
    if last is None:
        raise ValueError("purchases is empty: no lines to take a reference date from")
    return pd.Timestamp(int(last), unit="us").normalize() + pd.Timedelta(days=1)


def rfm(
    purchases: DataFrame, reference_date: str | pd.Timestamp | None = None, returns: DataFrame | None = None
) -> DataFrame:
    """Days since the last purchase, invoices and net revenue per customer, as in :mod:`shopai_lab.behavior`.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``invoice_id``, ``quantity``, ``unit_price``,
        ``timestamp``; ``revenue`` is used when present).
    reference_date
        The "today" of the analysis; default: midnight after the last purchase.
    returns
        Cancellation lines to net out of the revenue (customer unknown: ignored).

    Returns
    -------
    pyspark.sql.DataFrame
        One row per customer: ``customer_id``, ``days_since_last``, ``invoices``, ``net_revenue``,
        ``first_purchase``, ``last_purchase`` (unordered; sort or convert as needed).

    Raises
    ------
    ValueError
        For missing columns, purchases without a customer, or a reference date before every purchase.

    Examples
    --------
    >>> table = rfm(cleaned.purchases, returns=cleaned.returns)  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import functions as F

    _check_frame(purchases, "purchases", PURCHASE_COLUMNS, ["quantity", "unit_price", "revenue"], ["timestamp"])
    ref = _resolve(purchases, reference_date)
    ref_micros = int(ref.value // 1000)
    revenue = F.col("revenue") if "revenue" in purchases.columns else F.col("quantity") * F.col("unit_price")
    before = purchases.where(_micros(F.col("timestamp")) < ref_micros)
    table = before.groupBy("customer_id").agg(
        F.min("timestamp").alias("first_purchase"),
        F.max("timestamp").alias("last_purchase"),
        F.countDistinct("invoice_id").alias("invoices"),
        F.sum(revenue).alias("net_revenue"),
    )
    if returns is not None:
        _check_frame(
            returns,
            "returns",
            ["customer_id", "quantity", "unit_price", "timestamp"],
            ["quantity", "unit_price", "revenue"],
            ["timestamp"],
        )
        refund_revenue = F.col("revenue") if "revenue" in returns.columns else F.col("quantity") * F.col("unit_price")
        refunds = (
            returns.where((_micros(F.col("timestamp")) < ref_micros) & F.col("customer_id").isNotNull())
            .groupBy("customer_id")
            .agg(F.sum(-F.abs(refund_revenue)).alias("refunded"))
        )
        table = (
            table.join(refunds, "customer_id", "left")
            .withColumn("net_revenue", F.col("net_revenue") + F.coalesce(F.col("refunded"), F.lit(0.0)))
            .drop("refunded")
        )
    days = F.floor((F.lit(ref_micros) - _micros(F.col("last_purchase"))) / F.lit(_MICROS_PER_DAY))
    table = table.withColumn("days_since_last", days.cast("long"))
    return table.select("customer_id", *RFM_COLUMNS, "first_purchase", "last_purchase")


def _resolve(purchases: DataFrame, ref) -> pd.Timestamp:
    """The reference date, after checking (in one job) that customers are known and some line is before it."""
    from pyspark.sql import functions as F

    stats = purchases.agg(
        F.count(F.lit(1)).alias("lines"),
        F.sum(F.col("customer_id").isNull().cast("long")).alias("no_customer"),
        F.min(_micros(F.col("timestamp"))).alias("first"),
        F.max(_micros(F.col("timestamp"))).alias("last"),
    ).first()
    if not stats["lines"]:
        raise ValueError("purchases is empty: it has no lines")
    if stats["no_customer"]:
        raise ValueError(
            f"purchases has {stats['no_customer']} line(s) without customer_id; clean the lines first "
            "(shopai_lab.spark.clean_transactions)"
        )
    if ref is None:
        return pd.Timestamp(int(stats["last"]), unit="us").normalize() + pd.Timedelta(days=1)
    ref = to_timestamp(ref, "reference_date")
    first = pd.Timestamp(int(stats["first"]), unit="us")
    if ref <= first:
        raise ValueError(f"reference_date {ref.date()} is before every purchase (first purchase {first.date()})")
    return ref


def quantile_scores(table: DataFrame, column: str, n_bins: int = 5, higher_is_better: bool = True) -> DataFrame:
    """Add ``<column>_score``: 1..n_bins by tie-averaged percentile rank, as ``behavior.quantile_scores``.

    ``p = (rank - 1 + (ties + 1) / 2) / n`` with ``rank`` the first rank of the value's block of ties,
    so tied values share a score. Computed with window functions in the same query as the values:
    joining scores back on a floating-point column would fail whenever Spark recomputes a sum in
    another order. The global ordering runs on one partition (fine up to tens of millions of customers).
    """
    require_pyspark()
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    require_string(column, "column")
    _check_frame(table, "table", [column], [column])
    n_bins = require_positive_int(n_bins, "n_bins", minimum=2)
    require_bool(higher_is_better, "higher_is_better")
    order = F.col(column).asc() if higher_is_better else F.col(column).desc()
    first_rank = F.rank().over(Window.orderBy(order))
    ties = F.count(F.lit(1)).over(Window.partitionBy(column))
    total = F.count(F.lit(1)).over(Window.partitionBy())
    pct = (first_rank - 1 + (ties + 1) / 2) / total
    score = F.least(F.greatest(F.ceil(pct * n_bins), F.lit(1)), F.lit(n_bins)).cast("long")
    return table.withColumn(f"{column}_score", score)


def rfm_scores(table: DataFrame, n_bins: int = 5) -> DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score`` (1..n_bins, 5 = best) and ``fm_score``, as in pandas.

    Examples
    --------
    >>> scored = rfm_scores(rfm(cleaned.purchases))  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import functions as F

    n_bins = require_positive_int(n_bins, "n_bins", minimum=2)
    _check_frame(table, "table", RFM_COLUMNS, RFM_COLUMNS)
    nulls = table.agg(*[F.sum(F.col(c).isNull().cast("long")).alias(c) for c in RFM_COLUMNS]).first()
    bad = {c: int(nulls[c]) for c in RFM_COLUMNS if nulls[c]}
    if bad:
        raise ValueError(f"table has missing values in {bad}: cannot score them")
    scored = table
    for column, name, better in (
        ("days_since_last", "r_score", False),
        ("invoices", "f_score", True),
        ("net_revenue", "m_score", True),
    ):
        scored = quantile_scores(scored, column, n_bins, better).withColumnRenamed(f"{column}_score", name)
    fm = F.floor((F.col("f_score") + F.col("m_score")) / 2 + 0.5).cast("long")
    return scored.withColumn("fm_score", fm)


def assign_segments(scored: DataFrame, grid: pd.DataFrame = SEGMENT_GRID) -> DataFrame:
    """Add the named ``segment`` from ``r_score`` and ``fm_score`` through the (R, FM) grid.

    Scores outside the grid give a missing segment (the pandas version raises; here that would
    need a pass over the data, so check ``segment IS NULL`` when you pass your own grid).

    Examples
    --------
    >>> segmented = assign_segments(rfm_scores(rfm(cleaned.purchases)))  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import functions as F

    _check_frame(scored, "scored", ["r_score", "fm_score"])
    if not isinstance(grid, pd.DataFrame):
        raise TypeError(f"grid must be a pandas DataFrame of segment names, got {type(grid).__name__}")
    pairs = []
    for r in grid.index:
        for fm in grid.columns:
            pairs += [F.lit(f"{int(r)}/{int(fm)}"), F.lit(str(grid.loc[r, fm]))]
    key = F.concat_ws("/", F.col("r_score").cast("string"), F.col("fm_score").cast("string"))
    return scored.withColumn("segment", F.create_map(*pairs)[key])


def _last_month_complete(last: pd.Timestamp) -> bool:
    return bool(last.is_month_end)


def cohort_retention(purchases: DataFrame, complete_months_only: bool = True, as_counts: bool = False) -> pd.DataFrame:
    """Monthly cohort retention computed by Spark; a pandas table equal to ``behavior.cohort_retention``'s.

    Spark reduces the lines to (cohort month, months since the first purchase, customers): a
    table of at most months x months rows, which is collected and shaped on the driver.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``timestamp``).
    complete_months_only
        Drop the last calendar month when the data ends before its last day.
    as_counts
        Return active-customer counts instead of shares.

    Returns
    -------
    pandas.DataFrame
        Rows: cohort month (``Period``); columns ``months_since_first`` 0, 1, ...; NaN where not observed.

    Examples
    --------
    >>> cohort_retention(cleaned.purchases).iloc[:2, :3]  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    _check_frame(purchases, "purchases", ["customer_id", "timestamp"], timestamps=["timestamp"])
    require_bool(complete_months_only, "complete_months_only")
    require_bool(as_counts, "as_counts")
    stats = purchases.agg(
        F.max("timestamp").alias("last"),
        F.count(F.lit(1)).alias("lines"),
        F.sum((F.col("customer_id").isNull() | F.col("timestamp").isNull()).cast("long")).alias("missing"),
    ).first()
    if not stats["lines"]:
        raise ValueError("purchases is empty: it has no lines")
    if stats["missing"]:
        raise ValueError(
            f"purchases has {stats['missing']} line(s) without customer_id or timestamp; clean the "
            "lines first (shopai_lab.spark.clean_transactions)"
        )
    last = pd.Timestamp(stats["last"])
    month = F.year("timestamp") * 12 + F.month("timestamp") - 1
    active = purchases.select("customer_id", month.alias("month"))
    last_month = last.year * 12 + last.month - 1
    if complete_months_only and not _last_month_complete(last):
        active = active.where(F.col("month") < last_month)
        last_month -= 1
    active = active.distinct()
    first = F.min("month").over(Window.partitionBy("customer_id"))
    counts = (
        active.withColumn("cohort", first)
        .withColumn("k", F.col("month") - F.col("cohort"))
        .groupBy("cohort", "k")
        .count()
        .collect()
    )
    if not counts:
        raise ValueError(
            "every purchase falls in the last, incomplete month; pass complete_months_only=False to use it anyway"
        )
    long = pd.DataFrame([(r["cohort"], r["k"], r["count"]) for r in counts], columns=["cohort", "k", "n"])
    table = long.pivot(index="cohort", columns="k", values="n").sort_index()
    horizon = last_month - table.index.to_numpy()
    table = table.reindex(columns=range(int(horizon.max()) + 1)).fillna(0).astype(float)
    table = table.mask(np.arange(table.shape[1])[None, :] > horizon[:, None])
    if not as_counts:
        table = table.div(table[0], axis=0)
    table.index = pd.PeriodIndex(
        [pd.Period(year=int(m // 12), month=int(m % 12) + 1, freq="M") for m in table.index], name="cohort"
    )
    table.columns = pd.Index(table.columns, name="months_since_first")
    return table


def retention_summary(purchases: DataFrame, month: int = 1, complete_months_only: bool = True) -> dict:
    """Month-``month`` retention as notebook 01 defines it, from cohort counts computed by Spark.

    The definition of ``behavior.retention_summary``: the first cohort (the first month of the data)
    also holds customers who bought before the data starts (left-censored), so the headline
    ``weighted_later_cohorts`` is the **cohort-size-weighted** retention of the later cohorts whose
    month ``month`` is observed (their active customers summed over their sizes summed). The
    unweighted mean over all observed cohorts, first included (``mean_all_cohorts``), is kept only
    for comparison. Spark reduces the lines to the cohort counts (:func:`cohort_retention` with
    ``as_counts=True``); the few sums over that small table are done on the driver.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``timestamp``) as a Spark DataFrame.
    month
        Months after the first purchase (>= 1).
    complete_months_only
        As for :func:`cohort_retention`.

    Returns
    -------
    dict
        The keys of ``behavior.retention_summary``: ``first_cohort``, ``first_cohort_retention``,
        ``mean_all_cohorts``, ``weighted_later_cohorts`` (the headline; NaN when no later cohort is
        observed that long), ``later_cohorts``, ``later_customers``, ``best_cohort``/``best_retention``
        and ``worst_cohort``/``worst_retention`` among the later cohorts.

    Examples
    --------
    >>> retention_summary(cleaned.purchases)["weighted_later_cohorts"]  # doctest: +SKIP
    0.1973...
    """
    month = require_positive_int(month, "month")
    counts = cohort_retention(purchases, complete_months_only=complete_months_only, as_counts=True)
    if month not in counts.columns:
        raise ValueError(
            f"month={month} is not observed: the data covers {counts.shape[1] - 1} month(s) after the first cohort"
        )
    return _summary_of_counts(counts, month)


def _summary_of_counts(counts: pd.DataFrame, month: int) -> dict:
    """The month-``month`` summary of a cohort-count table (rows cohorts, columns months since the first)."""
    observed = counts[month].notna().to_numpy()
    shares = counts[month] / counts[0]
    first = counts.index[0]
    later = observed & (counts.index != first)
    later_shares = shares[later]
    any_later = bool(later.any())
    weighted = counts.loc[later, month].sum() / counts.loc[later, 0].sum() if any_later else float("nan")
    return {
        "first_cohort": first,
        "first_cohort_retention": float(shares.iloc[0]) if observed[0] else float("nan"),
        "mean_all_cohorts": float(shares[observed].mean()),
        "weighted_later_cohorts": float(weighted),
        "later_cohorts": int(later.sum()),
        "later_customers": int(counts.loc[later, 0].sum()),
        "best_cohort": later_shares.idxmax() if any_later else None,
        "best_retention": float(later_shares.max()) if any_later else float("nan"),
        "worst_cohort": later_shares.idxmin() if any_later else None,
        "worst_retention": float(later_shares.min()) if any_later else float("nan"),
    }
