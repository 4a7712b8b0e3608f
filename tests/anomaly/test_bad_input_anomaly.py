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
        {"features": FEATURES, "currency": "GBP", "scores": pd.Series(1.0, index=FEATURES.index[:2])},
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
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_labels_as_booleans_or_0_1_give_the_same_metrics():
    as_bool = anomaly.detection_metrics(LABELS, SCORES)
    assert anomaly.detection_metrics(LABELS.astype(int), SCORES) == as_bool
    assert anomaly.detection_metrics(LABELS.astype(float).tolist(), SCORES) == as_bool
