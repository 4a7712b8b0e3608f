"""Experiments: A/B tests an analyst can trust, and targeting by uplift (notebook 07).

Assignment and sample-ratio checks, estimators with intervals (Welch, two
proportions, ratio metrics, relative lift, capping), variance reduction
(CUPED, regression adjustment), power, sequential testing, multiple-testing
corrections, A/A and A/B simulation on real customers, and uplift models.
"""

from shopai_lab.experiments.assignment import assign, balance_check, hash_buckets, independence_check
from shopai_lab.experiments.estimators import (
    EffectEstimate,
    capping_threshold,
    difference_in_means,
    proportions_arrays,
    ratio_arrays,
    ratio_metric,
    relative_lift,
    relative_lift_arrays,
    two_proportions,
    welch_arrays,
    winsorize,
)
from shopai_lab.experiments.multiple import adjust_pvalues, metric_table
from shopai_lab.experiments.plots import plot_peeking, plot_power, plot_pvalue_histograms, plot_qini
from shopai_lab.experiments.population import (
    COVARIATES,
    ExperimentPopulation,
    default_pre_period_end,
    experiment_population,
)
from shopai_lab.experiments.power import (
    mde_means,
    power_means,
    power_proportions,
    sample_size_means,
    sample_size_proportions,
    simulated_power,
)
from shopai_lab.experiments.sequential import (
    alpha_spent,
    always_valid_pvalues,
    group_sequential_bounds,
    mixture_halfwidth,
    msprt_statistic,
    simulate_peeking,
    summarize_peeking,
)
from shopai_lab.experiments.simulate import (
    METHODS,
    aa_tolerance,
    drop_top_treated,
    random_assignments,
    simulate_splits,
    summarize_splits,
)
from shopai_lab.experiments.srm import DEFAULT_SRM_THRESHOLD, SRMResult, srm_power, srm_test
from shopai_lab.experiments.uplift import (
    UPLIFT_FEATURES,
    IncentiveExperiment,
    TLearner,
    XLearner,
    auuc,
    simulate_incentive,
    targeting_profit,
    uplift_curve,
)
from shopai_lab.experiments.variance_reduction import (
    cuped,
    cuped_arrays,
    regression_adjustment,
    regression_arrays,
)

__all__ = [
    "COVARIATES",
    "DEFAULT_SRM_THRESHOLD",
    "METHODS",
    "UPLIFT_FEATURES",
    "EffectEstimate",
    "ExperimentPopulation",
    "IncentiveExperiment",
    "SRMResult",
    "TLearner",
    "XLearner",
    "aa_tolerance",
    "adjust_pvalues",
    "alpha_spent",
    "always_valid_pvalues",
    "assign",
    "auuc",
    "balance_check",
    "capping_threshold",
    "cuped",
    "cuped_arrays",
    "default_pre_period_end",
    "difference_in_means",
    "drop_top_treated",
    "experiment_population",
    "group_sequential_bounds",
    "hash_buckets",
    "independence_check",
    "mde_means",
    "metric_table",
    "mixture_halfwidth",
    "msprt_statistic",
    "plot_peeking",
    "plot_power",
    "plot_pvalue_histograms",
    "plot_qini",
    "power_means",
    "power_proportions",
    "proportions_arrays",
    "random_assignments",
    "ratio_arrays",
    "ratio_metric",
    "regression_adjustment",
    "regression_arrays",
    "relative_lift",
    "relative_lift_arrays",
    "sample_size_means",
    "sample_size_proportions",
    "simulate_incentive",
    "simulate_peeking",
    "simulate_splits",
    "simulated_power",
    "srm_power",
    "srm_test",
    "summarize_peeking",
    "summarize_splits",
    "targeting_profit",
    "two_proportions",
    "uplift_curve",
    "welch_arrays",
    "winsorize",
]
