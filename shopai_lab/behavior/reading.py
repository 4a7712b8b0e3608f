"""Sentences of notebook 01 built from its results, so the report stays true on any shop's data.

Each function takes already computed tables or numbers and returns Markdown; the claims branch on
the values (a sentence whose claim fails on the data says so).
"""

from __future__ import annotations

import pandas as pd

from shopai_lab._validation import require_columns, require_number, require_string
from shopai_lab.report import count, money, percent

#: Kaufman & Rousseeuw (1990, *Finding Groups in Data*, ch. 2): reading of the mean silhouette.
#: (lower bound exclusive, name, reading), best first.
SILHOUETTE_BANDS: tuple[tuple[float, str, str], ...] = (
    (0.70, "strong", "a strong structure has been found"),
    (0.50, "reasonable", "a reasonable structure has been found"),
    (0.25, "weak", "the structure is weak and could be artificial"),
    (float("-inf"), "no substantial", "no substantial structure has been found"),
)


def silhouette_band(score: float) -> tuple[str, str]:
    """Kaufman & Rousseeuw's band of a mean silhouette: (name, reading).

    0.71-1.00 strong, 0.51-0.70 reasonable, 0.26-0.50 weak (could be artificial), <= 0.25 no
    substantial structure.

    Examples
    --------
    >>> silhouette_band(0.241)
    ('no substantial', 'no substantial structure has been found')
    >>> silhouette_band(0.466)[0]
    'weak'
    """
    score = require_number(score, "score", low=-1.0, high=1.0)
    for low, name, reading in SILHOUETTE_BANDS:
        if score > low:
            return name, reading
    raise AssertionError("unreachable")  # pragma: no cover


def describe_silhouette(score: float, k: int) -> str:
    """One sentence reading the chosen clustering's silhouette with Kaufman & Rousseeuw's bands.

    Examples
    --------
    >>> print(describe_silhouette(0.241, 2))  # doctest: +NORMALIZE_WHITESPACE
    The best k is 2 with a mean silhouette of 0.241: by Kaufman & Rousseeuw's bands (> 0.70 strong,
    > 0.50 reasonable, > 0.25 weak, <= 0.25 none) **no substantial structure has been found**.
    """
    _, reading = silhouette_band(score)
    return (
        f"The best k is {int(k)} with a mean silhouette of {score:.3f}: by Kaufman & Rousseeuw's bands "
        f"(> 0.70 strong, > 0.50 reasonable, > 0.25 weak, <= 0.25 none) **{reading}**."
    )


def describe_lines(report: pd.DataFrame, total_lines: int) -> str:
    """The share of lines without a customer, from :func:`shopai_lab.data.clean_transactions`'s report.

    Examples
    --------
    >>> report = pd.DataFrame({"rows_dropped": [10, 25]}, index=["cancellation", "missing customer"])
    >>> describe_lines(report, 100)
    '25 of 100 lines (25.0%) have no customer id.'
    """
    require_columns(report, ["rows_dropped"], "report")
    missing = int(report["rows_dropped"].get("missing customer", 0))
    return f"{missing:,} of {int(total_lines):,} lines ({percent(missing / total_lines)}) have no customer id."


def describe_rfm(table: pd.DataFrame, currency: str) -> str:
    """How skewed the RFM quantities are: one- and two-invoice customers, the heaviest buyers, mean vs median.

    Examples
    --------
    >>> t = pd.DataFrame({"days_since_last": [1, 5, 9, 40], "invoices": [1, 1, 2, 30],
    ...                   "net_revenue": [10.0, 20.0, 30.0, 940.0]})
    >>> print(describe_rfm(t, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    50.0% of the 4 customers bought once and 25.0% twice; 1 customer bought 20 times or more. Mean net
    revenue (EUR 250) is 10.0 times the median (EUR 25): a few customers weigh as much as many.
    """
    require_columns(table, ["invoices", "net_revenue"], "table")
    n = len(table)
    once = (table["invoices"] == 1).mean()
    twice = (table["invoices"] == 2).mean()
    heavy = int((table["invoices"] >= 20).sum())
    mean, median = table["net_revenue"].mean(), table["net_revenue"].median()
    ratio = (
        f"is {mean / median:.1f} times the median ({money(median, currency)})"
        if median > 0
        else f"compares with a median of {money(median, currency)}"
    )
    tail = ": a few customers weigh as much as many." if median > 0 and mean > 2 * median else "."
    return (
        f"{percent(once)} of the {n:,} customers bought once and {percent(twice)} twice; "
        f"{count(heavy, 'customer')} bought 20 times or more. Mean net revenue ({money(mean, currency)}) {ratio}{tail}"
    )


