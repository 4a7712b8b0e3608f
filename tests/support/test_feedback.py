"""The hand-over loop (notebook 12, part 3): known answers on a small corpus of easy intents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shopai_lab import support
from shopai_lab.simulation import run_loop
from shopai_lab.support.feedback import CADENCES, HandoverData, HandoverLoop, handover_study, handover_table

FILLER = ["please", "my", "the", "now", "help", "today", "account", "thanks", "hello", "again", "card", "why"]


@pytest.fixture(scope="module")
def handover_data() -> HandoverData:
    """8 intents of 60 messages: each message names its intent's two words among random filler."""
    rng = np.random.default_rng(5)
    rows = []
    for k in range(8):
        for _ in range(60):
            words = [f"topic{k}", f"thing{k}", *rng.choice(FILLER, size=4)]
            rows.append((" ".join(rng.permutation(words)), f"intent_{k}"))
    messages = pd.DataFrame(rows, columns=["text", "intent"])
    return HandoverData(messages, n_new_intents=2, launch_share=0.3, messages_per_week=40)


def test_never_retraining_never_answers_a_new_intent(handover_data):
    history = run_loop(HandoverLoop(handover_data, retrain_weeks=None, n_weeks=6), n_rounds=6, seeds=[0, 1])
    assert history["new_answered"].fillna(0).eq(0).all()
    last = history[history["round"] == 5]
    assert last["share_answered"].eq(0).all()
    # a new intent never answered counts every week it was seen
    assert last["weeks_to_answer"].gt(0).all()


def test_weekly_retraining_learns_the_new_intents_from_the_hand_overs(handover_data):
    history = run_loop(HandoverLoop(handover_data, retrain_weeks=1, n_weeks=6), n_rounds=6, seeds=[0, 1])
    last = history[history["round"] == 5]
    assert last["share_answered"].gt(0).all()
    assert history["new_answered"].max() > 0.5


def test_runs_are_deterministic(handover_data):
    loop = HandoverLoop(handover_data, retrain_weeks=2, n_weeks=5)
    pd.testing.assert_frame_equal(run_loop(loop, 5, [3, 4]), run_loop(loop, 5, [3, 4]))


def test_every_cadence_of_a_seed_sees_the_same_messages(handover_data):
    histories = handover_study(handover_data, n_weeks=5, seeds=range(3))
    assert list(histories) == list(CADENCES)
    # week 0 is played by the same launch model on the same messages, whatever the cadence
    first = [h.loc[h["round"] == 0, ["automation", "accuracy", "threshold"]].to_numpy() for h in histories.values()]
    assert all(np.array_equal(first[0], other, equal_nan=True) for other in first[1:])
    table = handover_table(histories, n_boot=200)
    assert table.loc["never", "automation_change"] is None and table.loc["never", "automation_vs_next"] is None
    assert support.handover_decision(table) in CADENCES
    assert "Decision" in support.describe_handover(table, 0.9, 5, handover_data.n_new_intents)


def test_more_rounds_than_weeks_is_a_clear_error(handover_data):
    with pytest.raises(ValueError, match="n_weeks"):
        run_loop(HandoverLoop(handover_data, n_weeks=3), n_rounds=4, seeds=[0])


def test_the_cautious_threshold_asks_the_wilson_lower_bound_to_reach_the_target():
    # 50 audited answers, all right: the 95% Wilson lower bound is 50 / (50 + 1.96**2) = 0.9287
    score, correct = np.linspace(1, 0.5, 50), np.ones(50, bool)
    assert support.feedback.cautious_threshold(score, correct, 0.92) == 0.5
    assert support.feedback.cautious_threshold(score, correct, 0.93) == np.inf
    assert support.choose_threshold(score, correct, 0.93)["threshold"] == 0.5  # the estimate alone says yes
