"""Bad input to shopai_lab.experiments: every row raises a clear error naming what is wrong, inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import experiments as ex
from tests._bad_input import check_row, pounds, row_ids, tiny_transactions

Y = np.arange(20.0)
T = np.arange(20) % 2
SPLITS = ex.random_assignments(20, 3, design="complete", random_state=0)
CUSTOMERS = pd.DataFrame(
    {
        "revenue": Y,
        "converted": (Y > 5).astype(int),
        "orders": np.ones(20),
        "pre_revenue": Y[::-1].copy(),
        "pre_days_since_last": np.linspace(1.0, 300.0, 20),
        "pre_invoices": np.arange(1.0, 21.0),
        "pre_mean_invoice": np.full(20, 10.0),
    }
)
WEEKLY = np.cumsum(np.ones((20, 3)), axis=1)
ESTIMATE = ex.difference_in_means(Y, T)
PURCHASES = tiny_transactions().assign(revenue=[2.5, 2.0, 7.5, 4.0, 4.0, 8.0])
X = np.column_stack([Y, Y[::-1] ** 2])
ARMS = pd.Series(["a", "b"] * 10, index=[str(i) for i in range(20)])
SIMULATED = pd.DataFrame({"method": "welch", "estimate": Y, "se": 1.0, "reject": False, "covered": True, "truth": 0.0})


def _constant_arms(y, treatment):
    return ex.difference_in_means(y, treatment)


ROWS = [
    # estimators: arrays, arms, alpha
    (ex.difference_in_means, {"y": Y, "treatment": T[:10]}, ValueError, r"treatment has 10 values.*20"),
    (ex.difference_in_means, {"y": Y, "treatment": np.ones(20)}, ValueError, "each arm needs"),
    (ex.difference_in_means, {"y": np.r_[np.nan, Y[1:]], "treatment": T}, ValueError, r"y has 1 missing \(NaN\)"),
    (ex.difference_in_means, {"y": np.r_[np.inf, Y[1:]], "treatment": T}, ValueError, r"y has 1 missing \(NaN\)"),
    (ex.difference_in_means, {"y": Y.astype(str), "treatment": T}, TypeError, "y must hold numbers"),
    (ex.difference_in_means, {"y": [], "treatment": []}, ValueError, "y is empty"),
    (ex.difference_in_means, {"y": Y, "treatment": T, "alpha": 1.5}, ValueError, "alpha"),
    (ex.difference_in_means, {"y": Y, "treatment": np.arange(20)}, ValueError, "treatment must be binary"),
    (ex.difference_in_means, {"y": Y, "treatment": np.linspace(0, 1, 20)}, ValueError, "treatment must be binary"),
    (ex.difference_in_means, {"y": Y, "treatment": T, "cap": "100"}, TypeError, "cap must be a number"),
    (
        _constant_arms,
        {"y": T.astype(float), "treatment": T},
        ValueError,
        r"y has no variance within either arm \(treatment and control\)",
    ),
    (ex.two_proportions, {"converted": T, "treatment": T, "alpha": 0}, ValueError, "alpha"),
    (ex.two_proportions, {"converted": Y, "treatment": T}, ValueError, "converted must be binary"),
    (ex.two_proportions, {"converted": np.zeros(20), "treatment": T}, ValueError, "no variance within either arm"),
    (ex.cuped, {"y": Y, "pre": Y, "treatment": T, "alpha": "0.05"}, TypeError, "alpha"),
    (ex.cuped, {"y": Y, "pre": np.ones(20), "treatment": T}, ValueError, "pre is constant"),
    (ex.cuped, {"y": Y, "pre": Y[:5], "treatment": T}, ValueError, r"pre has 5 values.*y has 20"),
    (ex.ratio_metric, {"numerator": Y, "denominator": Y[:5], "treatment": T}, ValueError, "denominator"),
    (ex.ratio_metric, {"numerator": Y, "denominator": -np.ones(20), "treatment": T}, ValueError, "denominator"),
    (ex.relative_lift, {"y": Y, "treatment": T, "interval": "wald"}, ValueError, "interval"),
    (ex.relative_lift, {"y": -Y, "treatment": T}, ValueError, "positive control mean"),
    (
        ex.regression_adjustment,
        {"y": Y, "covariates": Y[:, None], "treatment": T, "cov_type": "HC9"},
        ValueError,
        "cov_type",
    ),
    (ex.regression_adjustment, {"y": Y, "covariates": Y, "treatment": T}, ValueError, "covariates must be 2-dim"),
    (ex.regression_adjustment, {"y": Y, "covariates": X[:5], "treatment": T}, ValueError, "covariates has 5 rows"),
    (ex.winsorize, {"values": Y, "cap": "100"}, TypeError, "cap must be a number"),
    (ex.winsorize, {"values": Y, "cap": np.nan}, ValueError, "cap must be a finite number"),
    (ex.capping_threshold, {"values": Y, "quantile": 1.0}, ValueError, "quantile"),
    (ex.capping_threshold, {"values": [], "quantile": 0.9}, ValueError, "values is empty"),
    # the vectorised cores
    (ex.welch_arrays, {"Y": Y, "T": SPLITS.astype(float)}, TypeError, "T must be a boolean"),
    (ex.welch_arrays, {"Y": Y[:5], "T": SPLITS}, ValueError, r"Y must have 20 values"),
    (ex.welch_arrays, {"Y": np.r_[np.nan, Y[1:]], "T": SPLITS}, ValueError, "Y has 1 missing"),
    (ex.welch_arrays, {"Y": Y, "T": SPLITS, "alpha": 2}, ValueError, "alpha"),
    (ex.welch_arrays, {"Y": Y, "T": SPLITS, "treated_scale": np.nan}, ValueError, "treated_scale"),
    (ex.proportions_arrays, {"Y": Y, "T": SPLITS[0]}, ValueError, "T must be 2-dimensional"),
    (ex.relative_lift_arrays, {"Y": Y, "T": SPLITS, "interval": "x"}, ValueError, "interval"),
    (ex.ratio_arrays, {"N": Y, "D": Y[:3], "T": SPLITS}, ValueError, "D must have 20 values"),
    (ex.cuped_arrays, {"Y": Y, "x": Y[:3], "T": SPLITS}, ValueError, "x must have 20 values"),
    (ex.regression_arrays, {"Y": Y, "covariates": X, "T": SPLITS, "cov_type": "HC9"}, ValueError, "cov_type"),
    (ex.regression_arrays, {"Y": Y, "covariates": X[:3], "T": SPLITS}, ValueError, "covariates must have 20 rows"),
    # assignment and sample-ratio checks
    (ex.srm_test, {"counts": [10]}, ValueError, "two arms"),
    (ex.srm_test, {"counts": [10, -1]}, ValueError, "non-negative"),
    (ex.srm_test, {"counts": [10, 10], "threshold": 2}, ValueError, "threshold"),
    (ex.srm_test, {"counts": ["10", "12"]}, TypeError, "counts must hold numbers"),
    (ex.srm_test, {"counts": [10, np.inf]}, ValueError, "counts"),
    (ex.srm_test, {"counts": [10, 10], "expected_shares": [1.0, np.nan]}, ValueError, "expected_shares"),
    (ex.srm_test, {"counts": [10, 10], "expected_shares": ["1", "1"]}, TypeError, "expected_shares"),
    (ex.srm_power, {"n": 0, "observed_share": 0.5}, ValueError, "n must be >= 1"),
    (ex.srm_power, {"n": 10.5, "observed_share": 0.5}, TypeError, "n must be an integer"),
    (ex.srm_power, {"n": 100, "observed_share": 1.5}, ValueError, "observed_share"),
    (ex.assign, {"unit_ids": ["a"], "salt": ""}, ValueError, "salt"),
    (ex.assign, {"unit_ids": ["a"], "salt": "s", "weights": [1, -1]}, ValueError, "weights"),
    (ex.assign, {"unit_ids": ["a"], "salt": "s", "weights": ["1", "1"]}, TypeError, "weights"),
    (ex.assign, {"unit_ids": ["a"], "salt": "s", "arms": "AB"}, TypeError, "arms must be a list"),
    (ex.assign, {"unit_ids": "abc", "salt": "s"}, TypeError, "unit_ids must be"),
    (ex.hash_buckets, {"unit_ids": "abc", "salt": "s"}, TypeError, "unit_ids must be"),
    (ex.hash_buckets, {"unit_ids": ["a"], "salt": "s", "n_buckets": 1}, ValueError, "n_buckets"),
    (ex.balance_check, {"arms": ARMS, "names": ["a"]}, ValueError, r"names leaves out arm\(s\) \['b'\]"),
    (ex.balance_check, {"arms": ARMS.where(ARMS == "a")}, ValueError, "arms has 10 missing"),
    (ex.balance_check, {"arms": ["a", "b"]}, TypeError, "arms must be a Series"),
    (ex.independence_check, {"first": ARMS, "second": ARMS.to_numpy()}, TypeError, "second must be a Series"),
    (ex.random_assignments, {"n_units": 10, "n_splits": 2, "design": "x"}, ValueError, "design"),
    (ex.random_assignments, {"n_units": 10, "n_splits": 2, "share": 1.0}, ValueError, "share"),
    # power and sample size
    (ex.power_means, {"n_per_arm": "100", "sd": 1.0, "effect": 0.2}, TypeError, "n_per_arm"),
    (ex.power_means, {"n_per_arm": 100, "sd": 1.0, "effect": np.nan}, ValueError, "effect"),
    (ex.power_means, {"n_per_arm": 100, "sd": 0.0, "effect": 0.2}, ValueError, "sd"),
    (ex.sample_size_means, {"sd": 1.0, "effect": 0.1, "power": 1.0}, ValueError, "power"),
    (ex.sample_size_means, {"sd": 1.0, "effect": 0.0}, ValueError, "effect"),
    (ex.sample_size_means, {"sd": 1.0, "effect": "0.1"}, TypeError, "effect"),
    (ex.mde_means, {"n_per_arm": -1, "sd": 1.0}, ValueError, "n_per_arm"),
    (ex.sample_size_proportions, {"p_control": 0.1, "points": "0.02"}, TypeError, "points"),
    (ex.sample_size_proportions, {"p_control": 0.1, "points": 0.95}, ValueError, "points"),
    (ex.power_proportions, {"n_per_arm": 100, "p_control": 0.1, "points": np.nan}, ValueError, "points"),
    (ex.simulated_power, {"customers": CUSTOMERS, "lifts": [], "progress": False}, ValueError, "lifts is empty"),
    (ex.simulated_power, {"customers": CUSTOMERS, "lifts": 0.05, "progress": False}, TypeError, "lifts must be"),
    (ex.simulated_power, {"customers": CUSTOMERS, "lifts": [np.nan], "progress": False}, ValueError, "lifts"),
    # several metrics
    (ex.adjust_pvalues, {"p_values": [0.1], "method": "sidak2"}, ValueError, "method"),
    (ex.adjust_pvalues, {"p_values": [1.2]}, ValueError, "p_values"),
    (ex.adjust_pvalues, {"p_values": [np.nan, 0.1]}, ValueError, "p_values"),
    (ex.adjust_pvalues, {"p_values": []}, ValueError, "p_values is empty"),
    (ex.metric_table, {"results": {"revenue": ESTIMATE}, "guardrails": "revenue"}, TypeError, "guardrails must be"),
    (ex.metric_table, {"results": {"revenue": 0.3}}, TypeError, r"results\['revenue'\] must be a EffectEstimate"),
    (ex.metric_table, {"results": [ESTIMATE]}, TypeError, "results must be a dict"),
    (ex.metric_table, {"results": {}}, ValueError, "results is empty"),
    # sequential tests
    (ex.group_sequential_bounds, {"information": [2, 1]}, ValueError, "increasing"),
    (ex.group_sequential_bounds, {"information": [1, 2], "spending": "linear"}, ValueError, "spending"),
    (ex.group_sequential_bounds, {"information": [1, 2], "grid_points": 801.0}, TypeError, "grid_points"),
    (ex.group_sequential_bounds, {"information": [1, np.nan]}, ValueError, "information"),
    (ex.alpha_spent, {"t": [0.5, np.nan]}, ValueError, r"t has 1 missing"),
    (ex.alpha_spent, {"t": [0.5, 1.5]}, ValueError, r"t must be in \(0, 1\]"),
    (ex.alpha_spent, {"t": ["0.5"]}, TypeError, "t must hold numbers"),
    (ex.mixture_halfwidth, {"variance": 1.0, "tau": 0.0}, ValueError, "tau"),
    (ex.mixture_halfwidth, {"variance": 1.0, "tau": "1"}, TypeError, "tau"),
    (ex.mixture_halfwidth, {"variance": 0.0, "tau": 1.0}, ValueError, "variance must be > 0"),
    (ex.msprt_statistic, {"estimate": 0.1, "variance": 1.0, "tau": 0.0}, ValueError, "tau"),
    (ex.msprt_statistic, {"estimate": np.nan, "variance": 1.0, "tau": 1.0}, ValueError, "estimate"),
    (ex.msprt_statistic, {"estimate": 0.1, "variance": -1.0, "tau": 1.0}, ValueError, "variance"),
    (ex.always_valid_pvalues, {"estimates": [0.1, 0.2], "variances": [1.0, 0.5], "tau": 0.0}, ValueError, "tau"),
    (
        ex.always_valid_pvalues,
        {"estimates": [0.1, 0.2], "variances": [1.0, 0.5, 0.2], "tau": 1.0},
        ValueError,
        "estimate and variance must have the same shape",
    ),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS.astype(float) * 0.7, "progress": False}, ValueError, "T"),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS, "tau": 0.0, "progress": False}, ValueError, "tau"),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS, "progress": "no"}, TypeError, "progress"),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS, "lift": "5%", "progress": False}, TypeError, "lift"),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS, "metric": "clicks", "progress": False}, ValueError, "metric"),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS, "chunk_size": 0, "progress": False}, ValueError, "chunk_s"),
    (
        ex.simulate_peeking,
        {"weekly": WEEKLY, "T": SPLITS, "metric": "conversion", "conversion_points": "1", "progress": False},
        TypeError,
        "conversion_points",
    ),
    (ex.simulate_peeking, {"weekly": WEEKLY, "T": SPLITS, "critical_z": [2.0], "progress": False}, ValueError, "looks"),
    (ex.summarize_peeking, {"results": pd.DataFrame({"fixed_reject": [True]})}, ValueError, "missing column"),
    # simulations on real customers
    (ex.simulate_splits, {"customers": pd.DataFrame(), "T": SPLITS, "methods": ("z",)}, ValueError, "unknown method"),
    (ex.simulate_splits, {"customers": CUSTOMERS, "T": SPLITS, "methods": "welch"}, TypeError, "methods must be a l"),
    (ex.simulate_splits, {"customers": pd.DataFrame({"revenue": Y}), "T": SPLITS}, ValueError, "missing column"),
    (
        ex.simulate_splits,
        {"customers": CUSTOMERS, "T": SPLITS.astype(float) * 0.7, "methods": ("welch",), "progress": False},
        ValueError,
        "T must be binary",
    ),
    (
        ex.simulate_splits,
        {"customers": CUSTOMERS, "T": SPLITS, "methods": ("welch",), "lift": "5%", "progress": False},
        TypeError,
        "lift",
    ),
    (
        ex.simulate_splits,
        {"customers": CUSTOMERS, "T": SPLITS, "methods": ("welch (capped)",), "cap": np.nan, "progress": False},
        ValueError,
        "cap",
    ),
    (
        ex.simulate_splits,
        {"customers": CUSTOMERS, "T": SPLITS, "methods": ("welch",), "covariates": "pre_revenue", "progress": False},
        TypeError,
        "covariates must be a list",
    ),
    (
        ex.simulate_splits,
        {"customers": CUSTOMERS, "T": SPLITS, "methods": ("welch",), "chunk_size": 0, "progress": False},
        ValueError,
        "chunk_size",
    ),
    (
        ex.simulate_splits,
        {"customers": CUSTOMERS.assign(revenue="£1"), "T": SPLITS, "methods": ("welch",), "progress": False},
        TypeError,
        r"customers\['revenue'\]",
    ),
    (ex.summarize_splits, {"results": SIMULATED.drop(columns="se")}, ValueError, "missing column"),
    (ex.aa_tolerance, {"alpha": 0.05, "n_splits": 0}, ValueError, "n_splits"),
    (ex.aa_tolerance, {"alpha": 0.05, "n_splits": 100, "z": -3.0}, ValueError, "z must be a positive"),
    (
        ex.drop_top_treated,
        {"customers": CUSTOMERS, "T": SPLITS.astype(float) * 0.7, "n_dropped": 1},
        ValueError,
        "T must be binary",
    ),
    (ex.drop_top_treated, {"customers": CUSTOMERS, "T": SPLITS[:, :5], "n_dropped": 1}, ValueError, "T must have"),
    (ex.drop_top_treated, {"customers": CUSTOMERS, "T": SPLITS, "n_dropped": -1}, ValueError, "n_dropped"),
    (
        ex.drop_top_treated,
        {"customers": CUSTOMERS.assign(pre_revenue="£1"), "T": SPLITS, "n_dropped": 1},
        TypeError,
        r"customers\['pre_revenue'\]",
    ),
    # the population
    (
        ex.experiment_population,
        {
            "purchases": PURCHASES,
            "pre_period_end": "2024-01-10",
            "experiment_weeks": 1,
            "experiment_start": "2024-01-05",
        },
        ValueError,
        "overlaps",
    ),
    (
        ex.experiment_population,
        {"purchases": PURCHASES.assign(timestamp=PURCHASES["timestamp"].astype(str))},
        TypeError,
        "datetime",
    ),
    (
        ex.experiment_population,
        {"purchases": PURCHASES.assign(revenue=[f"£{v}" for v in PURCHASES["revenue"]])},
        TypeError,
        r"purchases\['revenue'\]",
    ),
    (
        ex.experiment_population,
        {"purchases": pounds(PURCHASES.drop(columns="revenue"))},
        TypeError,
        r"purchases\['unit_price'\]",
    ),
    (ex.experiment_population, {"purchases": PURCHASES, "experiment_weeks": 0}, ValueError, "experiment_weeks"),
    (
        ex.default_pre_period_end,
        {"purchases": PURCHASES.assign(timestamp=PURCHASES["timestamp"].astype(str))},
        TypeError,
        "datetime",
    ),
    # uplift
    (ex.TLearner().fit, {"X": np.ones((40, 1)), "y": np.zeros(40), "treatment": np.arange(40) % 2}, ValueError, "sing"),
    (
        ex.TLearner().fit,
        {"X": np.ones((40, 1)), "y": np.linspace(0, 1, 40), "treatment": T},
        ValueError,
        "y must be bi",
    ),
    (ex.XLearner(propensity="half").fit, {"X": X, "y": T, "treatment": T}, TypeError, "propensity"),
    (ex.XLearner(propensity=1.0).fit, {"X": X, "y": T, "treatment": T}, ValueError, "propensity"),
    (ex.TLearner().predict, {"X": X}, ValueError, "not fitted"),
    (ex.simulate_incentive, {"customers": CUSTOMERS.iloc[:0]}, ValueError, "customers is empty"),
    (ex.simulate_incentive, {"customers": CUSTOMERS, "share_treated": 1.5}, ValueError, "share_treated"),
    (ex.simulate_incentive, {"customers": CUSTOMERS, "max_effect": "0.2"}, TypeError, "max_effect"),
    (
        ex.simulate_incentive,
        {"customers": CUSTOMERS.assign(pre_invoices=0.0)},
        ValueError,
        r"customers\['pre_invoices'\]",
    ),
    (
        ex.simulate_incentive,
        {"customers": CUSTOMERS.assign(pre_days_since_last=np.nan)},
        ValueError,
        r"customers\['pre_days_since_last'\]",
    ),
    (ex.uplift_curve, {"y": Y, "treatment": T, "score": Y[:5]}, ValueError, "score has 5 values"),
    (ex.uplift_curve, {"y": Y, "treatment": T, "score": np.r_[np.nan, Y[1:]]}, ValueError, "score"),
    (ex.auuc, {"y": Y, "treatment": T * 0.5, "score": Y}, ValueError, "treatment must be binary"),
    (
        ex.targeting_profit,
        {"effect": [0.1, 0.2], "selected": [True], "conversion_value": 1, "incentive_cost": 0},
        ValueError,
        "selected",
    ),
    (
        ex.targeting_profit,
        {"effect": [0.1, 0.2], "selected": [0.9, 0.2], "conversion_value": 1, "incentive_cost": 0},
        ValueError,
        "selected must be binary",
    ),
    (
        ex.targeting_profit,
        {"effect": [0.1, 0.2], "selected": [1, 0], "conversion_value": np.nan, "incentive_cost": 0},
        ValueError,
        "conversion_value",
    ),
    (
        ex.targeting_profit,
        {"effect": [0.1, 0.2], "selected": [1, 0], "conversion_value": 1, "incentive_cost": "2"},
        TypeError,
        "incentive_cost",
    ),
    # DR-learner, scenarios, targeting studies
    (ex.DRLearner(n_folds=1).fit, {"X": X, "y": T, "treatment": T}, ValueError, "n_folds"),
    (ex.DRLearner(propensity=0.0).fit, {"X": X, "y": T, "treatment": T}, ValueError, "propensity"),
    (ex.DRLearner().fit, {"X": X[:5], "y": T, "treatment": T}, ValueError, "X has 5 rows"),
    (ex.DRLearner().predict, {"X": X}, ValueError, "not fitted"),
    (ex.simulate_incentive, {"customers": CUSTOMERS, "scenario": "agree"}, ValueError, "scenario"),
    (ex.simulate_incentive, {"customers": CUSTOMERS, "relative_uplift": -0.1}, ValueError, "relative_uplift"),
    (ex.default_classifier, {"random_state": "zero"}, TypeError, "random_state"),
    (ex.default_regressor, {"random_state": 1.5}, TypeError, "random_state"),
    (ex.incentive_study, {"customers": CUSTOMERS, "scenario": "other", "n_customers": 100}, ValueError, "scenario"),
    (ex.incentive_study, {"customers": CUSTOMERS, "scenario": "buy anyway", "n_customers": 5}, ValueError, "n_cust"),
    (ex.incentive_studies, {"customers": CUSTOMERS, "n_customers": 100, "n_seeds": 0}, ValueError, "n_seeds"),
    (
        ex.observed_profit,
        {"y": [1, 0], "treatment": [1, 0], "selected": [1], "conversion_value": 1, "incentive_cost": 0},
        ValueError,
        "selected",
    ),
    (
        ex.observed_profit,
        {"y": [1, 0], "treatment": [1, 0], "selected": [1, 0], "conversion_value": 0, "incentive_cost": 0},
        ValueError,
        "conversion_value",
    ),
    (
        ex.observed_profit,
        {"y": [1, 0], "treatment": [0.3, 0.7], "selected": [1, 0], "conversion_value": 1, "incentive_cost": 0},
        ValueError,
        "treatment must be binary",
    ),
    (
        ex.targeting_runs,
        {"studies": [], "thresholds": {}, "conversion_value": 1, "incentive_cost": 0},
        ValueError,
        "empty",
    ),
    (
        ex.targeting_runs,
        {"studies": [1], "thresholds": {}, "conversion_value": 1, "incentive_cost": 0},
        TypeError,
        "stud",
    ),
    (ex.targeting_table, {"runs": pd.DataFrame({"rule": ["x"]})}, KeyError, "scenario"),
    (
        ex.choose_rules,
        {"studies": [1], "thresholds": {}, "conversion_value": 1, "incentive_cost": 0},
        TypeError,
        "stud",
    ),
    (
        ex.choose_rules,
        {"studies": [], "thresholds": {}, "conversion_value": -1, "incentive_cost": 0},
        ValueError,
        "conv",
    ),
    (
        ex.choose_rules,
        {"studies": [], "thresholds": {}, "conversion_value": 1, "incentive_cost": 0},
        ValueError,
        "empty",
    ),
    (ex.effect_by_propensity, {"y": T, "treatment": T, "propensity": Y}, ValueError, "propensity"),
    (ex.effect_by_propensity, {"y": T, "treatment": T, "propensity": Y[:5] / 20}, ValueError, "propensity has 5"),
    (ex.effect_by_propensity, {"y": T, "treatment": T, "propensity": Y / 20, "n_bands": 0}, ValueError, "n_bands"),
    # non-inferiority, tables moved out of the notebook
    (ex.noninferiority, {"result": 0.3, "margin": 0.05}, TypeError, "result"),
    (ex.noninferiority, {"result": ESTIMATE, "margin": 0.0}, ValueError, "margin"),
    (ex.noninferiority, {"result": ESTIMATE, "margin": "5%"}, TypeError, "margin"),
    (ex.metric_table, {"results": {"revenue": ESTIMATE}, "guardrails": ("revenue",)}, ValueError, "decision metric"),
    (
        ex.metric_table,
        {"results": {"a": ESTIMATE, "b": ESTIMATE}, "guardrails": ("b",), "margin": -1},
        ValueError,
        "margin",
    ),
    (ex.variance_reduction, {"results": SIMULATED, "baseline": "cuped"}, ValueError, "baseline 'cuped'"),
    (ex.variance_reduction, {"results": SIMULATED.drop(columns="estimate")}, ValueError, "estimate"),
    (ex.explained_without_top, {"customers": CUSTOMERS, "top_share": 1.5}, ValueError, "top_share"),
    (ex.explained_without_top, {"customers": CUSTOMERS.drop(columns="pre_revenue")}, ValueError, "pre_revenue"),
    (ex.sizing_table, {"y": Y, "n_per_arm": 10, "lift": 0.1, "reductions": {"cuped": 1.0}}, ValueError, "reductions"),
    (ex.sizing_table, {"y": np.zeros(20), "n_per_arm": 10, "lift": 0.1}, ValueError, "mean 0"),
    (ex.sizing_table, {"y": Y, "n_per_arm": 0, "lift": 0.1}, ValueError, "n_per_arm"),
    (ex.reading.describe_population, {"customers": CUSTOMERS, "currency": 3}, TypeError, "currency"),
    (
        ex.reading.describe_population,
        {"customers": CUSTOMERS.drop(columns="converted"), "currency": "EUR"},
        ValueError,
        "conv",
    ),
    (ex.reading.describe_world, {"bands": pd.DataFrame({"effect": [0.1]}), "scenario": "w"}, ValueError, "low"),
    (
        ex.reading.describe_sizing,
        {"sizing": pd.DataFrame(), "lift": 0.05, "mean": 1, "n_per_arm": 1, "currency": "EUR"},
        ValueError,
        "sizing",
    ),
    (ex.reading.describe_metric_table, {"table": pd.DataFrame({"estimate": [1.0]}), "alpha": 0.05}, ValueError, "role"),
    # plots
    (ex.plot_pvalue_histograms, {"results": SIMULATED.assign(p_value=0.5), "methods": "welch"}, TypeError, "methods"),
    (
        ex.plot_pvalue_histograms,
        {"results": SIMULATED.assign(p_value=0.5), "methods": ["welch"], "bins": 0},
        ValueError,
        "bins",
    ),
    (ex.plot_peeking, {"bounds": pd.DataFrame({"look": [1], "critical_z": [2.0]}), "alpha": 5}, ValueError, "alpha"),
    (ex.plot_qini, {"curves": [SIMULATED]}, TypeError, "curves must be a dict"),
    (ex.plot_power, {"table": SIMULATED.assign(lift=0.0, power=0.5), "analytic": [0.8]}, TypeError, "analytic"),
    (ex.plot_power, {"table": SIMULATED}, ValueError, "missing column"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_input_gives_the_same_answers_as_before():
    y, t = Y.copy(), T.copy()
    assert ex.difference_in_means(y, t, cap=5.0).estimate == pytest.approx(0.3)
    ex.cuped(y, (7 * y) % 5, t)
    np.testing.assert_array_equal(y, Y)
    np.testing.assert_array_equal(t, T)
    # a share of 0 or 1 is a real proportion: only both arms constant at once is refused
    res = ex.two_proportions(np.r_[np.zeros(10), (np.arange(10) % 2)], np.r_[np.zeros(10), np.ones(10)])
    assert res.estimate == 0.5 and res.se > 0
    assert ex.targeting_profit([0.2, 0.0], np.array([True, False]), conversion_value=10, incentive_cost=1) == 1.0
