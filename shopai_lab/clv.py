"""Customer lifetime value for non-contractual shops: BG/NBD and Gamma-Gamma.

The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy
way", *Marketing Science* 24(2)) describes each customer by two hidden numbers:
while "alive" they buy as a Poisson process with rate ``lambda`` (Gamma(r, alpha)
across customers), and after each purchase they leave for good with probability
``p`` (Beta(a, b) across customers). From a customer's repeat-purchase count
``x`` (``frequency``), the time of their last purchase ``t_x`` (``recency``) and
their age ``T`` it gives P(alive), expected future purchases and the
distribution of purchases in a future period.

The Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV", *Journal of
Marketing Research* 42(4); Fader & Hardie 2013, "The Gamma-Gamma model of
monetary value") describes the spend per purchase: each purchase's value is
Gamma(p, nu), and ``nu`` is Gamma(q, gamma) across customers. It gives each
customer's expected spend per purchase, shrunk from their observed mean towards
the population mean by an amount that depends on how many purchases we saw.

Both are fitted by maximum likelihood on log-parameters with a numerically
stable log-likelihood; :func:`summarize_customers` turns purchase lines into
the summary they need.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1

from shopai_lab._validation import (
    as_float_array,
    require_absent_columns,
    require_columns,
    require_fitted,
    require_instance,
    require_no_missing,
    require_not_empty,
    require_number,
    require_numeric_columns,
    require_one_of,
    require_positive_int,
    require_same_length,
    require_transactions,
    require_unique,
    to_timestamp,
)

#: Columns only an RFM table (:func:`shopai_lab.behavior.rfm`) has: its ``frequency`` counts
#: invoices and its ``monetary`` is total net revenue, not the BG/NBD and Gamma-Gamma quantities.
_RFM_ONLY_COLUMNS = ("recency_days", "first_purchase", "last_purchase")
_RFM_REASON = ("this looks like an RFM table (shopai_lab.behavior.rfm), whose frequency and monetary "
               "mean invoices and total revenue; fit on clv.summarize_customers(...) instead")

TIME_UNITS: dict[str, float] = {"D": 1.0, "W": 7.0}


class ConvergenceError(RuntimeError):
    """The maximum-likelihood optimiser did not converge."""


def _unit_days(time_unit: str) -> float:
    require_one_of(time_unit, "time_unit", sorted(TIME_UNITS))
    return TIME_UNITS[time_unit]


def _check_summary(summary: pd.DataFrame, columns: list[str]) -> None:
    """A customer summary for fitting: columns present and numeric, one row per customer, not RFM."""
    require_columns(summary, columns, "summary")
    require_absent_columns(summary, _RFM_ONLY_COLUMNS, "summary", _RFM_REASON)
    require_not_empty(summary, "summary")
    require_numeric_columns(summary, columns, "summary")
    require_unique(summary.index, "summary's index (customer_id)")


def summarize_customers(
    purchases: pd.DataFrame,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Per-customer frequency, recency, T and monetary value for BG/NBD and Gamma-Gamma.

    Purchases on the same calendar day are one purchase (their values add up).
    The calibration period runs to the end of the day ``calibration_end``; the
    holdout period, when ``observation_end`` is given, from the next day to the
    end of ``observation_end``. Customers whose first purchase falls in the
    holdout are not included: the models describe customers already acquired.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``timestamp``, ``quantity``, ``unit_price``).
    calibration_end
        Last day of the calibration period.
    observation_end
        Last day of the holdout period, or ``None`` for no holdout columns.
    time_unit
        ``"W"`` (weeks) or ``"D"`` (days) for recency, T and durations.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``: ``frequency`` (repeat purchases: distinct
        purchase days after the first), ``recency`` (first to last purchase),
        ``T`` (first purchase to calibration end), ``monetary`` (mean value of
        the repeat purchases; 0 without repeats) and, with ``observation_end``,
        ``frequency_holdout``, ``monetary_holdout`` (mean value per holdout
        purchase day) and ``duration_holdout``.

    Raises
    ------
    ValueError
        For a calibration end outside the data, an observation end not after
        the calibration end or after the data ends, or an unknown time unit.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "timestamp": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 17:00",
    ...                                  "2024-01-15", "2024-01-08"], format="ISO8601"),
    ...     "quantity": [1, 1, 2, 1], "unit_price": [5.0, 5.0, 10.0, 3.0]})
    >>> summarize_customers(lines, "2024-01-15", time_unit="W")
                 frequency  recency    T  monetary
    customer_id
    a                    1      2.0  2.0      20.0
    b                    0      0.0  1.0       0.0
    """
    require_transactions(purchases, "purchases", ["customer_id", "timestamp", "quantity", "unit_price"],
                         allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["timestamp"], "purchases")
    unit = _unit_days(time_unit)
    cal_end = to_timestamp(calibration_end, "calibration_end").normalize()
    day = purchases["timestamp"].dt.normalize()
    first_day, last_day = day.min(), day.max()
    if not first_day <= cal_end <= last_day:
        raise ValueError(
            f"calibration_end {cal_end.date()} is outside the data "
            f"({first_day.date()} to {last_day.date()})"
        )
    obs_end = None
    if observation_end is not None:
        obs_end = to_timestamp(observation_end, "observation_end").normalize()
        if obs_end <= cal_end:
            raise ValueError(
                f"observation_end {obs_end.date()} must be after calibration_end {cal_end.date()}"
            )
        if obs_end > last_day:
            raise ValueError(
                f"observation_end {obs_end.date()} is after the data ends ({last_day.date()}); "
                "the holdout would count unobserved days as days without purchases"
            )
    if purchases["customer_id"].isna().any():
        raise ValueError("purchases['customer_id'] has missing values; clean the lines first")

    days = (
        pd.DataFrame(
            {
                "customer_id": purchases["customer_id"].to_numpy(),
                "day": day.to_numpy(),
                "value": (purchases["quantity"] * purchases["unit_price"]).to_numpy(),
            }
        )
        .groupby(["customer_id", "day"], observed=True, sort=True)["value"]
        .sum()
        .reset_index()
    )
    calib = days[days["day"] <= cal_end]
    grouped = calib.groupby("customer_id", observed=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    count = grouped.size()
    total = grouped["value"].sum()
    first_value = calib.drop_duplicates("customer_id", keep="first").set_index("customer_id")["value"]
    frequency = (count - 1).astype("int64")
    repeat_value = total - first_value.reindex(total.index)
    summary = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last - first) / pd.Timedelta(days=unit),
            "T": (cal_end - first) / pd.Timedelta(days=unit),
            "monetary": (repeat_value / frequency.where(frequency > 0)).fillna(0.0),
        }
    )
    if obs_end is not None:
        hold = days[(days["day"] > cal_end) & (days["day"] <= obs_end)]
        hold = hold[hold["customer_id"].isin(summary.index)]
        by_customer = hold.groupby("customer_id", observed=True)["value"]
        n_hold = by_customer.size().reindex(summary.index, fill_value=0)
        summary["frequency_holdout"] = n_hold.astype("int64")
        summary["monetary_holdout"] = (
            by_customer.sum().reindex(summary.index, fill_value=0.0) / n_hold.where(n_hold > 0)
        ).fillna(0.0)
        summary["duration_holdout"] = (obs_end - cal_end) / pd.Timedelta(days=unit)
    summary.index.name = "customer_id"
    return summary


