import numpy as np
import pandas as pd
import pytest
from scipy import stats

from shopai_lab import experiments as ex

IDS = [f"c{i}" for i in range(20_000)]


def test_hash_assignment_is_deterministic_balanced_and_salt_specific():
    first = ex.assign(IDS, "exp-a")
    assert first.equals(ex.assign(list(reversed(IDS)), "exp-a").reindex(first.index))
    assert not ex.balance_check(first).mismatch
    second = ex.assign(IDS, "exp-b")
    assert (first != second).mean() == pytest.approx(0.5, abs=0.02)
    _, p = ex.independence_check(first, second)
    assert p > 0.001
    _, p_same = ex.independence_check(first, ex.assign(IDS, "exp-a"))
    assert p_same < 1e-100  # a reused salt puts the same customers in treatment twice


def test_weights_and_buckets():
    arms = ex.assign(IDS, "w", arms=("a", "b", "c"), weights=(0.2, 0.3, 0.5))
    assert arms.value_counts(normalize=True).sort_index().to_numpy() == pytest.approx([0.2, 0.3, 0.5], abs=0.015)
    assert not ex.balance_check(arms, (0.2, 0.3, 0.5), ["a", "b", "c"]).mismatch
    buckets = ex.hash_buckets(IDS, "w")
    assert stats.chisquare(np.bincount(buckets % 10, minlength=10)).pvalue > 0.001


def test_srm_matches_scipy_and_its_threshold():
    res = ex.srm_test([5_000, 5_400])
    ref = stats.chisquare([5_000, 5_400])
    assert res.p_value == pytest.approx(ref.pvalue) and res.statistic == pytest.approx(ref.statistic)
    assert res.mismatch and res.threshold == 0.001
    assert not ex.srm_test([5_000, 5_300]).mismatch  # p ~ 0.003: not an alarm at 0.001
    assert ex.srm_test(np.r_[np.ones(60, bool), np.zeros(40, bool)]).counts == (40, 60)
    assert ex.srm_test([300, 100], [3, 1]).p_value == pytest.approx(1.0)


def test_srm_power_by_simulation():
    rng = np.random.default_rng(16)
    counts = rng.binomial(40_000, 0.51, 4000)
    flagged = np.mean([ex.srm_test([c, 40_000 - c]).mismatch for c in counts[:1000]])
    assert flagged == pytest.approx(ex.srm_power(40_000, 0.51), abs=0.05)


def test_losing_top_treated_customers_passes_srm_and_breaks_the_test(population):
    T = ex.random_assignments(len(population.customers), 200, random_state=17)
    res = ex.drop_top_treated(population.customers, T, len(population.customers) // 100)
    assert res["srm_p_value"].median() > 0.1
    assert res["reject"].mean() > 0.5


def test_assignment_index_and_missing_ids():
    with pytest.raises(ValueError, match="missing"):
        ex.assign(pd.Series(["a", None]), "s")
    with pytest.raises(ValueError, match="not in the second"):
        ex.independence_check(ex.assign(IDS[:10], "a"), ex.assign(IDS[5:20], "b"))
