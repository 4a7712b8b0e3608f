"""Neighbourhood recommenders: item-kNN and user-kNN on cosine similarity.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from shopai_lab._validation import (
    require_bool,
    require_number,
    require_positive_int,
)
from shopai_lab.recommend.base import Recommender, check_interactions


def _check_neighbourhood(n_neighbors, shrinkage) -> None:
    require_positive_int(n_neighbors, "n_neighbors")
    require_number(shrinkage, "shrinkage", low=0)


def _knn_prune(similarity: sp.csr_matrix, n_neighbors: int) -> sp.csr_matrix:
    """Keep the ``n_neighbors`` largest entries of each row of a CSR matrix."""
    similarity = similarity.tocsr()
    indptr, indices, data = similarity.indptr, similarity.indices, similarity.data
    keep = np.zeros(len(data), dtype=bool)
    lengths = np.diff(indptr)
    for row in np.flatnonzero(lengths > 0):
        start, stop = indptr[row], indptr[row + 1]
        if stop - start <= n_neighbors:
            keep[start:stop] = True
        else:
            top = np.argpartition(-data[start:stop], n_neighbors - 1)[:n_neighbors]
            keep[start + top] = True
    pruned = sp.csr_matrix((np.where(keep, data, 0.0), indices, indptr), shape=similarity.shape)
    pruned.eliminate_zeros()
    return pruned


def cosine_item_similarity(X: sp.csr_matrix, n_neighbors: int = 100, shrinkage: float = 0.0,
                           block_size: int = 2_000, progress: bool = False) -> sp.csr_matrix:
    """Item x item cosine similarity of the columns of ``X``, top-``n_neighbors`` per row, sparse.

    ``sim(i, j) = <x_i, x_j> / (|x_i| |x_j| + shrinkage)``, the diagonal set to 0.
    Computed in blocks of items so memory stays bounded by the block's products.
    """
    _check_neighbourhood(n_neighbors, shrinkage)
    block_size = require_positive_int(block_size, "block_size")
    X = sp.csc_matrix(check_interactions(X), dtype=np.float32)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=0)).ravel())
    XT = X.T.tocsr()
    blocks = []
    starts = range(0, X.shape[1], block_size)
    for start in tqdm(starts, disable=not progress, desc="item similarity"):
        stop = min(start + block_size, X.shape[1])
        dots = (XT[start:stop] @ X).tocsr()  # (block, n_items) co-occurrence
        dots = dots.tocoo()
        denom = norms[start + dots.row] * norms[dots.col] + shrinkage
        values = np.where(denom > 0, dots.data / np.where(denom > 0, denom, 1.0), 0.0)
        values[start + dots.row == dots.col] = 0.0
        block = sp.csr_matrix((values.astype(np.float32), (dots.row, dots.col)), shape=(stop - start, X.shape[1]))
        block.eliminate_zeros()
        blocks.append(_knn_prune(block, n_neighbors))
    return sp.vstack(blocks).tocsr()


class ItemKNN(Recommender):
    """Item-based collaborative filtering: score items similar to what the user bought.

    ``score(u, j) = sum_i x_ui sim(i, j)`` over the user's items, with cosine
    similarity pruned to each item's ``n_neighbors`` nearest items and shrunk
    by ``shrinkage`` (which discounts similarities resting on few co-buyers).

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    >>> ItemKNN(n_neighbors=2).fit(X).recommend([2], k=1)[0].tolist()
    [[1]]
    """

    def __init__(self, n_neighbors: int = 100, shrinkage: float = 0.0, progress: bool = False) -> None:
        self.n_neighbors = n_neighbors
        self.shrinkage = shrinkage
        self.progress = progress

    def fit(self, X) -> ItemKNN:
        _check_neighbourhood(self.n_neighbors, self.shrinkage)
        require_bool(self.progress, "progress")
        start = time.perf_counter()
        X = self._fit_common(X)
        # similarity_[i, j]: how much having item i suggests item j.
        self.similarity_ = cosine_item_similarity(X, int(self.n_neighbors), float(self.shrinkage),
                                                  progress=self.progress)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return (self.X_[users] @ self.similarity_).toarray()


class UserKNN(Recommender):
    """User-based collaborative filtering: what similar customers bought.

    ``score(u, j) = sum_v sim(u, v) x_vj`` over the user's ``n_neighbors`` most
    similar customers (cosine on their purchase rows, shrunk by ``shrinkage``).
    """

    def __init__(self, n_neighbors: int = 50, shrinkage: float = 0.0) -> None:
        self.n_neighbors = n_neighbors
        self.shrinkage = shrinkage

    def fit(self, X) -> UserKNN:
        _check_neighbourhood(self.n_neighbors, self.shrinkage)
        start = time.perf_counter()
        X = self._fit_common(X)
        self.norms_ = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        self.XT_ = X.T.tocsr()
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        dots = (self.X_[users] @ self.XT_).tocoo()  # (batch, n_users) shared purchases
        denom = self.norms_[users][dots.row] * self.norms_[dots.col] + self.shrinkage
        values = np.where(denom > 0, dots.data / np.where(denom > 0, denom, 1.0), 0.0)
        values[users[dots.row] == dots.col] = 0.0  # not one's own neighbour
        sims = sp.csr_matrix((values, (dots.row, dots.col)), shape=(len(users), self.n_users_))
        sims.eliminate_zeros()
        sims = _knn_prune(sims, int(self.n_neighbors))
        return (sims @ self.X_).toarray()
