"""The DR-learner, the two simulator worlds, notebook 03's rule and the guardrail test against known answers:
the simulator's true effects, notebook 03's own function, closed forms and statsmodels."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import ttest_ind

from shopai_lab import experiments as ex
from shopai_lab import propensity


@pytest.fixture(scope="module")
def worlds(population):
    return {
        scenario: (
            ex.simulate_incentive(population.customers, 12_000, scenario=scenario, random_state=30),
            ex.simulate_incentive(population.customers, 12_000, scenario=scenario, random_state=31),
        )
        for scenario in ex.SCENARIOS
    }


def test_proportional_world_is_notebook_03s_assumption(worlds):
    train, test = worlds["proportional"]
    p = test.base_probability
    np.testing.assert_allclose(test.effect, np.minimum(0.2 * p, 1 - p))
    # With the true u and the true p, notebook 03's rule selects exactly the customers the oracle selects
    # (cost 2, value 50: both say p >= 0.2), except above p = 1 - cost / value, where the cap at 1 leaves less
    # than the cost to gain (the upper bound break_even_probability's docstring says its rule ignores).
    threshold = propensity.break_even_probability(2.0, 50.0, 0.2)
    below_cap = p < 1 - 2.0 / 50.0
    np.testing.assert_array_equal((p >= threshold)[below_cap], (test.effect * 50 > 2)[below_cap])
    assert not (test.effect * 50 > 2)[~below_cap].any()
    # ... and the experiment measures u within its standard error
    t, y = train.treatment, train.purchased
    u = y[t].mean() / y[~t].mean() - 1
    se = np.sqrt(y[t].var() / t.sum() + y[~t].var() / (~t).sum()) / y[~t].mean()  # delta method, roughly
    assert u == pytest.approx(train.effect.mean() / train.base_probability.mean(), abs=4 * se)


def test_dr_learner_pseudo_outcomes_average_to_the_effect(worlds):
    train, _ = worlds["buy anyway"]
    X = train.features.to_numpy()
    psi = ex.DRLearner(random_state=0).pseudo_outcomes(X, train.purchased, train.treatment)
    se = psi.std(ddof=1) / np.sqrt(len(psi))
    assert psi.mean() == pytest.approx(train.effect.mean(), abs=4 * se)  # doubly robust ATE


@pytest.mark.parametrize("scenario", ex.SCENARIOS)
def test_dr_learner_recovers_the_true_effects(worlds, scenario):
    train, test = worlds[scenario]
    tau = ex.DRLearner(random_state=0).fit(train.features.to_numpy(), train.purchased, train.treatment)
    estimate = tau.predict(test.features.to_numpy())
    assert np.corrcoef(estimate, test.effect)[0, 1] > 0.6
    oracle = ex.targeting_profit(test.effect, test.effect * 50 > 2, conversion_value=50, incentive_cost=2)
    ours = ex.targeting_profit(test.effect, estimate * 50 > 2, conversion_value=50, incentive_cost=2)
    everyone = ex.targeting_profit(test.effect, np.ones(len(estimate), bool), conversion_value=50, incentive_cost=2)
    assert everyone < ours <= oracle


def test_observed_profit_is_unbiased_for_the_true_profit(worlds):
    _, test = worlds["buy anyway"]
    selected = test.effect > 0.05
    truth = ex.targeting_profit(test.effect, selected, conversion_value=50, incentive_cost=2) / len(selected)
    estimates = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        t = rng.random(len(selected)) < 0.5
        y = (rng.random(len(selected)) < test.base_probability + t * test.effect).astype(int)
        estimates.append(ex.observed_profit(y, t, selected, conversion_value=50, incentive_cost=2))
    se = np.std(estimates, ddof=1) / np.sqrt(len(estimates))
    assert np.mean(estimates) == pytest.approx(truth, abs=4 * se)


def test_targeting_table_over_studies_uses_notebook_03s_threshold(population):
    studies = ex.incentive_studies(population.customers, 3000, n_seeds=2, random_state=7)
    thresholds = {
        (s.scenario, s.seed): propensity.break_even_probability(2.0, 50.0, s.measured_uplift) for s in studies
    }
    runs = ex.targeting_runs(studies, thresholds, conversion_value=50.0, incentive_cost=2.0)
    first = studies[0]
    rule = runs[(runs["seed"] == first.seed) & (runs["scenario"] == first.scenario)].set_index("rule")
    threshold = thresholds[(first.scenario, first.seed)]
    assert rule.loc["notebook 03's rule", "targeted"] == pytest.approx((first.propensity_test >= threshold).mean())
    choices = ex.choose_rules(studies, thresholds, conversion_value=50.0, incentive_cost=2.0, n_boot=200)
    table = ex.targeting_table(runs, choices)
    assert table["seeds"].eq(2).all() and table.groupby(level="scenario")["chosen"].sum().eq(1).all()
    for scenario, (chosen, learner, gap) in choices.items():
        # the interval is the paired difference of the pooled validation profits, learner - notebook 03's rule
        rows = runs[runs["scenario"] == scenario].groupby("rule")["validation_profit"].mean()
        assert gap.estimate == pytest.approx(rows[learner] - rows["notebook 03's rule"])
        assert chosen == (learner if gap.low > 0 else "notebook 03's rule")
    assert (table.loc[(slice(None), "true effect (oracle)"), "share_of_oracle"] == 1).all()
    bands = ex.effect_by_propensity(first.validation.purchased, first.validation.treatment, first.propensity_validation)
    assert bands["customers"].sum() == len(first.validation.purchased)


def test_noninferiority_matches_statsmodels():
    rng = np.random.default_rng(3)
    t = np.arange(8000) % 2 == 1
    y = rng.gamma(2.0, 50.0, 8000) * np.where(t, 0.99, 1.0)
    result = ex.difference_in_means(y, t)
    ours = ex.noninferiority(result, 0.05)
    margin = 0.05 * y[~t].mean()
    _, p_sm, _ = ttest_ind(y[t], y[~t], alternative="larger", usevar="unequal", value=-margin)
    assert ours["margin"] == pytest.approx(margin)
    assert ours["p_value"] == pytest.approx(p_sm, rel=0.01)  # normal vs t with ~8,000 df


def test_metric_table_corrects_decision_metrics_only():
    rng = np.random.default_rng(4)
    t = np.arange(4000) % 2 == 1
    results = {
        "revenue": ex.difference_in_means(rng.normal(10, 2, 4000) + 0.15 * t, t),
        "orders": ex.difference_in_means(rng.normal(3, 1, 4000), t),
        "conversion": ex.two_proportions((rng.random(4000) < 0.5).astype(int), t),
    }
    table = ex.metric_table(results, guardrails=("conversion",), margin=0.05)
    raw = [results["revenue"].p_value, results["orders"].p_value]
    np.testing.assert_allclose(table.loc[["revenue", "orders"], "p_adjusted"], multipletests(raw, method="holm")[1])
    assert np.isnan(table.loc["conversion", "p_adjusted"])
    assert table.loc["conversion", "role"] == "guardrail"
    assert table.loc["conversion", "decision"] in ("non-inferior", "not shown non-inferior")


def test_tables_moved_from_the_notebook_match_their_definitions(population):
    customers = population.customers
    aa = ex.simulate_splits(customers, ex.random_assignments(len(customers), 50, random_state=1),
                            methods=("welch", "cuped"), progress=False)  # fmt: skip
    spread = aa.groupby("method")["estimate"].var()
    assert ex.variance_reduction(aa)["cuped"] == pytest.approx(1 - spread["cuped"] / spread["welch"])
    y = customers["revenue"]
    sizing = ex.sizing_table(y, n_per_arm=1000, lift=0.1, reductions={"welch": 0.0, "cuped": 0.75})
    sd = y.std()
    assert sizing.loc["cuped", "power at this size"] == pytest.approx(ex.power_means(1000, sd * 0.5, 0.1 * y.mean()))
    assert sizing.loc["welch", "customers per arm for 80%"] == ex.sample_size_means(sd, 0.1 * y.mean())
    explained = ex.explained_without_top(customers)
    assert explained["all"] == pytest.approx(customers[["revenue", "pre_revenue"]].corr().iloc[0, 1] ** 2)


def test_sentences_branch_when_the_claim_fails():
    lossy = pd.DataFrame({"MDE at this size (%)": [49.8, 26.5]}, index=["welch", "cuped"])
    roomy = pd.DataFrame({"MDE at this size (%)": [4.0, 2.0]}, index=["welch", "cuped"])
    assert "Do not plan on lifts" in ex.reading.small_lift_decision(lossy, 0.05)
    assert "is detectable" in ex.reading.small_lift_decision(roomy, 0.05)
    rising = pd.DataFrame({"effect": [0.01, 0.05, 0.1], "low": [0.0, 0.03, 0.07], "high": [0.02, 0.07, 0.13]})
    falling = pd.DataFrame({"effect": [0.01, 0.1, 0.01], "low": [0.0, 0.07, -0.01], "high": [0.02, 0.13, 0.03]})
    assert "rises with propensity" in ex.reading.describe_world(rising, "a")
    assert "buy anyway" in ex.reading.describe_world(falling, "b")
    flat = pd.DataFrame({"revenue": [10.0, 11, 12, 13], "converted": [1, 1, 1, 1]})
    assert "not strongly skewed" in ex.reading.describe_population(flat, "EUR")
