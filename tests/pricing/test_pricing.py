import numpy as np
import pandas as pd
import pytest
from scipy.optimize import fmin, minimize

from shopai_lab.pricing import (
    ConstantElasticityDemand,
    LinearDemand,
    LogitDemand,
    MultinomialLogitDemand,
    fit_logit_demand,
    fit_loglog_elasticity,
    optimize_price,
    price_panel,
    product_elasticities,
    recommend_price,
    simulate_price_panel,
)
from shopai_lab.stats import shrink_estimates


def test_the_seeds_fmin_error_and_the_fix():
    demand = LinearDemand(a=100, b=1)
    # fmin minimises: started at the seed's guess it walks to a loss-making price, far from 50.
    wrong = fmin(lambda p: demand.profit(np.abs(p))[0], x0=[96.0], disp=False)[0]
    assert abs(wrong - 50.0) > 10
    assert demand.profit(abs(wrong)) < demand.profit(50.0)
    right = optimize_price(lambda p: demand.profit(p), (1.0, 99.0))
    assert right.price == pytest.approx(50.0, abs=1e-6)
    assert right.profit == pytest.approx(2500.0, abs=1e-6)


@pytest.mark.parametrize(
    ("demand", "cost", "bounds"),
    [
        (LinearDemand(a=100, b=1), 0.0, (0.5, 99.5)),
        (LinearDemand(a=250, b=4.0), 12.0, (12.01, 62.0)),
        (ConstantElasticityDemand(scale=1e4, elasticity=-2.0), 10.0, (10.5, 200.0)),
        (ConstantElasticityDemand(scale=50.0, elasticity=-3.5), 2.5, (2.6, 30.0)),
        (LogitDemand(alpha=3.0, beta=0.1, market_size=1000), 5.0, (5.01, 200.0)),
        (LogitDemand(alpha=-1.0, beta=0.7, market_size=1.0), 0.0, (0.01, 50.0)),
    ],
)
def test_closed_form_optimum_agrees_with_the_numerical_optimiser(demand, cost, bounds):
    closed = demand.optimal_price(cost)
    numeric = optimize_price(lambda p: demand.profit(p, cost), bounds, grid_size=401)
    assert numeric.price == pytest.approx(closed, abs=1e-6)
    assert not numeric.at_bound


def test_logit_optimum_satisfies_the_first_order_condition():
    demand = LogitDemand(alpha=2.0, beta=0.3)
    price = demand.optimal_price(1.0)
    s = demand.probability(price)
    assert 1.0 - 0.3 * (price - 1.0) * (1 - s) == pytest.approx(0.0, abs=1e-12)


def test_mnl_equal_markups_agree_with_a_joint_numerical_optimum():
    mnl = MultinomialLogitDemand(alphas=(2.0, 1.0, 0.5), beta=0.4, market_size=100)
    costs = np.array([1.0, 2.0, 0.5])
    closed = mnl.optimal_prices(costs)
    markups = closed - costs
    assert np.ptp(markups) < 1e-12
    numeric = minimize(
        lambda p: -mnl.profit(p, costs),
        x0=costs + 1.0,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000},
    )
    np.testing.assert_allclose(numeric.x, closed, atol=1e-6)


