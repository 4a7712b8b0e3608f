"""Why a decision was made, for one customer or one session: the reasons behind a list and behind a score.

- :func:`because_you_bought`: for a linear item-to-item recommender (EASE, item-kNN), whose score of a product
  is the sum of its weights from the products the customer bought, the past purchases that contributed most to
  each recommended product ("because you bought ...") and their share of its score.
- :func:`score_drivers`: for any fitted classifier, how much each feature of one unit moved its probability,
  measured by putting the feature back to a typical value of a background sample (the median of a number, the
  most frequent value of a category) and predicting again. A local, one-at-a-time explanation: it ignores
  interactions, says so, and never needs the model's internals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from shopai_lab._validation import (
    as_index_array,
    require_callable,
    require_frame,
    require_not_empty,
    require_positive_int,
)
from shopai_lab.ranking import descending_order

__all__ = ["because_you_bought", "score_drivers"]


def _weights(item_weights) -> np.ndarray | sp.csr_matrix:
    if sp.issparse(item_weights):
        W = sp.csr_matrix(item_weights, dtype=np.float64)
    else:
        W = np.asarray(item_weights, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"item_weights must be a square (n_products, n_products) matrix, got shape {W.shape}")
    return W


def because_you_bought(item_weights, history, items, n_reasons: int = 2) -> pd.DataFrame:
    """The past purchases behind each recommended product of a linear item-to-item model.

    Parameters
    ----------
    item_weights
        ``(n_products, n_products)`` weights ``W`` with ``score(i) = sum_j x_j W[j, i]`` over the customer's
        past products ``j`` (EASE's ``B_``; an item-kNN similarity).
    history
        The customer's past products (column indices), each counted once.
    items
        The recommended products (column indices; ``-1`` padding is skipped).
    n_reasons
        Past products named per recommended product (at most).

    Returns
    -------
    pandas.DataFrame
        One row per recommended product in list order: ``item``, ``score`` (the sum over the history),
        ``reasons`` (the past products with the largest positive contributions, largest first; ties to the
        lower index) and ``reason_share`` (their contributions' share of the positive total; NaN when no past
        product contributes positively).

    Examples
    --------
    >>> W = np.array([[0, 0.6, 0.1], [0.2, 0, 0.3], [0.0, 0.5, 0]])
    >>> because_you_bought(W, history=[0, 2], items=[1]).to_dict("records")
    [{'item': 1, 'score': 1.1, 'reasons': [0, 2], 'reason_share': 1.0}]
    """
    W = _weights(item_weights)
    n = W.shape[0]
    past = np.unique(as_index_array(history, "history", n))
    if past.size == 0:
        raise ValueError("history is empty: a customer with no past purchases has no 'because you bought' reason")
    shown = as_index_array(items, "items", n, allow_padding=True)
    shown = shown[shown >= 0]
    n_reasons = require_positive_int(n_reasons, "n_reasons")
    block = W[past][:, shown]
    contributions = np.asarray(block.toarray() if sp.issparse(block) else block, dtype=np.float64)
    rows = []
    for column, item in enumerate(shown):
        values = contributions[:, column]
        order = descending_order(values)
        top = [int(past[i]) for i in order[:n_reasons] if values[i] > 0]
        positive = values[values > 0].sum()
        share = float(values[[np.searchsorted(past, j) for j in top]].sum() / positive) if top else float("nan")
        rows.append({"item": int(item), "score": float(values.sum()), "reasons": top, "reason_share": share})
    return pd.DataFrame(rows, columns=["item", "score", "reasons", "reason_share"])


def _typical(column: pd.Series):
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        counts = column.value_counts(dropna=True, sort=False)
        return counts.index[int(np.argmax(counts.to_numpy()))]
    return column.median()


def score_drivers(predict_proba, background: pd.DataFrame, row: pd.DataFrame) -> pd.DataFrame:
    """How much each feature of one unit moved its predicted probability, one feature at a time.

    Parameters
    ----------
    predict_proba
        The fitted model's ``predict_proba`` (a frame of rows -> ``(n, 2)`` probabilities), or any function of
        a frame of rows returning their probabilities as a 1-D array (e.g. a calibrated model's).
    background
        Units the typical values come from (e.g. the training sessions).
    row
        One unit, with the background's columns.

    Returns
    -------
    pandas.DataFrame
        Indexed by feature, largest absolute change first (ties in column order): ``value`` (the unit's),
        ``typical`` (the background's median or most frequent value), ``probability_if_typical`` and
        ``moved_by`` (the unit's probability minus the probability with the feature set to typical: positive
        means this feature raised the score). ``.attrs["probability"]`` holds the unit's probability.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"pages": [1.0, 2, 3, 4, 5, 6], "noise": [0.0, 1, 0, 1, 0, 1]})
    >>> model = LogisticRegression().fit(X, [0, 0, 0, 1, 1, 1])
    >>> drivers = score_drivers(model.predict_proba, X, X.iloc[[5]])
    >>> drivers.index[0], bool(drivers.loc["pages", "moved_by"] > 0)
    ('pages', True)
    """
    require_callable(predict_proba, "predict_proba")
    require_not_empty(require_frame(background, "background"), "background")
    require_frame(row, "row")
    if len(row) != 1:
        raise ValueError(f"row must hold exactly one unit, got {len(row)} rows")
    missing = [c for c in background.columns if c not in row.columns]
    if missing:
        raise ValueError(f"row is missing column(s) {missing} of background")
    row = row[list(background.columns)]
    variants = pd.concat([row] * (len(background.columns) + 1), ignore_index=True)
    typical = {}
    for position, column in enumerate(background.columns, start=1):
        typical[column] = _typical(background[column])
        if pd.api.types.is_integer_dtype(variants[column]) and typical[column] != int(typical[column]):
            variants[column] = variants[column].astype(np.float64)  # a median between two counts
        variants.loc[position, column] = typical[column]
    probabilities = np.asarray(predict_proba(variants), dtype=float)
    probabilities = probabilities[:, 1] if probabilities.ndim == 2 else probabilities
    table = pd.DataFrame(
        {
            "value": [row.iloc[0][c] for c in background.columns],
            "typical": [typical[c] for c in background.columns],
            "probability_if_typical": probabilities[1:],
            "moved_by": probabilities[0] - probabilities[1:],
        },
        index=pd.Index(background.columns, name="feature"),
    )
    table = table.iloc[descending_order(np.abs(table["moved_by"].to_numpy()))]
    table.attrs["probability"] = float(probabilities[0])
    return table
