"""Content-based recommendations from product descriptions, for items nobody has bought yet."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from shopai_lab._validation import (
    require_instance,
    require_number,
    require_positive_int,
)
from shopai_lab.ranking import quantize
from shopai_lab.recommend.base import Recommender
from shopai_lab.recommend.interactions import Split
from shopai_lab.recommend.similarity import cosine_item_similarity


def _check_text_settings(n_neighbors, ngram_range, min_df) -> None:
    require_positive_int(n_neighbors, "n_neighbors")
    if isinstance(ngram_range, str) or not hasattr(ngram_range, "__len__") or len(ngram_range) != 2:
        raise ValueError(f"ngram_range must be (smallest n, largest n), got {ngram_range!r}")
    low = require_positive_int(ngram_range[0], "ngram_range[0]")
    if require_positive_int(ngram_range[1], "ngram_range[1]") < low:
        raise ValueError(f"ngram_range must be increasing, got {ngram_range!r}")
    if isinstance(min_df, float):
        require_number(min_df, "min_df", low=0, high=1, low_inclusive=False)
    else:
        require_positive_int(min_df, "min_df")


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

    Attributes
    ----------
    vectorizer_ : sklearn.feature_extraction.text.TfidfVectorizer
        Fitted on the descriptions.
    similarity_ : scipy.sparse.csr_matrix
        Item x item cosine of the descriptions, pruned to ``n_neighbors`` per item.
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 0, 0], [0, 0, 1]], dtype=float))
    >>> texts = ["red heart candle", "white heart candle", "paper chain kit"]
    >>> ContentKNN(n_neighbors=2).fit(X, texts).recommend([0], k=1)[0].tolist()
    [[1]]
    """

    def __init__(self, *, n_neighbors: int = 50, ngram_range: tuple[int, int] = (1, 2), min_df: int = 1) -> None:
        self.n_neighbors = n_neighbors
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, X, descriptions=None) -> ContentKNN:
        """Fit on interactions ``X`` and one description per item column (``descriptions``); returns ``self``."""
        if descriptions is None:
            raise ValueError("ContentKNN.fit needs descriptions: one text per item column of X")
        if isinstance(descriptions, (str, bytes)) or not hasattr(descriptions, "__iter__"):
            raise TypeError(f"descriptions must be a sequence of texts, one per item, got {descriptions!r}")
        _check_text_settings(self.n_neighbors, self.ngram_range, self.min_df)
        start = time.perf_counter()
        X = self._fit_common(X)
        texts = pd.Series(list(descriptions), dtype="object").fillna("").astype(str)
        if len(texts) != self.n_items_:
            raise ValueError(f"descriptions must have one text per item ({self.n_items_}), got {len(texts)}")
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=self.ngram_range, min_df=self.min_df, lowercase=True, token_pattern=r"(?u)\b[a-zA-Z]{2,}\b"
        )
        tfidf = normalize(self.vectorizer_.fit_transform(texts))
        similarity = cosine_item_similarity(tfidf.T, int(self.n_neighbors), dtype=np.float64)
        self.similarity_ = similarity.astype(np.float32)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return (self.X_[users] @ self.similarity_).toarray()


@dataclass(frozen=True)
class ColdStart:
    """How well descriptions alone find the new products customers buy (:func:`cold_start_evaluation`).

    Attributes
    ----------
    n_items
        Products first sold in the test period (not in the train catalogue).
    n_lines
        Purchase lines of those products by customers known from train.
    n_customers
        Those customers: the evaluated ones.
    hit_rate
        Share of them with a new product they bought among their top ``k`` new products.
    random_hit_rate
        The same share expected from ``k`` new products drawn at random.
    """

    n_items: int
    n_lines: int
    n_customers: int
    hit_rate: float
    random_hit_rate: float


def _cold_items(split: Split) -> pd.Index:
    lines = split.test_purchases
    return pd.Index(np.sort(lines.loc[~lines["item_id"].isin(split.train.items), "item_id"].unique()))


def _random_hit_rate(n_items: int, n_bought: np.ndarray, k: int) -> float:
    # A random list of k of n new products misses all b bought ones with probability C(n - b, k) / C(n, k).
    k = min(k, n_items)
    return float(np.mean([1 - np.prod((n_items - b - np.arange(k)) / (n_items - np.arange(k))) for b in n_bought]))


def cold_start_evaluation(split: Split, descriptions: pd.Series, k: int = 10, n_neighbors: int = 50) -> ColdStart:
    """Recommend products first sold in the test period from their descriptions, and score the lists.

    A :class:`ContentKNN` is fitted on the train matrix widened by one empty
    column per new product; each customer known from train who bought a new
    product in the test period gets the top ``k`` new products by content score.

    Parameters
    ----------
    split
        From :func:`shopai_lab.recommend.temporal_split`.
    descriptions
        Description of each ``item_id`` (index); missing ones count as empty text.
    k
        List length.
    n_neighbors
        Passed to :class:`ContentKNN`.

    Returns
    -------
    ColdStart
        With ``NaN`` rates when no customer known from train bought a new product.
    """
    require_instance(split, Split, "split")
    require_instance(descriptions, pd.Series, "descriptions")
    k = require_positive_int(k, "k")
    require_positive_int(n_neighbors, "n_neighbors")
    cold_items = _cold_items(split)
    lines = split.test_purchases
    buyers = lines[lines["item_id"].isin(cold_items) & lines["customer_id"].isin(split.train.users)]
    if buyers.empty:
        return ColdStart(
            n_items=len(cold_items), n_lines=0, n_customers=0, hit_rate=float("nan"), random_hit_rate=float("nan")
        )
    n_known = split.train.shape[1]
    X_all = sp.hstack([split.train.matrix, sp.csr_matrix((split.train.shape[0], len(cold_items)))]).tocsr()
    texts = split.train.items.append(cold_items).map(descriptions).fillna("")
    content = ContentKNN(n_neighbors=n_neighbors).fit(X_all, texts)
    users = split.train.user_index(np.sort(buyers["customer_id"].unique()))
    top = np.argsort(-quantize(content.scores(users)[:, n_known:], axis=1), axis=1, kind="stable")[:, :k]
    bought = buyers.groupby("customer_id")["item_id"].apply(set)
    customers = split.train.users[users]
    hits = [bool(set(cold_items[top[i]]) & bought[c]) for i, c in enumerate(customers)]
    n_bought = np.array([len(bought[c]) for c in customers])
    return ColdStart(
        n_items=len(cold_items),
        n_lines=len(buyers),
        n_customers=len(users),
        hit_rate=float(np.mean(hits)),
        random_hit_rate=_random_hit_rate(len(cold_items), n_bought, k),
    )
