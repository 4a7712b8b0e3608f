"""Figures of the experiments notebook: A/A p-values, power curves, peeking, boundaries, Qini curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_positive_int,
    require_probability,
    require_strings,
)


def plot_pvalue_histograms(results: pd.DataFrame, methods: list[str], bins: int = 20) -> plt.Axes:
    """Histogram of A/A p-values per method: flat when the test is calibrated."""
    require_columns(results, ["method", "p_value"], "results")
    methods = require_strings(methods, "methods")
    bins = require_positive_int(bins, "bins")
    fig, ax = plt.subplots(figsize=(8, 4))
    edges = np.linspace(0, 1, bins + 1)
    for method in methods:
        p = results.loc[results["method"] == method, "p_value"]
        ax.hist(p, bins=edges, histtype="step", linewidth=1.5, density=True, label=method)
    ax.axhline(1.0, color="grey", linestyle="--", linewidth=1, label="uniform (calibrated)")
    ax.set(title="A/A p-values on random splits of real customers", xlabel="p-value", ylabel="density")
    ax.legend(fontsize=8)
    return ax


def plot_power(table: pd.DataFrame, analytic: pd.Series | None = None) -> plt.Axes:
    """Simulated power by relative lift (one line per method), with an analytic curve if given."""
    require_columns(table, ["lift", "method", "power"], "table")
    if analytic is not None:
        require_instance(analytic, pd.Series, "analytic")
    fig, ax = plt.subplots(figsize=(8, 4))
    for method, part in table.groupby("method", sort=False):
        ax.plot(100 * part["lift"], part["power"], marker="o", label=f"{method} (simulated)")
    if analytic is not None:
        ax.plot(
            100 * analytic.index.to_numpy(),
            analytic.to_numpy(),
            color="grey",
            linestyle="--",
            label="Welch (normal approximation)",
        )
    ax.axhline(0.8, color="black", linewidth=0.8, linestyle=":")
    ax.set(
        title="Power to detect a lift in revenue per customer",
        xlabel="true lift (%)",
        ylabel="power",
        ylim=(0, 1.02),
    )
    ax.legend(fontsize=8)
    return ax


def plot_peeking(bounds: pd.DataFrame, alpha: float, weeks_label: str = "week") -> plt.Axes:
    """Critical |z| per look of a group-sequential design against the fixed-horizon value."""
    require_columns(bounds, ["look", "critical_z"], "bounds")
    alpha = require_probability(alpha, "alpha")
    from scipy import stats

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(bounds["look"], bounds["critical_z"], marker="o", label="O'Brien-Fleming (alpha spending)")
    ax.axhline(stats.norm.isf(alpha / 2), color="C3", linestyle="--", label="fixed horizon, every look")
    ax.set(title="Critical |z| at each weekly look", xlabel=weeks_label, ylabel="critical |z|")
    ax.legend()
    return ax


def plot_qini(curves: dict[str, pd.DataFrame]) -> plt.Axes:
    """Qini curves (incremental conversions by share targeted), with the random-targeting line."""
    require_instance(curves, dict, "curves")
    fig, ax = plt.subplots(figsize=(8, 4))
    last = None
    for name, curve in curves.items():
        require_columns(curve, ["fraction", "qini"], f"curves[{name!r}]")
        ax.plot(100 * curve["fraction"], curve["qini"], label=name)
        last = curve
    if last is not None:
        ax.plot([0, 100], [0, last["qini"].iloc[-1]], color="grey", linestyle="--", label="random targeting")
    ax.set(
        title="Qini curves on the held-out simulated experiment",
        xlabel="customers targeted (%)",
        ylabel="incremental purchases",
    )
    ax.legend(fontsize=8)
    return ax
