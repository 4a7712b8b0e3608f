"""Loaders for the bundled data sets and for an analyst's own transaction files.

Every transaction loader returns the canonical schema of the design document:

=============  ==========================================================
column         meaning
=============  ==========================================================
customer_id    customer key as text (missing allowed: cleaning drops it)
invoice_id     invoice / order key as text; a leading "C" marks a cancellation
item_id        product key (stock code) as text
quantity       units on the line (int64 when every value is whole)
unit_price     price per unit, float64, in the shop's currency
timestamp      invoice time, datetime64
description    optional: product description
country        optional: customer country
=============  ==========================================================

A file with other column names is mapped with an explicit ``column_map``
``{"file column": "canonical column"}``. Columns that already carry a canonical
name, and the column names of the two UCI "Online Retail" releases
(``InvoiceNo``/``Invoice``, ``UnitPrice``/``Price``, ``CustomerID``/``Customer ID``,
...), are recognised without a map.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from shopai_lab._validation import file_error, require_frame
from shopai_lab.data.columns import KNOWN_ALIASES, parse_column_map, to_canonical
from shopai_lab.data.paths import data_dir
from shopai_lab.schema import ID_COLUMNS

ONLINE_RETAIL_FILE = "online_retail.parquet"


ONLINE_SHOPPERS_FILE = "online_shoppers_intention.csv"


CDNOW_SUMMARY_FILE = "cdnow_summary.csv"


#: Columns of the UCI Online Shoppers Purchasing Intention file.
ONLINE_SHOPPERS_COLUMNS: tuple[str, ...] = (
    "Administrative",
    "Administrative_Duration",
    "Informational",
    "Informational_Duration",
    "ProductRelated",
    "ProductRelated_Duration",
    "BounceRates",
    "ExitRates",
    "PageValues",
    "SpecialDay",
    "Month",
    "OperatingSystems",
    "Browser",
    "Region",
    "TrafficType",
    "VisitorType",
    "Weekend",
    "Revenue",
)


def _looks_binary(path: Path) -> bool:
    """True when the first 8 KB of an uncompressed text file hold a NUL byte (a binary file)."""
    if "".join(path.suffixes).lower().endswith((".gz", ".zip", ".bz2", ".xz")):
        return False
    with path.open("rb") as handle:
        return b"\x00" in handle.read(8192)


def _read_csv_file(path: Path, sep: str = ",", dtypes: dict | None = None) -> pd.DataFrame:
    """``pandas.read_csv`` with readers' errors turned into a ``ValueError`` naming the file."""
    if _looks_binary(path):
        raise ValueError(f"cannot read {str(path)!r} as a table: it is a binary file, not delimited text")
    try:
        try:
            header = pd.read_csv(path, sep=sep, nrows=0, encoding="utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:  # Latin-1 decodes any byte: the usual encoding of older shop exports
            header = pd.read_csv(path, sep=sep, nrows=0, encoding="latin-1")
            encoding = "latin-1"
        dtype = {c: t for c, t in (dtypes or {}).items() if c in header.columns}
        try:
            return pd.read_csv(path, sep=sep, encoding=encoding, dtype=dtype or None)
        except UnicodeDecodeError:
            return pd.read_csv(path, sep=sep, encoding="latin-1", dtype=dtype or None)
    except pd.errors.EmptyDataError as exc:
        raise ValueError(f"{path.name!r} is empty: no header row and no lines") from exc
    except (ValueError, OSError, EOFError) as exc:  # ParserError, UnicodeDecodeError, bad archives
        raise file_error(path, exc) from exc


def _read_table(path: Path, id_sources: list[str]) -> pd.DataFrame:
    suffixes = "".join(path.suffixes).lower()
    if suffixes.endswith((".parquet", ".pq")):
        try:
            return pd.read_parquet(path)
        except (ValueError, OSError, TypeError) as exc:  # pyarrow.ArrowInvalid is a ValueError
            raise file_error(path, exc) from exc
    if suffixes.endswith((".csv", ".csv.gz", ".csv.zip", ".csv.bz2", ".txt")):
        sep = ","
    elif suffixes.endswith((".tsv", ".tsv.gz")):
        sep = "\t"
    else:
        raise ValueError(
            f"cannot read {path.name!r}: supported file types are .csv, .tsv (optionally compressed) and .parquet"
        )
    return _read_csv_file(path, sep, {c: "string" for c in id_sources})


def load_transactions(path: str | Path, column_map: Mapping[str, str] | str | None = None) -> pd.DataFrame:
    """Load an analyst's own transaction file (CSV, TSV or Parquet) in the canonical schema.

    Parameters
    ----------
    path
        File with one row per invoice line.
    column_map
        ``{"file column": "canonical column"}`` (dict or JSON text) for the
        columns whose names are neither canonical nor known aliases.

    Returns
    -------
    pandas.DataFrame
        Canonical transaction lines (see the module docstring).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        For an unsupported file type, missing or unmappable columns, or values
        that are not numbers or dates; the message names the column.

    Examples
    --------
    >>> tx = load_transactions("my_shop.csv",
    ...                        {"Customer ID": "customer_id", "Price": "unit_price"})
    ... # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no transaction file at {str(path)!r}")
    explicit = parse_column_map(column_map)
    id_sources = [src for src, dst in explicit.items() if dst in ID_COLUMNS]
    id_sources += [alias for c in ID_COLUMNS for alias in (c, *KNOWN_ALIASES[c])]
    raw = _read_table(path, id_sources)
    try:
        return to_canonical(raw, explicit)
    except ValueError as exc:
        raise ValueError(f"{path.name!r}: {exc}") from exc


def _bundled(name: str) -> Path:
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"bundled data file {str(path)!r} is missing; copy it into the project's data/ "
            "folder or set SHOPAI_LAB_DATA_DIR to the folder that holds it"
        )
    return path


def load_online_retail(path: str | Path | None = None) -> pd.DataFrame:
    """Load the bundled UCI Online Retail data (541,909 invoice lines) in the canonical schema.

    Parameters
    ----------
    path
        Another copy of the file; ``None`` reads ``data/online_retail.parquet``.

    Returns
    -------
    pandas.DataFrame
        Canonical transaction lines, raw: cancellations, missing customers and
        non-product lines are still in; see :func:`shopai_lab.data.cleaning.clean_transactions`.

    Examples
    --------
    >>> tx = load_online_retail()
    >>> len(tx)
    541909
    """
    return load_transactions(_bundled(ONLINE_RETAIL_FILE) if path is None else path)


def load_online_shoppers(path: str | Path | None = None) -> pd.DataFrame:
    """Load the bundled UCI Online Shoppers Purchasing Intention sessions.

    Parameters
    ----------
    path
        Another copy of the file; ``None`` reads ``data/online_shoppers_intention.csv``.

    Returns
    -------
    pandas.DataFrame
        12,330 sessions, 17 features and the boolean label ``Revenue``.

    Raises
    ------
    ValueError
        When a column of the published file is missing.

    Examples
    --------
    >>> sessions = load_online_shoppers()
    >>> round(float(sessions["Revenue"].mean()), 3)
    0.155
    """
    path = _bundled(ONLINE_SHOPPERS_FILE) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no sessions file at {str(path)!r}")
    sessions = _read_csv_file(path)
    missing = [c for c in ONLINE_SHOPPERS_COLUMNS if c not in sessions.columns]
    if missing:
        raise ValueError(
            f"sessions file {path.name!r} is missing column(s) {missing}; found columns {list(sessions.columns)}"
        )
    return sessions


def load_cdnow_summary(path: str | Path | None = None) -> pd.DataFrame:
    """Load the CDNOW customer summary of Fader, Hardie & Lee (2005): the BG/NBD reference data.

    2,357 customers of the CDNOW cohort acquired in the first 12 weeks of 1997, observed
    for 39 weeks in the calibration period, with the published fits BG/NBD
    r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (LL = -9582.4) and Gamma-Gamma
    p = 6.25, q = 3.74, gamma = 15.44.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``: ``frequency`` (repeat purchases), ``recency``
        and ``T`` (weeks) and ``monetary_value`` (mean value of repeat purchases, USD),
        as :func:`shopai_lab.clv.summarize_customers` names them.

    Examples
    --------
    >>> load_cdnow_summary().shape
    (2357, 4)
    """
    path = _bundled(CDNOW_SUMMARY_FILE) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no CDNOW summary file at {str(path)!r}")
    raw = _read_csv_file(path)
    missing = [c for c in ("ID", "x", "t_x", "T", "zbar") if c not in raw.columns]
    if missing:
        raise ValueError(f"CDNOW summary {path.name!r} is missing column(s) {missing}; found {list(raw.columns)}")
    summary = raw.rename(
        columns={"ID": "customer_id", "x": "frequency", "t_x": "recency", "zbar": "monetary_value"}
    ).set_index("customer_id")
    return summary[["frequency", "recency", "T", "monetary_value"]]


def quality_report(df: pd.DataFrame) -> pd.DataFrame:
    """One row per column: dtype, missing count and share, distinct values, min and max.

    Examples
    --------
    >>> quality_report(pd.DataFrame({"a": [1, None, 3]}))["missing"].tolist()
    [1]
    """
    require_frame(df, "df")
    rows = []
    for column in df.columns:
        values = df[column]
        numeric_or_time = pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        rows.append(
            {
                "column": column,
                "dtype": str(values.dtype),
                "missing": int(values.isna().sum()),
                "missing_share": float(values.isna().mean()) if len(values) else 0.0,
                "distinct": int(values.nunique(dropna=True)),
                "min": values.min() if numeric_or_time and values.notna().any() else None,
                "max": values.max() if numeric_or_time and values.notna().any() else None,
            }
        )
    return pd.DataFrame(rows).set_index("column")
