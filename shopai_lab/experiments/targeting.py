"""Whom to offer an incentive: uplift learners against notebook 03's rule, judged on the simulator's truth.

One *study* is what an analyst would do after a randomised incentive experiment, repeated on fresh draws
(:func:`incentive_studies`): learn uplift models on the experiment (training sample), choose a rule on a
second sample of the same experiment by its observed outcomes (validation, :func:`observed_profit`), and
judge every rule once on a third sample whose true effects are known (test, :func:`targeting_profit`).
Notebook 03's rule, ``p >= cost / (value x u)``, enters as a threshold per study: the notebook computes it
with :func:`shopai_lab.propensity.break_even_probability` from the experiment's measured relative uplift
``u`` (:attr:`IncentiveStudy.measured_uplift`), so the rule compared is notebook 03's own function.

Which world a shop is in (does the incentive help the likeliest buyers most, as notebook 03 assumes, or the
lapsed?) is read from the experiment itself: :func:`effect_by_propensity` estimates the effect per
propensity band.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from threadpoolctl import threadpool_limits

from shopai_lab import ranking
from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_instance,
    require_number,
    require_positive,
    require_positive_int,
    require_probability,
)
from shopai_lab.experiments.assignment import as_treatment
from shopai_lab.experiments.estimators import two_proportions
from shopai_lab.experiments.uplift import (
    SCENARIOS,
    DRLearner,
    IncentiveExperiment,
    TLearner,
    XLearner,
    default_classifier,
    simulate_incentive,
    targeting_profit,
)
from shopai_lab.stats import Interval, paired_bootstrap

#: Names of the rules of :func:`targeting_table` that are not uplift learners.
ORACLE, PROPENSITY_RULE, EVERYONE = "true effect (oracle)", "notebook 03's rule", "everyone"

#: The uplift learners a study fits (name -> class).
LEARNERS = {"T-learner": TLearner, "X-learner": XLearner, "DR-learner": DRLearner}


@dataclass(frozen=True)
class IncentiveStudy:
    """One run of the incentive study (see :func:`incentive_study`).

    Attributes
    ----------
    scenario, seed
        The simulator's world and the run's seed.
    validation, test
        The validation experiment (observed outcomes) and the test experiment (true effects).
    measured_uplift
        The training experiment's relative uplift ``mean(treated) / mean(control) - 1`` (notebook 03's ``u``).
    uplift_validation, uplift_test
        Learner name -> estimated uplift per customer of the validation and test samples.
    propensity_validation, propensity_test
        Purchase probability without the offer (a classifier fitted on the training control arm).
    """

    scenario: str
    seed: int
    validation: IncentiveExperiment
    test: IncentiveExperiment
    measured_uplift: float
    uplift_validation: dict[str, np.ndarray] = field(repr=False)
    uplift_test: dict[str, np.ndarray] = field(repr=False)
    propensity_validation: np.ndarray = field(repr=False)
    propensity_test: np.ndarray = field(repr=False)


def incentive_study(
    customers: pd.DataFrame, scenario: str, n_customers: int, *, random_state: int = 0
) -> IncentiveStudy:
    """Simulate a training, a validation (half size) and a test experiment; fit the learners and propensity.

    Parameters
    ----------
    customers
        Real customers with :data:`~shopai_lab.experiments.uplift.UPLIFT_FEATURES` (resampled).
    scenario
        One of :data:`~shopai_lab.experiments.uplift.SCENARIOS`.
    n_customers
        Customers of the training and of the test experiment.
    random_state
        Seed of the three samples (``random_state``, ``+ 1``, ``+ 2`` after mixing with the scenario) and of
        the models.
    """
    n = require_positive_int(n_customers, "n_customers", minimum=40)
    seed = require_positive_int(random_state, "random_state", minimum=0)
    draws = np.random.SeedSequence([seed, SCENARIOS.index(scenario) if scenario in SCENARIOS else 99]).spawn(3)
    train, validation, test = (
        simulate_incentive(customers, size, scenario=scenario, random_state=np.random.default_rng(d))
        for size, d in zip((n, n // 2, n), draws)
    )
    X = train.features.to_numpy()
    X_val, X_test = validation.features.to_numpy(), test.features.to_numpy()
    models = {name: cls(random_state=seed).fit(X, train.purchased, train.treatment) for name, cls in LEARNERS.items()}
    control = ~train.treatment
    with threadpool_limits(1):
        propensity = default_classifier(seed).fit(X[control], train.purchased[control])
        p_val, p_test = (propensity.predict_proba(x)[:, 1] for x in (X_val, X_test))
    measured = train.purchased[train.treatment].mean() / train.purchased[control].mean() - 1
    return IncentiveStudy(
        scenario,
        seed,
        validation,
        test,
        float(measured),
        {k: m.predict(X_val) for k, m in models.items()},
        {k: m.predict(X_test) for k, m in models.items()},
        p_val,
        p_test,
    )


def incentive_studies(
    customers: pd.DataFrame, n_customers: int, *, n_seeds: int = 3, random_state: int = 0
) -> list[IncentiveStudy]:
    """:func:`incentive_study` for every scenario and ``n_seeds`` seeds (``random_state``, ``+ 1``, ...)."""
    runs = require_positive_int(n_seeds, "n_seeds")
    start = require_positive_int(random_state, "random_state", minimum=0)
    return [
        incentive_study(customers, scenario, n_customers, random_state=start + k)
        for scenario in SCENARIOS
        for k in range(runs)
    ]


def observed_profit(
    y: Any,
    treatment: Any,
    selected: Any,
    *,
    conversion_value: float,
    incentive_cost: float,
    propensity: float | None = None,
) -> float:
    """Profit of a targeting rule estimated from a randomised experiment's observed outcomes, per customer.

    ``value x (sum_S y t / e - sum_S y (1 - t) / (1 - e)) / n - cost x |S| / n`` over the selected set ``S``
    (inverse-probability weighting with the known share treated ``e``): unbiased for the true profit of
    :func:`targeting_profit` divided by ``n``, with no knowledge of individual effects.

    Examples
    --------
    >>> observed_profit([1, 0, 1, 0], [1, 0, 0, 1], [True, True, False, False], conversion_value=10,
    ...                 incentive_cost=1)
    4.5
    """
    y = as_float_array(y, "y", allow_empty=False)
    t = as_treatment(treatment, len(y), min_per_arm=1)
    chosen = as_bool_array(selected, "selected")
    if chosen.shape != y.shape:
        raise ValueError(f"selected has shape {chosen.shape} but y has {y.shape}")
    value = require_positive(conversion_value, "conversion_value")
    cost = require_number(incentive_cost, "incentive_cost", low=0)
    e = float(t.mean()) if propensity is None else require_probability(propensity, "propensity")
    incremental = np.sum(chosen * y * (t / e - (~t) / (1 - e)))
    return float((value * incremental - cost * chosen.sum()) / len(y))


def _rules(study: IncentiveStudy, part: str, threshold: float, value: float, cost: float) -> dict[str, np.ndarray]:
    uplift = study.uplift_validation if part == "validation" else study.uplift_test
    p = study.propensity_validation if part == "validation" else study.propensity_test
    rules = {f"uplift, {k}": tau * value > cost for k, tau in uplift.items()}
    rules[PROPENSITY_RULE] = p >= threshold
    rules[EVERYONE] = np.ones(len(p), dtype=bool)
    return rules


def _t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    if len(values) < 2:
        return float("nan"), float("nan")
    half = sps.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return float(values.mean() - half), float(values.mean() + half)


def _study_rows(study: IncentiveStudy, threshold: float, value: float, cost: float) -> list[dict[str, Any]]:
    test, val = study.test, study.validation
    oracle = targeting_profit(test.effect, test.effect * value > cost, conversion_value=value, incentive_cost=cost)
    chosen_val = _rules(study, "validation", threshold, value, cost)
    rows = [{"rule": ORACLE, "targeted": float((test.effect * value > cost).mean()), "share_of_oracle": 1.0}]
    for name, selected in _rules(study, "test", threshold, value, cost).items():
        profit = targeting_profit(test.effect, selected, conversion_value=value, incentive_cost=cost)
        observed = observed_profit(
            val.purchased, val.treatment, chosen_val[name], conversion_value=value, incentive_cost=cost
        )
        rows.append(
            {
                "rule": name,
                "targeted": float(selected.mean()),
                "validation_profit": observed,
                "share_of_oracle": profit / oracle,
            }
        )
    return [{"scenario": study.scenario, "seed": study.seed, **row} for row in rows]


def targeting_runs(
    studies: list[IncentiveStudy],
    thresholds: Mapping[tuple[str, int], float],
    *,
    conversion_value: float,
    incentive_cost: float,
) -> pd.DataFrame:
    """One row per study and rule: share targeted, validation profit per customer, share of the oracle's profit.

    ``thresholds`` maps ``(scenario, seed)`` to notebook 03's threshold for that study (``inf``: nobody).
    """
    require_instance(studies, list, "studies")
    if not studies:
        raise ValueError("studies is empty: pass at least one IncentiveStudy")
    value = require_positive(conversion_value, "conversion_value")
    cost = require_number(incentive_cost, "incentive_cost", low=0)
    rows = []
    for study in studies:
        require_instance(study, IncentiveStudy, "studies[...]")
        if (study.scenario, study.seed) not in thresholds:
            raise ValueError(f"thresholds has no entry for ({study.scenario!r}, {study.seed})")
        threshold = require_number(thresholds[(study.scenario, study.seed)], "thresholds[...]", low=0)
        rows += _study_rows(study, threshold, value, cost)
    return pd.DataFrame(rows)


def _validation_gains(study: IncentiveStudy, threshold: float, value: float, cost: float) -> dict[str, np.ndarray]:
    """Each rule's observed profit per validation customer (its mean is :func:`observed_profit`)."""
    val = study.validation
    t, y = val.treatment, val.purchased.astype(float)
    e = float(t.mean())
    gain = value * y * (t / e - (~t) / (1 - e)) - cost
    return {
        name: np.where(selected, gain, 0.0)
        for name, selected in _rules(study, "validation", threshold, value, cost).items()
    }


