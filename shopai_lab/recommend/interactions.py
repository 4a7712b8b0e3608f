"""Sparse customer x item matrices and the house evaluation split.

A recommender sees purchases as a ``scipy.sparse.csr_matrix`` with one row per
customer and one column per item, with two encoders (``pandas.Index``) to go
between ids and positions. Never a dense pivot: at 200,000 customers and 20,000
items a dense float matrix needs 32 GB, the sparse one a few tens of MB.

Weightings (``weighting=``):

``"binary"``
    1 when the customer bought the item at least once.
``"count"``
    number of distinct invoices with the item.
``"log_quantity"``
    ``log1p`` of the units bought (dampens bulk orders).
``"recency"``
    sum over the customer's invoices with the item of ``0.5 ** (age / half_life_days)``,
    age measured back from the last purchase in the data: recent purchases weigh more.

The house protocol (design document): purchases only; the last ``test_days``
days are the test period; evaluated users bought in train and bought at least
one train-catalogue item in test that they had not bought in train; candidates
are all train items the user has not bought; the truth is those novel test items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from shopai_lab._validation import (
    require_instance,
    require_no_missing,
    require_number,
    require_one_of,
    require_positive_int,
    require_seed,
    require_transactions,
    require_unique,
)
from shopai_lab.schema import midnight_after

WEIGHTINGS = ("binary", "count", "log_quantity", "recency")


_LINE_COLUMNS = ("customer_id", "item_id", "invoice_id", "quantity", "timestamp")


@dataclass(frozen=True)
class InteractionMatrix:
    """A customer x item CSR matrix with its id encoders.

    Attributes
    ----------
    matrix
        ``scipy.sparse.csr_matrix`` of shape ``(len(users), len(items))``, float32.
    users, items
        ``pandas.Index`` of customer and item ids; position = row / column.
    """

    matrix: sp.csr_matrix
    users: pd.Index
    items: pd.Index

    @property
    def shape(self) -> tuple[int, int]:
        """``(customers, items)``."""
        return self.matrix.shape

    @property
    def nbytes(self) -> int:
        """Memory of the CSR arrays (values, column indices, row pointers), in bytes."""
        return self.matrix.data.nbytes + self.matrix.indices.nbytes + self.matrix.indptr.nbytes

    @property
    def dense_nbytes(self) -> int:
        """Memory a dense float64 pivot of the same shape would need, in bytes."""
        return self.shape[0] * self.shape[1] * 8

    def user_index(self, ids) -> np.ndarray:
        """Row positions of customer ids; ``ValueError`` naming the unknown ones."""
        positions = self.users.get_indexer(pd.Index(np.atleast_1d(ids)))
        if (positions < 0).any():
            unknown = np.atleast_1d(ids)[positions < 0][:5].tolist()
            raise ValueError(f"unknown customer id(s) {unknown}: not in the matrix")
        return positions

    def __repr__(self) -> str:
        n_users, n_items = self.shape
        density = self.matrix.nnz / max(n_users * n_items, 1)
        return (
            f"InteractionMatrix({n_users:,} customers x {n_items:,} items, "
            f"{self.matrix.nnz:,} non-zeros, density {density:.3%})"
        )


def _cell_values(lines: pd.DataFrame, weighting: str, half_life_days: float) -> pd.DataFrame:
    """One ``row``, ``col``, ``value`` per customer-item cell of encoded lines, under ``weighting``."""
    if weighting == "binary":
        return lines[["row", "col"]].drop_duplicates().assign(value=1.0)
    if weighting == "count":
        cells = lines.drop_duplicates(["row", "col", "invoice"]).groupby(["row", "col"]).size()
        return cells.rename("value").reset_index()
    if weighting == "log_quantity":
        return lines.groupby(["row", "col"])["quantity"].sum().apply(np.log1p).rename("value").reset_index()
    invoices = lines.drop_duplicates(["row", "col", "invoice"])
    age = (invoices["timestamp"].max() - invoices["timestamp"]) / pd.Timedelta(days=1)
    cells = invoices.assign(value=0.5 ** (age / half_life_days)).groupby(["row", "col"])["value"].sum()
    return cells.reset_index()


def build_interactions(
    purchases: pd.DataFrame,
    weighting: str = "binary",
    half_life_days: float = 90.0,
    users: pd.Index | None = None,
    items: pd.Index | None = None,
) -> InteractionMatrix:
    """Build the customer x item matrix of ``purchases``.

    Parameters
    ----------
    purchases
        Clean purchase lines (``customer_id``, ``item_id``, ``invoice_id``,
        ``quantity``, ``timestamp``).
    weighting
        One of :data:`WEIGHTINGS` (see the module docstring).
    half_life_days
        Half-life of the ``"recency"`` weighting.
    users, items
        Fixed encoders; lines of other customers or items are dropped. By
        default, the sorted distinct ids of ``purchases``.

    Returns
    -------
    InteractionMatrix

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b"], "item_id": ["x", "y", "x"],
    ...     "invoice_id": ["1", "1", "2"], "quantity": [1, 3, 2],
    ...     "timestamp": pd.to_datetime(["2024-01-01"] * 3)})
    >>> build_interactions(lines).matrix.toarray().tolist()
    [[1.0, 1.0], [1.0, 0.0]]
    """
    require_transactions(purchases, "purchases", _LINE_COLUMNS, allow_empty=False, allow_nan=False)
    require_one_of(weighting, "weighting", WEIGHTINGS)
    half_life_days = require_number(half_life_days, "half_life_days", low=0, low_inclusive=False)
    require_no_missing(purchases, ["customer_id", "item_id", "timestamp"], "purchases", "clean the lines first")
    if (purchases["quantity"] <= 0).any():
        raise ValueError("purchases has quantities <= 0; interactions are built from clean purchases")
    for name, encoder in (("users", users), ("items", items)):
        if encoder is not None:
            require_unique(encoder, name)
    users = pd.Index(np.sort(purchases["customer_id"].unique())) if users is None else pd.Index(users)
    items = pd.Index(np.sort(purchases["item_id"].unique())) if items is None else pd.Index(items)
    rows = users.get_indexer(purchases["customer_id"])
    cols = items.get_indexer(purchases["item_id"])
    keep = (rows >= 0) & (cols >= 0)
    lines = pd.DataFrame(
        {
            "row": rows[keep],
            "col": cols[keep],
            "invoice": purchases["invoice_id"].to_numpy()[keep],
            "quantity": purchases["quantity"].to_numpy(dtype=float)[keep],
            "timestamp": purchases["timestamp"].to_numpy()[keep],
        }
    )
    cells = _cell_values(lines, weighting, half_life_days)
    matrix = sp.csr_matrix(
        (cells["value"].to_numpy(dtype=np.float32), (cells["row"].to_numpy(), cells["col"].to_numpy())),
        shape=(len(users), len(items)),
    )
    matrix.sort_indices()
    return InteractionMatrix(matrix=matrix, users=users, items=items)


@dataclass(frozen=True)
class Split:
    """A temporal train/test split under the house protocol.

    Attributes
    ----------
    train
        Interactions before the cutoff (rows: every customer with a train
        purchase; columns: the train catalogue).
    truth
        CSR matrix like ``train.matrix``: 1 for each novel train-catalogue item
        a customer bought in the test period.
    eval_users
        Row positions of the evaluated customers (those with at least one truth item).
    cutoff
        First instant of the test period.
    train_purchases, test_purchases
        The purchase lines on each side of the cutoff.
    """

    train: InteractionMatrix
    truth: sp.csr_matrix
    eval_users: np.ndarray
    cutoff: pd.Timestamp
    train_purchases: pd.DataFrame
    test_purchases: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"Split(cutoff={self.cutoff.date()}, train={self.train!r}, eval_users={len(self.eval_users):,}, "
            f"truth items={self.truth.nnz:,})"
        )


def temporal_split(
    purchases: pd.DataFrame, test_days: int = 60, weighting: str = "binary", half_life_days: float = 90.0
) -> Split:
    """The house protocol: the last ``test_days`` days are test; novel items of warm users are the truth.

    The cutoff is midnight ``test_days`` days before the day after the last
    purchase. Call it again on ``split.train_purchases`` for a validation split
    cut the same way inside train (for tuning).

    Raises
    ------
    ValueError
        When ``test_days`` is not a positive integer, or when either side of
        the cutoff is empty or no customer qualifies for evaluation.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> split = temporal_split(random_transactions(20_000, n_customers=500, n_items=300, random_state=0), 60)
    >>> split.truth.shape == split.train.shape
    True
    """
    require_transactions(purchases, "purchases", _LINE_COLUMNS, allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["timestamp"], "purchases")
    test_days = require_positive_int(test_days, "test_days")
    require_one_of(weighting, "weighting", WEIGHTINGS)
    require_number(half_life_days, "half_life_days", low=0, low_inclusive=False)
    cutoff = midnight_after(purchases["timestamp"]) - pd.Timedelta(days=test_days)
    before = (purchases["timestamp"] < cutoff).to_numpy()
    train_lines, test_lines = purchases[before], purchases[~before]
    if len(train_lines) == 0 or len(test_lines) == 0:
        raise ValueError(
            f"test_days={test_days} leaves an empty {'train' if len(train_lines) == 0 else 'test'} period "
            f"(data from {purchases['timestamp'].min().date()} to {purchases['timestamp'].max().date()})"
        )
    train = build_interactions(train_lines, weighting=weighting, half_life_days=half_life_days)
    test = build_interactions(test_lines, weighting="binary", users=train.users, items=train.items)
    seen = train.matrix.copy()
    seen.data[:] = 1.0
    truth = test.matrix - test.matrix.multiply(seen)  # novel items only
    truth.eliminate_zeros()
    truth = sp.csr_matrix(truth, dtype=np.float32)
    eval_users = np.flatnonzero(np.diff(truth.indptr) > 0)
    if len(eval_users) == 0:
        raise ValueError("no customer bought a novel train-catalogue item in the test period: nothing to evaluate")
    return Split(
        train=train,
        truth=truth,
        eval_users=eval_users,
        cutoff=cutoff,
        train_purchases=train_lines.reset_index(drop=True),
        test_purchases=test_lines.reset_index(drop=True),
    )


def random_split(interactions: InteractionMatrix, test_share: float = 0.2, random_state=0) -> Split:
    """A random holdout of customer-item cells: **only to demonstrate leakage**.

    It hides a random ``test_share`` of each customer's cells and asks the
    model to find them. Because cells are hidden at random in time, the model
    trains on purchases made *after* the ones it must predict, which a real
    recommender never can; scores come out higher than under the temporal
    house protocol. Use :func:`temporal_split` for real evaluation.

    Parameters
    ----------
    interactions
        From :func:`build_interactions`.
    test_share
        Share of each customer's cells hidden, in (0, 1).
    random_state
        Seed (or ``numpy.random.Generator``) of the cells hidden.

    Returns
    -------
    Split
        With ``cutoff`` ``NaT`` and empty purchase frames.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> matrix = InteractionMatrix(sp.csr_matrix(np.ones((4, 5), dtype=np.float32)),
    ...                            pd.Index(list("abcd")), pd.Index(list("vwxyz")))
    >>> split = random_split(matrix, test_share=0.4, random_state=0)
    >>> int(split.train.matrix.nnz + split.truth.nnz)
    20
    """
    require_instance(interactions, InteractionMatrix, "interactions")
    require_number(test_share, "test_share", low=0, high=1, low_inclusive=False, high_inclusive=False)
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)
    coo = interactions.matrix.tocoo()
    hidden = rng.random(coo.nnz) < test_share
    shape = interactions.shape
    train = sp.csr_matrix((coo.data[~hidden], (coo.row[~hidden], coo.col[~hidden])), shape=shape)
    truth = sp.csr_matrix((np.ones(hidden.sum(), np.float32), (coo.row[hidden], coo.col[hidden])), shape=shape)
    has_train = np.diff(train.indptr) > 0
    eval_users = np.flatnonzero((np.diff(truth.indptr) > 0) & has_train)
    empty = pd.DataFrame()
    return Split(
        train=InteractionMatrix(train, interactions.users, interactions.items),
        truth=truth,
        eval_users=eval_users,
        cutoff=pd.NaT,
        train_purchases=empty,
        test_purchases=empty,
    )


def require_half_life(value, name: str) -> float:
    """A half-life in days: a number ``> 0``, or ``numpy.inf`` (no decay); ValueError/TypeError naming ``name``."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and value == np.inf:
        return float(value)
    return require_number(value, name, low=0, low_inclusive=False)


