"""Sentences of notebook 06 built from its results, so the report stays true on any shop's data.

Each function takes computed tables or numbers and returns Markdown; every claim branches on the
values, so a target the data miss is said to be missed.
"""

from __future__ import annotations

import pandas as pd

from shopai_lab._validation import require_columns, require_string
from shopai_lab.report import interval, money, percent, verdict

#: issue 23's targets: RMSSE at least 3% below the benchmark's; fill at equal stock; 95% fill within 2 points
RMSSE_TARGET = -0.03
FILL_AT_STOCK_TARGET = 0.93
FILL_BAND = 0.02


def forecast_target_met(comparison: pd.DataFrame, previous=None, every: pd.DataFrame | None = None) -> bool:
    """RMSSE >= 3% better with the interval below zero at every horizon compared, against the benchmark of
    ``comparison`` and (when ``every`` is given, :func:`decision.against_every_simple`) against every simple
    method; and (when ``previous``, an Interval of MASE against the previous choice, is given) not worse on MASE."""
    require_columns(comparison, ["relative"], "comparison")
    rmsse = list(comparison.xs("rmsse", level="metric")["relative"])
    if every is not None:
        require_columns(every, ["relative"], "every")
        rmsse += list(every["relative"])
    met = all(r.estimate <= RMSSE_TARGET and r.high < 0 for r in rmsse)
    return met and (previous is None or verdict(previous, higher_is_better=False) != "worse")


def describe_choice(recommended: str, members, benches: dict, ranked: pd.Series) -> str:
    """What was chosen on the validation weeks, and the benchmark named from the table.

    Examples
    --------
    >>> print(describe_choice("mean of best 2", ["TSB", "MA8"], {"rmsse": "TSB", "mase": "median8", "bias": "MA8"},
    ...                       pd.Series({"mean of best 2": 0.92, "TSB": 0.94})))  # doctest: +NORMALIZE_WHITESPACE
    On the validation weeks the lowest RMSSE (0.920) is the **mean of best 2** (the mean of TSB, MA8).
    The benchmark it must beat is the best simple method on each metric there: **TSB** on RMSSE, **median8**
    on MASE, MA8 on bias.
    """
    recommended = require_string(recommended, "recommended")
    what = f" (the mean of {', '.join(members)})" if len(members) > 1 else ""
    if recommended == benches["rmsse"]:
        what += ", itself a simple method: no combination and no global model did better there"
    return (
        f"On the validation weeks the lowest RMSSE ({ranked.loc[recommended]:.3f}) is the **{recommended}**{what}. "
        f"The benchmark it must beat is the best simple method on each metric there: **{benches['rmsse']}** on "
        f"RMSSE, **{benches['mase']}** on MASE, {benches['bias']} on bias."
    )


def describe_forecast_result(comparison: pd.DataFrame, model: str, previous=None, every=None) -> str:
    """The test-week comparison on RMSSE (the ranking metric) and MASE, and whether the target is met.

    ``previous``: MASE against the previous choice (an Interval). ``every``: RMSSE against every simple
    method (:func:`decision.against_every_simple`); its weakest gap per horizon is said, and the target
    needs all of them.
    """
    parts = []
    for (metric, h), row in comparison.iterrows():
        parts.append(
            f"{metric.upper()} {h} week{'s' if h > 1 else ''} ahead against {row['benchmark']}: "
            f"{interval(row['relative'])} ({row['verdict']})"
        )
    bias = comparison.xs("rmsse", level="metric").iloc[0]
    if bias["benchmark"] == model:
        parts = [p for p, (metric, _) in zip(parts, comparison.index, strict=True) if metric != "rmsse"]
        parts.insert(0, "it is the RMSSE benchmark itself, so there is no RMSSE gain to claim")
    text = (
        f"On the test weeks, **{model}**: " + "; ".join(parts) + ". Its bias one week ahead is "
        f"{bias['model_bias']:+.1%} against {bias['benchmark_bias']:+.1%} for {bias['benchmark']}."
    )
    if previous is not None:
        text += f" On MASE against the previous choice: {interval(previous)} ({verdict(previous, False)})."
    if every is not None:
        from shopai_lab.forecast.decision import weakest_gap

        worst = weakest_gap(every)
        beaten = int((every["verdict"] == "better").sum())
        text += (
            f" Against every simple method of the table, on RMSSE: better with an interval below zero in {beaten} "
            f"of {len(every)} comparisons; the weakest gap is " + "; ".join(
                f"{h} week{'s' if h > 1 else ''} ahead against {b}: {interval(r['relative'])}"
                for (b, h), r in worst.iterrows()) + "."
        )  # fmt: skip
    if forecast_target_met(comparison, previous, every):
        return text + (
            " **Target met**: at least 3% better in RMSSE with the interval below zero at every horizon, against "
            "every simple method."
        )
    return text + (
        " **Target missed**: the recommendation is not at least 3% better in RMSSE with an interval below zero "
        "against every simple method at every horizon (or it is worse on MASE than the previous choice). It is "
        "still the best choice the validation weeks support, but its gain over the best simple methods is small: "
        "keep a simple method's forecasts as a fallback and do not promise more accuracy than the intervals show."
    )