def test_elasticities_of_the_demand_models():
    assert LinearDemand(a=100, b=1).elasticity(25.0) == pytest.approx(-25 / 75)
    assert ConstantElasticityDemand(scale=10, elasticity=-1.7).point_elasticity([1.0, 9.0]).tolist() == [-1.7, -1.7]
    logit = LogitDemand(alpha=1.0, beta=0.2)
    p, h = 4.0, 1e-6
    numeric = (np.log(logit.demand(p + h)) - np.log(logit.demand(p - h))) / (np.log(p + h) - np.log(p - h))
    assert logit.elasticity(p) == pytest.approx(numeric, rel=1e-6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ConstantElasticityDemand(scale=10, elasticity=-0.8).optimal_price(1.0), "elasticity -0.8 >= -1"),
        (lambda: ConstantElasticityDemand(scale=10, elasticity=-1.0).optimal_price(1.0), "grows without bound"),
        (lambda: LinearDemand(a=100, b=2).optimal_price(60.0), "choke price"),
        (lambda: LinearDemand(a=-1, b=2), "a must be a positive number"),
        (lambda: LinearDemand(a=100, b=1).demand([10.0, -1.0]), "prices must be positive"),
        (lambda: LogitDemand(alpha=1.0, beta=0.0), "beta must be a positive number"),
        (lambda: optimize_price(lambda p: -p, (10.0, 5.0)), "lowest < highest"),
        (lambda: optimize_price(lambda p: -p, (0.0, 5.0)), "positive prices"),
        (lambda: optimize_price(lambda p: p * np.nan, (1.0, 5.0)), "one finite profit per price"),
        (lambda: LinearDemand(a=100, b=1).profit(10.0, unit_cost=-1), "unit_cost must be a number >= 0"),
    ],
)
def test_bad_inputs_get_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_optimum_on_a_bound_is_reported():
    demand = LinearDemand(a=100, b=1)
    result = optimize_price(lambda p: demand.profit(p), (60.0, 90.0))
    assert result.at_bound and result.price == pytest.approx(60.0)


def test_guard_rails():
    assert recommend_price(10.0, 14.0, 6.0, 0.1).rule == "max increase"
    assert recommend_price(10.0, 10.4, 6.0, 0.1).recommended == pytest.approx(10.4)
    down = recommend_price(10.0, 5.0, 4.0, 0.2)
    assert (down.recommended, down.rule) == (pytest.approx(8.0), "max decrease")
    floor = recommend_price(10.0, 5.0, 9.5, 0.2)
    assert (floor.recommended, floor.rule) == (9.5, "cost floor")
    assert recommend_price(10.0, np.inf, 6.0, 0.1).recommended == pytest.approx(11.0)
    with pytest.raises(ValueError, match="max_change must be a fraction"):
        recommend_price(10.0, 12.0, 6.0, max_change=1.5)


def test_loglog_elasticity_recovers_truth_and_its_interval_covers():
    rng = np.random.default_rng(1)
    covered, estimates = 0, []
    for _ in range(200):
        z = rng.normal(size=80)
        p = np.exp(0.3 * z + rng.normal(0, 0.2, 80))
        q = np.exp(3.0 - 1.8 * np.log(p) + 0.5 * z + rng.normal(0, 0.3, 80))
        fit = fit_loglog_elasticity(p, q, controls=pd.DataFrame({"z": z}))
        covered += fit.ci_low <= -1.8 <= fit.ci_high
        estimates.append(fit.elasticity)
    assert np.mean(estimates) == pytest.approx(-1.8, abs=0.03)
    assert 0.90 <= covered / 200 <= 0.99  # nominal 95%


def test_loglog_matches_the_normal_equations_with_classical_errors():
    rng = np.random.default_rng(2)
    p = np.exp(rng.normal(0, 0.3, 50))
    q = np.exp(1.0 - 2.0 * np.log(p) + rng.normal(0, 0.2, 50))
    fit = fit_loglog_elasticity(p, q, robust=False)
    x = np.column_stack([np.ones(50), np.log(p)])
    beta = np.linalg.solve(x.T @ x, x.T @ np.log(q))
    resid = np.log(q) - x @ beta
    se = np.sqrt(np.linalg.inv(x.T @ x)[1, 1] * resid @ resid / 48)
    assert fit.elasticity == pytest.approx(beta[1], abs=1e-12)
    assert fit.std_error == pytest.approx(se, rel=1e-10)


def test_loglog_robust_errors_are_the_hc1_sandwich_with_controls():
    rng = np.random.default_rng(4)
    n = 60
    z = rng.normal(size=(n, 2))
    p = np.exp(rng.normal(0, 0.3, n) + 0.2 * z[:, 0])
    log_q = 1.0 - 1.5 * np.log(p) + z @ [0.4, -0.2] + rng.normal(0, 0.1 + 0.4 * np.abs(z[:, 1]), n)
    fit = fit_loglog_elasticity(p, np.exp(log_q), controls=pd.DataFrame(z, columns=["a", "b"]), confidence=0.9)
    x = np.column_stack([np.ones(n), np.log(p), z])
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ log_q
    resid = log_q - x @ beta
    cov = bread @ (x * resid[:, None] ** 2).T @ x @ bread * n / (n - 4)  # White's sandwich, HC1 factor
    assert fit.elasticity == pytest.approx(beta[1], rel=1e-10)
    assert fit.std_error == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-10)
    assert fit.ci_high - fit.elasticity == pytest.approx(1.6448536269514722 * fit.std_error, rel=1e-12)
    assert fit.r_squared == pytest.approx(1 - resid @ resid / ((log_q - log_q.mean()) ** 2).sum(), rel=1e-10)


