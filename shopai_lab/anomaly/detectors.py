"""Anomaly detectors on one API: ``fit(X)``, ``anomaly_score(X)`` (higher = more anomalous).

``X`` is a DataFrame of finite numbers, usually :func:`shopai_lab.anomaly.model_matrix`
of the invoice features. Every detector also has ``fit_score(X)``: fit on ``X`` and return the
anomaly scores of the same rows, which is what an audit of past invoices does (for the local
outlier factor it uses the in-sample factor, where a row is not its own neighbour), and
``score_samples(X)`` with scikit-learn's sign (higher = more normal: minus ``anomaly_score``),
so a detector reads like ``IsolationForest`` or ``LocalOutlierFactor`` where scikit-learn
conventions are expected.

* :class:`IsolationForestDetector`: random splits isolate rare rows in few steps
  (Liu, Ting & Zhou 2008); scikit-learn's ``IsolationForest``.
* :class:`LOFDetector`: density relative to the ``n_neighbors`` nearest rows (Breunig et
  al. 2000). ``n_neighbors`` must exceed the size of any group of anomalies that look
  alike (a bot's burst), otherwise the group is its own dense neighbourhood.
* :class:`RobustZDetector`: the largest robust z-score over the columns, with median and
  MAD learned in ``fit`` and a floor on the scale.
* :class:`ColumnRule` and :class:`PriceRatioRule`: one column read as the score, e.g. how
  far an invoice's most unusual line price is from the product's usual price.
* :class:`RankEnsemble`: each member's score turned into its percentile among the training
  scores, then averaged (or the maximum taken).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import IsolationForest
from sklearn.isotonic import IsotonicRegression
from sklearn.preprocessing import RobustScaler
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_bool,
    require_number,
    require_numeric_frame,
    require_positive,
    require_positive_int,
    require_seed,
    require_string,
    require_strings,
)
from shopai_lab.ranking import nearest_neighbors, quantize

#: Consistency constant: ``1.4826 * MAD`` estimates the standard deviation of normal data.
MAD_TO_SD = 1.4826
#: ``1.2533 * mean absolute deviation`` estimates it too (sqrt(pi / 2)); used where MAD is 0.
MEANAD_TO_SD = 1.2533


class _Detector(BaseEstimator):
    """Shared plumbing: input checks and column bookkeeping."""

    def _check_fit_input(self, X) -> pd.DataFrame:
        X = require_numeric_frame(X, "X")
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        return X

    def _check_score_input(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = require_numeric_frame(X, "X")
        missing = [c for c in self.feature_names_in_ if c not in X.columns]
        if missing:
            raise ValueError(f"X is missing column(s) {missing} the detector was fitted on")
        return X[list(self.feature_names_in_)].to_numpy(float)

    def anomaly_score(self, X: pd.DataFrame) -> np.ndarray:
        """How anomalous each row of ``X`` is (higher = more anomalous)."""
        raise NotImplementedError

    def score_samples(self, X: pd.DataFrame) -> np.ndarray:
        """scikit-learn's outlier score of each row of ``X``: higher = more normal (minus :meth:`anomaly_score`)."""
        return -self.anomaly_score(X)

    def fit_score(self, X: pd.DataFrame) -> np.ndarray:
        """Fit on ``X`` and return the anomaly scores of the same rows (higher = more anomalous)."""
        return self.fit(X).anomaly_score(X)


