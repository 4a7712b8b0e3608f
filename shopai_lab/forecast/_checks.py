"""Input checks of the forecast domain (candidates for :mod:`shopai_lab._validation`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from shopai_lab._validation import require_frame, require_not_empty


def require_demand(demand: Any, name: str = "demand", min_length: int = 1) -> pd.DataFrame:
    """Check a weeks x products demand frame: numeric, finite, non-negative, long enough.

    Returns the frame as float64 (a copy when a conversion was needed); the
    caller's frame is never modified.
    """
    require_frame(demand, name)
    require_not_empty(demand, name)
    if demand.shape[1] == 0:
        raise ValueError(f"{name} has no products (no columns)")
    if not demand.columns.is_unique:
        raise ValueError(f"{name} has duplicate product columns")
    non_numeric = [c for c in demand.columns if not pd.api.types.is_numeric_dtype(demand[c])]
    if non_numeric:
        raise TypeError(f"{name} must hold numbers; column(s) {non_numeric[:5]} do not")
    values = demand.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        bad = demand.columns[~np.isfinite(values).all(axis=0)].tolist()
        raise ValueError(f"{name} has missing or infinite values in product(s) {bad[:5]}")
    if (values < 0).any():
        bad = demand.columns[(values < 0).any(axis=0)].tolist()
        raise ValueError(f"{name} has negative demand in product(s) {bad[:5]}; demand must be >= 0")
    if len(demand) < min_length:
        raise ValueError(f"{name} has {len(demand)} weeks of history; at least {min_length} are needed")
    return demand.astype(float)
