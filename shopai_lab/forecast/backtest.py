"""Rolling-origin backtests and the standard forecast-error metrics, with paired bootstrap intervals.

At each origin (a week) every forecaster sees the weeks before it only and
forecasts the next ``horizon`` weeks directly. Errors are then scaled per
product the way the forecasting literature does:

* MASE (Hyndman & Koehler 2006): mean absolute error over the in-sample mean
  absolute error of the one-step naive forecast on the training weeks.
* RMSSE (M5, Makridakis et al. 2022): root of the mean squared error over the
  in-sample mean squared naive error.
* WRMSSE: RMSSE averaged with weights equal to each product's revenue share in
  the last ``weight_weeks`` training weeks (the M5 weighting).
* WAPE: sum of absolute errors over the sum of demand (a volume view).
* bias: (sum of forecasts - sum of demand) / sum of demand; negative = too low.

The headline MASE and RMSSE are means over products of each product's score,
so a product selling 2 units a week counts as much as one selling 2,000. Two models are
compared by the relative difference of their mean errors over the same products
(:func:`compare_errors`, a :class:`shopai_lab.stats.Interval`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.base import clone
from tqdm import tqdm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_columns,
    require_instance,
    require_numeric_columns,
    require_positive_int,
    require_string,
    require_strings,
)
from shopai_lab.forecast.gbm import require_prices
from shopai_lab.forecast.models import Forecaster
from shopai_lab.forecast.panel import require_demand
from shopai_lab.stats import Interval, paired_bootstrap

__all__ = [
    "rolling_origin",
    "naive_scales",
    "revenue_weights",
    "product_errors",
    "summarize_errors",
    "paired_errors",
    "compare_errors",
    "inverse_error_weights",
    "combine_forecasts",
    "evaluation_window",
]

_BACKTEST_COLUMNS = ["model", "origin", "h", "week", "item_id", "forecast", "actual"]


def rolling_origin(
    demand: pd.DataFrame,
    forecasters: Mapping[str, Forecaster],
    n_origins: int,
    horizon: int = 4,
    end: int | None = None,
    prices: pd.DataFrame | None = None,
    refit_at=(),
    progress: bool = True,
) -> pd.DataFrame:
    """Forecasts of every model at each of ``n_origins`` consecutive origins.

    Parameters
    ----------
    demand
        Weeks x products demand (the whole panel; each origin only sees the weeks before it).
    forecasters
        ``{name: forecaster}``; each is cloned, never modified.
    n_origins
        Number of origins: the weeks ``end - n_origins, ..., end - 1`` (positions in ``demand``).
    horizon
        Forecasts h = 1..horizon weeks ahead of each origin (direct: no model
        sees its own forecasts).
    end
        Position one past the last origin; default the panel's length.
    prices
        Weekly prices for models that use them (:class:`GlobalBoosting`).
    refit_at
        Local models are re-fitted at every origin. Models whose ``update``
        only re-conditions (the global boosting model) are fitted at the first
        origin and again at each origin week listed in ``refit_at``.
    progress
        Show a progress bar over origins.

    Returns
    -------
    pandas.DataFrame
        Long table ``model, origin, h, week, item_id, forecast, actual``, where
        ``origin`` is the first forecast week and ``actual`` is NaN for target
        weeks at or after ``end`` (forecasts that a stock policy still needs).

    Examples
    --------
    >>> from shopai_lab.forecast.models import Naive
    >>> weeks = pd.date_range("2024-01-01", periods=4, freq="W-MON")
    >>> y = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=weeks)
    >>> bt = rolling_origin(y, {"naive": Naive()}, n_origins=2, horizon=2, progress=False)
    >>> bt[["h", "forecast", "actual"]].to_numpy().tolist()
    [[1.0, 2.0, 3.0], [2.0, 2.0, 4.0], [1.0, 3.0, 4.0], [2.0, 3.0, nan]]
    """
    demand = require_demand(demand, "demand")
    n_origins = require_positive_int(n_origins, "n_origins")
    horizon = require_positive_int(horizon, "horizon")
    end = len(demand) if end is None else require_positive_int(end, "end")
    if end > len(demand):
        raise ValueError(f"end ({end}) is beyond the {len(demand)} weeks of demand")
    if not isinstance(forecasters, Mapping) or not forecasters:
        raise ValueError("forecasters must be a non-empty dict {name: forecaster}")
    for name, model in forecasters.items():
        require_instance(model, Forecaster, f"forecasters[{name!r}]")
    if prices is not None:
        require_prices(prices, demand)
    require_bool(progress, "progress")
    start = end - n_origins
    shortest = max(f.min_history for f in forecasters.values())
    if start < shortest:
        raise ValueError(
            f"the first origin has {start} weeks of history, fewer than the {shortest} the models need "
            f"(n_origins={n_origins} with {end} weeks): shorten n_origins or the horizon"
        )
    refit_weeks = {pd.Timestamp(w) for w in refit_at}
    weeks = demand.index
    values = demand.to_numpy()
    items = demand.columns
    fitted: dict[str, Forecaster] = {}
    frames = []
    for origin in tqdm(range(start, end), desc="origins", disable=not progress):
        history = demand.iloc[:origin]
        hist_prices = None if prices is None else prices.iloc[:origin]
        for name, model in forecasters.items():
            refit = name not in fitted or weeks[origin] in refit_weeks
            if refit:
                fitted[name] = clone(model).fit(history, hist_prices)
            else:
                fitted[name].update(history, hist_prices)
            forecast = fitted[name].predict(horizon).to_numpy()
            target = np.arange(origin, origin + horizon)
            actual = np.full_like(forecast, np.nan)
            inside = target < end
            actual[inside] = values[target[inside]]
            target_weeks = pd.DatetimeIndex([weeks[t] if t < len(weeks) else pd.NaT for t in target])
            frames.append(
                pd.DataFrame(
                    {
                        "model": name,
                        "origin": weeks[origin],
                        "h": np.repeat(np.arange(1, horizon + 1), len(items)),
                        "week": np.repeat(target_weeks.to_numpy(), len(items)),
                        "item_id": np.tile(items.to_numpy(), horizon),
                        "forecast": forecast.ravel(),
                        "actual": actual.ravel(),
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["model"] = pd.Categorical(out["model"], categories=list(forecasters))
    return out[_BACKTEST_COLUMNS]


def naive_scales(history: pd.DataFrame) -> pd.DataFrame:
    """Per product: mean absolute and mean squared one-step naive error on ``history``.

    Products whose history is constant have scale 0 and get NaN scaled errors.

    Examples
    --------
    >>> naive_scales(pd.DataFrame({"x": [1.0, 3.0, 2.0]})).round(3).to_dict("records")
    [{'mae': 1.5, 'mse': 2.5}]
    """
    history = require_demand(history, "history", min_length=2)
    diff = history.diff().iloc[1:]
    return pd.DataFrame({"mae": diff.abs().mean(), "mse": (diff**2).mean()})


def revenue_weights(revenue: pd.DataFrame, weeks: int = 8) -> pd.Series:
    """Each product's share of revenue over the last ``weeks`` weeks of ``revenue`` (the M5 weights).

    Examples
    --------
    >>> revenue_weights(pd.DataFrame({"x": [9.0, 1.0], "y": [0.0, 3.0]}), weeks=1).tolist()
    [0.25, 0.75]
    """
    revenue = require_demand(revenue, "revenue")
    weeks = require_positive_int(weeks, "weeks")
    total = revenue.iloc[-weeks:].sum()
    if total.sum() <= 0:
        raise ValueError(f"no revenue in the last {weeks} weeks: revenue weights are undefined")
    return total / total.sum()


def product_errors(backtest: pd.DataFrame, scales: pd.DataFrame) -> pd.DataFrame:
    """Per model, horizon and product: MASE, RMSSE and the sums behind WAPE and bias.

    Rows with a missing ``actual`` (target weeks outside the window) are left out.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``model, h, item_id``: ``mase``, ``rmsse``, ``abs_error``,
        ``actual``, ``forecast`` (sums over origins) and ``n`` (forecasts).
    """
    _require_backtest(backtest)
    require_columns(scales, ["mae", "mse"], "scales")
    require_numeric_columns(scales, ["mae", "mse"], "scales", allow_nan=False)
    for column in ("mae", "mse"):
        if (scales[column] < 0).any():
            raise ValueError(f"scales[{column!r}] has negative values; naive errors are >= 0 (see naive_scales)")
    unknown = set(backtest["item_id"].unique()) - set(scales.index)
    if unknown:
        raise ValueError(f"scales has no row for product(s) {sorted(unknown)[:5]}")
    bt = backtest[backtest["actual"].notna()]
    error = bt["forecast"] - bt["actual"]
    frame = bt[["model", "h", "item_id", "actual", "forecast"]].assign(abs_error=error.abs(), sq_error=error**2, n=1)
    sums = frame.groupby(["model", "h", "item_id"], observed=True, sort=True).sum()
    n = sums["n"]
    mae = scales["mae"].reindex(sums.index.get_level_values("item_id")).to_numpy()
    mse = scales["mse"].reindex(sums.index.get_level_values("item_id")).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["mase"] = np.where(mae > 0, sums["abs_error"] / n / mae, np.nan)
        sums["rmsse"] = np.where(mse > 0, np.sqrt(sums["sq_error"] / n / mse), np.nan)
    return sums[["mase", "rmsse", "abs_error", "actual", "forecast", "n"]]


def summarize_errors(
    errors: pd.DataFrame,
    weights: pd.Series | None = None,
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    """MASE, RMSSE, WRMSSE, WAPE and bias per model and horizon (and group).

    Parameters
    ----------
    errors
        Output of :func:`product_errors`.
    weights
        Revenue weights per product (:func:`revenue_weights`) for WRMSSE.
    groups
        A label per product (e.g. the intermittency class) to break the table down by.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("m", 1, "a"), ("m", 1, "b")], names=["model", "h", "item_id"])
    >>> e = pd.DataFrame({"mase": [1.0, 3.0], "rmsse": [1.0, 2.0], "abs_error": [2.0, 6.0],
    ...                   "actual": [4.0, 4.0], "forecast": [2.0, 10.0], "n": [1, 1]}, index=idx)
    >>> summarize_errors(e, weights=pd.Series({"a": 0.75, "b": 0.25})).round(3).to_dict("records")
    [{'mase': 2.0, 'rmsse': 1.5, 'wrmsse': 1.25, 'wape': 1.0, 'bias': 0.5, 'products': 2}]
    """
    require_columns(errors, ["mase", "rmsse", "abs_error", "actual", "forecast"], "errors")
    if weights is not None:
        require_instance(weights, pd.Series, "weights")
        as_float_array(weights, "weights", low=0)
    if groups is not None:
        require_instance(groups, pd.Series, "groups")
    frame = errors.reset_index()
    keys = ["model", "h"]
    if groups is not None:
        frame["group"] = groups.reindex(frame["item_id"]).to_numpy()
        keys.append("group")
    if weights is not None:
        w = weights.reindex(frame["item_id"]).fillna(0.0).to_numpy()
        frame["w"] = np.where(frame["rmsse"].notna(), w, 0.0)
        frame["w_rmsse"] = frame["w"] * frame["rmsse"].fillna(0.0)
    grouped = frame.groupby(keys, observed=True, sort=True)
    out = pd.DataFrame({"mase": grouped["mase"].mean(), "rmsse": grouped["rmsse"].mean()})
    if weights is not None:
        out["wrmsse"] = grouped["w_rmsse"].sum() / grouped["w"].sum()
    sums = grouped[["abs_error", "actual", "forecast"]].sum()
    out["wape"] = sums["abs_error"] / sums["actual"]
    out["bias"] = (sums["forecast"] - sums["actual"]) / sums["actual"]
    out["products"] = grouped["mase"].count()
    return out


def paired_errors(errors: pd.DataFrame, model: str, baseline: str, h: int = 1, metric: str = "mase") -> pd.DataFrame:
    """Per-product ``metric`` of two models at horizon ``h``, on the products both have it for.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item_id``: ``baseline`` and ``model``; ``.mean()`` gives each model's mean error.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["a", "b"], [1], range(3)], names=["model", "h", "item_id"])
    >>> e = pd.DataFrame({"mase": [0.9, 1.0, np.nan, 1.0, 1.0, 1.0]}, index=idx)
    >>> paired_errors(e, "a", "b").mean().round(2).to_dict()
    {'baseline': 1.0, 'model': 0.95}
    """
    require_columns(errors, [metric], "errors")
    models = errors.index.get_level_values("model")
    for name in (model, baseline):
        if name not in set(models):
            raise ValueError(f"model {name!r} is not in errors; models are {sorted(set(map(str, models)))}")
    both = pd.concat(
        [errors.loc[(baseline, h), metric], errors.loc[(model, h), metric]], axis=1, keys=["baseline", "model"]
    ).dropna()
    if both.empty:
        raise ValueError(f"no product has {metric} for both {model!r} and {baseline!r} at h={h}")
    return both


def compare_errors(
    errors: pd.DataFrame,
    model: str,
    baseline: str,
    h: int = 1,
    metric: str = "mase",
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int | None = 0,
) -> Interval:
    """Relative difference in mean ``metric`` of ``model`` against ``baseline``, with a paired interval.

    ``mean(model) / mean(baseline) - 1`` over the products both have the metric for (negative:
    ``model`` errs less), with products resampled with replacement, the same draw for both models
    (:func:`shopai_lab.stats.paired_bootstrap` with ``relative=True``). Each model's mean is in
    :func:`paired_errors`.

    Returns
    -------
    shopai_lab.stats.Interval
        Relative (``relative=True``), over the products compared; lower is better, so read it with
        ``report.verdict(result, higher_is_better=False)``.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["a", "b"], [1], range(50)], names=["model", "h", "item_id"])
    >>> e = pd.DataFrame({"mase": np.r_[np.full(50, 0.9), np.full(50, 1.0)]}, index=idx)
    >>> print(compare_errors(e, "a", "b"))
    -10.0% (95% CI -10.0% to -10.0%)
    """
    both = paired_errors(errors, model, baseline, h, metric)
    return paired_bootstrap(
        both["baseline"], both["model"], n_boot=n_boot, level=level, random_state=random_state, relative=True
    )


def inverse_error_weights(summary: pd.DataFrame, models, metric: str = "mase", h: int | None = None) -> dict:
    """Ensemble weights proportional to 1 / error of each model (e.g. on the validation window).

    Examples
    --------
    >>> s = pd.DataFrame({"mase": [1.0, 2.0]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 1)],
    ...                  names=["model", "h"]))
    >>> {k: round(v, 3) for k, v in inverse_error_weights(s, ["a", "b"]).items()}
    {'a': 0.667, 'b': 0.333}
    """
    require_columns(summary, [metric], "summary")
    models = require_strings(models, "models")
    table = summary[metric]
    if h is not None:
        table = table.xs(h, level="h")
    else:
        table = table.groupby(level="model", observed=True).mean()
    missing = [m for m in models if m not in table.index]
    if missing:
        raise ValueError(f"no {metric} for model(s) {missing} in the summary")
    errors = as_float_array([float(table.loc[m]) for m in models], metric)
    bad = [m for m, e in zip(models, errors, strict=True) if e <= 0]
    if bad:
        raise ValueError(f"{metric} of model(s) {bad} must be positive to weigh by its inverse")
    inv = {m: 1.0 / float(e) for m, e in zip(models, errors, strict=True)}
    total = sum(inv.values())
    return {m: v / total for m, v in inv.items()}


def combine_forecasts(
    backtest: pd.DataFrame, members, name: str, method: str = "median", weights: dict | None = None
) -> pd.DataFrame:
    """Add an ensemble's rows to a backtest: the median or weighted mean of ``members``' forecasts.

    The same combination as :class:`~shopai_lab.forecast.Ensemble`, computed from
    forecasts already in the backtest instead of re-fitting the members.

    Examples
    --------
    >>> bt = pd.DataFrame({"model": ["a", "b"], "origin": 0, "h": 1, "week": 0, "item_id": "x",
    ...                    "forecast": [2.0, 4.0], "actual": 3.0})
    >>> combine_forecasts(bt, ["a", "b"], "mean", "weighted", {"a": 1, "b": 1})["forecast"].tolist()
    [2.0, 4.0, 3.0]
    """
    _require_backtest(backtest)
    members = require_strings(members, "members")
    require_string(name, "name")
    present = {str(m) for m in backtest["model"].unique()}
    missing = [m for m in members if m not in present]
    if not members or missing:
        raise ValueError(f"members {missing or members} not in the backtest; models are {sorted(present)}")
    if name in present:
        raise ValueError(f"a model named {name!r} is already in the backtest")
    if method not in ("median", "weighted"):
        raise ValueError(f"method must be 'median' or 'weighted', got {method!r}")
    keys = ["origin", "h", "item_id"]
    parts = {m: backtest.loc[backtest["model"] == m].set_index(keys) for m in members}
    wide = pd.DataFrame({m: part["forecast"] for m, part in parts.items()})
    if method == "median":
        combined = wide.median(axis=1)
    else:
        if not isinstance(weights, dict) or set(weights) != set(members):
            raise ValueError("weights must give one weight per member")
        w = pd.Series(as_float_array([weights[m] for m in members], "weights"), index=members)
        if (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"weights must be non-negative with a positive sum, got {weights}")
        combined = wide.mul(w / w.sum(), axis=1).sum(axis=1)
    rows = parts[members[0]][["week", "actual"]].assign(forecast=combined).reset_index().assign(model=name)
    categories = [*dict.fromkeys(str(m) for m in backtest["model"].unique()), name]
    old = backtest.assign(model=pd.Categorical(backtest["model"].astype(object), categories=categories))
    rows["model"] = pd.Categorical(rows["model"], categories=categories)
    return pd.concat([old, rows[_BACKTEST_COLUMNS]], ignore_index=True)


def _require_backtest(backtest: pd.DataFrame) -> None:
    """A backtest of :func:`rolling_origin`: its columns, finite forecasts, numeric actuals (NaN: unobserved)."""
    require_columns(backtest, _BACKTEST_COLUMNS, "backtest")
    require_numeric_columns(backtest, ["forecast"], "backtest", allow_nan=False)
    require_numeric_columns(backtest, ["actual"], "backtest")


def evaluation_window(backtest: pd.DataFrame, start, end) -> pd.DataFrame:
    """Backtest rows whose origin is in ``[start, end)``, with actuals from ``end`` on masked.

    So a validation window ending where the test weeks begin never scores a
    forecast against a test week.

    Examples
    --------
    >>> bt = pd.DataFrame({"model": "m", "origin": [0, 0, 1], "h": [1, 2, 1], "week": [0, 1, 1],
    ...                    "item_id": "x", "forecast": 1.0, "actual": [1.0, 2.0, 2.0]})
    >>> evaluation_window(bt, 0, 1)["actual"].tolist()
    [1.0, nan]
    """
    _require_backtest(backtest)
    rows = backtest[(backtest["origin"] >= start) & (backtest["origin"] < end)].copy()
    if rows.empty:
        raise ValueError(f"no backtest origin in [{start}, {end})")
    rows["actual"] = rows["actual"].where(rows["week"] < end)
    return rows
