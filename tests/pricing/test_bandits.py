import numpy as np
import pytest
from scipy.optimize import linprog

from shopai_lab.pricing import (
    UCB1,
    EpsilonGreedy,
    ExploreThenCommit,
    InventoryThompsonSampling,
    ThompsonSampling,
    lp_price_mixture,
    race,
    simulate_pricing,
)

PRICES = [29.9, 34.9, 39.9, 44.9]
PROBABILITIES = [0.8, 0.6, 0.3, 0.1]


def test_lp_matches_scipy_linprog_on_random_instances():
    rng = np.random.default_rng(0)
    margins = rng.uniform(1, 50, 5)
    d = rng.uniform(0, 1, (300, 5))
    c = rng.uniform(0, 1.2, 300)
    x, value = lp_price_mixture(margins, d, c)
    for i in range(300):
        ref = linprog(
            -(margins * d[i]),
            A_ub=np.vstack([d[i], np.ones(5)]),
            b_ub=[c[i], 1.0],
            bounds=[(0, None)] * 5,
            method="highs",
        )
        assert value[i] == pytest.approx(-ref.fun, abs=1e-9)
    assert (x >= -1e-12).all() and (x.sum(axis=1) <= 1 + 1e-12).all()
    assert ((x * d).sum(axis=1) <= c + 1e-12).all()


def test_lp_known_mixture():
    x, value = lp_price_mixture(PRICES, PROBABILITIES, 0.25)
    np.testing.assert_allclose(x, [0, 0, 0.75, 0.25], atol=1e-12)
    assert value == pytest.approx(0.75 * 39.9 * 0.3 + 0.25 * 44.9 * 0.1)
    # Ample capacity: the best single price, offered to everyone.
    x, value = lp_price_mixture(PRICES, PROBABILITIES, 1.0)
    np.testing.assert_allclose(x, [1, 0, 0, 0])
    assert value == pytest.approx(29.9 * 0.8)


@pytest.fixture(scope="module")
def benchmark_race():
    policies = [
        ThompsonSampling(),
        UCB1(),
        EpsilonGreedy(epsilon=0.1),
        EpsilonGreedy(epsilon=5.0, decay=True),
        ExploreThenCommit(m=100),
        EpsilonGreedy(epsilon=0.0),
    ]
    return race(policies, PRICES, PROBABILITIES, horizon=10_000, n_runs=100, random_state=0)


def test_thompson_sampling_reaches_the_target(benchmark_race):
    table, runs = benchmark_race
    assert table.loc["Thompson sampling", "share_of_benchmark"] >= 0.993
    assert table["regret"].idxmin() == "Thompson sampling"
    assert runs["Thompson sampling"].arm_shares[0] > 0.95  # it learned that 29.9 is best


def test_greedy_trap_shows_in_the_tail(benchmark_race):
    table, runs = benchmark_race
    greedy = runs["greedy"]
    # Some greedy runs lock onto a wrong price for good: the 95% quantile of regret is huge.
    assert greedy.regret_high[-1] > 10 * runs["Thompson sampling"].regret_high[-1]
    assert table.loc["greedy", "regret"] > 5 * table.loc["Thompson sampling", "regret"]


def test_regret_curves_and_shares(benchmark_race):
    _, runs = benchmark_race
    for run in runs.values():
        assert np.all(np.diff(run.regret) >= -1e-9)  # pseudo-regret never decreases
        assert run.arm_shares.sum() == pytest.approx(1.0)
        assert run.arm_shares[-1] == 0.0  # no "no offer" without inventory
        assert (run.regret_low <= run.regret_high).all()
    # Explore-then-commit spends exactly 100 customers per price before committing.
    assert runs["explore-then-commit (m=100)"].arm_shares[3] >= 0.01


def test_same_random_state_same_result_and_the_random_state_matters():
    a = simulate_pricing(ThompsonSampling(), PRICES, PROBABILITIES, 500, 10, random_state=3)
    b = simulate_pricing(ThompsonSampling(), PRICES, PROBABILITIES, 500, 10, random_state=3)
    c = simulate_pricing(ThompsonSampling(), PRICES, PROBABILITIES, 500, 10, random_state=4)
    np.testing.assert_array_equal(a.profit, b.profit)
    assert not np.array_equal(a.profit, c.profit)


def test_inventory_policies_respect_stock_and_approach_the_lp_bound():
    policies = [
        InventoryThompsonSampling(update_capacity=False),
        InventoryThompsonSampling(update_capacity=True),
        ThompsonSampling(),
    ]
    table, runs = race(policies, PRICES, PROBABILITIES, horizon=10_000, n_runs=100, inventory=2_500, random_state=0)
    assert table.loc["TS-update", "share_of_benchmark"] >= 0.998
    assert table.loc["TS-update", "share_of_benchmark"] > table.loc["TS-fixed", "share_of_benchmark"]
    # Plain Thompson sampling ignores the stock, sells out at the cheap price and earns far less.
    assert table.loc["Thompson sampling", "share_of_benchmark"] < 0.8
    for run in runs.values():
        assert (run.units <= 2_500).all()


def test_inventory_is_never_oversold():
    run = simulate_pricing(ThompsonSampling(), PRICES, PROBABILITIES, 2_000, 20, inventory=100, random_state=1)
    assert (run.units == 100).all()  # sold out, and not one unit more
    assert run.arm_shares[-1] > 0.5  # most customers arrive after the stock ran out


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prices": [10.0, -1.0]}, "prices must be positive"),
        ({"probabilities": [0.5, 1.2, 0.3, 0.1]}, r"probabilities must lie in \[0, 1\]"),
        ({"prices": [10.0]}, "at least 2 prices"),
        ({"unit_cost": 30.0}, "every price must exceed unit_cost"),
        ({"horizon": 0}, "horizon and n_runs must be >= 1"),
    ],
)
def test_bad_inputs(kwargs, message):
    args = {"prices": PRICES, "probabilities": PROBABILITIES, "horizon": 10, "n_runs": 2, **kwargs}
    if len(args["prices"]) != len(args["probabilities"]) and "probabilities" not in kwargs:
        args["probabilities"] = args["probabilities"][: len(args["prices"])]
    with pytest.raises(ValueError, match=message):
        simulate_pricing(ThompsonSampling(), **args)


def test_inventory_policy_needs_inventory_and_priors_are_checked():
    with pytest.raises(ValueError, match="needs an inventory"):
        simulate_pricing(InventoryThompsonSampling(), PRICES, PROBABILITIES, 10, 2)
    with pytest.raises(ValueError, match="prior_a and prior_b must be positive"):
        simulate_pricing(ThompsonSampling(prior_a=0), PRICES, PROBABILITIES, 10, 2)
    with pytest.raises(ValueError, match="capacity must be >= 0"):
        lp_price_mixture(PRICES, PROBABILITIES, -0.1)
