"""A weighted blend of recommenders' normalised scores."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from shopai_lab._validation import (
    require_number,
)
from shopai_lab.recommend.base import Recommender, check_interactions


def _check_components(components) -> None:
    if isinstance(components, (str, bytes)) or not hasattr(components, "__iter__"):
        raise TypeError(f"components must be a list of (model, weight) pairs, got {components!r}")
    if not len(components):
        raise ValueError("Blend needs at least one (model, weight) component")
    for i, component in enumerate(components):
        if not isinstance(component, (tuple, list)) or len(component) != 2:
            raise TypeError(f"components[{i}] must be a (model, weight) pair, got {component!r}")
        if not isinstance(component[0], Recommender):
            raise TypeError(f"components[{i}] model must be a Recommender, got {type(component[0]).__name__}")
        require_number(component[1], f"components[{i}] weight")


def _component_inputs(component_X, X: sp.csr_matrix, n_components: int) -> list:
    """One matrix per component: ``X`` unless ``component_X`` gives another of the same shape."""
    if component_X is None:
        return [X] * n_components
    if isinstance(component_X, (str, bytes)) or not hasattr(component_X, "__len__"):
        raise TypeError(f"component_X must be a list with one matrix (or None) per component, got {component_X!r}")
    if len(component_X) != n_components:
        raise ValueError(f"component_X must have one entry per component ({n_components}), got {len(component_X)}")
    inputs = []
    for i, matrix in enumerate(component_X):
        if matrix is None:
            inputs.append(X)
            continue
        if not sp.issparse(matrix):
            raise TypeError(f"component_X[{i}] must be a scipy.sparse matrix or None, got {type(matrix).__name__}")
        if matrix.shape != X.shape:
            raise ValueError(f"component_X[{i}] has shape {matrix.shape}, X has {X.shape}")
        inputs.append(check_interactions(matrix))
    return inputs


class Blend(Recommender):
    """Weighted sum of recommenders' scores, each standardised per user.

    Each component's scores for a user are turned into z-scores over the
    catalogue (so models on different scales can be added), weighted and
    summed. ``fit`` fits a clone of every component; components may be fitted
    on different weightings of the same customers x items space (e.g. EASE on
    binary purchases and a *trending* :class:`Popularity` on recency-weighted
    ones: pass those through ``component_X``). The house recipe is
    :func:`shopai_lab.recommend.recipes.fit_house_blend`.

    Parameters
    ----------
    components
        ``[(recommender, weight), ...]``; the recommenders are cloned, never fitted in place.

    Attributes
    ----------
    components_ : list
        ``[(fitted recommender, weight), ...]``.
    fit_seconds_ : float
        Wall time of ``fit``, the components' fits included.

    Examples
    --------
    >>> from shopai_lab.recommend import EASE, Popularity
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=float))
    >>> blend = Blend(components=[(EASE(l2=1.0), 1.0), (Popularity(), 0.5)]).fit(X)
    >>> blend.recommend([2], k=1)[0].tolist()
    [[1]]
    """

    def __init__(self, *, components: list) -> None:
        self.components = components

    def fit(self, X, component_X=None) -> Blend:
        """Fit a clone of each component on ``X`` (or on its entry of ``component_X``); returns ``self``.

        Parameters
        ----------
        X
            Customers x items interactions: the seen items and the popularity fallback of the blend.
        component_X
            Optional list with one matrix of ``X``'s shape (or ``None`` for ``X``) per component.
        """
        _check_components(self.components)
        start = time.perf_counter()
        X = self._fit_common(X)
        inputs = _component_inputs(component_X, X, len(self.components))
        self.components_ = [
            (clone(model).fit(matrix), float(weight)) for (model, weight), matrix in zip(self.components, inputs)
        ]
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        total = np.zeros((len(users), self.n_items_))
        for model, weight in self.components_:
            scores = np.asarray(model._score_batch(users), dtype=np.float64)
            spread = scores.std(axis=1, keepdims=True)
            total += weight * (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
        # Shift so that every candidate is positive: a blended score of 0 is not "unscorable".
        return total - total.min(axis=1, keepdims=True) + 1.0
