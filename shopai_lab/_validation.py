"""Small input checks shared by the public functions.

Every check raises ``ValueError`` or ``TypeError`` whose message names the
parameter, column or value at fault, so a notebook user sees what to fix
instead of a traceback from deep inside pandas.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import pandas as pd


def require_frame(df: Any, name: str) -> pd.DataFrame:
    """Raise ``TypeError`` unless ``df`` is a DataFrame."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    return df


def require_columns(df: Any, columns: Iterable[str], name: str) -> pd.DataFrame:
    """Raise unless ``df`` is a DataFrame holding every column in ``columns``.

    The message lists the missing columns and the columns that were found.
    """
    require_frame(df, name)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; found columns {list(df.columns)}"
        )
    return df


def require_not_empty(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Raise ``ValueError`` when ``df`` has no rows."""
    if len(df) == 0:
        raise ValueError(f"{name} is empty: it has no rows")
    return df


def require_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise when it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if int(value) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def require_datetime(df: pd.DataFrame, column: str, name: str) -> None:
    """Raise unless ``df[column]`` has a datetime dtype."""
    if not pd.api.types.is_datetime64_any_dtype(df[column]):
        raise TypeError(
            f"{name}[{column!r}] must be datetime64, got {df[column].dtype}; "
            "load the data with shopai_lab.datasets.load_transactions or convert "
            "it with pandas.to_datetime"
        )


def to_timestamp(value: Any, name: str) -> pd.Timestamp:
    """Parse ``value`` into a ``pandas.Timestamp`` or raise naming ``name``."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} could not be read as a date: {value!r}") from exc
    if ts is pd.NaT:
        raise ValueError(f"{name} could not be read as a date: {value!r}")
    return ts
