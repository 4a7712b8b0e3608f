"""A self-attentive sequential recommender (SASRec, Kang & McAuley 2018), trained with JAX.

Needs the optional ``[deep]`` extra (``pip install "shopai-lab[deep]"``, which installs ``jax``); the class
imports without it and says so when it is fitted. Only training needs JAX: a fitted model keeps its weights
as numpy arrays and scores in numpy (double precision), so it pickles, unpickles and recommends anywhere.

The model reads each customer's purchases in order (:class:`~shopai_lab.recommend.PurchaseSequences`):
item embeddings plus learned positions go through ``n_blocks`` causal self-attention blocks (pre-layer-norm,
residual, position-wise feed-forward); the output at each position scores every item by a dot product with
the (shared) item embeddings, trained with the full softmax cross-entropy of the next purchase at every
position. A customer's scores are the softmax probabilities after the last purchase (all positive, so the
base class's popularity fallback answers only customers without any purchase).

Training is seeded and runs on the CPU: initial weights and batch order come from numpy's generator seeded
by ``random_state``, dropout from JAX's counter-based generator, and XLA computes on one thread unless
``XLA_FLAGS`` was set before JAX was first imported.
"""

from __future__ import annotations

import functools
import os
import sys
import time

import numpy as np
from tqdm import tqdm

from shopai_lab._validation import (
    require_bool,
    require_instance,
    require_number,
    require_positive_int,
    require_seed,
)
from shopai_lab.recommend.base import Recommender
from shopai_lab.recommend.sequences import PurchaseSequences

#: XLA settings for one CPU thread, applied when JAX is first imported by this module and XLA_FLAGS is unset.
ONE_THREAD_XLA_FLAGS = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

_INSTALL_HINT = 'SASRec needs JAX: pip install "shopai-lab[deep]" (or: pip install jax)'


def _import_jax():
    """``jax`` and ``jax.numpy``, on one CPU thread when nothing else configured XLA first; ImportError with the fix."""
    if "jax" not in sys.modules and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = ONE_THREAD_XLA_FLAGS
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(_INSTALL_HINT) from exc
    return jax, jnp


# ---------------------------------------------------------------------------------------------------------------
# the network, written once for numpy (scoring) and jax.numpy (training)


def _layer_norm(x, scale, shift, xp):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / xp.sqrt(var + 1e-6) * scale + shift


def _softmax(a, xp):
    a = a - a.max(axis=-1, keepdims=True)
    e = xp.exp(a)
    return e / e.sum(axis=-1, keepdims=True)


def _attention(block, h, allowed, n_heads, xp, drop):
    """Causal multi-head self-attention of ``h`` (batch, length, factors); ``allowed`` masks (batch, 1, L, L)."""
    batch, length, factors = h.shape
    size = factors // n_heads

    def heads(w):
        return (h @ w).reshape(batch, length, n_heads, size).transpose(0, 2, 1, 3)

    q, k, v = heads(block["query"]), heads(block["key"]), heads(block["value"])
    logits = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size)
    weights = drop(_softmax(xp.where(allowed, logits, -1e9), xp))
    out = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, factors)
    return out @ block["out"]


def _encode(params, sequences, n_heads, xp, drop=lambda x: x):
    """Hidden states ``(batch, length, factors)`` of left-padded item sequences (0 pads, items are 1-based)."""
    length = sequences.shape[1]
    present = (sequences > 0)[..., None]
    x = drop(params["items"][sequences] + params["positions"][None, -length:]) * present
    causal = np.tril(np.ones((length, length), dtype=bool))
    allowed = causal[None, None] & (sequences > 0)[:, None, None, :]
    for block in params["blocks"]:
        h = _layer_norm(x, block["norm1_scale"], block["norm1_shift"], xp)
        x = x + drop(_attention(block, h, allowed, n_heads, xp, drop))
        h = _layer_norm(x, block["norm2_scale"], block["norm2_shift"], xp)
        hidden = xp.maximum(h @ block["ff1"] + block["ff1_bias"], 0.0)
        x = (x + drop(drop(hidden) @ block["ff2"] + block["ff2_bias"])) * present
    return _layer_norm(x, params["final_scale"], params["final_shift"], xp)


