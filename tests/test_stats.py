"""Shared statistics: the one Interval result, the paired bootstraps that make it, and calibration."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import roc_auc_score

from shopai_lab import report
from shopai_lab.stats import (
    Interval,
    bootstrap_mean,
    expected_calibration_error,
    group_bootstrap,
    paired_bootstrap,
    paired_metric_bootstrap,
    reliability_table,
)

A = np.array([0.1, 0.4, 0.35, 0.8, 0.5, 0.2, 0.65, 0.3])
B = np.array([0.2, 0.45, 0.3, 0.9, 0.7, 0.25, 0.6, 0.5])
_RNG = np.random.default_rng(5)
Y = _RNG.random(60) < 0.3
SCORE_A = _RNG.random(60)
SCORE_B = Y * 0.5 + _RNG.random(60)


def _triple(result):
    return result.estimate, result.low, result.high


# --- the Interval -----------------------------------------------------------------------------------------------
def test_interval_prints_reads_and_is_frozen():
    result = Interval(estimate=0.0081, low=0.0032, high=0.0131, level=0.95, n=1683, se=0.0025)
    assert str(result) == "+0.008 (95% CI +0.003 to +0.013)"
    assert repr(result) == "Interval(+0.008 (95% CI +0.003 to +0.013), n=1,683, se=0.0025)"
    assert result.excludes_zero and not result.relative
    relative = Interval(-0.018, -0.036, 0.003, level=0.9, n=1473, se=0.01, relative=True)
    assert str(relative) == "-1.8% (90% CI -3.6% to +0.3%)" and not relative.excludes_zero
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.low = 0.0
    assert isinstance(Interval(np.float64(1.0), 0, 2, level=0.95, n=np.int64(5), se=0).estimate, float)


@pytest.mark.parametrize(
    "fields, error, message",
    [
        ({"low": 0.2, "high": 0.0}, ValueError, r"low \(0.2\) must not exceed high \(0.0\)"),
        ({"level": 1.0}, ValueError, "level"),
        ({"level": 95}, ValueError, "level"),
        ({"n": 1}, ValueError, "n must be >= 2"),
        ({"n": 2.5}, TypeError, "n must be an integer"),
        ({"se": -0.1}, ValueError, "se"),
        ({"estimate": float("nan")}, ValueError, "estimate must be a finite number"),
        ({"high": float("inf")}, ValueError, "high must be a finite number"),
        ({"low": "0"}, TypeError, "low must be a number"),
        ({"relative": 1}, TypeError, "relative"),
    ],
)
def test_interval_refuses_an_impossible_result(fields, error, message):
    valid = {"estimate": 0.1, "low": 0.0, "high": 0.2, "level": 0.95, "n": 10, "se": 0.05}
    with pytest.raises(error, match=message):
        Interval(**{**valid, **fields})


# --- the paired bootstrap ------------------------------------------------------------------------------------------
def test_the_draws_are_those_of_the_previous_implementation():
    # Computed with the dict-returning functions this module had before the Interval (same rng calls, same order):
    # stored notebook numbers that come from these functions do not move.
    assert _triple(paired_bootstrap(A, B, n_boot=200, random_state=0)) == pytest.approx(
        (0.07499999999999998, 0.01874999999999999, 0.15624999999999997), abs=1e-15
    )
    assert _triple(bootstrap_mean(A, n_boot=200, random_state=0)) == pytest.approx(
        (0.4125, 0.28125, 0.57515625), abs=1e-15
    )
    stratified = paired_metric_bootstrap(roc_auc_score, Y, SCORE_A, SCORE_B, n_boot=200, stratify=True)
    assert _triple(stratified) == pytest.approx((0.47089947089947093, 0.29828042328042337, 0.6416005291005291))
    plain = paired_metric_bootstrap(roc_auc_score, Y, SCORE_A, SCORE_B, n_boot=200)
    assert _triple(plain) == pytest.approx((0.47089947089947093, 0.2857745044553556, 0.6340077605321507))


def test_a_difference_is_b_minus_a_with_its_level_units_and_standard_error():
    result = paired_bootstrap(A, B, n_boot=300, level=0.9, random_state=4)
    assert result.estimate == pytest.approx(np.mean(B - A)) and result.estimate > 0
    assert (result.level, result.n, result.relative) == (0.9, 8, False)
    swapped = paired_bootstrap(B, A, n_boot=300, level=0.9, random_state=4)
    assert _triple(swapped) == pytest.approx((-result.estimate, -result.high, -result.low))
    rows = np.random.default_rng(4).integers(0, 8, size=(300, 8))
    draws = (B - A)[rows].mean(axis=1)
    assert result.se == pytest.approx(draws.std(ddof=1))
    assert (result.low, result.high) == pytest.approx(tuple(np.quantile(draws, [0.05, 0.95])))
    metric = paired_metric_bootstrap(roc_auc_score, Y, SCORE_A, SCORE_B, n_boot=100)
    assert metric.estimate == pytest.approx(roc_auc_score(Y, SCORE_B) - roc_auc_score(Y, SCORE_A))
    assert metric.estimate > 0


def test_paired_bootstrap_matches_the_normal_interval_of_a_mean_difference():
    rng = np.random.default_rng(3)
    a = rng.normal(size=2_000)
    b = a + 0.1 + rng.normal(scale=0.5, size=2_000)
    result = paired_bootstrap(a, b, n_boot=4_000, random_state=1)
    gain = b - a
    se = gain.std(ddof=1) / np.sqrt(len(gain))
    assert result.estimate == pytest.approx(gain.mean(), abs=1e-12)
    assert result.low == pytest.approx(gain.mean() - 1.959964 * se, abs=0.15 * 1.96 * se)
    assert result.high == pytest.approx(gain.mean() + 1.959964 * se, abs=0.15 * 1.96 * se)
    assert result.se == pytest.approx(se, rel=0.05)


def test_group_bootstrap_matches_the_normal_interval_of_a_difference_of_two_means():
    rng = np.random.default_rng(5)
    old, new = rng.normal(0.2, 0.3, size=3_000), rng.normal(0.15, 0.2, size=1_000)
    result = group_bootstrap(np.r_[old, new], ["old"] * 3_000 + ["new"] * 1_000, n_boot=4_000, random_state=2)
    gap = result["new - old"]
    se = np.sqrt(old.var(ddof=1) / old.size + new.var(ddof=1) / new.size)
    assert gap.estimate == pytest.approx(new.mean() - old.mean(), abs=1e-12)
    assert gap.se == pytest.approx(se, rel=0.05)
    assert gap.low == pytest.approx(gap.estimate - 1.959964 * se, abs=0.15 * 1.96 * se)
    assert result["new"].n == 1_000 and result["old"].estimate == pytest.approx(old.mean())
    assert list(group_bootstrap(np.r_[old, new], ["old"] * 3_000 + ["new"] * 1_000, reference="new", n_boot=10)) == [
        "new",
        "old",
        "old - new",
    ]


def test_paired_bootstrap_is_paired_not_two_sample():
    rng = np.random.default_rng(0)
    base = rng.normal(scale=10, size=500)  # large between-unit spread, cancelled by pairing
    result = paired_bootstrap(base, base + 0.05 + rng.normal(scale=0.01, size=500), random_state=0)
    assert result.low > 0.04 and result.high < 0.06


def test_relative_is_a_ratio_of_means_on_every_draw():
    exact = paired_bootstrap([1.0, 2.0, 3.0, 4.0], [1.1, 2.2, 3.3, 4.4], n_boot=50, relative=True)
    assert _triple(exact) == pytest.approx((0.1, 0.1, 0.1)) and exact.relative
    result = paired_bootstrap(A, B, n_boot=300, random_state=2, relative=True)
    assert result.estimate == pytest.approx(B.mean() / A.mean() - 1)
    assert result.estimate == pytest.approx(np.mean(B - A) / np.mean(A))
    rows = np.random.default_rng(2).integers(0, 8, size=(300, 8))
    draws = B[rows].mean(axis=1) / A[rows].mean(axis=1) - 1
    assert (result.low, result.high) == pytest.approx(tuple(np.quantile(draws, [0.025, 0.975])))
    assert str(result) == "+18.2% (95% CI +3.7% to +41.1%)"
    metric = paired_metric_bootstrap(roc_auc_score, Y, SCORE_A, SCORE_B, n_boot=100, relative=True)
    assert metric.estimate == pytest.approx(roc_auc_score(Y, SCORE_B) / roc_auc_score(Y, SCORE_A) - 1)
    with pytest.raises(ValueError, match="relative difference is undefined"):
        paired_bootstrap([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], relative=True)  # some resamples have mean(a) = 0


def test_bootstrap_mean_brackets_the_mean():
    values = np.r_[np.zeros(300), np.ones(100)]
    result = bootstrap_mean(values, random_state=2)
    assert result.estimate == 0.25 and result.n == 400 and not result.relative
    half = 1.96 * np.sqrt(0.25 * 0.75 / 400)
    assert result.low == pytest.approx(0.25 - half, abs=0.01)
    assert result.high == pytest.approx(0.25 + half, abs=0.01)


def test_stratified_resamples_keep_the_positives_fixed():
    counts = {True: [], False: []}

    def positives(stratify):
        def metric(y, prediction):
            counts[stratify].append(int(y.sum()))
            return float(np.mean(prediction))

        return metric

    for stratify in (True, False):
        paired_metric_bootstrap(positives(stratify), Y, SCORE_A, SCORE_B, n_boot=50, stratify=stratify)
    assert set(counts[True]) == {int(Y.sum())}
    assert len(set(counts[False])) > 5
    same = paired_metric_bootstrap(roc_auc_score, Y, SCORE_A, SCORE_A, n_boot=100, stratify=True)
    assert _triple(same) == (0.0, 0.0, 0.0)


# --- calibration ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n_bins", [2, 5, 10, 15])
def test_ece_and_reliability_table_use_scikit_learns_uniform_bins(n_bins):
    rng = np.random.default_rng(n_bins)
    p = np.r_[rng.random(2_000), np.arange(11) / 10, [0.0, 1.0, 0.5]]  # values on the bin edges too
    y = rng.random(len(p)) < p**1.5
    observed, predicted = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    table = reliability_table(y, p, n_bins=n_bins)
    np.testing.assert_allclose(table["observed"], observed, rtol=1e-12)
    np.testing.assert_allclose(table["predicted"], predicted, rtol=1e-12)
    assert table["count"].sum() == len(p)
    assert (table["bin_low"] < table["predicted"] + 1e-12).all() and (table["predicted"] <= table["bin_high"]).all()
    expected = np.sum(table["count"] / len(p) * np.abs(observed - predicted))
    assert expected_calibration_error(y, p, n_bins) == pytest.approx(expected, rel=1e-12)


def test_ece_by_hand_on_six_points_with_a_probability_on_the_edge():
    y, p = [0, 1, 1, 0, 1, 0], [0.1, 0.9, 0.6, 0.4, 0.5, 0.5]
    # bins (0, 0.5] and (0.5, 1]: the two 0.5s go in the first, as in calibration_curve
    # first: 4 sessions, mean p 0.375, observed 0.25; second: 2 sessions, mean p 0.75, observed 1
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx((4 * 0.125 + 2 * 0.25) / 6)
    table = reliability_table(y, p, n_bins=2)
    assert table.to_dict("list") == {
        "bin_low": [0.0, 0.5],
        "bin_high": [0.5, 1.0],
        "count": [4, 2],
        "predicted": [0.375, 0.75],
        "observed": [0.25, 1.0],
    }
    assert expected_calibration_error([1, 1, 1, 0], [0.75] * 4) == 0.0
    assert expected_calibration_error([0, 0], [1.0, 1.0]) == 1.0


# --- bad input to the functions of this module and of report ------------------------------------------------------
RESULT = Interval(0.01, 0.002, 0.02, level=0.95, n=100, se=0.005)
AS_DICT = {"difference": 0.01, "low": 0.002, "high": 0.02}


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: paired_bootstrap([1.0], [2.0]), ValueError, "a bootstrap of one value has no interval"),
        (lambda: bootstrap_mean([3.0]), ValueError, "a bootstrap of one value has no interval"),
        (lambda: bootstrap_mean([]), ValueError, "at least 2"),
        (lambda: paired_metric_bootstrap(roc_auc_score, [1], [0.5], [0.6]), ValueError, "at least 2"),
        (lambda: paired_bootstrap([1.0, np.nan], [1.0, 2.0]), ValueError, "a has 1 missing"),
        (lambda: paired_bootstrap([1.0, 2.0], [1.0, np.inf]), ValueError, "b"),
        (lambda: bootstrap_mean([1.0, np.nan]), ValueError, "values"),
        (lambda: paired_metric_bootstrap(roc_auc_score, Y, np.r_[np.nan, SCORE_A[1:]], SCORE_B), ValueError, "pred_a"),
        (lambda: paired_bootstrap([1.0, 2.0], [1.0]), ValueError, "paired"),
        (lambda: paired_bootstrap(["a", "b"], [1.0, 2.0]), TypeError, "a must hold numbers"),
        (lambda: paired_metric_bootstrap(roc_auc_score, [1, 0], [1], [1, 0]), ValueError, "pred_a"),
        (lambda: paired_bootstrap(A, B, level=1.5), ValueError, "level"),
        (lambda: paired_bootstrap(A, B, level=0.0), ValueError, "level"),
        (lambda: bootstrap_mean(A, level=95), ValueError, "level"),
        (lambda: paired_bootstrap(A, B, n_boot=0), ValueError, "n_boot"),
        (lambda: paired_bootstrap(A, B, n_boot=1), ValueError, "n_boot"),
        (lambda: paired_bootstrap(A, B, n_boot=100.0), TypeError, "n_boot"),
        (lambda: paired_bootstrap(A, B, random_state=-1), ValueError, "random_state"),
        (lambda: paired_bootstrap(A, B, relative="yes"), TypeError, "relative"),
        (lambda: paired_metric_bootstrap("auc", Y, SCORE_A, SCORE_B), TypeError, "metric"),
        (
            lambda: paired_metric_bootstrap(roc_auc_score, Y * 2.0, SCORE_A, SCORE_B, stratify=True),
            ValueError,
            "binary",
        ),
        (lambda: paired_metric_bootstrap(lambda y, p: np.nan, Y, SCORE_A, SCORE_B), ValueError, "stratify=True"),
        (lambda: expected_calibration_error([0, 1], [0.2, 1.2]), ValueError, "probability must be probabilities"),
        (lambda: expected_calibration_error([0, 2], [0.2, 0.5]), ValueError, "y_true must be binary"),
        (lambda: expected_calibration_error([0, 1], [0.2, np.nan]), ValueError, "probability has 1 missing"),
        (lambda: expected_calibration_error([0, 1], [0.2]), ValueError, "lengths differ"),
        (lambda: expected_calibration_error([], []), ValueError, "empty"),
        (lambda: reliability_table([0, 1], [0.2, 0.5], n_bins=0), ValueError, "n_bins"),
        (lambda: reliability_table([0, 1], [0.2, 0.5], n_bins=2.5), TypeError, "n_bins"),
        (lambda: report.verdict(AS_DICT), TypeError, "result must be a shopai_lab.stats.Interval"),
        (lambda: report.verdict(pd.Series(AS_DICT)), TypeError, "got Series"),
        (lambda: report.interval(AS_DICT), TypeError, "result must be a shopai_lab.stats.Interval"),
        (lambda: report.compare(AS_DICT, "B", "A", "AUC"), TypeError, "result must be a shopai_lab.stats.Interval"),
        (lambda: report.compare(RESULT, None, "A", "AUC"), TypeError, "model must be a string"),
        (lambda: report.compare(RESULT, "B", "", "AUC"), ValueError, "baseline must be a non-empty string"),
        (lambda: report.compare(RESULT, "B", "A", 3), TypeError, "metric must be a string"),
        (lambda: report.verdict(RESULT, higher_is_better="no"), TypeError, "higher_is_better"),
        (lambda: report.interval(RESULT, digits=-1), ValueError, "digits"),
        (lambda: report.interval(RESULT, as_percent=1), TypeError, "as_percent"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_report_reads_the_interval_it_is_given():
    assert report.verdict(RESULT) == "better" and report.verdict(RESULT, higher_is_better=False) == "worse"
    zero_width = paired_bootstrap(A, A + 0.05, n_boot=50)  # a constant shift: every draw is the same
    assert (zero_width.low, zero_width.high) == pytest.approx((0.05, 0.05)) and report.verdict(zero_width) == "better"
    assert report.interval(RESULT, digits=2, as_percent=True) == "+1.00% (95% CI +0.20% to +2.00%)"
    at_90 = dataclasses.replace(RESULT, level=0.9)
    assert report.compare(at_90, "B", "A", "AUC") == "B is better than A on AUC: +0.010 (90% CI +0.002 to +0.020)."
