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
revenue        added by cleaning: quantity x unit_price
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
    The seed of anything random, as in scikit-learn (notebook parameters may say ``seed``).
currency
    The unit of money wherever money is printed; the bundled data are in GBP.
"""

from __future__ import annotations

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
