"""The cleaning rules of :func:`shopai_lab.data.clean_transactions`, on Spark DataFrames.

Same rules, same order, same waterfall report (a pandas table: it has six rows). The rules are
column expressions, so the whole cleaning is one pass plus one distinct (the duplicate rule).
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from shopai_lab._validation import require_pattern
from shopai_lab.data import NON_PRODUCT_PATTERN, RULES
from shopai_lab.schema import REQUIRED_COLUMNS
from shopai_lab.spark.session import require_pyspark

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame


@dataclass(frozen=True)
class SparkCleaned:
    """Result of :func:`clean_transactions`: Spark ``purchases`` and ``returns``, a pandas ``report``."""

    purchases: DataFrame
    returns: DataFrame
    report: pd.DataFrame

    def __repr__(self) -> str:
        kept = int(self.report["rows_left"].iloc[-1])
        dropped = int(self.report["rows_dropped"].sum())
        return f"SparkCleaned(purchases={kept:,} lines, dropped={dropped:,} of {kept + dropped:,})"


_NUMBER_TYPES = ("tinyint", "smallint", "int", "bigint", "float", "double")


def _check_frame(lines, name: str, columns, numeric=(), timestamps=()) -> None:
    """A Spark DataFrame with ``columns``; those in ``numeric`` hold numbers, those in ``timestamps`` times."""
    from pyspark.sql import DataFrame

    if not isinstance(lines, DataFrame):
        raise TypeError(f"{name} must be a pyspark.sql.DataFrame, got {type(lines).__name__}")
    missing = [c for c in columns if c not in lines.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; found columns {lines.columns}")
    types = dict(lines.dtypes)
    for column in numeric:
        if column in types and not (types[column] in _NUMBER_TYPES or types[column].startswith("decimal")):
            raise TypeError(
                f"{name}[{column!r}] must hold numbers, got Spark type {types[column]}; "
                "read the file with read_transactions, which types the columns"
            )
    for column in timestamps:
        if column in types and not (types[column].startswith("timestamp") or types[column] == "date"):
            raise TypeError(f"{name}[{column!r}] must hold timestamps, got Spark type {types[column]}")


def _check_rules(non_product_pattern: str, cancellation_prefix: str) -> None:
    if not isinstance(cancellation_prefix, str) or not cancellation_prefix:
        raise ValueError(f"cancellation_prefix must be a non-empty string, got {cancellation_prefix!r}")
    require_pattern(non_product_pattern, "non_product_pattern")


def rule_masks(non_product_pattern: str = NON_PRODUCT_PATTERN, cancellation_prefix: str = "C") -> dict[str, Column]:
    """The boolean column of each rule but the duplicate rule (never null), in the order the rules run."""
    _check_rules(non_product_pattern, cancellation_prefix)
    require_pyspark()
    from pyspark.sql import functions as F

    is_cancel = F.coalesce(F.col("invoice_id").startswith(cancellation_prefix), F.lit(False))
    if non_product_pattern:
        non_product = F.coalesce(F.col("item_id").rlike(f"^(?:{non_product_pattern})$"), F.lit(False))
    else:
        non_product = F.lit(False)
    return {
        "cancellation": is_cancel,
        "missing customer": F.col("customer_id").isNull(),
        "quantity <= 0": F.coalesce(F.col("quantity") <= 0, F.lit(False)),
        "unit price <= 0": F.coalesce(F.col("unit_price") <= 0, F.lit(False)),
        "non-product stock code": non_product,
    }


def clean_transactions(
    lines: DataFrame, non_product_pattern: str = NON_PRODUCT_PATTERN, cancellation_prefix: str = "C"
) -> SparkCleaned:
    """Clean canonical lines into purchases, returns and the drop report, as the pandas version does.

    Parameters
    ----------
    lines
        Canonical transaction lines (:func:`~shopai_lab.spark.io.read_transactions`). Not modified.
    non_product_pattern
        Regular expression for stock codes that are not products (full match; ``""`` disables the
        rule). Java's regex dialect: plain patterns such as the default mean the same in both.
    cancellation_prefix
        Invoice-id prefix marking a cancellation.

    Returns
    -------
    SparkCleaned
        ``purchases`` (with ``revenue``), ``returns`` (every cancellation line) and ``report``
        (``rows_dropped``, ``share``, ``rows_left`` per rule, as in pandas).

    Examples
    --------
    >>> cleaned = clean_transactions(read_transactions(session, path))  # doctest: +SKIP
    >>> cleaned.report.loc["cancellation", "rows_dropped"]  # doctest: +SKIP
    9288
    """
    require_pyspark()
    from pyspark.sql import functions as F

    _check_frame(lines, "lines", REQUIRED_COLUMNS, ["quantity", "unit_price"], ["timestamp"])
    _check_rules(non_product_pattern, cancellation_prefix)
    masks = rule_masks(non_product_pattern, cancellation_prefix)
    with_revenue = lines.withColumn("revenue", F.col("quantity") * F.col("unit_price"))
    first_rule = F.lit(None).cast("int")
    for position, mask in reversed(list(enumerate(masks.values()))):
        first_rule = F.when(mask, F.lit(position)).otherwise(first_rule)
    counted = with_revenue.groupBy(first_rule.alias("rule")).count().collect()
    by_rule = {row["rule"]: int(row["count"]) for row in counted}
    keep = ~functools.reduce(operator.or_, masks.values())
    kept = with_revenue.where(keep)
    purchases = kept.dropDuplicates()
    n_kept = by_rule.get(None, 0)
    n_purchases = purchases.count()
    total = sum(by_rule.values())
    rows, left = [], total
    for position, rule in enumerate(RULES[:-1]):
        dropped = by_rule.get(position, 0)
        left -= dropped
        rows.append((rule, dropped, left))
    rows.append((RULES[-1], n_kept - n_purchases, n_purchases))
    report = pd.DataFrame(rows, columns=["rule", "rows_dropped", "rows_left"]).set_index("rule")
    report.insert(1, "share", report["rows_dropped"] / max(total, 1))
    returns = with_revenue.where(masks["cancellation"])
    return SparkCleaned(purchases=purchases, returns=returns, report=report)
