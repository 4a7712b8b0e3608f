"""Plots of notebook 04: profit curves, shrinkage, regret."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from shopai_lab import plotting
from shopai_lab._validation import as_float_array, require_instance, require_number
from shopai_lab.plotting import axes_or_new


def plot_profit_curve(
    prices: np.ndarray,
    profits: dict[str, np.ndarray],
    marks: dict[str, float] | None = None,
    ax: Axes | None = None,
    title: str = "Profit against price",
    *,
    currency: str,
) -> Axes:
    """Profit curves over a price grid, with optional vertical marks (e.g. the optimum).

    Examples
    --------
    >>> from shopai_lab.pricing import LinearDemand
    >>> demand, grid = LinearDemand(a=100, b=1), np.linspace(1, 99, 50)
    >>> marks = {"optimum": demand.optimal_price()}
    >>> ax = plot_profit_curve(grid, {"linear": demand.profit(grid)}, marks, currency="EUR")
    >>> ax.get_legend_handles_labels()[1]
    ['linear', 'optimum']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = axes_or_new(ax)
    for i, (label, values) in enumerate(profits.items()):
        ax.plot(prices, values, color=f"C{i}", label=label)
    for i, (label, price) in enumerate((marks or {}).items()):
        ax.axvline(price, color=f"C{i + 3}", linestyle="--", label=label)
    ax.set(title=title, xlabel=f"Price ({currency})", ylabel=f"Profit ({currency})")
    ax.legend()
    return ax


def plot_relative_profit(models: Mapping, prices, unit_cost: float, ax: Axes | None = None, *, currency: str) -> Axes:
    """Profit of each demand model over ``prices``, as a share of the profit at its own optimum.

    Puts demand curves of very different scales on one axis: each peaks at 1, at its optimal price.

    Parameters
    ----------
    models
        Demand models (with ``profit`` and ``optimal_price``) by label.
    prices
        The price grid.
    unit_cost
        Cost per unit.

    Examples
    --------
    >>> from shopai_lab.pricing import LinearDemand
    >>> grid = np.linspace(1, 99, 50)
    >>> ax = plot_relative_profit({"linear": LinearDemand(a=100, b=1)}, grid, unit_cost=0.0, currency="EUR")
    >>> ax.get_ylabel()
    'Profit / profit at the optimum'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    require_instance(models, Mapping, "models")
    grid = as_float_array(prices, "prices", allow_empty=False)
    cost = require_number(unit_cost, "unit_cost", low=0)
    relative = {
        name: model.profit(grid, cost) / model.profit(model.optimal_price(cost), cost) for name, model in models.items()
    }
    ax = plot_profit_curve(
        grid,
        relative,
        ax=ax,
        currency=currency,
        title=f"Profit relative to each model's optimum (unit cost {currency} {cost:g})",
    )
    ax.set(ylabel="Profit / profit at the optimum", ylim=(0, 1.05))
    return ax


def plot_shrinkage(
    raw: np.ndarray, shrunk: np.ndarray, ax: Axes | None = None, limits: tuple[float, float] = (-10.0, 4.0)
) -> Axes:
    """Histograms of per-product elasticities before and after empirical-Bayes pooling.

    Values outside ``limits`` are drawn in the outermost bins.

    Examples
    --------
    >>> ax = plot_shrinkage(np.array([-12.0, -3.0, -1.5, 0.5]), np.array([-4.0, -2.5, -1.8, -1.2]))
    >>> ax.get_xlabel()
    'Elasticity (clipped to -10..4)'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = axes_or_new(ax)
    bins = np.linspace(*limits, 57)
    ax.hist(np.clip(raw, *limits), bins=bins, alpha=0.5, color="C0", label="per product (raw)")
    ax.hist(np.clip(shrunk, *limits), bins=bins, alpha=0.6, color="C1", label="pooled (empirical Bayes)")
    ax.axvline(-1, color="0.3", linestyle=":", label="unit elasticity (-1)")
    ax.set(
        title="Price elasticity per product, before and after pooling",
        xlabel=f"Elasticity (clipped to {limits[0]:g}..{limits[1]:g})",
        ylabel="Products",
    )
    ax.legend()
    return ax


