"""Bad input to shopai_lab.bandits: errors name the parameter, never an IndexError or numpy's own."""

import numpy as np
import pytest

from shopai_lab import pricing
from tests._bad_input import check_row

PRICES, PROBS = [29.9, 34.9, 39.9], [0.8, 0.6, 0.3]
BASE = {"prices": PRICES, "probabilities": PROBS, "horizon": 5, "n_runs": 2}

ROWS = [
    (pricing.race, {"policies": [], **BASE}, ValueError, "policies is empty"),
    (pricing.race, {"policies": pricing.UCB1(), **BASE}, TypeError, "policies must be a list"),
    (pricing.race, {"policies": ["UCB1"], **BASE}, TypeError, r"policies\[0\]"),
    (pricing.race, {"policies": [pricing.UCB1(), pricing.UCB1()], **BASE}, ValueError, "duplicated names"),
    (pricing.lp_price_mixture, {"margins": [], "probabilities": [], "capacity": 0.3}, ValueError, "margins is empty"),
    (pricing.lp_price_mixture, {"margins": [1.0, 2.0], "probabilities": [0.5, 0.2], "capacity": "0.3"},
     TypeError, "capacity"),
    (pricing.lp_price_mixture, {"margins": ["1", "2"], "probabilities": [0.5, 0.2], "capacity": 0.3},
     TypeError, "margins"),
    (pricing.lp_price_mixture, {"margins": [1.0, 2.0], "probabilities": [0.5, 0.2], "capacity": [0.1, 0.2, 0.3]},
     ValueError, "capacity"),
    (pricing.InventoryThompsonSampling, {"prior_a": 0}, ValueError, "prior_a"),
    (pricing.InventoryThompsonSampling, {"prior_b": "1"}, TypeError, "prior_b"),
    (pricing.InventoryThompsonSampling, {"update_capacity": "yes"}, TypeError, "update_capacity"),
    (pricing.ThompsonSampling, {"prior_a": np.nan}, ValueError, "prior_a"),
    (pricing.EpsilonGreedy, {"epsilon": "0.1"}, TypeError, "epsilon"),
    (pricing.EpsilonGreedy, {"epsilon": 0.1, "decay": 1}, TypeError, "decay"),
    (pricing.ExploreThenCommit, {"m": 2.7}, TypeError, r"m must be an integer, got 2\.7"),
    (pricing.simulate_pricing, {"policy": "TS", **BASE}, TypeError, "policy must be a Policy"),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "horizon": 2.5}, TypeError, "horizon"),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "prices": ["£29.90", "£34.90", "£39.90"]},
     TypeError, "prices"),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "unit_cost": "5"}, TypeError, "unit_cost"),
    (pricing.simulate_pricing, {"policy": pricing.InventoryThompsonSampling(), **BASE, "inventory": -1},
     ValueError, "inventory"),
    (pricing.simulate_pricing, {"policy": pricing.UCB1(), **BASE, "seed": "x"}, TypeError, "seed"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
