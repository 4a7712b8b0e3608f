"""Figures of notebook 08 in the house style: precision-recall curves with the base rate, AP by kind."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from sklearn.metrics import precision_recall_curve

from shopai_lab._validation import require_columns, require_strings


def plot_precision_recall(scores: pd.DataFrame, detectors: Sequence[str], ax: Axes | None = None) -> Axes:
    """Precision against recall of each detector on one planted set, with the base rate (a random order).

    Parameters
    ----------
    scores
        One planted set's scores with a ``kind`` column (``"normal"`` or the planted kind).
    detectors
        Columns to draw.

    Examples
    --------
    >>> import numpy as np
    >>> s = pd.DataFrame({"rule": np.arange(20.0), "kind": ["normal"] * 18 + ["price"] * 2})
    >>> plot_precision_recall(s, ["rule"]).get_title()
    'Precision and recall on a planted set'
    """
    detectors = list(require_strings(detectors, "detectors"))
    require_columns(scores, [*detectors, "kind"], "scores")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    truth = (scores["kind"] != "normal").to_numpy()
    for name in detectors:
        precision, recall, _ = precision_recall_curve(truth, scores[name].to_numpy(float))
        ax.step(recall, precision, where="post", label=name)
    ax.axhline(truth.mean(), color="grey", linestyle="--", label=f"random order (base rate {truth.mean():.1%})")
    ax.set(
        title="Precision and recall on a planted set",
        xlabel="recall (share of planted anomalies found)",
        ylabel="precision (share of flags that are planted)",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_ap_by_kind(results: pd.DataFrame, order: Sequence[str], ax: Axes | None = None) -> Axes:
    """Average precision by kind (mean over planted sets), detectors in ``order``, with the base rate.

    Examples
    --------
    >>> r = pd.DataFrame({"detector": ["a", "a"], "kind": ["price", "burst"], "average_precision": [0.8, 0.1],
    ...                   "anomalies": [5, 5], "seed": [0, 0]})
    >>> plot_ap_by_kind(r, ["a"]).get_xlabel()
    'average precision (dashed: a random order, the base rate)'
    """
    require_columns(results, ["detector", "kind", "average_precision"], "results")
    order = list(require_strings(order, "order"))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    kinds = results[results["kind"] != "overall"]
    table = kinds.pivot_table(index="detector", columns="kind", values="average_precision")
    table.loc[order].plot.barh(ax=ax)
    if "base_rate" in results.columns:
        ax.axvline(float(kinds["base_rate"].mean()), color="grey", linestyle="--")
    ax.set(
        title="Average precision by kind of planted anomaly (mean over planted sets)",
        xlabel="average precision (dashed: a random order, the base rate)",
        ylabel="",
        xlim=(0, 1),
    )
    ax.legend(title="kind", loc="lower right")
    return ax
