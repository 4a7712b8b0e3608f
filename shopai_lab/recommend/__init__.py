"""Collaborative filtering (notebooks 02-03): interactions and the house split, recommenders with `fit(X)` /
`recommend(users, k)`, the house recipes (tuning grids, the Blend), diversity, learned re-ranking, evaluation.

Recommenders follow scikit-learn's conventions (:class:`Recommender`); the rows and columns of their
matrices are called *users* and *items*, while frames speak of ``customer_id`` and ``item_id``.
"""

from shopai_lab.recommend.base import Recommender, check_interactions
from shopai_lab.recommend.blend import Blend
from shopai_lab.recommend.compare import (
    PER_USER_METRICS,
    compare_models,
    describe_comparison,
    describe_tradeoff,
    diversity_tradeoff,
    paired_difference,
    plot_model_intervals,
)
from shopai_lab.recommend.content import ColdStart, ContentKNN, cold_start_evaluation
from shopai_lab.recommend.diversity import mmr_rerank
from shopai_lab.recommend.evaluation import (
    METRICS,
    coverage,
    evaluate,
    evaluate_lists,
    grid_search,
    intra_list_diversity,
    novelty,
    per_user_metrics,
    ranking_metrics,
    sampled_hit_rate,
)
from shopai_lab.recommend.explain import first_hit, item_descriptions, recent_purchases, recommendation_table
from shopai_lab.recommend.factorization import ALS
from shopai_lab.recommend.interactions import (
    WEIGHTINGS,
    InteractionMatrix,
    Split,
    build_interactions,
    random_split,
    temporal_split,
)
from shopai_lab.recommend.linear import EASE
from shopai_lab.recommend.neighbours import ItemKNN, UserKNN
from shopai_lab.recommend.plots import plot_model_comparison
from shopai_lab.recommend.popularity import Popularity
from shopai_lab.recommend.reading import (
    describe_catalogue,
    describe_hit_rate,
    describe_pitfalls,
    describe_population,
    random_example,
)
from shopai_lab.recommend.recipes import (
    CANDIDATE_PARAMS,
    DEFAULT_TREND_WEIGHT,
    MODELS,
    TREND_HALF_LIFE_DAYS,
    TUNING_GRIDS,
    Tuning,
    fit_house_blend,
    fit_models,
    house_blend,
    trending_interactions,
    tune_models,
)
from shopai_lab.recommend.rerank import (
    CANDIDATE_SOURCES,
    FEATURE_GROUPS,
    PAIR_FEATURES,
    Candidates,
    RerankExperiment,
    build_candidates,
    rerank,
    rerank_experiment,
    reranker_models,
)
from shopai_lab.recommend.similarity import ItemVectors, cosine_item_similarity, cosine_rows, knn_prune

__all__ = [
    "RerankExperiment",
    "FEATURE_GROUPS",
    "CANDIDATE_SOURCES",
    "ALS",
    "CANDIDATE_PARAMS",
    "DEFAULT_TREND_WEIGHT",
    "EASE",
    "METRICS",
    "MODELS",
    "PAIR_FEATURES",
    "PER_USER_METRICS",
    "TREND_HALF_LIFE_DAYS",
    "TUNING_GRIDS",
    "WEIGHTINGS",
    "Blend",
    "Candidates",
    "ColdStart",
    "ContentKNN",
    "InteractionMatrix",
    "ItemKNN",
    "ItemVectors",
    "Popularity",
    "Recommender",
    "Split",
    "Tuning",
    "UserKNN",
    "build_candidates",
    "build_interactions",
    "check_interactions",
    "cold_start_evaluation",
    "compare_models",
    "cosine_item_similarity",
    "cosine_rows",
    "coverage",
    "describe_catalogue",
    "describe_comparison",
    "describe_hit_rate",
    "describe_pitfalls",
    "describe_population",
    "describe_tradeoff",
    "diversity_tradeoff",
    "evaluate",
    "evaluate_lists",
    "first_hit",
    "fit_house_blend",
    "fit_models",
    "grid_search",
    "house_blend",
    "intra_list_diversity",
    "item_descriptions",
    "knn_prune",
    "mmr_rerank",
    "novelty",
    "paired_difference",
    "per_user_metrics",
    "plot_model_comparison",
    "plot_model_intervals",
    "random_example",
    "random_split",
    "ranking_metrics",
    "recent_purchases",
    "recommendation_table",
    "rerank",
    "rerank_experiment",
    "reranker_models",
    "sampled_hit_rate",
    "temporal_split",
    "trending_interactions",
    "tune_models",
]
