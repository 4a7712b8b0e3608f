"""Sentences of notebook 08 (anomalies) built from its results, so the report stays true on any shop.

Each function takes computed tables or numbers and returns Markdown; a claim that fails on the data
is said the other way round (e.g. "the forest catches what no rule describes" only when it does).
"""

from __future__ import annotations

import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_number,
    require_positive_int,
    require_same_length,
    require_string,
    require_strings,
)
from shopai_lab.report import compare, count, interval, money, percent, verdict
from shopai_lab.stats import Interval

#: The learned detector "catches what no rule describes" when at least this share of the planted anomalies is in
#: its top slice and in no rule's: below it, it adds too little to the rules to claim so.
LEARNED_ONLY_SHARE = 0.05

#: A combination "keeps" a kind when its average precision there is at least this share of the best
#: single detector's: below it, a reviewer of the combined list sees clearly fewer of that kind on top.
KEEPS_SHARE = 0.9


def _require_rows(table: pd.DataFrame, rows: list, name: str) -> None:
    """``ValueError`` naming the rows of ``table`` that are missing."""
    missing = [r for r in rows if r not in table.index]
    if missing:
        raise ValueError(f"{name} has no row(s) {missing}; found {list(table.index)}")


def describe_data(features: pd.DataFrame) -> str:
    """Invoices, customers, the period and the warm-up share of :func:`~shopai_lab.anomaly.invoice_features`.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                   "timestamp": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"])})
    >>> f.attrs.update(product_lines=10, warm_up_lines=2)
    >>> print(describe_data(f))  # doctest: +NORMALIZE_WHITESPACE
    3 invoices from 2 customers, 2024-01-01 to 2024-03-01. Every product's usual price and quantity come
    from its earlier sales only: 2 of 10 product lines (20.0%) had no earlier sale of their product yet
    (warm-up) and count as neither usual nor unusual.
    """
    require_columns(features, ["customer_id", "timestamp"], "features")
    lines, warm = features.attrs.get("product_lines"), features.attrs.get("warm_up_lines")
    text = (
        f"{count(len(features), 'invoice')} from {count(features['customer_id'].nunique(), 'customer')}, "
        f"{features['timestamp'].min():%Y-%m-%d} to {features['timestamp'].max():%Y-%m-%d}."
    )
    if lines:
        text += (
            " Every product's usual price and quantity come from its earlier sales only: "
            f"{warm:,} of {count(lines, 'product line')} ({percent(warm / lines)}) had no earlier sale of their "
            "product yet (warm-up) and count as neither usual nor unusual."
        )
    return text


def describe_lof_choice(n_neighbors: int, auc: pd.DataFrame) -> str:
    """The LOF neighbourhood chosen on the validation planting and what it does to bursts.

    ``auc``: ROC AUC by neighbourhood size (rows) and kind (columns), as notebook 08 pivots
    :func:`~shopai_lab.anomaly.choose_n_neighbors`' table.

    Examples
    --------
    >>> auc = pd.DataFrame({"burst": [0.42, 0.74], "overall": [0.6, 0.8]}, index=[10, 100])
    >>> describe_lof_choice(100, auc)
    'LOF neighbourhood chosen on the validation planting: 100 (burst ROC AUC 0.74, against 0.42 with 10 neighbours).'
    """
    n_neighbors = require_positive_int(n_neighbors, "n_neighbors")
    require_columns(auc, ["overall"], "auc")
    text = f"LOF neighbourhood chosen on the validation planting: {n_neighbors}"
    if "burst" in auc.columns and auc.index[0] != n_neighbors:
        mine, smallest = auc.loc[n_neighbors, "burst"], auc["burst"].iloc[0]
        than = "the same as" if f"{mine:.2f}" == f"{smallest:.2f}" else f"against {smallest:.2f}"
        text += f" (burst ROC AUC {mine:.2f}, {than} with {auc.index[0]} neighbours)"
    return text + "."


