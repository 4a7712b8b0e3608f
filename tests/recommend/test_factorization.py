"""The ALS solver against known answers and against the previous (slower) implementation.

``_reference_conjugate_gradient`` and ``_reference_als`` are the solver as it was before the speed-up
(issue 24: gathered ``nnz x f`` temporaries, one sampled product per CG product); they stay here, not in
the package, as the reference the faster solver must reproduce.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from shopai_lab import recommend
from shopai_lab.recommend import factorization


def _random_interactions(n_users=120, n_items=70, density=0.08, random_state=0):
    rng = np.random.default_rng(random_state)
    X = sp.random(n_users, n_items, density=density, random_state=rng, format="csr")
    X.data = np.ceil(X.data * 5)
    X.sort_indices()
    return X


def _reference_conjugate_gradient(Cm1, B, Y, YtY, X0, regularization, steps):
    """The previous solver, all rows at once (it was chunked and threaded; the arithmetic per row is this)."""
    rows = np.repeat(np.arange(Cm1.shape[0]), np.diff(Cm1.indptr))
    Yc = Y[Cm1.indices]
    weighted = Cm1.copy()

    def apply_a(V):
        np.multiply(np.einsum("ij,ij->i", V.take(rows, axis=0), Yc), Cm1.data, out=weighted.data)
        return V @ YtY + weighted @ Y + regularization * V

    x = X0.copy()
    r = (B @ Y) - apply_a(x)
    p = r.copy()
    rs_old = np.einsum("ij,ij->i", r, r)
    for _ in range(steps):
        ap = apply_a(p)
        denom = np.einsum("ij,ij->i", p, ap)
        step = np.where(denom > 0, rs_old / np.where(denom > 0, denom, 1.0), 0.0)
        x = x + step[:, None] * p
        r = r - step[:, None] * ap
        rs_new = np.einsum("ij,ij->i", r, r)
        beta = np.where(rs_old > 0, rs_new / np.where(rs_old > 0, rs_old, 1.0), 0.0)
        p = r + beta[:, None] * p
        rs_old = rs_new
    return x


def _reference_als(X, factors, regularization, alpha, iterations, cg_steps, random_state):
    """The previous ``ALS.fit``: same initial factors, same sweeps."""
    rng = np.random.default_rng(random_state)
    users = rng.standard_normal((X.shape[0], factors)) * 0.01
    items = rng.standard_normal((X.shape[1], factors)) * 0.01
    Cm1 = sp.csr_matrix(X, dtype=np.float32).astype(np.float64)
    Cm1.data = alpha * Cm1.data
    B = Cm1.copy()
    B.data = B.data + 1.0
    Cm1_T, B_T = Cm1.T.tocsr(), B.T.tocsr()
    for _ in range(iterations):
        users = _reference_conjugate_gradient(Cm1, B, items, items.T @ items, users, regularization, cg_steps)
        items = _reference_conjugate_gradient(Cm1_T, B_T, users, users.T @ users, items, regularization, cg_steps)
    return users, items


@pytest.mark.parametrize("cg_steps", [1, 3])
def test_als_equals_the_previous_implementation(cg_steps):
    X = _random_interactions()
    settings = {"factors": 8, "regularization": 0.05, "alpha": 2.0, "iterations": 6, "cg_steps": cg_steps}
    users, items = _reference_als(X, random_state=4, **settings)
    model = recommend.ALS(**settings, random_state=4, progress=False).fit(X)
    np.testing.assert_allclose(model.user_factors_, users, rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.item_factors_, items, rtol=0, atol=1e-9)


def test_many_cg_steps_give_the_closed_form_ridge_solution():
    """One half-step with enough CG steps solves (Y'C_uY + reg I) x_u = Y'C_u p_u exactly, user by user."""
    X = _random_interactions(n_users=40, n_items=30, density=0.2)
    f, reg, alpha = 5, 0.3, 1.5
    rng = np.random.default_rng(2)
    Y = rng.standard_normal((X.shape[1], f))
    Cm1 = X.copy()
    Cm1.data = alpha * Cm1.data
    X_new, _ = factorization._conjugate_gradient(Cm1, Y, Y.T @ Y, np.zeros((X.shape[0], f)), reg, steps=4 * f)
    C, P = 1.0 + alpha * X.toarray(), (X.toarray() > 0).astype(float)
    for u in range(X.shape[0]):
        A = Y.T @ (C[u][:, None] * Y) + reg * np.eye(f)
        np.testing.assert_allclose(X_new[u], np.linalg.solve(A, Y.T @ (C[u] * P[u])), rtol=1e-8, atol=1e-10)


def test_returned_products_are_the_new_factors_at_the_cells():
    X = _random_interactions()
    Y = np.random.default_rng(3).standard_normal((X.shape[1], 6))
    X0 = np.random.default_rng(4).standard_normal((X.shape[0], 6))
    X_new, dots = factorization._conjugate_gradient(X, Y, Y.T @ Y, X0, 0.1, 3, chunk=50)
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    np.testing.assert_allclose(dots, (X_new[rows] * Y[X.indices]).sum(1), rtol=1e-12, atol=1e-12)
    again, _ = factorization._conjugate_gradient(X, Y, Y.T @ Y, X0, 0.1, 3, dots=(X0[rows] * Y[X.indices]).sum(1))
    np.testing.assert_allclose(again, X_new, rtol=0, atol=1e-12)  # given products = computed ones


@pytest.mark.parametrize("block", [1, 7, 512])
def test_rowwise_dots_are_the_dense_product_at_the_cells(block):
    X = _random_interactions()
    rng = np.random.default_rng(5)
    V, Y = rng.standard_normal((X.shape[0], 9)), rng.standard_normal((X.shape[1], 9))
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    out = factorization._rowwise_dots(V, rows, Y, X.indices.astype(np.intp), np.empty(X.nnz), block)
    np.testing.assert_allclose(out, (V @ Y.T)[rows, X.indices], rtol=1e-13, atol=1e-13)


def test_transpose_order_maps_the_cells_to_the_transpose():
    X = _random_interactions()
    X.data = np.arange(1.0, X.nnz + 1)  # distinct values
    np.testing.assert_array_equal(X.data[factorization._transpose_order(X)], X.T.tocsr().data)


def test_chunks_and_threads_do_not_change_the_solution():
    X = _random_interactions(n_users=300)
    Y = np.random.default_rng(6).standard_normal((X.shape[1], 4))
    X0 = np.zeros((X.shape[0], 4))
    fits = [
        factorization._conjugate_gradient(X, Y, Y.T @ Y, X0, 0.1, 3, chunk=chunk, n_threads=threads, block=block)
        for chunk, threads, block in [(512, 1, 512), (40, 3, 512), (7, 2, 13)]
    ]
    for other in fits[1:]:
        np.testing.assert_array_equal(other[0], fits[0][0])
        np.testing.assert_array_equal(other[1], fits[0][1])
