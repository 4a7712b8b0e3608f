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

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from shopai_lab._validation import file_error, require_frame
from shopai_lab.paths import data_dir

REQUIRED_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "invoice_id",
    "item_id",
    "quantity",
    "unit_price",
    "timestamp",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("description", "country")
CANONICAL_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Column names of the UCI Online Retail (2015) and Online Retail II (2019) files.
KNOWN_ALIASES: dict[str, tuple[str, ...]] = {
    "customer_id": ("CustomerID", "Customer ID"),
    "invoice_id": ("InvoiceNo", "Invoice"),
    "item_id": ("StockCode",),
    "quantity": ("Quantity",),
    "unit_price": ("UnitPrice", "Price"),
    "timestamp": ("InvoiceDate",),
    "description": ("Description",),
    "country": ("Country",),
}

ID_COLUMNS: tuple[str, ...] = ("customer_id", "invoice_id", "item_id")

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

_EXAMPLE_MAP = '{"Customer ID": "customer_id", "Price": "unit_price", "Invoice": "invoice_id"}'


def parse_column_map(column_map: Mapping[str, str] | str | None) -> dict[str, str]:
    """Return ``column_map`` as a dict, reading it from JSON when it is a string.

    Notebook parameters and the command line pass the map as JSON text; code
    passes a dict. ``None`` and ``""`` mean no map.

    Examples
    --------
    >>> parse_column_map('{"Price": "unit_price"}')
    {'Price': 'unit_price'}
    """
    if column_map is None or column_map == "":
        return {}
    if isinstance(column_map, str):
        try:
            column_map = json.loads(column_map)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"column_map is not valid JSON: {column_map!r} ({exc.msg}); "
                f"expected e.g. {_EXAMPLE_MAP}"
            ) from exc
    if not isinstance(column_map, Mapping):
        raise TypeError(
            f"column_map must be a mapping of file column -> canonical column, got "
            f"{type(column_map).__name__}; expected e.g. {_EXAMPLE_MAP}"
        )
    return {str(k): str(v) for k, v in column_map.items()}


def resolve_column_map(
    columns: list[str], column_map: Mapping[str, str] | str | None = None
) -> dict[str, str]:
    """Decide which file column becomes which canonical column.

    Parameters
    ----------
    columns
        Column names found in the file.
    column_map
        Explicit ``{"file column": "canonical column"}`` entries; they take
        precedence over canonical names and known aliases.

    Returns
    -------
    dict
        ``{file column: canonical column}`` for every canonical column that
        could be found.

    Raises
    ------
    ValueError
        When a map entry names a column the file does not have or a target that
        is not canonical, when two file columns map to one target, or when a
        required canonical column cannot be found. The message lists the
        columns that were found.
    """
    explicit = parse_column_map(column_map)
    found = list(columns)
    unknown_sources = [src for src in explicit if src not in found]
    if unknown_sources:
        raise ValueError(
            f"column_map names column(s) {unknown_sources} that the file does not have; "
            f"found columns {found}"
        )
    bad_targets = sorted({dst for dst in explicit.values() if dst not in CANONICAL_COLUMNS})
    if bad_targets:
        raise ValueError(
            f"column_map maps to unknown column(s) {bad_targets}; "
            f"targets must be among {list(CANONICAL_COLUMNS)}"
        )
    targets = list(explicit.values())
    doubled = sorted({t for t in targets if targets.count(t) > 1})
    if doubled:
        raise ValueError(f"column_map maps several file columns to {doubled}")

    mapping = dict(explicit)
    claimed = set(mapping.values())
    for canonical in CANONICAL_COLUMNS:
        if canonical in claimed:
            continue
        for candidate in (canonical, *KNOWN_ALIASES.get(canonical, ())):
            if candidate in found and candidate not in mapping:
                mapping[candidate] = canonical
                claimed.add(canonical)
                break

    missing = [c for c in REQUIRED_COLUMNS if c not in claimed]
    if missing:
        raise ValueError(
            f"cannot find required column(s) {missing}; found columns {found}. "
            f"Pass column_map to name them, e.g. {_EXAMPLE_MAP}"
        )
    return mapping


def _examples(values: pd.Series, limit: int = 5) -> str:
    shown = [repr(v) for v in values.head(limit).tolist()]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(shown) + more


def _column_label(canonical: str, source: str) -> str:
    return f"{canonical!r}" if canonical == source else f"{canonical!r} (file column {source!r})"


