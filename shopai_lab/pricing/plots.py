"""Plots of notebook 04: profit curves, shrinkage, regret.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from shopai_lab.plotting import _axes


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
