"""The one set of input checks shared by the public functions.

Every check raises ``ValueError`` or ``TypeError`` whose message names the
parameter, column or value at fault, so a notebook user sees what to fix
instead of a traceback from deep inside pandas, numpy or scipy. Checks never
modify their input; the ones that convert return a new object.

Families covered: frames and columns (:func:`require_columns`,
:func:`require_numeric_columns`, :func:`require_numeric_frame`, :func:`require_datetime`,
:func:`require_ordered_index`, :func:`require_transactions`), scalars
(:func:`require_positive_int`, :func:`require_number`, :func:`require_probability`,
:func:`require_bool`, :func:`require_string`, :func:`require_pattern`), arrays
(:func:`as_float_array`, :func:`require_probabilities`, :func:`require_same_length`),
labels versus scores (:func:`as_bool_array`, :func:`require_binary`: scores or
probabilities passed where 0/1 labels belong are refused, never cast), lists and
texts (:func:`require_strings`, :func:`require_texts`, :func:`require_labels`: a lone
string is refused, a missing label is not the label ``"None"``); fitted state is
checked by scikit-learn's ``check_is_fitted``. Domains keep only checks that are
genuinely theirs (a demand panel, a treatment assignment) and build them from these.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Sequence
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
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    too_high = high is not None and (number > high if high_inclusive else number >= high)
    if too_low or too_high:
        raise ValueError(f"{name} must be {_describe_range(low, high, low_inclusive, high_inclusive)}, got {value!r}")
    return number


def require_probability(value: Any, name: str, *, allow_zero: bool = False, allow_one: bool = False) -> float:
    """Return ``value`` as a float in (0, 1), or raise naming ``name``.

    ``allow_zero`` and ``allow_one`` close the interval at either end: a share of
    traffic is in (0, 1), a target accuracy in (0, 1], a mixing weight in [0, 1].

    Examples
    --------
    >>> require_probability(1.0, "target_accuracy", allow_one=True)
    1.0
    >>> require_probability(1.0, "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be in (0, 1), got 1.0
    """
    return require_number(value, name, low=0, high=1, low_inclusive=allow_zero, high_inclusive=allow_one)


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


def require_broadcastable(**arrays: np.ndarray) -> tuple[int, ...]:
    """Raise ``ValueError`` unless the arrays have one shape (or single numbers); return the common shape.

    Examples
    --------
    >>> require_broadcastable(mean=np.ones(2), std=np.ones(3))
    Traceback (most recent call last):
    ...
    ValueError: mean and std must have the same shape (or be single numbers), got (2,) and (3,)
    """
    try:
        return np.broadcast_shapes(*(np.shape(a) for a in arrays.values()))
    except ValueError:
        shapes = " and ".join(str(np.shape(a)) for a in arrays.values())
        raise ValueError(
            f"{' and '.join(arrays)} must have the same shape (or be single numbers), got {shapes}"
        ) from None


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


def require_texts(values: Any, name: str = "texts") -> list[str]:
    """``values`` as a list of non-empty strings (e.g. customers' messages); raise naming the first bad one.

    A lone string is refused (it would be read as a sequence of characters), and so are
    numbers, missing values and blank strings: a message of ``123`` is a data error, not text.

    Examples
    --------
    >>> require_texts(["where is my parcel", 123], "X")
    Traceback (most recent call last):
    ...
    TypeError: X[1] must be a string, got 123
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray, pd.Series, pd.Index)):
        raise TypeError(f"{name} must be a list, array or Series of strings, got {type(values).__name__}")
    texts = list(values)
    if not texts:
        raise ValueError(f"{name} is empty: it has no messages")
    for position, value in enumerate(texts):
        if not isinstance(value, str):
            raise TypeError(f"{name}[{position}] must be a string, got {value!r}")
        if not value.strip():
            raise ValueError(f"{name}[{position}] is an empty message")
    return texts


def require_labels(values: Any, name: str) -> np.ndarray:
    """``values`` as a 1-D object array of class labels with none missing (``None``, NaN, ``pd.NA``).

    A missing prediction is not the label ``"None"``: it is refused, naming the first position.

    Examples
    --------
    >>> require_labels(["a", None], "y_pred")
    Traceback (most recent call last):
    ...
    ValueError: y_pred has 1 missing label(s), first at position 1
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list, array or Series of labels, got the single string {values!r}")
    array = np.asarray(values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else list(values), dtype=object)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    missing = pd.isna(array)
    if missing.any():
        raise ValueError(
            f"{name} has {int(missing.sum())} missing label(s), first at position {int(np.flatnonzero(missing)[0])}"
        )
    return array


def require_pattern(value: Any, name: str) -> str | None:
    """``value`` as a valid regular expression, or ``None`` (``""`` also means no pattern).

    Examples
    --------
    >>> require_pattern(r"POST|DOT", "non_product_pattern")
    'POST|DOT'
    >>> require_pattern("(POST", "non_product_pattern")
    Traceback (most recent call last):
    ...
    ValueError: non_product_pattern is not a valid regular expression: missing ), ...
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a regular expression (a string) or None, got {type(value).__name__}")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{name} is not a valid regular expression: {exc}") from None
    return value


