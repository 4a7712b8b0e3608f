"""Bad input to the simulators (data, clv, pricing): errors name the parameter or column."""

import numpy as np
import pytest

from shopai_lab import clv, data, pricing
from tests._bad_input import check_row

ROWS = [
    (data.simulate_shop, {"n_customers": 10.5}, TypeError, "n_customers"),
    (
        data.simulate_shop,
        {"n_customers": 5, "segments": data.SEGMENTS.assign(cart_rate=1.5)},
        ValueError,
        r"segments\['cart_rate'\] must be in \[0, 1\]",
    ),
    (
        data.simulate_shop,
        {"n_customers": 5, "segments": data.SEGMENTS.assign(views="6")},
        TypeError,
        r"segments\['views'\]",
    ),
    (data.simulate_shop, {"n_customers": 5, "segments": data.SEGMENTS.iloc[:0]}, ValueError, "segments is empty"),
    (data.simulate_shop, {"n_customers": 5, "start": "someday"}, ValueError, "start"),
    (data.simulate_shop, {"n_customers": 5, "random_state": 1.5}, TypeError, "random_state"),
    (data.random_transactions, {"n_lines": 10, "random_state": -1}, ValueError, "random_state"),
    (
        clv.simulate_bgnbd,
        {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0, "random_state": "x"},
        TypeError,
        "random_state",
    ),
    (data.random_transactions, {"n_lines": 10, "lines_per_invoice": "20"}, TypeError, "lines_per_invoice"),
    (clv.simulate_bgnbd, {"n_customers": 5, "r": "1", "alpha": 1.0, "a": 1.0, "b": 1.0}, TypeError, "r must"),
    (clv.simulate_bgnbd, {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 0.0, "b": 1.0}, ValueError, "a must"),
    (
        clv.simulate_bgnbd,
        {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0, "T": [1.0, 2.0]},
        ValueError,
        "T must be a number or one value per customer",
    ),
    (
        clv.simulate_bgnbd,
        {"n_customers": 5, "r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0, "holdout": -1},
        ValueError,
        "holdout",
    ),
    (
        clv.simulate_gamma_gamma,
        {"frequency": np.array([1, -2]), "p": 1.0, "q": 1.0, "gamma": 1.0},
        ValueError,
        "frequency must be >= 0",
    ),
    (clv.simulate_gamma_gamma, {"frequency": np.array([1, 2]), "p": 1.0, "q": "1", "gamma": 1.0}, TypeError, "q must"),
    (pricing.simulate_price_panel, {"sd_elasticity": -0.1}, ValueError, "sd_elasticity"),
    (pricing.simulate_price_panel, {"n_periods": 2}, ValueError, "n_periods"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
