"""Map a file's columns to the canonical schema and convert their types."""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from shopai_lab._validation import require_frame
from shopai_lab.schema import CANONICAL_COLUMNS, ID_COLUMNS, REQUIRED_COLUMNS

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
                f"column_map is not valid JSON: {column_map!r} ({exc.msg}); expected e.g. {_EXAMPLE_MAP}"
            ) from exc
    if not isinstance(column_map, Mapping):
        raise TypeError(
            f"column_map must be a mapping of file column -> canonical column, got "
            f"{type(column_map).__name__}; expected e.g. {_EXAMPLE_MAP}"
        )
    return {str(k): str(v) for k, v in column_map.items()}


def resolve_column_map(columns: list[str], column_map: Mapping[str, str] | str | None = None) -> dict[str, str]:
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
        is not canonical, when two file columns map to one target, when a
        required canonical column cannot be found, or when two known aliases of
        one column (``Price`` and ``UnitPrice``) are both in the file and neither
        the map nor a column with the canonical name says which one is meant.
        The message lists the columns that were found.

    Examples
    --------
    >>> resolve_column_map(["Invoice", "StockCode", "Quantity", "Price", "UnitPrice", "InvoiceDate", "Customer ID"])
    Traceback (most recent call last):
    ...
    ValueError: the file has both 'UnitPrice' and 'Price', known names of 'unit_price': say which one ...
    """
    explicit = parse_column_map(column_map)
    found = list(columns)
    _check_explicit_map(explicit, found)
    mapping = dict(explicit)
    claimed = set(mapping.values())
    for canonical in CANONICAL_COLUMNS:
        if canonical in claimed:
            continue
        candidates = [c for c in (canonical, *KNOWN_ALIASES.get(canonical, ())) if c in found and c not in mapping]
        if canonical not in candidates and len(candidates) > 1:
            both = " and ".join(repr(c) for c in candidates)
            raise ValueError(
                f"the file has both {both}, known names of {canonical!r}: say which one is meant with "
                f'column_map, e.g. {{"{candidates[0]}": "{canonical}"}}; found columns {found}'
            )
        if candidates:
            mapping[candidates[0]] = canonical
            claimed.add(canonical)

    missing = [c for c in REQUIRED_COLUMNS if c not in claimed]
    if missing:
        raise ValueError(
            f"cannot find required column(s) {missing}; found columns {found}. "
            f"Pass column_map to name them, e.g. {_EXAMPLE_MAP}"
        )
    return mapping


def _check_explicit_map(explicit: dict[str, str], found: list[str]) -> None:
    """Raise unless every entry of ``explicit`` maps a column of the file to a distinct canonical column."""
    unknown_sources = [src for src in explicit if src not in found]
    if unknown_sources:
        raise ValueError(
            f"column_map names column(s) {unknown_sources} that the file does not have; found columns {found}"
        )
    bad_targets = sorted({dst for dst in explicit.values() if dst not in CANONICAL_COLUMNS})
    if bad_targets:
        raise ValueError(
            f"column_map maps to unknown column(s) {bad_targets}; targets must be among {list(CANONICAL_COLUMNS)}"
        )
    targets = list(explicit.values())
    doubled = sorted({t for t in targets if targets.count(t) > 1})
    if doubled:
        raise ValueError(f"column_map maps several file columns to {doubled}")


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
        raise ValueError(f"column {label} has {len(bad)} value(s) that are not numbers: {_examples(bad)}")
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
        raise ValueError(f"column {label} has {len(bad)} value(s) that are not dates: {_examples(bad)}")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _convert(canonical: str, values: pd.Series, label: str) -> pd.Series:
    """``values`` of the file column that becomes ``canonical``, typed as the schema says."""
    if canonical in ID_COLUMNS:
        return _to_id(values)
    if canonical == "quantity":
        converted = _to_number(values, label)
        finite = converted.dropna()
        if (finite == np.floor(finite)).all() and not converted.isna().any():
            converted = converted.astype("int64")
        return converted
    if canonical == "unit_price":
        return _to_number(values, label).astype("float64")
    if canonical == "timestamp":
        return _to_datetime(values, label)
    return values.astype("string")


def to_canonical(df: pd.DataFrame, column_map: Mapping[str, str] | str | None = None) -> pd.DataFrame:
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
        converted = _convert(canonical, df[source], label)
        if canonical in REQUIRED_COLUMNS and canonical != "customer_id":
            n_missing = int(converted.isna().sum())
            if n_missing:
                raise ValueError(
                    f"column {label} has {n_missing} missing value(s); "
                    "every line needs an invoice, item, quantity, unit price and timestamp"
                )
        out[canonical] = converted.reset_index(drop=True)
    return pd.DataFrame(out)
