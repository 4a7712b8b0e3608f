"""Combinations learned on a validation planting, the choice among them, and the comparisons of notebook 08."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score

from shopai_lab import anomaly
from shopai_lab.anomaly import CalibratedMax, percentile_frame, rank_combine


def two_members(n=200):
    """Member "sure": its top 5 rows are all anomalies. Member "loose": its top 10 rows hold 5 anomalies."""
    sure = np.arange(n, dtype=float)  # rows n-5..n-1 on top
    loose = np.zeros(n)
    loose_top = [10, 0, 11, 1, 12, 2, 13, 3, 14, 4]  # from the top: normal, anomaly, normal, ... (0-4 anomalies)
    loose[loose_top] = 1000.0 + np.arange(10)[::-1]
    truth = np.zeros(n, bool)
    truth[[n - 5, n - 4, n - 3, n - 2, n - 1, 0, 1, 2, 3, 4]] = True
    return pd.DataFrame({"sure": sure, "loose": loose}), truth


def test_calibrated_max_puts_the_sure_members_hits_first():
    scores, truth = two_members()
    P = percentile_frame(scores)
    cm = CalibratedMax(["sure", "loose"]).fit(P, truth)
    prob = cm.member_probabilities(P)
    # isotonic regression: the sure member's top 5 are all anomalies (1.0); the loose member's top 10 are half (0.5)
    assert prob["sure"].iloc[-5:].tolist() == pytest.approx([1.0] * 5)
    assert prob["loose"].iloc[[0, 4, 10, 14]].tolist() == pytest.approx([0.5] * 4)
    combined = cm.combine(P)
    assert set(np.argsort(-combined)[:5]) == set(range(len(truth) - 5, len(truth)))
    assert average_precision_score(truth, combined) > average_precision_score(truth, rank_combine(scores, "max"))
    assert np.array_equal(rank_combine(scores, cm), combined)  # the same through the ensemble spec


def test_candidate_ensembles_learn_from_the_planting_and_score_all_uses_them(small_shop):
    planted = anomaly.inject_anomalies(small_shop, rate=0.05, random_state=1)
    X = anomaly.model_matrix(anomaly.invoice_features(planted.lines))
    detectors = anomaly.default_detectors(n_neighbors=10)
    scores = anomaly.score_all(X, detectors)
    ensembles = anomaly.candidate_ensembles(scores, planted.labels.reindex(X.index))
    assert isinstance(ensembles["calibrated forest + rules"][1], CalibratedMax)
    other = anomaly.inject_anomalies(small_shop, rate=0.05, random_state=2)
    chosen, table = anomaly.choose_ensemble(
        anomaly.model_matrix(anomaly.invoice_features(other.lines)), other.labels, detectors, ensembles
    )
    assert chosen in ensembles and list(table.index) == list(ensembles)
    assert table.loc[chosen, "average_precision"] == table["average_precision"].max()


def test_compare_with_best_single_is_chosen_minus_best():
    rng = np.random.default_rng(0)
    kind = np.where(rng.random(400) < 0.05, "price", "normal")
    good = np.where(kind == "price", 2.0, 0.0) + rng.normal(size=400)
    weak = np.where(kind == "price", 0.5, 0.0) + rng.normal(size=400)
    scores = pd.DataFrame({"ens": good, "rule": weak, "kind": kind})
    results = anomaly.metrics_by_kind(scores[["ens", "rule"]], pd.Series(kind)).assign(seed=0)
    best, diff, wins = anomaly.compare_with_best_single(results, {0: scores}, "ens", ["rule"], n_boot=200)
    truth = kind != "normal"
    expected = average_precision_score(truth, good) - average_precision_score(truth, weak)
    assert best == "rule" and wins == 1
    assert diff.estimate == pytest.approx(expected) and diff.low > 0


def test_learned_only_counts_by_hand():
    scores = pd.DataFrame(
        {
            "IsolationForest": [9.0, 8, 1, 2, 3, 4, 5, 6, 7, 0],
            "price rule": [0.0, 9, 0, 0, 0, 0, 0, 0, 0, 0],
            "kind": [
                "burst",
                "price",
                "normal",
                "normal",
                "normal",
                "normal",
                "normal",
                "normal",
                "normal",
                "quantity",
            ],
        }
    )
    # top 20%: the forest flags rows 0 and 1, the rule flags row 1 (its only non-zero)
    table = anomaly.learned_only_catches({0: scores}, 0.2, rules=["price rule"])
    assert table.loc["overall"].tolist() == [3, 2, 1, 1]
    assert table.loc["burst", "learned_only"] == 1 and table.loc["price", "learned_only"] == 0


def test_look_ahead_cost_is_the_gain_of_whole_period_medians(small_shop):
    detectors = {"price rule": anomaly.PriceRatioRule()}
    past = anomaly.injection_study(small_shop, detectors, seeds=[0], rate=0.05, progress=False)
    cost = anomaly.look_ahead_cost(small_shop, detectors, past, rate=0.05, progress=False)
    ahead = anomaly.injection_study(
        small_shop, detectors, seeds=[0], rate=0.05, progress=False, feature_options={"look_ahead": True}
    )
    expected = ahead.query("kind == 'overall'")["average_precision"].iloc[0]
    assert cost.loc["price rule", "look_ahead"] == pytest.approx(expected)
    assert cost.loc["price rule", "look_ahead_gain"] == pytest.approx(expected - cost.loc["price rule", "past_only"])
