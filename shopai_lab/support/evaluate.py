"""How good an intent model is: accuracy, macro-F1, per-intent report, confusions.

Metrics follow scikit-learn's definitions (``accuracy_score``, ``f1_score(average="macro")``,
``precision_recall_fscore_support``); the tests check them against scikit-learn.
Comparisons of two models on the same messages carry a paired bootstrap interval
(:func:`accuracy_difference`). Calibration (top-label ECE, reliability table) uses
:func:`shopai_lab.stats.expected_calibration_error` and :func:`shopai_lab.stats.reliability_table`
with ``y_true`` = whether the answer was correct and ``probability`` = its confidence.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from shopai_lab import stats
from shopai_lab._validation import (
    require_labels,
    require_positive_int,
    require_same_length,
)

__all__ = [
    "accuracy_difference",
    "compare_predictions",
    "confused_pairs",
    "intent_report",
    "intent_scores",
]


def _labels(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    true = require_labels(y_true, "y_true")
    pred = require_labels(y_pred, "y_pred")
    require_same_length(y_true=true, y_pred=pred)
    if len(true) == 0:
        raise ValueError("y_true is empty")
    return true.astype(str), pred.astype(str)


def intent_scores(y_true: Any, y_pred: Any) -> dict[str, float]:
    """Accuracy and macro-F1 (over the intents present in ``y_true`` or ``y_pred``).

    Examples
    --------
    >>> intent_scores(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    {'accuracy': 0.75, 'macro_f1': 0.7333333333333334, 'messages': 4}
    """
    true, pred = _labels(y_true, y_pred)
    return {
        "accuracy": float(accuracy_score(true, pred)),
        "macro_f1": float(f1_score(true, pred, average="macro", zero_division=0)),
        "messages": len(true),
    }


def compare_predictions(y_true: Any, predictions: dict[str, Any]) -> pd.DataFrame:
    """Accuracy and macro-F1 of several models' predictions on the same messages, best first.

    Examples
    --------
    >>> compare_predictions(["a", "b"], {"m1": ["a", "a"], "m2": ["a", "b"]})
           accuracy  macro_f1
    model
    m2          1.0  1.000000
    m1          0.5  0.333333
    """
    if not isinstance(predictions, dict) or not predictions:
        raise TypeError("predictions must be a non-empty dict of model name -> predicted intents")
    rows = {name: intent_scores(y_true, pred) for name, pred in predictions.items()}
    table = pd.DataFrame(rows).T[["accuracy", "macro_f1"]].astype(float)
    table.index.name = "model"
    return table.sort_values(["accuracy", "macro_f1"], ascending=False, kind="stable")


def intent_report(y_true: Any, y_pred: Any) -> pd.DataFrame:
    """Precision, recall, F1 and support per intent, worst F1 first (ties by name).

    Examples
    --------
    >>> intent_report(["a", "a", "b"], ["a", "b", "b"])
           precision  recall        f1  support
    intent
    a            1.0     0.5  0.666667        2
    b            0.5     1.0  0.666667        1
    """
    true, pred = _labels(y_true, y_pred)
    labels = np.unique(np.concatenate([true, pred]))
    precision, recall, f1, support = precision_recall_fscore_support(true, pred, labels=labels, zero_division=0)
    report = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support.astype(int)},
        index=pd.Index(labels, name="intent"),
    )
    return report.reset_index().sort_values(["f1", "intent"], kind="stable").set_index("intent")


def confused_pairs(y_true: Any, y_pred: Any, top: int = 10) -> pd.DataFrame:
    """The ``top`` most frequent (true intent, predicted intent) mistakes.

    Columns: ``true``, ``predicted``, ``count`` and ``share_of_true`` (the share of the
    true intent's messages that went to the predicted one). Ties are broken by name.

    Examples
    --------
    >>> confused_pairs(["a", "a", "b", "b", "b"], ["b", "a", "a", "a", "b"])
      true predicted  count  share_of_true
    0    b         a      2       0.666667
    1    a         b      1       0.500000
    """
    true, pred = _labels(y_true, y_pred)
    top = require_positive_int(top, "top")
    frame = pd.DataFrame({"true": true, "predicted": pred})
    support = frame["true"].value_counts()
    wrong = frame[frame["true"] != frame["predicted"]]
    pairs = wrong.groupby(["true", "predicted"]).size().rename("count").reset_index()
    pairs["share_of_true"] = pairs["count"] / pairs["true"].map(support).to_numpy()
    pairs = pairs.sort_values(["count", "true", "predicted"], ascending=[False, True, True], kind="stable")
    return pairs.head(top).reset_index(drop=True)


def accuracy_difference(
    y_true: Any, pred_a: Any, pred_b: Any, n_boot: int = 2000, level: float = 0.95, random_state: int = 0
) -> stats.Interval:
    """Accuracy of B minus accuracy of A on the same messages, with a paired bootstrap interval.

    Whether each model got each message right, compared by :func:`shopai_lab.stats.paired_bootstrap`
    (messages resampled with replacement, the same resample for both models). Say "B is better"
    only when the interval excludes zero (:func:`shopai_lab.report.verdict`).

    Returns
    -------
    shopai_lab.stats.Interval
        Accuracy of ``pred_b`` minus that of ``pred_a`` (a share; x 100 for points of accuracy).

    Examples
    --------
    >>> r = accuracy_difference(["a"] * 100, ["a"] * 80 + ["b"] * 20, ["a"] * 90 + ["b"] * 10)
    >>> round(r.estimate, 2), r.low > 0
    (0.1, True)
    """
    true, a = _labels(y_true, pred_a)
    _, b = _labels(y_true, pred_b)
    return stats.paired_bootstrap(
        (a == true).astype(float), (b == true).astype(float), n_boot=n_boot, level=level, random_state=random_state
    )
