"""The plots of notebook 04 draw what they say, on the axes they are given."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from shopai_lab import pricing


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_relative_profit_peaks_at_one_for_every_model():
    models = {
        "linear": pricing.LinearDemand(a=250, b=4),
        "logit": pricing.LogitDemand(alpha=3.0, beta=0.1, market_size=1000),
    }
    grid = np.linspace(6.5, 60, 300)
    ax = pricing.plot_relative_profit(models, grid, unit_cost=6.0, currency="EUR")
    assert [line.get_label() for line in ax.get_lines()] == ["linear", "logit"]
    for line in ax.get_lines():
        assert max(line.get_ydata()) == pytest.approx(1.0, abs=1e-3)
    assert ax.get_ylim() == (0, 1.05)
    assert "EUR 6" in ax.get_title()
    with pytest.raises(TypeError, match="models"):
        pricing.plot_relative_profit([pricing.LinearDemand(a=1, b=1)], grid, unit_cost=0.0, currency="EUR")


def test_regret_plot_has_a_band_per_policy_and_an_optional_symlog_axis():
    _, runs = pricing.race([pricing.ThompsonSampling(), pricing.UCB1()], [29.9, 34.9], [0.8, 0.6], horizon=50, n_runs=4)
    fig, ax = plt.subplots()
    assert pricing.plot_regret(runs, ax=ax, currency="EUR", symlog_threshold=100) is ax
    assert ax.get_yscale() == "symlog"
    assert len(ax.get_lines()) == 2 and len(ax.collections) == 2
    assert pricing.plot_regret(runs, currency="EUR").get_yscale() == "linear"
    assert ax.get_ylabel() == "Cumulative regret (EUR)"
    with pytest.raises(ValueError, match="symlog_threshold"):
        pricing.plot_regret(runs, currency="EUR", symlog_threshold=0)
