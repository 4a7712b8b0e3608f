"""Profit-maximising prices, guard rails and price recommendations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from shopai_lab._validation import (
    as_float_array,
    require_columns,
    require_instance,
    require_not_empty,
    require_number,
    require_numeric_columns,
    require_positive,
    require_positive_int,
    require_unique,
)
from shopai_lab.pricing.demand import _cost, _prices


@dataclass(frozen=True)
class PriceOptimum:
    """Result of :func:`optimize_price`."""

    price: float
    profit: float
    at_bound: bool


def optimize_price(
    profit_fn: Callable[[np.ndarray], np.ndarray],
    bounds: tuple[float, float],
    grid_size: int = 201,
) -> PriceOptimum:
    """Maximise any profit curve over a price interval: a grid, then bounded refinement.

    The grid finds the best region even for curves with several local maxima;
    a bounded Brent search on the *negative* profit refines it between the
    neighbouring grid points.

    Parameters
    ----------
    profit_fn
        Profit as a function of price (vectorised over a numpy array).
    bounds
        ``(lowest, highest)`` price, both positive.
    grid_size
        Number of grid points (>= 3).

    Returns
    -------
    PriceOptimum
        ``price``, ``profit`` and ``at_bound``: whether the optimum lies on a
        bound, a sign that the true optimum is outside the interval.

    Examples
    --------
    >>> from shopai_lab.pricing import LinearDemand
    >>> demand = LinearDemand(a=100, b=1)
    >>> optimum = optimize_price(lambda p: demand.profit(p), (1, 99))
    >>> round(optimum.price, 6), optimum.at_bound
    (50.0, False)
    """
    if not callable(profit_fn):
        raise TypeError(f"profit_fn must be a function of price, got {type(profit_fn).__name__}")
    if isinstance(bounds, str) or not hasattr(bounds, "__len__") or len(bounds) != 2:
        raise ValueError(f"bounds must be (lowest, highest), got {bounds!r}")
    low, high = (require_number(b, "bounds") for b in bounds)
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0:
        raise ValueError(f"bounds must be positive prices, got {bounds!r}")
    if low >= high:
        raise ValueError(f"bounds must be (lowest, highest) with lowest < highest, got {bounds!r}")
    grid_size = require_positive_int(grid_size, "grid_size", minimum=3)
    grid = np.linspace(low, high, int(grid_size))
    values = np.asarray(profit_fn(grid), dtype=float)
    if values.shape != grid.shape or not np.isfinite(values).all():
        raise ValueError("profit_fn must return one finite profit per price")
    best = int(np.argmax(values))
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = minimize_scalar(
        lambda p: -float(np.asarray(profit_fn(np.array([p])))[0]),
        bounds=(left, right),
        method="bounded",
        options={"xatol": 1e-10 * max(1.0, high)},
    )
    price, profit = float(refined.x), float(-refined.fun)
    if profit < values[best]:
        price, profit = float(grid[best]), float(values[best])
    tolerance = 1e-6 * (high - low)
    return PriceOptimum(
        price=price, profit=profit, at_bound=bool(price - low <= tolerance or high - price <= tolerance)
    )


def _fraction(value: float, name: str) -> float:
    value = require_number(value, name)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be a fraction between 0 and 1, got {value!r}")
    return value


@dataclass(frozen=True)
class PriceRecommendation:
    """A price change with the guard rail that shaped it."""

    current: float
    optimal: float
    recommended: float
    rule: str


def recommend_price(
    current_price: float,
    optimal_price: float,
    unit_cost: float,
    max_change: float = 0.10,
) -> PriceRecommendation:
    """Move from today's price towards the optimum, within guard rails.

    The recommendation never moves more than ``max_change`` (a fraction, e.g.
    0.10 for 10%) from ``current_price`` and never goes below ``unit_cost``.
    ``optimal_price`` may be ``inf`` (inelastic demand: no finite optimum).

    Returns
    -------
    PriceRecommendation
        ``rule`` says what decided it: ``"optimum"``, ``"max increase"``,
        ``"max decrease"`` or ``"cost floor"``.

    Examples
    --------
    >>> recommend_price(10.0, 14.0, 6.0, max_change=0.1).recommended
    11.0
    """
    current = require_positive(current_price, "current_price")
    cost = _cost(unit_cost)
    _fraction(max_change, "max_change")
    if isinstance(optimal_price, bool) or not isinstance(optimal_price, (int, float, np.integer, np.floating)):
        raise TypeError(f"optimal_price must be a number, got {optimal_price!r}")
    if np.isnan(optimal_price) or optimal_price <= 0:
        raise ValueError(f"optimal_price must be positive (or inf), got {optimal_price!r}")
    low, high = current * (1 - max_change), current * (1 + max_change)
    price, rule = float(optimal_price), "optimum"
    if price > high:
        price, rule = high, "max increase"
    elif price < low:
        price, rule = low, "max decrease"
    if price < cost:
        price, rule = cost, "cost floor"
    return PriceRecommendation(current=current, optimal=float(optimal_price), recommended=price, rule=rule)


def current_prices(panel: pd.DataFrame, periods: int = 8, reference_periods: int | None = None) -> pd.DataFrame:
    """Today's price per product from the last ``periods`` periods, and its weekly units from a reference period.

    ``current_price`` is the median price over the product's periods among the
    shop's last ``periods``. Without ``reference_periods``, ``weekly_units`` is the units sold in
    those periods divided by ``periods`` (a period without sales counts as zero). With it, the
    demand level comes from the shop's last ``reference_periods`` periods instead (e.g. a year, so a
    seasonal peak at the end of the data does not stand for every week): the product's units there
    divided by its listed periods there (the rows of the panel; a listed week without sales counts
    as zero).

    Examples
    --------
    >>> panel = pd.DataFrame({"item_id": ["a", "a", "a", "b"], "period": [1, 2, 3, 3],
    ...                       "units": [10, 20, 30, 8], "price": [5.0, 4.0, 6.0, 2.0]})
    >>> current_prices(panel, periods=2)
             current_price  weekly_units
    item_id
    a                  5.0          25.0
    b                  2.0           4.0
    """
    missing = [c for c in ["item_id", "period", "units", "price"] if c not in panel.columns]
    if missing:
        raise ValueError(f"panel is missing column(s) {missing}")
    require_not_empty(panel, "panel")
    require_numeric_columns(panel, ["units", "price"], "panel", allow_nan=False)
    periods = require_positive_int(periods, "periods")
    all_periods = np.sort(panel["period"].unique())
    recent = panel[panel["period"].isin(all_periods[-int(periods) :])]
    grouped = recent.groupby("item_id", observed=True)
    out = pd.DataFrame(
        {"current_price": grouped["price"].median(), "weekly_units": grouped["units"].sum() / int(periods)}
    )
    if reference_periods is not None:
        reference_periods = require_positive_int(reference_periods, "reference_periods")
        reference = panel[panel["period"].isin(all_periods[-int(reference_periods) :])]
        units = reference.groupby("item_id", observed=True)["units"]
        out["weekly_units"] = (units.sum() / units.size()).reindex(out.index).fillna(0.0)
    return out


def _recommendation_inputs(elasticity: pd.Series, current_price: pd.Series, weekly_units: pd.Series) -> pd.DataFrame:
    """The three per-product Series as one frame, or an error naming the one at fault."""
    for name, series in (("elasticity", elasticity), ("current_price", current_price), ("weekly_units", weekly_units)):
        require_instance(series, pd.Series, name)
        require_unique(series.index, f"{name}'s index (item_id)")
        as_float_array(series, name, allow_nan=True)
    if len(elasticity) == 0:
        raise ValueError("elasticity is empty: no products to price")
    if (current_price <= 0).any():
        raise ValueError(f"current_price must be positive, got e.g. {current_price[current_price <= 0].iloc[0]!r}")
    if (weekly_units < 0).any():
        raise ValueError(f"weekly_units must be >= 0, got e.g. {weekly_units[weekly_units < 0].iloc[0]!r}")
    frame = pd.DataFrame({"elasticity": elasticity, "current_price": current_price, "weekly_units": weekly_units})
    if frame.isna().any().any():
        raise ValueError("elasticity, current_price and weekly_units must cover the same products, without NaN")
    return frame


def _upper_ends(elasticity_high: pd.Series | None, frame: pd.DataFrame) -> np.ndarray:
    """The upper ends aligned with ``frame`` (the point estimates when none are given), checked."""
    if elasticity_high is None:
        return frame["elasticity"].to_numpy(float)
    require_instance(elasticity_high, pd.Series, "elasticity_high")
    high = as_float_array(elasticity_high.reindex(frame.index), "elasticity_high", allow_nan=True)
    if np.isnan(high).any():
        raise ValueError("elasticity_high must cover the same products as elasticity, without NaN")
    if (high < frame["elasticity"].to_numpy(float)).any():
        raise ValueError("elasticity_high must not be below elasticity (it is the upper end of its interval)")
    return high


def elasticity_upper(pooled: pd.DataFrame, level: float = 0.95) -> pd.Series:
    """Upper end of each pooled elasticity's central ``level`` interval: ``shrunk + z * posterior_sd``.

    ``pooled`` is :func:`shopai_lab.stats.shrink_estimates`' output (normal posterior).

    Examples
    --------
    >>> pooled = pd.DataFrame({"shrunk": [-2.0, -1.1], "posterior_sd": [0.5, 0.1]}, index=["a", "b"])
    >>> elasticity_upper(pooled).round(3).tolist()
    [-1.02, -0.904]
    """
    from scipy.stats import norm

    require_columns(pooled, ["shrunk", "posterior_sd"], "pooled")
    level = require_number(level, "level", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    return (pooled["shrunk"] + norm.ppf(0.5 + level / 2) * pooled["posterior_sd"]).rename("elasticity_high")


#: ``reason`` of a product without a recommendation, by what its elasticity says.
NOT_IDENTIFIED = {
    "rising": "e >= 0: demand rising with price, a sign of confounding",
    "inelastic": "-1 <= e < 0: no profit-maximising price under constant elasticity",
    "uncertain": "e < -1 but its interval reaches -1: not clearly elastic",
}


def _recommend_one(e: float, price: float, units: float, gross_margin: float, max_change: float, e_high: float) -> dict:
    """One product's row of :func:`price_recommendations` (``e_high``: the upper end of e's interval)."""
    cost = price * (1 - gross_margin)
    row = {"elasticity": e, "elasticity_high": e_high, "current_price": price, "weekly_units": units, "unit_cost": cost}
    if e >= -1 or e_high >= -1:  # an identification failure, not a price move: keep today's price
        reason = NOT_IDENTIFIED["rising" if e >= 0 else "inelastic" if e >= -1 else "uncertain"]
        return {**row, "optimal_price": np.nan, "recommended_price": price, "change": 0.0,
                "rule": "no recommendation", "reason": reason,
                "profit_now": units * (price - cost), "profit_change": 0.0}  # fmt: skip
    optimal = cost * e / (1 + e)
    rec = recommend_price(price, optimal, cost, max_change)
    return {
        **row,
        "optimal_price": optimal,
        "recommended_price": rec.recommended,
        "change": rec.recommended / price - 1,
        "rule": rec.rule,
        "reason": "",
        "profit_now": units * (price - cost),
        "profit_change": float(profit_change(e, price, rec.recommended, units, gross_margin)),
    }


def price_recommendations(
    elasticity: pd.Series,
    current_price: pd.Series,
    weekly_units: pd.Series,
    *,
    gross_margin: float = 0.4,
    max_change: float = 0.10,
    elasticity_high: pd.Series | None = None,
) -> pd.DataFrame:
    """Recommended prices per product from constant-elasticity demand, within guard rails.

    Costs are not in the data, so each product's unit cost is taken as
    ``current_price * (1 - gross_margin)``, an assumption stated by the caller.
    Elastic products (``e < -1``) get the Lerner optimum ``c e / (1 + e)``, moved
    towards within the guard rails. A product with ``e >= -1`` gets **no
    recommendation** (``rule == "no recommendation"``, today's price kept, the
    ``reason`` says why): under constant elasticity with ``-1 <= e < 0`` profit
    rises without bound with price, so there is no optimum to move to, and
    ``e >= 0`` (demand rising with price) says the estimate is confounded; both
    are failures to identify the demand curve, not instructions to raise the price.
    The projected change in weekly profit follows the same demand curve,
    ``units * (p_new / p) ** e * (p_new - c) - units * (p - c)``: a model
    projection that holds only if the elasticity, the margin and today's demand
    are right.

    Parameters
    ----------
    elasticity, current_price, weekly_units
        Per product (same index, the ``item_id``): the (shrunk) elasticity,
        today's price and today's weekly units.
    gross_margin
        Assumed margin share of today's price, in (0, 1).
    max_change
        Largest relative price change allowed, in (0, 1).
    elasticity_high
        The upper end of each elasticity's interval (same index): a product is moved only when it is
        *clearly* elastic, its whole interval below -1 (else ``reason`` says "not clearly elastic").
        ``None``: the point estimate decides.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item_id``: ``elasticity``, ``elasticity_high``, ``current_price``, ``weekly_units``,
        ``unit_cost``, ``optimal_price`` (NaN without a recommendation), ``recommended_price``,
        ``change``, ``rule``, ``reason``, ``profit_now``, ``profit_change`` (per week).

    Examples
    --------
    >>> idx = pd.Index(["A", "B"], name="item_id")
    >>> recs = price_recommendations(pd.Series([-4.0, -0.5], idx), pd.Series([10.0, 4.0], idx),
    ...                              pd.Series([100.0, 50.0], idx))
    >>> recs[["recommended_price", "rule"]]
             recommended_price               rule
    item_id
    A                      9.0       max decrease
    B                      4.0  no recommendation
    """
    _fraction(gross_margin, "gross_margin")
    _fraction(max_change, "max_change")
    frame = _recommendation_inputs(elasticity, current_price, weekly_units)
    frame["high"] = _upper_ends(elasticity_high, frame)
    rows = [
        {
            "item_id": item,
            **_recommend_one(
                row["elasticity"], row["current_price"], row["weekly_units"], gross_margin, max_change, row["high"]
            ),
        }
        for item, row in frame.iterrows()
    ]
    return pd.DataFrame(rows).set_index("item_id")


def profit_change_range(
    recommendations: pd.DataFrame, elasticity_sd: pd.Series, *, gross_margin: float = 0.4, n_sd: float = 1.0
) -> tuple[float, float]:
    """Total weekly profit change of the recommended prices if each elasticity were ``n_sd`` sds off.

    A sensitivity check of :func:`price_recommendations`: the same prices judged with every
    elasticity moved ``n_sd`` standard deviations *against* its recommended move (a price rise
    meets a more elastic demand, a cut a less elastic one), then *for* it.

    Parameters
    ----------
    recommendations
        The output of :func:`price_recommendations`.
    elasticity_sd
        Standard deviation (e.g. posterior) of each product's elasticity, indexed like ``recommendations``.
    gross_margin
        The margin the recommendations were made with.
    n_sd
        How many standard deviations (>= 0).

    Returns
    -------
    pessimistic, optimistic
        Total weekly profit change under the adverse and the favourable elasticities.

    Examples
    --------
    >>> idx = pd.Index(["A"], name="item_id")
    >>> recs = price_recommendations(pd.Series([-3.0], idx), pd.Series([10.0], idx), pd.Series([100.0], idx))
    >>> low, high = profit_change_range(recs, pd.Series([0.5], idx))
    >>> bool(low < recs["profit_change"].sum() < high)
    True
    """
    required = ["elasticity", "current_price", "weekly_units", "unit_cost", "recommended_price", "change"]
    require_columns(recommendations, required, "recommendations")
    _fraction(gross_margin, "gross_margin")
    require_number(n_sd, "n_sd", low=0)
    require_instance(elasticity_sd, pd.Series, "elasticity_sd")
    sd = as_float_array(elasticity_sd.reindex(recommendations.index), "elasticity_sd", low=0)
    costs = recommendations["current_price"] * (1 - gross_margin)
    if not np.allclose(costs, recommendations["unit_cost"]):
        raise ValueError("gross_margin differs from the one the recommendations were made with")
    against = np.where(recommendations["change"] > 0, -1.0, 1.0) * n_sd * sd
    args = (
        recommendations["current_price"],
        recommendations["recommended_price"],
        recommendations["weekly_units"],
        gross_margin,
    )
    pessimistic = profit_change(recommendations["elasticity"] + against, *args).sum()
    optimistic = profit_change(recommendations["elasticity"] - against, *args).sum()
    return float(pessimistic), float(optimistic)


def profit_change(elasticity, current_price, new_price, weekly_units, gross_margin: float = 0.4) -> np.ndarray:
    """Weekly profit change of moving from ``current_price`` to ``new_price`` under constant elasticity.

    ``units * (new / current) ** e * (new - c) - units * (current - c)`` with
    ``c = current_price * (1 - gross_margin)``. Use it to judge a fixed set of
    recommended prices under other elasticities (sensitivity analysis).

    Examples
    --------
    >>> round(float(profit_change(-2.0, 10.0, 11.0, 100.0, 0.4)), 4)  # 100 * 1.1**-2 * 5 - 100 * 4
    13.2231
    """
    _fraction(gross_margin, "gross_margin")
    e = as_float_array(elasticity, "elasticity", ndim=None)
    p0 = _prices(current_price, "current_price")
    p1 = _prices(new_price, "new_price")
    units = as_float_array(weekly_units, "weekly_units", ndim=None, low=0)
    try:
        np.broadcast_shapes(e.shape, p0.shape, p1.shape, units.shape)
    except ValueError:
        raise ValueError(
            f"elasticity, current_price, new_price and weekly_units have mismatched shapes "
            f"{e.shape}, {p0.shape}, {p1.shape}, {units.shape}"
        ) from None
    cost = p0 * (1 - gross_margin)
    return units * (p1 / p0) ** e * (p1 - cost) - units * (p0 - cost)


def margin_sensitivity(
    elasticity: pd.Series,
    current_price: pd.Series,
    weekly_units: pd.Series,
    margins,
    *,
    max_change: float = 0.10,
    elasticity_high: pd.Series | None = None,
) -> pd.DataFrame:
    """How the recommendations of :func:`price_recommendations` change with the assumed gross margin.

    Under constant elasticity the profit-maximising margin is ``-1 / e`` (Lerner), so whether a
    product's price should rise or fall depends on whether the assumed margin is below or above it:
    with costs unknown, the *direction* of the recommendations is an assumption as much as a finding.

    Parameters
    ----------
    elasticity, current_price, weekly_units
        As for :func:`price_recommendations`.
    margins
        Assumed gross margins to try, each in (0, 1).
    max_change, elasticity_high
        Guard rail and upper ends of the elasticities' intervals, as for :func:`price_recommendations`.

    Returns
    -------
    pandas.DataFrame
        One row per margin (index ``gross_margin``): ``raise``, ``cut`` and ``no recommendation``
        (products), ``mean change`` (mean relative price change of the products moved),
        ``profit_now`` and ``projected_change`` (weekly, model projections) and ``projected_share``.

    Examples
    --------
    >>> idx = pd.Index(["A", "B"], name="item_id")
    >>> table = margin_sensitivity(pd.Series([-2.0, -4.0], idx), pd.Series([10.0, 10.0], idx),
    ...                            pd.Series([10.0, 10.0], idx), [0.2, 0.6])
    >>> table[["raise", "cut"]]  # optimal margins 0.5 and 0.25: direction flips with the assumption
                  raise  cut
    gross_margin
    0.2               2    0
    0.6               0    2
    """
    values = as_float_array(margins, "margins", ndim=1)
    if values.size == 0:
        raise ValueError("margins is empty: give at least one gross margin")
    rows = []
    for margin in values:
        recs = price_recommendations(
            elasticity,
            current_price,
            weekly_units,
            gross_margin=float(margin),
            max_change=max_change,
            elasticity_high=elasticity_high,
        )
        moved = recs["rule"] != "no recommendation"
        now, change = recs["profit_now"].sum(), recs["profit_change"].sum()
        rows.append(
            {
                "gross_margin": float(margin),
                "raise": int((recs["change"] > 0).sum()),
                "cut": int((recs["change"] < 0).sum()),
                "no recommendation": int((~moved).sum()),
                "mean change": float(recs.loc[moved, "change"].mean()) if moved.any() else np.nan,
                "profit_now": float(now),
                "projected_change": float(change),
                "projected_share": float(change / now) if now > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("gross_margin")


def closed_form_check(models: dict, unit_cost: float, upper: float = 200.0) -> pd.DataFrame:
    """Each demand model's closed-form optimal price against :func:`optimize_price` on ``(cost, upper)``.

    Examples
    --------
    >>> from shopai_lab.pricing import LinearDemand
    >>> closed_form_check({"linear": LinearDemand(a=250, b=4)}, 6.0).round(4)
            closed form  numerical  agree within 1e-6
    linear        34.25      34.25               True
    """
    require_instance(models, dict, "models")
    unit_cost = require_number(unit_cost, "unit_cost", low=0.0)
    upper = require_number(upper, "upper", low=unit_cost, low_inclusive=False)
    rows = {}
    for name, model in models.items():
        closed = float(model.optimal_price(unit_cost))
        numeric = optimize_price(lambda p, m=model: m.profit(p, unit_cost), bounds=(unit_cost + 0.01, upper)).price
        rows[name] = {"closed form": closed, "numerical": numeric, "agree within 1e-6": abs(closed - numeric) < 1e-6}
    return pd.DataFrame.from_dict(rows, orient="index")
