"""k-anonymity of a table about to be published (Sweeney 2002).

A table is k-anonymous over its quasi-identifiers (columns an outsider may know or link:
country, segment, first-purchase month, ...) when every combination of their values is
shared by at least k rows. Small groups are re-identifiable: a single customer from
Iceland who first bought in March is one person. Two remedies, applied by
:func:`anonymize`: **generalisation** (month -> quarter -> year, country -> region) and
**suppression** of the rows still in groups smaller than k.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from shopai_lab._validation import (
    require_callable,
    require_columns,
    require_instance,
    require_not_empty,
    require_number,
    require_positive_int,
    require_string,
    require_strings,
)


def _columns(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> list[str]:
    quasi_identifiers = require_strings(quasi_identifiers, "quasi_identifiers")
    if not quasi_identifiers:
        raise ValueError("quasi_identifiers must name at least one column")
    require_columns(table, quasi_identifiers, "table")
    return quasi_identifiers


def _check(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int) -> tuple[list[str], int]:
    quasi_identifiers = _columns(table, quasi_identifiers)
    require_not_empty(table, "table")
    return quasi_identifiers, require_positive_int(k, "k", minimum=2)


def group_sizes(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """Size of each row's group (rows sharing all quasi-identifier values), aligned with ``table``.

    Missing values form their own group.
    """
    quasi_identifiers = _columns(table, quasi_identifiers)
    keys = [table[c].astype(object).where(table[c].notna(), "<missing>") for c in quasi_identifiers]
    return pd.Series(
        pd.DataFrame(dict(zip(quasi_identifiers, keys)))
        .groupby(quasi_identifiers, sort=False)[quasi_identifiers[0]]
        .transform("size")
        .to_numpy(),
        index=table.index,
    )


def k_anonymity_report(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int = 5) -> dict[str, float]:
    """How far ``table`` is from k-anonymity over ``quasi_identifiers``.

    Returns
    -------
    dict
        ``rows``, ``groups``, ``smallest_group``, ``k`` (the table's actual anonymity: its
        smallest group), ``rows_below_k``, ``share_below_k`` and ``groups_below_k``.

    Examples
    --------
    >>> t = pd.DataFrame({"country": ["UK"] * 5 + ["FR"] * 2 + ["IS"], "month": ["2011-01"] * 8})
    >>> r = k_anonymity_report(t, ["country", "month"], k=3)
    >>> r["groups"], r["rows_below_k"], r["share_below_k"], r["k"]
    (3, 3, 0.375, 1)
    """
    quasi_identifiers, k = _check(table, quasi_identifiers, k)
    sizes = group_sizes(table, quasi_identifiers)
    counts = table.assign(_g=sizes.to_numpy()).groupby(quasi_identifiers, dropna=False, sort=False).size()
    below = sizes < k
    return {
        "rows": int(len(table)),
        "groups": int(len(counts)),
        "smallest_group": int(sizes.min()),
        "k": int(sizes.min()),
        "rows_below_k": int(below.sum()),
        "share_below_k": float(below.mean()),
        "groups_below_k": int((counts < k).sum()),
    }


def month_to_quarter(values: pd.Series) -> pd.Series:
    """``"2011-03"`` (or a monthly Period) -> ``"2011Q1"``."""
    require_instance(values, pd.Series, "values")
    try:
        months = pd.PeriodIndex(values.astype(str), freq="M")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values must be months such as '2011-03': {exc}") from None
    return months.asfreq("Q").astype(str).to_series(index=values.index)


def month_to_year(values: pd.Series) -> pd.Series:
    """``"2011-03"`` or ``"2011Q1"`` -> ``"2011"``."""
    require_instance(values, pd.Series, "values")
    text = values.astype(str)
    bad = ~text.str.fullmatch(r"\d{4}(?:-\d{2}|Q[1-4])?")
    if bad.any():
        raise ValueError(f"values must be months ('2011-03') or quarters ('2011Q1'), got e.g. {text[bad].iloc[0]!r}")
    return text.str[:4]


def top_categories(n: int, other: str = "Other") -> Callable[[pd.Series], pd.Series]:
    """A generaliser keeping the ``n`` most frequent values and replacing the rest by ``other``."""
    n = require_positive_int(n, "n")
    require_string(other, "other")

    def generalise(values: pd.Series) -> pd.Series:
        keep = values.value_counts(sort=True).index[:n]
        return values.astype(object).where(values.isin(keep), other)

    generalise.__name__ = f"top_{n}"
    return generalise


def suppress_all(values: pd.Series) -> pd.Series:
    """The last level of every hierarchy: the column is dropped from the release (``"*"``)."""
    require_instance(values, pd.Series, "values")
    return pd.Series("*", index=values.index, dtype=object)


def anonymize(
    table: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    k: int,
    hierarchies: Mapping[str, Sequence[Callable[[pd.Series], pd.Series]]],
    max_suppression: float = 0.02,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generalise quasi-identifiers step by step, then suppress, until the table is k-anonymous.

    Greedy: while more than ``max_suppression`` of the rows are in groups smaller than k,
    apply the next generalisation step of the column whose step leaves the fewest such rows.
    Then drop the rows still in small groups.

    Parameters
    ----------
    table
        The table to publish. Not modified.
    quasi_identifiers
        Columns an outsider could know.
    k
        Smallest group size allowed (>= 2).
    hierarchies
        Column -> generalisation steps, each a function of the current column values,
        applied in order (e.g. ``[month_to_quarter, month_to_year]``). Columns without a
        hierarchy are only ever suppressed by rows.
    max_suppression
        Largest share of rows that may be dropped instead of generalising further.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The k-anonymous table, and the log of steps (``step``, ``column``, ``level``,
        ``share_below_k`` after the step).

    Examples
    --------
    >>> t = pd.DataFrame({"country": ["UK"] * 4 + ["FR", "FR", "DE", "DE"],
    ...                   "month": ["2011-01", "2011-02"] * 4})
    >>> out, log = anonymize(t, ["country", "month"], k=2,
    ...                      hierarchies={"month": [month_to_quarter]}, max_suppression=0.0)
    >>> k_anonymity_report(out, ["country", "month"], k=2)["k"], len(out), log["column"].tolist()
    (2, 8, ['-', 'month'])
    """
    quasi_identifiers, k = _check(table, quasi_identifiers, k)
    max_suppression = require_number(max_suppression, "max_suppression", low=0, high=1, high_inclusive=False)
    require_instance(hierarchies, Mapping, "hierarchies")
    for column, steps in hierarchies.items():
        if not isinstance(steps, list | tuple):
            raise TypeError(f"hierarchies[{column!r}] must be a list of generalisation steps, got {steps!r}")
        for i, step in enumerate(steps):
            require_callable(step, f"hierarchies[{column!r}][{i}]")
    unknown = sorted(set(hierarchies) - set(quasi_identifiers))
    if unknown:
        raise ValueError(f"hierarchies names column(s) {unknown} that are not quasi-identifiers")
    current = table.copy()
    level = {c: 0 for c in quasi_identifiers}
    share = k_anonymity_report(current, quasi_identifiers, k)["share_below_k"]
    log = [("start", "-", 0, share)]
    while share > max_suppression:
        options = []
        for column, steps in hierarchies.items():
            if level[column] < len(steps):
                trial = current.assign(**{column: steps[level[column]](current[column])})
                options.append(
                    (
                        k_anonymity_report(trial, quasi_identifiers, k)["share_below_k"],
                        column,
                        trial,
                    )
                )
        if not options:
            break
        share, column, current = min(options, key=lambda o: (o[0], quasi_identifiers.index(o[1])))
        level[column] += 1
        log.append((f"generalise {column}", column, level[column], share))
    keep = group_sizes(current, quasi_identifiers) >= k
    if not keep.all():
        log.append(("suppress rows", "rows", int((~keep).sum()), 0.0))
    current = current[keep.to_numpy()]
    steps = pd.DataFrame(log, columns=["step", "column", "level", "share_below_k"])
    return current, steps
