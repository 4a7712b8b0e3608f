"""Customer summaries in the BG/NBD sense (frequency, recency, T, monetary value)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_absent_columns,
    require_columns,
    require_frame,
    require_no_missing,
    require_not_empty,
    require_number,
    require_numeric_columns,
    require_one_of,
    require_transactions,
    require_unique,
    to_timestamp,
)
from shopai_lab.schema import line_revenue

#: Columns only an RFM table (:func:`shopai_lab.behavior.rfm`) has: its quantities are days since the last
#: purchase, invoices and total net revenue, not the BG/NBD and Gamma-Gamma ones (see :mod:`shopai_lab.schema`).
_RFM_ONLY_COLUMNS = ("days_since_last", "invoices", "net_revenue", "first_purchase", "last_purchase")


_RFM_REASON = (
    "this looks like an RFM table (shopai_lab.behavior.rfm), whose quantities are days since the last "
    "purchase, invoices and net revenue; fit on clv.summarize_customers(...) instead"
)


#: The BG/NBD and Gamma-Gamma summary of each customer (Fader and Hardie's names).
SUMMARY_COLUMNS: tuple[str, ...] = ("frequency", "recency", "T", "monetary_value")


TIME_UNITS: dict[str, float] = {"D": 1.0, "W": 7.0}


def _unit_days(time_unit: str) -> float:
    require_one_of(time_unit, "time_unit", sorted(TIME_UNITS))
    return TIME_UNITS[time_unit]


def _check_summary(summary: pd.DataFrame, columns: list[str]) -> None:
    """A customer summary for fitting: columns present and numeric, one row per customer, not RFM."""
    require_frame(summary, "summary")
    require_absent_columns(summary, _RFM_ONLY_COLUMNS, "summary", _RFM_REASON)
    require_columns(summary, columns, "summary")
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
    purchases : pandas.DataFrame
        Clean purchase lines (``customer_id``, ``timestamp``, ``quantity``,
        ``unit_price``; ``revenue`` is used when present).
    calibration_end : str or pandas.Timestamp
        Last day of the calibration period.
    observation_end : str, pandas.Timestamp or None
        Last day of the holdout period, or ``None`` for no holdout columns.
    time_unit : {"W", "D"}
        Weeks or days for recency, T and durations.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``: ``frequency`` (repeat purchases: distinct
        purchase days after the first), ``recency`` (first to last purchase),
        ``T`` (first purchase to calibration end), ``monetary_value`` (mean value
        of the repeat purchases; 0 without repeats) and, with ``observation_end``,
        ``frequency_holdout``, ``monetary_value_holdout`` (mean value per holdout
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
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  2.0            20.0
    b                    0      0.0  1.0             0.0
    """
    require_transactions(
        purchases,
        "purchases",
        ["customer_id", "timestamp", "quantity", "unit_price"],
        allow_empty=False,
        allow_nan=False,
    )
    require_no_missing(purchases, ["timestamp"], "purchases")
    unit = _unit_days(time_unit)
    days = _purchase_days(purchases)
    cal_end, obs_end = _period_ends(days["day"], calibration_end, observation_end)
    summary = _calibration_summary(days[days["day"] <= cal_end], cal_end, unit)
    if obs_end is not None:
        summary = _add_holdout(summary, days[(days["day"] > cal_end) & (days["day"] <= obs_end)])
        summary["duration_holdout"] = (obs_end - cal_end) / pd.Timedelta(days=unit)
    summary.index.name = "customer_id"
    return summary


