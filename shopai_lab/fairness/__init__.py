"""Fairness and transparency (notebook 11): who gets shown what, who pays what, and why.

- :mod:`~shopai_lab.fairness.segments`: customers by tenure, country and spend before a cut-off; the long tail.
- :mod:`~shopai_lab.fairness.groups`: per-group metrics with intervals and gaps (customer side).
- :mod:`~shopai_lab.fairness.prices_paid`: what groups pay for the same product in the same quantity tier.
- :mod:`~shopai_lab.fairness.exposure`: position-based exposure, its Gini, exposure vs merit (provider side).
- :mod:`~shopai_lab.fairness.rerank`: top-k lists with an exposure constraint that holds on every list.
- :mod:`~shopai_lab.fairness.pricing`: group prices under a cap on their ratio, and the revenue frontier.
- :mod:`~shopai_lab.fairness.targeting`: a targeting rule's rates by group, and equal-opportunity thresholds.
- :mod:`~shopai_lab.fairness.remedy`: a setting chosen per group on validation, and its cost for the others.
- :mod:`~shopai_lab.fairness.transparency`: why a list ("because you bought") and why a score.
- :mod:`~shopai_lab.fairness.cards`: short model cards generated from results.
- :mod:`~shopai_lab.fairness.reading`, :mod:`~shopai_lab.fairness.plots`: notebook 11's sentences and charts.
"""

from shopai_lab.fairness import reading
from shopai_lab.fairness.cards import model_card
from shopai_lab.fairness.exposure import exposure_disparity, exposure_table, gini, item_exposure, position_weights
from shopai_lab.fairness.groups import group_metric_table
from shopai_lab.fairness.plots import plot_group_means, plot_price_frontier, plot_quota_frontier
from shopai_lab.fairness.prices_paid import QUANTITY_TIERS, price_gap_by_group
from shopai_lab.fairness.pricing import (
    capped_group_prices,
    group_optimal_prices,
    numerical_capped_prices,
    price_frontier,
)
from shopai_lab.fairness.remedy import choose_group_settings, values_under
from shopai_lab.fairness.rerank import choose_quota, exposure_constrained_top_k, quota_frontier
from shopai_lab.fairness.segments import collapse_small_groups, customer_groups, large_groups, long_tail
from shopai_lab.fairness.targeting import equal_opportunity_thresholds, targeting_table
from shopai_lab.fairness.transparency import because_you_bought, score_drivers

__all__ = [
    "because_you_bought",
    "capped_group_prices",
    "choose_group_settings",
    "choose_quota",
    "collapse_small_groups",
    "customer_groups",
    "equal_opportunity_thresholds",
    "exposure_constrained_top_k",
    "exposure_disparity",
    "exposure_table",
    "gini",
    "group_metric_table",
    "group_optimal_prices",
    "item_exposure",
    "large_groups",
    "long_tail",
    "model_card",
    "numerical_capped_prices",
    "plot_group_means",
    "plot_price_frontier",
    "plot_quota_frontier",
    "position_weights",
    "price_frontier",
    "price_gap_by_group",
    "QUANTITY_TIERS",
    "quota_frontier",
    "reading",
    "score_drivers",
    "targeting_table",
    "values_under",
]
