"""Bad input to shopai_lab.anomaly: every row raises a clear error naming what is wrong, inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import anomaly
from tests._bad_input import check_row, pounds, row_ids, tiny_transactions

LINES = tiny_transactions()
FEATURES = anomaly.invoice_features(LINES)
X = anomaly.model_matrix(FEATURES)
Z = pd.DataFrame({"a": np.linspace(0.0, 1.0, 12), "b": np.linspace(1.0, 0.0, 12) ** 2})
FITTED = anomaly.RobustZDetector().fit(Z)
FITTED_ENSEMBLE = anomaly.RankEnsemble(detectors=[("z", anomaly.RobustZDetector())]).fit(Z)
LABELS = np.r_[np.ones(3), np.zeros(9)].astype(bool)
SCORES = np.linspace(1.0, 0.0, 12)
KINDS = pd.Series(["price"] * 3 + ["normal"] * 9, index=Z.index)
STUDY = pd.DataFrame({"detector": "z", "kind": "overall", "seed": 0, "average_precision": [0.5]})
QUEUE = pd.DataFrame({"rank": [1], "score": [0.9], "reasons": ["units"]})
MEMBERS = {"IsolationForest": SCORES, "price rule": SCORES[::-1], "quantity rule": SCORES, "repeat rule": SCORES}
MEMBER_SCORES = pd.DataFrame(MEMBERS, index=Z.index)
SEED_SCORES = {0: MEMBER_SCORES.assign(kind=KINDS.to_numpy())}
INTERVAL = anomaly.decide.Interval(0.1, 0.05, 0.15, level=0.95, n=12, se=0.02)
AP_BY_KIND = pd.DataFrame({"price": [0.5, 0.6]}, index=["ens", "price rule"])
RETURNS = LINES.iloc[:0]
REVIEW = pd.DataFrame({"seed": [0], "round": [0], "precision": [0.1]})
REVIEW_TABLE = pd.DataFrame({"found_so_far": [0.5], "precision": [0.1]}, index=["ensemble"])


ROWS = [
    # lines and features
    (anomaly.invoice_features, {"lines": pounds(LINES)}, TypeError, r"lines\['unit_price'\].*'£2.50'"),
    (anomaly.invoice_features, {"lines": LINES.assign(quantity="2")}, TypeError, r"lines\['quantity'\]"),
    (anomaly.invoice_features, {"lines": LINES.assign(quantity=np.inf)}, ValueError, r"lines\['quantity'\]"),
    (anomaly.invoice_features, {"lines": LINES, "price_tolerance": 1.0}, ValueError, "price_tolerance"),
    (anomaly.invoice_features, {"lines": LINES, "price_tolerance": "2"}, TypeError, "price_tolerance"),
    (anomaly.invoice_features, {"lines": LINES, "non_product_pattern": "(POST"}, ValueError, "non_product_pattern"),
    (anomaly.invoice_features, {"lines": LINES, "non_product_pattern": 3}, TypeError, "non_product_pattern"),
    (anomaly.product_lines, {"lines": pounds(LINES)}, TypeError, r"lines\['unit_price'\]"),
    (anomaly.product_lines, {"lines": LINES, "non_product_pattern": "(POST"}, ValueError, "non_product_pattern"),
    (anomaly.model_matrix, {"features": FEATURES.assign(units=np.nan)}, ValueError, r"features\['units'\]"),
    (anomaly.model_matrix, {"features": FEATURES.assign(hour=np.inf)}, ValueError, r"features\['hour'\]"),
    (anomaly.model_matrix, {"features": FEATURES.assign(units="5")}, TypeError, r"features\['units'\]"),
    (anomaly.model_matrix, {"features": FEATURES.assign(units=-1.0)}, ValueError, r"\['units'\] must not be neg"),
    (anomaly.model_matrix, {"features": FEATURES, "columns": "units"}, TypeError, "columns must be a list"),
    (anomaly.model_matrix, {"features": FEATURES, "columns": ["nope"]}, ValueError, "nope"),
    # detectors
    (anomaly.RobustZDetector().fit, {"X": Z.assign(a=np.nan)}, ValueError, r"X\['a'\] has missing"),
    (anomaly.RobustZDetector().fit, {"X": Z.to_numpy()}, TypeError, "X must be a pandas DataFrame"),
    (anomaly.RobustZDetector(two_sided="yes").fit, {"X": Z}, TypeError, "two_sided"),
    (anomaly.RobustZDetector(scale_floor=0).fit, {"X": Z}, ValueError, "scale_floor"),
    (FITTED.score_samples, {"X": Z[["a"]]}, ValueError, r"missing column\(s\) \['b'\]"),
    (FITTED.score_samples, {"X": Z.assign(b=np.inf)}, ValueError, r"X\['b'\]"),
    (anomaly.RobustZDetector().score_samples, {"X": Z}, ValueError, "not fitted"),
    (anomaly.LOFDetector(n_neighbors=12).fit, {"X": Z}, ValueError, "n_neighbors"),
    (anomaly.LOFDetector(n_neighbors=2.5).fit, {"X": Z}, TypeError, "n_neighbors"),
    (anomaly.IsolationForestDetector(n_estimators=0).fit, {"X": Z}, ValueError, "n_estimators"),
    (anomaly.IsolationForestDetector(random_state=-1).fit, {"X": Z}, ValueError, "random_state"),
    (anomaly.ColumnRule(column="nope").fit, {"X": Z}, ValueError, "nope"),
    (anomaly.ColumnRule(column=3).fit, {"X": Z}, TypeError, "column must be a string"),
    (anomaly.RankEnsemble(detectors=[]).fit, {"X": Z}, ValueError, "at least one"),
    (anomaly.RankEnsemble(detectors=[("z", "robust z")]).fit, {"X": Z}, TypeError, r"detectors\[0\]"),
    (anomaly.RankEnsemble(detectors=[anomaly.RobustZDetector()]).fit, {"X": Z}, TypeError, r"detectors\[0\]"),
    (
        anomaly.RankEnsemble(detectors=[("z", anomaly.RobustZDetector())], weights=[np.nan]).fit,
        {"X": Z},
        ValueError,
        "weights",
    ),
    (anomaly.percentiles, {"reference": [], "scores": [1.0]}, ValueError, "reference is empty"),
    (anomaly.percentiles, {"reference": [1.0, 2.0], "scores": [np.nan]}, ValueError, "scores"),
    (anomaly.rank_combine, {"scores": Z.to_numpy()}, TypeError, "scores must be a pandas DataFrame"),
    (anomaly.rank_combine, {"scores": Z.assign(a=np.nan)}, ValueError, r"scores\['a'\]"),
    (anomaly.rank_combine, {"scores": Z, "weights": [1.0]}, ValueError, "weights must have 2"),
    (anomaly.rank_combine, {"scores": Z, "weights": [1.0, -1.0]}, ValueError, "weights"),
    (anomaly.rank_combine, {"scores": Z, "combine": "median"}, ValueError, "combine"),
    (anomaly.contamination_threshold, {"scores": np.r_[np.nan, SCORES], "contamination": 0.05}, ValueError, "scores"),
    (anomaly.contamination_threshold, {"scores": [], "contamination": 0.05}, ValueError, "scores is empty"),
    (anomaly.contamination_threshold, {"scores": SCORES, "contamination": 0.6}, ValueError, "contamination"),
    (anomaly.default_detectors, {"n_neighbors": 0}, ValueError, "n_neighbors"),
    # evaluation
    (anomaly.detection_metrics, {"is_anomaly": SCORES, "scores": SCORES}, ValueError, "is_anomaly must be binary"),
    (anomaly.detection_metrics, {"is_anomaly": LABELS, "scores": SCORES[:5]}, ValueError, "lengths differ"),
    (anomaly.detection_metrics, {"is_anomaly": LABELS, "scores": np.r_[np.nan, SCORES[1:]]}, ValueError, "scores"),
    (anomaly.detection_metrics, {"is_anomaly": np.zeros(12), "scores": SCORES}, ValueError, "both anomalies"),
    (anomaly.detection_metrics, {"is_anomaly": LABELS, "scores": SCORES, "k": 0}, ValueError, "k must be >= 1"),
    (anomaly.precision_at_k, {"is_anomaly": LABELS[:5], "scores": SCORES, "k": 3}, ValueError, "lengths differ"),
    (anomaly.precision_at_k, {"is_anomaly": SCORES, "scores": SCORES, "k": 3}, ValueError, "is_anomaly must be bin"),
    (anomaly.precision_at_k, {"is_anomaly": LABELS, "scores": SCORES, "k": 13}, ValueError, "k=13"),
    (anomaly.metrics_by_kind, {"scores": Z, "labels": KINDS.iloc[:5]}, ValueError, "labels has 5"),
    (anomaly.metrics_by_kind, {"scores": Z, "labels": KINDS.where(KINDS != "price")}, ValueError, "labels has 3 miss"),
    (anomaly.metrics_by_kind, {"scores": Z, "labels": KINDS.tolist()}, TypeError, "labels must be a Series"),
    (anomaly.metrics_by_kind, {"scores": Z.assign(a="x"), "labels": KINDS}, TypeError, "scores must hold numeric"),
    (anomaly.score_all, {"X": Z, "detectors": [anomaly.RobustZDetector()]}, TypeError, "detectors must be a Mapping"),
    (
        anomaly.score_all,
        {"X": Z, "detectors": {"z": anomaly.RobustZDetector()}, "ensembles": {"e": ("z", "max")}},
        TypeError,
        r"ensembles\['e'\] members",
    ),
    (
        anomaly.score_all,
        {"X": Z, "detectors": {"z": anomaly.RobustZDetector()}, "ensembles": {"e": ["z"]}},
        TypeError,
        r"ensembles\['e'\] must be a pair",
    ),
    (anomaly.injection_study, {"lines": LINES, "detectors": {}, "seeds": 3}, TypeError, "seeds must be a list"),
    (anomaly.injection_study, {"lines": LINES, "detectors": {}, "seeds": [0.5]}, TypeError, "seeds"),
    (anomaly.injection_study, {"lines": LINES, "detectors": {}, "seeds": []}, ValueError, "seeds"),
    (anomaly.injection_study, {"lines": LINES, "detectors": {}, "rate": 0.7}, ValueError, "rate"),
    (anomaly.injection_study, {"lines": LINES, "detectors": {}, "progress": "no"}, TypeError, "progress"),
    (FITTED_ENSEMBLE.member_percentiles, {"X": Z, "in_sample": "yes"}, TypeError, "in_sample"),
    (anomaly.summarize_study, {"results": STUDY, "metric": "f1"}, ValueError, "f1"),
    (anomaly.local_outlier_factors, {"X": Z, "n_neighbors": 5}, TypeError, "n_neighbors must be a list"),
    (anomaly.local_outlier_factors, {"X": Z, "n_neighbors": [12]}, ValueError, "n_neighbors"),
    (anomaly.choose_n_neighbors, {"X": Z, "labels": KINDS.tolist()}, TypeError, "labels must be a Series"),
    (anomaly.choose_n_neighbors, {"X": Z, "labels": KINDS, "metric": "f1"}, ValueError, "metric"),
    (
        anomaly.reversal_labels,
        {"purchases": LINES, "returns": pounds(LINES).assign(quantity=["-1"] * 6)},
        TypeError,
        r"returns\['quantity'\]",
    ),
    (
        anomaly.reversal_labels,
        {"purchases": LINES.assign(timestamp=LINES["timestamp"].astype(str)), "returns": LINES},
        TypeError,
        r"purchases\['timestamp'\]",
    ),
    (anomaly.reversal_labels, {"purchases": LINES, "returns": LINES, "max_days": -1}, ValueError, "max_days"),
    # planting anomalies
    (anomaly.inject_anomalies, {"lines": LINES, "kinds": "price"}, TypeError, "kinds must be a list"),
    (anomaly.inject_anomalies, {"lines": LINES, "kinds": ["typo"]}, ValueError, "kinds"),
    (anomaly.inject_anomalies, {"lines": LINES, "rate": 0.0}, ValueError, "rate"),
    (anomaly.inject_anomalies, {"lines": pounds(LINES)}, TypeError, r"lines\['unit_price'\]"),
    (anomaly.inject_anomalies, {"lines": LINES, "quantity_factor": (10.0, 1.0)}, ValueError, "quantity_factor"),
    (anomaly.inject_anomalies, {"lines": LINES, "burst_size": (2.5, 4)}, TypeError, "burst_size"),
    (anomaly.inject_anomalies, {"lines": LINES, "burst_minutes": 0}, ValueError, "burst_minutes"),
    (anomaly.inject_anomalies, {"lines": LINES, "random_state": 1.5}, TypeError, "random_state"),
    # review
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": np.full(len(FEATURES), np.nan)},
        ValueError,
        "scores",
    ),
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": ["1"] * len(FEATURES)},
        TypeError,
        "scores",
    ),
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": np.ones(2)},
        ValueError,
        "one value per invoice",
    ),
    (
        anomaly.review_queue,
        {
            "features": FEATURES,
            "currency": "GBP",
            "scores": pd.Series(1.0, index=FEATURES.index[:2]),
        },
        ValueError,
        "no value for some invoices",
    ),
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": np.ones(len(FEATURES)), "top_n": 0},
        ValueError,
        "top_n",
    ),
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": np.ones(len(FEATURES)), "extra": [1]},
        TypeError,
        "extra must be a pandas DataFrame",
    ),
    (
        anomaly.explain,
        {"features": FEATURES, "currency": "GBP", "rows": FEATURES.index[0]},
        TypeError,
        "rows must be a list",
    ),
    (anomaly.explain, {"features": FEATURES, "currency": "GBP", "rows": ["nope"]}, ValueError, "not in features"),
    (
        anomaly.explain,
        {"features": FEATURES, "currency": "GBP", "rows": FEATURES.index[:1], "min_z": np.nan},
        ValueError,
        "min_z",
    ),
    (anomaly.explain, {"features": FEATURES, "rows": FEATURES.index[:1], "currency": 3}, TypeError, "currency"),
    (anomaly.export_review_queue, {"queue": QUEUE, "path": "/no/such/folder/queue.csv"}, ValueError, "folder"),
    (anomaly.export_review_queue, {"queue": QUEUE.drop(columns="reasons"), "path": "q.csv"}, ValueError, "reasons"),
    # past-only features, combinations and choices (issue 22)
    (anomaly.past_medians, {"groups": ["x"], "times": [0], "values": [1.0], "reference_lines": 0}, ValueError, "ref"),
    (anomaly.past_medians, {"groups": ["x"], "times": [0], "values": [1.0], "min_history": 1.5}, TypeError, "min_h"),
    (anomaly.past_medians, {"groups": ["x", "y"], "times": [0], "values": [1.0]}, ValueError, "same length"),
    (anomaly.past_medians, {"groups": ["x"], "times": [0], "values": ["1"]}, TypeError, "values"),
    (anomaly.invoice_features, {"lines": LINES, "look_ahead": "yes"}, TypeError, "look_ahead"),
    (anomaly.invoice_features, {"lines": LINES, "reference_lines": 0}, ValueError, "reference_lines"),
    (anomaly.invoice_features, {"lines": LINES, "min_history": 0}, ValueError, "min_history"),
    (anomaly.CalibratedMax, {"members": "price rule"}, TypeError, "members"),
    (anomaly.CalibratedMax, {"members": []}, ValueError, "members"),
    (
        anomaly.CalibratedMax(["c"]).fit,
        {"percentiles": Z, "is_anomaly": LABELS},
        ValueError,
        r"member column\(s\) \['c'\]",
    ),
    (anomaly.CalibratedMax(["a"]).fit, {"percentiles": Z, "is_anomaly": SCORES}, ValueError, "is_anomaly must be bin"),
    (anomaly.CalibratedMax(["a"]).fit, {"percentiles": Z, "is_anomaly": LABELS[:3]}, ValueError, "is_anomaly has 3"),
    (anomaly.CalibratedMax(["a"]).combine, {"percentiles": Z}, ValueError, "not fitted"),
    (anomaly.percentile_frame, {"scores": Z.assign(a=np.nan)}, ValueError, r"scores\['a'\]"),
    (anomaly.candidate_ensembles, {"scores": Z, "labels": KINDS}, ValueError, "missing detector"),
    (anomaly.candidate_ensembles, {"scores": MEMBER_SCORES, "labels": KINDS.tolist()}, TypeError, "labels must be a"),
    (anomaly.candidate_ensembles, {"scores": MEMBER_SCORES, "labels": KINDS.iloc[:3]}, ValueError, "labels has 3"),
    (anomaly.choose_ensemble, {"X": Z, "labels": KINDS.tolist(), "detectors": {}, "ensembles": {}}, TypeError, "lab"),
    (
        anomaly.compare_with_best_single,
        {"results": STUDY, "seed_scores": SEED_SCORES, "chosen": "nope", "singles": ["z"]},
        ValueError,
        "nope",
    ),
    (
        anomaly.compare_with_best_single,
        {"results": STUDY, "seed_scores": SEED_SCORES, "chosen": "z", "singles": ["z"], "n_boot": 0},
        ValueError,
        "n_boot",
    ),
    (
        anomaly.compare_with_best_single,
        {"results": QUEUE, "seed_scores": {}, "chosen": "z", "singles": []},
        ValueError,
        "det",
    ),
    (anomaly.look_ahead_cost, {"lines": LINES, "detectors": {}, "past_only": QUEUE}, ValueError, "past_only"),
    (anomaly.learned_only_catches, {"seed_scores": SEED_SCORES, "contamination": 0.0}, ValueError, "contamination"),
    (anomaly.learned_only_catches, {"seed_scores": {0: Z}, "contamination": 0.1}, ValueError, "seed_scores"),
    (
        anomaly.learned_only_catches,
        {"seed_scores": SEED_SCORES, "contamination": 0.1, "rules": "price rule"},
        TypeError,
        "rules",
    ),
    (anomaly.evaluation_seeds, {"seed": 0, "n_seeds": 3, "validation_seeds": [2]}, ValueError, "validation planting"),
    (anomaly.evaluation_seeds, {"seed": -1, "n_seeds": 3, "validation_seeds": []}, ValueError, "seed"),
    (anomaly.evaluation_seeds, {"seed": 0, "n_seeds": 0, "validation_seeds": []}, ValueError, "n_seeds"),
    (
        anomaly.reversal_table,
        {
            "purchases": LINES,
            "returns": LINES,
            "scores": MEMBER_SCORES,
            "detectors": ["nope"],
            "lift_detector": "price rule",
        },
        ValueError,
        "nope",
    ),
    (
        anomaly.reversal_table,
        {
            "purchases": LINES,
            "returns": LINES,
            "scores": MEMBER_SCORES,
            "detectors": [],
            "lift_detector": "price rule",
            "top": 0,
        },
        ValueError,
        "top",
    ),
    (
        anomaly.episodes,
        {"features": FEATURES, "order": np.arange(3), "top_n": 2, "episode_days": -1},
        ValueError,
        "episode_days",
    ),
    (
        anomaly.episodes,
        {"features": FEATURES, "order": np.arange(3), "top_n": 0, "episode_days": 1},
        ValueError,
        "top_n",
    ),
    (
        anomaly.episodes,
        {"features": Z, "order": np.arange(3), "top_n": 2, "episode_days": 1},
        ValueError,
        "customer_id",
    ),
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": np.ones(len(FEATURES)), "episode_days": "1"},
        TypeError,
        "episode_days",
    ),
    (
        anomaly.review_queue,
        {"features": FEATURES, "currency": "GBP", "scores": np.ones(len(FEATURES)), "scan": 0},
        ValueError,
        "scan",
    ),
    (anomaly.plot_precision_recall, {"scores": MEMBER_SCORES, "detectors": ["price rule"]}, ValueError, "kind"),
    (anomaly.plot_precision_recall, {"scores": SEED_SCORES[0], "detectors": "price rule"}, TypeError, "detectors"),
    (anomaly.plot_ap_by_kind, {"results": QUEUE, "order": ["z"]}, ValueError, "detector"),
    # generated sentences
    (anomaly.reading.describe_data, {"features": Z}, ValueError, "customer_id"),
    (anomaly.reading.describe_lof_choice, {"n_neighbors": 0, "auc": Z}, ValueError, "n_neighbors"),
    (anomaly.reading.describe_ensemble_choice, {"chosen": "nope", "table": STUDY}, ValueError, "nope"),
    (
        anomaly.reading.describe_comparison,
        {"chosen": "a", "best": "b", "diff": {"low": 0}, "wins": 1, "n_sets": 1, "first_seed": 0},
        TypeError,
        "diff",
    ),
    (
        anomaly.reading.describe_comparison,
        {"chosen": "a", "best": "b", "diff": INTERVAL, "wins": 2, "n_sets": 1, "first_seed": 0},
        ValueError,
        "wins",
    ),
    (anomaly.reading.recommended, {"chosen": "a", "best": "b", "diff": 0.1}, TypeError, "diff"),
    (
        anomaly.reading.describe_kinds,
        {"ap_by_kind": AP_BY_KIND, "chosen": "nope", "singles": ["price rule"]},
        ValueError,
        "nope",
    ),
    (anomaly.reading.describe_kinds, {"ap_by_kind": AP_BY_KIND, "chosen": "ens", "singles": ["z"]}, ValueError, "z"),
    (anomaly.reading.describe_look_ahead, {"cost": STUDY, "names": ["z"]}, ValueError, "past_only"),
    (anomaly.reading.describe_learned_only, {"catches": STUDY, "contamination": 0.01}, ValueError, "planted"),
    (anomaly.reading.describe_queue, {"queue": QUEUE, "currency": "GBP"}, ValueError, "episode_invoices"),
    (
        anomaly.reading.describe_flagging,
        {
            "flagged": pd.Series([True]),
            "reversed_": pd.Series([True, False]),
            "weeks": 1,
            "contamination": 0.1,
            "days": 1,
        },
        ValueError,
        "same length",
    ),
    (anomaly.reading.describe_reversal, {"table": STUDY, "detector": "z", "days": 1}, ValueError, "reversed share"),
    # the review loop (notebook 12)
    (anomaly.ReviewData, {"purchases": LINES.drop(columns="item_id"), "returns": RETURNS}, ValueError, "item_id"),
    (anomaly.ReviewData, {"purchases": LINES, "returns": RETURNS, "rate": 0.9}, ValueError, "rate"),
    (anomaly.ReviewData, {"purchases": LINES, "returns": RETURNS, "late_kind": "fraud"}, ValueError, "late_kind"),
    (anomaly.ReviewData, {"purchases": LINES, "returns": RETURNS, "launch_weeks": 0}, ValueError, "launch_weeks"),
    (anomaly.ReviewData, {"purchases": LINES, "returns": RETURNS}, ValueError, "launch weeks hold"),
    (anomaly.ReviewLoop, {"data": LINES}, TypeError, "data must be a ReviewData"),
    (anomaly.feedback.review_policies, {"explore_shares": "0.1"}, TypeError, "explore_shares"),
    (anomaly.feedback.review_policies, {"explore_shares": [0.0]}, ValueError, "explore_shares"),
    (anomaly.review_study, {"data": LINES}, TypeError, "data must be a ReviewData"),
    (anomaly.review_table, {"histories": {}}, TypeError, "histories"),
    (anomaly.review_table, {"histories": {"ensemble": REVIEW, "supervised": REVIEW}}, ValueError, "found_so_far"),
    (anomaly.review_table, {"histories": {"ensemble": REVIEW}}, ValueError, "top_only"),
    (anomaly.review_table, {"histories": {"x": REVIEW}}, ValueError, "baseline"),
    (anomaly.feedback.seed_means, {"history": REVIEW, "metric": "recall"}, ValueError, "recall"),
    (anomaly.feedback.LabelModel().fit, {"X": Z, "y": np.zeros(12, bool)}, ValueError, "both anomalous"),
    (anomaly.feedback.LabelModel().fit, {"X": Z, "y": LABELS[:5]}, ValueError, "5 labels"),
    (anomaly.feedback.LabelModel().predict_proba, {"X": Z}, ValueError, "not fitted"),
    (anomaly.plot_review_weeks, {"histories": {"e": REVIEW}, "metrics": ["nope"]}, ValueError, "metrics"),
    (anomaly.plot_review_weeks, {"histories": []}, TypeError, "histories"),
    (anomaly.reading.review_decision, {"table": REVIEW_TABLE}, ValueError, "found_vs_top"),
    (anomaly.reading.describe_review, {"table": REVIEW_TABLE, "budget": 5, "n_weeks": 2}, ValueError, "found_vs_top"),
    (anomaly.reading.describe_unlabelled, {"table": REVIEW_TABLE}, ValueError, "recall_unlabelled_kinds"),
    (anomaly.feedback.world_summary, {"data": LINES, "seed": 0, "n_weeks": 2}, TypeError, "data must be a ReviewData"),
    (
        anomaly.reading.describe_review_world,
        {"summary": REVIEW_TABLE, "budget": 5, "launch_weeks": 2, "late_kind": None},
        ValueError,
        "invoices",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_labels_as_booleans_or_0_1_give_the_same_metrics():
    as_bool = anomaly.detection_metrics(LABELS, SCORES)
    assert anomaly.detection_metrics(LABELS.astype(int), SCORES) == as_bool
    assert anomaly.detection_metrics(LABELS.astype(float).tolist(), SCORES) == as_bool
