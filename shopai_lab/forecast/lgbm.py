"""A global LightGBM demand model: one model for all products, direct multi-horizon, Tweedie loss.

The training rows are those of :class:`~shopai_lab.forecast.GlobalBoosting` (product, origin week,
horizon; demand divided by the product's level so every product weighs alike), with more features:
moving **medians** (4, 8 and 13 weeks: the typical week, robust to one bulk order), the share of the
last 8 weeks' demand in the largest one (how much of it is a single spike), and **calendar and closure
flags** of the target week: its month, and whether a closed week (a gap in the weekly index, see
:class:`~shopai_lab.forecast.DemandPanel`) lies between the origin and it, or just before the origin.

The loss is Tweedie (the M5 competition's winning choice: a mean forecast for non-negative counts with
many zeros and a long right tail) or, with ``objective="quantile"``, the ``alpha`` quantile of demand.
LightGBM is run deterministically on one thread (``deterministic=True``, ``force_row_wise=True``,
``num_threads=1``, seeded), so the same data give the same trees on any machine with the same build.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_bool,
    require_one_of,
    require_positive,
    require_positive_int,
    require_probability,
)
from shopai_lab.forecast.gbm import FEATURES as _BASE_FEATURES
from shopai_lab.forecast.gbm import GlobalTreeForecaster, _features, _quiet

__all__ = ["GlobalLightGBM", "LGBM_FEATURES"]

_MEDIANS = (4, 8, 13)
#: names of the features, in column order (the base features end with the horizon ``h``)
LGBM_FEATURES: tuple[str, ...] = (
    *_BASE_FEATURES,
    *(f"median_{w}" for w in _MEDIANS),
    "spike_share_8",
    "month",
    "closure_ahead",
    "closure_before",
)
_OBJECTIVES = ("tweedie", "poisson", "regression", "quantile")
_WEIGHTINGS = ("equal", "rmsse")


def _closure_flags(weeks: pd.DatetimeIndex, t: int, horizon: int) -> tuple[np.ndarray, float]:
    """Per horizon: 1 when the target week is more than h weeks after the origin's last week (a closed week
    in between); and 1 when a closed week lies just before the origin (within its last 2 weeks)."""
    ahead = np.zeros(horizon)
    if not isinstance(weeks, pd.DatetimeIndex):  # weeks without dates: no closure can be seen
        return ahead, 0.0
    last = weeks[t - 1]
    for h in range(1, horizon + 1):
        if t + h - 1 < len(weeks):
            ahead[h - 1] = float((weeks[t + h - 1] - last).days > 7 * h)
    recent = weeks[max(0, t - 3) : t]
    before = float(any((b - a).days > 7 for a, b in zip(recent[:-1], recent[1:], strict=True)))
    return ahead, before


def _target_month(weeks: pd.DatetimeIndex, t: int, h: int) -> float:
    """Month of the target week (extrapolated by whole weeks beyond the index); NaN without dates."""
    if not isinstance(weeks, pd.DatetimeIndex):
        return np.nan
    week = weeks[t + h - 1] if t + h - 1 < len(weeks) else weeks[-1] + pd.Timedelta(weeks=t + h - len(weeks))
    return float(week.month)


def lgbm_features(values, prices, t: int, weeks: pd.DatetimeIndex, horizon: int, calendar: bool = True):
    """Feature rows (horizon * products, ``len(LGBM_FEATURES)``) for origin ``t``, and the products' scale."""
    base, scale = _features(values, prices, t, weeks, horizon, calendar=False)
    hist = values[:t]
    n = values.shape[1]
    with _quiet():
        medians = [np.median(hist[-w:], axis=0) / scale for w in _MEDIANS]
        recent = hist[-8:]
        total = recent.sum(axis=0)
        spike = np.where(total > 0, recent.max(axis=0) / np.where(total > 0, total, 1.0), np.nan)
    extra = np.column_stack([*medians, spike])
    ahead, before = _closure_flags(weeks, t, horizon)
    blocks = []
    for h in range(1, horizon + 1):
        month = _target_month(weeks, t, h) if calendar else np.nan
        flags = np.tile([month, ahead[h - 1], before], (n, 1))
        blocks.append(np.hstack([extra, flags]))
    return np.hstack([base, np.vstack(blocks)]), scale


