"""Session purchase-propensity data and model pipelines."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from shopai_lab._validation import (
    require_frame,
    require_hidden_layers,
    require_probability,
    require_seed,
    require_string,
    require_strings,
)

LABEL = "Revenue"


#: Heavy-tailed counts, durations and page values: log1p, then standardised.
LOG_COLUMNS = (
    "Administrative",
    "Administrative_Duration",
    "Informational",
    "Informational_Duration",
    "ProductRelated",
    "ProductRelated_Duration",
    "PageValues",
)


#: Bounded rates: standardised as they are.
RATE_COLUMNS = ("BounceRates", "ExitRates", "SpecialDay")


#: Codes without an order: one-hot (unknown values at predict time become all-zero).
CATEGORICAL_COLUMNS = ("Month", "VisitorType", "OperatingSystems", "Browser", "Region", "TrafficType", "Weekend")


SESSION_FEATURES = LOG_COLUMNS + RATE_COLUMNS + CATEGORICAL_COLUMNS


#: Known only once a session has progressed towards a purchase: ``PageValues`` is the mean Google-Analytics
#: value of the pages seen, which is non-zero mainly after pages that precede a transaction (basket, checkout).
#: A model that acts *during* a session (an incentive to buy) cannot rely on it.
LATE_SESSION_FEATURES = ("PageValues",)


#: Features an early-session decision may use: every feature but :data:`LATE_SESSION_FEATURES`. The arrival
#: context (month, visitor type, traffic source, region, browser, weekend, special day) is known at the first
#: page; page counts, durations and the pages' bounce and exit rates accumulate as the session goes on (this
#: data holds their session totals, so a model on them is an optimistic bound for a decision taken mid-session).
EARLY_SESSION_FEATURES = tuple(c for c in SESSION_FEATURES if c not in LATE_SESSION_FEATURES)


def check_sessions(sessions: pd.DataFrame, label: str = LABEL) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and a 0/1 label from a sessions table, or a clear error.

    Raises
    ------
    ValueError
        When the label or a feature column is missing, the label is not
        binary or has a single class, or a feature has missing values.

    Examples
    --------
    >>> from shopai_lab.data import load_online_shoppers
    >>> X, y = check_sessions(load_online_shoppers())
    >>> X.shape, int(y.sum())
    ((12330, 17), 1908)
    """
    require_frame(sessions, "sessions")
    require_string(label, "label")
    if label not in sessions.columns:
        raise ValueError(f"label column {label!r} is missing; found columns {list(sessions.columns)}")
    missing = [c for c in SESSION_FEATURES if c not in sessions.columns]
    if missing:
        raise ValueError(f"sessions is missing feature column(s) {missing}")
    y = sessions[label]
    values = set(pd.unique(y.dropna()))
    if y.isna().any() or not values <= {0, 1, True, False}:
        found = sorted(map(str, values))[:5]
        raise ValueError(f"label {label!r} must be binary (0/1 or True/False), found values {found}")
    if len(values) < 2:
        raise ValueError(f"label {label!r} has a single class; a classifier needs both")
    features = sessions[list(SESSION_FEATURES)]
    na = features.columns[features.isna().any()].tolist()
    if na:
        raise ValueError(f"feature column(s) {na} have missing values; impute or drop those sessions first")
    return features, y.astype(int).to_numpy()


def _sklearn_random_state(random_state) -> int | np.random.RandomState | None:
    """What scikit-learn accepts as ``random_state``: ``None``, an int >= 0 or a ``RandomState``."""
    require_seed(random_state, "random_state")
    if isinstance(random_state, (np.random.Generator, np.random.SeedSequence)):
        raise TypeError(
            f"random_state must be None, an integer or a numpy RandomState (scikit-learn models), "
            f"got a {type(random_state).__name__}"
        )
    return random_state


def split_sessions(
    sessions: pd.DataFrame, *, test_size: float = 0.25, random_state: int | None = 0, label: str = LABEL
) -> list:
    """Stratified train/test split of a sessions table: ``X_train, X_test, y_train, y_test``.

    Parameters
    ----------
    sessions
        One row per session with the :data:`SESSION_FEATURES` and the ``label`` column.
    test_size
        Share of sessions held out, in (0, 1).
    random_state
        Seed of the split.
    label
        The 0/1 purchase column.

    Examples
    --------
    >>> from shopai_lab.data import load_online_shoppers
    >>> X_train, X_test, y_train, y_test = split_sessions(load_online_shoppers(), test_size=0.25)
    >>> len(X_train), len(X_test), round(float(y_test.mean()), 3)
    (9247, 3083, 0.155)
    """
    require_probability(test_size, "test_size")
    _sklearn_random_state(random_state)
    X, y = check_sessions(sessions, label)
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=random_state)