def describe_ensemble_choice(chosen: str, table: pd.DataFrame) -> str:
    """Which combination the second validation planting chose, and by how much.

    Examples
    --------
    >>> t = pd.DataFrame({"average_precision": [0.45, 0.55]}, index=["max", "calibrated"])
    >>> describe_ensemble_choice("calibrated", t)
    'Chosen on the second validation planting: **calibrated** (average precision 0.550; next best max, 0.450).'
    """
    require_string(chosen, "chosen")
    require_columns(table, ["average_precision"], "table")
    _require_rows(table, [chosen], "table")
    ap = table["average_precision"].sort_values(ascending=False, kind="stable")
    text = f"Chosen on the second validation planting: **{chosen}** (average precision {ap[chosen]:.3f}"
    others = ap.drop(chosen)
    if len(others):
        text += f"; next best {others.index[0]}, {others.iloc[0]:.3f}"
    return text + ")."


def describe_comparison(chosen: str, best: str, diff: Interval, wins: int, n_sets: int, first_seed: int) -> str:
    """The chosen combination against the study's best single detector, and the detector to use.

    Examples
    --------
    >>> d = Interval(0.2, 0.1, 0.3, level=0.95, n=100, se=0.05)
    >>> print(describe_comparison("calibrated", "price rule", d, 3, 3, 0))  # doctest: +NORMALIZE_WHITESPACE
    calibrated is better than the best single detector (price rule) on average precision (paired bootstrap
    over the invoices of planted set 0): +0.200 (95% CI +0.100 to +0.300). It is higher on 3 of 3 planted
    sets. **Use calibrated.**
    >>> d = Interval(0.02, -0.01, 0.05, level=0.95, n=100, se=0.015)
    >>> describe_comparison("calibrated", "price rule", d, 2, 3, 0).split("**")[1]
    'Use price rule: the combination has not shown it does better.'
    """
    require_instance(diff, Interval, "diff")
    n_sets = require_positive_int(n_sets, "n_sets")
    if not 0 <= require_positive_int(wins, "wins", minimum=0) <= n_sets:
        raise ValueError(f"wins must be between 0 and n_sets ({n_sets}), got {wins!r}")
    metric = f"average precision (paired bootstrap over the invoices of planted set {int(first_seed)})"
    text = compare(diff, chosen, f"the best single detector ({best})", metric)
    text += f" It is higher on {wins} of {count(n_sets, 'planted set')}."
    if verdict(diff) == "better":
        return text + f" **Use {chosen}.**"
    return text + f" **Use {best}: the combination has not shown it does better.**"


def recommended(chosen: str, best: str, diff: Interval) -> str:
    """The detector the numbers support: the combination when its interval is above the best single's.

    Examples
    --------
    >>> recommended("ens", "rule", Interval(0.1, -0.01, 0.2, level=0.95, n=10, se=0.05))
    'rule'
    """
    return chosen if verdict(require_instance(diff, Interval, "diff")) == "better" else best


def describe_kinds(ap_by_kind: pd.DataFrame, chosen: str, singles: list[str]) -> str:
    """Per kind, the chosen detector's average precision against the best single detector for that kind.

    A kind is kept when the chosen one reaches :data:`KEEPS_SHARE` of the best single detector's
    average precision there; the sentence names what the combination loses, if anything.

    Examples
    --------
    >>> t = pd.DataFrame({"price": [0.8, 0.82, 0.0], "burst": [0.3, 0.0, 0.47]}, index=["ens", "price rule", "z"])
    >>> print(describe_kinds(t, "ens", ["price rule", "z"]))  # doctest: +NORMALIZE_WHITESPACE
    Per kind, ens against the best single detector for that kind (average precision): price 0.800 vs
    0.820 (price rule), burst 0.300 vs 0.470 (z). It keeps price, and **loses on burst**: a reviewer of its
    list sees fewer of those on top than the best detector for them would show.
    """
    require_string(chosen, "chosen")
    singles = list(require_strings(singles, "singles"))
    _require_rows(ap_by_kind, [chosen, *singles], "ap_by_kind")
    best = {kind: ap_by_kind.loc[singles, kind].idxmax() for kind in ap_by_kind.columns}
    parts, kept, lost = [], [], []
    for kind, name in best.items():
        mine, theirs = ap_by_kind.loc[chosen, kind], ap_by_kind.loc[name, kind]
        parts.append(f"{kind} {mine:.3f} vs {theirs:.3f} ({name})")
        (kept if mine >= KEEPS_SHARE * theirs else lost).append(kind)
    text = f"Per kind, {chosen} against the best single detector for that kind (average precision): {', '.join(parts)}."
    if not lost:
        return text + f" It keeps what each detector is good at: every kind within {percent(1 - KEEPS_SHARE, 0)}."
    kept_text = f"It keeps {', '.join(kept)}, and " if kept else "It "
    return (
        text + f" {kept_text}**loses on {', '.join(lost)}**: a reviewer of its list sees fewer of those on top "
        "than the best detector for them would show."
    )


