"""Dynamic pricing (notebook 04): demand models, optimal prices and guard rails, elasticity estimation, bandits,
simulators, plots.
"""

from shopai_lab.pricing.bandits import (
    UCB1,
    EpsilonGreedy,
    ExploreThenCommit,
    InventoryThompsonSampling,
    Policy,
    ThompsonSampling,
    lp_price_mixture,
)
from shopai_lab.pricing.demand import ConstantElasticityDemand, LinearDemand, LogitDemand, MultinomialLogitDemand
from shopai_lab.pricing.elasticity import (
    PANEL_CONTROLS,
    ElasticityFit,
    fit_logit_demand,
    fit_loglog_elasticity,
    price_panel,
    product_elasticities,
)
from shopai_lab.pricing.optimize import (
    PriceOptimum,
    PriceRecommendation,
    current_prices,
    optimize_price,
    price_recommendations,
    profit_change,
    profit_change_range,
    recommend_price,
)
from shopai_lab.pricing.plots import plot_profit_curve, plot_regret, plot_relative_profit, plot_shrinkage
from shopai_lab.pricing.simulate import PricingRun, race, simulate_price_panel, simulate_pricing

__all__ = [
    "ConstantElasticityDemand",
    "ElasticityFit",
    "EpsilonGreedy",
    "ExploreThenCommit",
    "InventoryThompsonSampling",
    "LinearDemand",
    "LogitDemand",
    "MultinomialLogitDemand",
    "PANEL_CONTROLS",
    "Policy",
    "PriceOptimum",
    "PriceRecommendation",
    "PricingRun",
    "ThompsonSampling",
    "UCB1",
    "current_prices",
    "fit_logit_demand",
    "fit_loglog_elasticity",
    "lp_price_mixture",
    "optimize_price",
    "plot_profit_curve",
    "plot_regret",
    "plot_relative_profit",
    "plot_shrinkage",
    "price_panel",
    "price_recommendations",
    "product_elasticities",
    "profit_change",
    "profit_change_range",
    "race",
    "recommend_price",
    "simulate_price_panel",
    "simulate_pricing",
]
