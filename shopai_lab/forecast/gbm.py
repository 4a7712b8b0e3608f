"""A global gradient-boosting forecaster: one model for all products, direct multi-horizon.

Each training row is (product, origin week, horizon h): features computed from
the product's history up to the origin, the target its demand h weeks later.
Demand is divided by the product's level (mean weekly demand so far), so one
model serves products selling 2 and 2,000 units a week, and every product
weighs alike, as in scale-free error metrics. The loss is Poisson deviance,
which suits non-negative, skewed counts and predicts a mean (Tweedie-type
losses won the M5 competition). The horizon is a feature: one model makes the
direct 1..H-step forecasts (no recursion on its own forecasts).

Features: lags 1-8, moving means (4, 8, 13, 26 weeks), the standard deviation
and the share of weeks with sales over the last 8 and 26 weeks, weeks since the
last sale, the product's level (log), its last price relative to its median
price, the shop's total demand last week relative to its 8-week mean (a
shop-wide momentum the local models cannot see), and, with ``calendar=True``,
the week of the year of the target week (learnable only with more than a year
of history). Forecasts are capped at the product's largest weekly demand so far:
the log link can otherwise extrapolate to absurd values for a product that
restarts after months without sales.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from shopai_lab._validation import (
    require_bool,
    require_frame,
    require_numeric_columns,
    require_one_of,
    require_positive_int,
)
from shopai_lab.forecast.models import Forecaster
from shopai_lab.forecast.panel import require_demand

__all__ = ["GlobalBoosting", "FEATURES"]

_LAGS = tuple(range(1, 9))
_WINDOWS = (4, 8, 13, 26)
#: names of the features, in column order (``week_of_year`` only with ``calendar=True``)
FEATURES: tuple[str, ...] = (
    *(f"lag_{k}" for k in _LAGS),
    *(f"mean_{w}" for w in _WINDOWS),
    "std_8",
    "std_26",
    "active_8",
    "active_26",
    "weeks_since_sale",
    "log_level",
    "price_ratio",
    "shop_momentum",
    "h",
)


def _features(
    values: np.ndarray,
    prices: np.ndarray | None,
    t: int,
    weeks: pd.DatetimeIndex,
    horizon: int,
    calendar: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows for origin ``t`` (history ``values[:t]``) and horizons 1..horizon.

    Returns (X of shape (horizon * N, F), level of shape (N,)).
    """
    hist = values[:t]
    n = values.shape[1]
    level = hist.mean(axis=0)
    scale = np.where(level > 0, level, 1.0)
    cols = []
    for k in _LAGS:
        cols.append(hist[-k] / scale if t >= k else np.full(n, np.nan))
    for w in _WINDOWS:
        cols.append(hist[-w:].mean(axis=0) / scale)
    for w in (8, 26):
        cols.append(hist[-w:].std(axis=0) / scale)
    for w in (8, 26):
        cols.append((hist[-w:] > 0).mean(axis=0))
    sold = hist > 0
    since_sale = np.argmax(sold[::-1], axis=0).astype(float)  # 0: sold in the last week
    cols.append(np.where(sold.any(axis=0), since_sale, np.nan))
    cols.append(np.log1p(level))
    if prices is not None:
        p = prices[:t]
        last = pd.DataFrame(p).ffill().to_numpy()[-1]
        with np.errstate(invalid="ignore", divide="ignore"), _quiet():
            median = np.nanmedian(p, axis=0)
            cols.append(last / median)
    else:
        cols.append(np.ones(n))  # no prices: neutral ratio
    total = hist.sum(axis=1)
    momentum = total[-1] / total[-8:].mean() if total[-8:].mean() > 0 else 1.0
    cols.append(np.full(n, momentum))
    base = np.column_stack(cols)
    blocks = []
    for h in range(1, horizon + 1):
        extra = [np.full((n, 1), float(h))]
        if calendar:
            target = weeks[-1] + pd.Timedelta(weeks=t + h - len(weeks)) if t + h > len(weeks) else weeks[t + h - 1]
            extra.append(np.full((n, 1), float(target.isocalendar().week)))
        blocks.append(np.hstack([base, *extra]))
    return np.vstack(blocks), scale


_LOSSES = ("poisson", "squared_error", "absolute_error", "gamma")


def require_prices(prices, demand: pd.DataFrame) -> None:
    """Check weekly prices for ``demand``: a frame with every week and product, prices > 0 or missing.

    Missing prices are weeks without sales (:attr:`DemandPanel.price`); text, infinite,
    zero or negative prices are refused.
    """
    require_frame(prices, "prices")
    missing = [c for c in demand.columns if c not in prices.columns]
    if missing:
        raise ValueError(f"prices has no column for product(s) {missing[:5]}")
    absent = demand.index.difference(prices.index)
    if len(absent):
        raise ValueError(f"prices has no row for week(s) {[str(w) for w in absent[:3]]} of demand")
    require_numeric_columns(prices, list(demand.columns), "prices")
    values = prices[list(demand.columns)].to_numpy(dtype=float)
    bad = values <= 0
    if bad.any():
        column = demand.columns[np.flatnonzero(bad.any(axis=0))[0]]
        raise ValueError(f"prices[{column!r}] has prices <= 0; every price must be > 0 (or missing)")


