"""Automation with a safety net: answer when confident, hand over when not or when out of scope.

- :func:`automation_curve`: for each threshold on a confidence score, the share of messages
  answered automatically and the accuracy on that share.
- :func:`choose_threshold`: the lowest threshold whose automated share meets a target
  accuracy, chosen on validation messages (the test set is then read once).
- :func:`hold_out_intents`: remove whole intents from training to play "messages about
  something the model has never seen".
- Scores for out-of-scope detection (higher = more in-scope): :func:`max_probability`,
  :func:`energy_score` (Liu et al. 2020) and :class:`NearestNeighbourScore` (cosine
  similarity to the closest training messages, Sun et al. 2022); :func:`out_of_scope_report`
  gives their AUROC and the share of out-of-scope messages handed over at the threshold
  that keeps in-scope accuracy at target.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import logsumexp
from sklearn.base import BaseEstimator
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from shopai_lab import ranking
from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_columns,
    require_labels,
    require_number,
    require_positive,
    require_positive_int,
    require_probabilities,
    require_probability,
    require_same_length,
    require_seed,
)

__all__ = [
    "NearestNeighbourScore",
    "apply_threshold",
    "automation_curve",
    "choose_threshold",
    "energy_score",
    "hand_over",
    "hold_out_intents",
    "max_probability",
    "out_of_scope_report",
]


def _score_and_correct(score: Any, correct: Any) -> tuple[np.ndarray, np.ndarray]:
    s = as_float_array(score, "score", allow_empty=False)
    c = as_bool_array(correct, "correct")
    require_same_length(score=s, correct=c)
    return s, c


def require_threshold(threshold: Any) -> float:
    """A confidence threshold: a number in [0, 1], or ``inf`` (hand every message over, as
    :func:`choose_threshold` returns when no threshold meets the target).

    Examples
    --------
    >>> require_threshold(95)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be a confidence in [0, 1] (or inf: hand every message over), got 95
    """
    value = require_number(threshold, "threshold") if threshold != np.inf else np.inf
    if value != np.inf and not 0 <= value <= 1:
        raise ValueError(
            f"threshold must be a confidence in [0, 1] (or inf: hand every message over), got {threshold!r}"
        )
    return float(value)


def automation_curve(score: Any, correct: Any) -> pd.DataFrame:
    """Share automated and accuracy on the automated share, at every distinct score.

    A message is answered automatically when its ``score >= threshold``. One row per
    distinct score, highest threshold first; ``automated`` is the share of all messages
    answered, ``accuracy`` the share of those answered correctly, ``errors`` their count.

    Examples
    --------
    >>> automation_curve([0.9, 0.8, 0.8, 0.3], [1, 1, 0, 0])
       threshold  automated  accuracy  errors
    0        0.9       0.25  1.000000       0
    1        0.8       0.75  0.666667       1
    2        0.3       1.00  0.500000       2
    """
    s, c = _score_and_correct(score, correct)
    order = ranking.descending_order(s)
    # scores equal up to last-bit noise form one group (on any CPU); its threshold is its lowest score
    s, c, q = s[order], c[order], ranking.quantize(s)[order]
    hits = np.cumsum(c)
    first = np.r_[True, q[1:] != q[:-1]]
    last = np.r_[q[1:] != q[:-1], True]  # last position of each distinct score
    n = np.arange(1, len(s) + 1)[last]
    return pd.DataFrame(
        {
            "threshold": np.minimum.reduceat(s, np.flatnonzero(first)),
            "automated": n / len(s),
            "accuracy": hits[last] / n,
            "errors": (n - hits[last]).astype(int),
        }
    )


def choose_threshold(score: Any, correct: Any, target_accuracy: float, min_messages: int = 1) -> dict[str, float]:
    """The lowest threshold whose automated share reaches ``target_accuracy``.

    Use validation messages (never the test set). Among thresholds automating at least
    ``min_messages`` messages with accuracy >= target, the one automating most is chosen.
    When none qualifies the threshold is ``inf`` (automate nothing) and ``automated`` is 0.

    Returns
    -------
    dict
        ``threshold``, ``automated`` (share) and ``accuracy`` on the messages given.

    Examples
    --------
    >>> choose_threshold([0.9, 0.8, 0.8, 0.3], [1, 1, 0, 0], target_accuracy=0.6)
    {'threshold': 0.8, 'automated': 0.75, 'accuracy': 0.6666666666666666}
    >>> choose_threshold([0.9, 0.3], [0, 1], target_accuracy=0.9)["threshold"]
    inf
    """
    target = require_probability(target_accuracy, "target_accuracy", allow_one=True)
    min_messages = require_positive_int(min_messages, "min_messages")
    curve = automation_curve(score, correct)
    n = len(as_float_array(score, "score"))
    ok = curve[(curve["accuracy"] >= target - 1e-12) & (curve["automated"] * n >= min_messages - 1e-9)]
    if ok.empty:
        return {"threshold": float("inf"), "automated": 0.0, "accuracy": float("nan")}
    best = ok.iloc[-1]
    return {
        "threshold": float(best["threshold"]),
        "automated": float(best["automated"]),
        "accuracy": float(best["accuracy"]),
    }


def apply_threshold(score: Any, correct: Any, threshold: float) -> dict[str, float]:
    """The share of messages answered automatically at ``threshold`` and the accuracy on that share.

    Examples
    --------
    >>> apply_threshold([0.9, 0.8, 0.3], [1, 0, 0], 0.5)
    {'automated': 0.6666666666666666, 'accuracy': 0.5}
    >>> apply_threshold([0.9, 0.3], [1, 0], float("inf"))["accuracy"]
    nan
    """
    s, c = _score_and_correct(score, correct)
    kept = s >= require_threshold(threshold)
    return {"automated": float(kept.mean()), "accuracy": float(c[kept].mean()) if kept.any() else float("nan")}


def hand_over(intents: Any, score: Any, threshold: float) -> pd.DataFrame:
    """The action per message: ``answer`` when ``score >= threshold``, else ``hand_over``.

    Examples
    --------
    >>> hand_over(["track_order", "refund"], [0.97, 0.41], threshold=0.9)
            intent  score     action
    0  track_order   0.97     answer
    1       refund   0.41  hand_over
    """
    s = require_probabilities(score, "score")
    intents = require_labels(intents, "intents")
    require_same_length(intents=intents, score=s)
    threshold = require_threshold(threshold)
    return pd.DataFrame({"intent": intents, "score": s, "action": np.where(s >= threshold, "answer", "hand_over")})


def hold_out_intents(
    frame: pd.DataFrame, n_intents: int = 10, intents: Sequence[str] | None = None, random_state: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Split labelled messages into in-scope and out-of-scope by whole intents.

    Parameters
    ----------
    frame
        Messages with an ``intent`` column.
    n_intents
        How many intents to hold out at random (ignored when ``intents`` is given).
    intents
        The intents to hold out, by name.
    random_state
        Seed of the random choice.

    Returns
    -------
    in_scope, out_of_scope, held_out
        Two new frames (index kept) and the sorted list of held-out intents.

    Examples
    --------
    >>> frame = pd.DataFrame({"text": list("abcdef"), "intent": ["x", "x", "y", "y", "z", "z"]})
    >>> kept, unseen, held = hold_out_intents(frame, intents=["z"])
    >>> len(kept), len(unseen), held
    (4, 2, ['z'])
    """
    require_columns(frame, ["intent"], "frame")
    require_seed(random_state, "random_state")
    known = sorted(frame["intent"].unique())
    if intents is None:
        n_intents = require_positive_int(n_intents, "n_intents")
        if n_intents >= len(known) - 1:
            raise ValueError(f"n_intents={n_intents} leaves fewer than two of the {len(known)} intents in scope")
        rng = np.random.default_rng(random_state)
        held = sorted(rng.choice(np.array(known, dtype=object), size=n_intents, replace=False).tolist())
    else:
        if isinstance(intents, str):
            raise TypeError("intents must be a list of intent names, not a single string")
        held = sorted(set(require_labels(intents, "intents")))
        unknown = [i for i in held if i not in known]
        if unknown:
            raise ValueError(f"oos intent(s) {unknown} are not in the data; e.g. {known[:5]}")
        if not held or len(known) - len(held) < 2:
            raise ValueError("hold out at least one intent and keep at least two in scope")
    mask = frame["intent"].isin(held)
    return frame[~mask].copy(), frame[mask].copy(), held


