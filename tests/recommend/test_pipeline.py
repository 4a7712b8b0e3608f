"""Recency weighting, candidate sources and their union, and the two-stage pipeline (known answers)."""

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from shopai_lab import recommend as rec
from shopai_lab.data import random_transactions
from shopai_lab.recommend import pipeline

LINES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b"],
        "item_id": ["x", "y", "x", "y"],
        "invoice_id": ["1", "2", "3", "4"],
        "quantity": [1, 1, 1, 1],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-03-31", "2024-01-31"]),
    }
)


def test_weights_halve_at_one_half_life_and_keep_the_latest_purchase():
    weights = rec.recency_interactions(LINES, half_life_days=30).matrix.toarray()
    # a/x: latest purchase on the reference day (the earlier one does not add); a/y 30 days old; b/y 60 days old
    np.testing.assert_allclose(weights, [[1.0, 0.5], [0.0, 0.25]])


def test_reference_moves_the_ages():
    weights = rec.recency_interactions(LINES, half_life_days=10, reference=pd.Timestamp("2024-04-10"))
    np.testing.assert_allclose(weights.matrix.toarray(), [[0.5, 0.5**4], [0.0, 0.5**7]], rtol=1e-6)


def test_infinite_half_life_is_the_binary_matrix():
    binary = rec.build_interactions(LINES)
    weighted = rec.recency_interactions(LINES, half_life_days=np.inf)
    assert (weighted.matrix != binary.matrix).nnz == 0
    assert weighted.users.equals(binary.users) and weighted.items.equals(binary.items)


def test_recency_does_not_modify_the_lines():
    before = LINES.copy()
    rec.recency_interactions(LINES, 7.0)
    pd.testing.assert_frame_equal(LINES, before)


def test_union_lists_and_recall_known_answer():
    lists = {"a": np.array([[0, 1], [2, -1]]), "b": np.array([[3, 0], [2, 1]])}
    np.testing.assert_array_equal(pipeline.union_lists(lists, ["a", "b"], 2), [[0, 1, 3], [1, 2, -1]])
    np.testing.assert_array_equal(pipeline.union_lists(lists, ["a"], 1), [[0], [2]])


@pytest.fixture(scope="module")
def splits():
    lines = random_transactions(30_000, n_customers=400, n_items=120, random_state=3)
    split = rec.temporal_split(lines, 30)
    return rec.temporal_split(split.train_purchases, 30), split


def test_candidate_recall_grows_with_depth_and_union_holds_every_source(splits):
    validation, _ = splits
    scores = pipeline.source_scores(validation, ["EASE-recency", "trending"], l2=10.0)
    assert all(
        np.isneginf(s[validation.train.matrix[validation.eval_users].toarray() > 0]).all() for s in scores.values()
    )
    lists = pipeline.source_lists(scores, 40)
    table = pipeline.candidate_recall(lists, validation, ["EASE-recency", "trending"], depths=(10, 40), n_boot=200)
    recall = table["recall"].unstack("depth")
    assert (recall[40] >= recall[10]).all()
    union = "union: EASE-recency + trending"
    assert (recall.loc[union] >= recall.drop(union).max()).all()
    assert ((table["low"] <= table["recall"]) & (table["recall"] <= table["high"])).all()
    # every product at depth 120 (the whole catalogue): recall 1
    everything = pipeline.candidate_recall(pipeline.source_lists(scores, 120), validation, ["trending"], depths=(120,))
    assert everything["recall"].min() == pytest.approx(1.0)
    assert pipeline.select_sources(lists, validation, 10, min_gain=1.0) == [
        pipeline.ranking.idxmax(recall[10].drop(union))
    ]


