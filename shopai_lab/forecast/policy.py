"""Choosing a forecaster and a stock level on rolling validation windows, and the order list they give.

The decision a shop makes each week is an order-up-to level per product. Its cost is
``holding_cost`` per unit held per week plus ``shortage_cost`` per unit of demand not served, so
the default service target is the newsvendor critical ratio (:func:`critical_ratio`). Everything is
chosen on validation weeks, split into several consecutive **windows**, so that a level that only
worked in one window (a closure, a peak, one wholesale order) does not carry over:

* :func:`bulk_caps` / :func:`cap_demand`: weekly demand above ``factor`` times a product's typical
  non-zero week on the training weeks is a **bulk order** (a wholesaler), capped when levels are
  calibrated; the order list flags such products for a conversation rather than a model.
* :func:`validation_windows` and :func:`flag_windows`: windows next to a closure, or whose total demand
  is far (robust z) from the others, are flagged and left out of the choice when others remain.
* :func:`rank_forecasters` and :func:`top_k_combination`: forecasters ranked by validation RMSSE, and
  the mean of the best few (the number chosen on validation too).
* :func:`window_curves`, :func:`level_for_fill`, :func:`level_for_cost`: the simulated fill, stock and
  cost of each target level in each window, the level reaching a fill target in the median window, and
  the level of least total cost.
* :func:`product_costs`, :func:`compare_policies`: per-product cost of a simulated policy, and a paired
  bootstrap over products (:func:`shopai_lab.stats.paired_bootstrap`).
* :func:`order_list`: next week's order per product (order-up-to level, on hand, quantity with minimum
  order quantity and pack size, expected fill and cost) with the products to discuss flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_non_negative,
    require_positive,
    require_positive_int,
    require_probability,
    require_strings,
)
from shopai_lab.forecast.inventory import InventoryResult, simulate_order_up_to
from shopai_lab.forecast.panel import require_demand
from shopai_lab.stats import Interval, paired_bootstrap

__all__ = [
    "bulk_caps",
    "cap_demand",
    "validation_windows",
    "flag_windows",
    "rank_forecasters",
    "top_k_combination",
    "window_curves",
    "level_for_fill",
    "level_for_cost",
    "product_costs",
    "compare_policies",
    "order_list",
]


def bulk_caps(history: pd.DataFrame, factor: float = 5.0) -> pd.Series:
    """Per product: ``factor`` x the median of its non-zero weeks in ``history`` (a bulk-order threshold).

    A week above the cap is treated as a bulk (wholesale) order: one customer's decision, which a
    conversation forecasts better than a model. Products that never sold get an infinite cap.

    Examples
    --------
    >>> bulk_caps(pd.DataFrame({"x": [0.0, 2.0, 4.0, 400.0]}), factor=5).tolist()
    [20.0]
    """
    history = require_demand(history, "history")
    factor = require_positive(factor, "factor")
    typical = history.where(history > 0).median()
    return (factor * typical).fillna(np.inf).rename("cap")


def cap_demand(demand: pd.DataFrame, caps: pd.Series) -> pd.DataFrame:
    """``demand`` with every week capped at its product's cap (a new frame; the input is not modified).

    Examples
    --------
    >>> cap_demand(pd.DataFrame({"x": [1.0, 50.0]}), pd.Series({"x": 20.0}))["x"].tolist()
    [1.0, 20.0]
    """
    demand = require_demand(demand, "demand")
    require_instance(caps, pd.Series, "caps")
    missing = [c for c in demand.columns if c not in caps.index]
    if missing:
        raise ValueError(f"caps has no value for product(s) {missing[:5]}")
    c = caps.reindex(demand.columns).to_numpy(dtype=float)
    if np.isnan(c).any() or (c < 0).any():
        raise ValueError("caps must be >= 0 (or inf) for every product")
    return demand.clip(upper=pd.Series(c, index=demand.columns), axis=1)


def validation_windows(weeks: pd.DatetimeIndex, start, end, n_windows: int) -> list[tuple]:
    """``n_windows`` consecutive windows ``(first week, one past the last)`` splitting ``[start, end)``.

    Examples
    --------
    >>> w = pd.date_range("2024-01-01", periods=8, freq="W-MON")
    >>> [(a.day, b.day) for a, b in validation_windows(w, w[2], w[6], 2)]
    [(15, 29), (29, 12)]
    """
    require_instance(weeks, pd.DatetimeIndex, "weeks")
    n_windows = require_positive_int(n_windows, "n_windows")
    inside = weeks[(weeks >= start) & (weeks < end)]
    if len(inside) < n_windows:
        raise ValueError(f"[{start}, {end}) holds {len(inside)} weeks, fewer than n_windows={n_windows}")
    parts = np.array_split(np.arange(len(inside)), n_windows)
    bounds = [inside[p[0]] for p in parts] + [pd.Timestamp(end)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def flag_windows(units: pd.DataFrame, windows, closed_weeks=(), z: float = 3.0) -> pd.DataFrame:
    """Per window: weekly demand, a robust z against the other windows, and why it is flagged (or "").

    A window is flagged when a closed week falls inside it or the week before it (the weeks around a
    closure are not typical), or when its mean weekly total is more than ``z`` robust standard
    deviations (median absolute deviation x 1.4826 over all windows' weeks) from the median week.

    Examples
    --------
    >>> w = pd.date_range("2024-01-01", periods=6, freq="W-MON")
    >>> u = pd.DataFrame({"x": [10.0, 11, 9, 10, 90, 95]}, index=w)
    >>> flag_windows(u, [(w[0], w[2]), (w[2], w[4]), (w[4], w[5] + pd.Timedelta(days=7))])["reason"].tolist()
    ['', '', 'peak: weekly demand 92 against a median of 10']
    """
    units = require_demand(units, "units")
    z = require_positive(z, "z")
    total = units.sum(axis=1)
    inside = [total[(total.index >= a) & (total.index < b)] for a, b in windows]
    weeks = pd.concat(inside)
    center = float(weeks.median())
    spread = 1.4826 * float((weeks - center).abs().median()) or max(abs(center), 1.0) * 0.05
    rows = []
    for (a, b), part in zip(windows, inside, strict=True):
        score = (float(part.mean()) - center) / spread
        closure = [w for w in closed_weeks if a - pd.Timedelta(days=7) <= pd.Timestamp(w) < b]
        reason = ""
        if closure:
            reason = f"closure in or before the window ({pd.Timestamp(closure[0]).date()})"
        elif abs(score) > z:
            kind = "peak" if score > 0 else "trough"
            reason = f"{kind}: weekly demand {part.mean():,.0f} against a median of {center:,.0f}"
        rows.append({"start": a, "end": b, "weekly_demand": float(part.mean()), "robust_z": score, "reason": reason})
    return pd.DataFrame(rows)


def rank_forecasters(summary: pd.DataFrame, metric: str = "rmsse", models=None) -> pd.Series:
    """Mean ``metric`` over horizons per model, best (lowest) first, ties broken by name order.

    Examples
    --------
    >>> s = pd.DataFrame({"rmsse": [0.9, 1.1, 0.8, 0.8]},
    ...                  index=pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["model", "h"]))
    >>> rank_forecasters(s).round(2).to_dict()
    {'b': 0.8, 'a': 1.0}
    """
    require_columns(summary, [metric], "summary")
    score = summary[metric].groupby(level="model", observed=True).mean()
    score.index = score.index.astype(str)
    if models is not None:
        models = require_strings(models, "models")
        missing = [m for m in models if m not in score.index]
        if missing:
            raise ValueError(f"no {metric} for model(s) {missing} in the summary")
        score = score[models]
    order = ranking.descending_order(-score.to_numpy(dtype=float))
    return score.iloc[order]


def top_k_combination(ranked: pd.Series, k: int) -> list[str]:
    """The ``k`` best models of a :func:`rank_forecasters` result (their mean is the combination).

    Examples
    --------
    >>> top_k_combination(pd.Series({"b": 0.9, "a": 1.0, "c": 1.2}), 2)
    ['b', 'a']
    """
    require_instance(ranked, pd.Series, "ranked")
    k = require_positive_int(k, "k")
    if k > len(ranked):
        raise ValueError(f"k={k} exceeds the {len(ranked)} ranked models")
    return [str(m) for m in ranked.index[:k]]


def product_costs(result: InventoryResult, holding_cost: float, shortage_cost: float) -> pd.Series:
    """Per product: holding cost of its average stock over the weeks plus shortage cost of lost demand.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [10.0, 10.0]})
    >>> r = simulate_order_up_to(d, pd.DataFrame({"x": [5.0, 5.0]}), lead_time=0)
    >>> product_costs(r, holding_cost=0.1, shortage_cost=1.0).tolist()  # stock (5+0)/2 x 2 wk x 0.1 + 10 lost
    [10.5]
    """
    require_instance(result, InventoryResult, "result")
    h = require_non_negative(holding_cost, "holding_cost")
    s = require_non_negative(shortage_cost, "shortage_cost")
    p = result.by_product
    weeks = len(result.on_hand)
    return (h * p["average_stock"] * weeks + s * (p["demand"] - p["sales"])).rename("cost")


def window_curves(
    windows,
    demand: pd.DataFrame,
    levels_for: Callable,
    grid: Sequence[float],
    holding_cost: float,
    shortage_cost: float,
    lead_time: int = 1,
) -> pd.DataFrame:
    """Fill, weeks of stock and cost of each target level in each window (one simulation per pair).

    ``levels_for(p, start, end)`` returns the order-up-to frame of target ``p`` for the weeks of
    ``[start, end)``; ``demand`` is simulated on the same weeks.

    Returns
    -------
    pandas.DataFrame
        One row per window and level: ``window``, ``target``, ``fill_rate``, ``weeks_of_stock``, ``cost``.
    """
    demand = require_demand(demand, "demand")
    grid = [require_probability(p, "grid") for p in grid]
    if not grid:
        raise ValueError("grid is empty: give at least one target level")
    rows = []
    for i, (a, b) in enumerate(windows):
        d = demand.loc[(demand.index >= a) & (demand.index < b)]
        for p in grid:
            result = simulate_order_up_to(d, levels_for(p, a, b), lead_time)
            summary = result.summary()
            cost = float(product_costs(result, holding_cost, shortage_cost).sum())
            rows.append({"window": i, "target": p, "fill_rate": summary["fill_rate"],
                         "weeks_of_stock": summary["weeks_of_stock"], "cost": cost})  # fmt: skip
    return pd.DataFrame(rows)


def _usable(curves: pd.DataFrame, flagged) -> pd.DataFrame:
    """Curves of the windows not flagged (all windows when every one is flagged)."""
    keep = curves[~curves["window"].isin(list(flagged))]
    return keep if len(keep) else curves


def level_for_fill(curves: pd.DataFrame, fill_target: float, flagged=()) -> float:
    """The lowest level whose fill reaches ``fill_target`` in the median usable window.

    Per window the lowest target level reaching the fill (the grid's top when none does); the median
    over windows not ``flagged`` (:func:`flag_windows`), rounded up to a grid level.

    Examples
    --------
    >>> c = pd.DataFrame({"window": [0, 0, 1, 1, 2, 2], "target": [0.9, 0.99] * 3,
    ...                   "fill_rate": [0.96, 0.99, 0.9, 0.95, 0.5, 0.6]})
    >>> level_for_fill(c, 0.95), level_for_fill(c, 0.95, flagged=[2])
    (0.99, 0.9)
    """
    require_columns(curves, ["window", "target", "fill_rate"], "curves")
    fill_target = require_probability(fill_target, "fill_target")
    usable = _usable(curves, flagged)
    grid = np.sort(usable["target"].unique())
    chosen = []
    for _, c in usable.groupby("window", sort=True):
        reaching = c.loc[c["fill_rate"] >= fill_target, "target"]
        chosen.append(float(reaching.min()) if len(reaching) else float(grid[-1]))
    # the lower median: with two windows the one needing less (a single odd window does not decide)
    middle = float(np.sort(chosen)[(len(chosen) - 1) // 2])
    return float(grid[np.searchsorted(grid, middle - 1e-12)])


def level_for_cost(curves: pd.DataFrame, flagged=()) -> float:
    """The level of least total cost over the usable windows (ties: the lower level).

    Examples
    --------
    >>> c = pd.DataFrame({"window": [0, 0, 1, 1], "target": [0.9, 0.99] * 2, "cost": [5.0, 4.0, 3.0, 3.5]})
    >>> level_for_cost(c)
    0.99
    """
    require_columns(curves, ["window", "target", "cost"], "curves")
    total = _usable(curves, flagged).groupby("target", sort=True)["cost"].sum()
    return float(total.index[ranking.descending_order(-total.to_numpy(dtype=float))[0]])


def compare_policies(
    costs_a: pd.Series, costs_b: pd.Series, n_boot: int = 1000, random_state=0, level: float = 0.95
) -> Interval:
    """Relative difference in mean cost per product of policy ``b`` against ``a``, paired over products.

    ``mean(b) / mean(a) - 1`` (negative: ``b`` costs less), products resampled with replacement, the
    same draw for both (:func:`shopai_lab.stats.paired_bootstrap`); read it with
    ``report.verdict(result, higher_is_better=False)``.

    Examples
    --------
    >>> a = pd.Series(np.linspace(1.0, 2.0, 40)); b = 0.9 * a
    >>> print(compare_policies(a, b, n_boot=200))
    -10.0% (95% CI -10.0% to -10.0%)
    """
    require_instance(costs_a, pd.Series, "costs_a")
    require_instance(costs_b, pd.Series, "costs_b")
    if not costs_a.index.equals(costs_b.index):
        raise ValueError("costs_a and costs_b must hold the same products in the same order")
    return paired_bootstrap(costs_a, costs_b, n_boot=n_boot, level=level, random_state=random_state, relative=True)


def _order_quantity(need: np.ndarray, min_order: float, pack_size: float) -> np.ndarray:
    """Order quantities: 0 when nothing is needed, else at least ``min_order``, rounded up to whole packs."""
    q = np.where(need > 0, np.maximum(need, min_order), 0.0)
    return np.ceil(q / pack_size - 1e-9) * pack_size + 0.0  # + 0.0: no "-0.0"


def _per_product(value, index: pd.Index, name: str, positive: bool) -> np.ndarray:
    """One number, or a Series over ``index``, as finite values per product (> 0 or >= 0)."""
    s = pd.Series(value, index=index, dtype=float) if np.isscalar(value) else value
    require_instance(s, pd.Series, name)
    values = s.reindex(index).to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values <= 0 if positive else values < 0).any():
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'} and finite for every product")
    return values


def order_list(
    level: pd.Series,
    on_hand: pd.Series,
    on_order: pd.Series,
    expected: pd.DataFrame,
    bulk: pd.DataFrame,
    min_order: float | pd.Series = 0.0,
    pack_size: float | pd.Series = 1.0,
) -> pd.DataFrame:
    """Next week's order per product, with the products a conversation should settle flagged.

    Parameters
    ----------
    level
        Order-up-to level per product (units to cover the protection period).
    on_hand, on_order
        Stock on hand and already ordered per product.
    expected
        Per product ``fill_rate`` and ``weekly_cost`` the policy delivered in the recent simulated weeks.
    bulk
        Per product ``bulk_weeks`` (weeks above the bulk cap in the recent history) and ``largest``
        (largest week) and ``cap`` (:func:`bulk_caps`); a product with a bulk week is flagged.
    min_order, pack_size
        Minimum order quantity (>= 0) and pack size (> 0), one number or one per product.

    Returns
    -------
    pandas.DataFrame
        Indexed by product: ``order_up_to``, ``on_hand``, ``on_order``, ``order``, ``expected_fill``,
        ``expected_weekly_cost``, ``flag`` (the reason, or "").

    Examples
    --------
    >>> idx = pd.Index(["x", "y"])
    >>> out = order_list(pd.Series([30.0, 5.0], idx), pd.Series([8.0, 6.0], idx), pd.Series([0.0, 0.0], idx),
    ...                  pd.DataFrame({"fill_rate": [0.95, 1.0], "weekly_cost": [1.0, 0.2]}, idx),
    ...                  pd.DataFrame({"bulk_weeks": [0, 1], "largest": [12.0, 90.0], "cap": [20.0, 15.0]}, idx),
    ...                  min_order=5, pack_size=6)
    >>> out["order"].tolist(), out["flag"].tolist()[1]
    ([24.0, 0.0], 'bulk order: a week of 90 units against a cap of 15; ask the customer before ordering')
    """
    for name, s in (("level", level), ("on_hand", on_hand), ("on_order", on_order)):
        require_instance(s, pd.Series, name)
        if not s.index.equals(level.index):
            raise ValueError(f"{name} must be indexed by the same products as level")
    require_columns(expected, ["fill_rate", "weekly_cost"], "expected")
    require_columns(bulk, ["bulk_weeks", "largest", "cap"], "bulk")
    moq = _per_product(min_order, level.index, "min_order", positive=False)
    pack = _per_product(pack_size, level.index, "pack_size", positive=True)
    quantity = _order_quantity((level - on_hand - on_order).to_numpy(dtype=float), moq, pack)
    b = bulk.reindex(level.index)
    flag = [
        f"bulk order: a week of {row.largest:,.0f} units against a cap of {row.cap:,.0f}; "
        "ask the customer before ordering"
        if row.bulk_weeks > 0 else ""
        for row in b.itertuples()
    ]  # fmt: skip
    e = expected.reindex(level.index)
    return pd.DataFrame(
        {"order_up_to": level, "on_hand": on_hand, "on_order": on_order, "order": quantity,
         "expected_fill": e["fill_rate"], "expected_weekly_cost": e["weekly_cost"], "flag": flag},
        index=level.index,
    )  # fmt: skip
