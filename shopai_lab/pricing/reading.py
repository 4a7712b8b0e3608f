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
