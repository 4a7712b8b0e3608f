"""Purchase sequences and the SASRec recommender (the optional ``[deep]`` extra: skipped without JAX).

The recommender contract of tests/recommend/test_contract.py is run here on SASRec with the same matrix, users
and checks (SASRec's fit takes the purchase order as a second argument, as ContentKNN's takes descriptions);
the scikit-learn conventions of tests/test_estimators.py are checked too (keyword-only hyper-parameters, clone,
NotFittedError, fit returns self, determinism under random_state, pickle). The known answer: on sequences where
item t + 1 always follows item t, the model learns to recommend the next item.
"""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from shopai_lab import recommend as rec
from shopai_lab.recommend.sequences import PurchaseSequences, build_sequences, split_sequences
from shopai_lab.recommend.sequential import SASRec
from tests.recommend.conftest import N_ITEMS  # and the X fixture: the contract's matrix
from tests.recommend.test_contract import USERS

SMALL = {"factors": 8, "n_blocks": 1, "max_length": 6, "epochs": 3, "train_batch": 16, "progress": False}


@pytest.fixture(scope="module")
def jax():
    return pytest.importorskip("jax", reason='SASRec needs the [deep] extra: pip install "shopai-lab[deep]"')


def sequences_of(X, random_state=0) -> PurchaseSequences:
    """Each row's items of ``X`` in a seeded random order, some bought twice: an order for the contract's matrix."""
    rng = np.random.default_rng(random_state)
    X = sp.csr_matrix(X)
    rows = []
    for user in range(X.shape[0]):
        items = rng.permutation(X.indices[X.indptr[user] : X.indptr[user + 1]])
        rows.append(np.concatenate([items, items[:1]]) if len(items) > 2 else items)
    return PurchaseSequences.from_lists(rows, n_items=X.shape[1])


def fit(model, X):
    return model.fit(X, sequences_of(X))


@pytest.fixture(scope="module")
def fitted(jax, X):
    return fit(SASRec(**SMALL, random_state=3), X)


# ---------------------------------------------------------------------------------------------------------------
# beyond the recommender contract (tests/recommend/test_contract.py) and scikit-learn's conventions
# (tests/test_estimators.py), which both run on SASRec: what its sequences add


def test_fit_leaves_X_and_the_sequences_unchanged(jax, X):
    before, sequences = X.copy(), sequences_of(X)
    items = sequences.items.copy()
    SASRec(**SMALL).fit(X, sequences)
    assert (X != before).nnz == 0 and X.dtype == before.dtype
    np.testing.assert_array_equal(sequences.items, items)


def test_a_pickled_model_recommends_without_jax(fitted, tmp_path):
    """Only training needs JAX: the weights are numpy arrays and scoring is numpy."""
    path = tmp_path / "sasrec.pkl"
    path.write_bytes(pickle.dumps((fitted, fitted.recommend(USERS, k=5))))
    script = (
        "import pickle, sys\n"
        "sys.modules['jax'] = None  # as without the [deep] extra\n"
        "import numpy as np\n"
        f"model, (items, scores) = pickle.loads(open({str(path)!r}, 'rb').read())\n"
        f"again = model.recommend({USERS.tolist()}, k=5)\n"
        "assert np.array_equal(again[0], items) and np.array_equal(again[1], scores)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=root, timeout=120)


# ---------------------------------------------------------------------------------------------------------------
# known answers


def cyclic_sequences(n_users=200, n_items=N_ITEMS, random_state=0):
    """Sequences where item t + 1 (mod n_items) always follows item t, each starting at a random item."""
    rng = np.random.default_rng(random_state)
    rows = [(rng.integers(n_items) + np.arange(rng.integers(3, 10))) % n_items for _ in range(n_users)]
    X = sp.lil_matrix((n_users, n_items), dtype=np.float32)
    for user, row in enumerate(rows):
        X[user, row] = 1.0
    return (
        sp.csr_matrix(X),
        PurchaseSequences.from_lists(rows, n_items),
        np.array([(r[-1] + 1) % n_items for r in rows]),
    )


def test_it_learns_which_item_comes_next(jax):
    X, sequences, following = cyclic_sequences()
    model = SASRec(**{**SMALL, "epochs": 40, "learning_rate": 1e-2})  # the contract's shapes: XLA compiles once
    items, _ = model.fit(X, sequences).recommend(np.arange(X.shape[0]), k=1)
    assert (items[:, 0] == following).mean() >= 0.95
    assert model.validation_loss_[model.best_epoch_ - 1] < 0.5 * model.validation_loss_[0]  # it learned


def test_early_stopping_keeps_the_best_epoch(jax):
    rng = np.random.default_rng(1)  # purchases in no order at all: training can only overfit
    rows = [rng.integers(N_ITEMS, size=rng.integers(3, 10)) for _ in range(120)]
    X = sp.csr_matrix(
        (
            np.ones(sum(map(len, rows)), np.float32),
            (np.repeat(np.arange(120), [len(r) for r in rows]), np.concatenate(rows)),
        ),
        shape=(120, N_ITEMS),
    )
    model = SASRec(**{**SMALL, "epochs": 40, "patience": 2, "learning_rate": 3e-2, "validation_share": 0.3})
    losses = model.fit(X, PurchaseSequences.from_lists(rows, N_ITEMS)).validation_loss_
    assert len(losses) < 40 and model.best_epoch_ == int(np.argmin(losses)) + 1
    assert len(losses) == model.best_epoch_ + 2 and (losses[-2:] > losses.min()).all()  # patience 2


def test_customers_without_purchases_get_the_popularity_fallback(jax):
    X, sequences, _ = cyclic_sequences(n_users=60)
    rows = [sequences.row(u) for u in range(60)]
    rows[7] = np.array([], dtype=np.int64)  # no purchase to read
    model = SASRec(**SMALL).fit(X, PurchaseSequences.from_lists(rows, X.shape[1]))
    _, _, fallback = model.recommend([6, 7], k=3, return_fallback=True)
    assert fallback.tolist() == [False, True]


def test_build_sequences_orders_by_time_then_line():
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "a", "c"],
            "item_id": ["z", "x", "y", "x", "x", "x"],
            "invoice_id": ["2", "2", "1", "3", "2", "4"],
            "timestamp": pd.to_datetime(
                ["2024-01-02", "2024-01-02", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-05"]
            ),
        }
    )
    before = lines.copy()
    sequences = build_sequences(lines, pd.Index(["a", "b"]), pd.Index(["x", "y", "z"]))
    assert [sequences.row(u).tolist() for u in range(2)] == [[1, 2, 0], [0]]  # a's second x in invoice 2 is dropped
    assert sequences.n_items == 3 and sequences.n_users == 2  # customer c is not in the encoder
    pd.testing.assert_frame_equal(lines, before)