def choose_rules(
    studies: list[IncentiveStudy],
    thresholds: Mapping[tuple[str, int], float],
    *,
    conversion_value: float,
    incentive_cost: float,
    n_boot: int = 500,
    random_state: int = 0,
) -> dict[str, tuple[str, str, Interval]]:
    """Per scenario, the rule an analyst without the truth would choose, from the validation samples only.

    The uplift learner with the highest observed profit on validation (all seeds' validation customers pooled)
    is compared with notebook 03's rule by a paired bootstrap over those customers (``b - a`` = learner - rule,
    :func:`shopai_lab.stats.paired_bootstrap`). The learner is chosen only when the interval lies above zero;
    otherwise the simpler rule, which needs no model of individual effects, is kept.

    Returns
    -------
    dict
        scenario -> ``(chosen rule, best learner, Interval of learner - notebook 03's rule)``, per customer.
    """
    value = require_positive(conversion_value, "conversion_value")
    cost = require_number(incentive_cost, "incentive_cost", low=0)
    require_instance(studies, list, "studies")
    if not studies:
        raise ValueError("studies is empty: pass at least one IncentiveStudy")
    pooled: dict[str, dict[str, list[np.ndarray]]] = {}
    for study in studies:
        require_instance(study, IncentiveStudy, "studies[...]")
        threshold = require_number(thresholds[(study.scenario, study.seed)], "thresholds[...]", low=0)
        for name, gain in _validation_gains(study, threshold, value, cost).items():
            pooled.setdefault(study.scenario, {}).setdefault(name, []).append(gain)
    choices = {}
    for scenario, gains in pooled.items():
        joined = {name: np.concatenate(parts) for name, parts in gains.items()}
        learners = [name for name in joined if name.startswith("uplift")]
        best = learners[int(ranking.argmax(np.array([joined[n].mean() for n in learners])))]
        diff = paired_bootstrap(joined[PROPENSITY_RULE], joined[best], n_boot=n_boot, random_state=random_state)
        choices[scenario] = (best if diff.low > 0 else PROPENSITY_RULE, best, diff)
    return choices


