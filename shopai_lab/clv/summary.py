"""Customer summaries in the BG/NBD sense (frequency, recency, T, monetary value).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_absent_columns,
    require_columns,
    require_no_missing,
    require_not_empty,
    require_numeric_columns,
    require_one_of,
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
        raise ValueError(
            f"{name}: recency > T for {int((tx > t_age + tol).sum())} row(s), e.g. recency {tx[i]} > T {t_age[i]}"
        )
    if ((x == 0) & (tx > 0)).any():
        raise ValueError(
            f"{name}: {int(((x == 0) & (tx > 0)).sum())} row(s) have frequency 0 but recency > 0; "
            "recency is the time from the first to the last purchase, so it is 0 without repeats"
        )
    return x, tx, t_age
