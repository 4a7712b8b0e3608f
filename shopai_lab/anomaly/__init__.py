"""Anomaly detection on invoices: features, detectors, planted truth, evaluation, a review queue.

Modules (one job each):

- :mod:`~shopai_lab.anomaly.features`: invoice-level features from canonical purchase lines.
- :mod:`~shopai_lab.anomaly.detectors`: IsolationForest, LOF, robust z, rules and a rank ensemble
  on one API (``fit``, ``anomaly_score`` and ``fit_score``: higher = more anomalous; ``score_samples``
  with scikit-learn's sign: higher = more normal).
- :mod:`~shopai_lab.anomaly.inject`: plant labelled anomalies in real invoices.
- :mod:`~shopai_lab.anomaly.evaluate`: metrics per kind over seeds, LOF neighbourhood choice,
  the real-data reversal label, paired bootstrap.
- :mod:`~shopai_lab.anomaly.review`: the top-N review queue with reasons in words, CSV export.
"""

from shopai_lab.anomaly.detectors import (
    ColumnRule,
    IsolationForestDetector,
    LOFDetector,
    PriceRatioRule,
    RankEnsemble,
    RobustZDetector,
    contamination_threshold,
    default_detectors,
    percentiles,
    rank_combine,
)
from shopai_lab.anomaly.evaluate import (
    choose_n_neighbors,
    detection_metrics,
    injection_study,
    local_outlier_factors,
    metrics_by_kind,
    paired_bootstrap,
    precision_at_k,
    reversal_labels,
    score_all,
    summarize_study,
)
from shopai_lab.anomaly.features import FEATURE_COLUMNS, invoice_features, model_matrix, product_lines
from shopai_lab.anomaly.inject import KINDS, InjectedLines, inject_anomalies
from shopai_lab.anomaly.review import explain, export_review_queue, review_queue

__all__ = [
    "ColumnRule",
    "FEATURE_COLUMNS",
    "InjectedLines",
    "IsolationForestDetector",
    "KINDS",
    "LOFDetector",
    "PriceRatioRule",
    "RankEnsemble",
    "RobustZDetector",
    "choose_n_neighbors",
    "contamination_threshold",
    "default_detectors",
    "detection_metrics",
    "explain",
    "export_review_queue",
    "inject_anomalies",
    "injection_study",
    "invoice_features",
    "local_outlier_factors",
    "metrics_by_kind",
    "model_matrix",
    "paired_bootstrap",
    "percentiles",
    "precision_at_k",
    "product_lines",
    "rank_combine",
    "reversal_labels",
    "review_queue",
    "score_all",
    "summarize_study",
]
