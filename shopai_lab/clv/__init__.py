"""Customer value (notebook 05): BG/NBD and Gamma-Gamma, customer value, holdout diagnostics, simulators."""

from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.churn import (
    CHURN_FEATURES,
    ChurnClassifier,
    auc,
    choose_churn_score,
    churn_features,
    churn_risk,
    churn_training_set,
    compare_churn_scores,
    quiet_by_group,
)
from shopai_lab.clv.diagnostics import (
    HOLDOUT_METRICS,
    compare_holdout,
    holdout_buckets,
    holdout_by_frequency,
    tracking_curve,
)
from shopai_lab.clv.fitting import ConvergenceError, IdentificationWarning, fit_and_note
from shopai_lab.clv.gamma_gamma import GammaGammaModel
from shopai_lab.clv.plots import plot_concentration, plot_differences, plot_holdout_by_frequency, plot_tracking
from shopai_lab.clv.reading import (
    describe_anonymous,
    describe_churn_choice,
    describe_classifier,
    describe_concentration,
    describe_decisions,
    describe_dropout,
    describe_extreme_lines,
    describe_holdout,
    describe_list_model,
    describe_outcome_check,
    describe_periods,
    describe_published_gap,
    describe_spend_independence,
    describe_total_error,
)
from shopai_lab.clv.simulate import simulate_bgnbd, simulate_gamma_gamma
from shopai_lab.clv.summary import (
    SUMMARY_COLUMNS,
    TIME_UNITS,
    extreme_line_revenue,
    holdout_split,
    summarize_customers,
)
from shopai_lab.clv.value import customer_value, score_customers, value_at_stake

__all__ = [
    "describe_total_error",
    "describe_spend_independence",
    "describe_published_gap",
    "describe_outcome_check",
    "describe_concentration",
    "describe_churn_choice",
    "describe_anonymous",
    "describe_periods",
    "describe_list_model",
    "describe_extreme_lines",
    "describe_dropout",
    "extreme_line_revenue",
    "auc",
    "BetaGeoModel",
    "CHURN_FEATURES",
    "ChurnClassifier",
    "ConvergenceError",
    "GammaGammaModel",
    "HOLDOUT_METRICS",
    "IdentificationWarning",
    "SUMMARY_COLUMNS",
    "TIME_UNITS",
    "choose_churn_score",
    "churn_features",
    "churn_risk",
    "churn_training_set",
    "compare_churn_scores",
    "compare_holdout",
    "customer_value",
    "describe_classifier",
    "describe_decisions",
    "describe_holdout",
    "fit_and_note",
    "holdout_buckets",
    "holdout_by_frequency",
    "holdout_split",
    "plot_concentration",
    "plot_differences",
    "plot_holdout_by_frequency",
    "plot_tracking",
    "quiet_by_group",
    "score_customers",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "summarize_customers",
    "tracking_curve",
    "value_at_stake",
]
