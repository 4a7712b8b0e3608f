"""Statistics shared by the domains: robust z-scores, holdout errors, empirical-Bayes shrinkage,
and bootstrap intervals for comparing two models on the same customers, sessions or products."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_number,
    require_positive_int,
    require_same_length,
)


def robust_z(values: pd.Series | np.ndarray) -> np.ndarray:
    """Modified z-score of Iglewicz & Hoaglin (1993): ``0.6745 (x - median) / MAD``.

    A MAD of zero (more than half the values equal) gives z = 0 for values at
    the median and +/- inf elsewhere. Missing values (NaN: a value that cannot be
    scored, such as the log of 0) are left out of the median and MAD and get a
    missing z; infinite values are refused. No values give no z-scores.

    Examples
    --------
    >>> robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0])).round(3).tolist()
    [-1.349, -0.674, 0.0, 0.674, 65.427]
    """
    x = as_float_array(values, "values", allow_nan=True)
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
    ``corr`` is NaN when either side is constant (no correlation is defined) and
    ``total_error`` when the actual total is 0 (nothing to be relative to).

    Examples
    --------
    >>> holdout_metrics([0, 1, 3], [0.5, 1.0, 2.5])["total_error"]
    0.0
    """
    actual = as_float_array(actual, "actual")
    predicted = as_float_array(predicted, "predicted")
    if require_same_length(actual=actual, predicted=predicted) < 2:
        raise ValueError(f"actual and predicted must hold at least 2 values each, got {len(actual)}")
    error = predicted - actual
    constant = actual.std() == 0 or predicted.std() == 0
    return {
        "corr": float("nan") if constant else float(np.corrcoef(actual, predicted)[0, 1]),
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
    est = as_float_array(estimates, "estimates", allow_empty=False)
    se = as_float_array(std_errors, "std_errors", low=0, low_inclusive=False)
    require_same_length(estimates=est, std_errors=se)
    labels = np.zeros(est.size, dtype=int) if groups is None else np.asarray(groups)
    if labels.shape != est.shape:
        raise ValueError(f"groups must have one label per estimate ({est.size}), got shape {labels.shape}")
    missing = pd.isna(pd.Series(list(groups), dtype=object)).to_numpy() if groups is not None else labels < 0
    if missing.any():
        raise ValueError(f"groups has {int(missing.sum())} missing label(s); every estimate needs a group")
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


def _level(level: float) -> float:
    return require_number(level, "level", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)


def _interval(point: float, draws: np.ndarray, level: float) -> dict[str, float]:
    tail = (1 - level) / 2
    return {
        "difference": float(point),
        "low": float(np.quantile(draws, tail)),
        "high": float(np.quantile(draws, 1 - tail)),
    }


def bootstrap_mean(values, n_boot: int = 2000, level: float = 0.95, random_state: int | None = 0) -> dict[str, float]:
    """Mean of per-unit values (e.g. one nDCG per customer) with a percentile bootstrap interval.

    Returns ``mean``, ``low`` and ``high``.

    Examples
    --------
    >>> r = bootstrap_mean(np.r_[np.zeros(50), np.ones(50)], random_state=1)
    >>> r["mean"], bool(0.38 < r["low"] < 0.5 < r["high"] < 0.62)
    (0.5, True)
    """
    x = as_float_array(values, "values")
    if x.size == 0:
        raise ValueError("values must not be empty")
    n_boot = require_positive_int(n_boot, "n_boot")
    level = _level(level)
    rng = np.random.default_rng(random_state)
    means = x[rng.integers(0, len(x), size=(n_boot, len(x)))].mean(axis=1)
    out = _interval(x.mean(), means, level)
    return {"mean": out.pop("difference"), **out}


def paired_bootstrap(a, b, n_boot: int = 2000, level: float = 0.95, random_state: int | None = 0) -> dict[str, float]:
    """Mean of ``b - a`` over paired units with a percentile bootstrap interval.

    ``a`` and ``b`` hold one value per unit (customer, session, product) for two
    models evaluated on the same units; units are resampled with replacement, the
    same draw for both, so the interval reflects which units happened to be in the
    data. Say "b is better" only when ``low > 0`` (worse when ``high < 0``); see
    :func:`shopai_lab.report.compare`.

    Returns ``difference`` (the observed mean of ``b - a``), ``low`` and ``high``.

    Examples
    --------
    >>> r = paired_bootstrap(np.zeros(200), np.full(200, 0.1))
    >>> round(r["difference"], 3), r["low"] > 0
    (0.1, True)
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape or len(a) == 0:
        raise ValueError(f"a and b must be paired 1-D arrays of equal, non-zero length; got {a.shape} and {b.shape}")
    n_boot = require_positive_int(n_boot, "n_boot")
    level = _level(level)
    gain = b - a
    rng = np.random.default_rng(random_state)
    means = gain[rng.integers(0, len(gain), size=(n_boot, len(gain)))].mean(axis=1)
    return _interval(gain.mean(), means, level)


def paired_metric_bootstrap(
    metric: Callable[[np.ndarray, np.ndarray], float],
    y_true,
    pred_a,
    pred_b,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = 0,
    stratify: bool = False,
) -> dict[str, float]:
    """``metric(y, pred_b) - metric(y, pred_a)`` with a paired percentile bootstrap interval.

    For metrics that are not a mean over units (AUC, average precision, expected
    calibration error): rows are resampled with replacement, the same rows for both
    models, and the metric recomputed on each resample. ``stratify=True`` keeps the
    number of positives fixed (binary ``y_true``), so every resample has both classes.
    A metric where lower is better (log loss, ECE) is better for ``b`` when ``high < 0``.

    Returns ``difference``, ``low`` and ``high``.

    Examples
    --------
    >>> from sklearn.metrics import roc_auc_score
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(400) < 0.3
    >>> r = paired_metric_bootstrap(roc_auc_score, y, rng.random(400), y + rng.random(400), n_boot=200)
    >>> r["difference"] > 0.3 and r["low"] > 0
    True
    """
    if not callable(metric):
        raise TypeError(f"metric must be a function metric(y_true, prediction), got {type(metric).__name__}")
    y = np.asarray(y_true)
    a, b = np.asarray(pred_a), np.asarray(pred_b)
    require_same_length(y_true=y, pred_a=a, pred_b=b)
    if len(y) == 0:
        raise ValueError("y_true must not be empty")
    n_boot = require_positive_int(n_boot, "n_boot")
    level = _level(level)
    rng = np.random.default_rng(random_state)
    if stratify:
        positive = y.astype(bool)
        groups = [np.flatnonzero(positive), np.flatnonzero(~positive)]
    else:
        groups = [np.arange(len(y))]
    draws = np.empty(n_boot)
    for i in range(n_boot):
        rows = np.concatenate([rng.choice(g, len(g)) for g in groups if len(g)])
        draws[i] = metric(y[rows], b[rows]) - metric(y[rows], a[rows])
    return _interval(metric(y, b) - metric(y, a), draws, level)
