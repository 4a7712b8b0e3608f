"""EASE: a closed-form linear item-item model."""

from __future__ import annotations

import time

import numpy as np

from shopai_lab._validation import (
    require_number,
)
from shopai_lab.recommend.base import Recommender, check_interactions


class EASE(Recommender):
    """Embarrassingly Shallow Autoencoder (Steck 2019): a closed-form item x item model.

    ``B = I - P diagMat(1 / diag(P))`` with ``P = (X'X + l2 I)^-1``, so that
    ``diag(B) = 0``; scores are ``X_u B``. The inverse is dense in items, so the
    catalogue must fit in memory: ``max_memory_gb`` bounds it.

    Parameters
    ----------
    l2
        Ridge penalty on ``B`` (``> 0``); larger values shrink towards popularity.
    max_memory_gb
        Refuse catalogues whose dense inverse would need more memory than this.

    Attributes
    ----------
    B_ : numpy.ndarray
        ``(n_items, n_items)`` float32 item weights with a zero diagonal.
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    >>> EASE(l2=1.0).fit(X).recommend([2], k=1)[0].tolist()
    [[1]]
    """

    def __init__(self, *, l2: float = 500.0, max_memory_gb: float = 4.0) -> None:
        self.l2 = l2
        self.max_memory_gb = max_memory_gb

    def fit(self, X) -> EASE:
        """Solve for ``B`` on ``X`` (customers x items); returns ``self``."""
        require_number(self.l2, "l2", low=0, low_inclusive=False)
        require_number(self.max_memory_gb, "max_memory_gb", low=0, low_inclusive=False)
        n_items = check_interactions(X).shape[1]
        needed = 3 * n_items**2 * 8 / 1e9
        if needed > self.max_memory_gb:
            raise ValueError(
                f"EASE needs a dense {n_items:,} x {n_items:,} inverse (about {needed:.1f} GB with "
                f"workspace), over max_memory_gb={self.max_memory_gb}; keep fewer items (e.g. those "
                "bought by at least a few customers) or use ItemKNN, which stays sparse"
            )
        start = time.perf_counter()
        X = self._fit_common(X)
        gram = (X.T @ X).toarray().astype(np.float64)
        gram[np.diag_indices(n_items)] += self.l2
        P = np.linalg.inv(gram)
        B = P / (-np.diag(P))
        B[np.diag_indices(n_items)] = 0.0
        self.B_ = B.astype(np.float32)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return np.asarray(self.X_[users] @ self.B_)
