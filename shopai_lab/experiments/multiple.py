"""Several metrics at once: family-wise (Holm) and false-discovery-rate (Benjamini-Hochberg) corrections.

An experiment read on ten metrics at ``alpha = 0.05`` shows a "significant"
metric by chance in four experiments out of ten. Holm controls the chance of
any false positive (use it for the decision metric and the guardrails);
Benjamini-Hochberg controls the expected share of false positives among the
discoveries (use it for exploratory metric lists).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from shopai_lab._validation import as_float_array, require_instance, require_probability
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


def metric_table(
    results: dict[str, Any], *, alpha: float = 0.05, method: str = "holm", guardrails: tuple[str, ...] = ()
) -> pd.DataFrame:
    """One row per metric: estimate, interval, raw and adjusted p-value, decision.

    Parameters
    ----------
    results
        Metric name -> :class:`~shopai_lab.experiments.estimators.EffectEstimate`.
    alpha, method
        Level and correction (:data:`ADJUSTMENTS`).
    guardrails
        Metrics that must not get worse: flagged ``"harm"`` when significantly negative.
    """
    alpha = require_probability(alpha, "alpha")
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
    table = pd.DataFrame(
        {
            name: {"estimate": r.estimate, "low": r.low, "high": r.high, "p_value": r.p_value}
            for name, r in results.items()
        }
    ).T
    table["p_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(dtype=float), method)
    significant = table["p_adjusted"] < alpha
    table["role"] = ["guardrail" if name in guardrails else "metric" for name in table.index]
    table["decision"] = np.where(
        ~significant, "no detectable change", np.where(table["estimate"] > 0, "increase", "decrease")
    )
    harm = significant & (table["estimate"] < 0) & (table["role"] == "guardrail")
    table.loc[harm, "decision"] = "harm"
    return table
