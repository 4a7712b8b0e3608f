"""Plots of the forecast domain: each draws on a given ``ax`` (or a new one) and returns it."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns, require_frame, require_instance
from shopai_lab.plotting import axes_or_new

__all__ = ["plot_weekly_total", "plot_errors_by_horizon", "plot_service_curves"]


def plot_weekly_total(
    units: pd.DataFrame, closed_weeks=(), test_start=None, validation_start=None, ax: Axes | None = None
) -> Axes:
    """Total weekly units of the panel's products, closures marked, validation and test weeks shaded."""
    require_frame(units, "units")
    ax = axes_or_new(ax, (9, 4.5))
    total = units.sum(axis=1)
    ax.plot(total.index, total.to_numpy(), marker="o", ms=3, color="C0", label="units sold")
    for i, week in enumerate(closed_weeks):
        ax.axvline(week, color="C3", ls=":", label="shop closed" if i == 0 else None)
    end = total.index[-1] + pd.Timedelta(days=7)
    if validation_start is not None:
        ax.axvspan(
            validation_start,
            test_start if test_start is not None else end,
            color="C2",
            alpha=0.12,
            label="validation weeks",
        )
    if test_start is not None:
        ax.axvspan(test_start, end, color="C1", alpha=0.15, label="test weeks")
    ax.set(title="Weekly demand of the selected products", xlabel="Week (start)", ylabel="Units per week")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    return ax


def plot_errors_by_horizon(summary: pd.DataFrame, metric: str = "mase", ax: Axes | None = None) -> Axes:
    """One line per model: ``metric`` (from :func:`summarize_errors`) against the horizon."""
    require_columns(summary.reset_index(), ["model", "h", metric], "summary")
    ax = axes_or_new(ax, (9, 4.5))
    table = summary[metric].unstack("h")
    for model, row in table.iterrows():
        ax.plot(row.index, row.to_numpy(), marker="o", label=str(model))
    ax.set(
        title=f"{metric.upper()} by forecast horizon (test weeks)",
        xlabel="Horizon (weeks ahead)",
        ylabel=f"{metric.upper()} (1 = in-sample naive error)",
        xticks=list(table.columns),
    )
    ax.legend(ncol=2, fontsize="small", loc="upper left")
    return ax


def plot_service_curves(
    curves: dict, target_fill: float | None = None, max_weeks: float | None = None, ax: Axes | None = None
) -> Axes:
    """Fill rate against weeks of stock for each forecaster's policy family (:func:`service_curve`)."""
    require_instance(curves, dict, "curves")
    ax = axes_or_new(ax, (9, 4.5))
    for i, (name, curve) in enumerate(curves.items()):
        require_columns(curve, ["weeks_of_stock", "fill_rate"], f"curves[{name!r}]")
        c = curve.sort_values("weeks_of_stock", kind="stable")
        ax.plot(c["weeks_of_stock"], 100 * c["fill_rate"], marker="o", ms=3, color=f"C{i}", label=str(name))
    if target_fill is not None:
        ax.axhline(100 * target_fill, color="grey", ls="--", label=f"{100 * target_fill:g}% fill target")
    if max_weeks is not None:
        ax.axvline(max_weeks, color="grey", ls=":", label=f"{max_weeks:g} weeks of stock")
    ax.set(
        title="Service against stock: order-up-to policies on the test weeks",
        xlabel="Average stock (weeks of demand)",
        ylabel="Fill rate (% of units demanded)",
    )
    ax.legend(fontsize="small", loc="lower right")
    return ax
