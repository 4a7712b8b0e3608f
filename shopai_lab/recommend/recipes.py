"""The house recipes: tuning grids, the tuned model line-up and the Blend (EASE + ALS + trending).

Notebook 02 tunes every model on a *validation* split cut inside train
(:func:`tune_models`), then refits the tuned models on the full training period
(:func:`fit_models`). The house CF model is the Blend of
:func:`fit_house_blend`: EASE and ALS (co-purchase structure, weight 1 each) and
a *trending* popularity (recency-weighted purchases, half-life 14 days) whose
weight is tuned too.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import pandas as pd
from sklearn.base import clone

from shopai_lab import ranking
from shopai_lab._validation import (
    require_bool,
    require_instance,
    require_number,
    require_one_of,
    require_seed,
    require_strings,
)
from shopai_lab.recommend.base import Recommender
from shopai_lab.recommend.blend import Blend
from shopai_lab.recommend.evaluation import METRICS, evaluate, grid_search
from shopai_lab.recommend.factorization import ALS
from shopai_lab.recommend.interactions import InteractionMatrix, Split, build_interactions
from shopai_lab.recommend.linear import EASE
from shopai_lab.recommend.neighbours import ItemKNN, UserKNN
from shopai_lab.recommend.popularity import Popularity

#: The recommenders of the house line-up, by name, in the order they are tuned and reported.
MODELS: dict[str, type[Recommender]] = {
    "Popularity": Popularity,
    "ItemKNN": ItemKNN,
    "UserKNN": UserKNN,
    "ALS": ALS,
    "EASE": EASE,
    "Blend": Blend,
}

#: Candidate hyper-parameters searched on the validation split, per model ("Blend": its trending weight).
TUNING_GRIDS: dict[str, dict[str, list]] = {
    "ItemKNN": {"n_neighbors": [50, 200], "shrinkage": [0.0, 20.0]},
    "UserKNN": {"n_neighbors": [25, 100]},
    "ALS": {"factors": [64], "regularization": [0.01, 0.1], "alpha": [1.0, 4.0]},
    "EASE": {"l2": [100.0, 300.0, 1000.0]},
    "Blend": {"trend_weight": [0.0, 0.2, 0.4, 0.6, 0.8]},
}

#: Weight of the trending component when the Blend is not tuned.
DEFAULT_TREND_WEIGHT = 0.4
#: Half-life (days) of the recency weighting behind the Blend's trending component.
TREND_HALF_LIFE_DAYS = 14.0


def trending_interactions(split: Split, half_life_days: float = TREND_HALF_LIFE_DAYS) -> InteractionMatrix:
    """Recency-weighted interactions of ``split``'s training purchases, on its train matrix's rows and columns.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> trending_interactions(split).shape == split.train.shape
    True
    """
    require_instance(split, Split, "split")
    require_number(half_life_days, "half_life_days", low=0, low_inclusive=False)
    if split.train_purchases.empty:
        raise ValueError(
            "split has no train_purchases (a random_split?): the trending component needs "
            "dated purchases; use a temporal_split"
        )
    return build_interactions(
        split.train_purchases,
        "recency",
        half_life_days=half_life_days,
        users=split.train.users,
        items=split.train.items,
    )


def house_blend(
    *, ease_params: dict | None = None, als_params: dict | None = None, trend_weight: float = DEFAULT_TREND_WEIGHT
) -> Blend:
    """The unfitted house Blend: ``EASE`` (weight 1), ``ALS`` (weight 1) and a trending ``Popularity``.

    ``ALS`` runs without a progress bar unless ``als_params`` asks for one. Fit it with
    :func:`fit_house_blend`, which also builds the trending component's recency-weighted matrix.
    """
    for name, params in (("ease_params", ease_params), ("als_params", als_params)):
        if params is not None:
            require_instance(params, dict, name)
    require_number(trend_weight, "trend_weight")
    return Blend(
        components=[
            (EASE(**(ease_params or {})), 1.0),
            (ALS(**{"progress": False, **(als_params or {})}), 1.0),
            (Popularity(weighted=True), trend_weight),
        ]
    )


def fit_house_blend(
    split: Split,
    *,
    ease_params: dict | None = None,
    als_params: dict | None = None,
    trend_weight: float = DEFAULT_TREND_WEIGHT,
    half_life_days: float = TREND_HALF_LIFE_DAYS,
) -> Blend:
    """Fit :func:`house_blend` on ``split``: EASE and ALS on its train matrix, trending on recency weights.

    Parameters
    ----------
    split
        A :func:`shopai_lab.recommend.temporal_split` (its dated training purchases feed the trend).
    ease_params, als_params
        Hyper-parameters of the EASE and ALS components (e.g. tuned ones).
    trend_weight
        Weight of the trending component.
    half_life_days
        Half-life of the recency weighting.

    Returns
    -------
    Blend
        Fitted; ``X_`` is the split's train matrix.
    """
    blend = house_blend(ease_params=ease_params, als_params=als_params, trend_weight=trend_weight)
    trending = trending_interactions(split, half_life_days)
    return blend.fit(split.train.matrix, component_X=[None, None, trending.matrix])


@dataclass
class Tuning:
    """Result of :func:`tune_models`.

    Attributes
    ----------
    params
        Hyper-parameters per model name, ready for ``MODELS[name](**params[name])`` (for
        ``"Blend"``: ``{"trend_weight": w}``, for :func:`fit_house_blend`).
    table
        The best setting of each grid-searched model with its validation metric, one row per model.
    trend_scores
        The Blend's validation metric by trend weight (grid order), when the Blend was tuned.
    """

    params: dict[str, dict]
    table: pd.DataFrame
    trend_scores: pd.Series | None = field(default=None)


def _check_models(models) -> list[str]:
    models = require_strings(models, "models")
    for name in models:
        require_one_of(name, "models", MODELS)
    return models


def _merged_grids(grids: dict | None, fixed: dict | None, random_state) -> dict[str, dict[str, list]]:
    """Each model's grid followed by its fixed settings as one-value lists (ALS: seeded, no progress bar)."""
    grids = TUNING_GRIDS if grids is None else require_instance(grids, dict, "grids")
    fixed = {} if fixed is None else require_instance(fixed, dict, "fixed")
    als_fixed = {"iterations": 15, "random_state": random_state, "progress": False}
    merged = {}
    for name, grid in grids.items():
        require_one_of(name, "grids", MODELS)
        settings = {**(als_fixed if name == "ALS" else {}), **fixed.get(name, {})}
        merged[name] = {**grid, **{key: [value] for key, value in settings.items()}}
    return merged


