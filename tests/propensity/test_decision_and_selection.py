"""The incentive decision (incremental profit) against hand-computed cases, and model choice on training folds only."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from shopai_lab import propensity
from shopai_lab.data import load_online_shoppers
from shopai_lab.stats import Interval

Y = np.array([1, 0, 1, 0])
P = np.array([0.9, 0.6, 0.4, 0.1])


def test_incremental_profit_by_hand():
    # relative uplift 0.5: lifts min(0.5 p, 1 - p) = 0.1, 0.3, 0.2, 0.05; value 20, cost 2
    np.testing.assert_allclose(propensity.incentive_uplift_of(P, 0.5), [0.1, 0.3, 0.2, 0.05])
    np.testing.assert_allclose(propensity.incremental_profit(P, 2.0, 20.0, 0.5), [0.0, 4.0, 2.0, -1.0], atol=1e-12)
    # absolute uplift 0.2: min(0.2, 1 - p) = 0.1, 0.2, 0.2, 0.2
    np.testing.assert_allclose(
        propensity.incremental_profit(P, 2.0, 20.0, 0.2, "absolute"), [0.0, 2.0, 2.0, 2.0], atol=1e-12
    )


def test_uplift_profit_curve_by_hand():
    curve = propensity.uplift_profit_curve(Y, P, 2.0, 20.0, 0.5, thresholds=[0.0, 0.5, 0.95])
    assert curve["sessions"].tolist() == [4, 2, 0]
    assert curve["bought_anyway"].tolist() == [2, 1, 0]
    # realised: 20 * 0.5 * bought - 2 per targeted session = 8, -2, 8, -2
    assert curve["realised"].tolist() == [12.0, 6.0, 0.0]
    assert curve["expected"].tolist() == pytest.approx([5.0, 4.0, 0.0])
    # the old, non-incremental curve credits the whole value of every targeted buyer
    naive = propensity.profit_curve(Y, P, 2.0, 20.0, thresholds=[0.0])
    assert naive["realised"].iloc[0] == 40 - 8


def test_break_even_rule_and_the_cap():
    assert propensity.break_even_probability(2.0, 20.0, 0.2) == pytest.approx(0.5)
    # the relative lift peaks at u / (1 + u) (p = 1 / (1 + u)): value 20 x 0.1/1.1 < cost 2 -> nobody
    assert propensity.break_even_probability(2.0, 20.0, 0.1) == float("inf")
    assert propensity.break_even_probability(0.0, 20.0, 0.1) == 0.0
    assert propensity.break_even_probability(2.0, 20.0, 0.2, "absolute") == 0.0
    assert propensity.break_even_probability(5.0, 20.0, 0.2, "absolute") == float("inf")


def test_realised_profit_is_unbiased_for_the_expected_profit_when_calibrated():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.6, 200_000)
    y = (rng.random(p.size) < p).astype(int)
    curve = propensity.uplift_profit_curve(y, p, 1.0, 20.0, 0.2, thresholds=[0.25])
    assert curve["realised"].iloc[0] == pytest.approx(curve["expected"].iloc[0], rel=0.02)
    # the best threshold on a calibrated sample sits at the break-even p = 1 / (20 x 0.2)
    best = propensity.best_threshold(propensity.uplift_profit_curve(y, p, 1.0, 20.0, 0.2, thresholds=None), "expected")
    assert best == pytest.approx(0.25, abs=0.011)


def test_policy_profit_and_sensitivity_by_hand():
    per_session = propensity.policy_profit(Y, P, 0.5, 2.0, 20.0, 0.5)
    assert per_session.tolist() == [8.0, -2.0, 0.0, 0.0]
    table = propensity.incentive_sensitivity(Y, P, [2.0, 20.0], 20.0, [0.5], n_boot=50)
    first, second = table.iloc[0], table.iloc[1]
    assert first["threshold"] == pytest.approx(0.2) and first["targeted"] == 0.75
    assert first["profit_per_1000"] == pytest.approx((8 - 2 + 8) / 4 * 1000)
    assert first["bought_anyway"] == pytest.approx(2 / 3)
    assert second["threshold"] == float("inf") and second["targeted"] == 0 and second["profit_per_1000"] == 0


def test_best_threshold_prefers_fewer_sessions_on_ties():
    curve = pd.DataFrame({"threshold": [0.2, 0.0, 0.4], "realised": [5.0, 1.0, 5.0]})
    assert propensity.best_threshold(curve) == 0.4


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"incentive_uplift": -0.1}, ValueError, "incentive_uplift"),
        ({"uplift_kind": "multiplicative"}, ValueError, "uplift_kind"),
        ({"conversion_value": 0.0}, ValueError, "conversion_value"),
        ({"incentive_cost": "2"}, TypeError, "incentive_cost"),
    ],
)
def test_decision_bad_input_names_the_parameter(kwargs, error, pattern):
    args = {"incentive_cost": 2.0, "conversion_value": 20.0, "incentive_uplift": 0.2, **kwargs}
    with pytest.raises(error, match=pattern):
        propensity.uplift_profit_curve(Y, P, **args)


def test_early_session_features_leave_out_page_values():
    assert "PageValues" not in propensity.EARLY_SESSION_FEATURES
    assert set(propensity.EARLY_SESSION_FEATURES) | set(propensity.LATE_SESSION_FEATURES) == set(
        propensity.SESSION_FEATURES
    )
    with pytest.raises(ValueError, match="not session features"):
        propensity.session_models(features=["PageValues", "Nope"])
    with pytest.raises(TypeError, match="features"):
        propensity.preprocessor("PageValues")


@pytest.fixture(scope="module")
def small_sessions():
    X_train, X_test, y_train, y_test = propensity.split_sessions(load_online_shoppers().head(2000), random_state=0)
    return X_train, X_test, y_train, y_test


def test_out_of_fold_probabilities_are_cross_val_predict_and_the_map_is_isotonic(small_sessions):
    X_train, X_test, y_train, _ = small_sessions
    model = propensity.session_models(features=propensity.EARLY_SESSION_FEATURES)["logistic"]
    before = X_train.copy()
    cv = propensity.cross_validate_models({"logistic": model}, X_train, y_train, n_folds=3, random_state=4)
    pd.testing.assert_frame_equal(X_train, before)  # inputs are not modified
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=4)
    expected = cross_val_predict(model, X_train, y_train, cv=folds, method="predict_proba")[:, 1]
    np.testing.assert_allclose(cv.oof["logistic"], expected)
    assert cv.table.loc["logistic", "auc"] == pytest.approx(propensity.classification_metrics(y_train, expected)["auc"])
    # calibrated = isotonic(out-of-fold) applied to the model refitted on all training sessions
    refit = model.fit(X_train, y_train).predict_proba(X_test)[:, 1]
    np.testing.assert_allclose(cv.predict("logistic", X_test, calibrated=False), refit)
    calibrated = cv.predict("logistic", X_test)
    order = np.argsort(refit)
    assert (np.diff(calibrated[order]) >= -1e-12).all()  # monotone in the score: ranking kept up to ties
    with pytest.raises(ValueError, match="name"):
        cv.predict("mlp", X_test)


def test_the_best_model_is_chosen_on_training_folds(small_sessions):
    X_train, X_test, y_train, y_test = small_sessions
    models = propensity.session_models()
    weak = propensity.session_models(features=["Weekend"])["logistic"]
    cv = propensity.cross_validate_models({"weak": weak, "logistic": models["logistic"]}, X_train, y_train, n_folds=3)
    assert cv.best == "logistic" and cv.table.index.tolist() == ["logistic", "weak"]
    report, probabilities = propensity.evaluate_on_test({"all": cv}, X_test, y_test)
    assert set(report.index.get_level_values("variant")) == {"raw", "calibrated"}
    assert probabilities["all", "weak", "raw"].shape == (len(X_test),)
    with pytest.raises(ValueError, match="n_folds"):
        propensity.cross_validate_models({"w": weak}, X_train, y_train, n_folds=1)
    with pytest.raises(ValueError, match="rows"):
        propensity.cross_validate_models({"w": weak}, X_train, y_train[:-1])


def test_compare_calibration_finds_a_shifted_model_worse():
    rng = np.random.default_rng(1)
    p = rng.random(3000)
    y = (rng.random(3000) < p).astype(int)
    table = propensity.compare_calibration(y, {"m": p}, {"m": np.clip(p + 0.2, 0, 1)}, n_boot=200)
    row = table.loc["m"]
    assert row["interval"].low > 0 and row["ece_calibrated"] > row["ece_raw"]
    assert row["interval"].estimate == pytest.approx(row["ece_calibrated"] - row["ece_raw"])
    assert row["interval"].n == 3000 and not row["interval"].relative
    with pytest.raises(ValueError, match="calibrated has no probabilities"):
        propensity.compare_calibration(y, {"m": p}, {"x": p})


def test_calibration_plot_pairs_each_reliability_curve_with_a_histogram():
    import matplotlib.pyplot as plt

    y = np.array([0, 1, 1, 0, 1, 0])
    p = np.array([0.1, 0.9, 0.6, 0.4, 0.7, 0.2])
    axes = propensity.plot_calibration(y, {"a": {"raw": p}, "b": {"raw": p, "calibrated": p**2}}, n_bins=2)
    assert axes.shape == (2, 2)
    assert [ax.get_title() for ax in axes[0]] == ["a", "b"]
    assert len(axes[1, 1].patches) == 2  # one step histogram per variant
    gains = {"x": Interval(0.1, 0.0, 0.2, level=0.95, n=10, se=0.05)}
    ax = propensity.plot_differences(gains, "T", "Difference (units)")
    assert ax.get_xlabel() == "Difference (units)" and ax.get_title() == "T"
    plt.close("all")


def test_logistic_regression_is_a_valid_model_too(small_sessions):
    X_train, _, y_train, _ = small_sessions
    numeric = X_train.select_dtypes("number").drop(columns=["Weekend"], errors="ignore")
    model = make_pipeline(StandardScaler(), LogisticRegression())
    cv = propensity.cross_validate_models({"lr": model}, numeric, y_train, n_folds=2)
    assert cv.oof.shape == (len(numeric), 1)
