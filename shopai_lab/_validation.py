"""The one set of input checks shared by the public functions.

Every check raises ``ValueError`` or ``TypeError`` whose message names the
parameter, column or value at fault, so a notebook user sees what to fix
instead of a traceback from deep inside pandas, numpy or scipy. Checks never
modify their input; the ones that convert return a new object.

Families covered: frames and columns (:func:`require_columns`,
:func:`require_numeric_columns`, :func:`require_datetime`,
:func:`require_transactions`), scalars (:func:`require_positive_int`,
:func:`require_number`, :func:`require_probability`), arrays
(:func:`as_float_array`, :func:`require_probabilities`,
:func:`require_same_length`); fitted state is checked by scikit-learn's ``check_is_fitted``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from shopai_lab.schema import REQUIRED_COLUMNS

#: Columns every canonical transaction frame carries (see :mod:`shopai_lab.schema`).
TRANSACTION_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS


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
        raise ValueError(f"{name} is missing column(s) {missing}; found columns {list(df.columns)}")
    return df


def require_not_empty(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Raise ``ValueError`` when ``df`` has no rows."""
    if len(df) == 0:
        raise ValueError(f"{name} is empty: it has no rows")
    return df


def _first_bad(values: pd.Series, bad: np.ndarray) -> str:
    position = int(np.flatnonzero(bad)[0])
    return f"{values.iloc[position]!r} (row {values.index[position]!r})"


