"""The shared comparison chart: points, intervals, order, scale and clear errors."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from shopai_lab.plotting import plot_differences

TABLE = pd.DataFrame(
    {"difference": [0.01, -0.02], "low": [0.0, -0.03], "high": [0.02, -0.01]}, index=["first", "second"]
)


def test_points_intervals_order_and_scale():
    ax = plot_differences(TABLE, "Gains", "Share (percentage points)", scale=100)
    (line, _, (bars,)) = ax.containers[0].lines
    assert np.allclose(line.get_xdata(), [1.0, -2.0])
    labels = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert labels == {1: "first", 0: "second"}  # the first row on top
    assert np.allclose(line.get_ydata(), [1, 0])
    segments = [seg[:, 0] for seg in bars.get_segments()]
    assert np.allclose(segments, [[0.0, 2.0], [-3.0, -1.0]])
    assert ax.get_legend() is None
    plt.close("all")


def test_zero_label_adds_a_legend_and_ylabel():
    ax = plot_differences(TABLE, "T", "X", ylabel="model", zero_label="baseline")
    assert ax.get_ylabel() == "model"
    assert "baseline" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close("all")


@pytest.mark.parametrize(
    "table, kwargs, error, message",
    [
        (TABLE.drop(columns="low"), {}, ValueError, "low"),
        (TABLE.iloc[:0], {}, ValueError, "empty"),
        (TABLE, {"scale": 0}, ValueError, "scale"),
    ],
)
def test_bad_input(table, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_differences(table, "T", "X", **kwargs)
    plt.close("all")
