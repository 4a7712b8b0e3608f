"""Customer behaviour (notebook 01): RFM and named segments, cohort retention, funnels, customer clusters."""

from shopai_lab.behavior.clustering import CustomerSegmenter, customer_features, segment_profile
from shopai_lab.behavior.cohorts import cohort_retention
from shopai_lab.behavior.funnel import funnel, session_features
from shopai_lab.behavior.plots import (
    plot_funnel,
    plot_retention_heatmap,
    plot_rfm_distributions,
    plot_segments,
    plot_silhouette,
)
from shopai_lab.behavior.rfm import (
    PURCHASE_COLUMNS,
    RFM_COLUMNS,
    quantile_scores,
    resolve_reference_date,
    rfm,
    rfm_scores,
)
from shopai_lab.behavior.segments import SEGMENT_ACTIONS, SEGMENT_GRID, SEGMENT_ORDER, assign_segments, segment_summary

__all__ = [
    "CustomerSegmenter",
    "PURCHASE_COLUMNS",
    "RFM_COLUMNS",
    "SEGMENT_ACTIONS",
    "SEGMENT_GRID",
    "SEGMENT_ORDER",
    "assign_segments",
    "cohort_retention",
    "customer_features",
    "funnel",
    "plot_funnel",
    "plot_retention_heatmap",
    "plot_rfm_distributions",
    "plot_segments",
    "plot_silhouette",
    "quantile_scores",
    "resolve_reference_date",
    "rfm",
    "rfm_scores",
    "segment_profile",
    "segment_summary",
    "session_features",
]
