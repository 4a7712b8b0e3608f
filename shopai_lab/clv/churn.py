"""Churn risk that uses recency: a classifier on calibration-period features, trained on an earlier window.

When the data show no dropout, the BG/NBD reduces to the NBD and its probability of no purchase
depends on frequency and age only: how long a customer has been quiet no longer counts. The
classifier here learns ``P(no purchase in the next weeks)`` from the same summary columns
(weeks quiet, frequency, age, spend) on a window that ends where the scoring starts, so it never
sees the period it is judged on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from shopai_lab import ranking
from shopai_lab._validation import (
    require_binary,
    require_instance,
    require_number,
    require_one_of,
    require_positive,
    require_positive_int,
    require_seed,
    require_transactions,
    to_timestamp,
)
from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.summary import _check_summary, _summary_arrays, summarize_customers

#: The features the classifier reads from a customer summary (``log_monetary`` only when the summary has
#: ``monetary_value``).
CHURN_FEATURES: tuple[str, ...] = ("weeks_quiet", "log_frequency", "T", "log_monetary")


def churn_features(summary: pd.DataFrame) -> pd.DataFrame:
    """Features of each customer for the churn classifier, from a BG/NBD summary.

    ``weeks_quiet = T - recency`` (time since the last purchase, in the summary's unit),
    ``log_frequency = log(1 + frequency)``, ``T`` (age) and, when the summary has
    ``monetary_value``, ``log_monetary = log(1 + monetary_value)``.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``frequency``, ``recency``, ``T`` (and optionally ``monetary_value``) per customer,
        as :func:`summarize_customers` returns them.

    Returns
    -------
    pandas.DataFrame
        One row per customer, indexed like ``summary``.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 3], "recency": [0.0, 10.0], "T": [4.0, 12.0]})
    >>> churn_features(s)
       weeks_quiet  log_frequency     T
    0          4.0       0.000000   4.0
    1          2.0       1.386294  12.0
    """
    _check_summary(summary, ["frequency", "recency", "T"])
    x, tx, t_age = _summary_arrays(summary["frequency"], summary["recency"], summary["T"])
    features = pd.DataFrame({"weeks_quiet": t_age - tx, "log_frequency": np.log1p(x), "T": t_age}, index=summary.index)
    if "monetary_value" in summary.columns:
        spend = summary["monetary_value"].to_numpy(dtype=float)
        if not np.isfinite(spend).all() or (spend < 0).any():
            raise ValueError("summary['monetary_value'] must be finite and >= 0")
        features["log_monetary"] = np.log1p(spend)
    return features


def churn_training_set(
    purchases: pd.DataFrame, end: str | pd.Timestamp, weeks: float, time_unit: str = "W"
) -> tuple[pd.DataFrame, pd.Series]:
    """A labelled window for the churn classifier: features at ``end - weeks``, label from the weeks to ``end``.

    The summary is taken at ``end - weeks`` (customers acquired by then); the label is
    ``True`` for customers with no purchase day in the following ``weeks`` weeks. Used with
    ``end`` = the calibration end, it lies entirely before the holdout.

    Parameters
    ----------
    purchases : pandas.DataFrame
        Clean purchase lines (``customer_id``, ``timestamp``, ``quantity``, ``unit_price``).
    end : str or pandas.Timestamp
        Last day of the labelling window.
    weeks : float
        Length of the labelling window in weeks (the risk horizon).
    time_unit : {"W", "D"}
        Unit of recency and T in the returned summary.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.Series)
        The summary at ``end - weeks`` (with its holdout columns) and ``went_quiet`` (bool).

    Raises
    ------
    ValueError
        When ``end - weeks`` falls before the data start (the window is longer than the data).

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-03", "2024-03-20"]),
    ...     "quantity": [1, 1, 1, 1], "unit_price": [5.0, 5.0, 3.0, 3.0]})
    >>> summary, quiet = churn_training_set(lines, "2024-03-20", weeks=6)
    >>> quiet.to_dict()
    {'a': True, 'b': False}
    """
    require_transactions(purchases, "purchases", ["customer_id", "timestamp"], allow_empty=False)
    end_day = to_timestamp(end, "end").normalize()
    weeks = require_positive(weeks, "weeks")
    start = (end_day - pd.Timedelta(weeks=weeks)).normalize()
    first_day = purchases["timestamp"].min().normalize()
    if start <= first_day:
        raise ValueError(
            f"weeks={weeks:g}: the training window would start on {start.date()}, not after the first purchase "
            f"({first_day.date()}); the data are too short for a window of this length before {end_day.date()}"
        )
    summary = summarize_customers(purchases, start, end_day, time_unit=time_unit)
    return summary, (summary["frequency_holdout"] == 0).rename("went_quiet")


class ChurnClassifier(ClassifierMixin, BaseEstimator):
    """Probability of no purchase in the next weeks from a customer's summary (weeks quiet, frequency, age, spend).

    A discriminative alternative to :meth:`BetaGeoModel.prob_no_purchases` that uses recency
    whether or not the data identify a dropout process. Fit it on a labelled window that ends
    before the period it will score (:func:`churn_training_set`).

    Parameters
    ----------
    model : {"auto", "logistic", "boosting"}, default "auto"
        Standardised logistic regression, histogram gradient boosting, or ``"auto"``: the one
        with the higher mean ROC AUC in stratified ``cv``-fold cross-validation on the training
        window (selection on training data only). A logistic regression cannot represent the
        BG/NBD's interaction of recency with frequency; boosting can, given enough customers.
    C : float, default 1.0
        Inverse L2 penalty of the logistic regression.
    cv : int, default 5
        Folds of the cross-validation of ``model="auto"``.
    random_state : int or None, default 0
        Seed of the boosting model.

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
    feature_names_ : list of str
        The :func:`churn_features` columns used.
    model_ : str
        The model used (``"logistic"`` or ``"boosting"``).
    cv_auc_ : dict
        Cross-validated ROC AUC of each candidate (``model="auto"`` only; else empty).
    coef_ : pandas.Series
        Standardised coefficients of the logistic regression (when ``model_ == "logistic"``).
    classes_ : numpy.ndarray
        ``[False, True]``: the second column of ``predict_proba`` is P(no purchase).

    Examples
    --------
    >>> from shopai_lab.clv import simulate_bgnbd
    >>> sim = simulate_bgnbd(2_000, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=1)
    >>> clf = ChurnClassifier(model="logistic").fit(sim, sim["frequency_holdout"] == 0)
    >>> clf.predict_proba(sim).shape, bool(clf.coef_["weeks_quiet"] > 0)
    ((2000, 2), True)
    """

    def __init__(self, *, model: str = "auto", C: float = 1.0, cv: int = 5, random_state: int | None = 0) -> None:
        self.model = model
        self.C = C
        self.cv = cv
        self.random_state = random_state

    def _pipeline(self, model: str) -> Pipeline:
        require_seed(self.random_state, "random_state")
        if model == "logistic":
            c = require_number(self.C, "C", low=0, low_inclusive=False)
            return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
        return make_pipeline(
            HistGradientBoostingClassifier(
                max_iter=200, learning_rate=0.05, max_depth=3, random_state=self.random_state
            )
        )

    def fit(self, summary: pd.DataFrame, y) -> ChurnClassifier:
        """Fit on a summary and ``y`` = no purchase in the following window (bool or 0/1), one per row."""
        features = churn_features(summary)
        labels = require_binary(y, "y")
        if labels.shape != (len(features),):
            raise ValueError(f"y must have one label per customer ({len(features)}), got shape {labels.shape}")
        if labels.min() == labels.max():
            raise ValueError("y has one class only: every customer went quiet, or none did; use a longer window")
        require_one_of(self.model, "model", ("auto", "logistic", "boosting"))
        target = labels.astype(bool)
        self.cv_auc_ = {}
        # One thread: small fits, where OpenMP threads on a shared machine cost far more than they save.
        with threadpool_limits(1):
            if self.model == "auto":
                folds = StratifiedKFold(require_positive_int(self.cv, "cv", minimum=2), shuffle=True, random_state=0)
                for name in ("logistic", "boosting"):
                    scores = cross_val_score(self._pipeline(name), features, target, cv=folds, scoring="roc_auc")
                    self.cv_auc_[name] = float(np.mean(scores))
                self.model_ = max(self.cv_auc_, key=self.cv_auc_.get)
            else:
                self.model_ = self.model
            self.pipeline_ = self._pipeline(self.model_).fit(features, target)
        self.feature_names_ = list(features.columns)
        self.classes_ = np.array([False, True])
        if self.model_ == "logistic":
            self.coef_ = pd.Series(self.pipeline_[-1].coef_[0], index=self.feature_names_, name="coef")
        return self

    def predict_proba(self, summary: pd.DataFrame) -> np.ndarray:
        """``[P(purchase), P(no purchase)]`` per customer of ``summary``."""
        check_is_fitted(self, "pipeline_")
        features = churn_features(summary)
        missing = [c for c in self.feature_names_ if c not in features.columns]
        if missing:
            raise ValueError(f"summary lacks what the classifier was fitted on: {missing} (monetary_value?)")
        with threadpool_limits(1):
            return self.pipeline_.predict_proba(features[self.feature_names_])

    def predict(self, summary: pd.DataFrame) -> np.ndarray:
        """``True`` where P(no purchase) > 0.5."""
        return self.predict_proba(summary)[:, 1] > 0.5


def choose_churn_score(bgnbd: BetaGeoModel) -> str:
    """The churn score a list should use, by a rule fixed before any holdout is seen.

    ``"BG/NBD"`` when the fitted model identifies a dropout process (its probability of no
    purchase then uses recency through P(alive)); otherwise ``"classifier"``
    (:class:`ChurnClassifier`), because without dropout the BG/NBD score ignores how long a
    customer has been quiet.

    Examples
    --------
    >>> from shopai_lab.clv import simulate_bgnbd
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     flat = BetaGeoModel().fit(simulate_bgnbd(2_000, r=0.8, alpha=8.0, a=1e-6, b=1e3, random_state=4))
    >>> choose_churn_score(flat)
    'classifier'
    """
    require_instance(bgnbd, BetaGeoModel, "bgnbd")
    check_is_fitted(bgnbd, "params_")
    return "BG/NBD" if bgnbd.dropout_identified_ else "classifier"


def auc(y_true, score) -> float:
    """ROC AUC from ranks (ties count one half): the same value as ``sklearn.metrics.roc_auc_score``, faster.

    Fast enough to be recomputed on a thousand bootstrap resamples.

    Examples
    --------
    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y = np.asarray(y_true).astype(bool)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("y_true needs both classes for an AUC")
    ranks = rankdata(ranking.quantize(np.asarray(score, dtype=float)))  # near-ties are ties, on any CPU
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def compare_churn_scores(
    went_quiet, scores: dict, reference: str, n_boot: int = 1000, level: float = 0.95, random_state: int | None = 0
) -> pd.DataFrame:
    """ROC AUC of several churn scores on the same customers, each against ``reference`` with a paired interval.

    Customers are resampled with replacement, stratified by outcome, the same draw for every
    score (:func:`shopai_lab.stats.paired_metric_bootstrap`).

    Parameters
    ----------
    went_quiet : array-like of bool
        Whether each customer made no purchase in the scored period.
    scores : dict
        ``{name: score per customer}``; higher means more likely to go quiet.
    reference : str
        The name in ``scores`` the others are compared with.
    n_boot, level, random_state
        Bootstrap draws, interval level and seed.

    Returns
    -------
    pandas.DataFrame
        Indexed by score name: ``auc``, ``interval`` (the :class:`~shopai_lab.stats.Interval` of its
        AUC minus the reference's; ``None`` for the reference) and ``verdict`` against the reference.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(600) < 0.4
    >>> t = compare_churn_scores(y, {"noise": rng.random(600), "signal": y + rng.random(600)}, "noise", n_boot=200)
    >>> t.loc["signal", "verdict"]
    'better'
    """
    from shopai_lab.report import verdict
    from shopai_lab.stats import paired_metric_bootstrap

    y = require_binary(went_quiet, "went_quiet")
    require_instance(scores, dict, "scores")
    require_one_of(reference, "reference", list(scores))
    arrays = {}
    for name, values in scores.items():
        array = np.asarray(values, dtype=float)
        if array.shape != y.shape or not np.isfinite(array).all():
            raise ValueError(f"scores[{name!r}] must hold one finite value per customer ({len(y)})")
        arrays[name] = array
    rows = {}
    for name, array in arrays.items():
        row = {"auc": auc(y, array)}
        if name == reference:
            row.update(interval=None, verdict="reference")
        else:
            result = paired_metric_bootstrap(
                auc,
                y,
                arrays[reference],
                array,
                n_boot=n_boot,
                level=level,
                random_state=random_state,
                stratify=True,
            )
            row.update(interval=result, verdict=verdict(result))
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def churn_risk(
    choice: str,
    bgnbd: BetaGeoModel,
    summary: pd.DataFrame,
    purchases: pd.DataFrame,
    weeks: float,
    random_state: int | None = 0,
    classifier: ChurnClassifier | None = None,
) -> pd.Series:
    """Risk of no purchase in the next ``weeks`` for each customer of ``summary``, by the chosen score.

    ``choice="BG/NBD"``: :meth:`BetaGeoModel.prob_no_purchases`. ``choice="classifier"`` with a fitted
    ``classifier``: that very model applied to ``summary`` (neither refitted nor re-chosen), so the list
    is ranked by the model checked on a holdout; its label horizon must be ``weeks``. Without one: a
    :class:`ChurnClassifier` fitted on the window of ``weeks`` weeks that ends on the last
    purchase day of ``purchases`` used by ``summary`` (:func:`churn_training_set`), then applied
    to ``summary`` (a model no holdout has checked). ``summary`` must be the calibration summary at
    the end of ``purchases``.

    Returns
    -------
    pandas.Series
        ``risk`` indexed like ``summary``; ``attrs`` hold the ``score``, the ``model`` used
        (``"BG/NBD"``, ``"logistic"`` or ``"boosting"``) and the classifier's ``cv_auc``.
    """
    require_one_of(choice, "choice", ("BG/NBD", "classifier"))
    weeks = require_positive(weeks, "weeks")
    _check_summary(summary, ["frequency", "recency", "T"])
    if choice == "BG/NBD":
        values = bgnbd.prob_no_purchases(weeks, summary["frequency"], summary["recency"], summary["T"])
        model, cv_auc = "BG/NBD", {}
    else:
        if classifier is None:
            end = purchases["timestamp"].max().normalize()
            window, quiet = churn_training_set(purchases, end, weeks)
            classifier = ChurnClassifier(random_state=random_state).fit(window, quiet)
        else:
            require_instance(classifier, ChurnClassifier, "classifier")
            check_is_fitted(classifier, "pipeline_")
        values = classifier.predict_proba(summary)[:, 1]
        model, cv_auc = classifier.model_, classifier.cv_auc_
    risk = pd.Series(values, index=summary.index, name="risk")
    risk.attrs.update(score=choice, model=model, cv_auc=cv_auc)
    return risk


