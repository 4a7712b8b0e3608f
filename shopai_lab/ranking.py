"""Rankings that do not depend on the CPU: scores quantised before they are ordered.

Another processor computes other last digits: OpenBLAS picks a kernel per CPU (so a dot product sums
in another order), numpy picks SIMD loops per CPU (so ``log`` or ``exp`` may differ in the last bit),
and a thread count changes the order of sums. Two scores that are equal in exact arithmetic (two
products bought by the same customers, two invoices with the same basket) then come out a few units
in the last place apart, in an order that depends on the machine, and a top-k list, an argmax, a
threshold or a nearest-neighbour search flips. One flipped near-tie moves a ranking metric by far
more than any rounding tolerance could absorb.

The cure is to make the near-tie an exact tie, which then breaks by a documented rule (the lower
index first). :func:`quantize` rounds scores to a grid of ``2**-bits`` times the largest magnitude
(per row, or over the whole array): everything is done with exact floating-point operations (a power
of two scales exactly, ``rint`` is exact), so the grid itself does not depend on the CPU. With the
default 32 bits the grid is ``2.3e-10`` of the largest score: far finer than any difference a model
means, far coarser than float64 noise (``1e-16`` relative), so a value lands in another cell only
when it sits within its noise of a cell boundary (about one value in a million).

Every ordering that feeds a stored number goes through this module: :func:`top_k_rows` (recommendation
lists), :func:`descending_order` (review queues, targeting lists), :func:`argmax`/:func:`idxmax` (and the
min twins) for a choice among near-equal candidates (a tuned hyper-parameter, a chosen model, a
threshold), :func:`nearest_neighbors` for neighbour searches, and :func:`quantize` before a metric
that ranks (AUC, average precision).

The grid absorbs float64 noise. Scores rounded to float32 after a BLAS computation carry noise near
``1e-7`` relative, which it cannot absorb: keep such scores in float64, or make them deterministic (EASE's
float32 weights come from one inverse and are used through scipy's sparse products, which compute the
same on every CPU: measured bit-identical between the default and AVX2 arithmetic). ALS scores differ by
about ``1e-8`` relative between BLAS kernels (an unconverged conjugate-gradient solve): no list flipped on
the bundled data, but a float32 ALS would need a coarser grid or a converged solve.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "QUANTIZE_BITS",
    "argmax",
    "argmin",
    "descending_order",
    "idxmax",
    "idxmin",
    "nearest_neighbors",
    "quantize",
    "top_k_rows",
]

#: Bits of the grid relative to the largest magnitude: ``2**-32 = 2.3e-10``.
QUANTIZE_BITS = 32


def _as_float(values, name: str) -> np.ndarray:
    """A float64 copy of ``values``, or a TypeError naming ``name``."""
    try:
        return np.array(values, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numbers, got {type(values).__name__} ({exc})") from None


def quantize(values, bits: int = QUANTIZE_BITS, axis: int | None = None, scale: float | None = None) -> np.ndarray:
    """``values`` rounded to a grid of ``2**-bits`` times their largest magnitude (a new float64 array).

    The grid step is a power of two, ``2**(e - bits)`` where ``2**e`` bounds the largest finite
    magnitude (over ``axis``, or the whole array), so the rounding is exact arithmetic and gives the
    same result on every CPU. NaN and infinite values are kept as they are.

    Parameters
    ----------
    values
        Scores (any shape).
    bits
        Resolution relative to the largest magnitude, 8 to 52.
    axis
        Quantise each slice along ``axis`` against its own largest magnitude (``1``: per row of a
        users x items score matrix); ``None``: one grid for the whole array.
    scale
        A magnitude that bounds the values (e.g. the largest possible distance): one grid of
        ``2**-bits`` times it, the same whichever values are passed. Overrides ``axis``.

    Returns
    -------
    numpy.ndarray
        float64, same shape.

    Examples
    --------
    Two scores equal in exact arithmetic but a last bit apart become equal:

    >>> a = 0.1 + 0.2
    >>> b = 0.3
    >>> a == b, bool(quantize([a, 1.0])[0] == quantize([b, 1.0])[0])
    (False, True)
    >>> quantize([[3.0, 1.0 + 1e-12], [0.5, -0.25]], axis=1).tolist()
    [[3.0, 1.0], [0.5, -0.25]]
    """
    if isinstance(bits, bool) or not isinstance(bits, (int, np.integer)) or not 8 <= int(bits) <= 52:
        raise ValueError(f"bits must be an integer from 8 to 52, got {bits!r}")
    x = _as_float(values, "values")
    if x.size == 0:
        return x
    finite = np.isfinite(x)
    if scale is not None:
        largest = np.float64(scale)
        if not (np.isfinite(largest) and largest >= 0):
            raise ValueError(f"scale must be a finite number >= 0, got {scale!r}")
    else:
        magnitude = np.where(finite, np.abs(x), 0.0)
        largest = magnitude.max(axis=axis, keepdims=axis is not None)
    _, exponent = np.frexp(largest)  # largest = m * 2**exponent with 0.5 <= m < 1 (exponent 0 for 0)
    step = np.ldexp(1.0, exponent.astype(np.int64) - int(bits))
    with np.errstate(invalid="ignore"):
        rounded = np.rint(x / step) * step
    return np.where(finite, rounded, x)


def top_k_rows(scores, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` columns of each row, best first, stable to last-bit noise.

    Scores are quantised per row (:func:`quantize`), then ordered by score descending with ties
    broken by the lower column index. The returned scores are the quantised ones.

    Parameters
    ----------
    scores
        ``(n_rows, n_columns)`` float scores; ``-inf`` marks a column that must not be chosen.
    k
        List length, ``1 <= k <= n_columns``.

    Returns
    -------
    items, top_scores : numpy.ndarray
        ``(n_rows, k)`` column indices and their (quantised) scores.

    Examples
    --------
    >>> items, top = top_k_rows(np.array([[0.3, 0.1 + 0.2, 0.9, -np.inf]]), 3)
    >>> items.tolist()
    [[2, 0, 1]]
    """
    scores = _as_float(scores, "scores")
    if scores.ndim != 2:
        raise ValueError(f"scores must be a 2-D array of rows x columns, got shape {scores.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= scores.shape[1]:
        raise ValueError(f"k must be an integer between 1 and the number of columns ({scores.shape[1]}), got {k!r}")
    q = quantize(scores, axis=1)
    part = np.argpartition(-q, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(q, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    items = np.take_along_axis(part, order, axis=1)
    # argpartition keeps an arbitrary member of a tie at the k-th place (which one depends on the CPU's
    # sorting kernel): rows where the k-th score is shared with a column left out are sorted fully, so
    # the lower column index wins the tie.
    kth = np.take_along_axis(q, items[:, -1:], axis=1)
    tied = np.flatnonzero((q == kth).sum(axis=1) > (part_scores == kth).sum(axis=1))
    if tied.size:
        columns = np.broadcast_to(np.arange(q.shape[1]), (tied.size, q.shape[1]))
        items[tied] = np.lexsort((columns, -q[tied]), axis=1)[:, :k]
    return items, np.take_along_axis(q, items, axis=1)


def descending_order(scores) -> np.ndarray:
    """Positions of ``scores`` from highest to lowest, stable to last-bit noise (ties: lower position first).

    NaN scores go last.

    Examples
    --------
    >>> descending_order([0.2, 0.1 + 0.2, 0.3, np.nan]).tolist()
    [1, 2, 0, 3]
    """
    q = quantize(_as_float(scores, "scores").ravel())
    key = np.where(np.isnan(q), np.inf, -q)
    return np.argsort(key, kind="stable")


def nearest_neighbors(reference, n_neighbors: int, query=None, margin: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The ``n_neighbors`` nearest rows of ``reference`` (Euclidean) for each query row, stable to last-bit noise.

    A fast search (scikit-learn's brute force, whose distances come from a matrix product and so
    carry the BLAS kernel's rounding) proposes ``n_neighbors + margin`` candidates; their distances
    are then computed exactly as ``sqrt(sum((q - r)**2))``, quantised (:func:`quantize`) and ordered by
    (distance, row index). A query whose tie at the last place reaches past the candidates (many
    identical rows) is searched exhaustively, so which of several equidistant rows are neighbours
    never depends on the CPU: the lower row indices are.

    Parameters
    ----------
    reference
        ``(n, d)`` finite numbers.
    n_neighbors
        Neighbours per query row, ``1 <= n_neighbors < n`` (in-sample) or ``<= n``.
    query
        ``(m, d)`` rows to search for; ``None``: the rows of ``reference`` themselves, a row not
        being its own neighbour (an identical row at another index is).
    margin
        Extra candidates taken from the fast search before the exact ordering.

    Returns
    -------
    distances, indices : numpy.ndarray
        ``(m, n_neighbors)`` exact distances (nearest first) and row indices of ``reference``.

    Examples
    --------
    >>> R = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    >>> d, i = nearest_neighbors(R, 2)
    >>> i.tolist()
    [[1, 2], [0, 2], [0, 1], [1, 2]]
    """
    from sklearn.neighbors import NearestNeighbors

    R = np.asarray(reference, dtype=np.float64)
    in_sample = query is None
    Q = R if in_sample else np.asarray(query, dtype=np.float64)
    if R.ndim != 2 or Q.ndim != 2 or Q.shape[1] != R.shape[1]:
        raise ValueError(f"reference and query must be 2-D with the same columns, got {R.shape} and {Q.shape}")
    if not (np.isfinite(R).all() and np.isfinite(Q).all()):
        raise ValueError("reference and query must hold finite numbers only")
    available = len(R) - 1 if in_sample else len(R)
    if (
        isinstance(n_neighbors, bool)
        or not isinstance(n_neighbors, (int, np.integer))
        or not 1 <= n_neighbors <= available
    ):
        raise ValueError(f"n_neighbors must be an integer from 1 to {available}, got {n_neighbors!r}")
    k = int(n_neighbors)
    n_candidates = min(k + int(margin), available)
    search = NearestNeighbors(n_neighbors=n_candidates, algorithm="brute").fit(R)
    candidates = search.kneighbors(None if in_sample else Q, return_distance=False)
    # one grid for every distance: 2**-32 of the diameter of the data's bounding box (exact arithmetic)
    diameter = float(np.sqrt(((np.vstack([R, Q]).max(axis=0) - np.vstack([R, Q]).min(axis=0)) ** 2).sum()))
    exact = np.empty(candidates.shape)
    for start in range(0, len(Q), 4096):  # blocks bound the (rows, candidates, d) difference array
        rows = slice(start, start + 4096)
        exact[rows] = np.sqrt(((Q[rows, None, :] - R[candidates[rows]]) ** 2).sum(axis=2))
    key = quantize(exact, scale=diameter)
    order = np.lexsort((candidates, key), axis=1)
    candidates, exact, key = (np.take_along_axis(a, order, axis=1) for a in (candidates, exact, key))
    # a tie at the k-th place that reaches the last candidate may go on outside the candidates
    for row in np.flatnonzero((key[:, k - 1] == key[:, -1]) & (n_candidates < available)):
        d = np.sqrt(((R - Q[row]) ** 2).sum(axis=1))
        if in_sample:
            d[row] = np.inf
        best = np.lexsort((np.arange(len(R)), quantize(d, scale=diameter)))[:n_candidates]
        candidates[row], exact[row] = best, d[best]
    return exact[:, :k].copy(), candidates[:, :k].copy()


def argmax(values, axis: int | None = None):
    """``numpy.argmax`` of the quantised values: a near-tie is a tie, and the first position wins it.

    Examples
    --------
    >>> int(argmax([0.3, 0.1 + 0.2, 0.2]))
    0
    """
    q = quantize(values, axis=axis)
    return np.argmax(np.where(np.isnan(q), -np.inf, q), axis=axis)


def argmin(values, axis: int | None = None):
    """``numpy.argmin`` of the quantised values: a near-tie is a tie, and the first position wins it.

    Examples
    --------
    >>> int(argmin([0.1 + 0.2, 0.3, 0.4]))
    0
    """
    q = quantize(values, axis=axis)
    return np.argmin(np.where(np.isnan(q), np.inf, q), axis=axis)


def idxmax(series):
    """The label of a Series' largest value, a near-tie going to the first label (as ``Series.idxmax``).

    Examples
    --------
    >>> import pandas as pd
    >>> idxmax(pd.Series([0.3, 0.1 + 0.2], index=["a", "b"]))
    'a'
    """
    return series.index[int(argmax(series.to_numpy(dtype=float)))]


def idxmin(series):
    """The label of a Series' smallest value, a near-tie going to the first label (as ``Series.idxmin``).

    Examples
    --------
    >>> import pandas as pd
    >>> idxmin(pd.Series([0.1 + 0.2, 0.3], index=["a", "b"]))
    'a'
    """
    return series.index[int(argmin(series.to_numpy(dtype=float)))]
