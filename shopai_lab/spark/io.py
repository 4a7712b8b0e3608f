"""Transaction lines as Spark DataFrames in the canonical schema: from Parquet/CSV files or from pandas.

The same column map and the same typing rules as :func:`shopai_lab.data.load_transactions`: ids become
text (whole-number floats such as ``17850.0`` lose the ``.0``, blanks become missing), ``quantity``
is a whole number (``long``) when every value is whole, ``unit_price`` a double, ``timestamp`` a
timestamp read in the session time zone (UTC in :func:`~shopai_lab.spark.session.local_session`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from shopai_lab._validation import require_frame, require_transactions
from shopai_lab.data import resolve_column_map
from shopai_lab.schema import CANONICAL_COLUMNS, ID_COLUMNS, REQUIRED_COLUMNS
from shopai_lab.spark.cleaning import _check_frame
from shopai_lab.spark.session import quiet_pandas_conversion, require_pyspark

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".txt")


def _spark_type(canonical: str, whole_quantity: bool = True) -> str:
    if canonical in ID_COLUMNS or canonical in ("description", "country"):
        return "string"
    if canonical == "quantity":
        return "bigint" if whole_quantity else "double"
    if canonical == "unit_price":
        return "double"
    return "timestamp"


def _check_session(spark) -> None:
    from pyspark.sql import SparkSession

    if not isinstance(spark, SparkSession):
        raise TypeError(f"spark must be a pyspark.sql.SparkSession (see local_session), got {type(spark).__name__}")


def _read(spark: SparkSession, path: Path) -> DataFrame:
    suffixes = "".join(path.suffixes).lower()
    is_parquet = path.is_dir() or suffixes.endswith((".parquet", ".pq"))
    if is_parquet:
        return spark.read.parquet(str(path))
    if suffixes.endswith(_CSV_SUFFIXES):
        return spark.read.csv(str(path), header=True, inferSchema=False, multiLine=False, escape='"')
    if suffixes.endswith((".tsv", ".tsv.gz")):
        return spark.read.csv(str(path), header=True, inferSchema=False, sep="\t", escape='"')
    raise ValueError(f"cannot read {path.name!r}: supported are Parquet (a file or a folder of parts), .csv and .tsv")


def read_transactions(
    spark: SparkSession, path: str | Path, column_map: Mapping[str, str] | str | None = None
) -> DataFrame:
    """Read a transaction file (Parquet file or folder, CSV, TSV) as a canonical Spark DataFrame.

    Parameters
    ----------
    spark
        The session.
    path
        A Parquet file, a folder of Parquet parts (as Spark and :func:`write_simulated_shop` write
        them), or a CSV/TSV file with a header row. On a cluster, any URL Spark reads (``s3a://``,
        ``abfss://``, ``hdfs://``).
    column_map
        ``{"file column": "canonical column"}`` (dict or JSON text), as for
        :func:`shopai_lab.data.load_transactions`; canonical names and known aliases need no map.

    Returns
    -------
    pyspark.sql.DataFrame
        The canonical columns present, typed (see the module docstring).

    Raises
    ------
    FileNotFoundError
        For a local path that does not exist.
    ValueError
        For unmappable columns, missing values in required columns other than ``customer_id``,
        and values that are not numbers or dates; the message names the column.

    Examples
    --------
    >>> lines = read_transactions(session, "shop.parquet", {"Price": "unit_price"})  # doctest: +SKIP
    """
    require_pyspark()
    _check_session(spark)
    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a file path or URL, got {type(path).__name__}")
    text = str(path)
    local = "://" not in text
    if local and not Path(text).exists():
        raise FileNotFoundError(f"no transaction file at {text!r}")
    raw = _read(spark, Path(text))
    return to_canonical(raw, column_map)


def to_canonical(raw: DataFrame, column_map: Mapping[str, str] | str | None = None) -> DataFrame:
    """Map and type a raw Spark DataFrame of invoice lines to the canonical schema (one pass to check values).

    Examples
    --------
    >>> to_canonical(session.createDataFrame(raw_pandas))  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    _check_frame(raw, "raw", [])
    mapping = resolve_column_map(list(raw.columns), column_map)
    source_of = {canonical: source for source, canonical in mapping.items()}
    columns = _typed_columns(source_of, dict(raw.dtypes))
    typed = raw.select(*[expr.alias(name) for name, expr in columns.items()])
    flags = [name for name in columns if name.startswith("_bad_")]
    counts = _value_counts(typed, flags)
    _refuse_bad_values(counts, source_of)
    fixed = {}
    for name in ID_COLUMNS:
        if counts[f"present_{name}"] and counts[f"float_{name}"] == counts[f"present_{name}"]:
            fixed[name] = F.regexp_replace(F.col(name), r"\.0+$", "")
    if not counts["fractional"]:
        fixed["quantity"] = F.col("quantity").cast(T.LongType())
    typed = typed.drop(*flags)
    return typed.withColumns(fixed) if fixed else typed


def _typed_columns(source_of: dict[str, str], dtypes: dict[str, str]) -> dict:
    """Canonical column expressions of the mapped source columns, with ``_bad_*`` flags for unparseable values."""
    from pyspark.sql import functions as F

    columns = {}
    for canonical in CANONICAL_COLUMNS:
        if canonical not in source_of:
            continue
        src = F.col(f"`{source_of[canonical]}`")
        kind = dtypes[source_of[canonical]]
        if canonical in ID_COLUMNS:
            if kind in ("float", "double") or kind.startswith("decimal"):
                src = F.when(src == F.floor(src), src.cast("bigint").cast("string")).otherwise(src.cast("string"))
            text = F.trim(src.cast("string"))
            columns[canonical] = F.when(text == "", None).otherwise(text)
        elif canonical in ("quantity", "unit_price"):
            columns[canonical] = src.try_cast("double")  # null where not a number (ANSI cast would fail)
            columns[f"_bad_{canonical}"] = src.isNotNull() & src.try_cast("double").isNull()
        elif canonical == "timestamp":
            columns[canonical] = (
                src.cast("timestamp") if kind.startswith("timestamp") or kind == "date" else F.try_to_timestamp(src)
            )
            if not (kind.startswith("timestamp") or kind == "date"):
                columns["_bad_timestamp"] = src.isNotNull() & F.try_to_timestamp(src).isNull()
        else:
            columns[canonical] = src.cast("string")
    return columns


def _value_counts(typed: DataFrame, flags: list[str]) -> dict[str, int]:
    """One pass over ``typed``: unparseable values, ids written as floats, missing values, fractional quantities."""
    from pyspark.sql import functions as F

    checks = [F.sum(F.col(name).cast("long")).alias(name[1:]) for name in flags]
    for name in ID_COLUMNS:  # a file written from a float column spells every id "17850.0"
        checks.append(F.sum(F.col(name).isNotNull().cast("long")).alias(f"present_{name}"))
        checks.append(F.sum(F.col(name).rlike(r"^\d+\.0+$").cast("long")).alias(f"float_{name}"))
    for name in REQUIRED_COLUMNS:
        if name != "customer_id":
            checks.append(F.sum(F.col(name).isNull().cast("long")).alias(f"missing_{name}"))
    checks.append(F.sum((F.col("quantity") != F.floor(F.col("quantity"))).cast("long")).alias("fractional"))
    counts = typed.agg(*checks).first().asDict()
    return {k: int(v or 0) for k, v in counts.items()}


def _refuse_bad_values(counts: dict[str, int], source_of: dict[str, str]) -> None:
    """A ValueError naming the source column of values that are not numbers or dates, or are missing."""
    for canonical in ("quantity", "unit_price", "timestamp"):
        bad = counts.get(f"bad_{canonical}", 0)
        if bad:
            raise ValueError(
                f"column {_label(canonical, source_of)} has {bad} value(s) that are not "
                f"{'dates' if canonical == 'timestamp' else 'numbers'}"
            )
    for name in REQUIRED_COLUMNS:
        if name != "customer_id" and counts[f"missing_{name}"]:
            raise ValueError(
                f"column {_label(name, source_of)} has {counts[f'missing_{name}']} missing value(s); "
                "every line needs an invoice, item, quantity, unit price and timestamp"
            )


def _label(canonical: str, source_of: dict[str, str]) -> str:
    source = source_of[canonical]
    return f"{canonical!r}" if canonical == source else f"{canonical!r} (file column {source!r})"


def to_spark(spark: SparkSession, transactions: pd.DataFrame) -> DataFrame:
    """A canonical pandas frame (e.g. from :func:`shopai_lab.data.load_online_retail`) as a Spark DataFrame.

    Columns keep the canonical types: text ids (missing stays missing), whole quantities as ``bigint``,
    naive timestamps read as UTC. The caller's frame is not modified.

    Examples
    --------
    >>> lines = to_spark(session, load_online_retail())  # doctest: +SKIP
    """
    require_transactions(transactions, "transactions", ["invoice_id", "item_id", "quantity", "unit_price", "timestamp"])
    require_pyspark()
    _check_session(spark)
    whole = pd.api.types.is_integer_dtype(transactions["quantity"])
    present = [c for c in (*CANONICAL_COLUMNS, "revenue") if c in transactions.columns]
    frame = transactions[present].copy()
    for name in present:
        if _spark_type(name) == "string":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    schema = ", ".join(f"`{c}` {'double' if c == 'revenue' else _spark_type(c, whole)}" for c in present)
    with quiet_pandas_conversion():
        return spark.createDataFrame(frame, schema=schema)


def to_pandas(frame: DataFrame) -> pd.DataFrame:
    """``frame.toPandas()`` without pyspark's pandas >= 3 warning; timestamps come back naive (UTC).

    Examples
    --------
    >>> to_pandas(session.range(3)).shape  # doctest: +SKIP
    (3, 1)
    """
    require_pyspark()
    _check_frame(frame, "frame", [])
    with quiet_pandas_conversion():
        out = frame.toPandas()
    require_frame(out, "frame")
    return out
