"""Sentences of notebook 05 built from its results, so the report stays true on any shop's data (the one
file of sentence helpers of :mod:`shopai_lab.clv`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import require_columns, require_instance, require_number
from shopai_lab.report import compare, count, interval, money, percent, signed

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
            # model totals with one decimal, as in the table: a sum of predictions, not a count (on a ridge of the
            # BG/NBD likelihood another CPU's last bits moved 597.5 across an integer)
            f"{zero['model_total']:,.1f} holdout purchases and the {baseline} {zero['baseline_total']:,.1f} "
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
    - **Work the list by value at stake.** ... scored by the classifier risk checked on the holdout; ...
    - **Protect the top decile.** A tenth of the customers holds 49.0% of the expected value; ...
    - **Do not read P(alive) on this data.** ...
    - **Plan totals with seasonality.** The constant-rate forecast of the holdout fell short of ... by 24.0%; ...
    """
    share = require_number(top10_share, "top10_share", low=0, high=1)
    error = require_number(total_error, "total_error")
    concentration = (
        "losing one of them costs as much as losing many others, so they are the first to watch (what keeping them "
        "is worth against what it costs needs an experiment, notebook 07)."
        if share >= 0.3
        else "value is spread fairly evenly, so no small group of customers carries the shop."
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
            f"scored by the {churn_score} risk checked on the holdout; call them before the next season, starting at "
            "the top.",
            f"- **Protect the top decile.** A tenth of the customers holds {percent(share)} of the expected value; "
            + concentration,
            f"- {alive}",
            "- **Plan totals with seasonality.** The constant-rate forecast of the holdout "
            f"{'fell short of' if error < 0 else 'overshot'} what happened by {percent(abs(error))}; scale totals "
            "by a seasonal factor before planning stock or staff.",
        ]
    )


def describe_extreme_lines(effect: pd.DataFrame, n_lines: int, threshold: float, currency: str) -> str:
    """What leaving out notebook 01's extreme lines does to customers' net revenue.

    ``effect`` is :func:`shopai_lab.clv.extreme_line_revenue`'s output (sorted by the change, largest first).

    Examples
    --------
    >>> effect = pd.DataFrame({"net_revenue": [21536.0], "net_revenue_without": [0.0], "change": [-21536.0],
    ...                        "extreme_lines": [15]}, index=pd.Index([12346], name="customer_id"))
    >>> print(describe_extreme_lines(effect, 15, 5.0, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    15 invoice lines are extreme by notebook 01's rule (robust z-score above 5, with their cancellations) and are left
    out: they change the net revenue of 1 customer. The largest change: customer 12346, EUR 21,536 with them, EUR 0
    without (15 extreme lines).
    """
    require_columns(effect, ["net_revenue", "net_revenue_without", "change", "extreme_lines"], "effect")
    threshold = require_number(threshold, "threshold", low=0.0)
    text = (
        f"{count(int(n_lines), 'invoice line')} {'is' if n_lines == 1 else 'are'} extreme by notebook 01's rule "
        f"(robust z-score above {threshold:g}, with their cancellations) and "
        f"{'is' if n_lines == 1 else 'are'} left out"
    )
    if effect.empty:
        return text + ": no customer's net revenue changes."
    top = effect.index[0]
    row = effect.iloc[0]
    return text + (
        f": they change the net revenue of {count(len(effect), 'customer')}. The largest change: customer {top}, "
        f"{money(row['net_revenue'], currency)} with them, {money(row['net_revenue_without'], currency)} without "
        f"({count(int(row['extreme_lines']), 'extreme line')})."
    )


def describe_dropout(bgnbd) -> str:
    """Whether the data identify the BG/NBD's dropout process, and what that means for P(alive) and the churn list.

    Examples
    --------
    >>> from shopai_lab.clv import BetaGeoModel
    >>> fit = BetaGeoModel()
    >>> fit.params_ = {"r": 1.0, "alpha": 1.0, "a": 1e-5, "b": 3.0}
    >>> fit.dropout_identified_, fit.dropout_lr_ = False, 0.0
    >>> describe_dropout(fit)[:36]
    '**The data show no dropout** (likeli'
    """
    from shopai_lab.clv.bgnbd import BetaGeoModel

    require_instance(bgnbd, BetaGeoModel, "bgnbd")
    if not hasattr(bgnbd, "params_"):
        raise ValueError("bgnbd is not fitted: call fit(summary) first")
    a, b = bgnbd.params_["a"], bgnbd.params_["b"]
    mean_dropout = "below 0.001" if a / (a + b) < 1e-3 else f"{a / (a + b):.3f}"
    if bgnbd.dropout_identified_:
        return (
            f"**The data identify a dropout process** (likelihood ratio {bgnbd.dropout_lr_:.2f} against the NBD, "
            f"at least 2.706): mean dropout probability after a purchase a / (a + b) = {mean_dropout}. P(alive) and "
            "the probability of no purchase both use how long each customer has been quiet."
        )
    return (
        f"**The data show no dropout** (likelihood ratio {bgnbd.dropout_lr_:.2f} against the NBD, below 2.706). The "
        f"mean dropout probability a / (a + b) goes to zero ({mean_dropout}) and a and b themselves lie anywhere "
        "on a ridge, so they are not reported. The BG/NBD reduces to the NBD: P(alive) is close to 1 for everyone, "
        "and the probability of no purchase depends on frequency and age only: **how long a customer has been quiet "
        "no longer counts.** A churn list from it would be blind to recency, which is why section 5 builds a second "
        "score."
    )