def describe_look_ahead(cost: pd.DataFrame, names: list[str]) -> str:
    """The cost of look-ahead: average precision with whole-period medians minus past-only.

    Examples
    --------
    >>> c = pd.DataFrame({"past_only": [0.26], "look_ahead": [0.29], "look_ahead_gain": [0.03]},
    ...                  index=["price rule"])
    >>> print(describe_look_ahead(c, ["price rule"]))  # doctest: +NORMALIZE_WHITESPACE
    With each product's medians taken over the whole period (the future included), as an audit could:
    price rule 0.290 instead of 0.260 (+0.030). That difference is the cost of look-ahead, a score a
    live system cannot have; the figures above are past-only.
    """
    require_columns(cost, ["past_only", "look_ahead", "look_ahead_gain"], "cost")
    _require_rows(cost, list(require_strings(names, "names")), "cost")
    parts = [
        f"{n} {cost.loc[n, 'look_ahead']:.3f} instead of {cost.loc[n, 'past_only']:.3f} "
        f"({cost.loc[n, 'look_ahead_gain']:+.3f})"
        for n in require_strings(names, "names")
    ]
    gains = cost.loc[list(names), "look_ahead_gain"]
    tail = (
        "That difference is the cost of look-ahead, a score a live system cannot have; the figures above are past-only."
        if (gains > 0).any()
        else "The future's medians would not have helped: past-only features lose nothing here."
    )
    return (
        "With each product's medians taken over the whole period (the future included), as an audit could: "
        f"{'; '.join(parts)}. {tail}"
    )


def describe_learned_only(catches: pd.DataFrame, contamination: float, learned: str = "IsolationForest") -> str:
    """Whether the learned detector flags planted anomalies that no rule flags (the case for keeping it).

    ``catches``: :func:`~shopai_lab.anomaly.learned_only_catches`.

    Examples
    --------
    >>> c = pd.DataFrame({"planted": [30, 10], "learned_flags": [12, 8], "rule_flags": [20, 2],
    ...                   "learned_only": [6, 6]}, index=["overall", "burst"])
    >>> print(describe_learned_only(c, 0.01))  # doctest: +NORMALIZE_WHITESPACE
    Of 30 planted anomalies, IsolationForest puts 6 (20.0%) in its top 1.0% where no rule puts them
    (most of them burst): the learned detector catches what no rule describes, so keep it next to the rules.
    >>> describe_learned_only(c.assign(learned_only=[1, 1]), 0.01).split(": ")[1][:59]
    'fewer than 5%, so on these kinds the rules already cover wh'
    """
    require_columns(catches, ["planted", "learned_only"], "catches")
    _require_rows(catches, ["overall"], "catches")
    contamination = require_number(contamination, "contamination", low=0.0, high=0.5, low_inclusive=False)
    planted, only = int(catches.loc["overall", "planted"]), int(catches.loc["overall", "learned_only"])
    text = (
        f"Of {count(planted, 'planted anomaly', 'planted anomalies')}, {learned} puts {only:,} "
        f"({percent(only / planted)}) in its top {percent(contamination)} where no rule puts them"
    )
    kinds = catches.drop(index="overall")["learned_only"]
    most = f" (most of them {kinds.idxmax()})" if only else ""
    if only >= LEARNED_ONLY_SHARE * planted:
        return text + f"{most}: the learned detector catches what no rule describes, so keep it next to the rules."
    return text + (
        f"{most}: fewer than {percent(LEARNED_ONLY_SHARE, 0)}, so on these kinds the rules already cover what the "
        "learned detector finds; it stays for kinds nobody planted, on trust, and must prove itself on real "
        "problems (section 5)."
    )