def holdout_split(
    purchases: pd.DataFrame,
    holdout_weeks: float = 14,
    calibration_end: str | pd.Timestamp | None = None,
    observation_end: str | pd.Timestamp | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The calibration and holdout periods of a shop's purchases, derived from the data by default.

    ``observation_end`` defaults to the last day with a purchase and ``calibration_end`` to
    ``holdout_weeks`` weeks before it (in whole days), so a notebook runs on any shop's dates. Explicit dates
    override the defaults (``holdout_weeks`` is then not used for ``calibration_end``).

    Parameters
    ----------
    purchases : pandas.DataFrame
        Purchase lines with a ``timestamp`` column.
    holdout_weeks : float, default 14
        Length of the holdout period in weeks, ending at ``observation_end``.
    calibration_end : str, pandas.Timestamp or None
        Last day of the calibration period; ``None``: ``observation_end - holdout_weeks``.
    observation_end : str, pandas.Timestamp or None
        Last day of the holdout; ``None``: the last day with a purchase.

    Returns
    -------
    tuple of pandas.Timestamp
        ``(calibration_end, observation_end)``, both at midnight.

    Raises
    ------
    ValueError
        When ``holdout_weeks`` is not positive or leaves no calibration period, or an
        explicit date lies outside the data or the two dates are out of order.

    Examples
    --------
    >>> lines = pd.DataFrame({"timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-03-31 18:00"])})
    >>> [str(d.date()) for d in holdout_split(lines, holdout_weeks=4)]
    ['2024-03-03', '2024-03-31']
    >>> holdout_split(lines, holdout_weeks=20)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: holdout_weeks=20 leaves no calibration period: 2024-03-31 minus 20 weeks is 2023-11-12, ...
    """
    require_frame(purchases, "purchases")
    require_columns(purchases, ["timestamp"], "purchases")
    require_not_empty(purchases, "purchases")
    require_no_missing(purchases, ["timestamp"], "purchases")
    if not pd.api.types.is_datetime64_any_dtype(purchases["timestamp"]):
        raise TypeError(f"purchases['timestamp'] must hold datetimes, got dtype {purchases['timestamp'].dtype}")
    first_day = purchases["timestamp"].min().normalize()
    last_day = purchases["timestamp"].max().normalize()
    if observation_end is None:
        obs_end = last_day
    else:
        obs_end = to_timestamp(observation_end, "observation_end").normalize()
        if not first_day < obs_end <= last_day:
            raise ValueError(
                f"observation_end {obs_end.date()} is outside the data ({first_day.date()} to {last_day.date()})"
            )
    if calibration_end is None:
        weeks = require_number(holdout_weeks, "holdout_weeks", low=0, low_inclusive=False)
        days = int(7 * weeks + 1e-9)  # whole days: a fractional day is left to the calibration period
        if days < 1:
            raise ValueError(f"holdout_weeks must cover at least one day, got {holdout_weeks!r}")
        cal_end = obs_end - pd.Timedelta(days=days)
        if cal_end <= first_day:
            raise ValueError(
                f"holdout_weeks={holdout_weeks!r} leaves no calibration period: {obs_end.date()} minus "
                f"{holdout_weeks!r} weeks is {cal_end.date()}, before the first purchase ({first_day.date()}); "
                "use a shorter holdout"
            )
    else:
        cal_end = to_timestamp(calibration_end, "calibration_end").normalize()
        if not first_day < cal_end < obs_end:
            raise ValueError(
                f"calibration_end {cal_end.date()} must be after the first purchase ({first_day.date()}) "
                f"and before observation_end ({obs_end.date()})"
            )
    return cal_end, obs_end


def _purchase_days(purchases: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and purchase day with the day's ``value``, sorted by customer and day."""
    if purchases["customer_id"].isna().any():
        raise ValueError("purchases['customer_id'] has missing values; clean the lines first")
    return (
        pd.DataFrame(
            {
                "customer_id": purchases["customer_id"].to_numpy(),
                "day": purchases["timestamp"].dt.normalize().to_numpy(),
                "value": line_revenue(purchases).to_numpy(),
            }
        )
        .groupby(["customer_id", "day"], observed=True, sort=True)["value"]
        .sum()
        .reset_index()
    )


def _period_ends(
    day: pd.Series, calibration_end: str | pd.Timestamp, observation_end: str | pd.Timestamp | None
) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """The calibration and observation end days, checked against the days with purchases."""
    cal_end = to_timestamp(calibration_end, "calibration_end").normalize()
    first_day, last_day = day.min(), day.max()
    if not first_day <= cal_end <= last_day:
        raise ValueError(
            f"calibration_end {cal_end.date()} is outside the data ({first_day.date()} to {last_day.date()})"
        )
    if observation_end is None:
        return cal_end, None
    obs_end = to_timestamp(observation_end, "observation_end").normalize()
    if obs_end <= cal_end:
        raise ValueError(f"observation_end {obs_end.date()} must be after calibration_end {cal_end.date()}")
    if obs_end > last_day:
        raise ValueError(
            f"observation_end {obs_end.date()} is after the data ends ({last_day.date()}); "
            "the holdout would count unobserved days as days without purchases"
        )
    return cal_end, obs_end