def describe_periods(purchases: pd.DataFrame, summary: pd.DataFrame, calibration_end, observation_end) -> str:
    """The purchase lines, the calibration and holdout periods and the customers, for notebook 05's data section.

    ``purchases`` carries ``attrs["unmatched_units"]`` (:func:`shopai_lab.data.net_of_returns`).
    """
    require_columns(purchases, ["timestamp"], "purchases")
    require_columns(summary, ["frequency", "duration_holdout"], "summary")
    if summary.empty:
        raise ValueError("summary is empty: no customer was acquired by the end of the calibration period")
    typical = summary["frequency"].quantile(0.5, interpolation="lower")  # a median that is a count (never x.5)
    unmatched = purchases.attrs.get("unmatched_units", 0.0)
    return (
        f"{count(len(purchases), 'purchase line')} after netting cancellations ({unmatched:,.0f} cancelled units "
        f"matched no purchase in the data). Calibration period: {purchases['timestamp'].min().date()} to "
        f"{pd.Timestamp(calibration_end).date()}; holdout: the {summary['duration_holdout'].iloc[0]:.1f} weeks to "
        f"{pd.Timestamp(observation_end).date()}. {count(len(summary), 'customer')} were acquired by the end of the "
        f"calibration period; half of them have at most {count(typical, 'repeat purchase day')}, the most active "
        f"has {summary['frequency'].max():,.0f}."
    )


def describe_list_model(risk: pd.Series, holdout_auc: float, weeks: float) -> str:
    """Which model ranks the churn list, and that it is the one checked on the holdout.

    ``risk`` is :func:`shopai_lab.clv.churn_risk`'s output (its ``attrs``).

    Examples
    --------
    >>> risk = pd.Series([0.2], name="risk")
    >>> risk.attrs.update(score="classifier", model="logistic", cv_auc={"logistic": 0.75, "boosting": 0.74})
    >>> print(describe_list_model(risk, 0.737, 14.0))  # doctest: +NORMALIZE_WHITESPACE
    The list's risk is the probability of no purchase in the next 14.0 weeks from the classifier checked on the
    holdout in section 5 (a logistic regression, chosen by cross-validation on its training window: ROC AUC logistic
    0.750, boosting 0.740; holdout AUC 0.737), applied to today's features; it is not refitted or re-chosen.
    """
    require_instance(risk, pd.Series, "risk")
    holdout_auc = require_number(holdout_auc, "holdout_auc", low=0.0, high=1.0)
    weeks = require_number(weeks, "weeks", low=0.0, low_inclusive=False)
    attrs = risk.attrs
    if attrs.get("score") == "BG/NBD":
        return (
            f"The list's risk is the BG/NBD's probability of no purchase in the next {weeks:.1f} weeks, refitted on "
            f"all the data (the score checked on the holdout in section 5: AUC {holdout_auc:.3f})."
        )
    kind = {"logistic": "a logistic regression", "boosting": "gradient boosting"}.get(attrs.get("model"), "a model")
    cv_text = ", ".join(f"{k} {v:.3f}" for k, v in attrs.get("cv_auc", {}).items())
    return (
        f"The list's risk is the probability of no purchase in the next {weeks:.1f} weeks from the classifier "
        f"checked on the holdout in section 5 ({kind}, chosen by cross-validation on its training window: ROC AUC "
        f"{cv_text}; holdout AUC {holdout_auc:.3f}), applied to today's features; it is not refitted or re-chosen."
    )


def describe_published_gap(bgnbd_gap: float, gg_gap: float) -> str:
    """The largest relative difference of this library's CDNOW fits from the published figures.

    Examples
    --------
    >>> describe_published_gap(0.0017, 0.0012)[:68]
    'Largest relative difference from the published figures: 0.17% for th'
    """
    bgnbd_gap = require_number(bgnbd_gap, "bgnbd_gap", low=0.0)
    gg_gap = require_number(gg_gap, "gg_gap", low=0.0)
    return (
        f"Largest relative difference from the published figures: {percent(bgnbd_gap, 2)} for the BG/NBD, "
        f"{percent(gg_gap, 2)} for Gamma-Gamma (the published figures are rounded, and the shared file rounds spend "
        "to cents). The tests also check the closed forms against Monte Carlo simulation of the model's story."
    )


