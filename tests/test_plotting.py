"""The shared charts (the comparison chart, a feedback loop's rounds): what they draw, and clear errors."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from shopai_lab.plotting import plot_differences, plot_rounds
from shopai_lab.simulation import rounds_summary
from shopai_lab.stats import Interval

INTERVALS = {
    "first": Interval(0.01, 0.0, 0.02, level=0.95, n=100, se=0.005),
    "second": Interval(-0.02, -0.03, -0.01, level=0.95, n=100, se=0.005),
}


@pytest.mark.parametrize("given", [INTERVALS, pd.Series(INTERVALS)], ids=["dict", "series"])
def test_points_intervals_order_and_scale(given):
    ax = plot_differences(given, "Gains", "Share (percentage points)", scale=100)
    (line, _, (bars,)) = ax.containers[0].lines
    assert np.allclose(line.get_xdata(), [1.0, -2.0])
    labels = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert labels == {1: "first", 0: "second"}  # the first row on top
    assert np.allclose(line.get_ydata(), [1, 0])
    segments = [seg[:, 0] for seg in bars.get_segments()]
    assert np.allclose(segments, [[0.0, 2.0], [-3.0, -1.0]])
    assert ax.get_legend() is None
    plt.close("all")


def test_a_sequence_is_labelled_by_position_and_the_legend_names_the_level():
    at_90 = [Interval(r.estimate, r.low, r.high, level=0.9, n=r.n, se=r.se) for r in INTERVALS.values()]
    ax = plot_differences(at_90, "T", "X", zero_label="baseline")
    labels = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert labels == {1: "0", 0: "1"}
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["90% interval", "baseline"]
    plt.close("all")


def test_zero_label_adds_a_legend_and_ylabel():
    ax = plot_differences(INTERVALS, "T", "X", ylabel="model", zero_label="baseline")
    assert ax.get_ylabel() == "model"
    assert "baseline" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close("all")


MIXED = {"a": INTERVALS["first"], "b": Interval(0.0, -0.1, 0.1, level=0.9, n=100, se=0.05)}
TABLE = pd.DataFrame({"difference": [0.01], "low": [0.0], "high": [0.02]})


@pytest.mark.parametrize(
    "intervals, kwargs, error, message",
    [
        ({}, {}, ValueError, "empty"),
        (INTERVALS, {"scale": 0}, ValueError, "scale"),
        (MIXED, {}, ValueError, "levels"),
        (TABLE, {}, TypeError, "DataFrame"),
        ({"a": {"difference": 0.01, "low": 0.0, "high": 0.02}}, {}, TypeError, r"intervals\['a'\]"),
        (0.5, {}, TypeError, "intervals"),
    ],
)
def test_bad_input(intervals, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_differences(intervals, "T", "X", **kwargs)
    plt.close("all")


HISTORY = pd.DataFrame({"seed": [0, 0, 1, 1, 2, 2], "round": [0, 1] * 3, "share": [0.2, 0.3, 0.4, 0.5, 0.3, 0.1]})


def test_rounds_plot_draws_each_rounds_mean_and_interval_on_the_given_scale():
    ax = plot_rounds(
        {"a": HISTORY}, "share", title="Share", ylabel="share (%)", percent=True, first_round=1, n_boot=200
    )
    summary = rounds_summary(HISTORY, "share", n_boot=200)
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), [1, 2])
    np.testing.assert_allclose(line.get_ydata(), 100 * summary["mean"].to_numpy())
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(100 * summary["low"].min()) and band.max() == pytest.approx(
        100 * summary["high"].max()
    )
    assert ax.get_title() == "Share (95% interval over 3 runs)" and ax.get_legend().get_title().get_text() == "policy"
    plt.close("all")


@pytest.mark.parametrize(
    "histories, kwargs, error, message",
    [
        ({}, {}, TypeError, "histories"),
        ([HISTORY], {}, TypeError, "histories"),
        ({"a": HISTORY}, {"metric": 3}, TypeError, "metric"),
        ({"a": HISTORY}, {"metric": "nothing"}, ValueError, "nothing"),
        ({"a": HISTORY}, {"percent": "yes"}, TypeError, "percent"),
    ],
)
def test_rounds_plot_bad_input(histories, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_rounds(histories, **{"metric": "share", "title": "T", "ylabel": "Y", **kwargs})
    plt.close("all")
