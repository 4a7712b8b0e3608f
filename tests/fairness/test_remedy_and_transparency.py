"""Notebook 11's newer tools against known answers: group-aware settings, the tail-quota frontier and its choice,
the capped prices against SLSQP, 'because you bought' against EASE's own scores, and score drivers against a
linear model's closed form; plus their bad input."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LinearRegression

from shopai_lab import fairness, pricing
from shopai_lab.recommend import EASE, Blend, Popularity, metrics_by_weight, reweighted_blend, temporal_split
from tests._bad_input import check_row, row_ids


def test_group_settings_pick_each_groups_best_and_values_follow_the_assignment():
    values = pd.DataFrame({"a": [0.5, 0.5, 0.1, 0.1, 0.1], "b": [0.2, 0.2, 0.4, 0.4, 0.4]})
    groups = ["x", "x", "y", "y", "y"]
    choice = fairness.choose_group_settings(values, groups)
    assert choice["own_setting"].to_dict() == {"x": "a", "y": "b"}
    assert choice.attrs["shared_setting"] == "b"  # mean 0.32 against 0.26
    assert fairness.values_under(values, groups, choice["own_setting"].to_dict()).tolist() == [0.5, 0.5, 0.4, 0.4, 0.4]
    before = values.copy()
    fairness.values_under(values, groups, "a")
    pd.testing.assert_frame_equal(values, before)


def test_a_near_tie_goes_to_the_earlier_setting():
    values = pd.DataFrame({0.0: [0.3, 0.1], 1.0: [0.3 + 1e-17, 0.1]})
    assert fairness.choose_group_settings(values, ["g", "g"]).loc["g", "own_setting"] == 0.0


def test_quota_frontier_starts_at_the_plain_lists_and_the_choice_respects_the_budget():
    rng = np.random.default_rng(0)
    tail = np.arange(30) >= 10
    scores = rng.random((40, 30)) * np.where(tail, 0.5, 1.0)  # the tail scores lower, as it does in a shop
    first = lambda lists: (lists[:, 0] < 10).astype(float)  # noqa: E731
    frontier, per_customer = fairness.quota_frontier(scores, tail, 5, [0.2, 0.6], first, merit=np.ones(30))
    assert frontier.index.tolist() == [0.0, 0.2, 0.6] and list(per_customer.columns) == [0.0, 0.2, 0.6]
    # the protected share of exposure rises with the quota and the disparity with it
    assert np.all(np.diff(frontier["protected_exposure_share"]) > 0) and np.all(np.diff(frontier["disparity"]) > 0)
    assert frontier.loc[0.0, "protected_merit_share"] == pytest.approx(20 / 30)
    table = pd.DataFrame({"mean": [0.10, 0.099, 0.095]}, index=[0.0, 0.2, 0.6])
    assert fairness.choose_quota(table, 0.02) == 0.2 and fairness.choose_quota(table, 0.05) == 0.6


@pytest.mark.parametrize("cap", [1.0, 1.2, 1.5])
def test_the_exact_capped_prices_equal_slsqps(cap):
    curves = [pricing.LogitDemand(alpha=3.0, beta=b, market_size=n).demand for b, n in ((0.25, 600), (0.12, 400))]
    exact = fairness.capped_group_prices(curves, (1.0, 80.0), cap)
    numerical = fairness.numerical_capped_prices(curves, (1.0, 80.0), cap)
    assert numerical["revenue"] == pytest.approx(exact["revenue"], rel=1e-6)
    assert numerical["ratio"] <= cap + 1e-6


def test_because_you_bought_explains_eases_own_score():
    rng = np.random.default_rng(3)
    X = sp.csr_matrix((rng.random((60, 25)) < 0.2).astype(float))
    model = EASE(l2=5.0).fit(X)
    user = 7
    history = X[user].indices
    items, _ = model.recommend([user], k=5)
    why = fairness.because_you_bought(model.B_, history, items[0], n_reasons=3)
    assert why["score"].to_numpy() == pytest.approx(model.scores([user])[0, items[0]], rel=1e-5)
    for _, row in why.iterrows():
        contributions = model.B_[history, row["item"]].astype(float)
        best = history[np.argsort(-contributions, kind="stable")[: len(row["reasons"])]]
        assert set(row["reasons"]) == set(best[contributions[np.searchsorted(history, best)] > 0])


def test_score_drivers_match_a_linear_models_closed_form():
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [0.0, 1.0, 0.0, 1.0, 0.0]})
    model = LinearRegression().fit(X, 0.1 * X["a"] + 0.3 * X["b"])
    predict = lambda frame: model.predict(frame)  # noqa: E731  a 1-D "probability"
    row = X.iloc[[3]]
    drivers = fairness.score_drivers(predict, X, row)
    # moved_by = coefficient x (value - typical): a: 0.1 x (4 - 3); b: 0.3 x (1 - 0), the most frequent value 0
    assert drivers.loc["a", "moved_by"] == pytest.approx(0.1)
    assert drivers.loc["b", "moved_by"] == pytest.approx(0.3)
    assert drivers.index.tolist() == ["b", "a"]
    assert drivers.attrs["probability"] == pytest.approx(0.1 * 4 + 0.3)


def test_reweighted_blend_equals_a_blend_fitted_with_those_weights():
    X = sp.csr_matrix((np.random.default_rng(1).random((50, 20)) < 0.25).astype(float))
    fitted = Blend(components=[(EASE(l2=2.0), 1.0), (Popularity(), 0.0)]).fit(X)
    direct = Blend(components=[(EASE(l2=2.0), 1.0), (Popularity(), 0.7)]).fit(X)
    again = reweighted_blend(fitted, [1.0, 0.7])
    assert np.array_equal(again.recommend(np.arange(50), k=5)[0], direct.recommend(np.arange(50), k=5)[0])
    assert fitted.components_[1][1] == 0.0  # the original is untouched


def test_metrics_by_weight_has_one_column_per_weight():
    from shopai_lab.data import random_transactions
    from shopai_lab.recommend import fit_house_blend

    split = temporal_split(random_transactions(4_000, n_customers=150, n_items=60, random_state=2), 30)
    blend = fit_house_blend(split, als_params={"factors": 4, "iterations": 2})
    tables = metrics_by_weight(blend, split, component=2, weights=[0.0, 0.5], k=5)
    assert set(tables) == {"ndcg", "hit_rate"} and list(tables["hit_rate"].columns) == [0.0, 0.5]
    assert tables["hit_rate"].isin([0.0, 1.0]).all().all()


def test_small_groups_are_merged_then_left_out():
    labels = ["a"] * 5 + ["b"] * 2 + ["c"]
    merged = fairness.collapse_small_groups(labels, 3)
    assert merged.tolist() == ["a"] * 5 + ["other"] * 3
    assert fairness.large_groups(merged, 4).tolist() == [True] * 5 + [False] * 3


_VALUES = pd.DataFrame({"a": [0.1, 0.2], "b": [0.3, 0.4]})
ROWS = [
    (fairness.choose_group_settings, {"values_by_setting": [[0.1]], "groups": ["g"]}, TypeError, "values_by_setting"),
    (fairness.choose_group_settings, {"values_by_setting": _VALUES, "groups": ["g"]}, ValueError, "same length"),
    (fairness.choose_group_settings, {"values_by_setting": _VALUES, "groups": ["g", None]}, ValueError, "missing"),
    (
        fairness.values_under,
        {"values_by_setting": _VALUES, "groups": ["g", "h"], "setting_of_group": {"g": "a"}},
        ValueError,
        r"no setting for group\(s\) \['h'\]",
    ),
    (
        fairness.values_under,
        {"values_by_setting": _VALUES, "groups": ["g", "g"], "setting_of_group": "z"},
        ValueError,
        r"setting\(s\) \['z'\]",
    ),
    (
        fairness.choose_quota,
        {"frontier": pd.DataFrame({"mean": [0.1]}, index=[0.2]), "max_loss_share": 0.1},
        ValueError,
        "quota 0",
    ),
    (
        fairness.choose_quota,
        {"frontier": pd.DataFrame({"mean": [0.1]}, index=[0.0]), "max_loss_share": 2.0},
        ValueError,
        "max_loss_share",
    ),
    (
        fairness.because_you_bought,
        {"item_weights": np.ones((2, 3)), "history": [0], "items": [1]},
        ValueError,
        "square",
    ),
    (
        fairness.because_you_bought,
        {"item_weights": np.ones((3, 3)), "history": [], "items": [1]},
        ValueError,
        "history is empty",
    ),
    (
        fairness.because_you_bought,
        {"item_weights": np.ones((3, 3)), "history": [5], "items": [1]},
        ValueError,
        "history",
    ),
    (
        fairness.because_you_bought,
        {"item_weights": np.ones((3, 3)), "history": [0], "items": [1], "n_reasons": 0},
        ValueError,
        "n_reasons",
    ),
    (
        fairness.score_drivers,
        {"predict_proba": 3, "background": _VALUES, "row": _VALUES.iloc[[0]]},
        TypeError,
        "predict_proba",
    ),
    (
        fairness.score_drivers,
        {"predict_proba": len, "background": _VALUES, "row": _VALUES},
        ValueError,
        "exactly one unit",
    ),
    (
        fairness.score_drivers,
        {"predict_proba": len, "background": _VALUES, "row": _VALUES[["a"]].iloc[[0]]},
        ValueError,
        r"missing column\(s\) \['b'\]",
    ),
    (
        fairness.numerical_capped_prices,
        {"demand": [len], "bounds": (1.0, 2.0), "max_ratio": 0.5},
        ValueError,
        "max_ratio",
    ),
    (fairness.collapse_small_groups, {"labels": ["a"], "min_units": 0}, ValueError, "min_units"),
    (reweighted_blend, {"blend": "blend", "weights": [1.0]}, TypeError, "blend"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
