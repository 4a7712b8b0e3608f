"""The few plot helpers the notebooks share, in one style.

Every helper draws on a given ``ax`` (or a new figure), sets a title and axis
labels with units, and returns the ``Axes`` so a notebook can adjust it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from shopai_lab._validation import require_columns, require_positive


def set_style() -> None:
    """Seaborn's white grid, a readable font size and a fixed figure size."""
    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 90, "axes.titleweight": "bold"})


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_differences(
    table: pd.DataFrame,
    title: str,
    xlabel: str,
    ax: Axes | None = None,
    *,
    scale: float = 1.0,
    ylabel: str | None = None,
    zero_label: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Paired differences with their bootstrap intervals as horizontal error bars, first row on top.

    The one chart of a comparison in the lab: each row of ``table`` (indexed by what is compared,
    with ``difference``, ``low`` and ``high`` columns, e.g. :func:`shopai_lab.stats.paired_bootstrap`
    results) is a point with its interval; a dotted line marks zero, so a bar that crosses it is a
    difference the data cannot tell from none.

    Parameters
    ----------
    table
        One comparison per row: ``difference``, ``low``, ``high``.
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
    >>> t = pd.DataFrame({"difference": [0.1, -0.2], "low": [0.0, -0.3], "high": [0.2, -0.1]}, index=["a", "b"])
    >>> plot_differences(t, "Gains", "Difference in AUC").get_xlabel()
    'Difference in AUC'
    >>> plt.close("all")
    """
    require_columns(table, ["difference", "low", "high"], "table")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    scale = require_positive(scale, "scale")
    ax = _axes(ax, figsize=figsize or (8, 0.5 * len(table) + 1.5))
    y = np.arange(len(table))[::-1]
    values = {c: scale * table[c].to_numpy(dtype=float) for c in ("difference", "low", "high")}
    errors = np.vstack([values["difference"] - values["low"], values["high"] - values["difference"]])
    ax.errorbar(values["difference"], y, xerr=errors, fmt="o", color="C0", capsize=4, label="95% interval")
    ax.axvline(0, color="0.5", linestyle=":", label=zero_label)
    ax.set_yticks(y, [str(i) for i in table.index])
    ax.set(title=title, xlabel=xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if zero_label is not None:
        ax.legend(loc="best")
    return ax
