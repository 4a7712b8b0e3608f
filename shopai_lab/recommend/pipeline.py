"""The house two-stage pipeline: recency-weighted candidate sources, their union, and a learned re-ranker.

Stage one: several *sources* score every product for every evaluated customer (EASE and item-kNN on
recency-weighted purchases, a trending popularity, optionally the neural :class:`~shopai_lab.recommend.SASRec`);
each source's top ``depth`` products (seen ones excluded) join a customer's candidate pool. Which sources
join is decided by the candidate recall they add on the *validation* period (:func:`select_sources`).

Stage two: a gradient-boosting ranker scores every (customer, candidate) pair from each source's score and
rank plus product and customer features (those of :mod:`shopai_lab.recommend.rerank`) and reorders the pool.

The protocol (:func:`two_stage_experiment`): everything that is chosen (half-life, sources, ranker) is chosen
on the validation split; the rankers are compared with EASE and EASE-recency on a held-out half of the
validation customers; the chosen ranker is refitted on all validation customers, the sources are refitted on
the full training period, and the test period is scored once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier

from shopai_lab import ranking
from shopai_lab._validation import (
    require_instance,
    require_number,
    require_one_of,
    require_positive_int,
    require_seed,
    require_strings,
)
from shopai_lab.recommend.evaluation import per_user_metrics
from shopai_lab.recommend.interactions import Split, recency_interactions, require_half_life, temporal_split
from shopai_lab.recommend.linear import EASE
from shopai_lab.recommend.neighbours import ItemKNN
from shopai_lab.recommend.popularity import Popularity
from shopai_lab.recommend.recipes import TREND_HALF_LIFE_DAYS, trending_interactions
from shopai_lab.recommend.rerank import _customer_table, _item_table
from shopai_lab.stats import bootstrap_mean

#: Half-lives (days) of the recency weighting tried on the validation period (``inf``: no decay, plain EASE).
RECENCY_HALF_LIVES = (30.0, 90.0, 180.0, np.inf)
#: Candidate sources the pipeline knows ("SASRec" needs JAX, the ``[deep]`` extra).
SOURCES = ("EASE-recency", "ItemKNN-recency", "trending", "SASRec")
#: Products per source whose candidate recall is reported.
CANDIDATE_DEPTHS = (50, 100, 200)
#: Pair scorers compared on the validation period.
RANKERS = ("lambdarank", "boosting")
#: Product and customer features of every pair (besides each source's score and rank).
CONTEXT_FEATURES = (
    "item_log_buyers",
    "item_log_recent_buyers",
    "item_days_since_sale",
    "item_days_since_first_sale",
    "item_log_price",
    "customer_days_since_last",
    "customer_log_invoices",
    "customer_log_items",
    "price_vs_customer_median",
)


def recency_matrix(split: Split, half_life_days: float) -> sp.csr_matrix:
    """``split``'s training purchases weighted by recency (:func:`~shopai_lab.recommend.recency_interactions`),
    on its train matrix's rows and columns, ages measured from the cutoff."""
    require_instance(split, Split, "split")
    if split.train_purchases.empty:
        raise ValueError("split has no train_purchases (a random_split?): recency needs dated purchases")
    return recency_interactions(
        split.train_purchases, half_life_days, users=split.train.users, items=split.train.items, reference=split.cutoff
    ).matrix


def tune_recency(validation: Split, l2: float, half_lives=RECENCY_HALF_LIVES, k: int = 10) -> pd.Series:
    """Validation nDCG@k of EASE (ridge ``l2``) on purchases weighted with each half-life (``inf``: unweighted).

    Returns
    -------
    pandas.Series
        Indexed by ``half_life_days`` in the order given; the best is ``ranking.idxmax`` of it.
    """
    return _tune_recency(validation, l2, half_lives, k)[0]


