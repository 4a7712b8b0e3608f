"""Charts of notebook 11 in the house style: group means with intervals, and the two trade-off frontiers."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns
from shopai_lab.plotting import axes_or_new

__all__ = ["plot_group_means", "plot_price_frontier", "plot_quota_frontier"]


def plot_group_means(tables: Mapping[str, pd.DataFrame], title: str, xlabel: str, ax: Axes | None = None) -> Axes:
    """Each group's mean with its interval, grouped by grouping (one block of rows per table)."""
    ax = axes_or_new(ax, figsize=(7, 0.45 * sum(len(t) for t in tables.values()) + 1.2))
    labels, y = [], 0
    for name, table in tables.items():
        require_columns(table, ("mean", "low", "high"), f"tables[{name!r}]")
        for group, row in table.iterrows():
            ax.errorbar(
                row["mean"],
                -y,
                xerr=[[row["mean"] - row["low"]], [row["high"] - row["mean"]]],
                fmt="o",
                color=f"C{list(tables).index(name)}",
                capsize=3,
            )
            labels.append(f"{name}: {group} (n={int(row['units']):,})" if "units" in row else f"{name}: {group}")
            y += 1
    ax.set_yticks(-np.arange(len(labels)), labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return ax


def plot_quota_frontier(frontier: pd.DataFrame, gains: pd.Series, ax: Axes | None = None) -> Axes:
    """The accuracy-vs-exposure frontier: the tail's exposure per unit of merit (x) against the change in mean
    nDCG from the plain lists (y, with its paired interval), one point per quota."""
    require_columns(frontier, ("disparity",), "frontier")
    ax = axes_or_new(ax, figsize=(6.5, 4))
    for quota, row in frontier.iterrows():
        gain = gains[quota]
        ax.errorbar(
            row["disparity"],
            gain.estimate,
            yerr=[[gain.estimate - gain.low], [gain.high - gain.estimate]],
            fmt="o",
            color="C0",
            capsize=3,
        )
        ax.annotate(f"{quota:.0%}", (row["disparity"], gain.estimate), textcoords="offset points", xytext=(6, 4))
    ax.axhline(0, color="grey", linestyle=":", linewidth=1)
    ax.set_title("Tail quota: exposure of the long tail against accuracy")
    ax.set_xlabel("tail exposure per unit of merit / head's (1 = proportional)")
    ax.set_ylabel("nDCG@10 change vs plain lists (95% CI)")
    return ax


def plot_price_frontier(frontier: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Revenue kept (share of the uncapped optimum) against the realised ratio of the highest to lowest price."""
    require_columns(frontier, ("ratio", "revenue_share", "max_ratio"), "frontier")
    ax = axes_or_new(ax, figsize=(6.5, 4))
    ax.plot(frontier["ratio"], 100 * frontier["revenue_share"], "o-", color="C0")
    for _, row in frontier.iterrows():
        ax.annotate(
            f"cap {row['max_ratio']:g}",
            (row["ratio"], 100 * row["revenue_share"]),
            textcoords="offset points",
            xytext=(5, -12),
            fontsize=8,
        )
    ax.set_title("Group prices: revenue kept under a cap (simulated demand)")
    ax.set_xlabel("highest / lowest group price")
    ax.set_ylabel("revenue, % of the uncapped optimum")
    return ax
