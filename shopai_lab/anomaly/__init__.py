"""Anomaly detection on invoices: features, detectors, planted truth, evaluation, a review queue.

Modules (one job each):

- :mod:`~shopai_lab.anomaly.features`: invoice-level features from canonical purchase lines.
- :mod:`~shopai_lab.anomaly.detectors`: IsolationForest, LOF, robust z, rules and a rank ensemble
  on one API (``fit``, ``anomaly_score`` and ``fit_score``: higher = more anomalous; ``score_samples``
  with scikit-learn's sign: higher = more normal).
- :mod:`~shopai_lab.anomaly.inject`: plant labelled anomalies in real invoices.
- :mod:`~shopai_lab.anomaly.evaluate`: metrics per kind over seeds, LOF neighbourhood choice,
  the real-data reversal label (paired intervals: :func:`shopai_lab.stats.paired_metric_bootstrap`).
- :mod:`~shopai_lab.anomaly.decide`: the choices made on validation plantings (ensemble), the
  comparison with the best single detector, the cost of look-ahead, what the forest adds to the rules.
- :mod:`~shopai_lab.anomaly.review`: the top-N review queue (one entry per episode) with reasons in
  words, CSV export.
- :mod:`~shopai_lab.anomaly.feedback`: the review loop run forward (notebook 12): a reviewer's weekly budget
  labels what the queue shows, and a supervised model learns from those labels.
- :mod:`~shopai_lab.anomaly.plots`: precision-recall curves with the base rate, AP by kind, the review loop by week.
- :mod:`~shopai_lab.anomaly.reading`: notebook 08's generated sentences.
"""

from shopai_lab.anomaly import feedback, reading
from shopai_lab.anomaly.decide import (
    candidate_ensembles,
    choose_ensemble,
    compare_with_best_single,
    evaluation_seeds,
    learned_only_catches,
    look_ahead_cost,
)
from shopai_lab.anomaly.detectors import (
    CalibratedMax,
    ColumnRule,
    IsolationForestDetector,
    LOFDetector,
    PriceRatioRule,
    RankEnsemble,
    RobustZDetector,
    contamination_threshold,
    default_detectors,
    percentile_frame,
    percentiles,
    rank_combine,
)
from shopai_lab.anomaly.evaluate import (
    choose_n_neighbors,
    detection_metrics,
    injection_study,
    local_outlier_factors,
    metrics_by_kind,
    precision_at_k,
    reversal_labels,
    reversal_table,
    score_all,
    summarize_study,
)
from shopai_lab.anomaly.features import FEATURE_COLUMNS, invoice_features, model_matrix, past_medians, product_lines
from shopai_lab.anomaly.feedback import ReviewData, ReviewLoop, review_study, review_table
from shopai_lab.anomaly.inject import KINDS, InjectedLines, inject_anomalies
from shopai_lab.anomaly.plots import plot_ap_by_kind, plot_precision_recall, plot_review_weeks
from shopai_lab.anomaly.review import episodes, explain, export_review_queue, review_queue

__all__ = [
    "CalibratedMax",
    "ColumnRule",
    "FEATURE_COLUMNS",
    "InjectedLines",
    "IsolationForestDetector",
    "KINDS",
    "LOFDetector",
    "PriceRatioRule",
    "RankEnsemble",
    "ReviewData",
    "ReviewLoop",
    "RobustZDetector",
    "candidate_ensembles",
    "choose_ensemble",
    "choose_n_neighbors",
    "compare_with_best_single",
    "contamination_threshold",
    "default_detectors",
    "detection_metrics",
    "episodes",
    "evaluation_seeds",
    "explain",
    "feedback",
    "export_review_queue",
    "inject_anomalies",
    "injection_study",
    "invoice_features",
    "learned_only_catches",
    "local_outlier_factors",
    "look_ahead_cost",
    "metrics_by_kind",
    "model_matrix",
    "past_medians",
    "percentile_frame",
    "percentiles",
    "plot_ap_by_kind",
    "plot_precision_recall",
    "plot_review_weeks",
    "precision_at_k",
    "product_lines",
    "rank_combine",
    "reading",
    "reversal_labels",
    "reversal_table",
    "review_queue",
    "review_study",
    "review_table",
    "score_all",
    "summarize_study",
]
