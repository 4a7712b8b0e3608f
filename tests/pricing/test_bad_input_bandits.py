"""Bad input to the bandit policies and simulators: errors name the parameter, never an IndexError or numpy's own.

Policies store their hyper-parameters unchanged (scikit-learn convention) and check them when fitted.
"""

import numpy as np
import pytest

from shopai_lab import pricing
from tests._bad_input import check_row

PRICES, PROBS = [29.9, 34.9, 39.9], [0.8, 0.6, 0.3]
BASE = {"prices": PRICES, "probabilities": PROBS, "horizon": 5, "n_runs": 2}


def fitted(policy_class):
    """A call that builds the policy from keyword arguments and fits it: where hyper-parameters are checked."""

    def build_and_fit(**params):
        return policy_class(**params).fit([1.0, 2.0], n_runs=2, rng=np.random.default_rng(0), inventory=1.0, horizon=5)

    return build_and_fit


ROWS = [
    (pricing.race, {"policies": [], **BASE}, ValueError, "policies is empty"),
    (pricing.race, {"policies": pricing.UCB1(), **BASE}, TypeError, "policies must be a list"),
    (pricing.race, {"policies": ["UCB1"], **BASE}, TypeError, r"policies\[0\]"),
    (pricing.race, {"policies": [pricing.UCB1(), pricing.UCB1()], **BASE}, ValueError, "duplicated names"),
    (pricing.lp_price_mixture, {"margins": [], "probabilities": [], "capacity": 0.3}, ValueError, "margins is empty"),
    (
        pricing.lp_price_mixture,
        {"margins": [1.0, 2.0], "probabilities": [0.5, 0.2], "capacity": "0.3"},
        TypeError,
        "capacity",
    ),
    (
        pricing.lp_price_mixture,
        {"margins": ["1", "2"], "probabilities": [0.5, 0.2], "capacity": 0.3},
        TypeError,
        "margins",
    ),
    (
        pricing.lp_price_mixture,
        {"margins": [1.0, 2.0], "probabilities": [0.5, 0.2], "capacity": [0.1, 0.2, 0.3]},
        ValueError,
        "capacity",
    ),
    (fitted(pricing.InventoryThompsonSampling), {"prior_a": 0}, ValueError, "prior_a"),
    (fitted(pricing.InventoryThompsonSampling), {"prior_b": "1"}, TypeError, "prior_b"),
    (fitted(pricing.InventoryThompsonSampling), {"update_capacity": "yes"}, TypeError, "update_capacity"),
    (fitted(pricing.ThompsonSampling), {"prior_a": np.nan}, ValueError, "prior_a"),
    (fitted(pricing.EpsilonGreedy), {"epsilon": "0.1"}, TypeError, "epsilon"),
    (fitted(pricing.EpsilonGreedy), {"epsilon": 1.5}, ValueError, "epsilon"),
    (fitted(pricing.EpsilonGreedy), {"epsilon": 0.1, "decay": 1}, TypeError, "decay"),
    (fitted(pricing.ExploreThenCommit), {"m": 2.7}, TypeError, r"m must be an integer, got 2\.7"),
    (
        pricing.ThompsonSampling().fit,
        {"margins": [1.0, 2.0], "n_runs": 0, "rng": np.random.default_rng(0)},
        ValueError,
        "n_runs",
    ),
    (pricing.ThompsonSampling().fit, {"margins": [1.0, 2.0], "n_runs": 2, "rng": 0}, TypeError, "rng"),
    (
        pricing.InventoryThompsonSampling().fit,
        {"margins": [1.0, 2.0], "n_runs": 2, "rng": np.random.default_rng(0)},
        ValueError,
        "needs an inventory",
    ),
    (pricing.race, {"policies": [pricing.EpsilonGreedy(epsilon=-1.0)], **BASE}, ValueError, "epsilon"),
    (pricing.simulate_pricing, {"policy": "TS", **BASE}, TypeError, "policy must be a Policy"),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "horizon": 2.5}, TypeError, "horizon"),
    (
        pricing.simulate_pricing,
        {"policy": pricing.UCB1(), **BASE, "prices": ["£29.90", "£34.90", "£39.90"]},
        TypeError,
        "prices",
    ),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "unit_cost": "5"}, TypeError, "unit_cost"),
    (
        pricing.simulate_pricing,
        {"policy": pricing.InventoryThompsonSampling(), **BASE, "inventory": -1},
        ValueError,
        "inventory",
    ),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "random_state": "x"}, TypeError, "random_state"),
    (
        pricing.simulate_pricing,
        {"policy": pricing.UCB1(), **BASE, "random_state": np.random.RandomState(0)},
        TypeError,
        "random_state",
    ),
    (pricing.simulate_price_panel, {"random_state": -1}, ValueError, "random_state"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
