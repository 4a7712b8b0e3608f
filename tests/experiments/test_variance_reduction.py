import numpy as np
import pytest
import statsmodels.api as sm

from shopai_lab import experiments as ex


@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3"])
def test_vectorised_regression_matches_statsmodels(cov_type):
    rng = np.random.default_rng(6)
    n = 400
    X = np.column_stack([rng.lognormal(size=n), rng.normal(size=n), rng.poisson(3, n)])
    y = 2 * X[:, 0] + rng.standard_t(3, n) * (1 + X[:, 0])
    T = ex.random_assignments(n, 4, random_state=1)
    many = ex.regression_arrays(y, X, T, cov_type)
    for row, t in enumerate(T):
        fit = sm.OLS(y, np.column_stack([np.ones(n), t, X])).fit(cov_type=cov_type)
        assert many["estimate"][row] == pytest.approx(fit.params[1], rel=1e-9)
        assert many["se"][row] == pytest.approx(fit.bse[1], rel=1e-9)
        assert many["p_value"][row] == pytest.approx(fit.pvalues[1], rel=1e-7)
    single = ex.regression_adjustment(y, X, T[0], cov_type=cov_type)
    assert single.se == pytest.approx(many["se"][0], rel=1e-9)


def test_hc2_without_covariates_is_welchs_variance():
    rng = np.random.default_rng(7)
    y = rng.exponential(size=500) ** 2
    t = rng.random(500) < 0.4
    fit = sm.OLS(y, np.column_stack([np.ones(500), t])).fit(cov_type="HC2")
    assert fit.bse[1] == pytest.approx(ex.difference_in_means(y, t).se, rel=1e-9)


def test_cuped_variance_reduction_is_rho_squared():
    rng = np.random.default_rng(8)
    n, rho = 200_000, 0.6
    pre = rng.normal(size=n)
    y = rho * pre + np.sqrt(1 - rho**2) * rng.normal(size=n)
    res = ex.cuped(y, pre, rng.random(n) < 0.5)
    # sampling error of a correlation at n = 200,000 is ~0.002; rho^2 within 0.005
    assert res.extra["variance_reduction"] == pytest.approx(rho**2, abs=0.005)
    assert res.extra["theta"] == pytest.approx(rho, abs=0.005)


def test_cuped_theta_is_pooled_and_unbiased_under_a_true_effect():
    rng = np.random.default_rng(9)
    n = 4000
    pre = rng.gamma(1.0, 100.0, n)
    t = rng.random(n) < 0.5
    y = pre + rng.normal(0, 50, n) + 10 * t
    res = ex.cuped(y, pre, t)
    theta = np.cov(y, pre)[0, 1] / pre.var(ddof=1)
    assert res.extra["theta"] == pytest.approx(theta, rel=1e-9)
    assert res.low < 10 < res.high and res.se < ex.difference_in_means(y, t).se / 2


def test_collinear_covariates_are_refused():
    X = np.column_stack([np.arange(10.0), 2 * np.arange(10.0)])
    with pytest.raises(ValueError, match="collinear"):
        ex.regression_adjustment(np.arange(10.0), X, np.arange(10) % 2)
