"""Group prices under a cap on how much more one group may pay than another, and the revenue that costs.

With prices set per group (segment, country) a shop maximises revenue ``sum_g p_g q_g(p_g)``, and the groups
whose demand is least price-sensitive pay most. A fairness cap bounds the ratio of the highest to the lowest
group price by ``max_ratio``. When each group's revenue ``p q_g(p)`` is unimodal in ``p`` (linear, logit and
constant-elasticity-with-saturation demand all are), the capped optimum has a simple shape: for a lowest price
``L``, each group pays its own optimum clipped to ``[L, max_ratio * L]``, so the whole problem is a search over
one number, ``L`` (:func:`capped_group_prices`). Tracing ``max_ratio`` from 1 (one price for all) to the
uncapped ratio gives the revenue-vs-disparity frontier (:func:`price_frontier`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar

from shopai_lab._validation import require_callable, require_number, require_positive_int

__all__ = ["capped_group_prices", "group_optimal_prices", "numerical_capped_prices", "price_frontier"]

DemandCurve = Callable[[np.ndarray], np.ndarray]


def _check(demand: Sequence[DemandCurve], bounds) -> tuple[list[DemandCurve], float, float]:
    if isinstance(demand, (str, bytes)) or not isinstance(demand, Sequence) or len(demand) == 0:
        raise TypeError("demand must be a non-empty list of demand curves, one callable q(price) per group")
    curves = [require_callable(curve, f"demand[{i}]") for i, curve in enumerate(demand)]
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise TypeError(f"bounds must be a (lowest price, highest price) pair, got {bounds!r}") from None
    low = require_number(low, "bounds[0]", low=0.0, low_inclusive=False)
    high = require_number(high, "bounds[1]", low=low, low_inclusive=False)
    return curves, low, high


def _revenue(curve: DemandCurve, prices: np.ndarray) -> np.ndarray:
    quantity = np.asarray(curve(np.asarray(prices, dtype=float)), dtype=float)
    if quantity.shape != np.shape(prices) or not np.isfinite(quantity).all() or (quantity < 0).any():
        raise ValueError("a demand curve must return one finite, non-negative quantity per price")
    return prices * quantity


def _best_price(curve: DemandCurve, low: float, high: float, grid: int) -> float:
    """The revenue-maximising price in [low, high]: the best of a grid, refined by a bounded 1-D search."""
    prices = np.linspace(low, high, grid)
    i = int(np.argmax(_revenue(curve, prices)))
    lo, hi = prices[max(i - 1, 0)], prices[min(i + 1, grid - 1)]
    found = minimize_scalar(
        lambda p: -_revenue(curve, np.array([p]))[0], bounds=(lo, hi), method="bounded", options={"xatol": 1e-10 * high}
    )
    return float(found.x) if -found.fun >= _revenue(curve, prices[i : i + 1])[0] else float(prices[i])


def group_optimal_prices(demand: Sequence[DemandCurve], bounds, grid: int = 2001) -> np.ndarray:
    """Each group's revenue-maximising price within ``bounds``, with no cap (one search per group).

    Examples
    --------
    >>> two = [lambda p: np.maximum(10 - p, 0), lambda p: np.maximum(20 - p, 0)]
    >>> group_optimal_prices(two, bounds=(0.5, 30)).round(6).tolist()
    [5.0, 10.0]
    """
    curves, low, high = _check(demand, bounds)
    grid = require_positive_int(grid, "grid", minimum=3)
    return np.array([_best_price(curve, low, high, grid) for curve in curves])


def _capped_revenue(curves, optimal: np.ndarray, lowest: float, max_ratio: float) -> tuple[float, np.ndarray]:
    prices = np.clip(optimal, lowest, max_ratio * lowest)
    return float(sum(_revenue(c, prices[i : i + 1])[0] for i, c in enumerate(curves))), prices


def capped_group_prices(demand: Sequence[DemandCurve], bounds, max_ratio: float, grid: int = 2001) -> dict:
    """Revenue-maximising group prices with ``max(price) / min(price) <= max_ratio``.

    Parameters
    ----------
    demand
        One demand curve per group, ``q_g(prices) -> quantities`` (vectorised, non-negative), each with a
        revenue ``p q_g(p)`` that is unimodal on ``bounds``.
    bounds
        ``(lowest, highest)`` price allowed.
    max_ratio
        Cap on the ratio of the highest to the lowest group price, >= 1 (1: one price for everyone).
    grid
        Points of the search grids (each refined by a bounded 1-D search).

    Returns
    -------
    dict
        ``prices`` (one per group), ``revenue``, ``ratio`` (highest / lowest price) and ``binding`` (whether
        the cap changed any price).

    Examples
    --------
    >>> two = [lambda p: np.maximum(10 - p, 0), lambda p: np.maximum(20 - p, 0)]
    >>> result = capped_group_prices(two, bounds=(0.5, 30), max_ratio=1.0)
    >>> result["prices"].round(6).tolist(), round(result["revenue"], 6)
    ([7.5, 7.5], 112.5)
    """
    curves, low, high = _check(demand, bounds)
    max_ratio = require_number(max_ratio, "max_ratio", low=1.0)
    grid = require_positive_int(grid, "grid", minimum=3)
    optimal = np.array([_best_price(curve, low, high, grid) for curve in curves])
    uncapped_ratio = optimal.max() / optimal.min()
    if uncapped_ratio <= max_ratio:
        revenue = float(sum(_revenue(c, optimal[i : i + 1])[0] for i, c in enumerate(curves)))
        return {"prices": optimal, "revenue": revenue, "ratio": float(uncapped_ratio), "binding": False}
    top = min(optimal.max(), high) / max_ratio  # below optimal.min() the clip only raises prices: search between
    lowest = np.linspace(max(low, optimal.min() / max_ratio), max(top, optimal.min()), grid)
    totals = np.array([_capped_revenue(curves, optimal, lo, max_ratio)[0] for lo in lowest])
    i = int(np.argmax(totals))
    found = minimize_scalar(
        lambda lo: -_capped_revenue(curves, optimal, lo, max_ratio)[0],
        bounds=(lowest[max(i - 1, 0)], lowest[min(i + 1, grid - 1)]),
        method="bounded",
        options={"xatol": 1e-10 * high},
    )
    best = float(found.x) if -found.fun >= totals[i] else float(lowest[i])
    revenue, prices = _capped_revenue(curves, optimal, best, max_ratio)
    return {"prices": prices, "revenue": revenue, "ratio": float(prices.max() / prices.min()), "binding": True}


def price_frontier(demand: Sequence[DemandCurve], bounds, ratios, grid: int = 2001) -> pd.DataFrame:
    """Revenue of the capped group prices for each cap in ``ratios``, beside the uncapped optimum.

    Returns
    -------
    pandas.DataFrame
        One row per cap: ``max_ratio``, ``ratio`` (realised), ``revenue``, ``revenue_share`` (of the uncapped
        optimum) and ``price_<g>`` for each group ``g`` (0-based).

    Examples
    --------
    >>> two = [lambda p: np.maximum(10 - p, 0), lambda p: np.maximum(20 - p, 0)]
    >>> price_frontier(two, (0.5, 30), [1.0, 1.5, 2.0])["revenue_share"].round(4).tolist()
    [0.9, 0.9846, 1.0]
    """
    ratios = [require_number(r, "ratios", low=1.0) for r in np.atleast_1d(np.asarray(ratios, dtype=object))]
    if not ratios:
        raise ValueError("ratios is empty: give at least one cap (>= 1)")
    curves, _, _ = _check(demand, bounds)
    optimal = group_optimal_prices(curves, bounds, grid=grid)
    uncapped_revenue = float(sum(_revenue(c, optimal[i : i + 1])[0] for i, c in enumerate(curves)))
    rows = []
    for cap in ratios:
        result = capped_group_prices(demand, bounds, max_ratio=cap, grid=grid)
        row = {"max_ratio": cap, "ratio": result["ratio"], "revenue": result["revenue"]}
        row["revenue_share"] = result["revenue"] / uncapped_revenue
        row |= {f"price_{g}": p for g, p in enumerate(result["prices"])}
        rows.append(row)
    return pd.DataFrame(rows)


def numerical_capped_prices(demand: Sequence[DemandCurve], bounds, max_ratio: float, starts: int = 5) -> dict:
    """The capped optimum found by a general constrained optimiser (scipy's SLSQP), to check
    :func:`capped_group_prices` against: best of ``starts`` starting points spread over ``bounds``.

    Returns
    -------
    dict
        ``prices``, ``revenue`` and ``ratio``, as :func:`capped_group_prices`.

    Examples
    --------
    >>> two = [lambda p: np.maximum(10 - p, 0), lambda p: np.maximum(20 - p, 0)]
    >>> round(numerical_capped_prices(two, bounds=(0.5, 30), max_ratio=1.0)["revenue"], 4)
    112.5
    """
    curves, low, high = _check(demand, bounds)
    max_ratio = require_number(max_ratio, "max_ratio", low=1.0)
    starts = require_positive_int(starts, "starts")
    n = len(curves)

    def negative_revenue(p: np.ndarray) -> float:
        return -float(sum(_revenue(curve, np.array([p[g]]))[0] for g, curve in enumerate(curves)))

    constraints = [
        {"type": "ineq", "fun": lambda p, i=i, j=j: max_ratio * p[j] - p[i]}
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    results = [
        minimize(negative_revenue, np.full(n, start), method="SLSQP", bounds=[(low, high)] * n, constraints=constraints)
        for start in np.linspace(low, high, starts + 2)[1:-1]
    ]
    best = min(results, key=lambda r: (r.fun, tuple(r.x)))
    prices = np.clip(best.x, low, high)
    return {"prices": prices, "revenue": -negative_revenue(prices), "ratio": float(prices.max() / prices.min())}