def _tune_recency(validation: Split, l2: float, half_lives, k: int) -> tuple[pd.Series, dict]:
    """:func:`tune_recency` and the fitted EASE of each half-life."""
    from shopai_lab.recommend.evaluation import evaluate

    require_instance(validation, Split, "validation")
    k = require_positive_int(k, "k")
    half_lives = [require_half_life(h, "half_lives") for h in half_lives]
    if not half_lives:
        raise ValueError("half_lives must not be empty")
    scores, models = {}, {}
    for half_life in half_lives:
        models[half_life] = EASE(l2=l2).fit(recency_matrix(validation, half_life))
        scores[half_life] = float(evaluate(models[half_life], validation, k=k)["ndcg"].iloc[0])
    return pd.Series(scores, name="ndcg").rename_axis("half_life_days"), models


def _masked_scores(model, split: Split, users: np.ndarray) -> np.ndarray:
    scores = np.asarray(model.scores(users), dtype=np.float64)
    seen = split.train.matrix[users]
    scores[np.repeat(np.arange(len(users)), np.diff(seen.indptr)), seen.indices] = -np.inf
    return scores


def source_scores(
    split: Split,
    sources=SOURCES[:3],
    *,
    half_life_days: float = 90.0,
    l2: float = 300.0,
    n_neighbors: int = 200,
    random_state=0,
    fitted: dict | None = None,
) -> dict[str, np.ndarray]:
    """Each source's scores of every product for ``split.eval_users`` (seen ones ``-inf``), fitted on its train period.

    Parameters
    ----------
    split
        A temporal split (its dated purchases feed the recency weights).
    sources
        Names from :data:`SOURCES`; ``"SASRec"`` raises ImportError with the install hint when JAX is missing.
    half_life_days
        Half-life of the recency weighting of EASE and item-kNN.
    l2, n_neighbors
        EASE's ridge and item-kNN's neighbourhood.
    random_state
        Seed of SASRec.
    fitted
        Models already fitted on this split with these settings, by source name (used instead of a refit).

    Returns
    -------
    dict
        ``{source: (len(split.eval_users), n_items) float64 array}``.
    """
    require_instance(split, Split, "split")
    sources = require_strings(sources, "sources")
    for name in sources:
        require_one_of(name, "sources", SOURCES)
    require_seed(random_state, "random_state")
    users = split.eval_users
    recent = recency_matrix(split, half_life_days) if {"EASE-recency", "ItemKNN-recency"} & set(sources) else None
    fitted = {} if fitted is None else require_instance(fitted, dict, "fitted")
    out = {}
    for name in sources:
        if name in fitted:
            model = fitted[name]
        elif name == "EASE-recency":
            model = EASE(l2=l2).fit(recent)
        elif name == "ItemKNN-recency":
            model = ItemKNN(n_neighbors=n_neighbors).fit(recent)
        elif name == "trending":
            model = Popularity(weighted=True).fit(trending_interactions(split, TREND_HALF_LIFE_DAYS).matrix)
        else:
            from shopai_lab.recommend.sequences import split_sequences
            from shopai_lab.recommend.sequential import SASRec

            model = SASRec(progress=False, random_state=random_state).fit(split.train.matrix, split_sequences(split))
        out[name] = _masked_scores(model, split, users)
    return out


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    """Top-``depth`` product positions per row (``-1`` where fewer products are unseen)."""
    items, top = ranking.top_k_rows(scores, min(depth, scores.shape[1]))
    return np.where(np.isfinite(top), items, -1)


def _hits(lists: np.ndarray, truth: sp.csr_matrix) -> np.ndarray:
    """Per row: how many of the row's truth products are among ``lists`` (``-1`` ignored)."""
    rows = np.repeat(np.arange(lists.shape[0]), lists.shape[1])
    keep = lists.ravel() >= 0
    member = sp.csr_matrix((np.ones(keep.sum()), (rows[keep], lists.ravel()[keep])), shape=truth.shape)
    member.data[:] = 1.0
    return np.asarray(member.multiply(truth).sum(axis=1)).ravel()


