"""Ranking metrics and the house evaluation of recommenders.

Definitions (binary relevance, a list of ``k`` recommended items per user, the
user's truth set ``T``; ranks start at 1):

- ``precision@k = hits / k``
- ``recall@k = hits / |T|``
- ``nDCG@k = DCG / IDCG`` with ``DCG = sum_{r <= k, item_r in T} 1 / log2(r + 1)`` and
  ``IDCG = sum_{r <= min(|T|, k)} 1 / log2(r + 1)``
- ``MAP@k`` averages ``AP@k = (1 / min(|T|, k)) sum_{r <= k, item_r in T} precision@r``
- ``hit rate@k``: share of users with at least one hit
- catalogue ``coverage``: distinct recommended items over the catalogue size
- ``diversity``: mean over users of the mean pairwise cosine *dissimilarity*
  (``1 - cos``) of the recommended items' purchase vectors (intra-list diversity)
- ``novelty``: mean self-information ``-log2(popularity share)`` of recommended
  items, where popularity share = buyers of the item / customers
- ``popularity``: mean buyers-per-item of the recommended items

Every evaluated user counts, including users a model cannot score: the
recommender's popularity fallback answers for them, and a padded slot (``-1``)
is never a hit.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

from shopai_lab._validation import (
    as_index_array,
    require_bool,
    require_instance,
    require_one_of,
    require_positive_int,
    require_seed,
    require_string,
)
from shopai_lab.recommend.base import Recommender
from shopai_lab.recommend.interactions import Split
from shopai_lab.recommend.similarity import ItemVectors

#: Columns of :func:`evaluate` that :func:`grid_search` can rank by.
METRICS = ("precision", "recall", "ndcg", "map", "hit_rate", "coverage", "diversity", "novelty", "popularity")


def _check_matrix(X, name: str = "X") -> sp.csr_matrix:
    if not sp.issparse(X):
        raise TypeError(f"{name} must be a scipy.sparse customers x items matrix, got {type(X).__name__}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {X.shape}")
    return X


def _check_lists(recommended, n_items: int, name: str = "recommended") -> np.ndarray:
    """Recommendation lists as a 2-D int array of item positions (``-1`` pads) within the catalogue."""
    return as_index_array(recommended, name, n_items, ndim=2, allow_padding=True)


def _truth_rows(truth) -> list[np.ndarray]:
    if sp.issparse(truth):
        truth = sp.csr_matrix(truth)
        return [truth.indices[truth.indptr[i] : truth.indptr[i + 1]] for i in range(truth.shape[0])]
    return [np.asarray(list(t)) for t in truth]


def ranking_metrics(recommended: np.ndarray, truth, k: int | None = None) -> pd.DataFrame:
    """Per-user precision, recall, nDCG, AP and hit at ``k``.

    Parameters
    ----------
    recommended
        ``(n_users, >= k)`` item indices, best first; ``-1`` pads a short list.
    truth
        One collection of relevant items per user (a list of iterables, or a
        CSR matrix whose row ``i`` holds user ``i``'s truth). Every user must
        have at least one relevant item.
    k
        Cut-off; default: the number of columns of ``recommended``.

    Returns
    -------
    pandas.DataFrame
        One row per user: ``hits``, ``precision``, ``recall``, ``ndcg``, ``ap``, ``hit``.

    Examples
    --------
    >>> ranking_metrics(np.array([[3, 1, 2]]), [[1, 2, 9]]).round(4).to_dict("records")
    [{'hits': 2, 'precision': 0.6667, 'recall': 0.6667, 'ndcg': 0.5307, 'ap': 0.3889, 'hit': 1}]
    """
    recommended = np.asarray(recommended)
    if recommended.ndim != 2:
        raise ValueError("recommended must be a 2-D array (users x ranked items)")
    if recommended.size and recommended.dtype.kind not in "iu":
        raise TypeError(f"recommended must hold integer item positions, got dtype {recommended.dtype}")
    k = recommended.shape[1] if k is None else require_positive_int(k, "k")
    if k <= 0 or k > recommended.shape[1]:
        raise ValueError(f"k must be between 1 and {recommended.shape[1]}, got {k}")
    rows = _truth_rows(truth)
    if len(rows) != recommended.shape[0]:
        raise ValueError(f"truth has {len(rows)} users, recommended has {recommended.shape[0]}")
    if any(len(r) == 0 for r in rows):
        raise ValueError("every evaluated user needs at least one relevant item")
    top = recommended[:, :k]
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    rel = np.zeros(top.shape, dtype=bool)
    sizes = np.empty(len(rows))
    for i, items in enumerate(rows):
        rel[i] = np.isin(top[i], items) & (top[i] >= 0)
        sizes[i] = len(items)
    hits = rel.sum(axis=1)
    dcg = (rel * discounts).sum(axis=1)
    ideal_len = np.minimum(sizes, k).astype(int)
    idcg = np.cumsum(discounts)[ideal_len - 1]
    precision_at = np.cumsum(rel, axis=1) / np.arange(1, k + 1)
    ap = (precision_at * rel).sum(axis=1) / np.minimum(sizes, k)
    return pd.DataFrame(
        {
            "hits": hits,
            "precision": hits / k,
            "recall": hits / sizes,
            "ndcg": dcg / idcg,
            "ap": ap,
            "hit": (hits > 0).astype(int),
        }
    )


def coverage(recommended: np.ndarray, n_items: int) -> float:
    """Share of the catalogue that appears in at least one list.

    Examples
    --------
    >>> coverage(np.array([[0, 1], [1, -1]]), n_items=4)
    0.5
    """
    n_items = require_positive_int(n_items, "n_items")
    items = np.unique(as_index_array(recommended, "recommended", n_items, allow_padding=True))
    return float((items >= 0).sum() / n_items)


def intra_list_diversity(recommended: np.ndarray, X: sp.csr_matrix) -> float:
    """Mean pairwise ``1 - cosine`` between recommended items' purchase columns, averaged over users."""
    X = _check_matrix(X)
    recommended = _check_lists(recommended, X.shape[1])
    vectors = ItemVectors(X)
    values = []
    for row in np.asarray(recommended):
        items = row[row >= 0]
        if len(items) < 2:
            continue
        sims = vectors.similarity(items)
        n = len(items)
        values.append(1.0 - (sims.sum() - np.trace(sims)) / (n * (n - 1)))
    return float(np.mean(values)) if values else float("nan")


def novelty(recommended: np.ndarray, X: sp.csr_matrix) -> tuple[float, float]:
    """Mean self-information (bits) and mean buyer count of recommended items."""
    X = _check_matrix(X)
    recommended = _check_lists(recommended, X.shape[1])
    buyers = np.asarray((X > 0).sum(axis=0)).ravel().astype(float)
    items = np.asarray(recommended).ravel()
    items = items[items >= 0]
    if items.size == 0:
        raise ValueError("recommended holds no item (every slot is -1 padding)")
    share = np.maximum(buyers[items], 1.0) / X.shape[0]
    return float(np.mean(-np.log2(share))), float(np.mean(buyers[items]))


def evaluate(
    model,
    split: Split,
    k: int = 10,
    name: str | None = None,
    fit: bool = False,
    return_per_user: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Score a recommender on a split under the house protocol; one row.

    Parameters
    ----------
    model
        A recommender (fitted on ``split.train.matrix`` unless ``fit=True``).
    split
        From :func:`shopai_lab.recommend.interactions.temporal_split`.
    k
        List length.
    name
        Row label; default: the model's class name.
    fit
        Fit the model on the split's train matrix first.
    return_per_user
        Also return the per-user metrics (for paired bootstrap comparisons,
        :func:`shopai_lab.recommend.compare_models`).

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        Indexed by model name: ``users`` (all evaluated users), ``precision``,
        ``recall``, ``ndcg``, ``map``, ``hit_rate``, ``coverage``, ``diversity``,
        ``novelty``, ``popularity``, ``fallback_users`` (users the popularity
        fallback answered), ``fit_seconds``. With ``return_per_user``, also
        :func:`per_user_metrics`' frame: one row per evaluated user, every one of
        them (the row means are the table's precision, recall, nDCG, MAP, hit rate).
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    require_bool(fit, "fit")
    require_bool(return_per_user, "return_per_user")
    if name is not None:
        require_string(name, "name")
    if not hasattr(model, "recommend"):
        raise TypeError(f"model must be a recommender with fit and recommend, got {type(model).__name__}")
    if fit:
        model.fit(split.train.matrix)
    if getattr(model, "X_", None) is None or model.X_.shape != split.train.matrix.shape:
        raise ValueError("the model must be fitted on split.train.matrix (or pass fit=True)")
    if isinstance(model, Recommender):
        items, _, fallback = model.recommend(split.eval_users, k=k, return_fallback=True)
    else:
        items, _ = model.recommend(split.eval_users, k=k)
        fallback = np.zeros(len(items), dtype=bool)
    row = evaluate_lists(items, split, k=k, name=name or type(model).__name__)
    row["fallback_users"] = int(fallback.sum())
    row["fit_seconds"] = float(getattr(model, "fit_seconds_", float("nan")))
    if return_per_user:
        return row, per_user_metrics(items, split, k=k)
    return row


def per_user_metrics(items: np.ndarray, split: Split, k: int = 10) -> pd.DataFrame:
    """:func:`ranking_metrics` of lists for ``split.eval_users`` (in order), indexed by ``customer_id``.

    Every evaluated user has a row (a user without a hit scores 0), so the means are
    :func:`evaluate`'s figures and two models' frames pair customer by customer.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import Popularity, temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> items, _ = Popularity().fit(split.train.matrix).recommend(split.eval_users, k=5)
    >>> per_user = per_user_metrics(items, split, k=5)
    >>> len(per_user) == len(split.eval_users), per_user.index.name
    (True, 'customer_id')
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    items = _check_lists(items, split.train.shape[1], "items")
    if items.shape[0] != len(split.eval_users):
        raise ValueError(f"need one list per evaluated user ({len(split.eval_users)}), got {items.shape[0]}")
    if items.shape[1] < k:
        raise ValueError(f"items has {items.shape[1]} column(s), fewer than k={k}")
    per_user = ranking_metrics(items, split.truth[split.eval_users], k)
    per_user.index = pd.Index(split.train.users[split.eval_users], name="customer_id")
    return per_user


def evaluate_lists(items: np.ndarray, split: Split, k: int = 10, name: str = "lists") -> pd.DataFrame:
    """Score ready-made recommendation lists (one row per ``split.eval_users``, in order) like :func:`evaluate`.

    For lists that do not come from a recommender's ``recommend``, e.g. a re-ranker's.
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    items = _check_lists(items, split.train.shape[1], "items")
    if items.shape[1] < k:
        raise ValueError(f"items has {items.shape[1]} column(s), fewer than k={k}")
    if items.shape[0] != len(split.eval_users):
        raise ValueError(f"need one list per evaluated user ({len(split.eval_users)}), got {items.shape[0]}")
    per_user = ranking_metrics(items, split.truth[split.eval_users], k)
    top = items[:, :k]
    nov, pop = novelty(top, split.train.matrix)
    row = {
        "users": len(per_user),
        "precision": per_user["precision"].mean(),
        "recall": per_user["recall"].mean(),
        "ndcg": per_user["ndcg"].mean(),
        "map": per_user["ap"].mean(),
        "hit_rate": per_user["hit"].mean(),
        "coverage": coverage(top, split.train.shape[1]),
        "diversity": intra_list_diversity(top, split.train.matrix),
        "novelty": nov,
        "popularity": pop,
    }
    return pd.DataFrame([row], index=pd.Index([name], name="model"))


def grid_search(
    model_class, param_grid: dict, split: Split, k: int = 10, metric: str = "ndcg"
) -> tuple[dict, pd.DataFrame]:
    """Fit ``model_class(**params)`` for every combination of ``param_grid`` on ``split`` and rank them.

    Use a *validation* split (cut inside train), never the test split.

    Returns
    -------
    best_params, table
        The best combination by ``metric`` and one row per combination, best first.
    """
    require_instance(param_grid, dict, "param_grid")
    if not param_grid:
        raise ValueError("param_grid must name at least one parameter with candidate values")
    require_instance(split, Split, "split")
    require_one_of(metric, "metric", METRICS)
    for key, values in param_grid.items():
        if isinstance(values, str) or not hasattr(values, "__len__") or len(values) == 0:
            raise ValueError(f"param_grid[{key!r}] must be a non-empty list of candidate values, got {values!r}")
    names = list(param_grid)
    rows = []
    for values in itertools.product(*(param_grid[n] for n in names)):
        params = dict(zip(names, values))
        start = time.perf_counter()
        result = evaluate(model_class(**params), split, k=k, fit=True)
        rows.append({**params, metric: float(result[metric].iloc[0]), "seconds": time.perf_counter() - start})
    table = pd.DataFrame(rows).sort_values(metric, ascending=False, kind="stable").reset_index(drop=True)
    best = {n: table.loc[0, n] for n in names}
    best = {n: (v.item() if hasattr(v, "item") else v) for n, v in best.items()}
    return best, table


def sampled_hit_rate(model, split: Split, k: int = 10, n_negatives: int = 100, random_state=0) -> float:
    """Hit rate@k when each truth item is ranked against only ``n_negatives`` random items: **a pitfall**.

    Returns the share of (user, truth item) pairs whose item scores in the top
    ``k`` among itself and ``n_negatives`` items the user has not bought. Its
    full-ranking counterpart is the share of truth items in the top ``k`` of
    the whole catalogue.

    Common in papers and wrong as an estimate of full-ranking quality: with 100
    negatives a model needs only to beat 100 random items, so scores are far
    higher and models can change order (Krichene & Rendle 2020). Shown in
    notebook 02 next to the full-ranking metrics of :func:`evaluate`.

    Parameters
    ----------
    model
        A recommender fitted on ``split.train.matrix``.
    split
        The evaluation split.
    k
        Cut-off.
    n_negatives
        Random unbought items each truth item is ranked against.
    random_state
        Seed (or ``numpy.random.Generator``) of the negatives.

    Returns
    -------
    float
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    n_negatives = require_positive_int(n_negatives, "n_negatives")
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)
    n_items = split.train.shape[1]
    hits, total = 0, 0
    for start in range(0, len(split.eval_users), 500):
        users = split.eval_users[start : start + 500]
        scores = model.scores(users)
        seen = split.train.matrix[users]
        for row, user in enumerate(users):
            truth = split.truth.indices[split.truth.indptr[user] : split.truth.indptr[user + 1]]
            excluded = set(seen.indices[seen.indptr[row] : seen.indptr[row + 1]]) | set(truth)
            pool = np.setdiff1d(np.arange(n_items), np.fromiter(excluded, int), assume_unique=False)
            negatives = rng.choice(pool, size=min(n_negatives, len(pool)), replace=False)
            for item in truth:
                rank = int((scores[row, negatives] > scores[row, item]).sum())
                hits += rank < k
                total += 1
    return hits / total
