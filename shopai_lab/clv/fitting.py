"""Maximum-likelihood fitting shared by the customer-value models: the optimiser, its errors and warnings, and
:func:`fit_and_note`, which shows a fitted model's identification warnings as notes."""

from __future__ import annotations

import warnings
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln


class ConvergenceError(RuntimeError):
    """The maximum-likelihood optimiser did not converge."""


class IdentificationWarning(UserWarning):
    """The data do not pin down a model parameter (a ridge or the edge of the space)."""


_LOG_BOUND = 15.0


#: 5% critical value of the likelihood-ratio test of one parameter on the boundary of
#: its space (a 50:50 mixture of chi2(0) and chi2(1); Self & Liang 1987).
_BOUNDARY_LR_CRITICAL = 2.706


def _fit(negloglik, n_params: int, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``negloglik`` over log-parameters with L-BFGS-B (Nelder-Mead as a fallback).

    The search is bounded to ``exp(+-15)``. Returns the parameters and, per
    parameter, whether it ran to within a factor ``e`` of that edge.
    """
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * n_params
    result = minimize(negloglik, np.zeros(n_params), method="L-BFGS-B", bounds=bounds, options={"maxiter": max_iter})
    if not result.success:
        result = minimize(
            negloglik,
            result.x,
            method="Nelder-Mead",
            bounds=bounds,
            options={"maxiter": max_iter, "xatol": 1e-7, "fatol": 1e-10},
        )
    if not result.success or not np.isfinite(result.fun):
        raise ConvergenceError(f"maximum likelihood did not converge: {result.message}")
    return np.exp(result.x), np.abs(result.x) > _LOG_BOUND - 1.0


def _nbd_loglik(r: float, alpha: float, x, t_age) -> np.ndarray:
    """Log-likelihood of the NBD (the BG/NBD without dropout) for counts x over ages T."""
    return gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + t_age)


_Model = TypeVar("_Model")


def fit_and_note(model: _Model, summary: pd.DataFrame) -> _Model:
    """Fit ``model`` on ``summary`` and print, rather than hide, each :class:`IdentificationWarning`.

    For notebooks: a parameter the data do not pin down is part of the result, so it is shown as a
    ``Note:`` line under the cell instead of a warning box (or nothing, where warnings are filtered).

    Parameters
    ----------
    model : BetaGeoModel or GammaGammaModel
        An unfitted model.
    summary : pandas.DataFrame
        The customer summary to fit on (:func:`shopai_lab.clv.summarize_customers`).

    Returns
    -------
    model
        The same model, fitted.

    Examples
    --------
    >>> from shopai_lab.clv import BetaGeoModel, simulate_bgnbd
    >>> sim = simulate_bgnbd(2_000, r=0.8, alpha=8.0, a=1e-6, b=1e3, random_state=4)
    >>> model = fit_and_note(BetaGeoModel(), sim)  # doctest: +ELLIPSIS
    Note: BetaGeoModel: the data show no dropout ...
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IdentificationWarning)
        model.fit(summary)
    for warning in caught:
        if issubclass(warning.category, IdentificationWarning):
            print("Note:", warning.message)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return model