def require_hidden_layers(value: Any, name: str = "hidden_layers") -> tuple[int, ...]:
    """``value`` as a non-empty tuple of layer sizes >= 1; floats are refused, not truncated.

    Examples
    --------
    >>> require_hidden_layers([32, 16])
    (32, 16)
    >>> require_hidden_layers(32)
    Traceback (most recent call last):
    ...
    TypeError: hidden_layers must be a sequence of layer sizes, got 32
    """
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence of layer sizes, got {value!r}")
    layers = tuple(require_positive_int(n, f"{name} entries") for n in value)
    if not layers:
        raise ValueError(f"{name} must name at least one layer size")
    return layers


def require_callable(value: Any, name: str) -> Any:
    """Return ``value`` if it can be called; ``TypeError`` naming ``name`` otherwise."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {type(value).__name__}")
    return value


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


def as_bool_array(values: Any, name: str, *, ndim: int | None = 1, allow_empty: bool = True) -> np.ndarray:
    """``values`` as a new boolean array of labels; booleans and 0/1 numbers are accepted.

    Anything else is refused rather than cast: ``np.asarray(scores, dtype=bool)`` would turn
    every non-zero score or probability into True, so probabilities or scores passed
    where labels belong give an answer instead of an error.

    Examples
    --------
    >>> as_bool_array([0, 1, 1.0], "is_anomaly").tolist()
    [False, True, True]
    >>> as_bool_array([0.2, 0.9], "selected")
    Traceback (most recent call last):
    ...
    ValueError: selected must be binary labels (0/1 or True/False), got values [0.2, 0.9] (scores or ...
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must hold labels 0/1 or True/False, got text {values!r}")
    raw = values.to_numpy() if isinstance(values, (pd.Series, pd.Index, pd.DataFrame)) else values
    array = np.asarray(raw)
    if array.dtype.kind == "b":
        array = array.copy()
        if ndim is not None and array.ndim != ndim:
            raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
        if not allow_empty and array.size == 0:
            raise ValueError(f"{name} is empty")
        return array
    numbers = as_float_array(raw, name, ndim=ndim, allow_empty=allow_empty)
    if not np.isin(numbers, (0.0, 1.0)).all():
        shown = np.unique(numbers)[:5].tolist()
        hint = " (scores or probabilities? threshold them first)" if ((numbers > 0) & (numbers < 1)).any() else ""
        raise ValueError(f"{name} must be binary labels (0/1 or True/False), got values {shown}{hint}")
    return numbers.astype(bool)


def require_binary(values: Any, name: str) -> np.ndarray:
    """``values`` as a float array of 0/1 labels (booleans allowed); raise naming ``name`` otherwise.

    Examples
    --------
    >>> require_binary([0, 1, 2], "y_true")
    Traceback (most recent call last):
    ...
    ValueError: y_true must be binary labels (0/1 or True/False), got values [0.0, 1.0, 2.0]
    """
    return as_bool_array(values, name).astype(float)


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


def require_numeric_frame(X: Any, name: str, *, low: float | None = None) -> pd.DataFrame:
    """Raise unless ``X`` is a non-empty DataFrame of finite numbers (booleans refused), all >= ``low``.

    Columns must be unique (a repeated name hides which column is meant).

    Examples
    --------
    >>> require_numeric_frame(pd.DataFrame({"a": [1.0], "b": ["x"]}), "X")
    Traceback (most recent call last):
    ...
    TypeError: X must hold numeric columns only; column(s) ['b'] are not numeric
    """
    require_frame(X, name)
    require_not_empty(X, name)
    if X.shape[1] == 0:
        raise ValueError(f"{name} has no columns")
    require_unique(X.columns, f"{name}'s columns")
    bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])]
    if bad:
        raise TypeError(f"{name} must hold numeric columns only; column(s) {bad} are not numeric")
    values = X.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        column = X.columns[np.flatnonzero(~np.isfinite(values).all(axis=0))[0]]
        raise ValueError(f"{name}[{column!r}] has missing or infinite values")
    if low is not None and (values < low).any():
        column = X.columns[np.flatnonzero((values < low).any(axis=0))[0]]
        raise ValueError(f"{name}[{column!r}] has values below {low:g}; every value must be >= {low:g}")
    return X


def require_ordered_index(df: Any, name: str, what: str = "rows") -> None:
    """Raise ``ValueError`` unless the index of ``df`` is strictly increasing (time order, no repeats).

    Examples
    --------
    >>> require_ordered_index(pd.DataFrame({"x": [1, 2]}, index=[2, 1]), "demand", "weeks")
    Traceback (most recent call last):
    ...
    ValueError: demand's weeks (index) must be in increasing order without repeats; got 2 before 1
    """
    index = df.index
    if index.is_monotonic_increasing and index.is_unique:
        return
    position = next(
        (i for i in range(1, len(index)) if not index[i - 1] < index[i]),
        1,
    )
    raise ValueError(
        f"{name}'s {what} (index) must be in increasing order without repeats; "
        f"got {index[position - 1]} before {index[position]}"
    )
