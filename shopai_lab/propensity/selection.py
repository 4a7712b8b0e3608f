"""Model choice and calibration on the training sessions only: out-of-fold predictions, cross-fitted isotonic maps.

The test sessions are touched once, to report. Each model's out-of-fold probabilities on the training
sessions (``cross_val_predict``) serve three purposes: they rank the models (cross-validated AUC), they
fit an isotonic calibration map (the map scikit-learn's ``CalibratedClassifierCV(ensemble=False)``
fits), and they choose the targeting threshold. The model used on new sessions is refitted once on all
training sessions and its scores go through that map, so calibration changes probabilities but not the
model: AUC moves only where the map's flat steps tie scores. (``CalibratedClassifierCV(cv=5)`` with its
default ``ensemble=True`` instead averages five calibrated refits, a different model, which is why its
AUC moves.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from shopai_lab._validation import require_frame, require_instance, require_one_of, require_positive_int
from shopai_lab.propensity.calibration import _labels_and_probabilities, classification_metrics
from shopai_lab.propensity.sessions import _sklearn_random_state


@dataclass
class CrossValidated:
    """Result of :func:`cross_validate_models`.

    Attributes
    ----------
    oof
        Out-of-fold probabilities on the training sessions, one column per model.
    models
        Each model refitted on all training sessions.
    calibrators
        Isotonic maps from each model's out-of-fold scores to purchase rates.
    table
        Cross-validated metrics per model (from the out-of-fold probabilities), best AUC first.
    best
        The model with the highest cross-validated AUC.
    """

    oof: pd.DataFrame
    models: dict
    calibrators: dict
    table: pd.DataFrame
    best: str

    def predict(self, name: str, X: pd.DataFrame, calibrated: bool = True) -> np.ndarray:
        """Purchase probabilities of model ``name`` for sessions ``X`` (through its isotonic map by default).

        Examples
        --------
        >>> from shopai_lab.data import load_online_shoppers
        >>> from shopai_lab.propensity import session_models, split_sessions
        >>> X_train, X_test, y_train, _ = split_sessions(load_online_shoppers().head(1500), random_state=0)
        >>> models = {"logistic": session_models()["logistic"]}
        >>> cv = cross_validate_models(models, X_train, y_train, n_folds=3)
        >>> p = cv.predict("logistic", X_test)
        >>> p.shape == (len(X_test),) and bool(((p >= 0) & (p <= 1)).all())
        True
        """
        require_one_of(name, "name", self.models)
        require_frame(X, "X")
        scores = self.models[name].predict_proba(X)[:, 1]
        return self.calibrators[name].predict(scores) if calibrated else scores

    def calibrated_oof(self, name: str) -> np.ndarray:
        """Out-of-fold probabilities of ``name`` through its isotonic map (the map was fitted on them)."""
        require_one_of(name, "name", self.models)
        return self.calibrators[name].predict(self.oof[name].to_numpy())


def isotonic_map(y_true, scores) -> IsotonicRegression:
    """A monotone map from scores to purchase rates, fitted on (out-of-fold) scores; clipped to [0, 1].

    Examples
    --------
    >>> iso = isotonic_map([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> iso.predict([0.1, 0.38, 0.9]).round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    y, s = _labels_and_probabilities(y_true, scores)
    return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(s, y)


def cross_validate_models(
    models: Mapping, X: pd.DataFrame, y, *, n_folds: int = 5, random_state: int | None = 0
) -> CrossValidated:
    """Out-of-fold probabilities, cross-validated metrics, refits and isotonic maps of every model.

    Parameters
    ----------
    models
        Unfitted classifiers by name (e.g. :func:`~shopai_lab.propensity.session_models`); cloned, never fitted
        in place.
    X, y
        The **training** sessions and their 0/1 labels (never the test sessions).
    n_folds
        Stratified folds (shuffled with ``random_state``).
    random_state
        Seed of the folds.

    Returns
    -------
    CrossValidated

    Examples
    --------
    >>> from shopai_lab.data import load_online_shoppers
    >>> from shopai_lab.propensity import session_models, split_sessions
    >>> X_train, _, y_train, _ = split_sessions(load_online_shoppers().head(1500), random_state=0)
    >>> models = session_models(hidden_layers=[4])
    >>> cv = cross_validate_models({n: models[n] for n in ("logistic", "boosting")}, X_train, y_train, n_folds=3)
    >>> cv.oof.shape == (len(X_train), 2), list(cv.table.columns)
    (True, ['auc', 'ap', 'log_loss', 'brier', 'ece'])
    """
    require_instance(models, Mapping, "models")
    if not models:
        raise ValueError("models is empty: pass at least one classifier")
    require_frame(X, "X")
    n_folds = require_positive_int(n_folds, "n_folds", minimum=2)
    random_state = _sklearn_random_state(random_state)
    labels, _ = _labels_and_probabilities(y, np.zeros(len(np.asarray(y))))
    if len(labels) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(labels)}")
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=random_state)
    oof, fitted, calibrators, rows = {}, {}, {}, {}
    for name, model in models.items():
        oof[name] = cross_val_predict(clone(model), X, labels, cv=folds, method="predict_proba")[:, 1]
        fitted[name] = clone(model).fit(X, labels)
        calibrators[name] = isotonic_map(labels, oof[name])
        rows[name] = classification_metrics(labels, oof[name])
    table = pd.DataFrame(rows).T.sort_values("auc", ascending=False, kind="stable")
    table.index.name = "model"
    return CrossValidated(
        oof=pd.DataFrame(oof, index=X.index),
        models=fitted,
        calibrators=calibrators,
        table=table,
        best=str(table.index[0]),
    )