def describe_queue(queue: pd.DataFrame, currency: str) -> str:
    """The review queue as a numbered Markdown list: one entry per episode, with reasons.

    Examples
    --------
    >>> q = pd.DataFrame({"rank": [1], "timestamp": pd.to_datetime(["2024-01-01 10:00"]), "lines": [1],
    ...     "units": [60], "value": [38970.0], "episode_invoices": [2], "other_invoices": ["9"],
    ...     "reasons": ["price 109x off"], "reversed": [True]}, index=pd.Index(["8"], name="invoice_id"))
    >>> print(describe_queue(q, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    1. invoice 8 (+ 1 more of the same customer's: 9), 2024-01-01 10:00, 1 line, 60 units, EUR 38,970,
    reversed later: yes. *price 109x off*
    """
    require_columns(queue, ["rank", "timestamp", "lines", "units", "value", "episode_invoices", "reasons"], "queue")
    require_string(currency, "currency")
    rows = []
    for invoice, row in queue.iterrows():
        more = int(row["episode_invoices"]) - 1
        episode = f" (+ {more} more of the same customer's: {row['other_invoices']})" if more else ""
        reversal = f", reversed later: {'yes' if row['reversed'] else 'no'}" if "reversed" in row.index else ""
        rows.append(
            f"{int(row['rank'])}. invoice {invoice}{episode}, {row['timestamp']:%Y-%m-%d %H:%M}, "
            f"{count(int(row['lines']), 'line')}, {count(int(row['units']), 'unit')}, "
            f"{money(row['value'], currency)}{reversal}. *{row['reasons']}*"
        )
    return "\n".join(rows)


def describe_flagging(flagged: pd.Series, reversed_: pd.Series, weeks: float, contamination: float, days: float) -> str:
    """What flagging the top share means for a reviewer's week, and how many flags were real problems.

    Examples
    --------
    >>> f = pd.Series([True, False, False, True]); r = pd.Series([True, False, False, False])
    >>> print(describe_flagging(f, r, 2.0, 0.5, 1))  # doctest: +NORMALIZE_WHITESPACE
    Flagging the top 50.0% of invoices sends 2 invoices to review, about 1 a week; 50.0% of them were
    reversed within 1 day(s), against 25.0% of all invoices.
    """
    contamination = require_number(contamination, "contamination", low=0.0, high=0.5, low_inclusive=False)
    weeks = require_number(weeks, "weeks", low=0.0, low_inclusive=False)
    require_same_length(flagged=flagged, reversed_=reversed_)
    n = int(flagged.sum())
    share = reversed_.to_numpy()[flagged.to_numpy()].mean() if n else 0.0
    return (
        f"Flagging the top {percent(contamination)} of invoices sends {count(n, 'invoice')} to review, about "
        f"{n / weeks:,.0f} a week; {percent(share)} of them were reversed within {days:g} day(s), against "
        f"{percent(reversed_.mean())} of all invoices."
    )


def describe_reversal(table: pd.DataFrame, detector: str, days: float) -> str:
    """The real-world check: the lift of the detector's top 100 among invoices reversed within ``days``.

    Examples
    --------
    >>> t = pd.DataFrame({"reversed share": [0.01], "AUC rule": [0.66], "top-100 lift (rule)": [10.6]},
    ...                  index=["within 1 d"])
    >>> print(describe_reversal(t, "rule", 1))  # doctest: +NORMALIZE_WHITESPACE
    Invoices reversed within 1 day(s) are 1.0% of all; the top 100 of rule hold 10.6 times that rate
    (ROC AUC 0.66): the flags concentrate real problems.
    >>> describe_reversal(t.assign(**{"top-100 lift (rule)": [0.8]}), "rule", 1).split(": ")[-1]
    'the flags do not concentrate real problems here, so planted-truth results alone must not drive a rollout.'
    """
    require_columns(table, ["reversed share", f"AUC {detector}", f"top-100 lift ({detector})"], "table")
    row = table.iloc[0]
    lift = row[f"top-100 lift ({detector})"]
    reading = (
        "the flags concentrate real problems."
        if lift > 1
        else "the flags do not concentrate real problems here, so planted-truth results alone must not drive a rollout."
    )
    return (
        f"Invoices reversed within {days:g} day(s) are {percent(row['reversed share'])} of all; the top 100 of "
        f"{detector} hold {lift:.1f} times that rate (ROC AUC {row[f'AUC {detector}']:.2f}): {reading}"
    )


def _review_rows(table: pd.DataFrame, baseline: str, top_only: str) -> None:
    require_instance(table, pd.DataFrame, "table")
    require_columns(table, ["found_so_far", "found_so_far_change", "found_vs_top", "precision"], "table")
    _require_rows(table, [baseline, top_only], "table")