class IsolationForestDetector(_Detector):
    """Isolation forest; the anomaly score is minus scikit-learn's ``score_samples`` (higher = more anomalous).

    Parameters
    ----------
    n_estimators, max_samples, max_features
        Passed to :class:`sklearn.ensemble.IsolationForest`.
    random_state
        Seed; the forest is grown with ``n_jobs=1`` so results do not depend on the cores.

    Examples
    --------
    >>> X = pd.DataFrame({"a": np.r_[np.zeros(50), 9.0], "b": np.r_[np.linspace(0, 1, 50), 0.5]})
    >>> int(np.argmax(IsolationForestDetector(random_state=0).fit_score(X)))
    50
    """

    def __init__(
        self,
        *,
        n_estimators: int = 200,
        max_samples: int | str = "auto",
        max_features: float = 1.0,
        random_state: int | None = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y=None) -> IsolationForestDetector:
        X = self._check_fit_input(X)
        require_positive_int(self.n_estimators, "n_estimators")
        self.model_ = IsolationForest(
            n_estimators=self.n_estimators,
            max_samples=self.max_samples,
            max_features=self.max_features,
            random_state=self.random_state,
            n_jobs=1,
        ).fit(X.to_numpy(float))
        return self

    def anomaly_score(self, X: pd.DataFrame) -> np.ndarray:
        """Minus the forest's ``score_samples`` (higher = more anomalous)."""
        values = self._check_score_input(X)
        return quantize(-self.model_.score_samples(values))  # last-bit noise must not reorder invoices


class LOFDetector(_Detector):
    """Local outlier factor on robustly scaled columns (median 0, IQR 1).

    The factor is Breunig et al.'s, computed as scikit-learn's ``LocalOutlierFactor`` does (same
    reachability density, same guard for duplicate rows; a test checks the two agree), on a
    neighbour search that does not depend on the CPU (:func:`shopai_lab.ranking.nearest_neighbors`):
    invoices with identical features are common, and which of them count as neighbours must not
    change with the machine's arithmetic.

    Parameters
    ----------
    n_neighbors
        Neighbourhood size. scikit-learn's default of 20 is a poor fit when anomalies come
        in look-alike groups: choose it above the largest such group
        (:func:`shopai_lab.anomaly.choose_n_neighbors` does it on validation data).

    Examples
    --------
    >>> X = pd.DataFrame({"a": np.r_[np.linspace(0, 1, 60), 5.0], "b": np.r_[np.linspace(1, 0, 60), 5.0]})
    >>> int(np.argmax(LOFDetector(n_neighbors=10).fit_score(X)))
    60
    """

    def __init__(self, *, n_neighbors: int = 50) -> None:
        self.n_neighbors = n_neighbors

    def fit(self, X: pd.DataFrame, y=None) -> LOFDetector:
        X = self._check_fit_input(X)
        k = require_positive_int(self.n_neighbors, "n_neighbors")
        if k >= len(X):
            raise ValueError(f"n_neighbors={k} must be smaller than the number of rows ({len(X)})")
        self.scaler_ = RobustScaler().fit(X.to_numpy(float))
        self.reference_ = self.scaler_.transform(X.to_numpy(float))
        distances, self.neighbors_ = nearest_neighbors(self.reference_, k)
        self.k_distance_ = distances[:, -1]
        self.lrd_ = reachability_density(distances, self.neighbors_, self.k_distance_)
        self.training_scores_ = quantize(outlier_factor(self.neighbors_, self.lrd_, self.lrd_))
        return self

    def anomaly_score(self, X: pd.DataFrame) -> np.ndarray:
        """Local outlier factors of new rows (neighbours taken from the training rows; higher = more anomalous)."""
        values = self._check_score_input(X)  # checks the model is fitted
        values = self.scaler_.transform(values)
        distances, neighbors = nearest_neighbors(self.reference_, int(self.n_neighbors), query=values)
        lrd = reachability_density(distances, neighbors, self.k_distance_)
        return quantize(outlier_factor(neighbors, self.lrd_, lrd))

    def fit_score(self, X: pd.DataFrame) -> np.ndarray:
        """In-sample outlier factors of ``X`` (a row is not counted as its own neighbour)."""
        return self.fit(X).training_scores_.copy()