def describe_windows(flags: pd.DataFrame) -> str:
    """Which validation windows were flagged (a closure, a peak) and left out of the level choice.

    Examples
    --------
    >>> f = pd.DataFrame({"start": pd.to_datetime(["2024-01-01", "2024-02-01"]), "reason": ["", "peak: x"]})
    >>> describe_windows(f)
    'Validation window 2 (from 2024-02-01) is left out of the level choice: peak: x.'
    """
    require_columns(flags, ["start", "reason"], "flags")
    out = [f"Validation window {i + 1} (from {r.start.date()}) is left out of the level choice: {r.reason}."
           for i, r in enumerate(flags.itertuples()) if r.reason]  # fmt: skip
    if len(out) == len(flags):
        return " ".join(out) + " Every window is flagged, so all are used."
    return " ".join(out) or f"None of the {len(flags)} validation windows holds a closure or a peak: all are used."


def stock_targets(test_table: pd.DataFrame, fill_policy, fill_at_stock: float, max_weeks: float, fill_target: float):
    """Whether the stock targets hold: (fill at ``max_weeks`` >= 0.93; the test fill of ``fill_policy``, the level
    chosen on validation for ``fill_target``, within 2 points of it at <= ``max_weeks`` + 1 weeks of stock).

    Examples
    --------
    >>> t = pd.DataFrame({"fill_rate": [0.94], "weeks_of_stock": [4.2]}, index=[("m", "fill")])
    >>> stock_targets(t, ("m", "fill"), 0.91, 3.5, 0.95)
    (False, True)
    """
    require_columns(test_table, ["fill_rate", "weeks_of_stock"], "test_table")
    row = test_table.loc[[fill_policy]].iloc[0]
    at_stock = fill_at_stock == fill_at_stock and fill_at_stock >= FILL_AT_STOCK_TARGET
    within = abs(row["fill_rate"] - fill_target) <= FILL_BAND and row["weeks_of_stock"] <= max_weeks + 1
    return bool(at_stock), bool(within)


def describe_stock(
    test_table, chosen, fill_policy, fill_at_stock, max_weeks, fill_target, comparisons, currency
) -> str:
    """The chosen policy's test fill, stock and cost, the other policies against it, and the stock targets.

    ``fill_at_stock``: the recommended forecaster's test fill at ``max_weeks`` of stock on all demand and on
    regular demand (bulk orders capped); the targets are read on all demand.
    """
    row = test_table.loc[[chosen]].iloc[0]
    at_stock, within = stock_targets(test_table, fill_policy, fill_at_stock[0], max_weeks, fill_target)
    reached = test_table.loc[[fill_policy]].iloc[0]
    others = "; ".join(f"{name}: {interval(r)} ({_cost_word(r)})" for name, r in comparisons.items())
    text = (
        f"Chosen on validation: **{chosen[0]} at level {row['level']:g}** ({chosen[1]}). On the test weeks it "
        f"served {percent(row['fill_rate'])} of all demand with {row['weeks_of_stock']:.2f} weeks of stock "
        f"({percent(row['regular_fill_rate'])} of regular demand, bulk orders capped, with "
        f"{row['regular_weeks_of_stock']:.2f} weeks), at a cost of {money(row['cost'], currency)}. "
        f"Cost of the other policies relative to it, paired over products: {others}. "
    )
    fill_at_stock, fill_regular = fill_at_stock
    fill_text, regular_text = (
        "unknown (outside the curve)" if f != f else percent(f) for f in (fill_at_stock, fill_regular)
    )
    text += (f"At {max_weeks:g} weeks of stock the recommended forecaster's test curve fills {fill_text} of all "
             f"demand ({regular_text} of regular demand): ") + (
        f"the {percent(FILL_AT_STOCK_TARGET, 0)} target is met. " if at_stock else
        f"**below the {percent(FILL_AT_STOCK_TARGET, 0)} target**. "
    )  # fmt: skip
    return text + (
        f"The level chosen on validation for {percent(fill_target, 0)} fill ({reached['level']:g}) delivered "
        f"{percent(reached['fill_rate'])} with {reached['weeks_of_stock']:.2f} weeks of stock ("
        f"{percent(reached['regular_fill_rate'])} of regular demand): within 2 points at no "
        f"more than {max_weeks + 1:g} weeks." if within else
        f"**The level chosen on validation for {percent(fill_target, 0)} fill ({reached['level']:g}) delivered "
        f"{percent(reached['fill_rate'])} of all demand with {reached['weeks_of_stock']:.2f} weeks of stock on the "
        f"test weeks: not within 2 points at no more than {max_weeks + 1:g} weeks** "
        f"({_gap(reached['fill_rate'], fill_target, 'all demand')}"
        + (f", but with more stock than the {max_weeks + 1:g} weeks allowed"
           if reached["weeks_of_stock"] > max_weeks + 1 else "") + "). On regular demand it delivered "
        f"{percent(reached['regular_fill_rate'])} with {reached['regular_weeks_of_stock']:.2f} weeks "
        f"({_gap(reached['regular_fill_rate'], fill_target, 'regular demand')})."
    )  # fmt: skip


