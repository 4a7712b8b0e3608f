"""Discounted customer value from BG/NBD and Gamma-Gamma.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_absent_columns,
    require_columns,
    require_fitted,
    require_instance,
    require_number,
    require_numeric_columns,
)
from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.gamma_gamma import GammaGammaModel
from shopai_lab.clv.summary import _RFM_ONLY_COLUMNS, _RFM_REASON, _unit_days


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
