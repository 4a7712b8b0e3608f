"""Uplift targeting: whom does an incentive change, rather than who buys anyway?

Notebook 03's rule offers the incentive when ``p >= cost / (value x u)``: the purchase probability ``p``
without the offer times an assumed relative uplift ``u`` pays for the cost
(:func:`shopai_lab.propensity.break_even_probability`). It is right when the offer lifts every customer's
purchase probability by the same share, and spends incentives on customers who would have bought anyway when
it does not. Targeting by *uplift*, the change in purchase probability the incentive causes, needs a
randomised experiment to learn from and models of the treatment effect: the T-learner (one outcome model per
arm), the X-learner (Kuenzel et al. 2019) and the doubly robust DR-learner (Kennedy 2023), all on
scikit-learn. Qini and uplift curves judge a ranking from an experiment's observed outcomes; the simulator's
known individual effects judge it against the truth, in two worlds (:data:`SCENARIOS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from shopai_lab import ranking
from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_columns,
    require_not_empty,
    require_number,
    require_numeric_columns,
    require_one_of,
    require_positive,
    require_positive_int,
    require_probability,
    require_seed,
)
from shopai_lab.experiments.assignment import as_treatment

#: Customer features the simulator and the learners use: pre-period recency, frequency and monetary value.
UPLIFT_FEATURES = ("pre_days_since_last", "pre_invoices", "pre_mean_invoice")

#: The simulator's two worlds. ``"buy anyway"``: frequent recent customers buy anyway and the offer moves
#: lapsed repeat customers (uplift and propensity disagree). ``"proportional"``: the offer lifts every
#: customer's purchase probability by the same share (notebook 03's relative uplift), so the likeliest buyers
#: gain the most and uplift and propensity agree.
SCENARIOS = ("buy anyway", "proportional")


@dataclass(frozen=True)
class IncentiveExperiment:
    """Simulated customers with known purchase probabilities (see :func:`simulate_incentive`).

    Attributes
    ----------
    features
        Customer features (a resample of real customers).
    treatment
        Randomised offer (bool).
    purchased
        Observed purchase (0/1) given the offer or not.
    base_probability, effect
        True purchase probability without the offer, and the true individual
        effect of the offer on it (the uplift).
    """

    features: pd.DataFrame
    treatment: np.ndarray
    purchased: np.ndarray
    base_probability: np.ndarray
    effect: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _true_effect(scenario: str, base, recency, invoices, max_effect: float, relative_uplift: float) -> np.ndarray:
    if scenario == "proportional":
        effect = relative_uplift * base
    else:
        lapsed = _sigmoid((recency - 60) / 12) * _sigmoid((200 - recency) / 15)
        repeat = _sigmoid(3 * (invoices - 1.5))
        effect = max_effect * lapsed * repeat - 0.03 * _sigmoid((20 - recency) / 5)
    return np.clip(effect, -base, 1 - base)


def _check_customers(customers: pd.DataFrame) -> None:
    require_columns(customers, list(UPLIFT_FEATURES), "customers")
    require_not_empty(customers, "customers")
    require_numeric_columns(customers, list(UPLIFT_FEATURES), "customers", allow_nan=False)
    for column, low in (("pre_days_since_last", 0.0), ("pre_invoices", 1.0)):
        if (customers[column] < low).any():
            raise ValueError(f"customers[{column!r}] must be >= {low:g}, got e.g. {customers[column].min()!r}")


def simulate_incentive(
    customers: pd.DataFrame,
    n_customers: int = 20_000,
    *,
    scenario: str = "buy anyway",
    max_effect: float = 0.25,
    relative_uplift: float = 0.2,
    share_treated: float = 0.5,
    random_state: int | np.random.Generator | None = 0,
) -> IncentiveExperiment:
    """A randomised incentive experiment on a resample of real customers, with known individual effects.

    The purchase probability without the offer rises with frequency and falls with recency (the same in
    both worlds). The offer's effect depends on ``scenario`` (:data:`SCENARIOS`):

    - ``"buy anyway"``: recent, frequent customers buy anyway (high base probability, no effect: "sure
      things"); long-lapsed one-off customers are gone ("lost causes"); the offer brings back customers whose
      last purchase is a few months old and who bought more than once ("persuadables"), up to ``max_effect``
      in purchase probability; very recent customers are slightly put off ("sleeping dogs").
    - ``"proportional"``: every customer's probability ``p`` becomes ``p (1 + relative_uplift)`` (capped at
      1), notebook 03's relative uplift: the effect grows with ``p``.

    Parameters
    ----------
    customers
        Real customers with the :data:`UPLIFT_FEATURES` columns (e.g.
        ``ExperimentPopulation.customers``); resampled with replacement.
    n_customers
        Size of the simulated experiment.
    scenario
        One of :data:`SCENARIOS`.
    max_effect
        Largest individual effect on purchase probability (``"buy anyway"``).
    relative_uplift
        The relative lift of every customer's purchase probability (``"proportional"``).
    share_treated
        Share randomised to the offer.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> real = pd.DataFrame({c: rng.gamma(2.0, 30.0, 300) + 1 for c in UPLIFT_FEATURES})
    >>> sim = simulate_incentive(real, 1000, random_state=1)
    >>> sim.features.shape, bool((sim.effect <= 0.25).all())
    ((1000, 3), True)
    >>> same = simulate_incentive(real, 1000, scenario="proportional", random_state=1)
    >>> p = same.base_probability
    >>> bool(np.allclose(same.effect, np.minimum(0.2 * p, 1 - p)))
    True
    """
    _check_customers(customers)
    n = require_positive_int(n_customers, "n_customers", minimum=10)
    scenario = require_one_of(scenario, "scenario", SCENARIOS)
    max_effect = require_probability(max_effect, "max_effect")
    relative_uplift = require_number(relative_uplift, "relative_uplift", low=0)
    share_treated = require_probability(share_treated, "share_treated")
    rng = np.random.default_rng(random_state)
    rows = rng.integers(0, len(customers), n)
    features = customers[list(UPLIFT_FEATURES)].iloc[rows].reset_index(drop=True).astype(float)
    recency = features["pre_days_since_last"].to_numpy()
    invoices = features["pre_invoices"].to_numpy()
    base = _sigmoid(-0.3 + 0.9 * np.log(invoices) - 0.012 * recency)
    effect = _true_effect(scenario, base, recency, invoices, max_effect, relative_uplift)
    treatment = rng.random(n) < share_treated
    purchased = (rng.random(n) < base + treatment * effect).astype(int)
    return IncentiveExperiment(features, treatment, purchased, base, effect)


def _check_xy(X: Any, y: Any, treatment: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = as_float_array(X, "X", ndim=2, allow_empty=False)
    y = as_bool_array(y, "y", allow_empty=False)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} values; the arrays must be equal")
    t = as_treatment(treatment, len(y), min_per_arm=10)
    for arm, name in ((t, "treated"), (~t, "control")):
        if len(np.unique(y[arm])) < 2:
            raise ValueError(f"the {name} arm has a single outcome value; an outcome model cannot be fitted")
    return X, y.astype(int), t


#: Hyper-parameters of :func:`default_classifier` and :func:`default_regressor`: shallow trees, a slow learning
#: rate and large leaves, because an uplift is a small difference between two noisy purchase rates.
DEFAULT_BOOSTING = {
    "max_iter": 150,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 200,
    "early_stopping": False,
}


#: The DR-learner's effect model: smaller, slower trees and larger leaves than :data:`DEFAULT_BOOSTING`, because
#: its pseudo-outcomes are far noisier than purchases (values near +-2 around effects of a few points). Chosen
#: over the shared default and a larger-leaf variant by the observed profit of its targeting on validation
#: experiments (simulator seeds 200-203, both worlds), never on the test samples that judge it.
DR_EFFECT_BOOSTING = {
    "max_iter": 100,
    "learning_rate": 0.03,
    "max_leaf_nodes": 7,
    "min_samples_leaf": 500,
    "early_stopping": False,
}


def default_classifier(random_state: int | None = 0) -> HistGradientBoostingClassifier:
    """The outcome (and purchase-propensity) model the uplift learners use unless given another.

    A histogram gradient-boosting classifier with :data:`DEFAULT_BOOSTING`. Notebook 07 fits it on the
    experiment's control arm as the purchase-propensity model of notebook 03's rule.

    Examples
    --------
    >>> default_classifier(3).get_params()["min_samples_leaf"], default_classifier(3).random_state
    (200, 3)
    """
    return HistGradientBoostingClassifier(**DEFAULT_BOOSTING, random_state=require_seed(random_state, "random_state"))


def default_regressor(random_state: int | None = 0) -> HistGradientBoostingRegressor:
    """The effect model of the X- and DR-learners unless given another (:data:`DEFAULT_BOOSTING`).

    Examples
    --------
    >>> default_regressor(1).get_params()["max_iter"]
    150
    """
    return HistGradientBoostingRegressor(**DEFAULT_BOOSTING, random_state=require_seed(random_state, "random_state"))


class TLearner(BaseEstimator):
    """Two-model uplift learner: ``tau(x) = P(y | x, treated) - P(y | x, control)``.

    Parameters
    ----------
    estimator
        scikit-learn classifier with ``predict_proba``, cloned per arm (default
        a histogram gradient-boosting classifier).
    random_state
        Seed of the default estimator.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 2)); t = rng.random(2000) < 0.5
    >>> y = (rng.random(2000) < 0.3 + 0.3 * t * (X[:, 0] > 0)).astype(int)
    >>> tau = TLearner(random_state=0).fit(X, y, t).predict(X)
    >>> bool(tau[X[:, 0] > 0].mean() > tau[X[:, 0] <= 0].mean() + 0.15)
    True
    """

    def __init__(self, *, estimator: Any = None, random_state: int | None = 0) -> None:
        self.estimator = estimator
        self.random_state = random_state

    def fit(self, X: Any, y: Any, treatment: Any) -> TLearner:
        """Fit one outcome model on each arm."""
        X, y, t = _check_xy(X, y, treatment)
        base = self.estimator if self.estimator is not None else default_classifier(self.random_state)
        with threadpool_limits(1):  # results independent of the core count; faster on small data
            self.model_treated_ = clone(base).fit(X[t], y[t])
            self.model_control_ = clone(base).fit(X[~t], y[~t])
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Estimated uplift (change in purchase probability) of each row."""
        check_is_fitted(self, "model_treated_")
        X = as_float_array(X, "X", ndim=2, allow_empty=False)
        with threadpool_limits(1):
            return self.model_treated_.predict_proba(X)[:, 1] - self.model_control_.predict_proba(X)[:, 1]


