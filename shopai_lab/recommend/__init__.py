"""Collaborative filtering (notebooks 02-03): interactions and the house split, recommenders with `fit(X)` /
`recommend(users, k)`, blends, diversity, learned re-ranking, evaluation.
"""

from shopai_lab.recommend.base import Recommender, check_interactions
from shopai_lab.recommend.blend import Blend
from shopai_lab.recommend.content import ContentKNN
from shopai_lab.recommend.diversity import mmr_rerank
from shopai_lab.recommend.evaluation import (
    METRICS,
    coverage,
    evaluate,
    evaluate_lists,
    grid_search,
    intra_list_diversity,
    novelty,
    ranking_metrics,
    sampled_hit_rate,
)
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
from shopai_lab.recommend.neighbours import ItemKNN, UserKNN, cosine_item_similarity
from shopai_lab.recommend.popularity import Popularity
from shopai_lab.recommend.rerank import (
    PAIR_FEATURES,
    Candidates,
    build_candidates,
    rerank,
    rerank_experiment,
    reranker_models,
)

__all__ = [
    "ALS",
    "Blend",
    "Candidates",
    "ContentKNN",
    "EASE",
    "InteractionMatrix",
    "ItemKNN",
    "METRICS",
    "PAIR_FEATURES",
    "Popularity",
    "Recommender",
    "Split",
    "UserKNN",
    "WEIGHTINGS",
    "build_candidates",
    "build_interactions",
    "check_interactions",
    "cosine_item_similarity",
    "coverage",
    "evaluate",
    "evaluate_lists",
    "grid_search",
    "intra_list_diversity",
    "mmr_rerank",
    "novelty",
    "random_split",
    "ranking_metrics",
    "rerank",
    "rerank_experiment",
    "reranker_models",
    "sampled_hit_rate",
    "temporal_split",
]
