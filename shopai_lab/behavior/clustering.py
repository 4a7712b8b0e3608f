"""Customer features and k-means segments with k chosen by silhouette."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_frame,
    require_instance,
    require_not_empty,
    require_numeric_columns,
    require_positive_int,
    require_seed,
    require_strings,
    require_transactions,
)
from shopai_lab.behavior.rfm import PURCHASE_COLUMNS, RFM_COLUMNS, resolve_reference_date, rfm
from shopai_lab.schema import line_revenue


def customer_features(
    purchases: pd.DataFrame,
    reference_date: str | pd.Timestamp | None = None,
    returns: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-customer behaviour features for clustering and scoring.

    Columns: ``days_since_last``, ``invoices``, ``net_revenue`` (as :func:`rfm`),
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
        {"customer_id": lines["customer_id"], "item_id": lines["item_id"], "revenue": line_revenue(lines)}
    ).groupby("customer_id", observed=True)
    gross = grouped["revenue"].sum().reindex(table.index)
    features = table[list(RFM_COLUMNS)].copy()
    features["tenure_days"] = np.floor((ref - table["first_purchase"]) / pd.Timedelta(days=1))
    features["avg_order_value"] = gross / table["invoices"]
    features["lines_per_order"] = grouped.size().reindex(table.index) / table["invoices"]
    features["distinct_items"] = grouped["item_id"].nunique().reindex(table.index)
    features["return_rate"] = ((gross - table["net_revenue"]) / gross).clip(0, 1)
    return features


def _signed_log1p(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.log1p(np.abs(x))


class CustomerSegmenter(BaseEstimator):
    """K-means customer segmentation with k chosen by silhouette.

    Features are put on a comparable footing first: the columns in
    ``log_columns`` go through a signed ``log1p`` (money and counts are
    heavy-tailed), then every column is standardised. k-means is fitted for each
    k in ``k_range`` and the k with the highest silhouette score is kept.
    Cluster labels are renumbered by size, 0 = largest, so they read the same
    across runs.

    Parameters
    ----------
    k_range : tuple of int, default (2, 8)
        ``(smallest k, largest k)``, inclusive, both >= 2.
    log_columns : list of str, "auto" or None, default "auto"
        Columns to log-transform; ``"auto"`` takes every non-negative column
        whose skewness exceeds 1, ``None`` none.
    n_init : int, default 10
        k-means restarts per k.
    silhouette_sample_size : int, default 10_000
        Customers sampled for the silhouette score (its cost grows with the
        square of the sample); all of them when there are fewer.
    random_state : int, numpy Generator or None, default 0
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
    scaler_ : sklearn.preprocessing.StandardScaler
    kmeans_ : sklearn.cluster.KMeans
        The k-means model of the chosen k.
    relabel_ : numpy.ndarray
        Size rank of each k-means cluster: ``labels_ = relabel_[kmeans_.labels_]``.

    Examples
    --------
    >>> from shopai_lab.behavior import session_features
    >>> from shopai_lab.data import simulate_shop
    >>> shop = simulate_shop(n_customers=400, n_items=50, days=60, random_state=0)
    >>> seg = CustomerSegmenter(k_range=(2, 5)).fit(session_features(shop.events))
    >>> 2 <= seg.n_clusters_ <= 5
    True
    """

    def __init__(
        self,
        *,
        k_range: tuple[int, int] = (2, 8),
        log_columns: Sequence[str] | str | None = "auto",
        n_init: int = 10,
        silhouette_sample_size: int = 10_000,
        random_state: int | np.random.Generator | None = 0,
    ) -> None:
        self.k_range = k_range
        self.log_columns = log_columns
        self.n_init = n_init
        self.silhouette_sample_size = silhouette_sample_size
        self.random_state = random_state

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        if not hasattr(self, "n_clusters_"):
            return super().__repr__(N_CHAR_MAX)
        return f"CustomerSegmenter(k_range={tuple(self.k_range)}, n_clusters_={self.n_clusters_})"

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

    def _check_params(self) -> None:
        require_positive_int(self.n_init, "n_init")
        require_positive_int(self.silhouette_sample_size, "silhouette_sample_size", minimum=2)
        require_seed(self.random_state, "random_state")
        if not (self.log_columns is None or self.log_columns == "auto"):
            require_strings(self.log_columns, "log_columns")

    def _choose_log_columns(self, numeric: pd.DataFrame) -> list[str]:
        if self.log_columns == "auto":
            return [c for c in numeric.columns if (numeric[c] >= 0).all() and numeric[c].skew() > 1]
        if self.log_columns is None:
            return []
        require_columns(numeric, list(self.log_columns), "features")
        return list(self.log_columns)

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

    def _kmeans_by_k(self, z: np.ndarray, low: int, high: int) -> tuple[dict[int, float], dict[int, KMeans]]:
        """k-means and its silhouette for every k in ``low..high`` (-1 when k-means found one cluster)."""
        scores, models = {}, {}
        sample = min(self.silhouette_sample_size, len(z))
        for k in range(low, high + 1):
            # One OpenMP thread: customer tables are small, and on a busy machine k-means' threads spin-wait
            # (measured 36 s vs 1.1 s for k = 2..8 on 2,000 rows with 2 cores shared by other jobs); the
            # result does not depend on the thread count.
            with threadpool_limits(limits=1, user_api="openmp"):
                model = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state).fit(z)
            if len(np.unique(model.labels_)) < 2:
                scores[k] = -1.0
            else:
                scores[k] = float(
                    silhouette_score(z, model.labels_, sample_size=sample, random_state=self.random_state)
                )
            models[k] = model
        return scores, models

    def fit(self, features: pd.DataFrame, y: None = None) -> CustomerSegmenter:
        """Fit k-means for every k in ``k_range`` and keep the best by silhouette.

        Parameters
        ----------
        features : pandas.DataFrame
            One row per customer; its numeric columns are used.
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        CustomerSegmenter
            ``self``, fitted.
        """
        require_frame(features, "features")
        require_not_empty(features, "features")
        self._check_params()
        numeric = features.select_dtypes("number")
        if numeric.shape[1] == 0:
            raise ValueError(f"features has no numeric columns; found {list(features.columns)}")
        low, high = self._check_k_range(len(numeric))
        self.feature_names_in_ = list(numeric.columns)
        self.log_columns_ = self._choose_log_columns(numeric)
        x = self._matrix(numeric)
        self.scaler_ = StandardScaler().fit(x)
        scores, models = self._kmeans_by_k(self.scaler_.transform(x), low, high)
        self.silhouette_scores_ = pd.Series(scores, name="silhouette").rename_axis("k")
        self.n_clusters_ = int(ranking.idxmax(self.silhouette_scores_))  # a near-tie goes to the smaller k
        self.silhouette_ = float(self.silhouette_scores_.max())
        self.kmeans_ = models[self.n_clusters_]
        sizes = np.bincount(self.kmeans_.labels_, minlength=self.n_clusters_)
        order = np.argsort(-sizes, kind="stable")
        self.relabel_ = np.empty_like(order)
        self.relabel_[order] = np.arange(len(order))
        self.labels_ = pd.Series(self.relabel_[self.kmeans_.labels_], index=features.index, name="cluster")
        return self

    def predict(self, features: pd.DataFrame) -> pd.Series:
        """Cluster of each row of ``features`` (same columns as in ``fit``)."""
        check_is_fitted(self, "kmeans_")
        require_frame(features, "features")
        z = self.scaler_.transform(self._matrix(features))
        return pd.Series(self.relabel_[self.kmeans_.predict(z)], index=features.index, name="cluster")


def segment_profile(
    features: pd.DataFrame, labels: pd.Series, revenue_column: str | None = "net_revenue"
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

    Examples
    --------
    >>> features = pd.DataFrame({"invoices": [1, 3, 5], "net_revenue": [10.0, 30.0, 60.0]})
    >>> segment_profile(features, pd.Series([1, 0, 0]))[["customers", "revenue_share"]].values.tolist()
    [[2.0, 0.9], [1.0, 0.1]]
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
