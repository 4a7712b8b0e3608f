"""Purchase-propensity scoring: feature pipelines, models, calibration and the targeting decision.

For the Online Shoppers sessions (:func:`shopai_lab.datasets.load_online_shoppers`):
a ``ColumnTransformer`` (``log1p`` of page counts, durations and page values,
scaling, one-hot of month, visitor type and the categorical codes) in front of
a logistic regression, an MLP or gradient-boosted trees; metrics that judge
both ranking (ROC AUC, average precision) and probabilities (log loss, Brier,
expected calibration error); and the profit curve that turns calibrated
probabilities into a targeting threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from shopai_lab._validation import (
    as_float_array,
    require_binary,
    require_frame,
    require_number,
    require_positive_int,
    require_probabilities,
    require_probability,
    require_same_length,
    require_seed,
    require_string,
)

LABEL = "Revenue"
#: Heavy-tailed counts, durations and page values: log1p, then standardised.
LOG_COLUMNS = ("Administrative", "Administrative_Duration", "Informational", "Informational_Duration",
               "ProductRelated", "ProductRelated_Duration", "PageValues")
#: Bounded rates: standardised as they are.
RATE_COLUMNS = ("BounceRates", "ExitRates", "SpecialDay")
#: Codes without an order: one-hot (unknown values at predict time become all-zero).
CATEGORICAL_COLUMNS = ("Month", "VisitorType", "OperatingSystems", "Browser", "Region", "TrafficType", "Weekend")
FEATURES = LOG_COLUMNS + RATE_COLUMNS + CATEGORICAL_COLUMNS


def check_sessions(sessions: pd.DataFrame, label: str = LABEL) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and a 0/1 label from a sessions table, or a clear error.

    Raises
    ------
    ValueError
        When the label or a feature column is missing, the label is not
        binary or has a single class, or a feature has missing values.
    """
    require_frame(sessions, "sessions")
    require_string(label, "label")
    if label not in sessions.columns:
        raise ValueError(f"label column {label!r} is missing; found columns {list(sessions.columns)}")
    missing = [c for c in FEATURES if c not in sessions.columns]
    if missing:
        raise ValueError(f"sessions is missing feature column(s) {missing}")
    y = sessions[label]
    values = set(pd.unique(y.dropna()))
    if y.isna().any() or not values <= {0, 1, True, False}:
        raise ValueError(f"label {label!r} must be binary (0/1 or True/False), found values {sorted(map(str, values))[:5]}")
    if len(values) < 2:
        raise ValueError(f"label {label!r} has a single class; a classifier needs both")
    features = sessions[list(FEATURES)]
    na = features.columns[features.isna().any()].tolist()
    if na:
        raise ValueError(f"feature column(s) {na} have missing values; impute or drop those sessions first")
    return features, y.astype(int).to_numpy()


def split_sessions(sessions: pd.DataFrame, test_size: float = 0.25, seed: int = 0, label: str = LABEL):
    """Stratified train/test split: ``X_train, X_test, y_train, y_test``."""
    require_probability(test_size, "test_size")
    require_seed(seed, "seed")
    X, y = check_sessions(sessions, label)
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)


def _log1p(x):
    return np.log1p(np.asarray(x, dtype=float))


def preprocessor() -> ColumnTransformer:
    """The session feature pipeline (see the module docstring)."""
    return ColumnTransformer([
        ("log", Pipeline([("log1p", FunctionTransformer(_log1p, feature_names_out="one-to-one")),
                          ("scale", StandardScaler())]), list(LOG_COLUMNS)),
        ("rates", StandardScaler(), list(RATE_COLUMNS)),
        ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
         list(CATEGORICAL_COLUMNS)),
    ])


def _layers(hidden_layers) -> tuple[int, ...]:
    """``hidden_layers`` as a non-empty tuple of layer sizes >= 1; floats are refused, not truncated."""
    if isinstance(hidden_layers, str) or not hasattr(hidden_layers, "__iter__"):
        raise TypeError(f"hidden_layers must be a sequence of layer sizes, got {hidden_layers!r}")
    layers = tuple(require_positive_int(n, "hidden_layers entries") for n in hidden_layers)
    if not layers:
        raise ValueError("hidden_layers must name at least one layer size")
    return layers


def _labels_and_probabilities(y_true, probability) -> tuple[np.ndarray, np.ndarray]:
    y = require_binary(y_true, "y_true")
    p = require_probabilities(probability, "probability")
    require_same_length(y_true=y, probability=p)
    if y.size == 0:
        raise ValueError("y_true and probability are empty")
    return y, p


def session_models(seed: int = 0, hidden_layers: Sequence[int] = (32, 16)) -> dict[str, Pipeline]:
    """The three models of notebook 03, each behind the feature pipeline.

    ``logistic``: the baseline; ``mlp``: a small neural network with early
    stopping (10% of the training data held out, seeded); ``boosting``:
    histogram gradient-boosted trees, the strong tabular baseline.
    """
    layers = _layers(hidden_layers)
    require_seed(seed, "seed")
    return {
        "logistic": Pipeline([("features", preprocessor()),
                              ("model", LogisticRegression(max_iter=2000, C=1.0))]),
        "mlp": Pipeline([("features", preprocessor()),
                         ("model", MLPClassifier(hidden_layer_sizes=layers, alpha=1e-2, early_stopping=True,
                                                 validation_fraction=0.1, n_iter_no_change=20,
                                                 max_iter=500, random_state=seed))]),
        "boosting": Pipeline([("features", preprocessor()),
                              ("model", HistGradientBoostingClassifier(random_state=seed))]),
    }


