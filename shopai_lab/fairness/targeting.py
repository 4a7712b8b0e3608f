"""Who a targeting rule selects, group by group, and thresholds that treat groups alike in one stated sense.

A rule that offers an incentive when a score clears a threshold selects some groups of visitors more than
others. :func:`targeting_table` gives, per group, the selection rate, the precision (buyers among the selected),
the true- and false-positive rates (the two halves of equalised odds, Hardt, Price & Srebro 2016) and the
calibration gap (mean score minus purchase rate), each a mean over a subset of the group's units with an
interval from :func:`shopai_lab.stats.group_bootstrap`. The definitions conflict: a calibrated score with
different base rates cannot give equal selection rates and equal error rates at once (Kleinberg, Mullainathan
& Raghavan 2017; Chouldechova 2017), so a decision names the one it uses.

:func:`equal_opportunity_thresholds` chooses one threshold per group on validation data so that every group
reaches the same true-positive rate (equal opportunity): the highest threshold whose rate in the group is at
least the target.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import as_bool_array, as_float_array, require_number, require_same_length
from shopai_lab.stats import group_bootstrap

__all__ = ["equal_opportunity_thresholds", "targeting_table"]

#: each rate of :func:`targeting_table`: (the units it averages over, the value averaged)
_RATES = {
    "selection_rate": (lambda y, s: np.ones_like(y), lambda y, s, p: s),
    "precision": (lambda y, s: s, lambda y, s, p: y),
    "true_positive_rate": (lambda y, s: y, lambda y, s, p: s),
    "false_positive_rate": (lambda y, s: ~y, lambda y, s, p: s),
    "calibration_gap": (lambda y, s: np.ones_like(y), lambda y, s, p: p - y),
}


def _inputs(y_true, selected, probability, groups):
    y = as_bool_array(y_true, "y_true")
    s = as_bool_array(selected, "selected")
    p = as_float_array(probability, "probability", low=0.0, high=1.0)
    labels = np.asarray(groups, dtype=object)
    require_same_length(y_true=y, selected=s, probability=p, groups=labels)
    if pd.isna(labels).any():
        raise ValueError(f"groups has {int(pd.isna(labels).sum())} missing label(s)")
    return y, s, p, labels.astype(str)


def targeting_table(y_true, selected, probability, groups, n_boot: int = 1000, random_state=0) -> pd.DataFrame:
    """Per-group rates of a targeting rule, each with a bootstrap interval, and the largest gap of each rate.

    Parameters
    ----------
    y_true
        Whether each unit (session, customer) bought.
    selected
        Whether the rule selected it.
    probability
        The score the rule thresholded, in [0, 1] (for the calibration gap).
    groups
        One group label per unit.
    n_boot, random_state
        Bootstrap draws and seed of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per (group, rate) with ``units`` (the units the rate averages over: all, the selected, the
        buyers or the non-buyers), ``estimate``, ``low``, ``high``; NaN where a group has fewer than two such
        units. ``.attrs["largest_gap"]`` holds each rate's largest difference between groups (for the
        true- and false-positive rates together: the equalised-odds difference).

    Examples
    --------
    >>> y = np.array([1, 0, 1, 0, 1, 0, 1, 0] * 10, bool)
    >>> chosen = np.array([1, 0, 1, 1, 0, 0, 1, 0] * 10, bool)
    >>> table = targeting_table(y, chosen, np.where(chosen, 0.7, 0.3), ["a"] * 40 + ["b"] * 40, n_boot=50)
    >>> float(table.loc[("a", "selection_rate"), "estimate"]), table.attrs["largest_gap"]["selection_rate"]
    (0.5, 0.0)
    """
    y, s, p, labels = _inputs(y_true, selected, probability, groups)
    rows = []
    for rate, (units_of, value_of) in _RATES.items():
        keep = units_of(y, s).astype(bool)
        values, members = value_of(y, s, p)[keep].astype(float), labels[keep]
        enough = [g for g in np.unique(labels) if (members == g).sum() >= 2]
        kept = np.isin(members, enough)
        intervals = (
            group_bootstrap(values[kept], members[kept], n_boot=n_boot, random_state=random_state) if enough else {}
        )
        for group in np.unique(labels).tolist():
            interval = intervals.get(str(group))
            rows.append(
                {
                    "group": group,
                    "rate": rate,
                    "units": int((members == group).sum()),
                    "estimate": interval.estimate if interval else np.nan,
                    "low": interval.low if interval else np.nan,
                    "high": interval.high if interval else np.nan,
                }
            )
    table = pd.DataFrame(rows).set_index(["group", "rate"])
    spread = table["estimate"].groupby(level="rate").agg(lambda e: e.max() - e.min())
    gaps = {rate: float(spread[rate]) for rate in _RATES}
    gaps["equalized_odds"] = max(gaps["true_positive_rate"], gaps["false_positive_rate"])
    table.attrs["largest_gap"] = gaps
    return table


def equal_opportunity_thresholds(y_true, probability, groups, target_rate: float) -> dict[str, float]:
    """One threshold per group: the highest whose true-positive rate in the group is at least ``target_rate``.

    Choose them on validation data, then apply them to the test units (``probability >= threshold[group]``).

    Examples
    --------
    >>> y = np.array([1, 1, 1, 1, 0, 1, 1, 1, 1, 0], bool)
    >>> p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.4, 0.3, 0.2, 0.1])
    >>> equal_opportunity_thresholds(y, p, ["a"] * 5 + ["b"] * 5, target_rate=0.5)
    {'a': 0.8, 'b': 0.4}
    """
    y = as_bool_array(y_true, "y_true")
    p = as_float_array(probability, "probability", low=0.0, high=1.0)
    labels = np.asarray(groups, dtype=object)
    require_same_length(y_true=y, probability=p, groups=labels)
    target = require_number(target_rate, "target_rate", low=0.0, high=1.0, low_inclusive=False)
    thresholds = {}
    for group in np.unique(labels.astype(str)).tolist():
        buyers = np.sort(p[(labels.astype(str) == group) & y])[::-1]
        if buyers.size == 0:
            raise ValueError(f"group {group!r} has no buyers: its true-positive rate is undefined")
        needed = int(np.ceil(round(target * buyers.size, 9)))
        thresholds[str(group)] = float(buyers[needed - 1])
    return thresholds