def describe_segments(summary: pd.DataFrame) -> str:
    """Who carries the revenue (Champions + Loyal) and who is slipping away (At risk + Can't lose).

    ``summary`` is :func:`shopai_lab.behavior.segment_summary`'s output.

    Examples
    --------
    >>> s = pd.DataFrame({"customers": [10, 20, 30, 40], "share": [0.1, 0.2, 0.3, 0.4],
    ...     "days_since_last": [5.0, 30.0, 150.0, 200.0], "revenue_share": [0.5, 0.3, 0.15, 0.05]},
    ...     index=["Champions", "Loyal", "At risk", "Lost"])
    >>> print(describe_segments(s))  # doctest: +NORMALIZE_WHITESPACE
    Champions and Loyal are 30.0% of customers and bring 80.0% of net revenue (most of it). At risk and
    Can't lose hold 30 customers (30.0%) who brought 15.0% of net revenue and last bought 150 days ago on average.
    """
    require_columns(summary, ["customers", "share", "days_since_last", "revenue_share"], "summary")
    top = summary.reindex(["Champions", "Loyal"]).dropna(how="all")
    risk = summary.reindex(["At risk", "Can't lose"]).dropna(how="all")
    top_revenue = float(top["revenue_share"].sum())
    how_much = "most of it" if top_revenue > 0.5 else "less than half of it"
    text = (
        f"Champions and Loyal are {percent(top['share'].sum())} of customers and bring "
        f"{percent(top_revenue)} of net revenue ({how_much})."
    )
    if len(risk) and risk["customers"].sum() > 0:
        days = float((risk["days_since_last"] * risk["customers"]).sum() / risk["customers"].sum())
        text += (
            f" At risk and Can't lose hold {count(risk['customers'].sum(), 'customer')}"
            f" ({percent(risk['share'].sum())}) who brought {percent(risk['revenue_share'].sum())} of net revenue"
            f" and last bought {days:.0f} days ago on average."
        )
    else:
        text += " No customer falls in At risk or Can't lose."
    return text


def describe_retention(summary: dict) -> str:
    """Month-1 retention sentences from :func:`shopai_lab.behavior.retention_summary`.

    Examples
    --------
    >>> r = {"first_cohort": pd.Period("2010-12", "M"), "first_cohort_retention": 0.37,
    ...      "mean_all_cohorts": 0.213, "weighted_later_cohorts": 0.19, "later_cohorts": 10,
    ...      "later_customers": 3400, "best_cohort": pd.Period("2011-09", "M"), "best_retention": 0.25,
    ...      "worst_cohort": pd.Period("2011-02", "M"), "worst_retention": 0.15}
    >>> print(describe_retention(r))  # doctest: +NORMALIZE_WHITESPACE
    **Month-1 retention of new customers: 19.0%** (the 10 cohorts after the first, weighted by size: 3,400
    customers). The first cohort (2010-12) keeps 37.0%, higher than later cohorts: it also holds customers who
    were buying before the data starts (left-censored), so it is left out. The unweighted mean over all
    cohorts, first included, would be 21.3%. Later cohorts range from 15.0% (2011-02) to 25.0% (2011-09).
    """
    first, weighted = summary["first_cohort"], summary["weighted_later_cohorts"]
    if pd.isna(weighted):
        return (
            f"Only the first cohort ({first}) is observed a month later "
            f"({percent(summary['first_cohort_retention'])}); "
            "it mixes new customers with customers who bought before the data starts, so the data cannot say how "
            "many new customers come back."
        )
    first_retention = summary["first_cohort_retention"]
    relation = "higher than" if first_retention > summary["best_retention"] else "within the range of"
    return (
        f"**Month-1 retention of new customers: {percent(weighted)}** (the {summary['later_cohorts']} cohorts after "
        f"the first, weighted by size: {summary['later_customers']:,} customers). The first cohort ({first}) keeps "
        f"{percent(first_retention)}, {relation} later cohorts: it also holds customers who were buying before the "
        "data starts (left-censored), so it is left out. The unweighted mean over all cohorts, first included, "
        f"would be {percent(summary['mean_all_cohorts'])}. Later cohorts range from "
        f"{percent(summary['worst_retention'])} ({summary['worst_cohort']}) to {percent(summary['best_retention'])} "
        f"({summary['best_cohort']})."
    )


