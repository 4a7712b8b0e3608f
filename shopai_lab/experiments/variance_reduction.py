"""Variance reduction with pre-experiment data: CUPED and regression adjustment.

Both use information that cannot have been changed by the treatment (the
pre-period), so they keep the estimand of the plain difference in means and
shrink its variance by the share of the outcome's variance the covariates
explain. CUPED (Deng, Xu, Kohavi & Walker 2013) uses one covariate and a theta
pooled over both arms; regression adjustment (ANCOVA) uses several, with
heteroskedasticity-robust (HC) standard errors, fitted by statsmodels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from shopai_lab._validation import as_float_array, require_columns, require_one_of, require_probability
from shopai_lab.experiments.assignment import as_treatment
from shopai_lab.experiments.estimators import (
    EffectEstimate,
    _estimand,
    _single,
    check_arrays,
    require_standard_error,
    welch_arrays,
    winsorize,
)

COV_TYPES = ("HC0", "HC1", "HC2", "HC3")


def cuped_arrays(Y: np.ndarray, x: np.ndarray, T: np.ndarray, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """CUPED for every row of the assignment matrix ``T``: Welch's test on ``Y - theta (x - mean x)``.

    ``theta = cov(Y, x) / var(x)`` is pooled over both arms (one theta per split),
    which keeps the adjusted difference unbiased under randomisation.
    """
    check_arrays(T, alpha, Y=Y, x=x)
    if np.asarray(x).ndim != 1:
        raise ValueError(f"x must be one covariate value per unit (1-dimensional), got shape {np.shape(x)}")
    xc = x - x.mean()
    sxx = float(xc @ xc)
    if Y.ndim == 1:
        theta = np.atleast_1d(((Y - Y.mean()) @ xc) / sxx)
        adjusted = Y - theta[0] * xc
    else:
        theta = ((Y - Y.mean(axis=1, keepdims=True)) @ xc) / sxx
        adjusted = Y - theta[:, None] * xc
    res = welch_arrays(adjusted, T, alpha)
    res["theta"] = theta
    return res


def _design(covariates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal basis of [1, covariates] and its leverages; raise if the columns are collinear."""
    Z = np.column_stack([np.ones(len(covariates)), covariates])
    Q, R = np.linalg.qr(Z)
    diag = np.abs(np.diag(R))
    if (diag <= 1e-10 * max(diag.max(), 1.0)).any():
        raise ValueError("covariates are collinear or constant (with the intercept); drop redundant columns")
    return Q, (Q * Q).sum(axis=1)


def regression_arrays(
    Y: np.ndarray, covariates: np.ndarray, T: np.ndarray, cov_type: str = "HC2", alpha: float = 0.05
) -> dict[str, np.ndarray]:
    """OLS of ``Y`` on treatment and covariates with HC standard errors, for every row of ``T``.

    Vectorised by the Frisch-Waugh-Lovell theorem: the treatment coefficient is
    the slope of ``Y`` on the treatment indicator residualised on
    ``[1, covariates]``, whose projection is shared by all splits; the sandwich
    variance of that one coefficient is ``sum(t_i^2 w_i e_i^2) / (sum t_i^2)^2``
    with HC weights ``w_i``. Same numbers as ``statsmodels`` OLS ``fit(cov_type=...)``
    (normal reference distribution, as statsmodels uses for robust covariances).
    """
    require_one_of(cov_type, "cov_type", COV_TYPES)
    n_units = check_arrays(T, alpha, Y=Y)
    covariates = np.asarray(covariates)
    if covariates.ndim not in (1, 2) or len(covariates) != n_units:
        raise ValueError(f"covariates must have {n_units} rows (one per unit of T), got shape {covariates.shape}")
    as_float_array(covariates, "covariates", ndim=None)
    Q, leverage = _design(covariates)
    n, k = Q.shape
    Tf = T.astype(float)
    Tt = Tf - (Tf @ Q) @ Q.T
    stt = (Tt * Tt).sum(axis=1)
    if Y.ndim == 1:
        Yt = Y - Q @ (Q.T @ Y)
        beta = (Tt @ Yt) / stt
        resid = Yt[None, :] - beta[:, None] * Tt
    else:
        Yt = Y - (Y @ Q) @ Q.T
        beta = (Tt * Yt).sum(axis=1) / stt
        resid = Yt - beta[:, None] * Tt
    e2 = resid * resid
    if cov_type in ("HC2", "HC3"):
        h = leverage[None, :] + Tt * Tt / stt[:, None]
        e2 = e2 / (1 - h) ** (1 if cov_type == "HC2" else 2)
    var = (Tt * Tt * e2).sum(axis=1) / stt**2
    if cov_type == "HC1":
        var = var * n / (n - k - 1)
    se = np.sqrt(var)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, beta / se, 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    crit = stats.norm.ppf(1 - alpha / 2)
    return {
        "estimate": beta,
        "se": se,
        "low": beta - crit * se,
        "high": beta + crit * se,
        "p_value": p,
        "statistic": z,
    }