def _init_params(n_items: int, factors: int, n_blocks: int, max_length: int, rng: np.random.Generator) -> dict:
    """Initial weights (float32): normal with standard deviation ``1 / sqrt(fan-in)``, layer norms at identity."""

    def normal(shape, fan_in):
        return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)

    ones, zeros = np.ones(factors, np.float32), np.zeros(factors, np.float32)
    items = normal((n_items + 1, factors), factors)
    items[0] = 0.0  # the padding item
    blocks = [
        {
            "query": normal((factors, factors), factors),
            "key": normal((factors, factors), factors),
            "value": normal((factors, factors), factors),
            "out": normal((factors, factors), factors),
            "ff1": normal((factors, factors), factors),
            "ff1_bias": zeros.copy(),
            "ff2": normal((factors, factors), factors),
            "ff2_bias": zeros.copy(),
            "norm1_scale": ones.copy(),
            "norm1_shift": zeros.copy(),
            "norm2_scale": ones.copy(),
            "norm2_shift": zeros.copy(),
        }
        for _ in range(n_blocks)
    ]
    positions = normal((max_length, factors), factors)
    return {
        "items": items,
        "positions": positions,
        "blocks": blocks,
        "final_scale": ones.copy(),
        "final_shift": zeros.copy(),
    }


# ---------------------------------------------------------------------------------------------------------------
# training data: one left-padded window per customer


def _windows(sequences: PurchaseSequences, users: np.ndarray, length: int, drop_last: bool) -> tuple:
    """Inputs and next-item targets ``(len(users), length)`` (1-based items, 0 pads) of the users' last purchases."""
    inputs = np.zeros((len(users), length), dtype=np.int32)
    targets = np.zeros((len(users), length), dtype=np.int32)
    for row, user in enumerate(users):
        items = sequences.row(user)
        if drop_last:
            items = items[:-1]
        items = items[-(length + 1) :] + 1
        n = len(items) - 1
        if n > 0:
            inputs[row, length - n :] = items[:-1]
            targets[row, length - n :] = items[1:]
    return inputs, targets


def _last_windows(sequences: PurchaseSequences, users: np.ndarray, length: int) -> np.ndarray:
    """The last ``length`` purchases of each user, left-padded (1-based items, 0 pads): the input of scoring."""
    inputs = np.zeros((len(users), length), dtype=np.int64)
    for row, user in enumerate(users):
        items = sequences.row(user)[-length:] + 1
        if len(items):
            inputs[row, length - len(items) :] = items
    return inputs


def _padded_batches(n: int, size: int, order: np.ndarray):
    """Index arrays of ``size`` rows (the last one padded with ``-1``): one shape, one XLA compilation."""
    for start in range(0, n, size):
        idx = order[start : start + size]
        yield np.concatenate([idx, np.full(size - len(idx), -1, dtype=idx.dtype)])


