"""Classification and calibration metrics: AUC, log loss, Brier, expected calibration error."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
)

from shopai_lab._validation import (
    require_binary,
    require_positive_int,
    require_probabilities,
    require_same_length,
)


def _labels_and_probabilities(y_true, probability) -> tuple[np.ndarray, np.ndarray]:
    y = require_binary(y_true, "y_true")
    p = require_probabilities(probability, "probability")
    require_same_length(y_true=y, probability=p)
    if y.size == 0:
        raise ValueError("y_true and probability are empty")
    return y, p


def expected_calibration_error(y_true, probability, n_bins: int = 10) -> float:
    """ECE with ``n_bins`` equal-width bins on [0, 1]: ``sum_b (n_b / n) |mean(y)_b - mean(p)_b|``.

    A probability of exactly 1 falls in the last bin.

    Examples
    --------
    >>> expected_calibration_error([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], n_bins=2)
    0.25
    """
    n_bins = require_positive_int(n_bins, "n_bins")
    y, p = _labels_and_probabilities(y_true, probability)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for b in np.unique(bins):
        members = bins == b
        total += members.mean() * abs(y[members].mean() - p[members].mean())
    return float(total)


def reliability_table(y_true, probability, n_bins: int = 10) -> pd.DataFrame:
    """Per equal-width bin: sessions, mean predicted probability and observed purchase rate.

    Only bins holding at least one probability are listed; a probability of exactly 1 falls in the last bin.

    Examples
    --------
    >>> reliability_table([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], n_bins=2)
             sessions  predicted  observed
    0.0-0.5         2       0.25       0.0
    0.5-1.0         2       0.75       1.0
    """
    n_bins = require_positive_int(n_bins, "n_bins")
    y, p = _labels_and_probabilities(y_true, probability)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = (
        pd.DataFrame({"bin": bins, "predicted": p, "observed": y})
        .groupby("bin")
        .agg(sessions=("observed", "size"), predicted=("predicted", "mean"), observed=("observed", "mean"))
    )
    table.index = [f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}" for b in table.index]
    return table


def classification_metrics(y_true, probability, n_bins: int = 10) -> dict[str, float]:
    """ROC AUC, average precision, log loss, Brier score and ECE of predicted probabilities.

    ``probability`` must be probabilities in [0, 1] (``predict_proba``'s column): scores
    outside (logits, margins) are refused, not clipped. Exact 0 and 1 are moved 1e-15
    inside for the log loss.

    Examples
    --------
    >>> metrics = classification_metrics([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], n_bins=2)
    >>> {name: round(value, 4) for name, value in metrics.items()}
    {'auc': 1.0, 'ap': 1.0, 'log_loss': 0.3081, 'brier': 0.085, 'ece': 0.25}
    """
    n_bins = require_positive_int(n_bins, "n_bins")
    y_checked, p_checked = _labels_and_probabilities(y_true, probability)
    if len(np.unique(y_checked)) < 2:
        raise ValueError("y_true has a single class; ROC AUC and average precision need both")
    y = np.asarray(y_true)
    p = np.clip(p_checked, 1e-15, 1 - 1e-15)
    return {
        "auc": float(roc_auc_score(y, p)),
        "ap": float(average_precision_score(y, p)),
        "log_loss": float(log_loss(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p, n_bins),
    }
