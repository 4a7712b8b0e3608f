"""Bad input to the shared layer (shopai_lab.report, shopai_lab.stats): every row raises a clear error naming
the parameter, inputs unchanged. A sentence printed from a NaN or a truncated count is worse than an error."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import report, stats
from tests._bad_input import check_row, row_ids

ROWS = [
    # report: the sentence helpers
    (report.money, {"value": np.nan, "currency": "GBP"}, ValueError, "value must be a finite number"),
    (report.money, {"value": np.inf, "currency": "GBP"}, ValueError, "value must be a finite number"),
    (report.money, {"value": "12", "currency": "GBP"}, TypeError, "value must be a number"),
    (report.money, {"value": True, "currency": "GBP"}, TypeError, "value must be a number"),
    (report.money, {"value": pd.NA, "currency": "GBP"}, TypeError, "value must be a number"),
    (report.money, {"value": 12.0, "currency": ""}, ValueError, "currency"),
    (report.money, {"value": 12.0, "currency": None}, TypeError, "currency"),
    (report.money, {"value": 12.0, "currency": "GBP", "digits": -1}, ValueError, "digits"),
    (report.money, {"value": 12.0, "currency": "GBP", "digits": 1.5}, TypeError, "digits"),
    (report.percent, {"share": np.nan}, ValueError, "share must be a finite number"),
    (report.percent, {"share": "0.2"}, TypeError, "share must be a number"),
    (report.percent, {"share": 0.2, "digits": "1"}, TypeError, "digits"),
    (report.count, {"n": 2.7, "noun": "week"}, ValueError, r"n must be a whole number, got 2\.7"),
    (report.count, {"n": np.nan, "noun": "week"}, ValueError, "n must be a finite number"),
    (report.count, {"n": -1, "noun": "week"}, ValueError, "n must be >= 0"),
    (report.count, {"n": "3", "noun": "week"}, TypeError, "n must be a number"),
    (report.count, {"n": True, "noun": "week"}, TypeError, "n must be a number"),
    (report.count, {"n": 3, "noun": ""}, ValueError, "noun"),
    (report.count, {"n": 3, "noun": "category", "plural": 2}, TypeError, "plural"),
    (report.signed, {"value": np.nan}, ValueError, "value must be a finite number"),
    (report.signed, {"value": -np.inf, "as_percent": True}, ValueError, "value must be a finite number"),
    (report.signed, {"value": 0.1, "as_percent": "yes"}, TypeError, "as_percent"),
    (report.signed, {"value": 0.1, "digits": -2}, ValueError, "digits"),
    (report.show, {"text": 12}, TypeError, "text must be a string"),
    (report.show, {"text": ""}, ValueError, "text must be a non-empty string"),
    # stats: robust z, holdout errors, shrinkage
    (stats.robust_z, {"values": ["1", "2"]}, TypeError, "values must hold numbers"),
    (stats.robust_z, {"values": [1.0, np.inf]}, ValueError, "values has 1 missing"),
    (stats.robust_z, {"values": [True, False]}, TypeError, "values must hold numbers"),
    (stats.robust_z, {"values": np.ones((2, 2))}, ValueError, "values must be 1-dimensional"),
    (stats.holdout_metrics, {"actual": [1, 2, 3], "predicted": [1.0, 2.0]}, ValueError, "same length"),
    (stats.holdout_metrics, {"actual": ["1", "2"], "predicted": [1.0, 2.0]}, TypeError, "actual"),
    (stats.holdout_metrics, {"actual": [1.0, np.nan], "predicted": [1.0, 2.0]}, ValueError, "actual has 1 missing"),
    (stats.holdout_metrics, {"actual": [1.0, 2.0], "predicted": [np.inf, 2.0]}, ValueError, "predicted has 1 miss"),
    (stats.holdout_metrics, {"actual": [1.0], "predicted": [1.0]}, ValueError, "at least 2"),
    (stats.shrink_estimates, {"estimates": [1.0, 2.0], "std_errors": [0.1, 0.2], "groups": ["a"]}, ValueError, "gro"),
    (stats.shrink_estimates, {"estimates": [1.0, np.nan], "std_errors": [0.1, 0.2]}, ValueError, "estimates has 1"),
    (stats.shrink_estimates, {"estimates": [1.0, 2.0], "std_errors": [0.1, 0.0]}, ValueError, "std_errors must be >"),
    (stats.shrink_estimates, {"estimates": [1.0, 2.0], "std_errors": [0.1]}, ValueError, "lengths differ"),
    (stats.shrink_estimates, {"estimates": [], "std_errors": []}, ValueError, "estimates is empty"),
    (stats.shrink_estimates, {"estimates": ["1"], "std_errors": [0.1]}, TypeError, "estimates must hold numbers"),
    (
        stats.shrink_estimates,
        {"estimates": [1.0, 2.0, 3.0], "std_errors": [0.1, 0.2, 0.3], "groups": ["a", np.nan, "a"]},
        ValueError,
        "groups has 1 missing",
    ),
    # stats: the group bootstrap
    (
        stats.group_bootstrap,
        {"values": [1.0, 2.0, 3.0], "groups": ["a", "a"]},
        ValueError,
        "same length|lengths differ",
    ),
    (stats.group_bootstrap, {"values": [1.0, 2.0, 3.0], "groups": ["a", "a", "b"]}, ValueError, "group 'b' must hold"),
    (stats.group_bootstrap, {"values": [1.0, np.nan], "groups": ["a", "a"]}, ValueError, "values has 1 missing"),
    (stats.group_bootstrap, {"values": [1.0, 2.0], "groups": ["a", None]}, ValueError, "groups has 1 missing"),
    (stats.group_bootstrap, {"values": ["1", "2"], "groups": ["a", "a"]}, TypeError, "values must hold numbers"),
    (
        stats.group_bootstrap,
        {"values": [1.0, 2.0, 3.0, 4.0], "groups": ["a", "a", "b", "b"], "reference": "c"},
        ValueError,
        "reference 'c' is not one of the groups",
    ),
    (stats.group_bootstrap, {"values": [1.0, 2.0], "groups": ["a", "a"], "n_boot": 1}, ValueError, "n_boot"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_numbers_read_as_before():
    assert report.count(np.int64(3), "week") == "3 weeks" and report.count(2.0, "week") == "2 weeks"
    assert report.count(np.float32(1.0), "week") == "1 week"
    assert report.money(np.float64(1234.5), "GBP") == "GBP 1,234" and report.money(-3.456, "EUR", 2) == "EUR -3.46"
    assert report.percent(np.float32(0.25), 0) == "25%" and report.signed(np.int64(2), 1) == "+2.0"


def test_degenerate_holdout_metrics_are_documented_not_warned():
    metrics = stats.holdout_metrics([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])  # a constant prediction has no correlation
    assert np.isnan(metrics["corr"]) and metrics["mae"] == pytest.approx(2 / 3)
    assert np.isnan(stats.holdout_metrics([0.0, 0.0], [1.0, 2.0])["total_error"])  # nothing to be relative to
