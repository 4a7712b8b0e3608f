"""Implicit-feedback matrix factorisation (ALS) solved by conjugate gradient."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from shopai_lab._validation import (
    require_bool,
    require_number,
    require_positive_int,
    require_seed,
)
from shopai_lab.recommend.base import Recommender


def _rowwise_dots(
    V: np.ndarray, rows: np.ndarray, Y: np.ndarray, cols: np.ndarray, out: np.ndarray, block: int
) -> np.ndarray:
    """``out[k] = V[rows[k]] . Y[cols[k]]`` for every non-zero k, in cache-sized blocks of ``block`` non-zeros.

    The sampled product ``(V Y')`` at the observed cells, without the ``nnz x f``
    temporaries: each block's gathered rows stay in the CPU cache. Each dot product is
    the same ``einsum`` over the factors as on the whole array, so the values do not
    depend on ``block``.

    Examples
    --------
    >>> V, Y = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[3.0, 1.0], [1.0, 1.0]])
    >>> _rowwise_dots(V, np.array([0, 0, 1]), Y, np.array([0, 1, 1]), np.empty(3), block=2)
    array([5., 3., 1.])
    """
    gathered_v = np.empty((min(block, len(rows)), V.shape[1]))
    gathered_y = np.empty_like(gathered_v)
    for lo in range(0, len(rows), block):
        hi = min(lo + block, len(rows))
        gv, gy = gathered_v[: hi - lo], gathered_y[: hi - lo]
        # mode="clip" lets take write into the buffer (mode="raise" copies first); the indices are in range.
        V.take(rows[lo:hi], axis=0, out=gv, mode="clip")
        Y.take(cols[lo:hi], axis=0, out=gy, mode="clip")
        np.einsum("ij,ij->i", gv, gy, out=out[lo:hi])
    return out


def _cg_chunk(
    cm1: sp.csr_matrix,
    Y: np.ndarray,
    YtY: np.ndarray,
    x: np.ndarray,
    dots: np.ndarray,
    steps: int,
    block: int,
    fresh: bool,
) -> None:
    """``steps`` conjugate-gradient steps for the rows of one chunk, updating ``x`` and ``dots`` in place.

    Solves ``(YtY + Y' diag(cm1_u) Y) x_u = Y' (1 + cm1_u)`` for every row u of ``cm1``,
    warm-started from ``x``, where ``YtY`` already holds the penalty (``Y'Y + reg I``).
    ``dots`` holds ``x_u . y_i`` at the chunk's cells (computed first when ``fresh``);
    it is kept up to date as ``x`` moves along the search directions
    (``x . y + step p . y``), so the next half-step's first product needs no pass over
    the factors. The right-hand side is fused into the first residual:
    ``r = Y' (1 + cm1 - cm1 * dots) - x YtY``.
    """
    rows = np.repeat(np.arange(cm1.shape[0]), np.diff(cm1.indptr))
    cols = cm1.indices.astype(np.intp)
    weighted = cm1.copy()  # same sparsity; its values are refilled on every product
    ap, tmp, p_dots = np.empty_like(x), np.empty_like(x), np.empty_like(dots)
    if fresh:
        _rowwise_dots(x, rows, Y, cols, dots, block)
    np.subtract(cm1.data + 1.0, cm1.data * dots, out=weighted.data)
    r = weighted @ Y
    r -= np.matmul(x, YtY, out=ap)
    p = r.copy()
    rs_old = np.einsum("ij,ij->i", r, r)
    for _ in range(steps):
        # ap = p (YtY + reg I) + Y' diag(cm1 * (p Y')) Y
        np.multiply(_rowwise_dots(p, rows, Y, cols, p_dots, block), cm1.data, out=weighted.data)
        np.add(np.matmul(p, YtY, out=ap), weighted @ Y, out=ap)
        denom = np.einsum("ij,ij->i", p, ap)
        step = np.where(denom > 0, rs_old / np.where(denom > 0, denom, 1.0), 0.0)
        x += np.multiply(step[:, None], p, out=tmp)
        dots += np.multiply(step[rows], p_dots, out=p_dots)
        r -= np.multiply(step[:, None], ap, out=tmp)
        rs_new = np.einsum("ij,ij->i", r, r)
        p *= np.where(rs_old > 0, rs_new / np.where(rs_old > 0, rs_old, 1.0), 0.0)[:, None]
        p += r
        rs_old = rs_new


def _conjugate_gradient(
    Cm1: sp.csr_matrix,
    Y: np.ndarray,
    YtY: np.ndarray,
    X0: np.ndarray,
    regularization: float,
    steps: int,
    dots: np.ndarray | None = None,
    chunk: int = 512,
    n_threads: int | None = None,
    block: int = 512,
) -> tuple[np.ndarray, np.ndarray]:
    """A few conjugate-gradient steps on ``(YtY + Y' (C_u - I) Y + reg I) x_u = Y' C_u p_u`` for every row u.

    ``Cm1`` holds ``c_ui - 1 = alpha r_ui`` at the observed cells (there ``p_ui = 1``).
    ``dots``, if given, holds ``x_u . y_i`` at the cells of ``Cm1`` in its order (the
    previous half-step's output). Returns the new factors and the same products at
    them. All rows are solved together, in chunks of ``chunk`` rows that run on
    ``n_threads`` threads (numpy releases the GIL in the heavy operations). The chunks
    do not depend on the thread count, so neither do the results: each row's
    arithmetic is the same whichever thread runs its chunk. The products with
    ``Y' (C_u - I) Y`` go through the observed cells only, in blocks of ``block``
    non-zeros (:func:`_rowwise_dots`), then a sparse product.
    """
    X = np.array(X0, dtype=np.float64)  # a copy; the solver works in double precision
    Cm1, Y = Cm1.astype(np.float64, copy=False), np.asarray(Y, dtype=np.float64)
    YtY = YtY + regularization * np.eye(YtY.shape[0])
    out = np.empty(Cm1.nnz) if dots is None else dots.copy()
    n_rows = X.shape[0]
    n_threads = max(1, int(n_threads or os.cpu_count() or 1))
    bounds = [(lo, min(lo + chunk, n_rows)) for lo in range(0, n_rows, chunk)]

    def solve(lo: int, hi: int) -> None:
        cells = out[Cm1.indptr[lo] : Cm1.indptr[hi]]
        _cg_chunk(Cm1[lo:hi], Y, YtY, X[lo:hi], cells, steps, block, dots is None)

    if len(bounds) == 1 or n_threads == 1:
        for lo, hi in bounds:
            solve(lo, hi)
    else:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            list(pool.map(lambda b: solve(*b), bounds))
    return X, out


def _transpose_order(X: sp.csr_matrix) -> np.ndarray:
    """Positions such that ``X.T.tocsr().data == X.data[_transpose_order(X)]``.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> _transpose_order(X), X.T.tocsr().data
    (array([1, 0, 2]), array([2., 1., 3.]))
    """
    positions = sp.csr_matrix((np.arange(X.nnz, dtype=np.int64), X.indices, X.indptr), shape=X.shape)
    return positions.T.tocsr().data.astype(np.intp)


class ALS(Recommender):
    """Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008), solved by conjugate gradient.

    Minimises ``sum_ui c_ui (p_ui - x_u . y_i)^2 + reg (|x_u|^2 + |y_i|^2)`` over all
    cells, with preference ``p_ui = 1`` where ``r_ui > 0`` (else 0) and confidence
    ``c_ui = 1 + alpha r_ui``. Each half-step updates all user (item) factors by
    ``cg_steps`` conjugate-gradient steps warm-started from the previous factors
    (Takacs, Pilaszy & Tikk 2011), vectorised over rows; the dense ``Y'Y`` trick
    keeps the cost proportional to the non-zeros. The products ``x_u . y_i`` at the
    observed cells are formed in cache-sized blocks and carried from one half-step to
    the next (the previous solve already knows them), so a half-step makes ``cg_steps``
    passes over the non-zeros' factors, not ``cg_steps + 1``.

    Parameters
    ----------
    factors, regularization, alpha, iterations, cg_steps
        Model size, L2 penalty, confidence scale, ALS sweeps, CG steps per sweep.
    random_state
        Seed of the initial factors (normal, scale 0.01).
    progress
        Progress bar over iterations.

    Attributes
    ----------
    user_factors_, item_factors_ : numpy.ndarray
        ``(n_users, factors)`` and ``(n_items, factors)``, float64. The solver works in double
        precision: in single precision the rounding differences between CPUs' BLAS kernels grew
        over the sweeps to visible differences in scores (up to 2e-3), enough to change a
        downstream model trained on them.
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    >>> ALS(factors=2, iterations=5, random_state=0, progress=False).fit(X).user_factors_.shape
    (3, 2)
    """

    def __init__(
        self,
        *,
        factors: int = 64,
        regularization: float = 0.01,
        alpha: float = 1.0,
        iterations: int = 15,
        cg_steps: int = 3,
        random_state: int | None = 0,
        progress: bool = True,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.cg_steps = cg_steps
        self.random_state = random_state
        self.progress = progress

    def _check_params(self) -> None:
        for name in ("factors", "iterations", "cg_steps"):
            require_positive_int(getattr(self, name), name)
        require_number(self.regularization, "regularization", low=0)
        require_number(self.alpha, "alpha", low=0, low_inclusive=False)
        require_seed(self.random_state, "random_state")
        require_bool(self.progress, "progress")

    def fit(self, X) -> ALS:
        """Alternate conjugate-gradient updates of user and item factors on ``X``; returns ``self``."""
        self._check_params()
        start = time.perf_counter()
        X = self._fit_common(X)
        rng = np.random.default_rng(self.random_state)
        f = int(self.factors)
        users = rng.standard_normal((self.n_users_, f)) * 0.01
        items = rng.standard_normal((self.n_items_, f)) * 0.01
        Cm1 = X.astype(np.float64)  # a copy
        Cm1.data = self.alpha * Cm1.data
        Cm1_T, to_items = Cm1.T.tocsr(), _transpose_order(Cm1)
        to_users = np.empty_like(to_items)
        to_users[to_items] = np.arange(len(to_items))
        reg, steps, dots = float(self.regularization), int(self.cg_steps), None
        # The CG workers run one per core; one BLAS thread each avoids oversubscription.
        with threadpool_limits(1, user_api="blas"):
            for _ in tqdm(range(int(self.iterations)), disable=not self.progress, desc="ALS"):
                users, dots = _conjugate_gradient(Cm1, items, items.T @ items, users, reg, steps, dots)
                items, dots = _conjugate_gradient(Cm1_T, users, users.T @ users, items, reg, steps, dots[to_items])
                dots = dots[to_users]
        self.user_factors_, self.item_factors_ = users, items
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def loss(self) -> float:
        """The weighted squared loss plus penalty at the fitted factors (for checks; dense in items)."""
        self._check_fitted()
        prediction = self.user_factors_ @ self.item_factors_.T
        P = (self.X_ > 0).toarray().astype(np.float64)
        C = 1.0 + self.alpha * self.X_.toarray()
        penalty = self.regularization * ((self.user_factors_**2).sum() + (self.item_factors_**2).sum())
        return float((C * (P - prediction) ** 2).sum() + penalty)

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return self.user_factors_[users] @ self.item_factors_.T
