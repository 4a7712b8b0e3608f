"""Do groups of customers pay different unit prices for the same product?

A product's unit price falls with the quantity bought (tier prices), and groups buy in different quantities,
so raw average prices mislead. The comparison here is within cells of one product and one quantity tier: in
each cell where both groups bought, the mean log unit price of each group; the gap is their difference,
averaged over cells with a paired bootstrap over cells (:func:`shopai_lab.stats.paired_bootstrap`).
``exp(gap) - 1`` reads as "pays x% more for the same product in the same quantity".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns, require_numeric_columns, require_positive_int
from shopai_lab.stats import Interval, paired_bootstrap

__all__ = ["QUANTITY_TIERS", "price_gap_by_group"]

#: lower bounds of the quantity tiers: 1, 2-5, 6-11, 12-23, 24-47, 48-99, 100 and more
QUANTITY_TIERS: tuple[int, ...] = (1, 2, 6, 12, 24, 48, 100)


def price_gap_by_group(
    lines: pd.DataFrame,
    group_column: str,
    group: str,
    reference: str,
    min_lines: int = 2,
    tiers=QUANTITY_TIERS,
    n_boot: int = 2000,
    random_state=0,
) -> tuple[Interval, pd.DataFrame]:
    """The mean log unit price of ``group`` minus ``reference``'s, within product x quantity-tier cells.

    Parameters
    ----------
    lines
        Purchase lines with ``item_id``, ``quantity``, ``unit_price`` (> 0) and ``group_column``.
    group_column, group, reference
        The column of group labels and the two groups compared (``group - reference``).
    min_lines
        Lines each group needs in a cell for the cell to count.
    tiers
        Increasing lower bounds of the quantity tiers (the first must be 1).
    n_boot, random_state
        Bootstrap draws over cells, and seed.

    Returns
    -------
    gap : Interval
        Mean over cells of the difference in mean log unit price (``n`` = cells compared).
    cells : pandas.DataFrame
        One row per compared cell: ``item_id``, ``tier``, lines and mean log price of each group, ``gap``.

    Examples
    --------
    >>> lines = pd.DataFrame({"item_id": list("AAAABBBB"), "quantity": [1] * 8,
    ...     "unit_price": [1.0, 1.0, 1.1, 1.1, 2.0, 2.0, 2.2, 2.2], "group": ["x", "x", "y", "y"] * 2})
    >>> gap, cells = price_gap_by_group(lines, "group", "y", "x", n_boot=100)
    >>> round(float(np.exp(gap.estimate) - 1), 6), len(cells)
    (0.1, 2)
    """
    require_columns(lines, ["item_id", "quantity", "unit_price", group_column], "lines")
    require_numeric_columns(lines, ["quantity", "unit_price"], "lines", allow_nan=False)
    if (lines["unit_price"] <= 0).any() or (lines["quantity"] <= 0).any():
        raise ValueError("lines must be purchases with unit_price > 0 and quantity > 0 (drop returns and free lines)")
    bounds = np.asarray(tiers)
    if bounds.ndim != 1 or bounds.size == 0 or bounds[0] != 1 or (np.diff(bounds) <= 0).any():
        raise ValueError(f"tiers must be increasing lower bounds starting at 1, got {list(tiers)!r}")
    min_lines = require_positive_int(min_lines, "min_lines")
    labels = set(lines[group_column].dropna().unique().tolist())
    for name, value in (("group", group), ("reference", reference)):
        if value not in labels:
            raise ValueError(f"{name} {value!r} is not a value of column {group_column!r}")
    chosen = lines.loc[
        lines[group_column].isin([group, reference]), ["item_id", "quantity", "unit_price", group_column]
    ]
    cells = chosen.assign(
        tier=np.searchsorted(bounds, chosen["quantity"].to_numpy(), side="right") - 1,
        log_price=np.log(chosen["unit_price"].to_numpy(dtype=float)),
    )
    stats = cells.groupby(["item_id", "tier", group_column], sort=True)["log_price"].agg(["size", "mean"]).unstack()
    both = stats.dropna()
    both = both[(both[("size", group)] >= min_lines) & (both[("size", reference)] >= min_lines)]
    if len(both) < 2:
        raise ValueError(
            f"only {len(both)} product x tier cell(s) where both groups bought {min_lines}+ lines: no comparison"
        )
    table = pd.DataFrame(
        {
            "lines_group": both[("size", group)].astype(int).to_numpy(),
            "lines_reference": both[("size", reference)].astype(int).to_numpy(),
            "log_price_group": both[("mean", group)].to_numpy(),
            "log_price_reference": both[("mean", reference)].to_numpy(),
        },
        index=both.index,
    ).reset_index()
    table["gap"] = table["log_price_group"] - table["log_price_reference"]
    gap = paired_bootstrap(
        table["log_price_reference"], table["log_price_group"], n_boot=n_boot, random_state=random_state
    )
    return gap, table
