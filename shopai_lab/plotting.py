"""The few plot helpers the notebooks share, in one style.

Every helper draws on a given ``ax`` (or a new figure), sets a title and axis
labels with units, and returns the ``Axes`` so a notebook can adjust it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from shopai_lab._validation import require_bool, require_positive, require_string
from shopai_lab.simulation import rounds_summary
from shopai_lab.stats import Interval


def set_style() -> None:
    """Seaborn's white grid, a readable font size and a fixed figure size."""
    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 90, "axes.titleweight": "bold"})


def axes_or_new(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    """``ax`` when given, else the Axes of a new figure of ``figsize`` inches (the house default: ``None``).

    Examples
    --------
    >>> axes_or_new(None, (4, 3)).get_figure().get_size_inches().tolist()
    [4.0, 3.0]
    """
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def _intervals(intervals: Any) -> pd.Series:
    """``intervals`` (a mapping or Series of label -> Interval, or a sequence of Intervals) as a Series."""
    if isinstance(intervals, pd.DataFrame):
        raise TypeError("intervals must map labels to Interval results (e.g. table['interval']), got a DataFrame")
    if isinstance(intervals, Mapping):
        series = pd.Series(list(intervals.values()), index=list(intervals.keys()), dtype=object)
    elif isinstance(intervals, pd.Series):
        series = intervals.astype(object)
    elif isinstance(intervals, Sequence) and not isinstance(intervals, str):
        series = pd.Series(list(intervals), dtype=object)
    else:
        raise TypeError(f"intervals must be a mapping or sequence of Interval results, got {type(intervals).__name__}")
    for label, result in series.items():
        if not isinstance(result, Interval):
            raise TypeError(f"intervals[{label!r}] must be a shopai_lab.stats.Interval, got {type(result).__name__}")
    if series.empty:
        raise ValueError("intervals is empty: nothing to plot")
    return series


def plot_differences(
    intervals: Mapping[Any, Interval] | pd.Series | Sequence[Interval],
    title: str,
    xlabel: str,
    ax: Axes | None = None,
    *,
    scale: float = 1.0,
    ylabel: str | None = None,
    zero_label: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Paired differences with their bootstrap intervals as horizontal error bars, first on top.

    The one chart of a comparison in the lab: each :class:`~shopai_lab.stats.Interval` (e.g. from
    :func:`shopai_lab.stats.paired_bootstrap`) is a point with its interval; a dotted line marks zero,
    so a bar that crosses it is a difference the data cannot tell from none.

    Parameters
    ----------
    intervals
        Label -> Interval (a dict, or a Series such as a comparison table's ``interval`` column),
        or a sequence of Intervals (labelled by position). Every interval must have the same level.
    title, xlabel
        Chart title and axis label (with its unit).
    ax
        Axes to draw on; a new figure otherwise.
    scale
        Factor applied to every value (100 draws shares as percentage points).
    ylabel
        Optional label of the vertical axis.
    zero_label
        Legend entry for the zero line (e.g. the reference model); no legend when ``None``.
    figsize
        Size of a new figure; ``None``: 8 inches wide, half an inch per row plus 1.5.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> gains = {"a": Interval(0.1, 0.0, 0.2, level=0.95, n=50, se=0.05),
    ...          "b": Interval(-0.2, -0.3, -0.1, level=0.95, n=50, se=0.05)}
    >>> plot_differences(gains, "Gains", "Difference in AUC").get_xlabel()
    'Difference in AUC'
    >>> plt.close("all")
    """
    series = _intervals(intervals)
    levels = {result.level for result in series}
    if len(levels) > 1:
        raise ValueError(f"intervals have different levels {sorted(levels)}: plot one level per chart")
    scale = require_positive(scale, "scale")
    ax = axes_or_new(ax, figsize=figsize or (8, 0.5 * len(series) + 1.5))
    y = np.arange(len(series))[::-1]
    values = {c: scale * np.array([getattr(r, c) for r in series], dtype=float) for c in ("estimate", "low", "high")}
    errors = np.vstack([values["estimate"] - values["low"], values["high"] - values["estimate"]])
    label = f"{100 * levels.pop():g}% interval"
    ax.errorbar(values["estimate"], y, xerr=errors, fmt="o", color="C0", capsize=4, label=label)
    ax.axvline(0, color="0.5", linestyle=":", label=zero_label)
    ax.set_yticks(y, [str(i) for i in series.index])
    ax.set(title=title, xlabel=xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if zero_label is not None:
        ax.legend(loc="best")
    return ax


def plot_rounds(
    histories: Mapping[str, pd.DataFrame],
    metric: str,
    *,
    title: str,
    ylabel: str,
    xlabel: str = "round",
    percent: bool = False,
    first_round: int = 0,
    legend_title: str = "policy",
    n_boot: int = 2000,
    ax: Axes | None = None,
) -> Axes:
    """A feedback loop's metric per round for each policy: the mean over runs and its bootstrap interval (shaded).

    The one plot of :func:`shopai_lab.simulation.rounds_summary`; the domains give their labels.

    Parameters
    ----------
    histories
        Policy -> history of :func:`shopai_lab.simulation.run_loop` (columns ``seed``, ``round`` and ``metric``).
    metric
        The metric column to plot.
    title, ylabel, xlabel
        The title (the interval's level and the number of runs are appended) and the axis labels, with units.
    percent
        Plot shares as percentages (x 100).
    first_round
        The label of round 0 on the x axis (1 for "week 1, 2, ...").
    legend_title
        What the policies are (e.g. "retraining").
    n_boot
        Bootstrap resamples of each round's interval over runs.
    ax
        Axes to draw on; default: a new 8 x 4 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "utility": [0.5, 0.6, 0.4, 0.5]})
    >>> plot_rounds({"plain": h}, "utility", title="True utility per round", ylabel="utility", n_boot=50).get_title()
    'True utility per round (95% interval over 2 runs)'
    """
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError(f"histories must be a non-empty dict of policy -> history, got {type(histories).__name__}")
    require_string(metric, "metric")
    scale = 100.0 if require_bool(percent, "percent") else 1.0
    ax = axes_or_new(ax, (8, 4))
    for i, (name, history) in enumerate(histories.items()):
        summary = rounds_summary(history, metric, n_boot=n_boot)
        rounds = summary["round"] + int(first_round)
        ax.plot(rounds, scale * summary["mean"], color=f"C{i}", marker="o", markersize=3, label=name)
        ax.fill_between(rounds, scale * summary["low"], scale * summary["high"], color=f"C{i}", alpha=0.2)
    level = 100 * summary["level"].iloc[0]
    ax.set(title=f"{title} ({level:g}% interval over {summary['n_seeds'].max()} runs)", xlabel=xlabel, ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title=legend_title, fontsize="small")
    return ax
