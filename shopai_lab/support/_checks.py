"""Input checks of the customer-service domain; generic checks delegate to :mod:`shopai_lab._validation`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from shopai_lab import _validation


def require_texts(texts: Any, name: str = "texts") -> list[str]:
    """Return ``texts`` as a list of non-empty strings, or raise naming the first bad entry.

    A single string is refused (it would be read as a sequence of characters).
    """
    if isinstance(texts, str) or not isinstance(texts, (Sequence, np.ndarray, pd.Series, pd.Index)):
        raise TypeError(f"{name} must be a list, array or Series of strings, got {type(texts).__name__}")
    values = list(texts)
    if not values:
        raise ValueError(f"{name} is empty: it has no messages")
    for position, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(f"{name}[{position}] must be a string, got {value!r}")
        if not value.strip():
            raise ValueError(f"{name}[{position}] is an empty message")
    return values


def require_probability(value: Any, name: str, *, open_low: bool = True) -> float:
    """Return ``value`` as a float in (0, 1] (or [0, 1] when ``open_low`` is False)."""
    return _validation.require_number(value, name, low=0, high=1, low_inclusive=not open_low)


def require_same_length(name_a: str, a: Any, name_b: str, b: Any) -> None:
    """Raise ``ValueError`` when ``a`` and ``b`` differ in length."""
    _validation.require_same_length(**{name_a: a, name_b: b})


def require_1d_numbers(values: Any, name: str) -> np.ndarray:
    """Return ``values`` as a finite 1-D float array, or raise naming ``name``."""
    if isinstance(values, (np.ndarray, pd.Series, list, tuple)) and np.asarray(values).dtype == bool:
        values = np.asarray(values, dtype=float)  # hit/miss flags are numbers here
    return _validation.as_float_array(values, name, allow_empty=False)