class XLearner(BaseEstimator):
    """X-learner (Kuenzel, Sekhon, Bickel & Yu 2019) for a randomised binary treatment.

    Stage 1 fits outcome models per arm; stage 2 regresses the imputed effects
    ``y - mu0(x)`` (treated) and ``mu1(x) - y`` (control) on ``x``; the two
    effect models are averaged with the propensity ``g``: ``g tau0 + (1 - g) tau1``.

    Parameters
    ----------
    classifier, regressor
        scikit-learn outcome classifier and effect regressor (default histogram gradient boosting).
    propensity
        Share treated in the experiment (default: the observed share).
    random_state
        Seed of the default estimators.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 2)); t = rng.random(2000) < 0.5
    >>> y = (rng.random(2000) < 0.3 + 0.3 * t * (X[:, 0] > 0)).astype(int)
    >>> tau = XLearner(random_state=0).fit(X, y, t).predict(X)
    >>> bool(tau[X[:, 0] > 0].mean() > tau[X[:, 0] <= 0].mean() + 0.15)
    True
    """

    def __init__(
        self,
        *,
        classifier: Any = None,
        regressor: Any = None,
        propensity: float | None = None,
        random_state: int | None = 0,
    ) -> None:
        self.classifier = classifier
        self.regressor = regressor
        self.propensity = propensity
        self.random_state = random_state

    def fit(self, X: Any, y: Any, treatment: Any) -> XLearner:
        """Fit the outcome models, then the effect models on the imputed effects."""
        if self.propensity is not None:
            require_probability(self.propensity, "propensity")
        X, y, t = _check_xy(X, y, treatment)
        clf = self.classifier if self.classifier is not None else default_classifier(self.random_state)
        reg = self.regressor if self.regressor is not None else default_regressor(self.random_state)
        with threadpool_limits(1):  # results independent of the core count; faster on small data
            mu1 = clone(clf).fit(X[t], y[t])
            mu0 = clone(clf).fit(X[~t], y[~t])
            imputed_treated = y[t] - mu0.predict_proba(X[t])[:, 1]
            imputed_control = mu1.predict_proba(X[~t])[:, 1] - y[~t]
            self.effect_treated_ = clone(reg).fit(X[t], imputed_treated)
            self.effect_control_ = clone(reg).fit(X[~t], imputed_control)
        self.propensity_ = float(t.mean()) if self.propensity is None else float(self.propensity)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Estimated uplift of each row."""
        check_is_fitted(self, "effect_treated_")
        X = as_float_array(X, "X", ndim=2, allow_empty=False)
        g = self.propensity_
        with threadpool_limits(1):
            return g * self.effect_control_.predict(X) + (1 - g) * self.effect_treated_.predict(X)


class DRLearner(BaseEstimator):
    """Doubly robust learner (Kennedy 2023, "Towards optimal doubly robust estimation of heterogeneous causal
    effects") with cross-fitting, for a randomised binary treatment.

    The rows are split into ``n_folds`` folds (stratified by arm and outcome). For each fold, outcome models
    ``mu1`` and ``mu0`` are fitted on the other folds' treated and control rows, and each row of the fold gets
    the pseudo-outcome ``mu1 - mu0 + t (y - mu1) / e - (1 - t) (y - mu0) / (1 - e)``, whose expectation given
    ``x`` is the effect when either the outcome models or the propensity ``e`` are right (in an experiment
    ``e`` is known). A regressor of the pseudo-outcomes on ``x`` is the effect model.

    Parameters
    ----------
    classifier, regressor
        scikit-learn outcome classifier and effect regressor (default :func:`default_classifier`, and
        histogram gradient boosting with :data:`DR_EFFECT_BOOSTING`).
    propensity
        Share treated in the experiment (default: the observed share).
    n_folds
        Folds of the cross-fitting (at least 2).
    random_state
        Seed of the folds and of the default estimators.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(4000, 2)); t = rng.random(4000) < 0.5
    >>> y = (rng.random(4000) < 0.3 + 0.3 * t * (X[:, 0] > 0)).astype(int)
    >>> tau = DRLearner(random_state=0).fit(X, y, t).predict(X)
    >>> bool(tau[X[:, 0] > 0].mean() > tau[X[:, 0] <= 0].mean() + 0.15)
    True
    """

    def __init__(
        self,
        *,
        classifier: Any = None,
        regressor: Any = None,
        propensity: float | None = None,
        n_folds: int = 5,
        random_state: int | None = 0,
    ) -> None:
        self.classifier = classifier
        self.regressor = regressor
        self.propensity = propensity
        self.n_folds = n_folds
        self.random_state = random_state

    def pseudo_outcomes(self, X: Any, y: Any, treatment: Any) -> np.ndarray:
        """The cross-fitted doubly robust pseudo-outcome of every row (what :meth:`fit` regresses on ``X``)."""
        if self.propensity is not None:
            require_probability(self.propensity, "propensity")
        folds = require_positive_int(self.n_folds, "n_folds", minimum=2)
        X, y, t = _check_xy(X, y, treatment)
        e = float(t.mean()) if self.propensity is None else float(self.propensity)
        clf = self.classifier if self.classifier is not None else default_classifier(self.random_state)
        mu1, mu0 = np.empty(len(y)), np.empty(len(y))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        with threadpool_limits(1):  # results independent of the core count
            for fit_rows, out in splitter.split(X, 2 * t + y):
                for arm, mu in ((True, mu1), (False, mu0)):
                    rows = fit_rows[t[fit_rows] == arm]
                    mu[out] = clone(clf).fit(X[rows], y[rows]).predict_proba(X[out])[:, 1]
        return mu1 - mu0 + t * (y - mu1) / e - (~t) * (y - mu0) / (1 - e)

    def fit(self, X: Any, y: Any, treatment: Any) -> DRLearner:
        """Cross-fit the outcome models, then fit the effect model on the pseudo-outcomes."""
        psi = self.pseudo_outcomes(X, y, treatment)
        X = as_float_array(X, "X", ndim=2, allow_empty=False)
        reg = self.regressor
        if reg is None:
            reg = HistGradientBoostingRegressor(**DR_EFFECT_BOOSTING, random_state=self.random_state)
        with threadpool_limits(1):
            self.effect_model_ = clone(reg).fit(X, psi)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Estimated uplift of each row."""
        check_is_fitted(self, "effect_model_")
        X = as_float_array(X, "X", ndim=2, allow_empty=False)
        with threadpool_limits(1):
            return self.effect_model_.predict(X)