def _tune_trend_weight(validation: Split, params: dict, weights: list, k: int, metric: str) -> pd.Series:
    """The Blend's ``metric`` on ``validation`` for each trend weight.

    EASE, ALS and the trend are fitted once: a component's fit does not depend on its weight (ALS is
    seeded), so re-weighting the fitted components gives exactly the blend a refit would, at a fifth of
    the cost for five weights.
    """
    fitted = fit_house_blend(
        validation, ease_params=params.get("EASE"), als_params=params.get("ALS"), trend_weight=float(weights[0])
    )
    scores = {}
    for w in weights:
        blend = copy.copy(fitted)
        blend.components = [*fitted.components[:-1], (fitted.components[-1][0], float(w))]
        blend.components_ = [*fitted.components_[:-1], (fitted.components_[-1][0], float(w))]
        scores[float(w)] = float(evaluate(blend, validation, k=k)[metric].iloc[0])
    return pd.Series(scores, name=metric).rename_axis("trend_weight")


def tune_models(
    validation: Split,
    models=tuple(MODELS),
    *,
    k: int = 10,
    tune: bool = True,
    grids: dict | None = None,
    fixed: dict | None = None,
    metric: str = "ndcg",
    random_state=0,
) -> Tuning:
    """Tune the house line-up on a validation split (cut inside train, never the test split).

    Every model of ``models`` with a grid is grid-searched (:func:`shopai_lab.recommend.grid_search`);
    EASE and ALS are tuned also when only the Blend asks for them; the Blend's trend weight is then
    chosen with the tuned EASE and ALS inside it. Without ``tune``, every model keeps the library
    defaults except the fixed settings (and one-value grids), and the Blend's trend weight is
    :data:`DEFAULT_TREND_WEIGHT`.

    Parameters
    ----------
    validation
        From ``temporal_split(split.train_purchases, ...)``.
    models
        Names from :data:`MODELS`.
    k
        List length of the metric.
    tune
        Search the grids (else: defaults).
    grids
        Grids per model name; default :data:`TUNING_GRIDS`.
    fixed
        Settings per model name that are not searched, e.g. ``{"ALS": {"iterations": 15}}``.
    metric
        One of :data:`shopai_lab.recommend.METRICS`, higher is better.
    random_state
        Seed of ALS (unless ``fixed`` sets one).

    Returns
    -------
    Tuning
    """
    require_instance(validation, Split, "validation")
    models = _check_models(models)
    require_bool(tune, "tune")
    require_one_of(metric, "metric", METRICS)
    require_seed(random_state, "random_state")
    grids = _merged_grids(grids, fixed, random_state)
    params, rows = {}, []
    for name, grid in grids.items():
        if name == "Blend" or (name not in models and not (name in ("ALS", "EASE") and "Blend" in models)):
            continue
        if tune:
            params[name], table = grid_search(MODELS[name], grid, validation, k=k, metric=metric)
            rows.append(table.assign(model=name).head(1))
        else:
            params[name] = {key: values[0] for key, values in grid.items() if len(values) == 1}
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["model", metric])
    trend_scores = None
    if "Blend" in models:
        weights = grids.get("Blend", {}).get("trend_weight", [DEFAULT_TREND_WEIGHT]) if tune else [DEFAULT_TREND_WEIGHT]
        trend_scores = _tune_trend_weight(validation, params, list(weights), k, metric)
        params["Blend"] = {"trend_weight": float(ranking.idxmax(trend_scores))}
    return Tuning(params=params, table=table, trend_scores=trend_scores)