def targeting_table(runs: pd.DataFrame, choices: Mapping[str, tuple] | None = None, level: float = 0.95):
    """Per scenario and rule: mean share targeted, validation profit and share of the oracle's profit over the
    seeds, with a t interval over seeds (``low``, ``high``; NaN with one seed). ``chosen`` marks the rule of
    :func:`choose_rules` (``choices``), or without it the rule with the highest mean validation profit."""
    level = require_probability(level, "level")
    grouped = runs.groupby(["scenario", "rule"], sort=False)
    table = grouped[["targeted", "validation_profit", "share_of_oracle"]].mean()
    bounds = grouped["share_of_oracle"].apply(lambda s: _t_interval(s.to_numpy(dtype=float), level))
    table["low"], table["high"] = [b[0] for b in bounds], [b[1] for b in bounds]
    table["seeds"] = grouped.size()
    if choices is not None:
        scenario, rule = table.index.get_level_values(0), table.index.get_level_values(1)
        table["chosen"] = [choices[s][0] == r if s in choices else False for s, r in zip(scenario, rule)]
        return table
    best = (
        table["validation_profit"]
        .groupby(level="scenario", sort=False)
        .transform(lambda s: s.fillna(-np.inf) == s.fillna(-np.inf).max())
    )
    table["chosen"] = best.astype(bool)
    return table


