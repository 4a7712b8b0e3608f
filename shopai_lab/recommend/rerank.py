"""Learning to re-rank collaborative-filtering candidates with customer, item and model features.

Two stages, as production recommenders do: a CF model proposes each customer's
top ``n_candidates`` items, then a classifier scores every (customer, item)
pair with richer features and the list is re-ordered by that score.

The classifier is trained without touching the test period: candidates and
features come from the *validation* split (cut inside train), labels from its
validation window; the fitted scorer is then applied to candidates of the test
split built from the full training period (:func:`rerank_experiment`).

Candidates come from EASE or from the house :class:`~shopai_lab.recommend.Blend` recipe
(notebook 02's best model, :func:`~shopai_lab.recommend.recipes.fit_house_blend`); with the Blend as
the source, its own top ``k`` is the baseline the re-ranker has to beat. Comparisons carry a paired
bootstrap interval over customers, and :data:`FEATURE_GROUPS` are ablated one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from shopai_lab._validation import (
    require_bool,
    require_hidden_layers,
    require_instance,
    require_number,
    require_one_of,
    require_positive_int,
    require_seed,
)
from shopai_lab.ranking import quantize
from shopai_lab.recommend.evaluation import evaluate_lists, ranking_metrics
from shopai_lab.recommend.factorization import ALS
from shopai_lab.recommend.interactions import Split
from shopai_lab.recommend.linear import EASE
from shopai_lab.recommend.recipes import CANDIDATE_PARAMS, DEFAULT_TREND_WEIGHT, fit_house_blend
from shopai_lab.schema import line_revenue
from shopai_lab.stats import paired_bootstrap

PAIR_FEATURES = (
    "cf_score",
    "cf_rank",
    "als_score",
    "item_log_buyers",
    "item_log_recent_buyers",
    "item_days_since_sale",
    "item_days_since_first_sale",
    "item_log_price",
    "customer_days_since_last",
    "customer_log_invoices",
    "customer_log_net_revenue",
    "customer_log_items",
    "price_vs_customer_median",
)

#: The pair features by what they describe, for the ablation of :func:`rerank_experiment`.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "CF scores and rank": ("cf_score", "cf_rank", "als_score"),
    "product (popularity, recency, age, price)": (
        "item_log_buyers",
        "item_log_recent_buyers",
        "item_days_since_sale",
        "item_days_since_first_sale",
        "item_log_price",
    ),
    "customer (RFM, breadth)": (
        "customer_days_since_last",
        "customer_log_invoices",
        "customer_log_net_revenue",
        "customer_log_items",
    ),
    "price vs the customer's usual price": ("price_vs_customer_median",),
}

#: Where candidates come from: EASE alone, or the house Blend (EASE + ALS + trending).
CANDIDATE_SOURCES = ("EASE", "Blend")


@dataclass
class Candidates:
    """Top-``n`` candidate items per evaluated user, with the features of every pair."""

    users: np.ndarray
    items: np.ndarray
    features: pd.DataFrame
    labels: np.ndarray


def _item_table(split: Split, recent_days: int) -> pd.DataFrame:
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


def _candidate_params(params: dict | None, random_state) -> tuple[dict, dict]:
    """EASE and ALS settings: :data:`CANDIDATE_PARAMS` updated by ``params`` (ALS seeded, no progress bar)."""
    params = {} if params is None else require_instance(params, dict, "params")
    for name in ("EASE", "ALS"):
        if name in params:
            require_instance(params[name], dict, f"params[{name!r}]")
    ease = {**CANDIDATE_PARAMS["EASE"], **params.get("EASE", {})}
    als = {**CANDIDATE_PARAMS["ALS"], "random_state": random_state, **params.get("ALS", {}), "progress": False}
    return ease, als


def _customer_table(split: Split, customer_ids: pd.Index) -> pd.DataFrame:
    """Per customer, from the training purchases (all before the cutoff): the RFM quantities at the cutoff
    (whole days since the last purchase, distinct invoices, revenue; see :mod:`shopai_lab.schema`) and
    the median unit price paid."""
    lines = split.train_purchases
    by_customer = lines.groupby("customer_id", sort=True, observed=True)
    days = (split.cutoff - by_customer["timestamp"].max()) / pd.Timedelta(days=1)
    customers = pd.DataFrame(
        {
            "days_since_last": np.floor(days),
            "invoices": by_customer["invoice_id"].nunique(),
            "net_revenue": line_revenue(lines).groupby(lines["customer_id"], sort=True, observed=True).sum(),
            "median_paid": by_customer["unit_price"].median(),
        }
    )
    return customers.reindex(customer_ids)


def _pair_features(
    split: Split, users: np.ndarray, items: np.ndarray, scores: np.ndarray, als_scores: np.ndarray, recent_days: int
) -> pd.DataFrame:
    """One row per (user, candidate) pair, users' candidates in rank order (see :data:`PAIR_FEATURES`)."""
    item_info = _item_table(split, recent_days)
    customers = _customer_table(split, split.train.users[users])
    n_items = np.diff(split.train.matrix.indptr)[users]
    n_users, n = items.shape
    flat_items = np.where(items >= 0, items, 0).ravel()
    days = lambda stamps: ((split.cutoff - stamps) / pd.Timedelta(days=1)).to_numpy(dtype=float)  # noqa: E731
    per_customer = lambda values: np.repeat(np.asarray(values, dtype=float), n)  # noqa: E731
    price = item_info["price"].to_numpy(dtype=float)[flat_items]
    return pd.DataFrame(
        {
            "cf_score": scores.ravel(),
            "cf_rank": np.tile(np.arange(1, n + 1), n_users).astype(float),
            "als_score": als_scores.ravel(),
            "item_log_buyers": np.log1p(item_info["buyers"].to_numpy(dtype=float))[flat_items],
            "item_log_recent_buyers": np.log1p(item_info["recent_buyers"].to_numpy(dtype=float))[flat_items],
            "item_days_since_sale": days(item_info["last_sale"])[flat_items],
            "item_days_since_first_sale": days(item_info["first_sale"])[flat_items],
            "item_log_price": np.log(price),
            "customer_days_since_last": per_customer(customers["days_since_last"]),
            "customer_log_invoices": per_customer(np.log1p(customers["invoices"].to_numpy(dtype=float))),
            "customer_log_net_revenue": per_customer(
                np.log1p(customers["net_revenue"].clip(lower=0).to_numpy(dtype=float))
            ),
            "customer_log_items": per_customer(np.log1p(n_items.astype(float))),
            "price_vs_customer_median": np.log(price)
            - per_customer(np.log(customers["median_paid"].to_numpy(dtype=float))),
        }
    )


