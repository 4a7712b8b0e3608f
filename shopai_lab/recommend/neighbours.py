"""Neighbourhood recommenders: item-kNN and user-kNN on cosine similarity."""

from __future__ import annotations

import time

import numpy as np

from shopai_lab._validation import (
    require_bool,
    require_number,
    require_positive_int,
)
from shopai_lab.recommend.base import Recommender
from shopai_lab.recommend.similarity import cosine_item_similarity, cosine_rows, knn_prune


def _check_neighbourhood(n_neighbors, shrinkage) -> None:
    require_positive_int(n_neighbors, "n_neighbors")
    require_number(shrinkage, "shrinkage", low=0)


class ItemKNN(Recommender):
    """Item-based collaborative filtering: score items similar to what the user bought.

    ``score(u, j) = sum_i x_ui sim(i, j)`` over the user's items, with cosine
    similarity pruned to each item's ``n_neighbors`` nearest items and shrunk
    by ``shrinkage`` (which discounts similarities resting on few co-buyers).

    Parameters
    ----------
    n_neighbors
        Similar items kept per item.
    shrinkage
        ``>= 0``, added to the denominator of the cosine.
    progress
        Progress bar over blocks of the similarity computation.

    Attributes
    ----------
    similarity_ : scipy.sparse.csr_matrix
        ``similarity_[i, j]``: how much having item ``i`` suggests item ``j``.
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    >>> ItemKNN(n_neighbors=2).fit(X).recommend([2], k=1)[0].tolist()
    [[1]]
    """

    def __init__(self, *, n_neighbors: int = 100, shrinkage: float = 0.0, progress: bool = False) -> None:
        self.n_neighbors = n_neighbors
        self.shrinkage = shrinkage
        self.progress = progress

    def fit(self, X) -> ItemKNN:
        """Compute the pruned item similarity of ``X`` (customers x items); returns ``self``."""
        _check_neighbourhood(self.n_neighbors, self.shrinkage)
        require_bool(self.progress, "progress")
        start = time.perf_counter()
        X = self._fit_common(X)
        self.similarity_ = cosine_item_similarity(
            X, int(self.n_neighbors), float(self.shrinkage), progress=self.progress
        )
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return (self.X_[users] @ self.similarity_).toarray()


class UserKNN(Recommender):
    """User-based collaborative filtering: what similar customers bought.

    ``score(u, j) = sum_v sim(u, v) x_vj`` over the user's ``n_neighbors`` most
    similar customers (cosine on their purchase rows, shrunk by ``shrinkage``).

    Parameters
    ----------
    n_neighbors
        Similar customers kept per customer.
    shrinkage
        ``>= 0``, added to the denominator of the cosine.

    Attributes
    ----------
    norms_ : numpy.ndarray
        Euclidean norm of each customer's row.
    XT_ : scipy.sparse.csr_matrix
        The transposed interactions (items x customers).
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]], dtype=float))
    >>> UserKNN(n_neighbors=1).fit(X).recommend([0], k=1)[0].tolist()
    [[2]]
    """

    def __init__(self, *, n_neighbors: int = 50, shrinkage: float = 0.0) -> None:
        self.n_neighbors = n_neighbors
        self.shrinkage = shrinkage

    def fit(self, X) -> UserKNN:
        """Keep ``X`` (customers x items) and its row norms; returns ``self``."""
        _check_neighbourhood(self.n_neighbors, self.shrinkage)
        start = time.perf_counter()
        X = self._fit_common(X)
        self.norms_ = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        self.XT_ = X.T.tocsr()
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        # (batch, n_users) similarities; a customer is not their own neighbour.
        sims = cosine_rows(self.X_[users], self.XT_, self.norms_[users], self.norms_, self.shrinkage, self_rows=users)
        sims = knn_prune(sims, int(self.n_neighbors))
        return (sims @ self.X_).toarray()