def source_lists(scores: dict[str, np.ndarray], depth: int = max(CANDIDATE_DEPTHS)) -> dict[str, np.ndarray]:
    """Each source's top-``depth`` products per customer, best first (``-1`` pads): the input of
    :func:`union_lists`, :func:`candidate_recall` and :func:`select_sources`, whose shallower pools are prefixes."""
    depth = require_positive_int(depth, "depth")
    return {name: _top(values, depth) for name, values in scores.items()}


def union_lists(lists: dict[str, np.ndarray], sources, depth: int) -> np.ndarray:
    """The union of the named sources' top-``depth`` products per row, padded with ``-1`` (order: by product position).

    ``lists`` holds each source's ranked lists (:func:`source_lists`); a shorter list is used whole.

    Examples
    --------
    >>> lists = {"a": np.array([[3, 1, 0]]), "b": np.array([[1, 2, -1]])}
    >>> union_lists(lists, ["a", "b"], 2).tolist()
    [[1, 2, 3]]
    """
    depth = require_positive_int(depth, "depth")
    sources = require_strings(sources, "sources")
    if not sources:
        raise ValueError("sources must name at least one source")
    for name in sources:
        require_one_of(name, "sources", list(lists))
    stacked = np.hstack([lists[name][:, :depth] for name in sources])
    n_items = int(stacked.max()) + 1
    member = np.zeros((stacked.shape[0], max(n_items, 1)), dtype=bool)
    rows = np.repeat(np.arange(stacked.shape[0]), stacked.shape[1])
    keep = stacked.ravel() >= 0
    member[rows[keep], stacked.ravel()[keep]] = True
    width = int(member.sum(axis=1).max())
    order = np.argsort(~member, axis=1, kind="stable")[:, :width]
    return np.where(np.take_along_axis(member, order, axis=1), order, -1)


def candidate_recall(
    lists: dict[str, np.ndarray],
    split: Split,
    union,
    depths=CANDIDATE_DEPTHS,
    n_boot: int = 2000,
    random_state=0,
) -> pd.DataFrame:
    """Candidate recall of each source and of the ``union`` of sources at each depth, with intervals over customers.

    Recall of a customer: the share of the products they go on to buy (the split's truth) inside the pool.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``source``, ``depth``): ``recall`` (mean over the evaluated customers), ``low``, ``high``
        (95% bootstrap interval, customers resampled) and ``candidates`` (mean pool size per customer).
    """
    require_instance(split, Split, "split")
    union = require_strings(union, "union")
    truth = split.truth[split.eval_users]
    size = np.diff(truth.indptr).astype(float)
    rows = []
    for depth in depths:
        depth = require_positive_int(depth, "depths")
        pools = {name: values[:, :depth] for name, values in lists.items()}
        pools[f"union: {' + '.join(union)}"] = union_lists(lists, union, depth)
        for name, pool in pools.items():
            recall = bootstrap_mean(_hits(pool, truth) / size, n_boot=n_boot, random_state=random_state)
            rows.append(
                {
                    "source": name,
                    "depth": depth,
                    "recall": recall.estimate,
                    "low": recall.low,
                    "high": recall.high,
                    "candidates": float((pool >= 0).sum(axis=1).mean()),
                }
            )
    return pd.DataFrame(rows).set_index(["source", "depth"])


def select_sources(lists: dict[str, np.ndarray], split: Split, depth: int, min_gain: float = 0.01) -> list[str]:
    """Greedy choice of the union on ``split`` (the validation period): start from the source with the highest
    mean candidate recall at ``depth``, then add the source that raises the union's recall most, while it raises it
    by at least ``min_gain`` (absolute)."""
    require_instance(split, Split, "split")
    depth = require_positive_int(depth, "depth")
    min_gain = require_number(min_gain, "min_gain", low=0)
    truth = split.truth[split.eval_users]
    size = np.diff(truth.indptr).astype(float)
    recall = lambda chosen: float((_hits(union_lists(lists, chosen, depth), truth) / size).mean())  # noqa: E731
    chosen, current = [], 0.0
    while len(chosen) < len(lists):
        gains = pd.Series({name: recall([*chosen, name]) for name in lists if name not in chosen})
        best = ranking.idxmax(gains)
        if chosen and gains[best] - current < min_gain:
            break
        chosen.append(best)
        current = float(gains[best])
    return chosen


