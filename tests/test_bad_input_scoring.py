"""Bad input to shopai_lab.scoring: no plausible number from invalid probabilities or labels."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import scoring
from tests._bad_input import check_row

Y = np.array([0, 1, 1, 0])
P = np.array([0.1, 0.9, 0.6, 0.4])

ROWS = [
    (scoring.classification_metrics, {"y_true": Y, "probability": np.array([-2.0, 3.1, 0.5, 0.1])},
     ValueError, r"probability must be probabilities in \[0, 1\].*logits"),
    (scoring.classification_metrics, {"y_true": Y, "probability": P[:3]}, ValueError, "lengths differ"),
    (scoring.classification_metrics, {"y_true": np.zeros(4), "probability": P}, ValueError, "y_true has a single"),
    (scoring.classification_metrics, {"y_true": [0, 1, 2, 0], "probability": P}, ValueError, "y_true must be binary"),
    (scoring.classification_metrics, {"y_true": ["no", "yes", "yes", "no"], "probability": P}, TypeError, "y_true"),
    (scoring.expected_calibration_error, {"y_true": Y, "probability": P, "n_bins": 0}, ValueError, "n_bins"),
    (scoring.expected_calibration_error, {"y_true": Y, "probability": P, "n_bins": 2.5}, TypeError, "n_bins"),
    (scoring.expected_calibration_error, {"y_true": [], "probability": []}, ValueError, "empty"),
    (scoring.reliability_table, {"y_true": Y, "probability": [0.1, np.nan, 0.6, 0.4]}, ValueError,
     r"probability has 1 missing"),
    (scoring.reliability_table, {"y_true": Y, "probability": P, "n_bins": 0}, ValueError, "n_bins"),
    (scoring.profit_curve, {"y_true": Y, "probability": P[:2], "incentive_cost": 1.0, "conversion_value": 10.0},
     ValueError, r"y_true has 4, probability has 2"),
    (scoring.profit_curve, {"y_true": Y, "probability": P, "incentive_cost": "1", "conversion_value": 10.0},
     TypeError, "incentive_cost"),
    (scoring.profit_curve, {"y_true": Y, "probability": P, "incentive_cost": 1.0, "conversion_value": 0.0},
     ValueError, "conversion_value"),
    (scoring.profit_curve, {"y_true": Y, "probability": P, "incentive_cost": 1.0, "conversion_value": 5.0,
                            "thresholds": [0.5, np.nan]}, ValueError, "thresholds"),
    (scoring.split_sessions, {"sessions": pd.DataFrame(), "test_size": 1.5}, ValueError, "test_size"),
    (scoring.check_sessions, {"sessions": [1, 2]}, TypeError, "sessions must be a pandas DataFrame"),
    (scoring.session_models, {"hidden_layers": (32.5, 16)}, TypeError, "hidden_layers"),
    (scoring.session_models, {"hidden_layers": ()}, ValueError, "hidden_layers"),
    (scoring.session_models, {"hidden_layers": 32}, TypeError, "hidden_layers"),
    (scoring.partial_dependence, {"model": object(), "X": pd.DataFrame({"a": [1]}), "feature": "a"},
     TypeError, "predict_proba"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_probabilities_keep_their_numbers():
    assert scoring.expected_calibration_error(Y, P, n_bins=2) == 0.25
    # exact 0 and 1 remain valid (moved 1e-15 inside for the log loss only)
    result = scoring.classification_metrics(Y, np.array([0.0, 1.0, 0.7, 0.2]))
    assert np.isfinite(result["log_loss"]) and result["auc"] == 1.0
