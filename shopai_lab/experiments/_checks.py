"""Input checks of the experiments domain (candidates for ``shopai_lab._validation``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from shopai_lab import _validation


def as_treatment(treatment: Any, n: int | None = None, name: str = "treatment", min_per_arm: int = 2) -> np.ndarray:
    """``treatment`` as a boolean array (True = treated); 0/1 and booleans are accepted.

    Raises when the length differs from ``n`` or an arm has fewer than ``min_per_arm`` units.
    """
    array = np.asarray(treatment)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {array.shape}")
    if array.dtype != bool:
        try:
            numeric = array.astype(float)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must hold booleans or 0/1, got dtype {array.dtype}") from exc
        if not np.isin(numeric, (0.0, 1.0)).all():
            raise ValueError(f"{name} must hold booleans or 0/1 only")
        array = numeric.astype(bool)
    if n is not None and len(array) != n:
        raise ValueError(f"{name} has {len(array)} values but the metric has {n}; the arrays must be equal")
    treated = int(array.sum())
    if min(treated, len(array) - treated) < min_per_arm:
        raise ValueError(
            f"{name} has {treated} treated and {len(array) - treated} control units; "
            f"each arm needs at least {min_per_arm}"
        )
    return array.copy()


def as_treatment_matrix(treatment: Any, n: int, name: str = "splits") -> np.ndarray:
    """A boolean (splits x units) matrix; a 1-D assignment becomes one row."""
    array = np.asarray(treatment)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != n:
        raise ValueError(f"{name} must have shape (n_splits, {n}), got {array.shape}")
    if array.dtype != bool:
        array = array.astype(float)
        if not np.isin(array, (0.0, 1.0)).all():
            raise ValueError(f"{name} must hold booleans or 0/1 only")
        array = array.astype(bool)
    treated = array.sum(axis=1)
    if (np.minimum(treated, n - treated) < 2).any():
        raise ValueError(f"every row of {name} needs at least 2 treated and 2 control units")
    return array


def require_alpha(alpha: Any, name: str = "alpha") -> float:
    """Return ``alpha`` as a float strictly between 0 and 1, or raise naming ``name``."""
    return _validation.require_probability(alpha, name)


def as_float_array(values: Any, name: str, ndim: int = 1) -> np.ndarray:
    """``values`` as a non-empty float array of ``ndim`` dimensions without NaN or infinity (a copy)."""
    return _validation.as_float_array(values, name, ndim=ndim, allow_empty=False)


def require_same_length(name_a: str, a: Any, name_b: str, b: Any) -> None:
    """Raise when ``a`` and ``b`` have different lengths."""
    _validation.require_same_length(**{name_a: a, name_b: b})
