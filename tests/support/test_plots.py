"""The reliability diagram: Wilson intervals as statsmodels computes them, and a count per bin."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from shopai_lab.stats import reliability_table
from shopai_lab.support import plot_reliability
from shopai_lab.support.plots import _wilson


@pytest.mark.parametrize(("successes", "n"), [(0, 3), (3, 3), (7, 10), (980, 1000)])
def test_wilson_interval_equals_statsmodels(successes, n):
    low, high = _wilson(np.array([successes], dtype=float), np.array([n], dtype=float))
    want = proportion_confint(successes, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose([low[0], high[0]], want, rtol=1e-6)


def test_reliability_plot_shows_every_bins_messages():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.4, 1.0, 500)
    correct = rng.random(500) < confidence
    table = reliability_table(correct, confidence, n_bins=15)
    top, bottom = plot_reliability({"model": table}, messages="validation messages")
    heights = sorted(p.get_height() for p in bottom.patches)
    assert heights == sorted(table["count"].tolist()) and sum(heights) == 500
    assert "validation messages" in top.get_title() and bottom.get_yscale() == "log"
    assert bottom.get_ylabel() == "messages in bin"
    assert top.get_ylabel() == "accuracy in bin (%)" and bottom.get_xlabel() == "mean confidence in bin (%)"
    plt.close("all")