def _rmsse_weights(history: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Per product ``scale**2 / naive MSE``: a squared error on demand / scale then counts as in RMSSE.

    Clipped to the 5th-95th percentile over products so that no almost-constant series dominates.
    """
    mse = (np.diff(history, axis=0) ** 2).mean(axis=0) if len(history) > 1 else np.ones(history.shape[1])
    w = np.where(mse > 0, scale**2 / np.where(mse > 0, mse, 1.0), np.nan)
    if np.isnan(w).all():
        return np.ones_like(scale)
    low, high = np.nanpercentile(w, [5, 95])
    w = np.clip(np.nan_to_num(w, nan=float(np.nanmedian(w))), low, high)
    return w / w.mean()


class GlobalLightGBM(GlobalTreeForecaster):
    """LightGBM over all products at once (Tweedie mean or a quantile), direct forecasts h = 1..horizon.

    Parameters
    ----------
    horizon
        Largest horizon the model is trained for.
    min_history
        Weeks of history an origin needs before it makes a training row.
    objective
        ``"tweedie"`` (a mean; default), ``"poisson"`` (a mean) or ``"quantile"`` (the ``alpha`` quantile).
    tweedie_variance_power
        Between 1 (Poisson) and 2 (gamma); only for ``"tweedie"``.
    alpha
        Quantile level for ``objective="quantile"``.
    calendar
        Use the target week's month (learnable only when the training weeks hold that month).
    n_estimators, learning_rate, num_leaves, min_child_samples, reg_lambda, feature_fraction
        LightGBM's; ``feature_fraction`` < 1 subsamples features (seeded).
    random_state
        Seed of every random choice of LightGBM.

    Notes
    -----
    Forecasts are capped at the product's largest week so far (as :class:`GlobalBoosting`'s): a log-link
    model can extrapolate to absurd values for a product that restarts after months without sales.
    ``update`` keeps the trees and recomputes the features from a longer history.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = pd.DataFrame(rng.poisson(5.0, size=(30, 4)).astype(float), columns=list("abcd"),
    ...                  index=pd.date_range("2024-01-01", periods=30, freq="W-MON"))
    >>> model = GlobalLightGBM(horizon=2, min_history=8, n_estimators=20).fit(y)
    >>> model.predict(2).shape
    (2, 4)
    """

    def __init__(
        self,
        *,
        horizon: int = 4,
        min_history: int = 13,
        objective: str = "tweedie",
        tweedie_variance_power: float = 1.3,
        alpha: float = 0.5,
        calendar: bool = False,
        weighting: str = "equal",
        n_estimators: int = 200,
        learning_rate: float = 0.05,
        num_leaves: int = 15,
        min_child_samples: int = 100,
        reg_lambda: float = 1.0,
        feature_fraction: float = 0.8,
        random_state: int = 0,
    ):
        self.horizon = horizon
        self.min_history = min_history
        self.objective = objective
        self.tweedie_variance_power = tweedie_variance_power
        self.alpha = alpha
        self.calendar = calendar
        self.weighting = weighting
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.reg_lambda = reg_lambda
        self.feature_fraction = feature_fraction
        self.random_state = random_state

    def _check_params(self):
        require_positive_int(self.horizon, "horizon")
        require_positive_int(self.min_history, "min_history", minimum=2)
        require_one_of(self.objective, "objective", _OBJECTIVES)
        power = require_positive(self.tweedie_variance_power, "tweedie_variance_power")
        if not 1.0 <= power < 2.0:
            raise ValueError(f"tweedie_variance_power must be in [1, 2), got {power}")
        require_probability(self.alpha, "alpha")
        require_bool(self.calendar, "calendar")
        require_one_of(self.weighting, "weighting", _WEIGHTINGS)
        require_positive_int(self.n_estimators, "n_estimators")
        require_positive(self.learning_rate, "learning_rate")
        require_positive_int(self.num_leaves, "num_leaves", minimum=2)
        require_positive_int(self.min_child_samples, "min_child_samples")
        require_probability(self.feature_fraction, "feature_fraction", allow_one=True)
        require_positive_int(self.random_state, "random_state", minimum=0)

    def _booster(self):
        import lightgbm as lgb

        extra = {"tweedie_variance_power": float(self.tweedie_variance_power)} if self.objective == "tweedie" else {}
        if self.objective == "quantile":
            extra = {"alpha": float(self.alpha)}
        return lgb.LGBMRegressor(
            objective=self.objective, n_estimators=self.n_estimators, learning_rate=self.learning_rate,
            num_leaves=self.num_leaves, min_child_samples=self.min_child_samples, reg_lambda=self.reg_lambda,
            colsample_bytree=self.feature_fraction, random_state=self.random_state, n_jobs=1,
            deterministic=True, force_row_wise=True, verbose=-1, **extra,
        )  # fmt: skip

    def _row_features(self, values, prices, t, weeks, horizon):
        return lgbm_features(values, prices, t, weeks, horizon, self.calendar)

    def _row_weights(self, history, scale):
        return _rmsse_weights(history, scale) if self.weighting == "rmsse" else None

    def _fit_booster(self, X, y, weight):
        return self._booster().fit(X, y, sample_weight=weight)