def evaluate_on_test(results: Mapping[str, CrossValidated], X_test: pd.DataFrame, y_test) -> tuple[pd.DataFrame, dict]:
    """Metrics on the test sessions of every model of every feature set, raw and through its isotonic map.

    Parameters
    ----------
    results
        :func:`cross_validate_models` results by feature-set name.
    X_test, y_test
        The test sessions, touched once.

    Returns
    -------
    table, probabilities
        One row per (feature set, model, variant) with :func:`~shopai_lab.propensity.classification_metrics`;
        and the probabilities under the same keys.

    Examples
    --------
    >>> from shopai_lab.data import load_online_shoppers
    >>> from shopai_lab.propensity import session_models, split_sessions
    >>> X_train, X_test, y_train, y_test = split_sessions(load_online_shoppers().head(1500), random_state=0)
    >>> cv = cross_validate_models({"logistic": session_models()["logistic"]}, X_train, y_train, n_folds=3)
    >>> table, _ = evaluate_on_test({"all": cv}, X_test, y_test)
    >>> table.index.tolist()
    [('all', 'logistic', 'raw'), ('all', 'logistic', 'calibrated')]
    """
    require_instance(results, Mapping, "results")
    rows, probabilities = {}, {}
    for feature_set, result in results.items():
        require_instance(result, CrossValidated, f"results[{feature_set!r}]")
        for name in result.models:
            for variant, calibrated in (("raw", False), ("calibrated", True)):
                p = result.predict(name, X_test, calibrated=calibrated)
                probabilities[feature_set, name, variant] = p
                rows[feature_set, name, variant] = classification_metrics(y_test, p)
    table = pd.DataFrame(rows).T
    table.index.names = ["features", "model", "variant"]
    return table, probabilities


def compare_calibration(
    y_true, raw: Mapping[str, np.ndarray], calibrated: Mapping[str, np.ndarray], n_boot: int = 1000, random_state=0
) -> pd.DataFrame:
    """ECE and AUC of each model before and after calibration, differences with paired bootstrap intervals.

    Sessions are resampled with replacement (stratified by outcome), the same sessions for both
    variants (:func:`shopai_lab.stats.paired_metric_bootstrap`). A negative ECE difference whose
    interval excludes zero means calibration helped.

    Returns
    -------
    pandas.DataFrame
        Per model: ``ece_raw``, ``ece_calibrated``, ``interval`` (the :class:`~shopai_lab.stats.Interval` of
        calibrated - raw ECE) and ``auc_difference`` (calibrated - raw AUC, from the isotonic map's ties only).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = rng.random(2000)
    >>> y = (rng.random(2000) < p).astype(int)
    >>> table = compare_calibration(y, {"m": np.clip(p + 0.15, 0, 1)}, {"m": p}, n_boot=100)
    >>> bool(table.loc["m", "interval"].high < 0)
    True
    """
    from sklearn.metrics import roc_auc_score

    from shopai_lab.stats import expected_calibration_error, paired_metric_bootstrap

    require_instance(raw, Mapping, "raw")
    require_instance(calibrated, Mapping, "calibrated")
    missing = [name for name in raw if name not in calibrated]
    if missing:
        raise ValueError(f"calibrated has no probabilities for model(s) {missing}")
    y, _ = _labels_and_probabilities(y_true, np.zeros(len(np.asarray(y_true))))
    rows = {}
    for name in raw:
        a, b = np.asarray(raw[name], dtype=float), np.asarray(calibrated[name], dtype=float)
        result = paired_metric_bootstrap(
            expected_calibration_error, y, a, b, n_boot=n_boot, random_state=random_state, stratify=True
        )
        rows[name] = {
            "ece_raw": expected_calibration_error(y, a),
            "ece_calibrated": expected_calibration_error(y, b),
            "interval": result,
            "auc_difference": float(roc_auc_score(y, b) - roc_auc_score(y, a)),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table
