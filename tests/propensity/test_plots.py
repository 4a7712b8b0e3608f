"""The plots of notebook 03: one line per model, the best threshold marked, months in calendar order."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from shopai_lab import propensity
from shopai_lab.stats import reliability_table


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


Y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
P = np.array([0.1, 0.9, 0.6, 0.4, 0.7, 0.2, 0.3, 0.8])


def test_reliability_diagram_has_one_line_per_model_and_the_diagonal():
    ax = propensity.plot_reliability(Y, {"a": P, "b": P**2}, n_bins=4)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["a", "b", "perfect calibration"]
    table = reliability_table(Y, P, n_bins=4)
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), table["predicted"])
    assert tuple(ax.figure.get_size_inches()) == (6, 6)
    with pytest.raises(ValueError, match="probabilities is empty"):
        propensity.plot_reliability(Y, {})
    with pytest.raises(ValueError, match="probability"):
        propensity.plot_reliability(Y, {"bad": P[:3]})


def test_threshold_profit_marks_the_best_threshold():
    curve = propensity.profit_curve(Y, P, incentive_cost=1.0, conversion_value=10.0)
    ax = propensity.plot_threshold_profit(curve, best_threshold=0.35, currency="EUR")
    assert ax.get_lines()[-1].get_xdata()[0] == 0.35
    assert ax.get_ylabel() == "Profit on the test sessions (EUR)"
    with pytest.raises(ValueError, match="curve"):
        propensity.plot_threshold_profit(curve.drop(columns="expected"), currency="EUR")


def test_incentive_profit_zooms_on_the_decision_region():
    """A curve far below zero at low thresholds must not flatten the region where the threshold is chosen."""
    thresholds = np.linspace(0, 1, 101)
    realised = np.where(thresholds < 0.3, -4300 * (0.3 - thresholds) / 0.3, 10 * np.sin(10 * thresholds))
    curve = pd.DataFrame({"threshold": thresholds, "realised": realised, "expected": realised})
    axes = propensity.plot_incentive_profit(curve, 0.52, break_even=0.5, currency="EUR")
    low, high = axes[1].get_ylim()
    assert -20 < low < 0 < high < 20  # the zoom spans the decision region's profits, not the -4,300 tail
    assert axes[0].get_ylim()[0] < -4000
    assert any(line.get_xdata()[0] == 0.52 for line in axes[1].get_lines())  # the chosen threshold is marked
    assert axes[1].get_ylabel() == "Profit on the test sessions (EUR)"
    with pytest.raises(ValueError, match="threshold"):
        propensity.plot_incentive_profit(curve, 1.5, currency="EUR")


def test_partial_dependence_panels_order_months_by_the_calendar():
    X = pd.DataFrame(
        {
            "Month": ["Nov", "Feb", "May", "Dec", "Mar", "Nov", "Feb", "Dec"],
            "pages": [3.0, 1.0, 2.0, 5.0, 1.0, 4.0, 0.0, 6.0],
        }
    )
    y = np.array([1, 0, 0, 1, 0, 1, 0, 1])
    model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression()).fit(X, y)
    axes = propensity.plot_partial_dependence(model, X, ["Month", "pages"], grid_size=5)
    assert [ax.get_title() for ax in axes] == ["Partial dependence on Month", "Partial dependence on pages"]
    assert [tick.get_text() for tick in axes[0].get_xticklabels()] == ["Feb", "Mar", "May", "Nov", "Dec"]
    assert tuple(axes[0].figure.get_size_inches()) == (11, 4)
    with pytest.raises(ValueError, match="features is empty"):
        propensity.plot_partial_dependence(model, X, [])
    with pytest.raises(TypeError, match="features"):
        propensity.plot_partial_dependence(model, X, "Month")
