"""Sentences of notebook 02 built from its results, so the report stays true on any shop's data,
and a reproducible choice of the example customer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_instance, require_positive_int, require_seed
from shopai_lab.recommend.interactions import Split
from shopai_lab.report import count, percent


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


def describe_pitfalls(house_ndcg: float, leaky_ndcg: float, full_share: float, sampled_share: float) -> str:
    """How much a random holdout and a sampled metric flatter the model, as ratios to the house protocol.

    Examples
    --------
    >>> print(describe_pitfalls(0.107, 0.274, 0.035, 0.365))  # doctest: +NORMALIZE_WHITESPACE
    The random holdout reports 2.6 times the house nDCG, and the sampled metric 10.4 times the full-ranking
    share: numbers from either are not comparable with the ones above.
    """
    return (
        f"The random holdout reports {leaky_ndcg / house_ndcg:.1f} times the house nDCG, and the sampled metric "
        f"{sampled_share / full_share:.1f} times the full-ranking share: numbers from either are not comparable "
        "with the ones above."
    )


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