def require_numeric_columns(
    df: pd.DataFrame, columns: Iterable[str], name: str, *, allow_nan: bool = True
) -> pd.DataFrame:
    """Raise ``TypeError`` unless each column in ``columns`` holds numbers.

    Text such as ``"£2.50"`` read from a file is the usual cause; the message
    names the column and shows the first value that is not a number. Infinite
    values are always rejected, missing values unless ``allow_nan``.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit_price": ["£2.50", "3.10"]})
    >>> require_numeric_columns(frame, ["unit_price"], "lines")
    Traceback (most recent call last):
    ...
    TypeError: lines['unit_price'] must be numeric, got dtype ...; first value that is not a number: '£2.50' ...
    """
    for column in columns:
        values = df[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            parsed = pd.to_numeric(values, errors="coerce")
            bad = (parsed.isna() & values.notna()).to_numpy()
            example = _first_bad(values, bad) if bad.any() else "none"
            raise TypeError(
                f"{name}[{column!r}] must be numeric, got dtype {values.dtype}; first value that "
                f"is not a number: {example}. Convert it with pandas.to_numeric after removing "
                "currency signs or thousands separators"
            )
        as_float = values.to_numpy(dtype=float, na_value=np.nan)
        bad = np.isinf(as_float) if allow_nan else ~np.isfinite(as_float)
        if bad.any():
            what = "infinite" if allow_nan else "missing or infinite"
            raise ValueError(f"{name}[{column!r}] has {what} values, e.g. {_first_bad(values, bad)}")
    return df


def require_datetime(df: pd.DataFrame, column: str, name: str) -> None:
    """Raise unless ``df[column]`` has a datetime dtype."""
    if not pd.api.types.is_datetime64_any_dtype(df[column]):
        raise TypeError(
            f"{name}[{column!r}] must be datetime64, got {df[column].dtype}; "
            "load the data with shopai_lab.data.loaders.load_transactions or convert "
            "it with pandas.to_datetime"
        )


def require_transactions(
    df: Any,
    name: str = "transactions",
    columns: Iterable[str] = TRANSACTION_COLUMNS,
    *,
    allow_empty: bool = True,
    allow_nan: bool = True,
) -> pd.DataFrame:
    """Check a frame of canonical transaction lines: columns present and typed.

    ``quantity``, ``unit_price`` and ``revenue`` (those of ``columns`` present)
    must be numeric (and, unless ``allow_nan``, not missing) and ``timestamp``
    datetime; missing ids are allowed (cleaning drops them). Returns ``df`` unchanged.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["1"], "invoice_id": ["5"], "item_id": ["A"],
    ...                       "quantity": [2], "unit_price": [1.5],
    ...                       "timestamp": pd.to_datetime(["2011-01-04"])})
    >>> require_transactions(lines) is lines
    True
    """
    columns = tuple(columns)
    require_columns(df, columns, name)
    if not allow_empty:
        require_not_empty(df, name)
    numeric = [c for c in ("quantity", "unit_price", "revenue") if c in columns or c in df.columns]
    require_numeric_columns(df, numeric, name, allow_nan=allow_nan)
    if "timestamp" in columns:
        require_datetime(df, "timestamp", name)
    return df


def require_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise when it is not an integer >= ``minimum``.

    A float such as ``2.7`` is refused (``TypeError``) rather than truncated.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if int(value) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def _describe_range(low: float | None, high: float | None, low_inclusive: bool, high_inclusive: bool) -> str:
    if high is None:
        return f"{'>=' if low_inclusive else '>'} {low:g}"
    if low is None:
        return f"{'<=' if high_inclusive else '<'} {high:g}"
    left, right = ("[" if low_inclusive else "("), ("]" if high_inclusive else ")")
    return f"in {left}{low:g}, {high:g}{right}"


def require_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite float within the given bounds, or raise naming ``name``.

    Examples
    --------
    >>> require_number(0.3, "margin", low=0, high=1, low_inclusive=False)
    0.3
    >>> require_number(1.5, "margin", low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: margin must be in [0, 1], got 1.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    too_high = high is not None and (number > high if high_inclusive else number >= high)
    if too_low or too_high:
        raise ValueError(f"{name} must be {_describe_range(low, high, low_inclusive, high_inclusive)}, got {value!r}")
    return number


def require_probability(value: Any, name: str, *, open_interval: bool = True) -> float:
    """Return ``value`` as a float in (0, 1) (or [0, 1] when not ``open_interval``)."""
    return require_number(value, name, low=0, high=1, low_inclusive=not open_interval, high_inclusive=not open_interval)


def as_float_array(
    values: Any,
    name: str,
    *,
    ndim: int | None = 1,
    allow_nan: bool = False,
    allow_inf: bool = False,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    whole: bool = False,
    allow_empty: bool = True,
) -> np.ndarray:
    """``values`` as a new float array, or a ``TypeError``/``ValueError`` naming ``name``.

    Rejects text (also numbers written as text), infinite values, (unless
    ``allow_nan``) missing values, values outside ``low``/``high``, non-whole
    values when ``whole`` and no values unless ``allow_empty``.

    Examples
    --------
    >>> as_float_array([1, 2.5], "price", low=0, low_inclusive=False).tolist()
    [1.0, 2.5]
    >>> as_float_array(["£2.50"], "price")
    Traceback (most recent call last):
    ...
    TypeError: price must hold numbers, got text such as '£2.50'
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must hold numbers, got text {values!r}")
    raw = values.to_numpy() if isinstance(values, (pd.Series, pd.Index, pd.DataFrame)) else values
    if isinstance(raw, np.ndarray):
        probe = raw
    else:
        try:
            probe = np.asarray(raw)
        except (TypeError, ValueError):
            probe = np.asarray(raw, dtype=object)
    if probe.dtype.kind in "OUSb" and probe.size:
        text = [
            v.item() if isinstance(v, np.generic) else v
            for v in probe.ravel()
            if isinstance(v, (str, bytes, bool, np.bool_))
        ]
        if text:
            raise TypeError(
                f"{name} must hold numbers, got text such as {text[0]!r}"
                if isinstance(text[0], (str, bytes))
                else f"{name} must hold numbers, got booleans such as {text[0]!r}"
            )
    try:
        array = np.array(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold numbers: {exc}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    bad = (np.zeros(array.shape, bool) if allow_inf else np.isinf(array)) | (
        np.zeros(array.shape, bool) if allow_nan else np.isnan(array)
    )
    if bad.any():
        first = array.ravel()[np.flatnonzero(bad.ravel())[0]]
        raise ValueError(f"{name} has {int(bad.sum())} missing (NaN) or infinite value(s), e.g. {first!r}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} is empty")
    finite = array[np.isfinite(array)]
    too_low = np.zeros(finite.shape, bool) if low is None else (finite < low if low_inclusive else finite <= low)
    too_high = np.zeros(finite.shape, bool) if high is None else (finite > high if high_inclusive else finite >= high)
    if too_low.any() or too_high.any():
        example = finite[too_low | too_high][0]
        raise ValueError(
            f"{name} must be {_describe_range(low, high, low_inclusive, high_inclusive)}; "
            f"{int((too_low | too_high).sum())} value(s) are not, e.g. {example!r}"
        )
    if whole and (finite != np.round(finite)).any():
        raise ValueError(f"{name} must be whole numbers, got e.g. {finite[finite != np.round(finite)][0]!r}")
    return array


def require_probabilities(values: Any, name: str) -> np.ndarray:
    """``values`` as a float array of probabilities in [0, 1]; raise naming ``name`` otherwise.

    Scores outside [0, 1] (logits, margins) are refused rather than clipped.
    """
    array = as_float_array(values, name)
    outside = (array < 0) | (array > 1)
    if outside.any():
        raise ValueError(
            f"{name} must be probabilities in [0, 1]; {int(outside.sum())} value(s) are outside, "
            f"e.g. {array[outside][0]!r} (logits or scores? pass predict_proba's column)"
        )
    return array


def require_same_length(**arrays: Any) -> int:
    """Raise ``ValueError`` unless every keyword argument has the same length; return it.

    Examples
    --------
    >>> require_same_length(y_true=[0, 1], y_score=[0.2, 0.4, 0.9])
    Traceback (most recent call last):
    ...
    ValueError: lengths differ: y_true has 2, y_score has 3 (they must have the same length)
    """
    lengths = {name: len(values) for name, values in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"lengths differ: {described} (they must have the same length)")
    return next(iter(lengths.values()), 0)


def require_one_of(value: Any, name: str, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``; raise ``ValueError`` listing them otherwise."""
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def to_timestamp(value: Any, name: str) -> pd.Timestamp:
    """Parse ``value`` into a ``pandas.Timestamp`` or raise naming ``name``."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} could not be read as a date: {value!r}") from exc
    if ts is pd.NaT:
        raise ValueError(f"{name} could not be read as a date: {value!r}")
    return ts


def require_no_missing(df: pd.DataFrame, columns: Iterable[str], name: str, hint: str = "") -> pd.DataFrame:
    """Raise ``ValueError`` naming the first column of ``columns`` with missing values."""
    for column in columns:
        missing = df[column].isna()
        if missing.any():
            extra = f"; {hint}" if hint else ""
            raise ValueError(f"{name}[{column!r}] has {int(missing.sum())} missing value(s){extra}")
    return df


def require_absent_columns(df: pd.DataFrame, columns: Iterable[str], name: str, reason: str) -> None:
    """Raise ``ValueError`` when ``df`` has any of ``columns``: a table of another kind was passed."""
    present = [c for c in columns if c in df.columns]
    if present:
        raise ValueError(f"{name} has column(s) {present}: {reason}")


def require_unique(values: Any, name: str) -> None:
    """Raise ``ValueError`` when ``values`` (an Index, Series or sequence) repeats a value."""
    index = pd.Index(values)
    if not index.is_unique:
        repeated = index[index.duplicated()].unique()[:5].tolist()
        raise ValueError(f"{name} has duplicated value(s) {repeated}: each must appear once")


def require_bool(value: Any, name: str) -> bool:
    """Return ``value`` if it is a bool (Python or numpy); ``TypeError`` naming ``name`` otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def require_string(value: Any, name: str, *, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a (non-empty) string; raise naming ``name`` otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    if not allow_empty and not value:
        raise ValueError(f"{name} must be a non-empty string")
    return value


def require_strings(values: Any, name: str) -> list[str]:
    """A list of strings from a sequence; a lone string is refused (it is not a list of names)."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list of names, got {values!r}")
    values = list(values)
    for value in values:
        if not isinstance(value, str):
            raise TypeError(f"{name} must hold strings, got {value!r}")
    return values


def require_instance(value: Any, kind: type | tuple[type, ...], name: str) -> Any:
    """Return ``value`` if it is an instance of ``kind``; ``TypeError`` naming ``name`` otherwise."""
    if not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise TypeError(f"{name} must be a {expected}, got {type(value).__name__}")
    return value


def require_seed(value: Any, name: str = "seed") -> Any:
    """Accept ``None``, an integer >= 0, a ``SeedSequence`` or a ``Generator`` as a seed."""
    if value is None or isinstance(value, (np.random.SeedSequence, np.random.Generator, np.random.RandomState)):
        return value
    return require_positive_int(value, name, minimum=0)


def require_binary(values: Any, name: str) -> np.ndarray:
    """``values`` as a float array of 0/1 labels (booleans allowed); raise naming ``name`` otherwise.

    Examples
    --------
    >>> require_binary([0, 1, 2], "y_true")
    Traceback (most recent call last):
    ...
    ValueError: y_true must be binary labels (0/1 or True/False), got values [0.0, 1.0, 2.0]
    """
    array = np.asarray(values)
    if array.dtype.kind == "b":
        array = array.astype(float)
    array = as_float_array(array, name)
    if not np.isin(array, (0.0, 1.0)).all():
        shown = np.unique(array)[:5].tolist()
        raise ValueError(f"{name} must be binary labels (0/1 or True/False), got values {shown}")
    return array


def as_index_array(
    values: Any, name: str, size: int, *, ndim: int | None = None, allow_padding: bool = False
) -> np.ndarray:
    """``values`` as an int64 array of positions in ``[0, size)`` (``-1`` too when ``allow_padding``).

    Floats, text and positions outside the range are refused with the bad value.

    Examples
    --------
    >>> as_index_array([[0, 7]], "recommended", size=5)
    Traceback (most recent call last):
    ...
    ValueError: recommended has position(s) outside 0..4, e.g. 7
    """
    array = np.asarray(values)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.size and (array.dtype.kind not in "iu"):
        raise TypeError(f"{name} must hold integer positions, got dtype {array.dtype}")
    array = array.astype(np.int64)
    low = -1 if allow_padding else 0
    bad = (array < low) | (array >= size)
    if bad.any():
        raise ValueError(f"{name} has position(s) outside 0..{size - 1}, e.g. {int(array[bad][0])}")
    return array


def file_error(path: Any, exc: BaseException) -> ValueError:
    """A ``ValueError`` naming the file ``path`` that could not be read, with the reader's reason."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ValueError(f"cannot read {str(path)!r} as a table: {type(exc).__name__}: {reason}")


def require_positive(value: Any, name: str) -> float:
    """Return ``value`` as a finite float > 0, or raise naming ``name``.

    Examples
    --------
    >>> require_positive(-1, "scale")
    Traceback (most recent call last):
    ...
    ValueError: scale must be a positive number, got -1
    """
    number = require_number(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return number


def require_non_negative(value: Any, name: str) -> float:
    """Return ``value`` as a finite float >= 0, or raise naming ``name``."""
    return require_number(value, name, low=0)


def require_numeric_frame(X: Any, name: str) -> pd.DataFrame:
    """Raise unless ``X`` is a non-empty DataFrame of finite numbers (booleans refused).

    Examples
    --------
    >>> require_numeric_frame(pd.DataFrame({"a": [1.0], "b": ["x"]}), "X")
    Traceback (most recent call last):
    ...
    TypeError: X must hold numeric columns only; column(s) ['b'] are not numeric
    """
    require_frame(X, name)
    require_not_empty(X, name)
    bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])]
    if bad:
        raise TypeError(f"{name} must hold numeric columns only; column(s) {bad} are not numeric")
    values = X.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        column = X.columns[np.flatnonzero(~np.isfinite(values).all(axis=0))[0]]
        raise ValueError(f"{name}[{column!r}] has missing or infinite values")
    return X
