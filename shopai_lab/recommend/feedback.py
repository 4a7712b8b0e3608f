"""The filter bubble run forward: a simulated shop whose purchases feed the recommender that shapes them.

Notebook 12, part 1. The simulated shop is seeded from real purchases (:func:`fit_shop_world`):

- **products** are the most-bought products of the data, put into **groups** by clustering their
  descriptions (TF-IDF, k-means): the bundled data has no categories;
- **customers** are real customers; each has a known **taste** over the groups, drawn per run from a
  Dirichlet around the customer's real purchase mix (so the breadth of real baskets carries over), and a
  taste over products, ``taste[group] * appeal`` (appeal: the product's share of its group's buyers);
- **a round** is one basket per customer, of the customer's real median basket size. Each product in
  the basket is, with probability ``feedback_strength``, drawn from the list the customer was shown
  (weighted by taste) and otherwise from the customer's whole taste. With ``feedback_strength = 0`` what
  is shown does not change what is bought.

Each round (:class:`FilterBubbleLoop`, a :class:`shopai_lab.simulation.FeedbackLoop`) the policy
recommends ``k`` products to every customer from a recommender fitted on the history so far (EASE
plus a trending popularity, blended as the house Blend does; ALS left out for speed), customers buy,
and the recommender is refitted on the longer history. Policies: ``plain`` (the top of the list), ``mmr``
(notebook 02's re-ranking), ``explore`` (each slot, with probability ``epsilon``, goes to the best product
of a group drawn at random), ``calibrated`` (Steck 2018: the list's group mix is pulled towards the
customer's history mix) and ``random`` (a reference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_not_empty,
    require_number,
    require_one_of,
    require_positive_int,
    require_seed,
)
from shopai_lab.recommend.blend import Blend
from shopai_lab.recommend.evaluation import coverage
from shopai_lab.recommend.linear import EASE
from shopai_lab.recommend.popularity import Popularity
from shopai_lab.recommend.similarity import ItemVectors
from shopai_lab.simulation import FeedbackLoop, compare_loops, run_loop
from shopai_lab.stats import gini

#: the policies a :class:`FilterBubbleLoop` can run, in the order notebook 12 reports them
POLICIES: tuple[str, ...] = ("plain", "mmr", "explore", "calibrated", "random")
#: the per-round metrics of a :class:`FilterBubbleLoop`
BUBBLE_METRICS: tuple[str, ...] = (
    "utility",
    "ndcg",
    "breadth",
    "diversity",
    "coverage",
    "exposure_gini",
    "offline_ndcg",
)
_LINES = ["customer_id", "item_id", "invoice_id", "description"]


@dataclass(frozen=True, repr=False)
class ShopWorld:
    """The real data a simulated shop starts from (see :func:`fit_shop_world`).

    Attributes
    ----------
    customer_ids, item_ids : numpy.ndarray
        The rows and columns of ``history``.
    descriptions : list of str
        One description per product.
    groups : numpy.ndarray
        ``(n_items,)`` group of each product (a cluster of descriptions).
    group_names : list of str
        The two heaviest terms of each group's centroid.
    appeal : numpy.ndarray
        ``(n_items,)`` each product's share of its group's buyers (sums to 1 within a group).
    group_counts : numpy.ndarray
        ``(n_customers, n_groups)`` distinct products each customer bought in each group.
    basket_sizes : numpy.ndarray
        ``(n_customers,)`` median distinct catalogue products per invoice (at least 1).
    history : scipy.sparse.csr_matrix
        ``(n_customers, n_items)`` binary real purchases: the history before round 0.
    similarity : numpy.ndarray
        ``(n_items, n_items)`` cosine of the descriptions' TF-IDF vectors (independent of purchases).
    min_products : int
        Distinct catalogue products every customer had bought (the draw's condition).
    """

    customer_ids: np.ndarray
    item_ids: np.ndarray
    descriptions: list
    groups: np.ndarray
    group_names: list
    appeal: np.ndarray
    group_counts: np.ndarray
    basket_sizes: np.ndarray
    history: sp.csr_matrix
    similarity: np.ndarray
    min_products: int

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_customers, n_items)``."""
        return self.history.shape

    @property
    def n_groups(self) -> int:
        """Number of product groups."""
        return len(self.group_names)

    def __repr__(self) -> str:
        return f"ShopWorld({self.shape[0]} customers, {self.shape[1]} products, {self.n_groups} groups)"


def _catalogue(lines: pd.DataFrame, n_products: int) -> pd.Series:
    """Buyers of the ``n_products`` most-bought products (ties: the lower item id), most-bought first."""
    buyers = lines.groupby("item_id", sort=True)["customer_id"].nunique()
    order = np.lexsort((np.arange(len(buyers)), -buyers.to_numpy()))
    return buyers.iloc[order[:n_products]]


def _customers(lines: pd.DataFrame, n_customers: int, min_products: int, rng: np.random.Generator) -> np.ndarray:
    distinct = lines.groupby("customer_id", sort=True)["item_id"].nunique()
    eligible = distinct.index[distinct >= min_products].to_numpy()
    if len(eligible) < 10:
        raise ValueError(
            f"only {len(eligible)} customers bought at least min_products={min_products} of the catalogue; "
            "the simulated shop needs at least 10 (lower min_products or raise n_products)"
        )
    if len(eligible) <= n_customers:
        return eligible
    return np.sort(rng.choice(eligible, size=n_customers, replace=False))


def _description_groups(texts: list[str], n_groups: int, random_state: int) -> tuple[np.ndarray, list, np.ndarray]:
    """k-means groups of TF-IDF description vectors, their names and the descriptions' cosine matrix."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    vectors = vectorizer.fit_transform(texts)
    n_groups = min(n_groups, vectors.shape[0])
    km = KMeans(n_clusters=n_groups, n_init=10, random_state=random_state).fit(vectors)
    terms = np.asarray(vectorizer.get_feature_names_out())
    names = [" ".join(terms[ranking.descending_order(c)[:2]]) for c in km.cluster_centers_]
    similarity = np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)
    return km.labels_.astype(np.int64), names, similarity


def fit_shop_world(
    purchases: pd.DataFrame,
    n_customers: int = 400,
    n_products: int = 300,
    n_groups: int = 12,
    min_products: int = 5,
    random_state=0,
) -> ShopWorld:
    """A simulated shop's products, groups and customers, from real purchase lines.

    Parameters
    ----------
    purchases
        Canonical purchase lines with ``customer_id``, ``item_id``, ``invoice_id`` and ``description``
        (e.g. ``clean_transactions(...).purchases``). Not modified.
    n_customers
        Customers drawn (without replacement) among those who bought at least ``min_products`` products
        of the catalogue; all of them when fewer.
    n_products
        The catalogue: the products with the most buyers.
    n_groups
        Product groups (k-means clusters of the descriptions).
    min_products
        Distinct catalogue products a customer must have bought to be drawn.
    random_state
        Seeds the customer draw and the clustering.

    Returns
    -------
    ShopWorld

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(4_000, n_customers=120, n_items=60, random_state=0)
    >>> words = ["red heart", "tin sign", "paper kit", "glass jar"]
    >>> lines = lines.assign(description=lines["item_id"].map(lambda i: words[int(i) % 4]))
    >>> fit_shop_world(lines, n_customers=50, n_products=40, n_groups=4)
    ShopWorld(50 customers, 40 products, 4 groups)
    """
    require_not_empty(require_columns(purchases, _LINES, "purchases"), "purchases")
    for value, name in ((n_customers, "n_customers"), (n_products, "n_products"), (n_groups, "n_groups")):
        require_positive_int(value, name, minimum=2)
    require_positive_int(min_products, "min_products")
    rng = np.random.default_rng(require_seed(random_state, "random_state"))
    lines = purchases.loc[purchases["customer_id"].notna(), _LINES]
    buyers = _catalogue(lines, n_products)
    lines = lines[lines["item_id"].isin(buyers.index)]
    customers = _customers(lines, n_customers, min_products, rng)
    lines = lines[lines["customer_id"].isin(customers)]
    items = buyers.index.to_numpy()
    texts = lines.groupby("item_id")["description"].agg(lambda s: str(s.mode().iloc[0]) if s.notna().any() else "")
    texts = [texts.get(i, "") or str(i) for i in items]
    groups, names, similarity = _description_groups(texts, n_groups, int(rng.integers(2**31)))
    rows = pd.Index(customers).get_indexer(lines["customer_id"])
    cols = pd.Index(items).get_indexer(lines["item_id"])
    history = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(customers), len(items)))
    history.data[:] = 1.0
    onehot = np.eye(len(names))[groups]
    appeal = buyers.to_numpy(dtype=float) / (onehot @ (onehot.T @ buyers.to_numpy(dtype=float)))
    per_invoice = lines.drop_duplicates(["invoice_id", "item_id"]).groupby(["customer_id", "invoice_id"]).size()
    baskets = per_invoice.groupby(level=0).median().reindex(customers).to_numpy()
    return ShopWorld(
        customer_ids=customers,
        item_ids=items,
        descriptions=texts,
        groups=groups,
        group_names=names,
        appeal=appeal,
        group_counts=np.asarray(history @ onehot),
        basket_sizes=np.clip(np.round(baskets), 1, 30).astype(np.int64),
        history=history,
        similarity=similarity,
        min_products=int(min_products),
    )


def _draw_purchases(prefs, lists, baskets, feedback_strength, rng) -> np.ndarray:
    """``(n_users, max basket)`` products bought (``-1``: beyond the customer's basket size).

    Each draw comes from the shown list (weighted by taste) with probability ``feedback_strength``,
    otherwise from the customer's whole taste over products.
    """
    n_users, width = len(prefs), int(baskets.max())
    uniform = rng.random((n_users, width, 2))
    organic = (np.cumsum(prefs, axis=1)[:, None, :] < uniform[..., :1] * prefs.sum(axis=1)[:, None, None]).sum(-1)
    shown = np.take_along_axis(prefs, np.maximum(lists, 0), axis=1) * (lists >= 0)
    cum = np.cumsum(shown, axis=1)
    pick = (cum[:, None, :] < uniform[..., 1:] * cum[:, -1:, None]).sum(-1)
    from_list = np.take_along_axis(lists, np.minimum(pick, lists.shape[1] - 1), axis=1)
    use_list = rng.random((n_users, width)) < feedback_strength
    bought = np.where(use_list, from_list, np.minimum(organic, prefs.shape[1] - 1))
    return np.where(np.arange(width)[None, :] < baskets[:, None], bought, -1)


def _breadth(bought: np.ndarray, groups: np.ndarray, taste: np.ndarray, baskets: np.ndarray) -> float:
    """Distinct groups bought over the number expected from the customers' true taste with the same draws."""
    onehot = np.zeros_like(taste, dtype=bool)
    rows = np.repeat(np.arange(len(bought)), bought.shape[1])
    valid = bought.ravel() >= 0
    onehot[rows[valid], groups[bought.ravel()[valid]]] = True
    expected = (1.0 - (1.0 - taste) ** baskets[:, None]).sum(axis=1)
    return float(onehot.sum(axis=1).mean() / expected.mean())


def _list_diversity(lists: np.ndarray, similarity: np.ndarray) -> float:
    """Mean pairwise ``1 - cosine`` of the descriptions within each list, averaged over lists."""
    k = lists.shape[1]
    sims = similarity[lists[:, :, None], lists[:, None, :]]
    off_diagonal = (sims.sum(axis=(1, 2)) - np.trace(sims, axis1=1, axis2=2)) / (k * (k - 1))
    return float(np.mean(1.0 - off_diagonal))


def _mean_ndcg(lists: np.ndarray, bought: sp.csr_matrix) -> float:
    """Mean binary nDCG@k of every customer's list against the products bought (each customer bought at least one):
    :func:`shopai_lab.recommend.ranking_metrics`' nDCG, computed for all customers at once."""
    k = lists.shape[1]
    relevant = np.asarray(bought[np.arange(len(lists))[:, None], lists].todense()) > 0
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(discounts)[np.minimum(np.diff(bought.indptr), k) - 1]
    return float(np.mean((relevant * discounts).sum(axis=1) / ideal))


def _as_matrix(bought: np.ndarray, n_items: int) -> sp.csr_matrix:
    rows = np.repeat(np.arange(len(bought)), bought.shape[1])
    valid = bought.ravel() >= 0
    matrix = sp.csr_matrix((np.ones(valid.sum()), (rows[valid], bought.ravel()[valid])), shape=(len(bought), n_items))
    matrix.data[:] = 1.0
    return matrix


class FilterBubbleLoop(FeedbackLoop):
    """Recommend, buy, retrain: one policy in a simulated shop (see the module docstring).

    Parameters
    ----------
    world
        From :func:`fit_shop_world`.
    policy
        One of :data:`POLICIES`.
    k
        List length.
    feedback_strength
        Probability that a product in a basket comes from the shown list (0: lists do not change purchases).
    taste_prior
        Pseudo-purchases of the shop-wide group mix added to each customer's real mix before the taste is
        drawn (Dirichlet): larger values pull tastes towards the average customer.
    ease_l2, trend_weight, trend_decay
        The recommender: EASE's ridge penalty, the weight of the trending popularity and the factor by
        which each round's purchases fade in the trend (per round).
    mmr_weight
        Relevance weight of ``mmr`` (notebook 02's maximal marginal relevance; 1 keeps the order).
    epsilon
        Share of slots ``explore`` gives to a group drawn at random.
    calibration_weight
        Steck's lambda of ``calibrated``: 0 keeps the order, 1 only matches the history's group mix.
    n_candidates
        Candidates (top of the recommender) the re-ranking policies choose from.

    Metrics per round
    -----------------
    ``utility`` (true taste of the shown list over the best possible list's), ``ndcg`` (against the
    round's purchases), ``breadth`` (distinct groups bought over those the true taste gives), ``diversity``
    (descriptions), ``coverage``, ``exposure_gini``, and in round 0 only ``offline_ndcg``: the list scored
    against the purchases the plain policy's lists led to (the same draws for every policy), as an offline
    evaluation on logged data would score it.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(4_000, n_customers=120, n_items=60, random_state=0)
    >>> words = ["red heart", "tin sign", "paper kit", "glass jar"]
    >>> lines = lines.assign(description=lines["item_id"].map(lambda i: words[int(i) % 4]))
    >>> world = fit_shop_world(lines, n_customers=40, n_products=30, n_groups=3)
    >>> history = run_loop(FilterBubbleLoop(world, policy="random"), n_rounds=2, seeds=[0])
    >>> float(history["coverage"].min())
    1.0
    """

    def __init__(
        self,
        world: ShopWorld,
        policy: str = "plain",
        k: int = 10,
        feedback_strength: float = 0.5,
        taste_prior: float = 2.0,
        ease_l2: float = 100.0,
        trend_weight: float = 0.4,
        trend_decay: float = 0.5,
        mmr_weight: float = 0.7,
        epsilon: float = 0.2,
        calibration_weight: float = 0.5,
        n_candidates: int = 50,
    ) -> None:
        require_instance(world, ShopWorld, "world")
        self.world, self.policy = world, require_one_of(policy, "policy", POLICIES)
        self.k = require_positive_int(k, "k")
        if self.k >= world.shape[1]:
            raise ValueError(f"k={k} must be smaller than the catalogue ({world.shape[1]} products)")
        self.n_candidates = max(require_positive_int(n_candidates, "n_candidates"), self.k)
        self.n_candidates = min(self.n_candidates, world.shape[1])
        self.feedback_strength = require_number(feedback_strength, "feedback_strength", low=0, high=1)
        self.taste_prior = require_number(taste_prior, "taste_prior", low=0, low_inclusive=False)
        self.ease_l2 = require_number(ease_l2, "ease_l2", low=0, low_inclusive=False)
        self.trend_weight = require_number(trend_weight, "trend_weight", low=0)
        self.trend_decay = require_number(trend_decay, "trend_decay", low=0, high=1)
        self.mmr_weight = require_number(mmr_weight, "mmr_weight", low=0, high=1)
        self.epsilon = require_number(epsilon, "epsilon", low=0, high=1)
        self.calibration_weight = require_number(calibration_weight, "calibration_weight", low=0, high=1)

    def _fit(self, history: sp.csr_matrix, trend: sp.csr_matrix) -> Blend:
        blend = Blend(components=[(EASE(l2=self.ease_l2), 1.0), (Popularity(weighted=True), self.trend_weight)])
        return blend.fit(history, component_X=[None, trend])

    def reset(self, rng: np.random.Generator) -> dict:
        """Draw the customers' tastes, fit the first recommender and log the plain lists' purchases."""
        world = self.world
        mix = world.group_counts.sum(axis=0) + 1.0
        alpha = world.group_counts + self.taste_prior * mix / mix.sum()
        taste = np.vstack([rng.dirichlet(np.maximum(a, 1e-3)) for a in alpha])
        prefs = taste[:, world.groups] * world.appeal[None, :]
        state = {
            "taste": taste,
            "prefs": prefs,
            "best": np.sort(prefs, axis=1)[:, -self.k :].sum(axis=1),
            "history": world.history.copy(),
            "trend": world.history.copy(),
        }
        state["model"] = self._fit(state["history"], state["trend"])
        plain = state["model"].recommend(np.arange(world.shape[0]), self.k, exclude_seen=False)[0]
        logged = _draw_purchases(prefs, plain, world.basket_sizes, self.feedback_strength, rng)
        state["logged"] = _as_matrix(logged, world.shape[1])
        return state

    def step(self, state: dict, round_index: int, rng: np.random.Generator) -> tuple[dict, dict]:
        """Recommend to every customer, draw the baskets, measure, refit on the longer history."""
        world, users = self.world, np.arange(self.world.shape[0])
        lists = self._lists(state, users, rng)
        bought = _draw_purchases(state["prefs"], lists, world.basket_sizes, self.feedback_strength, rng)
        new = _as_matrix(bought, world.shape[1])
        shown = np.take_along_axis(state["prefs"], lists, axis=1).sum(axis=1)
        exposure = np.bincount(lists.ravel(), minlength=world.shape[1])
        metrics = {
            "utility": float(np.mean(shown / state["best"])),
            "ndcg": _mean_ndcg(lists, new),
            "breadth": _breadth(bought, world.groups, state["taste"], world.basket_sizes),
            "diversity": _list_diversity(lists, world.similarity),
            "coverage": coverage(lists, world.shape[1]),
            "exposure_gini": gini(exposure),
            "offline_ndcg": _mean_ndcg(lists, state["logged"]) if round_index == 0 else float("nan"),
        }
        state = dict(state)
        state["history"] = state["history"].maximum(new).tocsr()
        state["trend"] = (self.trend_decay * state["trend"] + new).tocsr()
        state["model"] = self._fit(state["history"], state["trend"])
        return state, metrics

    def _lists(self, state: dict, users: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.policy == "random":
            return ranking.top_k_rows(rng.random((len(users), self.world.shape[1])), self.k)[0]
        model = state["model"]
        if self.policy == "plain":
            return model.recommend(users, self.k, exclude_seen=False)[0]
        items, scores = model.recommend(users, self.n_candidates, exclude_seen=False)
        if self.policy == "mmr":
            return _mmr(items, scores, state["history"], self.k, self.mmr_weight)
        if self.policy == "explore":
            return _explore(items[:, : self.k], model.scores(users), self.world.groups, self.epsilon, rng)
        mix = np.asarray(state["history"] @ np.eye(self.world.n_groups)[self.world.groups]) + 0.01
        return _calibrate(
            items, scores, self.world.groups, mix / mix.sum(axis=1, keepdims=True), self.k, self.calibration_weight
        )


def _explore(lists: np.ndarray, scores: np.ndarray, groups: np.ndarray, epsilon: float, rng) -> np.ndarray:
    """Each slot, with probability ``epsilon``, goes to the best-scored product (not yet listed) of a random group."""
    lists = lists.copy()
    replace = rng.random(lists.shape) < epsilon
    drawn = rng.integers(groups.max() + 1, size=lists.shape)
    for u, slot in zip(*np.nonzero(replace)):
        candidates = np.flatnonzero((groups == drawn[u, slot]) & ~np.isin(np.arange(len(groups)), lists[u]))
        if len(candidates):
            lists[u, slot] = candidates[ranking.argmax(scores[u, candidates])]
    return lists


def _calibrate(items, scores, groups, target, k: int, weight: float) -> np.ndarray:
    """Steck's (2018) greedy calibration: maximise ``(1 - w) * relevance - w * KL(target || list mix)``."""
    n_users, n_groups = target.shape
    low, high = scores.min(axis=1, keepdims=True), scores.max(axis=1, keepdims=True)
    relevance = (scores - low) / np.where(high > low, high - low, 1.0)
    candidate_groups = np.eye(n_groups)[groups[items]]  # (users, candidates, groups)
    counts, gained = np.zeros((n_users, n_groups)), np.zeros(n_users)
    available = np.ones(items.shape, dtype=bool)
    out = np.empty((n_users, k), dtype=np.int64)
    for slot in range(k):
        mix = (counts[:, None, :] + candidate_groups) / (slot + 1)
        mix = 0.99 * mix + 0.01 * target[:, None, :]
        kl = (target[:, None, :] * np.log(target[:, None, :] / mix)).sum(axis=2)
        value = (1 - weight) * (gained[:, None] + relevance) - weight * kl
        pick = ranking.argmax(np.where(available, value, -np.inf), axis=1)
        rows = np.arange(n_users)
        out[:, slot] = items[rows, pick]
        counts += candidate_groups[rows, pick]
        gained += relevance[rows, pick]
        available[rows, pick] = False
    return out


def _mmr(items, scores, history, k: int, weight: float) -> np.ndarray:
    """Notebook 02's maximal marginal relevance (:func:`shopai_lab.recommend.mmr_rerank`), all users at once.

    The same criterion, scaling and tie rule, with the item-item cosine computed once for the catalogue
    instead of once per customer (the per-customer loop made a 20-round run ten times slower).
    """
    n_users = len(items)
    low, high = scores.min(axis=1, keepdims=True), scores.max(axis=1, keepdims=True)
    relevance = np.where(high > low, (scores - low) / np.where(high > low, high - low, 1.0), 1.0)
    cosine = ItemVectors(history).similarity(np.arange(history.shape[1]))
    sims = cosine[items[:, :, None], items[:, None, :]]
    max_sim = np.zeros(items.shape)
    available = np.ones(items.shape, dtype=bool)
    out = np.empty((n_users, k), dtype=np.int64)
    rows = np.arange(n_users)
    for slot in range(k):
        value = ranking.quantize(weight * relevance - (1 - weight) * max_sim, axis=1)
        pick = np.argmax(np.where(available, value, -np.inf), axis=1)
        out[:, slot] = items[rows, pick]
        available[rows, pick] = False
        max_sim = np.maximum(max_sim, sims[rows, pick])
    return out


def bubble_study(
    world: ShopWorld,
    policies=POLICIES[:4],
    n_rounds: int = 20,
    seeds=range(10),
    progress=None,
    **loop_params,
) -> dict[str, pd.DataFrame]:
    """Run :class:`FilterBubbleLoop` under each policy with the same seeds (paired worlds); policy -> history.

    Parameters
    ----------
    world
        From :func:`fit_shop_world`.
    policies
        Names from :data:`POLICIES` (default: all but ``random``).
    n_rounds, seeds, progress
        As in :func:`shopai_lab.simulation.run_loop`.
    **loop_params
        Passed to every :class:`FilterBubbleLoop` (``k``, ``feedback_strength``, ...).

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(4_000, n_customers=120, n_items=60, random_state=0)
    >>> words = ["red heart", "tin sign", "paper kit", "glass jar"]
    >>> lines = lines.assign(description=lines["item_id"].map(lambda i: words[int(i) % 4]))
    >>> world = fit_shop_world(lines, n_customers=40, n_products=30, n_groups=3)
    >>> sorted(bubble_study(world, ["plain", "random"], n_rounds=1, seeds=[0, 1]))
    ['plain', 'random']
    """
    if isinstance(policies, str) or not hasattr(policies, "__iter__"):
        raise TypeError(f"policies must be a list of names from {POLICIES}, got {policies!r}")
    policies = [require_one_of(p, "policies", POLICIES) for p in policies]
    if not policies or len(set(policies)) != len(policies):
        raise ValueError(f"policies must be distinct names from {POLICIES}, got {policies!r}")
    seeds = list(seeds)
    return {p: run_loop(FilterBubbleLoop(world, policy=p, **loop_params), n_rounds, seeds, progress) for p in policies}


def policy_table(
    histories: dict[str, pd.DataFrame], baseline: str = "plain", n_boot: int = 2000, random_state=0
) -> pd.DataFrame:
    """Each policy after the last round and, offline, at round 0, with paired intervals against ``baseline``.

    Parameters
    ----------
    histories
        Policy -> history, from :func:`bubble_study` (the same seeds).
    baseline
        The policy every other is compared with (``b - a`` with ``a`` the baseline).
    n_boot, random_state
        The paired bootstrap over seeds (:func:`shopai_lab.simulation.compare_loops`).

    Returns
    -------
    pandas.DataFrame
        One row per policy: the last round's mean ``utility``, ``breadth``, ``diversity``, ``coverage``,
        ``exposure_gini`` and ``ndcg``, round 0's ``offline_ndcg``, and the :class:`~shopai_lab.stats.Interval`
        columns ``utility_change`` and ``offline_change`` (``None`` on the baseline's row).
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict of policy -> history, got {type(histories).__name__}")
    baseline = require_one_of(baseline, "baseline", list(histories))
    rows = {}
    for name, history in histories.items():
        require_columns(history, ["seed", "round", *BUBBLE_METRICS], f"histories[{name!r}]")
        last = history[history["round"] == history["round"].max()]
        row = last[[m for m in BUBBLE_METRICS if m != "offline_ndcg"]].mean().to_dict()
        row["offline_ndcg"] = float(history.loc[history["round"] == 0, "offline_ndcg"].mean())
        compare = dict(n_boot=n_boot, random_state=random_state)
        base = histories[baseline]
        other = name != baseline
        row["utility_change"] = compare_loops(base, history, "utility", **compare) if other else None
        row["offline_change"] = compare_loops(base, history, "offline_ndcg", 0, **compare) if other else None
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "policy"
    return table


def group_table(world: ShopWorld) -> pd.DataFrame:
    """The product groups: their names, products, and share of the customers' real purchases and of their tastes.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(4_000, n_customers=120, n_items=60, random_state=0)
    >>> words = ["red heart", "tin sign", "paper kit", "glass jar"]
    >>> lines = lines.assign(description=lines["item_id"].map(lambda i: words[int(i) % 4]))
    >>> world = fit_shop_world(lines, n_customers=40, n_products=30, n_groups=4)
    >>> list(group_table(world).columns)
    ['group', 'products', 'purchase_share', 'customers_buying']
    """
    require_instance(world, ShopWorld, "world")
    counts = world.group_counts
    return pd.DataFrame(
        {
            "group": world.group_names,
            "products": np.bincount(world.groups, minlength=world.n_groups),
            "purchase_share": counts.sum(axis=0) / counts.sum(),
            "customers_buying": (counts > 0).mean(axis=0),
        }
    )


def bubble_records(histories: dict[str, pd.DataFrame], table: pd.DataFrame) -> list[tuple[str, float, float]]:
    """``(name, value, noise)`` of the figures notebook 12 records: each policy's last-round utility, breadth and
    coverage and round-0 offline nDCG, and the best policy's paired changes; ``noise`` is each figure's standard
    error over seeds (:func:`shopai_lab.lab.record`'s tolerance)."""
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict of policy -> history, got {type(histories).__name__}")
    require_columns(table, ["utility", "utility_change", "offline_change"], "table")
    out = []
    for name, history in histories.items():
        last = history[history["round"] == history["round"].max()]
        first = history[history["round"] == 0]
        for metric, part in (("utility", last), ("breadth", last), ("coverage", last), ("offline_ndcg", first)):
            values = part[metric].to_numpy(dtype=float)
            out.append((f"{metric}/{name}", float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))))
    best = ranking.idxmax(table["utility"])
    for column in ("utility_change", "offline_change"):
        change = table.loc[best, column]
        if change is not None:
            out += [(f"{column}/{best}{tail}", getattr(change, part), change.se) for part, tail in _PARTS]
    return out


_PARTS = (("estimate", ""), ("low", "/low"), ("high", "/high"))


def policy_table_text(table: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """:func:`policy_table` for reading: figures rounded, intervals written out, ``"baseline"`` on the baseline's row.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> change = Interval(0.02, 0.01, 0.03, level=0.95, n=10, se=0.005)
    >>> table = pd.DataFrame({"utility": [0.7, 0.72], "utility_change": [None, change]}, index=["plain", "mmr"])
    >>> policy_table_text(table)["utility_change"].tolist()
    ['baseline', '+0.020 (95% CI +0.010 to +0.030)']
    """
    require_instance(table, pd.DataFrame, "table")
    require_positive_int(digits, "digits")
    out = table.copy()
    for column in [c for c in out.columns if c.endswith("_change")]:
        out[column] = out[column].map(lambda r: "baseline" if r is None else str(r))
    numeric = [c for c in out.columns if not c.endswith("_change")]
    out[numeric] = out[numeric].astype(float).round(digits)
    return out


def strength_sensitivity(
    world: ShopWorld,
    policy: str,
    strengths,
    n_rounds: int = 20,
    seeds=range(10),
    baseline: str = "plain",
    n_boot: int = 2000,
    random_state=0,
    known: dict | None = None,
    **loop_params,
) -> pd.DataFrame:
    """``policy`` against ``baseline`` at other feedback strengths: is its gain made by the loop?

    Both policies run on the same seeds at each strength; the changes are paired over seeds (``b - a``, ``a`` the
    baseline). At strength 0 the lists do not change purchases, so a gain there is not the loop's. ``known`` gives
    histories already run with the same seeds and settings, ``{strength: {policy: history}}``; they are not rerun.

    Returns
    -------
    pandas.DataFrame
        One row per strength: ``utility_change`` (last round) and ``offline_change`` (round 0) as
        :class:`~shopai_lab.stats.Interval`, and the last round's ``breadth`` under each policy.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(4_000, n_customers=120, n_items=60, random_state=0)
    >>> words = ["red heart", "tin sign", "paper kit", "glass jar"]
    >>> lines = lines.assign(description=lines["item_id"].map(lambda i: words[int(i) % 4]))
    >>> world = fit_shop_world(lines, n_customers=40, n_products=30, n_groups=4)
    >>> strength_sensitivity(world, "mmr", [0.0], n_rounds=1, seeds=[0, 1], n_boot=20).index.tolist()
    [0.0]
    """
    policy = require_one_of(policy, "policy", POLICIES)
    baseline = require_one_of(baseline, "baseline", POLICIES)
    if isinstance(strengths, (str, bytes)) or not hasattr(strengths, "__iter__") or not len(strengths):
        raise TypeError(f"strengths must be a non-empty list of feedback strengths in [0, 1], got {strengths!r}")
    rows = {}
    for strength in strengths:
        strength = require_number(strength, "strengths", low=0, high=1)
        have = dict((known or {}).get(strength, {}))
        missing = [p for p in (baseline, policy) if p not in have]
        if missing:
            have.update(bubble_study(world, missing, n_rounds, seeds, feedback_strength=strength, **loop_params))
        runs = {p: have[p] for p in (baseline, policy)}
        table = policy_table(runs, baseline, n_boot=n_boot, random_state=random_state)
        rows[float(strength)] = {
            "utility_change": table.loc[policy, "utility_change"],
            "offline_change": table.loc[policy, "offline_change"],
            f"breadth/{baseline}": table.loc[baseline, "breadth"],
            f"breadth/{policy}": table.loc[policy, "breadth"],
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "feedback_strength"
    return out