def test_two_stage_experiment_chooses_on_validation(splits):
    validation, split = splits
    result = pipeline.two_stage_experiment(
        validation, split, l2=10.0, n_neighbors=20, half_lives=(30.0,), depth=20, k=5, test_days=30, windows=(1, 2)
    )
    assert list(result.recency_scores.index) == [30.0, np.inf]
    rows = ["two-stage (lambdarank, 1 window)", "two-stage (lambdarank, 2 windows)"]
    assert list(result.validation.index) == ["EASE", "EASE-recency", *rows]
    assert result.ranker == pipeline.ranking.idxmax(result.validation[rows])
    # the margin rule: the pipeline only when its paired validation gain over EASE-recency is above zero
    assert result.gain.estimate == pytest.approx(result.validation[result.ranker] - result.validation["EASE-recency"])
    if result.gain.low > 0:
        assert result.chosen == result.ranker
    else:
        assert result.chosen == pipeline.ranking.idxmax(result.validation[["EASE", "EASE-recency"]])
    assert set(result.per_user) == {"EASE", "EASE-recency", "two-stage"}
    for frame in result.per_user.values():
        assert frame.index.equals(pd.Index(split.train.users[split.eval_users], name="customer_id"))
    assert 0 <= result.test_recall <= 1
    lists = result.test_lists["two-stage"]
    assert lists.shape == (len(split.eval_users), 5)
    seen = split.train.matrix[split.eval_users].toarray() > 0
    assert not seen[np.arange(len(lists))[:, None].repeat(5, 1)[lists >= 0], lists[lists >= 0]].any()
    comparison = rec.compare_models(result.per_user, baseline="EASE", n_boot=200)
    text = rec.describe_two_stage(result, comparison, k=5)
    assert f"Chosen: {result.chosen}." in text
    assert re.search(r"two-stage (is \w+ than|and) EASE-recency", text)  # the pipeline against EASE-recency
    assert ("recommended model is the two-stage" in text) == result.chosen.startswith("two-stage")
    assert ("does not exclude zero" in text) != result.chosen.startswith("two-stage")
    assert "EASE-recency's top" in rec.describe_pool(result) or "union of" in rec.describe_pool(result)


def test_training_windows_do_not_overlap_what_they_are_judged_on(splits):
    validation, _ = splits
    windows = pipeline.training_windows(validation, 3, test_days=30)
    assert len(windows) == 3
    later = validation
    for window in windows:  # most recent first; each window's truth period ends where the later one's starts
        assert window.test_purchases["timestamp"].max() < later.cutoff
        assert window.train_purchases["timestamp"].max() < window.cutoff
        assert window.cutoff + pd.Timedelta(days=30) <= later.cutoff  # a quiet last day moves it earlier
        later = window
    # the data runs out: fewer windows, no error
    assert len(pipeline.training_windows(validation, 100, test_days=30)) < 100


def test_copurchase_counts_known_answer():
    lines = LINES.assign(invoice_id=["1", "1", "2", "2"], timestamp=pd.to_datetime(["2024-01-01"] * 4))
    later = LINES.iloc[[3]].assign(item_id="x", invoice_id="9", timestamp=pd.to_datetime("2024-03-01"))
    lines = pd.concat([lines, later], ignore_index=True)  # b buys x in the test period: b is evaluated
    split = rec.temporal_split(lines, 30)
    # invoice 1: a bought x and y; invoice 2: a bought x, b bought y (one invoice id, both products)
    np.testing.assert_array_equal(pipeline.copurchase_counts(split), [[0.0, 2.0], [2.0, 0.0]])


def test_choose_pool_keeps_the_pool_holding_more(splits):
    validation, _ = splits
    scores = pipeline.source_scores(validation, ["EASE-recency", "trending"], l2=10.0)
    lists = pipeline.source_lists(scores, 60)
    kind, size = pipeline.choose_pool(lists, validation, ["EASE-recency", "trending"], 10)
    truth = validation.truth[validation.eval_users]
    recall = lambda pool: (pipeline._hits(pool, truth) / np.diff(truth.indptr)).mean()  # noqa: E731
    union = pipeline.union_lists(lists, ["EASE-recency", "trending"], 10)
    single = lists["EASE-recency"][:, : int(round((union >= 0).sum(axis=1).mean()))]
    assert (kind == "union") == (recall(union) > recall(single))
    assert size == (10 if kind == "union" else single.shape[1])


