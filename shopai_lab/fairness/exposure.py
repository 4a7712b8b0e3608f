"""Exposure: how much attention each product receives from a set of recommendation lists, and whether it
matches what the product merits.

A list shows its first item more than its tenth: position ``r`` (1-based) receives the weight
``1 / log2(1 + r)``, the discount of nDCG (Singh & Joachims, "Fairness of Exposure in Rankings", KDD 2018,
use the same position-based attention model). A product's exposure is the sum of its weights over all lists.

Fairness of exposure asks that a group of products receive exposure in proportion to its merit (here: its
share of purchases): :func:`exposure_table` gives each group's share of exposure, its share of merit and their
ratio, and :func:`exposure_disparity` the ratio of two groups' ratios (1: exposure follows merit; below 1: the
first group is shown less than it merits).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import as_float_array, as_index_array, require_positive_int, require_same_length
from shopai_lab.stats import gini

__all__ = ["exposure_disparity", "exposure_table", "gini", "item_exposure", "position_weights"]


def position_weights(k: int) -> np.ndarray:
    """Attention paid to positions 1..k of a list: ``1 / log2(1 + r)`` (nDCG's discount).

    Examples
    --------
    >>> position_weights(3).round(4).tolist()
    [1.0, 0.6309, 0.5]
    """
    k = require_positive_int(k, "k")
    return 1.0 / np.log2(np.arange(2, k + 2))


def item_exposure(lists, n_items: int) -> np.ndarray:
    """Each product's exposure from recommendation lists: the sum of its position weights.

    Parameters
    ----------
    lists
        ``(n_lists, k)`` item indices, best first (a recommender's ``recommend`` output); ``-1`` marks an
        empty slot (a short list), which exposes nothing.
    n_items
        Number of products; every index must be below it.

    Returns
    -------
    numpy.ndarray
        ``(n_items,)`` exposure; it sums to ``n_lists * sum(position_weights(k))`` for full lists.

    Examples
    --------
    >>> item_exposure([[0, 1], [1, 2]], n_items=4).round(4).tolist()
    [1.0, 1.6309, 0.6309, 0.0]
    """
    n_items = require_positive_int(n_items, "n_items")
    array = as_index_array(lists, "lists", size=n_items, ndim=2, allow_padding=True)
    flat = array.ravel()
    weights = np.tile(position_weights(array.shape[1]), array.shape[0])
    shown = flat >= 0
    return np.bincount(flat[shown], weights=weights[shown], minlength=n_items).astype(float)


def exposure_table(exposure, merit, groups) -> pd.DataFrame:
    """Each group's share of exposure beside its share of merit, and their ratio.

    Parameters
    ----------
    exposure
        Per-product exposure (:func:`item_exposure`).
    merit
        Per-product merit, e.g. purchases in the period the lists serve (non-negative, not all zero).
    groups
        Per-product group label (e.g. ``"head"``/``"tail"`` by popularity).

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted): ``products``, ``exposure_share``, ``merit_share`` and ``ratio`` (exposure
        share / merit share; ``inf`` for a group with exposure but no merit, NaN with neither).

    Examples
    --------
    >>> exposure_table([3.0, 1.0, 0.0, 0.0], [1, 1, 1, 1], ["head", "head", "tail", "tail"])
          products  exposure_share  merit_share  ratio
    head         2             1.0          0.5    2.0
    tail         2             0.0          0.5    0.0
    """
    e = as_float_array(exposure, "exposure")
    m = as_float_array(merit, "merit")
    labels = np.asarray(groups)
    require_same_length(exposure=e, merit=m, groups=labels)
    if (e < 0).any() or (m < 0).any():
        raise ValueError("exposure and merit must be >= 0")
    if e.sum() == 0 or m.sum() == 0:
        raise ValueError("exposure and merit must not be all zero: shares of nothing are undefined")
    frame = pd.DataFrame({"group": labels, "exposure": e, "merit": m})
    table = frame.groupby("group", sort=True).agg(
        products=("exposure", "size"), exposure=("exposure", "sum"), merit=("merit", "sum")
    )
    table["exposure_share"] = table.pop("exposure") / e.sum()
    table["merit_share"] = table.pop("merit") / m.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = table["exposure_share"] / table["merit_share"]
    table.index.name = None
    return table


def exposure_disparity(table: pd.DataFrame, group: str, reference: str) -> float:
    """``ratio(group) / ratio(reference)`` of an :func:`exposure_table`: 1 when both groups are exposed in
    proportion to their merit; 0.5 when ``group`` gets half the exposure per unit of merit that ``reference`` gets.

    Examples
    --------
    >>> table = exposure_table([3.0, 1.0, 1.0, 0.0], [1, 1, 1, 1], ["head", "head", "tail", "tail"])
    >>> exposure_disparity(table, "tail", "head")
    0.25
    """
    for name, value in (("group", group), ("reference", reference)):
        if value not in table.index:
            raise ValueError(f"{name} {value!r} is not a group of the table: {table.index.tolist()}")
    return float(table.loc[group, "ratio"] / table.loc[reference, "ratio"])
