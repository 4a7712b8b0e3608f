"""Threshold logic, out-of-scope scores and the hold-out of whole intents."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import logsumexp

from shopai_lab.support import (
    NearestNeighbourScore,
    automation_curve,
    choose_threshold,
    energy_score,
    hand_over,
    hold_out_intents,
    max_probability,
    out_of_scope_report,
)


def test_curve_by_brute_force():
    rng = np.random.default_rng(3)
    score = np.round(rng.random(300), 2)
    correct = rng.random(300) < score
    curve = automation_curve(score, correct)
    for _, row in curve.sample(20, random_state=0).iterrows():
        kept = score >= row["threshold"]
        assert row["automated"] == pytest.approx(kept.mean())
        assert row["accuracy"] == pytest.approx(correct[kept].mean())
        assert row["errors"] == (~correct[kept]).sum()
    assert curve["automated"].is_monotonic_increasing and curve["automated"].iloc[-1] == 1.0


def test_threshold_is_the_lowest_meeting_the_target():
    rng = np.random.default_rng(4)
    score = rng.random(2000)
    correct = rng.random(2000) < score  # accuracy rises with score
    chosen = choose_threshold(score, correct, target_accuracy=0.9)
    kept = score >= chosen["threshold"]
    assert correct[kept].mean() >= 0.9
    lower = score[score < chosen["threshold"]]
    # any lower threshold would automate a share below target
    for t in np.sort(lower)[-50:]:
        assert correct[score >= t].mean() < 0.9
    assert chosen["automated"] == pytest.approx(kept.mean())


def test_unreachable_target_automates_nothing():
    chosen = choose_threshold([0.9, 0.8], [0, 0], 0.5)
    assert chosen["threshold"] == float("inf") and chosen["automated"] == 0.0 and np.isnan(chosen["accuracy"])
    actions = hand_over(["a", "b"], [0.9, 0.8], chosen["threshold"])
    assert (actions["action"] == "hand_over").all()


def test_energy_and_msp_known_answers():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    assert energy_score(logits) == pytest.approx(logsumexp(logits, axis=1))
    assert energy_score(logits, temperature=2.0) == pytest.approx(2 * logsumexp(logits / 2, axis=1))
    proba = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
    assert max_probability(proba)[1] == pytest.approx(1 / 3)


def test_nearest_neighbour_score_matches_brute_force():
    rng = np.random.default_rng(5)
    train, test = rng.random((40, 6)), rng.random((7, 6))
    scorer = NearestNeighbourScore(k=3, batch_size=3).fit(train)

    def unit(m):
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    sims = unit(test) @ unit(train).T
    expected = np.sort(sims, axis=1)[:, -3:].mean(axis=1)
    assert scorer.score_samples(test) == pytest.approx(expected)


def test_out_of_scope_report_perfect_separation():
    r = out_of_scope_report([0.9, 0.95, 0.99], [1, 1, 1], [0.92, 0.97], [1, 1], [0.1, 0.2, 0.3], 0.99)
    assert r["auroc"] == 1.0 and r["oos_handed_over"] == 1.0 and r["in_scope_automated"] == 1.0


def test_hold_out_intents_is_seeded_and_disjoint():
    frame = pd.DataFrame({"text": [f"m{i}" for i in range(60)], "intent": [f"i{i % 12}" for i in range(60)]})
    kept, unseen, held = hold_out_intents(frame, n_intents=3, random_state=7)
    again = hold_out_intents(frame, n_intents=3, random_state=7)[2]
    assert held == again and len(held) == 3
    assert set(unseen["intent"]) == set(held) and not set(kept["intent"]) & set(held)
    assert len(kept) + len(unseen) == len(frame)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: automation_curve([0.5, 0.4], [1]), ValueError, "score has 2, correct has 1"),
        (lambda: automation_curve([0.5], [0.5]), ValueError, "0/1"),
        (lambda: choose_threshold([0.5], [1], 0), ValueError, "target_accuracy"),
        (lambda: choose_threshold([0.5], [1], "high"), TypeError, "target_accuracy"),
        (lambda: hand_over(["a"], [0.5], "0.9"), TypeError, "threshold"),
        (lambda: energy_score([[1.0]], temperature=0), ValueError, "temperature"),
        (lambda: max_probability([0.5, 0.5]), ValueError, "2-D"),
        (lambda: NearestNeighbourScore(k=5).fit(np.eye(3)), ValueError, "at least k=5 rows"),
        (
            lambda: hold_out_intents(pd.DataFrame({"intent": ["a", "b", "c"]}), intents=["z"]),
            ValueError,
            r"\['z'\] are not in the data",
        ),
        (
            lambda: hold_out_intents(pd.DataFrame({"intent": ["a", "b", "c"]}), n_intents=2),
            ValueError,
            "fewer than two",
        ),
        (
            lambda: hold_out_intents(pd.DataFrame({"intent": ["a", "b", "c"]}), intents="a"),
            TypeError,
            "list of intent names",
        ),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
