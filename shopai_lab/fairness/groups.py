"""Per-group metrics with intervals: does a model serve every group of customers equally well?

A metric that is a mean over units (one nDCG, hit or error per customer) is summarised per group with a
bootstrap interval over the group's units, and each group's gap to a reference group with an interval from
the same stratified resamples (:func:`shopai_lab.stats.group_bootstrap`: the one bootstrap of the lab).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import as_float_array, require_positive_int
from shopai_lab.stats import group_bootstrap

__all__ = ["group_metric_table"]


def group_metric_table(
    values, groups, reference=None, n_boot: int = 2000, level: float = 0.95, random_state=0
) -> pd.DataFrame:
    """One row per group: units, mean of the per-unit ``values`` with its interval, and the gap to ``reference``.

    Parameters
    ----------
    values
        One value per unit (e.g. each customer's nDCG@10).
    groups
        One group label per unit; each group needs at least two units.
    reference
        The group the gaps are measured from; ``None``: the largest group.
    n_boot, level, random_state
        Bootstrap draws, interval level and seed.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``units``, ``mean``, ``low``, ``high``, ``gap``, ``gap_low``, ``gap_high`` (the gap
        columns are 0 for the reference group) and ``gap_excludes_zero``; ``.attrs["reference"]`` names the
        reference and ``.attrs["intervals"]`` holds the :class:`~shopai_lab.stats.Interval` objects.

    Examples
    --------
    >>> values = np.r_[np.full(60, 0.2), np.full(40, 0.1)] + np.tile([-0.01, 0.01], 50)
    >>> table = group_metric_table(values, ["old"] * 60 + ["new"] * 40, n_boot=500)
    >>> table[["units", "mean", "gap"]].round(3)
         units  mean  gap
    new     40   0.1 -0.1
    old     60   0.2  0.0
    """
    x = as_float_array(values, "values")
    require_positive_int(n_boot, "n_boot", minimum=2)
    labels = np.asarray(groups)
    names, sizes = np.unique(labels, return_counts=True) if labels.size else (np.array([]), np.array([]))
    names = names.tolist()
    if reference is None and names:
        reference = names[int(np.argmax(sizes))]  # the largest group, as group_bootstrap's default
    intervals = group_bootstrap(x, labels, reference=reference, n_boot=n_boot, level=level, random_state=random_state)
    reference_name = str(reference)
    rows = []
    for name in names:
        mean = intervals[str(name)]
        gap = intervals.get(f"{name} - {reference_name}")
        rows.append(
            {
                "group": str(name),
                "units": mean.n,
                "mean": mean.estimate,
                "low": mean.low,
                "high": mean.high,
                "gap": gap.estimate if gap else 0.0,
                "gap_low": gap.low if gap else 0.0,
                "gap_high": gap.high if gap else 0.0,
                "gap_excludes_zero": bool(gap.excludes_zero) if gap else False,
            }
        )
    table = pd.DataFrame(rows).set_index("group")
    table.index.name = None
    table.attrs["reference"] = reference_name
    table.attrs["intervals"] = intervals
    return table