def fit_models(split: Split, models=tuple(MODELS), params: dict | None = None) -> dict[str, Recommender]:
    """Fit each named model with its (tuned) ``params`` on ``split``'s train matrix, in the order given.

    ``"Blend"`` is :func:`fit_house_blend` with ``params["EASE"]``, ``params["ALS"]`` and
    ``params["Blend"]["trend_weight"]``; missing entries mean library defaults.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> fitted = fit_models(split, ["Popularity", "EASE"], {"EASE": {"l2": 50.0}})
    >>> fitted["EASE"].l2, fitted["Popularity"].X_.shape == split.train.shape
    (50.0, True)
    """
    require_instance(split, Split, "split")
    models = _check_models(models)
    params = {} if params is None else require_instance(params, dict, "params")
    fitted = {}
    for name in models:
        if name == "Blend":
            fitted[name] = _blend_reusing(split, params, fitted)
        else:
            fitted[name] = MODELS[name](**params.get(name, {})).fit(split.train.matrix)
    return fitted


def _same_matrix(a, b) -> bool:
    return a is not None and a.shape == b.shape and (a != b).nnz == 0


def _blend_reusing(split: Split, params: dict, fitted: dict[str, Recommender]) -> Blend:
    """:func:`fit_house_blend`, reusing an EASE or ALS already fitted on ``split`` with the same hyper-parameters.

    Fitting is deterministic (ALS is seeded), so the blend is the one a refit would give, without
    fitting EASE and ALS twice.
    """
    blend_params = params.get("Blend", {})
    blend = house_blend(
        ease_params=params.get("EASE"),
        als_params=params.get("ALS"),
        trend_weight=blend_params.get("trend_weight", DEFAULT_TREND_WEIGHT),
    )
    reusable = []
    for (component, _), name in zip(blend.components[:2], ("EASE", "ALS")):
        model = fitted.get(name)
        same = (
            model is not None
            and type(model) is type(component)
            and model.get_params() == component.get_params()
            and _same_matrix(getattr(model, "X_", None), split.train.matrix)
        )
        reusable.append(model if same else None)
    if not all(reusable):
        return fit_house_blend(split, ease_params=params.get("EASE"), als_params=params.get("ALS"), **blend_params)
    start = time.perf_counter()
    half_life = blend_params.get("half_life_days", TREND_HALF_LIFE_DAYS)
    trend_model, trend_weight = blend.components[2]
    trend = clone(trend_model).fit(trending_interactions(split, half_life).matrix)
    blend._fit_common(split.train.matrix)
    blend.components_ = [(reusable[0], 1.0), (reusable[1], 1.0), (trend, float(trend_weight))]
    blend.fit_seconds_ = time.perf_counter() - start + sum(m.fit_seconds_ for m in reusable)
    return blend


def validation_scores(
    tuning: Tuning, validation: Split, models=tuple(MODELS), k: int = 10, metric: str = "ndcg"
) -> pd.Series:
    """Each model's validation metric at its tuned setting, the basis for choosing the model to ship.

    Grid-searched models take their best row of ``tuning.table``, the Blend its chosen trend weight's
    score; a model without either (Popularity, or any model when ``tune`` was off) is fitted with
    ``tuning.params`` and evaluated on ``validation``. The test period is not touched.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.recommend import temporal_split
    >>> split = temporal_split(random_transactions(5_000, n_customers=200, n_items=80, random_state=0), 30)
    >>> validation = temporal_split(split.train_purchases, 30)
    >>> tuning = tune_models(validation, ["Popularity", "EASE"], tune=False)
    >>> list(validation_scores(tuning, validation, ["Popularity", "EASE"]).index)
    ['Popularity', 'EASE']
    """
    require_instance(tuning, Tuning, "tuning")
    require_instance(validation, Split, "validation")
    models = _check_models(models)
    require_one_of(metric, "metric", METRICS)
    table = tuning.table.set_index("model") if "model" in tuning.table.columns else tuning.table
    scores = {}
    for name in models:
        if name == "Blend" and tuning.trend_scores is not None:
            scores[name] = float(tuning.trend_scores[tuning.params["Blend"]["trend_weight"]])
        elif name in table.index:
            scores[name] = float(table.loc[name, metric])
        else:
            fitted = fit_models(validation, [name], tuning.params)[name]
            scores[name] = float(evaluate(fitted, validation, k=k)[metric].iloc[0])
    return pd.Series(scores, name=metric).rename_axis("model")
