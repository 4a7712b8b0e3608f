"""The filter-bubble loop (notebook 12, part 1): known answers of the simulated shop and its policies."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from shopai_lab.data import random_transactions
from shopai_lab.recommend import (
    FilterBubbleLoop,
    bubble_study,
    fit_shop_world,
    mmr_rerank,
    policy_table,
    ranking_metrics,
    strength_sensitivity,
)
from shopai_lab.recommend.feedback import _as_matrix, _calibrate, _draw_purchases, _explore, _mean_ndcg, _mmr
from shopai_lab.simulation import run_loop
from shopai_lab.stats import bootstrap_mean

WORDS = ["red heart", "tin sign", "paper kit", "glass jar", "wooden star", "lunch bag"]


def word_lines(n_lines=12_000, n_customers=150, n_items=80, random_state=0) -> pd.DataFrame:
    lines = random_transactions(n_lines, n_customers=n_customers, n_items=n_items, random_state=random_state)
    return lines.assign(description=lines["item_id"].map(lambda i: WORDS[int(i) % len(WORDS)]))


@pytest.fixture(scope="module")
def lines():
    return word_lines()


@pytest.fixture(scope="module")
def world(lines):
    return fit_shop_world(lines, n_customers=80, n_products=50, n_groups=6, random_state=0)


def test_world_is_fitted_from_the_data_and_leaves_it_unchanged(lines, world):
    before = lines.copy()
    again = fit_shop_world(lines, n_customers=80, n_products=50, n_groups=6, random_state=0)
    pd.testing.assert_frame_equal(lines, before)
    assert world.shape == (80, 50) and world.n_groups == 6
    np.testing.assert_array_equal(world.groups, again.groups)
    # one word pair per group: the descriptions' clusters are the planted product kinds
    for g in range(world.n_groups):
        assert len({world.descriptions[i] for i in np.flatnonzero(world.groups == g)}) == 1
    sums = np.bincount(world.groups, weights=world.appeal)
    np.testing.assert_allclose(sums, 1.0)
    assert (np.asarray(world.history.sum(axis=1)).ravel() >= 5).all()  # min_products
    np.testing.assert_array_equal(world.group_counts.sum(axis=1), np.asarray(world.history.sum(axis=1)).ravel())
    assert (world.basket_sizes >= 1).all()


def test_without_feedback_purchases_ignore_the_lists():
    rng_prefs = np.random.default_rng(0)
    prefs = rng_prefs.dirichlet(np.ones(30), size=20)
    baskets = rng_prefs.integers(1, 8, size=20)
    lists_a = np.tile(np.arange(5), (20, 1))
    lists_b = np.tile(np.arange(25, 30), (20, 1))
    a = _draw_purchases(prefs, lists_a, baskets, 0.0, np.random.default_rng(1))
    b = _draw_purchases(prefs, lists_b, baskets, 0.0, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    only_list = _draw_purchases(prefs, lists_b, baskets, 1.0, np.random.default_rng(1))
    assert set(np.unique(only_list[only_list >= 0])) <= set(range(25, 30))
    assert ((a >= 0).sum(axis=1) == baskets).all()


def test_without_feedback_the_bubble_metrics_stay_flat(world):
    history = run_loop(FilterBubbleLoop(world, feedback_strength=0.0), n_rounds=8, seeds=range(6))
    per_round = history.groupby("round")["breadth"].mean()
    # breadth is 1 in expectation (distinct groups bought / expected from the true taste)
    mean = bootstrap_mean(history["breadth"])
    assert abs(mean.estimate - 1.0) < 3 * mean.se
    # no trend across rounds: the slope is within three standard errors of zero
    rounds, values = per_round.index.to_numpy(dtype=float), per_round.to_numpy()
    slope, intercept = np.polyfit(rounds, values, 1)
    residual = values - (slope * rounds + intercept)
    se = residual.std(ddof=2) / np.sqrt(((rounds - rounds.mean()) ** 2).sum())
    assert abs(slope) < 3 * se + 1e-3


def test_random_policy_covers_the_catalogue_as_expected(world):
    k = 2
    history = run_loop(FilterBubbleLoop(world, policy="random", k=k), n_rounds=3, seeds=range(3))
    n_users, n_items = world.shape
    expected = 1 - (1 - k / n_items) ** n_users  # each product is missed by every list independently
    observed = history["coverage"]
    assert observed.mean() == pytest.approx(expected, abs=4 * observed.std() / np.sqrt(len(observed)) + 0.01)
    wide = run_loop(FilterBubbleLoop(world, policy="random", k=10), n_rounds=2, seeds=[0])
    assert (wide["coverage"] == 1.0).all()  # 80 lists of 10 out of 50: 1 - (0.8 ** 80) rounds to 1


def test_runs_are_deterministic_under_a_seed(world):
    for policy in ("plain", "mmr", "explore", "calibrated"):
        loop = FilterBubbleLoop(world, policy=policy)
        a, b = run_loop(loop, n_rounds=2, seeds=[3]), run_loop(loop, n_rounds=2, seeds=[3])
        pd.testing.assert_frame_equal(a, b)
    other = run_loop(FilterBubbleLoop(world), n_rounds=2, seeds=[4])
    assert not other["utility"].equals(a["utility"])


def test_fast_mmr_is_notebook_02s_mmr(world):
    loop = FilterBubbleLoop(world, policy="mmr")
    state = loop.reset(np.random.default_rng(0))
    items, scores = state["model"].recommend(np.arange(world.shape[0]), 30, exclude_seen=False)
    for weight in (0.3, 0.7, 1.0):
        expected = mmr_rerank(items, scores, state["history"], 10, weight)
        np.testing.assert_array_equal(_mmr(items, scores, state["history"], 10, weight), expected)


def test_calibration_matches_the_history_mix():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(3), 10)
    items = np.tile(np.arange(30), (4, 1))
    scores = np.tile(np.linspace(1, 0, 30), (4, 1))  # the first ten candidates are all of group 0
    target = np.array([[0.5, 0.3, 0.2]] * 4)
    plain = _calibrate(items, scores, groups, target, 10, 0.0)
    np.testing.assert_array_equal(plain, items[:, :10])  # weight 0 keeps the order
    calibrated = _calibrate(items, scores, groups, target, 10, 0.99)
    np.testing.assert_array_equal(np.bincount(groups[calibrated[0]], minlength=3), [5, 3, 2])
    explored = _explore(items[:, :10], scores, groups, 0.0, rng)
    np.testing.assert_array_equal(explored, items[:, :10])  # epsilon 0 keeps the list


def test_policy_table_pairs_policies_over_seeds(world):
    histories = bubble_study(world, ["plain", "random"], n_rounds=2, seeds=range(3))
    table = policy_table(histories, n_boot=200)
    assert list(table.index) == ["plain", "random"] and table.loc["plain", "utility_change"] is None
    assert table.loc["random", "utility_change"].high < 0  # random lists carry less of the true taste
    assert table.loc["random", "offline_change"].high < 0
    assert table.loc["plain", "offline_ndcg"] == pytest.approx(
        histories["plain"].loc[histories["plain"]["round"] == 0, "offline_ndcg"].mean()
    )


def test_fast_ndcg_is_the_evaluation_modules():
    rng = np.random.default_rng(0)
    bought = _as_matrix(np.where(rng.random((50, 12)) < 0.7, rng.integers(0, 40, (50, 12)), -1), 40)
    dense = bought.toarray()
    dense[:, 0] = 1.0  # everybody bought something
    bought = sp.csr_matrix(dense)
    lists = np.argsort(rng.random((50, 40)), axis=1)[:, :10]
    truth = [bought.indices[bought.indptr[i] : bought.indptr[i + 1]] for i in range(50)]
    assert _mean_ndcg(lists, bought) == pytest.approx(ranking_metrics(lists, truth, 10)["ndcg"].mean(), rel=1e-12)


def test_sensitivity_reuses_known_runs(world):
    control = run_loop(FilterBubbleLoop(world, feedback_strength=0.0), n_rounds=2, seeds=range(3))
    fresh = strength_sensitivity(world, "random", [0.0], n_rounds=2, seeds=range(3), n_boot=100)
    reused = strength_sensitivity(world, "random", [0.0], 2, range(3), n_boot=100, known={0.0: {"plain": control}})
    assert str(fresh.loc[0.0, "utility_change"]) == str(reused.loc[0.0, "utility_change"])
    assert fresh.loc[0.0, "utility_change"].high < 0  # random lists carry less taste, with or without feedback
