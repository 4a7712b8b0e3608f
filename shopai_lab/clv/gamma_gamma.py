"""The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import gammaln
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    as_float_array,
    require_positive_int,
    require_same_length,
)
from shopai_lab.clv.fitting import IdentificationWarning, _fit
from shopai_lab.clv.summary import _check_summary


class GammaGammaModel(BaseEstimator):
    """Gamma-Gamma model of spend per purchase, fitted on customers with repeat purchases.

    Parameters
    ----------
    max_iter : int, default 2000
        Iterations allowed to the L-BFGS-B optimiser.

    Attributes
    ----------
    params_ : dict
        ``p`` (shape of a purchase's value), ``q`` and ``gamma`` (Gamma
        distribution of the value scale across customers).
    loglik_ : float
    n_customers_ : int
    boundary_ : list of str

    Examples
    --------
    >>> from shopai_lab.data import load_cdnow_summary
    >>> model = GammaGammaModel().fit(load_cdnow_summary())
    >>> {k: round(v, 2) for k, v in model.params_.items()}  # published: 6.25, 3.74, 15.44
    {'p': 6.25, 'q': 3.74, 'gamma': 15.45}
    """

    param_names = ("p", "q", "gamma")

    def __init__(self, *, max_iter: int = 2000) -> None:
        self.max_iter = max_iter

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        if not hasattr(self, "loglik_"):
            return super().__repr__(N_CHAR_MAX)
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        edge = f", at edge: {self.boundary_}" if self.boundary_ else ""
        return f"GammaGammaModel({shown}, loglik={self.loglik_:.1f}, n={self.n_customers_:,}{edge})"

    @staticmethod
    def loglikelihood(params, frequency, monetary_value) -> np.ndarray:
        """Log-likelihood of each customer's mean spend ``monetary_value`` over ``frequency`` purchases."""
        p, q, gamma = (float(v) for v in params)
        x = np.asarray(frequency, dtype=float)
        m = np.asarray(monetary_value, dtype=float)
        return (
            gammaln(p * x + q)
            - gammaln(p * x)
            - gammaln(q)
            + q * np.log(gamma)
            + (p * x - 1) * np.log(m)
            + p * x * np.log(x)
            - (p * x + q) * np.log(gamma + x * m)
        )

    def fit(self, summary: pd.DataFrame, y: None = None) -> GammaGammaModel:
        """Fit on the rows of ``summary`` with ``frequency > 0``.

        Parameters
        ----------
        summary : pandas.DataFrame
            ``frequency`` and ``monetary_value`` per customer (:func:`summarize_customers`).
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        GammaGammaModel
            ``self``, fitted.
        """
        _check_summary(summary, ["frequency", "monetary_value"])
        require_positive_int(self.max_iter, "max_iter")
        as_float_array(summary["frequency"], "summary['frequency']", low=0, whole=True)
        repeat = summary[summary["frequency"] > 0]
        if len(repeat) < 3:
            raise ValueError(f"Gamma-Gamma needs customers with repeat purchases; summary has {len(repeat)}")
        x = repeat["frequency"].to_numpy(dtype=float)
        m = repeat["monetary_value"].to_numpy(dtype=float)
        if not np.isfinite(m).all() or (m <= 0).any():
            raise ValueError(
                f"summary['monetary_value'] must be positive for customers with repeat purchases; "
                f"{int((~np.isfinite(m) | (m <= 0)).sum())} are not"
            )

        def negloglik(log_params: np.ndarray) -> float:
            return -float(np.mean(self.loglikelihood(np.exp(log_params), x, m)))

        params, edge = _fit(negloglik, 3, self.max_iter)
        self.params_ = dict(zip(self.param_names, (float(v) for v in params)))
        self.loglik_ = float(np.sum(self.loglikelihood(params, x, m)))
        self.n_customers_ = len(repeat)
        self.boundary_ = [name for name, flag in zip(self.param_names, edge) if flag]
        if self.boundary_:
            warnings.warn(
                f"GammaGammaModel: {self.boundary_} ran to the edge of the search and are not identified by the data",
                IdentificationWarning,
                stacklevel=2,
            )
        return self

    def expected_spend(self, frequency, monetary_value) -> np.ndarray:
        """Expected value of a customer's future purchases (Fader & Hardie 2013, eq. 5).

        A weighted mean of the population mean ``p * gamma / (q - 1)`` and the
        customer's observed mean, the weight on the observed mean growing with
        the number of purchases. Customers without repeats get the population mean.

        Examples
        --------
        >>> model = GammaGammaModel()
        >>> model.params_ = {"p": 6.0, "q": 4.0, "gamma": 15.0}
        >>> model.expected_spend([0, 10], [0.0, 40.0]).round(2).tolist()
        [30.0, 39.52]
        """
        check_is_fitted(self, "params_")
        p, q, gamma = (self.params_[k] for k in self.param_names)
        if q <= 1:
            raise ValueError(f"the population mean spend is infinite when q <= 1 (q = {q:.3f})")
        x = as_float_array(frequency, "frequency", ndim=None, low=0, whole=True)
        m = as_float_array(monetary_value, "monetary_value", ndim=None)
        if x.shape != m.shape and x.ndim and m.ndim:
            require_same_length(frequency=x.ravel(), monetary_value=m.ravel())
        m = np.where(x > 0, m, 0.0)
        return p * (gamma + x * m) / (p * x + q - 1)
