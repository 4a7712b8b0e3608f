"""Diversity re-ranking of recommendation lists (maximal marginal relevance)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from shopai_lab._validation import (
    as_float_array,
    as_index_array,
    require_number,
    require_positive_int,
)
from shopai_lab.ranking import quantize
from shopai_lab.recommend.base import check_interactions
from shopai_lab.recommend.similarity import ItemVectors


def mmr_rerank(
    items: np.ndarray, scores: np.ndarray, X: sp.csr_matrix, k: int = 10, relevance_weight: float = 0.7
) -> np.ndarray:
    """Re-rank each user's candidate list for diversity by maximal marginal relevance.

    Greedily picks the candidate maximising
    ``w * relevance - (1 - w) * max cosine similarity to the items already picked``,
    with relevance the candidate's score min-max scaled within the user's list
    and similarity between items' purchase columns of ``X``. ``w = 1`` keeps the
    original order.

    Parameters
    ----------
    items, scores
        ``(n_users, n_candidates)`` from ``recommend`` (``n_candidates >= k``).
    X
        The customer x item matrix the items index.
    k
        Length of the re-ranked lists.
    relevance_weight
        ``w`` in [0, 1].

    Returns
    -------
    numpy.ndarray
        ``(n_users, k)`` re-ranked items.
    """
    require_number(relevance_weight, "relevance_weight", low=0, high=1)
    k = require_positive_int(k, "k")
    n_items = check_interactions(X).shape[1]
    items = as_index_array(items, "items", n_items, ndim=2, allow_padding=True)
    scores = as_float_array(scores, "scores", ndim=2, allow_inf=True)
    if scores.shape != items.shape:
        raise ValueError(f"scores must have the shape of items {items.shape}, got {scores.shape}")
    if items.shape[1] < k:
        raise ValueError(f"need at least k={k} candidates per user, got {items.shape[1]}")
    vectors = ItemVectors(X)
    out = np.empty((items.shape[0], k), dtype=np.int64)
    for u in range(items.shape[0]):
        valid = items[u] >= 0
        row = _mmr_order(items[u][valid], scores[u][valid], vectors, k, relevance_weight)
        out[u] = np.concatenate([row, np.full(k - len(row), -1)])
    return out


def _mmr_order(cand: np.ndarray, rel: np.ndarray, vectors: ItemVectors, k: int, relevance_weight: float) -> np.ndarray:
    """The first ``k`` of one user's candidates in greedy maximal-marginal-relevance order."""
    spread = rel.max() - rel.min() if len(rel) else 0.0
    rel = (rel - rel.min()) / spread if spread > 0 else np.ones_like(rel)
    sims = vectors.similarity(cand)
    chosen: list[int] = []
    max_sim = np.zeros(len(cand))
    available = np.ones(len(cand), dtype=bool)
    for _ in range(min(k, len(cand))):
        value = relevance_weight * rel - (1 - relevance_weight) * max_sim
        value = quantize(value)  # a near-tie is a tie: the earlier candidate wins, on any CPU
        value[~available] = -np.inf
        pick = int(np.argmax(value))
        chosen.append(pick)
        available[pick] = False
        max_sim = np.maximum(max_sim, sims[pick])
    return cand[chosen]