class _quiet:
    """Silence numpy's all-NaN-slice warnings inside a block."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)


class GlobalTreeForecaster(Forecaster):
    """What every global tree forecaster shares: training rows over origins, ``update``, capped predictions.

    A subclass names its features (:meth:`_row_features`: rows for one origin and the products' scale) and its
    booster (:meth:`_fit_booster`); optionally a weight per training row (:meth:`_row_weights`). The training
    rows are (product, origin week, horizon) for every origin with ``min_history`` weeks before it; targets
    are demand divided by the product's scale. ``update`` keeps the trees and recomputes the features from a
    longer history; forecasts are capped at the product's largest week so far (a log-link model can
    extrapolate to absurd values for a product that restarts after months without sales). Subclasses set
    ``horizon``, ``min_history`` and ``calendar``.
    """

    def _row_features(self, values, prices, t: int, weeks, horizon: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit_booster(self, X: np.ndarray, y: np.ndarray, weight):  # pragma: no cover - abstract
        raise NotImplementedError

    def _row_weights(self, history: np.ndarray, scale: np.ndarray):
        """Weights of one origin's rows per product (``None``: unweighted)."""
        return None

    def fit(self, demand: pd.DataFrame, prices: pd.DataFrame | None = None):
        """Train on every origin of ``demand`` with ``min_history`` weeks before it."""
        self._check_params()
        demand = require_demand(demand, "demand", self.min_history + 1)
        values = demand.to_numpy(dtype=float)
        price_values = self._prices(prices, demand)
        X, y, W = [], [], []
        for t in range(self.min_history, len(values)):
            h_max = min(self.horizon, len(values) - t)
            feats, scale = self._row_features(values, price_values, t, demand.index, h_max)
            X.append(feats)
            y.append((values[t : t + h_max] / scale).ravel())
            W.append(self._row_weights(values[:t], scale))
        if len(X) < 2:
            raise ValueError(
                f"demand has {len(values)} weeks: the global model needs at least min_history + 2 = "
                f"{self.min_history + 2} to learn from more than one origin"
            )
        weight = None
        if W[0] is not None:  # one weight per product, repeated over the origin's horizons
            weight = np.concatenate([np.tile(w, len(part) // len(w)) for w, part in zip(W, y, strict=True)])
        with threadpool_limits(limits=1, user_api="openmp"):  # same result, and no spin-waiting
            self.model_ = self._fit_booster(np.vstack(X), np.concatenate(y), weight)
        self.n_training_rows_ = int(sum(len(part) for part in y))
        return self.update(demand, prices)

    def update(self, demand: pd.DataFrame, prices: pd.DataFrame | None = None):
        """Recompute the features from ``demand`` (same or new products) keeping the trees."""
        check_is_fitted(self, "model_")
        demand = require_demand(demand, "demand", self.min_history)
        self._history = demand.to_numpy(dtype=float)
        self._history_prices = self._prices(prices, demand)
        self._weeks = demand.index
        self.items_, self.last_week_, self.n_weeks_ = demand.columns.copy(), demand.index[-1], len(demand)
        return self

    @staticmethod
    def _prices(prices, demand):
        if prices is None:
            return None
        require_prices(prices, demand)
        return prices.reindex(index=demand.index)[demand.columns].to_numpy(dtype=float)

    def _predict(self, horizon):
        if horizon > self.horizon:
            raise ValueError(f"horizon {horizon} exceeds the horizon the model was trained for ({self.horizon})")
        t = len(self._history)
        feats, scale = self._row_features(self._history, self._history_prices, t, self._weeks, horizon)
        with threadpool_limits(limits=1, user_api="openmp"):
            predicted = self.model_.predict(feats)
        ceiling = self._history.max(axis=0)
        return np.minimum(predicted.reshape(horizon, -1) * scale[None, :], ceiling[None, :])


class GlobalBoosting(GlobalTreeForecaster):
    """Gradient boosting (scikit-learn, Poisson loss) over all products at once.

    Parameters
    ----------
    horizon
        Largest horizon the model is trained for (direct forecasts h = 1..horizon).
    min_history
        Weeks of history an origin needs before it makes a training row.
    loss
        ``"poisson"`` (a mean forecast) or any loss of
        :class:`~sklearn.ensemble.HistGradientBoostingRegressor` (``"absolute_error"``: a median).
    calendar
        Add the target week's week of the year.
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization
        Passed to :class:`~sklearn.ensemble.HistGradientBoostingRegressor` (no early stopping).
    random_state
        Seed of the booster (it only matters with subsampling; kept for reproducibility).

    Notes
    -----
    The booster runs on one OpenMP thread: the trees do not depend on the
    thread count anyway, and on a shared machine one thread is faster than
    several that wait for each other. ``fit`` trains the trees; ``update`` keeps them and recomputes the
    features from a longer history, as a weekly forecast run between
    re-trainings does.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = pd.DataFrame(rng.poisson(5.0, size=(30, 4)).astype(float), columns=list("abcd"))
    >>> model = GlobalBoosting(horizon=2, min_history=8, max_iter=20).fit(y)
    >>> model.predict(2).shape
    (2, 4)
    """

    def __init__(
        self,
        *,
        horizon: int = 4,
        min_history: int = 13,
        loss: str = "poisson",
        calendar: bool = False,
        max_iter: int = 150,
        learning_rate: float = 0.07,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 100,
        l2_regularization: float = 1.0,
        random_state: int | None = 0,
    ):
        self.horizon = horizon
        self.min_history = min_history
        self.loss = loss
        self.calendar = calendar
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.random_state = random_state

    def _check_params(self):
        require_positive_int(self.horizon, "horizon")
        require_positive_int(self.min_history, "min_history", minimum=2)
        require_one_of(self.loss, "loss", _LOSSES)
        require_bool(self.calendar, "calendar")

    def _row_features(self, values, prices, t, weeks, horizon):
        return _features(values, prices, t, weeks, horizon, self.calendar)

    def _fit_booster(self, X, y, weight):
        booster = HistGradientBoostingRegressor(
            loss=self.loss,
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
        )
        return booster.fit(X, y)
