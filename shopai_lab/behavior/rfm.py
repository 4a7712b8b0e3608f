"""RFM: days since the last purchase, invoices and net revenue per customer, and their quantile scores.

The functions take canonical purchase lines (from
:func:`shopai_lab.data.cleaning.clean_transactions`) and return new DataFrames; none modifies its input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_bool,
    require_columns,
    require_instance,
    require_no_missing,
    require_numeric_columns,
    require_positive_int,
    require_transactions,
    to_timestamp,
)
from shopai_lab.schema import line_revenue, midnight_after

PURCHASE_COLUMNS = ("customer_id", "invoice_id", "quantity", "unit_price", "timestamp")


#: The RFM quantities (see the glossary in :mod:`shopai_lab.schema`): whole days from the last purchase
#: to the reference date, distinct purchase invoices, and purchase revenue less returns.
RFM_COLUMNS: tuple[str, ...] = ("days_since_last", "invoices", "net_revenue")


def resolve_reference_date(purchases: pd.DataFrame, reference_date: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """``reference_date`` as a Timestamp; ``None`` gives midnight after the last purchase.

    Examples
    --------
    >>> lines = pd.DataFrame({"timestamp": pd.to_datetime(["2011-12-09 12:50"])})
    >>> resolve_reference_date(lines)
    Timestamp('2011-12-10 00:00:00')
    """
    require_transactions(purchases, "purchases", ["timestamp"], allow_empty=False)
    if reference_date is None:
        return midnight_after(purchases["timestamp"])
    return to_timestamp(reference_date, "reference_date")


def _check_purchases(purchases: pd.DataFrame, name: str = "purchases") -> None:
    require_transactions(purchases, name, PURCHASE_COLUMNS, allow_empty=False, allow_nan=False)
    require_no_missing(
        purchases, ["customer_id"], name, "clean the lines first (shopai_lab.data.cleaning.clean_transactions)"
    )


def _lines_before(purchases: pd.DataFrame, ref: pd.Timestamp) -> pd.DataFrame:
    """Customer, invoice, revenue and time of the purchase lines strictly before ``ref``."""
    before = (purchases["timestamp"] < ref).to_numpy()
    if not before.any():
        raise ValueError(
            f"reference_date {ref.date()} is before every purchase "
            f"(first purchase {purchases['timestamp'].min().date()})"
        )
    lines = pd.DataFrame(
        {
            "customer_id": purchases["customer_id"],
            "invoice_id": purchases["invoice_id"],
            "revenue": line_revenue(purchases),
            "timestamp": purchases["timestamp"],
        }
    )
    return lines[before]


def _refunds(returns: pd.DataFrame, ref: pd.Timestamp) -> pd.Series:
    """Refunded revenue (negative) per customer of the cancellation lines before ``ref``."""
    require_transactions(returns, "returns", ["customer_id", "quantity", "unit_price", "timestamp"], allow_nan=False)
    keep = (returns["timestamp"] < ref) & returns["customer_id"].notna()
    return (-line_revenue(returns).abs())[keep].groupby(returns["customer_id"][keep]).sum()


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
        ``unit_price``, ``timestamp``; ``revenue`` is used when present).
    reference_date
        The "today" of the analysis; default: midnight after the last purchase.
    returns
        Cancellation lines (negative quantities) to net out of the revenue;
        lines without a customer and customers without purchases are ignored.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted): ``days_since_last`` (whole days from
        the last purchase to the reference date), ``invoices`` (distinct purchase
        invoices), ``net_revenue`` (purchases plus returns), ``first_purchase``
        and ``last_purchase``. The names differ from the BG/NBD summary's
        ``recency``, ``frequency`` and ``monetary_value`` on purpose (see
        :mod:`shopai_lab.schema`).

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
    >>> rfm(lines, reference_date="2024-01-11")[["days_since_last", "invoices", "net_revenue"]]
                 days_since_last  invoices  net_revenue
    customer_id
    a                          3         2         30.0
    b                          6         1          5.0
    """
    _check_purchases(purchases)
    ref = resolve_reference_date(purchases, reference_date)
    grouped = _lines_before(purchases, ref).groupby("customer_id", sort=True, observed=True)
    table = pd.DataFrame(
        {
            "first_purchase": grouped["timestamp"].min(),
            "last_purchase": grouped["timestamp"].max(),
            "invoices": grouped["invoice_id"].nunique(),
            "net_revenue": grouped["revenue"].sum(),
        }
    )
    if returns is not None:
        refunded = _refunds(returns, ref)
        table["net_revenue"] = table["net_revenue"].add(refunded.reindex(table.index), fill_value=0.0)
    days = (ref - table["last_purchase"]) / pd.Timedelta(days=1)
    table.insert(0, "days_since_last", np.floor(days).astype("int64"))
    table = table[[*RFM_COLUMNS, "first_purchase", "last_purchase"]]
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

    Computed from :func:`rfm`'s ``days_since_last`` (R; a *small* number of days
    scores high), ``invoices`` (F) and ``net_revenue`` (M). ``fm_score`` is the mean
    of F and M rounded half up. See :func:`quantile_scores` for ties.

    Examples
    --------
    >>> t = pd.DataFrame({"days_since_last": [1, 50, 300], "invoices": [9, 2, 1],
    ...                   "net_revenue": [900.0, 80.0, 10.0]})
    >>> rfm_scores(t)[["r_score", "f_score", "m_score", "fm_score"]].values.tolist()
    [[5, 5, 5, 5], [4, 4, 4, 4], [2, 2, 2, 2]]
    """
    require_columns(table, RFM_COLUMNS, "table")
    require_numeric_columns(table, RFM_COLUMNS, "table", allow_nan=False)
    scored = table.copy()
    scored["r_score"] = quantile_scores(table["days_since_last"], n_bins, higher_is_better=False)
    scored["f_score"] = quantile_scores(table["invoices"], n_bins)
    scored["m_score"] = quantile_scores(table["net_revenue"], n_bins)
    scored["fm_score"] = np.floor((scored["f_score"] + scored["m_score"]) / 2 + 0.5).astype("int64")
    return scored
