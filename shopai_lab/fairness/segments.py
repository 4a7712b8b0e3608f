"""The groups a fairness question is asked about: customers by tenure, country and spend; products by popularity.

Every group is defined from the history before a cut-off only, so that a group is known at the moment a
decision is made (a customer who becomes a big spender in the test period is not "high spend" beforehand).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_number, require_positive_int, require_transactions

__all__ = ["collapse_small_groups", "customer_groups", "large_groups", "long_tail"]


def customer_groups(purchases: pd.DataFrame, cutoff, new_days: int = 90, spend_tiers: int = 3) -> pd.DataFrame:
    """Tenure, home country and spend tier of each customer, from purchases before ``cutoff``.

    Parameters
    ----------
    purchases
        Canonical purchase lines (``customer_id``, ``timestamp``, ``quantity``, ``unit_price``; ``country``
        optional), e.g. ``clean_transactions(...).purchases``.
    cutoff
        The moment the groups are known: only lines strictly before it count.
    new_days
        A customer whose first purchase is within this many days before ``cutoff`` is ``"new"``, else
        ``"established"``.
    spend_tiers
        Number of spend tiers (quantiles of spend before the cut-off): ``"tier 1"`` is the lowest.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``: ``tenure``, ``country_group`` (the customer's most frequent country when it is
        the shop's most frequent one, else ``"other"``; ``"unknown"`` without a country column) and ``spend_tier``.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "quantity": [1, 2, 1, 10],
    ...     "unit_price": [1.0, 1.0, 5.0, 1.0], "country": ["UK", "UK", "France", "UK"],
    ...     "timestamp": pd.to_datetime(["2011-01-01", "2011-06-01", "2011-06-20", "2011-02-01"])})
    >>> customer_groups(lines, "2011-07-01", new_days=30, spend_tiers=2)
                      tenure country_group spend_tier
    customer_id
    a            established            UK     tier 1
    b                    new         other     tier 2
    c            established            UK     tier 2
    """
    columns = ["customer_id", "timestamp", "quantity", "unit_price"]
    require_transactions(purchases, "purchases", columns, allow_empty=False, allow_nan=False)
    new_days = require_positive_int(new_days, "new_days")
    spend_tiers = require_positive_int(spend_tiers, "spend_tiers")
    try:
        cutoff = pd.Timestamp(cutoff)
    except (TypeError, ValueError):
        raise ValueError(f"cutoff must be a date, got {cutoff!r}") from None
    past = purchases.loc[purchases["timestamp"] < cutoff]
    if past.empty:
        raise ValueError(f"no purchases before the cut-off {cutoff.date()}: no group is known yet")
    spend = (past["quantity"] * past["unit_price"]).groupby(past["customer_id"], sort=True).sum()
    first = past.groupby("customer_id", sort=True)["timestamp"].min()
    groups = pd.DataFrame(index=spend.index)
    groups["tenure"] = np.where(first >= cutoff - pd.Timedelta(days=new_days), "new", "established")
    if "country" in past.columns:
        home = past.groupby("customer_id", sort=True)["country"].agg(lambda c: c.value_counts().index[0])
        top = past["country"].value_counts().index[0]
        groups["country_group"] = np.where(home == top, top, "other")
    else:
        groups["country_group"] = "unknown"
    ranks = spend.rank(method="first") / len(spend)
    tier = np.minimum(np.ceil(ranks * spend_tiers), spend_tiers).astype(int)
    groups["spend_tier"] = [f"tier {t}" for t in tier]
    return groups


def long_tail(purchase_counts, head_share: float = 0.2) -> np.ndarray:
    """Flags of the long tail: every product outside the most purchased ``head_share`` of products.

    Ties at the boundary go to the head by product order (the lower index first), so the head holds exactly
    ``ceil(head_share * n)`` products.

    Examples
    --------
    >>> long_tail([50, 3, 0, 9, 1], head_share=0.4).tolist()
    [False, True, True, False, True]
    """
    counts = np.asarray(purchase_counts, dtype=float)
    if counts.ndim != 1 or counts.size == 0 or not np.isfinite(counts).all() or (counts < 0).any():
        raise ValueError("purchase_counts must be a non-empty 1-D array of non-negative counts")
    share = require_number(head_share, "head_share", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    n_head = int(np.ceil(round(share * counts.size, 9)))
    order = np.lexsort((np.arange(counts.size), -counts))
    tail = np.ones(counts.size, dtype=bool)
    tail[order[:n_head]] = False
    return tail


def collapse_small_groups(labels, min_units: int, other: str = "other") -> pd.Series:
    """Group labels with every group of fewer than ``min_units`` units merged into ``other``.

    A group of a dozen units gives an interval too wide to read and a "largest gap" that is mostly noise;
    merging them keeps every unit in the table.

    Examples
    --------
    >>> collapse_small_groups(["a", "a", "a", "b", "c"], min_units=2).tolist()
    ['a', 'a', 'a', 'other', 'other']
    """
    series = pd.Series(np.asarray(labels, dtype=object)).astype(str)
    min_units = require_positive_int(min_units, "min_units")
    sizes = series.map(series.value_counts())
    return series.where(sizes >= min_units, other).rename("group")


def large_groups(labels, min_units: int) -> np.ndarray:
    """Flags of the units whose group holds at least ``min_units`` units (after :func:`collapse_small_groups`, the
    merged ``other`` group may still be small: its units are then left out of a comparison between groups).

    Examples
    --------
    >>> large_groups(["a", "a", "a", "b", "c"], min_units=2).tolist()
    [True, True, True, False, False]
    """
    series = pd.Series(np.asarray(labels, dtype=object)).astype(str)
    min_units = require_positive_int(min_units, "min_units")
    return (series.map(series.value_counts()) >= min_units).to_numpy()
