"""The contract's customers x products matrix, shared by the contract tests and the sequential model's tests."""

import numpy as np
import pytest
import scipy.sparse as sp

N_USERS, N_ITEMS = 60, 25


@pytest.fixture(scope="module")
def X():
    """Implicit feedback on 60 customers x 25 products, customer 5 with a single product."""
    rng = np.random.default_rng(7)
    dense = (rng.random((N_USERS, N_ITEMS)) < 0.15) * rng.integers(1, 4, (N_USERS, N_ITEMS))
    dense[5] = 0
    dense[5, 0] = 1  # a customer with a single item
    return sp.csr_matrix(dense.astype(np.float32))