def _gap(fill: float, target: float, what: str) -> str:
    """Why a fill misses its target, by the direction of the miss.

    Examples
    --------
    >>> _gap(0.97, 0.95, "regular demand")
    'within 2 points of the target'
    >>> _gap(0.86, 0.95, "all demand")[:31]
    '9.00 points short on all demand'
    """
    points = 100 * (fill - target)
    if abs(points) <= 100 * FILL_BAND + 1e-9:
        return "within 2 points of the target"
    if points < 0:
        return (f"{-points:.2f} points short on {what}: bulk orders the level does not hold stock for, or demand "
                "that rose after the validation weeks")  # fmt: skip
    return (f"{points:.2f} points above the target on {what}: the validation windows needed a higher level "
            "than the test weeks")  # fmt: skip


def _cost_word(result) -> str:
    word = verdict(result, higher_is_better=False)
    return {"better": "costs less", "worse": "costs more"}.get(word, "not distinguishable")


def decision(recommended, benchmark, forecast_met, chosen, test_table, at_stock, within, flagged, currency) -> str:
    """The recommendation: which forecaster and policy, what it costs and delivers, what changes when a target fails."""
    row = test_table.loc[[chosen]].iloc[0]
    text = (
        f"**Use {chosen[0]}** for the weekly forecasts and **order up to its level-{row['level']:g} quantile** "
        f"({chosen[1]}): on the test weeks it cost {money(row['cost'], currency)} and served "
        f"{percent(row['fill_rate'])} of demand with {row['weeks_of_stock']:.1f} weeks of stock. "
    )
    if recommended == benchmark:
        text += ("No combination or global model beat this simple method on the validation weeks: keep it, and "
                 "re-run the comparison when more history is available. ")  # fmt: skip
    elif not forecast_met:
        text += ("The forecast gain over the simple benchmark missed its target, so the benchmark's forecasts "
                 "are an acceptable fallback: the stock decision changes little between them. ")  # fmt: skip
    if not at_stock or not within:
        text += ("The stock targets were missed: treat the level as a starting point, review it every few weeks "
                 "against the fill actually reached, and settle bulk orders with the customers who place them "
                 "(the flagged products of the order list) rather than holding stock for them. ")  # fmt: skip
    else:
        text += "The stock targets were met; keep the level under review as the season changes. "
    if flagged:
        text += f"{flagged} validation window(s) were left out as unusual; check the next ones before re-choosing."
    return text


def describe_orders(orders: pd.DataFrame, path=None) -> str:
    """How many products to order next week, how many units, which are flagged, and where the list went.

    Examples
    --------
    >>> o = pd.DataFrame({"order": [6.0, 0.0, 12.0], "flag": ["", "", "bulk order: ..."]})
    >>> print(describe_orders(o))  # doctest: +NORMALIZE_WHITESPACE
    Next week: order 18 units of 2 of 3 products. 1 product is flagged for a conversation (a bulk order in the
    recent weeks). The list is not written to a file (set `order_path`).
    """
    require_columns(orders, ["order", "flag"], "orders")
    ordering = int((orders["order"] > 0).sum())
    flagged = int((orders["flag"] != "").sum())
    text = (
        f"Next week: order {orders['order'].sum():,.0f} units of {ordering:,} of {len(orders):,} products. "
        + (f"{flagged:,} product{' is' if flagged == 1 else 's are'} flagged for a conversation (a bulk order in "
           "the recent weeks). " if flagged else "No product had a bulk order in the recent weeks. ")
    )  # fmt: skip
    return text + (
        "The list is not written to a file (set `order_path`)." if path is None else f"The list is in `{path}`."
    )
