import numpy as np
import pytest

from shopai_lab import recommend
from shopai_lab.recommend import PAIR_FEATURES, build_candidates, rerank_experiment


@pytest.fixture(scope="module")
def splits(cleaned_retail):
    split = recommend.temporal_split(cleaned_retail.purchases, test_days=60)
    return recommend.temporal_split(split.train_purchases, test_days=60), split


def test_candidates_features_and_labels_come_from_the_split_only(splits):
    validation, _ = splits
    cands = build_candidates(validation, n_candidates=50)
    assert cands.items.shape == (len(validation.eval_users), 50)
    assert list(cands.features.columns) == list(PAIR_FEATURES)
    assert np.isfinite(cands.features.to_numpy()).all()
    # Labels are exactly the candidate pairs in the validation truth.
    truth = validation.truth[validation.eval_users]
    expected = sum(len(set(cands.items[i]) & set(truth[i].indices)) for i in range(len(cands.items)))
    assert cands.labels.sum() == expected
    # Every feature is computed from purchases before the validation cutoff.
    assert (cands.features["item_days_since_sale"] >= 0).all()
    assert cands.features["cf_rank"].max() == 50


def test_ablation_drops_each_feature_group_once():
    from shopai_lab.data import random_transactions
    from shopai_lab.recommend import FEATURE_GROUPS

    assert sorted(sum(FEATURE_GROUPS.values(), ())) == sorted(PAIR_FEATURES)
    lines = random_transactions(6_000, n_customers=300, n_items=80, days=240, random_state=0)
    test = recommend.temporal_split(lines, 30)
    validation = recommend.temporal_split(test.train_purchases, 30)
    params = {"ALS": {"factors": 4, "iterations": 2}}
    result = rerank_experiment(
        validation, test, n_candidates=20, params=params, hidden_layers=[4], ablation=True, n_boot=50
    )
    assert len(result.ablation) == len(FEATURE_GROUPS)
    for name, group in zip(result.ablation, FEATURE_GROUPS.values()):
        kept = list(result.fitted[name].feature_names_in_)
        assert not set(kept) & set(group) and len(kept) == len(PAIR_FEATURES) - len(group)
        assert result.comparisons.loc[name, "baseline"] == "re-ranked: boosting"
    gain = result.comparisons.loc["re-ranked: mlp", "interval"]
    diff = result.per_customer["re-ranked: mlp"] - result.per_customer[result.baseline]
    assert gain.estimate == pytest.approx(diff.mean()) and gain.n == len(diff)
