"""Plots of notebook 05: holdout by frequency, tracking, value concentration."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shopai_lab import plotting
from shopai_lab._validation import require_columns
from shopai_lab.plotting import axes_or_new


def plot_holdout_by_frequency(table: pd.DataFrame, ax: Axes | None = None, unit: str = "weeks") -> Axes:
    """Mean holdout purchases by calibration frequency: actual against each prediction column."""
    require_columns(table, ["actual"], "table")
    ax = axes_or_new(ax)
    x = np.arange(len(table))
    ax.plot(x, table["actual"], marker="o", color="black", label="actual")
    for i, column in enumerate(c for c in table.columns if c not in ("actual", "customers")):
        ax.plot(x, table[column], marker="s", linestyle="--", color=f"C{i}", label=column)
    ax.set_xticks(x, table.index)
    ax.set(
        title="Holdout purchases by calibration frequency",
        xlabel="Repeat purchases in the calibration period",
        ylabel="Mean purchases in the holdout (per customer)",
    )
    ax.legend()
    return ax


def plot_tracking(curve: pd.DataFrame, calibration_end, ax: Axes | None = None) -> Axes:
    """Cumulative repeat purchases over time, actual against expected, with the holdout shaded."""
    require_columns(curve, ["actual", "expected"], "curve")
    ax = axes_or_new(ax)
    ax.plot(curve.index, curve["actual"], color="black", label="actual")
    ax.plot(curve.index, curve["expected"], color="C0", linestyle="--", label="BG/NBD expected")
    ax.axvspan(pd.Timestamp(calibration_end), curve.index.max(), color="0.9", label="holdout")
    ax.set(
        title="Tracking cumulative repeat purchases",
        xlabel="Date",
        ylabel="Cumulative repeat purchases (purchase days)",
    )
    ax.legend(loc="upper left")
    return ax


def plot_concentration(
    values: pd.Series, ax: Axes | None = None, title: str = "Concentration of customer value"
) -> Axes:
    """Lorenz-style curve: share of total value held by the top x% of customers."""
    ax = axes_or_new(ax, (6, 5))
    ordered = np.sort(np.asarray(values, dtype=float))[::-1]
    share = np.concatenate([[0.0], np.cumsum(ordered) / ordered.sum()]) * 100
    customers = np.linspace(0, 100, len(share))
    ax.plot(customers, share, color="C0", label="customers ranked by value")
    ax.plot([0, 100], [0, 100], color="0.6", linestyle=":", label="equal value")
    ax.set(title=title, xlabel="Top customers (% of customers)", ylabel="Share of total value (%)")
    ax.legend(loc="lower right")
    return ax


def plot_differences(
    table: pd.DataFrame, metric: str, reference: str, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Differences from a reference with their bootstrap intervals as error bars (one row of ``table`` per bar).

    ``table`` has an ``interval`` column of :class:`~shopai_lab.stats.Interval` results (e.g.
    :func:`compare_churn_scores`); the reference's row (no interval) is left out. Drawn by
    :func:`shopai_lab.plotting.plot_differences`.
    """
    require_columns(table, ["interval"], "table")
    intervals = table["interval"].drop(index=[reference], errors="ignore").dropna()
    return plotting.plot_differences(
        intervals,
        title or f"{metric}: difference from {reference}",
        f"{metric} minus {reference}'s (paired bootstrap over customers)",
        ax,
        ylabel="score",
        zero_label=reference,
        figsize=(7, 0.6 * len(table) + 2),
    )
