"""Customers' purchases in the order they were made: the input of sequential recommenders.

A sequence model needs what the customer x item matrix has thrown away, the order of purchases.
:class:`PurchaseSequences` keeps it next to the matrix, on the matrix's own encoders: row ``u`` holds the
item positions customer ``u`` bought, oldest first, one entry per invoice and item (an item bought again
on a later invoice appears again). Build it with :func:`build_sequences` from the same clean purchase
lines as :func:`shopai_lab.recommend.build_interactions`, or with :func:`split_sequences` for a split's
training period, and pass it to a sequential recommender's ``fit(X, sequences)`` together with ``X``
(as :class:`~shopai_lab.recommend.ContentKNN` takes ``fit(X, descriptions)``): ``X`` stays what every
recommender is evaluated and filtered on, the sequences add the order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_index_array,
    require_instance,
    require_no_missing,
    require_positive_int,
    require_transactions,
    require_unique,
)
from shopai_lab.recommend.interactions import Split

_LINE_COLUMNS = ("customer_id", "item_id", "invoice_id", "timestamp")


@dataclass(frozen=True)
class PurchaseSequences:
    """Item positions per customer row, oldest first, stored like a CSR matrix's rows.

    Attributes
    ----------
    indptr
        ``(n_users + 1,)`` int64: row ``u`` is ``items[indptr[u]:indptr[u + 1]]``.
    items
        int64 item positions (columns of the interaction matrix).
    n_items
        Size of the catalogue the positions refer to.

    Examples
    --------
    >>> sequences = PurchaseSequences.from_lists([[2, 0], [], [1]], n_items=3)
    >>> sequences
    PurchaseSequences(3 customers, 3 items, 3 purchases, longest 2)
    >>> sequences.row(0).tolist()
    [2, 0]
    """

    indptr: np.ndarray
    items: np.ndarray
    n_items: int

    @classmethod
    def from_lists(cls, rows, n_items: int) -> PurchaseSequences:
        """Sequences from one list of item positions per customer row, oldest first."""
        n_items = require_positive_int(n_items, "n_items")
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__"):
            raise TypeError(f"rows must be a list with one sequence of item positions per customer, got {rows!r}")
        arrays = [as_index_array(np.asarray(row), f"rows[{i}]", n_items) for i, row in enumerate(rows)]
        lengths = np.array([len(a) for a in arrays], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        items = np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)
        return cls(indptr=indptr, items=items, n_items=n_items)

    @property
    def n_users(self) -> int:
        """Customer rows."""
        return len(self.indptr) - 1

    @property
    def lengths(self) -> np.ndarray:
        """Purchases per customer row."""
        return np.diff(self.indptr)

    def row(self, user: int) -> np.ndarray:
        """Item positions of customer row ``user``, oldest first."""
        return self.items[self.indptr[user] : self.indptr[user + 1]]

    def check(self, shape: tuple[int, int], name: str = "sequences") -> PurchaseSequences:
        """``self`` when it fits a ``(customers, items)`` matrix of ``shape``, else a clear ValueError."""
        if self.n_users != shape[0] or self.n_items != shape[1]:
            raise ValueError(
                f"{name} covers {self.n_users} customers x {self.n_items} items, X has shape {tuple(shape)}: "
                "build both on the same encoders (split_sequences(split) for split.train.matrix)"
            )
        return self

    def __repr__(self) -> str:
        longest = int(self.lengths.max()) if self.n_users else 0
        return (
            f"PurchaseSequences({self.n_users:,} customers, {self.n_items:,} items, "
            f"{len(self.items):,} purchases, longest {longest:,})"
        )


def build_sequences(purchases: pd.DataFrame, users: pd.Index, items: pd.Index) -> PurchaseSequences:
    """Each customer's purchases in time order, on the rows and columns of an interaction matrix.

    One entry per customer, invoice and item; entries are ordered by timestamp, and within an invoice
    by the order of its lines. Lines of customers or items outside the encoders are dropped.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``item_id``, ``invoice_id``, ``timestamp``).
    users, items
        The encoders of the matrix the sequences go with (``InteractionMatrix.users`` / ``.items``).

    Returns
    -------
    PurchaseSequences

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "a"], "item_id": ["x", "y", "x", "x"],
    ...     "invoice_id": ["2", "2", "3", "1"],
    ...     "timestamp": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-01", "2024-01-01"])})
    >>> sequences = build_sequences(lines, pd.Index(["a", "b"]), pd.Index(["x", "y"]))
    >>> sequences.row(0).tolist(), sequences.row(1).tolist()
    ([0, 0, 1], [0])
    """
    require_transactions(purchases, "purchases", _LINE_COLUMNS, allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["customer_id", "item_id", "timestamp"], "purchases", "clean the lines first")
    for name, encoder in (("users", users), ("items", items)):
        require_instance(encoder, pd.Index, name)
        require_unique(encoder, name)
    rows = users.get_indexer(purchases["customer_id"])
    cols = items.get_indexer(purchases["item_id"])
    lines = pd.DataFrame(
        {
            "row": rows,
            "col": cols,
            "invoice": purchases["invoice_id"].to_numpy(),
            "time": purchases["timestamp"].to_numpy(),
            "line": np.arange(len(purchases)),
        }
    )
    lines = lines[(lines["row"] >= 0) & (lines["col"] >= 0)].drop_duplicates(["row", "invoice", "col"])
    lines = lines.sort_values(["row", "time", "line"], kind="stable")
    counts = np.bincount(lines["row"].to_numpy(), minlength=len(users))
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return PurchaseSequences(indptr=indptr, items=lines["col"].to_numpy(dtype=np.int64), n_items=len(items))


def split_sequences(split: Split) -> PurchaseSequences:
    """The training purchases of a temporal ``split`` in order, on ``split.train.matrix``'s rows and columns.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> split_sequences(split).n_users == split.train.shape[0]
    True
    """
    require_instance(split, Split, "split")
    if split.train_purchases.empty:
        raise ValueError("split has no train_purchases (a random_split?): sequences need dated purchases")
    return build_sequences(split.train_purchases, split.train.users, split.train.items)
