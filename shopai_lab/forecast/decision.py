"""Notebook 06's study as functions: which forecaster, which stock level, and how they did on the test weeks.

The protocol: forecasters are ranked on the validation weeks by RMSSE (a stock level needs the
mean and the spread of demand; MASE, an absolute-error score, rewards a median that under-forecasts
intermittent demand, so it is shown but not used to rank); the mean of the best ``k`` (``k`` chosen
on validation too) is a candidate like any single model. The benchmark on each metric is the best
*simple* method on validation. The test weeks are scored once, with paired bootstrap intervals
over products. Stock levels come from conformal quantiles of the recommended and the benchmark
forecasts, chosen on rolling validation windows (:mod:`shopai_lab.forecast.policy`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone

from shopai_lab import ranking
from shopai_lab._validation import require_columns, require_positive_int, require_strings
from shopai_lab.forecast.backtest import (
    combine_forecasts,
    compare_errors,
    evaluation_window,
    naive_scales,
    paired_errors,
    product_errors,
    summarize_errors,
)
from shopai_lab.forecast.gbm import GlobalBoosting
from shopai_lab.forecast.inventory import levels_frame, simulate_order_up_to
from shopai_lab.forecast.lgbm import GlobalLightGBM
from shopai_lab.forecast.models import SES, TSB, Croston, Holt, MovingAverage, MovingMedian, Naive
from shopai_lab.forecast.panel import require_demand
from shopai_lab.forecast.policy import (
    cap_demand,
    compare_policies,
    level_for_cost,
    level_for_fill,
    product_costs,
    rank_forecasters,
    top_k_combination,
    window_curves,
)
from shopai_lab.forecast.quantiles import (
    conformal_quantiles,
    coverage,
    cumulative_forecasts,
    pinball_loss,
    rolling_conformal,
)
from shopai_lab.report import verdict

__all__ = [
    "SIMPLE",
    "GLOBAL",
    "PREVIOUS_CHOICE",
    "forecasters",
    "choose_forecaster",
    "benchmarks",
    "forecast_comparison",
    "policy_quantiles",
    "levels_getter",
    "candidate_policies",
    "policies_on_test",
    "next_week_levels",
    "total_comparison",
    "quantile_check",
    "strongest_simple",
    "against_every_simple",
    "weakest_gap",
    "SCALES",
    "quantile_scale",
    "choose_scale",
]

#: the simple methods a recommendation must beat (the benchmark on each metric is the best of them on validation)
SIMPLE: tuple[str, ...] = ("naive", "MA4", "MA8", "MA13", "median8", "SES", "Holt damped", "Croston", "SBA", "TSB")
#: global models whose means with the best simple methods are candidates too (:func:`choose_forecaster`)
GLOBAL: tuple[str, ...] = ("LightGBM",)
#: what notebook 06 recommended before (the median of four mean forecasts): the MASE it must not lose to
PREVIOUS_CHOICE: tuple[str, ...] = ("MA8", "SES", "TSB", "boosting")


def forecasters(horizon: int, random_state=0) -> dict:
    """The simple methods of :data:`SIMPLE` and the two global models, by name.

    ``LightGBM`` (:class:`GlobalLightGBM`, Tweedie loss, each product's squared error weighted as in
    RMSSE) has the settings that won a small grid on the bundled data's validation weeks (Tweedie
    power 1.3; 15 or 31 leaves; 20 or 100 rows per leaf; equal or RMSSE weights; Poisson and squared
    error losses): 31 leaves, 20 rows per leaf, 300 trees, RMSSE weights.

    Examples
    --------
    >>> list(forecasters(4))[-3:]
    ['TSB', 'boosting', 'LightGBM']
    """
    horizon = require_positive_int(horizon, "horizon")
    return {
        "naive": Naive(), "MA4": MovingAverage(window=4), "MA8": MovingAverage(window=8),
        "MA13": MovingAverage(window=13), "median8": MovingMedian(window=8), "SES": SES(), "Holt damped": Holt(),
        "Croston": Croston(), "SBA": Croston(variant="sba"), "TSB": TSB(),
        "boosting": GlobalBoosting(horizon=horizon, random_state=random_state),
        "LightGBM": GlobalLightGBM(horizon=horizon, weighting="rmsse", num_leaves=31, min_child_samples=20,
                                   n_estimators=300, random_state=random_state),
    }  # fmt: skip


def choose_forecaster(backtest, units, val_start, test_start, max_members: int = 5, metric: str = "rmsse"):
    """Add combinations and the previous choice; pick the best on validation ``metric``.

    Combinations (equal-weight means): the best ``k`` models on validation (k = 2..max_members), and each
    global model of :data:`GLOBAL` with the best ``k`` simple methods (k = 1..max_members - 1): a global
    model that ranks low alone can still help a combination, since its errors differ from theirs.

    Returns
    -------
    (backtest, recommended, members, val_summary)
        The backtest with the combinations' rows, the name with the lowest validation ``metric``
        (mean over horizons; a single model or a combination), the members of that choice and the
        validation summary of every model.
    """
    max_members = require_positive_int(max_members, "max_members", minimum=2)
    scales = naive_scales(units.loc[units.index < val_start])
    summary = summarize_errors(product_errors(evaluation_window(backtest, val_start, test_start), scales))
    ranked = rank_forecasters(summary, metric)
    combos = {}
    for k in range(2, min(max_members, len(ranked)) + 1):
        combos[f"mean of best {k}"] = top_k_combination(ranked, k)
        backtest = combine_forecasts(backtest, combos[f"mean of best {k}"], f"mean of best {k}", "weighted",
                                     dict.fromkeys(combos[f"mean of best {k}"], 1.0))  # fmt: skip
    simple = [m for m in ranked.index if m in SIMPLE]
    for g in (m for m in GLOBAL if m in ranked.index):
        for k in range(1, min(max_members - 1, len(simple)) + 1):
            name, combo = f"{g} + best {k} simple", [g, *simple[:k]]
            if combo != combos.get(f"mean of best {k + 1}"):
                combos[name] = combo
                backtest = combine_forecasts(backtest, combo, name, "weighted", dict.fromkeys(combo, 1.0))
    if all(m in ranked.index for m in PREVIOUS_CHOICE):
        backtest = combine_forecasts(backtest, list(PREVIOUS_CHOICE), "previous choice", "median")
    summary = summarize_errors(product_errors(evaluation_window(backtest, val_start, test_start), scales))
    candidates = [m for m in map(str, summary.index.get_level_values("model").unique()) if m != "previous choice"]
    recommended = str(rank_forecasters(summary, metric, candidates).index[0])
    return backtest, recommended, combos.get(recommended, [recommended]), summary


def benchmarks(val_summary: pd.DataFrame, metrics=("rmsse", "mase", "bias"), simple=SIMPLE) -> dict:
    """The best simple method on validation for each metric (bias: the smallest absolute bias).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["MA8", "median8"], [1]], names=["model", "h"])
    >>> s = pd.DataFrame({"rmsse": [0.9, 0.95], "mase": [1.0, 0.9], "bias": [-0.1, -0.3]}, index=idx)
    >>> benchmarks(s)
    {'rmsse': 'MA8', 'mase': 'median8', 'bias': 'MA8'}
    """
    require_columns(val_summary, list(metrics), "val_summary")
    present = [
        m
        for m in require_strings(list(simple), "simple")
        if m in set(map(str, val_summary.index.get_level_values("model")))
    ]
    if not present:
        raise ValueError("val_summary holds none of the simple methods")
    out = {}
    for metric in metrics:
        table = val_summary[[metric]].abs() if metric == "bias" else val_summary[[metric]]
        out[metric] = str(rank_forecasters(table, metric, present).index[0])
    return out


def forecast_comparison(errors, summary, model, benches: dict, horizons, n_boot=1000, random_state=0):
    """The recommended model against the benchmark of each metric at each horizon, paired over products.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``metric, h``: ``benchmark``, ``model_error``, ``benchmark_error`` (means over the
        products both have), ``relative`` (an :class:`~shopai_lab.stats.Interval`, model vs benchmark),
        ``verdict`` (lower is better) and both models' ``model_bias`` and ``benchmark_bias``.
    """
    rows = {}
    for metric in ("rmsse", "mase"):
        bench = benches[metric]
        for h in horizons:
            pair = {"model": model, "baseline": bench, "h": h, "metric": metric}
            means = paired_errors(errors, **pair).mean()
            result = compare_errors(errors, **pair, n_boot=n_boot, random_state=random_state)
            rows[(metric, h)] = {
                "benchmark": bench, "model_error": means["model"], "benchmark_error": means["baseline"],
                "relative": result, "verdict": verdict(result, higher_is_better=False),
                "model_bias": summary.loc[(model, h), "bias"], "benchmark_bias": summary.loc[(bench, h), "bias"],
            }  # fmt: skip
    table = pd.DataFrame(rows).T
    table.index.names = ["metric", "h"]
    return table


def policy_quantiles(backtest, models, scale, caps, origins, grid, periods: int, window: int = 8) -> pd.DataFrame:
    """Conformal quantiles (levels ``grid``) of demand over ``periods`` weeks, from each origin in ``origins``.

    Calibrated on past errors against actuals capped at the bulk caps (:func:`policy.bulk_caps`), so
    one wholesale order does not widen every later quantile.
    """
    rows = backtest[backtest["model"].isin(list(models))]
    cap = caps.reindex(rows["item_id"]).to_numpy(dtype=float)
    capped = rows.assign(actual=np.minimum(rows["actual"].to_numpy(dtype=float), cap))
    return rolling_conformal(cumulative_forecasts(capped, periods), scale, origins, grid, window=window)


def levels_getter(quantiles: pd.DataFrame, model: str, items):
    """``levels(p, start, end)``: the weeks x products order-up-to levels of target ``p`` for ``model``."""

    def levels(p, start, end):
        rows = quantiles[(quantiles["model"] == model) & (quantiles["origin"] >= start) & (quantiles["origin"] < end)]
        return levels_frame(rows, f"q{p:g}", items=items)

    return levels


def candidate_policies(curves: dict, critical: float, fill_target: float, flagged=()) -> pd.DataFrame:
    """Per forecaster three levels: the critical ratio at face value, the least validation cost, the fill target.

    ``curves``: forecaster -> :func:`policy.window_curves` on the validation windows. The level is
    rounded to the grid; each policy's validation cost is summed over the usable windows.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``forecaster, rule``: ``level`` and ``validation_cost``.
    """
    rows = {}
    for model, c in curves.items():
        grid = np.sort(c["target"].unique())
        nominal = float(grid[np.argmin(np.abs(grid - critical))])
        usable = c[~c["window"].isin(list(flagged))] if (~c["window"].isin(list(flagged))).any() else c
        cost = usable.groupby("target")["cost"].sum()
        rules = {"critical ratio": nominal, "least validation cost": level_for_cost(c, flagged),
                 f"fill {fill_target:.0%} on validation": level_for_fill(c, fill_target, flagged)}  # fmt: skip
        for rule, p in rules.items():
            rows[(model, rule)] = {"level": p, "validation_cost": float(cost.loc[p])}
    table = pd.DataFrame(rows).T
    table.index.names = ["forecaster", "rule"]
    return table.astype(float)


def policies_on_test(policies, getters: dict, units, caps, start, end, lead_time, holding_cost, shortage_cost):
    """Simulate every policy once on the test weeks: on all demand and on regular demand (bulk capped).

    Returns
    -------
    (table, costs, results)
        ``table`` per policy: level, fill and weeks of stock on all demand and on regular demand, total
        cost; ``costs`` per product (all demand) per policy; ``results`` the simulations (all demand).
    """
    demand = units.loc[(units.index >= start) & (units.index < end)]
    regular = cap_demand(demand, caps)
    rows, costs, results = {}, {}, {}
    for (model, rule), p in policies["level"].items():
        levels = getters[model](p, start, end)
        result, capped = (simulate_order_up_to(d, levels, lead_time) for d in (demand, regular))
        costs[(model, rule)] = product_costs(result, holding_cost, shortage_cost)
        results[(model, rule)] = result
        s, r = result.summary(), capped.summary()
        rows[(model, rule)] = {"level": p, "fill_rate": s["fill_rate"], "weeks_of_stock": s["weeks_of_stock"],
                               "regular_fill_rate": r["fill_rate"], "regular_weeks_of_stock": r["weeks_of_stock"],
                               "cost": float(costs[(model, rule)].sum())}  # fmt: skip
    table = pd.DataFrame(rows).T
    table.index.names = ["forecaster", "rule"]
    return table, pd.DataFrame(costs), results


def policy_differences(costs: pd.DataFrame, chosen, n_boot=1000, random_state=0) -> dict:
    """Every other policy's test cost against the chosen one's (relative, paired over products).

    A policy with the same costs as the chosen one (another rule that gave the same level) is left out.
    """
    return {
        f"{m} / {r}": compare_policies(costs[chosen], costs[(m, r)], n_boot=n_boot, random_state=random_state)
        for (m, r) in costs.columns
        if (m, r) != tuple(chosen) and not costs[(m, r)].equals(costs[chosen])
    }


def next_week_levels(
    units,
    prices,
    members,
    models: dict,
    quantiles,
    model: str,
    level: float,
    periods: int,
    scale: pd.Series | None = None,
):
    """Next week's order-up-to level per product: the members re-fitted on every week, their mean over the
    protection period, plus the conformal residual of the recommended forecast's latest errors (residuals
    divided by ``scale``, the one the levels were chosen with; default each product's mean week)."""
    forecast = np.mean([clone(models[m]).fit(units, prices).predict(periods).sum() for m in members], axis=0)
    target = pd.DataFrame({"h": periods, "item_id": units.columns, "forecast": forecast})
    rows = quantiles[(quantiles["model"] == model) & quantiles["actual"].notna()]
    calibration = rows[rows["origin"] >= rows["origin"].max() - pd.Timedelta(weeks=7)]
    scale = units.mean().where(units.mean() > 0, 1.0) if scale is None else scale
    q = conformal_quantiles(calibration, target, scale, levels=[level], by=("h",))
    return pd.Series(q.iloc[:, 0].to_numpy(), index=units.columns, name="order_up_to")