def quiet_by_group(went_quiet, scores: dict, groups) -> pd.DataFrame:
    """Share of customers who went quiet in each group, next to each score's mean: a check of scores against outcomes.

    Parameters
    ----------
    went_quiet : pandas.Series of bool
        Outcome per customer (indexed by customer).
    scores : dict
        ``{name: score per customer}`` aligned with ``went_quiet``.
    groups : pandas.Series
        Group (e.g. RFM segment) per customer, indexed by customer; customers without a group are left out.

    Returns
    -------
    pandas.DataFrame
        One row per group (in the order of a categorical ``groups``): ``customers``, ``went_quiet``
        (share) and the mean of each score; ``attrs["rank_agreement"]`` holds, per score, the Spearman
        correlation across groups between its mean and the share that went quiet.

    Examples
    --------
    >>> quiet = pd.Series([True, False, True, True], index=list("abcd"))
    >>> table = quiet_by_group(quiet, {"s": [0.9, 0.1, 0.6, 0.7]}, pd.Series(["x", "y", "x", "y"], index=list("abcd")))
    >>> table
       customers  went_quiet     s
    x          2         1.0  0.75
    y          2         0.5  0.40
    >>> round(table.attrs["rank_agreement"]["s"], 6)
    1.0
    """
    require_instance(went_quiet, pd.Series, "went_quiet")
    require_instance(groups, pd.Series, "groups")
    y = require_binary(went_quiet, "went_quiet")
    require_instance(scores, dict, "scores")
    frame = pd.DataFrame({"went_quiet": y}, index=went_quiet.index)
    for name, values in scores.items():
        array = np.asarray(values, dtype=float)
        if array.shape != y.shape:
            raise ValueError(f"scores[{name!r}] must hold one value per customer ({len(y)})")
        frame[name] = array
    frame = frame.join(groups.rename("_group"), how="inner")
    if frame.empty:
        raise ValueError("groups shares no customer with went_quiet: check that both are indexed by customer_id")
    table = frame.groupby("_group", observed=True).mean()
    table.insert(0, "customers", frame.groupby("_group", observed=True).size())
    table.index.name = None
    table.attrs["rank_agreement"] = {
        name: float(table[name].corr(table["went_quiet"], method="spearman")) for name in scores
    }
    return table
