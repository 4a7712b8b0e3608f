"""Periodic-review order-up-to policies and a simulator that measures their service and stock.

Each week (the review period is one week) the shop looks at its inventory
position (stock on hand + on order - backorders) and orders up to a level
``S``. An order arrives ``lead_time`` weeks later, so ``S`` must cover the
demand of the next ``lead_time + 1`` weeks (the protection period). Setting
``S`` to the ``p`` quantile of that demand gives a cycle service level of
about ``p``; the newsvendor argument sets ``p`` from costs: the critical ratio
``shortage / (shortage + holding)``.

The simulator's week ``t``: (1) the order placed at ``t - lead_time`` arrives;
(2) review: order ``max(0, S_t - position)``, arriving at ``t + lead_time``
(immediately when the lead time is 0); (3) demand: with lost sales what
cannot be served from stock is lost, with backorders it is served later.
Simulated sales are not demand when the shelf is empty, which is why the
measured demand of the past (sales) understates the demand of stocked-out weeks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_broadcastable,
    require_callable,
    require_columns,
    require_instance,
    require_non_negative,
    require_not_empty,
    require_number,
    require_numeric_columns,
    require_positive_int,
    require_probability,
)
from shopai_lab.forecast.panel import require_demand

__all__ = [
    "critical_ratio",
    "normal_order_up_to",
    "InventoryResult",
    "simulate_order_up_to",
    "service_curve",
    "fill_rate_at_stock",
    "levels_frame",
]


def critical_ratio(holding_cost: float, shortage_cost: float) -> float:
    """Newsvendor critical ratio ``shortage / (shortage + holding)``: the cost-optimal service level.

    Examples
    --------
    >>> critical_ratio(holding_cost=0.5, shortage_cost=4.5)
    0.9
    """
    h = require_non_negative(holding_cost, "holding_cost")
    s = require_non_negative(shortage_cost, "shortage_cost")
    if h + s == 0:
        raise ValueError("holding_cost and shortage_cost cannot both be 0")
    if h == 0 or s == 0:
        raise ValueError("holding_cost and shortage_cost must both be > 0 for an interior service level")
    return s / (s + h)


def normal_order_up_to(mean, std, service_level: float, lead_time: int = 1):
    """Order-up-to level ``(L + 1) mean + z_p std sqrt(L + 1)`` for independent normal weekly demand.

    ``mean`` and ``std`` are per week; the protection period is the lead time
    plus the one-week review period.

    Examples
    --------
    >>> round(float(normal_order_up_to(100.0, 20.0, 0.95, lead_time=3)), 2)  # 400 + 1.645 * 40
    465.79
    """
    p = require_probability(service_level, "service_level")
    lead_time = require_positive_int(lead_time, "lead_time", minimum=0)
    mean = as_float_array(mean, "mean", ndim=None, low=0)
    std = as_float_array(std, "std", ndim=None, low=0)
    require_broadcastable(mean=mean, std=std)
    periods = lead_time + 1
    return periods * mean + norm.ppf(p) * std * np.sqrt(periods)


@dataclass(frozen=True)
class InventoryResult:
    """Result of :func:`simulate_order_up_to`.

    Attributes
    ----------
    by_product
        Per product: ``demand``, ``sales``, ``fill_rate``, ``stockout_weeks``
        (weeks with demand not served from stock), ``cycle_service``
        (share of weeks without one), ``average_stock`` (mean of on-hand stock
        after receipts and at the end of the week) and ``weeks_of_stock``
        (average stock over mean weekly demand).
    on_hand
        End-of-week stock per week and product.
    orders
        Orders placed per week and product.
    """

    by_product: pd.DataFrame
    on_hand: pd.DataFrame
    orders: pd.DataFrame

    def summary(self) -> dict:
        """Totals over products: fill rate (units), cycle service and weeks of stock (units-weighted)."""
        p = self.by_product
        weeks = len(self.on_hand)
        return {
            "fill_rate": float(p["sales"].sum() / p["demand"].sum()),
            "cycle_service": float(p["cycle_service"].mean()),
            "stockout_week_share": float(p["stockout_weeks"].sum() / (weeks * len(p))),
            "weeks_of_stock": float(p["average_stock"].sum() / (p["demand"].sum() / weeks)),
        }


def simulate_order_up_to(
    demand: pd.DataFrame,
    order_up_to: pd.DataFrame,
    lead_time: int = 1,
    lost_sales: bool = True,
    initial_stock: pd.Series | None = None,
) -> InventoryResult:
    """Simulate a weekly-review order-up-to policy on a demand path.

    Parameters
    ----------
    demand
        Weeks x products demand (the test weeks).
    order_up_to
        Order-up-to level ``S`` per week and product (same shape and labels),
        set at each week's review from information before that week.
    lead_time
        Weeks between ordering and receiving (>= 0).
    lost_sales
        ``True``: unmet demand is lost; ``False``: it is backordered.
    initial_stock
        Stock on hand before the first week (default: the first week's ``S``,
        with nothing on order, which is the steady state of the policy).

    Examples
    --------
    >>> idx = pd.RangeIndex(4)
    >>> d = pd.DataFrame({"x": [10.0, 10.0, 30.0, 10.0]}, index=idx)
    >>> S = pd.DataFrame({"x": 20.0}, index=idx)
    >>> res = simulate_order_up_to(d, S, lead_time=1)
    >>> res.on_hand["x"].tolist(), round(float(res.by_product.loc["x", "fill_rate"]), 4)
    ([10.0, 0.0, 0.0, 0.0], 0.6667)
    """
    D, S, stock, lead_time = _check_policy_inputs(demand, order_up_to, lead_time, initial_stock)
    require_bool(lost_sales, "lost_sales")
    after_receipt, served, on_hand, orders = _run_policy(D, S, stock, lead_time, lost_sales)
    frame = lambda values: pd.DataFrame(values, index=demand.index, columns=demand.columns)  # noqa: E731
    return InventoryResult(
        by_product=_service_summary(D, served, after_receipt, on_hand, demand.columns),
        on_hand=frame(on_hand),
        orders=frame(orders),
    )


def _check_policy_inputs(demand, order_up_to, lead_time, initial_stock):
    """Demand and levels as arrays (weeks x products), the starting stock and the lead time, checked."""
    demand = require_demand(demand, "demand")
    if not isinstance(order_up_to, pd.DataFrame):
        raise TypeError(f"order_up_to must be a pandas DataFrame, got {type(order_up_to).__name__}")
    if (
        order_up_to.shape != demand.shape
        or not order_up_to.columns.equals(demand.columns)
        or not order_up_to.index.equals(demand.index)
    ):
        raise ValueError("order_up_to must have the same weeks (index) and products (columns) as demand")
    S = order_up_to.to_numpy(dtype=float)
    if not np.isfinite(S).all():
        raise ValueError("order_up_to has missing or infinite levels")
    lead_time = require_positive_int(lead_time, "lead_time", minimum=0)
    if initial_stock is not None:
        require_instance(initial_stock, pd.Series, "initial_stock")
    # a writable copy: under pandas' copy-on-write, to_numpy() may return a read-only view
    given = None if initial_stock is None else initial_stock.reindex(demand.columns).to_numpy(dtype=float)
    stock = S[0].copy() if given is None else np.array(given, dtype=float, copy=True)
    if not np.isfinite(stock).all() or (stock < 0).any():
        raise ValueError("initial_stock must be >= 0 for every product")
    return demand.to_numpy(dtype=float), S, stock, lead_time


def _clear_backlog(stock: np.ndarray, backlog: np.ndarray) -> None:
    cleared = np.minimum(stock, backlog)
    stock -= cleared
    backlog -= cleared


def _run_policy(D, S, stock, lead_time, lost_sales):
    """Week by week: receive, review (order up to S), serve; returns stock after receipt, sales, end stock, orders."""
    weeks, n = D.shape
    pipeline = np.zeros((weeks + lead_time + 1, n))
    backlog = np.zeros(n)
    on_hand, orders, served, after_receipt = (np.zeros((weeks, n)) for _ in range(4))
    for t in range(weeks):
        stock += pipeline[t]
        if not lost_sales:
            _clear_backlog(stock, backlog)
        position = stock + pipeline[t + 1 :].sum(axis=0) - backlog
        order = np.maximum(S[t] - position, 0.0)
        orders[t] = order
        if lead_time == 0:
            stock += order
            if not lost_sales:
                _clear_backlog(stock, backlog)
        else:
            pipeline[t + lead_time] += order
        after_receipt[t] = stock
        served[t] = np.minimum(stock, D[t])
        stock -= served[t]
        if not lost_sales:
            backlog += D[t] - served[t]
        on_hand[t] = stock
    return after_receipt, served, on_hand, orders


def _service_summary(D, served, after_receipt, on_hand, products) -> pd.DataFrame:
    """Per product: demand, sales, fill rate, stockout weeks, cycle service, average stock, weeks of stock."""
    weeks = D.shape[0]
    total = D.sum(axis=0)
    sales = served.sum(axis=0)
    stockouts = (served < D - 1e-9).sum(axis=0)
    average_stock = ((after_receipt + on_hand) / 2).mean(axis=0)
    mean_demand = total / weeks
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "demand": total,
                "sales": sales,
                "fill_rate": np.where(total > 0, sales / total, 1.0),
                "stockout_weeks": stockouts,
                "cycle_service": 1 - stockouts / weeks,
                "average_stock": average_stock,
                "weeks_of_stock": np.where(mean_demand > 0, average_stock / mean_demand, np.nan),
            },
            index=products,
        )


def service_curve(
    demand: pd.DataFrame, levels_for, service_levels, lead_time: int = 1, lost_sales: bool = True
) -> pd.DataFrame:
    """Fill rate and weeks of stock of a policy family over a range of target service levels.

    ``levels_for(p)`` returns the order-up-to frame for target ``p``; each is
    simulated with :func:`simulate_order_up_to`. Comparing forecasters along
    these curves compares them at equal stock, not at one arbitrary target.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [10.0, 10.0, 30.0, 10.0]})
    >>> curve = service_curve(d, lambda p: pd.DataFrame({"x": 20.0 + 40 * p}, index=d.index), [0.1, 0.9],
    ...                       lead_time=0)
    >>> curve["fill_rate"].round(3).tolist()
    [0.9, 1.0]
    """
    require_callable(levels_for, "levels_for")
    if isinstance(service_levels, str) or not isinstance(service_levels, Iterable):
        raise TypeError(f"service_levels must be a list of target service levels, got {service_levels!r}")
    service_levels = [require_probability(p, "service_levels") for p in service_levels]
    if not service_levels:
        raise ValueError("service_levels is empty: give at least one target service level")
    rows = []
    for p in service_levels:
        result = simulate_order_up_to(demand, levels_for(p), lead_time, lost_sales)
        rows.append({"target": p, **result.summary()})
    return pd.DataFrame(rows)


def fill_rate_at_stock(curve: pd.DataFrame, weeks_of_stock: float) -> float:
    """Fill rate of a service curve interpolated at a given weeks of stock (NaN outside the curve).

    Examples
    --------
    >>> curve = pd.DataFrame({"weeks_of_stock": [1.0, 3.0], "fill_rate": [0.8, 0.9]})
    >>> round(fill_rate_at_stock(curve, 2.0), 6)
    0.85
    """
    require_columns(curve, ["weeks_of_stock", "fill_rate"], "curve")
    require_not_empty(curve, "curve")
    require_numeric_columns(curve, ["weeks_of_stock", "fill_rate"], "curve", allow_nan=False)
    weeks_of_stock = require_number(weeks_of_stock, "weeks_of_stock")
    c = curve.sort_values("weeks_of_stock", kind="stable")
    x, y = c["weeks_of_stock"].to_numpy(), c["fill_rate"].to_numpy()
    if not x[0] <= weeks_of_stock <= x[-1]:
        return float("nan")
    return float(np.interp(weeks_of_stock, x, y))


def levels_frame(rows: pd.DataFrame, column: str, weeks=None, items=None) -> pd.DataFrame:
    """Order-up-to levels as a weeks x products frame from long rows (``origin``, ``item_id``, ``column``).

    Each origin's value is the level set at that week's review. ``weeks`` and
    ``items`` fix the order of rows and columns (every pair must be present).

    Examples
    --------
    >>> rows = pd.DataFrame({"origin": [0, 0, 1, 1], "item_id": ["a", "b", "a", "b"], "q": [1.0, 2, 3, 4]})
    >>> levels_frame(rows, "q").to_numpy().tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    require_columns(rows, ["origin", "item_id", column], "rows")
    if rows.duplicated(["origin", "item_id"]).any():
        raise ValueError("rows has more than one level per origin and product; filter one model and h first")
    frame = rows.pivot(index="origin", columns="item_id", values=column)
    if weeks is not None:
        frame = frame.reindex(index=weeks)
    if items is not None:
        frame = frame.reindex(columns=items)
    if frame.isna().to_numpy().any():
        raise ValueError(f"rows lack a level ({column!r}) for some week and product")
    frame.index.name, frame.columns.name = "week", "item_id"
    return frame
