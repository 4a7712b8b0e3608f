"""Bad input to shopai_lab.support: every row raises a clear error naming what is wrong, inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import data, stats, support
from tests._bad_input import check_row, row_ids

TEXTS = ["where is my parcel", "track my order", "cancel my order", "stop the order now"] * 3
INTENTS = ["track", "track", "cancel", "cancel"] * 3
MODEL = support.IntentClassifier(min_df=1, neural_weight=0).fit(TEXTS, INTENTS)
PROBA = np.array([[0.7, 0.3], [0.2, 0.8]])
LOGITS = np.array([[2.0, -1.0], [0.5, 3.0]])
SCORE = np.array([0.9, 0.8, 0.8, 0.3])
CORRECT = np.array([1, 1, 0, 0])
REPLIES = pd.DataFrame({"intent": ["track", "cancel"], "response": ["Track it online.", "Cancelled."]})
ENTITIES = pd.DataFrame({"entity_type": ["order_id", None], "entity_value": ["123842", None]})
EXTRACTOR = support.EntityExtractor().fit(["switch to the Gold account"], ["account_type"], ["Gold"])
QUEUES = {"track": "ORDER", "cancel": "ORDER"}
OUTCOMES = pd.DataFrame({"automated": [True, False], "right_intent": [True, False], "right_queue": [True, True]})
MESSAGES = pd.DataFrame({"text": ["hi", "yo", "hey"], "intent": ["a", "b", "c"]})
TUNE = {"fit_texts": TEXTS, "fit_intents": INTENTS, "val_texts": TEXTS[:4], "val_intents": INTENTS[:4]}
DRAWS = {"fit": MESSAGES, "val": MESSAGES, "test": MESSAGES, "model": MODEL}
LOOP_MESSAGES = pd.DataFrame(
    {"text": [f"w{i % 4} x{i}" for i in range(40)], "intent": [f"i{i % 4}" for i in range(40)]}
)
HANDOVER = support.HandoverData(LOOP_MESSAGES, n_new_intents=1, messages_per_week=5)
HANDOVER_HISTORY = pd.DataFrame({"seed": [0], "round": [0], "automation": [0.5]})
OOS_TABLE = pd.DataFrame({"val_auroc": [0.9], "chosen": [True], "vs_chosen": [None], "unit": "draws"}, index=["energy"])


ROWS = [
    # messages
    (data.check_intents, {"frame": MESSAGES.assign(text=[1, 2, 3])}, TypeError, r"messages\['text'\].*row 0 holds 1"),
    (data.check_intents, {"frame": MESSAGES.assign(text=["hi", None, "x"])}, ValueError, r"empty or missing"),
    (
        support.split_messages,
        {"frame": MESSAGES.assign(intent=list("aabb")[:3]), "test_size": 1.0},
        ValueError,
        "test_s",
    ),
    # intent models
    (support.IntentClassifier(min_df=1).fit, {"X": [1, 2, 3, 4], "y": ["a", "b", "a", "b"]}, TypeError, r"X\[0\]"),
    (support.IntentClassifier(min_df=1).fit, {"X": TEXTS, "y": INTENTS[:-1] + [None]}, ValueError, "y has 1 miss"),
    (support.IntentClassifier(min_df=1).fit, {"X": TEXTS, "y": "track"}, TypeError, "y must be a list"),
    (support.IntentClassifier(min_df=1, svm_c=True).fit, {"X": TEXTS, "y": INTENTS}, TypeError, "svm_c"),
    (support.IntentClassifier(min_df=1, svm_scale="5").fit, {"X": TEXTS, "y": INTENTS}, TypeError, "svm_scale"),
    (support.IntentClassifier(min_df=1, neural_weight=1.5).fit, {"X": TEXTS, "y": INTENTS}, ValueError, "neural_w"),
    (MODEL.predict, {"X": "where is my parcel"}, TypeError, "X must be a list"),
    (MODEL.predict_proba, {"X": [None]}, TypeError, r"X\[0\] must be a string"),
    (support.IntentClassifier().predict, {"X": TEXTS}, ValueError, "not fitted"),
    (support.intent_models, {"svm_c": 0}, ValueError, "svm_c"),
    (support.intent_models, {"logreg_c": "10"}, TypeError, "logreg_c"),
    (support.intent_models, {"mlp_hidden": []}, ValueError, "mlp_hidden"),
    (support.text_features, {"min_df": 0}, ValueError, "min_df"),
    (support.text_features, {"word_ngrams": (2, 1)}, ValueError, "word_ngrams"),
    (support.fit_models, {"models": [], "texts": TEXTS, "intents": INTENTS}, TypeError, "models must be a"),
    (
        support.fit_models,
        {"models": {"m": MODEL}, "texts": TEXTS, "intents": INTENTS, "progress": 0},
        TypeError,
        "prog",
    ),
    (
        support.fit_models,
        {"models": {"m": MODEL}, "texts": TEXTS, "intents": INTENTS[:3]},
        ValueError,
        "texts has 12, intents has 3",
    ),
    (support.fit_models, {"models": {"m": MODEL}, "texts": TEXTS, "intents": [np.nan] * 12}, ValueError, "missing"),
    (support.calibrate, {"model": MODEL, "texts": ["a b"], "intents": ["other"]}, ValueError, r"\['other'\]"),
    (support.calibrate, {"model": "svm", "texts": ["a b"], "intents": ["track"]}, TypeError, "model"),
    (support.calibrate, {"model": MODEL, "texts": ["a b"], "intents": [None]}, ValueError, "intents has 1 missing"),
    (
        support.TemperatureCalibrated(model=MODEL, bounds=(1.0,)).fit,
        {"X": ["a b"], "y": ["track"]},
        ValueError,
        "bounds",
    ),
    (
        support.TemperatureCalibrated(model=MODEL, bounds=(1.0, 0.1)).fit,
        {"X": ["a b"], "y": ["track"]},
        ValueError,
        "boun",
    ),
    # evaluation
    (support.intent_scores, {"y_true": ["a", "b"], "y_pred": ["a", None]}, ValueError, "y_pred has 1 missing"),
    (support.intent_scores, {"y_true": ["a", np.nan], "y_pred": ["a", "b"]}, ValueError, "y_true has 1 missing"),
    (support.intent_scores, {"y_true": ["a"], "y_pred": ["a", "b"]}, ValueError, "y_true has 1, y_pred has 2"),
    (support.intent_scores, {"y_true": [], "y_pred": []}, ValueError, "empty"),
    (support.intent_scores, {"y_true": "ab", "y_pred": "ab"}, TypeError, "y_true must be a list"),
    (support.compare_predictions, {"y_true": ["a"], "predictions": [["a"]]}, TypeError, "predictions must be"),
    (support.compare_predictions, {"y_true": ["a"], "predictions": {"m": [None]}}, ValueError, "y_pred has 1 miss"),
    (support.intent_report, {"y_true": ["a", "b"], "y_pred": [None, "b"]}, ValueError, "y_pred has 1 missing"),
    (support.confused_pairs, {"y_true": ["a"], "y_pred": ["b"], "top": 0}, ValueError, "top must be >= 1"),
    # the one ECE (stats), as notebook 09 calls it: correctness as y_true, the confidence as the probability
    (stats.expected_calibration_error, {"y_true": [1], "probability": [1.2]}, ValueError, "probability must be"),
    (stats.expected_calibration_error, {"y_true": [0.7], "probability": [0.5]}, ValueError, "y_true must be bin"),
    (stats.expected_calibration_error, {"y_true": [1], "probability": [0.5, 0.2]}, ValueError, "lengths differ"),
    (stats.reliability_table, {"y_true": [1], "probability": [0.5], "n_bins": 0}, ValueError, "n_bins"),
    # automation and out-of-scope scores
    (support.hand_over, {"intents": ["a", "b"], "score": [0.97, 0.41], "threshold": 95}, ValueError, "threshold"),
    (support.hand_over, {"intents": ["a", "b"], "score": [0.97, 0.41], "threshold": -0.1}, ValueError, "threshold"),
    (support.hand_over, {"intents": ["a", "b"], "score": [0.97, 0.41], "threshold": "0.9"}, TypeError, "threshold"),
    (support.hand_over, {"intents": ["a", "b"], "score": [0.97, 0.41], "threshold": np.nan}, ValueError, "thresh"),
    (support.hand_over, {"intents": ["a", "b"], "score": [97.0, 41.0], "threshold": 0.9}, ValueError, "score must"),
    (support.hand_over, {"intents": ["a"], "score": [0.97, 0.41], "threshold": 0.9}, ValueError, "lengths differ"),
    (support.hand_over, {"intents": "ab", "score": [0.97, 0.41], "threshold": 0.9}, TypeError, "intents must be"),
    (support.max_probability, {"proba": LOGITS}, ValueError, r"probabilities expected; got logits\?"),
    (support.max_probability, {"proba": PROBA * 0.5}, ValueError, r"rows must sum to 1.*got logits\?"),
    (support.max_probability, {"proba": np.array([[1.2, -0.2]])}, ValueError, "proba"),
    (support.max_probability, {"proba": np.array([[np.nan, 1.0]])}, ValueError, "proba"),
    (support.max_probability, {"proba": PROBA[0]}, ValueError, "2-D"),
    (support.max_probability, {"proba": np.empty((2, 0))}, ValueError, "no intents"),
    (support.energy_score, {"logits": np.array([[np.nan, 1.0]])}, ValueError, "logits"),
    (support.energy_score, {"logits": LOGITS, "temperature": 0}, ValueError, "temperature"),
    (support.energy_score, {"logits": LOGITS, "temperature": True}, TypeError, "temperature"),
    (support.automation_curve, {"score": SCORE, "correct": SCORE}, ValueError, "correct must be binary"),
    (support.automation_curve, {"score": SCORE, "correct": CORRECT[:2]}, ValueError, "lengths differ"),
    (support.automation_curve, {"score": [], "correct": []}, ValueError, "score is empty"),
    (support.automation_curve, {"score": np.r_[np.nan, SCORE[1:]], "correct": CORRECT}, ValueError, "score"),
    (support.choose_threshold, {"score": SCORE, "correct": CORRECT, "target_accuracy": 1.5}, ValueError, "target_acc"),
    (support.choose_threshold, {"score": SCORE, "correct": CORRECT, "target_accuracy": 0}, ValueError, "target_acc"),
    (
        support.choose_threshold,
        {"score": SCORE, "correct": CORRECT, "target_accuracy": 0.9, "min_messages": 0},
        ValueError,
        "min_messages",
    ),
    (
        support.out_of_scope_report,
        {
            "val_score": SCORE,
            "val_correct": CORRECT,
            "test_in_score": SCORE,
            "test_in_correct": CORRECT,
            "test_out_score": [],
            "target_accuracy": 0.9,
        },
        ValueError,
        "test_out_score is empty",
    ),
    (
        support.out_of_scope_report,
        {
            "val_score": SCORE,
            "val_correct": SCORE,
            "test_in_score": SCORE,
            "test_in_correct": CORRECT,
            "test_out_score": [0.2],
            "target_accuracy": 0.9,
        },
        ValueError,
        "correct must be binary",
    ),
    (support.hold_out_intents, {"frame": MESSAGES, "intents": "a"}, TypeError, "list of intent names"),
    (support.hold_out_intents, {"frame": MESSAGES, "n_intents": 2}, ValueError, "fewer than two"),
    (support.hold_out_intents, {"frame": MESSAGES, "intents": ["a", None]}, ValueError, "intents has 1 missing"),
    (support.hold_out_intents, {"frame": MESSAGES, "n_intents": 1, "random_state": "x"}, TypeError, "random_state"),
    # answers
    (EXTRACTOR.predict, {"texts": [None]}, TypeError, r"texts\[0\] must be a string"),
    (
        support.EntityExtractor().fit,
        {"texts": ["a"], "entity_types": "account_type", "entity_values": ["Gold"]},
        TypeError,
        "entity_types must be a list",
    ),
    (
        support.EntityExtractor(gazetteer_types="account_type").fit,
        {"texts": ["a"], "entity_types": ["account_type"], "entity_values": ["Gold"]},
        TypeError,
        "gazetteer_types",
    ),
    (support.entity_scores, {"true_types": ["order_id"], "true_values": ["1"], "predicted": [1]}, TypeError, "pred"),
    (
        support.entity_scores,
        {"true_types": ["order_id", None], "true_values": ["1"], "predicted": ENTITIES},
        ValueError,
        "lengths differ",
    ),
    (
        support.compose_replies,
        {"intents": ["track", None], "entities": ENTITIES, "replies": REPLIES},
        ValueError,
        "intents has 1 missing",
    ),
    (
        support.compose_replies,
        {"intents": ["refund", "track"], "entities": ENTITIES, "replies": REPLIES},
        ValueError,
        r"no reply for intent\(s\) \['refund'\]",
    ),
    (
        support.compose_replies,
        {"intents": ["track", "track"], "entities": ENTITIES, "replies": ["Track it online."]},
        TypeError,
        "replies must be",
    ),
    (support.reply_by_similarity, {"texts": TEXTS, "replies": REPLIES.iloc[:0]}, ValueError, "replies is empty"),
    (
        support.reply_by_similarity,
        {"texts": TEXTS, "replies": REPLIES.assign(response=[None, "x"])},
        ValueError,
        r"replies\['response'\] has 1 missing",
    ),
    (support.reply_by_similarity, {"texts": "where is it", "replies": REPLIES}, TypeError, "texts must be a list"),
    (support.labels_as_typed, {"texts": "a text", "entity_types": [None], "entity_values": [None]}, TypeError, "texts"),
    (
        support.labels_as_typed,
        {"texts": ["a"], "entity_types": "order_id", "entity_values": ["1"]},
        TypeError,
        "entity_types",
    ),
    (
        support.labels_as_typed,
        {"texts": ["a"], "entity_types": ["order_id"], "entity_values": []},
        ValueError,
        "entity_values",
    ),
    # routing
    (
        support.routing_outcomes,
        {
            "true_intents": ["track"],
            "predicted_intents": ["track"],
            "score": [0.5],
            "threshold": "0.9",
            "queues": QUEUES,
        },
        TypeError,
        "threshold",
    ),
    (
        support.routing_outcomes,
        {
            "true_intents": ["track"],
            "predicted_intents": ["track"],
            "score": [0.5],
            "threshold": np.nan,
            "queues": QUEUES,
        },
        ValueError,
        "threshold",
    ),
    (
        support.routing_outcomes,
        {"true_intents": ["track"], "predicted_intents": [None], "score": [0.5], "threshold": 0.9, "queues": QUEUES},
        ValueError,
        "predicted_intents has 1 missing",
    ),
    (
        support.routing_outcomes,
        {
            "true_intents": ["track"],
            "predicted_intents": ["track"],
            "score": [0.5],
            "threshold": 0.9,
            "queues": [("track", "ORDER")],
        },
        TypeError,
        "queues must be a Mapping",
    ),
    (
        support.routing_outcomes,
        {"true_intents": ["track"], "predicted_intents": ["track"], "score": [1.5], "threshold": 0.9, "queues": QUEUES},
        ValueError,
        "score must",
    ),
    (support.routing_summary, {"outcomes": OUTCOMES.assign(automated=["yes", "no"])}, TypeError, r"\['automated'\]"),
    (support.routing_summary, {"outcomes": OUTCOMES, "per": 0}, ValueError, "per"),
    (support.queue_map, {"frame": MESSAGES, "queue_column": "category"}, ValueError, "category"),
    # choices on validation
    (support.epoch_grid, {"max_epochs": 0}, ValueError, "max_epochs"),
    (support.tune_house_model, {**TUNE, "fit_texts": "a text"}, TypeError, "fit_texts"),
    (support.tune_house_model, {**TUNE, "neural_weights": [1.5]}, ValueError, "neural_weights"),
    (support.tune_house_model, {**TUNE, "neural_weights": "0.5"}, TypeError, "neural_weights"),
    (support.tune_house_model, {**TUNE, "neural_weight": 0.5}, ValueError, "what tune_house_model chooses"),
    (support.tune_house_model, {**TUNE, "val_intents": INTENTS[:3]}, ValueError, "val_texts"),
    (support.out_of_scope_draws, {**DRAWS, "model": "svm"}, TypeError, "model must be an IntentClassifier"),
    (support.out_of_scope_draws, {**DRAWS, "fit": MESSAGES.drop(columns="text")}, ValueError, "fit"),
    (support.out_of_scope_draws, {**DRAWS, "n_draws": 0}, ValueError, "n_draws"),
    (support.out_of_scope_draws, {**DRAWS, "intents": ["nope"]}, ValueError, "not in the data"),
    (support.choose_oos_score, {"draws": [], "target_accuracy": 0.9}, TypeError, "draws must be"),
    (support.choose_oos_score, {"draws": [{}], "target_accuracy": 2}, ValueError, "target_accuracy"),
    (support.oos_test_report, {"draws": (), "score": "energy", "target_accuracy": 0.9}, TypeError, "draws"),
    (support.oos_test_report, {"draws": [{}], "score": "nope", "target_accuracy": 0.9}, ValueError, "score must"),
    (support.apply_threshold, {"score": SCORE, "correct": CORRECT, "threshold": 95}, ValueError, "threshold"),
    (support.apply_threshold, {"score": SCORE, "correct": CORRECT[:2], "threshold": 0.5}, ValueError, "correct"),
    # messages, answers
    (support.split_sizes, {"splits": [MESSAGES]}, TypeError, "splits must be"),
    (support.split_sizes, {"splits": {"x": (MESSAGES, MESSAGES)}}, TypeError, "tuple"),
    (support.reply_examples, {"texts": ["a"], "entities": ENTITIES.head(1), "replies": ["r"], "n": 0}, ValueError, "n"),
    (support.reply_examples, {"texts": ["a"], "entities": ENTITIES.head(1), "replies": []}, ValueError, "replies"),
    (
        support.unlabelled_extractions,
        {"entities": ENTITIES, "true_types": [None, None], "intents": ["a", None]},
        ValueError,
        "intents",
    ),  # fmt: skip
    (support.relabelled, {"labels_typed": ["1"], "labels": ["1", "2"]}, ValueError, "labels"),
    # sentences
    (support.describe_messages, {"name": 3, "messages": MESSAGES}, TypeError, "name"),
    (support.describe_messages, {"name": "x", "messages": MESSAGES.drop(columns="intent")}, ValueError, "intent"),
    (support.describe_baselines, {"similarity": "0.4", "majority": 0.1}, TypeError, "share"),
    (support.describe_tuning, {"table": MESSAGES}, ValueError, "mlp_max_iter"),
    (support.describe_published, {"accuracy": 0.9, "baseline": 0.8, "on_banking77": "yes"}, TypeError, "on_banking"),
    (support.describe_published, {"accuracy": 91.9, "baseline": 0.8, "on_banking77": True}, ValueError, "accuracy"),
    (support.published_table, {"accuracy": "0.9", "baseline": 0.8}, TypeError, "accuracy"),
    (support.describe_calibration, {"temperature": 0, "ece_raw": 0.1, "ece_scaled": 0.1}, ValueError, "temperature"),
    (
        support.describe_automation,
        {"chosen": {}, "applied": {}, "target_accuracy": 2, "name": "x"},
        ValueError,
        "target_accuracy",
    ),  # fmt: skip
    (support.describe_oos_choice, {"chosen": "nope", "table": OOS_TABLE, "n_draws": 3}, ValueError, "chosen"),
    (
        support.describe_oos_test,
        {"chosen": "energy", "report": {"means": {}, "intervals": {}}, "target_accuracy": "x"},
        TypeError,
        "target_accuracy",
    ),  # fmt: skip
    (
        support.describe_entities,
        {"entity": {}, "repaired": 0, "unlabelled": pd.Series(dtype=int), "right_reply": 0.9, "by_similarity": 0.4},
        ValueError,
        "entity must be",
    ),  # fmt: skip
    (support.describe_routing, {"view": MESSAGES, "right_queue": 0.9, "n_queues": 2}, ValueError, "messages"),
    (support.describe_bitext, {"accuracy": "high"}, TypeError, "accuracy"),
    (
        support.describe_decision,
        {"house_vs_best": 0.02, "best_baseline": "svm", "automation": {}, "oos_choice": "e", "oos_handed_over": 0.8},
        TypeError,
        "Interval",
    ),  # fmt: skip
    # plots
    (support.plot_reliability, {"tables": [pd.DataFrame()]}, TypeError, "tables must be a dict"),
    (support.plot_reliability, {"tables": {}}, ValueError, "tables is empty"),
    (
        support.plot_reliability,
        {"tables": {"m": stats.reliability_table([1], [0.9]).drop(columns="count")}},
        ValueError,
        "count",
    ),  # fmt: skip
    (
        support.plot_automation_curve,
        {"curves": {"test": support.automation_curve(SCORE, CORRECT)}, "target_accuracy": "0.9"},
        TypeError,
        "target_accuracy",
    ),
    # the hand-over loop (notebook 12)
    (support.HandoverData, {"messages": MESSAGES.drop(columns="intent")}, ValueError, "intent"),
    (support.HandoverData, {"messages": MESSAGES.assign(intent=[None, "b", "c"])}, ValueError, "missing"),
    (support.HandoverData, {"messages": MESSAGES, "n_new_intents": 3}, ValueError, "n_new_intents"),
    (
        support.HandoverData,
        {"messages": LOOP_MESSAGES, "n_new_intents": 1, "launch_share": 0},
        ValueError,
        "launch_share",
    ),
    (
        support.HandoverData,
        {"messages": LOOP_MESSAGES, "n_new_intents": 1, "messages_per_week": 2.5},
        TypeError,
        "messages_per_week",
    ),
    (support.HandoverLoop, {"data": LOOP_MESSAGES}, TypeError, "data must be a HandoverData"),
    (support.HandoverLoop, {"data": HANDOVER, "retrain_weeks": 0}, ValueError, "retrain_weeks"),
    (support.HandoverLoop, {"data": HANDOVER, "n_weeks": 1}, ValueError, "n_weeks"),
    (support.HandoverLoop, {"data": HANDOVER, "target_accuracy": 1.5}, ValueError, "target_accuracy"),
    (support.HandoverLoop, {"data": HANDOVER, "answered_share": 0}, ValueError, "answered_share"),
    (support.HandoverLoop, {"data": HANDOVER, "threshold_rule": "max"}, ValueError, "threshold_rule"),
    (
        support.feedback.cautious_threshold,
        {"score": SCORE, "correct": CORRECT, "target_accuracy": 2},
        ValueError,
        "target",
    ),
    (
        support.feedback.cautious_threshold,
        {"score": SCORE, "correct": CORRECT[:2], "target_accuracy": 0.9},
        ValueError,
        "same length|length",
    ),
    (support.handover_study, {"data": HANDOVER, "cadences": ["daily"]}, ValueError, "cadences"),
    (support.handover_study, {"data": HANDOVER, "cadences": "weekly"}, TypeError, "cadences"),
    (support.handover_study, {"data": LOOP_MESSAGES}, TypeError, "data must be a HandoverData"),
    (support.handover_table, {"histories": {}}, TypeError, "histories"),
    (support.handover_table, {"histories": {"never": HANDOVER_HISTORY}}, ValueError, "accuracy"),
    (support.feedback.hashed_features, {"texts": [1, 2]}, TypeError, "texts"),
    (support.plot_handover_weeks, {"histories": {"w": HANDOVER_HISTORY}, "metrics": ["x"]}, ValueError, "metrics"),
    (support.plot_handover_weeks, {"histories": []}, TypeError, "histories"),
    (support.handover_decision, {"table": HANDOVER_HISTORY}, ValueError, "automation_vs_next"),
    (
        support.describe_handover,
        {"table": HANDOVER_HISTORY, "target_accuracy": 0.9, "n_weeks": 2, "n_new_intents": 1},
        ValueError,
        "accuracy",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_thresholds_at_the_ends_keep_their_meaning():
    # 0 answers every message, 1 only the certain ones, inf (choose_threshold's "automate nothing") none
    actions = {t: support.hand_over(["a", "b"], [1.0, 0.4], threshold=t)["action"].tolist() for t in (0, 1, np.inf)}
    assert actions == {0: ["answer", "answer"], 1: ["answer", "hand_over"], np.inf: ["hand_over", "hand_over"]}
    assert support.choose_threshold([0.9, 0.3], [1, 1], target_accuracy=1.0)["automated"] == 1.0
    assert support.max_probability(PROBA.astype(np.float32)).tolist() == pytest.approx([0.7, 0.8])
