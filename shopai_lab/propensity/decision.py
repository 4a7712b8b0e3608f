"""The targeting decision: what an incentive adds, and to which sessions it is worth offering.

:func:`profit_curve` credits the full conversion value of every targeted buyer, as if the incentive caused
each purchase: it is kept to show that mistake. The decision functions below count only the purchases the
incentive causes, ``value x uplift(p) - cost`` per targeted session, with the uplift an explicit
assumption (measure it with an A/B test: notebook 07).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab import ranking
from shopai_lab._validation import (
    as_float_array,
    require_columns,
    require_number,
    require_one_of,
    require_probabilities,
)
from shopai_lab.propensity.calibration import _labels_and_probabilities


def profit_curve(
    y_true, probability, incentive_cost: float, conversion_value: float, thresholds: np.ndarray | None = None
) -> pd.DataFrame:
    """Profit of offering an incentive to every session whose probability reaches a threshold.

    A targeted session costs ``incentive_cost`` and, if it buys, earns
    ``conversion_value``. ``realised`` uses the observed outcomes; ``expected``
    the predicted probabilities (``sum (p * value - cost)``), whose maximum sits
    at ``p = cost / value`` when the probabilities are calibrated.

    Parameters
    ----------
    y_true, probability
        Observed 0/1 purchases and predicted purchase probabilities, one per session.
    incentive_cost
        Cost of targeting one session (>= 0).
    conversion_value
        Margin earned when a targeted session buys (> 0).
    thresholds
        Thresholds to evaluate; 0, 0.01, ..., 1 by default.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``targeted`` (share of sessions), ``realised`` and ``expected`` profit.

    Examples
    --------
    >>> profit_curve([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], incentive_cost=2.0, conversion_value=10.0,
    ...              thresholds=[0.0, 0.5, 0.95])
       threshold  targeted  realised  expected
    0       0.00       1.0      12.0      12.0
    1       0.50       0.5      16.0      11.0
    2       0.95       0.0       0.0       0.0
    """
    require_number(incentive_cost, "incentive_cost", low=0)
    require_number(conversion_value, "conversion_value", low=0, low_inclusive=False)
    _, p = _labels_and_probabilities(y_true, probability)
    y = np.asarray(y_true, dtype=float)
    thresholds = (
        np.linspace(0, 1, 101) if thresholds is None else as_float_array(thresholds, "thresholds", allow_empty=False)
    )
    rows = []
    for t in thresholds:
        target = p >= t
        rows.append(
            {
                "threshold": float(t),
                "targeted": float(target.mean()),
                "realised": float((y[target] * conversion_value - incentive_cost).sum()),
                "expected": float((p[target] * conversion_value - incentive_cost).sum()),
            }
        )
    return pd.DataFrame(rows)


#: How ``incentive_uplift`` is read: ``"relative"`` lifts a session's purchase probability p to p (1 + u)
#: (the lift u p grows with p); ``"absolute"`` adds u to every session's p. Both are capped at p = 1.
UPLIFT_KINDS = ("relative", "absolute")


def _uplift_args(incentive_cost, conversion_value, incentive_uplift, uplift_kind) -> tuple[float, float, float, str]:
    cost = require_number(incentive_cost, "incentive_cost", low=0)
    value = require_number(conversion_value, "conversion_value", low=0, low_inclusive=False)
    uplift = require_number(incentive_uplift, "incentive_uplift", low=0)
    kind = require_one_of(uplift_kind, "uplift_kind", UPLIFT_KINDS)
    return cost, value, uplift, kind


def incentive_uplift_of(probability, incentive_uplift: float, uplift_kind: str = "relative") -> np.ndarray:
    """The rise in purchase probability the incentive causes, per session: ``min(u p, 1 - p)`` (relative)
    or ``min(u, 1 - p)`` (absolute).

    Examples
    --------
    >>> incentive_uplift_of([0.1, 0.5, 0.95], 0.2).round(3).tolist()
    [0.02, 0.1, 0.05]
    >>> incentive_uplift_of([0.1, 0.95], 0.2, "absolute").round(3).tolist()
    [0.2, 0.05]
    """
    p = require_probabilities(probability, "probability")
    _, _, uplift, kind = _uplift_args(0.0, 1.0, incentive_uplift, uplift_kind)
    lift = uplift * p if kind == "relative" else np.full_like(p, uplift)
    return np.minimum(lift, 1.0 - p)


def incremental_profit(
    probability,
    incentive_cost: float,
    conversion_value: float,
    incentive_uplift: float,
    uplift_kind: str = "relative",
) -> np.ndarray:
    """Expected profit the incentive adds to each session if offered: ``value * uplift(p) - cost``.

    Only the purchases the incentive *causes* earn money; a session that would have bought
    anyway earns nothing extra and still costs ``incentive_cost``.

    Parameters
    ----------
    probability
        Calibrated purchase probability of each session without the incentive.
    incentive_cost
        Cost of offering the incentive to one session (currency units).
    conversion_value
        Margin of one purchase (currency units).
    incentive_uplift
        The incentive's effect, an assumption to be measured by an experiment (see ``uplift_kind``).
    uplift_kind
        ``"relative"`` (p becomes p (1 + u)) or ``"absolute"`` (p becomes p + u); see :data:`UPLIFT_KINDS`.

    Examples
    --------
    >>> gain = incremental_profit([0.1, 0.5], incentive_cost=2.0, conversion_value=20.0, incentive_uplift=0.2)
    >>> gain.round(2).tolist()
    [-1.6, 0.0]
    """
    cost, value, _, _ = _uplift_args(incentive_cost, conversion_value, incentive_uplift, uplift_kind)
    return value * incentive_uplift_of(probability, incentive_uplift, uplift_kind) - cost


def break_even_probability(
    incentive_cost: float, conversion_value: float, incentive_uplift: float, uplift_kind: str = "relative"
) -> float:
    """The targeting rule that follows from the assumption: target sessions with p above the returned value.

    Relative uplift: ``cost / (value u)`` (profit rises with p up to the cap at p = 1 / (1 + u)). Strictly,
    the cap also makes sessions above ``1 - cost / value`` unprofitable (they can gain less than the cost);
    the rule "p above the threshold" ignores that upper bound, which holds very few sessions when cost is
    small relative to value.
    Absolute uplift: the profit ``value u - cost`` does not depend on p, so the rule is "everyone"
    (returns 0.0) or "nobody" (returns ``inf``). ``inf`` also means no session is worth the incentive.

    Examples
    --------
    >>> break_even_probability(2.0, 20.0, 0.2)
    0.5
    >>> break_even_probability(2.0, 20.0, 0.05), break_even_probability(2.0, 20.0, 0.2, "absolute")
    (inf, 0.0)
    """
    cost, value, uplift, kind = _uplift_args(incentive_cost, conversion_value, incentive_uplift, uplift_kind)
    if kind == "absolute":
        return 0.0 if value * uplift > cost else float("inf")
    # The relative lift is largest (u / (1 + u)) at p = 1 / (1 + u); below the break-even nobody pays.
    if uplift == 0 or value * uplift / (1 + uplift) <= cost:
        return float("inf")
    return cost / (value * uplift)


def uplift_profit_curve(
    y_true,
    probability,
    incentive_cost: float,
    conversion_value: float,
    incentive_uplift: float,
    uplift_kind: str = "relative",
    thresholds=None,
) -> pd.DataFrame:
    """Incremental profit of offering the incentive to every session whose probability reaches a threshold.

    ``expected`` sums :func:`incremental_profit` over the targeted sessions. ``realised`` uses the
    observed outcomes (without incentive) instead of ``p``: for a relative uplift, ``value u y - cost``
    per targeted session, whose mean equals the expected profit when the probabilities are calibrated
    (and ``u p <= 1 - p``); for an absolute uplift the outcome does not enter, so it equals ``expected``.
    ``bought_anyway`` counts targeted sessions that bought without the incentive.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``targeted`` (share), ``sessions`` (count targeted), ``bought_anyway``, ``realised``,
        ``expected``.

    Examples
    --------
    >>> uplift_profit_curve([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 2.0, 20.0, 0.5, thresholds=[0.0, 0.5])
       threshold  targeted  sessions  bought_anyway  realised  expected
    0        0.0       1.0         4              2      12.0       5.0
    1        0.5       0.5         2              1       6.0       4.0
    """
    cost, value, uplift, kind = _uplift_args(incentive_cost, conversion_value, incentive_uplift, uplift_kind)
    y, p = _labels_and_probabilities(y_true, probability)
    y = y.astype(float)
    thresholds = (
        np.linspace(0, 1, 101) if thresholds is None else as_float_array(thresholds, "thresholds", allow_empty=False)
    )
    gain = incremental_profit(p, cost, value, uplift, kind)
    realised = value * uplift * y - cost if kind == "relative" else gain
    rows = []
    for t in thresholds:
        target = p >= t
        rows.append(
            {
                "threshold": float(t),
                "targeted": float(target.mean()),
                "sessions": int(target.sum()),
                "bought_anyway": int(y[target].sum()),
                "realised": float(realised[target].sum()),
                "expected": float(gain[target].sum()),
            }
        )
    return pd.DataFrame(rows)


def best_threshold(curve: pd.DataFrame, column: str = "realised") -> float:
    """The threshold of ``curve`` with the highest profit in ``column`` (the highest such threshold on ties,
    i.e. the fewest sessions targeted for the same profit; 1.0 targets nobody worth it).

    Examples
    --------
    >>> best_threshold(pd.DataFrame({"threshold": [0.0, 0.5, 1.0], "realised": [3.0, 5.0, 5.0]}))
    1.0
    """
    require_columns(curve, ["threshold", column], "curve")
    if curve.empty:
        raise ValueError("curve is empty")
    ordered = curve.sort_values("threshold", kind="stable")
    values = ordered[column].to_numpy(dtype=float)
    last = len(values) - 1 - int(ranking.argmax(values[::-1]))
    return float(ordered["threshold"].iloc[last])


def incentive_sensitivity(
    y_true,
    probability,
    incentive_costs,
    conversion_value: float,
    incentive_uplifts,
    uplift_kind: str = "relative",
    n_boot: int = 1000,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """For every assumed uplift and cost: the targeting rule and its incremental profit per 1,000 sessions.

    The rule is :func:`break_even_probability`; the profit is the realised incremental profit of that rule
    on the given sessions (see :func:`uplift_profit_curve`), per 1,000 sessions, with a percentile bootstrap
    interval over sessions (:func:`shopai_lab.stats.bootstrap_mean`).

    Returns
    -------
    pandas.DataFrame
        One row per (``incentive_uplift``, ``incentive_cost``): ``threshold`` (``inf``: target nobody),
        ``targeted`` (share), ``bought_anyway`` (share of the targeted who bought without it),
        ``profit_per_1000``, ``low``, ``high``.

    Examples
    --------
    >>> table = incentive_sensitivity([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], [2.0], 20.0, [0.2, 0.5], n_boot=50)
    >>> table[["incentive_uplift", "threshold", "targeted", "profit_per_1000"]]
       incentive_uplift  threshold  targeted  profit_per_1000
    0               0.2        0.5      0.50              0.0
    1               0.5        0.2      0.75           3500.0
    """
    from shopai_lab.stats import bootstrap_mean

    _, value, _, kind = _uplift_args(0.0, conversion_value, 0.0, uplift_kind)
    y, p = _labels_and_probabilities(y_true, probability)
    costs = as_float_array(incentive_costs, "incentive_costs", allow_empty=False)
    uplifts = as_float_array(incentive_uplifts, "incentive_uplifts", allow_empty=False)
    rows = []
    for uplift in uplifts:
        for cost in costs:
            threshold = break_even_probability(cost, value, uplift, kind)
            target = p >= threshold
            gain = value * uplift * y - cost if kind == "relative" else incremental_profit(p, cost, value, uplift, kind)
            per_session = np.where(target, gain, 0.0) * 1000
            interval = bootstrap_mean(per_session, n_boot=n_boot, random_state=random_state)
            rows.append(
                {
                    "incentive_uplift": float(uplift),
                    "incentive_cost": float(cost),
                    "threshold": threshold,
                    "targeted": float(target.mean()),
                    "bought_anyway": float(y[target].mean()) if target.any() else float("nan"),
                    "profit_per_1000": interval["mean"],
                    "low": interval["low"],
                    "high": interval["high"],
                }
            )
    return pd.DataFrame(rows)


def policy_profit(
    y_true,
    probability,
    threshold: float,
    incentive_cost: float,
    conversion_value: float,
    incentive_uplift: float,
    uplift_kind: str = "relative",
) -> np.ndarray:
    """Realised incremental profit of each session under "offer the incentive when p >= threshold".

    Zero for sessions not targeted; for targeted ones the ``realised`` term of :func:`uplift_profit_curve`.
    Average it with a bootstrap interval over sessions (:func:`shopai_lab.stats.bootstrap_mean`).

    Examples
    --------
    >>> policy_profit([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5, 2.0, 20.0, 0.5).tolist()
    [8.0, -2.0, 0.0, 0.0]
    """
    cost, value, uplift, kind = _uplift_args(incentive_cost, conversion_value, incentive_uplift, uplift_kind)
    y, p = _labels_and_probabilities(y_true, probability)
    threshold = require_number(threshold, "threshold")
    gain = value * uplift * y - cost if kind == "relative" else incremental_profit(p, cost, value, uplift, kind)
    return np.where(p >= threshold, gain, 0.0)
