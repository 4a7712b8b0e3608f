import numpy as np
import pandas as pd
import pytest

from shopai_lab import experiments as ex


@pytest.fixture(scope="module")
def incentive(population):
    train = ex.simulate_incentive(population.customers, 12_000, random_state=20)
    test = ex.simulate_incentive(population.customers, 12_000, random_state=21)
    return train, test


def test_simulator_truth(incentive):
    train, _ = incentive
    observed = train.purchased[train.treatment].mean() - train.purchased[~train.treatment].mean()
    se = np.sqrt(0.25 / train.treatment.sum() + 0.25 / (~train.treatment).sum())
    assert observed == pytest.approx(train.effect.mean(), abs=4 * se)
    assert ((train.base_probability + train.effect) >= 0).all() and ((train.base_probability + train.effect) <= 1).all()
    assert (train.effect > 0.1).mean() > 0.1 and (train.effect < 0).any()  # persuadables and sleeping dogs


@pytest.mark.parametrize("learner", [ex.TLearner, ex.XLearner])
def test_learners_recover_the_effect_and_beat_propensity(incentive, learner):
    train, test = incentive
    model = learner(random_state=0)
    tau = model.fit(train.features.to_numpy(), train.purchased, train.treatment).predict(test.features.to_numpy())
    assert np.corrcoef(tau, test.effect)[0, 1] > 0.6
    oracle = ex.targeting_profit(test.effect, test.effect * 50 > 2, conversion_value=50, incentive_cost=2)
    ours = ex.targeting_profit(test.effect, tau * 50 > 2, conversion_value=50, incentive_cost=2)
    propensity = ex.targeting_profit(test.effect, test.base_probability * 50 > 2, conversion_value=50, incentive_cost=2)
    assert propensity < ours <= oracle


def test_uplift_curve_known_answers():
    y = np.array([1, 0, 0, 1, 0, 0])
    t = np.array([1, 1, 0, 0, 1, 0], dtype=bool)
    curve = ex.uplift_curve(y, t, [6, 5, 4, 3, 2, 1])
    # by hand: after 4 units, treated 1/2 and control 1/2 converted -> qini 1 - 1 * 2 / 2 = 0
    assert curve["qini"].tolist() == [0.0, 0.0, 1.0, 0.0, -0.5, 0.0]  # at 5: 1 - 1 * 3 / 2
    assert curve["uplift"].iloc[-1] == pytest.approx((1 / 3 - 1 / 3) * 6)
    rng = np.random.default_rng(22)
    n = 20_000
    treated = rng.random(n) < 0.5
    gain = rng.random(n)
    outcome = (rng.random(n) < 0.2 + 0.3 * treated * (gain > 0.5)).astype(int)
    assert ex.auuc(outcome, treated, gain) > 0.02 > abs(ex.auuc(outcome, treated, rng.random(n)))


def test_learners_do_not_modify_inputs(incentive):
    train, _ = incentive
    X = train.features.to_numpy().copy()
    before = X.copy()
    ex.TLearner(random_state=0).fit(X, train.purchased, train.treatment)
    np.testing.assert_array_equal(X, before)
    assert isinstance(train.features, pd.DataFrame)
