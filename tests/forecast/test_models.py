"""Forecasters: known answers (hand-computed Croston/TSB, statsmodels for SES and Holt), API conventions."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from statsmodels.tsa.holtwinters import ExponentialSmoothing, SimpleExpSmoothing

from shopai_lab import forecast

RNG = np.random.default_rng(7)
SERIES = pd.DataFrame(
    RNG.poisson(8.0, size=(40, 3)).astype(float) + np.arange(40)[:, None] * 0.2, columns=["a", "b", "c"]
)


def test_naive_and_moving_averages():
    y = pd.DataFrame({"x": [1.0, 2.0, 3.0, 10.0]})
    assert forecast.Naive().fit(y).predict(3)["x"].tolist() == [10.0] * 3
    assert forecast.MovingAverage(window=3).fit(y).predict(1)["x"].iloc[0] == 5.0
    assert forecast.MovingMedian(window=3).fit(y).predict(1)["x"].iloc[0] == 3.0


def test_croston_textbook_example_by_hand():
    # Demand 0,3,0,0,5,0,2 with alpha = 0.2; first demand 3 after an interval of 2 initialises z, p.
    # demand 5 after 3 weeks: z = 3 + 0.2 (5 - 3) = 3.4, p = 2 + 0.2 (3 - 2) = 2.2
    # demand 2 after 2 weeks: z = 3.4 + 0.2 (2 - 3.4) = 3.12, p = 2.2 + 0.2 (2 - 2.2) = 2.16
    y = pd.DataFrame({"x": [0, 3, 0, 0, 5, 0, 2]}, dtype=float)
    model = forecast.Croston(alpha=0.2).fit(y)
    assert model.size_[0] == pytest.approx(3.12) and model.interval_[0] == pytest.approx(2.16)
    assert model.predict(2)["x"].tolist() == pytest.approx([3.12 / 2.16] * 2, rel=1e-12)
    sba = forecast.Croston(alpha=0.2, variant="sba").fit(y).predict(1)["x"].iloc[0]
    assert sba == pytest.approx(0.9 * 3.12 / 2.16, rel=1e-12)


def test_tsb_by_hand_decays_through_zeros():
    # d starts at 1/2 with the first demand (week 2), z at 3; beta = 0.5, alpha = 0.2.
    y = pd.DataFrame({"x": [0, 3, 0, 0, 5, 0, 0, 0]}, dtype=float)
    model = forecast.TSB(alpha=0.2, beta=0.5).fit(y)
    d = 0.5
    for occurred in [0, 0, 1, 0, 0, 0]:
        d += 0.5 * (occurred - d)
    assert model.probability_[0] == pytest.approx(d, rel=1e-12)
    assert model.size_[0] == pytest.approx(3.4)
    assert model.predict(1)["x"].iloc[0] == pytest.approx(d * 3.4, rel=1e-12)
    croston = forecast.Croston(alpha=0.2).fit(y).predict(1)["x"].iloc[0]
    assert model.predict(1)["x"].iloc[0] < croston  # TSB decays during the zeros, Croston does not


def test_a_product_without_demand_is_forecast_zero():
    y = pd.DataFrame({"none": [0.0, 0.0, 0.0], "some": [0.0, 2.0, 0.0]})
    for model in (forecast.Croston(), forecast.TSB()):
        assert model.fit(y).predict(1)["none"].iloc[0] == 0.0


@pytest.mark.parametrize("alpha", [0.1, 0.35, 0.8])
def test_ses_equals_statsmodels_at_fixed_alpha(alpha):
    ours = forecast.SES(alpha=alpha, init_weeks=4).fit(SERIES).predict(3)
    for item in SERIES.columns:
        y = SERIES[item].to_numpy()
        fit = SimpleExpSmoothing(y, initialization_method="known", initial_level=y[:4].mean()).fit(
            smoothing_level=alpha, optimized=False
        )
        assert ours[item].to_numpy() == pytest.approx(fit.forecast(3), rel=1e-12)


def test_ses_grid_estimate_reaches_statsmodels_least_squares():
    ours = forecast.SES(init_weeks=4, grid_size=1000).fit(SERIES)
    for i, item in enumerate(SERIES.columns):
        y = SERIES[item].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = SimpleExpSmoothing(y, initialization_method="known", initial_level=y[:4].mean()).fit()
        # same criterion, so our SSE on a 0.001 grid is at most the optimiser's plus a hair
        assert ours.sse_[i] <= fit.sse * (1 + 1e-4)
        assert ours.alpha_[i] == pytest.approx(fit.params["smoothing_level"], abs=0.02)


def test_damped_holt_equals_statsmodels_at_fixed_parameters():
    ours = forecast.Holt(alpha=0.3, beta=0.2, damping=0.9, init_weeks=4).fit(SERIES)
    for item in SERIES.columns:
        y = SERIES[item].to_numpy()
        fit = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            initialization_method="known",
            initial_level=y[:4].mean(),
            initial_trend=0.0,
        ).fit(smoothing_level=0.3, smoothing_trend=0.2, damping_trend=0.9, optimized=False)
        assert ours.predict(4)[item].to_numpy() == pytest.approx(fit.forecast(4), rel=1e-10)


def test_ensemble_median_and_weighted_match_their_members():
    members = {
        "naive": forecast.Naive(),
        "ma": forecast.MovingAverage(window=4),
        "ses": forecast.SES(alpha=0.5),
    }
    stack = np.stack([clone(m).fit(SERIES).predict(2).to_numpy() for m in members.values()])
    median = forecast.Ensemble(members=members).fit(SERIES).predict(2).to_numpy()
    np.testing.assert_allclose(median, np.median(stack, axis=0))
    weighted = (
        forecast.Ensemble(members=members, method="weighted", weights={"naive": 1, "ma": 1, "ses": 2})
        .fit(SERIES)
        .predict(2)
        .to_numpy()
    )
    np.testing.assert_allclose(weighted, (stack[0] + stack[1] + 2 * stack[2]) / 4)


def test_global_boosting_learns_a_shared_pattern_and_keeps_its_parameters():
    # Products alternate high and low weeks in phase: a global model can learn it, a level cannot.
    weeks = 40
    base = np.where(np.arange(weeks) % 2 == 0, 2.0, 10.0)
    y = pd.DataFrame({f"p{i}": base * (i + 1) for i in range(6)})
    model = forecast.GlobalBoosting(horizon=2, min_history=8, max_iter=100, min_samples_leaf=5, random_state=0)
    pred = model.fit(y).predict(2)
    assert (pred.iloc[0] < pred.iloc[1]).all()  # week 40 is a low week, 41 a high one
    np.testing.assert_allclose(pred.iloc[1] / pred.iloc[0], 5.0, rtol=0.2)


def test_global_boosting_update_keeps_the_trees():
    model = forecast.GlobalBoosting(horizon=1, min_history=8, max_iter=10).fit(SERIES.iloc[:30])
    trees = model.model_
    model.update(SERIES)
    assert model.model_ is trees and model.n_weeks_ == 40


def test_fit_does_not_modify_input():
    data = SERIES.copy()
    for model in (forecast.SES(), forecast.Holt(), forecast.Croston(), forecast.TSB()):
        model.fit(data)
    pd.testing.assert_frame_equal(data, SERIES)
