"""Issue 11 (notebook 04): list prices, zero-sales weeks, Poisson elasticities, identification failures,
margin sensitivity, regret against the LP bound and paired policy comparisons."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from shopai_lab.pricing import (
    NOT_IDENTIFIED,
    UCB1,
    EpsilonGreedy,
    InventoryThompsonSampling,
    ThompsonSampling,
    compare_policies,
    current_prices,
    elasticity_upper,
    list_price_panel,
    lp_price_mixture,
    margin_sensitivity,
    plot_policy_comparison,
    poisson_elasticities,
    price_panel,
    price_recommendations,
    product_elasticities,
    quantity_price_correlation,
    race,
)
from shopai_lab.pricing.bandits import _lp_solve
from shopai_lab.pricing.elasticity import _poisson_fit


def _wholesaler(n_products=60, n_weeks=52, elasticity=-2.0, seed=0):
    """Lines of a simulated wholesaler with tier prices, and the true elasticity of demand in the list price.

    Each product's list price changes a few times; small buyers pay it, bulk buyers (12+ units) 15% less. Small
    orders per week are Poisson with mean ``exp(a + e log list)``; the number of bulk orders moves with an
    unobserved weekly "trade season" that does *not* depend on the price. A week's median line price then falls
    when many bulk orders arrive, which are also weeks of many units: the tier confound.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2011-01-03")
    season = rng.gamma(2.0, 1.0, n_weeks)
    rows = []
    for j in range(n_products):
        base = rng.uniform(1, 10)
        changes = np.sort(rng.choice(np.arange(5, n_weeks - 5), 3, replace=False))
        levels = base * np.exp(rng.normal(0, 0.15, 4))
        for w in range(n_weeks):
            list_price = round(float(levels[np.searchsorted(changes, w, side="right")]), 2)
            small = rng.poisson(np.exp(2.0 + elasticity * np.log(list_price / base)))
            bulk = rng.poisson(season[w] * np.exp(0.5 + elasticity * np.log(list_price / base)))
            day = start + pd.Timedelta(weeks=w)
            for k in range(small):
                rows.append((f"c{k % 7}", f"P{j:03d}", int(rng.integers(1, 4)), list_price, day))
            for k in range(bulk):
                rows.append((f"w{k % 3}", f"P{j:03d}", int(rng.choice([12, 24, 48])), round(0.85 * list_price, 2), day))
    lines = pd.DataFrame(rows, columns=["customer_id", "item_id", "quantity", "unit_price", "timestamp"])
    return lines.assign(invoice_id=np.arange(len(lines)).astype(str))


@pytest.fixture(scope="module")
def wholesaler():
    return _wholesaler()


def test_quantity_price_correlation_sees_tier_prices(wholesaler):
    corr = quantity_price_correlation(wholesaler)
    assert len(corr) == wholesaler["item_id"].nunique()
    assert corr.median() < -0.3  # bulk lines are cheaper
    flat = wholesaler.assign(unit_price=1.0)
    assert quantity_price_correlation(flat).empty  # no price variation: nothing to correlate
    with pytest.raises(ValueError, match="unit_price"):
        quantity_price_correlation(wholesaler.drop(columns="unit_price"))
    with pytest.raises(ValueError, match="min_lines"):
        quantity_price_correlation(wholesaler, min_lines=1)


def test_list_price_recovers_the_truth_where_the_median_line_price_does_not(wholesaler):
    before = wholesaler.copy()
    panel = list_price_panel(wholesaler, min_periods=20)
    pd.testing.assert_frame_equal(wholesaler, before)  # input untouched
    listed = poisson_elasticities(panel)
    line = product_elasticities(price_panel(wholesaler, min_periods=20), controls=())
    # The list-price estimate is centred on the truth (-2); the median line price is biased by the tier mix.
    assert listed["elasticity"].median() == pytest.approx(-2.0, abs=0.25)
    assert abs(line["naive"].median() + 2.0) > 2 * abs(listed["elasticity"].median() + 2.0)