def total_comparison(units, test_rows, model: str, n_origins: int, horizon: int) -> pd.DataFrame:
    """Bottom-up (sum of ``model``'s product forecasts) against SES and MA8 on the total series.

    Returns the mean absolute percentage error and mean percentage error of the total per method and horizon.
    """
    from shopai_lab.forecast.backtest import rolling_origin

    total = units.sum(axis=1).to_frame("total")
    direct = rolling_origin(total, {"SES on total": SES(), "MA8 on total": MovingAverage()},
                            n_origins=n_origins, horizon=horizon, progress=False)  # fmt: skip
    bottom_up = (test_rows[test_rows["model"] == model].groupby(["origin", "h", "week"], observed=True)
                 [["forecast", "actual"]].sum(min_count=1).reset_index().assign(model=f"sum of {model}"))  # fmt: skip
    both = pd.concat([direct.drop(columns="item_id"), bottom_up]).dropna(subset=["actual"])
    both["ape"] = (both["forecast"] - both["actual"]).abs() / both["actual"]
    both["error"] = (both["forecast"] - both["actual"]) / both["actual"]
    return both.groupby(["model", "h"], observed=True)[["ape", "error"]].mean().unstack("h")


def quantile_check(quantiles: pd.DataFrame, start, levels) -> pd.DataFrame:
    """Coverage and pinball loss of each model's quantiles on the rows whose origin is ``start`` or later.

    Scored against the actuals of :func:`policy_quantiles` (bulk weeks capped): the demand the levels serve.

    Examples
    --------
    >>> q = pd.DataFrame({"model": "m", "origin": [1, 1], "actual": [1.0, 3.0], "q0.5": [2.0, 2.0]})
    >>> quantile_check(q, 1, [0.5]).round(2).to_dict("records")
    [{'coverage': 0.5, 'pinball': 0.5}]
    """
    require_columns(quantiles, ["model", "origin", "actual", *(f"q{t:g}" for t in levels)], "quantiles")
    rows = quantiles[(quantiles["origin"] >= start) & quantiles["actual"].notna()]
    if rows.empty:
        raise ValueError(f"quantiles has no observed row from origin {start} on")
    table = {
        (str(m), t): {
            "coverage": coverage(g["actual"], g[f"q{t:g}"]),
            "pinball": pinball_loss(g["actual"], g[f"q{t:g}"], t),
        }
        for m, g in rows.groupby("model", observed=True, sort=False)
        for t in levels
    }
    out = pd.DataFrame(table).T
    out.index.names = ["model", "level"]
    return out


