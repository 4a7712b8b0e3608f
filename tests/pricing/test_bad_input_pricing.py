"""Bad input to shopai_lab.pricing: errors name the parameter or column; inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import pricing, stats
from tests._bad_input import check_row, pounds, text_dates, tiny_transactions

TX = tiny_transactions()
IDX = ["p1", "p2"]
E, PRICE, UNITS = pd.Series([-2.0, -0.5], IDX), pd.Series([10.0, 5.0], IDX), pd.Series([100.0, 20.0], IDX)
EMPTY = pd.Series([], dtype=float)
PANEL = pd.DataFrame(
    {
        "item_id": ["a"] * 3,
        "period": [1, 2, 3],
        "units": [5, 6, 7],
        "price": [1.0, 1.1, 1.2],
        "log_shop_units": 1.0,
        "wholesale_share": 0.0,
        "non_uk_share": 0.0,
    }
)

ROWS = [
    (pricing.price_panel, {"purchases": pounds(TX)}, TypeError, r"purchases\['unit_price'\].*'£2.50'"),
    (pricing.price_panel, {"purchases": text_dates(TX)}, TypeError, r"purchases\['timestamp'\]"),
    (pricing.price_panel, {"purchases": TX.iloc[:0]}, ValueError, "purchases is empty"),
    (pricing.price_panel, {"purchases": TX, "freq": "fortnight"}, ValueError, "freq"),
    (pricing.price_panel, {"purchases": TX, "min_periods": 2.5}, TypeError, "min_periods"),
    (pricing.price_panel, {"purchases": TX, "wholesale_quantity": "24"}, TypeError, "wholesale_quantity"),
    (
        pricing.price_recommendations,
        {"elasticity": EMPTY, "current_price": EMPTY, "weekly_units": EMPTY},
        ValueError,
        "no products",
    ),
    (
        pricing.price_recommendations,
        {"elasticity": E, "current_price": PRICE.astype(str), "weekly_units": UNITS},
        TypeError,
        "current_price",
    ),
    (
        pricing.price_recommendations,
        {"elasticity": E, "current_price": PRICE * -1, "weekly_units": UNITS},
        ValueError,
        "current_price must be positive",
    ),
    (
        pricing.price_recommendations,
        {"elasticity": E.tolist(), "current_price": PRICE, "weekly_units": UNITS},
        TypeError,
        "elasticity must be a Series",
    ),
    (
        pricing.price_recommendations,
        {"elasticity": E, "current_price": PRICE, "weekly_units": UNITS, "max_change": 2},
        ValueError,
        "max_change",
    ),
    (
        pricing.price_recommendations,
        {"elasticity": E, "current_price": PRICE, "weekly_units": UNITS.iloc[:1]},
        ValueError,
        "same products",
    ),
    (
        pricing.profit_change,
        {"elasticity": [-2.0, -1.5], "current_price": [10.0, 5.0, 1.0], "new_price": 11.0, "weekly_units": 10.0},
        ValueError,
        "mismatched shapes",
    ),
    (
        pricing.profit_change,
        {"elasticity": -2.0, "current_price": "£10", "new_price": 11.0, "weekly_units": 1.0},
        TypeError,
        "current_price",
    ),
    (pricing.current_prices, {"panel": PANEL, "periods": 1.5}, TypeError, "periods"),
    (pricing.current_prices, {"panel": PANEL, "reference_periods": 0}, ValueError, "reference_periods"),
    (
        pricing.price_recommendations,
        {"elasticity": E, "current_price": PRICE, "weekly_units": UNITS, "elasticity_high": E - 1},
        ValueError,
        "elasticity_high must not be below",
    ),
    (
        pricing.price_recommendations,
        {"elasticity": E, "current_price": PRICE, "weekly_units": UNITS, "elasticity_high": E.tolist()},
        TypeError,
        "elasticity_high",
    ),
    (pricing.elasticity_upper, {"pooled": pd.DataFrame({"shrunk": [-2.0]})}, ValueError, "posterior_sd"),
    (
        pricing.elasticity_upper,
        {"pooled": pd.DataFrame({"shrunk": [-2.0], "posterior_sd": [0.1]}), "level": 95},
        ValueError,
        "level",
    ),
    (pricing.closed_form_check, {"models": [], "unit_cost": 1.0}, TypeError, "models"),
    (pricing.closed_form_check, {"models": {}, "unit_cost": -1.0}, ValueError, "unit_cost"),
    (pricing.recent_demand_level, {"panel": PANEL, "price_weeks": 0, "reference_weeks": 3}, ValueError, "price_weeks"),
    (
        pricing.recent_demand_level,
        {"panel": PANEL.drop(columns="units"), "price_weeks": 1, "reference_weeks": 3},
        ValueError,
        "units",
    ),
    (
        pricing.describe_race,
        {"table": pd.DataFrame(), "versus": pd.DataFrame(), "runs": {}, "currency": "EUR"},
        ValueError,
        "share_of_benchmark",
    ),
    (
        pricing.describe_projection,
        {
            "recommendations": pd.DataFrame(),
            "profit_range": (0, 0),
            "gross_margin": 0.4,
            "price_weeks": 8,
            "reference_weeks": 52,
            "recent_level": 1.0,
            "currency": "EUR",
        },
        ValueError,
        "rule",
    ),
    (
        pricing.describe_hard_case,
        {
            "hard_table": pd.DataFrame(),
            "hard_versus": pd.DataFrame(),
            "hard_loss": None,
            "easy_loss": None,
            "prices": [1],
            "customers": 10,
        },
        ValueError,
        "share_of_benchmark",
    ),
    (pricing.plot_regret_panels, {"runs": {}, "currency": "EUR"}, ValueError, "runs is empty"),
    (pricing.describe_tiers, {"tiers": [0.1]}, TypeError, "tiers"),
    (pricing.describe_tiers, {"tiers": EMPTY}, ValueError, "tiers is empty"),
    (
        pricing.describe_list_panel,
        {"estimates": pd.DataFrame(), "panel": PANEL, "line_median": -1.0, "list_median": -0.5},
        ValueError,
        "periods",
    ),
    (pricing.describe_pooled, {"median": -0.8, "share_elastic": 1.5, "share_rising": 0.1}, ValueError, "share_elastic"),
    (pricing.describe_margin_direction, {"sensitivity": pd.DataFrame({"raise": [1]})}, ValueError, "cut"),
    (
        pricing.describe_lp_mixture,
        {"prices": [1.0, 2.0], "mixture": [1.0], "value": 1.0, "currency": "EUR"},
        ValueError,
        "mixture",
    ),
    (
        pricing.describe_inventory,
        {"inv_table": pd.DataFrame(), "versus_update": pd.DataFrame()},
        ValueError,
        "share_of_benchmark",
    ),
    (
        pricing.describe_learning_cost,
        {"easy": 0.01, "hard": 0.03, "customers": 10, "hard_customers": 1},
        TypeError,
        "easy",
    ),
    (pricing.current_prices, {"panel": PANEL.assign(price="1")}, TypeError, r"panel\['price'\]"),
    (pricing.product_elasticities, {"panel": PANEL, "controls": "log_shop_units"}, TypeError, "controls"),
    (pricing.fit_loglog_elasticity, {"price": ["£1", "£2", "£3"], "quantity": [1, 2, 3]}, TypeError, "price"),
    (
        pricing.fit_loglog_elasticity,
        {"price": [1, 2, 3, 4], "quantity": [4, 3, 2, 1], "level": 95},
        ValueError,
        "level",
    ),
    (pricing.fit_logit_demand, {"price": [1.0, 2.0], "offers": ["10", "10"], "purchases": [1, 2]}, TypeError, "offers"),
    (
        stats.shrink_estimates,
        {"estimates": [1.0, 2.0], "std_errors": [0.1, 0.2], "groups": ["a"]},
        ValueError,
        "groups",
    ),
    (
        pricing.recommend_price,
        {"current_price": "10", "optimal_price": 12.0, "unit_cost": 5.0},
        TypeError,
        "current_price",
    ),
    (
        pricing.recommend_price,
        {"current_price": 10.0, "optimal_price": "12", "unit_cost": 5.0},
        TypeError,
        "optimal_price",
    ),
    (pricing.optimize_price, {"profit_fn": 5, "bounds": (1.0, 2.0)}, TypeError, "profit_fn"),
    (pricing.optimize_price, {"profit_fn": lambda p: p, "bounds": (1.0,)}, ValueError, "bounds"),
    (
        pricing.optimize_price,
        {"profit_fn": lambda p: p, "bounds": (1.0, 2.0), "grid_size": 2.5},
        TypeError,
        "grid_size",
    ),
    (pricing.LinearDemand, {"a": "100", "b": 1.0}, TypeError, "a must be a number"),
    (pricing.ConstantElasticityDemand, {"scale": 1.0, "elasticity": np.nan}, ValueError, "elasticity"),
    (pricing.MultinomialLogitDemand, {"alphas": (), "beta": 1.0}, ValueError, "alphas is empty"),
    (
        pricing.MultinomialLogitDemand(alphas=(1.0, 2.0), beta=1.0).profit,
        {"prices": [1.0, 2.0], "unit_costs": [0.5]},
        ValueError,
        "unit_costs",
    ),
    (pricing.LinearDemand(a=100, b=1).demand, {"price": ["£5"]}, TypeError, "prices must hold numbers"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)
