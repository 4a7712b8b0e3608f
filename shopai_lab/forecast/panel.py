"""The weekly demand panel: units sold per product and week, with its traps handled explicitly.

Sales lines become demand through four explicit decisions, each reported:

1. **Lines**: cancellations, non-product stock codes (postage, fees, manual lines: the
   data set's rule, passed as ``non_product_pattern``, e.g. ``shopai_lab.data.NON_PRODUCT_PATTERN``
   for the bundled data), zero or negative quantities and prices are out. Lines without a customer id
   stay: an anonymous sale is still demand. Optionally (``net_cancelled``) the
   quantities a customer later cancelled are taken off the purchases they
   cancel, so an order entered by mistake and cancelled minutes later is not a
   demand spike.
2. **Weeks**: Monday-to-Sunday weeks; the first and last weeks are dropped when
   the data do not cover all their days (a partial week looks like a demand drop).
3. **Closures**: a full week in which the whole shop sold nothing (the week
   after Christmas) is a closure, not zero demand. It is removed from the
   panel, so the weeks either side are neighbours for every forecaster; a zero
   there would teach the models a collapse that no customer caused.
4. **Products**: :func:`select_products` keeps products sold in at least a share
   of the *training* weeks only, so the choice does not look at the test weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_bool,
    require_columns,
    require_datetime,
    require_not_empty,
    require_numeric_columns,
    require_numeric_frame,
    require_ordered_index,
    require_pattern,
    require_positive,
    require_probability,
    to_timestamp,
)
from shopai_lab.data import net_of_returns

__all__ = [
    "DemandPanel",
    "demand_lines",
    "weekly_panel",
    "select_products",
    "intermittency_classes",
    "INTERMITTENCY_CLASSES",
]


def require_demand(demand, name: str = "demand", min_length: int = 1) -> pd.DataFrame:
    """Check a weeks x products frame of demand (or revenue, units): what every forecaster is fitted on.

    Numbers only (booleans and text refused), finite, non-negative, unique product columns,
    weeks (the index) in increasing order without repeats, at least ``min_length`` weeks.
    Returns the frame as float64 (a new frame when a conversion was needed); the caller's
    frame is never modified.

    Examples
    --------
    >>> require_demand(pd.DataFrame({"x": [1, 2]}, index=[1, 0]))
    Traceback (most recent call last):
    ...
    ValueError: demand's weeks (index) must be in increasing order without repeats; got 1 before 0
    """
    require_numeric_frame(demand, name, low=0)
    require_ordered_index(demand, name, "weeks")
    if len(demand) < min_length:
        raise ValueError(f"{name} has {len(demand)} weeks of history; at least {min_length} are needed")
    return demand.astype(float)


#: Syntetos-Boylan-Croston classes in the order smooth, erratic, intermittent, lumpy.
INTERMITTENCY_CLASSES: tuple[str, ...] = ("smooth", "erratic", "intermittent", "lumpy")

_LINE_COLUMNS = ("invoice_id", "item_id", "quantity", "unit_price", "timestamp")


def demand_lines(
    transactions: pd.DataFrame,
    non_product_pattern: str | None = None,
    cancellation_prefix: str = "C",
    net_cancelled: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sales lines that count as demand, and a report of the lines left out.

    Parameters
    ----------
    transactions
        Canonical transaction lines. Not modified.
    non_product_pattern
        Full-match regular expression of stock codes that are not products (e.g.
        ``shopai_lab.data.NON_PRODUCT_PATTERN``); ``None``: every stock code is a product.
    cancellation_prefix
        Invoice-id prefix of a cancellation.
    net_cancelled
        Take quantities cancelled by a known customer off that customer's
        earlier purchases of the product (:func:`shopai_lab.data.cleaning.net_of_returns`).

    Returns
    -------
    (lines, report)
        ``lines`` has ``item_id``, ``quantity``, ``unit_price``, ``revenue`` and
        ``timestamp``; ``report`` has one row per rule with ``lines`` and ``units``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", None, "b"], "invoice_id": ["1", "C2", "3", "4"],
    ...     "item_id": ["x", "x", "x", "POST"], "quantity": [5, -2, 1, 1],
    ...     "unit_price": [1.0, 1.0, 2.0, 18.0],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-03"])})
    >>> lines, report = demand_lines(tx, non_product_pattern="POST")
    >>> lines["quantity"].tolist(), report["units"].tolist()
    ([3.0, 1.0], [-2.0, 1.0, 0.0, 2.0])
    """
    require_columns(transactions, _LINE_COLUMNS, "transactions")
    require_datetime(transactions, "timestamp", "transactions")
    require_numeric_columns(transactions, ["quantity", "unit_price"], "transactions")
    require_bool(net_cancelled, "net_cancelled")
    if not isinstance(cancellation_prefix, str) or not cancellation_prefix:
        raise ValueError(f"cancellation_prefix must be a non-empty string, got {cancellation_prefix!r}")
    non_product_pattern = require_pattern(non_product_pattern, "non_product_pattern")
    lines = transactions.reset_index(drop=True)
    quantity = pd.to_numeric(lines["quantity"], errors="coerce").astype(float)
    price = pd.to_numeric(lines["unit_price"], errors="coerce").astype(float)
    cancel = lines["invoice_id"].astype("string").str.startswith(cancellation_prefix).fillna(False)
    non_product = (
        lines["item_id"].astype("string").str.fullmatch(non_product_pattern).fillna(False)
        if non_product_pattern
        else pd.Series(False, index=lines.index)
    )
    masks = {
        "cancellation": cancel.to_numpy(bool),
        "non-product stock code": non_product.to_numpy(bool),
        "quantity or price <= 0 or missing": ~((quantity > 0) & (price > 0)).to_numpy(bool)
        | lines["timestamp"].isna().to_numpy(),
    }
    keep = np.ones(len(lines), dtype=bool)
    rows = []
    for rule, mask in masks.items():
        dropped = keep & mask
        rows.append((rule, int(dropped.sum()), float(quantity[dropped].sum())))
        keep &= ~mask
    sales = lines.loc[keep, list(_LINE_COLUMNS) + (["customer_id"] if "customer_id" in lines else [])]
    sales = sales.assign(quantity=quantity[keep], unit_price=price[keep])
    cancelled_units = 0.0
    if net_cancelled and "customer_id" in lines.columns:
        returns = lines.loc[masks["cancellation"], ["customer_id", "item_id", "quantity", "timestamp"]]
        returns = returns.assign(quantity=quantity[masks["cancellation"]])
        known = sales["customer_id"].notna()
        netted = net_of_returns(sales[known], returns)
        cancelled_units = float(sales.loc[known, "quantity"].sum() - netted["quantity"].sum())
        sales = pd.concat([netted, sales[~known]], ignore_index=True)
    rows.append(("cancelled quantity netted off purchases", 0, cancelled_units))
    sales = sales.sort_values(["timestamp", "item_id"], kind="stable").reset_index(drop=True)
    sales["revenue"] = sales["quantity"] * sales["unit_price"]
    report = pd.DataFrame(rows, columns=["rule", "lines", "units"]).set_index("rule")
    return sales[["item_id", "quantity", "unit_price", "revenue", "timestamp"]], report