def test_pair_features_count_proposing_sources_and_basket_signals(splits):
    validation, _ = splits
    scores = pipeline.source_scores(validation, ["EASE-recency", "trending"], l2=10.0)
    pool = pipeline.source_lists(scores, 5)["EASE-recency"]
    pairs = pipeline.pair_features(validation, scores, pool, depth=5)
    assert (pairs["n_sources"] >= 1).all() and (pairs["n_sources"] <= 2).all()  # EASE-recency proposed every one
    assert set(pipeline.CONTEXT_FEATURES) <= set(pairs.columns)
    assert (pairs["last_basket_similarity"] >= 0).all() and (pairs["log_copurchases_recent"] >= 0).all()


def test_ranker_models():
    assert type(pipeline.ranker_model("lambdarank")).__name__ == "LGBMRanker"
    with pytest.raises(ValueError, match="name"):
        pipeline.ranker_model("svm")


def test_recency_matrix_needs_dated_purchases():
    X = rec.InteractionMatrix(sp.csr_matrix(np.ones((3, 3), np.float32)), pd.Index(list("abc")), pd.Index(list("xyz")))
    with pytest.raises(ValueError, match="train_purchases"):
        pipeline.recency_matrix(rec.random_split(X, 0.3), 30.0)


def _recall_table(union_recall: float) -> pd.DataFrame:
    rows = [
        ("EASE-recency", 100, 0.27, 100.0),
        ("trending", 100, 0.17, 100.0),
        ("EASE-recency", 200, 0.37, 200.0),
        ("trending", 200, 0.27, 200.0),
        ("union: EASE-recency + trending", 100, union_recall, 183.0),
        ("union: EASE-recency + trending", 200, 0.45, 350.0),
    ]
    table = pd.DataFrame(rows, columns=["source", "depth", "recall", "candidates"]).set_index(["source", "depth"])
    return table.assign(low=table["recall"] - 0.01, high=table["recall"] + 0.01)


def test_candidate_recall_reading_branches_on_a_deeper_single_source():
    fewer = rec.describe_candidate_recall(_recall_table(0.33), 100)
    assert "33.0%" in fewer and "EASE-recency's top 100 alone" in fewer
    assert "a single source holds more: EASE-recency's top 200 holds 37.0%" in fewer
    more = rec.describe_candidate_recall(_recall_table(0.40), 100)
    assert "It also holds more than EASE-recency's top 200 (37.0%)" in more


def test_recency_reading_branches_when_no_half_life_helps():
    text = rec.describe_recency(pd.Series({30.0: 0.11, np.inf: 0.12}))
    assert text.startswith("No half-life beats unweighted purchases") and "30 days" in text


def test_pair_features_do_not_see_last_bit_differences(splits):
    """Another CPU computes scores a few units in the last place apart: the features (so the ranker's trees and
    lists) must not move. Scores nudged by one ulp up or down give the same pairs, bit for bit, but for the rare
    value that sits within its noise of a grid boundary."""
    validation, _ = splits
    scores = pipeline.source_scores(validation, ["EASE-recency", "trending"], l2=10.0)
    assert all(np.array_equal(v, pipeline.ranking.quantize(v, axis=1)) for v in scores.values())  # on the grid
    # another CPU: each score a unit in the last place up or down, then the grid source_scores puts them on
    up_or_down = lambda v: np.where(np.arange(v.size).reshape(v.shape) % 2, np.inf, -np.inf)  # noqa: E731
    nudged = {name: pipeline.ranking.quantize(np.where(np.isfinite(v), np.nextafter(v, up_or_down(v)), v), axis=1)
              for name, v in scores.items()}  # fmt: skip
    pool = pipeline.source_lists(scores, 5)["EASE-recency"]
    context = pipeline.basket_context(validation)
    pairs = pipeline.pair_features(validation, scores, pool, depth=5, context=context)
    again = pipeline.pair_features(validation, nudged, pool, depth=5, context=context)
    grid = again.drop(columns=["user", "item"]).apply(lambda column: pipeline.ranking.quantize(column.to_numpy()))
    pd.testing.assert_frame_equal(again.drop(columns=["user", "item"]), grid)  # every column on its grid
    assert (pairs.to_numpy() == again.to_numpy()).mean() > 0.999
