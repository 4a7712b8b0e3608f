"""Bad input to shopai_lab.privacy: every row raises a clear error naming what is wrong, inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import privacy
from tests._bad_input import check_row, row_ids

KEY = "a key of at least 16 bytes"
TABLE = pd.DataFrame(
    {"country": ["UK"] * 5 + ["FR"] * 2 + ["IS"], "month": ["2011-01"] * 4 + ["2011-02"] * 4, "n": range(8)}
)
COUNTS = pd.DataFrame([[5.0, 2.0, 1.0], [4.0, 1.0, np.nan]])
HASHED = privacy.plain_hash(["12346"])


ROWS = [
    # the Laplace mechanism and cohort retention
    (privacy.laplace_scale, {"sensitivity": 1, "epsilon": 0}, ValueError, "epsilon"),
    (privacy.laplace_scale, {"sensitivity": "1", "epsilon": 1.0}, TypeError, "sensitivity"),
    (privacy.laplace_mechanism, {"values": [10.0, np.inf], "sensitivity": 1, "epsilon": 1}, ValueError, "values"),
    (privacy.laplace_mechanism, {"values": ["12", "3"], "sensitivity": 1, "epsilon": 1}, TypeError, "values"),
    (privacy.laplace_mechanism, {"values": "12", "sensitivity": 1, "epsilon": 1}, TypeError, "values"),
    (privacy.laplace_mechanism, {"values": [True, False], "sensitivity": 1, "epsilon": 1}, TypeError, "values"),
    (privacy.laplace_mechanism, {"values": [1.0], "sensitivity": 1, "epsilon": np.inf}, ValueError, "epsilon"),
    (privacy.retention_sensitivity, {"counts": COUNTS.to_numpy()}, TypeError, "counts must be a pandas DataFrame"),
    (privacy.retention_sensitivity, {"counts": COUNTS.iloc[:0]}, ValueError, "counts is empty"),
    (privacy.retention_sensitivity, {"counts": COUNTS.assign(x="5")}, TypeError, r"counts\['x'\]"),
    (privacy.retention_sensitivity, {"counts": COUNTS * -1}, ValueError, "counts.*>= 0"),
    (privacy.dp_cohort_retention, {"counts": COUNTS, "epsilon": 0}, ValueError, "epsilon"),
    (privacy.dp_cohort_retention, {"counts": COUNTS, "epsilon": 1.0, "naive": "no"}, TypeError, "naive"),
    (privacy.dp_cohort_retention, {"counts": [[1, 2]], "epsilon": 1.0}, TypeError, "counts"),
    (privacy.dp_cohort_retention, {"counts": COUNTS.assign(**{"0": 0.0})[["0"]], "epsilon": 1.0}, ValueError, "count"),
    (privacy.privacy_utility_curve, {"counts": COUNTS, "epsilons": 1.0}, TypeError, "epsilons must be a list"),
    (privacy.privacy_utility_curve, {"counts": COUNTS, "epsilons": []}, ValueError, "epsilons"),
    (privacy.privacy_utility_curve, {"counts": COUNTS, "epsilons": [0.0]}, ValueError, "epsilons"),
    (privacy.privacy_utility_curve, {"counts": COUNTS, "epsilons": [1.0], "n_draws": 0}, ValueError, "n_draws"),
    (privacy.privacy_utility_curve, {"counts": COUNTS, "epsilons": [1.0], "progress": "no"}, TypeError, "progress"),
    # k-anonymity
    (privacy.k_anonymity_report, {"table": TABLE, "quasi_identifiers": "country"}, TypeError, "quasi_identifiers"),
    (privacy.k_anonymity_report, {"table": TABLE, "quasi_identifiers": ["zip"]}, ValueError, r"\['zip'\]"),
    (privacy.k_anonymity_report, {"table": TABLE, "quasi_identifiers": ["country"], "k": 1}, ValueError, "k must be"),
    (privacy.k_anonymity_report, {"table": TABLE.iloc[:0], "quasi_identifiers": ["country"]}, ValueError, "empty"),
    (privacy.group_sizes, {"table": TABLE, "quasi_identifiers": "country"}, TypeError, "quasi_identifiers"),
    (privacy.group_sizes, {"table": TABLE, "quasi_identifiers": ["zip"]}, ValueError, r"\['zip'\]"),
    (privacy.group_sizes, {"table": TABLE.to_numpy(), "quasi_identifiers": ["country"]}, TypeError, "table"),
    (
        privacy.anonymize,
        {"table": TABLE, "quasi_identifiers": ["country"], "k": 2, "hierarchies": {}, "max_suppression": "2%"},
        TypeError,
        "max_suppression",
    ),
    (
        privacy.anonymize,
        {"table": TABLE, "quasi_identifiers": ["country"], "k": 2, "hierarchies": {}, "max_suppression": 1.0},
        ValueError,
        "max_suppression",
    ),
    (
        privacy.anonymize,
        {"table": TABLE, "quasi_identifiers": ["month"], "k": 2, "hierarchies": {"month": privacy.month_to_year}},
        TypeError,
        r"hierarchies\['month'\] must be a list",
    ),
    (
        privacy.anonymize,
        {"table": TABLE, "quasi_identifiers": ["month"], "k": 2, "hierarchies": {"month": ["year"]}},
        TypeError,
        r"hierarchies\['month'\]\[0\] must be a function",
    ),
    (
        privacy.anonymize,
        {"table": TABLE, "quasi_identifiers": ["month"], "k": 2, "hierarchies": [privacy.month_to_year]},
        TypeError,
        "hierarchies must be a Mapping",
    ),
    (
        privacy.anonymize,
        {"table": TABLE, "quasi_identifiers": ["country"], "k": 2, "hierarchies": {"month": []}},
        ValueError,
        "not quasi-identifiers",
    ),
    (privacy.month_to_quarter, {"values": ["2011-03"]}, TypeError, "values must be a Series"),
    (privacy.month_to_quarter, {"values": pd.Series(["2011-13"])}, ValueError, "values"),
    (privacy.month_to_year, {"values": pd.Series(["Mar 2011"])}, ValueError, r"values.*'Mar 2011'"),
    (privacy.month_to_year, {"values": ["2011-03"]}, TypeError, "values must be a Series"),
    (privacy.top_categories, {"n": 0}, ValueError, "n must be >= 1"),
    (privacy.top_categories, {"n": 3, "other": 0}, TypeError, "other must be a string"),
    (privacy.suppress_all, {"values": ["UK"]}, TypeError, "values must be a Series"),
    # pseudonyms and hashes
    (privacy.resolve_key, {"key": "short"}, ValueError, "at least 16 bytes"),
    (privacy.resolve_key, {"key": 12345678901234567890}, TypeError, "key must be str or bytes"),
    (privacy.pseudonymize, {"values": ["1", None], "key": KEY}, ValueError, "missing"),
    (privacy.pseudonymize, {"values": "12346", "key": KEY}, TypeError, "values must be a list"),
    (privacy.pseudonymize, {"values": ["1"], "key": KEY, "length": 65}, ValueError, "length"),
    (privacy.pseudonymize, {"values": ["1"], "key": KEY, "length": 8.5}, TypeError, "length"),
    (privacy.pseudonymize_frame, {"frame": TABLE, "columns": "country", "key": KEY}, TypeError, "columns"),
    (privacy.pseudonymize_frame, {"frame": TABLE, "columns": ["zip"], "key": KEY}, ValueError, r"\['zip'\]"),
    (
        privacy.pseudonymize_frame,
        {"frame": TABLE.assign(country=None), "columns": ["country"], "key": KEY, "length": 4},
        ValueError,
        "length must be >= 8",
    ),
    (privacy.plain_hash, {"values": "12346"}, TypeError, "values must be a list"),
    (privacy.salted_hash, {"values": ["1"], "salt": 5}, TypeError, "salt"),
    (privacy.enumeration_attack, {"hashed": HASHED.tolist(), "candidates": ["12346"]}, TypeError, "hashed"),
    (privacy.enumeration_attack, {"hashed": HASHED, "candidates": "12346"}, TypeError, "candidates"),
    (
        privacy.enumeration_attack,
        {"hashed": HASHED, "candidates": ["12346"], "hash_fn": "sha256"},
        TypeError,
        "hash_fn must be a function",
    ),
    # generated sentences
    (
        privacy.reading.describe_attack,
        {"n_ids": 3, "width": 5, "all_digits": True, "n_candidates": 9, "recovered": [1.0]},
        TypeError,
        "recovered",
    ),
    (
        privacy.reading.describe_attack,
        {"n_ids": -1, "width": 5, "all_digits": True, "n_candidates": 9, "recovered": {}},
        ValueError,
        "n",
    ),
    (privacy.reading.describe_kanonymity, {"before": {}, "after": {}, "k": 0}, ValueError, "k"),
    (privacy.reading.describe_kanonymity, {"before": {"rows": 3}, "after": {}, "k": 2}, ValueError, "before"),
    (privacy.reading.describe_dp, {"sensitivity": 0, "mae": 0.1, "mae_naive": 0.01}, ValueError, "sensitivity"),
    (privacy.reading.describe_dp, {"sensitivity": 2, "mae": np.nan, "mae_naive": 0.01}, ValueError, "mae"),
    (
        privacy.reading.describe_dp,
        {"sensitivity": 2, "mae": 0.1, "mae_naive": 0.01, "epsilon": 0},
        ValueError,
        "epsilon",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_missing_cells_stay_missing_and_counts_are_not_modified():
    counts = COUNTS.copy()
    noisy = privacy.laplace_mechanism(counts.to_numpy(), 1.0, 1.0, random_state=0)
    assert np.isnan(noisy[1, 2]) and np.isfinite(noisy[0]).all()
    assert privacy.retention_sensitivity(counts) == 3
    pd.testing.assert_frame_equal(counts, COUNTS)
