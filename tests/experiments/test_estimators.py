import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from shopai_lab import experiments as ex


@pytest.fixture
def skewed():
    rng = np.random.default_rng(3)
    y = rng.lognormal(3.0, 1.5, 900) * (rng.random(900) < 0.6)
    t = rng.random(900) < 0.45
    return y, t


def test_welch_matches_scipy(skewed):
    y, t = skewed
    ours = ex.difference_in_means(y, t, alpha=0.1)
    ref = stats.ttest_ind(y[t], y[~t], equal_var=False)
    low, high = ref.confidence_interval(0.9)
    assert ours.estimate == pytest.approx(y[t].mean() - y[~t].mean(), rel=1e-12)
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert ours.extra["df"] == pytest.approx(ref.df, rel=1e-9)
    assert (ours.low, ours.high) == pytest.approx((low, high), rel=1e-9)
    assert ours.level == pytest.approx(0.9) and ours.alpha == 0.1  # the interval's level is 1 - alpha


def test_two_proportions_match_statsmodels():
    rng = np.random.default_rng(4)
    conv = (rng.random(3000) < 0.3).astype(int)
    t = rng.random(3000) < 0.5
    ours = ex.two_proportions(conv, t)
    counts, nobs = [conv[t].sum(), conv[~t].sum()], [t.sum(), (~t).sum()]
    _, p = proportions_ztest(counts, nobs)
    low, high = confint_proportions_2indep(counts[0], nobs[0], counts[1], nobs[1], method="wald")
    assert ours.p_value == pytest.approx(p, rel=1e-9)
    assert (ours.low, ours.high) == pytest.approx((low, high), rel=1e-9)


def test_vectorised_core_equals_single_analysis(skewed):
    y, t = skewed
    T = np.vstack([t, ~t, t])
    many = ex.welch_arrays(y, T)
    assert many["p_value"][0] == pytest.approx(ex.difference_in_means(y, t).p_value, rel=1e-12)
    assert many["estimate"][1] == pytest.approx(-many["estimate"][0], rel=1e-9)
    # an injected lift through treated_scale equals the explicit outcome matrix
    scaled = ex.welch_arrays(y, T, treated_scale=1.3)
    explicit = ex.welch_arrays(y[None, :] * np.where(T, 1.3, 1.0), T)
    for key in ("estimate", "se", "p_value", "df"):
        np.testing.assert_allclose(scaled[key], explicit[key], rtol=1e-9)


def test_relative_lift_fieller_inverts_welch(skewed):
    y, t = skewed
    fieller = ex.relative_lift(y, t)
    assert fieller.p_value == pytest.approx(ex.difference_in_means(y, t).p_value, rel=1e-12)
    assert fieller.estimate == pytest.approx(y[t].mean() / y[~t].mean() - 1)
    # the interval's ends are exactly where Welch's test of mean_t = (1 + r) mean_c has p = alpha
    for end in (fieller.low, fieller.high):
        m_t, m_c = y[t].mean(), (1 + end) * y[~t].mean()
        v = y[t].var(ddof=1) / t.sum() + (1 + end) ** 2 * y[~t].var(ddof=1) / (~t).sum()
        assert abs(m_t - m_c) / np.sqrt(v) == pytest.approx(
            stats.t.ppf(0.975, fieller.extra.get("df", ex.difference_in_means(y, t).extra["df"])), rel=1e-6
        )
    delta = ex.relative_lift(y, t, interval="delta")
    assert delta.se == pytest.approx(fieller.se) and delta.high - delta.estimate == pytest.approx(
        delta.estimate - delta.low
    )


def test_ratio_metric_delta_method_matches_monte_carlo():
    # the delta-method SE of revenue per order equals the spread of the ratio over repeated samples
    rng = np.random.default_rng(5)

    def sample(n=2000):
        orders = rng.poisson(1.5, n)
        revenue = rng.gamma(2.0 * orders, 20.0)  # a sum of k Gamma(2, 20) order values; 0 when k = 0
        return revenue, orders

    t = np.arange(2000) % 2 == 0
    diffs = []
    for _ in range(300):
        revenue, orders = sample()
        diffs.append(revenue[t].sum() / orders[t].sum() - revenue[~t].sum() / orders[~t].sum())
    revenue, orders = sample()
    res = ex.ratio_metric(revenue, orders, t)
    # 300 replicates estimate an SD within about 4% (1 / sqrt(2 * 300)); allow 3 of those
    assert res.se == pytest.approx(np.std(diffs, ddof=1), rel=0.12)


def test_winsorize_changes_the_estimand_and_not_the_input(skewed):
    y, t = skewed
    before = y.copy()
    cap = ex.capping_threshold(y, 0.95)
    capped = ex.difference_in_means(y, t, cap=cap)
    np.testing.assert_array_equal(y, before)
    assert "capped" in capped.estimand
    assert capped.estimate == pytest.approx(np.minimum(y, cap)[t].mean() - np.minimum(y, cap)[~t].mean())
    assert capped.se < ex.difference_in_means(y, t).se
