"""Sentences of notebook 03 built from its results, so the report stays true on any shop's data (the one file of
sentence helpers of :mod:`shopai_lab.propensity`)."""

from __future__ import annotations

import pandas as pd

from shopai_lab._validation import require_instance, require_number
from shopai_lab.report import count, money, percent, verdict
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
