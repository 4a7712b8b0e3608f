"""Maximum-likelihood fitting shared by the customer-value models.
"""

from __future__ import annotations

import numpy as np
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
    result = minimize(negloglik, np.zeros(n_params), method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": max_iter})
    if not result.success:
        result = minimize(negloglik, result.x, method="Nelder-Mead", bounds=bounds,
                          options={"maxiter": max_iter, "xatol": 1e-7, "fatol": 1e-10})
    if not result.success or not np.isfinite(result.fun):
        raise ConvergenceError(f"maximum likelihood did not converge: {result.message}")
    return np.exp(result.x), np.abs(result.x) > _LOG_BOUND - 1.0


def _nbd_loglik(r: float, alpha: float, x, t_age) -> np.ndarray:
    """Log-likelihood of the NBD (the BG/NBD without dropout) for counts x over ages T."""
    return gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + t_age)
