"""The canonical schema and the lab's glossary: one meaning per word.

Transactions, as every domain receives them (see :mod:`shopai_lab.data` for loading and mapping):

=============  ==========================================================
column         meaning
=============  ==========================================================
customer_id    a customer's key, as text (missing allowed: cleaning drops it)
invoice_id     an invoice (order) key, as text; a leading "C" marks a cancellation
item_id        a product's key (stock code), as text
quantity       units on the line
unit_price     price per unit, in the shop's currency
timestamp      invoice time, datetime64
description    optional: product description
country        optional: customer country
revenue        added by cleaning: quantity x unit_price (read it with :func:`line_revenue`)
=============  ==========================================================

Glossary
--------
customer
    A buyer. Frames and reports say ``customer_*``. ``user`` and ``item`` name only the rows and columns
    of a recommender's sparse matrix (:mod:`shopai_lab.recommend`); ``item_id`` is a product, and prose
    says "product".
RFM (notebook 01, :mod:`shopai_lab.behavior`)
    ``days_since_last``: days from the last purchase to the reference date; ``invoices``: distinct
    purchase invoices; ``net_revenue``: purchase revenue less returns.
BG/NBD and Gamma-Gamma (notebook 05, :mod:`shopai_lab.clv`), in Fader and Hardie's sense
    ``frequency``: repeat purchase days (purchases after the first, same-day purchases merged);
    ``recency``: time from the first to the last purchase; ``T``: time from the first purchase to the end
    of the calibration period; ``monetary_value``: mean spend per repeat purchase day. The RFM words
    above never name these, so an RFM table cannot be fitted as a BG/NBD summary by mistake.
random_state
    The seed of anything random, as in scikit-learn; it defaults to a seed, so a call gives the same answer
    every time (not where fresh noise is the point: a differential-privacy release). Notebook parameters say
    ``seed`` (their vocabulary: :mod:`shopai_lab.lab.parameters`).
currency
    The unit of money wherever money is printed; the bundled data are in GBP. A required argument of every
    library function that shows money: the library never assumes one.
difference, interval, level
    A comparison of two models on the same units is ``b - a`` (the model minus the baseline), absolute or
    relative to ``a``, with its bootstrap interval: a :class:`shopai_lab.stats.Interval` (``estimate``,
    ``low``, ``high``, ``level``, ``n``, ``se``, ``relative``). Interval bounds are always ``low`` and
    ``high`` and their level ``level`` (e.g. 0.95); ``alpha`` is only the significance level of a test.
"""

from __future__ import annotations

import pandas as pd

REQUIRED_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "invoice_id",
    "item_id",
    "quantity",
    "unit_price",
    "timestamp",
)


OPTIONAL_COLUMNS: tuple[str, ...] = ("description", "country")


CANONICAL_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


ID_COLUMNS: tuple[str, ...] = ("customer_id", "invoice_id", "item_id")


def line_revenue(lines: pd.DataFrame) -> pd.Series:
    """Revenue of each line: the ``revenue`` column when present (cleaning adds it), else quantity x unit_price.

    The one definition of line revenue, so every domain agrees with the cleaned data. Returns a new
    Series aligned with ``lines``; ``lines`` is not modified.

    Examples
    --------
    >>> lines = pd.DataFrame({"quantity": [2, -1], "unit_price": [1.5, 4.0]})
    >>> line_revenue(lines).tolist()
    [3.0, -4.0]
    >>> line_revenue(lines.assign(revenue=[3.0, -4.0])).tolist()
    [3.0, -4.0]
    """
    if "revenue" in lines.columns:
        return lines["revenue"].rename("revenue")
    return (lines["quantity"] * lines["unit_price"]).rename("revenue")


def midnight_after(timestamps: pd.Series) -> pd.Timestamp:
    """Midnight after the last of ``timestamps``: the default "today" of an analysis of past purchases.

    Every purchase of the last day falls strictly before it, so "activity before the reference date"
    includes the whole last day.

    Examples
    --------
    >>> midnight_after(pd.Series(pd.to_datetime(["2011-12-08 09:00", "2011-12-09 12:50"])))
    Timestamp('2011-12-10 00:00:00')
    """
    return pd.Timestamp(timestamps.max()).normalize() + pd.Timedelta(days=1)
