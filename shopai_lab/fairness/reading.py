"""Sentences of notebook 11 built from its results, so the report stays true on any shop's data: which group
gaps are real, what a remedy bought and cost, the exposure of the long tail and the quota chosen for it, the
price of a cap on group prices, what groups paid for the same product, and what a fairer targeting rule costs.
Every sentence branches on the interval it reads: a gap is called real only when its interval excludes zero."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_string
from shopai_lab.fairness.cards import model_card
from shopai_lab.report import count, interval, money, percent, verdict
from shopai_lab.stats import Interval

__all__ = [
    "describe_exposure",
    "describe_group_gaps",
    "describe_price_cap",
    "describe_prices_paid",
    "describe_quota_choice",
    "describe_remedy",
    "describe_targeting",
    "pricing_card",
    "recommender_card",
    "targeting_card",
]

_GROUP_COLUMNS = ("units", "mean", "gap", "gap_low", "gap_high", "gap_excludes_zero")


def describe_group_gaps(tables: Mapping[str, pd.DataFrame], metric: str = "nDCG@10") -> str:
    """Per grouping, the gaps to the reference group that the data can tell from zero, and those it cannot.

    ``tables``: grouping name -> :func:`~shopai_lab.fairness.groups.group_metric_table`.

    Examples
    --------
    >>> t = pd.DataFrame({"units": [900, 100], "mean": [0.10, 0.14], "gap": [0.0, 0.04], "gap_low": [0.0, 0.01],
    ...                   "gap_high": [0.0, 0.07], "gap_excludes_zero": [False, True]}, index=["old", "new"])
    >>> t.attrs["reference"] = "old"
    >>> describe_group_gaps({"tenure": t})
    'tenure: new customers score 0.140 against 0.100 for old (+0.040, 95% CI +0.010 to +0.070), a real gap.'
    """
    sentences = []
    for name, table in tables.items():
        require_columns(table, _GROUP_COLUMNS, f"tables[{name!r}]")
        reference = table.attrs.get("reference", table["units"].idxmax())
        base = table.loc[reference, "mean"]
        parts = []
        for group, row in table.drop(index=reference).iterrows():
            gap = f"{row['gap']:+.3f}, 95% CI {row['gap_low']:+.3f} to {row['gap_high']:+.3f}"
            reading = "a real gap" if row["gap_excludes_zero"] else "not distinguishable from no gap"
            parts.append(
                f"{group} customers score {row['mean']:.3f} against {base:.3f} for {reference} ({gap}), {reading}"
            )
        sentences.append(f"{name}: " + "; ".join(parts) + ".")
    return " ".join(sentences)


def describe_remedy(
    choice: pd.DataFrame, gains: Mapping[str, Interval], setting_name: str, metric: str = "nDCG@10"
) -> str:
    """What giving each group its own setting (chosen on validation) changed on test, group by group.

    ``choice``: :func:`~shopai_lab.fairness.remedy.choose_group_settings`; ``gains``: group -> the paired
    difference (own setting minus shared setting) over the group's test customers.

    Examples
    --------
    >>> choice = pd.DataFrame({"own_setting": [0.4, 0.4], "shared_setting": [0.4, 0.4]}, index=["new", "old"])
    >>> describe_remedy(choice, {}, "trend weight")[:71]
    'The validation period gives every group the shared trend weight (0.4): '
    """
    require_columns(choice, ("own_setting", "shared_setting"), "choice")
    setting_name = require_string(setting_name, "setting_name")
    shared = choice["shared_setting"].iloc[0]
    moved = choice[choice["own_setting"] != choice["shared_setting"]]
    if moved.empty:
        return (
            f"The validation period gives every group the shared {setting_name} ({shared:g}): a group-aware "
            f"{setting_name} changes nobody's list here, so the gaps above do not come from this setting; they "
            "come from what each group buys (a remedy would have to change the model, not its weight)."
        )
    parts = []
    for group, row in moved.iterrows():
        gain = gains[group]
        parts.append(
            f"{group} gets {row['own_setting']:g} instead of {shared:g}: its {metric} changes by {interval(gain)} "
            f"on the test period ({verdict(gain)})"
        )
    kept = [str(g) for g in choice.index if g not in moved.index]
    others = (
        f" The other groups ({', '.join(kept)}) keep the shared {setting_name}, so the remedy costs them nothing."
        if kept
        else ""
    )
    return "Chosen on the validation period: " + "; ".join(parts) + "." + others


def describe_exposure(frontier: pd.DataFrame, tail_products: int, n_products: int) -> str:
    """The long tail's share of exposure against its share of what customers bought, under the plain lists.

    ``frontier``: :func:`~shopai_lab.fairness.rerank.quota_frontier` (row ``0`` is the plain top-k).

    Examples
    --------
    >>> f = pd.DataFrame({"protected_exposure_share": [0.02], "protected_merit_share": [0.5], "disparity": [0.02],
    ...                   "gini": [0.93]}, index=[0.0])
    >>> describe_exposure(f, 800, 1000)[:60]
    'The long tail (800 of 1,000 products, 80.0% of the catalogue'
    """
    require_columns(frontier, ("protected_exposure_share", "protected_merit_share", "disparity", "gini"), "frontier")
    plain = frontier.loc[0.0]
    reading = (
        "under-exposed: each unit of its merit gets "
        f"{percent(plain['disparity'])} of the exposure a unit of the head's merit gets"
        if plain["disparity"] < 0.8
        else "exposed roughly in proportion to what customers buy from it"
    )
    return (
        f"The long tail ({tail_products:,} of {n_products:,} products, {percent(tail_products / n_products)} of the "
        f"catalogue) receives {percent(plain['protected_exposure_share'])} of the exposure in the plain lists but "
        f"{percent(plain['protected_merit_share'])} of the test period's purchases: it is {reading}. Exposure is "
        f"concentrated (Gini {plain['gini']:.2f}; 0 = every product shown equally)."
    )


def describe_quota_choice(
    validation: pd.DataFrame, quota: float, gain: Interval, test: pd.DataFrame, budget: float
) -> str:
    """The tail quota chosen on validation (the largest within the accuracy budget), and what it did on test.

    Examples
    --------
    >>> v = pd.DataFrame({"mean": [0.12, 0.119]}, index=[0.0, 0.1])
    >>> t = pd.DataFrame({"mean": [0.11, 0.109], "disparity": [0.03, 0.08]}, index=[0.0, 0.1])
    >>> g = Interval(-0.001, -0.002, 0.0005, level=0.95, n=100, se=0.0006)
    >>> describe_quota_choice(v, 0.1, g, t, 0.02)[:67]
    'On the validation period, the largest tail quota that gives up at m'
    """
    if quota == 0.0:
        return (
            f"On the validation period every tail quota tried gives up more than {percent(budget)} of nDCG@10, so "
            "the plain lists stay: exposure for the tail would have to be bought with a larger accuracy budget."
        )
    loss = 1 - validation.loc[quota, "mean"] / validation.loc[0.0, "mean"]
    return (
        f"On the validation period, the largest tail quota that gives up at most {percent(budget)} of nDCG@10 is "
        f"{percent(quota, 0)} of each list (it gave up {percent(loss)}). On the test period it changes nDCG@10 by "
        f"{interval(gain)} ({verdict(gain)} than the plain lists) and moves the tail's exposure per unit of merit "
        f"from {percent(test.loc[0.0, 'disparity'])} to {percent(test.loc[quota, 'disparity'])} of the head's."
    )


def describe_price_cap(frontier: pd.DataFrame, check: Mapping, cap: float, currency: str) -> str:
    """What capping the ratio of group prices costs in revenue, and the numerical optimiser's check.

    ``frontier``: :func:`~shopai_lab.fairness.pricing.price_frontier`; ``check``: the numerical optimum at
    ``cap`` (:func:`~shopai_lab.fairness.pricing.numerical_capped_prices`).

    Examples
    --------
    >>> f = pd.DataFrame({"max_ratio": [1.0, 1.2, 9.0], "ratio": [1.0, 1.2, 1.6], "revenue": [90.0, 98.0, 100.0],
    ...                   "revenue_share": [0.9, 0.98, 1.0]})
    >>> describe_price_cap(f, {"revenue": 98.0}, 1.2, "EUR")[:65]
    'Left free, revenue-optimal group prices differ by a ratio of 1.60'
    """
    require_columns(frontier, ("max_ratio", "ratio", "revenue", "revenue_share"), "frontier")
    free = frontier.iloc[-1]
    one = frontier.loc[frontier["max_ratio"] == frontier["max_ratio"].min()].iloc[0]
    capped = frontier.loc[np.isclose(frontier["max_ratio"], cap)].iloc[0]
    agree = abs(check["revenue"] - capped["revenue"]) <= 1e-6 * max(1.0, abs(capped["revenue"]))
    better = check["revenue"] > capped["revenue"] * (1 + 1e-6)
    checked = (
        "scipy's SLSQP finds the same revenue"
        if agree
        else (
            f"scipy's SLSQP finds {'more' if better else 'less'} ({money(check['revenue'], currency)}): "
            + (
                "the exact search missed the optimum; do not trust this frontier"
                if better
                else "the general optimiser stopped short; the exact search stands"
            )
        )
    )
    return (
        f"Left free, revenue-optimal group prices differ by a ratio of {free['ratio']:.2f}. Capping the ratio at "
        f"{cap:g} keeps {percent(capped['revenue_share'])} of the free revenue ({checked}); one price for everyone "
        f"keeps {percent(one['revenue_share'])}. The cost of the cap falls on the groups that would have paid "
        "less: the price-sensitive group pays more under a cap, the other less."
    )


def describe_prices_paid(gaps: Mapping[str, tuple[Interval, pd.DataFrame]]) -> str:
    """Whether groups paid different unit prices for the same product in the same quantity tier.

    ``gaps``: comparison label (``"other - United Kingdom"``) -> :func:`~shopai_lab.fairness.price_gap_by_group`.

    Examples
    --------
    >>> g = Interval(0.05, 0.03, 0.07, level=0.95, n=300, se=0.01)
    >>> describe_prices_paid({"other - UK": (g, pd.DataFrame(index=range(300)))})[:66]
    'other - UK: over 300 product x quantity-tier cells, the first grou'
    """
    parts = []
    for label, (gap, cells) in gaps.items():
        pct = f"{np.expm1(gap.estimate):+.1%} ({interval(gap)} in log price)"
        reading = "a real difference" if gap.excludes_zero else "no difference the data can tell from zero"
        parts.append(
            f"{label}: over {count(len(cells), 'product x quantity-tier cell')}, the first group paid {pct} per "
            f"unit for the same product in the same quantity tier, {reading}"
        )
    return "; ".join(parts) + "."


def describe_targeting(
    before: Mapping[str, float], after: Mapping[str, float], profit: Interval, group: str, currency: str
) -> str:
    """The targeting rule's equalised-odds and selection-rate gaps before and after group thresholds, and the
    profit the change costs (``profit``: group thresholds minus one threshold, per session).

    Examples
    --------
    >>> b = {"true_positive_rate": 0.12, "selection_rate": 0.07, "equalized_odds": 0.12}
    >>> a = {"true_positive_rate": 0.05, "selection_rate": 0.05, "equalized_odds": 0.05}
    >>> p = Interval(-0.001, -0.01, 0.009, level=0.95, n=3000, se=0.005)
    >>> describe_targeting(b, a, p, "VisitorType", "EUR")[:70]
    'By VisitorType, one threshold for everyone leaves a gap of 0.12 in tru'
    """
    change = verdict(profit)
    cost = (
        "costs no profit the data can measure"
        if change == "not distinguishable"
        else ("raises" if change == "better" else "lowers") + " profit"
    )
    return (
        f"By {group}, one threshold for everyone leaves a gap of {before['true_positive_rate']:.2f} in true-positive "
        f"rate between groups (buyers of one group are offered the incentive more often than buyers of another) "
        f"and {before['selection_rate']:.2f} in selection rate. Thresholds chosen per group on the training "
        f"sessions for equal opportunity bring the true-positive gap to {after['true_positive_rate']:.2f} on the "
        f"test sessions; the selection-rate gap becomes {after['selection_rate']:.2f}. The change {cost}: "
        f"{interval(profit)} {currency} per session. Equal opportunity and equal selection rates are different "
        "promises, and with different purchase rates per group a calibrated score cannot keep both: "
        + (
            "this rule keeps the first."
            if after["true_positive_rate"] < before["true_positive_rate"]
            else "here the per-group thresholds did not even narrow the true-positive gap on the test sessions, "
            "so the single threshold stays."
        )
    )


def recommender_card(
    served: Mapping[str, Mapping[str, pd.DataFrame]],
    weight: float,
    frontier: pd.DataFrame,
    quota: float,
    quota_gain: Interval,
    period: str,
    k: int = 10,
) -> str:
    """The house recommender's model card from notebook 11's results (``served``: metric -> grouping -> table)."""
    ndcg = pd.concat(served["ndcg"], names=["grouping", "group"])
    real = ndcg[ndcg["gap_excludes_zero"]]
    return model_card(
        "house Blend recommender",
        f"the next {k} products to show each returning customer",
        f"invoice lines {period}; trained before the test cut-off, evaluated on the last period's new purchases",
        {
            "trend weight (chosen on validation)": f"{weight:g}",
            "tail quota within the accuracy budget": f"{quota:.0%} of lists, nDCG@{k} change {interval(quota_gain)}",
            "long tail's share of exposure (plain lists)": percent(frontier.loc[0.0, "protected_exposure_share"]),
            "Gini of exposure (plain lists)": f"{frontier.loc[0.0, 'gini']:.2f}",
        },
        groups=ndcg[["units", "mean", "low", "high", "gap"]].round(4),
        limits=[
            "Groups with a real gap in nDCG: "
            + (", ".join(f"{g} ({c})" for c, g in real.index) if len(real) else "none at this sample size")
            + ".",
            "Merit (test purchases) was shaped by the lists shown at the time; the tail's merit is understated.",
            "Customers without purchases before the cut-off get popularity only (cold start, notebook 02).",
        ],
    )


def targeting_card(
    model: str,
    auc: float,
    threshold: float,
    selected_share: float,
    gaps: pd.DataFrame,
    profit_change: Interval,
    currency: str,
) -> str:
    """The incentive rule's model card: model, threshold, group gaps and the cost of equal opportunity."""
    return model_card(
        "incentive targeting rule",
        "which browsing sessions are offered an incentive, from early-session features",
        "UCI Online Shoppers sessions (or the file given); stratified train/test split",
        {
            "model (cross-validated AUC)": f"{model} ({auc:.3f})",
            "threshold (chosen on training sessions)": f"{threshold:.3f}, selecting {percent(selected_share)}",
            "profit change of equal-opportunity thresholds": f"{interval(profit_change)} {currency} per session",
        },
        groups=gaps.round(3),
        limits=[
            "The incentive's uplift is assumed, not measured (notebook 07 measures it).",
            "Equal opportunity, equal selection rates and calibration within groups conflict; see the notebook.",
        ],
    )


def pricing_card(price_table: pd.DataFrame, cap: float, currency: str) -> str:
    """The group-pricing simulator's card: the frontier and what the cap keeps."""
    capped = price_table.loc[np.isclose(price_table["max_ratio"], cap)].iloc[0]
    return model_card(
        "group prices under a fairness cap",
        "one price per customer group with a cap on the highest / lowest price",
        "a simulator with logit demand per group (assumed parameters), not fitted to this shop",
        {
            "uncapped price ratio": f"{price_table['ratio'].iloc[-1]:.2f}",
            f"revenue kept at cap {cap:g}": percent(capped["revenue_share"]),
            "revenue at that cap": money(capped["revenue"], currency),
        },
        limits=["Demand per group is assumed; fit it per segment (notebook 04) before setting real prices."],
    )