def _summary_arrays(
    frequency, recency, T, name: str = "summary"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = as_float_array(frequency, "frequency", ndim=None, allow_nan=True)
    tx = as_float_array(recency, "recency", ndim=None, allow_nan=True)
    t_age = as_float_array(T, "T", ndim=None, allow_nan=True)
    try:
        x, tx, t_age = np.broadcast_arrays(x, tx, t_age)
    except ValueError:
        raise ValueError(f"{name}: frequency, recency and T have mismatched shapes "
                         f"{x.shape}, {tx.shape} and {t_age.shape}") from None
    for label, values in (("frequency", x), ("recency", tx), ("T", t_age)):
        if not np.isfinite(values).all():
            raise ValueError(f"{name}: {label} has missing or infinite values")
        if (values < 0).any():
            raise ValueError(f"{name}: {label} has negative values, e.g. {values[values < 0][0]!r}")
    if (x != np.round(x)).any():
        raise ValueError(f"{name}: frequency must be whole numbers of repeat purchases")
    tol = 1e-9 * np.maximum(1.0, t_age)
    if (tx > t_age + tol).any():
        i = int(np.argmax(tx > t_age + tol))
        raise ValueError(f"{name}: recency > T for {int((tx > t_age + tol).sum())} row(s), e.g. recency {tx[i]} > T {t_age[i]}")
    if ((x == 0) & (tx > 0)).any():
        raise ValueError(
            f"{name}: {int(((x == 0) & (tx > 0)).sum())} row(s) have frequency 0 but recency > 0; "
            "recency is the time from the first to the last purchase, so it is 0 without repeats"
        )
    return x, tx, t_age


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


class BetaGeoModel:
    """BG/NBD model of repeat buying (Fader, Hardie & Lee 2005), fitted by maximum likelihood.

    Parameters
    ----------
    max_iter
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
    >>> from shopai_lab.datasets import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> model = BetaGeoModel().fit(cdnow)
    >>> {k: round(v, 3) for k, v in model.params_.items()}
    {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
    >>> round(model.loglik_, 1)
    -9582.4
    """

    param_names = ("r", "alpha", "a", "b")

    def __init__(self, max_iter: int = 2000) -> None:
        self.max_iter = max_iter

    def __repr__(self) -> str:
        if not hasattr(self, "loglik_"):
            return "BetaGeoModel()"
        if self.dropout_identified_:
            shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        else:  # a and b sit on a likelihood ridge: their digits are not estimates
            a, b = self.params_["a"], self.params_["b"]
            shown = (f"r={self.params_['r']:.4g}, alpha={self.params_['alpha']:.4g}, "
                     f"dropout not identified (a / (a + b) = {a / (a + b):.0e})")
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

    def fit(self, summary: pd.DataFrame) -> BetaGeoModel:
        """Fit on a summary with ``frequency``, ``recency`` and ``T`` columns."""
        _check_summary(summary, ["frequency", "recency", "T"])
        require_positive_int(self.max_iter, "max_iter")
        x, tx, t_age = _summary_arrays(summary["frequency"], summary["recency"], summary["T"])
        inconsistent = (x > 0) & (tx <= 0)
        if inconsistent.any():
            raise ValueError(
                f"summary: {int(inconsistent.sum())} row(s) have frequency > 0 but recency 0, e.g. row "
                f"{summary.index[int(np.argmax(inconsistent))]!r}; recency is the time from the first to "
                "the last purchase (not days since the last, as in RFM), so it is > 0 after a repeat"
            )
        if not (x > 0).any():
            raise ValueError("summary has no repeat purchases: the dropout process cannot be fitted")
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

        def nbd_negloglik(log_params: np.ndarray) -> float:
            return -float(np.dot(weights, _nbd_loglik(*np.exp(log_params), kx, kt))) / n

        nbd, _ = _fit(nbd_negloglik, 2, self.max_iter)
        nbd_loglik = float(np.dot(weights, _nbd_loglik(*nbd, kx, kt)))
        self.dropout_lr_ = max(0.0, 2.0 * (self.loglik_ - nbd_loglik))
        self.dropout_identified_ = self.dropout_lr_ >= _BOUNDARY_LR_CRITICAL
        if not self.dropout_identified_:
            warnings.warn(
                f"BetaGeoModel: the data show no dropout (likelihood ratio {self.dropout_lr_:.2f} "
                f"against the NBD, below {_BOUNDARY_LR_CRITICAL}): a and b are not identified, "
                "only that a / (a + b) is close to 0, and P(alive) is close to 1 for everyone; "
                "rank churn risk with prob_no_purchases instead",
                IdentificationWarning, stacklevel=2,
            )
        elif self.boundary_:
            warnings.warn(f"BetaGeoModel: {self.boundary_} ran to the edge of the search and are "
                          "not identified by the data", IdentificationWarning, stacklevel=2)
        return self

    def _params(self) -> tuple[float, float, float, float]:
        require_fitted(self, "params_")
        return tuple(self.params_[k] for k in self.param_names)

    def _log_odds_dead(self, x, tx, t_age) -> np.ndarray:
        """log of ``a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)`` (-inf for x = 0)."""
        r, alpha, a, b = self._params()
        with np.errstate(divide="ignore"):
            return np.where(
                x > 0,
                np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
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


class GammaGammaModel:
    """Gamma-Gamma model of spend per purchase, fitted on customers with repeat purchases.

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
    >>> from shopai_lab.datasets import load_cdnow_summary
    >>> model = GammaGammaModel().fit(load_cdnow_summary())
    >>> {k: round(v, 2) for k, v in model.params_.items()}  # published: 6.25, 3.74, 15.44
    {'p': 6.25, 'q': 3.74, 'gamma': 15.45}
    """

    param_names = ("p", "q", "gamma")

    def __init__(self, max_iter: int = 2000) -> None:
        self.max_iter = max_iter

    def __repr__(self) -> str:
        if not hasattr(self, "loglik_"):
            return "GammaGammaModel()"
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        edge = f", at edge: {self.boundary_}" if self.boundary_ else ""
        return f"GammaGammaModel({shown}, loglik={self.loglik_:.1f}, n={self.n_customers_:,}{edge})"

    @staticmethod
    def loglikelihood(params, frequency, monetary) -> np.ndarray:
        """Log-likelihood of each customer's mean spend ``monetary`` over ``frequency`` purchases."""
        p, q, gamma = (float(v) for v in params)
        x = np.asarray(frequency, dtype=float)
        m = np.asarray(monetary, dtype=float)
        return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(gamma)
                + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(gamma + x * m))

    def fit(self, summary: pd.DataFrame) -> GammaGammaModel:
        """Fit on the rows of ``summary`` with ``frequency > 0`` (``frequency``, ``monetary``)."""
        _check_summary(summary, ["frequency", "monetary"])
        require_positive_int(self.max_iter, "max_iter")
        as_float_array(summary["frequency"], "summary['frequency']", low=0, whole=True)
        repeat = summary[summary["frequency"] > 0]
        if len(repeat) < 3:
            raise ValueError(f"Gamma-Gamma needs customers with repeat purchases; summary has {len(repeat)}")
        x = repeat["frequency"].to_numpy(dtype=float)
        m = repeat["monetary"].to_numpy(dtype=float)
        if not np.isfinite(m).all() or (m <= 0).any():
            raise ValueError(
                f"summary['monetary'] must be positive for customers with repeat purchases; "
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
            warnings.warn(f"GammaGammaModel: {self.boundary_} ran to the edge of the search and "
                          "are not identified by the data", IdentificationWarning, stacklevel=2)
        return self

    def expected_spend(self, frequency, monetary) -> np.ndarray:
        """Expected value of a customer's future purchases (Fader & Hardie 2013, eq. 5).

        A weighted mean of the population mean ``p * gamma / (q - 1)`` and the
        customer's observed mean, the weight on the observed mean growing with
        the number of purchases. Customers without repeats get the population mean.
        """
        require_fitted(self, "params_")
        p, q, gamma = (self.params_[k] for k in self.param_names)
        if q <= 1:
            raise ValueError(f"the population mean spend is infinite when q <= 1 (q = {q:.3f})")
        x = as_float_array(frequency, "frequency", ndim=None, low=0, whole=True)
        m = as_float_array(monetary, "monetary", ndim=None)
        if x.shape != m.shape and x.ndim and m.ndim:
            require_same_length(frequency=x.ravel(), monetary=m.ravel())
        m = np.where(x > 0, m, 0.0)
        return p * (gamma + x * m) / (p * x + q - 1)


def customer_value(
    bgnbd: BetaGeoModel,
    gamma_gamma: GammaGammaModel,
    summary: pd.DataFrame,
    horizon: int,
    discount_rate: float = 0.1,
    time_unit: str = "W",
) -> pd.Series:
    """Discounted expected value of each customer's purchases over the next ``horizon`` periods.

    ``sum_{k=1..horizon} spend * (E[X(k)] - E[X(k-1)]) / (1 + d) ** k`` where
    ``E[X(k)]`` is the BG/NBD conditional expectation, ``spend`` the
    Gamma-Gamma expected spend and ``d`` the per-period rate equivalent to the
    annual ``discount_rate``.

    Parameters
    ----------
    bgnbd, gamma_gamma
        Fitted models.
    summary
        ``frequency``, ``recency``, ``T``, ``monetary`` per customer (same time unit).
    horizon
        Number of periods (of ``time_unit``) ahead.
    discount_rate
        Annual discount rate, e.g. 0.1 for 10% a year.
    time_unit
        ``"W"`` or ``"D"``: the unit of the summary and of one period.

    Returns
    -------
    pandas.Series
        Value per customer, indexed like ``summary``, named ``clv``.
    """
    require_instance(bgnbd, BetaGeoModel, "bgnbd")
    require_instance(gamma_gamma, GammaGammaModel, "gamma_gamma")
    require_fitted(bgnbd, "params_")
    require_fitted(gamma_gamma, "params_")
    require_columns(summary, ["frequency", "recency", "T", "monetary"], "summary")
    require_absent_columns(summary, _RFM_ONLY_COLUMNS, "summary", _RFM_REASON)
    require_numeric_columns(summary, ["frequency", "recency", "T", "monetary"], "summary", allow_nan=False)
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of periods >= 1, got {horizon!r}")
    require_number(discount_rate, "discount_rate", low=-1, low_inclusive=False)
    per_period = (1.0 + discount_rate) ** (_unit_days(time_unit) / 365.25) - 1.0
    spend = gamma_gamma.expected_spend(summary["frequency"], summary["monetary"])
    previous = np.zeros(len(summary))
    value = np.zeros(len(summary))
    for k in range(1, horizon + 1):
        cumulative = bgnbd.expected_purchases(k, summary["frequency"], summary["recency"], summary["T"])
        value += spend * (cumulative - previous) / (1.0 + per_period) ** k
        previous = cumulative
    return pd.Series(value, index=summary.index, name="clv")


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


def holdout_by_frequency(
    summary: pd.DataFrame, predictions: dict[str, np.ndarray], max_frequency: int = 7
) -> pd.DataFrame:
    """Mean actual and predicted holdout purchases by calibration frequency (the top class is ``max+``).

    Parameters
    ----------
    summary
        Output of :func:`summarize_customers` with ``observation_end``.
    predictions
        ``{name: predicted holdout purchases per customer}``.
    max_frequency
        Frequencies at or above it are pooled into one class.
    """
    require_columns(summary, ["frequency", "frequency_holdout"], "summary")
    require_numeric_columns(summary, ["frequency", "frequency_holdout"], "summary", allow_nan=False)
    require_instance(predictions, dict, "predictions")
    max_frequency = require_positive_int(max_frequency, "max_frequency")
    table = pd.DataFrame({"actual": summary["frequency_holdout"].to_numpy(dtype=float)})
    for name, values in predictions.items():
        values = as_float_array(values, f"predictions[{name!r}]", ndim=None)
        if values.shape != (len(summary),):
            raise ValueError(f"predictions[{name!r}] must have one value per customer")
        table[name] = values
    group = np.minimum(summary["frequency"].to_numpy(), max_frequency)
    out = table.groupby(group).mean()
    out.insert(0, "customers", table.groupby(group).size())
    out.index = [f"{k}+" if k == max_frequency else str(k) for k in out.index]
    out.index.name = "calibration_frequency"
    return out


def tracking_curve(
    purchases: pd.DataFrame,
    model: BetaGeoModel,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Cumulative repeat purchases over calendar time: actual against the model's expectation.

    Covers customers whose first purchase is on or before ``calibration_end``;
    a repeat purchase is a purchase day after the customer's first. The
    expectation sums each customer's ``E[X(t - first purchase)]``.

    Returns
    -------
    pandas.DataFrame
        Indexed by period boundaries (every ``time_unit`` from the first
        purchase, and midnight after ``observation_end``): ``actual`` and
        ``expected`` cumulative repeat purchases before each boundary.
    """
    require_transactions(purchases, "purchases", ["customer_id", "timestamp"], allow_empty=False)
    require_no_missing(purchases, ["customer_id", "timestamp"], "purchases", "clean the lines first")
    require_instance(model, BetaGeoModel, "model")
    require_fitted(model, "params_")
    unit = _unit_days(time_unit)
    cal_end = to_timestamp(calibration_end, "calibration_end").normalize()
    obs_end = to_timestamp(observation_end, "observation_end").normalize()
    if obs_end <= cal_end:
        raise ValueError("observation_end must be after calibration_end")
    if purchases["timestamp"].min().normalize() > cal_end:
        raise ValueError(f"calibration_end {cal_end.date()} is before the first purchase "
                         f"({purchases['timestamp'].min().date()}): no customer to track")
    days = pd.DataFrame(
        {"customer_id": purchases["customer_id"].to_numpy(),
         "day": purchases["timestamp"].dt.normalize().to_numpy()}
    ).drop_duplicates()
    first = days.groupby("customer_id", observed=True)["day"].transform("min")
    days = days[(first <= cal_end).to_numpy() & (days["day"] <= obs_end).to_numpy()]
    first = first[days.index]
    start = days["day"].min()
    end = obs_end + pd.Timedelta(days=1)  # midnight after the last observed day
    edges = pd.date_range(start, end, freq=pd.Timedelta(days=unit))
    if edges[-1] < end:
        edges = edges.append(pd.DatetimeIndex([end]))
    repeat_days = days.loc[(days["day"] > first).to_numpy(), "day"]
    actual = np.searchsorted(np.sort(repeat_days.to_numpy()), edges.to_numpy(), side="left")
    births = (first.groupby(days["customer_id"]).first() - start) / pd.Timedelta(days=unit)
    horizon = (edges - start) / pd.Timedelta(days=unit)
    ages = np.clip(horizon.to_numpy()[None, :] - births.to_numpy()[:, None], 0, None)
    expected = model.expected_purchases_population(ages).sum(axis=0)
    return pd.DataFrame({"actual": actual, "expected": expected}, index=pd.Index(edges, name="date"))