def test_split_sequences_follow_the_train_matrix():
    split = rec.temporal_split(_random_purchases(), 30)
    sequences = split_sequences(split)
    assert sequences.check(split.train.shape) is sequences
    seen = split.train.matrix
    for user in range(0, seen.shape[0], 17):  # every purchase in a sequence is a cell of the matrix
        assert set(sequences.row(user)) == set(seen.indices[seen.indptr[user] : seen.indptr[user + 1]])


def _random_purchases():
    from shopai_lab.data import random_transactions

    return random_transactions(5_000, n_customers=200, n_items=80, random_state=0)


# ---------------------------------------------------------------------------------------------------------------
# bad input: a clear error naming what is wrong

_X = sp.csr_matrix(np.eye(4, dtype=np.float32))
_SEQ = PurchaseSequences.from_lists([[0], [1], [2], [3]], n_items=4)

BAD_FIT = [
    ("no sequences", lambda: SASRec(**SMALL).fit(_X), ValueError, "needs sequences"),
    ("not sequences", lambda: SASRec(**SMALL).fit(_X, [[0], [1]]), TypeError, "sequences"),
    (
        "other customers",
        lambda: SASRec(**SMALL).fit(_X, PurchaseSequences.from_lists([[0]], 4)),
        ValueError,
        "covers 1 customers",
    ),
    ("heads", lambda: SASRec(**{**SMALL, "n_heads": 3}).fit(_X, _SEQ), ValueError, "multiple of n_heads"),
    ("dropout", lambda: SASRec(**{**SMALL, "dropout": 1.0}).fit(_X, _SEQ), ValueError, "dropout"),
    ("epochs", lambda: SASRec(**{**SMALL, "epochs": 0}).fit(_X, _SEQ), ValueError, "epochs"),
    ("share", lambda: SASRec(**{**SMALL, "validation_share": 1.0}).fit(_X, _SEQ), ValueError, "validation_share"),
    ("progress", lambda: SASRec(**{**SMALL, "progress": "no"}).fit(_X, _SEQ), TypeError, "progress"),
]

BAD_SEQUENCES = [
    ("position", lambda: PurchaseSequences.from_lists([[0, 4]], n_items=4), ValueError, "outside 0..3"),
    ("floats", lambda: PurchaseSequences.from_lists([[0.5]], n_items=4), TypeError, "integer"),
    ("rows", lambda: PurchaseSequences.from_lists("abc", n_items=4), TypeError, "rows"),
    ("n_items", lambda: PurchaseSequences.from_lists([[0]], n_items=0), ValueError, "n_items"),
    (
        "columns",
        lambda: build_sequences(pd.DataFrame({"customer_id": ["a"]}), pd.Index(["a"]), pd.Index(["x"])),
        ValueError,
        "item_id",
    ),
    ("encoder", lambda: build_sequences(_random_purchases(), ["a"], pd.Index(["x"])), TypeError, "users"),
    ("split", lambda: split_sequences("split"), TypeError, "split"),
]


@pytest.mark.parametrize(("case", "call", "error", "match"), BAD_FIT, ids=[c[0] for c in BAD_FIT])
def test_bad_fit_input(jax, case, call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(("case", "call", "error", "match"), BAD_SEQUENCES, ids=[c[0] for c in BAD_SEQUENCES])
def test_bad_sequences_input(case, call, error, match):
    with pytest.raises(error, match=match):
        call()