def test_list_price_panel_keeps_zero_weeks_between_first_and_last_sale_and_carries_the_price():
    days = pd.to_datetime(["2011-01-03", "2011-01-04", "2011-01-24", "2011-02-07", "2011-01-10", "2011-01-17"])
    lines = pd.DataFrame(
        {
            "customer_id": ["a"] * 6,
            "item_id": ["x", "x", "x", "x", "y", "y"],
            "quantity": [1, 48, 48, 1, 1, 1],
            "unit_price": [2.0, 1.6, 1.6, 2.5, 1.0, 1.1],
            "timestamp": days,
        }
    )
    panel = list_price_panel(lines, min_periods=1, min_prices=1)
    x = panel[panel["item_id"] == "x"].set_index("period")
    # Weeks of the shop: 3 Jan, 10 Jan, 17 Jan (only y sold), 24 Jan; 31 Jan: the shop sold nothing (not a
    # period); 7 Feb. x is listed from its first (3 Jan) to its last sale (7 Feb).
    assert [str(p.start_time.date()) for p in x.index] == [
        "2011-01-03",
        "2011-01-10",
        "2011-01-17",
        "2011-01-24",
        "2011-02-07",
    ]
    assert x["units"].tolist() == [49.0, 0.0, 0.0, 48.0, 1.0]
    # Week 1: the small line's price (not the bulk line's); zero weeks and the bulk-only week carry it forward.
    assert x["price"].tolist() == [2.0, 2.0, 2.0, 2.0, 2.5]
    assert x["price_observed"].tolist() == [True, False, False, False, True]
    y = panel[panel["item_id"] == "y"]
    assert len(y) == 2  # y: 10 and 17 Jan only, nothing before its first or after its last sale
    with pytest.raises(ValueError, match="small_quantile"):
        list_price_panel(lines, small_quantile=0)
    with pytest.raises(ValueError, match="quantity"):
        list_price_panel(lines.assign(quantity=-1))


@pytest.mark.parametrize("seed", [3, 11, 17])
def test_poisson_fit_equals_statsmodels_and_keeps_zero_weeks(seed):
    """The hand-written Newton fit (kept: it decides which products are kept, robustly to rounding) against
    statsmodels' GLM to 1e-8: coefficient, and the sandwich error with the HC1 factor n / (n - k) (statsmodels'
    GLM applies none, so its HC0 error is scaled)."""
    rng = np.random.default_rng(seed)
    price = np.exp(rng.normal(0, 0.2, 80))
    season = rng.normal(0, 1, 80)
    units = rng.poisson(np.exp(0.3 - 1.7 * np.log(price) + 0.4 * season)).astype(float)
    assert (units == 0).any()
    x = np.column_stack([np.ones(80), np.log(price), season])
    coef, se = _poisson_fit(x, units)
    reference = sm.GLM(units, x, family=sm.families.Poisson()).fit(cov_type="HC0", tol=1e-12)
    assert coef == pytest.approx(reference.params[1], rel=1e-8)
    assert se == pytest.approx(reference.bse[1] * np.sqrt(80 / 77), rel=1e-8)
    panel = pd.DataFrame({"item_id": "p", "units": units, "price": price, "season": season})
    fit = poisson_elasticities(panel, controls=("season",))
    assert fit.loc["p", "elasticity"] == pytest.approx(coef)
    assert fit.loc["p", "zero_periods"] == int((units == 0).sum())