def cuped(y: Any, pre: Any, treatment: Any, *, alpha: float = 0.05, cap: float | None = None) -> EffectEstimate:
    """CUPED estimate of the difference in means, adjusted by a pre-period metric.

    Parameters
    ----------
    y
        Outcome per unit in the experiment period.
    pre
        The same metric (or any covariate) per unit measured before the experiment.
    treatment
        Booleans or 0/1.
    alpha
        Significance level.
    cap
        Optional cap applied to ``y`` and ``pre`` (changes the estimand, see
        :func:`~shopai_lab.experiments.estimators.winsorize`).

    Returns
    -------
    EffectEstimate
        ``extra`` holds ``theta``, ``variance_reduction`` (``1 - var(adjusted) / var(y)``,
        which is ``corr(y, pre)^2``) and ``df``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> pre = rng.normal(size=2000)
    >>> y = pre + rng.normal(size=2000)
    >>> res = cuped(y, pre, np.arange(2000) % 2)
    >>> round(res.extra["variance_reduction"], 1)
    0.5
    """
    alpha = require_probability(alpha, "alpha")
    y = as_float_array(y, "y", allow_empty=False)
    x = as_float_array(pre, "pre", allow_empty=False)
    if len(x) != len(y):
        raise ValueError(f"pre has {len(x)} values but y has {len(y)}; the arrays must be equal")
    t = as_treatment(treatment, len(y))
    if cap is not None:
        y, x = winsorize(y, cap), winsorize(x, cap)
    if np.ptp(x) == 0:
        raise ValueError("pre is constant: it cannot reduce variance")
    res = cuped_arrays(y, x, t[None, :], alpha)
    theta = float(res["theta"][0])
    adjusted = y - theta * (x - x.mean())
    reduction = 1 - adjusted.var() / y.var() if y.var() > 0 else 0.0
    return _single(
        "cuped",
        _estimand("difference in means", cap),
        res,
        t,
        alpha,
        ("df",),
        outcome="y adjusted by pre",
        theta=theta,
        variance_reduction=float(reduction),
    )