def max_probability(proba: Any) -> np.ndarray:
    """The probability of the predicted intent, per message (MSP, Hendrycks & Gimpel 2017).

    Examples
    --------
    >>> max_probability([[0.7, 0.3], [0.2, 0.8]]).tolist()
    [0.7, 0.8]
    """
    p = as_float_array(proba, "proba", ndim=None)
    if p.ndim != 2:
        raise ValueError(f"proba must be a 2-D array (messages x intents), got shape {p.shape}")
    if p.shape[1] == 0:
        raise ValueError("proba has no intents (columns)")
    hint = "probabilities expected; got logits? (pass predict_proba, not decision_function)"
    outside = (p < 0) | (p > 1)
    if outside.any():
        raise ValueError(f"proba has values outside [0, 1], e.g. {p[outside][0]!r}: {hint}")
    sums = p.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1) > 1e-4)
    if len(off):
        raise ValueError(f"proba rows must sum to 1, row {off[0]} sums to {sums[off[0]]:.4g}: {hint}")
    return p.max(axis=1)


def energy_score(logits: Any, temperature: float = 1.0) -> np.ndarray:
    """Negative free energy ``T * logsumexp(logits / T)``: higher means more in-scope.

    Examples
    --------
    >>> np.round(energy_score([[0.0, 0.0], [5.0, 0.0]]), 4).tolist()
    [0.6931, 5.0067]
    """
    z = as_float_array(logits, "logits", ndim=None)
    if z.ndim != 2:
        raise ValueError(f"logits must be a 2-D array (messages x intents), got shape {z.shape}")
    temperature = require_positive(temperature, "temperature")
    return temperature * logsumexp(z / temperature, axis=1)


