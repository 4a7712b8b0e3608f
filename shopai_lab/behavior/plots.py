"""Plots of notebook 01: RFM distributions, segments, retention, funnels, silhouettes."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns
from shopai_lab.behavior.rfm import RFM_COLUMNS
from shopai_lab.plotting import axes_or_new


def plot_rfm_distributions(table: pd.DataFrame, axes: Sequence[Axes] | None = None, *, currency: str) -> np.ndarray:
    """Histograms of days since the last purchase, invoices and net revenue (log scale) of an RFM table."""
    require_columns(table, RFM_COLUMNS, "table")
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes = np.asarray(axes)
    axes[0].hist(table["days_since_last"], bins=40, color="C0")
    axes[0].set(title="Recency", xlabel="Days since last purchase", ylabel="Customers")
    invoices = table["invoices"].clip(upper=table["invoices"].quantile(0.99))
    axes[1].hist(invoices, bins=np.arange(0.5, invoices.max() + 1.5), color="C1")
    axes[1].set(title="Frequency (top 1% clipped)", xlabel="Invoices", ylabel="Customers")
    positive = table["net_revenue"][table["net_revenue"] > 0]
    axes[2].hist(positive, bins=np.logspace(0, np.log10(positive.max()), 40), color="C2")
    axes[2].set(
        title="Monetary (net > 0)", xlabel=f"Net revenue ({currency}, log scale)", ylabel="Customers", xscale="log"
    )
    return axes


def plot_segments(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share of customers beside share of revenue for each named segment."""
    require_columns(summary, ["share", "revenue_share"], "summary")
    ax = axes_or_new(ax, (9, 5))
    shares = summary[["share", "revenue_share"]].iloc[::-1] * 100
    shares.columns = ["Customers", "Net revenue"]
    shares.plot.barh(ax=ax, width=0.8)
    ax.set(title="RFM segments: who they are and what they bring", xlabel="Share of total (%)", ylabel="")
    ax.legend(loc="lower right")
    return ax


def plot_retention_heatmap(
    retention: pd.DataFrame, ax: Axes | None = None, title: str = "Monthly cohort retention"
) -> Axes:
    """Heat map of a cohort retention matrix (shares shown as percentages)."""
    ax = axes_or_new(ax, (11, 6))
    data = retention * 100
    data.index = data.index.astype(str)
    sns.heatmap(
        data,
        annot=True,
        fmt=".0f",
        cmap="Blues",
        vmin=0,
        vmax=float(np.nanmax(data.iloc[:, 1:].to_numpy())) if data.shape[1] > 1 else 100,
        cbar_kws={"label": "Active customers (% of cohort)"},
        ax=ax,
    )
    ax.set(title=title, xlabel="Months since first purchase", ylabel="Cohort (first-purchase month)")
    return ax


def plot_funnel(
    table: pd.DataFrame, by: str | None = None, ax: Axes | None = None, title: str = "Session funnel"
) -> Axes:
    """Bars of overall conversion per funnel stage, one colour per group of ``by``."""
    require_columns(table, ["stage", "overall_conversion", *([by] if by else [])], "table")
    ax = axes_or_new(ax)
    data = table.assign(percent=table["overall_conversion"] * 100)
    sns.barplot(data=data, x="stage", y="percent", hue=by, ax=ax)
    ax.set(title=title, xlabel="Funnel stage", ylabel="Sessions reaching the stage (%)")
    if by:
        ax.legend(title=by.replace("_", " ").capitalize())
    return ax


def plot_silhouette(scores: pd.Series, chosen: int | None = None, ax: Axes | None = None) -> Axes:
    """Silhouette score against the number of clusters, the chosen k marked.

    The y axis starts at 0 (or below, for a negative score), so gaps between k are drawn to scale,
    and dotted lines mark Kaufman & Rousseeuw's bands (0.25 weak, 0.50 reasonable, 0.70 strong).

    Examples
    --------
    >>> ax = plot_silhouette(pd.Series([0.24, 0.22], index=[2, 3]), chosen=2)
    >>> float(ax.get_ylim()[0])
    0.0
    """
    ax = axes_or_new(ax, (7, 4))
    ax.plot(scores.index, scores.to_numpy(), marker="o")
    if chosen is not None:
        ax.axvline(chosen, color="C3", linestyle="--", label=f"chosen k = {chosen}")
        ax.legend()
    for level, name in ((0.25, "weak"), (0.50, "reasonable"), (0.70, "strong")):
        ax.axhline(level, color="grey", linewidth=0.8, linestyle=":")
        ax.annotate(
            f"{name} above",
            (1.0, level),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            fontsize=8,
            color="grey",
        )
    low = min(0.0, float(np.nanmin(scores.to_numpy())))
    ax.set_ylim(low, max(0.75, float(np.nanmax(scores.to_numpy())) + 0.05))
    ax.set(
        title="Choosing k: silhouette of k-means clusterings",
        xlabel="Number of clusters k",
        ylabel="Mean silhouette (unitless, -1..1)",
    )
    ax.set_xticks(list(scores.index))
    return ax