def reachability_density(distances: np.ndarray, neighbors: np.ndarray, k_distance: np.ndarray) -> np.ndarray:
    """Local reachability density of rows from their neighbours (Breunig et al. 2000, as scikit-learn).

    ``reach-dist(p, o) = max(k-distance(o), d(p, o))`` and ``lrd(p) = 1 / (mean reach-dist + 1e-10)``;
    the ``1e-10`` is scikit-learn's guard for rows with ``n_neighbors`` identical copies.
    ``distances`` and ``neighbors`` are ``(rows, k)``; ``k_distance`` holds the training rows' k-distances.
    """
    reach = np.maximum(distances, k_distance[neighbors])
    return 1.0 / (reach.mean(axis=1) + 1e-10)


def outlier_factor(neighbors: np.ndarray, reference_lrd: np.ndarray, lrd: np.ndarray) -> np.ndarray:
    """Local outlier factor: the mean of the neighbours' densities over the row's own (1 = as dense)."""
    return (reference_lrd[neighbors] / lrd[:, None]).mean(axis=1)


class RobustZDetector(_Detector):
    """Largest absolute robust z-score over the columns: ``|x - median| / scale``.

    The scale of a column is ``1.4826 MAD`` (the standard deviation, for normal data). A
    column that is mostly one value has MAD 0 and every other value would score infinity;
    its scale is then ``1.2533`` times the mean absolute deviation from the median (the
    standard deviation again, for normal data), and never less than ``scale_floor``.

    Parameters
    ----------
    scale_floor
        Smallest scale of a column, in the units of ``X`` (> 0).
    two_sided
        Score values far below the median as well as far above.

    Examples
    --------
    >>> X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 100.0], "y": [0.0, 0.0, 0.0, 0.0, 1.0]})
    >>> detector = RobustZDetector().fit(X)
    >>> detector.scale_.round(4).tolist()
    [1.4826, 0.2507]
    >>> detector.anomaly_score(X).round(3).tolist()
    [1.349, 0.674, 0.0, 0.674, 65.426]
    """

    def __init__(self, *, scale_floor: float = 0.01, two_sided: bool = True) -> None:
        self.scale_floor = scale_floor
        self.two_sided = two_sided

    def fit(self, X: pd.DataFrame, y=None) -> RobustZDetector:
        X = self._check_fit_input(X)
        floor = require_positive(self.scale_floor, "scale_floor")
        require_bool(self.two_sided, "two_sided")
        values = X.to_numpy(float)
        self.median_ = np.median(values, axis=0)
        deviation = np.abs(values - self.median_)
        mad = np.median(deviation, axis=0)
        scale = np.where(mad > 0, MAD_TO_SD * mad, MEANAD_TO_SD * deviation.mean(axis=0))
        self.scale_ = np.maximum(scale, floor)
        return self

    def z_scores(self, X: pd.DataFrame) -> pd.DataFrame:
        """Signed robust z-score of every cell of ``X``."""
        values = self._check_score_input(X)
        return pd.DataFrame((values - self.median_) / self.scale_, index=X.index, columns=self.feature_names_in_)

    def anomaly_score(self, X: pd.DataFrame) -> np.ndarray:
        """The largest absolute (or, one-sided, positive) robust z-score of each row."""
        z = self.z_scores(X).to_numpy()
        return quantize((np.abs(z) if self.two_sided else np.maximum(z, 0.0)).max(axis=1))


class ColumnRule(_Detector):
    """A rule, not a model: the score is one column of ``X``, read as "how unusual".

    The invoice features already hold rules an operator would write by hand; this class
    puts them on the detectors' API. :class:`PriceRatioRule` is the price rule; the
    quantity rule reads ``quantity_contrast`` and the repeat rule ``repeat_basket``.

    Examples
    --------
    >>> X = pd.DataFrame({"quantity_contrast": [0.1, 1.5], "units": [5.0, 6.0]})
    >>> ColumnRule(column="quantity_contrast").fit_score(X).tolist()
    [0.1, 1.5]
    """

    def __init__(self, *, column: str = "max_price_ratio") -> None:
        self.column = column

    def fit(self, X: pd.DataFrame, y=None) -> ColumnRule:
        X = self._check_fit_input(X)
        require_string(self.column, "column")
        if self.column not in X.columns:
            raise ValueError(f"X has no column {self.column!r} for the rule; found {list(X.columns)}")
        return self

    def anomaly_score(self, X: pd.DataFrame) -> np.ndarray:
        """The rule's column of ``X``."""
        values = self._check_score_input(X)
        return values[:, list(self.feature_names_in_).index(self.column)].copy()


