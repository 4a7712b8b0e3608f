"""Content-based recommendations from product descriptions, for items nobody has bought yet.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from shopai_lab._validation import (
    require_number,
    require_positive_int,
)
from shopai_lab.recommend.base import Recommender
from shopai_lab.recommend.neighbours import _knn_prune


class ContentKNN(Recommender):
    """Content-based kNN: items whose descriptions resemble what the user bought (TF-IDF, cosine).

    It needs no purchases of an item to recommend it, so it covers *cold*
    items that collaborative filtering cannot see.

    Parameters
    ----------
    n_neighbors
        Similar items kept per item.
    ngram_range, min_df
        Passed to :class:`sklearn.feature_extraction.text.TfidfVectorizer`.
    """

    def __init__(self, n_neighbors: int = 50, ngram_range: tuple[int, int] = (1, 2), min_df: int = 1) -> None:
        self.n_neighbors = n_neighbors
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, X, descriptions=None) -> ContentKNN:
        """Fit on interactions ``X`` and one description per item column (``descriptions``)."""
        if descriptions is None:
            raise ValueError("ContentKNN.fit needs descriptions: one text per item column of X")
        if isinstance(descriptions, (str, bytes)) or not hasattr(descriptions, "__iter__"):
            raise TypeError(f"descriptions must be a sequence of texts, one per item, got {descriptions!r}")
        require_positive_int(self.n_neighbors, "n_neighbors")
        ngram = self.ngram_range
        if isinstance(ngram, str) or not hasattr(ngram, "__len__") or len(ngram) != 2:
            raise ValueError(f"ngram_range must be (smallest n, largest n), got {ngram!r}")
        low = require_positive_int(ngram[0], "ngram_range[0]")
        if require_positive_int(ngram[1], "ngram_range[1]") < low:
            raise ValueError(f"ngram_range must be increasing, got {ngram!r}")
        if isinstance(self.min_df, float):
            require_number(self.min_df, "min_df", low=0, high=1, low_inclusive=False)
        else:
            require_positive_int(self.min_df, "min_df")
        start = time.perf_counter()
        X = self._fit_common(X)
        texts = pd.Series(list(descriptions), dtype="object").fillna("").astype(str)
        if len(texts) != self.n_items_:
            raise ValueError(f"descriptions must have one text per item ({self.n_items_}), got {len(texts)}")
        self.vectorizer_ = TfidfVectorizer(ngram_range=self.ngram_range, min_df=self.min_df,
                                           lowercase=True, token_pattern=r"(?u)\b[a-zA-Z]{2,}\b")
        tfidf = normalize(self.vectorizer_.fit_transform(texts))
        similarity = (tfidf @ tfidf.T).tocsr()
        similarity.setdiag(0.0)
        similarity.eliminate_zeros()
        self.similarity_ = _knn_prune(similarity, int(self.n_neighbors)).astype(np.float32)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return (self.X_[users] @ self.similarity_).toarray()
