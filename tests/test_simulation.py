"""The feedback-loop contract (shopai_lab.simulation): runs are seeded and deterministic, summaries match a
known expectation, paired comparisons pair by seed, and bad loops or inputs get a clear error."""

import pandas as pd
import pytest

from shopai_lab.simulation import FeedbackLoop, compare_loops, rounds_summary, run_loop
from tests._bad_input import check_row, row_ids


class Coins(FeedbackLoop):
    """Each round flips ``n`` coins of bias ``p``; the metric is the share of heads so far (known mean p)."""

    def __init__(self, p=0.5, n=200):
        self.p, self.n = p, n

    def reset(self, rng):
        return (0, 0)

    def step(self, state, round_index, rng):
        heads, flips = state
        heads += int((rng.random(self.n) < self.p).sum())
        flips += self.n
        return (heads, flips), {"share_heads": heads / flips, "flips": flips}


class Bad(FeedbackLoop):
    def __init__(self, metrics):
        self.metrics = metrics

    def reset(self, rng):
        return None

    def step(self, state, round_index, rng):
        return None, self.metrics


def test_run_is_deterministic_and_tidy():
    first = run_loop(Coins(), n_rounds=4, seeds=[3, 1])
    again = run_loop(Coins(), n_rounds=4, seeds=[3, 1])
    pd.testing.assert_frame_equal(first, again)
    assert first[["seed", "round"]].to_numpy().tolist() == [
        [3, 0],
        [3, 1],
        [3, 2],
        [3, 3],
        [1, 0],
        [1, 1],
        [1, 2],
        [1, 3],
    ]
    assert first["flips"].tolist() == [200.0, 400.0, 600.0, 800.0] * 2


def test_summary_covers_the_known_expectation():
    history = run_loop(Coins(p=0.3), n_rounds=3, seeds=range(30))
    summary = rounds_summary(history, "share_heads")
    assert summary["n_seeds"].eq(30).all() and summary["round"].tolist() == [0, 1, 2]
    assert ((summary["low"] < 0.3) & (0.3 < summary["high"])).all()
    # the interval narrows as flips accumulate: sd of the share is sqrt(p(1-p)/n)/sqrt(seeds)
    width = (summary["high"] - summary["low"]).to_numpy()
    assert width[2] < width[0]


def test_one_seed_has_no_interval():
    summary = rounds_summary(run_loop(Coins(), n_rounds=2, seeds=[0]))
    assert (summary["low"] == summary["mean"]).all() and (summary["high"] == summary["mean"]).all()


def test_compare_pairs_by_seed_and_recovers_a_known_gap():
    a = run_loop(Coins(p=0.4), n_rounds=2, seeds=range(12))
    b = run_loop(Coins(p=0.6), n_rounds=2, seeds=range(12))
    gap = compare_loops(a, b, "share_heads")
    assert gap.n == 12 and gap.low < 0.2 < gap.high and gap.excludes_zero
    # same seeds, same coin: the paired gap is exactly zero
    assert compare_loops(a, a, "share_heads").estimate == 0.0


def test_progress_is_called_once_per_round():
    calls = []
    run_loop(Coins(), n_rounds=3, seeds=[0, 1], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 6) for i in range(1, 7)]


ROWS = [
    (run_loop, {"loop": object(), "n_rounds": 2}, TypeError, "loop"),
    (run_loop, {"loop": Coins(), "n_rounds": 0}, ValueError, "n_rounds"),
    (run_loop, {"loop": Coins(), "n_rounds": 2, "seeds": "12"}, TypeError, "seeds must be an iterable"),
    (run_loop, {"loop": Coins(), "n_rounds": 2, "seeds": [1, 1]}, ValueError, "seeds must be distinct"),
    (run_loop, {"loop": Coins(), "n_rounds": 2, "seeds": []}, ValueError, "seeds must be one or more"),
    (run_loop, {"loop": Coins(), "n_rounds": 2, "progress": 3}, TypeError, "progress"),
    (run_loop, {"loop": Bad([1.0]), "n_rounds": 1}, TypeError, "metrics a non-empty mapping"),
    (run_loop, {"loop": Bad({"round": 1.0}), "n_rounds": 1}, ValueError, "a metric named 'round'"),
    (run_loop, {"loop": Bad({"utility": "high"}), "n_rounds": 1}, TypeError, "metric 'utility' = 'high'"),
    (rounds_summary, {"history": pd.DataFrame({"seed": [0]})}, ValueError, r"missing column\(s\) \['round'\]"),
    (rounds_summary, {"history": pd.DataFrame({"seed": [0], "round": [0]}), "metrics": "x"}, ValueError, "'x'"),
    (
        compare_loops,
        {
            "a": pd.DataFrame({"seed": [0], "round": [0], "u": [1.0]}),
            "b": pd.DataFrame({"seed": [0], "round": [0], "u": [2.0]}),
            "metric": "u",
        },
        ValueError,
        "share 1 seed",
    ),
    (
        compare_loops,
        {
            "a": pd.DataFrame({"seed": [0, 0], "round": [0, 0], "u": [1.0, 2.0]}),
            "b": pd.DataFrame({"seed": [0], "round": [0], "u": [2.0]}),
            "metric": "u",
        },
        ValueError,
        "more than one row",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
