"""Implicit ALS with MLlib, evaluated on the house protocol computed in Spark.

MLlib's ``ALS(implicitPrefs=True)`` is the Hu-Koren-Volinsky model of :class:`shopai_lab.recommend.ALS`:
preference ``p = 1`` on a bought cell, confidence ``c = 1 + alpha r`` (MLlib uses ``|r|``; with the
binary interactions of the house protocol ``r = 1`` and ``c = 1 + alpha`` in both). Two differences:

* **Regularisation is scaled.** MLlib solves each user's normal equations with the penalty
  ``regParam * n_u`` where ``n_u`` is the number of the user's positive cells (the "weighted-lambda"
  of ALS-WR, Zhou et al. 2008), and the same for items with their buyer counts. Ours (and
  ``implicit``'s) use one fixed ``regularization`` for every row. No single number maps one to the
  other; :func:`reg_param_for` gives the ``regParam`` that matches ours for a row of median size.
* **Confidence in ``implicit``** is the matrix value itself (its ``alpha`` multiplies the data), so
  for binary data ``implicit``'s ``alpha = 1 + alpha`` of ours and of MLlib.

The protocol traps handled here: ids are indexed to 32-bit integers (MLlib's ALS needs them) in sorted
order, so user and item positions equal those of :func:`shopai_lab.recommend.temporal_split`; seen
items are excluded by over-fetching (each user gets ``k`` plus an upper bound of its number of train
items, in two tiers) and filtering, which is exact; every evaluated customer counts (no list:
zero); ``coldStartStrategy="drop"`` is never used (it silently drops rows whose user or item has no
factors, which shrinks an evaluation to the easy customers); many iterations need a checkpoint
directory, checked before fitting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_number,
    require_positive_int,
    require_seed,
    require_string,
)
from shopai_lab.spark.cleaning import _check_frame
from shopai_lab.spark.session import require_pyspark

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame


@dataclass(frozen=True)
class SparkSplit:
    """The house split in Spark.

    Attributes
    ----------
    train
        ``user``, ``item`` (int positions in the sorted train customers and train catalogue) and
        ``rating`` (1.0): one row per bought cell before the cutoff.
    truth
        ``user``, ``item``: novel train-catalogue items bought from the cutoff on by train customers.
    eval_users
        ``user`` of every evaluated customer (at least one truth item).
    users, items
        Customer and item ids by position (sorted, as in pandas).
    cutoff
        First instant of the test period.
    n_eval_users, n_test_customers, n_cold_test_customers
        Evaluated customers; customers buying in the test period; those of them with no train
        purchase (what ``coldStartStrategy="drop"`` would silently lose).
    """

    train: DataFrame
    truth: DataFrame
    eval_users: DataFrame
    users: pd.Index
    items: pd.Index
    cutoff: pd.Timestamp
    n_eval_users: int
    n_test_customers: int
    n_cold_test_customers: int

    def __repr__(self) -> str:
        return (
            f"SparkSplit(cutoff={self.cutoff.date()}, train {len(self.users):,} customers x "
            f"{len(self.items):,} items, eval_users={self.n_eval_users:,})"
        )


def _index(values: DataFrame, column: str, labels: list) -> DataFrame:
    """Add ``_<column>_pos``: the position of ``column`` in ``labels`` (sorted ids); other ids are dropped."""
    from pyspark.ml.feature import StringIndexerModel
    from pyspark.sql import functions as F

    indexer = StringIndexerModel.from_labels(labels, inputCol=column, outputCol=f"_{column}_pos", handleInvalid="skip")
    return indexer.transform(values).withColumn(f"_{column}_pos", F.col(f"_{column}_pos").cast("int"))


def temporal_split(purchases: DataFrame, test_days: int = 60) -> SparkSplit:
    """The house protocol (binary interactions), as :func:`shopai_lab.recommend.temporal_split`.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``item_id``, ``timestamp``).
    test_days
        The last ``test_days`` days (from midnight after the last purchase) are the test period.

    Returns
    -------
    SparkSplit

    Examples
    --------
    >>> split = temporal_split(cleaned.purchases, test_days=60)  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import functions as F

    _check_frame(purchases, "purchases", ["customer_id", "item_id", "timestamp"])
    test_days = require_positive_int(test_days, "test_days")
    bounds = purchases.agg(F.min("timestamp").alias("first"), F.max("timestamp").alias("last")).first()
    if bounds["last"] is None:
        raise ValueError("purchases is empty: it has no lines")
    cutoff = pd.Timestamp(bounds["last"]).normalize() + pd.Timedelta(days=1 - test_days)
    before = F.col("timestamp") < F.lit(cutoff.to_pydatetime())
    train_lines = purchases.where(before).select("customer_id", "item_id").distinct()
    test_lines = purchases.where(~before).select("customer_id", "item_id").distinct()
    ids = train_lines.agg(
        F.array_sort(F.collect_set("customer_id")).alias("users"),
        F.array_sort(F.collect_set("item_id")).alias("items"),
    ).first()
    users, items = list(ids["users"]), list(ids["items"])
    n_test = test_lines.select("customer_id").distinct().count()
    if not users or not n_test:
        raise ValueError(
            f"test_days={test_days} leaves an empty {'train' if not users else 'test'} period "
            f"(data from {pd.Timestamp(bounds['first']).date()} to {pd.Timestamp(bounds['last']).date()})"
        )

    def cells(lines: DataFrame) -> DataFrame:
        indexed = _index(_index(lines, "customer_id", users), "item_id", items)
        return indexed.select(F.col("_customer_id_pos").alias("user"), F.col("_item_id_pos").alias("item"))

    train = cells(train_lines).withColumn("rating", F.lit(1.0).cast("float"))
    truth = cells(test_lines).join(train, ["user", "item"], "left_anti")
    eval_users = truth.select("user").distinct()
    n_eval = eval_users.count()
    if not n_eval:
        raise ValueError("no customer bought a novel train-catalogue item in the test period: nothing to evaluate")
    n_cold = (
        test_lines.select("customer_id")
        .distinct()
        .join(train_lines.select("customer_id").distinct(), "customer_id", "left_anti")
        .count()
    )
    return SparkSplit(
        train=train,
        truth=truth,
        eval_users=eval_users,
        users=pd.Index(users),
        items=pd.Index(items),
        cutoff=cutoff,
        n_eval_users=int(n_eval),
        n_test_customers=int(n_test),
        n_cold_test_customers=int(n_cold),
    )


