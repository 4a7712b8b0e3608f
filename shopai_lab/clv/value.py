"""Discounted customer value from BG/NBD and Gamma-Gamma."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    require_absent_columns,
    require_columns,
    require_frame,
    require_instance,
    require_number,
    require_numeric_columns,
)
from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.gamma_gamma import GammaGammaModel
from shopai_lab.clv.summary import _RFM_ONLY_COLUMNS, _RFM_REASON, SUMMARY_COLUMNS, _unit_days


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
        ``frequency``, ``recency``, ``T``, ``monetary_value`` per customer (same time unit).
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
    check_is_fitted(bgnbd, "params_")
    check_is_fitted(gamma_gamma, "params_")
    require_frame(summary, "summary")
    require_absent_columns(summary, _RFM_ONLY_COLUMNS, "summary", _RFM_REASON)
    require_columns(summary, SUMMARY_COLUMNS, "summary")
    require_numeric_columns(summary, SUMMARY_COLUMNS, "summary", allow_nan=False)
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of periods >= 1, got {horizon!r}")
    require_number(discount_rate, "discount_rate", low=-1, low_inclusive=False)
    per_period = (1.0 + discount_rate) ** (_unit_days(time_unit) / 365.25) - 1.0
    spend = gamma_gamma.expected_spend(summary["frequency"], summary["monetary_value"])
    previous = np.zeros(len(summary))
    value = np.zeros(len(summary))
    for k in range(1, horizon + 1):
        cumulative = bgnbd.expected_purchases(k, summary["frequency"], summary["recency"], summary["T"])
        value += spend * (cumulative - previous) / (1.0 + per_period) ** k
        previous = cumulative
    return pd.Series(value, index=summary.index, name="clv")


def score_customers(
    bgnbd: BetaGeoModel,
    gamma_gamma: GammaGammaModel,
    summary: pd.DataFrame,
    horizon: int,
    risk_horizon: float,
    discount_rate: float = 0.1,
    time_unit: str = "W",
) -> pd.DataFrame:
    """What the two models say about each customer today: alive, quiet, purchases ahead and value.

    Parameters
    ----------
    bgnbd, gamma_gamma : BetaGeoModel, GammaGammaModel
        Fitted models.
    summary : pandas.DataFrame
        ``frequency``, ``recency``, ``T``, ``monetary_value`` per customer (same time unit).
    horizon : int
        Periods (of ``time_unit``) ahead for expected purchases and customer value.
    risk_horizon : float
        Periods ahead for the churn risk: the probability of no purchase in them.
    discount_rate : float
        Annual discount rate of the customer value.
    time_unit : {"W", "D"}
        The unit of the summary and of one period.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``summary``: ``p_alive``, ``risk`` (:meth:`BetaGeoModel.prob_no_purchases`),
        ``expected_purchases`` and ``clv`` (:func:`customer_value`).

    Examples
    --------
    >>> from shopai_lab.data import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> bg, gg = BetaGeoModel().fit(cdnow), GammaGammaModel().fit(cdnow)
    >>> list(score_customers(bg, gg, cdnow, horizon=52, risk_horizon=13).columns)
    ['p_alive', 'risk', 'expected_purchases', 'clv']
    """
    value = customer_value(bgnbd, gamma_gamma, summary, horizon, discount_rate, time_unit)  # checks the inputs
    require_number(risk_horizon, "risk_horizon", low=0)
    history = (summary["frequency"], summary["recency"], summary["T"])
    return pd.DataFrame(
        {
            "p_alive": bgnbd.p_alive(*history),
            "risk": bgnbd.prob_no_purchases(risk_horizon, *history),
            "expected_purchases": bgnbd.expected_purchases(horizon, *history),
            "clv": value,
        },
        index=summary.index,
    )


def value_at_stake(risk, value, p_alive=None) -> np.ndarray:
    """Expected value lost if going quiet meant leaving: ``risk x value if the customer stays active``.

    ``value`` is a customer's expected discounted value (:func:`customer_value`), which under
    the BG/NBD is ``P(alive) x`` the value of an active customer; dividing by ``p_alive`` gives
    the value if active, and multiplying by ``risk`` (probability of no purchase over the risk
    horizon) the expected loss should that silence be a departure. Without ``p_alive`` (or
    when the data show no dropout, so P(alive) is about 1) it is ``risk x value``.

    Parameters
    ----------
    risk : array-like
        Probability of no purchase over the risk horizon, in [0, 1].
    value : array-like
        Expected discounted value per customer over the value horizon.
    p_alive : array-like or None
        P(alive) per customer from the BG/NBD, in (0, 1].

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> value_at_stake([0.5, 0.2], [100.0, 1000.0], p_alive=[0.5, 1.0])
    array([100., 200.])
    """
    from shopai_lab._validation import as_float_array, require_probabilities

    risk = require_probabilities(risk, "risk")
    value = as_float_array(value, "value", ndim=None)
    if value.shape != risk.shape:
        raise ValueError(f"risk and value must have the same length, got {risk.shape} and {value.shape}")
    if p_alive is None:
        return risk * value
    alive = as_float_array(p_alive, "p_alive", ndim=None, low=0)
    if alive.shape != risk.shape or (alive <= 0).any() or (alive > 1).any():
        raise ValueError("p_alive must hold one probability in (0, 1] per customer")
    return risk * value / alive
