"""Several metrics at once: decision metrics with a multiple-testing correction, guardrails by non-inferiority.

An experiment read on ten metrics at ``alpha = 0.05`` shows a "significant"
metric by chance in four experiments out of ten. Holm controls the chance of
any false positive among the *decision metrics* (the metrics that could justify
shipping); Benjamini-Hochberg controls the expected share of false positives
among the discoveries (use it for exploratory metric lists). The corrections
are statsmodels' ``multipletests``.

A *guardrail* asks another question: "is the change no worse than a stated
margin?" Absence of a significant drop is not evidence of no harm (a small
experiment sees nothing), so each guardrail gets a one-sided non-inferiority
test, ``H0: effect <= -margin`` against ``effect > -margin``. Shipping needs
every guardrail to pass (an intersection-union test, which needs no correction),
so the guardrails stay out of the decision metrics' family.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from shopai_lab._validation import as_float_array, require_instance, require_number, require_probability
from shopai_lab.experiments.estimators import EffectEstimate

ADJUSTMENTS = ("holm", "bh", "bonferroni", "none")

#: Our names of the corrections -> statsmodels' ``multipletests`` methods.
_STATSMODELS_METHODS = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}


def adjust_pvalues(p_values: Any, method: str = "holm") -> np.ndarray:
    """Adjusted p-values (same order as the input), from ``statsmodels.stats.multitest.multipletests``.

    ``"holm"`` (family-wise error), ``"bh"`` (Benjamini-Hochberg false discovery rate, statsmodels'
    ``"fdr_bh"``), ``"bonferroni"``, or ``"none"`` (the p-values unchanged).

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = as_float_array(p_values, "p_values", allow_empty=False, low=0, high=1)
    if method not in ADJUSTMENTS:
        raise ValueError(f"method must be one of {ADJUSTMENTS}, got {method!r}")
    if method == "none" or len(p) == 0:
        return p.copy()
    return np.asarray(multipletests(p, method=_STATSMODELS_METHODS[method])[1], dtype=float)


def noninferiority(result: EffectEstimate, margin: float, *, alpha: float = 0.05) -> dict[str, float | bool]:
    """One-sided non-inferiority test of a guardrail: is the effect above ``-margin`` (a drop no larger than it)?

    ``margin`` is a share of the control arm's mean (``0.05``: the guardrail may fall by at most 5% of its
    control level), so one margin reads the same for conversion and for revenue per order. The test is the
    normal approximation ``z = (estimate + margin x |mean_control|) / se``, ``p = 1 - Phi(z)``; it passes when
    ``p < alpha``, i.e. when the one-sided ``1 - alpha`` lower bound ``estimate - z_(1 - alpha) se`` lies above
    ``-margin x |mean_control|``.

    Returns
    -------
    dict
        ``margin`` (in the metric's units, positive), ``lower_bound`` (one-sided), ``p_value``, ``passed``.

    Examples
    --------
    >>> from shopai_lab.experiments.estimators import two_proportions
    >>> t = np.r_[np.zeros(4000), np.ones(4000)]
    >>> y = np.r_[np.ones(2000), np.zeros(2000), np.ones(1980), np.zeros(2020)]
    >>> out = noninferiority(two_proportions(y, t), 0.05)
    >>> round(out["margin"], 3), round(out["p_value"], 4), out["passed"]
    (0.025, 0.0368, True)
    """
    require_instance(result, EffectEstimate, "result")
    share = require_number(margin, "margin", low=0, low_inclusive=False)
    alpha = require_probability(alpha, "alpha")
    if not np.isfinite(result.se) or result.se <= 0:
        raise ValueError(f"result has standard error {result.se!r}; a non-inferiority test needs one > 0")
    delta = share * abs(result.mean_control)
    p_value = float(stats.norm.sf((result.estimate + delta) / result.se))
    lower = result.estimate - float(stats.norm.isf(alpha)) * result.se
    return {"margin": delta, "lower_bound": lower, "p_value": p_value, "passed": bool(p_value < alpha)}


