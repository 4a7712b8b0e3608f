"""MLlib ALS on the house protocol: the split, the lists and the Spark metrics equal the pandas protocol's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shopai_lab import recommend as rec
from shopai_lab import spark as sk

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def purchases(cleaned_retail):
    """The non-UK clean purchases: a shop small enough for a quick fit."""
    lines = cleaned_retail.purchases
    return lines[lines["country"] != "United Kingdom"].reset_index(drop=True)


@pytest.fixture(scope="module")
def fitted(spark, purchases):
    split_spark = sk.temporal_split(sk.to_spark(spark, purchases).cache(), 60)
    split_spark.train.cache()
    split_spark.truth.cache()
    model = sk.SparkALS(factors=8, iterations=4, reg_param=0.1, random_state=0).fit(split_spark.train)
    lists = model.recommend(split_spark.eval_users, split_spark.train, k=10).cache()
    return split_spark, model, lists, sk.to_pandas(lists)


def test_split_matches_the_pandas_protocol(fitted, purchases):
    split_spark, _, _, _ = fitted
    split = rec.temporal_split(purchases, 60)
    assert split_spark.cutoff == split.cutoff
    assert list(split_spark.users) == list(split.train.users)
    assert list(split_spark.items) == list(split.train.items)
    truth = sk.to_pandas(split_spark.truth)
    coo = split.truth.tocoo()
    assert set(zip(truth["user"], truth["item"])) == set(zip(coo.row.tolist(), coo.col.tolist()))
    assert split_spark.n_eval_users == len(split.eval_users)
    train = sk.to_pandas(split_spark.train)
    assert len(train) == split.train.matrix.nnz


def test_lists_exclude_seen_items_and_cover_every_user(fitted):
    split_spark, _, _, lists = fitted
    seen = sk.to_pandas(split_spark.train)
    assert lists.merge(seen, on=["user", "item"]).empty
    per_user = lists.groupby("user")["rank"].agg(["count", "min", "max"])
    assert len(per_user) == split_spark.n_eval_users
    assert (per_user["count"] == 10).all() and (per_user["min"] == 1).all() and (per_user["max"] == 10).all()
    ordered = lists.sort_values(["user", "rank"])
    assert (ordered.groupby("user")["score"].diff().dropna() <= 0).all()


def test_spark_metrics_equal_the_house_evaluation(fitted, purchases):
    split_spark, _, lists_spark, lists = fitted
    split = rec.temporal_split(purchases, 60)
    items = sk.lists_to_array(lists, split.eval_users, 10)
    want = rec.evaluate_lists(items, split, k=10)
    got = sk.evaluate(lists_spark, split_spark, k=10)
    for column in ["users", "precision", "recall", "ndcg", "map", "hit_rate", "coverage"]:
        assert got[column].iloc[0] == pytest.approx(want[column].iloc[0], rel=1e-12), column
    per_user = sk.to_pandas(sk.per_user_metrics(lists_spark, split_spark, 10)).set_index("user")
    reference = rec.ranking_metrics(items, split.truth[split.eval_users], 10)
    np.testing.assert_allclose(per_user.loc[split.eval_users, "ndcg"], reference["ndcg"], rtol=1e-12)
    np.testing.assert_allclose(per_user.loc[split.eval_users, "ap"], reference["ap"], rtol=1e-12)


def test_users_without_a_list_count_as_zero(fitted):
    split_spark, _, lists_spark, _ = fitted
    some = lists_spark.where("user % 2 = 0")
    per_user = sk.to_pandas(sk.per_user_metrics(some, split_spark, 10))
    assert len(per_user) == split_spark.n_eval_users
    assert (per_user.loc[per_user["user"] % 2 == 1, ["hits", "ndcg", "ap"]] == 0).all().all()


def test_per_user_metrics_known_answer(spark, fitted):
    """ranking_metrics' doctest: list [3, 1, 2] against truth {1, 2, 9} (items as positions)."""
    split_spark, _, _, _ = fitted
    user = int(sk.to_pandas(split_spark.eval_users)["user"].min())
    with sk.quiet_pandas_conversion():
        lists = spark.createDataFrame(pd.DataFrame({"user": [user] * 3, "item": [3, 1, 2], "rank": [1, 2, 3]}))
        truth = spark.createDataFrame(pd.DataFrame({"user": [user] * 3, "item": [1, 2, 9]}))
    toy = sk.SparkSplit(
        train=split_spark.train,
        truth=truth,
        eval_users=truth.select("user").distinct(),
        users=split_spark.users,
        items=split_spark.items,
        cutoff=split_spark.cutoff,
        n_eval_users=1,
        n_test_customers=1,
        n_cold_test_customers=0,
    )
    row = sk.to_pandas(sk.per_user_metrics(lists, toy, 3)).iloc[0]
    assert row["hits"] == 2
    assert row["ndcg"] == pytest.approx(0.5307, abs=1e-4)
    assert row["ap"] == pytest.approx(0.3889, abs=1e-4)


def test_bad_als_settings(fitted):
    split_spark = fitted[0]
    with pytest.raises(ValueError, match="reg_param"):
        sk.SparkALS(reg_param=-1).fit(split_spark.train)
    with pytest.raises(TypeError, match="random_state"):
        sk.SparkALS(random_state=None).fit(split_spark.train)
