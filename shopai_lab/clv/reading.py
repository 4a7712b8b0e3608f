"""Sentences of notebook 05 built from its results, so the report stays true on any shop's data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_number
from shopai_lab.report import interval, percent, signed

_METRIC_WORDS = {
    "spearman": ("ranking (Spearman correlation)", True),
    "pearson": ("Pearson correlation", True),
    "mae": ("mean absolute error", False),
    "rmse": ("root mean squared error", False),
    "abs_total_error": ("error of the total", False),
}


def describe_holdout(
    comparison: pd.DataFrame, buckets: pd.DataFrame, model: str = "BG/NBD", baseline: str = "naive rate"
) -> str:
    """A paragraph comparing two holdout predictions, whose verdicts follow the intervals.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`shopai_lab.clv.compare_holdout` output.
    buckets : pandas.DataFrame
        :func:`shopai_lab.clv.holdout_buckets` output (its ``"0"`` row: customers without repeat purchases).
    model, baseline : str
        Display names.

    Returns
    -------
    str
        Markdown.
    """
    require_columns(comparison, ["baseline", "model", "interval", "verdict"], "comparison")
    require_columns(buckets, ["actual", "model_total", "baseline_total"], "buckets")
    better = [w for m, (w, _) in _METRIC_WORDS.items() if comparison.loc[m, "verdict"] == "better"]
    worse = [w for m, (w, _) in _METRIC_WORDS.items() if comparison.loc[m, "verdict"] == "worse"]
    tied = [w for m, (w, _) in _METRIC_WORDS.items() if comparison.loc[m, "verdict"] == "not distinguishable"]
    parts = [
        f"**{model} against the {baseline}, per customer over the holdout** (differences are {model} minus "
        f"{baseline}, with 95% paired bootstrap intervals over customers):"
    ]
    for metric, (words, _) in _METRIC_WORDS.items():
        row = comparison.loc[metric]
        shown = (lambda v: percent(v)) if metric == "abs_total_error" else (lambda v: f"{v:.3f}")
        parts.append(
            f"- {words}: {shown(row['model'])} vs {shown(row['baseline'])}, difference "
            f"{interval(row['interval'], digits=3)}: {model} is **{row['verdict']}**."
        )
    summary = []
    if better:
        summary.append(f"{model} is better on {', '.join(better)}")
    if worse:
        summary.append(f"worse on {', '.join(worse)}")
    if tied:
        summary.append(f"not distinguishable on {', '.join(tied)}")
    parts.append("\nIn short: " + "; ".join(summary) + ".")
    if "0" in buckets.index:
        rest = buckets.drop(index=["0", "all"], errors="ignore")
        err = {
            name: (rest[col].sum() - rest["actual"].sum()) / rest["actual"].sum()
            for name, col in ((model, "model_total"), (baseline, "baseline_total"))
        }
        zero = buckets.loc["0"]
        parts.append(
            f"By calibration repeat count (table below): on customers with no repeat purchase {model} predicts "
            f"{zero['model_total']:,.0f} holdout purchases and the {baseline} {zero['baseline_total']:,.0f} "
            f"(actual {zero['actual']:,.0f}); on the repeat buyers alone the totals are off by "
            f"{signed(err[model], 1, as_percent=True)} ({model}) and {signed(err[baseline], 1, as_percent=True)} "
            f"({baseline})."
        )
        if comparison.loc["abs_total_error", "verdict"] == "better" and abs(err[model]) >= abs(err[baseline]):
            parts[-1] += f" {model}'s better total comes only from the customers without repeat purchases."
    return "\n".join(parts)


def describe_classifier(classifier) -> str:
    """What a fitted logistic :class:`~shopai_lab.clv.ChurnClassifier` learned, in one paragraph.

    Its standardised coefficients, and the odds ratio of one standard deviation more weeks quiet,
    with a note when frequency carries most of the signal.

    Examples
    --------
    >>> from shopai_lab.clv import ChurnClassifier, simulate_bgnbd
    >>> sim = simulate_bgnbd(2_000, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=1)
    >>> fitted = ChurnClassifier(model="logistic").fit(sim, sim["frequency_holdout"] == 0)
    >>> describe_classifier(fitted)
    "The classifier's standardised coefficients (positive: more likely to go quiet): weeks quiet +..."
    """
    from shopai_lab._validation import require_instance
    from shopai_lab.clv.churn import ChurnClassifier

    require_instance(classifier, ChurnClassifier, "classifier")
    if not hasattr(classifier, "model_"):
        raise ValueError("classifier must be a fitted ChurnClassifier")
    chosen = ""
    if classifier.cv_auc_:
        shown = ", ".join(f"{name} {value:.3f}" for name, value in classifier.cv_auc_.items())
        chosen = (
            f"The classifier is a {'logistic regression' if classifier.model_ == 'logistic' else 'gradient boosting'}"
            f", chosen by {classifier.cv}-fold cross-validation on the training window (ROC AUC {shown}). "
        )
    if classifier.model_ != "logistic":
        return chosen + "Boosting has no coefficients to read; the check by segment below shows what it learned."
    coef = classifier.coef_
    names = {
        "weeks_quiet": "weeks quiet",
        "log_frequency": "log frequency",
        "T": "age",
        "log_monetary": "log mean spend",
    }
    listed = ", ".join(f"{names[k]} {signed(v, 2)}" for k, v in coef.items())
    quiet = float(coef["weeks_quiet"])
    text = (
        f"{chosen}The classifier's standardised coefficients (positive: more likely to go quiet): {listed}. "
        f"Weeks quiet {'raises' if quiet > 0 else 'does not raise'} the risk: one standard deviation more multiplies "
        f"the odds of going quiet by {float(np.exp(quiet)):.2f}, other features equal"
    )
    if abs(coef["log_frequency"]) > 2 * abs(quiet):
        text += "; frequency carries most of the signal"
    return text + "."


def describe_decisions(churn_score: str, top10_share: float, dropout_identified: bool, total_error: float) -> str:
    """The decisions section of notebook 05 as Markdown bullets, each following the results it rests on.

    Parameters
    ----------
    churn_score : str
        The score the churn list uses (:func:`shopai_lab.clv.choose_churn_score`).
    top10_share : float
        Share of the expected customer value held by the top 10% of customers.
    dropout_identified : bool
        Whether the BG/NBD identified a dropout process.
    total_error : float
        Relative error of the model's holdout total, ``(predicted - actual) / actual``.

    Examples
    --------
    >>> print(describe_decisions("classifier", 0.49, False, -0.24))  # doctest: +ELLIPSIS
    - **Work the list by value at stake.** ... scored by the classifier risk; ...
    - **Protect the top decile.** A tenth of the customers holds 49.0% of the expected value; ...
    - **Do not read P(alive) on this data.** ...
    - **Plan totals with seasonality.** The constant-rate forecast of the holdout fell short of ... by 24.0%; ...
    """
    share = require_number(top10_share, "top10_share", low=0, high=1)
    error = require_number(total_error, "total_error")
    concentration = (
        "service and account management for them is worth more than any broad campaign."
        if share >= 0.3
        else "value is spread fairly evenly, so broad campaigns matter as much as key accounts."
    )
    alive = (
        "**P(alive) is informative here**: the data identify a dropout process."
        if dropout_identified
        else "**Do not read P(alive) on this data.** The data show no dropout; rank by the risk of no purchase over "
        "a horizon that matches the buying cycle."
    )
    return "\n".join(
        [
            "- **Work the list by value at stake.** It names the customers whose silence would cost the most, "
            f"scored by the {churn_score} risk; call them before the next season, starting at the top.",
            f"- **Protect the top decile.** A tenth of the customers holds {percent(share)} of the expected value; "
            + concentration,
            f"- {alive}",
            "- **Plan totals with seasonality.** The constant-rate forecast of the holdout "
            f"{'fell short of' if error < 0 else 'overshot'} what happened by {percent(abs(error))}; scale totals "
            "by a seasonal factor before planning stock or staff.",
        ]
    )
