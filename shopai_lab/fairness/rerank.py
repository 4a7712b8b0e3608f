"""Re-ranking with an exposure constraint: every list holds at least a share of products from a protected
group (the catalogue's long tail, say), chosen to lose as little score as possible.

For one list of length ``k`` with at least ``m = ceil(min_share * k)`` protected products, the set with the
largest total score is the ``m`` best protected products plus the ``k - m`` best of the rest (an exchange
argument: a feasible set that misses one of the ``m`` best protected products holds a worse protected one, and
swapping them loses nothing). The list is then ordered by score. Tracing ``min_share`` from 0 up gives the
accuracy-vs-exposure frontier; the constraint holds on every list that has ``m`` protected candidates.
"""

from __future__ import annotations

import math

import numpy as np

from shopai_lab._validation import as_bool_array, require_number, require_positive_int
from shopai_lab.ranking import quantize, top_k_rows

__all__ = ["exposure_constrained_top_k"]


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
