"""Classification and calibration metrics: AUC, average precision, log loss, Brier, expected calibration error.

The expected calibration error and the reliability table are the shared ones of :mod:`shopai_lab.stats`.
"""

from __future__ import annotations

import numpy as np
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
from shopai_lab.stats import expected_calibration_error


def _labels_and_probabilities(y_true, probability) -> tuple[np.ndarray, np.ndarray]:
    y = require_binary(y_true, "y_true")
    p = require_probabilities(probability, "probability")
    require_same_length(y_true=y, probability=p)
    if y.size == 0:
        raise ValueError("y_true and probability are empty")
    return y, p


def classification_metrics(y_true, probability, n_bins: int = 10) -> dict[str, float]:
    """ROC AUC, average precision, log loss, Brier score and ECE of predicted probabilities.

    The ECE uses ``n_bins`` equal-width bins (:func:`shopai_lab.stats.expected_calibration_error`).

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
