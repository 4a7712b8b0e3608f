"""Customer behaviour: RFM and named segments, cohort retention, funnels, features and clusters.

All functions take tidy DataFrames (canonical purchase lines from
:func:`shopai_lab.cleaning.clean_transactions`, or simulator events) and return
new DataFrames; none modifies its input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from shopai_lab._validation import (
    require_bool,
    require_columns,
    require_fitted,
    require_frame,
    require_instance,
    require_no_missing,
    require_not_empty,
    require_numeric_columns,
    require_positive_int,
    require_seed,
    require_strings,
    require_transactions,
    to_timestamp,
)

PURCHASE_COLUMNS = ("customer_id", "invoice_id", "quantity", "unit_price", "timestamp")

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


def _revenue(purchases: pd.DataFrame) -> pd.Series:
    return purchases["quantity"] * purchases["unit_price"]


def resolve_reference_date(
    purchases: pd.DataFrame, reference_date: str | pd.Timestamp | None = None
) -> pd.Timestamp:
    """``reference_date`` as a Timestamp; ``None`` gives midnight after the last purchase.

    Examples
    --------
    >>> lines = pd.DataFrame({"timestamp": pd.to_datetime(["2011-12-09 12:50"])})
    >>> resolve_reference_date(lines)
    Timestamp('2011-12-10 00:00:00')
    """
    require_transactions(purchases, "purchases", ["timestamp"], allow_empty=False)
    if reference_date is None:
        return purchases["timestamp"].max().normalize() + pd.Timedelta(days=1)
    return to_timestamp(reference_date, "reference_date")


def _check_purchases(purchases: pd.DataFrame, name: str = "purchases") -> None:
    require_transactions(purchases, name, PURCHASE_COLUMNS, allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["customer_id"], name,
                       "clean the lines first (shopai_lab.cleaning.clean_transactions)")


def rfm(
    purchases: pd.DataFrame,
    reference_date: str | pd.Timestamp | None = None,
    returns: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer at a reference date.

    Only activity strictly before ``reference_date`` counts, so an earlier date
    gives the table as it looked then.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``invoice_id``, ``quantity``,
        ``unit_price``, ``timestamp``).
    reference_date
        The "today" of the analysis; default: midnight after the last purchase.
    returns
        Cancellation lines (negative quantities) to net out of monetary value;
        lines without a customer and customers without purchases are ignored.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted): ``recency_days`` (whole days from the
        last purchase to the reference date), ``frequency`` (distinct invoices),
        ``monetary`` (net revenue: purchases plus returns), ``first_purchase``
        and ``last_purchase``.

    Raises
    ------
    ValueError
        For missing columns or customers, or a reference date before every purchase.

    Examples
    --------
    >>> lines = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b"], "invoice_id": ["1", "2", "3"],
    ...     "quantity": [1, 2, 5], "unit_price": [10.0, 10.0, 1.0],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-05"])})
    >>> rfm(lines, reference_date="2024-01-11")[["recency_days", "frequency", "monetary"]]
                 recency_days  frequency  monetary
    customer_id
    a                       3          2      30.0
    b                       6          1       5.0
    """
    _check_purchases(purchases)
    ref = resolve_reference_date(purchases, reference_date)
    before = purchases["timestamp"] < ref
    if not before.any():
        raise ValueError(
            f"reference_date {ref.date()} is before every purchase "
            f"(first purchase {purchases['timestamp'].min().date()})"
        )
    lines = pd.DataFrame(
        {
            "customer_id": purchases["customer_id"],
            "invoice_id": purchases["invoice_id"],
            "revenue": _revenue(purchases),
            "timestamp": purchases["timestamp"],
        }
    )[before.to_numpy()]
    grouped = lines.groupby("customer_id", sort=True, observed=True)
    table = pd.DataFrame(
        {
            "first_purchase": grouped["timestamp"].min(),
            "last_purchase": grouped["timestamp"].max(),
            "frequency": grouped["invoice_id"].nunique(),
            "monetary": grouped["revenue"].sum(),
        }
    )
    if returns is not None:
        require_transactions(returns, "returns", ["customer_id", "quantity", "unit_price", "timestamp"],
                             allow_nan=False)
        keep = (returns["timestamp"] < ref) & returns["customer_id"].notna()
        refunded = (-_revenue(returns).abs())[keep].groupby(returns["customer_id"][keep]).sum()
        table["monetary"] = table["monetary"].add(refunded.reindex(table.index), fill_value=0.0)
    days = (ref - table["last_purchase"]) / pd.Timedelta(days=1)
    table.insert(0, "recency_days", np.floor(days).astype("int64"))
    table = table[["recency_days", "frequency", "monetary", "first_purchase", "last_purchase"]]
    table.index.name = "customer_id"
    return table


