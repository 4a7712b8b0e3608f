import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import RobustScaler

from shopai_lab.anomaly import (
    ColumnRule,
    IsolationForestDetector,
    LOFDetector,
    PriceRatioRule,
    RankEnsemble,
    RobustZDetector,
    contamination_threshold,
    default_detectors,
    local_outlier_factors,
    percentiles,
    rank_combine,
)


def frame(n=400, seed=0, outliers=5):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        rng.normal(size=(n, 5)), columns=["a", "b", "max_price_ratio", "quantity_contrast", "repeat_basket"]
    )
    X.iloc[:outliers] += 8.0
    return X


def test_robust_z_hand_example():
    # median 3, MAD 1, scale 1.4826: z = (x - 3) / 1.4826
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 100.0]})
    detector = RobustZDetector().fit(X)
    assert detector.median_.tolist() == [3.0]
    assert detector.scale_.tolist() == [1.4826]
    assert detector.z_scores(X)["x"].tolist() == pytest.approx(
        [
            -2 / 1.4826,
            -1 / 1.4826,
            0.0,
            1 / 1.4826,
            97 / 1.4826,
        ]
    )
    assert RobustZDetector(two_sided=False).fit_score(X).tolist() == pytest.approx(
        [
            0,
            0,
            0,
            1 / 1.4826,
            97 / 1.4826,
        ]
    )


def test_robust_z_scale_when_mad_is_zero_and_floor():
    X = pd.DataFrame({"share": [0.0] * 8 + [0.5, 1.0], "const": [2.0] * 10})
    detector = RobustZDetector(scale_floor=0.01).fit(X)
    # MAD 0: 1.2533 x mean absolute deviation from the median = 1.2533 * 0.15; constant column: the floor
    assert detector.scale_.tolist() == pytest.approx([1.2533 * 0.15, 0.01])
    assert np.isfinite(detector.anomaly_score(X)).all()


def test_isolation_forest_matches_scikit_learn():
    X = frame()
    ours = IsolationForestDetector(n_estimators=50, random_state=3).fit(X)
    forest = IsolationForest(n_estimators=50, random_state=3, n_jobs=1).fit(X.to_numpy())
    # score_samples has scikit-learn's sign (higher = more normal); the anomaly score is its negative
    # (both quantised: equal up to the 2**-32 grid of shopai_lab.ranking.quantize)
    np.testing.assert_allclose(ours.score_samples(X), forest.score_samples(X.to_numpy()), rtol=1e-9)
    np.testing.assert_allclose(ours.fit_score(X), -forest.score_samples(X.to_numpy()), rtol=1e-9)
    assert set(np.argsort(-ours.anomaly_score(X))[:5]) == set(range(5))


def test_lof_in_sample_matches_scikit_learn_and_fast_path():
    X = frame()
    Z = RobustScaler().fit_transform(X.to_numpy())
    for k in (10, 35):
        theirs = -LocalOutlierFactor(n_neighbors=k).fit(Z).negative_outlier_factor_
        # scores are quantised to 2**-32 of the largest (shopai_lab.ranking): equal to 1e-9
        np.testing.assert_allclose(LOFDetector(n_neighbors=k).fit_score(X), theirs, rtol=1e-9)
    fast = local_outlier_factors(X, [10, 35])
    np.testing.assert_allclose(fast[35], -LocalOutlierFactor(n_neighbors=35).fit(Z).negative_outlier_factor_, rtol=1e-9)


def test_lof_new_rows_scored_against_training_rows():
    X = frame()
    detector = LOFDetector(n_neighbors=20).fit(X.iloc[5:])
    new = detector.anomaly_score(X.iloc[:10])
    assert (new[:5] > 2).all() and (new[5:] < 2).all()


def test_rules():
    X = frame()
    assert PriceRatioRule().fit_score(X).tolist() == X["max_price_ratio"].tolist()
    assert ColumnRule(column="b").fit_score(X).tolist() == X["b"].tolist()
    with pytest.raises(ValueError, match="'nope'"):
        ColumnRule(column="nope").fit(X)


