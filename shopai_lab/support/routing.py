"""Routing to queues and the operator's view: what is automated, what reaches the right team.

Each intent belongs to one queue (Bitext's 11 categories: ORDER, REFUND, ...). A message
answered automatically is right when its intent is; a message handed over lands in the queue
of its predicted intent, and is well routed when that is the queue of its true intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_labels,
    require_positive_int,
    require_probabilities,
    require_same_length,
)
from shopai_lab.support.automation import require_threshold

__all__ = ["queue_map", "routing_outcomes", "routing_summary"]


def queue_map(frame: pd.DataFrame, queue_column: str = "category") -> dict[str, str]:
    """``{intent: queue}`` from labelled messages; each intent must belong to exactly one queue.

    Examples
    --------
    >>> queue_map(pd.DataFrame({"intent": ["a", "b", "a"], "category": ["X", "Y", "X"]}))
    {'a': 'X', 'b': 'Y'}
    """
    require_columns(frame, ["intent", queue_column], "frame")
    pairs = frame[["intent", queue_column]].dropna().drop_duplicates()
    counts = pairs["intent"].value_counts()
    split = sorted(counts[counts > 1].index)
    if split:
        raise ValueError(f"intent(s) {split[:5]} belong to more than one {queue_column!r}")
    return dict(sorted(zip(pairs["intent"], pairs[queue_column], strict=True)))


def routing_outcomes(
    true_intents: Any, predicted_intents: Any, score: Any, threshold: float, queues: Mapping[str, str]
) -> pd.DataFrame:
    """Per message: automated or handed over, and whether the answer or the queue was right.

    Columns: ``true_queue``, ``predicted_queue``, ``automated`` (score >= threshold),
    ``right_intent``, ``right_queue``.

    Examples
    --------
    >>> out = routing_outcomes(["a", "b", "c"], ["a", "c", "b"], [0.99, 0.5, 0.4], 0.9,
    ...                        {"a": "X", "b": "Y", "c": "Y"})
    >>> out[["automated", "right_intent", "right_queue"]].to_numpy().tolist()
    [[True, True, True], [False, False, True], [False, False, True]]
    """
    true = require_labels(true_intents, "true_intents")
    pred = require_labels(predicted_intents, "predicted_intents")
    s = require_probabilities(score, "score")
    require_same_length(true_intents=true, predicted_intents=pred)
    require_same_length(true_intents=true, score=s)
    threshold = require_threshold(threshold)
    require_instance(queues, Mapping, "queues")
    missing = sorted(set(true) - set(queues)) + sorted(set(pred) - set(queues))
    if missing:
        raise ValueError(f"intent(s) {sorted(set(missing))[:5]} have no queue in queues")
    true_q = np.array([queues[i] for i in true], dtype=object)
    pred_q = np.array([queues[i] for i in pred], dtype=object)
    return pd.DataFrame(
        {
            "true_queue": true_q,
            "predicted_queue": pred_q,
            "automated": s >= threshold,
            "right_intent": true == pred,
            "right_queue": true_q == pred_q,
        }
    )


def routing_summary(outcomes: pd.DataFrame, per: int = 1000) -> pd.DataFrame:
    """The operator's view per ``per`` messages: automated, wrong answers, hand-overs by queue outcome.

    Examples
    --------
    >>> out = pd.DataFrame({"automated": [True, True, False, False],
    ...                     "right_intent": [True, False, False, True],
    ...                     "right_queue": [True, False, True, False]})
    >>> routing_summary(out, per=100)
                                        messages
    answered automatically and right        25.0
    answered automatically but wrong        25.0
    handed over to the right queue          25.0
    handed over to a wrong queue            25.0
    """
    require_columns(outcomes, ["automated", "right_intent", "right_queue"], "outcomes")
    per = require_positive_int(per, "per")
    for column in ("automated", "right_intent", "right_queue"):
        if not pd.api.types.is_bool_dtype(outcomes[column]):
            raise TypeError(f"outcomes[{column!r}] must hold True/False, got dtype {outcomes[column].dtype}")
    if len(outcomes) == 0:
        raise ValueError("outcomes is empty")
    auto = outcomes["automated"].to_numpy(bool)
    right = outcomes["right_intent"].to_numpy(bool)
    queue = outcomes["right_queue"].to_numpy(bool)
    shares = {
        "answered automatically and right": (auto & right).mean(),
        "answered automatically but wrong": (auto & ~right).mean(),
        "handed over to the right queue": (~auto & queue).mean(),
        "handed over to a wrong queue": (~auto & ~queue).mean(),
    }
    return pd.DataFrame({"messages": {k: round(v * per, 1) for k, v in shares.items()}})