def describe_extremes(
    extreme: pd.DataFrame, in_purchases: int, in_returns: int, effect: pd.DataFrame, excluded: bool, currency: str
) -> str:
    """What the extreme lines are, where they ended up after cleaning, what they do to RFM, and what was done.

    ``effect`` is :func:`shopai_lab.behavior.extreme_line_effect`'s output.

    Examples
    --------
    >>> effect = pd.DataFrame({"extreme_lines": [2, 0], "net_revenue": [901.0, 2.0],
    ...     "net_revenue_without": [1.0, 2.0], "segment": ["Champions", "Loyal"],
    ...     "segment_without": ["Lost", "Champions"]})
    >>> describe_extremes(pd.DataFrame(index=range(3)), 1, 1, effect, False, "EUR")[:75]
    'Of the 3 extreme lines, 1 ended in the clean purchases, 1 in the cancellati'
    """
    require_columns(
        effect, ["extreme_lines", "net_revenue", "net_revenue_without", "segment", "segment_without"], "effect"
    )
    currency = require_string(currency, "currency")
    n = len(extreme)
    other = n - in_purchases - in_returns
    holders = effect[effect["extreme_lines"] > 0]
    moved = effect["segment"] != effect["segment_without"]
    shift = float((holders["net_revenue"] - holders["net_revenue_without"]).sum())
    text = (
        f"Of the {count(n, 'extreme line')}, {in_purchases:,} ended in the clean purchases, {in_returns:,} in the "
        f"cancellations and {other:,} were dropped by cleaning (no customer, not a product, or a duplicate). "
        f"The clean ones belong to {count(len(holders), 'customer')}; net of their cancellations they account for "
        f"{money(shift, currency)} of those customers' net revenue. Without them, "
        f"{count(int(moved.sum()), 'customer')} would change RFM segment "
        f"({int((moved & (effect['extreme_lines'] > 0)).sum()):,} of them holders of an extreme line; "
        "the others move because scores are quantiles). "
    )
    if excluded:
        text += "**This run excludes them** (`exclude_extreme_lines=True`) from RFM, cohorts and clusters."
    else:
        text += (
            "**This run keeps them** (`exclude_extreme_lines=False`): they are real orders, RFM nets cancellations "
            "out and scores by rank, so an extreme line can lift a customer at most to the top score."
        )
    return text


def describe_funnel_steps(steps: pd.DataFrame) -> str:
    """Which group converts worst at each step of :func:`funnel_steps`'s table.

    Examples
    --------
    >>> steps = pd.DataFrame({"view → cart": [0.5, 0.2], "cart → purchase": [0.4, 0.7]}, index=["a", "b"])
    >>> describe_funnel_steps(steps)
    'Lowest view → cart: b (20.0%, against 50.0% for a). Lowest cart → purchase: a (40.0%, against 70.0% for b).'
    """
    parts = []
    for step in steps.columns:
        column = steps[step]
        worst, best = column.idxmin(), column.idxmax()
        parts.append(f"Lowest {step}: {worst} ({percent(column[worst])}, against {percent(column[best])} for {best}).")
    return " ".join(parts)


def describe_recovery(n_types: int, k: int, ari: float, silhouette: float) -> str:
    """How well clustering recovered the simulator's true customer types.

    Examples
    --------
    >>> print(describe_recovery(4, 4, 0.788, 0.466))  # doctest: +NORMALIZE_WHITESPACE
    Silhouette chose k = 4 for 4 true types (the true number), mean silhouette 0.466 (weak structure); the
    clusters agree with the true types with an adjusted Rand index of 0.788 (close agreement).
    """
    agreement = "close agreement" if ari >= 0.75 else "partial agreement" if ari >= 0.4 else "little agreement"
    band, _ = silhouette_band(silhouette)
    return (
        f"Silhouette chose k = {int(k)} for {int(n_types)} true types "
        f"({'the true number' if int(k) == int(n_types) else 'not the true number'}), mean silhouette "
        f"{silhouette:.3f} ({band} structure); the clusters agree with the true types with an adjusted Rand index "
        f"of {ari:.3f} ({agreement})."
    )


#: Columns of notebook 01's tables that hold money.
MONEY_COLUMNS: tuple[str, ...] = ("net_revenue", "net_revenue_without", "avg_order_value", "unit_price", "revenue")


def label_money(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy of ``frame`` whose money columns (:data:`MONEY_COLUMNS`) carry the currency in their label.

    Examples
    --------
    >>> label_money(pd.DataFrame({"invoices": [2], "net_revenue": [9.5]}), "EUR").columns.tolist()
    ['invoices', 'net_revenue (EUR)']
    """
    currency = require_string(currency, "currency")
    return frame.rename(columns={c: f"{c} ({currency})" for c in MONEY_COLUMNS if c in frame.columns})