def _calibration_summary(calib: pd.DataFrame, cal_end: pd.Timestamp, unit: float) -> pd.DataFrame:
    """``frequency``, ``recency``, ``T`` and ``monetary_value`` from the calibration purchase days."""
    grouped = calib.groupby("customer_id", observed=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    total = grouped["value"].sum()
    first_value = calib.drop_duplicates("customer_id", keep="first").set_index("customer_id")["value"]
    frequency = (grouped.size() - 1).astype("int64")
    repeat_value = total - first_value.reindex(total.index)
    return pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last - first) / pd.Timedelta(days=unit),
            "T": (cal_end - first) / pd.Timedelta(days=unit),
            "monetary_value": (repeat_value / frequency.where(frequency > 0)).fillna(0.0),
        }
    )


def _add_holdout(summary: pd.DataFrame, hold: pd.DataFrame) -> pd.DataFrame:
    """``summary`` with ``frequency_holdout`` and ``monetary_value_holdout`` of the holdout purchase days."""
    hold = hold[hold["customer_id"].isin(summary.index)]
    by_customer = hold.groupby("customer_id", observed=True)["value"]
    n_hold = by_customer.size().reindex(summary.index, fill_value=0)
    mean_value = by_customer.sum().reindex(summary.index, fill_value=0.0) / n_hold.where(n_hold > 0)
    return summary.assign(frequency_holdout=n_hold.astype("int64"), monetary_value_holdout=mean_value.fillna(0.0))


def _summary_arrays(frequency, recency, T, name: str = "summary") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = as_float_array(frequency, "frequency", ndim=None, allow_nan=True)
    tx = as_float_array(recency, "recency", ndim=None, allow_nan=True)
    t_age = as_float_array(T, "T", ndim=None, allow_nan=True)
    try:
        x, tx, t_age = np.broadcast_arrays(x, tx, t_age)
    except ValueError:
        raise ValueError(
            f"{name}: frequency, recency and T have mismatched shapes {x.shape}, {tx.shape} and {t_age.shape}"
        ) from None
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


def extreme_line_revenue(with_lines: pd.DataFrame, without_lines: pd.DataFrame, extreme: pd.DataFrame) -> pd.DataFrame:
    """Each customer's net revenue with and without the extreme lines, for the customers it changes.

    Parameters
    ----------
    with_lines, without_lines
        Purchase lines net of cancellations (:func:`shopai_lab.data.net_of_returns`), with and without
        the extreme lines (and their cancellations).
    extreme
        The flagged lines (:func:`shopai_lab.data.flag_extreme_lines` rows with ``extreme``), with ``customer_id``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, largest absolute change first: ``net_revenue``, ``net_revenue_without``,
        ``change`` and ``extreme_lines`` (flagged lines of the customer, purchases and cancellations).

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": [1, 1, 2], "quantity": [5, 1000, 2], "unit_price": [2.0, 1.0, 3.0]})
    >>> extreme_line_revenue(lines, lines.iloc[[0, 2]], lines.iloc[[1]])
                 net_revenue  net_revenue_without  change  extreme_lines
    customer_id
    1                 1010.0                 10.0 -1000.0              1
    """
    for name, frame in (("with_lines", with_lines), ("without_lines", without_lines)):
        require_columns(frame, ["customer_id", "quantity", "unit_price"], name)
    require_columns(extreme, ["customer_id"], "extreme")

    def revenue(lines: pd.DataFrame) -> pd.Series:
        return (lines["quantity"] * lines["unit_price"]).groupby(lines["customer_id"]).sum()

    table = pd.DataFrame({"net_revenue": revenue(with_lines), "net_revenue_without": revenue(without_lines)})
    table = table.fillna(0.0).rename_axis("customer_id")
    table["change"] = table["net_revenue_without"] - table["net_revenue"]
    table["extreme_lines"] = extreme.groupby("customer_id").size().reindex(table.index).fillna(0).astype(int)
    changed = table[table["change"].abs() > 0.005]
    order = np.argsort(-changed["change"].abs().to_numpy(), kind="stable")
    return changed.iloc[order]
