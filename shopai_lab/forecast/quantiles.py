"""Probabilistic forecasts from point forecasts: conformal residual quantiles, pinball loss, coverage.

A point forecast plus the distribution of its past errors gives quantiles: the
``tau`` quantile of demand is ``forecast + scale * r_tau``, where ``r_tau`` is
the (finite-sample corrected) ``tau`` quantile of past *scaled* errors
``(actual - forecast) / scale`` at the same horizon (split conformal
prediction; Vovk et al. 2005, Lei et al. 2018). Dividing by each product's
scale (its mean weekly demand) lets small and large products share one
residual distribution. :func:`rolling_conformal` recalibrates at every origin
on the errors already observed by then, so the quantiles follow a drift (the
autumn ramp-up) with a lag and never look ahead.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_columns,
    require_instance,
    require_numeric_columns,
    require_positive_int,
    require_probability,
    require_strings,
)

__all__ = [
    "pinball_loss",
    "coverage",
    "cumulative_forecasts",
    "conformal_quantiles",
    "rolling_conformal",
]


def pinball_loss(actual, quantile, tau: float) -> float:
    """Mean pinball (quantile) loss of ``quantile`` forecasts at level ``tau``.

    ``tau * (y - q)`` when ``y >= q`` and ``(1 - tau) * (q - y)`` otherwise.

    Examples
    --------
    >>> pinball_loss([10.0, 10.0], [8.0, 14.0], 0.9)  # (0.9 * 2 + 0.1 * 4) / 2
    1.1
    """
    tau = require_probability(tau, "tau")
    y = as_float_array(actual, "actual", ndim=None, allow_empty=False)
    q = as_float_array(quantile, "quantile", ndim=None, allow_empty=False)
    if y.shape != q.shape:
        raise ValueError(f"actual and quantile differ in shape: {y.shape} vs {q.shape}")
    diff = y - q
    return float(np.mean(np.maximum(tau * diff, (tau - 1) * diff)))


def coverage(actual, upper) -> float:
    """Share of ``actual`` at or below the ``upper`` quantile forecast.

    Examples
    --------
    >>> coverage([1, 5, 9, 12], [10, 10, 10, 10])
    0.75
    """
    y = as_float_array(actual, "actual", ndim=None, allow_empty=False)
    q = as_float_array(upper, "upper", ndim=None, allow_empty=False)
    if y.shape != q.shape:
        raise ValueError(f"actual and upper differ in shape: {y.shape} vs {q.shape}")
    return float(np.mean(y <= q))


def cumulative_forecasts(backtest: pd.DataFrame, periods: int) -> pd.DataFrame:
    """Demand over the next ``periods`` weeks from each origin: summed forecasts and actuals.

    This is the quantity an order-up-to level must cover (lead time plus
    review period). ``actual`` is NaN when any of the weeks is unobserved;
    ``week`` is the last week of the period. The result has ``h`` = ``periods``.

    Examples
    --------
    >>> bt = pd.DataFrame({"model": "m", "origin": 0, "h": [1, 2], "week": [0, 1], "item_id": "x",
    ...                    "forecast": [2.0, 3.0], "actual": [1.0, 4.0]})
    >>> cumulative_forecasts(bt, 2)[["h", "forecast", "actual"]].to_numpy().tolist()
    [[2.0, 5.0, 5.0]]
    """
    require_columns(backtest, ["model", "origin", "h", "week", "item_id", "forecast", "actual"], "backtest")
    periods = require_positive_int(periods, "periods")
    if periods > backtest["h"].max():
        raise ValueError(f"periods ({periods}) exceeds the backtest's horizon ({backtest['h'].max()})")
    rows = backtest[backtest["h"] <= periods]
    keys = ["model", "origin", "item_id"]
    grouped = rows.groupby(keys, observed=True, sort=True)
    out = grouped.agg(forecast=("forecast", "sum"), week=("week", "max"))
    out["actual"] = grouped["actual"].sum(min_count=periods)
    out = out.reset_index()
    out["h"] = periods
    return out[["model", "origin", "h", "week", "item_id", "forecast", "actual"]]


def _levels(levels) -> list[float]:
    """Quantile levels as a non-empty list of floats in (0, 1)."""
    if isinstance(levels, str) or not isinstance(levels, Sequence | np.ndarray | pd.Index | pd.Series):
        raise TypeError(f"levels must be a list of quantile levels in (0, 1), got {levels!r}")
    if len(levels) == 0:
        raise ValueError("levels is empty: give at least one quantile level")
    return [require_probability(t, "levels") for t in levels]


def _conformal_residual(residuals: np.ndarray, tau: float) -> float:
    """The ceil((n + 1) tau)-th smallest residual (the largest when that exceeds n)."""
    n = len(residuals)
    k = min(n, max(1, math.ceil((n + 1) * tau - 1e-9)))
    return float(np.partition(residuals, k - 1)[k - 1])


def conformal_quantiles(
    calibration: pd.DataFrame,
    target: pd.DataFrame,
    scale: pd.Series,
    levels: Sequence[float] = (0.5, 0.9, 0.95),
    by: Sequence[str] = ("h",),
) -> pd.DataFrame:
    """Quantile forecasts for ``target`` rows from scaled residuals of ``calibration`` rows.

    Parameters
    ----------
    calibration
        Rows with ``item_id``, ``forecast``, ``actual`` and the ``by`` columns
        (rows with a missing ``actual`` are ignored).
    target
        Rows with ``item_id``, ``forecast`` and the ``by`` columns.
    scale
        Positive scale per product (e.g. mean weekly demand on the training weeks).
    levels
        Quantile levels in (0, 1).
    by
        Columns whose groups get their own residual distribution (default: the horizon).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``target``, one column per level (``q0.95``...), clipped at 0.

    Examples
    --------
    >>> cal = pd.DataFrame({"h": 1, "item_id": "x", "forecast": 10.0, "actual": np.arange(1.0, 20.0)})
    >>> tgt = pd.DataFrame({"h": [1], "item_id": ["x"], "forecast": [10.0]})
    >>> conformal_quantiles(cal, tgt, pd.Series({"x": 1.0}), levels=[0.9])["q0.9"].tolist()
    [18.0]
    """
    by = require_strings(by, "by")
    require_columns(calibration, ["item_id", "forecast", "actual", *by], "calibration")
    require_columns(target, ["item_id", "forecast", *by], "target")
    require_numeric_columns(calibration, ["forecast"], "calibration", allow_nan=False)
    require_numeric_columns(calibration, ["actual"], "calibration")
    require_numeric_columns(target, ["forecast"], "target", allow_nan=False)
    require_instance(scale, pd.Series, "scale")
    levels = _levels(levels)
    s = scale.reindex(target["item_id"]).to_numpy(dtype=float)
    s_cal = scale.reindex(calibration["item_id"]).to_numpy(dtype=float)
    for name, values, frame in (("target", s, target), ("calibration", s_cal, calibration)):
        bad = ~(np.isfinite(values) & (values > 0))
        if bad.any():
            raise ValueError(
                f"scale has no positive value for {name} product(s) {frame['item_id'].to_numpy()[bad][:5].tolist()}"
            )
    cal = calibration.assign(_r=(calibration["actual"] - calibration["forecast"]) / s_cal)
    cal = cal[cal["actual"].notna()]
    values = np.full((len(target), len(levels)), np.nan)
    forecast = target["forecast"].to_numpy(dtype=float)

    def as_tuple(key):
        return key if isinstance(key, tuple) else (key,)

    cal_groups = {as_tuple(k): g for k, g in cal.groupby(by, sort=True, observed=True)["_r"]} if by else {(): cal["_r"]}
    target_groups = target.groupby(by, sort=True, observed=True).indices if by else {(): np.arange(len(target))}
    for key, rows in target_groups.items():
        key = as_tuple(key)
        residuals = cal_groups.get(key)
        if residuals is None or len(residuals) == 0:
            raise ValueError(f"no calibration errors for group {dict(zip(by, key))}")
        r = np.array([_conformal_residual(residuals.to_numpy(), tau) for tau in levels])
        values[rows] = forecast[rows, None] + s[rows, None] * r[None, :]
    return pd.DataFrame(np.clip(values, 0.0, None), index=target.index, columns=[f"q{t:g}" for t in levels])


def rolling_conformal(
    backtest: pd.DataFrame,
    scale: pd.Series,
    origins: Sequence,
    levels: Sequence[float] = (0.5, 0.9, 0.95),
    window: int | None = None,
) -> pd.DataFrame:
    """Quantiles for the rows of each origin, calibrated on errors observed before that origin.

    For origin ``o`` the calibration rows are the backtest rows whose target
    ``week`` is before ``o`` (so their actuals were known at ``o``), from the
    last ``window`` origins (``None``: all earlier ones).

    Returns
    -------
    pandas.DataFrame
        The backtest rows of ``origins`` with one column per level.
    """
    require_columns(backtest, ["model", "origin", "h", "week", "item_id", "forecast", "actual"], "backtest")
    if isinstance(origins, str) or not isinstance(origins, Iterable):
        raise TypeError(f"origins must be a list of origin weeks of the backtest, got {origins!r}")
    origins = list(origins)
    if not origins:
        raise ValueError("origins is empty: give at least one origin of the backtest")
    parts = []
    all_origins = np.sort(backtest["origin"].unique())
    for origin in origins:
        target = backtest[backtest["origin"] == origin]
        if target.empty:
            raise ValueError(f"origin {origin} is not in the backtest")
        cal = backtest[(backtest["week"] < origin) & backtest["actual"].notna()]
        if window is not None:
            earlier = all_origins[all_origins < origin][-require_positive_int(window, "window") :]
            cal = cal[cal["origin"].isin(earlier)]
        q = conformal_quantiles(cal, target, scale, levels, by=("model", "h"))
        parts.append(pd.concat([target, q], axis=1))
    return pd.concat(parts, ignore_index=True)
