"""The popularity baseline."""

from __future__ import annotations

import time

import numpy as np

from shopai_lab._validation import (
    require_bool,
)
from shopai_lab.recommend.base import Recommender


class Popularity(Recommender):
    """Recommend the items bought by the most customers.

    Parameters
    ----------
    weighted
        Rank by the sum of ``X``'s weights instead of the number of buyers;
        with recency-weighted interactions this is a *trending* ranking.

    Attributes
    ----------
    popularity_ : numpy.ndarray
        The score of each item (buyers, or summed weights when ``weighted``).
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 0], [1, 1, 1]], dtype=float))
    >>> Popularity().fit(X).recommend([1], k=2)[0].tolist()  # item 0 is already bought
    [[2, 1]]
    """

    def __init__(self, *, weighted: bool = False) -> None:
        self.weighted = weighted

    def fit(self, X) -> Popularity:
        """Count each item's buyers (or sum its weights) in ``X``; returns ``self``."""
        require_bool(self.weighted, "weighted")
        start = time.perf_counter()
        X = self._fit_common(X)
        self.popularity_ = (
            np.asarray(X.sum(axis=0)).ravel().astype(np.float64) if self.weighted else self.item_popularity_
        )
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return np.tile(self.popularity_, (len(users), 1))