def build_candidates(
    split: Split,
    n_candidates: int = 100,
    *,
    params: dict | None = None,
    recent_days: int = 30,
    random_state=0,
    source: str = "EASE",
    trend_weight: float = DEFAULT_TREND_WEIGHT,
) -> Candidates:
    """Candidates from EASE (or the house Blend) for every evaluated user of ``split``, with features and labels.

    Features per (user, item) pair: the source's score and rank, the ALS score,
    the item's buyers (all and last ``recent_days`` days, log), days since it
    last and first sold, its median price (log), the customer's days since the
    last purchase, invoices, net revenue and number of distinct items, and the item's
    price relative to the median price the customer pays. The label is 1 when the
    pair is in the split's truth (a novel purchase in its test window).

    Parameters
    ----------
    split
        A :func:`shopai_lab.recommend.temporal_split`.
    n_candidates
        Candidates per user.
    params
        ``{"EASE": {...}, "ALS": {...}}`` settings (e.g. ``tune_models(...).params``) updating
        :data:`shopai_lab.recommend.recipes.CANDIDATE_PARAMS`.
    recent_days
        Window of the recent-buyers feature.
    random_state
        Seed of ALS (unless ``params["ALS"]`` sets one).
    source
        ``"EASE"`` or ``"Blend"``: the house Blend of EASE, ALS (with these settings) and a trending
        popularity (:func:`~shopai_lab.recommend.recipes.fit_house_blend`); its ALS gives ``als_score``.
    trend_weight
        Weight of the Blend's trending component (``source="Blend"`` only).

    Returns
    -------
    Candidates
    """
    require_instance(split, Split, "split")
    n_candidates = require_positive_int(n_candidates, "n_candidates")
    recent_days = require_positive_int(recent_days, "recent_days")
    require_seed(random_state, "random_state")
    require_one_of(source, "source", CANDIDATE_SOURCES)
    require_number(trend_weight, "trend_weight", low=0)
    ease_params, als_params = _candidate_params(params, random_state)
    if split.train_purchases.empty:
        raise ValueError("split has no train_purchases (a random_split?): build candidates from a temporal_split")
    X = split.train.matrix
    users = split.eval_users
    n = min(int(n_candidates), X.shape[1])
    if source == "Blend":
        blend = fit_house_blend(split, ease_params=ease_params, als_params=als_params, trend_weight=trend_weight)
        items, scores = blend.recommend(users, k=n)
        als = blend.components_[1][0]
    else:
        items, scores = EASE(**ease_params).fit(X).recommend(users, k=n)
        als = ALS(**als_params).fit(X)
    safe = np.where(items >= 0, items, 0)
    als_scores = np.einsum("uf,ukf->uk", als.user_factors_[users], als.item_factors_[safe])
    features = _pair_features(split, users, items, scores, als_scores, recent_days)
    n_users, n = items.shape
    truth = split.truth[users]
    labels = np.asarray(truth[np.repeat(np.arange(n_users), n), safe.ravel()]).ravel() > 0
    labels &= items.ravel() >= 0
    valid = np.isfinite(features.to_numpy()).all(axis=1) & (items.ravel() >= 0)
    features = features.where(np.repeat(valid[:, None], features.shape[1], axis=1), 0.0)
    return Candidates(users=users, items=items, features=features, labels=labels.astype(int))


