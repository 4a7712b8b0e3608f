"""Plots of the customer-service notebook: reliability diagram and the automation curve."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from shopai_lab._validation import require_columns, require_instance, require_probability

__all__ = ["plot_automation_curve", "plot_reliability"]


def plot_reliability(tables: dict[str, pd.DataFrame], ax: Any = None) -> Any:
    """Accuracy against mean confidence per bin, one line per table.

    Each table is :func:`shopai_lab.stats.reliability_table` of (correct, confidence): its
    ``predicted`` column is the mean confidence, ``observed`` the accuracy.

    Examples
    --------
    >>> from shopai_lab.stats import reliability_table
    >>> ax = plot_reliability({"model": reliability_table([1, 0], [0.9, 0.6])})
    >>> ax.get_xlabel()
    'mean confidence in bin'
    """
    require_instance(tables, dict, "tables")
    ax = ax or plt.subplots(figsize=(5, 4))[1]
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    for name, table in tables.items():
        require_columns(table, ["predicted", "observed"], name)
        ax.plot(table["predicted"], table["observed"], marker="o", label=name)
    ax.set(
        xlabel="mean confidence in bin",
        ylabel="accuracy in bin",
        xlim=(0, 1),
        ylim=(0, 1.02),
        title="Reliability: is a 90% confident answer right 90% of the time?",
    )
    ax.legend(loc="upper left")
    return ax


def plot_automation_curve(
    curves: dict[str, pd.DataFrame], target_accuracy: float, chosen: tuple[float, float] | None = None, ax: Any = None
) -> Any:
    """Accuracy on the automated share against the share automated, per curve.

    ``chosen`` marks the operating point (automated share, accuracy) on the test messages.

    Examples
    --------
    >>> from shopai_lab.support import automation_curve
    >>> ax = plot_automation_curve({"test": automation_curve([0.9, 0.5], [1, 0])}, 0.95)
    >>> ax.get_ylabel()
    'accuracy on automated messages (%)'
    """
    require_instance(curves, dict, "curves")
    target_accuracy = require_probability(target_accuracy, "target_accuracy", allow_one=True)
    ax = ax or plt.subplots(figsize=(6, 4))[1]
    for name, curve in curves.items():
        require_columns(curve, ["automated", "accuracy"], name)
        ax.plot(100 * curve["automated"], 100 * curve["accuracy"], label=name)
    ax.axhline(100 * target_accuracy, color="grey", linestyle=":", label="target accuracy")
    if chosen is not None:
        ax.scatter(
            [100 * chosen[0]], [100 * chosen[1]], color="black", zorder=3, label="threshold chosen on validation"
        )
    ax.set(
        xlabel="messages answered automatically (%)",
        ylabel="accuracy on automated messages (%)",
        title="Accuracy vs automation",
    )
    ax.legend(loc="lower left")
    return ax