@pytest.mark.parametrize(
    ("price", "quantity", "message"),
    [
        ([1.0, 1.0, 1.0], [3.0, 4.0, 5.0], "at least two distinct prices"),
        ([1.0, -2.0, 3.0], [3.0, 4.0, 5.0], "must be positive"),
        ([1.0, np.nan, 3.0], [3.0, 4.0, 5.0], "NaN"),
        ([1.0, 2.0], [3.0, 4.0, 5.0], "equal length"),
        ([1.0, 2.0], [3.0, 4.0], "more observations"),
    ],
)
def test_elasticity_bad_inputs(price, quantity, message):
    with pytest.raises(ValueError, match=message):
        fit_loglog_elasticity(price, quantity)


def test_fit_logit_demand_recovers_parameters():
    rng = np.random.default_rng(3)
    prices = np.repeat([5.0, 10.0, 15.0, 20.0, 25.0], 4)
    truth = LogitDemand(alpha=2.0, beta=0.15)
    offers = np.full(prices.size, 5_000)
    bought = rng.binomial(offers, truth.probability(prices))
    fitted = fit_logit_demand(prices, offers, bought)
    assert fitted.alpha == pytest.approx(2.0, abs=0.05)
    assert fitted.beta == pytest.approx(0.15, abs=0.003)
    with pytest.raises(ValueError, match="0 <= purchases <= offers"):
        fit_logit_demand([1.0, 2.0], [10, 10], [11, 3])


def test_shrinkage_known_answers():
    # Homogeneous estimates (tau^2 = 0): everything shrinks to the precision-weighted mean.
    out = shrink_estimates([1.0, 1.2, 0.8], [1.0, 1.0, 1.0])
    assert out["prior_sd"].iloc[0] == 0.0
    np.testing.assert_allclose(out["shrunk"], 1.0)
    # DerSimonian-Laird by hand: estimates 0 and 4 with se 1: Q = 8, tau^2 = (8 - 1) / 1 = 7.
    two = shrink_estimates([0.0, 4.0], [1.0, 1.0])
    assert two["prior_sd"].iloc[0] ** 2 == pytest.approx(7.0)
    assert two["shrunk"].tolist() == pytest.approx([2 - 2 * 7 / 8, 2 + 2 * 7 / 8])
    grouped = shrink_estimates([0.0, 4.0, 10.0, 10.2], [1, 1, 1, 1], groups=["a", "a", "b", "b"])
    assert grouped["prior_mean"].tolist() == pytest.approx([2.0, 2.0, 10.1, 10.1])


def test_endogenous_prices_bias_the_naive_estimate_and_controls_fix_it():
    panel, truth = simulate_price_panel(n_products=150, n_periods=52, random_state=4)
    estimates = product_elasticities(panel, controls=("demand_index",))
    error_naive = (estimates["naive"] - truth).mean()
    error_controlled = (estimates["controlled"] - truth).mean()
    assert error_naive > 1.0  # biased towards zero by more than a whole unit of elasticity
    assert abs(error_controlled) < 0.1
    shrunk = shrink_estimates(estimates["controlled"], estimates["controlled_se"])
    rmse_raw = np.sqrt(((estimates["controlled"] - truth) ** 2).mean())
    rmse_shrunk = np.sqrt(((shrunk["shrunk"].to_numpy() - truth.to_numpy()) ** 2).mean())
    assert rmse_shrunk < 0.9 * rmse_raw


