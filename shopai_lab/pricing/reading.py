"""Sentences of notebook 04 built from its results, so the report stays true on any shop's data: the
projected profit of the recommendations and its reference period, the bandit race and its hard case.

Every sentence branches where the claim it makes can fail on other data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import require_columns, require_instance, require_number, require_positive_int
from shopai_lab.report import count, interval, money, percent, verdict
from shopai_lab.stats import Interval


def describe_projection(
    recommendations: pd.DataFrame,
    profit_range: tuple[float, float],
    *,
    gross_margin: float,
    price_weeks: int,
    reference_weeks: int,
    recent_level: float,
    currency: str,
) -> str:
    """The projected weekly profit change of the recommendations, with what it assumes and its demand period.

    ``recent_level`` is the shop's weekly units of the last ``price_weeks`` weeks as a ratio to its
    average over the last ``reference_weeks`` weeks (the reference the projection uses).

    Examples
    --------
    >>> recs = pd.DataFrame({"rule": ["max increase", "no recommendation"], "reason": ["", "e < -1 but its interval"
    ...     " reaches -1: not clearly elastic"], "profit_change": [10.0, 0.0], "profit_now": [100.0, 50.0]})
    >>> describe_projection(recs, (5.0, 15.0), gross_margin=0.4, price_weeks=8, reference_weeks=52,
    ...                     recent_level=1.5, currency="EUR")[:62]
    '2 products sold in the last 8 weeks; 1 gets a price move, and '
    """
    require_columns(recommendations, ["rule", "reason", "profit_change", "profit_now"], "recommendations")
    recent_level = require_number(recent_level, "recent_level", low=0.0)
    moved = int((recommendations["rule"] != "no recommendation").sum())
    uncertain = int(recommendations["reason"].str.contains("not clearly elastic").sum())
    change, now = recommendations["profit_change"].sum(), recommendations["profit_now"].sum()
    level = (
        f"the last {price_weeks} weeks sold {percent(abs(recent_level - 1), 0)} "
        f"{'more' if recent_level >= 1 else 'fewer'} units per week than that average, so a projection on their "
        "level would be "
        + (
            "inflated by a peak."
            if recent_level > 1.1
            else "deflated by a trough."
            if recent_level < 0.9
            else "about the same."
        )
    )
    return (
        f"{count(len(recommendations), 'product')} sold in the last {price_weeks} weeks; "
        f"{count(moved, 'gets', 'get')} a price move, and {count(uncertain, 'product')} whose point estimate is below "
        "-1 but whose 95% interval reaches -1 keep today's price (not clearly elastic). The model **projects** a "
        f"weekly profit change of {money(change, currency)} on {money(now, currency)} ({change / now:+.1%}), "
        f"assuming a gross margin of {percent(gross_margin, 0)}, constant elasticity, pooled elasticities equal to "
        "the truth and no effect on other products. With every elasticity one posterior sd less (more) favourable "
        f"to its move: {money(profit_range[0], currency)} ({money(profit_range[1], currency)}). Demand is each "
        f"product's average week over the reference period, the shop's last {count(reference_weeks, 'week')} "
        f"(today's price is that of the last {price_weeks} weeks): {level}"
    )


def recent_demand_level(panel: pd.DataFrame, price_weeks: int, reference_weeks: int) -> float:
    """The shop's mean weekly units of its last ``price_weeks`` periods over those of its last ``reference_weeks``.

    Examples
    --------
    >>> panel = pd.DataFrame({"period": [1, 2, 3, 4], "units": [10.0, 10.0, 30.0, 30.0]})
    >>> recent_demand_level(panel, 2, 4)
    1.5
    """
    require_columns(panel, ["period", "units"], "panel")
    price_weeks = require_positive_int(price_weeks, "price_weeks")
    reference_weeks = require_positive_int(reference_weeks, "reference_weeks")
    weekly = panel.groupby("period")["units"].sum().sort_index()
    reference = weekly.iloc[-reference_weeks:].mean()
    if not reference > 0:
        raise ValueError("panel sold no units in the reference period")
    return float(weekly.iloc[-price_weeks:].mean() / reference)


def describe_race(table: pd.DataFrame, versus: pd.DataFrame, runs: dict, currency: str) -> str:
    """Thompson sampling against the other policies of the race, the greedy trap and explore-then-commit.

    ``table`` and ``runs`` are :func:`shopai_lab.pricing.race`'s output, ``versus`` is
    :func:`shopai_lab.pricing.compare_policies` against ``"Thompson sampling"``.
    """
    require_columns(table, ["share_of_benchmark", "regret_median", "regret_p95"], "table")
    require_columns(versus, ["interval"], "versus")
    require_instance(runs, dict, "runs")
    ts, greedy, etc = table.loc["Thompson sampling"], table.loc["greedy"], runs["explore-then-commit (m=100)"]
    committed = float(np.isclose(etc.final_regret, etc.final_regret.min()).mean())
    worse = [name for name, result in versus["interval"].items() if verdict(result) == "worse"]
    others = sorted(set(versus.index) - set(worse))
    text = f"Thompson sampling earns {percent(ts['share_of_benchmark'], 2)} of the clairvoyant's revenue; " + (
        f"it beats {', '.join(worse)} (intervals below zero)" if worse else "no policy is distinguishably worse"
    )
    text += f", while {', '.join(others)} cannot be told apart from it. " if others and worse else ". "
    text += (
        f"**The greedy trap**: pure greedy's median regret is {money(greedy['regret_median'], currency)} but its 95% "
        f"quantile {money(greedy['regret_p95'], currency)}: in some runs an unlucky early sale at a bad price "
        "convinces it that price is best, and it never looks back. **Explore-then-commit** pays the same exploration "
        f"cost ({money(etc.final_regret.min(), currency)}) in every run that commits to the best price, "
        f"{percent(committed, 0)} of runs here: "
    )
    if committed > 0.95:
        text += (
            "hence its 5% and 95% quantiles coincide; its mean is higher because the other runs commit to a worse "
            "price and pay on every remaining customer."
        )
    else:
        text += (
            "its 5% quantile" + (" and median equal" if committed > 0.5 else " equals") + " that cost, while its 95% "
            "quantile and its mean come from the runs that committed to a worse price and paid for it on every "
            "remaining customer."
        )
    return text + " Its exploration budget must be set in advance, with no way to know the right one."


def describe_hard_case(
    hard_table: pd.DataFrame,
    hard_versus: pd.DataFrame,
    hard_loss: Interval,
    easy_loss: Interval,
    prices,
    customers: int,
) -> str:
    """The cost of learning in the hard race (close prices, fewer customers) against the easy one.

    ``hard_loss`` and ``easy_loss`` are Thompson sampling's mean share of revenue given up, with intervals.

    Examples
    --------
    >>> t = pd.DataFrame({"share_of_benchmark": [0.967, 0.974]}, index=["Thompson sampling", "greedy"])
    >>> v = pd.DataFrame({"interval": [Interval(0.007, -0.001, 0.015, level=0.95, n=50, se=0.004)]},
    ...                  index=["greedy"])
    >>> loss = Interval(0.033, 0.029, 0.037, level=0.95, n=50, se=0.002)
    >>> describe_hard_case(t, v, loss, loss, [1, 2], 1000)[-60:]
    'uishable, +0.70% (95% CI -0.10% to +1.50%) of the benchmark.'
    """
    require_columns(hard_table, ["share_of_benchmark"], "hard_table")
    require_columns(hard_versus, ["interval"], "hard_versus")
    for name, value in (("hard_loss", hard_loss), ("easy_loss", easy_loss)):
        require_instance(value, Interval, name)
    best = ranking.idxmax(hard_table["share_of_benchmark"])
    text = (
        f"With {count(customers, 'customer')} and prices {', '.join(f'{p:g}' for p in prices)}, Thompson "
        f"sampling gives up {percent(hard_loss.estimate, 2)} of the clairvoyant's revenue (95% CI "
        f"{percent(hard_loss.low, 2)} to {percent(hard_loss.high, 2)}), against {percent(easy_loss.estimate, 2)} "
        f"({percent(easy_loss.low, 2)} to {percent(easy_loss.high, 2)}) in the easy case: the cost of learning is a "
        "property of the test as much as of the policy. "
    )
    if best == "Thompson sampling":
        return text + "Thompson sampling is still the best policy here."
    result = hard_versus.loc[best, "interval"]
    return text + (
        f"Here {best} earns most ({percent(hard_table.loc[best, 'share_of_benchmark'], 2)}); against Thompson "
        f"sampling it is {verdict(result)}, {interval(result, 2, as_percent=True)} of the benchmark."
    )


def describe_tiers(tiers: pd.Series) -> str:
    """Whether line prices fall with the quantity bought (tier prices), from per-product correlations.

    Examples
    --------
    >>> describe_tiers(pd.Series([-0.5, -0.3, 0.1]))[-52:]
    " line price is confounded with the week's order mix."
    """
    require_instance(tiers, pd.Series, "tiers")
    if tiers.empty:
        raise ValueError("tiers is empty: no product has enough lines")
    median = float(tiers.median())
    return (
        f"Within each of the {count(len(tiers), 'product')} with at least 30 lines, log quantity and log unit price "
        f"have a median correlation of **{median:+.2f}** ({percent((tiers < 0).mean(), 0)} of products below zero): "
        + (
            "line prices fall with the quantity bought, so a median line price is confounded with the week's order mix."
            if median < -0.1
            else "line prices hardly depend on the quantity bought here, so tier prices are a minor confounder."
        )
    )


def describe_list_panel(estimates: pd.DataFrame, panel: pd.DataFrame, line_median: float, list_median: float) -> str:
    """The list-price panel (zero weeks, carried prices); how the typical elasticity moves from line to list price."""
    require_columns(estimates, ["periods", "zero_periods"], "estimates")
    require_columns(panel, ["price_observed"], "panel")
    line_median = require_number(line_median, "line_median")
    list_median = require_number(list_median, "list_median")
    periods = estimates["periods"].sum()
    if line_median < list_median < 0:
        ending = "much of the apparent price sensitivity was the tier schedule."
    elif list_median >= 0:
        ending = (
            "on the list price, the typical product's demand does not even fall with price: price response is not "
            "identified from this history."
        )
    else:
        ending = "the tier schedule did not make demand look more sensitive."
    return (
        f"The list-price panel has {count(periods, 'listed product-week')} for {count(len(estimates), 'product')}; "
        f"{percent(estimates['zero_periods'].sum() / periods)} of them sold nothing, and "
        f"{percent(1 - panel['price_observed'].mean())} carry the last list price forward (no small-quantity line "
        f"that week). The typical elasticity moves from {line_median:+.2f} (median line price) to {list_median:+.2f} "
        f"(list price): {ending}"
    )


def describe_pooled(median: float, share_elastic: float, share_rising: float) -> str:
    """The pooled elasticities: median, and the shares elastic, inelastic and rising with price.

    Examples
    --------
    >>> describe_pooled(-0.85, 0.425, 0.197)[:44]
    'Pooled elasticity: median **-0.85**; 42.5% o'
    """
    median = require_number(median, "median")
    share_elastic = require_number(share_elastic, "share_elastic", low=0.0, high=1.0)
    share_rising = require_number(share_rising, "share_rising", low=0.0, high=1.0)
    return (
        f"Pooled elasticity: median **{median:.2f}**; {percent(share_elastic)} of products are elastic (e < -1), "
        f"{percent(1 - share_elastic - share_rising)} inelastic (-1 <= e < 0) and {percent(share_rising)} have demand "
        "*rising* with price (e >= 0), a sign that something moved price and demand together."
    )


def describe_margin_direction(sensitivity: pd.DataFrame) -> str:
    """Whether the direction of the recommendations flips with the assumed margin (:func:`margin_sensitivity`)."""
    require_columns(sensitivity, ["raise", "cut"], "sensitivity")
    flips = bool(np.sign(sensitivity["raise"] - sensitivity["cut"]).nunique() > 1)
    start = (
        "The direction of the recommendations **flips with the assumed margin**: "
        if flips
        else "The direction of the recommendations does not flip over the margins tried, but its size moves: "
    )
    rows = "; ".join(
        f"at {percent(m, 0)}, {int(r['raise'])} up and {int(r['cut'])} down" for m, r in sensitivity.iterrows()
    )
    return start + rows + ". Without real costs these are hypotheses for price tests, not price changes."


def describe_lp_mixture(prices, mixture, value: float, currency: str) -> str:
    """The LP's price mixture and its bound per customer.

    Examples
    --------
    >>> describe_lp_mixture([39.9, 44.9], [0.75, 0.25], 10.1, "EUR")
    'LP price mixture: 75% at 39.9, 25% at 44.9; LP bound EUR 10.10 per customer.'
    """
    mixture = np.asarray(mixture, dtype=float)
    if len(prices) != len(mixture):
        raise ValueError(f"prices and mixture differ in length ({len(prices)} vs {len(mixture)})")
    parts = ", ".join(f"{percent(x, 0)} at {p:g}" for p, x in zip(prices, mixture) if x > 1e-9)
    return f"LP price mixture: {parts}; LP bound {money(float(value), currency, 2)} per customer."


def describe_inventory(inv_table: pd.DataFrame, versus_update: pd.DataFrame) -> str:
    """TS-update against TS-fixed and stock-blind Thompson sampling, in share of the LP bound."""
    require_columns(inv_table, ["share_of_benchmark"], "inv_table")
    require_columns(versus_update, ["interval"], "versus_update")
    update, fixed, blind = (inv_table.loc[name] for name in ["TS-update", "TS-fixed", "Thompson sampling"])
    difference = versus_update.loc["TS-fixed", "interval"]
    return (
        "TS-update, which re-solves the programme with the remaining inventory per remaining customer, earns "
        f"{percent(update['share_of_benchmark'], 2)} of the LP bound; TS-fixed "
        f"{percent(fixed['share_of_benchmark'], 2)} (difference {interval(difference, 2, as_percent=True)}: "
        f"{verdict(difference)} than TS-update); plain Thompson sampling, blind to stock, "
        f"{percent(blind['share_of_benchmark'], 1)}, selling out at the cheap price."
    )


def describe_learning_cost(easy: Interval, hard: Interval, customers: int, hard_customers: int) -> str:
    """Whether Thompson sampling gives up under 1% of revenue in the easy and the hard race.

    Examples
    --------
    >>> easy = Interval(0.0054, 0.005, 0.0059, level=0.95, n=50, se=0.0002)
    >>> hard = Interval(0.033, 0.029, 0.037, level=0.95, n=50, se=0.002)
    >>> describe_learning_cost(easy, hard, 10_000, 1_000)[-38:]
    ' under 1% holds only in the easy case.'
    """
    for name, value in (("easy", easy), ("hard", hard)):
        require_instance(value, Interval, name)
    if easy.high < 0.01 <= hard.estimate:
        ending = "under 1% holds only in the easy case."
    elif hard.high < 0.01:
        ending = "under 1% holds in both cases."
    elif easy.high >= 0.01:
        ending = "neither case keeps it reliably under 1%."
    else:
        ending = "under 1% holds in the easy case; the hard case is not distinguishable from 1%."
    return (
        f"In the experiments above Thompson sampling gave up {percent(easy.estimate, 2)} of revenue with "
        f"{count(customers, 'customer')} and well-separated prices, and {percent(hard.estimate, 2)} with "
        f"{count(hard_customers, 'customer')} and close prices; {ending}"
    )