def strongest_simple(summary: pd.DataFrame, h: int = 1, metric: str = "rmsse", simple=SIMPLE) -> str:
    """The simple method with the lowest ``metric`` at horizon ``h`` in ``summary`` (e.g. the test table).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["MA8", "TSB", "mean of best 2"], [1]], names=["model", "h"])
    >>> strongest_simple(pd.DataFrame({"rmsse": [0.86, 0.88, 0.85]}, index=idx))
    'MA8'
    """
    require_columns(summary, [metric], "summary")
    table = summary[[metric]].xs(h, level="h", drop_level=False)
    present = [m for m in simple if m in set(map(str, table.index.get_level_values("model")))]
    if not present:
        raise ValueError("summary holds none of the simple methods")
    return str(rank_forecasters(table, metric, present).index[0])


def against_every_simple(
    errors, model: str, horizons, metric: str = "rmsse", simple=SIMPLE, n_boot=1000, random_state=0
) -> pd.DataFrame:
    """``model`` against every simple method present in ``errors`` at each horizon, paired over products.

    The test set is touched once, so no benchmark is picked on it: the recommendation has to beat all of
    them, and the weakest gap (:func:`weakest_gap`) is the one to report.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``benchmark, h``: ``model_error``, ``benchmark_error`` (means over the products both
        have), ``relative`` (an :class:`~shopai_lab.stats.Interval`, model vs benchmark) and ``verdict``.
    """
    require_columns(errors, [metric], "errors")
    models = set(map(str, errors.index.get_level_values("model")))
    present = [m for m in require_strings(list(simple), "simple") if m in models and m != model]
    if not present:
        raise ValueError("errors holds none of the simple methods (other than the model itself)")
    rows = {}
    for bench in present:
        for h in horizons:
            pair = {"model": model, "baseline": bench, "h": h, "metric": metric}
            means = paired_errors(errors, **pair).mean()
            result = compare_errors(errors, **pair, n_boot=n_boot, random_state=random_state)
            rows[(bench, h)] = {"model_error": means["model"], "benchmark_error": means["baseline"],
                                "relative": result, "verdict": verdict(result, higher_is_better=False)}  # fmt: skip
    table = pd.DataFrame(rows).T
    table.index.names = ["benchmark", "h"]
    return table