def quantile_scores(values: pd.Series, n_bins: int = 5, higher_is_better: bool = True) -> pd.Series:
    """Scores 1..n_bins by quantile of ``values``, with tied values always sharing a score.

    The score is ``ceil(n_bins * p)`` where ``p`` is the percentile rank with
    ties averaged (``rank(method="average", pct=True)``). Unlike ``pd.qcut``
    this never fails on duplicate bin edges: a block of tied values (a third of
    customers with one invoice) gets the score of its mid-point, and some scores
    may then be unused.

    Examples
    --------
    >>> quantile_scores(pd.Series([1, 1, 1, 1, 2, 3, 4, 5, 6, 7])).tolist()
    [2, 2, 2, 2, 3, 3, 4, 4, 5, 5]
    """
    n_bins = require_positive_int(n_bins, "n_bins", minimum=2)
    require_instance(values, pd.Series, "values")
    require_bool(higher_is_better, "higher_is_better")
    if values.isna().any():
        raise ValueError(f"cannot score {values.name!r}: it has missing values")
    require_numeric_columns(values.to_frame(), [values.name if values.name is not None else 0], "values")
    pct = values.rank(method="average", pct=True, ascending=higher_is_better)
    return np.ceil(pct * n_bins).clip(1, n_bins).astype("int64").rename(values.name)


def rfm_scores(table: pd.DataFrame, n_bins: int = 5) -> pd.DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score`` (1..n_bins, 5 = best) and ``fm_score``.

    Recency scores high for a *small* number of days. ``fm_score`` is the mean
    of F and M rounded half up. See :func:`quantile_scores` for ties.

    Examples
    --------
    >>> t = pd.DataFrame({"recency_days": [1, 50, 300], "frequency": [9, 2, 1],
    ...                   "monetary": [900.0, 80.0, 10.0]})
    >>> rfm_scores(t)[["r_score", "f_score", "m_score", "fm_score"]].values.tolist()
    [[5, 5, 5, 5], [4, 4, 4, 4], [2, 2, 2, 2]]
    """
    require_columns(table, ["recency_days", "frequency", "monetary"], "table")
    require_numeric_columns(table, ["recency_days", "frequency", "monetary"], "table", allow_nan=False)
    scored = table.copy()
    scored["r_score"] = quantile_scores(table["recency_days"], n_bins, higher_is_better=False)
    scored["f_score"] = quantile_scores(table["frequency"], n_bins)
    scored["m_score"] = quantile_scores(table["monetary"], n_bins)
    scored["fm_score"] = np.floor((scored["f_score"] + scored["m_score"]) / 2 + 0.5).astype("int64")
    return scored


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
        Output of :func:`assign_segments` (needs ``recency_days``, ``frequency``,
        ``monetary`` and ``segment``).

    Returns
    -------
    pandas.DataFrame
        One row per non-empty segment in :data:`SEGMENT_ORDER`.
    """
    require_columns(segmented, ["recency_days", "frequency", "monetary", "segment"], "segmented")
    require_not_empty(segmented, "segmented")
    require_numeric_columns(segmented, ["recency_days", "frequency", "monetary"], "segmented")
    grouped = segmented.groupby("segment", observed=True)
    total = segmented["monetary"].sum()
    summary = pd.DataFrame(
        {
            "customers": grouped.size(),
            "share": grouped.size() / len(segmented),
            "recency_days": grouped["recency_days"].mean(),
            "frequency": grouped["frequency"].mean(),
            "monetary": grouped["monetary"].mean(),
            "revenue_share": grouped["monetary"].sum() / total if total else np.nan,
        }
    )
    summary["action"] = [SEGMENT_ACTIONS.get(str(s), "") for s in summary.index]
    return summary