@dataclass(frozen=True)
class DemandPanel:
    """Weekly demand per product (rows: week starts, Mondays; columns: ``item_id``).

    Attributes
    ----------
    units
        Units sold per week and product, zero-filled, closed weeks removed.
    revenue
        Revenue per week and product, same shape.
    price
        Average unit price paid per week and product (``NaN`` in weeks without sales).
    closed_weeks
        Full weeks in which the whole shop sold nothing (removed from the frames).
    dropped_weeks
        Partial first/last weeks that were dropped.
    report
        Lines and units left out by each rule of :func:`demand_lines`.
    """

    units: pd.DataFrame
    revenue: pd.DataFrame
    price: pd.DataFrame
    closed_weeks: list = field(default_factory=list)
    dropped_weeks: list = field(default_factory=list)
    report: pd.DataFrame | None = None

    @property
    def weeks(self) -> pd.DatetimeIndex:
        """The week starts of the panel (open, full weeks)."""
        return pd.DatetimeIndex(self.units.index)

    def subset(self, items) -> DemandPanel:
        """The panel restricted to ``items`` (in that order); unknown products raise ``ValueError``."""
        if isinstance(items, str):
            raise TypeError(f"items must be a list of products, got the single string {items!r}")
        items = list(items)
        unknown = [i for i in items if i not in self.units.columns]
        if unknown:
            raise ValueError(f"unknown product(s) {unknown[:5]}: not in the panel")
        return DemandPanel(
            self.units[items],
            self.revenue[items],
            self.price[items],
            list(self.closed_weeks),
            list(self.dropped_weeks),
            self.report,
        )

    def __repr__(self) -> str:
        return (
            f"DemandPanel({self.units.shape[0]} weeks x {self.units.shape[1]:,} products, "
            f"{len(self.closed_weeks)} closed and {len(self.dropped_weeks)} partial weeks removed)"
        )