def _log1p(x):
    return np.log1p(np.asarray(x, dtype=float))


def _features(features) -> tuple[str, ...]:
    """``features`` as a non-empty tuple of names from :data:`SESSION_FEATURES`."""
    if isinstance(features, str):
        raise TypeError(f"features must be a sequence of column names, got the string {features!r}")
    features = tuple(require_strings(features, "features"))
    unknown = [f for f in features if f not in SESSION_FEATURES]
    if unknown:
        raise ValueError(f"features {unknown} are not session features; choose from {list(SESSION_FEATURES)}")
    if not features:
        raise ValueError("features is empty: name at least one session feature")
    return features


def preprocessor(features: Sequence[str] = SESSION_FEATURES) -> ColumnTransformer:
    """The session feature pipeline: log1p and scale :data:`LOG_COLUMNS`, scale :data:`RATE_COLUMNS`,
    one-hot encode :data:`CATEGORICAL_COLUMNS` (unknown values at predict time become all-zero).

    Parameters
    ----------
    features
        The session features to use (others are dropped), e.g. :data:`EARLY_SESSION_FEATURES`.

    Examples
    --------
    >>> from shopai_lab.data import load_online_shoppers
    >>> X, _ = check_sessions(load_online_shoppers())
    >>> preprocessor().fit_transform(X).shape[0]
    12330
    >>> "log__PageValues" in preprocessor(EARLY_SESSION_FEATURES).fit(X).get_feature_names_out()
    False
    """
    features = _features(features)
    pick = lambda group: [c for c in group if c in features]  # noqa: E731
    blocks = [
        (
            "log",
            Pipeline(
                [
                    ("log1p", FunctionTransformer(_log1p, feature_names_out="one-to-one")),
                    ("scale", StandardScaler()),
                ]
            ),
            pick(LOG_COLUMNS),
        ),
        ("rates", StandardScaler(), pick(RATE_COLUMNS)),
        ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False), pick(CATEGORICAL_COLUMNS)),
    ]
    return ColumnTransformer([block for block in blocks if block[2]])


def session_models(
    *,
    random_state: int | None = 0,
    hidden_layers: Sequence[int] = (32, 16),
    features: Sequence[str] = SESSION_FEATURES,
) -> dict[str, Pipeline]:
    """The three models of notebook 03, each behind the feature pipeline (unfitted).

    ``logistic``: the baseline; ``mlp``: a small neural network with early
    stopping (10% of the training data held out, seeded); ``boosting``:
    histogram gradient-boosted trees, the strong tabular baseline.

    Parameters
    ----------
    random_state
        Seed of the network's initialisation and early-stopping split, and of the trees.
    hidden_layers
        Sizes of the network's hidden layers.
    features
        The session features the models see: all of them by default, or e.g.
        :data:`EARLY_SESSION_FEATURES` for a decision taken during the session.

    Examples
    --------
    >>> sorted(session_models(hidden_layers=[8]))
    ['boosting', 'logistic', 'mlp']
    """
    layers = require_hidden_layers(hidden_layers)
    _sklearn_random_state(random_state)
    features = _features(features)
    return {
        "logistic": Pipeline(
            [("features", preprocessor(features)), ("model", LogisticRegression(max_iter=2000, C=1.0))]
        ),
        "mlp": Pipeline(
            [
                ("features", preprocessor(features)),
                (
                    "model",
                    MLPClassifier(
                        hidden_layer_sizes=layers,
                        alpha=1e-2,
                        early_stopping=True,
                        validation_fraction=0.1,
                        n_iter_no_change=20,
                        max_iter=500,
                        random_state=random_state,
                    ),
                ),
            ]
        ),
        "boosting": Pipeline(
            [("features", preprocessor(features)), ("model", HistGradientBoostingClassifier(random_state=random_state))]
        ),
    }