class PriceRatioRule(ColumnRule):
    """The item-price-ratio rule: the score is ``max_price_ratio``.

    ``max_price_ratio`` is ``|log10(price / product's median price)|`` of the invoice's most
    unusual line, so a score of 1 reads "a line ten times off its usual price".

    Examples
    --------
    >>> X = pd.DataFrame({"max_price_ratio": [0.0, 1.0], "units": [5.0, 6.0]})
    >>> PriceRatioRule().fit_score(X).tolist()
    [0.0, 1.0]
    """

    def __init__(self, *, column: str = "max_price_ratio") -> None:
        super().__init__(column=column)


def percentiles(reference: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Mid-rank percentile (0..1) of each of ``scores`` among ``reference``.

    Ties share the middle of their block, so a member that gives most rows the same score
    moves them all to the same middling percentile rather than to the top or bottom.

    Examples
    --------
    >>> percentiles(np.array([1.0, 2.0, 2.0, 3.0]), np.array([2.0, 3.0, 9.0])).tolist()
    [0.5, 0.875, 1.0]
    """
    ref = np.sort(as_float_array(reference, "reference", allow_empty=False))
    scores = as_float_array(scores, "scores", ndim=None)
    below = np.searchsorted(ref, scores, side="left")
    upto = np.searchsorted(ref, scores, side="right")
    return (below + upto) / (2.0 * len(ref))


def percentile_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """Each column's in-sample mid-rank percentiles (0..1), as :func:`rank_combine` sees them.

    Examples
    --------
    >>> percentile_frame(pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]}))["a"].tolist()
    [0.125, 0.375, 0.625, 0.875]
    """
    require_numeric_frame(scores, "scores")
    return pd.DataFrame(
        {c: percentiles(scores[c].to_numpy(float), scores[c].to_numpy(float)) for c in scores},
        index=scores.index,
    )


def rank_combine(
    scores: pd.DataFrame, combine: str | CalibratedMax = "mean", weights: Sequence[float] | None = None
) -> np.ndarray:
    """Combine in-sample scores (one column per detector) by their percentiles.

    This is :meth:`RankEnsemble.fit_score` for scores computed already, so an evaluation
    can try several ensembles without refitting their members. ``combine`` is ``"mean"``,
    ``"max"`` or a fitted :class:`CalibratedMax` (its members must be columns of ``scores``).

    Examples
    --------
    >>> s = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 1.0, 2.0, 3.0]})
    >>> rank_combine(s, "max").tolist()
    [0.875, 0.375, 0.625, 0.875]
    """
    if isinstance(combine, CalibratedMax):
        return combine.combine(percentile_frame(scores))
    if combine not in ("mean", "max"):
        raise ValueError(f"combine must be 'mean', 'max' or a fitted CalibratedMax, got {combine!r}")
    require_numeric_frame(scores, "scores")
    if weights is not None:
        weights = _weights(weights, scores.shape[1])
    P = percentile_frame(scores).to_numpy()
    if combine == "max":
        return P.max(axis=1)
    return P @ (np.full(P.shape[1], 1.0 / P.shape[1]) if weights is None else weights)


class CalibratedMax:
    """Max over detectors of the probability of an anomaly given the detector's percentile.

    The plain maximum of percentiles puts every member's top 1% level with each other, so one
    member's confident hits queue behind the others' ordinary tails. Here each member's
    percentile is first mapped to the share of labelled anomalies at that percentile (an
    increasing isotonic regression fitted on a labelled set, e.g. a validation planting), and
    the largest of those probabilities is the score: a member whose top is mostly real anomalies
    ranks first. Ties of the step functions break by the largest percentile (weight ``1e-6``).

    Parameters
    ----------
    members
        Detector names (columns of the percentile frames).

    Examples
    --------
    >>> P = pd.DataFrame({"a": np.linspace(0, 1, 100), "b": np.linspace(1, 0, 100)})
    >>> y = np.r_[np.ones(5, bool), np.zeros(90, bool), np.ones(5, bool)]
    >>> cm = CalibratedMax(["a", "b"]).fit(P, y)
    >>> int(np.argmax(cm.combine(P))) in (0, 99)
    True
    """

    def __init__(self, members: Sequence[str]) -> None:
        self.members = list(require_strings(members, "members"))
        if not self.members:
            raise ValueError("members must name at least one detector")

    def fit(self, percentiles: pd.DataFrame, is_anomaly) -> CalibratedMax:
        """Learn each member's percentile -> probability map on labelled rows; return ``self``."""
        P = self._frame(percentiles)
        y = as_bool_array(is_anomaly, "is_anomaly")
        if len(y) != len(P):
            raise ValueError(f"is_anomaly has {len(y)} values but percentiles has {len(P)} rows")
        if y.all() or not y.any():
            raise ValueError("is_anomaly must hold both anomalies and normal rows")
        self.calibrators_ = {
            m: IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(P[m], y.astype(float))
            for m in self.members
        }
        return self

    def _frame(self, percentiles: pd.DataFrame) -> pd.DataFrame:
        require_numeric_frame(percentiles, "percentiles")
        missing = [m for m in self.members if m not in percentiles.columns]
        if missing:
            raise ValueError(f"percentiles is missing member column(s) {missing}")
        return percentiles[self.members]

    def member_probabilities(self, percentiles: pd.DataFrame) -> pd.DataFrame:
        """Each member's calibrated probability for the rows of ``percentiles``."""
        if not hasattr(self, "calibrators_"):
            raise ValueError("this CalibratedMax is not fitted yet: call fit(percentiles, is_anomaly) first")
        P = self._frame(percentiles)
        return pd.DataFrame({m: self.calibrators_[m].predict(P[m]) for m in self.members}, index=P.index)

    def combine(self, percentiles: pd.DataFrame) -> np.ndarray:
        """The combined score of each row: the largest member probability (+ 1e-6 x largest percentile)."""
        probability = self.member_probabilities(percentiles).to_numpy().max(axis=1)
        return probability + 1e-6 * self._frame(percentiles).to_numpy(float).max(axis=1)

    def __repr__(self) -> str:
        return f"CalibratedMax(members={self.members!r})"


