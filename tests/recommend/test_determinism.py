"""Results that must not depend on the machine's core count or on the order work is split in."""

import numpy as np
import scipy.sparse as sp

from shopai_lab import recommend
from shopai_lab.recommend import factorization


def _random_interactions(n_users=700, n_items=300, density=0.02, random_state=0):
    rng = np.random.default_rng(random_state)
    X = sp.random(n_users, n_items, density=density, random_state=rng, format="csr")
    X.data = np.ceil(X.data * 5)
    return X


def test_als_factors_do_not_depend_on_the_core_count(monkeypatch):
    X = _random_interactions()
    fits = []
    for cores in (1, 2, 7):
        monkeypatch.setattr(factorization.os, "cpu_count", lambda cores=cores: cores)
        model = recommend.ALS(factors=8, iterations=3, random_state=0, progress=False)
        fits.append(model.fit(X))
    for other in fits[1:]:
        np.testing.assert_array_equal(other.user_factors_, fits[0].user_factors_)
        np.testing.assert_array_equal(other.item_factors_, fits[0].item_factors_)


def test_als_chunking_splits_rows_independently_of_threads():
    X = _random_interactions(n_users=2_500)
    Y = np.random.default_rng(1).standard_normal((X.shape[1], 4)).astype(np.float32)
    X0 = np.zeros((X.shape[0], 4), dtype=np.float32)
    solve = factorization._conjugate_gradient
    one, _ = solve(X, Y, Y.T @ Y, X0, 0.1, 3, chunk=1024, n_threads=1)
    three, _ = solve(X, Y, Y.T @ Y, X0, 0.1, 3, chunk=1024, n_threads=3)
    np.testing.assert_array_equal(one, three)
