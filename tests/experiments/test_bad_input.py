"""Table-driven: every public entry point rejects bad input with a clear message."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import experiments as ex

Y = np.arange(20.0)
T = np.arange(20) % 2
CASES = [
    ("unequal arrays", lambda: ex.difference_in_means(Y, T[:10]), ValueError, "must be equal"),
    ("one-arm data", lambda: ex.difference_in_means(Y, np.ones(20)), ValueError, "each arm needs"),
    ("NaN metric", lambda: ex.difference_in_means(np.r_[np.nan, Y[1:]], T), ValueError, "NaN"),
    ("alpha above 1", lambda: ex.difference_in_means(Y, T, alpha=1.5), ValueError, "alpha"),
    ("alpha zero", lambda: ex.two_proportions(T, T, alpha=0), ValueError, "alpha"),
    ("alpha not a number", lambda: ex.cuped(Y, Y, T, alpha="0.05"), TypeError, "alpha"),
    ("non-binary conversion", lambda: ex.two_proportions(Y, T), ValueError, "0/1"),
    ("treatment not 0/1", lambda: ex.difference_in_means(Y, np.arange(20)), ValueError, "treatment"),
    ("ratio lengths", lambda: ex.ratio_metric(Y, Y[:5], T), ValueError, "denominator"),
    ("constant CUPED covariate", lambda: ex.cuped(Y, np.ones(20), T), ValueError, "constant"),
    (
        "unknown HC type",
        lambda: ex.regression_adjustment(Y, Y[:, None], T, cov_type="HC9"),
        ValueError,
        "cov_type",
    ),
    ("SRM one arm", lambda: ex.srm_test([10]), ValueError, "two arms"),
    ("SRM negative", lambda: ex.srm_test([10, -1]), ValueError, "non-negative"),
    ("SRM threshold", lambda: ex.srm_test([10, 10], threshold=2), ValueError, "threshold"),
    ("empty salt", lambda: ex.assign(["a"], ""), ValueError, "salt"),
    ("bad weights", lambda: ex.assign(["a"], "s", weights=[1, -1]), ValueError, "weights"),
    ("bad information", lambda: ex.group_sequential_bounds([2, 1]), ValueError, "increasing"),
    ("bad spending", lambda: ex.group_sequential_bounds([1, 2], spending="linear"), ValueError, "spending"),
    ("bad tau", lambda: ex.mixture_halfwidth(1.0, 0.0), ValueError, "tau"),
    ("bad power", lambda: ex.sample_size_means(1.0, 0.1, power=1.0), ValueError, "power"),
    ("zero effect", lambda: ex.sample_size_means(1.0, 0.0), ValueError, "effect"),
    ("unknown correction", lambda: ex.adjust_pvalues([0.1], "sidak2"), ValueError, "method"),
    ("p above 1", lambda: ex.adjust_pvalues([1.2]), ValueError, "p_values"),
    (
        "unknown method",
        lambda: ex.simulate_splits(pd.DataFrame(), np.zeros((1, 1), bool), methods=("z",)),
        ValueError,
        "unknown method",
    ),
    (
        "missing columns",
        lambda: ex.simulate_splits(pd.DataFrame({"revenue": Y}), np.zeros((1, 20), bool)),
        ValueError,
        "missing column",
    ),
    ("bad design", lambda: ex.random_assignments(10, 2, design="x"), ValueError, "design"),
    (
        "pre-period overlap",
        lambda: ex.experiment_population(
            pd.DataFrame(
                {
                    "customer_id": ["a"],
                    "invoice_id": ["1"],
                    "item_id": ["x"],
                    "revenue": [1.0],
                    "timestamp": pd.to_datetime(["2024-01-01"]),
                }
            ),
            "2024-01-10",
            1,
            experiment_start="2024-01-05",
        ),
        ValueError,
        "overlaps",
    ),
    (
        "timestamps not dates",
        lambda: ex.experiment_population(
            pd.DataFrame({"customer_id": ["a"], "invoice_id": ["1"], "item_id": ["x"], "timestamp": ["2024"]})
        ),
        TypeError,
        "datetime",
    ),
    (
        "uplift one outcome",
        lambda: ex.TLearner().fit(np.ones((40, 1)), np.zeros(40), np.arange(40) % 2),
        ValueError,
        "single outcome",
    ),
    (
        "profit shapes",
        lambda: ex.targeting_profit([0.1, 0.2], [True], conversion_value=1, incentive_cost=0),
        ValueError,
        "shape",
    ),
]


@pytest.mark.parametrize("case, call, error, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_clearly(case, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_estimators_do_not_modify_inputs():
    y, t = Y.copy(), T.copy()
    ex.difference_in_means(y, t, cap=5.0)
    ex.cuped(y, y[::-1].copy(), t)
    np.testing.assert_array_equal(y, Y)
    np.testing.assert_array_equal(t, T)
