"""Figures of notebooks 08 and 12 in the house style: precision-recall curves with the base rate, AP by kind, the
review loop by week."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from sklearn.metrics import precision_recall_curve

from shopai_lab._validation import require_columns, require_strings
from shopai_lab.plotting import plot_rounds


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


#: the weekly metrics :func:`plot_review_weeks` draws, with their axis labels
REVIEW_LABELS: dict[str, str] = {
    "found_so_far": "anomalies seen by the reviewer so far (%)",
    "precision": "anomalies among reviewed invoices (%)",
    "recall": "the week's anomalies reviewed (%)",
    "recall_unlabelled_kinds": "anomalies of never-labelled kinds reviewed (%)",
}


def plot_review_weeks(histories: dict, metrics=("found_so_far", "precision"), n_boot: int = 2000, axes=None):
    """Weekly metrics of the review loop per policy: the mean over seeds and its interval (shaded).

    Parameters
    ----------
    histories
        Policy -> history (:func:`shopai_lab.anomaly.feedback.review_study`).
    metrics
        Weekly metrics from :data:`REVIEW_LABELS`, one panel each.
    n_boot
        Bootstrap resamples of each week's interval over seeds.
    axes
        One Axes per metric; a new figure otherwise.

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "found_so_far": [0.5, 0.6, 0.4, 0.5],
    ...                   "precision": [0.1, 0.2, 0.1, 0.1]})
    >>> plot_review_weeks({"ensemble": h}, n_boot=50)[1].get_ylabel()
    'anomalies among reviewed invoices (%)'
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict of policy -> history, got {type(histories).__name__}")
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    unknown = [m for m in metrics if m not in REVIEW_LABELS]
    if unknown or not metrics:
        raise ValueError(f"metrics must be names from {list(REVIEW_LABELS)}, got {metrics!r}")
    if axes is None:
        axes = plt.subplots(1, len(metrics), figsize=(6.5 * len(metrics), 4), squeeze=False)[1][0]
    for ax, metric in zip(axes, metrics, strict=True):
        label = REVIEW_LABELS[metric]
        title = f"{label.split(' (')[0].capitalize()} by week"
        plot_rounds(histories, metric, title=title, ylabel=label, xlabel="review week", percent=True, first_round=1,
                    n_boot=n_boot, ax=ax)  # fmt: skip
    return axes