def reranker_models(random_state=0, hidden_layers=(32, 16)) -> dict[str, Pipeline]:
    """The two pair scorers: an MLP (scaled features, early stopping) and gradient-boosted trees.

    Parameters
    ----------
    random_state
        Seed of both models.
    hidden_layers
        Sizes of the MLP's hidden layers.

    Returns
    -------
    dict
        ``{"mlp": Pipeline, "boosting": Pipeline}``, unfitted.

    Examples
    --------
    >>> sorted(reranker_models(random_state=1))
    ['boosting', 'mlp']
    """
    hidden_layers = require_hidden_layers(hidden_layers)
    require_seed(random_state, "random_state")
    return {
        "mlp": Pipeline(
            [
                ("scale", StandardScaler()),
                (
                    "model",
                    MLPClassifier(
                        hidden_layer_sizes=tuple(hidden_layers),
                        alpha=1e-3,
                        early_stopping=True,
                        n_iter_no_change=10,
                        max_iter=300,
                        random_state=random_state,
                    ),
                ),
            ]
        ),
        "boosting": Pipeline(
            [("model", HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, random_state=random_state))]
        ),
    }


def rerank(candidates: Candidates, scorer, k: int = 10) -> np.ndarray:
    """Top-``k`` of each user's candidates by the scorer's purchase probability.

    The scorer sees the columns it was fitted on (``feature_names_in_``), :data:`PAIR_FEATURES` otherwise.
    """
    require_instance(candidates, Candidates, "candidates")
    k = require_positive_int(k, "k")
    if k > candidates.items.shape[1]:
        raise ValueError(f"k={k} is more than the {candidates.items.shape[1]} candidates per user")
    if not hasattr(scorer, "predict_proba"):
        raise TypeError(f"scorer must be a fitted classifier with predict_proba, got {type(scorer).__name__}")
    features = list(getattr(scorer, "feature_names_in_", PAIR_FEATURES))
    proba = scorer.predict_proba(candidates.features[features])[:, 1].reshape(candidates.items.shape)
    proba = np.where(candidates.items >= 0, quantize(proba, axis=1), -np.inf)  # near-ties -> ties
    order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(candidates.items, order, axis=1)


@dataclass
class RerankExperiment:
    """Result of :func:`rerank_experiment`.

    Attributes
    ----------
    table
        One row per list source (the candidate source's own order, then each re-ranker) as in
        :func:`shopai_lab.recommend.evaluation.evaluate`, plus ``candidate_recall`` (share of the test truth
        inside the candidate lists).
    per_customer
        nDCG@k of every evaluated test customer, one column per list source (and ablation).
    comparisons
        Each re-ranker and ablation against its baseline: ``baseline`` and ``interval`` (the
        :class:`~shopai_lab.stats.Interval` of the mean per-customer nDCG, model minus baseline,
        paired bootstrap over customers).
    fitted
        The fitted scorers by name.
    baseline
        Name of the candidate source's own lists (the row the re-rankers must beat).
    train_pairs, train_positive_rate
        Size and positive share of the validation pairs the scorers learned from.
    """

    table: pd.DataFrame
    per_customer: pd.DataFrame
    comparisons: pd.DataFrame
    fitted: dict
    baseline: str
    train_pairs: int
    train_positive_rate: float
    ablation: list = field(default_factory=list)