def _to_id(values: pd.Series) -> pd.Series:
    """Text ids; whole-number floats (17850.0, as pandas reads a column with gaps) lose the .0."""
    if pd.api.types.is_float_dtype(values):
        finite = values.dropna()
        if (finite == np.floor(finite)).all():
            values = values.astype("Int64")
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    # A file written from a float column spells every id "17850.0": drop the ".0" when all do.
    present = text.dropna()
    if len(present) and present.str.fullmatch(r"\d+\.0+").all():
        text = text.str.replace(r"\.0+$", "", regex=True)
    return text


def _to_number(values: pd.Series, label: str) -> pd.Series:
    parsed = pd.to_numeric(values, errors="coerce")
    bad = values[parsed.isna() & values.notna()]
    if len(bad):
        raise ValueError(
            f"column {label} has {len(bad)} value(s) that are not numbers: {_examples(bad)}"
        )
    return parsed


def _to_datetime(values: pd.Series, label: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        parsed = pd.to_datetime(values, errors="coerce")
        if (parsed.isna() & values.notna()).any():
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = values[parsed.isna() & values.notna()]
    if len(bad):
        raise ValueError(
            f"column {label} has {len(bad)} value(s) that are not dates: {_examples(bad)}"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def to_canonical(
    df: pd.DataFrame, column_map: Mapping[str, str] | str | None = None
) -> pd.DataFrame:
    """Map and type a raw transaction table to the canonical schema.

    Parameters
    ----------
    df
        Raw transaction lines, one row per invoice line. Not modified.
    column_map
        ``{"file column": "canonical column"}``, a dict or JSON text; see
        :func:`resolve_column_map`.

    Returns
    -------
    pandas.DataFrame
        A new frame with the canonical columns (optional ones when present),
        in canonical order, typed as in the module docstring.

    Raises
    ------
    ValueError
        For missing or unmappable columns, missing values in a required column
        other than ``customer_id``, and values that are not numbers or dates.
        The message names the column and shows offending values.

    Examples
    --------
    >>> raw = pd.DataFrame({"Invoice": ["1"], "StockCode": ["A"], "Quantity": [2],
    ...                     "Price": [1.5], "InvoiceDate": ["2024-01-02 10:00"],
    ...                     "Customer ID": [7.0]})
    >>> to_canonical(raw)[["customer_id", "unit_price"]].to_dict("records")
    [{'customer_id': '7', 'unit_price': 1.5}]
    """
    require_frame(df, "transactions")
    mapping = resolve_column_map(list(df.columns), column_map)
    source_of = {canonical: source for source, canonical in mapping.items()}
    out = {}
    for canonical in CANONICAL_COLUMNS:
        if canonical not in source_of:
            continue
        source = source_of[canonical]
        label = _column_label(canonical, source)
        values = df[source]
        if canonical in ID_COLUMNS:
            converted = _to_id(values)
        elif canonical == "quantity":
            converted = _to_number(values, label)
            finite = converted.dropna()
            if (finite == np.floor(finite)).all() and not converted.isna().any():
                converted = converted.astype("int64")
        elif canonical == "unit_price":
            converted = _to_number(values, label).astype("float64")
        elif canonical == "timestamp":
            converted = _to_datetime(values, label)
        else:
            converted = values.astype("string")
        if canonical in REQUIRED_COLUMNS and canonical != "customer_id":
            n_missing = int(converted.isna().sum())
            if n_missing:
                raise ValueError(
                    f"column {label} has {n_missing} missing value(s); "
                    "every line needs an invoice, item, quantity, unit price and timestamp"
                )
        out[canonical] = converted.reset_index(drop=True)
    return pd.DataFrame(out)


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
            f"cannot read {path.name!r}: supported file types are .csv, .tsv "
            "(optionally compressed) and .parquet"
        )
    return _read_csv_file(path, sep, {c: "string" for c in id_sources})


def load_transactions(
    path: str | Path, column_map: Mapping[str, str] | str | None = None
) -> pd.DataFrame:
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
        non-product lines are still in; see :func:`shopai_lab.cleaning.clean_transactions`.

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
            f"sessions file {path.name!r} is missing column(s) {missing}; "
            f"found columns {list(sessions.columns)}"
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
        and ``T`` (weeks) and ``monetary`` (mean value of repeat purchases, USD).

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
        raise ValueError(
            f"CDNOW summary {path.name!r} is missing column(s) {missing}; found {list(raw.columns)}"
        )
    summary = raw.rename(
        columns={"ID": "customer_id", "x": "frequency", "t_x": "recency", "zbar": "monetary"}
    ).set_index("customer_id")
    return summary[["frequency", "recency", "T", "monetary"]]


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
        numeric_or_time = pd.api.types.is_numeric_dtype(
            values
        ) or pd.api.types.is_datetime64_any_dtype(values)
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