def effect_by_propensity(y: Any, treatment: Any, propensity: Any, n_bands: int = 5, alpha: float = 0.05):
    """The experiment's effect on purchase per band of purchase propensity, with intervals.

    The test of which world a shop is in: if the effect rises with propensity (the likeliest buyers gain most),
    notebook 03's rule targets the right customers; if the top band gains less than a middle band, its
    customers buy anyway and targeting should follow uplift.

    Returns
    -------
    pandas.DataFrame
        One row per band (lowest propensity first): ``customers``, ``propensity`` (mean), ``control_rate``,
        ``effect``, ``low``, ``high`` (two-proportion interval).

    Examples
    --------
    >>> rng = np.random.default_rng(0); p = rng.random(4000); t = rng.random(4000) < 0.5
    >>> y = rng.random(4000) < p * (1 + 0.5 * t)
    >>> table = effect_by_propensity(y, t, p, n_bands=2)
    >>> bool(table["effect"].iloc[1] > table["effect"].iloc[0])
    True
    """
    y = as_bool_array(y, "y", allow_empty=False)
    t = as_treatment(treatment, len(y))
    p = as_float_array(propensity, "propensity", allow_empty=False, low=0, high=1)
    if len(p) != len(y):
        raise ValueError(f"propensity has {len(p)} values but y has {len(y)}; the arrays must be equal")
    bands = require_positive_int(n_bands, "n_bands")
    edges = np.quantile(p, np.linspace(0, 1, bands + 1)[1:-1])
    band = np.searchsorted(edges, p, side="right")
    rows = []
    for b in range(bands):
        rows_b = band == b
        res = two_proportions(y[rows_b].astype(float), t[rows_b], alpha=alpha)
        rows.append(
            {
                "band": b + 1,
                "customers": int(rows_b.sum()),
                "propensity": float(p[rows_b].mean()),
                "control_rate": res.mean_control,
                "effect": res.estimate,
                "low": res.low,
                "high": res.high,
            }
        )
    return pd.DataFrame(rows).set_index("band")