def regression_adjustment(
    y: Any,
    covariates: Any,
    treatment: Any,
    *,
    cov_type: str = "HC2",
    alpha: float = 0.05,
    cap: float | None = None,
) -> EffectEstimate:
    """Difference in means adjusted for several pre-period covariates (OLS, HC-robust errors).

    Fits ``y ~ 1 + treatment + covariates`` with statsmodels and reports the
    treatment coefficient. With randomised treatment it estimates the same
    effect as the difference in means; HC errors keep the interval valid when
    the outcome's variance differs by arm or covariate (always, with revenue).

    Parameters
    ----------
    y
        Outcome per unit.
    covariates
        DataFrame or 2-D array, one row per unit, measured before the experiment.
    treatment
        Booleans or 0/1.
    cov_type
        ``"HC0"``-``"HC3"``. HC2 (default) is unbiased when the errors are homoskedastic and,
        without covariates, equals Welch's (Neyman's) variance, the choice recommended for
        randomised experiments (Lin 2013; Imbens & Kolesar 2016); HC1 (Stata's default) is
        anti-conservative with heavy tails and several covariates, HC3 conservative.
    alpha, cap
        Significance level and optional cap on ``y``.

    Returns
    -------
    EffectEstimate
        ``extra`` holds ``variance_reduction`` (``1 - se^2 / se_welch^2``) and ``r2``.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> X = rng.normal(size=(1000, 2))
    >>> t = np.arange(1000) % 2
    >>> y = X @ [1.0, 0.5] + 0.3 * t + rng.normal(size=1000)
    >>> res = regression_adjustment(y, X, t)
    >>> res.low < 0.3 < res.high
    True
    """
    alpha = require_probability(alpha, "alpha")
    require_one_of(cov_type, "cov_type", COV_TYPES)
    y = as_float_array(y, "y", allow_empty=False)
    X = as_float_array(covariates, "covariates", ndim=2, allow_empty=False)
    if len(X) != len(y):
        raise ValueError(f"covariates has {len(X)} rows but y has {len(y)}; the arrays must be equal")
    t = as_treatment(treatment, len(y))
    if cap is not None:
        y = winsorize(y, cap)
    _design(X)  # clear error on collinear covariates
    design = np.column_stack([np.ones(len(y)), t.astype(float), X])
    fit = sm.OLS(y, design).fit(cov_type=cov_type)
    beta, se = float(fit.params[1]), float(fit.bse[1])
    require_standard_error(se, "y after the covariates")
    low, high = (float(v) for v in fit.conf_int(alpha=alpha)[1])
    welch = welch_arrays(y, t[None, :], alpha)
    extra = {
        "variance_reduction": float(1 - se**2 / welch["se"][0] ** 2),
        "r2": float(fit.rsquared),
        "covariates": float(X.shape[1]),
    }
    return EffectEstimate(
        method=f"regression ({cov_type})",
        estimand=_estimand("difference in means", cap),
        estimate=beta,
        se=se,
        low=low,
        high=high,
        p_value=float(fit.pvalues[1]),
        alpha=alpha,
        n_control=int((~t).sum()),
        n_treatment=int(t.sum()),
        mean_control=float(y[~t].mean()),
        mean_treatment=float(y[t].mean()),
        extra=extra,
    )


def variance_reduction(results: pd.DataFrame, baseline: str = "welch") -> pd.Series:
    """Per method, the share of the ``baseline``'s variance of estimates across splits that the method removes.

    ``1 - var(estimates of method) / var(estimates of baseline)`` over the A/A splits of
    :func:`~shopai_lab.experiments.simulate.simulate_splits`: the honest measure of a variance reduction
    (worth a sample ``1 / (1 - r)`` times larger). Only methods with the baseline's estimand compare.

    Examples
    --------
    >>> res = pd.DataFrame({"method": ["welch"] * 3 + ["cuped"] * 3, "estimate": [1.0, -1, 0, 0.5, -0.5, 0]})
    >>> variance_reduction(res).round(2).to_dict()
    {'cuped': 0.75, 'welch': 0.0}
    """
    require_columns(results, ["method", "estimate"], "results")
    spread = results.groupby("method")["estimate"].var()
    if baseline not in spread.index:
        raise ValueError(f"baseline {baseline!r} is not among the methods {spread.index.tolist()}")
    if not spread[baseline] > 0:
        raise ValueError(f"the baseline {baseline!r} has no spread across splits: pass at least two splits")
    return (1 - spread / spread[baseline]).rename("variance reduction")


def explained_without_top(
    customers: pd.DataFrame, *, outcome: str = "revenue", pre: str = "pre_revenue", top_share: float = 0.01
) -> dict[str, float]:
    """CUPED's variance reduction in one analysis is the squared correlation of outcome and covariate: on all
    customers and without the ``top_share`` with the largest outcome (how much of the gain rests on them).

    Examples
    --------
    >>> rng = np.random.default_rng(0); x = rng.gamma(0.5, 100, 2000)
    >>> out = explained_without_top(pd.DataFrame({"revenue": x + rng.normal(0, 20, 2000), "pre_revenue": x}))
    >>> out["all"] > out["without_top"]
    True
    """
    require_columns(customers, [outcome, pre], "customers")
    share = require_probability(top_share, "top_share")
    y = as_float_array(customers[outcome], f"customers[{outcome!r}]", allow_empty=False)
    x = as_float_array(customers[pre], f"customers[{pre!r}]", allow_empty=False)
    rest = y < np.quantile(y, 1 - share)
    if rest.sum() < 3:
        raise ValueError(f"too few customers below the top {share:.1%} to compute a correlation")
    return {"all": float(np.corrcoef(y, x)[0, 1] ** 2), "without_top": float(np.corrcoef(y[rest], x[rest])[0, 1] ** 2)}
