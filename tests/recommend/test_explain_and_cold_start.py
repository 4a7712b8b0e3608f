"""One customer's list made readable, the cold-start experiment, and the model-comparison plot."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from shopai_lab import recommend as rec
from shopai_lab.data import random_transactions


@pytest.fixture(scope="module")
def split():
    lines = random_transactions(6_000, n_customers=250, n_items=90, days=150, random_state=1)
    return rec.temporal_split(lines, 30)


@pytest.fixture(scope="module")
def descriptions(split):
    items = pd.Index(np.sort(pd.concat([split.train_purchases, split.test_purchases])["item_id"].unique()))
    words = ["heart candle", "cake cases", "tea cup", "paper chain", "alarm clock", "lunch bag"]
    return pd.Series([f"{words[i % len(words)]} {i}" for i in range(len(items))], index=items)


def test_recommendation_table_and_first_hit(split, descriptions):
    model = rec.EASE(l2=20.0).fit(split.train.matrix)
    items, scores = model.recommend(split.eval_users, k=5)
    row = rec.first_hit(items, split, k=5)
    hits = rec.ranking_metrics(items, split.truth[split.eval_users], 5)["hits"].to_numpy()
    assert hits[row] > 0 and (hits[:row] == 0).all()
    table = rec.recommendation_table(split, row, items, scores, descriptions)
    assert list(table.index) == [1, 2, 3, 4, 5] and table.index.name == "rank"
    assert table["bought in the test period"].sum() == hits[row]
    assert table["description"].tolist() == descriptions.reindex(table["item_id"]).tolist()
    with pytest.raises(ValueError, match="row must be <"):
        rec.recommendation_table(split, len(items), items, scores, descriptions)
    with pytest.raises(ValueError, match="one list per evaluated user"):
        rec.first_hit(items[:3], split, k=5)


def test_recent_purchases_are_the_last_distinct_items_before_the_cutoff(split, descriptions):
    customer = split.train.users[split.eval_users[0]]
    recent = rec.recent_purchases(split, customer, descriptions, n=3)
    history = split.train_purchases[split.train_purchases["customer_id"] == customer]
    # lines of one invoice share a timestamp: the rule orders them by item id, the same on any CPU
    last = history.sort_values(["timestamp", "item_id"], kind="stable").drop_duplicates("item_id", keep="last").tail(3)
    assert recent["item_id"].tolist() == last["item_id"].tolist()
    assert list(recent.columns) == ["item_id", "description"]


def test_item_descriptions_checks_columns():
    with pytest.raises(ValueError, match="description"):
        rec.item_descriptions(pd.DataFrame({"item_id": ["a"]}))


def test_cold_start_finds_new_products_by_description():
    lines = random_transactions(6_000, n_customers=250, n_items=90, days=150, random_state=1)
    late = lines["timestamp"] >= lines["timestamp"].max() - pd.Timedelta(days=20)
    renamed = late & lines["item_id"].isin(sorted(lines["item_id"].unique())[:12])
    lines = lines.assign(item_id=lines["item_id"].where(~renamed, "new-" + lines["item_id"].astype(str)))
    split = rec.temporal_split(lines, 30)
    items = pd.Index(lines["item_id"].unique())
    descriptions = pd.Series([f"{i.removeprefix('new-')} gift" for i in items], index=items)
    result = rec.cold_start_evaluation(split, descriptions, k=5, n_neighbors=10)
    new = set(split.test_purchases["item_id"]) - set(split.train.items)
    assert result.n_items == len(new) == 12
    assert 0 < result.n_customers <= result.n_lines
    assert 0.0 <= result.random_hit_rate <= 1.0 and 0.0 <= result.hit_rate <= 1.0
    with pytest.raises(TypeError, match="descriptions must be a Series"):
        rec.cold_start_evaluation(split, descriptions.to_dict())


def test_random_hit_rate_matches_simulation():
    from shopai_lab.recommend.content import _random_hit_rate

    rng = np.random.default_rng(0)
    draws = [bool(set(rng.choice(20, 5, replace=False)) & {0, 1}) for _ in range(20_000)]
    assert _random_hit_rate(20, np.array([2]), 5) == pytest.approx(np.mean(draws), abs=0.01)
    assert _random_hit_rate(3, np.array([1]), 5) == 1.0  # a list longer than the new catalogue covers it


def test_plot_model_comparison():
    results = pd.DataFrame({"ndcg": [0.04, 0.11, 0.09], "users": [10, 10, 10]}, index=["Popularity", "EASE", "ALS"])
    ax = rec.plot_model_comparison(results, k=10)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Popularity", "ALS", "EASE"]
    assert ax.get_xlabel() == "nDCG@10 (binary relevance, full ranking)"
    plt.close("all")
    with pytest.raises(ValueError, match="users"):
        rec.plot_model_comparison(results.drop(columns="users"), k=10)