def _rank_and_z(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: each column's rank (1 = best; quantised, ties to the lower position) and z-score over finite ones."""
    order = np.argsort(-values, axis=1, kind="stable")  # a feature: last-bit ties need no stable order
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, values.shape[1] + 1)[None, :].repeat(len(values), 0), axis=1)
    finite = np.where(np.isfinite(values), values, np.nan)
    spread = np.nanstd(finite, axis=1, keepdims=True)
    z = (finite - np.nanmean(finite, axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
    return ranks.astype(float), np.nan_to_num(z, nan=-10.0)


def pair_features(split: Split, scores: dict[str, np.ndarray], pool: np.ndarray, recent_days: int = 30) -> pd.DataFrame:
    """One row per (evaluated customer, candidate) of ``pool`` (``-1`` pads skipped), customers in order.

    Columns: ``<source>_z`` and ``<source>_rank`` for every source of ``scores`` (its per-customer z-score and its
    rank over the whole catalogue), then :data:`CONTEXT_FEATURES`, then ``user`` (row of ``pool``) and ``item``.
    """
    require_instance(split, Split, "split")
    rows, cols = np.nonzero(pool >= 0)
    items = pool[rows, cols]
    features = {}
    for name, values in scores.items():
        ranks, z = _rank_and_z(values)
        features[f"{name}_z"] = z[rows, items]
        features[f"{name}_rank"] = np.log(ranks[rows, items])
    item_info = _item_table(split, recent_days)
    customers = _customer_table(split, split.train.users[split.eval_users])
    days = lambda stamps: ((split.cutoff - stamps) / pd.Timedelta(days=1)).to_numpy(dtype=float)  # noqa: E731
    price = np.log(item_info["price"].to_numpy(dtype=float))
    paid = np.log(customers["median_paid"].to_numpy(dtype=float))
    n_items = np.diff(split.train.matrix.indptr)[split.eval_users].astype(float)
    features.update(
        {
            "item_log_buyers": np.log1p(item_info["buyers"].to_numpy(dtype=float))[items],
            "item_log_recent_buyers": np.log1p(item_info["recent_buyers"].to_numpy(dtype=float))[items],
            "item_days_since_sale": days(item_info["last_sale"])[items],
            "item_days_since_first_sale": days(item_info["first_sale"])[items],
            "item_log_price": price[items],
            "customer_days_since_last": customers["days_since_last"].to_numpy(dtype=float)[rows],
            "customer_log_invoices": np.log1p(customers["invoices"].to_numpy(dtype=float))[rows],
            "customer_log_items": np.log1p(n_items)[rows],
            "price_vs_customer_median": price[items] - paid[rows],
        }
    )
    frame = pd.DataFrame(features).replace([np.inf, -np.inf], np.nan).fillna(0.0)
    return frame.assign(user=rows, item=items)


def pair_labels(split: Split, pairs: pd.DataFrame) -> np.ndarray:
    """1 where the pair's product is in the customer's truth (bought, new to them, in the split's window)."""
    truth = split.truth[split.eval_users]
    return (np.asarray(truth[pairs["user"].to_numpy(), pairs["item"].to_numpy()]).ravel() > 0).astype(int)


def ranker_model(name: str, random_state=0):
    """An unfitted pair scorer: ``"lambdarank"`` (LightGBM's LGBMRanker, listwise nDCG) or ``"boosting"``
    (scikit-learn's HistGradientBoostingClassifier on the purchase label), both single-threaded and seeded.

    Examples
    --------
    >>> type(ranker_model("boosting")).__name__
    'HistGradientBoostingClassifier'
    """
    require_one_of(name, "name", RANKERS)
    require_seed(random_state, "random_state")
    if name == "boosting":
        return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=random_state)
    from lightgbm import LGBMRanker

    return LGBMRanker(
        objective="lambdarank",
        n_estimators=200,
        learning_rate=0.05,
        num_leaves=31,
        min_child_samples=50,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        random_state=0 if random_state is None else int(np.random.default_rng(random_state).integers(2**31)),
        n_jobs=1,
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
    )


def _fit_ranker(name: str, pairs: pd.DataFrame, labels: np.ndarray, random_state):
    X = pairs.drop(columns=["user", "item"])
    model = ranker_model(name, random_state)
    if name == "lambdarank":  # a customer without a purchase among the candidates has no gradient: left out
        users = pairs["user"].to_numpy()
        useful = np.isin(users, users[labels > 0])
        group = np.unique(users[useful], return_counts=True)[1]
        return model.fit(X[useful], labels[useful], group=group)
    return model.fit(X, labels)


def ranked_lists(model, pairs: pd.DataFrame, n_users: int, k: int) -> np.ndarray:
    """Each customer's top-``k`` candidates by ``model``'s score (rows ``0..n_users-1``; ``-1`` pads)."""
    X = pairs.drop(columns=["user", "item"])
    score = model.predict_proba(X)[:, 1] if hasattr(model, "predict_proba") else model.predict(X)
    width = int(np.bincount(pairs["user"].to_numpy(), minlength=n_users).max())
    position = pairs.groupby("user").cumcount().to_numpy()
    grid = np.full((n_users, max(width, k)), -np.inf)
    items = np.full_like(grid, -1, dtype=np.int64)
    grid[pairs["user"].to_numpy(), position] = score
    items[pairs["user"].to_numpy(), position] = pairs["item"].to_numpy()
    order, top = ranking.top_k_rows(grid, k)
    return np.where(np.isfinite(top), np.take_along_axis(items, order, axis=1), -1)


@dataclass
class TwoStage:
    """Result of :func:`two_stage_experiment` (validation evidence first, then the one test scoring).

    Attributes
    ----------
    half_life_days
        Chosen on validation (:attr:`recency_scores`: EASE's validation nDCG by half-life).
    sources, depth
        The candidate sources of the union (chosen on validation) and the products each contributes.
    recall
        :func:`candidate_recall` on the validation period (every source and the union, each depth).
    validation
        Validation nDCG@k on the held-out half of the validation customers: EASE, EASE-recency and the
        two-stage pipeline with each ranker (trained on the other half).
    chosen
        The model of ``validation`` with the highest nDCG: the lab's recommendation.
    ranker
        The ranker of the two-stage model reported on test (the better one on validation).
    test_lists, per_user
        Top-k lists on the test period and their per-customer metrics, by model.
    test_recall
        Mean candidate recall of the union on the test period (the ceiling of any re-ranking).
    """

    half_life_days: float
    recency_scores: pd.Series
    sources: list
    depth: int
    recall: pd.DataFrame
    validation: pd.Series
    chosen: str
    ranker: str
    test_lists: dict
    per_user: dict
    test_recall: float


def _ease_lists(split: Split, l2: float, k: int) -> np.ndarray:
    return EASE(l2=l2).fit(split.train.matrix).recommend(split.eval_users, k=k)[0]


def _window_pairs(split: Split, sources: list, chosen: list, depth: int, options: dict):
    """Candidate pairs of ``split`` (sources fitted on its train period), their labels and the source scores."""
    scores = source_scores(split, sources, **options)
    pairs = pair_features(split, scores, union_lists(source_lists(scores, depth), chosen, depth))
    return pairs, pair_labels(split, pairs), scores


def _stack(first: tuple, second: tuple) -> tuple:
    """Two windows' pairs as one training set (the second window's customers numbered after the first's)."""
    offset = int(first[0]["user"].max()) + 1
    pairs = pd.concat([first[0], second[0].assign(user=second[0]["user"] + offset)], ignore_index=True)
    return pairs, np.concatenate([first[1], second[1]])


def two_stage_experiment(
    validation: Split,
    split: Split,
    *,
    l2: float = 300.0,
    n_neighbors: int = 200,
    half_lives=RECENCY_HALF_LIVES,
    sources=SOURCES[:3],
    depth: int = 100,
    min_gain: float = 0.01,
    k: int = 10,
    test_days: int = 60,
    random_state=0,
) -> TwoStage:
    """Choose the half-life, the candidate union and the ranker on ``validation``; score ``split``'s test once.

    Parameters
    ----------
    validation, split
        Temporal splits; ``validation`` is cut inside ``split``'s training period.
    l2, n_neighbors
        EASE's ridge (e.g. tuned on validation) and item-kNN's neighbourhood.
    half_lives
        Half-lives tried for the recency weighting (:func:`tune_recency`).
    sources
        Candidate sources to consider (:data:`SOURCES`); "EASE-recency" is always among them.
    depth
        Products per source in the candidate pool.
    min_gain
        Candidate recall a source must add on validation to join the union (:func:`select_sources`).
    k
        List length.
    random_state
        Seed of the rankers, the held-out half and SASRec.

    Returns
    -------
    TwoStage
    """
    require_instance(validation, Split, "validation")
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    depth = require_positive_int(depth, "depth")
    if k > depth:
        raise ValueError(f"k={k} must not exceed depth={depth}")
    sources = ["EASE-recency", *[s for s in require_strings(sources, "sources") if s != "EASE-recency"]]
    half_lives = [*half_lives, *([np.inf] if np.inf not in half_lives else [])]
    recency_scores, tuned = _tune_recency(validation, l2, half_lives, k)
    half_life = float(ranking.idxmax(recency_scores))
    options = {"half_life_days": half_life, "l2": l2, "n_neighbors": n_neighbors, "random_state": random_state}
    scores = source_scores(validation, sources, **options, fitted={"EASE-recency": tuned[half_life]})
    del tuned
    lists = source_lists(scores, max(depth, *CANDIDATE_DEPTHS))
    chosen_sources = select_sources(lists, validation, depth, min_gain)
    recall = candidate_recall(lists, validation, chosen_sources, random_state=random_state)
    check = pair_features(validation, scores, union_lists(lists, chosen_sources, depth))
    check = (check, pair_labels(validation, check))
    del lists, scores
    inner = temporal_split(validation.train_purchases, test_days=test_days)
    learn = _window_pairs(inner, sources, chosen_sources, depth, options)[:2]
    n = len(validation.eval_users)
    validation_ndcg = {"EASE": recency_scores[np.inf], "EASE-recency": recency_scores[half_life]}
    for name in RANKERS:
        model = _fit_ranker(name, *learn, random_state)
        items = ranked_lists(model, check[0], n, k)
        validation_ndcg[f"two-stage ({name})"] = float(per_user_metrics(items, validation, k)["ndcg"].mean())
    validation_ndcg = pd.Series(validation_ndcg, name="ndcg").rename_axis("model")
    chosen = str(ranking.idxmax(validation_ndcg))
    ranker = str(ranking.idxmax(validation_ndcg[[f"two-stage ({name})" for name in RANKERS]]))
    model = _fit_ranker(ranker[len("two-stage (") : -1], *_stack(learn, check), random_state)
    del learn, check
    test_scores = source_scores(split, sources, **options)
    test_pool = union_lists(source_lists(test_scores, depth), chosen_sources, depth)
    test_pairs = pair_features(split, test_scores, test_pool)
    truth = split.truth[split.eval_users]
    lists = {
        "EASE": _ease_lists(split, l2, k),
        "EASE-recency": _top(test_scores["EASE-recency"], k),
        "two-stage": ranked_lists(model, test_pairs, len(split.eval_users), k),
    }
    per_user = {name: per_user_metrics(items, split, k) for name, items in lists.items()}
    test_recall = float((_hits(test_pool, truth) / np.diff(truth.indptr)).mean())
    return TwoStage(
        half_life_days=half_life,
        recency_scores=recency_scores,
        sources=chosen_sources,
        depth=depth,
        recall=recall,
        validation=validation_ndcg,
        chosen=chosen,
        ranker=ranker,
        test_lists=lists,
        per_user=per_user,
        test_recall=test_recall,
    )
