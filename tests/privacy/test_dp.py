import numpy as np
import pandas as pd
import pytest

from shopai_lab.behavior import cohort_retention
from shopai_lab.privacy import (
    dp_cohort_retention,
    laplace_mechanism,
    laplace_scale,
    privacy_utility_curve,
    retention_sensitivity,
)


def test_laplace_noise_has_the_published_scale_and_variance():
    # Laplace(0, b): mean 0, E|X| = b, variance 2 b^2. With n = 400,000 draws the sample variance has a
    # relative standard error of sqrt((kurtosis - 1) / n) = sqrt(5 / n) ~ 0.35%; 2% is ~6 standard errors.
    b = laplace_scale(13, 0.5)
    assert b == 26.0
    noise = laplace_mechanism(np.zeros(400_000), 13, 0.5, random_state=0)
    assert noise.var() == pytest.approx(2 * b**2, rel=0.02)
    assert np.abs(noise).mean() == pytest.approx(b, rel=0.01)
    assert abs(noise.mean()) < 5 * np.sqrt(2) * b / np.sqrt(400_000)


@pytest.fixture(scope="module")
def small_purchases():
    rng = np.random.default_rng(3)
    rows = []
    for c in range(300):
        first = int(rng.integers(0, 6))
        for month in range(first, 8):
            if month == first or rng.random() < 0.3:
                rows.append((f"c{c}", pd.Timestamp(2024, month + 1, 10)))
    return pd.DataFrame(rows, columns=["customer_id", "timestamp"])


def test_sensitivity_bounds_every_customers_contribution(small_purchases):
    counts = cohort_retention(small_purchases, complete_months_only=False, as_counts=True)
    bound = retention_sensitivity(counts)
    assert bound == counts.shape[1] == 8
    changes = []
    for customer in small_purchases["customer_id"].unique()[:60]:
        without = small_purchases[small_purchases["customer_id"] != customer]
        other = cohort_retention(without, complete_months_only=False, as_counts=True).reindex_like(counts)
        changes.append(np.nansum(np.abs(counts.to_numpy() - other.fillna(0).to_numpy())))
    assert max(changes) <= bound
    assert retention_sensitivity(pd.DataFrame([[5.0, 2.0, 1.0], [4.0, 1.0, np.nan]])) == 3


@pytest.fixture(scope="module")
def counts(small_purchases):
    return cohort_retention(small_purchases, as_counts=True)


def test_dp_retention_scale_and_shape(small_purchases, counts):
    truth = cohort_retention(small_purchases)
    before = counts.copy()
    noisy = dp_cohort_retention(counts, epsilon=0.5, random_state=0)
    pd.testing.assert_frame_equal(counts, before)  # the caller's counts are not modified
    assert noisy.shape == truth.shape and noisy.isna().equals(truth.isna())
    assert noisy.attrs["noise_scale"] == truth.shape[1] / 0.5
    assert dp_cohort_retention(counts, 0.5, naive=True).attrs["noise_scale"] == 2.0
    assert (noisy[0] == 1.0).all() and ((noisy.fillna(0) >= 0) & (noisy.fillna(0) <= 1)).all().all()
    close = dp_cohort_retention(counts, epsilon=1e6, random_state=0)
    np.testing.assert_allclose(close.fillna(-1), truth.fillna(-1), atol=1e-3)


def test_privacy_utility_curve_falls_with_epsilon(counts):
    curve = privacy_utility_curve(counts, [0.5, 2.0, 8.0], n_draws=5, random_state=0, progress=False)
    assert curve["mae"].is_monotonic_decreasing
    assert (curve["mae_naive"] < curve["mae"]).all()
    assert curve["noise_scale"].tolist() == [curve["sensitivity"].iloc[0] / e for e in (0.5, 2.0, 8.0)]
    # the curve's draws are those of dp_cohort_retention with the same generator, in order
    rng = np.random.default_rng(1)
    first = [dp_cohort_retention(counts, 0.5, rng, naive=naive).to_numpy()[:, 1:] for naive in (False, True)]
    truth = (counts.div(counts[0], axis=0)).to_numpy()[:, 1:]
    seen = ~np.isnan(truth)
    one = privacy_utility_curve(counts, [0.5], n_draws=1, random_state=1, progress=False)
    assert one["mae"].iloc[0] == np.abs(first[0] - truth)[seen].mean()
    assert one["mae_naive"].iloc[0] == np.abs(first[1] - truth)[seen].mean()


@pytest.mark.parametrize(
    "epsilon, error", [(0, ValueError), (-1.0, ValueError), (float("inf"), ValueError), ("1", TypeError)]
)
def test_bad_epsilon(epsilon, error):
    with pytest.raises(error, match="epsilon"):
        laplace_scale(1, epsilon)


def test_bad_curve_input(counts):
    with pytest.raises(ValueError, match="epsilons"):
        privacy_utility_curve(counts, [], progress=False)
    with pytest.raises(ValueError, match="epsilons"):
        privacy_utility_curve(counts, [0.0], progress=False)


@pytest.mark.parametrize(
    "bad, error, match",
    [
        (np.ones((2, 2)), TypeError, "counts must be a pandas DataFrame"),
        (pd.DataFrame(), ValueError, "counts is empty"),
        (pd.DataFrame({0: ["5", "4"], 1: [1.0, 2.0]}), TypeError, r"counts\[0\] must be numeric"),
        (pd.DataFrame({0: [5.0, 4.0], 1: [1.0, -2.0]}), ValueError, "counts must be >= 0"),
        (pd.DataFrame({0: [5.0, 0.0], 1: [1.0, 0.0]}), ValueError, "cohort's size"),
        (pd.DataFrame({0: [5.0, np.nan], 1: [1.0, np.nan]}), ValueError, "cohort's size"),
        (pd.DataFrame({0: [5.0, 4.0], 1: [1.0, np.inf]}), ValueError, "infinite"),
    ],
)
def test_bad_counts_are_refused_by_name(bad, error, match):
    for call in (lambda: dp_cohort_retention(bad, 1.0), lambda: privacy_utility_curve(bad, [1.0], progress=False)):
        with pytest.raises(error, match=match):
            call()