def cohort_retention(
    purchases: pd.DataFrame, complete_months_only: bool = True, as_counts: bool = False
) -> pd.DataFrame:
    """Monthly cohort retention: share of each first-purchase cohort active k months later.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``timestamp``).
    complete_months_only
        Drop the last calendar month when the data ends before its last day
        (the Online Retail data ends on 9 December 2011): a partly observed
        month would look like a collapse in retention.
    as_counts
        Return active-customer counts instead of shares.

    Returns
    -------
    pandas.DataFrame
        Rows: cohort month (``Period``); columns ``k = 0, 1, ...`` months since
        the first purchase. Column 0 is 1.0 (or the cohort size). Cells after
        the end of the data are NaN, not 0: they were not observed.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "timestamp": pd.to_datetime(["2024-01-05", "2024-02-03", "2024-01-20", "2024-02-10"])})
    >>> cohort_retention(lines, complete_months_only=False).round(2).values.tolist()
    [[1.0, 0.5], [1.0, nan]]
    """
    require_transactions(purchases, "purchases", ["customer_id", "timestamp"], allow_empty=False)
    require_no_missing(purchases, ["customer_id", "timestamp"], "purchases",
                       "clean the lines first (shopai_lab.cleaning.clean_transactions)")
    require_bool(complete_months_only, "complete_months_only")
    require_bool(as_counts, "as_counts")
    stamps = purchases["timestamp"]
    last = stamps.max()
    month = stamps.dt.year.to_numpy() * 12 + stamps.dt.month.to_numpy() - 1
    keep = np.ones(len(purchases), dtype=bool)
    if complete_months_only and not last.is_month_end:
        keep = month < month.max()
        if not keep.any():
            raise ValueError(
                "every purchase falls in the last, incomplete month; "
                "pass complete_months_only=False to use it anyway"
            )
    active = pd.DataFrame(
        {"customer_id": purchases["customer_id"].to_numpy()[keep], "month": month[keep]}
    ).drop_duplicates()
    first = active.groupby("customer_id", observed=True)["month"].transform("min")
    active = active.assign(cohort=first, k=active["month"] - first)
    counts = active.groupby(["cohort", "k"]).size().unstack("k", fill_value=0)
    last_month = int(active["month"].max())
    horizon = last_month - counts.index.to_numpy()
    counts = counts.reindex(columns=range(int(horizon.max()) + 1), fill_value=0).astype(float)
    unobserved = np.arange(counts.shape[1])[None, :] > horizon[:, None]
    counts = counts.mask(unobserved)
    table = counts if as_counts else counts.div(counts[0], axis=0)
    table.index = pd.PeriodIndex(
        [pd.Period(year=int(m // 12), month=int(m % 12) + 1, freq="M") for m in table.index],
        name="cohort",
    )
    table.columns = pd.Index(table.columns, name="months_since_first")
    return table


def funnel(
    events: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    stages: Sequence[str] = ("view", "cart", "purchase"),
) -> pd.DataFrame:
    """Session funnel: how many sessions reach each stage, and the step conversion.

    A session reaches a stage when it has at least one event of that type.

    Parameters
    ----------
    events
        Event log with ``session_id`` and ``event`` (and the ``by`` columns).
    by
        Column(s) to split the funnel by, e.g. ``"segment"``.
    stages
        Ordered event names of the funnel.

    Returns
    -------
    pandas.DataFrame
        Tidy: the ``by`` columns, ``stage``, ``sessions``, ``step_conversion``
        (share of the previous stage) and ``overall_conversion`` (share of
        the first stage).

    Examples
    --------
    >>> ev = pd.DataFrame({"session_id": [1, 1, 1, 2, 3, 3],
    ...     "event": ["view", "cart", "purchase", "view", "view", "cart"]})
    >>> funnel(ev)[["stage", "sessions", "step_conversion"]].values.tolist()
    [['view', 3, 1.0], ['cart', 2, 0.6666666666666666], ['purchase', 1, 0.5]]
    """
    keys = [] if by is None else [by] if isinstance(by, str) else require_strings(by, "by")
    require_columns(events, ["session_id", "event", *keys], "events")
    require_not_empty(events, "events")
    stages = require_strings(stages, "stages")
    if len(stages) < 2 or len(set(stages)) != len(stages):
        raise ValueError(f"stages must name at least two distinct events, got {stages}")
    present = set(events["event"].astype(str).unique())
    if stages[0] not in present:
        raise ValueError(
            f"no event {stages[0]!r} (the first stage) in events; found event types {sorted(present)}"
        )
    kind = events["event"].astype(str)
    group_keys = keys or ["_all"]
    reached = (
        events.loc[kind.isin(stages).to_numpy(), [*keys, "session_id"]]
        .assign(_all=0, stage=kind)
        .drop_duplicates()
    )
    wide = (
        reached.groupby([*group_keys, "stage"], observed=True)
        .size()
        .unstack("stage")
        .reindex(columns=stages)
        .fillna(0)
        .astype("int64")
    )
    step = wide / wide.shift(1, axis=1).replace(0, np.nan)
    step[stages[0]] = 1.0
    overall = wide.div(wide[stages[0]].replace(0, np.nan), axis=0)
    tidy = pd.concat(
        {
            "sessions": wide.stack(),
            "step_conversion": step.stack(),
            "overall_conversion": overall.stack(),
        },
        axis=1,
    ).reset_index()
    tidy = tidy.drop(columns=[c for c in ["_all"] if c in tidy.columns])
    tidy["stage"] = pd.Categorical(tidy["stage"], categories=stages, ordered=True)
    return tidy.sort_values([*keys, "stage"]).reset_index(drop=True)


def customer_features(
    purchases: pd.DataFrame,
    reference_date: str | pd.Timestamp | None = None,
    returns: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-customer behaviour features for clustering and scoring.

    Columns: ``recency_days``, ``frequency``, ``monetary`` (net, as :func:`rfm`),
    ``tenure_days`` (first purchase to reference date), ``avg_order_value``
    (gross revenue per invoice), ``lines_per_order``, ``distinct_items`` and
    ``return_rate`` (refunded share of gross revenue, 0 without ``returns``; capped
    at 1, since refunds of purchases made before the data starts can exceed the
    revenue seen).

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a"], "invoice_id": ["1", "2"],
    ...     "item_id": ["x", "y"], "quantity": [1, 3], "unit_price": [2.0, 1.0],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03"])})
    >>> customer_features(lines, "2024-01-04").loc["a", ["tenure_days", "avg_order_value"]].tolist()
    [3.0, 2.5]
    """
    require_transactions(purchases, "purchases", [*PURCHASE_COLUMNS, "item_id"])
    table = rfm(purchases, reference_date, returns)
    ref = resolve_reference_date(purchases, reference_date)
    lines = purchases[(purchases["timestamp"] < ref).to_numpy()]
    grouped = pd.DataFrame(
        {"customer_id": lines["customer_id"], "item_id": lines["item_id"], "revenue": _revenue(lines)}
    ).groupby("customer_id", observed=True)
    gross = grouped["revenue"].sum().reindex(table.index)
    features = pd.DataFrame(index=table.index)
    features["recency_days"] = table["recency_days"]
    features["frequency"] = table["frequency"]
    features["monetary"] = table["monetary"]
    features["tenure_days"] = np.floor((ref - table["first_purchase"]) / pd.Timedelta(days=1))
    features["avg_order_value"] = gross / table["frequency"]
    features["lines_per_order"] = grouped.size().reindex(table.index) / table["frequency"]
    features["distinct_items"] = grouped["item_id"].nunique().reindex(table.index)
    features["return_rate"] = ((gross - table["monetary"]) / gross).clip(0, 1)
    return features


def session_features(events: pd.DataFrame) -> pd.DataFrame:
    """Per-user browsing features from an event log (simulator schema).

    Columns: ``sessions``, ``views_per_session``, ``cart_rate`` (carts per
    view), ``buy_rate`` (purchases per cart, 0 without carts), ``mean_view_price``
    and ``units_per_purchase`` (0 without purchases).

    Examples
    --------
    >>> from shopai_lab.simulate import simulate_shop
    >>> shop = simulate_shop(n_customers=100, n_items=30, days=30, seed=0)
    >>> session_features(shop.events).columns.tolist()[:3]
    ['sessions', 'views_per_session', 'cart_rate']
    """
    require_columns(events, ["user_id", "session_id", "event", "price", "quantity"], "events")
    require_not_empty(events, "events")
    require_numeric_columns(events, ["price", "quantity"], "events")
    require_no_missing(events, ["user_id", "session_id", "event"], "events")
    kind = events["event"].astype(str)
    by_user = events.groupby("user_id", observed=True)
    views = (kind == "view").groupby(events["user_id"]).sum()
    carts = (kind == "cart").groupby(events["user_id"]).sum()
    buys = (kind == "purchase").groupby(events["user_id"]).sum()
    units = events["quantity"].where(kind == "purchase", 0).groupby(events["user_id"]).sum()
    view_price = events["price"].where(kind == "view").groupby(events["user_id"]).mean()
    sessions = by_user["session_id"].nunique()
    features = pd.DataFrame(
        {
            "sessions": sessions,
            "views_per_session": views / sessions,
            "cart_rate": carts / views.replace(0, np.nan),
            "buy_rate": buys / carts.replace(0, np.nan),
            "mean_view_price": view_price,
            "units_per_purchase": units / buys.replace(0, np.nan),
        }
    ).fillna(0.0)
    features.index.name = "user_id"
    return features


def _signed_log1p(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.log1p(np.abs(x))


class CustomerSegmenter:
    """K-means customer segmentation with k chosen by silhouette.

    Features are put on a comparable footing first: the columns in
    ``log_columns`` go through a signed ``log1p`` (money and counts are
    heavy-tailed), then every column is standardised. k-means is fitted for each
    k in ``k_range`` and the k with the highest silhouette score is kept.
    Cluster labels are renumbered by size, 0 = largest, so they read the same
    across runs.

    Parameters
    ----------
    k_range
        ``(smallest k, largest k)``, inclusive, both >= 2.
    log_columns
        Columns to log-transform; ``"auto"`` takes every non-negative column
        whose skewness exceeds 1, ``None`` none.
    n_init
        k-means restarts per k.
    silhouette_sample_size
        Customers sampled for the silhouette score (its cost grows with the
        square of the sample); all of them when there are fewer.
    random_state
        Seed for k-means and the silhouette sample.

    Attributes
    ----------
    n_clusters_ : int
    silhouette_scores_ : pandas.Series
        Silhouette per k.
    silhouette_ : float
        Silhouette of the chosen k.
    labels_ : pandas.Series
        Cluster of each fitted customer, indexed like the features.
    log_columns_ : list of str
    feature_names_in_ : list of str

    Examples
    --------
    >>> from shopai_lab.simulate import simulate_shop
    >>> shop = simulate_shop(n_customers=400, n_items=50, days=60, seed=0)
    >>> seg = CustomerSegmenter(k_range=(2, 5)).fit(session_features(shop.events))
    >>> 2 <= seg.n_clusters_ <= 5
    True
    """

    def __init__(
        self,
        k_range: tuple[int, int] = (2, 8),
        log_columns: Sequence[str] | str | None = "auto",
        n_init: int = 10,
        silhouette_sample_size: int = 10_000,
        random_state: int | None = 0,
    ) -> None:
        self.k_range = k_range
        self.log_columns = log_columns
        self.n_init = n_init
        self.silhouette_sample_size = silhouette_sample_size
        self.random_state = random_state

    def __repr__(self) -> str:
        fitted = f", n_clusters_={self.n_clusters_}" if hasattr(self, "n_clusters_") else ""
        return f"CustomerSegmenter(k_range={tuple(self.k_range)}{fitted})"

    def _check_k_range(self, n_samples: int) -> tuple[int, int]:
        k_range = self.k_range
        if isinstance(k_range, str) or len(k_range) != 2:
            raise ValueError(f"k_range must be (smallest k, largest k), got {k_range!r}")
        low = require_positive_int(k_range[0], "k_range[0]", minimum=2)
        high = require_positive_int(k_range[1], "k_range[1]", minimum=2)
        if low > high:
            raise ValueError(f"k_range must be increasing, got {k_range!r}")
        if high >= n_samples:
            raise ValueError(f"k_range {k_range!r} needs more than {high} customers, got {n_samples}")
        return low, high

    def _matrix(self, features: pd.DataFrame) -> np.ndarray:
        require_columns(features, self.feature_names_in_, "features")
        require_numeric_columns(features, self.feature_names_in_, "features")
        numeric = features[self.feature_names_in_]
        values = numeric.to_numpy(dtype=float)
        if not np.isfinite(values).all():
            bad = numeric.columns[~np.isfinite(values).all(axis=0)].tolist()
            raise ValueError(f"features has missing or infinite values in column(s) {bad}")
        values = values.copy()
        for j, column in enumerate(numeric.columns):
            if column in self.log_columns_:
                values[:, j] = _signed_log1p(values[:, j])
        return values

    def fit(self, features: pd.DataFrame) -> CustomerSegmenter:
        """Fit k-means for every k in ``k_range`` and keep the best by silhouette."""
        require_frame(features, "features")
        require_not_empty(features, "features")
        require_positive_int(self.n_init, "n_init")
        require_positive_int(self.silhouette_sample_size, "silhouette_sample_size", minimum=2)
        require_seed(self.random_state, "random_state")
        if not (self.log_columns is None or self.log_columns == "auto"):
            require_strings(self.log_columns, "log_columns")
        numeric = features.select_dtypes("number")
        if numeric.shape[1] == 0:
            raise ValueError(f"features has no numeric columns; found {list(features.columns)}")
        low, high = self._check_k_range(len(numeric))
        self.feature_names_in_ = list(numeric.columns)
        if self.log_columns == "auto":
            self.log_columns_ = [
                c for c in numeric.columns if (numeric[c] >= 0).all() and numeric[c].skew() > 1
            ]
        elif self.log_columns is None:
            self.log_columns_ = []
        else:
            require_columns(numeric, list(self.log_columns), "features")
            self.log_columns_ = list(self.log_columns)
        x = self._matrix(numeric)
        self.scaler_ = StandardScaler().fit(x)
        z = self.scaler_.transform(x)
        scores, models = {}, {}
        sample = min(self.silhouette_sample_size, len(z))
        for k in range(low, high + 1):
            model = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state).fit(z)
            labels = model.labels_
            if len(np.unique(labels)) < 2:
                scores[k] = -1.0
            else:
                scores[k] = float(
                    silhouette_score(z, labels, sample_size=sample, random_state=self.random_state)
                )
            models[k] = model
        self.silhouette_scores_ = pd.Series(scores, name="silhouette").rename_axis("k")
        self.n_clusters_ = int(self.silhouette_scores_.idxmax())
        self.silhouette_ = float(self.silhouette_scores_.max())
        self.kmeans_ = models[self.n_clusters_]
        sizes = np.bincount(self.kmeans_.labels_, minlength=self.n_clusters_)
        order = np.argsort(-sizes, kind="stable")
        self._relabel = np.empty_like(order)
        self._relabel[order] = np.arange(len(order))
        self.labels_ = pd.Series(
            self._relabel[self.kmeans_.labels_], index=features.index, name="cluster"
        )
        return self

    def predict(self, features: pd.DataFrame) -> pd.Series:
        """Cluster of each row of ``features`` (same columns as in ``fit``)."""
        require_fitted(self, "kmeans_")
        require_frame(features, "features")
        z = self.scaler_.transform(self._matrix(features))
        return pd.Series(self._relabel[self.kmeans_.predict(z)], index=features.index, name="cluster")


def segment_profile(
    features: pd.DataFrame, labels: pd.Series, revenue_column: str = "monetary"
) -> pd.DataFrame:
    """Size, share, mean features and revenue share of each cluster.

    Parameters
    ----------
    features
        Customer features (e.g. :func:`customer_features`).
    labels
        Cluster per customer, indexed like ``features``.
    revenue_column
        Column whose sum gives each cluster's revenue share; ``None`` skips it.

    Returns
    -------
    pandas.DataFrame
        One row per cluster, sorted by cluster label.
    """
    require_frame(features, "features")
    require_not_empty(features, "features")
    require_instance(labels, pd.Series, "labels")
    if revenue_column is not None:
        require_columns(features, [revenue_column], "features")
        require_numeric_columns(features, [revenue_column], "features", allow_nan=False)
    if not labels.index.equals(features.index):
        labels = labels.reindex(features.index)
        if labels.isna().any():
            raise ValueError("labels must have a cluster for every row of features (same index)")
    numeric = features.select_dtypes("number")
    grouped = numeric.groupby(labels.to_numpy())
    profile = grouped.mean()
    profile.insert(0, "share", grouped.size() / len(features))
    profile.insert(0, "customers", grouped.size())
    if revenue_column is not None:
        profile["revenue_share"] = grouped[revenue_column].sum() / numeric[revenue_column].sum()
    profile.index.name = "cluster"
    return profile
