"""Bad input to shopai_lab.simulate: errors name the parameter or column."""

import numpy as np
import pytest

from shopai_lab import simulate
from tests._bad_input import check_row

ROWS = [
    (simulate.simulate_shop, {"n_customers": 10.5}, TypeError, "n_customers"),
    (simulate.simulate_shop, {"n_customers": 5, "segments": simulate.SEGMENTS.assign(cart_rate=1.5)},
     ValueError, r"segments\['cart_rate'\] must be in \[0, 1\]"),
    (simulate.simulate_shop, {"n_customers": 5, "segments": simulate.SEGMENTS.assign(views="6")},
     TypeError, r"segments\['views'\]"),
    (simulate.simulate_shop, {"n_customers": 5, "segments": simulate.SEGMENTS.iloc[:0]}, ValueError,
     "segments is empty"),
    (simulate.simulate_shop, {"n_customers": 5, "start": "someday"}, ValueError, "start"),
    (simulate.simulate_shop, {"n_customers": 5, "seed": 1.5}, TypeError, "seed"),
    (simulate.random_transactions, {"n_lines": 10, "lines_per_invoice": "20"}, TypeError, "lines_per_invoice"),
    (simulate.simulate_bgnbd, {"n_customers": 5, "r": "1", "alpha": 1.0, "a": 1.0, "b": 1.0}, TypeError, "r must"),
    (simulate.simulate_bgnbd, {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 0.0, "b": 1.0}, ValueError, "a must"),
    (simulate.simulate_bgnbd, {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0, "T": [1.0, 2.0]},
     ValueError, "T must be a number or one value per customer"),
    (simulate.simulate_bgnbd, {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0, "holdout": -1},
     ValueError, "holdout"),
    (simulate.simulate_gamma_gamma, {"frequency": np.array([1, -2]), "p": 1.0, "q": 1.0, "gamma": 1.0},
     ValueError, "frequency must be >= 0"),
    (simulate.simulate_gamma_gamma, {"frequency": np.array([1, 2]), "p": 1.0, "q": "1", "gamma": 1.0},
     TypeError, "q must"),
    (simulate.simulate_price_panel, {"sd_elasticity": -0.1}, ValueError, "sd_elasticity"),
    (simulate.simulate_price_panel, {"n_periods": 2}, ValueError, "n_periods"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
