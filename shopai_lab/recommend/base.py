"""The recommender base class: input checks, top-k selection, seen-item exclusion, batching.

Top-k lists come from :func:`shopai_lab.ranking.top_k_rows`: scores quantised so that a near-tie
becomes a tie, ties broken by the lower item index, so a list does not depend on the CPU.

Recommenders follow scikit-learn's conventions: hyper-parameters are keyword-only
constructor arguments stored unchanged (``get_params``/``set_params``/``clone``
come from :class:`sklearn.base.BaseEstimator`), ``fit(X)`` validates them and
returns ``self``, learned attributes end in ``_``, and using a model before
``fit`` raises :class:`sklearn.exceptions.NotFittedError`. ``recommend`` and
``scores`` do not change the model.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted
from tqdm import tqdm

from shopai_lab._validation import (
    require_bool,
    require_positive_int,
)
from shopai_lab.ranking import top_k_rows

_NOT_FITTED = "this %(name)s is not fitted yet: call fit before using it"


def check_interactions(X, dtype=np.float32) -> sp.csr_matrix:
    """A new ``dtype`` CSR copy of ``X`` with sorted indices, or a clear error (not sparse, empty, NaN, negative).

    Examples
    --------
    >>> check_interactions(sp.csr_matrix(np.array([[1.0, -2.0]])))
    Traceback (most recent call last):
    ...
    ValueError: X has negative weights; implicit feedback must be >= 0
    """
    if not sp.issparse(X):
        raise TypeError(f"X must be a scipy.sparse matrix of customers x items, got {type(X).__name__}")
    X = sp.csr_matrix(X, dtype=dtype, copy=True)
    if X.shape[0] == 0 or X.shape[1] == 0 or X.nnz == 0:
        raise ValueError(f"X is empty: shape {X.shape} with {X.nnz} non-zeros")
    if not np.isfinite(X.data).all():
        raise ValueError("X has NaN or infinite weights")
    if (X.data < 0).any():
        raise ValueError("X has negative weights; implicit feedback must be >= 0")
    X.sort_indices()
    return X


class Recommender(BaseEstimator):
    """Base class: batching, exclusion of seen items, popularity fallback and top-k.

    Subclasses implement ``fit(X)`` (calling :meth:`_fit_common` first) and
    ``_score_batch(users)``, which returns dense scores of the given rows.

    Attributes
    ----------
    X_ : scipy.sparse.csr_matrix
        The training interactions (a copy), used to exclude seen items.
    n_users_, n_items_ : int
        Shape of ``X_``.
    item_popularity_ : numpy.ndarray
        Buyers per item, the fallback for users a model cannot score.
    """

    #: Users scored at once; bounds the dense ``(batch, n_items)`` score block.
    batch_size = 2_000

    def fit(self, X) -> Recommender:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score_batch(self, users: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit_common(self, X) -> sp.csr_matrix:
        X = check_interactions(X)
        self.X_ = X
        self.n_users_, self.n_items_ = X.shape
        self.item_popularity_ = np.asarray((X > 0).sum(axis=0)).ravel().astype(np.float64)
        return X

    def _check_fitted(self) -> None:
        check_is_fitted(self, "X_", msg=_NOT_FITTED)

    def scores(self, user_indices) -> np.ndarray:
        """Dense ``(n_users, n_items)`` scores of the given users (no exclusion).

        Parameters
        ----------
        user_indices
            Row positions of ``X``.

        Returns
        -------
        numpy.ndarray
        """
        self._check_fitted()
        users = self._check_users(user_indices)
        if not len(users):
            return np.zeros((0, self.n_items_))
        return np.vstack(
            [self._score_batch(users[i : i + self.batch_size]) for i in range(0, len(users), self.batch_size)]
        )

    def _check_users(self, user_indices) -> np.ndarray:
        users = np.asarray(user_indices)
        if users.ndim != 1:
            raise ValueError("user_indices must be a 1-D array of row positions")
        if users.size and not np.issubdtype(users.dtype, np.integer):
            raise TypeError("user_indices must be integers (row positions of X)")
        bad = users[(users < 0) | (users >= self.n_users_)]
        if bad.size:
            raise ValueError(f"unknown user index(es) {bad[:5].tolist()}: X has {self.n_users_} rows")
        return users.astype(np.int64)

    def recommend(
        self,
        user_indices,
        k: int = 10,
        *,
        exclude_seen: bool = True,
        progress: bool = False,
        return_fallback: bool = False,
    ):
        """Top-``k`` items and their scores for each user, in batches.

        Users whose candidates all score ``<= 0`` (the model cannot tell them
        apart) get the most popular candidates instead.

        Parameters
        ----------
        user_indices
            Row positions of ``X``.
        k
            Items per user, ``1 <= k <= n_items`` (minus the items a user has
            when ``exclude_seen``; such rows are padded with ``-1`` / ``-inf``).
        exclude_seen
            Leave out items the user already has in ``X``.
        progress
            Show a progress bar over batches.
        return_fallback
            Also return which users the popularity fallback answered.

        Returns
        -------
        items, scores : numpy.ndarray
            ``(n_users, k)`` arrays, best first.
        fallback : numpy.ndarray
            Only with ``return_fallback``: ``(n_users,)`` booleans.

        Examples
        --------
        >>> X = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 0], [1, 1, 1]], dtype=float))
        >>> from shopai_lab.recommend import Popularity
        >>> Popularity().fit(X).recommend([1], k=2, return_fallback=True)[2].tolist()
        [False]
        """
        self._check_fitted()
        k = require_positive_int(k, "k")
        for value, name in (
            (exclude_seen, "exclude_seen"),
            (progress, "progress"),
            (return_fallback, "return_fallback"),
        ):
            require_bool(value, name)
        if k > self.n_items_:
            raise ValueError(f"k={k} is larger than the catalogue ({self.n_items_} items)")
        users = self._check_users(user_indices)
        items = np.empty((len(users), k), dtype=np.int64)
        scores = np.empty((len(users), k), dtype=np.float64)
        fallback = np.zeros(len(users), dtype=bool)
        starts = range(0, len(users), self.batch_size)
        for start in tqdm(starts, disable=not progress, desc=type(self).__name__):
            stop = start + self.batch_size
            items[start:stop], scores[start:stop], fallback[start:stop] = self._top_k_batch(
                users[start:stop], k, exclude_seen
            )
        return (items, scores, fallback) if return_fallback else (items, scores)

    def _top_k_batch(self, batch: np.ndarray, k: int, exclude_seen: bool):
        """Top-``k`` of one batch of users, with seen items excluded and the popularity fallback applied."""
        scores = np.asarray(self._score_batch(batch), dtype=np.float64)
        if exclude_seen:
            seen = self.X_[batch]
            rows = np.repeat(np.arange(len(batch)), np.diff(seen.indptr))
            scores[rows, seen.indices] = -np.inf
        candidates = np.isfinite(scores)
        unscored = ~((scores > 0) & candidates).any(axis=1)
        if unscored.any():
            popularity = self.item_popularity_ / max(self.item_popularity_.max(), 1.0)
            scores[unscored] = np.where(candidates[unscored], popularity[None, :], -np.inf)
        items, top = top_k_rows(scores, k)  # ties (and last-bit near-ties) go to the lower item index
        return np.where(np.isfinite(top), items, -1), top, unscored
