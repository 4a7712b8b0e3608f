"""Plots of notebook 03: reliability diagram, targeting profit against the threshold, partial dependence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shopai_lab import plotting
from shopai_lab._validation import require_columns, require_instance, require_number, require_strings
from shopai_lab.plotting import axes_or_new
from shopai_lab.propensity.explain import partial_dependence
from shopai_lab.stats import Interval, reliability_table

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
        Equal-width bins on [0, 1] (see :func:`shopai_lab.stats.reliability_table`).
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
    ax = axes_or_new(ax, figsize=(6, 6))
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
    curve: pd.DataFrame,
    best_threshold: float | None = None,
    ax: Axes | None = None,
    *,
    currency: str,
    sessions: str = "test sessions",
    title: str = "Profit of targeting sessions above a probability threshold",
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
    sessions
        Which sessions the profit is summed over (axis label).
    title
        Chart title.

    Examples
    --------
    >>> from shopai_lab.propensity import profit_curve
    >>> curve = profit_curve([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3], incentive_cost=1.0, conversion_value=10.0)
    >>> plot_threshold_profit(curve, best_threshold=0.5, currency="EUR").get_legend_handles_labels()[1]
    ['realised', 'expected', 'best threshold']
    >>> plt.close("all")
    """
    require_columns(curve, ["threshold", "realised", "expected"], "curve")
    ax = axes_or_new(ax, figsize=(8, 4))
    for column in ("realised", "expected"):
        ax.plot(curve["threshold"], curve[column], label=column)
    if best_threshold is not None:
        ax.axvline(require_number(best_threshold, "best_threshold"), color="C3", linestyle="--", label="best threshold")
    ax.set(
        title=title,
        xlabel="Threshold (calibrated probability)",
        ylabel=f"Profit on the {sessions} ({currency})",
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


def plot_calibration(
    y_true, probabilities: Mapping[str, Mapping[str, np.ndarray]], n_bins: int = 10, title: str | None = None
) -> np.ndarray:
    """Per model, a reliability diagram above a histogram of its predicted probabilities.

    A reliability curve says nothing about where the sessions are: the histogram below it shows
    how many predictions each part of the curve rests on.

    Parameters
    ----------
    y_true
        0/1 outcomes.
    probabilities
        ``{model: {variant: probabilities}}``, e.g. ``{"mlp": {"raw": p, "calibrated": q}}``; one column
        of panels per model, one line (and histogram) per variant.
    n_bins
        Equal-width bins on [0, 1].
    title
        Figure title; defaults to "Reliability and predicted probabilities (test sessions)".

    Returns
    -------
    numpy.ndarray
        The ``Axes``, shape (2, number of models).

    Examples
    --------
    >>> axes = plot_calibration([0, 1, 1, 0], {"m": {"raw": [0.1, 0.8, 0.6, 0.3], "calibrated": [0, 1, 1, 0]}}, 2)
    >>> axes.shape, axes[1, 0].get_ylabel()
    ((2, 1), 'Sessions')
    >>> plt.close("all")
    """
    require_instance(probabilities, Mapping, "probabilities")
    if not probabilities:
        raise ValueError("probabilities is empty: pass at least one model's probabilities")
    for name, variants in probabilities.items():
        require_instance(variants, Mapping, f"probabilities[{name!r}]")
    tables = {
        name: {variant: reliability_table(y_true, p, n_bins) for variant, p in variants.items()}
        for name, variants in probabilities.items()
    }
    fig, axes = plt.subplots(
        2, len(tables), figsize=(4.2 * len(tables), 7), squeeze=False, gridspec_kw={"height_ratios": [3, 1.3]}
    )
    edges = np.linspace(0, 1, n_bins + 1)
    for column, (name, variants) in enumerate(tables.items()):
        top, bottom = axes[0, column], axes[1, column]
        for i, (variant, table) in enumerate(variants.items()):
            top.plot(table["predicted"], table["observed"], marker="o", color=f"C{i}", label=variant)
            p = np.asarray(probabilities[name][variant], dtype=float)
            bottom.hist(p, bins=edges, histtype="step", color=f"C{i}", linewidth=1.5, label=variant)
        top.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="perfect calibration")
        top.set(title=name, xlabel="Predicted purchase probability", ylabel="Observed purchase rate")
        bottom.set(xlabel="Predicted purchase probability", ylabel="Sessions", yscale="log")
        top.legend(fontsize="small")
    fig.suptitle(title or f"Reliability ({n_bins} bins) and predicted probabilities (test sessions)")
    fig.tight_layout()
    return axes


