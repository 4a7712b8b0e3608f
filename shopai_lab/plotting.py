"""The few plot helpers the notebooks share, in one style.

Every helper draws on a given ``ax`` (or a new figure), sets a title and axis
labels with units, and returns the ``Axes`` so a notebook can adjust it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns


def set_style() -> None:
    """Seaborn's white grid, a readable font size and a fixed figure size."""
    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 90, "axes.titleweight": "bold"})


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_rfm_distributions(table: pd.DataFrame, axes: Sequence[Axes] | None = None) -> np.ndarray:
    """Histograms of recency (days), frequency (invoices) and monetary value (log scale)."""
    require_columns(table, ["recency_days", "frequency", "monetary"], "table")
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes = np.asarray(axes)
    axes[0].hist(table["recency_days"], bins=40, color="C0")
    axes[0].set(title="Recency", xlabel="Days since last purchase", ylabel="Customers")
    freq = table["frequency"].clip(upper=table["frequency"].quantile(0.99))
    axes[1].hist(freq, bins=np.arange(0.5, freq.max() + 1.5), color="C1")
    axes[1].set(title="Frequency (top 1% clipped)", xlabel="Invoices", ylabel="Customers")
    positive = table["monetary"][table["monetary"] > 0]
    axes[2].hist(positive, bins=np.logspace(0, np.log10(positive.max()), 40), color="C2")
    axes[2].set(title="Monetary (net > 0)", xlabel="Net revenue (GBP, log scale)",
                ylabel="Customers", xscale="log")
    return axes


