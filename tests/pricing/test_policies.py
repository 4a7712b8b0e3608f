"""The bandit policies' select/update protocol and names; the demand models are keyword-only value objects.

The scikit-learn conventions of the policies (keyword-only parameters, clone, NotFittedError, fit returns self,
the same rng giving the same choices, pickle) are checked for every estimator in tests/test_estimators.py.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from shopai_lab import pricing

PRICES = [29.9, 34.9, 39.9, 44.9]
PROBABILITIES = [0.8, 0.6, 0.3, 0.1]
MARGINS = np.array(PRICES)

POLICIES = [
    pricing.ThompsonSampling(prior_a=2.0, prior_b=3.0),
    pricing.UCB1(),
    pricing.EpsilonGreedy(epsilon=0.2, decay=False),
    pricing.ExploreThenCommit(m=5),
    pricing.InventoryThompsonSampling(update_capacity=False, prior_a=1.5),
]


def fit(policy, n_runs=3, seed=0):
    return policy.fit(MARGINS, n_runs=n_runs, rng=np.random.default_rng(seed), inventory=50.0, horizon=200)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: type(p).__name__)
def test_update_needs_a_fit_and_fit_sizes_the_counts(policy):
    policy = clone(policy)
    with pytest.raises(NotFittedError):
        policy.update(np.zeros(3, int), np.zeros(3))
    fit(policy)
    assert policy.pulls_.shape == (3, 4) and policy.n_arms_ == 4


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: type(p).__name__)
def test_select_and_update_by_hand(policy):
    policy = fit(clone(policy))
    for t in range(30):
        arms = policy.select(t, inventory=np.full(3, 50.0), periods_left=200 - t)
        assert arms.shape == (3,) and ((arms >= -1) & (arms < 4)).all()
        policy.update(arms, (arms >= 0).astype(float))
    assert policy.pulls_.sum() <= 90 and (policy.sales_ <= policy.pulls_).all()


def test_simulate_pricing_leaves_the_callers_policy_untouched():
    policy = pricing.ThompsonSampling()
    run = pricing.simulate_pricing(policy, PRICES, PROBABILITIES, 200, 4, random_state=1)
    assert run.policy == "Thompson sampling"
    assert not hasattr(policy, "pulls_")
    table, _ = pricing.race([policy], PRICES, PROBABILITIES, 200, 4, random_state=1)
    assert not hasattr(policy, "pulls_")
    assert table.loc["Thompson sampling", "share_of_benchmark"] == run.share_of_benchmark


def test_random_state_accepts_seed_sequences_and_generators():
    sequence = np.random.SeedSequence(5)
    a = pricing.simulate_pricing(pricing.UCB1(), PRICES, PROBABILITIES, 100, 3, random_state=sequence)
    b = pricing.simulate_pricing(pricing.UCB1(), PRICES, PROBABILITIES, 100, 3, random_state=sequence)
    np.testing.assert_array_equal(a.profit, b.profit)  # the caller's SeedSequence is not advanced
    assert sequence.n_children_spawned == 0
    c = pricing.simulate_pricing(pricing.UCB1(), PRICES, PROBABILITIES, 100, 3, random_state=np.random.default_rng(5))
    assert c.profit.shape == (3,)


def test_names_follow_the_hyper_parameters():
    assert pricing.EpsilonGreedy(epsilon=0.0).name == "greedy"
    assert pricing.EpsilonGreedy(epsilon=0.1).name == "epsilon-greedy (epsilon=0.1)"
    assert pricing.InventoryThompsonSampling().name == "TS-update"
    assert clone(pricing.ExploreThenCommit(m=7)).name == "explore-then-commit (m=7)"


@pytest.mark.parametrize(
    "make",
    [
        lambda: pricing.LinearDemand(100, 1),
        lambda: pricing.ConstantElasticityDemand(1e4, -2.5),
        lambda: pricing.LogitDemand(3.0, 0.1),
        lambda: pricing.MultinomialLogitDemand((1.0, 2.0), 0.5),
    ],
)
def test_demand_models_are_keyword_only(make):
    with pytest.raises(TypeError):
        make()


def test_demand_models_are_immutable_values():
    demand = pricing.LinearDemand(a=100, b=1)
    assert demand == pricing.LinearDemand(a=100, b=1)
    with pytest.raises(AttributeError):
        demand.a = 5