def weakest_gap(table: pd.DataFrame) -> pd.DataFrame:
    """Per horizon, the row of :func:`against_every_simple` with the largest relative difference.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> t = pd.DataFrame({"relative": [Interval(-0.05, -0.06, -0.04, 0.95, 100, 0.005),
    ...                              Interval(-0.01, -0.02, 0.0, 0.95, 100, 0.005)]},
    ...                  index=pd.MultiIndex.from_tuples([("TSB", 1), ("MA8", 1)], names=["benchmark", "h"]))
    >>> weakest_gap(t).index.tolist()
    [('MA8', 1)]
    """
    require_columns(table, ["relative"], "table")
    estimate = table["relative"].map(lambda r: r.estimate).astype(float)
    horizons = sorted(set(table.index.get_level_values("h")))
    keys = [estimate.xs(h, level="h", drop_level=False).idxmax() for h in horizons]
    return table.loc[keys]


#: per-product scales of the conformal residuals the stock levels are built from (chosen on validation)
SCALES: tuple[str, ...] = ("mean", "std", "geometric")


def quantile_scale(history: pd.DataFrame, kind: str) -> pd.Series:
    """Per product scale of the conformal residuals: mean, standard deviation or their geometric mean.

    Scaled residuals ``(actual - forecast) / scale`` share one distribution across products; with the
    mean every product gets the same relative safety stock, with the standard deviation the same number
    of standard deviations (more for erratic products); the geometric mean sits between. Zero scales
    (a product that never sold) become 1.

    Examples
    --------
    >>> quantile_scale(pd.DataFrame({"x": [1.0, 3.0], "y": [0.0, 0.0]}), "geometric").round(3).tolist()
    [1.682, 1.0]
    """
    history = require_demand(history, "history", min_length=2)
    if kind not in SCALES:
        raise ValueError(f"kind must be one of {SCALES}, got {kind!r}")
    mean, std = history.mean(), history.std()
    scale = {"mean": mean, "std": std, "geometric": np.sqrt(mean * std)}[kind]
    return scale.where(scale > 0, 1.0)


