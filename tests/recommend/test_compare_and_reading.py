"""Notebook 02's honest comparisons: per-customer metrics for every evaluated customer, paired bootstrap
intervals (checked against the stats module and by hand), the example customer drawn without looking at
hits, and the faster tuning/fitting of the Blend giving exactly what a refit gives."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import recommend as rec
from shopai_lab.data import random_transactions
from shopai_lab.stats import paired_bootstrap


@pytest.fixture(scope="module")
def split():
    lines = random_transactions(6_000, n_customers=250, n_items=90, days=150, random_state=0)
    return rec.temporal_split(lines, 30)


@pytest.fixture(scope="module")
def per_user(split):
    out = {}
    for name, model in (("Popularity", rec.Popularity()), ("EASE", rec.EASE(l2=10.0)), ("ItemKNN", rec.ItemKNN())):
        row, users = rec.evaluate(model, split, k=5, name=name, fit=True, return_per_user=True)
        assert len(users) == len(split.eval_users) == row["users"].iloc[0]  # every evaluated customer counted
        assert users["ndcg"].mean() == pytest.approx(row["ndcg"].iloc[0])
        assert users["hit"].mean() == pytest.approx(row["hit_rate"].iloc[0])
        out[name] = users
    return out


def test_per_user_metrics_are_indexed_by_customer(split, per_user):
    assert list(per_user["EASE"].index) == list(split.train.users[split.eval_users])
    with pytest.raises(ValueError, match="one list per evaluated user"):
        rec.per_user_metrics(np.zeros((2, 5), dtype=int), split, k=5)


def test_compare_models_is_the_paired_bootstrap_of_the_stats_module(per_user):
    table = rec.compare_models(per_user, baseline="Popularity", n_boot=500, random_state=3)
    expected = paired_bootstrap(per_user["Popularity"]["ndcg"], per_user["EASE"]["ndcg"], n_boot=500, random_state=3)
    assert table.loc["EASE", "difference"] == expected
    assert table.loc["Popularity", "verdict"] == "baseline"
    assert table.loc["EASE", "ndcg"] - table.loc["Popularity", "ndcg"] == pytest.approx(expected.estimate)
    assert rec.paired_difference(per_user, "EASE", "Popularity", n_boot=500, random_state=3) == expected
    assert (table["low"] <= table["ndcg"]).all() and (table["ndcg"] <= table["high"]).all()


def test_verdict_needs_the_interval_to_exclude_zero():
    idx = pd.Index(range(400), name="customer_id")
    rng = np.random.default_rng(0)
    a = pd.DataFrame({"ndcg": rng.uniform(size=400)}, index=idx)
    noisy = a.assign(ndcg=a["ndcg"] + rng.normal(0.0, 0.3, size=400))  # no systematic gain
    shifted = a.assign(ndcg=a["ndcg"] + 0.05)
    table = rec.compare_models({"A": a, "noisy": noisy, "shifted": shifted}, baseline="A")
    assert table.loc["shifted", "verdict"] == "better"
    assert table.loc["noisy", "verdict"] == "not distinguishable"
    text = rec.describe_comparison(table, {"A": a, "noisy": noisy, "shifted": shifted}, "nDCG@10")
    assert "Better than A on nDCG@10 (paired 95% interval above zero): shifted." in text
    assert "Not distinguishable from A: noisy." in text


def test_models_on_other_customers_are_refused(per_user):
    dropped = {"Popularity": per_user["Popularity"], "EASE": per_user["EASE"].iloc[1:]}
    with pytest.raises(ValueError, match="not on the same customers"):
        rec.compare_models(dropped, baseline="Popularity")
    with pytest.raises(ValueError, match="baseline"):
        rec.compare_models(per_user, baseline="nobody")
    with pytest.raises(ValueError, match="metric"):
        rec.compare_models(per_user, baseline="EASE", metric="coverage")


def test_plot_model_intervals_draws_error_bars(per_user):
    table = rec.compare_models(per_user, baseline="Popularity", n_boot=200)
    axes = rec.plot_model_intervals(table, "nDCG@5")
    assert len(axes) == 2 and "Popularity" in axes[1].get_xlabel()
    assert len(axes[0].containers[0].errorbar.lines[2]) > 0 if hasattr(axes[0].containers[0], "errorbar") else True


def test_diversity_tradeoff_weight_one_is_the_model(split):
    model = rec.EASE(l2=10.0).fit(split.train.matrix)
    items, scores = model.recommend(split.eval_users, k=20)
    table = rec.diversity_tradeoff(items, scores, split, [0.5], k=5)
    assert list(table.index) == [1.0, 0.5]
    assert table.loc[1.0, "ndcg"] == pytest.approx(rec.evaluate(model, split, k=5)["ndcg"].iloc[0])
    unchanged = table.loc[1.0, "ndcg_change"]
    assert table.loc[1.0, "verdict"] == "baseline" and (unchanged.estimate, unchanged.low, unchanged.high) == (0, 0, 0)
    assert table.loc[0.5, "ndcg_change"].n == len(split.eval_users)
    assert "Weight 0.5: nDCG change" in rec.describe_tradeoff(table, 0.02)
    margin = 0.02 * table.loc[1.0, "ndcg"]
    assert table.loc[0.5, "margin"] == pytest.approx(margin)
    assert table.loc[0.5, "reading"] == rec.margin_reading(table.loc[0.5, "ndcg_change"], margin)
    assert rec.choose_relevance_weight(table) in (1.0, 0.5)


def test_margin_reading_branches_on_the_interval_against_the_margin():
    from shopai_lab.stats import Interval

    wide = Interval(-0.001, -0.003, 0.001, level=0.95, n=99, se=0.001)  # the interval of the old "no measurable loss"
    assert rec.margin_reading(wide, 0.002) == "inconclusive"
    assert rec.margin_reading(wide, 0.003) == "within the margin"
    assert rec.margin_reading(Interval(-0.01, -0.012, -0.008, level=0.95, n=99, se=0.001), 0.002) == (
        "loss beyond the margin"
    )
    table = pd.DataFrame(
        {"reading": ["within the margin", "within the margin", "inconclusive", "within the margin"]},
        index=pd.Index([1.0, 0.8, 0.6, 0.4], name="relevance weight"),
    )
    assert rec.choose_relevance_weight(table) == 0.4  # the most diverse weight within the margin


def test_the_model_is_chosen_on_validation_scores_only(split):
    validation = rec.temporal_split(split.train_purchases, 30)
    tuning = rec.tune_models(validation, ["Popularity", "EASE"], k=5, tune=False)
    scores = rec.validation_scores(tuning, validation, ["Popularity", "EASE"], k=5)
    popularity = rec.evaluate(rec.Popularity(), validation, k=5, fit=True)["ndcg"].iloc[0]
    assert scores["Popularity"] == pytest.approx(popularity)
    text = rec.describe_choice(scores, "nDCG@5")
    assert text.startswith(f"Chosen on the validation period (the test period is not looked at): {scores.idxmax()}")


def test_random_example_ignores_hits(split):
    rows = {rec.random_example(split, seed) for seed in range(30)}
    assert len(rows) > 5 and all(0 <= r < len(split.eval_users) for r in rows)
    assert rec.random_example(split, 7) == rec.random_example(split, 7)


def test_population_and_hit_rate_sentences_name_their_population(split):
    results = pd.DataFrame({"hit_rate": [0.5, 0.25]}, index=["EASE", "Popularity"])
    text = rec.describe_hit_rate(results, split, "EASE", "Popularity", 10)
    evaluated, customers = len(split.eval_users), split.train.shape[0]
    assert f"50.0% of the {evaluated:,} evaluated customers" in text
    assert f"{100 * 0.5 * evaluated / customers:.1f}% of all {customers:,} customers" in text
    assert f"{evaluated:,} ({100 * evaluated / customers:.1f}%)" in rec.describe_population(split)


def test_fast_trend_tuning_equals_refitting_each_blend(split):
    validation = rec.temporal_split(split.train_purchases, 30)
    params = {"EASE": {"l2": 10.0}, "ALS": {"factors": 4, "iterations": 2, "random_state": 1, "progress": False}}
    fast = rec.recipes._tune_trend_weight(validation, params, [0.0, 0.5, 1.0], 5, "ndcg")
    for w in (0.0, 0.5, 1.0):
        blend = rec.fit_house_blend(validation, ease_params=params["EASE"], als_params=params["ALS"], trend_weight=w)
        assert fast[w] == rec.evaluate(blend, validation, k=5)["ndcg"].iloc[0]


def test_fit_models_reuses_ease_and_als_for_the_same_blend(split):
    params = {
        "EASE": {"l2": 10.0},
        "ALS": {"factors": 4, "iterations": 2, "random_state": 1, "progress": False},
        "Blend": {"trend_weight": 0.5},
    }
    fitted = rec.fit_models(split, ["EASE", "ALS", "Blend"], params)
    assert fitted["Blend"].components_[0][0] is fitted["EASE"]
    refit = rec.fit_house_blend(split, ease_params=params["EASE"], als_params=params["ALS"], trend_weight=0.5)
    users = split.eval_users
    np.testing.assert_array_equal(fitted["Blend"].scores(users), refit.scores(users))
    other = rec.fit_models(split, ["EASE", "Blend"], {**params, "EASE": {"l2": 10.0}, "Blend": {"trend_weight": 0.5}})
    assert other["Blend"].components_[0][0] is not other["EASE"]  # no fitted ALS to reuse: a plain refit