def _take(array: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Rows ``idx`` of ``array``, with zero rows (all padding) where ``idx`` is ``-1``."""
    out = array[np.maximum(idx, 0)]
    out[idx < 0] = 0
    return out


# ---------------------------------------------------------------------------------------------------------------
# training steps (JAX): full-softmax cross-entropy of the next purchase, Adam


@functools.lru_cache(maxsize=4)
def _make_steps(n_heads: int):
    """Jitted ``train_step(params, m, v, t, inputs, targets, key, dropout, learning_rate)`` and
    ``loss(params, inputs, targets)``.

    Cached, with the rates as traced arguments: fits of the same shapes reuse XLA's compilation.
    """
    jax, jnp = _import_jax()
    beta1, beta2, eps = 0.9, 0.98, 1e-9

    def loss(params, inputs, targets, key=None, dropout=0.0):
        counter = iter(range(1_000_000))

        def drop(x):
            if key is None:
                return x
            keep = jax.random.bernoulli(jax.random.fold_in(key, next(counter)), 1.0 - dropout, x.shape)
            return jnp.where(keep, x / (1.0 - dropout), 0.0)

        hidden = _encode(params, inputs, n_heads, jnp, drop)
        logits = hidden @ params["items"][1:].T
        picked = jnp.take_along_axis(logits, jnp.maximum(targets - 1, 0)[..., None], axis=-1)[..., 0]
        mask = targets > 0
        per_position = jax.nn.logsumexp(logits, axis=-1) - picked
        return jnp.sum(per_position * mask) / jnp.maximum(mask.sum(), 1)

    def train_step(params, m, v, t, inputs, targets, key, dropout, learning_rate):
        value, grads = jax.value_and_grad(loss)(params, inputs, targets, key, dropout)
        t = t + 1
        m = jax.tree_util.tree_map(lambda a, g: beta1 * a + (1 - beta1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda a, g: beta2 * a + (1 - beta2) * g * g, v, grads)
        rate = learning_rate * jnp.sqrt(1 - beta2**t) / (1 - beta1**t)
        params = jax.tree_util.tree_map(lambda p, a, b: p - rate * a / (jnp.sqrt(b) + eps), params, m, v)
        return params, m, v, t, value

    return jax.jit(train_step), jax.jit(loss)


def _validation_loss(loss, params, inputs: np.ndarray, targets: np.ndarray, batch: int) -> float:
    """Mean next-purchase cross-entropy of the held-out customers (fixed-size batches, padding ignored)."""
    total, count = 0.0, 0
    for idx in _padded_batches(len(inputs), batch, np.arange(len(inputs))):
        n = int((idx >= 0).sum())
        total += float(loss(params, _take(inputs, idx), _take(targets, idx))) * n
        count += n
    return total / max(count, 1)


def _train_and_validation(sequences: PurchaseSequences, length: int, share: float, rng: np.random.Generator):
    """Training windows of every customer with two purchases or more, and the held-out last purchases.

    A ``share`` of the customers with three purchases or more (drawn with ``rng``) hold out their last
    purchase: they train on the others, and the validation loss is the cross-entropy of that last purchase.
    """
    lengths = sequences.lengths
    eligible = np.flatnonzero(lengths >= 3)
    n_validation = int(round(share * len(eligible)))
    held = np.sort(rng.choice(eligible, size=n_validation, replace=False)) if n_validation else eligible[:0]
    rest = np.setdiff1d(np.flatnonzero(lengths >= 2), held)
    inputs, targets = _windows(sequences, rest, length, drop_last=False)
    held_inputs, held_targets = _windows(sequences, held, length, drop_last=True)
    val_inputs, val_targets = _windows(sequences, held, length, drop_last=False)
    val_targets[:, :-1] = 0  # only the held-out last purchase counts
    train = (np.concatenate([inputs, held_inputs]), np.concatenate([targets, held_targets]))
    return train, (val_inputs, val_targets)


# ---------------------------------------------------------------------------------------------------------------
# the recommender


class SASRec(Recommender):
    """Self-attentive sequential recommendation (Kang & McAuley 2018) on customers' purchase sequences.

    Fit with ``fit(X, sequences)``: ``X`` the customers x items matrix every recommender takes (seen-item
    exclusion and the popularity fallback read it), ``sequences`` the same customers' purchases in order
    (:func:`shopai_lab.recommend.split_sequences` for a split). Training minimises the cross-entropy of
    each next purchase over the whole catalogue with Adam, one window of the last ``max_length`` purchases
    per customer; it stops early when the loss of held-out last purchases (a ``validation_share`` of the
    customers) has not improved for ``patience`` epochs, and keeps the best epoch's weights.

    Parameters
    ----------
    factors
        Width of the item embeddings and hidden states (a multiple of ``n_heads``).
    n_blocks, n_heads
        Self-attention blocks and heads per block.
    max_length
        Purchases per customer the model reads (the most recent ones).
    dropout
        Dropout rate of embeddings, attention weights and feed-forward layers during training.
    learning_rate
        Adam's step size.
    train_batch
        Customers per training step.
    epochs, patience
        Most passes over the customers; epochs without improvement of the validation loss before stopping.
    validation_share
        Share of customers (with three purchases or more) whose last purchase is held out for early
        stopping; 0 trains all ``epochs`` on everything.
    random_state
        Seed of the weights, the batches, the dropout and the validation customers.
    progress
        Progress bar over epochs.

    Attributes
    ----------
    params_ : dict
        The weights (numpy float32 arrays): ``items`` (row 0 is padding), ``positions``, ``blocks``, ...
    sequences_ : PurchaseSequences
        The training sequences (scoring reads each customer's last ``max_length`` purchases).
    validation_loss_ : numpy.ndarray
        Validation loss after each epoch run (empty without validation).
    best_epoch_ : int
        Epoch (1-based) whose weights were kept.
    fit_seconds_ : float
        Wall time of ``fit``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> rows = [[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1]] * 10
    >>> sequences = PurchaseSequences.from_lists(rows, n_items=4)
    >>> X = sp.csr_matrix(np.ones((30, 4), dtype=np.float32))
    >>> model = SASRec(factors=8, epochs=2, progress=False).fit(X, sequences)  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        factors: int = 32,
        n_blocks: int = 2,
        n_heads: int = 1,
        max_length: int = 20,
        dropout: float = 0.2,
        learning_rate: float = 3e-3,
        train_batch: int = 128,
        epochs: int = 50,
        patience: int = 5,
        validation_share: float = 0.1,
        random_state: int | None = 0,
        progress: bool = True,
    ) -> None:
        self.factors = factors
        self.n_blocks = n_blocks
        self.n_heads = n_heads
        self.max_length = max_length
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.train_batch = train_batch
        self.epochs = epochs
        self.patience = patience
        self.validation_share = validation_share
        self.random_state = random_state
        self.progress = progress

    def _check_params(self) -> None:
        for name in ("factors", "n_blocks", "n_heads", "max_length", "train_batch", "epochs", "patience"):
            require_positive_int(getattr(self, name), name)
        if self.factors % self.n_heads:
            raise ValueError(f"factors ({self.factors}) must be a multiple of n_heads ({self.n_heads})")
        require_number(self.dropout, "dropout", low=0, high=1, high_inclusive=False)
        require_number(self.learning_rate, "learning_rate", low=0, low_inclusive=False)
        require_number(self.validation_share, "validation_share", low=0, high=1, high_inclusive=False)
        require_seed(self.random_state, "random_state")
        require_bool(self.progress, "progress")

    def fit(self, X, sequences=None) -> SASRec:
        """Train on ``sequences`` (the rows of ``X``, in purchase order); returns ``self``."""
        self._check_params()
        if sequences is None:
            raise ValueError(
                "SASRec.fit needs sequences: the purchases of X's customers in order "
                "(shopai_lab.recommend.split_sequences(split) for split.train.matrix)"
            )
        require_instance(sequences, PurchaseSequences, "sequences")
        jax, _ = _import_jax()
        start = time.perf_counter()
        X = self._fit_common(X)
        sequences.check(X.shape)
        rng = np.random.default_rng(self.random_state)
        params = _init_params(self.n_items_, int(self.factors), int(self.n_blocks), int(self.max_length), rng)
        key = jax.random.PRNGKey(int(rng.integers(2**31)))
        train, validation = _train_and_validation(sequences, int(self.max_length), float(self.validation_share), rng)
        best, losses = self._train(params, train, validation, key, rng)
        self.params_ = jax.tree_util.tree_map(lambda a: np.asarray(a, dtype=np.float32), best)
        self.sequences_ = sequences
        self.validation_loss_ = np.asarray(losses, dtype=np.float64)
        self.best_epoch_ = int(np.argmin(losses)) + 1 if losses else int(self.epochs)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _train(self, params, train, validation, key, rng):
        """Epochs of Adam steps with early stopping on the validation loss; the best weights and the losses."""
        jax, jnp = _import_jax()
        step, loss = _make_steps(int(self.n_heads))
        rates = (jnp.float32(self.dropout), jnp.float32(self.learning_rate))
        params = jax.tree_util.tree_map(jnp.asarray, params)
        m = jax.tree_util.tree_map(jnp.zeros_like, params)
        v = jax.tree_util.tree_map(jnp.zeros_like, params)
        t, n_steps, batch = jnp.asarray(0.0), 0, int(self.train_batch)
        best, losses, since_best = params, [], 0
        bar = tqdm(range(int(self.epochs)), disable=not self.progress, desc="SASRec")
        for _ in bar:
            for idx in _padded_batches(len(train[0]), batch, rng.permutation(len(train[0]))):
                batch_key = jax.random.fold_in(key, n_steps)
                params, m, v, t, _ = step(
                    params, m, v, t, _take(train[0], idx), _take(train[1], idx), batch_key, *rates
                )
                n_steps += 1
            if not len(validation[0]):
                best = params
                continue
            value = _validation_loss(loss, params, *validation, batch)
            losses.append(value if np.isfinite(value) else np.inf)  # a diverged epoch is never the best
            bar.set_postfix(validation_loss=f"{losses[-1]:.4f}")
            if losses[-1] <= min(losses):
                best, since_best = params, 0
            else:
                since_best += 1
                if since_best >= int(self.patience):
                    break
        return best, losses

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        params = {
            key: ([{k: w.astype(np.float64) for k, w in b.items()} for b in value] if key == "blocks" else value)
            for key, value in self.params_.items()
        }
        params = {k: (v.astype(np.float64) if isinstance(v, np.ndarray) else v) for k, v in params.items()}
        inputs = _last_windows(self.sequences_, users, int(self.max_length))
        hidden = _encode(params, inputs, int(self.n_heads), np)[:, -1]
        scores = _softmax(hidden @ params["items"][1:].T, np)
        scores[inputs[:, -1] == 0] = 0.0  # no purchase to read: the popularity fallback answers
        return scores
