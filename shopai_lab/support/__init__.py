"""Customer service: classify a message's intent, answer it, and know when to hand over.

Modules (one job each):

- :mod:`~shopai_lab.support.messages`: train, validation and test messages (the messages themselves are
  loaded by :mod:`shopai_lab.data`: Bitext, Banking77 and an analyst's own labelled file).
- :mod:`~shopai_lab.support.intents`: TF-IDF word/char n-gram pipelines, the house
  :class:`IntentClassifier` (linear SVM + perceptron vote) and temperature calibration.
- :mod:`~shopai_lab.support.evaluate`: accuracy, macro-F1, per-intent report, confusions,
  the paired accuracy difference (calibration error: :mod:`shopai_lab.stats`).
- :mod:`~shopai_lab.support.automation`: the accuracy-vs-automation curve, the threshold
  chosen on validation, hand-over, out-of-scope scores and their report.
- :mod:`~shopai_lab.support.answers`: entity extraction, filled canned replies, the
  untrained similarity baseline.
- :mod:`~shopai_lab.support.routing`: intent-to-queue routing and the operator's view.
- :mod:`~shopai_lab.support.plots`: reliability diagram and the automation curve.
"""

from shopai_lab.support.answers import (
    ENTITY_LABELS,
    EntityExtractor,
    compose_replies,
    entity_scores,
    labels_as_typed,
    reply_by_similarity,
)
from shopai_lab.support.automation import (
    NearestNeighbourScore,
    automation_curve,
    choose_threshold,
    energy_score,
    hand_over,
    hold_out_intents,
    max_probability,
    out_of_scope_report,
)
from shopai_lab.support.evaluate import (
    accuracy_difference,
    compare_predictions,
    confused_pairs,
    intent_report,
    intent_scores,
)
from shopai_lab.support.intents import (
    IntentClassifier,
    TemperatureCalibrated,
    calibrate,
    fit_models,
    intent_models,
    text_features,
)
from shopai_lab.support.messages import split_messages
from shopai_lab.support.plots import plot_automation_curve, plot_reliability
from shopai_lab.support.routing import queue_map, routing_outcomes, routing_summary

__all__ = [
    "ENTITY_LABELS",
    "EntityExtractor",
    "IntentClassifier",
    "NearestNeighbourScore",
    "TemperatureCalibrated",
    "accuracy_difference",
    "automation_curve",
    "calibrate",
    "choose_threshold",
    "compare_predictions",
    "compose_replies",
    "confused_pairs",
    "energy_score",
    "entity_scores",
    "fit_models",
    "hand_over",
    "hold_out_intents",
    "intent_models",
    "intent_report",
    "intent_scores",
    "max_probability",
    "labels_as_typed",
    "out_of_scope_report",
    "plot_automation_curve",
    "plot_reliability",
    "queue_map",
    "reply_by_similarity",
    "routing_outcomes",
    "routing_summary",
    "split_messages",
    "text_features",
]
