"""Choices made on validation messages only: the house model's vote and epochs, and the hand-over score.

- :func:`epoch_grid` and :data:`NEURAL_WEIGHTS`: the candidates tried for the perceptron's epochs and
  its weight in the vote.
- :func:`tune_house_model`: every candidate fitted on the *fit* messages and scored on the validation
  messages; the most accurate is chosen, with a paired bootstrap interval (over validation messages) for
  each candidate against it.
- :func:`out_of_scope_draws`: several draws of held-out intents; per draw a scoped model (fitted on the
  in-scope *fit* messages, temperature-scaled on in-scope validation messages) and the three
  out-of-scope scores of the validation and test messages.
- :func:`choose_oos_score`: the score with the highest mean validation AUROC over the draws, with a
  paired interval for each other score against it; :func:`oos_test_report` then reads the test
  messages once, for the chosen score only.

Why the draw is the unit of the out-of-scope comparison: the messages of one draw share its held-out
intents and its model, so they are not independent evidence about "intents the model has never seen";
each draw (other intents held out, another model) is. With a single draw (intents named by the
analyst) the question is only about those intents' messages, and the messages are the unit.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from shopai_lab import ranking, stats
from shopai_lab._validation import (
    require_columns,
    require_labels,
    require_positive_int,
    require_probability,
    require_same_length,
    require_texts,
)
from shopai_lab.support.automation import (
    NearestNeighbourScore,
    energy_score,
    hold_out_intents,
    max_probability,
    out_of_scope_report,
)
from shopai_lab.support.intents import IntentClassifier, calibrate

__all__ = [
    "NEURAL_WEIGHTS",
    "OOS_SCORES",
    "choose_oos_score",
    "epoch_grid",
    "oos_test_report",
    "out_of_scope_draws",
    "tune_house_model",
]

#: Weights of the perceptron in the house vote tried on validation (0: the SVM alone; 1: the perceptron alone).
NEURAL_WEIGHTS: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0)

#: The out-of-scope scores compared (higher = more in scope).
OOS_SCORES: tuple[str, ...] = ("max probability", "energy", "nearest neighbours")


def epoch_grid(max_epochs: int) -> tuple[int, ...]:
    """Perceptron epochs tried: a third, two thirds and all of ``max_epochs`` (rounded up, distinct).

    Examples
    --------
    >>> epoch_grid(9), epoch_grid(4), epoch_grid(1)
    ((3, 6, 9), (2, 3, 4), (1,))
    """
    max_epochs = require_positive_int(max_epochs, "max_epochs")
    return tuple(sorted({math.ceil(max_epochs / 3), math.ceil(2 * max_epochs / 3), max_epochs}))


def _weights(neural_weights: Sequence[float]) -> tuple[float, ...]:
    if isinstance(neural_weights, (str, bytes)) or not isinstance(neural_weights, Sequence) or not neural_weights:
        raise TypeError(f"neural_weights must be a non-empty list of weights in [0, 1], got {neural_weights!r}")
    return tuple(require_probability(w, "neural_weights", allow_zero=True, allow_one=True) for w in neural_weights)


def tune_house_model(
    fit_texts: Any,
    fit_intents: Any,
    val_texts: Any,
    val_intents: Any,
    *,
    max_epochs: int = 9,
    neural_weights: Sequence[float] = NEURAL_WEIGHTS,
    n_boot: int = 1000,
    random_state: int = 0,
    **knobs: Any,
) -> tuple[IntentClassifier, pd.DataFrame]:
    """Choose the house model's perceptron epochs and vote weight on validation messages.

    One :class:`IntentClassifier` is fitted on the fit messages per number of epochs in
    :func:`epoch_grid`; the vote weight changes only how the fitted parts are averaged, so every
    weight is scored on the same fit. The candidate with the highest validation accuracy is chosen
    (ties to the first: fewer epochs, then a smaller weight).

    Parameters
    ----------
    fit_texts, fit_intents
        Training messages (never the test set).
    val_texts, val_intents
        Validation messages cut from the training data.
    max_epochs
        The most perceptron epochs tried (see :func:`epoch_grid`).
    neural_weights
        Weights of the perceptron in the vote tried.
    n_boot, random_state
        Bootstrap resamples of each interval and the seed (of the models and the bootstrap).
    **knobs
        Other :class:`IntentClassifier` parameters (e.g. ``mlp_hidden``).

    Returns
    -------
    model, table
        The chosen model (fitted on the fit messages) and one row per candidate, best first:
        ``mlp_max_iter``, ``neural_weight``, ``accuracy`` on validation, ``chosen`` and ``vs_chosen``
        (an :class:`~shopai_lab.stats.Interval`: the candidate's accuracy minus the chosen one's,
        paired over validation messages; None for the chosen row).

    Examples
    --------
    >>> texts = ["where is my parcel", "track my order", "cancel my order", "stop the order now"] * 4
    >>> intents = ["track", "track", "cancel", "cancel"] * 4
    >>> model, table = tune_house_model(texts, intents, texts[:4], intents[:4], max_epochs=2,
    ...     neural_weights=[0.0, 1.0], n_boot=50, min_df=1, mlp_hidden=(8,))
    >>> model.mlp_max_iter, model.neural_weight, bool(table["chosen"].iloc[0]), len(table)
    (1, 0.0, True, 4)
    """
    fit_texts, val_texts = require_texts(fit_texts, "fit_texts"), require_texts(val_texts, "val_texts")
    fit_intents, val_intents = require_labels(fit_intents, "fit_intents"), require_labels(val_intents, "val_intents")
    require_same_length(fit_texts=fit_texts, fit_intents=fit_intents)
    require_same_length(val_texts=val_texts, val_intents=val_intents)
    weights = _weights(neural_weights)
    if "neural_weight" in knobs or "mlp_max_iter" in knobs:
        raise ValueError("neural_weight and mlp_max_iter are what tune_house_model chooses: do not pass them")
    rows, models, right = [], [], []
    for epochs in epoch_grid(max_epochs):
        fitted = IntentClassifier(
            neural_weight=max(weights) or 1.0, mlp_max_iter=epochs, random_state=random_state, **knobs
        ).fit(fit_texts, fit_intents)
        for weight in weights:
            model = copy.copy(fitted).set_params(neural_weight=weight)
            right.append((model.predict(val_texts) == val_intents).astype(float))
            rows.append({"mlp_max_iter": epochs, "neural_weight": weight, "accuracy": float(right[-1].mean())})
            models.append(model)
    table = pd.DataFrame(rows)
    best = int(ranking.argmax(table["accuracy"].to_numpy()))
    table["chosen"] = np.arange(len(table)) == best
    table["vs_chosen"] = [
        None if i == best else stats.paired_bootstrap(right[best], r, n_boot=n_boot, random_state=random_state)
        for i, r in enumerate(right)
    ]
    order = ranking.descending_order(table["accuracy"].to_numpy())
    return models[best], table.iloc[order].reset_index(drop=True)


def _scores(calibrated: Any, scoped: IntentClassifier, nearest: NearestNeighbourScore, texts: list[str]) -> dict:
    return {
        "max probability": max_probability(calibrated.predict_proba(texts)),
        "energy": energy_score(calibrated.decision_function(texts)),
        "nearest neighbours": nearest.score_samples(scoped.features_.transform(texts)),
    }


def _one_draw(fit, val, test, held: list[str], model: IntentClassifier) -> dict:
    """A scoped model for one set of held-out intents, and the scores of its validation and test messages."""
    parts = {}
    for name, frame in (("fit", fit), ("val", val), ("test", test)):
        unseen = frame["intent"].isin(held).to_numpy()
        parts[f"{name}_in"], parts[f"{name}_out"] = frame[~unseen], frame[unseen]
    for name in ("val_out", "test_out"):
        if parts[name].empty:
            raise ValueError(f"the held-out intents {held} have no {name.split('_')[0]} message: hold out others")
    texts = {name: parts[name]["text"].tolist() for name in parts}
    scoped = clone(model).fit(texts["fit_in"], parts["fit_in"]["intent"])
    calibrated = calibrate(scoped, texts["val_in"], parts["val_in"]["intent"])
    nearest = NearestNeighbourScore(k=5).fit(scoped.features_.transform(texts["fit_in"]))
    draw = {"held": held, "test_out_messages": len(parts["test_out"])}
    for name in ("val_in", "val_out", "test_in", "test_out"):
        draw[name] = _scores(calibrated, scoped, nearest, texts[name])
    for name in ("val_in", "test_in"):
        draw[f"{name}_correct"] = calibrated.predict(texts[name]) == parts[name]["intent"].to_numpy()
    return draw


def out_of_scope_draws(
    fit: pd.DataFrame,
    val: pd.DataFrame,
    test: pd.DataFrame,
    model: IntentClassifier,
    *,
    n_draws: int = 3,
    n_intents: int = 10,
    intents: Sequence[str] | None = None,
    random_state: int = 0,
) -> list[dict]:
    """Draws of held-out intents, each with a scoped model and its out-of-scope scores.

    Draw ``d`` holds out ``n_intents`` intents chosen with seed ``random_state + d`` (or, when
    ``intents`` names them, the one draw of those intents). The scoped model is an unfitted copy of
    ``model`` (its parameters, e.g. those chosen by :func:`tune_house_model`) fitted on the in-scope
    fit messages and temperature-scaled on the in-scope validation messages.

    Returns
    -------
    list of dict
        Per draw: ``held`` (intents), ``val_in``/``val_out``/``test_in``/``test_out`` (score name ->
        array), ``val_in_correct``/``test_in_correct`` (calibrated model right or not) and
        ``test_out_messages``. Test scores are computed here but read only by :func:`oos_test_report`.

    Examples
    --------
    >>> draws = out_of_scope_draws(fit, val, test, model, n_draws=3)  # doctest: +SKIP
    """
    for name, frame in (("fit", fit), ("val", val), ("test", test)):
        require_columns(frame, ["text", "intent"], name)
    if not isinstance(model, IntentClassifier):
        raise TypeError(f"model must be an IntentClassifier (its parameters are used), got {type(model).__name__}")
    n_draws = require_positive_int(n_draws, "n_draws")
    if intents is not None:
        _, _, held = hold_out_intents(fit, intents=intents, random_state=random_state)
        return [_one_draw(fit, val, test, held, model)]
    draws = []
    for d in range(n_draws):
        _, _, held = hold_out_intents(fit, n_intents=n_intents, random_state=random_state + d)
        draws.append(_one_draw(fit, val, test, held, model))
    return draws


def _auroc(inside: np.ndarray, outside: np.ndarray) -> float:
    return float(roc_auc_score(np.r_[np.ones(len(inside)), np.zeros(len(outside))], np.r_[inside, outside]))


def _message_interval(draw: dict, chosen: str, other: str, n_boot: int, random_state: int) -> stats.Interval:
    labels = np.r_[np.ones(len(draw["val_in"][chosen])), np.zeros(len(draw["val_out"][chosen]))]
    both = {name: np.r_[draw["val_in"][name], draw["val_out"][name]] for name in (chosen, other)}
    return stats.paired_metric_bootstrap(
        roc_auc_score, labels, both[chosen], both[other], n_boot=n_boot, random_state=random_state, stratify=True
    )


def choose_oos_score(
    draws: list[dict], target_accuracy: float, n_boot: int = 1000, random_state: int = 0
) -> tuple[str, pd.DataFrame]:
    """The hand-over score with the highest mean validation AUROC over the draws, and the comparison table.

    Parameters
    ----------
    draws
        From :func:`out_of_scope_draws`.
    target_accuracy
        Accuracy the automated in-scope validation answers must reach: sets each score's threshold
        (on in-scope validation messages), at which ``val_handed_over`` is measured.
    n_boot, random_state
        Bootstrap resamples and seed.

    Returns
    -------
    chosen, table
        The chosen score's name, and per score (rows in :data:`OOS_SCORES` order): ``val_auroc`` (mean
        over draws), ``val_handed_over`` (mean share of unseen-intent validation messages handed over),
        ``chosen`` and ``vs_chosen`` (the score's AUROC minus the chosen one's: paired over draws when
        there are several, over validation messages, stratified, when there is one; None for the chosen
        row), and ``unit`` (``"draws"`` or ``"messages"``).

    Examples
    --------
    >>> chosen, table = choose_oos_score(draws, 0.98)  # doctest: +SKIP
    """
    if not isinstance(draws, list) or not draws:
        raise TypeError("draws must be the non-empty list out_of_scope_draws returns")
    require_probability(target_accuracy, "target_accuracy", allow_one=True)
    aurocs = np.array([[_auroc(d["val_in"][s], d["val_out"][s]) for s in OOS_SCORES] for d in draws])
    handed = np.array(
        [
            [
                out_of_scope_report(
                    d["val_in"][s], d["val_in_correct"], d["val_in"][s], d["val_in_correct"], d["val_out"][s],
                    target_accuracy,
                )["oos_handed_over"]
                for s in OOS_SCORES
            ]
            for d in draws
        ]
    )  # fmt: skip
    best = int(ranking.argmax(aurocs.mean(axis=0)))
    chosen = OOS_SCORES[best]
    unit = "draws" if len(draws) > 1 else "messages"

    def versus(j: int) -> stats.Interval | None:
        if j == best:
            return None
        if unit == "draws":
            return stats.paired_bootstrap(aurocs[:, best], aurocs[:, j], n_boot=n_boot, random_state=random_state)
        return _message_interval(draws[0], chosen, OOS_SCORES[j], n_boot, random_state)

    table = pd.DataFrame(
        {
            "val_auroc": aurocs.mean(axis=0),
            "val_handed_over": handed.mean(axis=0),
            "chosen": [s == chosen for s in OOS_SCORES],
            "vs_chosen": [versus(j) for j in range(len(OOS_SCORES))],
            "unit": unit,
        },
        index=pd.Index(OOS_SCORES, name="score"),
    )
    return chosen, table


def oos_test_report(draws: list[dict], score: str, target_accuracy: float, n_boot: int = 1000,
                    random_state: int = 0) -> dict:  # fmt: skip
    """The test messages read once, for the chosen score: per-draw reports and their means with intervals.

    Returns
    -------
    dict
        ``per_draw`` (a frame: held-out intents, ``auroc``, ``threshold``, ``oos_handed_over``,
        ``in_scope_automated``, ``in_scope_accuracy`` per draw), ``means`` (their means over draws) and
        ``intervals`` (``auroc`` and ``oos_handed_over``: :func:`shopai_lab.stats.bootstrap_mean` over
        draws; empty with one draw).

    Examples
    --------
    >>> report = oos_test_report(draws, "energy", 0.98)  # doctest: +SKIP
    """
    if not isinstance(draws, list) or not draws:
        raise TypeError("draws must be the non-empty list out_of_scope_draws returns")
    if score not in OOS_SCORES:
        raise ValueError(f"score must be one of {list(OOS_SCORES)}, got {score!r}")
    rows = []
    for d in draws:
        report = out_of_scope_report(
            d["val_in"][score], d["val_in_correct"], d["test_in"][score], d["test_in_correct"], d["test_out"][score],
            target_accuracy,
        )  # fmt: skip
        rows.append({"held_out": ", ".join(d["held"]), **report})
    per_draw = pd.DataFrame(rows)
    means = per_draw.drop(columns="held_out").mean()
    intervals = {}
    if len(draws) > 1:
        intervals = {
            c: stats.bootstrap_mean(per_draw[c], n_boot=n_boot, random_state=random_state)
            for c in ("auroc", "oos_handed_over")
        }
    return {"per_draw": per_draw, "means": means, "intervals": intervals}