def review_decision(table: pd.DataFrame, baseline: str = "ensemble", top_only: str = "supervised") -> str:
    """The policy the review loop's numbers support: the name of a row of ``table``.

    The policy that found the most anomalies, if the paired interval says it beats ``baseline``; an
    exploring policy only if it also beats ``top_only`` (else ``top_only``, the simpler split);
    otherwise ``baseline``.

    Examples
    --------
    >>> up = Interval(0.03, 0.02, 0.04, level=0.95, n=10, se=0.005)
    >>> flat = Interval(0.005, -0.01, 0.02, level=0.95, n=10, se=0.005)
    >>> t = pd.DataFrame({"found_so_far": [0.48, 0.51, 0.515], "found_so_far_change": [None, up, up],
    ...     "found_vs_top": [None, None, flat], "precision": [0.1, 0.1, 0.1]},
    ...     index=["ensemble", "supervised", "supervised, 10% exploring"])
    >>> review_decision(t)
    'supervised'
    """
    _review_rows(table, baseline, top_only)
    best = ranking.idxmax(table["found_so_far"])
    if best == baseline or verdict(table.loc[best, "found_so_far_change"]) != "better":
        return baseline
    if best != top_only and verdict(table.loc[best, "found_vs_top"]) != "better":
        return top_only if verdict(table.loc[top_only, "found_so_far_change"]) == "better" else baseline
    return best


def describe_review(
    table: pd.DataFrame, budget: int, n_weeks: int, baseline: str = "ensemble", top_only: str = "supervised"
) -> str:
    """The review loop's decision in words: how to split the reviewer's budget, with paired intervals.

    Parameters
    ----------
    table
        From :func:`shopai_lab.anomaly.feedback.review_table`.
    budget, n_weeks
        Invoices reviewed per week and weeks run (for the words).
    baseline, top_only
        The unsupervised policy and the supervised one that spends the whole budget on the top.

    Examples
    --------
    >>> up = Interval(0.03, 0.02, 0.04, level=0.95, n=10, se=0.005)
    >>> flat = Interval(0.005, -0.01, 0.02, level=0.95, n=10, se=0.005)
    >>> t = pd.DataFrame({"found_so_far": [0.48, 0.51, 0.515], "found_so_far_change": [None, up, up],
    ...     "found_vs_top": [None, None, flat], "precision": [0.12, 0.14, 0.14]},
    ...     index=["ensemble", "supervised", "supervised, 10% exploring"])
    >>> print(describe_review(t, 20, 40))  # doctest: +NORMALIZE_WHITESPACE
    With 20 invoices a week for 40 weeks, the ensemble alone shows the reviewer 48.0% of the anomalies. Adding a
    model trained on the reviewer's labels raises that to 51.0%: +0.030 (95% CI +0.020 to +0.040) (better).
    Spending part of the budget on exploration (best: supervised, 10% exploring, 51.5%) is not distinguishable
    from spending all of it on the top of the queue: +0.005 (95% CI -0.010 to +0.020). **Decision: supervised**
    (the whole budget on the top of the combined queue).
    """
    _review_rows(table, baseline, top_only)
    budget, n_weeks = require_positive_int(budget, "budget"), require_positive_int(n_weeks, "n_weeks")
    found = table["found_so_far"]
    sup = table.loc[top_only, "found_so_far_change"]
    text = (
        f"With {count(budget, 'invoice')} a week for {count(n_weeks, 'week')}, the {baseline} alone shows the "
        f"reviewer {percent(found[baseline])} of the anomalies. Adding a model trained on the reviewer's labels "
        f"{'raises' if sup.estimate > 0 else 'changes'} that to {percent(found[top_only])}: {interval(sup)} "
        f"({verdict(sup)})."
    )
    exploring = [name for name in table.index if name not in (baseline, top_only)]
    if exploring:
        best = ranking.idxmax(found[exploring])
        vs_top = table.loc[best, "found_vs_top"]
        word = {"better": "finds more than", "worse": "finds fewer than"}.get(
            verdict(vs_top), "is not distinguishable from"
        )
        text += (
            f" Spending part of the budget on exploration (best: {best}, {percent(found[best])}) {word} spending all "
            f"of it on the top of the queue: {interval(vs_top)}."
        )
    decision = review_decision(table, baseline, top_only)
    how = {
        baseline: "the ensemble's queue alone; the labels did not find more anomalies here",
        top_only: "the whole budget on the top of the combined queue",
    }.get(decision, "that share of the budget on the invoices the model is least sure of, the rest on the top")
    return text + f" **Decision: {decision}** ({how})."