def choose_scale(
    backtest, model: str, train, caps, windows, grid, demand, lead_time, holding_cost, shortage_cost, flagged=()
) -> tuple[str, pd.Series]:
    """The residual scale (:data:`SCALES`) whose levels cost least on the validation windows, for ``model``.

    Each scale's conformal quantiles (:func:`policy_quantiles`, calibrated on bulk-capped actuals) are
    simulated on every window against all demand, the costing of the test weeks, at the level of least
    cost over the usable windows (:func:`policy.level_for_cost`).

    Returns
    -------
    (kind, costs)
        The chosen scale and each scale's least validation cost.
    """
    require_columns(backtest, ["model", "origin"], "backtest")
    if model not in set(map(str, backtest["model"].unique())):
        raise ValueError(f"model {model!r} is not in the backtest")
    if not windows:
        raise ValueError("windows is empty: give at least one validation window")
    origins = [w for w in demand.index if windows[0][0] <= w < windows[-1][1]]
    costs = {}
    for kind in SCALES:
        q = policy_quantiles(backtest, [model], quantile_scale(train, kind), caps, origins, grid, lead_time + 1)
        curves = window_curves(windows, demand, levels_getter(q, model, demand.columns), grid, holding_cost,
                               shortage_cost, lead_time)  # fmt: skip
        level = level_for_cost(curves, flagged)
        usable = curves[~curves["window"].isin(list(flagged))] if len(flagged) < len(windows) else curves
        costs[kind] = float(usable.loc[usable["target"] == level, "cost"].sum())
    costs = pd.Series(costs, name="validation_cost")
    return str(costs.index[ranking.argmin(costs.to_numpy())]), costs
