"""Monthly acquisition cohorts and their retention."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_bool,
    require_no_missing,
    require_positive_int,
    require_transactions,
)


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
    require_no_missing(
        purchases,
        ["customer_id", "timestamp"],
        "purchases",
        "clean the lines first (shopai_lab.data.cleaning.clean_transactions)",
    )
    require_bool(complete_months_only, "complete_months_only")
    require_bool(as_counts, "as_counts")
    counts = _cohort_counts(_active_months(purchases, complete_months_only))
    table = counts if as_counts else counts.div(counts[0], axis=0)
    table.index = pd.PeriodIndex(
        [pd.Period(year=int(m // 12), month=int(m % 12) + 1, freq="M") for m in table.index],
        name="cohort",
    )
    table.columns = pd.Index(table.columns, name="months_since_first")
    return table


def _active_months(purchases: pd.DataFrame, complete_months_only: bool) -> pd.DataFrame:
    """One row per (customer, month with a purchase); months counted as ``year * 12 + month - 1``."""
    stamps = purchases["timestamp"]
    month = stamps.dt.year.to_numpy() * 12 + stamps.dt.month.to_numpy() - 1
    keep = np.ones(len(purchases), dtype=bool)
    if complete_months_only and not stamps.max().is_month_end:
        keep = month < month.max()
        if not keep.any():
            raise ValueError(
                "every purchase falls in the last, incomplete month; pass complete_months_only=False to use it anyway"
            )
    return pd.DataFrame(
        {"customer_id": purchases["customer_id"].to_numpy()[keep], "month": month[keep]}
    ).drop_duplicates()


def _cohort_counts(active: pd.DataFrame) -> pd.DataFrame:
    """Active customers per (cohort month, months since the first purchase); NaN where not observed."""
    first = active.groupby("customer_id", observed=True)["month"].transform("min")
    active = active.assign(cohort=first, k=active["month"] - first)
    counts = active.groupby(["cohort", "k"]).size().unstack("k", fill_value=0)
    last_month = int(active["month"].max())
    horizon = last_month - counts.index.to_numpy()
    counts = counts.reindex(columns=range(int(horizon.max()) + 1), fill_value=0).astype(float)
    unobserved = np.arange(counts.shape[1])[None, :] > horizon[:, None]
    return counts.mask(unobserved)


def retention_summary(purchases: pd.DataFrame, month: int = 1, complete_months_only: bool = True) -> dict:
    """Month-``month`` retention of the cohorts, with and without the left-censored first cohort.

    The first cohort (the first month of the data) holds every customer who was already buying before
    the data starts, as well as the truly new ones: its retention is not that of new customers. The
    headline is therefore the **cohort-size-weighted** mean over the later cohorts whose month
    ``month`` is observed (active customers summed over cohort sizes summed); the unweighted mean
    over all observed cohorts, first included, is kept for comparison.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``timestamp``).
    month
        Months after the first purchase (>= 1).
    complete_months_only
        As for :func:`cohort_retention`.

    Returns
    -------
    dict
        ``first_cohort`` (Period), ``first_cohort_retention``, ``mean_all_cohorts`` (unweighted,
        first included), ``weighted_later_cohorts`` (the headline; NaN when no later cohort is
        observed that long), ``later_cohorts`` and ``later_customers`` (how many cohorts and
        customers it averages), ``best_cohort``/``best_retention`` and
        ``worst_cohort``/``worst_retention`` among the later cohorts.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c", "d", "e"],
    ...     "timestamp": pd.to_datetime(["2024-01-05", "2024-02-03", "2024-01-20", "2024-02-10",
    ...                                  "2024-03-01", "2024-02-11", "2024-03-31"])})
    >>> r = retention_summary(lines)
    >>> str(r["first_cohort"]), r["first_cohort_retention"], r["weighted_later_cohorts"], r["later_customers"]
    ('2024-01', 0.5, 0.5, 2)
    """
    month = require_positive_int(month, "month")
    counts = cohort_retention(purchases, complete_months_only=complete_months_only, as_counts=True)
    if month not in counts.columns:
        raise ValueError(
            f"month={month} is not observed: the data covers {counts.shape[1] - 1} month(s) after the first cohort"
        )
    observed = counts[month].notna().to_numpy()
    shares = counts[month] / counts[0]
    first = counts.index[0]
    later = observed & (counts.index != first)
    later_shares = shares[later]
    weighted = counts.loc[later, month].sum() / counts.loc[later, 0].sum() if later.any() else float("nan")
    return {
        "first_cohort": first,
        "first_cohort_retention": float(shares.iloc[0]) if observed[0] else float("nan"),
        "mean_all_cohorts": float(shares[observed].mean()),
        "weighted_later_cohorts": float(weighted),
        "later_cohorts": int(later.sum()),
        "later_customers": int(counts.loc[later, 0].sum()),
        "best_cohort": later_shares.idxmax() if later.any() else None,
        "best_retention": float(later_shares.max()) if later.any() else float("nan"),
        "worst_cohort": later_shares.idxmin() if later.any() else None,
        "worst_retention": float(later_shares.min()) if later.any() else float("nan"),
    }