def recency_interactions(
    purchases: pd.DataFrame,
    half_life_days: float,
    users: pd.Index | None = None,
    items: pd.Index | None = None,
    reference: pd.Timestamp | None = None,
) -> InteractionMatrix:
    """Purchases weighted by recency: each customer-item cell is ``0.5 ** (age / half_life_days)``.

    The age (days) is that of the customer's **latest** purchase of the item, measured back from
    ``reference`` (by default the last purchase in ``purchases``). A purchase one half-life old weighs
    0.5; ``half_life_days=numpy.inf`` gives every cell weight 1, the ``"binary"`` matrix of
    :func:`build_interactions` (same cells, same encoders). Unlike the ``"recency"`` weighting, which
    *sums* every invoice's decayed weight (a trending signal), repeat purchases do not add up: the
    matrix says what a customer bought and how long ago, the input a co-purchase model such as EASE
    needs to let recent baskets speak louder (the half-life is tuned on validation:
    :func:`shopai_lab.recommend.pipeline.tune_recency`).

    Parameters
    ----------
    purchases
        Clean purchase lines, as for :func:`build_interactions`.
    half_life_days
        ``> 0`` days; ``numpy.inf`` for no decay.
    users, items
        Fixed encoders (e.g. a split's ``train.users`` and ``train.items``); default the sorted ids.
    reference
        The instant ages are measured from; it must not precede the last purchase.

    Returns
    -------
    InteractionMatrix

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b"], "item_id": ["x", "y", "x"],
    ...     "invoice_id": ["1", "2", "3"], "quantity": [1, 1, 1],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-31"])})
    >>> recency_interactions(lines, half_life_days=30).matrix.toarray().tolist()
    [[0.5, 1.0], [1.0, 0.0]]
    """
    half_life_days = require_half_life(half_life_days, "half_life_days")
    binary = build_interactions(purchases, "binary", users=users, items=items)
    last = purchases["timestamp"].max()
    reference = last if reference is None else pd.Timestamp(reference)
    if pd.isna(reference) or reference < last:
        raise ValueError(f"reference ({reference}) must not precede the last purchase ({last})")
    if np.isinf(half_life_days):
        return binary
    rows = binary.users.get_indexer(purchases["customer_id"])
    cols = binary.items.get_indexer(purchases["item_id"])
    keep = (rows >= 0) & (cols >= 0)
    cells = (
        pd.DataFrame({"row": rows[keep], "col": cols[keep], "stamp": purchases["timestamp"].to_numpy()[keep]})
        .groupby(["row", "col"], sort=True)["stamp"]
        .max()
    )
    age = (reference - pd.DatetimeIndex(cells.to_numpy())) / pd.Timedelta(days=1)
    weights = 0.5 ** (np.asarray(age, dtype=np.float64) / half_life_days)
    matrix = sp.csr_matrix(
        (weights.astype(np.float32), (cells.index.get_level_values(0), cells.index.get_level_values(1))),
        shape=binary.shape,
    )
    matrix.sort_indices()
    return InteractionMatrix(matrix=matrix, users=binary.users, items=binary.items)
