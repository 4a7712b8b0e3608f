"""Customer behaviour (notebook 01): RFM and named segments, cohort retention, funnels, customer clusters."""

from shopai_lab.behavior.clustering import CustomerSegmenter, customer_features, segment_profile
from shopai_lab.behavior.cohorts import cohort_retention, retention_summary
from shopai_lab.behavior.extremes import LINE_KEY, extreme_bounds, extreme_line_effect, matches_lines
from shopai_lab.behavior.funnel import funnel, funnel_steps, session_features
from shopai_lab.behavior.plots import (
    plot_funnel,
    plot_retention_heatmap,
    plot_rfm_distributions,
    plot_segments,
    plot_silhouette,
)
from shopai_lab.behavior.reading import (
    MONEY_COLUMNS,
    SILHOUETTE_BANDS,
    describe_extremes,
    describe_funnel_steps,
    describe_lines,
    describe_recovery,
    describe_retention,
    describe_rfm,
    describe_segments,
    describe_silhouette,
    label_money,
    silhouette_band,
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
    "LINE_KEY",
    "MONEY_COLUMNS",
    "PURCHASE_COLUMNS",
    "RFM_COLUMNS",
    "SEGMENT_ACTIONS",
    "SEGMENT_GRID",
    "SEGMENT_ORDER",
    "SILHOUETTE_BANDS",
    "CustomerSegmenter",
    "assign_segments",
    "cohort_retention",
    "customer_features",
    "describe_extremes",
    "describe_funnel_steps",
    "describe_lines",
    "describe_recovery",
    "describe_retention",
    "describe_rfm",
    "describe_segments",
    "describe_silhouette",
    "extreme_bounds",
    "extreme_line_effect",
    "funnel",
    "funnel_steps",
    "label_money",
    "matches_lines",
    "plot_funnel",
    "plot_retention_heatmap",
    "plot_rfm_distributions",
    "plot_segments",
    "plot_silhouette",
    "quantile_scores",
    "resolve_reference_date",
    "retention_summary",
    "rfm",
    "rfm_scores",
    "segment_profile",
    "segment_summary",
    "session_features",
    "silhouette_band",
]
