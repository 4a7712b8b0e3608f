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
- :mod:`~shopai_lab.support.selection`: choices made on validation messages only (the house model's
  epochs and vote weight; the hand-over score over several draws of held-out intents), and the test
  report of the chosen score.
- :mod:`~shopai_lab.support.feedback`: the hand-over loop run forward (notebook 12): new intents arrive,
  hand-overs are labelled and retrained on weekly, monthly or never.
- :mod:`~shopai_lab.support.plots`: reliability diagram (with bin counts), the automation curve, the
  hand-over loop by week.
- :mod:`~shopai_lab.support.reading`: notebook 09's sentences, generated from its results.
"""

from shopai_lab.support.answers import (
    ENTITY_LABELS,
    EntityExtractor,
    compose_replies,
    entity_scores,
    labels_as_typed,
    relabelled,
    reply_by_similarity,
    reply_examples,
    unlabelled_extractions,
)
from shopai_lab.support.automation import (
    NearestNeighbourScore,
    apply_threshold,
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
from shopai_lab.support.feedback import HandoverData, HandoverLoop, handover_study, handover_table
from shopai_lab.support.intents import (
    IntentClassifier,
    TemperatureCalibrated,
    calibrate,
    fit_models,
    intent_models,
    text_features,
)
from shopai_lab.support.messages import split_messages, split_sizes
from shopai_lab.support.plots import plot_automation_curve, plot_handover_weeks, plot_reliability
from shopai_lab.support.reading import (
    PUBLISHED_BANKING77,
    describe_automation,
    describe_baselines,
    describe_bitext,
    describe_calibration,
    describe_decision,
    describe_entities,
    describe_handover,
    describe_messages,
    describe_oos_choice,
    describe_oos_test,
    describe_published,
    describe_routing,
    describe_tuning,
    handover_decision,
    published_table,
)
from shopai_lab.support.routing import queue_map, routing_outcomes, routing_summary
from shopai_lab.support.selection import (
    NEURAL_WEIGHTS,
    OOS_SCORES,
    choose_oos_score,
    epoch_grid,
    oos_test_report,
    out_of_scope_draws,
    tune_house_model,
)

__all__ = [
    "ENTITY_LABELS",
    "EntityExtractor",
    "HandoverData",
    "HandoverLoop",
    "IntentClassifier",
    "NEURAL_WEIGHTS",
    "NearestNeighbourScore",
    "OOS_SCORES",
    "PUBLISHED_BANKING77",
    "TemperatureCalibrated",
    "accuracy_difference",
    "apply_threshold",
    "automation_curve",
    "calibrate",
    "choose_oos_score",
    "choose_threshold",
    "compare_predictions",
    "compose_replies",
    "confused_pairs",
    "describe_automation",
    "describe_baselines",
    "describe_bitext",
    "describe_calibration",
    "describe_decision",
    "describe_entities",
    "describe_handover",
    "describe_messages",
    "describe_oos_choice",
    "describe_oos_test",
    "describe_published",
    "describe_routing",
    "describe_tuning",
    "energy_score",
    "entity_scores",
    "epoch_grid",
    "fit_models",
    "hand_over",
    "handover_decision",
    "handover_study",
    "handover_table",
    "hold_out_intents",
    "intent_models",
    "intent_report",
    "intent_scores",
    "labels_as_typed",
    "max_probability",
    "oos_test_report",
    "out_of_scope_draws",
    "out_of_scope_report",
    "plot_automation_curve",
    "plot_handover_weeks",
    "plot_reliability",
    "published_table",
    "relabelled",
    "queue_map",
    "reply_by_similarity",
    "reply_examples",
    "routing_outcomes",
    "routing_summary",
    "split_messages",
    "split_sizes",
    "text_features",
    "tune_house_model",
    "unlabelled_extractions",
]