def plot_differences(
    intervals: Mapping[str, Interval] | pd.Series,
    title: str,
    xlabel: str,
    ax: Axes | None = None,
    better: str | None = None,
) -> Axes:
    """Paired differences with their intervals (:func:`shopai_lab.plotting.plot_differences`).

    ``intervals`` maps labels to :class:`~shopai_lab.stats.Interval` results (e.g. the ``interval``
    column of :func:`~shopai_lab.propensity.compare_calibration`); ``better`` is an optional note on
    which side of zero is better, appended to the axis label.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> gains = {"a": Interval(0.1, 0.0, 0.2, level=0.95, n=50, se=0.05)}
    >>> plot_differences(gains, "Gains", "Difference in AUC", better="higher is better").get_xlabel()
    'Difference in AUC (higher is better)'
    >>> plt.close("all")
    """
    return plotting.plot_differences(intervals, title, xlabel + (f" ({better})" if better else ""), ax)


def plot_incentive_profit(
    curve: pd.DataFrame,
    threshold: float,
    *,
    currency: str,
    break_even: float | None = None,
    window: float = 0.1,
    sessions: str = "test sessions",
    title: str = "Incremental profit of targeting sessions above a threshold",
) -> np.ndarray:
    """Two panels: the whole profit curve, and a zoom on the decision region around the chosen threshold.

    A curve that falls far below zero at low thresholds flattens the region where the decision is made;
    the right panel shows thresholds within ``window`` of ``threshold`` with its own profit axis, the
    chosen threshold, the break-even probability (when given) and zero profit.

    Examples
    --------
    >>> from shopai_lab.propensity import profit_curve
    >>> curve = profit_curve([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3], incentive_cost=1.0, conversion_value=10.0)
    >>> axes = plot_incentive_profit(curve, 0.5, currency="EUR", break_even=0.4)
    >>> [a.get_xlabel() for a in axes]
    ['Threshold (calibrated probability)', 'Threshold (calibrated probability), decision region']
    >>> plt.close("all")
    """
    require_columns(curve, ["threshold", "realised", "expected"], "curve")
    threshold = require_number(threshold, "threshold", low=0.0, high=1.0)
    window = require_number(window, "window", low=0.0, high=1.0, low_inclusive=False)
    _, axes = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1, 1.2]})
    near = curve[(curve["threshold"] - threshold).abs() <= window]
    for ax, part in ((axes[0], curve), (axes[1], near if len(near) else curve)):
        for column in ("realised", "expected"):
            ax.plot(part["threshold"], part[column], label=column)
        ax.axvline(threshold, color="C3", linestyle="--", label=f"chosen threshold {threshold:.2f}")
        ax.axhline(0, color="black", linewidth=0.8)
        if break_even is not None and np.isfinite(break_even):
            ax.axvline(break_even, color="C2", linestyle=":", label=f"break-even {break_even:.2f}")
        ax.set_ylabel(f"Profit on the {sessions} ({currency})")
    axes[0].set(title="All thresholds", xlabel="Threshold (calibrated probability)")
    axes[1].set(
        title=f"Decision region (threshold ± {window:g})",
        xlabel="Threshold (calibrated probability), decision region",
    )
    if len(near):
        low = float(near[["realised", "expected"]].min().min())
        high = float(near[["realised", "expected"]].max().max())
        pad = max(0.1 * (high - low), 1.0)
        axes[1].set_ylim(min(low, 0.0) - pad, max(high, 0.0) + pad)
        axes[0].axvspan(near["threshold"].min(), near["threshold"].max(), color="0.9", zorder=0)
    axes[1].legend(fontsize="small")
    plt.suptitle(title)
    return axes
