"""Plots of notebooks 02 (model comparison on the house protocol) and 12 (the filter-bubble loop per round)."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from shopai_lab import plotting
from shopai_lab._validation import require_columns, require_positive_int, require_string
from shopai_lab.plotting import axes_or_new


def plot_model_comparison(results: pd.DataFrame, k: int, metric: str = "ndcg", ax: Axes | None = None) -> Axes:
    """Horizontal bars of one metric per model (best at the top), from :func:`shopai_lab.recommend.evaluate` rows.

    Parameters
    ----------
    results
        One row per model (index: model name), with ``metric`` and ``users`` columns.
    k
        List length the metric was computed at (for the labels).
    metric
        Column to plot.
    ax
        Axes to draw on; default: a new 8 x 4 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"ndcg": [0.04, 0.11], "users": [1683, 1683]}, index=["Popularity", "EASE"])
    >>> plot_model_comparison(table, k=10).get_title()
    'nDCG@10 on the test period (1,683 customers)'
    """
    require_string(metric, "metric")
    require_columns(results, [metric, "users"], "results")
    k = require_positive_int(k, "k")
    label = {"ndcg": "nDCG", "map": "MAP", "hit_rate": "hit rate"}.get(metric, metric)
    ax = axes_or_new(ax, (8, 4))
    results[metric].sort_values(kind="stable").plot.barh(color="C0", ax=ax)
    ax.set(
        title=f"{label}@{k} on the test period ({int(results['users'].iloc[0]):,} customers)",
        xlabel=f"{label}@{k} (binary relevance, full ranking)",
        ylabel="",
    )
    return ax


#: title and axis label of each filter-bubble metric (notebook 12)
BUBBLE_LABELS = {
    "utility": ("True utility", "share of the best lists' taste"),
    "ndcg": ("nDCG on the round's purchases", "nDCG (logged purchases)"),
    "breadth": ("Purchase breadth", "groups bought / expected from taste"),
    "diversity": ("Intra-list diversity", "1 - description cosine"),
    "coverage": ("Catalogue coverage", "share of products shown"),
    "exposure_gini": ("Exposure inequality", "Gini of exposure over products"),
    "offline_ndcg": ("Offline nDCG", "nDCG on the plain lists' purchases"),
}


def plot_rounds(histories: dict, metric: str, n_boot: int = 2000, ax: Axes | None = None) -> Axes:
    """One metric per round for each policy: the mean over seeds and its bootstrap interval (shaded).

    Parameters
    ----------
    histories
        Policy -> history from :func:`shopai_lab.simulation.run_loop` (e.g.
        :func:`shopai_lab.recommend.feedback.bubble_study`).
    metric
        The metric column to plot.
    n_boot
        Bootstrap resamples of each round's interval over seeds.
    ax
        Axes to draw on; default: a new 8 x 4 inch figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "utility": [0.5, 0.6, 0.4, 0.5]})
    >>> plot_rounds({"plain": h}, "utility", n_boot=50).get_title()
    'True utility per round (95% interval over 2 runs)'
    """
    title, ylabel = BUBBLE_LABELS.get(require_string(metric, "metric"), (metric, metric))
    xlabel = "round (one basket per customer)"
    return plotting.plot_rounds(histories, metric, title=f"{title} per round", ylabel=ylabel, xlabel=xlabel,
                                n_boot=n_boot, ax=ax)  # fmt: skip