def rerank_experiment(
    validation: Split,
    test: Split,
    n_candidates: int = 100,
    k: int = 10,
    *,
    random_state=0,
    hidden_layers=(32, 16),
    params: dict | None = None,
    source: str = "EASE",
    trend_weight: float = DEFAULT_TREND_WEIGHT,
    ablation: bool = False,
    n_boot: int = 2000,
) -> RerankExperiment:
    """Train re-rankers on the validation split, apply them to the test split, and compare with the source alone.

    Parameters
    ----------
    validation, test
        Temporal splits; ``validation`` is cut inside ``test``'s training period.
    n_candidates
        Candidates per user.
    k
        List length, ``<= n_candidates``.
    random_state
        Seed of the re-rankers, of the candidates' ALS and of the bootstrap.
    hidden_layers
        Sizes of the MLP's hidden layers.
    params
        EASE and ALS settings of the candidate generation (see :func:`build_candidates`).
    source, trend_weight
        The candidate source (``"EASE"`` or the house ``"Blend"``) and the Blend's trend weight.
    ablation
        Also refit the boosting scorer without each of :data:`FEATURE_GROUPS` (one at a time) and
        compare it with the full boosting scorer.
    n_boot
        Bootstrap resamples of the paired intervals.

    Returns
    -------
    RerankExperiment
    """
    require_instance(validation, Split, "validation")
    require_instance(test, Split, "test")
    k = require_positive_int(k, "k")
    n_candidates = require_positive_int(n_candidates, "n_candidates")
    require_bool(ablation, "ablation")
    n_boot = require_positive_int(n_boot, "n_boot")
    require_one_of(source, "source", CANDIDATE_SOURCES)
    require_number(trend_weight, "trend_weight", low=0)
    if k > n_candidates:
        raise ValueError(f"k={k} must not exceed n_candidates={n_candidates}")
    models = reranker_models(random_state, hidden_layers)  # checks them before the slow part
    _candidate_params(params, random_state)
    options = {"params": params, "random_state": random_state, "source": source, "trend_weight": trend_weight}
    train = build_candidates(validation, n_candidates, **options)
    if train.labels.sum() == 0:
        raise ValueError("no positive pair among the validation candidates: nothing to learn from")
    test_candidates = build_candidates(test, n_candidates, **options)
    truth = test.truth[test.eval_users]
    baseline = f"{source} (candidates, CF order)"
    lists = {baseline: test_candidates.items[:, :k]}
    fitted = {}
    for name, model in models.items():
        fitted[name] = clone(model).fit(train.features[list(PAIR_FEATURES)], train.labels)
        lists[f"re-ranked: {name}"] = rerank(test_candidates, fitted[name], k)
    pairs = [(f"re-ranked: {name}", baseline) for name in models]
    dropped = []
    if ablation:
        for group, columns in FEATURE_GROUPS.items():
            kept = [c for c in PAIR_FEATURES if c not in columns]
            name = f"boosting without {group}"
            fitted[name] = clone(models["boosting"]).fit(train.features[kept], train.labels)
            lists[name] = rerank(test_candidates, fitted[name], k)
            pairs.append((name, "re-ranked: boosting"))
            dropped.append(name)
    table = pd.concat([evaluate_lists(items, test, k, name=name) for name, items in lists.items()])
    table["candidate_recall"] = test_candidates.labels.sum() / truth.nnz
    per_customer = pd.DataFrame(
        {name: ranking_metrics(items, truth, k)["ndcg"].to_numpy() for name, items in lists.items()}
    )
    rows = {}
    for model, base in pairs:
        result = paired_bootstrap(per_customer[base], per_customer[model], n_boot=n_boot, random_state=random_state)
        rows[model] = {"baseline": base, "interval": result}
    comparisons = pd.DataFrame.from_dict(rows, orient="index")
    return RerankExperiment(
        table=table,
        per_customer=per_customer,
        comparisons=comparisons,
        fitted=fitted,
        baseline=baseline,
        train_pairs=len(train.labels),
        train_positive_rate=float(train.labels.mean()),
        ablation=dropped,
    )
