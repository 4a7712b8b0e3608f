"""Holdout checks of customer-value models: by frequency, tracking curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    as_float_array,
    require_columns,
    require_instance,
    require_no_missing,
    require_numeric_columns,
    require_positive_int,
    require_transactions,
    to_timestamp,
)
from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.summary import _unit_days


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
    check_is_fitted(model, "params_")
    unit = _unit_days(time_unit)
    cal_end = to_timestamp(calibration_end, "calibration_end").normalize()
    obs_end = to_timestamp(observation_end, "observation_end").normalize()
    if obs_end <= cal_end:
        raise ValueError("observation_end must be after calibration_end")
    if purchases["timestamp"].min().normalize() > cal_end:
        raise ValueError(
            f"calibration_end {cal_end.date()} is before the first purchase "
            f"({purchases['timestamp'].min().date()}): no customer to track"
        )
    days = pd.DataFrame(
        {"customer_id": purchases["customer_id"].to_numpy(), "day": purchases["timestamp"].dt.normalize().to_numpy()}
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