def test_percentiles_and_rank_ensemble_agree():
    X = frame()
    members = [
        ("z", RobustZDetector()),
        ("iso", IsolationForestDetector(n_estimators=30, random_state=0)),
        ("lof", LOFDetector(n_neighbors=15)),
    ]
    for combine in ("mean", "max"):
        ensemble = RankEnsemble(detectors=members, combine=combine)
        scores = pd.DataFrame({name: clone(d).fit_score(X) for name, d in members})
        np.testing.assert_allclose(ensemble.fit_score(X), rank_combine(scores, combine))
    # percentiles: mid-rank, ties share the middle of their block
    assert percentiles(np.array([0.0, 0.0, 1.0, 2.0]), np.array([0.0, 2.0])).tolist() == [0.25, 0.875]
    # out-of-sample scoring maps each member onto its training percentiles
    new = RankEnsemble(detectors=members).fit(X).anomaly_score(X.iloc[:3])
    assert ((new > 0.9) & (new <= 1.0)).all()


def test_ensemble_weights_and_errors():
    X = frame()
    ens = RankEnsemble(detectors=[("a", ColumnRule(column="a")), ("b", ColumnRule(column="b"))], weights=[1, 0])
    np.testing.assert_allclose(ens.fit_score(X), percentiles(X["a"].to_numpy(), X["a"].to_numpy()))
    with pytest.raises(ValueError, match="combine"):
        RankEnsemble(detectors=[("a", ColumnRule(column="a"))], combine="median").fit(X)
    with pytest.raises(ValueError, match="unique"):
        RankEnsemble(detectors=[("a", ColumnRule(column="a"))] * 2).fit(X)
    with pytest.raises(ValueError, match="weights"):
        RankEnsemble(detectors=[("a", ColumnRule(column="a"))], weights=[-1]).fit(X)


@pytest.mark.parametrize("detector", list(default_detectors(n_neighbors=10).values()), ids=lambda d: type(d).__name__)
def test_input_untouched_columns_checked_and_sklearn_sign(detector):
    X = frame(100)
    before = X.copy()
    fitted = clone(detector).fit(X)
    pd.testing.assert_frame_equal(X, before)
    assert fitted.n_features_in_ == 5
    with pytest.raises(ValueError, match="missing column"):
        fitted.anomaly_score(X.drop(columns="a"))
    # scikit-learn's sign for score_samples (higher = more normal): exactly minus the anomaly score
    np.testing.assert_array_equal(fitted.score_samples(X), -fitted.anomaly_score(X))


@pytest.mark.parametrize(
    "X, error, match",
    [
        (pd.DataFrame({"a": []}, dtype=float), ValueError, "empty"),
        (pd.DataFrame({"a": [1.0, np.nan]}), ValueError, "'a'"),
        (pd.DataFrame({"a": ["x", "y"]}), TypeError, "numeric"),
        (np.zeros((3, 2)), TypeError, "DataFrame"),
    ],
)
def test_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        RobustZDetector().fit(X)


@pytest.mark.parametrize(
    "detector, match",
    [
        (LOFDetector(n_neighbors=0), "n_neighbors"),
        (LOFDetector(n_neighbors=500), "n_neighbors"),
        (RobustZDetector(scale_floor=0), "scale_floor"),
        (IsolationForestDetector(n_estimators=0), "n_estimators"),
    ],
)
def test_bad_hyper_parameters(detector, match):
    with pytest.raises(ValueError, match=match):
        detector.fit(frame(100))


@pytest.mark.parametrize("contamination", [0.0, 0.6, -0.1, float("nan")])
def test_contamination_outside_range(contamination):
    with pytest.raises(ValueError, match="contamination"):
        contamination_threshold(np.arange(10.0), contamination)