def test_poisson_elasticities_are_unbiased_where_dropping_zero_weeks_is_not():
    rng = np.random.default_rng(5)
    rows = []
    for j in range(150):
        price = np.repeat(rng.uniform(1, 3) * np.array([0.85, 1.0, 1.2]), 20)
        units = rng.poisson(np.exp(0.2 - 2.0 * np.log(price / price.mean())))
        rows.append(pd.DataFrame({"item_id": f"p{j}", "units": units.astype(float), "price": price}))
    panel = pd.concat(rows, ignore_index=True)
    kept = poisson_elasticities(panel, controls=())
    sold = panel[panel["units"] > 0]
    dropped = product_elasticities(sold.assign(period=0), controls=())
    assert kept["elasticity"].mean() == pytest.approx(-2.0, abs=0.1)
    assert dropped["naive"].mean() > -1.5  # log-log on sold weeks only: biased towards zero
    with pytest.raises(ValueError, match="units >= 0"):
        poisson_elasticities(panel.assign(units=-1.0), controls=())
    with pytest.raises(ValueError, match="season"):
        poisson_elasticities(panel, controls=("season",))


def test_no_recommendation_when_the_elasticity_is_not_identified():
    idx = pd.Index(["elastic", "unit", "inelastic", "rising"], name="item_id")
    recs = price_recommendations(
        pd.Series([-4.0, -1.0, -0.4, 0.8], idx), pd.Series(10.0, idx), pd.Series(50.0, idx), gross_margin=0.4
    )
    assert recs["rule"].tolist() == ["max decrease", "no recommendation", "no recommendation", "no recommendation"]
    assert recs.loc["rising", "reason"] == NOT_IDENTIFIED["rising"]
    assert recs.loc["inelastic", "reason"] == recs.loc["unit", "reason"] == NOT_IDENTIFIED["inelastic"]
    assert (recs.loc[["unit", "inelastic", "rising"], "recommended_price"] == 10.0).all()
    assert (recs.loc[["unit", "inelastic", "rising"], "profit_change"] == 0.0).all()


def test_margin_sensitivity_follows_the_lerner_rule():
    idx = pd.Index([f"p{e}" for e in range(5)], name="item_id")
    elasticity = pd.Series([-1.5, -2.0, -3.0, -5.0, 0.5], idx)  # optimal margins 0.67, 0.5, 0.33, 0.2; none
    table = margin_sensitivity(elasticity, pd.Series(10.0, idx), pd.Series(20.0, idx), [0.1, 0.3, 0.45, 0.8])
    # A product's price should rise when the assumed margin is below -1/e and fall above it.
    assert table["raise"].tolist() == [4, 3, 2, 0]
    assert table["cut"].tolist() == [0, 1, 2, 4]
    assert (table["no recommendation"] == 1).all()
    for margin, row in table.iterrows():
        recs = price_recommendations(elasticity, pd.Series(10.0, idx), pd.Series(20.0, idx), gross_margin=margin)
        assert row["projected_change"] == pytest.approx(recs["profit_change"].sum())
    with pytest.raises(ValueError, match="gross_margin"):
        margin_sensitivity(elasticity, pd.Series(10.0, idx), pd.Series(20.0, idx), [1.5])
    with pytest.raises(ValueError, match="margins"):
        margin_sensitivity(elasticity, pd.Series(10.0, idx), pd.Series(20.0, idx), [])


def test_regret_under_inventory_is_measured_against_the_lp_bound():
    prices, probabilities = [29.9, 34.9, 39.9, 44.9], [0.8, 0.6, 0.3, 0.1]
    table, runs = race(
        [InventoryThompsonSampling(update_capacity=False), ThompsonSampling()],
        prices,
        probabilities,
        horizon=2000,
        n_runs=30,
        inventory=500,
    )
    for name, run in runs.items():
        np.testing.assert_allclose(run.final_regret, run.benchmark - run.profit, atol=1e-6)
        assert table.loc[name, "regret"] == pytest.approx(run.final_regret.mean())
        assert table.loc[name, "regret_median"] == pytest.approx(np.median(run.final_regret))
    # Less than the bound means positive regret: the old pseudo-regret was negative next to a share < 1.
    assert (table["share_of_benchmark"] < 1).all() and (table["regret"] > 0).all()


