"""Sentences of notebook 03 built from its results, so the report stays true on any shop's data (the one file of
sentence helpers of :mod:`shopai_lab.propensity`)."""

from __future__ import annotations

import pandas as pd

from shopai_lab._validation import require_columns, require_instance, require_number
from shopai_lab.report import count, interval, money, percent, verdict
from shopai_lab.stats import Interval

_JUDGED = {
    "better": "**better** than",
    "worse": "**worse** than",
    "not distinguishable": "**not distinguishable** from",
}


def describe_incentive(
    at: pd.Series,
    profit: Interval,
    claimed: float,
    *,
    threshold: float,
    break_even: float,
    model: str,
    assumption: dict,
    currency: str,
) -> str:
    """The incentive decision: the assumption, the break-even rule, the threshold chosen on the training folds and
    what it does on the test sessions (incremental profit with its interval, against the naive claim).

    ``at`` is the row of :func:`shopai_lab.propensity.uplift_profit_curve` at the threshold, ``profit`` the
    incremental profit per 1,000 sessions with its interval, ``claimed`` what crediting every targeted buyer
    with the full value would claim.

    Examples
    --------
    >>> at = pd.Series({"sessions": 0, "targeted": 0.0, "bought_anyway": 0, "realised": 0.0})
    >>> assumption = dict(incentive_cost=2.0, conversion_value=20.0, incentive_uplift=0.05, uplift_kind="relative")
    >>> text = describe_incentive(at, Interval(0.0, 0.0, 0.0, level=0.95, n=9, se=0.0), 0.0, threshold=1.0,
    ...                           break_even=float("inf"), model="boosting", assumption=assumption, currency="EUR")
    >>> text[-75:]
    ' test session: under this assumption the incentive does not pay for itself.'
    """
    threshold = require_number(threshold, "threshold", low=0.0)
    require_instance(profit, Interval, "profit")
    rule = "no session is worth it" if break_even == float("inf") else f"p ≥ {break_even:.2f}"
    text = (
        f"Assumption: {assumption['uplift_kind']} uplift {assumption['incentive_uplift']:g}, cost "
        f"{money(assumption['incentive_cost'], currency, 2)}, value "
        f"{money(assumption['conversion_value'], currency, 2)} per purchase; the break-even rule is {rule}. The "
        f"threshold chosen on the training folds ({model}, early-session features) is {threshold:.2f}; on the test "
        "sessions it "
    )
    if at["sessions"] == 0:
        return text + "targets no test session: under this assumption the incentive does not pay for itself."
    return text + (
        f"targets {count(at['sessions'], 'test session')} ({percent(at['targeted'])}), of which "
        f"{count(at['bought_anyway'], 'session')} bought without any incentive. Incremental profit: "
        f"{money(profit.estimate, currency)} per 1,000 sessions (95% CI {money(profit.low, currency)} to "
        f"{money(profit.high, currency)}): {_JUDGED[verdict(profit)]} offering nothing. Crediting every targeted "
        f"buyer with the full conversion value, as if the incentive caused each purchase, would have claimed "
        f"{money(claimed, currency)} on these sessions instead of {money(at['realised'], currency)}."
    )


def describe_sessions(sessions: pd.DataFrame, n_train: int, n_test: int, random_state) -> str:
    """The sessions, their purchase share and the stratified split.

    Examples
    --------
    >>> describe_sessions(pd.DataFrame({"Revenue": [True, False, False, False]}), 3, 1, 0)
    '4 sessions, 25.0% with a purchase; 3 training sessions, 1 test session (stratified, seed 0).'
    """
    require_columns(sessions, ["Revenue"], "sessions")
    return (
        f"{count(len(sessions), 'session')}, {percent(sessions['Revenue'].mean())} with a purchase; "
        f"{count(n_train, 'training session')}, {count(n_test, 'test session')} (stratified, seed {random_state})."
    )


def describe_model_choice(best: dict, report: pd.DataFrame, late_gain: Interval) -> str:
    """The models chosen on the training folds per feature set, their test AUCs and what the late feature adds."""
    require_instance(late_gain, Interval, "late_gain")
    require_columns(report, ["auc"], "report")
    full, early = best["all features"], best["early-session"]
    return (
        f"Chosen on the training folds: **{full}** with all features, **{early}** with early-session features. On "
        f"the test sessions their AUCs are {report.loc[('all features', full, 'raw'), 'auc']:.3f} and "
        f"{report.loc[('early-session', early, 'raw'), 'auc']:.3f}: the late feature adds {interval(late_gain)} of "
        "AUC. A model scored with all features describes sessions that are nearly over."
    )


def describe_calibration(ece: pd.DataFrame) -> str:
    """Each model's ECE before and after calibration, with the paired interval and verdict, and how far AUC moved."""
    require_columns(ece, ["ece_raw", "ece_calibrated", "interval", "verdict", "auc_difference"], "ece")
    rows = "; ".join(
        f"{name}: {row['ece_raw']:.3f} to {row['ece_calibrated']:.3f}, {interval(row['interval'])}, "
        f"**{row['verdict']}**"
        for name, row in ece.iterrows()
    )
    return (
        f"Calibration (all features), ECE after minus before on the test sessions: {rows}. AUC moved by at most "
        f"{ece['auc_difference'].abs().max():.4f} (ties of the isotonic steps)."
    )


def describe_sensitivity(sensitivity: pd.DataFrame) -> str:
    """In how many assumed (uplift, cost) cases targeting pays with confidence, and the smallest such uplift."""
    require_columns(sensitivity, ["low", "incentive_uplift"], "sensitivity")
    pays = sensitivity[sensitivity["low"] > 0]
    if pays.empty:
        return "Under none of these assumptions does targeting pay with confidence."
    return (
        f"Targeting pays with confidence (interval above zero) in {len(pays)} of these {len(sensitivity)} cases; "
        f"the smallest uplift among them is {pays['incentive_uplift'].min():g}. "
        "Below it, the assumed effect is too small to pay for the incentive."
    )


def describe_importance(ranked: pd.Series, late_features) -> str:
    """The most important feature by permutation importance, the next one, and whether it is known only late."""
    require_instance(ranked, pd.Series, "ranked")
    if len(ranked) < 2:
        raise ValueError("ranked must hold at least two features' importances")
    text = (
        f"The most important feature is `{ranked.index[0]}` (AUC drops by {ranked.iloc[0]:.3f} when shuffled; the "
        f"next, `{ranked.index[1]}`, {ranked.iloc[1]:.3f})."
    )
    if ranked.index[0] in late_features:
        text += " It is known only late in a session: hence the early-session model for the decision."
    return text
