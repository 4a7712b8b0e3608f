"""Local forecasters on one API, vectorised over products.

Every forecaster is fitted on a weeks x products frame of demand (``fit``) and
returns an ``horizon`` x products frame of point forecasts (``predict``), row
``h`` being the forecast ``h`` weeks after the last fitted week. Each product's
series gets its own parameters, but the arithmetic runs on all products at
once, so a re-fit at every origin of a rolling backtest costs milliseconds.

The exponential-smoothing recursions are written out here (vectorised over
products and over a grid of smoothing parameters) rather than called product by
product through :mod:`statsmodels`, which would take minutes per backtest; the
tests check them against ``statsmodels.tsa.holtwinters`` to machine precision at
fixed parameters and to the optimiser's SSE when the parameters are estimated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from shopai_lab import ranking
from shopai_lab._validation import require_positive_int, require_probability
from shopai_lab.forecast.panel import require_demand

__all__ = [
    "Forecaster",
    "Naive",
    "MovingAverage",
    "MovingMedian",
    "SES",
    "Holt",
    "Croston",
    "TSB",
    "Ensemble",
]


def _unit_interval(value, name: str, allow_none: bool = False) -> None:
    """A smoothing parameter: a number in (0, 1] (or ``None`` = estimated, when ``allow_none``)."""
    if value is None and allow_none:
        return
    require_probability(value, name, allow_one=True)


class Forecaster(BaseEstimator):
    """Base class: ``fit(demand)`` on weeks x products, ``predict(horizon)`` gives horizon x products.

    Subclasses implement ``_fit(values)`` on a (weeks, products) float array
    and ``_predict(horizon)`` returning a (horizon, products) array.
    ``update(demand)`` re-conditions a fitted model on a longer history; for the
    local models here it is a re-fit.
    """

    #: the fewest weeks of history the method needs
    min_history: int = 1

    def _check_params(self) -> None:  # pragma: no cover - overridden where there are parameters
        pass

    def fit(self, demand: pd.DataFrame, prices: pd.DataFrame | None = None) -> Forecaster:
        """Fit on ``demand`` (weeks x products, non-negative). ``prices`` is ignored by local models."""
        self._check_params()
        demand = require_demand(demand, "demand", self.min_history)
        self.items_ = demand.columns.copy()
        self.last_week_ = demand.index[-1]
        self.n_weeks_ = len(demand)
        self._fit(demand.to_numpy(dtype=float))
        return self

    def update(self, demand: pd.DataFrame, prices: pd.DataFrame | None = None) -> Forecaster:
        """Condition on a longer history (for local models: re-fit)."""
        return self.fit(demand, prices)

    def predict(self, horizon: int = 1) -> pd.DataFrame:
        """Point forecasts for the next ``horizon`` weeks (index ``h`` = 1..horizon)."""
        check_is_fitted(self, "items_")
        horizon = require_positive_int(horizon, "horizon")
        values = np.clip(self._predict(horizon), 0.0, None)
        return pd.DataFrame(values, index=pd.RangeIndex(1, horizon + 1, name="h"), columns=self.items_)

    def _fit(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _predict(self, horizon: int) -> np.ndarray:
        return np.repeat(self.level_[None, :], horizon, axis=0)


class Naive(Forecaster):
    """Last week's demand, for every horizon.

    Examples
    --------
    >>> Naive().fit(pd.DataFrame({"x": [1.0, 4.0]})).predict(2)["x"].tolist()
    [4.0, 4.0]
    """

    def _fit(self, values):
        self.level_ = values[-1].copy()


class MovingAverage(Forecaster):
    """Mean of the last ``window`` weeks (fewer at the start of a series).

    Examples
    --------
    >>> MovingAverage(window=2).fit(pd.DataFrame({"x": [1.0, 4.0, 6.0]})).predict(1)["x"].tolist()
    [5.0]
    """

    def __init__(self, *, window: int = 8):
        self.window = window

    def _check_params(self):
        require_positive_int(self.window, "window")

    def _fit(self, values):
        self.level_ = values[-self.window :].mean(axis=0)


class MovingMedian(Forecaster):
    """Median of the last ``window`` weeks: the forecast absolute-error metrics (MASE) reward.

    Examples
    --------
    >>> MovingMedian(window=3).fit(pd.DataFrame({"x": [1.0, 100.0, 2.0, 3.0]})).predict(1)["x"].tolist()
    [3.0]
    """

    def __init__(self, *, window: int = 8):
        self.window = window

    def _check_params(self):
        require_positive_int(self.window, "window")

    def _fit(self, values):
        self.level_ = np.median(values[-self.window :], axis=0)


def _ses_paths(values: np.ndarray, alphas: np.ndarray, level0: np.ndarray):
    """Run SES for every alpha (A,) and product (N,): return final levels (A, N) and SSE (A, N)."""
    level = np.broadcast_to(level0, (len(alphas), values.shape[1])).copy()
    sse = np.zeros_like(level)
    a = alphas[:, None]
    for y in values:
        error = y - level
        sse += error**2
        level += a * error
    return level, sse


class SES(Forecaster):
    """Simple exponential smoothing, one smoothing parameter per product.

    The level starts at the mean of the first ``init_weeks`` weeks; ``alpha``
    is either fixed or, when ``None``, chosen per product on a grid of
    ``grid_size`` values in (0, 1] by the in-sample sum of squared one-step
    errors (the criterion statsmodels minimises).

    Examples
    --------
    >>> SES(alpha=0.5, init_weeks=1).fit(pd.DataFrame({"x": [2.0, 4.0, 8.0]})).predict(1)["x"].tolist()
    [5.5]
    """

    min_history = 2

    def __init__(self, *, alpha: float | None = None, init_weeks: int = 4, grid_size: int = 100):
        self.alpha = alpha
        self.init_weeks = init_weeks
        self.grid_size = grid_size

    def _check_params(self):
        _unit_interval(self.alpha, "alpha", allow_none=True)
        require_positive_int(self.init_weeks, "init_weeks")
        require_positive_int(self.grid_size, "grid_size", minimum=2)

    def _fit(self, values):
        level0 = values[: self.init_weeks].mean(axis=0)
        if self.alpha is None:
            alphas = np.linspace(1.0 / self.grid_size, 1.0, self.grid_size)
        else:
            alphas = np.array([float(self.alpha)])
        levels, sse = _ses_paths(values, alphas, level0)
        best = ranking.argmin(sse, axis=0)  # a near-tie goes to the first grid point, on any CPU
        cols = np.arange(values.shape[1])
        self.alpha_ = alphas[best]
        self.level_ = levels[best, cols]
        self.sse_ = sse[best, cols]


class Holt(Forecaster):
    """Holt's linear trend method, optionally damped, parameters per product on a grid.

    Level starts at the mean of the first ``init_weeks`` weeks, trend at 0.
    With ``damping`` = phi < 1 the h-step forecast is
    ``level + (phi + ... + phi**h) * trend`` (Gardner & McKenzie 1985).

    Examples
    --------
    >>> y = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    >>> Holt(alpha=1.0, beta=1.0, damping=1.0, init_weeks=1).fit(y).predict(2)["x"].tolist()
    [5.0, 6.0]
    """

    min_history = 3

    def __init__(
        self,
        *,
        alpha: float | None = None,
        beta: float | None = None,
        damping: float = 0.9,
        init_weeks: int = 4,
        grid_size: int = 10,
    ):
        self.alpha = alpha
        self.beta = beta
        self.damping = damping
        self.init_weeks = init_weeks
        self.grid_size = grid_size

    def _check_params(self):
        _unit_interval(self.alpha, "alpha", allow_none=True)
        _unit_interval(self.beta, "beta", allow_none=True)
        _unit_interval(self.damping, "damping")
        require_positive_int(self.init_weeks, "init_weeks")
        require_positive_int(self.grid_size, "grid_size", minimum=2)

    def _fit(self, values):
        grid = np.linspace(1.0 / self.grid_size, 1.0, self.grid_size)
        alphas = grid if self.alpha is None else np.array([float(self.alpha)])
        betas = grid / 2 if self.beta is None else np.array([float(self.beta)])
        a, b = (g.ravel()[:, None] for g in np.meshgrid(alphas, betas, indexing="ij"))
        phi = float(self.damping)
        n = values.shape[1]
        level = np.broadcast_to(values[: self.init_weeks].mean(axis=0), (len(a), n)).copy()
        trend = np.zeros_like(level)
        sse = np.zeros_like(level)
        for y in values:
            fitted = level + phi * trend
            error = y - fitted
            sse += error**2
            new_level = fitted + a * error
            trend = phi * trend + a * b * error
            level = new_level
        best = ranking.argmin(sse, axis=0)  # a near-tie goes to the first grid point, on any CPU
        cols = np.arange(n)
        self.alpha_, self.beta_ = a[best, 0], b[best, 0]
        self.level_, self.trend_, self.sse_ = level[best, cols], trend[best, cols], sse[best, cols]

    def _predict(self, horizon):
        phi = float(self.damping)
        steps = np.cumsum(phi ** np.arange(1, horizon + 1))
        return self.level_[None, :] + steps[:, None] * self.trend_[None, :]


class Croston(Forecaster):
    """Croston's method for intermittent demand, and its SBA bias correction.

    Demand sizes ``z`` and intervals between demands ``p`` are smoothed
    separately with ``alpha``, updated only in weeks with demand; the forecast
    is ``z / p`` (Croston 1972), times ``1 - alpha / 2`` with
    ``variant="sba"`` (Syntetos & Boylan 2005). Both start at the first demand
    and its interval from the start of the series. A product with no demand
    yet is forecast 0.

    Examples
    --------
    >>> y = pd.DataFrame({"x": [0.0, 4.0, 0.0, 0.0, 6.0]})
    >>> Croston(alpha=0.5).fit(y).predict(1)["x"].round(4).tolist()  # z = 5, p = 2.5
    [2.0]
    """

    def __init__(self, *, alpha: float = 0.1, variant: str = "croston"):
        self.alpha = alpha
        self.variant = variant

    def _check_params(self):
        _unit_interval(self.alpha, "alpha")
        if self.variant not in ("croston", "sba"):
            raise ValueError(f"variant must be 'croston' or 'sba', got {self.variant!r}")

    def _fit(self, values):
        a = float(self.alpha)
        n = values.shape[1]
        size = np.zeros(n)
        interval = np.ones(n)
        since = np.zeros(n)
        started = np.zeros(n, dtype=bool)
        for y in values:
            since += 1
            demand = y > 0
            update = demand & started
            size[update] += a * (y[update] - size[update])
            interval[update] += a * (since[update] - interval[update])
            first = demand & ~started
            size[first], interval[first] = y[first], since[first]
            started |= demand
            since[demand] = 0
        factor = 1 - a / 2 if self.variant == "sba" else 1.0
        self.size_, self.interval_ = size, interval
        self.level_ = np.where(started, factor * size / interval, 0.0)


class TSB(Forecaster):
    """Teunter-Syntetos-Babai: smoothed demand probability times smoothed demand size.

    The probability ``d`` is updated every week with ``beta`` (towards 1 after
    a demand, towards 0 otherwise), so the forecast decays during long runs of
    zeros, unlike Croston's; the size ``z`` is updated with ``alpha`` in weeks
    with demand. Both start at the first demand (``d`` at one over its
    interval from the start). Forecast ``d * z``.

    Examples
    --------
    >>> y = pd.DataFrame({"x": [0.0, 4.0, 0.0, 0.0, 6.0]})
    >>> TSB(alpha=0.5, beta=0.5).fit(y).predict(1)["x"].round(4).tolist()  # d = 0.5625, z = 5
    [2.8125]
    """

    def __init__(self, *, alpha: float = 0.1, beta: float = 0.1):
        self.alpha = alpha
        self.beta = beta

    def _check_params(self):
        _unit_interval(self.alpha, "alpha")
        _unit_interval(self.beta, "beta")

    def _fit(self, values):
        a, b = float(self.alpha), float(self.beta)
        n = values.shape[1]
        size = np.zeros(n)
        prob = np.zeros(n)
        since = np.zeros(n)
        started = np.zeros(n, dtype=bool)
        for y in values:
            since += 1
            demand = y > 0
            prob[started] += b * (demand[started] - prob[started])
            update = demand & started
            size[update] += a * (y[update] - size[update])
            first = demand & ~started
            size[first], prob[first] = y[first], 1.0 / since[first]
            started |= demand
            since[demand] = 0
        self.size_, self.probability_ = size, prob
        self.level_ = np.where(started, prob * size, 0.0)


class Ensemble(Forecaster):
    """Median or weighted mean of member forecasters' forecasts.

    Parameters
    ----------
    members
        ``{name: forecaster}``; each is cloned and fitted on the same history.
    method
        ``"median"`` or ``"weighted"``.
    weights
        ``{name: weight}`` for ``"weighted"`` (e.g. inverse validation error,
        :func:`shopai_lab.forecast.inverse_error_weights`); normalised to sum 1.

    Examples
    --------
    >>> y = pd.DataFrame({"x": [1.0, 2.0, 9.0]})
    >>> ens = Ensemble(members={"naive": Naive(), "ma": MovingAverage(window=3)}, method="weighted",
    ...                weights={"naive": 1.0, "ma": 3.0})
    >>> ens.fit(y).predict(1)["x"].tolist()
    [5.25]
    """

    def __init__(self, *, members: dict | None = None, method: str = "median", weights: dict | None = None):
        self.members = members
        self.method = method
        self.weights = weights

    def _check_params(self):
        if not isinstance(self.members, dict) or not self.members:
            raise ValueError("members must be a non-empty dict {name: forecaster}")
        for name, member in self.members.items():
            if not isinstance(member, Forecaster):
                raise TypeError(f"member {name!r} is not a Forecaster: {type(member).__name__}")
        if self.method not in ("median", "weighted"):
            raise ValueError(f"method must be 'median' or 'weighted', got {self.method!r}")
        if self.method == "weighted":
            if not isinstance(self.weights, dict) or set(self.weights) != set(self.members):
                raise ValueError("weights must be a dict with one weight per member name")
            w = np.array([self.weights[k] for k in self.members], dtype=float)
            if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
                raise ValueError(f"weights must be non-negative with a positive sum, got {self.weights}")

    @property
    def min_history(self) -> int:  # type: ignore[override]
        return max((m.min_history for m in (self.members or {}).values()), default=1)

    def fit(self, demand, prices=None):
        from sklearn.base import clone

        self._check_params()
        self.fitted_members_ = {k: clone(m).fit(demand, prices) for k, m in self.members.items()}
        return super().fit(demand, prices)

    def update(self, demand, prices=None):
        check_is_fitted(self, "fitted_members_")
        for member in self.fitted_members_.values():
            member.update(demand, prices)
        self.items_, self.last_week_, self.n_weeks_ = demand.columns.copy(), demand.index[-1], len(demand)
        return self

    def _fit(self, values):
        pass

    def _predict(self, horizon):
        stack = np.stack([m.predict(horizon).to_numpy() for m in self.fitted_members_.values()])
        if self.method == "median":
            return np.median(stack, axis=0)
        w = np.array([self.weights[k] for k in self.fitted_members_], dtype=float)
        return np.tensordot(w / w.sum(), stack, axes=1)
