"""Demand forecasting and inventory: weekly panel, forecasters, backtests, quantiles, stock policies.

Submodules used as such: :mod:`~shopai_lab.forecast.policy` (levels chosen on rolling validation windows,
bulk orders, the order list), :mod:`~shopai_lab.forecast.decision` (notebook 06's study step by step) and
:mod:`~shopai_lab.forecast.reading` (the sentences of its report).
"""

from shopai_lab.forecast.backtest import (
    combine_forecasts,
    compare_errors,
    evaluation_window,
    inverse_error_weights,
    naive_scales,
    paired_errors,
    product_errors,
    revenue_weights,
    rolling_origin,
    summarize_errors,
)
from shopai_lab.forecast.gbm import FEATURES, GlobalBoosting
from shopai_lab.forecast.inventory import (
    InventoryResult,
    critical_ratio,
    fill_rate_at_stock,
    levels_frame,
    normal_order_up_to,
    service_curve,
    simulate_order_up_to,
)
from shopai_lab.forecast.lgbm import LGBM_FEATURES, GlobalLightGBM
from shopai_lab.forecast.models import (
    SES,
    TSB,
    Croston,
    Ensemble,
    Forecaster,
    Holt,
    MovingAverage,
    MovingMedian,
    Naive,
)
from shopai_lab.forecast.panel import (
    INTERMITTENCY_CLASSES,
    DemandPanel,
    demand_lines,
    intermittency_classes,
    select_products,
    weekly_panel,
)
from shopai_lab.forecast.plots import plot_errors_by_horizon, plot_service_curves, plot_weekly_total
from shopai_lab.forecast.quantiles import (
    conformal_quantiles,
    coverage,
    cumulative_forecasts,
    pinball_loss,
    rolling_conformal,
)

__all__ = [
    "INTERMITTENCY_CLASSES",
    "DemandPanel",
    "demand_lines",
    "intermittency_classes",
    "select_products",
    "weekly_panel",
    "Forecaster",
    "Naive",
    "MovingAverage",
    "MovingMedian",
    "SES",
    "Holt",
    "Croston",
    "TSB",
    "Ensemble",
    "GlobalBoosting",
    "FEATURES",
    "GlobalLightGBM",
    "LGBM_FEATURES",
    "rolling_origin",
    "naive_scales",
    "revenue_weights",
    "product_errors",
    "summarize_errors",
    "paired_errors",
    "compare_errors",
    "inverse_error_weights",
    "combine_forecasts",
    "evaluation_window",
    "pinball_loss",
    "coverage",
    "cumulative_forecasts",
    "conformal_quantiles",
    "rolling_conformal",
    "critical_ratio",
    "normal_order_up_to",
    "InventoryResult",
    "simulate_order_up_to",
    "service_curve",
    "fill_rate_at_stock",
    "levels_frame",
    "plot_weekly_total",
    "plot_errors_by_horizon",
    "plot_service_curves",
]
