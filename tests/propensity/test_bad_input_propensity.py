"""Bad input to shopai_lab.propensity: no plausible number from invalid probabilities or labels."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import propensity
from tests._bad_input import check_row

Y = np.array([0, 1, 1, 0])
P = np.array([0.1, 0.9, 0.6, 0.4])

CURVE = pd.DataFrame({"threshold": [0.1, 0.5], "realised": [1.0, 2.0], "expected": [1.0, 2.0]})
AT = pd.Series({"sessions": 1, "targeted": 0.1, "bought_anyway": 0, "realised": 1.0})
ASSUMED = dict(incentive_cost=2.0, conversion_value=20.0, incentive_uplift=0.2, uplift_kind="relative")

ROWS = [
    (
        propensity.describe_sessions,
        {"sessions": pd.DataFrame({"x": [1]}), "n_train": 1, "n_test": 1, "random_state": 0},
        ValueError,
        "Revenue",
    ),
    (
        propensity.describe_model_choice,
        {"best": {}, "report": pd.DataFrame(), "late_gain": 0.1},
        TypeError,
        "late_gain",
    ),
    (propensity.describe_calibration, {"ece": pd.DataFrame({"ece_raw": [0.1]})}, ValueError, "ece_calibrated"),
    (propensity.describe_sensitivity, {"sensitivity": pd.DataFrame({"low": [0.1]})}, ValueError, "incentive_uplift"),
    (
        propensity.describe_importance,
        {"ranked": pd.Series([0.3], index=["PageValues"]), "late_features": []},
        ValueError,
        "two features",
    ),
    (
        propensity.plot_incentive_profit,
        {"curve": CURVE.drop(columns="expected"), "threshold": 0.5, "currency": "EUR"},
        ValueError,
        "expected",
    ),
    (
        propensity.plot_incentive_profit,
        {"curve": CURVE, "threshold": 0.5, "currency": "EUR", "window": 0},
        ValueError,
        "window",
    ),
    (
        propensity.describe_incentive,
        {
            "at": AT,
            "profit": None,
            "claimed": 1.0,
            "threshold": -0.5,
            "break_even": 0.5,
            "model": "boosting",
            "assumption": ASSUMED,
            "currency": "EUR",
        },
        ValueError,
        "threshold",
    ),
    (
        propensity.describe_incentive,
        {
            "at": AT,
            "profit": (1.0, 0.0, 2.0),
            "claimed": 1.0,
            "threshold": 0.5,
            "break_even": 0.5,
            "model": "boosting",
            "assumption": ASSUMED,
            "currency": "EUR",
        },
        TypeError,
        "profit",
    ),
    (
        propensity.classification_metrics,
        {"y_true": Y, "probability": np.array([-2.0, 3.1, 0.5, 0.1])},
        ValueError,
        r"probability must be probabilities in \[0, 1\].*logits",
    ),
    (propensity.classification_metrics, {"y_true": Y, "probability": P[:3]}, ValueError, "lengths differ"),
    (propensity.classification_metrics, {"y_true": np.zeros(4), "probability": P}, ValueError, "y_true has a single"),
    (
        propensity.classification_metrics,
        {"y_true": [0, 1, 2, 0], "probability": P},
        ValueError,
        "y_true must be binary",
    ),
    (propensity.classification_metrics, {"y_true": ["no", "yes", "yes", "no"], "probability": P}, TypeError, "y_true"),
    (propensity.classification_metrics, {"y_true": Y, "probability": P, "n_bins": 0}, ValueError, "n_bins"),
    (
        propensity.profit_curve,
        {"y_true": Y, "probability": P[:2], "incentive_cost": 1.0, "conversion_value": 10.0},
        ValueError,
        r"y_true has 4, probability has 2",
    ),
    (
        propensity.profit_curve,
        {"y_true": Y, "probability": P, "incentive_cost": "1", "conversion_value": 10.0},
        TypeError,
        "incentive_cost",
    ),
    (
        propensity.profit_curve,
        {"y_true": Y, "probability": P, "incentive_cost": 1.0, "conversion_value": 0.0},
        ValueError,
        "conversion_value",
    ),
    (
        propensity.profit_curve,
        {"y_true": Y, "probability": P, "incentive_cost": 1.0, "conversion_value": 5.0, "thresholds": [0.5, np.nan]},
        ValueError,
        "thresholds",
    ),
    (propensity.split_sessions, {"sessions": pd.DataFrame(), "test_size": 1.5}, ValueError, "test_size"),
    (propensity.check_sessions, {"sessions": [1, 2]}, TypeError, "sessions must be a pandas DataFrame"),
    (propensity.session_models, {"hidden_layers": (32.5, 16)}, TypeError, "hidden_layers"),
    (propensity.session_models, {"hidden_layers": ()}, ValueError, "hidden_layers"),
    (propensity.session_models, {"hidden_layers": 32}, TypeError, "hidden_layers"),
    (
        propensity.partial_dependence,
        {"model": object(), "X": pd.DataFrame({"a": [1]}), "feature": "a"},
        TypeError,
        "predict_proba",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_probabilities_keep_their_numbers():
    assert propensity.classification_metrics(Y, P, n_bins=2)["ece"] == 0.25
    # exact 0 and 1 remain valid (moved 1e-15 inside for the log loss only)
    result = propensity.classification_metrics(Y, np.array([0.0, 1.0, 0.7, 0.2]))
    assert np.isfinite(result["log_loss"]) and result["auc"] == 1.0