def test_price_panel_on_online_retail(cleaned_retail):
    panel = price_panel(cleaned_retail.purchases)
    assert panel["item_id"].nunique() == 733
    assert (panel.groupby("item_id")["period"].size() >= 20).all()
    assert panel["wholesale_share"].between(0, 1).all() and panel["non_uk_share"].between(0, 1).all()
    assert (panel["units"] > 0).all()
    with pytest.raises(ValueError, match=r"missing column\(s\) \['unit_price'\]"):
        price_panel(cleaned_retail.purchases.drop(columns="unit_price"))


def test_price_recommendations_follow_the_lerner_rule_within_guard_rails():
    from shopai_lab.pricing import price_recommendations

    idx = ["elastic", "very_elastic", "inelastic"]
    out = price_recommendations(
        pd.Series([-2.0, -6.0, -0.5], idx),
        pd.Series([10.0, 10.0, 10.0], idx),
        pd.Series([100.0, 100.0, 100.0], idx),
        gross_margin=0.4,
        max_change=0.1,
    )
    # Cost 6: e = -2 wants 12 (capped at 11); e = -6 wants 7.2 (floored at 9); inelastic: no optimum, no move.
    assert out["optimal_price"].tolist()[:2] == pytest.approx([12.0, 7.2])
    assert np.isnan(out.loc["inelastic", "optimal_price"])
    assert out["recommended_price"].tolist() == pytest.approx([11.0, 9.0, 10.0])
    assert out["rule"].tolist() == ["max increase", "max decrease", "no recommendation"]
    expected = 100 * (11 / 10) ** -2.0 * (11 - 6) - 100 * 4
    assert out.loc["elastic", "profit_change"] == pytest.approx(expected)
    assert (out["profit_change"].iloc[:2] > 0).all()  # each move goes towards the optimum
    assert out.loc["inelastic", "profit_change"] == 0.0 and out.loc["inelastic", "change"] == 0.0
    with pytest.raises(ValueError, match="gross_margin must be a fraction"):
        price_recommendations(out["elasticity"], out["current_price"], out["current_price"], gross_margin=1.2)


def test_current_prices_use_the_last_periods_and_count_empty_ones_as_zero():
    from shopai_lab.pricing import current_prices

    panel = pd.DataFrame(
        {
            "item_id": ["a", "a", "a", "b"],
            "period": [1, 2, 3, 3],
            "units": [10, 20, 30, 8],
            "price": [5.0, 4.0, 6.0, 2.0],
        }
    )
    out = current_prices(panel, periods=2)
    assert out.loc["a"].tolist() == [5.0, 25.0]
    assert out.loc["b"].tolist() == [2.0, 4.0]


def test_posterior_sd_is_smaller_than_the_standard_error():
    out = shrink_estimates([0.0, 4.0, 1.0], [1.0, 1.0, 2.0])
    assert (out["posterior_sd"] <= out["std_error"]).all()


def test_profit_change_range_brackets_the_expected_change():
    from shopai_lab.pricing import price_recommendations, profit_change_range

    idx = pd.Index(["rise", "cut", "inelastic"], name="item_id")
    recs = price_recommendations(
        pd.Series([-2.0, -6.0, -0.5], idx),
        pd.Series([10.0, 10.0, 10.0], idx),
        pd.Series([100.0, 50.0, 20.0], idx),
        gross_margin=0.4,
    )
    assert recs["weekly_units"].tolist() == [100.0, 50.0, 20.0]
    sd = pd.Series([0.3, 0.5, 0.2], idx)
    low, high = profit_change_range(recs, sd, gross_margin=0.4)
    assert low < recs["profit_change"].sum() < high
    assert profit_change_range(recs, sd, gross_margin=0.4, n_sd=0.0) == pytest.approx(
        (recs["profit_change"].sum(), recs["profit_change"].sum())
    )
    # The standard deviations are matched by item_id, not by position.
    assert profit_change_range(recs, sd.iloc[::-1], gross_margin=0.4) == (low, high)
    with pytest.raises(ValueError, match="gross_margin differs"):
        profit_change_range(recs, sd, gross_margin=0.3)
    with pytest.raises(ValueError, match="elasticity_sd"):
        profit_change_range(recs, sd.iloc[:2], gross_margin=0.4)
    with pytest.raises(ValueError, match="recommendations"):
        profit_change_range(recs.drop(columns="weekly_units"), sd, gross_margin=0.4)