def plot_regret(
    runs: dict,
    ax: Axes | None = None,
    title: str = "Cumulative regret",
    *,
    currency: str,
    symlog_threshold: float | None = None,
) -> Axes:
    """Mean cumulative regret of each policy with its 5%-95% band across runs.

    The regret is as defined in :class:`~shopai_lab.pricing.PricingRun`: pseudo-regret without inventory,
    against the LP bound with it.

    ``symlog_threshold``: draw the regret axis linear up to this value and logarithmic above
    (``symlog``), so policies whose regret differs by orders of magnitude stay readable.

    Examples
    --------
    >>> from shopai_lab.pricing import UCB1, ThompsonSampling, race
    >>> _, runs = race([ThompsonSampling(), UCB1()], [29.9, 34.9], [0.8, 0.6], horizon=100, n_runs=3)
    >>> plot_regret(runs, currency="EUR", symlog_threshold=10).get_yscale()
    'symlog'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = axes_or_new(ax)
    for i, (name, run) in enumerate(runs.items()):
        t = np.arange(1, len(run.regret) + 1)
        ax.plot(t, run.regret, color=f"C{i}", label=name)
        ax.fill_between(t, run.regret_low, run.regret_high, color=f"C{i}", alpha=0.12)
    ax.set(title=title, xlabel="Customers (time step)", ylabel=f"Cumulative regret ({currency})")
    if symlog_threshold is not None:
        ax.set_yscale(
            "symlog", linthresh=require_number(symlog_threshold, "symlog_threshold", low=0, low_inclusive=False)
        )
    ax.legend(fontsize="small")
    return ax


def plot_policy_comparison(comparison, baseline: str, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each policy's share of the benchmark minus the baseline's, with its paired bootstrap interval.

    ``comparison`` is the output of :func:`~shopai_lab.pricing.compare_policies` (an ``interval`` per
    policy); differences are drawn in percentage points.

    Examples
    --------
    >>> import pandas as pd
    >>> from shopai_lab.stats import Interval
    >>> table = pd.DataFrame({"interval": [Interval(-0.03, -0.04, -0.02, level=0.95, n=50, se=0.005)]}, index=["UCB1"])
    >>> plot_policy_comparison(table, "Thompson sampling").get_xlabel()
    'Share of the benchmark minus Thompson sampling (percentage points, 95% CI)'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if "interval" not in getattr(comparison, "columns", ()):
        raise ValueError("comparison is missing column 'interval': pass the output of compare_policies")
    levels = {result.level for result in comparison["interval"]}
    level = f"{100 * levels.pop():g}% CI" if len(levels) == 1 else "CI"
    return plotting.plot_differences(
        comparison["interval"],
        title or f"Each policy against {baseline}, paired by run",
        f"Share of the benchmark minus {baseline} (percentage points, {level})",
        ax,
        scale=100.0,
        figsize=tuple(plt.rcParams["figure.figsize"]),
    )


def plot_regret_panels(
    runs: dict,
    *,
    currency: str,
    reference: str | None = None,
    title: str = "Cumulative regret",
    symlog_threshold: float | None = None,
    ncols: int = 3,
) -> np.ndarray:
    """Small multiples: one panel per policy with its mean cumulative regret and its 5%-95% band across runs.

    The panels share both axes, so bands compare by position; ``reference`` (a policy name) is drawn as a
    grey line in every other panel. ``symlog_threshold``: linear up to it, logarithmic above.

    Examples
    --------
    >>> from shopai_lab.pricing import UCB1, ThompsonSampling, race
    >>> _, runs = race([ThompsonSampling(), UCB1()], [29.9, 34.9], [0.8, 0.6], horizon=100, n_runs=3)
    >>> axes = plot_regret_panels(runs, currency="EUR", reference="Thompson sampling")
    >>> [a.get_title() for a in axes[:2]], axes[0].get_ylabel()
    (['Thompson sampling', 'UCB1'], 'Cumulative regret (EUR)')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    require_instance(runs, dict, "runs")
    if not runs:
        raise ValueError("runs is empty: race at least one policy")
    if reference is not None and reference not in runs:
        raise ValueError(f"reference {reference!r} is not one of the runs {sorted(runs)}")
    ncols = min(int(require_number(ncols, "ncols", low=1)), len(runs))
    nrows = -(-len(runs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), sharex=True, sharey=True, squeeze=False)
    for i, (ax, (name, run)) in enumerate(zip(axes.flat, runs.items())):
        t = np.arange(1, len(run.regret) + 1)
        if reference is not None and name != reference:
            ax.plot(t, runs[reference].regret, color="0.6", linewidth=1, label=f"{reference} (mean)")
        ax.plot(t, run.regret, color=f"C{i}", label="mean")
        ax.fill_between(t, run.regret_low, run.regret_high, color=f"C{i}", alpha=0.25, label="5%-95% of runs")
        ax.set_title(name, fontsize="medium")
        if symlog_threshold is not None:
            ax.set_yscale(
                "symlog", linthresh=require_number(symlog_threshold, "symlog_threshold", low=0, low_inclusive=False)
            )
        ax.legend(fontsize="x-small", loc="upper left")
    for ax in axes.flat[len(runs) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(f"Cumulative regret ({currency})")
    for ax in axes[-1, :]:
        ax.set_xlabel("Customers (time step)")
    fig.suptitle(title)
    return axes.ravel()
