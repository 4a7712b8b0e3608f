"""The experiment's population from real purchases: eligible customers, outcomes, pre-period covariates.

A historical "experiment" on the shop's own customers: the eligible customers
are those who bought before a cut-off (the pre-period), the experiment period
is the following weeks, the outcomes are each customer's net revenue and
conversion (any purchase) in that period, and the covariates are measured in
the pre-period only, so no treatment could have changed them. Random splits of
this population give A/A tests with the shop's real heavy tails; a known effect
injected into one arm gives A/B tests whose truth is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_columns,
    require_datetime,
    require_not_empty,
    require_numeric_columns,
    require_positive_int,
    to_timestamp,
)

#: Pre-period covariates computed by :func:`experiment_population`.
COVARIATES = (
    "pre_revenue",
    "pre_revenue_recent",
    "pre_invoices",
    "pre_invoices_recent",
    "pre_products",
    "pre_active_months",
    "pre_days_since_last",
    "pre_tenure_days",
    "pre_mean_invoice",
)


@dataclass(frozen=True)
class ExperimentPopulation:
    """Result of :func:`experiment_population`.

    Attributes
    ----------
    customers
        One row per eligible customer (index ``customer_id``): ``revenue`` (net,
        experiment period, zeros included), ``converted`` (0/1), ``orders``
        (invoices in the experiment period) and the pre-period covariates
        :data:`COVARIATES` (``*_recent``: the last ``experiment_weeks`` weeks of the pre-period).
    weekly_revenue, weekly_converted
        ``(customers, weeks)`` arrays: cumulative revenue and conversion at the end of each week.
    pre_period_end
        Last day of the pre-period (inclusive).
    experiment_start, experiment_end
        The experiment period ``[start, end)``.
    """

    customers: pd.DataFrame
    weekly_revenue: np.ndarray
    weekly_converted: np.ndarray
    pre_period_end: pd.Timestamp
    experiment_start: pd.Timestamp
    experiment_end: pd.Timestamp

    @property
    def n_weeks(self) -> int:
        """Number of weeks in the experiment period."""
        return int(self.weekly_revenue.shape[1])

    def __repr__(self) -> str:
        return (
            f"ExperimentPopulation({len(self.customers):,} customers, pre-period to "
            f"{self.pre_period_end.date()}, experiment {self.experiment_start.date()} to "
            f"{(self.experiment_end - pd.Timedelta(days=1)).date()} ({self.n_weeks} weeks))"
        )


def default_pre_period_end(purchases: pd.DataFrame, experiment_weeks: int = 13) -> pd.Timestamp:
    """Last pre-period day that leaves ``experiment_weeks`` full weeks up to the data's last day."""
    require_columns(purchases, ["timestamp"], "purchases")
    require_not_empty(purchases, "purchases")
    require_datetime(purchases, "timestamp", "purchases")
    weeks = require_positive_int(experiment_weeks, "experiment_weeks")
    last_day = purchases["timestamp"].max().normalize()
    return last_day - pd.Timedelta(weeks=weeks)


def experiment_population(
    purchases: pd.DataFrame, pre_period_end=None, experiment_weeks: int = 13, experiment_start=None
) -> ExperimentPopulation:
    """Eligible customers with experiment-period outcomes and pre-period covariates.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``invoice_id``, ``item_id``,
        ``timestamp`` and ``revenue`` or ``quantity`` x ``unit_price``), ideally
        net of returns (``cleaning.net_of_returns``). Not modified.
    pre_period_end
        Last day of the pre-period; default :func:`default_pre_period_end`.
    experiment_weeks
        Length of the experiment period in weeks.
    experiment_start
        First day of the experiment (default the day after ``pre_period_end``);
        must come after the pre-period.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "invoice_id": ["1", "2", "3", "4"],
    ...     "item_id": ["x", "y", "x", "x"], "revenue": [10.0, 5.0, 7.0, 3.0],
    ...     "timestamp": pd.to_datetime(["2024-01-02", "2024-02-10", "2024-01-20", "2024-02-25"])})
    >>> pop = experiment_population(lines, "2024-01-31", experiment_weeks=3)
    >>> pop.customers[["revenue", "converted", "pre_revenue"]].to_dict("index")
    {'a': {'revenue': 5.0, 'converted': 1, 'pre_revenue': 10.0},
     'b': {'revenue': 0.0, 'converted': 0, 'pre_revenue': 7.0}}
    """
    require_columns(purchases, ["customer_id", "invoice_id", "item_id", "timestamp"], "purchases")
    require_not_empty(purchases, "purchases")
    require_datetime(purchases, "timestamp", "purchases")
    weeks = require_positive_int(experiment_weeks, "experiment_weeks")
    lines = _purchase_lines(purchases)
    pre_end, start, end = _periods(lines, pre_period_end, experiment_start, weeks)
    pre = lines[lines["timestamp"] < pre_end + pd.Timedelta(days=1)]
    if len(pre) == 0:
        raise ValueError(
            f"no purchases on or before pre_period_end {pre_end.date()} (data start {lines['timestamp'].min().date()})"
        )
    covariates = _pre_covariates(pre, start, weeks)
    during = lines[(lines["timestamp"] >= start) & (lines["timestamp"] < end)]
    during = during[during["customer_id"].isin(covariates.index)]
    outcome = during.groupby("customer_id")
    customers = pd.DataFrame(index=covariates.index)
    customers["revenue"] = outcome["revenue"].sum().reindex(customers.index, fill_value=0.0)
    customers["converted"] = (customers["revenue"] > 0).astype(int)
    customers["orders"] = outcome["invoice_id"].nunique().reindex(customers.index, fill_value=0).astype(int)
    customers = customers.join(covariates)
    weekly_revenue = _cumulative_weekly_revenue(during, customers.index, start, weeks)
    return ExperimentPopulation(customers, weekly_revenue, weekly_revenue > 0, pre_end, start, end)


