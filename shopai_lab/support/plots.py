"""Plots of the customer-service notebook (house style: :func:`shopai_lab.plotting.set_style`): the reliability
diagram with its bin counts, and the automation curve."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_instance, require_probability, require_string
from shopai_lab.plotting import plot_rounds

__all__ = ["plot_automation_curve", "plot_handover_weeks", "plot_reliability"]


def _wilson(successes: np.ndarray, n: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (95% by default): defined at 0% and 100% too."""
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def plot_reliability(tables: dict[str, pd.DataFrame], axes: Any = None, messages: str = "test messages") -> Any:
    """Accuracy against mean confidence per bin with 95% intervals, and the messages in each bin below.

    Each table is :func:`shopai_lab.stats.reliability_table` of (correct, confidence): ``predicted``
    is the bin's mean confidence, ``observed`` its accuracy and ``count`` its messages. The accuracy
    carries a Wilson 95% interval (so a bin of three messages shows how little it says), and the lower
    panel shows the counts on a log scale: the reliability of a bin is only as good as its messages.

    Parameters
    ----------
    tables
        Label -> reliability table (e.g. raw and temperature-scaled confidence).
    axes
        Two Axes (reliability, counts) to draw on; a new figure otherwise.
    messages
        What the messages are, for the title and the count axis.

    Returns
    -------
    tuple of Axes
        The reliability panel and the count panel.

    Examples
    --------
    >>> from shopai_lab.stats import reliability_table
    >>> top, bottom = plot_reliability({"model": reliability_table([1, 0, 1], [0.9, 0.6, 0.95])})
    >>> top.get_ylabel(), bottom.get_ylabel()
    ('accuracy in bin (%)', 'messages in bin')
    >>> plt.close("all")
    """
    require_instance(tables, dict, "tables")
    if not tables:
        raise ValueError("tables is empty: pass at least one reliability table")
    messages = require_string(messages, "messages")
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(6.5, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    top, bottom = axes
    top.plot([0, 100], [0, 100], color="0.6", linestyle=":", label="perfect calibration")
    width = 100 / (2.5 * len(tables) * max(len(t) for t in tables.values()) or 1)
    for i, (name, table) in enumerate(tables.items()):
        require_columns(table, ["predicted", "observed", "count"], name)
        n = table["count"].to_numpy(dtype=float)
        low, high = _wilson(table["observed"].to_numpy() * n, n)
        x, y = 100 * table["predicted"].to_numpy(), 100 * table["observed"].to_numpy()
        top.errorbar(x, y, yerr=[y - 100 * low, 100 * high - y], marker="o", capsize=3, color=f"C{i}", label=name)
        bottom.bar(x + (i - (len(tables) - 1) / 2) * width, n, width=width, color=f"C{i}", label=name)
    top.set(ylabel="accuracy in bin (%)", xlim=(0, 101), ylim=(0, 102),
            title=f"Is a 90% confident answer right 90% of the time?\n({messages})")  # fmt: skip
    top.legend(loc="lower right", title="accuracy, 95% Wilson interval", fontsize="small", title_fontsize="small")
    bottom.set(xlabel="mean confidence in bin (%)", ylabel="messages in bin", yscale="log")
    return top, bottom


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


#: the weekly metrics :func:`plot_handover_weeks` draws, with their axis labels
HANDOVER_LABELS: dict[str, str] = {
    "automation": "messages answered automatically (%)",
    "accuracy": "accuracy of automated answers (%)",
    "new_answered": "new intents' messages answered rightly (%)",
    "new_wrong": "new intents' messages answered wrongly (%)",
}


def plot_handover_weeks(
    histories: dict,
    metrics=("automation", "new_answered"),
    target_accuracy: float | None = None,
    n_boot: int = 2000,
    axes: Any = None,
) -> Any:
    """Weekly metrics of the hand-over loop per retraining cadence: the mean over seeds and its interval (shaded).

    Parameters
    ----------
    histories
        Cadence -> history (:func:`shopai_lab.support.feedback.handover_study`).
    metrics
        Weekly metrics from :data:`HANDOVER_LABELS`, one panel each.
    target_accuracy
        Drawn as a dotted line on an ``accuracy`` panel.
    n_boot
        Bootstrap resamples of each week's interval over seeds.
    axes
        One Axes per metric; a new figure otherwise.

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "automation": [0.5, 0.6, 0.4, 0.5],
    ...                   "new_answered": [np.nan, 0.1, np.nan, 0.2]})
    >>> axes = plot_handover_weeks({"weekly": h}, n_boot=50)
    >>> axes[0].get_ylabel()
    'messages answered automatically (%)'
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict of cadence -> history, got {type(histories).__name__}")
    metrics = [require_string(m, "metrics") for m in ([metrics] if isinstance(metrics, str) else metrics)]
    unknown = [m for m in metrics if m not in HANDOVER_LABELS]
    if unknown or not metrics:
        raise ValueError(f"metrics must be names from {list(HANDOVER_LABELS)}, got {metrics!r}")
    if axes is None:
        axes = plt.subplots(1, len(metrics), figsize=(6.5 * len(metrics), 4), squeeze=False)[1][0]
    for ax, metric in zip(axes, metrics, strict=True):
        label = HANDOVER_LABELS[metric]
        title = f"{label.split(' (')[0].capitalize()} by week"
        plot_rounds(histories, metric, title=title, ylabel=label, xlabel="week after launch", percent=True,
                    first_round=1, legend_title="retraining", n_boot=n_boot, ax=ax)  # fmt: skip
        if metric == "accuracy" and target_accuracy is not None:
            target = require_probability(target_accuracy, "target_accuracy", allow_one=True)
            ax.axhline(100 * target, color="grey", linestyle=":", label="target accuracy")
            ax.legend(title="retraining", fontsize="small")
    return axes
