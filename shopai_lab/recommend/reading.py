"""Sentences of notebook 02 built from its results, so the report stays true on any shop's data
(the comparison, the model chosen on validation, the diversity trade-off against its margin, the
pitfalls), and a reproducible choice of the example customer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_number,
    require_one_of,
    require_positive_int,
    require_seed,
    require_string,
)
from shopai_lab.recommend.compare import MARGIN_READINGS, paired_difference
from shopai_lab.recommend.interactions import Split
from shopai_lab.report import compare, count, interval, money, percent, verdict
from shopai_lab.simulation import compare_loops, rounds_summary


def random_example(split: Split, random_state=0) -> int:
    """Position in ``split.eval_users`` of one evaluated customer drawn uniformly under ``random_state``.

    The draw does not look at any model's hits, so the example is a typical customer, not a
    success picked after the fact.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> random_example(split, 0) == random_example(split, 0) < len(split.eval_users)
    True
    """
    require_instance(split, Split, "split")
    require_seed(random_state, "random_state")
    return int(np.random.default_rng(random_state).integers(len(split.eval_users)))


def describe_population(split: Split) -> str:
    """Who the evaluated customers are, as a share of the customers who bought before the cutoff.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> describe_population(split)[:56]
    'Of the 111 customers who bought before 2024-11-29, 14 (1'
    """
    require_instance(split, Split, "split")
    customers, evaluated = split.train.shape[0], len(split.eval_users)
    return (
        f"Of the {count(customers, 'customer')} who bought before {split.cutoff:%Y-%m-%d}, "
        f"{evaluated:,} ({percent(evaluated / customers)}) bought at least one product new to them in the test "
        "period: these are the evaluated customers, and every figure below is over them (the others had nothing "
        "new to find)."
    )


def describe_hit_rate(results: pd.DataFrame, split: Split, model: str, baseline: str | None, k: int) -> str:
    """The share of evaluated customers whose top ``k`` holds a product they went on to buy, with its population.

    ``results`` holds :func:`shopai_lab.recommend.evaluate` rows (``hit_rate``) indexed by model.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> table = pd.DataFrame({"hit_rate": [0.5, 0.25]}, index=["EASE", "Popularity"])
    >>> describe_hit_rate(table, split, "EASE", "Popularity", 10)[:60]
    'EASE puts a product the customer went on to buy in the top 1'
    """
    require_columns(results, ["hit_rate"], "results")
    k = require_positive_int(k, "k")
    customers, evaluated = split.train.shape[0], len(split.eval_users)
    rate = float(results.loc[model, "hit_rate"])
    text = (
        f"{model} puts a product the customer went on to buy in the top {k} for {percent(rate)} of the "
        f"{evaluated:,} evaluated customers (those who bought something new to them in the test period), "
        f"that is {percent(rate * evaluated / customers)} of all {customers:,} customers who bought before "
        f"{split.cutoff:%Y-%m-%d}"
    )
    if baseline is not None and baseline in results.index and baseline != model:
        text += f"; {baseline} does so for {percent(float(results.loc[baseline, 'hit_rate']))}"
    return text + "."


def describe_pitfalls(table: pd.DataFrame) -> str:
    """How much a random holdout and a sampled metric flatter the model, as ratios to the house protocol.

    ``table`` is :func:`shopai_lab.recommend.pitfall_table`'s output (house, leaky, sampled rows).

    Examples
    --------
    >>> t = pd.DataFrame({"nDCG@k": [0.107, 0.274, np.nan], "share of bought items in the top k": [0.035, np.nan,
    ...     0.365]}, index=["house", "leaky", "sampled"])
    >>> print(describe_pitfalls(t))  # doctest: +NORMALIZE_WHITESPACE
    The random holdout reports 2.6 times the house nDCG, and the sampled metric 10.4 times the full-ranking
    share: numbers from either are not comparable with the ones above.
    """
    require_columns(table, ["nDCG@k", "share of bought items in the top k"], "table")
    if len(table) != 3:
        raise ValueError(f"table must have the three rows of pitfall_table (house, leaky, sampled), got {len(table)}")
    ndcg, share = table["nDCG@k"].to_numpy(float), table["share of bought items in the top k"].to_numpy(float)
    return (
        f"The random holdout reports {ndcg[1] / ndcg[0]:.1f} times the house nDCG, and the sampled metric "
        f"{share[2] / share[0]:.1f} times the full-ranking share: numbers from either are not comparable "
        "with the ones above."
    )


def describe_choice(scores: pd.Series, metric_label: str) -> str:
    """The model chosen on the validation period (highest score, ties to the first), with the runner-up.

    Examples
    --------
    >>> print(describe_choice(pd.Series({"Popularity": 0.05, "EASE": 0.125, "Blend": 0.127}), "nDCG@10"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Chosen on the validation period (the test period is not looked at): Blend, nDCG@10 0.1270 there; the
    runner-up, EASE, scored 0.1250. The test period below scores the chosen model once.
    """
    require_instance(scores, pd.Series, "scores")
    require_string(metric_label, "metric_label")
    if scores.empty:
        raise ValueError("scores must hold at least one model's validation score")
    chosen = ranking.idxmax(scores)
    text = (
        f"Chosen on the validation period (the test period is not looked at): {chosen}, {metric_label} "
        f"{scores[chosen]:.4f} there"
    )
    others = scores.drop(index=chosen)
    if len(others):
        runner_up = ranking.idxmax(others)
        text += f"; the runner-up, {runner_up}, scored {others[runner_up]:.4f}"
    return text + ". The test period below scores the chosen model once."


def describe_catalogue(results: pd.DataFrame, baseline: str = "Popularity") -> str:
    """Coverage and novelty of the baseline against the other models.

    Examples
    --------
    >>> t = pd.DataFrame({"coverage": [0.02, 0.28, 0.30], "novelty": [2.8, 3.7, 4.0]},
    ...                  index=["Popularity", "ItemKNN", "EASE"])
    >>> print(describe_catalogue(t))  # doctest: +NORMALIZE_WHITESPACE
    Popularity recommends from 2.0% of the catalogue (novelty 2.8 bits); the other models from 28.0% (ItemKNN)
    to 30.0% (EASE), novelty 3.7 to 4.0 bits.
    """
    require_columns(results, ["coverage", "novelty"], "results")
    others = results.drop(index=baseline, errors="ignore")
    text = ""
    if baseline in results.index:
        text = (
            f"{baseline} recommends from {percent(results.loc[baseline, 'coverage'])} of the catalogue "
            f"(novelty {results.loc[baseline, 'novelty']:.1f} bits)"
        )
    if len(others):
        low, high = others["coverage"].idxmin(), others["coverage"].idxmax()
        text += (
            f"{'; the other models' if text else 'The models recommend'} from "
            f"{percent(others.loc[low, 'coverage'])} ({low}) to {percent(others.loc[high, 'coverage'])} ({high}), "
            f"novelty {others['novelty'].min():.1f} to {others['novelty'].max():.1f} bits"
        )
    return text + "."


def describe_comparison(
    table: pd.DataFrame,
    per_user: Mapping[str, pd.DataFrame],
    metric_label: str,
    metric: str = "ndcg",
    random_state: int | None = 0,
    extra_pairs: Sequence[tuple[str, str]] = (),
    chosen: str | None = None,
) -> str:
    """Sentences reading :func:`compare_models`' table: which models beat the baseline, and the chosen model
    against the strongest other model of the table.

    ``chosen`` is the model chosen on the validation period; without it, the model highest on the
    table's own (test) figures is named, as a description, not a choice.

    ``extra_pairs`` adds ``(model, baseline)`` comparisons (e.g. ``("Blend", "EASE")``), each said once:
    a pair already compared (in either order) is skipped, as is a pair naming a model not in the table.

    Examples
    --------
    >>> idx = pd.Index(range(200), name="customer_id")
    >>> a = pd.DataFrame({"ndcg": np.r_[np.zeros(100), np.full(100, 0.2)]}, index=idx)
    >>> per_user = {"A": a, "B": a.assign(ndcg=a["ndcg"] + 0.05), "C": a.assign(ndcg=a["ndcg"] + 0.051)}
    >>> from shopai_lab.recommend import compare_models
    >>> print(describe_comparison(compare_models(per_user, "A"), per_user, "nDCG@10"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Better than A on nDCG@10 (paired 95% interval above zero): B, C. Highest on these figures: C; against the
    strongest other model: C is better than B on nDCG@10: +0.001 (95% CI +0.001 to +0.001).
    """
    require_string(metric_label, "metric_label")
    baseline = table.index[table["verdict"] == "baseline"][0]
    others = table.drop(index=baseline)
    groups = {
        word: list(others.index[others["verdict"] == word]) for word in ("better", "not distinguishable", "worse")
    }
    parts = []
    if groups["better"]:
        parts.append(
            f"Better than {baseline} on {metric_label} (paired 95% interval above zero): {', '.join(groups['better'])}."
        )
    if groups["not distinguishable"]:
        parts.append(f"Not distinguishable from {baseline}: {', '.join(groups['not distinguishable'])}.")
    if groups["worse"]:
        parts.append(f"Worse than {baseline}: {', '.join(groups['worse'])}.")
    said = {frozenset((baseline, name)) for name in others.index}
    if chosen is not None:
        require_one_of(chosen, "chosen", list(table.index))
    best = chosen if chosen is not None else ranking.idxmax(table[metric])
    rest = table[metric].drop(index=best)
    if len(rest):
        runner_up = ranking.idxmax(rest)
        result = paired_difference(per_user, best, runner_up, metric, random_state=random_state)
        label = "Chosen on validation" if chosen is not None else "Highest on these figures"
        parts.append(
            f"{label}: {best}; against the strongest other model: {compare(result, best, runner_up, metric_label)}"
        )
        said.add(frozenset((best, runner_up)))
    for model, other in extra_pairs:
        if frozenset((model, other)) in said or model not in table.index or other not in table.index:
            continue
        result = paired_difference(per_user, model, other, metric, random_state=random_state)
        parts.append(compare(result, model, other, metric_label))
        said.add(frozenset((model, other)))
    return " ".join(parts)


def _tradeoff_clause(row: pd.Series, base: pd.Series, loss_margin_share: float) -> str:
    margin = f"{percent(loss_margin_share)} of nDCG, {row['margin']:.4f}"
    reading = {
        MARGIN_READINGS[0]: f"any loss is within the accepted margin ({margin})",
        MARGIN_READINGS[1]: f"a loss beyond the accepted margin ({margin})",
        MARGIN_READINGS[2]: f"a loss beyond the accepted margin ({margin}) cannot be ruled out",
    }[row["reading"]]
    return (
        f"nDCG change {interval(row['ndcg_change'])}: {reading}; diversity {base['diversity']:.3f} -> "
        f"{row['diversity']:.3f}, coverage {percent(base['coverage'])} -> {percent(row['coverage'])}"
    )


def describe_tradeoff(table: pd.DataFrame, loss_margin_share: float, chosen: float | None = None) -> str:
    """Sentences reading :func:`diversity_tradeoff`: what each re-ranking weight costs in nDCG, against the
    accepted loss margin, and buys in diversity; with ``chosen``, only that weight (its test figure).

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> change = [Interval(0.0, 0.0, 0.0, level=0.95, n=9, se=0.0), Interval(-0.001, -0.003, 0.001, level=0.95, n=9,
    ...     se=0.001)]
    >>> t = pd.DataFrame({"ndcg": [0.116, 0.115], "ndcg_change": change, "margin": [0.0023, 0.0023],
    ...     "reading": ["within the margin", "inconclusive"], "diversity": [0.775, 0.810], "coverage": [0.238, 0.265]},
    ...     index=pd.Index([1.0, 0.5], name="relevance weight"))
    >>> print(describe_tradeoff(t, 0.02))  # doctest: +NORMALIZE_WHITESPACE
    Weight 0.5: nDCG change -0.001 (95% CI -0.003 to +0.001): a loss beyond the accepted margin (2.0% of nDCG,
    0.0023) cannot be ruled out; diversity 0.775 -> 0.810, coverage 23.8% -> 26.5%.
    """
    require_columns(table, ["ndcg_change", "margin", "reading", "diversity", "coverage"], "table")
    if 1.0 not in table.index:
        raise ValueError("table must hold relevance weight 1 (no re-ranking), as diversity_tradeoff returns it")
    base = table.loc[1.0]
    rows = table.drop(index=1.0)
    if chosen is not None:
        if float(chosen) == 1.0:
            return (
                "No re-ranking weight kept the nDCG loss within the accepted margin on the validation period: "
                "lists stay in the model's order."
            )
        clause = _tradeoff_clause(rows.loc[float(chosen)], base, loss_margin_share)
        return f"Chosen on validation: weight {float(chosen):g}. On the test period: {clause}."
    return " ".join(
        f"Weight {weight:g}: {_tradeoff_clause(row, base, loss_margin_share)}." for weight, row in rows.iterrows()
    )


def describe_example(split: Split, customer, hits: int, model: str, k: int, random_state, currency: str) -> str:
    """The example customer's history before the cutoff and how many of the model's top ``k`` they bought."""
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    require_string(currency, "currency")
    history = split.train_purchases[split.train_purchases["customer_id"] == customer]
    if history.empty:
        raise ValueError(f"customer {customer!r} has no purchase before the cutoff")
    return (
        f"customer {customer} (drawn at random, seed {random_state}): "
        f"{count(history['invoice_id'].nunique(), 'invoice')} worth "
        f"{money((history['quantity'] * history['unit_price']).sum(), currency)} before {split.cutoff.date()}; "
        f"{hits} of {model}'s top {k} bought in the test period"
    )


def describe_cold_start(cold, k: int) -> str:
    """Products first sold in the test period, and how often the content model and a random list find them."""
    from shopai_lab.recommend.content import ColdStart

    require_instance(cold, ColdStart, "cold")
    k = require_positive_int(k, "k")
    return (
        f"{cold.n_items:,} products were first sold in the test period ({cold.n_lines:,} purchase lines by "
        f"{cold.n_customers:,} known customers).\n"
        f"share of those customers with a new product they bought among their top {k} new products: "
        f"content model {cold.hit_rate:.1%}, a random list {cold.random_hit_rate:.1%}, "
        "collaborative filtering 0% (it cannot see them)"
    )


def describe_summary(difference, model: str, baseline: str, results: pd.DataFrame, split: Split, k: int, cold) -> str:
    """The decisions' figures: the shipped model against the baseline, its hit rate, and the content model."""
    from shopai_lab.recommend.content import ColdStart

    require_instance(cold, ColdStart, "cold")
    return (
        f"On this data: {compare(difference, model, baseline, f'nDCG@{k}')} "
        f"{describe_hit_rate(results, split, model, baseline, k)} For new products the content model finds one "
        f"for {cold.hit_rate:.1%} of their buyers, a random list for {cold.random_hit_rate:.1%}."
    )


def _days(half_life: float) -> str:
    return "no decay" if np.isinf(half_life) else f"a half-life of {half_life:g} days"


def describe_recency(scores: pd.Series, k: int = 10) -> str:
    """What weighting purchases by recency did to EASE on validation (:func:`~shopai_lab.recommend.tune_recency`).

    Examples
    --------
    >>> print(describe_recency(pd.Series({30.0: 0.1288, 90.0: 0.1322, np.inf: 0.1246})))
    ... # doctest: +NORMALIZE_WHITESPACE
    Weighting each purchase by its age, EASE's validation nDCG@10 is 0.1322 with a half-life of 90 days against
    0.1246 without decay: the pipeline uses a half-life of 90 days.
    """
    require_instance(scores, pd.Series, "scores")
    k = require_positive_int(k, "k")
    if np.inf not in scores.index or len(scores) < 2:
        raise ValueError("scores must hold the unweighted score (index inf) and at least one half-life")
    best = float(ranking.idxmax(scores))
    if np.isinf(best):
        others = scores.drop(index=np.inf)
        runner = float(ranking.idxmax(others))
        return (
            f"No half-life beats unweighted purchases on the validation period (EASE's nDCG@{k} {scores[np.inf]:.4f}; "
            f"best weighted: {others[runner]:.4f} with {_days(runner)}): the pipeline uses unweighted purchases."
        )
    return (
        f"Weighting each purchase by its age, EASE's validation nDCG@{k} is {scores[best]:.4f} with {_days(best)} "
        f"against {scores[np.inf]:.4f} without decay: the pipeline uses {_days(best)}."
    )


def describe_candidate_recall(table: pd.DataFrame, depth: int) -> str:
    """The union's validation candidate recall at ``depth``, against the best single source with as many candidates.

    ``table`` is :func:`~shopai_lab.recommend.candidate_recall`'s output (one ``union: ...`` row per depth).
    """
    require_columns(table, ["recall", "low", "high", "candidates"], "table")
    depth = require_positive_int(depth, "depth")
    flat = table.reset_index()
    union = flat[flat["source"].str.startswith("union: ") & (flat["depth"] == depth)]
    if union.empty:
        raise ValueError(f"table has no union row at depth {depth}")
    union = union.iloc[0]
    singles = flat[~flat["source"].str.startswith("union: ")]
    same = singles[singles["depth"] == depth]
    best = same.loc[ranking.idxmax(same["recall"])]
    text = (
        f"On the validation period the {union['source'][len('union: ') :]} union of each source's top {depth} "
        f"(about {union['candidates']:.0f} candidates per customer) holds {union['recall']:.1%} of the products "
        f"a customer goes on to buy (95% CI {union['low']:.1%} to {union['high']:.1%}), against {best['recall']:.1%} "
        f"for {best['source']}'s top {depth} alone."
    )
    deeper = singles[singles["depth"] >= union["candidates"]]
    if deeper.empty:
        return text
    rival = deeper[deeper["depth"] == deeper["depth"].min()]
    rival = rival.loc[ranking.idxmax(rival["recall"])]
    if rival["recall"] > union["recall"]:
        return text + (
            f" For the same number of candidates a single source holds more: {rival['source']}'s top "
            f"{rival['depth']} holds {rival['recall']:.1%}. The union's value must come from the re-ranker "
            "(several sources' scores as features), not from recall per candidate."
        )
    return text + (
        f" It also holds more than {rival['source']}'s top {rival['depth']} ({rival['recall']:.1%}), a single "
        "source with at least as many candidates."
    )


def describe_two_stage(result, comparison: pd.DataFrame, k: int = 10, per_user: Mapping | None = None) -> str:
    """The choice made on validation (with its margin rule) and the test figures against EASE and the strongest
    other model, with intervals.

    ``result`` is a :class:`~shopai_lab.recommend.TwoStage`; ``comparison`` is
    :func:`~shopai_lab.recommend.compare_models` of ``per_user`` (default ``result.per_user``; e.g. with the house
    Blend added) with EASE as the baseline. The pipeline is also compared, customer by customer, with the model
    of ``comparison`` that scored highest on the test period among the others.
    """
    from shopai_lab.recommend.pipeline import TwoStage

    require_instance(result, TwoStage, "result")
    require_columns(comparison, ["difference", "ndcg"], "comparison")
    k = require_positive_int(k, "k")
    per_user = result.per_user if per_user is None else per_user
    metric = f"nDCG@{k}"
    text = (
        "On the validation period (rankers trained on the windows before it): "
        + ", ".join(f"{name} {value:.4f}" for name, value in result.validation.items())
        + f". The best pipeline, {result.ranker}, against EASE-recency on the validation customers: "
        + f"{result.gain.estimate:+.4f} (95% CI {result.gain.low:+.4f} to {result.gain.high:+.4f})"
    )
    if result.chosen.startswith("two-stage"):
        text += f", above zero, so the pipeline is recommended. Chosen: {result.chosen}."
    else:
        text += (
            f", an interval that does not exclude zero, so the simpler model is kept: its gain could be noise. "
            f"Chosen: {result.chosen}."
        )
    tests = [
        compare(comparison.loc[name, "difference"], name, "EASE", metric, digits=4) for name in comparison.index[1:]
    ]
    rival = ranking.idxmax(comparison["ndcg"].drop(index="two-stage"))
    text += " On the test period, scored once: " + " ".join(tests)
    text += f" {compare(paired_difference(per_user, 'two-stage', rival), 'two-stage', rival, metric, digits=4)}"
    text += (
        f" The candidates held {result.test_recall:.1%} of the test period's new purchases (per customer, mean): "
        "no re-ranking can find the rest."
    )
    if result.chosen.startswith("two-stage"):
        return text + " The lab's recommended model is the two-stage pipeline."
    return text + (
        f" The lab's recommended model is {result.chosen}: the re-ranker's validation gain was not clear of zero, "
        "so its test figure is shown but not acted on."
    )


def describe_pool(result) -> str:
    """Which candidate pool the re-ranker reorders and why (validation recall at the same candidate budget)."""
    from shopai_lab.recommend.pipeline import TwoStage

    require_instance(result, TwoStage, "result")
    kind, size = result.pool
    union = " + ".join(result.sources)
    if kind == "union":
        return (
            f"The re-ranker reorders the union of {union} (top {size} of each): on the validation period it holds "
            "more of what customers buy than EASE-recency's list of the same length. Every source's scores are "
            "features of the re-ranker."
        )
    return (
        f"The re-ranker reorders EASE-recency's top {size}: on the validation period a single list of that "
        f"length holds more of what customers buy than the union of {union} with as many candidates, so the "
        "other sources serve as features of the re-ranker (their scores, ranks, and how many of them propose a "
        "product), not as candidates."
    )


def _bubble_table(table) -> pd.DataFrame:
    require_instance(table, pd.DataFrame, "table")
    return require_columns(table, ["utility", "breadth", "offline_ndcg", "utility_change", "offline_change"], "table")


def describe_bubble(table: pd.DataFrame, baseline: str, n_rounds: int, k: int) -> str:
    """Which policy keeps true utility highest after the last round, what an offline evaluation at round 0 would
    have said of it, and the filter-bubble lesson only where the numbers support it.

    Parameters
    ----------
    table
        From :func:`shopai_lab.recommend.feedback.policy_table` (intervals against ``baseline``).
    baseline
        The policy the table compares with (its row has no interval).
    n_rounds, k
        Rounds run and list length (for the words).

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> up = Interval(0.02, 0.01, 0.03, level=0.95, n=10, se=0.005)
    >>> down = Interval(-0.02, -0.03, -0.01, level=0.95, n=10, se=0.005)
    >>> table = pd.DataFrame({"utility": [0.70, 0.72], "breadth": [0.88, 0.90], "offline_ndcg": [0.48, 0.46],
    ...     "utility_change": [None, up], "offline_change": [None, down]}, index=["plain", "mmr"])
    >>> print(describe_bubble(table, "plain", 20, 10))  # doctest: +NORMALIZE_WHITESPACE
    After 20 rounds mmr keeps true utility highest: 72.0% of the best possible lists' taste against 70.0% for
    plain, +0.020 (95% CI +0.010 to +0.030) (better). An offline evaluation on the purchases logged under plain's
    lists at round 0 would have scored it -0.020 (95% CI -0.030 to -0.010) in nDCG@10 (worse). So the offline
    metric on logged data rewards plain, which narrows the bubble most (purchase breadth 88.0% of the true
    taste's, against 90.0% under mmr); only the loop shows what that costs.
    """
    table = _bubble_table(table)
    baseline = require_one_of(baseline, "baseline", list(table.index))
    n_rounds, k = require_positive_int(n_rounds, "n_rounds"), require_positive_int(k, "k")
    best = ranking.idxmax(table["utility"])
    if best == baseline:
        runner_up = ranking.idxmax(table["utility"].drop(index=baseline))
        change = table.loc[runner_up, "utility_change"]
        return (
            f"After {n_rounds} rounds no policy keeps true utility above {baseline}'s "
            f"({percent(table.loc[baseline, 'utility'])} of the best possible lists' taste); the closest, "
            f"{runner_up}, is {interval(change)} ({verdict(change)}). The loop gives no reason to leave {baseline}."
        )
    change, offline = table.loc[best, "utility_change"], table.loc[best, "offline_change"]
    text = (
        f"After {n_rounds} rounds {best} keeps true utility highest: {percent(table.loc[best, 'utility'])} of the "
        f"best possible lists' taste against {percent(table.loc[baseline, 'utility'])} for {baseline}, "
        f"{interval(change)} ({verdict(change)}). An offline evaluation on the purchases logged under {baseline}'s "
        f"lists at round 0 would have scored it {interval(offline)} in nDCG@{k} ({verdict(offline)})."
    )
    narrowest = ranking.idxmin(table["breadth"])
    if verdict(change) == "better" and verdict(offline) == "worse" and narrowest == baseline:
        text += (
            f" So the offline metric on logged data rewards {baseline}, which narrows the bubble most (purchase "
            f"breadth {percent(table.loc[baseline, 'breadth'])} of the true taste's, against "
            f"{percent(table.loc[best, 'breadth'])} under {best}); only the loop shows what that costs."
        )
    elif verdict(change) == "better":
        text += (
            f" Here the offline metric did not hide the cost of {baseline}'s lists (or {baseline} is not the "
            "narrowest policy), so the numbers do not show the filter-bubble lesson."
        )
    else:
        text += (
            f" The loop does not show {best} ahead with confidence, so there is no lesson to draw against {baseline}."
        )
    return text


def describe_no_feedback(no_feedback: pd.DataFrame, with_feedback: pd.DataFrame, feedback_strength: float) -> str:
    """The control: purchase breadth when lists do not change purchases, against the loop with feedback.

    Parameters
    ----------
    no_feedback, with_feedback
        Histories of the same policy and seeds with ``feedback_strength = 0`` and with ``feedback_strength``.
    feedback_strength
        The strength of ``with_feedback`` (for the words).

    Examples
    --------
    >>> a = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "breadth": [1.0, 1.01, 0.99, 1.0]})
    >>> print(describe_no_feedback(a, a.assign(breadth=[0.9, 0.86, 0.91, 0.85]), 0.5))  # doctest: +NORMALIZE_WHITESPACE
    Without feedback purchase breadth is 100.5% of the true taste's in the last round (95% CI 100.0% to 101.0%,
    as the simulator expects: 100%); with feedback strength 0.5 it is 85.5%, a change of -0.150 (95% CI -0.150
    to -0.150) (worse).
    """
    last = rounds_summary(no_feedback, "breadth").iloc[-1]
    loop = rounds_summary(with_feedback, "breadth").iloc[-1]
    change = compare_loops(no_feedback, with_feedback, "breadth")
    agrees = last["low"] <= 1.0 <= last["high"]
    expected = "as the simulator expects: 100%" if agrees else "away from the 100% the simulator expects"
    return (
        f"Without feedback purchase breadth is {percent(last['mean'])} of the true taste's in the last round "
        f"({100 * last['level']:g}% CI {percent(last['low'])} to {percent(last['high'])}, {expected}); with "
        f"feedback strength "
        f"{feedback_strength:g} it is {percent(loop['mean'])}, a change of {interval(change)} ({verdict(change)})."
    )


def describe_world(world, purchases: pd.DataFrame, currency: str) -> str:
    """The simulated shop in words: its customers, products and groups, and how much of the real shop it carries.

    Parameters
    ----------
    world
        From :func:`shopai_lab.recommend.feedback.fit_shop_world`.
    purchases
        The purchase lines it was fitted on (``customer_id``, ``item_id``, ``quantity``, ``unit_price``).
    currency
        Currency of the prices.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend.feedback import fit_shop_world
    >>> lines = random_transactions(4_000, n_customers=120, n_items=60, random_state=0)
    >>> words = ["red heart", "tin sign", "paper kit", "glass jar"]
    >>> lines = lines.assign(description=lines["item_id"].map(lambda i: words[int(i) % 4]))
    >>> print(describe_world(fit_shop_world(lines, n_customers=40, n_products=30, n_groups=4), lines, "EUR"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The simulated shop: 40 customers drawn from those who bought at least 5 of the 30 most-bought products,
    which carry 81.6% of the purchase revenue (EUR 39,390 of EUR 48,248). The products fall into 4 groups by their
    descriptions; a customer has bought 14.5 of them (median) and buys 10.5 per basket (median of their invoices).
    """
    from shopai_lab.recommend.feedback import ShopWorld

    require_instance(world, ShopWorld, "world")
    require_columns(purchases, ["item_id", "quantity", "unit_price"], "purchases")
    currency = require_string(currency, "currency")
    revenue = purchases["quantity"] * purchases["unit_price"]
    carried = revenue[purchases["item_id"].isin(world.item_ids)].sum()
    sizes = np.asarray(world.history.sum(axis=1)).ravel()
    return (
        f"The simulated shop: {count(world.shape[0], 'customer')} drawn from those who bought at least "
        f"{world.min_products} of the {world.shape[1]} most-bought products, which carry "
        f"{percent(carried / revenue.sum())} of the purchase revenue ({money(carried, currency)} of "
        f"{money(revenue.sum(), currency)}). The products fall into {count(world.n_groups, 'group')} by their "
        f"descriptions; a customer has bought {np.median(sizes):g} of them (median) and buys "
        f"{np.median(world.basket_sizes):g} per basket (median of their invoices)."
    )


def describe_sensitivity(sensitivity: pd.DataFrame, policy: str, baseline: str, change=None, strength=None) -> str:
    """Whether ``policy``'s gain in true utility over ``baseline`` is made by the loop: its change at each feedback
    strength, with the main run's (``change`` at ``strength``) among them.

    Parameters
    ----------
    sensitivity
        From :func:`shopai_lab.recommend.feedback.strength_sensitivity`.
    policy, baseline
        The two policies compared (``b - a``: policy minus baseline).
    change, strength
        Optionally the main run's :class:`~shopai_lab.stats.Interval` and its feedback strength.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> table = pd.DataFrame({"utility_change": [Interval(-0.007, -0.008, -0.006, level=0.95, n=10, se=0.0005),
    ...     Interval(0.036, 0.03, 0.044, level=0.95, n=10, se=0.003)]}, index=[0.0, 0.8])
    >>> print(describe_sensitivity(table, "mmr", "plain"))  # doctest: +NORMALIZE_WHITESPACE
    mmr - plain in true utility after the last round, by feedback strength: 0: -0.007 (95% CI -0.008 to -0.006)
    (worse); 0.8: +0.036 (95% CI +0.030 to +0.044) (better). Without feedback mmr is not better than plain, so its
    gain is made by the loop: better lists on a frozen history would show at strength 0 too.
    """
    require_instance(sensitivity, pd.DataFrame, "sensitivity")
    require_columns(sensitivity, ["utility_change"], "sensitivity")
    policy, baseline = require_string(policy, "policy"), require_string(baseline, "baseline")
    changes = dict(sensitivity["utility_change"].items())
    if change is not None:
        changes[float(require_number(strength, "strength", low=0, high=1))] = change
    parts = [f"{s:g}: {interval(r)} ({verdict(r)})" for s, r in sorted(changes.items())]
    text = f"{policy} - {baseline} in true utility after the last round, by feedback strength: {'; '.join(parts)}."
    if 0.0 not in changes:
        return text
    if verdict(changes[0.0]) != "better":
        return text + (
            f" Without feedback {policy} is not better than {baseline}, so its gain is made by the loop: better "
            "lists on a frozen history would show at strength 0 too."
        )
    return text + f" {policy} is better even without feedback, so not all of its gain comes from the loop."
