"""Purchase propensity (notebook 03): session models, calibration, the targeting decision, explanations, plots."""

from shopai_lab.propensity.calibration import classification_metrics
from shopai_lab.propensity.decision import (
    UPLIFT_KINDS,
    best_threshold,
    break_even_probability,
    incentive_sensitivity,
    incentive_uplift_of,
    incremental_profit,
    policy_profit,
    profit_curve,
    uplift_profit_curve,
)
from shopai_lab.propensity.explain import partial_dependence
from shopai_lab.propensity.plots import (
    plot_calibration,
    plot_differences,
    plot_incentive_profit,
    plot_partial_dependence,
    plot_reliability,
    plot_threshold_profit,
)
from shopai_lab.propensity.reading import describe_incentive
from shopai_lab.propensity.selection import (
    CrossValidated,
    compare_calibration,
    cross_validate_models,
    evaluate_on_test,
    isotonic_map,
)
from shopai_lab.propensity.sessions import (
    CATEGORICAL_COLUMNS,
    EARLY_SESSION_FEATURES,
    LABEL,
    LATE_SESSION_FEATURES,
    LOG_COLUMNS,
    RATE_COLUMNS,
    SESSION_FEATURES,
    check_sessions,
    preprocessor,
    session_models,
    split_sessions,
)

__all__ = [
    "describe_incentive",
    "plot_incentive_profit",
    "CATEGORICAL_COLUMNS",
    "CrossValidated",
    "EARLY_SESSION_FEATURES",
    "LABEL",
    "LATE_SESSION_FEATURES",
    "LOG_COLUMNS",
    "RATE_COLUMNS",
    "SESSION_FEATURES",
    "UPLIFT_KINDS",
    "best_threshold",
    "break_even_probability",
    "check_sessions",
    "classification_metrics",
    "compare_calibration",
    "cross_validate_models",
    "evaluate_on_test",
    "incentive_sensitivity",
    "incentive_uplift_of",
    "incremental_profit",
    "isotonic_map",
    "partial_dependence",
    "plot_calibration",
    "plot_differences",
    "plot_partial_dependence",
    "plot_reliability",
    "plot_threshold_profit",
    "policy_profit",
    "preprocessor",
    "profit_curve",
    "session_models",
    "split_sessions",
    "uplift_profit_curve",
]