class NearestNeighbourScore(BaseEstimator):
    """Distance-based in-scope score: mean cosine similarity to the ``k`` nearest training messages.

    Rows are L2-normalised, so for TF-IDF features the score is the mean cosine similarity of
    a message to its ``k`` most similar training messages (Sun et al. 2022, "Out-of-distribution
    detection with deep nearest neighbors"). Sparse input stays sparse. :meth:`score_samples`
    follows scikit-learn's outlier detectors: one value per row, higher = more normal (in scope).

    Parameters
    ----------
    k
        Neighbours averaged.
    batch_size
        Messages scored per block (bounds memory).

    Examples
    --------
    >>> import numpy as np
    >>> score = NearestNeighbourScore(k=1).fit(np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> np.round(score.score_samples(np.array([[1.0, 0.0], [1.0, 1.0]])), 4).tolist()
    [1.0, 0.7071]
    """

    def __init__(self, *, k: int = 5, batch_size: int = 2000) -> None:
        self.k = k
        self.batch_size = batch_size

    def fit(self, X: Any, y: Any = None) -> NearestNeighbourScore:
        """Store the L2-normalised training rows."""
        require_positive_int(self.k, "k")
        require_positive_int(self.batch_size, "batch_size")
        X = sparse.csr_matrix(X) if sparse.issparse(X) else np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[0] < self.k:
            raise ValueError(f"X needs at least k={self.k} rows, got shape {X.shape}")
        self.train_ = normalize(X)
        return self

    def score_samples(self, X: Any) -> np.ndarray:
        """Mean cosine similarity of each row of ``X`` to its ``k`` nearest training rows (higher = more in scope)."""
        check_is_fitted(self, "train_")
        X = normalize(sparse.csr_matrix(X) if sparse.issparse(X) else np.asarray(X, dtype=float))
        out = np.empty(X.shape[0])
        for start in range(0, X.shape[0], self.batch_size):
            sim = X[start : start + self.batch_size] @ self.train_.T
            sim = sim.toarray() if sparse.issparse(sim) else np.asarray(sim)
            top = np.partition(sim, sim.shape[1] - self.k, axis=1)[:, -self.k :]
            out[start : start + self.batch_size] = top.mean(axis=1)
        return out


def out_of_scope_report(
    val_score: Any,
    val_correct: Any,
    test_in_score: Any,
    test_in_correct: Any,
    test_out_score: Any,
    target_accuracy: float,
) -> dict[str, float]:
    """How well a score separates unseen intents, and what a threshold on it does.

    The threshold is chosen on in-scope validation messages only (:func:`choose_threshold`
    at ``target_accuracy``), as in production where unseen intents are by definition absent.

    Returns
    -------
    dict
        ``auroc`` (in-scope test vs out-of-scope test; 1 = perfect separation),
        ``threshold``, ``oos_handed_over`` (recall of out-of-scope messages),
        ``in_scope_automated`` and ``in_scope_accuracy`` on the automated in-scope share.

    Examples
    --------
    >>> r = out_of_scope_report([0.9, 0.8, 0.2], [1, 1, 0], [0.95, 0.85, 0.1], [1, 1, 0],
    ...                         [0.3, 0.5], target_accuracy=0.99)
    >>> r["auroc"], r["oos_handed_over"], r["in_scope_automated"]
    (0.6666666666666666, 1.0, 0.6666666666666666)
    """
    chosen = choose_threshold(val_score, val_correct, target_accuracy)
    s_in, c_in = _score_and_correct(test_in_score, test_in_correct)
    s_out = as_float_array(test_out_score, "test_out_score", allow_empty=False)
    labels = np.r_[np.ones(len(s_in)), np.zeros(len(s_out))]
    auroc = float(roc_auc_score(labels, np.r_[s_in, s_out]))
    kept = s_in >= chosen["threshold"]
    return {
        "auroc": auroc,
        "threshold": chosen["threshold"],
        "oos_handed_over": float((s_out < chosen["threshold"]).mean()),
        "in_scope_automated": float(kept.mean()),
        "in_scope_accuracy": float(c_in[kept].mean()) if kept.any() else float("nan"),
    }
