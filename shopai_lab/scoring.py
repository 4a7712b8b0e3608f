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
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

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
    if not isinstance(sessions, pd.DataFrame):
        raise TypeError(f"sessions must be a pandas DataFrame, got {type(sessions).__name__}")
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
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction between 0 and 1, got {test_size!r}")
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


def session_models(seed: int = 0, hidden_layers: Sequence[int] = (32, 16)) -> dict[str, Pipeline]:
    """The three models of notebook 03, each behind the feature pipeline.

    ``logistic``: the baseline; ``mlp``: a small neural network with early
    stopping (10% of the training data held out, seeded); ``boosting``:
    histogram gradient-boosted trees, the strong tabular baseline.
    """
    layers = tuple(int(n) for n in hidden_layers)
    if not layers or min(layers) < 1:
        raise ValueError(f"hidden_layers must be positive layer sizes, got {hidden_layers!r}")
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
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(probability, dtype=float)
    if y.shape != p.shape or y.size == 0:
        raise ValueError("y_true and probability must be non-empty and of equal length")
    if (p < 0).any() or (p > 1).any() or not np.isfinite(p).all():
        raise ValueError("probabilities must lie in [0, 1]")
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for b in np.unique(bins):
        members = bins == b
        total += members.mean() * abs(y[members].mean() - p[members].mean())
    return float(total)


def reliability_table(y_true, probability, n_bins: int = 10) -> pd.DataFrame:
    """Per equal-width bin: sessions, mean predicted probability and observed purchase rate."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(probability, dtype=float)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = pd.DataFrame({"bin": bins, "predicted": p, "observed": y}).groupby("bin").agg(
        sessions=("observed", "size"), predicted=("predicted", "mean"), observed=("observed", "mean"))
    table.index = [f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}" for b in table.index]
    return table


def classification_metrics(y_true, probability, n_bins: int = 10) -> dict[str, float]:
    """ROC AUC, average precision, log loss, Brier score and ECE of predicted probabilities."""
    y = np.asarray(y_true)
    p = np.clip(np.asarray(probability, dtype=float), 1e-15, 1 - 1e-15)
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
    if not (np.isfinite(incentive_cost) and np.isfinite(conversion_value)) or incentive_cost < 0 or conversion_value <= 0:
        raise ValueError("incentive_cost must be >= 0 and conversion_value > 0")
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(probability, dtype=float)
    thresholds = np.linspace(0, 1, 101) if thresholds is None else np.asarray(thresholds, dtype=float)
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
