"""The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, hyp2f1
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    as_float_array,
    require_number,
    require_positive_int,
)
from shopai_lab.clv.fitting import _BOUNDARY_LR_CRITICAL, IdentificationWarning, _fit, _nbd_loglik
from shopai_lab.clv.summary import _check_summary, _summary_arrays


class BetaGeoModel(BaseEstimator):
    """BG/NBD model of repeat buying (Fader, Hardie & Lee 2005), fitted by maximum likelihood.

    Parameters
    ----------
    max_iter : int, default 2000
        Iterations allowed to the L-BFGS-B optimiser.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (purchase rate: Gamma shape and rate), ``a``, ``b``
        (dropout probability: Beta).
    loglik_ : float
        Log-likelihood at ``params_`` (sum over customers).
    n_customers_ : int
    boundary_ : list of str
        Parameters whose estimate ran to the edge of the search (``exp(+-15)``).
    dropout_lr_ : float
        Likelihood-ratio statistic of the BG/NBD against the NBD (no dropout).
    dropout_identified_ : bool
        Whether the data support dropout: ``dropout_lr_`` reaches the 5% critical
        value 2.706 of a boundary test. When not, ``a`` and ``b`` lie anywhere on
        a ridge with ``a / (a + b)`` near 0, predictions are those of the NBD,
        and an :class:`IdentificationWarning` is issued.

    Examples
    --------
    >>> from shopai_lab.data import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> model = BetaGeoModel().fit(cdnow)
    >>> {k: round(v, 3) for k, v in model.params_.items()}
    {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
    >>> round(model.loglik_, 1)
    -9582.4
    """

    param_names = ("r", "alpha", "a", "b")

    def __init__(self, *, max_iter: int = 2000) -> None:
        self.max_iter = max_iter

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        if not hasattr(self, "loglik_"):
            return super().__repr__(N_CHAR_MAX)
        if self.dropout_identified_:
            shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        else:  # a and b sit on a likelihood ridge: their digits are not estimates
            a, b = self.params_["a"], self.params_["b"]
            # Only "near 0" is an estimate: the digits of a point on the ridge change with the BLAS kernel.
            mean_dropout = "< 0.001" if a / (a + b) < 1e-3 else f"= {a / (a + b):.3f}"
            shown = (
                f"r={self.params_['r']:.4g}, alpha={self.params_['alpha']:.4g}, "
                f"dropout not identified (a / (a + b) {mean_dropout})"
            )
        return f"BetaGeoModel({shown}, loglik={self.loglik_:.1f}, n={self.n_customers_:,})"

    @staticmethod
    def loglikelihood(params, frequency, recency, T) -> np.ndarray:
        """Log-likelihood of each customer at ``params = (r, alpha, a, b)``.

        Written with log-gamma functions and a log-sum-exp of the two terms of
        equation (6) of Fader, Hardie & Lee (2005), so it stays finite for
        customers with hundreds of purchases.
        """
        r, alpha, a, b = (float(v) for v in params)
        x, tx, t_age = _summary_arrays(frequency, recency, T)
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = betaln(a, b + x) - betaln(a, b)
        a3 = -(r + x) * np.log(alpha + t_age)
        with np.errstate(divide="ignore"):
            a4 = np.where(
                x > 0,
                np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx),
                -np.inf,
            )
        return a1 + a2 + np.logaddexp(a3, a4)

    def fit(self, summary: pd.DataFrame, y: None = None) -> BetaGeoModel:
        """Fit by maximum likelihood, and test the dropout process against the NBD.

        Parameters
        ----------
        summary : pandas.DataFrame
            ``frequency``, ``recency`` and ``T`` per customer (:func:`summarize_customers`).
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        BetaGeoModel
            ``self``, fitted.
        """
        _check_summary(summary, ["frequency", "recency", "T"])
        require_positive_int(self.max_iter, "max_iter")
        x, tx, t_age = _summary_arrays(summary["frequency"], summary["recency"], summary["T"])
        _check_repeats(summary, x, tx)
        # Customers with equal (x, t_x, T) share one likelihood term.
        keys, weights = np.unique(np.column_stack([x, tx, t_age]), axis=0, return_counts=True)
        kx, ktx, kt = keys.T
        n = float(weights.sum())

        def negloglik(log_params: np.ndarray) -> float:
            ll = self.loglikelihood(np.exp(log_params), kx, ktx, kt)
            return -float(np.dot(weights, ll)) / n

        params, edge = _fit(negloglik, 4, self.max_iter)
        self.params_ = dict(zip(self.param_names, (float(v) for v in params)))
        self.loglik_ = float(np.dot(weights, self.loglikelihood(params, kx, ktx, kt)))
        self.n_customers_ = int(n)
        self.boundary_ = [name for name, flag in zip(self.param_names, edge) if flag]
        nbd_loglik = _nbd_max_loglik(kx, kt, weights, self.max_iter)
        self.dropout_lr_ = max(0.0, 2.0 * (self.loglik_ - nbd_loglik))
        self.dropout_identified_ = self.dropout_lr_ >= _BOUNDARY_LR_CRITICAL
        self._warn_if_not_identified()
        return self

    def _warn_if_not_identified(self) -> None:
        if not self.dropout_identified_:
            warnings.warn(
                f"BetaGeoModel: the data show no dropout (likelihood ratio {self.dropout_lr_:.2f} "
                f"against the NBD, below {_BOUNDARY_LR_CRITICAL}): a and b are not identified, "
                "only that a / (a + b) is close to 0, and P(alive) is close to 1 for everyone; "
                "rank churn risk with prob_no_purchases instead",
                IdentificationWarning,
                stacklevel=3,
            )
        elif self.boundary_:
            warnings.warn(
                f"BetaGeoModel: {self.boundary_} ran to the edge of the search and are not identified by the data",
                IdentificationWarning,
                stacklevel=3,
            )

    def _params(self) -> tuple[float, float, float, float]:
        check_is_fitted(self, "params_")
        return tuple(self.params_[k] for k in self.param_names)

    def _log_odds_dead(self, x, tx, t_age) -> np.ndarray:
        """log of ``a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)`` (-inf for x = 0)."""
        r, alpha, a, b = self._params()
        with np.errstate(divide="ignore"):
            return np.where(
                x > 0,
                np.log(a)
                - np.log(np.maximum(b + x - 1, 1e-300))
                + (r + x) * (np.log(alpha + t_age) - np.log(alpha + tx)),
                -np.inf,
            )

    def p_alive(self, frequency, recency, T) -> np.ndarray:
        """Probability that a customer with this history is still active (FHL 2005, eq. 11 note).

        A customer with no repeat purchase is alive with probability 1 under
        the model: dropout can only happen right after a purchase.
        """
        x, tx, t_age = _summary_arrays(frequency, recency, T)
        return 1.0 / (1.0 + np.exp(self._log_odds_dead(x, tx, t_age)))

    def prob_no_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """Probability that a customer with this history makes no purchase in the next ``t``.

        ``P(dead) + P(alive) * ((alpha + T) / (alpha + T + t)) ** (r + x)``: an
        alive customer's rate is Gamma(r + x, alpha + T) given the history, and
        no purchase in ``t`` has probability ``exp(-lambda t)``. Unlike P(alive)
        it stays informative when the data show little dropout, so it is the
        churn-risk score of notebook 05.
        """
        r, alpha, a, b = self._params()
        x, tx, t_age = _summary_arrays(frequency, recency, T)
        t = as_float_array(t, "t", ndim=None, low=0)
        alive = self.p_alive(x, tx, t_age)
        quiet = np.exp((r + x) * (np.log(alpha + t_age) - np.log(alpha + t_age + t)))
        return (1.0 - alive) + alive * quiet

    def expected_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """Expected purchases in the next ``t`` time units given a history (FHL 2005, eq. 10)."""
        r, alpha, a, b = self._params()
        x, tx, t_age = _summary_arrays(frequency, recency, T)
        t = as_float_array(t, "t", ndim=None, low=0)
        z = t / (alpha + t_age + t)
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
        ratio = np.exp((r + x) * (np.log(alpha + t_age) - np.log(alpha + t_age + t)))
        numerator = (a + b + x - 1) / (a - 1) * (1.0 - ratio * hyp)
        return numerator / (1.0 + np.exp(self._log_odds_dead(x, tx, t_age)))

    def expected_purchases_population(self, t) -> np.ndarray:
        """Expected purchases in ``(0, t]`` of a newly acquired customer (FHL 2005, eq. 9)."""
        r, alpha, a, b = self._params()
        t = as_float_array(t, "t", ndim=None, low=0)
        hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1.0 - (alpha / (alpha + t)) ** r * hyp)

    def prob_purchases(self, n, t) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes ``n`` purchases in ``(0, t]`` (FHL 2005, eq. 8)."""
        r, alpha, a, b = self._params()
        n = as_float_array(n, "n", ndim=None, low=0, whole=True)
        t = require_number(t, "t", low=0)
        if t == 0:
            return (n == 0).astype(float)
        log_q, log_w = np.log(alpha / (alpha + t)), np.log(t / (alpha + t))

        def log_nbd(k: np.ndarray) -> np.ndarray:
            return gammaln(r + k) - gammaln(r) - gammaln(k + 1) + r * log_q + k * log_w

        first = np.exp(betaln(a, b + n) - betaln(a, b) + log_nbd(n))
        n_max = int(n.max()) if n.size else 0
        # below[k] = sum_{j < k} P_NBD(j): the NBD probability of fewer than k purchases.
        below = np.concatenate([[0.0], np.cumsum(np.exp(log_nbd(np.arange(n_max, dtype=float))))])
        dropped = np.exp(betaln(a + 1, np.maximum(b + n - 1, 1e-12)) - betaln(a, b))
        second = np.where(n > 0, dropped * (1.0 - below[n.astype(int)]), 0.0)
        return first + second


def _check_repeats(summary: pd.DataFrame, x: np.ndarray, tx: np.ndarray) -> None:
    """Raise unless repeat buyers have a positive recency and there is at least one."""
    inconsistent = (x > 0) & (tx <= 0)
    if inconsistent.any():
        raise ValueError(
            f"summary: {int(inconsistent.sum())} row(s) have frequency > 0 but recency 0, e.g. row "
            f"{summary.index[int(np.argmax(inconsistent))]!r}; recency is the time from the first to "
            "the last purchase (not days since the last, as in RFM), so it is > 0 after a repeat"
        )
    if not (x > 0).any():
        raise ValueError("summary has no repeat purchases: the dropout process cannot be fitted")


def _nbd_max_loglik(x: np.ndarray, t_age: np.ndarray, weights: np.ndarray, max_iter: int) -> float:
    """Maximised log-likelihood of the NBD (no dropout) on the weighted (x, T) rows."""
    n = float(weights.sum())

    def negloglik(log_params: np.ndarray) -> float:
        return -float(np.dot(weights, _nbd_loglik(*np.exp(log_params), x, t_age))) / n

    nbd, _ = _fit(negloglik, 2, max_iter)
    return float(np.dot(weights, _nbd_loglik(*nbd, x, t_age)))
