"""The review loop (notebook 12, part 2): known answers on a small simulated shop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score

from shopai_lab import anomaly
from shopai_lab.anomaly.feedback import LabelModel, ReviewData, ReviewLoop, _world_seed, review_study, review_table
from shopai_lab.simulation import run_loop


@pytest.fixture(scope="module")
def shop() -> pd.DataFrame:
    """1,200 invoices of 150 customers over about 25 weeks, 2-6 lines each from 80 products."""
    rng = np.random.default_rng(3)
    prices = {f"P{j:02d}": round(float(rng.uniform(0.5, 20)), 2) for j in range(80)}
    start, rows = pd.Timestamp("2024-01-01 08:00"), []
    for i in range(1200):
        when = start + pd.Timedelta(minutes=int(i * 210 + rng.integers(0, 60)))
        customer = f"C{rng.integers(150):03d}"
        for item in rng.choice(list(prices), size=int(rng.integers(2, 7)), replace=False):
            rows.append((customer, f"I{i:05d}", item, int(rng.integers(1, 13)), prices[item], when))
    frame = pd.DataFrame(rows, columns=["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"])
    return frame.astype({"customer_id": "string", "invoice_id": "string", "item_id": "string"})


@pytest.fixture(scope="module")
def review_data(shop) -> ReviewData:
    returns = shop.sample(12, random_state=0).assign(
        quantity=lambda f: -f["quantity"], timestamp=lambda f: f["timestamp"] + pd.Timedelta(hours=2)
    )  # a dozen real reversals within the day
    return ReviewData(shop, returns, launch_weeks=4, rate=0.06, late_kind_week=8, n_neighbors=10, validation_seed=9)


def test_the_world_plants_every_kind_and_the_late_kind_only_after_its_week(review_data):
    world = review_data.world(0)
    kinds = pd.Series(world.kind)
    assert {"quantity", "price", "burst", "reversal"} <= set(kinds)
    assert (world.week[world.kind == "burst"] >= 8).all()
    assert review_data.world(0) is world  # built once, shared by every policy of the seed


def test_an_unlimited_budget_labels_everything(review_data):
    history = run_loop(ReviewLoop(review_data, budget=10_000), n_rounds=10, seeds=[0])
    world = review_data.world(_world_seed(np.random.default_rng(0)))
    sizes = np.cumsum([len(world.by_week[w]) for w in range(10)])
    assert history["labelled"].tolist() == sizes.tolist()
    assert history["recall"].dropna().eq(1.0).all() and history["found_so_far"].eq(1.0).all()
    expected = [float((world.kind[world.by_week[w]] != "normal").mean()) for w in range(10)]
    assert history["precision"].tolist() == pytest.approx(expected)


def test_the_ensemble_policy_reviews_the_top_of_the_ensemble_score(review_data):
    history = run_loop(ReviewLoop(review_data, budget=5), n_rounds=6, seeds=[1])
    world = review_data.world(_world_seed(np.random.default_rng(1)))
    for w in range(6):
        week = world.by_week[w]
        top = week[np.argsort(-world.ensemble[week], kind="stable")[:5]]
        assert history.loc[w, "precision"] == pytest.approx(float((world.kind[top] != "normal").mean()))


def test_a_model_trained_on_perfect_labels_of_all_kinds_beats_the_unsupervised_ensemble(review_data):
    world = review_data.world(2)
    y = world.kind != "normal"
    train = np.random.default_rng(0).random(len(y)) < 0.5  # labels of every kind on half the invoices
    test = ~train
    model = LabelModel().fit(world.features[train], y[train])
    supervised = average_precision_score(y[test], model.predict_proba(world.features[test])[:, 1])
    assert supervised > average_precision_score(y[test], world.ensemble[test])


def test_runs_are_deterministic_and_policies_share_their_worlds(review_data):
    loop = ReviewLoop(review_data, budget=6, policy="supervised", explore_share=0.5, explore="random", min_labels=2)
    first = run_loop(loop, n_rounds=8, seeds=[0, 1])
    pd.testing.assert_frame_equal(first, run_loop(loop, n_rounds=8, seeds=[0, 1]))
    assert first["model_used"].max() == 1.0  # the supervised model took over within the run
    plain = run_loop(ReviewLoop(review_data, budget=6), n_rounds=8, seeds=[0, 1])
    # the same anomalies arrive under both policies (paired worlds): the recall of a week has the same denominator
    assert first["recall"].isna().equals(plain["recall"].isna())


def test_study_table_and_decision_read_each_other(review_data):
    histories = review_study(review_data, budget=6, explore_shares=[0.5], n_weeks=8, seeds=range(3))
    assert list(histories) == ["ensemble", "supervised", "supervised, 50% exploring"]
    table = review_table(histories, n_boot=200)
    assert table.loc["ensemble", "found_so_far_change"] is None
    assert table.loc["supervised, 50% exploring", "found_vs_top"] is not None
    assert anomaly.reading.review_decision(table) in table.index
    assert "Decision" in anomaly.reading.describe_review(table, 6, 8)
    assert "reviewer" in anomaly.reading.describe_unlabelled(table)


def test_more_rounds_than_weeks_is_a_clear_error(review_data):
    with pytest.raises(ValueError, match="review weeks"):
        run_loop(ReviewLoop(review_data, budget=5), n_rounds=200, seeds=[0])