def describe_unlabelled(table: pd.DataFrame, baseline: str = "ensemble", top_only: str = "supervised") -> str:
    """Does learning from labels blind the queue to kinds never labelled yet? Read from the paired interval.

    Examples
    --------
    >>> down = Interval(-0.05, -0.09, -0.01, level=0.95, n=10, se=0.02)
    >>> t = pd.DataFrame({"recall_unlabelled_kinds": [0.72, 0.67], "recall_unlabelled_kinds_change": [None, down]},
    ...                  index=["ensemble", "supervised"])
    >>> print(describe_unlabelled(t))  # doctest: +NORMALIZE_WHITESPACE
    Anomalies of a kind no label has shown yet: the ensemble alone puts 72.0% of them in front of the reviewer,
    the supervised queue 67.0%, -0.050 (95% CI -0.090 to -0.010): **learning from labels blinds the queue to new
    kinds** (worse).
    """
    require_instance(table, pd.DataFrame, "table")
    require_columns(table, ["recall_unlabelled_kinds", "recall_unlabelled_kinds_change"], "table")
    _require_rows(table, [baseline, top_only], "table")
    recall, change = table["recall_unlabelled_kinds"], table.loc[top_only, "recall_unlabelled_kinds_change"]
    word = verdict(change)
    reading = {
        "worse": "**learning from labels blinds the queue to new kinds**",
        "better": "the labels did not blind the queue to new kinds; it even sees more of them",
    }.get(word, "no sign that learning from labels blinds the queue to new kinds at this many seeds")
    return (
        f"Anomalies of a kind no label has shown yet: the {baseline} alone puts {percent(recall[baseline])} of them "
        f"in front of the reviewer, the {top_only} queue {percent(recall[top_only])}, {interval(change)}: "
        f"{reading} ({word})."
    )


def describe_review_world(summary: pd.DataFrame, budget: int, launch_weeks: int, late_kind: str | None) -> str:
    """The review loop's world in words: invoices a week, anomalies by kind, the reviewer's share, the late kind.

    ``summary`` is :func:`shopai_lab.anomaly.feedback.world_summary` of one seed.

    Examples
    --------
    >>> s = pd.DataFrame({"invoices": [13000, 40, 40, 35, 60], "per_week": [325.0, 1.0, 1.0, 0.9, 1.5],
    ...     "first_week": [0, 0, 0, 16, 0]}, index=["normal", "quantity", "price", "burst", "reversal"])
    >>> print(describe_review_world(s, 20, 8, "burst"))  # doctest: +NORMALIZE_WHITESPACE
    After 8 launch weeks (the unsupervised detectors learn from them), each review week brings about 329 invoices,
    4.4 of them anomalies (quantity 1.0, price 1.0, burst 0.9, reversal 1.5 a week): a reviewer with 20 a week
    sees 6.1% of the invoices. Bursts first appear in review week 17, so no label shows one before that.
    """
    require_instance(summary, pd.DataFrame, "summary")
    require_columns(summary, ["invoices", "per_week", "first_week"], "summary")
    _require_rows(summary, ["normal"], "summary")
    budget, launch_weeks = require_positive_int(budget, "budget"), require_positive_int(launch_weeks, "launch_weeks")
    kinds = summary.drop(index="normal")
    per_week = float(summary["per_week"].sum())
    text = (
        f"After {count(launch_weeks, 'launch week')} (the unsupervised detectors learn from them), each review week "
        f"brings about {per_week:.0f} invoices, {kinds['per_week'].sum():.1f} of them anomalies ("
        + ", ".join(f"{k} {v:.1f}" for k, v in kinds["per_week"].items())
        + f" a week): a reviewer with {budget} a week sees {percent(min(budget / per_week, 1.0))} of the invoices."
    )
    if late_kind is not None and late_kind in kinds.index:
        first = int(kinds.loc[late_kind, "first_week"])
        text += (
            f" {late_kind.capitalize()}s first appear in review week {first + 1}, so no label shows one before that."
            if first >= 0
            else f" No {late_kind} appears within these weeks."
        )
    return text
