"""The house two-stage pipeline: recency-weighted candidate sources, a candidate pool, and a learned re-ranker.

Stage one: several *sources* score every product for every evaluated customer (EASE and item-kNN on
recency-weighted purchases, a trending popularity, basket co-purchases, optionally the neural
:class:`~shopai_lab.recommend.SASRec`). The pool the re-ranker reorders is whichever holds more of the validation
period's purchases for the same budget (:func:`choose_pool`): the union of the sources that add recall
(:func:`select_sources`), or EASE-recency's own list of the union's length.

Stage two: a LightGBM lambdarank ranker scores every (customer, candidate) pair from each source's score, z-score
and rank, how many sources propose the product, basket signals (:func:`basket_context`) and product and customer
features, and reorders the pool.

The protocol (:func:`two_stage_experiment`): everything that is chosen (half-life, pool, number of earlier training
windows) is chosen on the validation split, the ranker trained on windows before it
(:func:`training_windows`); the pipeline is recommended over EASE-recency only when its paired validation gain is
above zero. The ranker is then refitted on as many windows ending at the test period, the sources on the full
training period, and the test period is scored once.
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
from shopai_lab.stats import bootstrap_mean, paired_bootstrap

#: Half-lives (days) of the recency weighting tried on the validation period (``inf``: no decay, plain EASE).
RECENCY_HALF_LIVES = (30.0, 90.0, 180.0, np.inf)
#: Candidate sources the pipeline knows ("SASRec" needs JAX, the ``[deep]`` extra).
SOURCES = ("EASE-recency", "ItemKNN-recency", "trending", "co-purchase", "SASRec")
#: The sources of the default pipeline (every one a feature of the re-ranker; the pool is chosen by recall).
DEFAULT_SOURCES = SOURCES[:4]
#: Numbers of earlier windows the ranker may learn from, compared on the validation period.
TRAINING_WINDOWS = (1, 3)
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
    "item_trend",
    "recency_product",
    "n_sources",
    "last_basket_similarity",
    "log_copurchases_recent",
)


def _item_table(split: Split, recent_days: int) -> pd.DataFrame:
    """Per product, from the training purchases: distinct buyers (all, and in the last ``recent_days`` days),
    first and last sale, median unit price; rows in the order of ``split.train.items``."""
    lines = split.train_purchases
    end = split.cutoff
    by_item = lines.groupby("item_id", observed=True)
    recent = lines[lines["timestamp"] >= end - pd.Timedelta(days=recent_days)]
    table = pd.DataFrame(
        {
            "buyers": by_item["customer_id"].nunique(),
            "recent_buyers": recent.groupby("item_id", observed=True)["customer_id"].nunique(),
            "last_sale": by_item["timestamp"].max(),
            "first_sale": by_item["timestamp"].min(),
            "price": by_item["unit_price"].median(),
        }
    ).reindex(split.train.items)
    table["recent_buyers"] = table["recent_buyers"].fillna(0.0)
    return table


def _customer_table(split: Split, customer_ids: pd.Index) -> pd.DataFrame:
    """Per customer, from the training purchases (all before the cutoff): whole days since the last purchase,
    distinct invoices and the median unit price paid."""
    lines = split.train_purchases
    by_customer = lines.groupby("customer_id", sort=True, observed=True)
    days = (split.cutoff - by_customer["timestamp"].max()) / pd.Timedelta(days=1)
    customers = pd.DataFrame(
        {
            "days_since_last": np.floor(days),
            "invoices": by_customer["invoice_id"].nunique(),
            "median_paid": by_customer["unit_price"].median(),
        }
    )
    return customers.reindex(customer_ids)


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


def _customer_item_lines(split: Split, lines: pd.DataFrame, users: np.ndarray) -> sp.csr_matrix:
    """Binary (len(users), n_items) matrix of which train products each of ``users`` bought in ``lines``."""
    ids = split.train.users[users]
    lines = lines[lines["customer_id"].isin(ids) & lines["item_id"].isin(split.train.items)]
    rows = pd.Index(ids).get_indexer(lines["customer_id"])
    cols = split.train.items.get_indexer(lines["item_id"])
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(split.train.items)))
    matrix.data[:] = 1.0
    return matrix


def copurchase_counts(split: Split) -> np.ndarray:
    """Product x product counts of the training invoices holding both products (diagonal 0), on the train columns.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> split = temporal_split(random_transactions(2_000, n_customers=80, n_items=30, random_state=0), 30)
    >>> counts = copurchase_counts(split)
    >>> counts.shape == (split.train.shape[1],) * 2, bool((counts == counts.T).all()), float(counts.trace())
    (True, True, 0.0)
    """
    require_instance(split, Split, "split")
    if split.train_purchases.empty:
        raise ValueError("split has no train_purchases (a random_split?): co-purchases need invoices")
    lines = split.train_purchases
    invoices = pd.Index(lines["invoice_id"].unique())
    baskets = sp.csr_matrix(
        (
            np.ones(len(lines)),
            (invoices.get_indexer(lines["invoice_id"]), split.train.items.get_indexer(lines["item_id"])),
        ),
        shape=(len(invoices), len(split.train.items)),
    )
    baskets.data[:] = 1.0
    counts = (baskets.T @ baskets).toarray()
    np.fill_diagonal(counts, 0.0)
    return counts


def copurchase_scores(split: Split, half_life_days: float, counts: np.ndarray | None = None) -> np.ndarray:
    """The co-purchase source: for each evaluated customer, the recency-weighted sum over the products they bought
    of each product's basket co-occurrence count with them, divided by the square root of the product's co-purchases
    (a cosine-like damping of bestsellers); seen products ``-inf``.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> split = temporal_split(random_transactions(2_000, n_customers=80, n_items=30, random_state=0), 30)
    >>> copurchase_scores(split, 90.0).shape == (len(split.eval_users), split.train.shape[1])
    True
    """
    require_instance(split, Split, "split")
    counts = copurchase_counts(split) if counts is None else counts
    weights = recency_matrix(split, half_life_days)[split.eval_users]
    scores = np.asarray(weights @ counts) / np.sqrt(np.maximum(counts.sum(axis=0), 1.0))[None, :]
    seen = split.train.matrix[split.eval_users]
    scores[np.repeat(np.arange(len(split.eval_users)), np.diff(seen.indptr)), seen.indices] = -np.inf
    return scores


def basket_context(split: Split, counts: np.ndarray | None = None, recent_days: int = 30) -> dict[str, np.ndarray]:
    """Two (evaluated customers x products) signals the sources miss, both from the training period.

    ``last_basket_similarity``: mean cosine similarity (over customers' purchase vectors) of each product to the
    products of the customer's **last** invoice. ``copurchases_recent``: invoices in which each product was bought
    together with a product the customer bought in the last ``recent_days`` days before the cutoff.
    """
    require_instance(split, Split, "split")
    recent_days = require_positive_int(recent_days, "recent_days")
    counts = copurchase_counts(split) if counts is None else counts
    lines = split.train_purchases
    users = split.eval_users
    last_invoice = lines.sort_values("timestamp", kind="stable").groupby("customer_id", observed=True)["invoice_id"]
    last = _customer_item_lines(split, lines[lines["invoice_id"].isin(last_invoice.last().to_numpy())], users)
    bought = split.train.matrix.copy()
    bought.data[:] = 1.0
    norms = np.sqrt(np.asarray(bought.sum(axis=0)).ravel())
    unit = sp.csc_matrix(bought.multiply(1.0 / np.maximum(norms, 1.0)[None, :]))
    similarity = (unit.T @ unit).toarray()
    np.fill_diagonal(similarity, 0.0)
    size = np.maximum(np.asarray(last.sum(axis=1)), 1.0)
    recent = _customer_item_lines(
        split, lines[lines["timestamp"] >= split.cutoff - pd.Timedelta(days=recent_days)], users
    )
    return {
        "last_basket_similarity": ranking.quantize(np.asarray(last @ similarity) / size),
        "copurchases_recent": ranking.quantize(np.asarray(recent @ counts)),
    }


def source_scores(
    split: Split,
    sources=DEFAULT_SOURCES,
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
        ``{source: (len(split.eval_users), n_items) float64 array}``, each row on the grid of
        :func:`shopai_lab.ranking.quantize` (so near-ties are exact ties on every CPU).
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
        elif name == "co-purchase":
            out[name] = copurchase_scores(split, half_life_days)
            continue
        else:
            from shopai_lab.recommend.sequences import split_sequences
            from shopai_lab.recommend.sequential import SASRec

            model = SASRec(progress=False, random_state=random_state).fit(split.train.matrix, split_sequences(split))
        out[name] = _masked_scores(model, split, users)
    # Last-bit differences between CPUs (BLAS kernels, numpy's SIMD exp and log) must not reorder near-ties: the
    # lists, ranks and features below are computed from scores on a grid that is the same on every machine.
    return {name: ranking.quantize(values, axis=1) for name, values in out.items()}


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
    order = np.argsort(-values, axis=1, kind="stable")  # quantised scores: exact ties break by position
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, values.shape[1] + 1)[None, :].repeat(len(values), 0), axis=1)
    finite = np.where(np.isfinite(values), values, np.nan)
    spread = np.nanstd(finite, axis=1, keepdims=True)
    z = (finite - np.nanmean(finite, axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
    return ranks.astype(float), np.nan_to_num(z, nan=-10.0)


def _source_features(scores: dict[str, np.ndarray], rows: np.ndarray, items: np.ndarray, depth: int) -> dict:
    """Per pair and source: z-score, log rank and raw score; and how many sources have the product in their top
    ``depth``."""
    features, proposed = {}, np.zeros(len(rows))
    for name, values in scores.items():
        ranks, z = _rank_and_z(values)
        raw = values[rows, items]
        features[f"{name}_z"] = z[rows, items]
        features[f"{name}_rank"] = np.log(ranks[rows, items])
        features[f"{name}_raw"] = np.where(np.isfinite(raw), raw, 0.0)
        proposed += ranks[rows, items] <= depth
    features["n_sources"] = proposed
    return features


def pair_features(
    split: Split,
    scores: dict[str, np.ndarray],
    pool: np.ndarray,
    recent_days: int = 30,
    context: dict | None = None,
    depth: int = 100,
) -> pd.DataFrame:
    """One row per (evaluated customer, candidate) of ``pool`` (``-1`` pads skipped), customers in order.

    Columns: ``<source>_z``, ``<source>_rank`` and ``<source>_raw`` for every source of ``scores`` (its
    per-customer z-score, its log rank over the whole catalogue and its score), then :data:`CONTEXT_FEATURES`
    (``n_sources``: sources with the product in their top ``depth``; the basket signals of :func:`basket_context`,
    computed unless ``context`` holds them), then ``user`` (row of ``pool``) and ``item``. Each feature column is
    on the grid of :func:`shopai_lab.ranking.quantize`, so a last-bit difference between CPUs does not reach the
    ranker.
    """
    require_instance(split, Split, "split")
    depth = require_positive_int(depth, "depth")
    rows, cols = np.nonzero(pool >= 0)
    items = pool[rows, cols]
    features = _source_features(scores, rows, items, depth)
    context = basket_context(split, recent_days=recent_days) if context is None else context
    item_info = _item_table(split, recent_days)
    customers = _customer_table(split, split.train.users[split.eval_users])
    days = lambda stamps: ((split.cutoff - stamps) / pd.Timedelta(days=1)).to_numpy(dtype=float)  # noqa: E731
    price = np.log(item_info["price"].to_numpy(dtype=float))
    paid = np.log(customers["median_paid"].to_numpy(dtype=float))
    n_items = np.diff(split.train.matrix.indptr)[split.eval_users].astype(float)
    buyers = np.log1p(item_info["buyers"].to_numpy(dtype=float))
    recent_buyers = np.log1p(item_info["recent_buyers"].to_numpy(dtype=float))
    since_sale = days(item_info["last_sale"])
    since_last = customers["days_since_last"].to_numpy(dtype=float)
    features.update(
        {
            "item_log_buyers": buyers[items],
            "item_log_recent_buyers": recent_buyers[items],
            "item_days_since_sale": since_sale[items],
            "item_days_since_first_sale": days(item_info["first_sale"])[items],
            "item_log_price": price[items],
            "customer_days_since_last": since_last[rows],
            "customer_log_invoices": np.log1p(customers["invoices"].to_numpy(dtype=float))[rows],
            "customer_log_items": np.log1p(n_items)[rows],
            "price_vs_customer_median": price[items] - paid[rows],
            "item_trend": (recent_buyers - buyers)[items],
            "recency_product": np.log1p(since_last[rows]) * np.log1p(np.maximum(since_sale[items], 0.0)),
            "last_basket_similarity": context["last_basket_similarity"][rows, items],
            "log_copurchases_recent": np.log1p(context["copurchases_recent"][rows, items]),
        }
    )
    frame = pd.DataFrame(features).replace([np.inf, -np.inf], np.nan).fillna(0.0)
    # the ranker's input on a grid per column: LightGBM then learns the same trees on every CPU (its own sums run
    # in a fixed order on one thread), where a last-bit difference in a z-score or a log could move a split
    frame = frame.apply(lambda column: ranking.quantize(column.to_numpy()))
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


def training_windows(validation: Split, n_windows: int, test_days: int = 60) -> list[Split]:
    """Up to ``n_windows`` earlier windows for the ranker, most recent first: each one a :func:`temporal_split`
    of the previous one's training purchases (the first of ``validation``'s), so each window's truth period ends
    where the next one's starts and none overlaps ``validation``'s. Stops early when the data runs out.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> validation = temporal_split(random_transactions(5_000, n_customers=200, n_items=60, random_state=0), 30)
    >>> [w.cutoff < validation.cutoff for w in training_windows(validation, 2, 30)]
    [True, True]
    """
    require_instance(validation, Split, "validation")
    n_windows = require_positive_int(n_windows, "n_windows")
    test_days = require_positive_int(test_days, "test_days")
    windows, current = [], validation
    while len(windows) < n_windows:
        try:
            current = temporal_split(current.train_purchases, test_days=test_days)
        except ValueError:  # no purchase or no evaluable customer left before this cutoff
            break
        windows.append(current)
    return windows


def choose_pool(lists: dict[str, np.ndarray], split: Split, union, depth: int) -> tuple[str, int]:
    """The candidate pool holding more of ``split``'s truth for the same budget: the ``union`` of the sources'
    top ``depth`` (``("union", depth)``) or EASE-recency's top N, N the union's mean size (``("EASE-recency", N)``).

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> split = temporal_split(random_transactions(3_000, n_customers=120, n_items=40, random_state=1), 30)
    >>> lists = source_lists(source_scores(split, ["EASE-recency", "trending"], l2=10.0), 40)
    >>> choose_pool(lists, split, ["EASE-recency", "trending"], 10)[0] in ("union", "EASE-recency")
    True
    """
    require_instance(split, Split, "split")
    depth = require_positive_int(depth, "depth")
    union = union_lists(lists, union, depth)
    if "EASE-recency" not in lists:
        raise ValueError("lists must hold EASE-recency's lists")
    size = int(round((union >= 0).sum(axis=1).mean()))
    if size > lists["EASE-recency"].shape[1]:
        raise ValueError(f"lists are {lists['EASE-recency'].shape[1]} deep; the budget needs {size}")
    truth = split.truth[split.eval_users]
    recall = lambda pool: float((_hits(pool, truth) / np.diff(truth.indptr)).mean())  # noqa: E731
    if recall(union) > recall(lists["EASE-recency"][:, :size]):
        return "union", depth
    return "EASE-recency", size


def _pool(lists: dict[str, np.ndarray], pool: tuple[str, int], union) -> np.ndarray:
    kind, size = pool
    return union_lists(lists, union, size) if kind == "union" else lists["EASE-recency"][:, :size]


@dataclass
class TwoStage:
    """Result of :func:`two_stage_experiment` (validation evidence first, then the one test scoring).

    Attributes
    ----------
    half_life_days
        Chosen on validation (:attr:`recency_scores`: EASE's validation nDCG by half-life).
    sources, depth
        The sources the union would keep (chosen on validation by :func:`select_sources`) and each one's depth.
    pool
        ``(kind, size)`` of :func:`choose_pool`: the pool the re-ranker reorders (chosen on validation recall).
    recall
        :func:`candidate_recall` on the validation period (every source and the union, each depth).
    validation
        Validation nDCG@k: EASE, EASE-recency and the two-stage pipeline for each ranker and number of training
        windows (the ranker trained on windows before the validation period).
    gain
        Paired interval (validation customers) of the best two-stage row minus EASE-recency.
    chosen
        The lab's recommendation: the best two-stage row when ``gain`` is above zero, else the better of EASE
        and EASE-recency on validation.
    ranker
        The two-stage row reported on test (the best on validation); ``windows`` its number of windows.
    test_lists, per_user
        Top-k lists on the test period and their per-customer metrics, by model.
    test_recall
        Mean candidate recall of the pool on the test period (the ceiling of any re-ranking).
    """

    half_life_days: float
    recency_scores: pd.Series
    sources: list
    depth: int
    pool: tuple
    recall: pd.DataFrame
    validation: pd.Series
    gain: object
    chosen: str
    ranker: str
    windows: int
    test_lists: dict
    per_user: dict
    test_recall: float


def _window_pairs(split: Split, sources: list, union: list, pool: tuple, options: dict, depth: int):
    """Candidate pairs of ``split`` (sources fitted on its train period) and their labels."""
    scores = source_scores(split, sources, **options)
    lists = source_lists(scores, max(pool[1], depth))
    pairs = pair_features(split, scores, _pool(lists, pool, union), depth=depth)
    return pairs, pair_labels(split, pairs)


def _stack(windows: list) -> tuple:
    """Several windows' (pairs, labels) as one training set (each window's customers numbered after the last's)."""
    frames, offset = [], 0
    for pairs, _ in windows:
        frames.append(pairs.assign(user=pairs["user"] + offset))
        offset += int(pairs["user"].max()) + 1
    return pd.concat(frames, ignore_index=True), np.concatenate([labels for _, labels in windows])


def _choose(validation_ndcg: pd.Series, per_user: dict, random_state) -> tuple[str, str, object]:
    """The best two-stage row, its paired gain over EASE-recency, and the recommendation under the margin rule."""
    best = str(ranking.idxmax(validation_ndcg[[n for n in validation_ndcg.index if n.startswith("two-stage")]]))
    gain = paired_bootstrap(per_user["EASE-recency"], per_user[best], random_state=random_state)
    simple = str(ranking.idxmax(validation_ndcg[["EASE", "EASE-recency"]]))
    return best, gain, best if gain.low > 0 else simple


def _ease_lists(split: Split, l2: float, k: int, ease: EASE | None = None) -> np.ndarray:
    """EASE's test lists: ``ease`` when given (already fitted on ``split``'s train matrix), else a refit."""
    model = EASE(l2=l2).fit(split.train.matrix) if ease is None else require_instance(ease, EASE, "ease")
    return model.recommend(split.eval_users, k=k)[0]


def _validate_rankers(learn: list, check: tuple, validation: Split, rankers, windows, k: int, random_state) -> dict:
    """Per-customer validation nDCG of each ranker trained on the first ``w`` earlier windows, ``w`` in ``windows``."""
    out = {}
    for name in rankers:
        for w in sorted({min(w, len(learn)) for w in windows}):
            model = _fit_ranker(name, *_stack(learn[:w]), random_state)
            items = ranked_lists(model, check[0], len(validation.eval_users), k)
            label = f"two-stage ({name}, {w} window{'s' if w > 1 else ''})"
            out[label] = per_user_metrics(items, validation, k)["ndcg"].to_numpy()
    return out


def two_stage_experiment(
    validation: Split,
    split: Split,
    *,
    l2: float = 300.0,
    n_neighbors: int = 200,
    half_lives=RECENCY_HALF_LIVES,
    sources=DEFAULT_SOURCES,
    depth: int = 100,
    min_gain: float = 0.01,
    k: int = 10,
    test_days: int = 60,
    windows=TRAINING_WINDOWS,
    rankers=RANKERS[:1],
    ease: EASE | None = None,
    random_state=0,
) -> TwoStage:
    """Choose the half-life, the pool, the ranker and its training windows on ``validation``; score ``split`` once.

    Parameters
    ----------
    validation, split
        Temporal splits; ``validation`` is cut inside ``split``'s training period.
    l2, n_neighbors
        EASE's ridge (e.g. tuned on validation) and item-kNN's neighbourhood.
    half_lives
        Half-lives tried for the recency weighting (:func:`tune_recency`).
    sources
        Candidate sources (:data:`SOURCES`); "EASE-recency" is always among them. Every source is a feature.
    depth
        Products per source in the union; the union's size is the candidate budget (:func:`choose_pool`).
    min_gain
        Candidate recall a source must add on validation to join the union (:func:`select_sources`).
    k
        List length.
    test_days
        Length of each earlier training window (:func:`training_windows`).
    windows
        Numbers of earlier windows the ranker learns from, compared on validation.
    rankers
        Names from :data:`RANKERS` compared on validation.
    ease
        EASE with ridge ``l2`` already fitted on ``split``'s train matrix (e.g. the notebook's): its test lists,
        instead of a refit.
    random_state
        Seed of the rankers, the bootstrap and SASRec.

    Returns
    -------
    TwoStage
    """
    require_instance(validation, Split, "validation")
    require_instance(split, Split, "split")
    if ease is not None:
        require_instance(ease, EASE, "ease")
    k = require_positive_int(k, "k")
    depth = require_positive_int(depth, "depth")
    if k > depth:
        raise ValueError(f"k={k} must not exceed depth={depth}")
    windows = [require_positive_int(w, "windows") for w in windows]
    rankers = [require_one_of(name, "rankers", RANKERS) for name in require_strings(rankers, "rankers")]
    if not windows or not rankers:
        raise ValueError("windows and rankers must not be empty")
    sources = ["EASE-recency", *[s for s in require_strings(sources, "sources") if s != "EASE-recency"]]
    half_lives = [*half_lives, *([np.inf] if np.inf not in half_lives else [])]
    recency_scores, tuned = _tune_recency(validation, l2, half_lives, k)
    half_life = float(ranking.idxmax(recency_scores))
    options = {"half_life_days": half_life, "l2": l2, "n_neighbors": n_neighbors, "random_state": random_state}
    scores = source_scores(validation, sources, **options, fitted={"EASE-recency": tuned[half_life]})
    del tuned
    lists = source_lists(scores, max(depth * len(sources), *CANDIDATE_DEPTHS))
    union = select_sources(lists, validation, depth, min_gain)
    recall = candidate_recall(lists, validation, union, random_state=random_state)
    pool = choose_pool(lists, validation, union, depth)
    check = pair_features(validation, scores, _pool(lists, pool, union), depth=depth)
    check = (check, pair_labels(validation, check))
    per_user = {"EASE-recency": per_user_metrics(_top(scores["EASE-recency"], k), validation, k)["ndcg"].to_numpy()}
    del lists, scores
    earlier = training_windows(validation, max(windows), test_days)
    if not earlier:
        raise ValueError(f"no window of test_days={test_days} days before the validation period: nothing to learn from")
    learn = [_window_pairs(window, sources, union, pool, options, depth) for window in earlier]
    per_user.update(_validate_rankers(learn, check, validation, rankers, windows, k, random_state))
    validation_ndcg = pd.Series(
        {"EASE": recency_scores[np.inf], **{name: float(values.mean()) for name, values in per_user.items()}},
        name="ndcg",
    ).rename_axis("model")
    best, gain, chosen = _choose(validation_ndcg, per_user, random_state)
    n_windows = int(best.split(", ")[1].split(" ")[0])
    model = _fit_ranker(
        best[len("two-stage (") :].split(",")[0], *_stack([check, *learn[: n_windows - 1]]), random_state
    )
    del learn, check
    test_scores = source_scores(split, sources, **options)
    test_pool = _pool(source_lists(test_scores, max(pool[1], depth)), pool, union)
    test_pairs = pair_features(split, test_scores, test_pool, depth=depth)
    truth = split.truth[split.eval_users]
    lists = {
        "EASE": _ease_lists(split, l2, k, ease),
        "EASE-recency": _top(test_scores["EASE-recency"], k),
        "two-stage": ranked_lists(model, test_pairs, len(split.eval_users), k),
    }
    return TwoStage(
        half_life_days=half_life,
        recency_scores=recency_scores,
        sources=union,
        depth=depth,
        pool=pool,
        recall=recall,
        validation=validation_ndcg,
        gain=gain,
        chosen=chosen,
        ranker=best,
        windows=n_windows,
        test_lists=lists,
        per_user={name: per_user_metrics(items, split, k) for name, items in lists.items()},
        test_recall=float((_hits(test_pool, truth) / np.diff(truth.indptr)).mean()),
    )
