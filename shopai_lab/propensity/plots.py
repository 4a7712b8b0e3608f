"""Plots of notebook 03: reliability diagram, targeting profit against the threshold, partial dependence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns, require_instance, require_number, require_strings
from shopai_lab.plotting import _axes
from shopai_lab.propensity.calibration import reliability_table
from shopai_lab.propensity.explain import partial_dependence

#: Month labels in calendar order, as the UCI sessions spell them (both "Jun" and "June" occur).
CALENDAR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "June", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plot_reliability(
    y_true, probabilities: Mapping[str, np.ndarray], n_bins: int = 10, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Reliability diagram: observed purchase rate against mean predicted probability, per bin.

    Parameters
    ----------
    y_true
        0/1 outcomes.
    probabilities
        Predicted probabilities by model name, each aligned with ``y_true``.
    n_bins
        Equal-width bins on [0, 1] (see :func:`~shopai_lab.propensity.reliability_table`).
    ax
        Axes to draw on; a new square figure otherwise.
    title
        Defaults to "Reliability diagram (test sessions, ``n_bins`` bins)".

    Examples
    --------
    >>> ax = plot_reliability([0, 1, 1, 0], {"model": [0.1, 0.8, 0.6, 0.3]}, n_bins=2)
    >>> ax.get_xlabel()
    'Predicted purchase probability'
    >>> plt.close("all")
    """
    require_instance(probabilities, Mapping, "probabilities")
    if not probabilities:
        raise ValueError("probabilities is empty: pass at least one model's probabilities")
    tables = {name: reliability_table(y_true, p, n_bins) for name, p in probabilities.items()}
    ax = _axes(ax, figsize=(6, 6))
    for name, table in tables.items():
        ax.plot(table["predicted"], table["observed"], marker="o", label=name)
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="perfect calibration")
    ax.set(
        title=title or f"Reliability diagram (test sessions, {n_bins} bins)",
        xlabel="Predicted purchase probability",
        ylabel="Observed purchase rate",
    )
    ax.legend()
    return ax


def plot_threshold_profit(
    curve: pd.DataFrame, best_threshold: float | None = None, ax: Axes | None = None, currency: str = "currency units"
) -> Axes:
    """Realised and expected profit of targeting every session above a probability threshold.

    Parameters
    ----------
    curve
        The output of :func:`~shopai_lab.propensity.profit_curve`.
    best_threshold
        Marked with a dashed line when given.
    ax
        Axes to draw on; a new figure otherwise.
    currency
        Unit of the profit axis.

    Examples
    --------
    >>> from shopai_lab.propensity import profit_curve
    >>> curve = profit_curve([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3], incentive_cost=1.0, conversion_value=10.0)
    >>> plot_threshold_profit(curve, best_threshold=0.5).get_legend_handles_labels()[1]
    ['realised', 'expected', 'best threshold']
    >>> plt.close("all")
    """
    require_columns(curve, ["threshold", "realised", "expected"], "curve")
    ax = _axes(ax, figsize=(8, 4))
    for column in ("realised", "expected"):
        ax.plot(curve["threshold"], curve[column], label=column)
    if best_threshold is not None:
        ax.axvline(require_number(best_threshold, "best_threshold"), color="C3", linestyle="--", label="best threshold")
    ax.set(
        title="Profit of targeting sessions above a probability threshold",
        xlabel="Threshold (calibrated probability)",
        ylabel=f"Profit on the test sessions ({currency})",
    )
    ax.legend()
    return ax


def _calendar_order(pdp: pd.DataFrame) -> pd.DataFrame:
    """Categories sorted with months in calendar order first, then the rest by name."""
    order = pdp["value"].map(lambda v: CALENDAR.index(v) if v in CALENDAR else len(CALENDAR))
    return pdp.assign(order=order).sort_values(["order", "value"]).drop(columns="order")


def plot_partial_dependence(model, X: pd.DataFrame, features: Sequence[str], grid_size: int = 20) -> np.ndarray:
    """One panel per feature: the mean predicted probability as the feature is set to each value.

    Numeric features are drawn as lines over their quantiles; categories as bars,
    months in calendar order (see :func:`~shopai_lab.propensity.partial_dependence`).

    Returns
    -------
    numpy.ndarray
        The ``Axes``, one per feature.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"pages": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    >>> model = LogisticRegression().fit(X, [0, 0, 0, 1, 1, 1])
    >>> [ax.get_title() for ax in plot_partial_dependence(model, X, ["pages"], grid_size=3)]
    ['Partial dependence on pages']
    >>> plt.close("all")
    """
    features = require_strings(features, "features")
    if not features:
        raise ValueError("features is empty: name at least one column of X")
    curves = [partial_dependence(model, X, feature, grid_size) for feature in features]
    _, axes = plt.subplots(1, len(features), figsize=(5.5 * len(features), 4), squeeze=False)
    for ax, feature, pdp in zip(axes[0], features, curves):
        if pd.api.types.is_numeric_dtype(X[feature]):
            ax.plot(pdp["value"].astype(float), pdp["mean_probability"], marker="o")
        else:
            pdp = _calendar_order(pdp)
            ax.bar(pdp["value"].astype(str), pdp["mean_probability"], color="C0")
        ax.set(title=f"Partial dependence on {feature}", xlabel=feature, ylabel="Mean predicted probability")
    plt.tight_layout()
    return axes[0]