def _weights(weights, n: int) -> np.ndarray:
    """Ensemble weights: ``n`` non-negative numbers, not all 0, normalised to sum 1."""
    w = as_float_array(weights, "weights", low=0)
    if w.shape != (n,) or w.sum() <= 0:
        raise ValueError(f"weights must have {n} non-negative numbers, not all 0; got {weights!r}")
    return w / w.sum()


class RankEnsemble(_Detector):
    """Combine detectors by the percentile of each one's score among its training scores.

    Parameters
    ----------
    detectors
        ``(name, detector)`` pairs; each is cloned and fitted.
    combine
        ``"mean"`` (rank averaging) or ``"max"`` (flag what any member ranks near the top:
        suits members that each see a different kind of anomaly).
    weights
        Optional weights of the members for ``"mean"``.

    Examples
    --------
    >>> X = pd.DataFrame({"max_price_ratio": [0.0, 0.1, 0.0, 1.0], "units": [1.0, 50.0, 2.0, 1.5]})
    >>> ens = RankEnsemble(detectors=[("z", RobustZDetector()), ("price", PriceRatioRule())], combine="max")
    >>> ens.fit_score(X).round(2).tolist()
    [0.38, 0.88, 0.25, 0.88]
    """

    def __init__(
        self,
        *,
        detectors: Sequence[tuple[str, _Detector]] = (),
        combine: str = "mean",
        weights: Sequence[float] | None = None,
    ) -> None:
        self.detectors = detectors
        self.combine = combine
        self.weights = weights

    def fit(self, X: pd.DataFrame, y=None) -> RankEnsemble:
        X = self._check_fit_input(X)
        if self.combine not in ("mean", "max"):
            raise ValueError(f"combine must be 'mean' or 'max', got {self.combine!r}")
        if len(self.detectors) == 0:
            raise ValueError("detectors must name at least one (name, detector) pair")
        for i, pair in enumerate(self.detectors):
            if not (isinstance(pair, tuple | list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise TypeError(f"detectors[{i}] must be a (name, detector) pair, got {pair!r}")
            if not isinstance(pair[1], _Detector):
                raise TypeError(f"detectors[{i}] ({pair[0]!r}) must be a detector of this module, got {pair[1]!r}")
        names = [name for name, _ in self.detectors]
        if len(set(names)) != len(names):
            raise ValueError(f"detector names must be unique, got {names}")
        if self.weights is not None:
            self.weights_ = _weights(self.weights, len(names))
        else:
            self.weights_ = np.full(len(names), 1.0 / len(names))
        self.fitted_ = {}
        self.training_scores_ = {}
        for name, detector in self.detectors:
            fitted = clone(detector)
            scores = fitted.fit_score(X)
            self.fitted_[name] = fitted
            self.training_scores_[name] = np.sort(scores)
        return self

    def _percentile(self, name: str, scores: np.ndarray) -> np.ndarray:
        return percentiles(self.training_scores_[name], scores)

    def member_percentiles(self, X: pd.DataFrame, in_sample: bool = False) -> pd.DataFrame:
        """Each member's percentile (0..1) for the rows of ``X``."""
        self._check_score_input(X)
        require_bool(in_sample, "in_sample")
        columns = {}
        for name, detector in self.fitted_.items():
            raw = detector.training_scores_ if in_sample and isinstance(detector, LOFDetector) else None
            scores = raw if raw is not None else detector.anomaly_score(X)
            columns[name] = self._percentile(name, scores)
        return pd.DataFrame(columns, index=X.index)

    def _combine(self, percentiles: pd.DataFrame) -> np.ndarray:
        values = percentiles.to_numpy()
        if self.combine == "max":
            return values.max(axis=1)
        return values @ self.weights_

    def anomaly_score(self, X: pd.DataFrame) -> np.ndarray:
        """The combined percentile of each row (0..1; higher = more anomalous)."""
        return self._combine(self.member_percentiles(X))

    def fit_score(self, X: pd.DataFrame) -> np.ndarray:
        """Fit on ``X`` and score the same rows (members' in-sample scores)."""
        return self._combine(self.fit(X).member_percentiles(X, in_sample=True))


def default_detectors(n_neighbors: int = 50, random_state: int | None = 0) -> dict[str, _Detector]:
    """The single detectors of notebook 08, by name: two learned, one statistical, three rules.

    Examples
    --------
    >>> list(default_detectors())
    ['IsolationForest', 'LOF', 'robust z', 'price rule', 'quantity rule', 'repeat rule']
    """
    require_positive_int(n_neighbors, "n_neighbors")
    require_seed(random_state, "random_state")
    return {
        "IsolationForest": IsolationForestDetector(random_state=random_state),
        "LOF": LOFDetector(n_neighbors=n_neighbors),
        "robust z": RobustZDetector(),
        "price rule": PriceRatioRule(),
        "quantity rule": ColumnRule(column="quantity_contrast"),
        "repeat rule": ColumnRule(column="repeat_basket"),
    }


def contamination_threshold(scores: np.ndarray, contamination: float) -> float:
    """The score above which the top ``contamination`` share of rows lie.

    Examples
    --------
    >>> contamination_threshold(np.arange(100.0), 0.05)
    94.05
    """
    contamination = require_number(contamination, "contamination", low=0.0, high=0.5, low_inclusive=False)
    scores = as_float_array(scores, "scores", allow_empty=False)
    return float(np.quantile(scores, 1.0 - contamination))
