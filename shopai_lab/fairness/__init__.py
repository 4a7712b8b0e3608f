"""Fairness and transparency (notebook 11): who gets shown what, who pays what, and why.

- :mod:`~shopai_lab.fairness.segments`: customers by tenure, country and spend before a cut-off; the long tail.
- :mod:`~shopai_lab.fairness.groups`: per-group metrics with intervals and gaps (customer side).
- :mod:`~shopai_lab.fairness.prices_paid`: what groups pay for the same product in the same quantity tier.
- :mod:`~shopai_lab.fairness.exposure`: position-based exposure, its Gini, exposure vs merit (provider side).
- :mod:`~shopai_lab.fairness.rerank`: top-k lists with an exposure constraint that holds on every list.
- :mod:`~shopai_lab.fairness.pricing`: group prices under a cap on their ratio, and the revenue frontier.
- :mod:`~shopai_lab.fairness.targeting`: a targeting rule's rates by group, and equal-opportunity thresholds.
- :mod:`~shopai_lab.fairness.cards`: short model cards generated from results.
"""

from shopai_lab.fairness.cards import model_card
from shopai_lab.fairness.exposure import exposure_disparity, exposure_table, gini, item_exposure, position_weights
from shopai_lab.fairness.groups import group_metric_table
from shopai_lab.fairness.prices_paid import QUANTITY_TIERS, price_gap_by_group
from shopai_lab.fairness.pricing import capped_group_prices, group_optimal_prices, price_frontier
from shopai_lab.fairness.rerank import exposure_constrained_top_k
from shopai_lab.fairness.segments import customer_groups, long_tail
from shopai_lab.fairness.targeting import equal_opportunity_thresholds, targeting_table

__all__ = [
    "QUANTITY_TIERS",
    "capped_group_prices",
    "customer_groups",
    "equal_opportunity_thresholds",
    "exposure_constrained_top_k",
    "exposure_disparity",
    "exposure_table",
    "gini",
    "group_metric_table",
    "group_optimal_prices",
    "item_exposure",
    "long_tail",
    "model_card",
    "position_weights",
    "price_frontier",
    "price_gap_by_group",
    "targeting_table",
]
