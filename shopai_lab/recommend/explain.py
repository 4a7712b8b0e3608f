"""One customer's recommendations, readable: their recent purchases and their list with descriptions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    as_index_array,
    require_columns,
    require_instance,
    require_positive_int,
)
from shopai_lab.recommend.evaluation import ranking_metrics
from shopai_lab.recommend.interactions import Split


def item_descriptions(purchases: pd.DataFrame) -> pd.Series:
    """The first description seen for each ``item_id`` (lines without one are skipped).

    Examples
    --------
    >>> lines = pd.DataFrame({"item_id": ["a", "a", "b"], "description": [None, "MUG", "CUP"]})
    >>> item_descriptions(lines).to_dict()
    {'a': 'MUG', 'b': 'CUP'}
    """
    require_columns(purchases, ["item_id", "description"], "purchases")
    return purchases.dropna(subset=["description"]).groupby("item_id")["description"].first()


def first_hit(items: np.ndarray, split: Split, k: int = 10) -> int:
    """Position in ``split.eval_users`` of the first user whose top ``k`` holds a truth item.

    ``items`` has one list per evaluated user, in ``split.eval_users`` order.
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    items = as_index_array(items, "items", split.train.shape[1], ndim=2, allow_padding=True)
    if len(items) != len(split.eval_users):
        raise ValueError(f"need one list per evaluated user ({len(split.eval_users)}), got {len(items)}")
    hits = ranking_metrics(items, split.truth[split.eval_users], k)["hits"].to_numpy()
    if not (hits > 0).any():
        raise ValueError(f"no evaluated user has a truth item in their top {k}")
    return int(np.flatnonzero(hits > 0)[0])


def recent_purchases(split: Split, customer_id, descriptions: pd.Series, n: int = 8) -> pd.DataFrame:
    """The ``n`` products ``customer_id`` bought most recently before the cutoff, with descriptions."""
    require_instance(split, Split, "split")
    n = require_positive_int(n, "n")
    lines = split.train_purchases
    history = lines[lines["customer_id"] == customer_id]
    # lines of one invoice share a timestamp: a stable sort on (timestamp, item_id) orders them the same on any CPU
    recent = (
        history.sort_values(["timestamp", "item_id"], kind="stable").drop_duplicates("item_id", keep="last").tail(n)
    )
    return recent.assign(description=recent["item_id"].map(descriptions))[["item_id", "description"]]


def recommendation_table(
    split: Split, row: int, items: np.ndarray, scores: np.ndarray, descriptions: pd.Series
) -> pd.DataFrame:
    """The list of evaluated user number ``row``: item, description, score and whether it was bought later.

    Parameters
    ----------
    split
        The evaluation split.
    row
        Position in ``split.eval_users``.
    items, scores
        ``recommend(split.eval_users, k)``'s output.
    descriptions
        Description per ``item_id``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``rank`` (1..k).
    """
    require_instance(split, Split, "split")
    items = as_index_array(items, "items", split.train.shape[1], ndim=2, allow_padding=True)
    scores = as_float_array(scores, "scores", ndim=2, allow_inf=True)
    row = require_positive_int(row, "row", minimum=0)
    if row >= len(items):
        raise ValueError(f"row must be < {len(items)} (one per evaluated user), got {row}")
    user = split.eval_users[row]
    truth = split.truth[user]
    ids = split.train.items[items[row]]
    return pd.DataFrame(
        {
            "item_id": ids,
            "description": ids.map(descriptions),
            "score": scores[row].round(3),
            "bought in the test period": np.isin(items[row], truth.indices),
        },
        index=pd.RangeIndex(1, items.shape[1] + 1, name="rank"),
    )
