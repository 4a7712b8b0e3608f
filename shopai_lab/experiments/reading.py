"""Sentences of notebook 07 built from its results, so the report stays true on any shop's data.

Each function takes already computed tables or numbers and returns Markdown (shown with
:func:`shopai_lab.report.show`); money goes through :func:`~shopai_lab.report.money` with the notebook's
``currency``, and every claim branches on the values: a sentence whose claim fails on the data says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_number, require_string
from shopai_lab.experiments.targeting import PROPENSITY_RULE
from shopai_lab.report import count, money, percent

#: A metric is "heavy-tailed" here when its mean is at least this many times its median.
SKEW_RATIO = 2.0


def _top_share(values: pd.Series, share: float = 0.01) -> float:
    total = float(values.sum())
    return float(values.nlargest(max(1, int(len(values) * share))).sum() / total) if total > 0 else float("nan")


def describe_population(customers: pd.DataFrame, currency: str) -> str:
    """Who is in the experiment and how skewed their revenue is (the root of most trouble in the notebook).

    Examples
    --------
    >>> c = pd.DataFrame({"revenue": [0.0, 10, 20, 30, 940], "converted": [0, 1, 1, 1, 1]})
    >>> print(describe_population(c, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    5 customers; net revenue per customer in the experiment period: mean EUR 200, median EUR 20, largest EUR 940;
    80.0% bought, and the top 1% of customers hold 94.0% of the revenue. **Revenue per customer is heavy-tailed**
    (the mean is 10.0 times the median): that skew widens intervals, strains the normal approximation, and one
    customer landing in one arm can move a mean.
    """
    require_columns(customers, ["revenue", "converted"], "customers")
    currency = require_string(currency, "currency")
    revenue = customers["revenue"].astype(float)
    mean, median, top = float(revenue.mean()), float(revenue.median()), _top_share(revenue)
    facts = (
        f"{count(len(customers), 'customer')}; net revenue per customer in the experiment period: mean "
        f"{money(mean, currency)}, median {money(median, currency)}, largest {money(revenue.max(), currency)}; "
        f"{percent(customers['converted'].mean())} bought, and the top 1% of customers hold {percent(top)} of "
        "the revenue."
    )
    if median > 0 and mean >= SKEW_RATIO * median:
        return (
            f"{facts} **Revenue per customer is heavy-tailed** (the mean is {mean / median:.1f} times the median): "
            "that skew widens intervals, strains the normal approximation, and one customer landing in one arm can "
            "move a mean."
        )
    return (
        f"{facts} Revenue per customer is not strongly skewed here (the mean is less than {SKEW_RATIO:g} times the "
        "median, or most customers did not buy): the normal approximation has less to fight below."
    )


def describe_srm_blind_side(damage: pd.DataFrame, n_lost: int, alpha: float, threshold: float) -> str:
    """What losing the largest treated customers does to the SRM check and to Welch's test.

    Examples
    --------
    >>> d = pd.DataFrame({"srm_p_value": [0.4, 0.5, 0.6, 0.0001], "reject": [True, True, True, False]})
    >>> print(describe_srm_blind_side(d, 33, 0.05, 0.001))  # doctest: +NORMALIZE_WHITESPACE
    Losing the 33 top treated customers: median SRM p-value 0.45, SRM flagged in 25.0% of splits, yet Welch's test
    rejects 'no effect' in 75.0% of these A/A splits (nominal 5.0%). **The SRM check is necessary, not
    sufficient:** compare the arms on pre-period metrics too, and find out *who* is missing when counts look right
    but results look too good.
    """
    require_columns(damage, ["srm_p_value", "reject"], "damage")
    flagged, rejects = float((damage["srm_p_value"] < threshold).mean()), float(damage["reject"].mean())
    facts = (
        f"Losing the {count(n_lost, 'top treated customer')}: median SRM p-value {damage['srm_p_value'].median():.2f}, "
        f"SRM flagged in {percent(flagged)} of splits, yet Welch's test rejects 'no effect' in {percent(rejects)} of "
        f"these A/A splits (nominal {percent(alpha)})."
    )
    if rejects > 2 * alpha and flagged < 0.5:
        return (
            f"{facts} **The SRM check is necessary, not sufficient:** compare the arms on pre-period metrics too, and "
            "find out *who* is missing when counts look right but results look too good."
        )
    return (
        f"{facts} Here the loss does not fool the reader for long: either the SRM check sees it or the test barely "
        "moves; the pre-period comparison of the arms remains the cheaper safeguard."
    )


def describe_aa(aa_table: pd.DataFrame, band: tuple[float, float], cap: float, currency: str) -> str:
    """How many tests keep their false-positive rate within the simulation's band on this shop.

    Examples
    --------
    >>> t = pd.DataFrame({"rejection_rate": [0.05, 0.08], "coverage": [0.95, 0.92]}, index=["welch", "hc1"])
    >>> print(describe_aa(t, (0.035, 0.065), 5482.0, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    Revenue cap EUR 5,482. 1 of 2 methods keep the false-positive rate in [0.035, 0.065]; outside: hc1 (0.080).
    Coverage ranges from 0.920 to 0.950.
    """
    require_columns(aa_table, ["rejection_rate", "coverage"], "aa_table")
    low, high = band
    inside = aa_table["rejection_rate"].between(low, high)
    outside = ", ".join(f"{m} ({r:.3f})" for m, r in aa_table.loc[~inside, "rejection_rate"].items()) or "none"
    return (
        f"Revenue cap {money(cap, currency)}. {int(inside.sum())} of {count(len(aa_table), 'method')} keep the "
        f"false-positive rate in [{low:.3f}, {high:.3f}]; outside: {outside}. Coverage ranges from "
        f"{aa_table['coverage'].min():.3f} to {aa_table['coverage'].max():.3f}."
    )


def describe_variance_reduction(reduction: pd.Series, theta: float, explained: dict[str, float], n_cov: int) -> str:
    """CUPED's and the regression's variance reduction, and how much rests on the largest customers.

    Examples
    --------
    >>> r = pd.Series({"welch": 0.0, "cuped": 0.72, "regression (HC2)": 0.76})
    >>> print(describe_variance_reduction(r, 0.57, {"all": 0.71, "without_top": 0.43}, 9))
    ... # doctest: +NORMALIZE_WHITESPACE
    CUPED (theta 0.570) removes 72.0% of the variance of the estimates across the A/A splits (corr^2 = 0.71 in one
    analysis), worth a sample 3.6 times larger; regression with 9 covariates removes 76.0%. Without the top 1% of
    customers CUPED would remove only 0.43: **much of the gain rests on the largest customers**, whose pre-period
    revenue predicts their experiment revenue.
    """
    cuped, regression = float(reduction["cuped"]), float(reduction["regression (HC2)"])
    worth = f", worth a sample {1 / (1 - cuped):.1f} times larger" if 0 < cuped < 1 else ""
    text = (
        f"CUPED (theta {theta:.3f}) removes {percent(cuped)} of the variance of the estimates across the A/A splits "
        f"(corr^2 = {explained['all']:.2f} in one analysis){worth}; regression with {count(n_cov, 'covariate')} "
        f"removes {percent(regression)}. Without the top 1% of customers CUPED would remove only "
        f"{explained['without_top']:.2f}"
    )
    if explained["without_top"] < explained["all"] - 0.1:
        return text + (
            ": **much of the gain rests on the largest customers**, whose pre-period revenue predicts their "
            "experiment revenue."
        )
    return text + ": the gain does not rest on the largest customers alone."


def describe_sizing(sizing: pd.DataFrame, lift: float, mean: float, n_per_arm: float, currency: str) -> str:
    """Whether a lift of ``lift`` is detectable at this size: the sentence behind "do not plan on small lifts".

    Examples
    --------
    >>> s = pd.DataFrame({"power at this size": [0.06, 0.08], "customers per arm for 80%": [167126, 47125],
    ...                   "MDE at this size (%)": [49.8, 26.5]}, index=["welch", "cuped"])
    >>> print(describe_sizing(s, 0.05, 763.6, 1681.5, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    Planning for +5.0% revenue per customer (EUR 38.18) with 1,682 customers per arm: power 0.06 (Welch), 0.08
    (CUPED); the smallest lift detectable with 80% power is 26.5% with CUPED. **Do not plan on lifts of 5.0% at this
    size:** it takes 47,125 customers per arm with CUPED.
    """
    require_columns(sizing, ["power at this size", "customers per arm for 80%", "MDE at this size (%)"], "sizing")
    lift = require_number(lift, "lift")
    best = sizing["MDE at this size (%)"].idxmin()
    mde = float(sizing.loc[best, "MDE at this size (%)"])
    text = (
        f"Planning for {lift * 100:+.1f}% revenue per customer ({money(lift * mean, currency, 2)}) with "
        f"{n_per_arm:,.0f} customers per arm: power "
        + ", ".join(
            f"{v:.2f} ({'CUPED' if k == 'cuped' else k.capitalize()})" for k, v in sizing["power at this size"].items()
        )
        + f"; the smallest lift detectable with 80% power is {mde:.1f}% with {'CUPED' if best == 'cuped' else best}."
    )
    n_needed = int(sizing.loc[best, "customers per arm for 80%"])
    if mde > 100 * abs(lift):
        return text + (
            f" **Do not plan on lifts of {percent(abs(lift))} at this size:** it takes {n_needed:,} customers per "
            f"arm with {'CUPED' if best == 'cuped' else best}."
        )
    return (
        text
        + f" **A lift of {percent(abs(lift))} is within reach at this size** ({n_needed:,} customers per arm suffice)."
    )


def small_lift_decision(sizing: pd.DataFrame, lift: float) -> str:
    """The decision bullet on sizing (branches on whether ``lift`` is detectable at this size).

    Examples
    --------
    >>> s = pd.DataFrame({"MDE at this size (%)": [49.8, 26.5]}, index=["welch", "cuped"])
    >>> small_lift_decision(s, 0.05)[:60]
    '**Do not plan on lifts of 5.0% in revenue per customer at th'
    """
    require_columns(sizing, ["MDE at this size (%)"], "sizing")
    mde = float(sizing["MDE at this size (%)"].min())
    if mde > 100 * abs(lift):
        return (
            f"**Do not plan on lifts of {percent(abs(lift))} in revenue per customer at this size**: the smallest "
            f"detectable is {mde:.1f}% (section 5). Use CUPED or regression adjustment (HC2 errors) always, and "
            "capping where the decision can be about typical customers rather than the largest orders."
        )
    return (
        f"**A lift of {percent(abs(lift))} in revenue per customer is detectable at this size** (smallest detectable "
        f"{mde:.1f}%, section 5), with CUPED or regression adjustment (HC2 errors)."
    )


def describe_conversion_power(power: float, formula: float, n_80: int, p: float, points: float) -> str:
    """Simulated and analytic power of the conversion test.

    Examples
    --------
    >>> describe_conversion_power(0.82, 0.84, 1513, 0.569, 0.05)
    'Conversion 56.9% -> +5.0 points: power 0.82 by simulation, 0.84 by formula; 1,513 customers per arm give 80%.'
    """
    return (
        f"Conversion {percent(p)} -> +{100 * points:.1f} points: power {power:.2f} by simulation, {formula:.2f} by "
        f"formula; {n_80:,} customers per arm give 80%."
    )


def describe_peeking(peeking: pd.DataFrame, alpha: float, effect: str) -> str:
    """False positives of weekly peeking, and the price of the two remedies.

    ``peeking`` is the notebook's table: columns ``(run, "rejection_rate" | "mean_stop")`` with runs
    ``"A/A revenue"``, ``"A/A conversion"`` and ``effect``; rows the procedures of
    :func:`~shopai_lab.experiments.sequential.summarize_peeking`.
    """
    pk = peeking.xs("rejection_rate", axis=1, level=1)
    at = lambda proc, run: percent(pk.loc[proc, run])  # noqa: E731
    stop = float(peeking.loc["group-sequential", (effect, "mean_stop")])
    verdict = (
        "inflates"
        if max(pk.loc["weekly peeking", "A/A revenue"], pk.loc["weekly peeking", "A/A conversion"]) > 1.5 * alpha
        else "barely moves"
    )
    return (
        f"Weekly peeking {verdict} the false positives of a {percent(alpha)} test: "
        f"{at('weekly peeking', 'A/A revenue')} (revenue) and {at('weekly peeking', 'A/A conversion')} (conversion). "
        "O'Brien-Fleming keeps "
        f"{at('group-sequential', 'A/A revenue')} / {at('group-sequential', 'A/A conversion')} with power "
        f"{pk.loc['group-sequential', effect]:.2f} (fixed horizon {pk.loc['fixed horizon (one look)', effect]:.2f}), "
        f"stopping at look {stop:.1f} on average; the mSPRT keeps {at('mSPRT', 'A/A revenue')} / "
        f"{at('mSPRT', 'A/A conversion')} with power {pk.loc['mSPRT', effect]:.2f}."
    )


def describe_metric_table(table: pd.DataFrame, alpha: float) -> str:
    """The decision metrics' verdicts (corrected) and the guardrails' non-inferiority verdicts.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [137.8, -0.01], "low": [-10.5, -0.04], "high": [286.2, 0.02],
    ...     "p_adjusted": [0.07, np.nan], "margin": [np.nan, 0.028], "lower_bound": [np.nan, -0.035],
    ...     "role": ["decision", "guardrail"], "decision": ["no detectable change", "not shown non-inferior"]},
    ...     index=["revenue per customer (CUPED)", "conversion"])
    >>> print(describe_metric_table(t, 0.05))  # doctest: +NORMALIZE_WHITESPACE
    Decision metrics (Holm over 1): revenue per customer (CUPED): no detectable change (interval -10.5 to 286).
    Guardrails (one-sided, 5.0%): conversion: **not shown non-inferior** (lower bound -0.035 vs margin -0.028).
    **Do not ship on this evidence**: no decision metric improved, or a guardrail is not shown to hold.
    """
    require_columns(table, ["estimate", "low", "high", "role", "decision", "margin", "lower_bound"], "table")
    decision, guard = table[table["role"] == "decision"], table[table["role"] == "guardrail"]
    metrics = "; ".join(
        f"{m}: {r['decision']} (interval {r['low']:.3g} to {r['high']:.3g})" for m, r in decision.iterrows()
    )
    rails = "; ".join(
        f"{m}: {r['decision'] if r['decision'] == 'non-inferior' else '**' + r['decision'] + '**'} (lower bound "
        f"{r['lower_bound']:.3g} vs margin {-r['margin']:.3g})"
        for m, r in guard.iterrows()
    )
    ship = (decision["decision"] == "increase").any() and (guard["decision"] == "non-inferior").all()
    text = f"Decision metrics (Holm over {len(decision)}): {metrics}."
    if len(guard):
        text += f" Guardrails (one-sided, {percent(alpha)}): {rails}."
    if ship:
        return text + " **The evidence supports shipping**: a decision metric improved and every guardrail holds."
    return text + (
        " **Do not ship on this evidence**: no decision metric improved, or a guardrail is not shown to hold."
    )


def describe_world(bands: pd.DataFrame, scenario: str) -> str:
    """Which world an experiment points to: does the effect rise with purchase propensity up to the top band?

    ``bands`` is :func:`~shopai_lab.experiments.targeting.effect_by_propensity`'s table.

    Examples
    --------
    >>> b = pd.DataFrame({"effect": [0.01, 0.08, 0.02], "low": [0.0, 0.06, 0.0], "high": [0.02, 0.1, 0.04]},
    ...                  index=pd.Index([1, 2, 3], name="band"))
    >>> describe_world(b, "buy anyway")[:88]
    "In the 'buy anyway' world the top propensity band gains +2.0 points, less than band 2's "
    """
    require_columns(bands, ["effect", "low", "high"], "bands")
    top = bands.iloc[-1]
    peak = bands["effect"].idxmax()
    head = f"In the {scenario!r} world the top propensity band gains {100 * top['effect']:+.1f} points"
    if peak != bands.index[-1] and top["high"] < bands.loc[peak, "effect"]:
        return (
            f"{head}, less than band {peak}'s {100 * bands.loc[peak, 'effect']:+.1f} (its interval ends at "
            f"{100 * top['high']:+.1f}): **the likeliest buyers buy anyway**, so uplift and propensity disagree."
        )
    return (
        f"{head}, as much as any band within its interval: **the effect rises with propensity**, as notebook 03 "
        "assumes, so its rule targets the right customers."
    )


def describe_choice(choice: tuple, scenario: str, currency: str) -> str:
    """How validation chose between the best uplift learner and notebook 03's rule (a paired bootstrap).

    ``choice`` is one value of :func:`~shopai_lab.experiments.targeting.choose_rules`.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> gap = Interval(0.9, 0.8, 1.0, level=0.95, n=40000, se=0.05)
    >>> print(describe_choice(("uplift, DR-learner", "uplift, DR-learner", gap), "w", "EUR"))
    ... # doctest: +NORMALIZE_WHITESPACE
    World 'w', validation: uplift, DR-learner earns EUR 0.90 more per customer than notebook 03's rule (95% CI
    EUR 0.80 to EUR 1.00, paired over 40,000 validation customers), so **uplift, DR-learner** is chosen.
    """
    chosen, learner, gap = choice
    figures = (
        f"(95% CI {money(gap.low, currency, 2)} to {money(gap.high, currency, 2)}, paired over "
        f"{count(gap.n, 'validation customer')})"
    )
    head = f"World {scenario!r}, validation: {learner} earns {money(gap.estimate, currency, 2)} more per customer"
    if gap.estimate < 0:
        head = f"World {scenario!r}, validation: {learner} earns {money(-gap.estimate, currency, 2)} less per customer"
    if chosen == PROPENSITY_RULE:
        return (
            f"{head} than notebook 03's rule {figures}: not clearly better, so **the simpler rule is kept** "
            "(it needs no model of individual effects)."
        )
    return f"{head} than notebook 03's rule {figures}, so **{chosen}** is chosen."


def describe_targeting(table: pd.DataFrame, scenario: str, currency: str, value: float, cost: float) -> str:
    """Per scenario: the rule chosen on validation, its share of the oracle's profit on test, and the other one's.

    ``table`` is :func:`~shopai_lab.experiments.targeting.targeting_table`'s output (with ``chosen``).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("w", "uplift, X-learner"), ("w", "notebook 03's rule")])
    >>> t = pd.DataFrame({"share_of_oracle": [0.9, 0.3], "low": [0.88, 0.2], "high": [0.92, 0.4],
    ...                   "validation_profit": [1.5, 0.1], "chosen": [True, False]}, index=idx)
    >>> print(describe_targeting(t, "w", "EUR", 50.0, 2.0))  # doctest: +NORMALIZE_WHITESPACE
    World 'w' (value EUR 50.00, cost EUR 2.00), on test: the chosen rule, uplift, X-learner, earns 90.0% of the
    oracle's profit (95% interval over seeds 88.0% to 92.0%); notebook 03's rule earns 30.0% (20.0% to 40.0%).
    **The choice made on validation holds on test.**
    """
    rows = table.loc[scenario]
    chosen = rows.index[rows["chosen"].to_numpy(dtype=bool)][0]
    learners = rows[rows.index.str.startswith("uplift")]
    other = PROPENSITY_RULE if chosen != PROPENSITY_RULE else learners["validation_profit"].idxmax()
    ours, theirs = rows.loc[chosen], rows.loc[other]
    span = lambda r: f"{percent(r['low'])} to {percent(r['high'])}"  # noqa: E731
    text = (
        f"World {scenario!r} (value {money(value, currency, 2)}, cost {money(cost, currency, 2)}), on test: the "
        f"chosen rule, {chosen}, earns {percent(ours['share_of_oracle'])} of the oracle's profit (95% interval over "
        f"seeds {span(ours)}); {other} earns {percent(theirs['share_of_oracle'])} ({span(theirs)})."
    )
    if not np.isnan(ours["high"]) and ours["high"] < theirs["low"]:
        return text + f" **On test, {other} would have done better**: validation was not enough to see it."
    if not np.isnan(ours["low"]) and ours["low"] > theirs["high"]:
        return text + " **The choice made on validation holds on test.**"
    return text + " On test the two are not distinguishable over these seeds."


def describe_assignment(statistic: float, p_value: float, n: int, power_here: float, power_million: float) -> str:
    """Independence of two experiments' arms, and how blind the SRM check is to a small mismatch at this size.

    Examples
    --------
    >>> print(describe_assignment(0.01, 0.94, 3363, 0.003, 1.0))  # doctest: +NORMALIZE_WHITESPACE
    Independence of two experiments' arms: chi2 = 0.01, p = 0.94. Chance the SRM check flags a 50.5/49.5 split at
    n = 3,363: 0.3% (at n = 1,000,000: 100%).
    """
    return (
        f"Independence of two experiments' arms: chi2 = {statistic:.2f}, p = {p_value:.2f}. Chance the SRM check "
        f"flags a 50.5/49.5 split at n = {int(n):,}: {percent(power_here)} (at n = 1,000,000: "
        f"{percent(power_million, 0)})."
    )


def describe_simulated_power(power: pd.DataFrame, analytic: pd.Series, lift: float) -> str:
    """Simulated power at the planned lift for Welch, CUPED and capped CUPED, against the normal approximation.

    Examples
    --------
    >>> p = pd.DataFrame({"lift": [0.05] * 3, "method": ["welch", "cuped", "cuped (capped)"],
    ...                   "power": [0.06, 0.08, 0.17]})
    >>> print(describe_simulated_power(p, pd.Series({0.05: 0.059}), 0.05))  # doctest: +NORMALIZE_WHITESPACE
    At +5.0% revenue the simulated power is 0.06 (Welch), 0.08 (CUPED) and 0.17 (CUPED on capped revenue); the
    normal approximation gives 0.06 for Welch.
    """
    at = power.set_index(["lift", "method"])["power"]
    return (
        f"At {lift * 100:+.1f}% revenue the simulated power is {at[(lift, 'welch')]:.2f} (Welch), "
        f"{at[(lift, 'cuped')]:.2f} (CUPED) and {at[(lift, 'cuped (capped)')]:.2f} (CUPED on capped revenue); the "
        f"normal approximation gives {analytic[lift]:.2f} for Welch."
    )


def _world_decision(worlds: dict[str, str]) -> str:
    disagree = [s for s, text in worlds.items() if "disagree" in text]
    agree = [s for s in worlds if s not in disagree]
    return (
        "**Find out which world the shop is in before targeting an incentive**: this data holds no incentive, so "
        "neither world can be read from it. Run a randomised pilot of the offer and read its effect per propensity "
        "band (section 8): "
        + (f"where the likeliest buyers gain less than the middle bands (here the {', '.join(map(repr, disagree))} "
           "world), target by uplift learned from the pilot; " if disagree else "")
        + (f"where the effect rises with propensity (here the {', '.join(map(repr, agree))} world), notebook 03's rule "
           "with the pilot's measured uplift is enough." if agree else "")
    )  # fmt: skip


def describe_decisions(sizing: pd.DataFrame, lift: float, conversion_power: float, worlds: dict[str, str]) -> str:
    """The notebook's decision bullets; the data-dependent ones branch on the results.

    ``worlds`` maps each scenario to its :func:`describe_world` sentence.
    """
    conversion = (
        "**Test conversion or an earlier behaviour** as the decision metric when revenue cannot be moved "
        f"detectably (power {conversion_power:.2f} for the planned conversion lift at this size), and keep "
        "conversion's guardrail as a non-inferiority test with a stated margin."
        if conversion_power >= 0.8
        else f"**Even conversion is under-powered at this size** (power {conversion_power:.2f} for the planned "
        "lift): run longer or on more customers before deciding."
    )
    bullets = [
        "**Check the split first.** Run the SRM check on every analysis, and compare the arms on pre-period "
        "revenue: the check cannot see a bug that loses a few large customers.",
        small_lift_decision(sizing, lift),
        conversion,
        "**Plan the looks.** Decide weekly looks in advance and use the O'Brien-Fleming boundaries; use the "
        "always-valid test only for continuous monitoring.",
        _world_decision(worlds),
    ]
    return "\n".join(f"- {b}" for b in bullets)
