"""The few plot helpers the notebooks share, in one style.

Every helper draws on a given ``ax`` (or a new figure), sets a title and axis
labels with units, and returns the ``Axes`` so a notebook can adjust it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes


def set_style() -> None:
    """Seaborn's white grid, a readable font size and a fixed figure size."""
    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 90, "axes.titleweight": "bold"})


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax
