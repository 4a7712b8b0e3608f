"""A weighted blend of recommenders' normalised scores.
"""

from __future__ import annotations

import time

import numpy as np

from shopai_lab._validation import (
    require_number,
)
from shopai_lab.recommend.base import Recommender


class Blend(Recommender):
    """Weighted sum of already fitted recommenders' scores, each standardised per user.

    Each component's scores for a user are turned into z-scores over the
    catalogue (so models on different scales can be added), weighted and
    summed. Components may have been fitted on different weightings of the same
    customers x items space (e.g. EASE on binary purchases and a trending
    :class:`Popularity` on recency-weighted ones); ``fit(X)`` checks the shapes
    and keeps ``X`` for exclusion and fallback.

    Parameters
    ----------
    components
        ``[(fitted recommender, weight), ...]``.
    """

    def __init__(self, components: list) -> None:
        self.components = components

    def fit(self, X) -> Blend:
        if isinstance(self.components, (str, bytes)) or not hasattr(self.components, "__iter__"):
            raise TypeError(f"components must be a list of (model, weight) pairs, got {self.components!r}")
        if not self.components:
            raise ValueError("Blend needs at least one (model, weight) component")
        for i, component in enumerate(self.components):
            if not isinstance(component, (tuple, list)) or len(component) != 2:
                raise TypeError(f"components[{i}] must be a (model, weight) pair, got {component!r}")
            if not isinstance(component[0], Recommender):
                raise TypeError(f"components[{i}] model must be a Recommender, got {type(component[0]).__name__}")
            require_number(component[1], f"components[{i}] weight")
        start = time.perf_counter()
        X = self._fit_common(X)
        for model, weight in self.components:
            if getattr(model, "X_", None) is None:
                raise ValueError(f"Blend component {type(model).__name__} is not fitted")
            if model.X_.shape != X.shape:
                raise ValueError(f"Blend component {type(model).__name__} was fitted on shape "
                                 f"{model.X_.shape}, X has {X.shape}")
            if not np.isfinite(weight):
                raise ValueError(f"Blend weight must be finite, got {weight!r}")
        self.fit_seconds_ = (time.perf_counter() - start
                             + sum(getattr(m, "fit_seconds_", 0.0) for m, _ in self.components))
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        total = np.zeros((len(users), self.n_items_))
        for model, weight in self.components:
            scores = np.asarray(model._score_batch(users), dtype=np.float64)
            spread = scores.std(axis=1, keepdims=True)
            total += weight * (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
        # Shift so that every candidate is positive: a blended score of 0 is not "unscorable".
        return total - total.min(axis=1, keepdims=True) + 1.0

    def __repr__(self) -> str:
        parts = ", ".join(f"{type(m).__name__}: {w:g}" for m, w in self.components)
        return f"Blend({parts})"