def uplift_curve(y: Any, treatment: Any, score: Any) -> pd.DataFrame:
    """Qini and uplift curves of a ranking, from a randomised experiment's observed outcomes.

    Units are sorted by ``score`` (highest first, ties kept in input order). At
    each depth ``k``: ``qini = Y_t(k) - Y_c(k) N_t(k) / N_c(k)`` (incremental
    conversions among the treated targeted so far, Radcliffe 2007) and
    ``uplift = (Y_t(k) / N_t(k) - Y_c(k) / N_c(k)) k`` (incremental conversions
    if all ``k`` were targeted). Depths where an arm is still empty count 0.

    Examples
    --------
    >>> uplift_curve([1, 0, 1, 0], [1, 1, 0, 0], [0.9, 0.8, 0.7, 0.6])["qini"].tolist()
    [0.0, 0.0, -1.0, 0.0]
    """
    y = as_float_array(y, "y", allow_empty=False)
    s = as_float_array(score, "score", allow_empty=False)
    if len(s) != len(y):
        raise ValueError(f"score has {len(s)} values but y has {len(y)}; the arrays must be equal")
    t = as_treatment(treatment, len(y), min_per_arm=1)
    order = ranking.descending_order(s)
    tt, yy = t[order].astype(float), y[order]
    n_t, n_c = np.cumsum(tt), np.cumsum(1 - tt)
    y_t, y_c = np.cumsum(yy * tt), np.cumsum(yy * (1 - tt))
    with np.errstate(divide="ignore", invalid="ignore"):
        qini = np.where(n_c > 0, y_t - y_c * n_t / n_c, 0.0)
        uplift = np.where((n_t > 0) & (n_c > 0), (y_t / n_t - y_c / n_c) * (n_t + n_c), 0.0)
    k = np.arange(1, len(y) + 1)
    return pd.DataFrame({"targeted": k, "fraction": k / len(y), "qini": qini, "uplift": uplift})


