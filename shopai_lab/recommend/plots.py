"""Plots of notebook 02: model comparison on the house protocol."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns, require_positive_int, require_string
from shopai_lab.plotting import _axes


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
    ax = _axes(ax, (8, 4))
    results[metric].sort_values(kind="stable").plot.barh(color="C0", ax=ax)
    ax.set(
        title=f"{label}@{k} on the test period ({int(results['users'].iloc[0]):,} customers)",
        xlabel=f"{label}@{k} (binary relevance, full ranking)",
        ylabel="",
    )
    return ax
