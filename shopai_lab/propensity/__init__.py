"""Purchase propensity (notebook 03): session models, calibration, the targeting decision, explanations, plots."""

from shopai_lab.propensity.calibration import classification_metrics, expected_calibration_error, reliability_table
from shopai_lab.propensity.decision import profit_curve
from shopai_lab.propensity.explain import partial_dependence
from shopai_lab.propensity.plots import plot_partial_dependence, plot_reliability, plot_threshold_profit
from shopai_lab.propensity.sessions import (
    CATEGORICAL_COLUMNS,
    LABEL,
    LOG_COLUMNS,
    RATE_COLUMNS,
    SESSION_FEATURES,
    check_sessions,
    preprocessor,
    session_models,
    split_sessions,
)

__all__ = [
    "CATEGORICAL_COLUMNS",
    "LABEL",
    "LOG_COLUMNS",
    "RATE_COLUMNS",
    "SESSION_FEATURES",
    "check_sessions",
    "classification_metrics",
    "expected_calibration_error",
    "partial_dependence",
    "plot_partial_dependence",
    "plot_reliability",
    "plot_threshold_profit",
    "preprocessor",
    "profit_curve",
    "reliability_table",
    "session_models",
    "split_sessions",
]
