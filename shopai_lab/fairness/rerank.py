"""Re-ranking with an exposure constraint: every list holds at least a share of products from a protected
group (the catalogue's long tail, say), chosen to lose as little score as possible.

For one list of length ``k`` with at least ``m = ceil(min_share * k)`` protected products, the set with the
largest total score is the ``m`` best protected products plus the ``k - m`` best of the rest (an exchange
argument: a feasible set that misses one of the ``m`` best protected products holds a worse protected one, and
swapping them loses nothing). The list is then ordered by score. Tracing ``min_share`` from 0 up gives the
accuracy-vs-exposure frontier (:func:`quota_frontier`); the constraint holds on every list that has ``m``
protected candidates.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from shopai_lab._validation import as_bool_array, require_number, require_positive_int
from shopai_lab.fairness.exposure import exposure_disparity, exposure_table, item_exposure
from shopai_lab.ranking import quantize, top_k_rows
from shopai_lab.stats import gini

__all__ = ["choose_quota", "exposure_constrained_top_k", "quota_frontier"]


def _scores(scores) -> np.ndarray:
    try:
        array = np.array(scores, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise TypeError(f"scores must be numbers, got {type(scores).__name__}") from None
    if array.ndim != 2:
        raise ValueError(f"scores must be a 2-D array of customers x products, got shape {array.shape}")
    if np.isnan(array).any() or np.isposinf(array).any():
        raise ValueError("scores has NaN or +inf values; mark products that must not be shown with -inf")
    return array


def exposure_constrained_top_k(scores, protected, k: int, min_share: float) -> np.ndarray:
    """Top-``k`` lists with at least ``ceil(min_share * k)`` protected products each, best total score.

    Parameters
    ----------
    scores
        ``(n_customers, n_products)`` scores; ``-inf`` marks a product that must not be shown (already bought).
    protected
        ``(n_products,)`` booleans: the group the constraint protects.
    k
        List length, at most the number of products.
    min_share
        Share of each list reserved for protected products, in [0, 1]; 0 gives the plain top-k.

    Returns
    -------
    numpy.ndarray
        ``(n_customers, k)`` product indices ordered by score (ties: lower index first, stable to last-bit
        noise through :mod:`shopai_lab.ranking`); ``-1`` where a customer has fewer than ``k`` showable products.
        A customer with fewer showable protected products than the constraint asks for gets all of them.

    Examples
    --------
    >>> scores = np.array([[0.9, 0.8, 0.7, 0.2, 0.1]])
    >>> tail = np.array([False, False, False, True, True])
    >>> exposure_constrained_top_k(scores, tail, k=3, min_share=0.0).tolist()
    [[0, 1, 2]]
    >>> exposure_constrained_top_k(scores, tail, k=3, min_share=0.5).tolist()
    [[0, 3, 4]]
    """
    scores = _scores(scores)
    n_products = scores.shape[1]
    flags = as_bool_array(protected, "protected")
    if flags.shape != (n_products,):
        raise ValueError(f"protected must hold one flag per product ({n_products}), got shape {flags.shape}")
    k = require_positive_int(k, "k")
    if k > n_products:
        raise ValueError(f"k ({k}) must not exceed the number of products ({n_products})")
    min_share = require_number(min_share, "min_share", low=0.0, high=1.0)
    m = math.ceil(round(min_share * k, 9))  # 0.3 * 10 is 3.0000000000000004 in floating point
    chosen = np.full((scores.shape[0], 0), -1, dtype=np.int64)
    remaining = scores.copy()
    if m:
        reserved, reserved_scores = top_k_rows(np.where(flags, scores, -np.inf), m)
        reserved[np.isneginf(reserved_scores)] = -1
        chosen = reserved
        rows = np.repeat(np.arange(scores.shape[0]), m)
        kept = reserved.ravel() >= 0
        remaining[rows[kept], reserved.ravel()[kept]] = -np.inf
    n_rest = k - (chosen >= 0).sum(axis=1)
    rest, rest_scores = top_k_rows(remaining, k)
    rest[np.isneginf(rest_scores)] = -1
    rest[np.arange(k)[None, :] >= n_rest[:, None]] = -1
    lists = np.concatenate([chosen, rest], axis=1)
    return _order_by_score(lists, scores, k)


def _order_by_score(lists: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Each row's products ordered by (quantised) score, ties by lower index, empty slots (-1) last; k kept."""
    q = quantize(scores, axis=1)
    gathered = np.take_along_axis(q, np.where(lists >= 0, lists, 0), axis=1)
    key_score = np.where(lists >= 0, -gathered, np.inf)
    key_index = np.where(lists >= 0, lists, np.iinfo(np.int64).max)
    order = np.lexsort((key_index, key_score), axis=1)
    return np.take_along_axis(lists, order, axis=1)[:, :k]


