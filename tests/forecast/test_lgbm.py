"""The global LightGBM demand model: known answers on synthetic panels with a planted level and season,
reproducibility with a seed, closure flags, and the input left unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast
from shopai_lab.forecast.lgbm import LGBM_FEATURES, lgbm_features

WEEKS = pd.date_range("2024-01-01", periods=60, freq="W-MON")


def _poisson_panel(season, n_products=80, seed=0):
    """Poisson demand with product levels from 2 to 200 units a week times a shared weekly pattern."""
    rng = np.random.default_rng(seed)
    levels = np.geomspace(2.0, 200.0, n_products)
    mean = levels[None, :] * season[:, None]
    units = pd.DataFrame(rng.poisson(mean).astype(float), index=WEEKS[: len(season)],
                         columns=[f"p{i}" for i in range(n_products)])  # fmt: skip
    return units, levels


def test_recovers_a_planted_poisson_level():
    units, levels = _poisson_panel(np.ones(len(WEEKS)))
    model = forecast.GlobalLightGBM(horizon=2, min_history=8, n_estimators=150, min_child_samples=20)
    pred = model.fit(units).predict(2).to_numpy()
    ratio = pred / levels[None, :]
    assert np.median(np.abs(ratio - 1)) < 0.08  # the level is recovered to a few percent for most products
    assert np.mean(ratio) == pytest.approx(1.0, abs=0.05)  # and without a bias (Tweedie predicts the mean)


def test_learns_a_planted_season_a_moving_average_cannot():
    season = 1.0 + 0.6 * np.sin(2 * np.pi * np.arange(len(WEEKS)) / 4)  # a 4-week cycle every product shares
    units, levels = _poisson_panel(season[:-4])
    truth = levels[None, :] * season[-4:, None]
    model = forecast.GlobalLightGBM(
        horizon=4, min_history=8, n_estimators=300, learning_rate=0.1, num_leaves=31, min_child_samples=20
    )
    pred = model.fit(units).predict(4).to_numpy()
    ma8 = forecast.MovingAverage(window=8).fit(units).predict(4).to_numpy()
    error = [np.mean(np.abs(f - truth) / levels[None, :]) for f in (pred, ma8)]
    assert error[0] < 0.5 * error[1]
    # the cycle (1.0, 1.6, 1.0, 0.4) to within 0.06 (fewer or shallower trees shrink it towards the mean)
    np.testing.assert_allclose((pred / levels).mean(axis=1), season[-4:], atol=0.06)


def test_a_seed_reproduces_the_forecasts_and_another_changes_them():
    units, _ = _poisson_panel(np.ones(40), n_products=30, seed=2)

    def fit(seed):
        model = forecast.GlobalLightGBM(horizon=1, min_history=8, n_estimators=30, feature_fraction=0.5,
                                        random_state=seed)  # fmt: skip
        return model.fit(units).predict(1)

    pd.testing.assert_frame_equal(fit(1), fit(1))
    assert not fit(1).equals(fit(2))


def test_quantile_objective_sits_above_the_mean_and_rmsse_weights_run():
    units, _ = _poisson_panel(np.ones(40), n_products=30, seed=3)
    mean = forecast.GlobalLightGBM(horizon=1, min_history=8, n_estimators=60, weighting="rmsse").fit(units)
    q90 = forecast.GlobalLightGBM(horizon=1, min_history=8, n_estimators=60, objective="quantile", alpha=0.9)
    assert (q90.fit(units).predict(1).to_numpy() >= mean.predict(1).to_numpy()).mean() > 0.8


def test_closure_flags_and_feature_shape():
    weeks = WEEKS.delete(10)  # week 10 closed: a gap of two weeks in the index
    values = np.ones((len(weeks), 3))
    X, scale = lgbm_features(values, None, 10, weeks, 2, calendar=True)
    assert X.shape == (2 * 3, len(LGBM_FEATURES))
    ahead = LGBM_FEATURES.index("closure_ahead")
    assert X[:, ahead].tolist() == [1.0] * 6  # both targets lie after the closed week
    X, _ = lgbm_features(values, None, 12, weeks, 1, calendar=True)
    assert X[:, LGBM_FEATURES.index("closure_before")].tolist() == [1.0] * 3
    assert X[0, LGBM_FEATURES.index("month")] == weeks[12].month


def test_update_keeps_the_trees_and_fit_leaves_the_input_unchanged():
    units, _ = _poisson_panel(np.ones(40), n_products=10, seed=4)
    before = units.copy()
    model = forecast.GlobalLightGBM(horizon=1, min_history=8, n_estimators=10).fit(units.iloc[:30])
    trees = model.model_
    model.update(units)
    assert model.model_ is trees and model.n_weeks_ == 40
    pd.testing.assert_frame_equal(units, before)