def auuc(y: Any, treatment: Any, score: Any) -> float:
    """Area between the uplift curve and the random-targeting line, per unit (0 for a random ranking).

    Positive when the ranking puts responders to the treatment first; the
    area under a perfect ranking bounds it.
    """
    curve = uplift_curve(y, treatment, score)
    random_line = curve["fraction"] * curve["uplift"].iloc[-1]
    return float((curve["uplift"] - random_line).mean() / len(curve))


def targeting_profit(effect: Any, selected: Any, *, conversion_value: float, incentive_cost: float) -> float:
    """True expected profit of offering the incentive to ``selected``: ``sum(value x effect - cost)``.

    Examples
    --------
    >>> targeting_profit([0.2, 0.0, -0.01], [True, True, False], conversion_value=50, incentive_cost=2)
    6.0
    """
    tau = as_float_array(effect, "effect", allow_empty=False)
    chosen = as_bool_array(selected, "selected")
    if chosen.shape != tau.shape:
        raise ValueError(f"selected has shape {chosen.shape} but effect has {tau.shape}")
    conversion_value = require_positive(conversion_value, "conversion_value")
    incentive_cost = require_number(incentive_cost, "incentive_cost", low=0)
    return float(np.sum(conversion_value * tau[chosen] - incentive_cost))