def quota_frontier(scores, protected, k: int, quotas, per_customer_metric, merit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accuracy and exposure of :func:`exposure_constrained_top_k` for each protected quota (0 first).

    Parameters
    ----------
    scores, protected, k
        As in :func:`exposure_constrained_top_k`.
    quotas
        Protected shares of each list to try (0, the plain top-k, is always added first).
    per_customer_metric
        ``lists -> one value per customer`` (e.g. each customer's nDCG@k against what they bought next).
    merit
        Per-product merit for the exposure table (e.g. purchases in the period the lists serve).

    Returns
    -------
    frontier : pandas.DataFrame
        Indexed by ``quota``: ``mean`` (the metric's mean over customers), ``protected_exposure_share``,
        ``protected_merit_share``, ``disparity`` (protected exposure per unit of merit over the rest's, 1 =
        proportional) and ``gini`` (of exposure over products).
    per_customer : pandas.DataFrame
        One column per quota: each customer's metric, for paired comparisons over customers.

    Examples
    --------
    >>> scores = np.array([[0.9, 0.8, 0.2, 0.1], [0.7, 0.9, 0.3, 0.2]])
    >>> tail = np.array([False, False, True, True])
    >>> hits = lambda lists: (lists[:, 0] == 0).astype(float)
    >>> frontier, _ = quota_frontier(scores, tail, 2, [0.5], hits, merit=[1, 1, 1, 1])
    >>> frontier["protected_exposure_share"].round(3).tolist()
    [0.0, 0.387]
    """
    flags = np.asarray(protected, dtype=bool)
    values = sorted({0.0, *(require_number(q, "quotas", low=0.0, high=1.0) for q in quotas)})
    labels = np.where(flags, "protected", "rest")
    rows, per_customer = {}, {}
    for quota in values:
        lists = exposure_constrained_top_k(scores, flags, k, quota)
        per_customer[quota] = np.asarray(per_customer_metric(lists), dtype=float)
        exposure = item_exposure(lists, len(flags))
        table = exposure_table(exposure, merit, labels)
        rows[quota] = {
            "mean": float(per_customer[quota].mean()),
            "protected_exposure_share": float(table.loc["protected", "exposure_share"]),
            "protected_merit_share": float(table.loc["protected", "merit_share"]),
            "disparity": exposure_disparity(table, "protected", "rest"),
            "gini": gini(exposure),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("quota"), pd.DataFrame(per_customer)


def choose_quota(frontier: pd.DataFrame, max_loss_share: float) -> float:
    """The largest quota whose mean metric is within ``max_loss_share`` of the plain lists' (quota 0).

    Choose it on a validation period's :func:`quota_frontier`, then apply it to the test period once.

    Examples
    --------
    >>> frontier = pd.DataFrame({"mean": [0.120, 0.119, 0.110]}, index=[0.0, 0.1, 0.3])
    >>> choose_quota(frontier, 0.02), choose_quota(frontier, 0.0)
    (0.1, 0.0)
    """
    max_loss_share = require_number(max_loss_share, "max_loss_share", low=0.0, high=1.0)
    if 0.0 not in frontier.index or "mean" not in frontier.columns:
        raise ValueError("frontier must be a quota_frontier table: a 'mean' column and a row for quota 0")
    floor = (1 - max_loss_share) * frontier.loc[0.0, "mean"]
    within = frontier.index[frontier["mean"].to_numpy() >= floor - 1e-12]
    return float(max(within))