def test_compare_policies_pairs_runs_and_brackets_the_difference():
    _, runs = race(
        [ThompsonSampling(), UCB1(), EpsilonGreedy(epsilon=0.5)], [29.9, 44.9], [0.8, 0.1], horizon=1000, n_runs=40
    )
    table = compare_policies(runs, "Thompson sampling")
    assert table.index.tolist() == ["UCB1", "epsilon-greedy (epsilon=0.5)"]
    for name, result in table["interval"].items():
        paired = runs[name].run_shares - runs["Thompson sampling"].run_shares
        assert result.estimate == pytest.approx(paired.mean()) and result.n == 40
        assert result.low <= result.estimate <= result.high
    assert table.loc["epsilon-greedy (epsilon=0.5)", "interval"].high < 0  # exploring half the time forever costs
    ax = plot_policy_comparison(table, "Thompson sampling")
    assert ax.get_xlabel().endswith("(percentage points, 95% CI)") and len(ax.get_yticks()) == 2
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="interval"):
        plot_policy_comparison(table.drop(columns="interval"), "Thompson sampling")
    with pytest.raises(ValueError, match="baseline 'nobody'"):
        compare_policies(runs, "nobody")


def test_fast_lp_solver_equals_the_checked_one():
    rng = np.random.default_rng(2)
    margins = np.array([29.9, 34.9, 39.9, 44.9])
    for _ in range(200):
        d = rng.random((7, 4))
        d[:, int(rng.integers(4))] *= rng.integers(0, 2)
        c = rng.random(7) * rng.choice([0.2, 1.0, 2.0])
        x_ref, v_ref = lp_price_mixture(margins, d, c)
        x, v = _lp_solve(margins, d, c)
        np.testing.assert_array_equal(x, x_ref)
        np.testing.assert_array_equal(v, v_ref)


def test_a_product_is_moved_only_when_its_whole_interval_is_below_minus_one():
    idx = pd.Index(["clear", "borderline", "inelastic"], name="item_id")
    elasticity = pd.Series([-2.0, -1.05, -0.5], idx)
    high = pd.Series([-1.2, -0.9, 0.1], idx)  # the borderline product's interval reaches -1
    recs = price_recommendations(elasticity, pd.Series(10.0, idx), pd.Series(20.0, idx), elasticity_high=high)
    assert recs.loc["clear", "rule"] != "no recommendation"
    assert recs.loc["borderline", "rule"] == "no recommendation"
    assert recs.loc["borderline", "reason"] == NOT_IDENTIFIED["uncertain"]
    assert recs.loc["borderline", "recommended_price"] == 10.0 and recs.loc["borderline", "profit_change"] == 0.0
    point = price_recommendations(elasticity, pd.Series(10.0, idx), pd.Series(20.0, idx))  # the old rule
    assert point.loc["borderline", "rule"] == "max increase"
    pooled = pd.DataFrame({"shrunk": [-1.05], "posterior_sd": [0.1]})
    assert elasticity_upper(pooled).iloc[0] == pytest.approx(-1.05 + 1.959964 * 0.1, abs=1e-6)


def test_todays_demand_comes_from_the_reference_period():
    panel = pd.DataFrame(
        {
            "item_id": ["a"] * 6 + ["b"] * 2,
            "period": [1, 2, 3, 4, 5, 6, 5, 6],
            "units": [10.0, 10.0, 10.0, 10.0, 40.0, 40.0, 8.0, 0.0],
            "price": [2.0] * 8,
        }
    )
    recent = current_prices(panel, periods=2)
    assert recent.loc["a", "weekly_units"] == 40.0  # the peak
    reference = current_prices(panel, periods=2, reference_periods=6)
    assert reference.loc["a", "weekly_units"] == pytest.approx(20.0)  # the average listed week of the reference
    assert reference.loc["b", "weekly_units"] == pytest.approx(4.0)  # listed two weeks, one without sales
    assert (reference["current_price"] == recent["current_price"]).all()
