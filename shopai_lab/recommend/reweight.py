"""A fitted :class:`~shopai_lab.recommend.blend.Blend` under other component weights, without refitting, and
its customers' metrics under each weight (for group-aware weights, notebook 11)."""

from __future__ import annotations

import copy

import pandas as pd

from shopai_lab._validation import as_float_array, require_instance, require_positive_int
from shopai_lab.recommend.blend import Blend
from shopai_lab.recommend.evaluation import per_user_metrics
from shopai_lab.recommend.interactions import Split

__all__ = ["metrics_by_weight", "reweighted_blend"]


def reweighted_blend(blend: Blend, weights) -> Blend:
    """A copy of the fitted ``blend`` whose components carry ``weights`` (the fitted components are shared).

    Scoring a blend under several weights this way costs one scoring per weight and no refit; it equals
    fitting a Blend with those weights on the same data (the components are fitted independently of the
    weights).

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from shopai_lab.recommend import EASE, Popularity
    >>> X = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 0, 0], [1, 0, 1, 1], [0, 0, 1, 1]], dtype=float))
    >>> blend = Blend(components=[(EASE(l2=1.0), 1.0), (Popularity(), 0.0)]).fit(X)
    >>> reweighted_blend(blend, [1.0, 5.0]).components_[1][1]
    5.0
    """
    require_instance(blend, Blend, "blend")
    blend._check_fitted()
    weights = as_float_array(weights, "weights")
    if len(weights) != len(blend.components_):
        raise ValueError(f"weights must hold one weight per component ({len(blend.components_)}), got {len(weights)}")
    copied = copy.copy(blend)
    copied.components = [(model, float(w)) for (model, _), w in zip(blend.components, weights)]
    copied.components_ = [(model, float(w)) for (model, _), w in zip(blend.components_, weights)]
    return copied


def metrics_by_weight(blend: Blend, split: Split, component: int, weights, k: int = 10) -> dict[str, pd.DataFrame]:
    """Each evaluated customer's ranking metrics under each weight of one component of a fitted ``blend``.

    Parameters
    ----------
    blend
        A Blend fitted on ``split``'s training matrix (e.g. :func:`~shopai_lab.recommend.fit_house_blend`).
    split
        The evaluation split (validation or test).
    component
        Position of the component whose weight varies (2: the house Blend's trending popularity).
    weights
        The weights to try, in the order a near-tie should prefer.
    k
        List length.

    Returns
    -------
    dict
        ``{"ndcg": frame, "hit_rate": frame}``: one row per evaluated customer (``customer_id``), one column per
        weight, for paired comparisons and group-aware choices (:mod:`shopai_lab.fairness.remedy`).

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import fit_house_blend, temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> blend = fit_house_blend(split, als_params={"factors": 4, "iterations": 2})
    >>> tables = metrics_by_weight(blend, split, component=2, weights=[0.0, 1.0], k=5)
    >>> list(tables["ndcg"].columns), len(tables["ndcg"]) == len(split.eval_users)
    ([0.0, 1.0], True)
    """
    require_instance(blend, Blend, "blend")
    require_instance(split, Split, "split")
    blend._check_fitted()
    component = require_positive_int(component, "component", minimum=0)
    if component >= len(blend.components_):
        raise ValueError(f"component must be < {len(blend.components_)} (the blend's components), got {component}")
    weights = as_float_array(weights, "weights")
    base = [w for _, w in blend.components_]
    per_weight = {}
    for weight in weights:
        varied = [weight if i == component else w for i, w in enumerate(base)]
        items, _ = reweighted_blend(blend, varied).recommend(split.eval_users, k=k)
        per_weight[float(weight)] = per_user_metrics(items, split, k)
    columns = {"ndcg": "ndcg", "hit_rate": "hit"}
    return {
        metric: pd.DataFrame({w: frame[column] for w, frame in per_weight.items()})
        for metric, column in columns.items()
    }
