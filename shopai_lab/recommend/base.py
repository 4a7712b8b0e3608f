"""The recommender base class: input checks, top-k selection, seen-item exclusion, batching.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from shopai_lab._validation import (
    require_bool,
    require_fitted,
    require_positive_int,
)


def check_interactions(X) -> sp.csr_matrix:
    """``X`` as a float32 CSR matrix, or a clear error (not sparse-like, empty, NaN, negative)."""
    if not sp.issparse(X):
        raise TypeError(f"X must be a scipy.sparse matrix of customers x items, got {type(X).__name__}")
    X = sp.csr_matrix(X, dtype=np.float32)
    if X.shape[0] == 0 or X.shape[1] == 0 or X.nnz == 0:
        raise ValueError(f"X is empty: shape {X.shape} with {X.nnz} non-zeros")
    if not np.isfinite(X.data).all():
        raise ValueError("X has NaN or infinite weights")
    if (X.data < 0).any():
        raise ValueError("X has negative weights; implicit feedback must be >= 0")
    X.sort_indices()
    return X


def _top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k columns of each row, best first (ties broken by column index)."""
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    items = np.take_along_axis(part, order, axis=1)
    return items, np.take_along_axis(scores, items, axis=1)


class Recommender:
    """Base class: batching, exclusion of seen items, popularity fallback and top-k."""

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
        require_fitted(self, "X_")

    def scores(self, user_indices) -> np.ndarray:
        """Dense ``(n_users, n_items)`` scores of the given users (no exclusion)."""
        self._check_fitted()
        users = self._check_users(user_indices)
        return np.vstack([self._score_batch(users[i:i + self.batch_size])
                          for i in range(0, len(users), self.batch_size)]) if len(users) else \
            np.zeros((0, self.n_items_))

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

    def recommend(self, user_indices, k: int = 10, exclude_seen: bool = True,
                  progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` items and their scores for each user, in batches.

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

        Returns
        -------
        items, scores
            ``(n_users, k)`` arrays, best first.
        """
        self._check_fitted()
        k = require_positive_int(k, "k")
        require_bool(exclude_seen, "exclude_seen")
        require_bool(progress, "progress")
        if k > self.n_items_:
            raise ValueError(f"k={k} is larger than the catalogue ({self.n_items_} items)")
        users = self._check_users(user_indices)
        all_items = np.empty((len(users), k), dtype=np.int64)
        all_scores = np.empty((len(users), k), dtype=np.float64)
        popularity = self.item_popularity_ / max(self.item_popularity_.max(), 1.0)
        self.n_fallback_ = 0
        starts = range(0, len(users), self.batch_size)
        for start in tqdm(starts, disable=not progress, desc=type(self).__name__):
            batch = users[start:start + self.batch_size]
            scores = np.asarray(self._score_batch(batch), dtype=np.float64)
            seen = self.X_[batch]
            if exclude_seen:
                rows = np.repeat(np.arange(len(batch)), np.diff(seen.indptr))
                scores[rows, seen.indices] = -np.inf
            candidates = np.isfinite(scores)
            unscored = ~((scores > 0) & candidates).any(axis=1)
            if unscored.any():
                self.n_fallback_ += int(unscored.sum())
                fallback = np.where(candidates[unscored], popularity[None, :], -np.inf)
                scores[unscored] = fallback
            items, top = _top_k_rows(scores, k)
            items = np.where(np.isfinite(top), items, -1)
            all_items[start:start + len(batch)] = items
            all_scores[start:start + len(batch)] = top
        return all_items, all_scores

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def get_params(self) -> dict:
        """Constructor parameters (scikit-learn style)."""
        import inspect

        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}