def _purchase_lines(purchases: pd.DataFrame) -> pd.DataFrame:
    """Customer, invoice, product, time and revenue of each purchase line with a known customer."""
    if "revenue" in purchases.columns:
        require_numeric_columns(purchases, ["revenue"], "purchases", allow_nan=False)
        revenue = purchases["revenue"].to_numpy(dtype=float)
    else:
        require_columns(purchases, ["quantity", "unit_price"], "purchases")
        require_numeric_columns(purchases, ["quantity", "unit_price"], "purchases", allow_nan=False)
        revenue = (purchases["quantity"] * purchases["unit_price"]).to_numpy(dtype=float)
    lines = pd.DataFrame(
        {
            "customer_id": purchases["customer_id"].to_numpy(),
            "invoice_id": purchases["invoice_id"].to_numpy(),
            "item_id": purchases["item_id"].to_numpy(),
            "timestamp": purchases["timestamp"].to_numpy(),
            "revenue": revenue,
        }
    )
    return lines[lines["customer_id"].notna()]


def _periods(lines: pd.DataFrame, pre_period_end, experiment_start, weeks: int):
    """The pre-period's last day and the experiment's start and end, checked against the data."""
    if pre_period_end is None:
        pre_end = default_pre_period_end(lines, weeks)
    else:
        pre_end = to_timestamp(pre_period_end, "pre_period_end").normalize()
    start = pre_end + pd.Timedelta(days=1)
    if experiment_start is not None:
        start = to_timestamp(experiment_start, "experiment_start").normalize()
        if start <= pre_end:
            raise ValueError(
                f"experiment_start {start.date()} overlaps the pre-period ending {pre_end.date()}: "
                "the covariates must be measured before the experiment starts"
            )
    end = start + pd.Timedelta(weeks=weeks)
    last = lines["timestamp"].max()
    if end > last.normalize() + pd.Timedelta(days=1):
        raise ValueError(
            f"the experiment period {start.date()} + {weeks} weeks runs past the data's last day "
            f"{last.date()}; choose an earlier pre_period_end or fewer experiment_weeks"
        )
    return pre_end, start, end


def _pre_covariates(pre: pd.DataFrame, start: pd.Timestamp, weeks: int) -> pd.DataFrame:
    """The pre-period covariates of every pre-period buyer (:data:`COVARIATES`), indexed by customer."""
    recent_start = start - pd.Timedelta(weeks=weeks)
    pre = pre.assign(month=pre["timestamp"].dt.to_period("M"))
    by = pre.groupby("customer_id", sort=True)
    covariates = pd.DataFrame(
        {
            "pre_revenue": by["revenue"].sum(),
            "pre_invoices": by["invoice_id"].nunique(),
            "pre_products": by["item_id"].nunique(),
            "pre_active_months": by["month"].nunique(),
            "pre_days_since_last": (start - by["timestamp"].max()).dt.total_seconds() / 86_400,
            "pre_tenure_days": (start - by["timestamp"].min()).dt.total_seconds() / 86_400,
        }
    )
    recent = pre[pre["timestamp"] >= recent_start].groupby("customer_id")
    covariates["pre_revenue_recent"] = recent["revenue"].sum().reindex(covariates.index, fill_value=0.0)
    covariates["pre_invoices_recent"] = recent["invoice_id"].nunique().reindex(covariates.index, fill_value=0)
    covariates["pre_mean_invoice"] = covariates["pre_revenue"] / covariates["pre_invoices"]
    covariates = covariates[list(COVARIATES)].astype(float)
    covariates.index.name = "customer_id"
    return covariates


def _cumulative_weekly_revenue(during: pd.DataFrame, customers: pd.Index, start, weeks: int) -> np.ndarray:
    """Customers x weeks cumulative revenue over the experiment period."""
    row = customers.get_indexer(during["customer_id"])
    week = ((during["timestamp"] - start) // pd.Timedelta(weeks=1)).to_numpy().astype(int)
    weekly = np.zeros((len(customers), weeks))
    np.add.at(weekly, (row, week), during["revenue"].to_numpy())
    return np.cumsum(weekly, axis=1)
