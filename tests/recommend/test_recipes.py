"""The house recipes: tuning grids, the tuned line-up, the Blend, and the re-ranker's candidate settings."""

import numpy as np
import pytest

from shopai_lab import recommend as rec
from shopai_lab.data import random_transactions

FAST_GRIDS = {
    "ItemKNN": {"n_neighbors": [5, 20]},
    "ALS": {"factors": [4], "regularization": [0.01, 0.1]},
    "EASE": {"l2": [10.0, 100.0]},
    "Blend": {"trend_weight": [0.0, 0.5, 1.0]},
}


@pytest.fixture(scope="module")
def splits():
    lines = random_transactions(6_000, n_customers=250, n_items=90, days=150, random_state=0)
    split = rec.temporal_split(lines, 30)
    return rec.temporal_split(split.train_purchases, 30), split


def test_grids_cover_every_tunable_model_and_name_real_parameters():
    for name, grid in rec.TUNING_GRIDS.items():
        assert name in rec.MODELS
        if name != "Blend":
            rec.MODELS[name]().set_params(**{key: values[0] for key, values in grid.items()})
    assert rec.TUNING_GRIDS["Blend"]["trend_weight"][0] == 0.0  # "no trend" is always a candidate


def test_tune_models_picks_the_best_validation_setting(splits):
    validation, _ = splits
    tuning = rec.tune_models(
        validation, ["ItemKNN", "Blend"], k=5, grids=FAST_GRIDS, fixed={"ALS": {"iterations": 2}}, random_state=4
    )
    assert set(tuning.params) == {"ItemKNN", "ALS", "EASE", "Blend"}  # the Blend brings EASE and ALS
    assert tuning.params["ALS"]["iterations"] == 2 and tuning.params["ALS"]["random_state"] == 4
    best, table = rec.grid_search(rec.ItemKNN, FAST_GRIDS["ItemKNN"], validation, k=5)
    assert tuning.params["ItemKNN"] == best
    assert tuning.table.set_index("model").loc["ItemKNN", "ndcg"] == table.loc[0, "ndcg"]
    assert list(tuning.table["model"]) == ["ItemKNN", "ALS", "EASE"]
    scores = tuning.trend_scores
    assert list(scores.index) == [0.0, 0.5, 1.0] and scores.index.name == "trend_weight"
    assert tuning.params["Blend"] == {"trend_weight": float(scores.idxmax())}


def test_untuned_models_keep_defaults_and_fixed_settings(splits):
    validation, _ = splits
    tuning = rec.tune_models(validation, ["EASE", "ALS", "Blend"], k=5, tune=False, fixed={"ALS": {"iterations": 2}})
    assert tuning.params["EASE"] == {}
    assert tuning.params["ALS"] == {"factors": 64, "iterations": 2, "random_state": 0, "progress": False}
    assert tuning.params["Blend"] == {"trend_weight": rec.DEFAULT_TREND_WEIGHT}
    assert tuning.table.empty


def test_house_blend_is_ease_als_and_trending_popularity(splits):
    _, split = splits
    ease_params, als_params = {"l2": 50.0}, {"factors": 4, "iterations": 2, "random_state": 0, "progress": False}
    blend = rec.fit_models(split, ["Blend"], {"EASE": ease_params, "ALS": als_params, "Blend": {"trend_weight": 0.6}})[
        "Blend"
    ]
    # The recipe as notebook 02 used to write it by hand.
    trending = rec.build_interactions(
        split.train_purchases, "recency", half_life_days=14, users=split.train.users, items=split.train.items
    )
    by_hand = rec.Blend(
        components=[(rec.EASE(**ease_params), 1.0), (rec.ALS(**als_params), 1.0), (rec.Popularity(weighted=True), 0.6)]
    )
    by_hand.fit(split.train.matrix, component_X=[None, None, trending.matrix])
    for a, b in zip(blend.recommend(split.eval_users, k=10), by_hand.recommend(split.eval_users, k=10)):
        np.testing.assert_array_equal(a, b)
    assert [type(m).__name__ for m, _ in blend.components_] == ["EASE", "ALS", "Popularity"]
    np.testing.assert_allclose(
        blend.components_[2][0].popularity_, np.asarray(trending.matrix.sum(axis=0)).ravel(), rtol=1e-6
    )


def test_fit_models_uses_the_tuned_parameters_in_order(splits):
    _, split = splits
    fitted = rec.fit_models(split, ["EASE", "Popularity", "ItemKNN"], {"EASE": {"l2": 20.0}})
    assert list(fitted) == ["EASE", "Popularity", "ItemKNN"]
    assert fitted["EASE"].l2 == 20.0 and fitted["ItemKNN"].n_neighbors == 100
    assert all(model.X_.shape == split.train.shape for model in fitted.values())


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda v: rec.tune_models(v, ["EASE", "SVD"]), ValueError, "models must be one of"),
        (lambda v: rec.tune_models(v, "EASE"), TypeError, "models must be a list"),
        (lambda v: rec.tune_models(v, ["EASE"], metric="auc"), ValueError, "metric must be one of"),
        (lambda v: rec.tune_models(v, ["EASE"], tune="yes"), TypeError, "tune"),
        (lambda v: rec.tune_models(v, ["EASE"], grids={"SVD": {}}), ValueError, "grids must be one of"),
        (lambda v: rec.tune_models(v, ["EASE"], fixed=[1]), TypeError, "fixed must be a dict"),
        (lambda v: rec.tune_models(v, ["EASE"], random_state=-1), ValueError, "random_state"),
        (lambda v: rec.tune_models("v", ["EASE"]), TypeError, "validation must be a Split"),
        (lambda v: rec.fit_models(v, ["EASE"], params=[1]), TypeError, "params must be a dict"),
        (lambda v: rec.fit_house_blend(v, trend_weight="high"), TypeError, "trend_weight"),
        (lambda v: rec.fit_house_blend(v, ease_params=300.0), TypeError, "ease_params"),
        (lambda v: rec.trending_interactions(v, half_life_days=0), ValueError, "half_life_days"),
    ],
)
def test_bad_input(splits, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(splits[0])


def test_the_trend_needs_dated_purchases(splits):
    _, split = splits
    leaky = rec.random_split(split.train, test_share=0.2, random_state=0)
    with pytest.raises(ValueError, match="random_split"):
        rec.fit_house_blend(leaky)
