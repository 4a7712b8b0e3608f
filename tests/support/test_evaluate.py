"""Evaluation metrics agree with scikit-learn and with hand-computed answers."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from shopai_lab import stats
from shopai_lab.support import (
    accuracy_difference,
    confused_pairs,
    intent_report,
    intent_scores,
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


def test_accuracy_difference_is_the_paired_bootstrap_of_correctness():
    a = np.where(RNG.random(500) < 0.1, "x", TRUE)
    r = accuracy_difference(TRUE, a, TRUE, n_boot=500, random_state=1)
    assert r.low <= r.estimate <= r.high and r.low > 0 and r.n == 500
    expected = stats.paired_bootstrap((a == TRUE).astype(float), np.ones(500), n_boot=500, random_state=1)
    assert r == expected
    same = accuracy_difference(TRUE, PRED, PRED, n_boot=200)
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)


def test_top_label_calibration_is_the_shared_ece_of_correctness_and_confidence():
    # perfectly calibrated bins -> 0; all-wrong at confidence 1 -> 1
    assert stats.expected_calibration_error([1, 1, 1, 0], [0.75] * 4, n_bins=15) == pytest.approx(0.0)
    assert stats.expected_calibration_error([0, 0], [1.0, 1.0], n_bins=15) == pytest.approx(1.0)
    table = stats.reliability_table([1, 1, 1, 0, 0, 0, 0, 1], [0.75] * 4 + [0.25] * 4, n_bins=4)
    assert table["count"].tolist() == [4, 4] and table["observed"].tolist() == [0.25, 0.75]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: intent_scores(["a"], ["a", "b"]), ValueError, "y_true has 1, y_pred has 2"),
        (lambda: intent_scores([], []), ValueError, "empty"),
        (lambda: confused_pairs(["a"], ["b"], top=0), ValueError, "top must be >= 1"),
        (lambda: accuracy_difference(["a", "b"], ["a", "a"], ["a", "b"], level=1.5), ValueError, "level"),
        (lambda: accuracy_difference(["a"], ["a"], ["b"]), ValueError, "at least 2"),
        (lambda: accuracy_difference(["a", "b"], ["a"], ["a", "b"]), ValueError, "y_true has 2, y_pred has 1"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
