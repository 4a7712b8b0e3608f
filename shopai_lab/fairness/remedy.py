"""A group-aware setting chosen on validation: the remedy for a group a model serves worse, and its cost.

A shop that finds one group of customers served worse can change one setting of its model (a blend weight, a
list length, a candidate source) for everyone, or per group. :func:`choose_group_settings` makes both choices
on a validation period from a table of per-unit metric values under each candidate setting: the one setting
best on average, and each group's own best. :func:`values_under` then reads the per-unit values on the test
period under any assignment of settings to groups, for paired comparisons over the same units (the remedy's
gain for the group, and its cost for everyone else).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_frame, require_not_empty, require_same_length
from shopai_lab.ranking import argmax

__all__ = ["choose_group_settings", "values_under"]


def _table_and_groups(values_by_setting, groups) -> tuple[pd.DataFrame, np.ndarray]:
    table = require_not_empty(require_frame(values_by_setting, "values_by_setting"), "values_by_setting")
    if table.shape[1] < 1 or table.isna().to_numpy().any():
        raise ValueError("values_by_setting must hold one column per setting and no missing values")
    labels = np.asarray(groups, dtype=object)
    require_same_length(values_by_setting=table.to_numpy(), groups=labels)
    if pd.isna(labels).any():
        raise ValueError(f"groups has {int(pd.isna(labels).sum())} missing label(s)")
    return table, labels.astype(str)


def choose_group_settings(values_by_setting: pd.DataFrame, groups) -> pd.DataFrame:
    """The setting best on average, and each group's own best, from per-unit values on validation.

    Parameters
    ----------
    values_by_setting
        One row per unit (customer), one column per candidate setting (in the order a tie should prefer:
        a near-tie goes to the earlier column), values higher-is-better (e.g. each customer's nDCG@10).
    groups
        One group label per row.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted): ``units``, ``own_setting`` (the group's best), ``own_mean``,
        ``shared_setting`` (the one best for all units together, the same on every row) and ``shared_mean``
        (the group's mean under it). ``.attrs["shared_setting"]`` repeats the shared choice.

    Examples
    --------
    >>> values = pd.DataFrame({0.0: [0.4, 0.4, 0.0, 0.0], 1.0: [0.1, 0.1, 0.2, 0.2]})
    >>> choose_group_settings(values, ["old", "old", "new", "new"])[["own_setting", "shared_setting"]].to_dict("index")
    {'new': {'own_setting': 1.0, 'shared_setting': 0.0}, 'old': {'own_setting': 0.0, 'shared_setting': 0.0}}
    """
    table, labels = _table_and_groups(values_by_setting, groups)
    settings = list(table.columns)
    shared = settings[int(argmax(table.mean(axis=0).to_numpy()))]
    rows = {}
    for group in sorted(set(labels)):
        means = table[labels == group].mean(axis=0)
        own = settings[int(argmax(means.to_numpy()))]
        rows[group] = {
            "units": int((labels == group).sum()),
            "own_setting": own,
            "own_mean": float(means[own]),
            "shared_setting": shared,
            "shared_mean": float(means[shared]),
        }
    chosen = pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")
    chosen.attrs["shared_setting"] = shared
    return chosen


def values_under(values_by_setting: pd.DataFrame, groups, setting_of_group) -> pd.Series:
    """Each unit's value under the setting its group is given (a dict group -> setting, or one setting).

    Examples
    --------
    >>> values = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})
    >>> values_under(values, ["x", "y", "y"], {"x": "a", "y": "b"}).tolist()
    [1.0, 5.0, 6.0]
    >>> values_under(values, ["x", "y", "y"], "a").tolist()
    [1.0, 2.0, 3.0]
    """
    table, labels = _table_and_groups(values_by_setting, groups)
    if not isinstance(setting_of_group, dict):
        setting_of_group = {group: setting_of_group for group in set(labels)}
    missing = sorted(str(g) for g in set(labels) - set(setting_of_group))
    if missing:
        raise ValueError(f"setting_of_group names no setting for group(s) {missing}")
    unknown = sorted({str(s) for s in setting_of_group.values() if s not in table.columns})
    if unknown:
        raise ValueError(f"setting(s) {unknown} are not columns of values_by_setting: {list(table.columns)}")
    columns = table.columns.get_indexer([setting_of_group[g] for g in labels])
    return pd.Series(table.to_numpy()[np.arange(len(table)), columns], index=table.index, name="value")