def reg_param_for(regularization: float, interactions_per_row: float) -> float:
    """MLlib ``regParam`` whose penalty ``regParam * n_u`` equals a fixed ``regularization`` at ``n_u`` cells.

    Examples
    --------
    >>> reg_param_for(1.0, 20)
    0.05
    """
    regularization = require_number(regularization, "regularization", low=0)
    n = require_number(interactions_per_row, "interactions_per_row", low=0, low_inclusive=False)
    return float(regularization / n)


class SparkALS(BaseEstimator):
    """Implicit-feedback ALS fitted by Spark MLlib, with house-protocol recommendation lists.

    Parameters
    ----------
    factors
        Rank of the factorisation (MLlib ``rank``).
    reg_param
        MLlib ``regParam``: the penalty of a row is ``reg_param`` times its number of positive
        cells (see the module docstring and :func:`reg_param_for`).
    alpha
        Confidence scale: ``c = 1 + alpha r``, as in :class:`shopai_lab.recommend.ALS`.
    iterations
        ALS sweeps (MLlib ``maxIter``).
    blocks
        User and item blocks. Fixed (not "as many as cores") so results do not depend on the
        cluster's size.
    checkpoint_interval
        Checkpoint the factors every this many iterations (needs a checkpoint directory when
        ``iterations`` exceeds it; :func:`~shopai_lab.spark.session.local_session` sets one).
    random_state
        Seed of the initial factors.

    Attributes
    ----------
    model_ : pyspark.ml.recommendation.ALSModel
    fit_seconds_ : float

    Examples
    --------
    >>> model = SparkALS(factors=64, reg_param=0.1, iterations=15).fit(split.train)  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        factors: int = 64,
        reg_param: float = 0.1,
        alpha: float = 1.0,
        iterations: int = 15,
        blocks: int = 4,
        checkpoint_interval: int = 10,
        random_state: int = 0,
    ) -> None:
        self.factors = factors
        self.reg_param = reg_param
        self.alpha = alpha
        self.iterations = iterations
        self.blocks = blocks
        self.checkpoint_interval = checkpoint_interval
        self.random_state = random_state

    def _check_params(self) -> None:
        for name in ("factors", "iterations", "blocks", "checkpoint_interval"):
            require_positive_int(getattr(self, name), name)
        require_number(self.reg_param, "reg_param", low=0)
        require_number(self.alpha, "alpha", low=0, low_inclusive=False)
        require_seed(self.random_state, "random_state")
        if not isinstance(self.random_state, int | np.integer) or isinstance(self.random_state, bool):
            raise TypeError(f"random_state must be an int seed for MLlib, got {type(self.random_state).__name__}")

    def fit(self, train: DataFrame) -> SparkALS:
        """Fit on ``user``, ``item``, ``rating`` rows (e.g. ``SparkSplit.train``); returns ``self``."""
        require_pyspark()
        from pyspark.ml.recommendation import ALS

        self._check_params()
        _check_frame(train, "train", ["user", "item", "rating"])
        context = train.sparkSession.sparkContext
        if self.iterations > self.checkpoint_interval and context._jsc.sc().getCheckpointDir().isEmpty():
            raise ValueError(
                f"iterations={self.iterations} > checkpoint_interval={self.checkpoint_interval} needs a "
                "checkpoint directory (spark.sparkContext.setCheckpointDir(...)), else the lineage grows "
                "with every iteration "
                "and MLlib silently skips checkpointing until the job fails with a StackOverflowError"
            )
        als = ALS(
            rank=int(self.factors),
            maxIter=int(self.iterations),
            regParam=float(self.reg_param),
            alpha=float(self.alpha),
            implicitPrefs=True,
            userCol="user",
            itemCol="item",
            ratingCol="rating",
            numUserBlocks=int(self.blocks),
            numItemBlocks=int(self.blocks),
            checkpointInterval=int(self.checkpoint_interval),
            seed=int(self.random_state),
            coldStartStrategy="nan",
            nonnegative=False,
        )
        start = time.perf_counter()
        self.model_ = als.fit(train)
        self.model_.userFactors.count()  # fitting is lazy in part: materialise the factors
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def recommend(self, users: DataFrame, seen: DataFrame, k: int = 10, tier_quantile: float = 0.9) -> DataFrame:
        """Top-``k`` unseen items per user: ``user``, ``item``, ``rank`` (1..k), ``score``.

        MLlib ranks the whole catalogue, so seen items are removed after the fact: each user is asked
        for ``k`` plus an upper bound of its number of seen items, which leaves at least ``k`` unseen
        ones (exact, not approximate). Two tiers keep the over-fetch small: users with at most the
        ``tier_quantile`` quantile of seen items ask for ``k`` plus that quantile, the heavy ones for
        ``k`` plus the maximum (one MLlib call per tier). Ties in score are broken by item position.
        """
        check_is_fitted(self, "model_")
        require_pyspark()
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        k = require_positive_int(k, "k")
        tier_quantile = require_number(tier_quantile, "tier_quantile", low=0, high=1, low_inclusive=False)
        _check_frame(users, "users", ["user"])
        _check_frame(seen, "seen", ["user", "item"])
        counts = (
            users.select("user")
            .distinct()
            .join(seen.groupBy("user").count(), "user", "left")
            .select("user", F.coalesce(F.col("count"), F.lit(0)).alias("n_seen"))
            .cache()
        )
        stats = counts.agg(
            F.max("n_seen").alias("max"),
            F.count(F.lit(1)).alias("users"),
            F.percentile("n_seen", tier_quantile).alias("q"),
        ).first()
        if not stats["users"]:
            raise ValueError("users is empty: no one to recommend to")
        light, heavy = int(np.ceil(stats["q"])), int(stats["max"])
        lists = None
        for low, high in ((-1, light), (light, heavy)) if heavy > light else ((-1, heavy),):
            subset = counts.where((F.col("n_seen") > low) & (F.col("n_seen") <= high)).select("user")
            recs = self.model_.recommendForUserSubset(subset, k + high)
            part = recs.select("user", F.explode("recommendations").alias("r")).select(
                "user", F.col("r.item").alias("item"), F.col("r.rating").alias("score")
            )
            lists = part if lists is None else lists.unionByName(part)
        unseen = lists.join(seen.select("user", "item"), ["user", "item"], "left_anti")
        order = Window.partitionBy("user").orderBy(F.col("score").desc(), F.col("item").asc())
        ranked = unseen.withColumn("rank", F.row_number().over(order)).where(F.col("rank") <= k)
        return ranked.select("user", "item", "rank", "score")


def per_user_metrics(lists: DataFrame, split: SparkSplit, k: int = 10) -> DataFrame:
    """Per evaluated user: ``hits``, ``precision``, ``recall``, ``ndcg``, ``ap``, ``hit`` at ``k``, in Spark.

    The definitions of :func:`shopai_lab.recommend.ranking_metrics` (binary gain, ``1 / log2(rank + 1)``
    discount, AP normalised by ``min(|truth|, k)``). Users of ``split.eval_users`` without a list
    (or without hits) count with zeros.
    """
    require_pyspark()
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    k = require_positive_int(k, "k")
    _check_frame(lists, "lists", ["user", "item", "rank"], ["rank"])
    require_instance(split, SparkSplit, "split")
    ideal = np.cumsum(1.0 / np.log2(np.arange(2, k + 2))).tolist()
    sizes = split.truth.groupBy("user").agg(F.count(F.lit(1)).alias("n_truth"))
    hits = lists.where(F.col("rank") <= k).join(split.truth, ["user", "item"], "inner")
    nth_hit = F.row_number().over(Window.partitionBy("user").orderBy("rank"))
    per_hit = hits.withColumn("gain", 1.0 / F.log2(F.col("rank") + 1)).withColumn("prec", nth_hit / F.col("rank"))
    sums = per_hit.groupBy("user").agg(
        F.count(F.lit(1)).alias("hits"), F.sum("gain").alias("dcg"), F.sum("prec").alias("ap_sum")
    )
    table = (
        split.eval_users.join(sizes, "user", "left")
        .join(sums, "user", "left")
        .fillna({"hits": 0, "dcg": 0.0, "ap_sum": 0.0})
    )
    cap = F.least(F.col("n_truth"), F.lit(k))
    idcg = F.element_at(F.array(*[F.lit(v) for v in ideal]), cap.cast("int"))
    return table.select(
        "user",
        F.col("hits").cast("long").alias("hits"),
        (F.col("hits") / k).alias("precision"),
        (F.col("hits") / F.col("n_truth")).alias("recall"),
        (F.col("dcg") / idcg).alias("ndcg"),
        (F.col("ap_sum") / cap).alias("ap"),
        (F.col("hits") > 0).cast("long").alias("hit"),
    )


def evaluate(lists: DataFrame, split: SparkSplit, k: int = 10, name: str = "MLlib ALS") -> pd.DataFrame:
    """One row like :func:`shopai_lab.recommend.evaluate_lists`'s accuracy columns, computed in Spark.

    Returns ``users``, ``precision``, ``recall``, ``ndcg``, ``map``, ``hit_rate`` and ``coverage``
    (distinct recommended items over the train catalogue).

    Examples
    --------
    >>> evaluate(model.recommend(split.eval_users, split.train), split)  # doctest: +SKIP
    """
    require_pyspark()
    from pyspark.sql import functions as F

    require_string(name, "name")
    per_user = per_user_metrics(lists, split, k)
    row = (
        per_user.agg(
            F.count(F.lit(1)).alias("users"),
            F.mean("precision").alias("precision"),
            F.mean("recall").alias("recall"),
            F.mean("ndcg").alias("ndcg"),
            F.mean("ap").alias("map"),
            F.mean("hit").alias("hit_rate"),
        )
        .first()
        .asDict()
    )
    distinct = lists.where(F.col("rank") <= k).select("item").distinct().count()
    row["coverage"] = distinct / len(split.items)
    return pd.DataFrame([row], index=pd.Index([name], name="model"))


def lists_to_array(lists: pd.DataFrame, users: np.ndarray, k: int) -> np.ndarray:
    """Recommendation lists (``user``, ``item``, ``rank``) as an ``(len(users), k)`` array, ``-1`` padded.

    The row order follows ``users`` (e.g. ``Split.eval_users`` of the pandas protocol), so the
    lists can be scored by :func:`shopai_lab.recommend.evaluate_lists`.

    Examples
    --------
    >>> lists = pd.DataFrame({"user": [7, 7, 3], "item": [1, 4, 2], "rank": [1, 2, 1]})
    >>> lists_to_array(lists, np.array([3, 7, 9]), k=2).tolist()
    [[2, -1], [1, 4], [-1, -1]]
    """
    k = require_positive_int(k, "k")
    require_columns(lists, ["user", "item", "rank"], "lists")
    users = np.asarray(users)
    if users.ndim != 1:
        raise ValueError(f"users must be a 1-dimensional array of user positions, got shape {users.shape}")
    for column in ("item", "rank"):
        if not pd.api.types.is_integer_dtype(lists[column]):
            raise TypeError(f"lists[{column!r}] must hold integers, got dtype {lists[column].dtype}")
    if (lists["rank"] < 1).any():
        raise ValueError(f"lists['rank'] must be >= 1 (1 = first), got {int(lists['rank'].min())}")
    if lists.duplicated(["user", "rank"]).any():
        raise ValueError("lists has more than one item at the same rank of a user")
    out = np.full((len(users), k), -1, dtype=np.int64)
    rows = pd.Index(users).get_indexer(lists["user"].to_numpy())
    keep = (rows >= 0) & (lists["rank"].to_numpy() <= k)
    out[rows[keep], lists["rank"].to_numpy()[keep] - 1] = lists["item"].to_numpy()[keep]
    return out
