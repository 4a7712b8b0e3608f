"""Model explanations: partial dependence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_frame,
    require_positive_int,
)


def partial_dependence(model, X: pd.DataFrame, feature: str, grid_size: int = 20) -> pd.DataFrame:
    """Average predicted probability when ``feature`` is set to each grid value for every row of ``X``.

    Numeric features use ``grid_size`` quantiles (5% to 95%); others their
    distinct values. Written out (rather than scikit-learn's display) so that
    mixed-type session tables work as they are.

    Parameters
    ----------
    model
        A fitted classifier with ``predict_proba``.
    X
        The rows to average over (not modified).
    feature
        The column to vary.
    grid_size
        Number of quantiles of a numeric feature.

    Returns
    -------
    pandas.DataFrame
        ``value`` and ``mean_probability`` per grid point.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"pages": [1.0, 2.0, 3.0, 4.0]})
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> pdp = partial_dependence(model, X, "pages", grid_size=3)
    >>> pdp["value"].round(2).tolist(), bool(pdp["mean_probability"].is_monotonic_increasing)
    ([1.15, 2.5, 3.85], True)
    """
    require_frame(X, "X")
    grid_size = require_positive_int(grid_size, "grid_size")
    if not hasattr(model, "predict_proba"):
        raise TypeError(f"model must have predict_proba (a fitted classifier), got {type(model).__name__}")
    if len(X) == 0:
        raise ValueError("X is empty: it has no rows")
    if feature not in X.columns:
        raise ValueError(f"feature {feature!r} is not a column of X; found {list(X.columns)}")
    column = X[feature]
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        grid = np.unique(np.quantile(column.to_numpy(dtype=float), np.linspace(0.05, 0.95, grid_size)))
    else:
        grid = np.array(sorted(column.unique(), key=str), dtype=object)
    rows = []
    for value in grid:
        changed = X.copy()
        changed[feature] = value
        rows.append({"value": value, "mean_probability": float(model.predict_proba(changed)[:, 1].mean())})
    return pd.DataFrame(rows)