def expected_calibration_error(y_true, probability, n_bins: int = 10) -> float:
    """ECE with ``n_bins`` equal-width bins on [0, 1]: ``sum_b (n_b / n) |mean(y)_b - mean(p)_b|``.

    A probability of exactly 1 falls in the last bin.

    Examples
    --------
    >>> expected_calibration_error([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], n_bins=2)
    0.25
    """
    n_bins = require_positive_int(n_bins, "n_bins")
    y, p = _labels_and_probabilities(y_true, probability)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for b in np.unique(bins):
        members = bins == b
        total += members.mean() * abs(y[members].mean() - p[members].mean())
    return float(total)


def reliability_table(y_true, probability, n_bins: int = 10) -> pd.DataFrame:
    """Per equal-width bin: sessions, mean predicted probability and observed purchase rate."""
    n_bins = require_positive_int(n_bins, "n_bins")
    y, p = _labels_and_probabilities(y_true, probability)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = pd.DataFrame({"bin": bins, "predicted": p, "observed": y}).groupby("bin").agg(
        sessions=("observed", "size"), predicted=("predicted", "mean"), observed=("observed", "mean"))
    table.index = [f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}" for b in table.index]
    return table


def classification_metrics(y_true, probability, n_bins: int = 10) -> dict[str, float]:
    """ROC AUC, average precision, log loss, Brier score and ECE of predicted probabilities.

    ``probability`` must be probabilities in [0, 1] (``predict_proba``'s column): scores
    outside (logits, margins) are refused, not clipped. Exact 0 and 1 are moved 1e-15
    inside for the log loss.
    """
    n_bins = require_positive_int(n_bins, "n_bins")
    y_checked, p_checked = _labels_and_probabilities(y_true, probability)
    if len(np.unique(y_checked)) < 2:
        raise ValueError("y_true has a single class; ROC AUC and average precision need both")
    y = np.asarray(y_true)
    p = np.clip(p_checked, 1e-15, 1 - 1e-15)
    return {"auc": float(roc_auc_score(y, p)), "ap": float(average_precision_score(y, p)),
            "log_loss": float(log_loss(y, p)), "brier": float(brier_score_loss(y, p)),
            "ece": expected_calibration_error(y, p, n_bins)}


def profit_curve(y_true, probability, incentive_cost: float, conversion_value: float,
                 thresholds: np.ndarray | None = None) -> pd.DataFrame:
    """Profit of offering an incentive to every session whose probability reaches a threshold.

    A targeted session costs ``incentive_cost`` and, if it buys, earns
    ``conversion_value``. ``realised`` uses the observed outcomes; ``expected``
    the predicted probabilities (``sum (p * value - cost)``), whose maximum sits
    at ``p = cost / value`` when the probabilities are calibrated.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``targeted`` (share of sessions), ``realised`` and ``expected`` profit.
    """
    require_number(incentive_cost, "incentive_cost", low=0)
    require_number(conversion_value, "conversion_value", low=0, low_inclusive=False)
    _, p = _labels_and_probabilities(y_true, probability)
    y = np.asarray(y_true, dtype=float)
    thresholds = (np.linspace(0, 1, 101) if thresholds is None
                  else as_float_array(thresholds, "thresholds", allow_empty=False))
    rows = []
    for t in thresholds:
        target = p >= t
        rows.append({"threshold": float(t), "targeted": float(target.mean()),
                     "realised": float((y[target] * conversion_value - incentive_cost).sum()),
                     "expected": float((p[target] * conversion_value - incentive_cost).sum())})
    return pd.DataFrame(rows)


def partial_dependence(model, X: pd.DataFrame, feature: str, grid_size: int = 20) -> pd.DataFrame:
    """Average predicted probability when ``feature`` is set to each grid value for every row of ``X``.

    Numeric features use ``grid_size`` quantiles (5% to 95%); others their
    distinct values. Written out (rather than scikit-learn's display) so that
    mixed-type session tables work as they are.

    Returns
    -------
    pandas.DataFrame
        ``value`` and ``mean_probability`` per grid point.
    """
    require_frame(X, "X")
    grid_size = require_positive_int(grid_size, "grid_size")
    if not hasattr(model, "predict_proba"):
        raise TypeError(f"model must have predict_proba (a fitted classifier), got {type(model).__name__}")
    if len(X) == 0:
        raise ValueError("X is empty: it has no rows")
    if feature not in X.columns:
        raise ValueError(f"feature {feature!r} is not a column of X; found {list(X.columns)}")
    column = X[feature]
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        grid = np.unique(np.quantile(column.to_numpy(dtype=float), np.linspace(0.05, 0.95, grid_size)))
    else:
        grid = np.array(sorted(column.unique(), key=str), dtype=object)
    rows = []
    for value in grid:
        changed = X.copy()
        changed[feature] = value
        rows.append({"value": value, "mean_probability": float(model.predict_proba(changed)[:, 1].mean())})
    return pd.DataFrame(rows)
