"""Periods from the data, the churn classifier against the simulator's truth, and the holdout comparisons."""

import functools
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from shopai_lab import clv
from shopai_lab.stats import Interval, holdout_metrics


def lines(days: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(c, pd.Timestamp(d)) for c, ds in days.items() for d in ds]
    return pd.DataFrame(
        {
            "customer_id": [c for c, _ in rows],
            "timestamp": [t for _, t in rows],
            "quantity": 1,
            "unit_price": 2.0,
        }
    )


SHOP = lines({"a": ["2024-01-01", "2024-02-01", "2024-05-20"], "b": ["2024-01-10", "2024-03-01"], "c": ["2024-02-15"]})


# --- holdout_split ---------------------------------------------------------------------------------------------
def test_holdout_split_defaults_come_from_the_data():
    before = SHOP.copy()
    cal, obs = clv.holdout_split(SHOP, holdout_weeks=4)
    assert obs == pd.Timestamp("2024-05-20")
    assert cal == pd.Timestamp("2024-04-22")  # 28 days earlier
    pd.testing.assert_frame_equal(SHOP, before)


def test_holdout_split_fractional_weeks_and_explicit_dates():
    cal, obs = clv.holdout_split(SHOP, holdout_weeks=1.5)
    assert (obs - cal).days == 10  # 10.5 days: whole days, the half day stays in calibration
    with pytest.raises(ValueError, match="at least one day"):
        clv.holdout_split(SHOP, holdout_weeks=0.1)
    cal, obs = clv.holdout_split(SHOP, calibration_end="2024-03-31", observation_end="2024-05-01")
    assert (cal, obs) == (pd.Timestamp("2024-03-31"), pd.Timestamp("2024-05-01"))
    cal, _ = clv.holdout_split(SHOP, holdout_weeks=2, observation_end="2024-05-01")
    assert cal == pd.Timestamp("2024-04-17")


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"holdout_weeks": 30}, ValueError, r"holdout_weeks=30 leaves no calibration period.*2024-01-01"),
        ({"holdout_weeks": 0}, ValueError, "holdout_weeks must be > 0"),
        ({"holdout_weeks": -2}, ValueError, "holdout_weeks"),
        ({"holdout_weeks": "14"}, TypeError, "holdout_weeks must be a number"),
        ({"observation_end": "2024-06-30"}, ValueError, r"observation_end 2024-06-30 is outside the data"),
        ({"observation_end": "someday"}, ValueError, "observation_end could not be read as a date"),
        (
            {"calibration_end": "2024-05-20"},
            ValueError,
            r"calibration_end 2024-05-20 must be .* before observation_end",
        ),
        ({"calibration_end": "2023-12-01"}, ValueError, r"calibration_end 2023-12-01 must be after the first purchase"),
    ],
)
def test_holdout_split_refuses_bad_periods(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        clv.holdout_split(SHOP, **kwargs)


def test_holdout_split_refuses_bad_frames():
    with pytest.raises(ValueError, match="timestamp"):
        clv.holdout_split(SHOP.drop(columns="timestamp"))
    with pytest.raises(TypeError, match=r"purchases\['timestamp'\] must hold datetimes"):
        clv.holdout_split(SHOP.assign(timestamp=SHOP["timestamp"].astype(str)))


def test_holdout_split_on_the_bundled_data_matches_the_old_split_length(cleaned_retail):
    cal, obs = clv.holdout_split(cleaned_retail.purchases, holdout_weeks=14)
    assert obs == pd.Timestamp("2011-12-09")
    assert cal == pd.Timestamp("2011-09-02")  # the old fixed split ended 2011-08-31 (14.3 weeks)


# --- churn training window -------------------------------------------------------------------------------------
def test_churn_training_set_labels_the_window_before_end():
    summary, quiet = clv.churn_training_set(SHOP, "2024-03-31", weeks=6)
    # features at 2024-02-18: a, b and c acquired; in the six weeks to 2024-03-31 only b buys.
    assert quiet.to_dict() == {"a": True, "b": False, "c": True}
    assert summary.loc["a", "frequency"] == 1 and summary.loc["a", "T"] == pytest.approx(48 / 7)


def test_churn_training_set_refuses_a_window_longer_than_the_data():
    with pytest.raises(ValueError, match=r"weeks=20: the training window would start on 2023-11-13"):
        clv.churn_training_set(SHOP, "2024-04-01", weeks=20)
    with pytest.raises(ValueError, match="weeks must be a positive number"):
        clv.churn_training_set(SHOP, "2024-04-01", weeks=0)


# --- the classifier against the simulator's truth --------------------------------------------------------------
def oracle(r, alpha, a, b):
    model = clv.BetaGeoModel()
    model.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
    return model


@functools.lru_cache
def simulated_pair(a, b):
    truth = dict(r=0.8, alpha=8.0, a=a, b=b)
    ages = np.random.default_rng(3).uniform(5, 40, 6_000)
    train = clv.simulate_bgnbd(6_000, **truth, T=ages, holdout=13.0, random_state=1)
    test = clv.simulate_bgnbd(6_000, **truth, T=ages, holdout=13.0, random_state=2)
    quiet = test["frequency_holdout"] == 0
    best = clv.auc(quiet, oracle(**truth).prob_no_purchases(13.0, test["frequency"], test["recency"], test["T"]))
    return train, test, quiet, best


@functools.lru_cache
def auto_classifier(a, b):
    train = simulated_pair(a, b)[0]
    return clv.ChurnClassifier().fit(train, train["frequency_holdout"] == 0)


@pytest.mark.parametrize("dropout", [(2.0, 6.0), (1e-6, 1e3)])
def test_auto_classifier_ranks_nearly_as_well_as_the_true_model(dropout):
    """Trained on one simulated shop, scored on another: its AUC is within 0.01 of the Bayes-optimal score
    (the BG/NBD with the true parameters), with and without a dropout process."""
    _, test, quiet, best = simulated_pair(*dropout)
    classifier = auto_classifier(*dropout)
    assert set(classifier.cv_auc_) == {"logistic", "boosting"}
    assert classifier.model_ == max(classifier.cv_auc_, key=classifier.cv_auc_.get)
    ours = clv.auc(quiet, classifier.predict_proba(test)[:, 1])
    assert best - 0.01 < ours <= best + 0.01
    assert ours > clv.auc(quiet, test["T"] - test["recency"]) + 0.01  # beats weeks quiet alone


def test_logistic_classifier_misses_the_dropout_interaction():
    """Why "auto" exists and why the rule prefers the BG/NBD when dropout is identified: with real dropout,
    a linear logistic score falls short of the true model, while cross-validation picks boosting."""
    train, test, quiet, best = simulated_pair(2.0, 6.0)
    logistic = clv.ChurnClassifier(model="logistic").fit(train, train["frequency_holdout"] == 0)
    assert clv.auc(quiet, logistic.predict_proba(test)[:, 1]) < best - 0.015
    auto = auto_classifier(2.0, 6.0)
    assert auto.model_ == "boosting"
    assert "gradient boosting, chosen by 5-fold cross-validation" in clv.describe_classifier(auto)


def test_classifier_uses_recency_when_customers_leave():
    sim = clv.simulate_bgnbd(6_000, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=5)
    classifier = clv.ChurnClassifier(model="logistic").fit(sim, sim["frequency_holdout"] == 0)
    assert classifier.model_ == "logistic" and classifier.cv_auc_ == {}
    assert classifier.coef_["weeks_quiet"] > 0.3
    assert "Weeks quiet raises the risk" in clv.describe_classifier(classifier)
    proba = classifier.predict_proba(sim)
    assert proba.shape == (6_000, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert (classifier.predict(sim) == (proba[:, 1] > 0.5)).all()


def test_boosting_classifier_fits_and_scores():
    sim = clv.simulate_bgnbd(3_000, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=5)
    classifier = clv.ChurnClassifier(model="boosting").fit(sim, sim["frequency_holdout"] == 0)
    assert clv.auc(sim["frequency_holdout"] == 0, classifier.predict_proba(sim)[:, 1]) > 0.7


def test_classifier_refuses_bad_input():
    sim = clv.simulate_bgnbd(200, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=5)
    y = sim["frequency_holdout"] == 0
    with pytest.raises(ValueError, match="one class only"):
        clv.ChurnClassifier().fit(sim, np.ones(len(sim), dtype=bool))
    with pytest.raises(ValueError, match="one label per customer"):
        clv.ChurnClassifier().fit(sim, y[:10])
    with pytest.raises(ValueError, match="model must be one of"):
        clv.ChurnClassifier(model="forest").fit(sim, y)
    with pytest.raises(ValueError, match="cv must be >= 2"):
        clv.ChurnClassifier(cv=1).fit(sim, y)
    with_spend = sim.assign(monetary_value=10.0)
    fitted = clv.ChurnClassifier(model="logistic").fit(with_spend, y)
    with pytest.raises(ValueError, match="monetary_value"):
        fitted.predict_proba(sim)
    with pytest.raises(ValueError, match="RFM table"):
        clv.churn_features(pd.DataFrame({"frequency": [1], "recency": [1.0], "T": [2.0], "days_since_last": [3]}))


def test_choose_churn_score_follows_identification():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", clv.IdentificationWarning)
        leaving = clv.BetaGeoModel().fit(clv.simulate_bgnbd(4_000, r=0.8, alpha=8.0, a=2.0, b=6.0, random_state=0))
        staying = clv.BetaGeoModel().fit(clv.simulate_bgnbd(4_000, r=0.8, alpha=8.0, a=1e-6, b=1e3, random_state=0))
    assert leaving.dropout_identified_ and clv.choose_churn_score(leaving) == "BG/NBD"
    assert not staying.dropout_identified_ and clv.choose_churn_score(staying) == "classifier"


def test_churn_risk_is_the_chosen_score():
    summary = clv.summarize_customers(SHOP, "2024-05-20")
    model = oracle(0.8, 8.0, 1.0, 3.0)
    risk = clv.churn_risk("BG/NBD", model, summary, SHOP, 4.0)
    expected = model.prob_no_purchases(4.0, summary["frequency"], summary["recency"], summary["T"])
    np.testing.assert_allclose(risk.to_numpy(), expected)
    with pytest.raises(ValueError, match="choice must be one of"):
        clv.churn_risk("rfm", model, summary, SHOP, 4.0)


def test_churn_risk_uses_the_given_classifier_as_it_is():
    """The list is ranked by the very classifier a holdout checked: neither refitted nor re-chosen."""
    sim = clv.simulate_bgnbd(500, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=5)
    checked = clv.ChurnClassifier(model="logistic").fit(sim, sim["frequency_holdout"] == 0)
    summary = clv.summarize_customers(SHOP, "2024-05-20")
    risk = clv.churn_risk("classifier", oracle(0.8, 8.0, 1.0, 3.0), summary, SHOP, 4.0, classifier=checked)
    np.testing.assert_allclose(risk.to_numpy(), checked.predict_proba(summary)[:, 1])
    assert risk.attrs["model"] == "logistic"


# --- comparisons -----------------------------------------------------------------------------------------------
def test_auc_equals_scikit_learn_with_ties():
    rng = np.random.default_rng(0)
    y = rng.random(500) < 0.3
    score = rng.integers(0, 5, 500)  # many ties
    assert clv.auc(y, score) == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    with pytest.raises(ValueError, match="both classes"):
        clv.auc(np.zeros(5), np.arange(5))


def test_compare_churn_scores_reference_and_intervals():
    rng = np.random.default_rng(1)
    y = rng.random(800) < 0.4
    scores = {"noise": rng.random(800), "signal": y + rng.random(800), "same": None}
    scores["same"] = scores["noise"].copy()
    table = clv.compare_churn_scores(y, scores, "noise", n_boot=200)
    assert table.loc["noise", "verdict"] == "reference"
    assert table.loc["signal", "auc"] == pytest.approx(roc_auc_score(y, scores["signal"]))
    assert table.loc["signal", "verdict"] == "better" and table.loc["signal", "interval"].low > 0
    assert table.loc["same", "interval"].estimate == 0 and table.loc["same", "verdict"] == "not distinguishable"
    assert table.loc["noise", "interval"] is None
    with pytest.raises(ValueError, match="reference must be one of"):
        clv.compare_churn_scores(y, scores, "BG/NBD")


def test_compare_holdout_agrees_with_the_point_metrics():
    rng = np.random.default_rng(2)
    y = rng.poisson(1.5, 1_000).astype(float)
    good, rough = y + rng.normal(0, 0.3, 1_000), np.clip(y + rng.normal(0.5, 1.5, 1_000), 0, None)
    table = clv.compare_holdout(y, good, rough, n_boot=200)
    point = holdout_metrics(y, good)
    assert table.loc["mae", "model"] == pytest.approx(point["mae"])
    assert table.loc["rmse", "model"] == pytest.approx(point["rmse"])
    assert table.loc["pearson", "model"] == pytest.approx(point["corr"])
    assert table.loc["abs_total_error", "model"] == pytest.approx(abs(point["total_error"]))
    assert table.loc["spearman", "model"] == pytest.approx(spearmanr(y, good).statistic)
    assert (table["verdict"] == "better").all()
    for name, result in table["interval"].items():
        assert result.estimate == pytest.approx(table.loc[name, "model"] - table.loc[name, "baseline"])
        assert result.n == 1_000 and not result.relative


def test_holdout_buckets_add_up_and_name_the_winner():
    sim = clv.simulate_bgnbd(2_000, r=0.8, alpha=8.0, a=1e-6, b=1e3, T=30.0, holdout=13.0, random_state=3)
    model = oracle(0.8, 8.0, 1e-6, 1e3)
    predicted = model.expected_purchases(13.0, sim["frequency"], sim["recency"], sim["T"])
    naive = sim["frequency"] / sim["T"] * 13.0
    table = clv.holdout_buckets(sim, predicted, naive, max_frequency=5, n_boot=200)
    body = table.drop(index="all")
    assert body["customers"].sum() == len(sim) == table.loc["all", "customers"]
    assert body["actual"].sum() == pytest.approx(sim["frequency_holdout"].sum())
    assert table.loc["all", "model_mae"] == pytest.approx(np.abs(predicted - sim["frequency_holdout"]).mean())
    assert list(body.index) == ["0", "1", "2", "3", "4", "5+"]
    # The naive rate predicts nothing for customers without repeats: its total there is far off, its MAE not
    # (predicting 0 for mostly-zero counts is what the absolute error rewards).
    zero = table.loc["0"]
    assert zero["baseline_total"] == 0
    assert abs(zero["model_total"] - zero["actual"]) < 0.2 * zero["actual"]
    assert zero["mae_difference"].low > 0
    text = clv.describe_holdout(clv.compare_holdout(sim["frequency_holdout"], predicted, naive, n_boot=200), table)
    assert "BG/NBD is **better**" in text and "customers with no repeat purchase" in text


def test_describe_holdout_says_when_the_total_is_won_only_on_zero_repeat_customers():
    buckets = pd.DataFrame(
        {"actual": [10.0, 100.0, 110.0], "model_total": [8.0, 70.0, 78.0], "baseline_total": [0.0, 90.0, 90.0]},
        index=pd.Index(["0", "1+", "all"]),
    )
    tied = Interval(0.0, -0.1, 0.1, level=0.95, n=110, se=0.05)
    row = {"baseline": 0.5, "model": 0.5, "interval": tied, "verdict": "not distinguishable"}
    comparison = pd.DataFrame.from_dict({m: row for m in clv.HOLDOUT_METRICS}, orient="index")
    comparison.loc["abs_total_error", "verdict"] = "better"
    assert "comes only from the customers without repeat purchases" in clv.describe_holdout(comparison, buckets)
    buckets.loc["1+", "model_total"] = 95.0
    assert "comes only" not in clv.describe_holdout(comparison, buckets)


# --- value at stake and group checks ---------------------------------------------------------------------------
def test_value_at_stake_closed_form_and_checks():
    np.testing.assert_allclose(clv.value_at_stake([0.5, 0.2], [100.0, 1000.0]), [50.0, 200.0])
    np.testing.assert_allclose(clv.value_at_stake([0.5], [100.0], p_alive=[0.25]), [200.0])
    with pytest.raises(ValueError, match="risk must be probabilities"):
        clv.value_at_stake([1.5], [100.0])
    with pytest.raises(ValueError, match="p_alive must hold one probability"):
        clv.value_at_stake([0.5], [100.0], p_alive=[0.0])
    with pytest.raises(ValueError, match="same length"):
        clv.value_at_stake([0.5, 0.1], [100.0])


def test_quiet_by_group_shares_and_agreement():
    index = pd.Index(list("abcdef"), name="customer_id")
    quiet = pd.Series([True, True, False, False, True, False], index=index)
    groups = pd.Series(["x", "x", "y", "y", "z", "z"], index=index)
    table = clv.quiet_by_group(
        quiet, {"good": [0.9, 0.8, 0.1, 0.2, 0.6, 0.4], "bad": [0.1, 0.2, 0.9, 0.8, 0.5, 0.5]}, groups
    )
    assert table["went_quiet"].to_dict() == {"x": 1.0, "y": 0.0, "z": 0.5}
    assert table.attrs["rank_agreement"]["good"] == pytest.approx(1.0)
    assert table.attrs["rank_agreement"]["bad"] == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="shares no customer"):
        clv.quiet_by_group(quiet, {"good": np.zeros(6)}, groups.set_axis(list("uvwxyz")))
