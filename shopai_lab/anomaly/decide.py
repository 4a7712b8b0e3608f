"""Choices of notebook 08 made on validation plantings, and the comparisons that judge them.

* :func:`candidate_ensembles`: the combinations to choose from, calibrated ones fitted on one
  labelled (validation) planting.
* :func:`choose_ensemble`: the candidate with the best average precision on *another* planting.
* :func:`compare_with_best_single`: the chosen ensemble against the best single detector of the
  study, a paired bootstrap over invoices (:func:`shopai_lab.stats.paired_metric_bootstrap`,
  stratified) and the count of planted sets it wins.
* :func:`look_ahead_cost`: what the future is worth: each detector's average precision with the
  products' medians taken over the whole period minus past-only, on the same planted sets.
* :func:`learned_only_catches`: planted anomalies a learned detector flags that no rule flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_number,
    require_positive_int,
    require_seed,
    require_strings,
)
from shopai_lab.anomaly.detectors import CalibratedMax, percentile_frame
from shopai_lab.anomaly.evaluate import injection_study, metrics_by_kind, score_all
from shopai_lab.stats import Interval, paired_metric_bootstrap

#: The learned detectors and the rules of :func:`~shopai_lab.anomaly.default_detectors`.
LEARNED: tuple[str, ...] = ("IsolationForest", "LOF")
RULES: tuple[str, ...] = ("price rule", "quantity rule", "repeat rule")
FOREST_AND_RULES: tuple[str, ...] = ("IsolationForest", *RULES)


def candidate_ensembles(scores: pd.DataFrame, labels: pd.Series) -> dict[str, tuple[list[str], object]]:
    """The ensembles to choose from; the calibrated ones learn from ``labels`` (a validation planting).

    Parameters
    ----------
    scores
        In-sample scores of every single detector on the planting (:func:`score_all` without ensembles).
    labels
        ``"normal"`` or the planted kind of each row of ``scores``.

    Returns
    -------
    dict
        Name -> ``(members, combine)`` for :func:`score_all`: the mean and the max of all
        percentiles, the max over the forest and the rules, and the calibrated max
        (:class:`~shopai_lab.anomaly.CalibratedMax`) of each of those two member sets.

    Examples
    --------
    >>> s = pd.DataFrame({"IsolationForest": np.arange(40.0), "price rule": np.arange(40.0)[::-1],
    ...                   "quantity rule": 0.0, "repeat rule": 0.0})
    >>> labels = pd.Series(["price"] + ["normal"] * 38 + ["burst"])
    >>> list(candidate_ensembles(s, labels))
    ['mean of all', 'max of all', 'forest + rules', 'calibrated max of all', 'calibrated forest + rules']
    """
    require_instance(labels, pd.Series, "labels")
    members = list(require_strings(list(scores.columns), "scores columns"))
    missing = [m for m in FOREST_AND_RULES if m not in members]
    if missing:
        raise ValueError(f"scores is missing detector column(s) {missing}")
    if len(labels) != len(scores):
        raise ValueError(f"labels has {len(labels)} values but scores has {len(scores)} rows")
    is_anomaly = labels.to_numpy() != "normal"
    P = percentile_frame(scores)
    forest_rules = list(FOREST_AND_RULES)
    return {
        "mean of all": (members, "mean"),
        "max of all": (members, "max"),
        "forest + rules": (forest_rules, "max"),
        "calibrated max of all": (members, CalibratedMax(members).fit(P, is_anomaly)),
        "calibrated forest + rules": (forest_rules, CalibratedMax(forest_rules).fit(P[forest_rules], is_anomaly)),
    }


def choose_ensemble(
    X: pd.DataFrame, labels: pd.Series, detectors: Mapping[str, object], ensembles: Mapping
) -> tuple[str, pd.DataFrame]:
    """The ensemble with the best overall average precision on a planting (not the one they learned on).

    Returns
    -------
    (str, pandas.DataFrame)
        The chosen name and the candidates' overall ROC AUC, average precision and precision at k.
    """
    require_instance(labels, pd.Series, "labels")
    scores = score_all(X, detectors, ensembles)
    table = metrics_by_kind(scores[list(ensembles)], labels.reindex(X.index))
    overall = table[table["kind"] == "overall"].set_index("detector")
    overall = overall[["roc_auc", "average_precision", "precision_at_k"]]
    return str(ranking.idxmax(overall["average_precision"])), overall


def compare_with_best_single(
    results: pd.DataFrame,
    seed_scores: Mapping[int, pd.DataFrame],
    chosen: str,
    singles: Sequence[str],
    n_boot: int = 2000,
    random_state=0,
) -> tuple[str, Interval, int]:
    """The best single detector (mean average precision), the chosen - best interval and the wins.

    The interval is a paired bootstrap of average precision over the invoices of the first
    planted set, stratified (every resample keeps the planted count); the wins count the planted
    sets on which the chosen ensemble's average precision is higher.

    Returns
    -------
    (str, Interval, int)
        The best single detector's name, chosen minus best (b - a), planted sets won.
    """
    require_columns(results, ["detector", "kind", "seed", "average_precision"], "results")
    singles = list(require_strings(singles, "singles"))
    n_boot = require_positive_int(n_boot, "n_boot")
    require_seed(random_state, "random_state")
    overall = results[results["kind"] == "overall"].pivot_table(
        index="seed", columns="detector", values="average_precision"
    )
    missing = [d for d in [chosen, *singles] if d not in overall.columns]
    if missing:
        raise ValueError(f"results has no detector(s) {missing}")
    best = str(ranking.idxmax(overall[singles].mean()))
    first = seed_scores[min(seed_scores)]
    diff = paired_metric_bootstrap(
        average_precision_score,
        first["kind"] != "normal",
        first[best],
        first[chosen],
        n_boot=n_boot,
        random_state=random_state,
        stratify=True,
    )
    return best, diff, int((overall[chosen] > overall[best]).sum())


def look_ahead_cost(
    lines: pd.DataFrame,
    detectors: Mapping[str, object],
    past_only: pd.DataFrame,
    ensembles: Mapping | None = None,
    **study_options,
) -> pd.DataFrame:
    """Each detector's overall average precision with whole-period product medians vs past-only.

    Re-runs :func:`~shopai_lab.anomaly.injection_study` on the seeds of ``past_only`` (its result)
    with ``invoice_features(look_ahead=True)``: the same planted sets, so the difference is what
    the future's medians are worth (the cost of look-ahead, a number an audit pays for and a live
    system cannot have).

    Returns
    -------
    pandas.DataFrame
        Per detector: ``past_only``, ``look_ahead`` (means over the planted sets) and
        ``look_ahead_gain`` (look-ahead minus past-only), best past-only first.
    """
    require_columns(past_only, ["detector", "kind", "seed", "average_precision"], "past_only")
    seeds = sorted(int(s) for s in past_only["seed"].unique())
    ahead = injection_study(
        lines, detectors, seeds=seeds, ensembles=ensembles, feature_options={"look_ahead": True}, **study_options
    )

    def mean_ap(frame: pd.DataFrame) -> pd.Series:
        return frame[frame["kind"] == "overall"].groupby("detector")["average_precision"].mean()

    table = pd.DataFrame({"past_only": mean_ap(past_only), "look_ahead": mean_ap(ahead)})
    table["look_ahead_gain"] = table["look_ahead"] - table["past_only"]
    return table.sort_values("past_only", ascending=False, kind="stable")


def learned_only_catches(
    seed_scores: Mapping[int, pd.DataFrame],
    contamination: float,
    learned: Sequence[str] = ("IsolationForest",),
    rules: Sequence[str] = RULES,
) -> pd.DataFrame:
    """Planted anomalies in a learned detector's top ``contamination`` share that no rule puts there.

    Returns
    -------
    pandas.DataFrame
        Per kind (and ``overall``): ``planted``, ``learned_flags`` (flagged by a learned detector),
        ``rule_flags`` (by any rule) and ``learned_only`` (by a learned detector and no rule), summed
        over the planted sets.

    Examples
    --------
    >>> s = pd.DataFrame({"IsolationForest": [9.0, 1, 2, 3, 4, 5, 6, 7, 8, 0], "price rule": [0.0] * 9 + [9],
    ...                   "kind": ["burst"] + ["normal"] * 8 + ["price"]})
    >>> learned_only_catches({0: s}, 0.1, rules=["price rule"])["learned_only"].to_dict()
    {'overall': 1, 'burst': 1, 'price': 0}
    """
    contamination = require_number(contamination, "contamination", low=0.0, high=0.5, low_inclusive=False)
    learned, rules = list(require_strings(learned, "learned")), list(require_strings(rules, "rules"))
    counts: dict[str, np.ndarray] = {}
    for scores in seed_scores.values():
        require_columns(scores, [*learned, *rules, "kind"], "seed_scores")
        top = percentile_frame(scores[learned + rules]) >= 1.0 - contamination
        by_learned, by_rule = top[learned].any(axis=1), top[rules].any(axis=1)
        planted = scores["kind"] != "normal"
        for kind in ["overall", *sorted(set(scores.loc[planted, "kind"]))]:
            rows = planted if kind == "overall" else scores["kind"] == kind
            add = np.array(
                [rows.sum(), (rows & by_learned).sum(), (rows & by_rule).sum(), (rows & by_learned & ~by_rule).sum()]
            )
            counts[kind] = counts.get(kind, np.zeros(4, int)) + add
    return pd.DataFrame(counts, index=["planted", "learned_flags", "rule_flags", "learned_only"]).T.astype(int)


def evaluation_seeds(seed: int, n_seeds: int, validation_seeds: Sequence[int]) -> list[int]:
    """The planted sets' seeds ``seed, seed + 1, ...``, refused when one is a validation planting's.

    Examples
    --------
    >>> evaluation_seeds(0, 3, [100, 101])
    [0, 1, 2]
    """
    seed = require_positive_int(seed, "seed", minimum=0)
    seeds = list(range(seed, seed + require_positive_int(n_seeds, "n_seeds")))
    clash = sorted(set(seeds) & {require_positive_int(s, "validation_seeds", minimum=0) for s in validation_seeds})
    if clash:
        raise ValueError(
            f"validation planting seed(s) {clash} are evaluation seeds {seeds}: choose another validation_seed"
        )
    return seeds
