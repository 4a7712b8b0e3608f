"""Statistics shared by the domains: robust z-scores, forecast errors, empirical-Bayes shrinkage."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_same_length,
)


def robust_z(values: pd.Series | np.ndarray) -> np.ndarray:
    """Modified z-score of Iglewicz & Hoaglin (1993): ``0.6745 (x - median) / MAD``.

    A MAD of zero (more than half the values equal) gives z = 0 for values at
    the median and +/- inf elsewhere.

    Examples
    --------
    >>> robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0])).round(3).tolist()
    [-1.349, -0.674, 0.0, 0.674, 65.427]
    """
    x = as_float_array(values, "values", ndim=None, allow_nan=True)
    if x.size == 0 or np.isnan(x).all():
        return np.full(x.shape, np.nan)
    median = np.nanmedian(x)
    mad = np.nanmedian(np.abs(x - median))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = 0.6745 * (x - median) / mad
    return np.where(x == median, 0.0, z)


def holdout_metrics(actual, predicted) -> dict[str, float]:
    """How well individual predictions match holdout counts.

    Returns ``corr`` (Pearson), ``mae``, ``rmse``, and ``total_error``: the
    relative error of the predicted total, ``(sum(predicted) - sum(actual)) / sum(actual)``.

    Examples
    --------
    >>> holdout_metrics([0, 1, 3], [0.5, 1.0, 2.5])["total_error"]
    0.0
    """
    actual = as_float_array(actual, "actual", allow_nan=True)
    predicted = as_float_array(predicted, "predicted", allow_nan=True)
    require_same_length(actual=actual, predicted=predicted)
    if actual.shape != predicted.shape or actual.size < 2:
        raise ValueError("actual and predicted must have the same length, at least 2")
    if not (np.isfinite(actual).all() and np.isfinite(predicted).all()):
        raise ValueError("actual and predicted must be finite")
    error = predicted - actual
    return {
        "corr": float(np.corrcoef(actual, predicted)[0, 1]),
        "mae": float(np.abs(error).mean()),
        "rmse": float(np.sqrt((error**2).mean())),
        "total_error": float(error.sum() / actual.sum()) if actual.sum() else float("nan"),
    }


def shrink_estimates(estimates, std_errors, groups=None) -> pd.DataFrame:
    """Empirical-Bayes (normal-normal) pooling of noisy estimates towards their group mean.

    Within each group the true values are taken as ``N(mu, tau^2)``; ``mu`` and
    ``tau^2`` are estimated by the DerSimonian-Laird method of moments, and each
    estimate is shrunk to ``w * estimate + (1 - w) * mu`` with
    ``w = tau^2 / (tau^2 + se^2)``: noisy estimates move most.

    Parameters
    ----------
    estimates, std_errors
        One estimate and its standard error (> 0) per unit.
    groups
        Group label per unit; ``None`` pools all units as one group.

    Returns
    -------
    pandas.DataFrame
        ``estimate``, ``std_error``, ``group``, ``prior_mean``, ``prior_sd``,
        ``weight``, ``shrunk`` and ``posterior_sd`` (``sqrt(weight) * se``) per
        unit, in the input order.

    Examples
    --------
    >>> out = shrink_estimates([-1.0, -3.0, -2.0], [0.1, 2.0, 0.5])
    >>> bool(abs(out["shrunk"][1] - out["prior_mean"][1]) < abs(-3.0 - out["prior_mean"][1]))
    True
    """
    est = as_float_array(estimates, "estimates", ndim=None, allow_nan=True, allow_inf=True)
    se = as_float_array(std_errors, "std_errors", ndim=None, allow_nan=True, allow_inf=True)
    if est.shape != se.shape or est.ndim != 1 or est.size == 0:
        raise ValueError("estimates and std_errors must be 1-D, non-empty and of equal length")
    if not (np.isfinite(est).all() and np.isfinite(se).all()) or (se <= 0).any():
        raise ValueError("estimates must be finite and std_errors finite and positive")
    labels = np.zeros(est.size, dtype=int) if groups is None else np.asarray(groups)
    if labels.shape != est.shape:
        raise ValueError("groups must have one label per estimate")
    out = pd.DataFrame({"estimate": est, "std_error": se, "group": labels})
    prior_mean = np.empty(est.size)
    prior_sd = np.empty(est.size)
    for label in pd.unique(labels):
        rows = labels == label
        w = 1.0 / se[rows] ** 2
        fixed = (w * est[rows]).sum() / w.sum()
        q = (w * (est[rows] - fixed) ** 2).sum()
        denom = w.sum() - (w**2).sum() / w.sum()
        tau2 = max(0.0, (q - (rows.sum() - 1)) / denom) if denom > 0 else 0.0
        weights = 1.0 / (se[rows] ** 2 + tau2)
        prior_mean[rows] = (weights * est[rows]).sum() / weights.sum()
        prior_sd[rows] = np.sqrt(tau2)
    out["prior_mean"] = prior_mean
    out["prior_sd"] = prior_sd
    out["weight"] = prior_sd**2 / (prior_sd**2 + se**2)
    out["shrunk"] = out["weight"] * est + (1 - out["weight"]) * prior_mean
    out["posterior_sd"] = np.sqrt(out["weight"]) * se
    return out