def _check_metrics(results: Any, guardrails: Any) -> None:
    require_instance(results, dict, "results")
    if not results:
        raise ValueError("results is empty: pass at least one metric")
    for name, result in results.items():
        require_instance(result, EffectEstimate, f"results[{name!r}]")
    if isinstance(guardrails, str):
        raise TypeError(f"guardrails must be a list of metric names, got the single string {guardrails!r}")
    unknown = [g for g in guardrails if g not in results]
    if unknown:
        raise ValueError(f"guardrails {unknown} are not among the metrics {list(results)}")
    if len(set(guardrails)) == len(results):
        raise ValueError("every metric is a guardrail: name at least one decision metric")


def metric_table(
    results: dict[str, Any],
    *,
    alpha: float = 0.05,
    method: str = "holm",
    guardrails: tuple[str, ...] = (),
    margin: float = 0.05,
) -> pd.DataFrame:
    """One row per metric: estimate, interval, raw p-value, and the test its role calls for.

    Decision metrics (every metric not in ``guardrails``) share one correction (``p_adjusted``); their
    ``decision`` is "increase", "decrease" or "no detectable change". Each guardrail gets the one-sided
    non-inferiority test of :func:`noninferiority` (``margin`` in the metric's units, its one-sided
    ``lower_bound`` and ``p_noninferiority``; no ``p_adjusted``); its ``decision`` is "non-inferior" or "not
    shown non-inferior". List each metric once: two views of one metric (revenue per customer and its relative
    lift) would count the same evidence twice.

    Parameters
    ----------
    results
        Metric name -> :class:`~shopai_lab.experiments.estimators.EffectEstimate`.
    alpha, method
        Level and the decision metrics' correction (:data:`ADJUSTMENTS`).
    guardrails
        Metrics that must not get worse by more than ``margin``.
    margin
        Non-inferiority margin of the guardrails, a share of each one's control mean.

    Examples
    --------
    >>> from shopai_lab.experiments.estimators import difference_in_means, two_proportions
    >>> rng = np.random.default_rng(0); t = np.arange(4000) % 2 == 1
    >>> table = metric_table({"revenue": difference_in_means(rng.normal(10, 1, 4000) + 0.2 * t, t),
    ...                       "conversion": two_proportions((rng.random(4000) < 0.5).astype(int), t)},
    ...                      guardrails=("conversion",), margin=0.1)
    >>> table["decision"].tolist()
    ['increase', 'non-inferior']
    """
    alpha = require_probability(alpha, "alpha")
    _check_metrics(results, guardrails)
    rows = {}
    for name, r in results.items():
        rows[name] = {"estimate": r.estimate, "low": r.low, "high": r.high, "p_value": r.p_value}
        if name in guardrails:
            test = noninferiority(r, margin, alpha=alpha)
            rows[name].update(margin=test["margin"], lower_bound=test["lower_bound"], p_noninferiority=test["p_value"])
    table = pd.DataFrame(rows).T.reindex(
        columns=["estimate", "low", "high", "p_value", "p_adjusted", "margin", "lower_bound", "p_noninferiority"]
    )
    decision = ~table.index.isin(list(guardrails))
    table.loc[decision, "p_adjusted"] = adjust_pvalues(table.loc[decision, "p_value"].to_numpy(dtype=float), method)
    table = table.astype(float)
    table["role"] = np.where(decision, "decision", "guardrail")
    significant = table["p_adjusted"] < alpha
    table["decision"] = np.where(
        ~significant, "no detectable change", np.where(table["estimate"] > 0, "increase", "decrease")
    )
    passed = table["p_noninferiority"] < alpha
    table.loc[~decision, "decision"] = np.where(passed[~decision], "non-inferior", "not shown non-inferior")
    return table
