"""Implicit-feedback recommenders with one small API.

Every model follows the ``implicit`` library's shape and scikit-learn's conventions:

``fit(X)``
    ``X`` is the customer x item ``csr_matrix`` (non-negative weights); returns ``self``.
``recommend(user_indices, k=10, exclude_seen=True)``
    ``(items, scores)``, two ``(n_users, k)`` arrays, computed in batches. Items a
    user already has are excluded by default. A user the model cannot score
    (every candidate scores 0, e.g. no neighbours) falls back to popularity;
    ``n_fallback_`` counts them for the last call.

Models: :class:`Popularity`, :class:`ItemKNN`, :class:`UserKNN`, :class:`ALS`
(Hu, Koren & Volinsky 2008, conjugate gradient), :class:`EASE` (Steck 2019) and
:class:`ContentKNN` (TF-IDF on product descriptions, for items nobody has bought).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from shopai_lab._validation import (
    as_float_array,
    as_index_array,
    require_bool,
    require_fitted,
    require_number,
    require_positive_int,
    require_seed,
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


class Popularity(Recommender):
    """Recommend the items bought by the most customers.

    Parameters
    ----------
    weighted
        Rank by the sum of ``X``'s weights instead of the number of buyers;
        with recency-weighted interactions this is a *trending* ranking.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 0], [1, 1, 1]], dtype=float))
    >>> Popularity().fit(X).recommend([1], k=2)[0].tolist()  # item 0 is already bought
    [[2, 1]]
    """

    def __init__(self, weighted: bool = False) -> None:
        self.weighted = weighted

    def fit(self, X) -> Popularity:
        require_bool(self.weighted, "weighted")
        start = time.perf_counter()
        X = self._fit_common(X)
        self.popularity_ = (np.asarray(X.sum(axis=0)).ravel().astype(np.float64) if self.weighted
                            else self.item_popularity_)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return np.tile(self.popularity_, (len(users), 1))


class Blend(Recommender):
    """Weighted sum of already fitted recommenders' scores, each standardised per user.

    Each component's scores for a user are turned into z-scores over the
    catalogue (so models on different scales can be added), weighted and
    summed. Components may have been fitted on different weightings of the same
    customers x items space (e.g. EASE on binary purchases and a trending
    :class:`Popularity` on recency-weighted ones); ``fit(X)`` checks the shapes
    and keeps ``X`` for exclusion and fallback.

    Parameters
    ----------
    components
        ``[(fitted recommender, weight), ...]``.
    """

    def __init__(self, components: list) -> None:
        self.components = components

    def fit(self, X) -> Blend:
        if isinstance(self.components, (str, bytes)) or not hasattr(self.components, "__iter__"):
            raise TypeError(f"components must be a list of (model, weight) pairs, got {self.components!r}")
        if not self.components:
            raise ValueError("Blend needs at least one (model, weight) component")
        for i, component in enumerate(self.components):
            if not isinstance(component, (tuple, list)) or len(component) != 2:
                raise TypeError(f"components[{i}] must be a (model, weight) pair, got {component!r}")
            if not isinstance(component[0], Recommender):
                raise TypeError(f"components[{i}] model must be a Recommender, got {type(component[0]).__name__}")
            require_number(component[1], f"components[{i}] weight")
        start = time.perf_counter()
        X = self._fit_common(X)
        for model, weight in self.components:
            if getattr(model, "X_", None) is None:
                raise ValueError(f"Blend component {type(model).__name__} is not fitted")
            if model.X_.shape != X.shape:
                raise ValueError(f"Blend component {type(model).__name__} was fitted on shape "
                                 f"{model.X_.shape}, X has {X.shape}")
            if not np.isfinite(weight):
                raise ValueError(f"Blend weight must be finite, got {weight!r}")
        self.fit_seconds_ = (time.perf_counter() - start
                             + sum(getattr(m, "fit_seconds_", 0.0) for m, _ in self.components))
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        total = np.zeros((len(users), self.n_items_))
        for model, weight in self.components:
            scores = np.asarray(model._score_batch(users), dtype=np.float64)
            spread = scores.std(axis=1, keepdims=True)
            total += weight * (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
        # Shift so that every candidate is positive: a blended score of 0 is not "unscorable".
        return total - total.min(axis=1, keepdims=True) + 1.0

    def __repr__(self) -> str:
        parts = ", ".join(f"{type(m).__name__}: {w:g}" for m, w in self.components)
        return f"Blend({parts})"


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


def _conjugate_gradient(
    Cm1: sp.csr_matrix, B: sp.csr_matrix, Y: np.ndarray, YtY: np.ndarray, X0: np.ndarray,
    regularization: float, steps: int, chunk: int = 1024, n_threads: int | None = None,
) -> np.ndarray:
    """A few conjugate-gradient steps on ``(YtY + Y' (C_u - I) Y + reg I) x_u = Y' C_u p_u`` for every row u.

    ``Cm1`` holds ``c_ui - 1 = alpha r_ui`` at the observed cells, ``B`` holds
    ``c_ui`` there (``p_ui = 1``). All rows are solved together, in chunks of
    ``chunk`` rows (bounding the memory of the gathered factor rows) that run on
    ``n_threads`` threads (numpy releases the GIL in the heavy operations).
    The chunks do not depend on the thread count, so neither do the results:
    each row's arithmetic is the same whichever thread runs its chunk.
    """
    X = X0.copy()
    n_rows = X.shape[0]
    n_threads = max(1, int(n_threads or os.cpu_count() or 1))
    bounds = [(lo, min(lo + chunk, n_rows)) for lo in range(0, n_rows, chunk)]

    def solve(lo: int, hi: int) -> None:
        cm1 = Cm1[lo:hi]
        rows = np.repeat(np.arange(hi - lo), np.diff(cm1.indptr))
        Yc = Y[cm1.indices]

        weighted = cm1.copy()  # same sparsity; its values are refilled on every product

        def apply_a(V: np.ndarray) -> np.ndarray:
            np.multiply(np.einsum("ij,ij->i", V.take(rows, axis=0), Yc), cm1.data, out=weighted.data)
            return V @ YtY + weighted @ Y + regularization * V

        x = X[lo:hi]
        r = (B[lo:hi] @ Y) - apply_a(x)
        p = r.copy()
        rs_old = np.einsum("ij,ij->i", r, r)
        for _ in range(steps):
            ap = apply_a(p)
            denom = np.einsum("ij,ij->i", p, ap)
            step = np.where(denom > 0, rs_old / np.where(denom > 0, denom, 1.0), 0.0)
            x = x + step[:, None] * p
            r = r - step[:, None] * ap
            rs_new = np.einsum("ij,ij->i", r, r)
            beta = np.where(rs_old > 0, rs_new / np.where(rs_old > 0, rs_old, 1.0), 0.0)
            p = r + beta[:, None] * p
            rs_old = rs_new
        X[lo:hi] = x

    if len(bounds) == 1 or n_threads == 1:
        for lo, hi in bounds:
            solve(lo, hi)
    else:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            list(pool.map(lambda b: solve(*b), bounds))
    return X


class ALS(Recommender):
    """Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008), solved by conjugate gradient.

    Minimises ``sum_ui c_ui (p_ui - x_u . y_i)^2 + reg (|x_u|^2 + |y_i|^2)`` over all
    cells, with preference ``p_ui = 1`` where ``r_ui > 0`` (else 0) and confidence
    ``c_ui = 1 + alpha r_ui``. Each half-step updates all user (item) factors by
    ``cg_steps`` conjugate-gradient steps warm-started from the previous factors
    (Takacs, Pilaszy & Tikk 2011), vectorised over rows; the dense ``Y'Y`` trick
    keeps the cost proportional to the non-zeros.

    Parameters
    ----------
    factors, regularization, alpha, iterations, cg_steps
        Model size, L2 penalty, confidence scale, ALS sweeps, CG steps per sweep.
    random_state
        Seed of the initial factors (normal, scale 0.01).
    progress
        Progress bar over iterations.

    Attributes
    ----------
    user_factors_, item_factors_ : numpy.ndarray
        ``(n_users, factors)`` and ``(n_items, factors)``, float64. The solver works in double
        precision: in single precision the rounding differences between CPUs' BLAS kernels grew
        over the sweeps to visible differences in scores (up to 2e-3), enough to change a
        downstream model trained on them.
    """

    def __init__(self, factors: int = 64, regularization: float = 0.01, alpha: float = 1.0,
                 iterations: int = 15, cg_steps: int = 3, random_state: int | None = 0,
                 progress: bool = True) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.cg_steps = cg_steps
        self.random_state = random_state
        self.progress = progress

    def fit(self, X) -> ALS:
        for name in ("factors", "iterations", "cg_steps"):
            require_positive_int(getattr(self, name), name)
        require_number(self.regularization, "regularization", low=0)
        require_number(self.alpha, "alpha", low=0, low_inclusive=False)
        require_seed(self.random_state, "random_state")
        require_bool(self.progress, "progress")
        start = time.perf_counter()
        X = self._fit_common(X)
        rng = np.random.default_rng(self.random_state)
        f = int(self.factors)
        users = rng.standard_normal((self.n_users_, f)) * 0.01
        items = rng.standard_normal((self.n_items_, f)) * 0.01
        Cm1 = X.astype(np.float64)  # a copy
        Cm1.data = self.alpha * Cm1.data
        B = Cm1.copy()
        B.data = B.data + 1.0
        Cm1_T, B_T = Cm1.T.tocsr(), B.T.tocsr()
        reg = float(self.regularization)
        # The CG workers run one per core; one BLAS thread each avoids oversubscription.
        with threadpool_limits(1, user_api="blas"):
            for _ in tqdm(range(int(self.iterations)), disable=not self.progress, desc="ALS"):
                users = _conjugate_gradient(Cm1, B, items, items.T @ items, users, reg, int(self.cg_steps))
                items = _conjugate_gradient(Cm1_T, B_T, users, users.T @ users, items, reg, int(self.cg_steps))
        self.user_factors_, self.item_factors_ = users, items
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def loss(self) -> float:
        """The weighted squared loss plus penalty at the fitted factors (for checks; dense in items)."""
        self._check_fitted()
        prediction = self.user_factors_ @ self.item_factors_.T
        P = (self.X_ > 0).toarray().astype(np.float64)
        C = 1.0 + self.alpha * self.X_.toarray()
        penalty = self.regularization * ((self.user_factors_ ** 2).sum() + (self.item_factors_ ** 2).sum())
        return float((C * (P - prediction) ** 2).sum() + penalty)

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return self.user_factors_[users] @ self.item_factors_.T


class EASE(Recommender):
    """Embarrassingly Shallow Autoencoder (Steck 2019): a closed-form item x item model.

    ``B = I - P diagMat(1 / diag(P))`` with ``P = (X'X + l2 I)^-1``, so that
    ``diag(B) = 0``; scores are ``X_u B``. The inverse is dense in items, so the
    catalogue must fit in memory: ``max_memory_gb`` bounds it.
    """

    def __init__(self, l2: float = 500.0, max_memory_gb: float = 4.0) -> None:
        self.l2 = l2
        self.max_memory_gb = max_memory_gb

    def fit(self, X) -> EASE:
        require_number(self.l2, "l2", low=0, low_inclusive=False)
        require_number(self.max_memory_gb, "max_memory_gb", low=0, low_inclusive=False)
        X = check_interactions(X)
        n_items = X.shape[1]
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


def mmr_rerank(items: np.ndarray, scores: np.ndarray, X: sp.csr_matrix, k: int = 10,
               relevance_weight: float = 0.7) -> np.ndarray:
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
    vectors = normalize(sp.csc_matrix(X, dtype=np.float64).T.tocsr())
    out = np.empty((items.shape[0], k), dtype=np.int64)
    for u in range(items.shape[0]):
        cand = items[u]
        valid = cand >= 0
        cand, rel = cand[valid], np.asarray(scores[u], dtype=float)[valid]
        spread = rel.max() - rel.min() if len(rel) else 0.0
        rel = (rel - rel.min()) / spread if spread > 0 else np.ones_like(rel)
        sims = (vectors[cand] @ vectors[cand].T).toarray()
        chosen: list[int] = []
        max_sim = np.zeros(len(cand))
        available = np.ones(len(cand), dtype=bool)
        for _ in range(min(k, len(cand))):
            value = relevance_weight * rel - (1 - relevance_weight) * max_sim
            value[~available] = -np.inf
            pick = int(np.argmax(value))
            chosen.append(pick)
            available[pick] = False
            max_sim = np.maximum(max_sim, sims[pick])
        row = cand[chosen]
        out[u] = np.concatenate([row, np.full(k - len(row), -1)])
    return out