def weekly_panel(
    transactions: pd.DataFrame,
    non_product_pattern: str | None = None,
    net_cancelled: bool = True,
    drop_partial_weeks: bool = True,
    closed_weeks: str = "drop",
) -> DemandPanel:
    """Weekly units, revenue and price per product from canonical transaction lines.

    Parameters
    ----------
    transactions
        Canonical transaction lines (raw: the rules of :func:`demand_lines` are applied).
    non_product_pattern, net_cancelled
        See :func:`demand_lines`.
    drop_partial_weeks
        Drop the first and last weeks when the data start after Monday 00:00 or
        end before the following Monday.
    closed_weeks
        ``"drop"`` (default): full weeks with no sales at all are removed;
        ``"keep"``: they stay as zero demand.

    Examples
    --------
    >>> days = pd.to_datetime(["2024-01-01", "2024-01-09", "2024-01-16", "2024-01-29", "2024-02-04"])
    >>> tx = pd.DataFrame({"customer_id": "a", "invoice_id": ["1", "2", "3", "4", "5"],
    ...     "item_id": ["x", "y", "x", "x", "y"], "quantity": [2, 1, 3, 4, 1],
    ...     "unit_price": 1.0, "timestamp": days + pd.Timedelta(hours=23)})
    >>> panel = weekly_panel(tx)
    >>> panel
    DemandPanel(4 weeks x 2 products, 1 closed and 0 partial weeks removed)
    >>> panel.units["x"].tolist(), [str(w.date()) for w in panel.closed_weeks]
    ([2.0, 0.0, 3.0, 4.0], ['2024-01-22'])
    """
    if closed_weeks not in ("drop", "keep"):
        raise ValueError(f"closed_weeks must be 'drop' or 'keep', got {closed_weeks!r}")
    require_bool(drop_partial_weeks, "drop_partial_weeks")
    lines, report = demand_lines(transactions, non_product_pattern, net_cancelled=net_cancelled)
    require_not_empty(lines, "demand lines (transactions after removing cancellations and non-products)")
    first, last = transactions["timestamp"].min(), transactions["timestamp"].max()
    week = lines["timestamp"].dt.to_period("W-SUN").dt.start_time
    all_weeks = pd.date_range(first.to_period("W-SUN").start_time, last.to_period("W-SUN").start_time, freq="W-MON")
    units = lines.pivot_table(
        index=week, columns="item_id", values="quantity", aggfunc="sum", fill_value=0.0, observed=True
    )
    revenue = lines.pivot_table(
        index=week, columns="item_id", values="revenue", aggfunc="sum", fill_value=0.0, observed=True
    )
    units = units.reindex(all_weeks, fill_value=0.0).astype(float)
    revenue = revenue.reindex(all_weeks, fill_value=0.0).astype(float)
    dropped = []
    if drop_partial_weeks:
        if first.normalize() > all_weeks[0]:  # the data start after the week's Monday
            dropped.append(all_weeks[0])
        if last.normalize() < all_weeks[-1] + pd.Timedelta(days=6):  # they end before its Sunday
            dropped.append(all_weeks[-1])
    kept = all_weeks.difference(pd.DatetimeIndex(dropped))
    closed = [w for w in kept if units.loc[w].sum() == 0]
    if closed_weeks == "drop":
        kept = kept.difference(pd.DatetimeIndex(closed))
    if len(kept) == 0:
        raise ValueError("transactions cover no full week of trading; a weekly panel needs at least one")
    units, revenue = units.loc[kept], revenue.loc[kept]
    units = units.loc[:, units.sum() > 0]
    revenue = revenue[units.columns]
    units.index.name = revenue.index.name = "week"
    units.columns.name = revenue.columns.name = "item_id"
    with np.errstate(invalid="ignore", divide="ignore"):
        price = revenue / units.where(units > 0)
    return DemandPanel(units, revenue, price, closed, dropped, report)


