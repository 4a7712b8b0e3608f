import numpy as np
import pytest

from shopai_lab import experiments as ex


def test_obrien_fleming_bounds_match_published_values():
    # Lan-DeMets O'Brien-Fleming spending, 5 equally spaced looks, two-sided 0.05 (gsDesign / rpact tables)
    bounds = ex.group_sequential_bounds([1, 2, 3, 4, 5])
    np.testing.assert_allclose(bounds["critical_z"], [4.877, 3.357, 2.680, 2.290, 2.031], atol=0.001)
    assert bounds["alpha_spent"].iloc[-1] == pytest.approx(0.05)


def test_pocock_bounds_and_single_look():
    pocock = ex.group_sequential_bounds([1, 2, 3, 4, 5], spending="pocock")
    np.testing.assert_allclose(pocock["critical_z"], [2.438, 2.427, 2.410, 2.397, 2.386], atol=0.002)
    assert ex.group_sequential_bounds([3.0])["critical_z"].iloc[0] == pytest.approx(1.95996, abs=1e-4)


def test_bounds_give_the_planned_error_rate_by_simulation():
    rng = np.random.default_rng(10)
    t = np.array([0.25, 0.5, 0.75, 1.0])
    crit = ex.group_sequential_bounds(t)["critical_z"].to_numpy()
    increments = rng.normal(size=(200_000, 4)) * np.sqrt(np.diff(np.r_[0, t]))
    z = np.cumsum(increments, axis=1) / np.sqrt(t)
    rate = (np.abs(z) >= crit).any(axis=1).mean()
    assert rate == pytest.approx(0.05, abs=4 * np.sqrt(0.05 * 0.95 / 200_000))


def test_msprt_and_confidence_sequence_agree_and_hold_uniformly():
    V, tau = np.array([4.0, 1.0, 0.25]), 1.0
    half = ex.mixture_halfwidth(V, tau, 0.05)
    assert ex.msprt_statistic(half, V, tau) == pytest.approx(np.full(3, 20.0))
    # time-uniform coverage of i.i.d. normal streams: P(ever excluding the truth) <= alpha
    rng = np.random.default_rng(11)
    n = np.arange(1, 501)
    means = np.cumsum(rng.normal(size=(4000, 500)), axis=1) / n
    ever = (np.abs(means) > ex.mixture_halfwidth(1 / n, 0.2, 0.05)).any(axis=1).mean()
    assert ever <= 0.05
    assert ex.always_valid_pvalues(means[:5], 1 / n, 0.2).shape == (5, 500)


def test_peeking_simulation_on_real_weeks(population):
    T = ex.random_assignments(len(population.customers), 400, random_state=12)
    crit = ex.group_sequential_bounds(np.arange(1, population.n_weeks + 1))["critical_z"]
    res = ex.simulate_peeking(
        population.weekly_converted.astype(float), T, metric="conversion", critical_z=crit, progress=False
    )
    table = ex.summarize_peeking(res)
    assert table.loc["weekly peeking", "rejection_rate"] > 2 * table.loc["fixed horizon (one look)", "rejection_rate"]
    assert table.loc["group-sequential", "rejection_rate"] <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / 400)
    assert (res["peeking_stop"] <= population.n_weeks).all()
