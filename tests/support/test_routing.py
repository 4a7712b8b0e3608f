"""Intent-to-queue routing and the operator's summary."""

import pandas as pd
import pytest

from shopai_lab.data import load_bitext
from shopai_lab.support import queue_map, routing_outcomes, routing_summary


def test_bitext_has_eleven_queues():
    queues = queue_map(load_bitext())
    assert len(queues) == 27 and len(set(queues.values())) == 11
    assert queues["track_order"] == "ORDER" and queues["get_refund"] == "REFUND"


def test_summary_adds_up_and_counts_by_hand():
    queues = {"a": "X", "b": "X", "c": "Y"}
    out = routing_outcomes(["a", "b", "c", "c"], ["a", "a", "b", "c"], [0.95, 0.4, 0.3, 0.2], 0.9, queues)
    assert out["automated"].tolist() == [True, False, False, False]
    assert out["right_queue"].tolist() == [True, True, False, True]
    summary = routing_summary(out, per=4)["messages"]
    assert summary.sum() == pytest.approx(4)
    assert summary["answered automatically and right"] == 1
    assert summary["handed over to the right queue"] == 2 and summary["handed over to a wrong queue"] == 1


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: queue_map(pd.DataFrame({"intent": ["a", "a"], "category": ["X", "Y"]})), ValueError, "more than one"),
        (lambda: routing_outcomes(["a"], ["z"], [0.5], 0.9, {"a": "X"}), ValueError, r"\['z'\] have no queue"),
        (lambda: routing_outcomes(["a"], ["a", "a"], [0.5], 0.9, {"a": "X"}), ValueError, "lengths differ"),
        (lambda: routing_summary(pd.DataFrame({"automated": []}), 10), ValueError, "missing column"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