def describe_total_error(total_error: dict) -> str:
    """How far the BG/NBD and the naive rate miss the holdout total (``{"BG/NBD": e, "naive rate": e}``).

    Examples
    --------
    >>> describe_total_error({"BG/NBD": -0.238, "naive rate": -0.286})
    'Over the holdout the BG/NBD under-predicts the total by 23.8%, the naive rate by 28.6% (under).'
    """
    model = require_number(total_error["BG/NBD"], "total_error['BG/NBD']")
    naive = require_number(total_error["naive rate"], "total_error['naive rate']")
    return (
        f"Over the holdout the BG/NBD {'under' if model < 0 else 'over'}-predicts the total by "
        f"{percent(abs(model))}, the naive rate by {percent(abs(naive))} ({'under' if naive < 0 else 'over'})."
    )


def describe_churn_choice(choice: str, auc_table: pd.DataFrame, went_quiet, scores: dict, window_quiet) -> str:
    """Which score ranks the churn list and why (the rule fixed before the holdout), with the holdout's verdicts."""
    require_columns(auc_table, ["interval"], "auc_table")
    classifier_vs, recency_vs = (
        auc_table.loc[name, "interval"] for name in ("classifier", "weeks since last purchase")
    )
    why = (
        "its dropout process is identified"
        if choice == "BG/NBD"
        else "the data show no dropout, so the BG/NBD score ignores how long a customer has been quiet"
    )
    return (
        f"**The churn list uses the {choice} score**, because {why} (the rule stated above, fixed before the\n"
        f"holdout). On the holdout: {compare(classifier_vs, 'The classifier', 'the BG/NBD', 'AUC')}\n"
        f"{compare(recency_vs, 'Weeks since the last purchase', 'the BG/NBD', 'AUC')}\n"
        f"{percent(np.mean(went_quiet))} of the customers made no holdout purchase; the BG/NBD predicted\n"
        f"{percent(np.mean(scores['BG/NBD']))} on average and the classifier {percent(np.mean(scores['classifier']))}\n"
        f"(its training window had {percent(np.mean(window_quiet))}): the levels move with the season, the rankings "
        "less."
    )


def describe_outcome_check(outcome_check: pd.DataFrame) -> str:
    """How well each score's segment means follow the share of each segment that went quiet."""
    require_columns(outcome_check, ["went_quiet", "weeks since last purchase"], "outcome_check")
    agree = outcome_check.attrs["rank_agreement"]
    text = (
        "Rank correlation across segments between each score's mean and the share that went quiet: "
        + "; ".join(f"{name} {value:+.2f}" for name, value in agree.items())
        + ". The segment quiet longest on average is "
        f"{ranking.idxmax(outcome_check['weeks since last purchase'])!r}; the one where most customers went quiet is "
        f"{ranking.idxmax(outcome_check['went_quiet'])!r}."
    )
    if agree["weeks since last purchase"] < agree["BG/NBD"]:
        text += (
            " Weeks quiet alone orders the segments worse than the BG/NBD: a pause of a frequent buyer says less than"
            " it seems."
        )
    return text


def describe_spend_independence(repeaters: int, correlation: float, mean_spend: float, currency: str) -> str:
    """Gamma-Gamma's independence assumption (frequency vs mean spend) and the population mean spend.

    Examples
    --------
    >>> print(describe_spend_independence(1885, 0.143, 395.0, "EUR"))
    Correlation of frequency and mean spend among 1,885 repeat buyers: 0.143:
    weak, so the independence assumption is tenable. Population mean spend per
    purchase day: EUR 395.
    """
    correlation = require_number(correlation, "correlation", low=-1.0, high=1.0)
    clause = (
        "weak, so the independence assumption is tenable"
        if abs(correlation) < 0.3
        else "not weak, so the independence assumption is doubtful and the values below lean on it"
    )
    return (
        f"Correlation of frequency and mean spend among {count(repeaters, 'repeat buyer')}: {correlation:.3f}:\n"
        f"{clause}. Population mean spend per\npurchase day: {money(mean_spend, currency)}."
    )


def describe_concentration(ranked: pd.Series, top10_share: float, horizon_weeks: int, currency: str) -> str:
    """The total expected value over the horizon and the share the top 10% of customers hold."""
    require_instance(ranked, pd.Series, "ranked")
    top10_share = require_number(top10_share, "top10_share", low=0.0, high=1.0)
    return (
        f"Expected value of all {count(len(ranked), 'customer')} over {horizon_weeks} weeks (discounted): "
        f"{money(ranked.sum(), currency)}; the top 10% hold {percent(top10_share)}."
    )


def describe_anonymous(share: float) -> str:
    """The share of invoice lines without a customer id, left out of the analysis.

    Examples
    --------
    >>> describe_anonymous(0.249)
    'Customers without an id are not in the analysis: 24.9% of the invoice lines in this file.'
    """
    share = require_number(share, "share", low=0.0, high=1.0)
    return f"Customers without an id are not in the analysis: {percent(share)} of the invoice lines in this file."