def plot_segments(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share of customers beside share of revenue for each named segment."""
    require_columns(summary, ["share", "revenue_share"], "summary")
    ax = _axes(ax, (9, 5))
    shares = summary[["share", "revenue_share"]].iloc[::-1] * 100
    shares.columns = ["Customers", "Net revenue"]
    shares.plot.barh(ax=ax, width=0.8)
    ax.set(title="RFM segments: who they are and what they bring",
           xlabel="Share of total (%)", ylabel="")
    ax.legend(loc="lower right")
    return ax


def plot_retention_heatmap(retention: pd.DataFrame, ax: Axes | None = None,
                           title: str = "Monthly cohort retention") -> Axes:
    """Heat map of a cohort retention matrix (shares shown as percentages)."""
    ax = _axes(ax, (11, 6))
    data = retention * 100
    data.index = data.index.astype(str)
    sns.heatmap(data, annot=True, fmt=".0f", cmap="Blues", vmin=0,
                vmax=float(np.nanmax(data.iloc[:, 1:].to_numpy())) if data.shape[1] > 1 else 100,
                cbar_kws={"label": "Active customers (% of cohort)"}, ax=ax)
    ax.set(title=title, xlabel="Months since first purchase", ylabel="Cohort (first-purchase month)")
    return ax


def plot_funnel(table: pd.DataFrame, by: str | None = None, ax: Axes | None = None,
                title: str = "Session funnel") -> Axes:
    """Bars of overall conversion per funnel stage, one colour per group of ``by``."""
    require_columns(table, ["stage", "overall_conversion", *([by] if by else [])], "table")
    ax = _axes(ax)
    data = table.assign(percent=table["overall_conversion"] * 100)
    sns.barplot(data=data, x="stage", y="percent", hue=by, ax=ax)
    ax.set(title=title, xlabel="Funnel stage", ylabel="Sessions reaching the stage (%)")
    if by:
        ax.legend(title=by.replace("_", " ").capitalize())
    return ax


def plot_silhouette(scores: pd.Series, chosen: int | None = None, ax: Axes | None = None) -> Axes:
    """Silhouette score against the number of clusters, the chosen k marked."""
    ax = _axes(ax, (7, 4))
    ax.plot(scores.index, scores.to_numpy(), marker="o")
    if chosen is not None:
        ax.axvline(chosen, color="C3", linestyle="--", label=f"chosen k = {chosen}")
        ax.legend()
    ax.set(title="Choosing k: silhouette of k-means clusterings",
           xlabel="Number of clusters k", ylabel="Mean silhouette (unitless, -1..1)")
    ax.set_xticks(list(scores.index))
    return ax


def plot_holdout_by_frequency(table: pd.DataFrame, ax: Axes | None = None,
                              unit: str = "weeks") -> Axes:
    """Mean holdout purchases by calibration frequency: actual against each prediction column."""
    require_columns(table, ["actual"], "table")
    ax = _axes(ax)
    x = np.arange(len(table))
    ax.plot(x, table["actual"], marker="o", color="black", label="actual")
    for i, column in enumerate(c for c in table.columns if c not in ("actual", "customers")):
        ax.plot(x, table[column], marker="s", linestyle="--", color=f"C{i}", label=column)
    ax.set_xticks(x, table.index)
    ax.set(title="Holdout purchases by calibration frequency",
           xlabel="Repeat purchases in the calibration period",
           ylabel="Mean purchases in the holdout (per customer)")
    ax.legend()
    return ax


def plot_tracking(curve: pd.DataFrame, calibration_end, ax: Axes | None = None) -> Axes:
    """Cumulative repeat purchases over time, actual against expected, with the holdout shaded."""
    require_columns(curve, ["actual", "expected"], "curve")
    ax = _axes(ax)
    ax.plot(curve.index, curve["actual"], color="black", label="actual")
    ax.plot(curve.index, curve["expected"], color="C0", linestyle="--", label="BG/NBD expected")
    ax.axvspan(pd.Timestamp(calibration_end), curve.index.max(), color="0.9", label="holdout")
    ax.set(title="Tracking cumulative repeat purchases", xlabel="Date",
           ylabel="Cumulative repeat purchases (purchase days)")
    ax.legend(loc="upper left")
    return ax


def plot_concentration(values: pd.Series, ax: Axes | None = None,
                       title: str = "Concentration of customer value") -> Axes:
    """Lorenz-style curve: share of total value held by the top x% of customers."""
    ax = _axes(ax, (6, 5))
    ordered = np.sort(np.asarray(values, dtype=float))[::-1]
    share = np.concatenate([[0.0], np.cumsum(ordered) / ordered.sum()]) * 100
    customers = np.linspace(0, 100, len(share))
    ax.plot(customers, share, color="C0", label="customers ranked by value")
    ax.plot([0, 100], [0, 100], color="0.6", linestyle=":", label="equal value")
    ax.set(title=title, xlabel="Top customers (% of customers)", ylabel="Share of total value (%)")
    ax.legend(loc="lower right")
    return ax


def plot_profit_curve(prices: np.ndarray, profits: dict[str, np.ndarray], marks: dict[str, float] | None = None,
                      ax: Axes | None = None, title: str = "Profit against price",
                      currency: str = "GBP") -> Axes:
    """Profit curves over a price grid, with optional vertical marks (e.g. the optimum)."""
    ax = _axes(ax)
    for i, (label, values) in enumerate(profits.items()):
        ax.plot(prices, values, color=f"C{i}", label=label)
    for i, (label, price) in enumerate((marks or {}).items()):
        ax.axvline(price, color=f"C{i + 3}", linestyle="--", label=label)
    ax.set(title=title, xlabel=f"Price ({currency})", ylabel=f"Profit ({currency})")
    ax.legend()
    return ax


def plot_shrinkage(raw: np.ndarray, shrunk: np.ndarray, ax: Axes | None = None,
                   limits: tuple[float, float] = (-10.0, 4.0)) -> Axes:
    """Histograms of per-product elasticities before and after empirical-Bayes pooling."""
    ax = _axes(ax)
    bins = np.linspace(*limits, 57)
    ax.hist(np.clip(raw, *limits), bins=bins, alpha=0.5, color="C0", label="per product (raw)")
    ax.hist(np.clip(shrunk, *limits), bins=bins, alpha=0.6, color="C1", label="pooled (empirical Bayes)")
    ax.axvline(-1, color="0.3", linestyle=":", label="unit elasticity (-1)")
    ax.set(title="Price elasticity per product, before and after pooling",
           xlabel=f"Elasticity (clipped to {limits[0]:g}..{limits[1]:g})", ylabel="Products")
    ax.legend()
    return ax


def plot_regret(runs: dict, ax: Axes | None = None, title: str = "Cumulative regret",
                currency: str = "GBP") -> Axes:
    """Mean cumulative pseudo-regret of each policy with its 5%-95% band across runs."""
    ax = _axes(ax)
    for i, (name, run) in enumerate(runs.items()):
        t = np.arange(1, len(run.regret) + 1)
        ax.plot(t, run.regret, color=f"C{i}", label=name)
        ax.fill_between(t, run.regret_low, run.regret_high, color=f"C{i}", alpha=0.12)
    ax.set(title=title, xlabel="Customers (time step)", ylabel=f"Cumulative regret ({currency})")
    ax.legend(fontsize="small")
    return ax
