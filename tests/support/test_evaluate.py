"""Evaluation metrics agree with scikit-learn and with hand-computed answers."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from shopai_lab.support import (
    confused_pairs,
    expected_calibration_error,
    intent_report,
    intent_scores,
    paired_bootstrap,
    reliability_table,
)

RNG = np.random.default_rng(0)
LABELS = np.array(["a", "b", "c", "d"])
TRUE = LABELS[RNG.integers(0, 4, 500)]
PRED = np.where(RNG.random(500) < 0.7, TRUE, LABELS[RNG.integers(0, 4, 500)])


def test_scores_match_sklearn():
    scores = intent_scores(TRUE, PRED)
    assert scores["accuracy"] == pytest.approx(accuracy_score(TRUE, PRED), abs=1e-12)
    assert scores["macro_f1"] == pytest.approx(f1_score(TRUE, PRED, average="macro"), abs=1e-12)


def test_report_rows_match_confusion_matrix():
    report = intent_report(TRUE, PRED)
    cm = confusion_matrix(TRUE, PRED, labels=LABELS)
    for i, label in enumerate(LABELS):
        assert report.loc[label, "recall"] == pytest.approx(cm[i, i] / cm[i].sum())
        assert report.loc[label, "precision"] == pytest.approx(cm[i, i] / cm[:, i].sum())
        assert report.loc[label, "support"] == cm[i].sum()
    assert report["f1"].is_monotonic_increasing


def test_confused_pairs_are_the_largest_off_diagonal_cells():
    pairs = confused_pairs(TRUE, PRED, top=3)
    cm = confusion_matrix(TRUE, PRED, labels=LABELS)
    np.fill_diagonal(cm, 0)
    assert pairs["count"].tolist() == sorted(cm.ravel(), reverse=True)[:3]
    first = pairs.iloc[0]
    i, j = list(LABELS).index(first["true"]), list(LABELS).index(first["predicted"])
    assert cm[i, j] == first["count"]


def test_paired_bootstrap_interval_covers_the_difference_and_is_paired():
    a = np.where(RNG.random(500) < 0.1, "x", TRUE)
    r = paired_bootstrap(TRUE, a, TRUE, n_boot=500, random_state=1)
    assert r["low"] <= r["difference"] <= r["high"] and r["low"] > 0
    same = paired_bootstrap(TRUE, PRED, PRED, n_boot=200)
    assert same == {"difference": 0.0, "low": 0.0, "high": 0.0}


def test_ece_known_answers():
    # perfectly calibrated bins -> 0; all-wrong at confidence 1 -> 1
    assert expected_calibration_error([0.75] * 4, [1, 1, 1, 0], n_bins=10) == pytest.approx(0.0)
    assert expected_calibration_error([1.0, 1.0], [0, 0]) == pytest.approx(1.0)
    table = reliability_table([0.75] * 4 + [0.25] * 4, [1, 1, 1, 0, 0, 0, 0, 1], n_bins=4)
    assert table["messages"].tolist() == [4, 4] and table["accuracy"].tolist() == [0.25, 0.75]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: intent_scores(["a"], ["a", "b"]), ValueError, "y_true has 1, y_pred has 2"),
        (lambda: intent_scores([], []), ValueError, "empty"),
        (lambda: confused_pairs(["a"], ["b"], top=0), ValueError, "top must be >= 1"),
        (lambda: paired_bootstrap(["a"], ["a"], ["a"], level=1.5), ValueError, "level"),
        (lambda: expected_calibration_error([1.2], [1]), ValueError, r"\[0, 1\]"),
        (lambda: expected_calibration_error([0.5], [2]), ValueError, "0/1"),
        (lambda: expected_calibration_error([0.5, np.nan], [1, 0]), ValueError, "NaN"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