def select_products(
    units: pd.DataFrame,
    train_end,
    min_active_share: float = 0.6,
) -> list:
    """Products sold in at least ``min_active_share`` of the weeks up to ``train_end``.

    Only weeks on or before ``train_end`` are looked at, so the selection
    cannot depend on the test weeks. Products are returned in panel order.

    Examples
    --------
    >>> units = pd.DataFrame({"a": [1, 1, 0, 0], "b": [0, 0, 5, 5]},
    ...                      index=pd.date_range("2024-01-01", periods=4, freq="W-MON"))
    >>> select_products(units, "2024-01-08", 0.5)
    ['a']
    """
    require_demand(units, "units")
    share = require_probability(min_active_share, "min_active_share", allow_one=True)
    end = to_timestamp(train_end, "train_end")
    train = units.loc[units.index <= end]
    if len(train) == 0:
        raise ValueError(f"train_end {train_end!r} is before the first week {units.index[0]}")
    active = (train > 0).mean()
    return active.index[active >= share].tolist()


def intermittency_classes(
    units: pd.DataFrame,
    adi_cut: float = 1.32,
    cv2_cut: float = 0.49,
) -> pd.DataFrame:
    """Syntetos-Boylan-Croston classes from the average demand interval and CV² of sizes.

    ADI is the number of weeks divided by the number of weeks with demand (the
    mean interval between demands); CV² is the squared coefficient of
    variation (population standard deviation over mean) of the non-zero
    demands. Smooth: ADI < 1.32 and CV² < 0.49; erratic: ADI < 1.32, CV² >= 0.49;
    intermittent: ADI >= 1.32, CV² < 0.49; lumpy: both high (Syntetos, Boylan &
    Croston 2005). Pass the training weeks only.

    Returns
    -------
    pandas.DataFrame
        Indexed by product: ``adi``, ``cv2``, ``intermittency_class`` (ordered categorical).
        Products without any demand get ADI = inf and class "lumpy".

    Examples
    --------
    >>> units = pd.DataFrame({"steady": [4, 5, 4, 5], "rare": [0, 6, 0, 0]})
    >>> intermittency_classes(units)["intermittency_class"].tolist()
    ['smooth', 'intermittent']
    """
    require_demand(units, "units")
    adi_cut = require_positive(adi_cut, "adi_cut")
    cv2_cut = require_positive(cv2_cut, "cv2_cut")
    values = units.to_numpy(dtype=float)
    nonzero = values > 0
    count = nonzero.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(count > 0, len(values) / count, np.inf)
        mean = values.sum(axis=0) / count
        variance = (np.where(nonzero, values - mean, 0.0) ** 2).sum(axis=0) / count
        cv2 = np.where(count > 0, variance / mean**2, np.nan)
    high_adi = adi >= adi_cut
    high_cv2 = ~(cv2 < cv2_cut)
    index = np.where(high_adi, 2, 0) + np.where(high_cv2, 1, 0)
    classes = pd.Categorical.from_codes(index, categories=list(INTERMITTENCY_CLASSES), ordered=True)
    return pd.DataFrame({"adi": adi, "cv2": cv2, "intermittency_class": classes}, index=units.columns)
