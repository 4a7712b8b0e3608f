"""Named RFM segments: a 5 x 5 grid of recency and frequency-monetary scores, with an action each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_columns,
    require_frame,
    require_not_empty,
    require_numeric_columns,
)
from shopai_lab.behavior.rfm import RFM_COLUMNS

#: Named segment for each (R score, FM score) cell; rows are R = 1..5, columns FM = 1..5,
#: where FM is the mean of the F and M scores rounded half up. Read it as a map:
#: recent customers (high R) who buy often and spend much (high FM) are Champions,
#: customers who used to buy much but have not come back (low R, high FM) are the
#: ones the shop "can't lose".
SEGMENT_GRID = pd.DataFrame(
    [
        ["Lost", "Hibernating", "At risk", "At risk", "Can't lose"],
        ["Hibernating", "Hibernating", "At risk", "At risk", "Can't lose"],
        ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
        ["Promising", "Potential loyalist", "Potential loyalist", "Loyal", "Loyal"],
        ["New", "Potential loyalist", "Potential loyalist", "Champions", "Champions"],
    ],
    index=pd.Index([1, 2, 3, 4, 5], name="r_score"),
    columns=pd.Index([1, 2, 3, 4, 5], name="fm_score"),
)


#: Segments from most to least valuable-and-engaged, the order tables are shown in.
SEGMENT_ORDER: tuple[str, ...] = (
    "Champions",
    "Loyal",
    "Potential loyalist",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "Can't lose",
    "At risk",
    "Hibernating",
    "Lost",
)


#: What an operator would do with each segment.
SEGMENT_ACTIONS: dict[str, str] = {
    "Champions": "reward; early access, referral asks; no discounts needed",
    "Loyal": "upsell higher-value lines; loyalty programme",
    "Potential loyalist": "membership offer, recommend related products",
    "New": "onboarding series; make the second purchase easy",
    "Promising": "brand awareness; small first-repeat incentive",
    "Need attention": "time-limited offer based on past purchases",
    "About to sleep": "reactivate with popular products, modest discount",
    "Can't lose": "win back personally (call, account manager); ask what changed",
    "At risk": "personalised win-back email with a meaningful offer",
    "Hibernating": "low-cost reminders; exclude from expensive campaigns",
    "Lost": "ignore in paid campaigns; occasional broad newsletter",
}


def assign_segments(scored: pd.DataFrame, grid: pd.DataFrame = SEGMENT_GRID) -> pd.DataFrame:
    """Add the named ``segment`` of each customer from its R and FM scores.

    Parameters
    ----------
    scored
        Output of :func:`rfm_scores` with 5 bins.
    grid
        Segment name per (R, FM) cell; the default is :data:`SEGMENT_GRID`.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [5, 1, 1], "fm_score": [5, 5, 1]})
    >>> assign_segments(s)["segment"].tolist()
    ['Champions', "Can't lose", 'Lost']
    """
    require_columns(scored, ["r_score", "fm_score"], "scored")
    require_frame(grid, "grid")
    require_numeric_columns(scored, ["r_score", "fm_score"], "scored", allow_nan=False)
    for column in ("r_score", "fm_score"):
        axis = grid.index if column == "r_score" else grid.columns
        bad = sorted(int(v) for v in set(scored[column].unique()) - set(axis))
        if bad:
            raise ValueError(f"scored[{column!r}] has values {bad} outside the grid's {list(axis)}")
    rows = grid.index.get_indexer(scored["r_score"])
    cols = grid.columns.get_indexer(scored["fm_score"])
    names = grid.to_numpy()[rows, cols]
    order = [s for s in SEGMENT_ORDER if s in set(grid.to_numpy().ravel())]
    order += sorted(set(grid.to_numpy().ravel()) - set(order))
    return scored.assign(segment=pd.Categorical(names, categories=order))


def segment_summary(segmented: pd.DataFrame) -> pd.DataFrame:
    """Size, mean R/F/M, revenue share and suggested action of each named segment.

    Parameters
    ----------
    segmented
        Output of :func:`assign_segments` (needs ``days_since_last``, ``invoices``,
        ``net_revenue`` and ``segment``).

    Returns
    -------
    pandas.DataFrame
        One row per non-empty segment in :data:`SEGMENT_ORDER`: ``customers``, ``share``,
        the mean ``days_since_last``, ``invoices`` and ``net_revenue``, ``revenue_share``
        (of the total net revenue) and ``action``.

    Examples
    --------
    >>> segmented = pd.DataFrame({"days_since_last": [3, 200], "invoices": [9, 1],
    ...     "net_revenue": [900.0, 100.0], "segment": ["Champions", "Lost"]})
    >>> segment_summary(segmented)[["customers", "revenue_share"]].values.tolist()
    [[1.0, 0.9], [1.0, 0.1]]
    """
    require_columns(segmented, [*RFM_COLUMNS, "segment"], "segmented")
    require_not_empty(segmented, "segmented")
    require_numeric_columns(segmented, RFM_COLUMNS, "segmented")
    grouped = segmented.groupby("segment", observed=True)
    total = segmented["net_revenue"].sum()
    summary = pd.DataFrame(
        {
            "customers": grouped.size(),
            "share": grouped.size() / len(segmented),
            **{column: grouped[column].mean() for column in RFM_COLUMNS},
            "revenue_share": grouped["net_revenue"].sum() / total if total else np.nan,
        }
    )
    summary["action"] = [SEGMENT_ACTIONS.get(str(s), "") for s in summary.index]
    return summary
