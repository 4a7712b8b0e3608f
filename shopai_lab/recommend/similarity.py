"""Cosine similarity, the one way: between items (columns of a matrix), users, or a handful of items.

Every cosine in :mod:`shopai_lab.recommend` comes from :func:`cosine_rows`:
``sim(a, b) = <a, b> / (|a| |b| + shrinkage)``, 0 where a vector is all zeros.
Item-kNN and content-kNN use :func:`cosine_item_similarity` (blocked, each row
pruned to its nearest neighbours), user-kNN uses :func:`cosine_rows` on
customers' rows, and diversity (re-ranking and the intra-list metric) uses
:class:`ItemVectors` for the few items of a list.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from shopai_lab._validation import require_number, require_positive_int
from shopai_lab.ranking import quantize

__all__ = ["ItemVectors", "cosine_item_similarity", "cosine_rows", "knn_prune"]


def knn_prune(similarity: sp.csr_matrix, n_neighbors: int) -> sp.csr_matrix:
    """Keep the ``n_neighbors`` largest entries of each row of a CSR matrix (a new matrix).

    Among entries tied at the boundary (after :func:`shopai_lab.ranking.quantize` per row, so that
    last-bit noise cannot untie them), the lower column index is kept: the neighbourhood does not
    depend on the CPU's sorting kernel.

    Examples
    --------
    >>> S = sp.csr_matrix(np.array([[0.0, 0.9, 0.2, 0.5]]))
    >>> knn_prune(S, 2).toarray().tolist()
    [[0.0, 0.9, 0.0, 0.5]]
    >>> knn_prune(sp.csr_matrix(np.array([[0.5, 0.9, 0.5, 0.5]])), 2).toarray().tolist()
    [[0.5, 0.9, 0.0, 0.0]]
    """
    n_neighbors = require_positive_int(n_neighbors, "n_neighbors")
    similarity = sp.csr_matrix(similarity, copy=True)  # sorting indices must not touch the caller's matrix
    similarity.sort_indices()
    indptr, indices, data = similarity.indptr, similarity.indices, similarity.data
    keep = np.zeros(len(data), dtype=bool)
    lengths = np.diff(indptr)
    for row in np.flatnonzero(lengths > 0):
        start, stop = indptr[row], indptr[row + 1]
        if stop - start <= n_neighbors:
            keep[start:stop] = True
        else:
            values = quantize(data[start:stop])
            # sorted indices: position order is column order, so a stable sort keeps the lower column first
            top = np.argsort(-values, kind="stable")[:n_neighbors]
            keep[start + top] = True
    pruned = sp.csr_matrix((np.where(keep, data, 0.0), indices.copy(), indptr.copy()), shape=similarity.shape)
    pruned.eliminate_zeros()
    return pruned


def cosine_rows(
    left: sp.csr_matrix,
    right_t,
    left_norms: np.ndarray,
    right_norms: np.ndarray,
    shrinkage: float = 0.0,
    self_rows: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Cosine between the rows of ``left`` and the columns of ``right_t``, sparse (the house formula).

    Parameters
    ----------
    left
        ``(n, d)`` sparse rows.
    right_t
        ``(d, m)`` sparse matrix whose columns are the other vectors.
    left_norms, right_norms
        Euclidean norms of the ``n`` rows and ``m`` columns.
    shrinkage
        Added to the product of norms: discounts similarities resting on little overlap.
    self_rows
        Optional column position of each row of ``left``; ``sim(row, self_rows[row])`` is set to 0
        (an item is not its own neighbour).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(n, m)``, explicit zeros removed; its dtype follows the inputs'.

    Examples
    --------
    >>> V = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 1.0]]))
    >>> norms = np.sqrt(np.asarray(V.multiply(V).sum(axis=1)).ravel())
    >>> cosine_rows(V, V.T.tocsr(), norms, norms, self_rows=np.arange(2)).toarray().round(4).tolist()
    [[0.0, 0.7071], [0.7071, 0.0]]
    """
    dots = (left @ right_t).tocsr().tocoo()
    denom = left_norms[dots.row] * right_norms[dots.col] + shrinkage
    values = np.where(denom > 0, dots.data / np.where(denom > 0, denom, 1.0), 0.0)
    if self_rows is not None:
        values[self_rows[dots.row] == dots.col] = 0.0
    result = sp.csr_matrix((values, (dots.row, dots.col)), shape=(left.shape[0], right_t.shape[1]))
    result.eliminate_zeros()
    return result


def _column_norms(X: sp.spmatrix) -> np.ndarray:
    return np.sqrt(np.asarray(X.multiply(X).sum(axis=0)).ravel())


def cosine_item_similarity(
    X,
    n_neighbors: int = 100,
    shrinkage: float = 0.0,
    *,
    block_size: int = 2_000,
    progress: bool = False,
    dtype=np.float32,
) -> sp.csr_matrix:
    """Item x item cosine similarity of the columns of ``X``, top-``n_neighbors`` per row, sparse.

    ``sim(i, j) = <x_i, x_j> / (|x_i| |x_j| + shrinkage)``, the diagonal set to 0.
    Computed in blocks of items so memory stays bounded by the block's products.

    Parameters
    ----------
    X
        Sparse matrix with one column per item: purchases (customers x items) or
        text features (terms x items), non-negative.
    n_neighbors
        Entries kept per row.
    shrinkage
        ``>= 0``; see the formula.
    block_size
        Items per block.
    progress
        Progress bar over blocks.
    dtype
        Precision of the computation (``numpy.float32`` for purchases, ``numpy.float64`` for text).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(n_items, n_items)`` of ``dtype``; row ``i``: how much item ``i`` suggests each item.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    >>> cosine_item_similarity(X, n_neighbors=1).toarray().round(3)
    array([[0.   , 0.816, 0.   ],
           [0.816, 0.   , 0.   ],
           [0.577, 0.   , 0.   ]], dtype=float32)
    """
    from shopai_lab.recommend.base import check_interactions

    n_neighbors = require_positive_int(n_neighbors, "n_neighbors")
    require_number(shrinkage, "shrinkage", low=0)
    block_size = require_positive_int(block_size, "block_size")
    X = sp.csc_matrix(check_interactions(X, dtype=dtype), dtype=dtype)
    norms = _column_norms(X)
    XT = X.T.tocsr()
    blocks = []
    n_items = X.shape[1]
    for start in tqdm(range(0, n_items, block_size), disable=not progress, desc="item similarity"):
        stop = min(start + block_size, n_items)
        block = cosine_rows(XT[start:stop], X, norms[start:stop], norms, shrinkage, self_rows=np.arange(start, stop))
        blocks.append(knn_prune(block.astype(dtype), n_neighbors))
    return sp.vstack(blocks).tocsr()


class ItemVectors:
    """Items' purchase columns, ready for cosine similarities among a few items at a time.

    Parameters
    ----------
    X
        Customers x items matrix.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float))
    >>> ItemVectors(X).similarity([0, 1, 2]).round(6).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """

    def __init__(self, X) -> None:
        columns = sp.csc_matrix(X, dtype=np.float64)
        self.rows = columns.T.tocsr()
        self.norms = _column_norms(columns)

    def similarity(self, items) -> np.ndarray:
        """Dense ``(len(items), len(items))`` cosine matrix of ``items`` (diagonal 1 for bought items)."""
        items = np.asarray(items, dtype=np.int64)
        rows = self.rows[items]
        norms = self.norms[items]
        return cosine_rows(rows, rows.T.tocsr(), norms, norms).toarray()
