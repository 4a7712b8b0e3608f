"""One scikit-learn contract for every estimator of shopai_lab, found by walking the package.

As scikit-learn's ``parametrize_with_checks`` does for a list of estimators, but the list is discovered: every
class in ``shopai_lab`` that subclasses ``sklearn.base.BaseEstimator`` must have a small fitting case in
:data:`CASES` (or be a base class listed in :data:`BASES`), so a new estimator cannot escape the checks:

- keyword-only hyper-parameters, stored unchanged by ``__init__`` (nothing else set there), ``get_params`` /
  ``set_params`` round trip;
- ``clone`` works, and a clone of a fitted model is unfitted;
- using the model before ``fit`` raises scikit-learn's ``NotFittedError``;
- ``fit`` returns ``self``, leaves the hyper-parameters unchanged, and every attribute it sets ends in ``_``
  (or is private);
- a clone fitted on the same data (same ``random_state`` where there is one) gives the same results;
- a fitted model survives a pickle round trip;
- ``score_samples`` (where present) follows scikit-learn's sign: higher = more normal;
- ``score`` (where present) returns one float.

Domain behaviour (what the numbers are) stays in each domain's tests; the recommender contract
(tests/recommend/test_contract.py) checks the recommender API beyond these conventions.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted

import shopai_lab
from shopai_lab import anomaly, behavior, clv, experiments, forecast, pricing, recommend, spark, support
from shopai_lab.anomaly.detectors import _Detector
from shopai_lab.data import load_cdnow_summary
from shopai_lab.forecast.gbm import GlobalTreeForecaster
from tests.support.test_intents import INTENTS as _INTENTS
from tests.support.test_intents import TEXTS as _TEXTS


@dataclass
class Case:
    """A small fitting case: an unfitted estimator, what ``fit`` takes, and what a fitted model is for."""

    estimator: BaseEstimator
    fit_args: tuple
    use: Callable[[BaseEstimator], Any]  # e.g. lambda m: m.predict(X); must raise NotFittedError before fit
    fit_kwargs: dict = field(default_factory=dict)
    normal_and_unusual: tuple | None = None  # inputs of score_samples: ordinary rows, clearly unusual rows
    score_args: tuple | None = None  # inputs of score (default: fit_args)
    exempt: dict[str, str] = field(default_factory=dict)  # check name -> why it does not apply


# ---------------------------------------------------------------------------------------------------------------
# the small data sets of the cases (built once)


@cache
def _features() -> pd.DataFrame:
    """Five numeric columns (the anomaly rules' among them), 120 ordinary rows and 5 far off in every column."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        rng.normal(size=(125, 5)), columns=["a", "b", "max_price_ratio", "quantity_contrast", "repeat_basket"]
    )
    X.iloc[:5] += 8.0
    return X


def _normal_and_unusual() -> tuple[pd.DataFrame, pd.DataFrame]:
    X = _features()
    return X.iloc[5:], X.iloc[:5]


def _detector_case(detector: BaseEstimator) -> Case:
    X = _features()
    return Case(detector, (X,), lambda m: m.anomaly_score(X), normal_and_unusual=_normal_and_unusual())


@cache
def _demand() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    weeks = pd.date_range("2024-01-01", periods=30, freq="W-MON")
    units = rng.poisson(6.0, size=(30, 4)).astype(float)
    units[rng.random((30, 4)) < 0.3] = 0.0
    return pd.DataFrame(units, index=weeks, columns=["p1", "p2", "p3", "p4"])


def _forecaster_case(model: BaseEstimator) -> Case:
    return Case(model, (_demand(),), lambda m: m.predict(2))


@cache
def _interactions() -> sp.csr_matrix:
    rng = np.random.default_rng(7)
    dense = (rng.random((40, 20)) < 0.2) * rng.integers(1, 4, (40, 20))
    return sp.csr_matrix(dense.astype(np.float32))


_USERS = np.array([0, 3, 17, 39])
_DESCRIPTIONS = [f"{c} {t}" for c, t in zip(["red", "blue", "green", "pink"] * 5, ["candle", "cup", "clock"] * 7)]


def _recommender_case(model: BaseEstimator, *extra) -> Case:
    X = _interactions()
    return Case(model, (X, *extra), lambda m: m.recommend(_USERS, k=5))


def _sasrec_case() -> Case:
    pytest.importorskip("jax", reason='SASRec needs the [deep] extra: pip install "shopai-lab[deep]"')
    X = _interactions()
    rows = [X.indices[X.indptr[u] : X.indptr[u + 1]] for u in range(X.shape[0])]
    sequences = recommend.PurchaseSequences.from_lists(rows, n_items=X.shape[1])
    model = recommend.SASRec(
        factors=8, n_blocks=1, max_length=6, epochs=2, train_batch=16, random_state=0, progress=False
    )
    return _recommender_case(model, sequences)


_MARGINS = np.array([29.9, 34.9, 39.9, 44.9])


def _policy_case(policy: BaseEstimator) -> Case:
    def use(fitted):  # a few rounds of choosing and learning, as a simulation runs them
        chosen = []
        for t in range(8):
            arms = fitted.select(t, inventory=np.full(3, 50.0), periods_left=200 - t)
            fitted.update(arms, (arms >= 0).astype(float))
            chosen.append(arms.copy())
        return np.array(chosen)

    fit_kwargs = {"n_runs": 3, "rng": np.random.default_rng(0), "inventory": 50.0, "horizon": 200}
    return Case(policy, (_MARGINS,), use, fit_kwargs=fit_kwargs)


@cache
def _uplift_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 2))
    treatment = rng.random(600) < 0.5
    y = (rng.random(600) < 0.3 + 0.3 * treatment * (X[:, 0] > 0)).astype(int)
    return X, y, treatment


def _intent_model() -> support.IntentClassifier:
    return support.IntentClassifier(min_df=1, mlp_hidden=[8], mlp_max_iter=50, random_state=3)


@cache
def _fitted_intent_model() -> support.IntentClassifier:
    return _intent_model().fit(_TEXTS, _INTENTS)


def _churn_case() -> Case:
    sim = clv.simulate_bgnbd(400, r=0.8, alpha=8.0, a=2.0, b=6.0, T=30.0, holdout=13.0, random_state=1)
    quiet = sim["frequency_holdout"] == 0
    return Case(
        clv.ChurnClassifier(model="logistic", cv=2, random_state=0), (sim, quiet), lambda m: m.predict_proba(sim)
    )


def _clv_cases() -> dict[type, Callable[[], Case]]:
    cdnow = load_cdnow_summary()
    history = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    repeat = cdnow[cdnow["frequency"] > 0]
    return {
        clv.BetaGeoModel: lambda: Case(clv.BetaGeoModel(), (cdnow,), lambda m: m.expected_purchases(26, *history)),
        clv.GammaGammaModel: lambda: Case(
            clv.GammaGammaModel(), (cdnow,), lambda m: m.expected_spend(repeat["frequency"], repeat["monetary_value"])
        ),
    }


def _spark_als_case() -> Case:
    session = _spark_session()
    rng = np.random.default_rng(3)
    rows = [(u, i, 1.0) for u in range(30) for i in range(15) if rng.random() < 0.3]
    with spark.quiet_pandas_conversion():
        train = session.createDataFrame(pd.DataFrame(rows, columns=["user", "item", "rating"]))
        users = session.createDataFrame(pd.DataFrame({"user": [0, 5, 29]}))
    return Case(
        spark.SparkALS(factors=4, iterations=3, random_state=0),
        (train,),
        lambda m: spark.to_pandas(m.recommend(users, train, k=3)).sort_values(["user", "rank"], ignore_index=True),
        exempt={"pickle": "a fitted SparkALS holds a JVM model (model_); Spark saves it with model_.write().save()"},
    )


# the Spark session comes from the `spark` fixture (tests/conftest.py): skipped without pyspark or Java,
# failed instead when SHOPAI_REQUIRE_SPARK=1
_SPARK: dict[str, Any] = {}


def _spark_session():
    return _SPARK["session"]


@pytest.fixture
def spark_if_needed(request):
    """The Spark session, requested only by the cases of Spark estimators."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params["cls"].__module__.startswith("shopai_lab.spark."):
        _SPARK["session"] = request.getfixturevalue("spark")


# ---------------------------------------------------------------------------------------------------------------
# the registry: every estimator class of the package -> a factory of its case


CASES: dict[type, Callable[[], Case]] = {
    # anomaly (notebook 08)
    anomaly.IsolationForestDetector: lambda: _detector_case(
        anomaly.IsolationForestDetector(n_estimators=30, random_state=0)
    ),
    anomaly.LOFDetector: lambda: _detector_case(anomaly.LOFDetector(n_neighbors=10)),
    anomaly.RobustZDetector: lambda: _detector_case(anomaly.RobustZDetector()),
    anomaly.ColumnRule: lambda: _detector_case(anomaly.ColumnRule(column="quantity_contrast")),
    anomaly.PriceRatioRule: lambda: _detector_case(anomaly.PriceRatioRule()),
    anomaly.RankEnsemble: lambda: _detector_case(
        anomaly.RankEnsemble(detectors=[("z", anomaly.RobustZDetector()), ("price", anomaly.PriceRatioRule())])
    ),
    # behavior (01)
    behavior.CustomerSegmenter: lambda: Case(
        behavior.CustomerSegmenter(k_range=(2, 3), n_init=2, random_state=1),
        (_features().abs(),),
        lambda m: m.predict(_features().abs()),
    ),
    # clv (05)
    **_clv_cases(),
    clv.ChurnClassifier: _churn_case,
    # experiments (07)
    experiments.TLearner: lambda: Case(
        experiments.TLearner(random_state=0), _uplift_data(), lambda m: m.predict(_uplift_data()[0])
    ),
    experiments.XLearner: lambda: Case(
        experiments.XLearner(random_state=0), _uplift_data(), lambda m: m.predict(_uplift_data()[0])
    ),
    experiments.DRLearner: lambda: Case(
        experiments.DRLearner(random_state=0), _uplift_data(), lambda m: m.predict(_uplift_data()[0])
    ),
    # forecast (06)
    forecast.Naive: lambda: _forecaster_case(forecast.Naive()),
    forecast.MovingAverage: lambda: _forecaster_case(forecast.MovingAverage(window=4)),
    forecast.MovingMedian: lambda: _forecaster_case(forecast.MovingMedian(window=4)),
    forecast.SES: lambda: _forecaster_case(forecast.SES(grid_size=10)),
    forecast.Holt: lambda: _forecaster_case(forecast.Holt(grid_size=4)),
    forecast.Croston: lambda: _forecaster_case(forecast.Croston(alpha=0.2)),
    forecast.TSB: lambda: _forecaster_case(forecast.TSB()),
    forecast.Ensemble: lambda: _forecaster_case(
        forecast.Ensemble(members={"naive": forecast.Naive(), "ma": forecast.MovingAverage(window=4)})
    ),
    forecast.GlobalBoosting: lambda: _forecaster_case(
        forecast.GlobalBoosting(horizon=2, min_history=8, max_iter=20, min_samples_leaf=5, random_state=0)
    ),
    forecast.GlobalLightGBM: lambda: _forecaster_case(
        forecast.GlobalLightGBM(horizon=2, min_history=8, n_estimators=20, min_child_samples=5, random_state=0)
    ),
    # pricing (04)
    pricing.ThompsonSampling: lambda: _policy_case(pricing.ThompsonSampling(prior_a=2.0)),
    pricing.InventoryThompsonSampling: lambda: _policy_case(pricing.InventoryThompsonSampling()),
    pricing.UCB1: lambda: _policy_case(pricing.UCB1()),
    pricing.EpsilonGreedy: lambda: _policy_case(pricing.EpsilonGreedy(epsilon=0.2)),
    pricing.ExploreThenCommit: lambda: _policy_case(pricing.ExploreThenCommit(m=2)),
    # recommend (02, 03)
    recommend.Popularity: lambda: _recommender_case(recommend.Popularity(weighted=True)),
    recommend.ItemKNN: lambda: _recommender_case(recommend.ItemKNN(n_neighbors=5, shrinkage=2.0)),
    recommend.UserKNN: lambda: _recommender_case(recommend.UserKNN(n_neighbors=5)),
    recommend.ALS: lambda: _recommender_case(recommend.ALS(factors=4, iterations=2, random_state=3, progress=False)),
    recommend.EASE: lambda: _recommender_case(recommend.EASE(l2=5.0)),
    recommend.SASRec: _sasrec_case,
    recommend.ContentKNN: lambda: _recommender_case(recommend.ContentKNN(n_neighbors=5), _DESCRIPTIONS),
    recommend.Blend: lambda: _recommender_case(
        recommend.Blend(components=[(recommend.EASE(l2=5.0), 1.0), (recommend.Popularity(), 0.2)])
    ),
    # spark (10)
    spark.SparkALS: _spark_als_case,
    # support (09)
    support.IntentClassifier: lambda: Case(
        _intent_model(), (_TEXTS, _INTENTS), lambda m: m.predict_proba(_TEXTS), score_args=(_TEXTS, _INTENTS)
    ),
    support.TemperatureCalibrated: lambda: Case(
        support.TemperatureCalibrated(model=FrozenEstimator(_fitted_intent_model())),
        (_TEXTS[:9], _INTENTS[:9]),
        lambda m: m.predict_proba(_TEXTS),
    ),
    support.EntityExtractor: lambda: Case(
        support.EntityExtractor(),
        (
            ["switch to the Gold account", "ship to Munich", "hi"],
            ["account_type", "delivery_city", None],
            ["Gold", "Munich", None],
        ),
        lambda m: m.predict(["open a gold account", "cancel order 00123842", "do you ship to munich?"]),
    ),
    support.NearestNeighbourScore: lambda: Case(
        support.NearestNeighbourScore(k=3, batch_size=7),
        (np.abs(_features().iloc[5:, :3].to_numpy()),),
        lambda m: m.score_samples(np.abs(_features().iloc[5:, :3].to_numpy())),
        normal_and_unusual=(
            np.abs(_features().iloc[5:, :3].to_numpy()),
            np.array([[-1.0, -1.0, -1.0], [-2.0, -0.5, -1.0]]),  # pointing away from every training row
        ),
    ),
}

#: Base classes and private plumbing: not estimators on their own; each must have a subclass in CASES.
BASES: dict[type, str] = {
    _Detector: "the anomaly detectors' shared input checks",
    forecast.Forecaster: "the forecasters' base class: fit/predict of the subclasses",
    GlobalTreeForecaster: "the global tree forecasters' training rows, update and capped predictions",
    pricing.Policy: "the bandit policies' base class: select/update of the subclasses",
    recommend.Recommender: "the recommenders' base class: scores/recommend of the subclasses",
}


# ---------------------------------------------------------------------------------------------------------------
# discovery


def discover() -> list[type]:
    """Every BaseEstimator subclass defined in shopai_lab (every module imported: Spark's import pyspark lazily)."""
    found = set()
    for info in pkgutil.walk_packages(shopai_lab.__path__, "shopai_lab."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and obj.__module__.startswith("shopai_lab."):
                found.add(obj)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


DISCOVERED = discover()
ESTIMATORS = [cls for cls in DISCOVERED if cls in CASES]


def test_every_estimator_of_the_package_has_a_case():
    missing = [f"{c.__module__}.{c.__qualname__}" for c in DISCOVERED if c not in CASES and c not in BASES]
    assert not missing, f"estimators without a case in tests/test_estimators.py CASES: {missing}"
    stale = [c.__qualname__ for c in list(CASES) + list(BASES) if c not in DISCOVERED]
    assert not stale, f"CASES or BASES name classes the package no longer has: {stale}"
    for base in BASES:
        assert any(issubclass(c, base) for c in CASES), f"{base.__qualname__} has no subclass with a case"


# ---------------------------------------------------------------------------------------------------------------
# the checks: each raises AssertionError (or scikit-learn's own error) when a convention is broken


def params_of(estimator: BaseEstimator) -> dict:
    return estimator.get_params(deep=False)


def assert_same(a: Any, b: Any) -> None:
    """Equal results: arrays and frames exactly (NaN equal to NaN), containers element by element."""
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True)
    elif isinstance(a, tuple | list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    else:
        np.testing.assert_array_equal(a, b)


def fit(case: Case) -> BaseEstimator:
    return case.estimator.fit(*case.fit_args, **case.fit_kwargs)


def check_init(case: Case) -> None:
    """Keyword-only hyper-parameters, stored unchanged, nothing else set; get_params/set_params round trip."""
    cls = type(case.estimator)
    signature = inspect.signature(cls)  # of __init__ without self; () when the class has no hyper-parameters
    positional = [p.name for p in signature.parameters.values() if p.kind is not p.KEYWORD_ONLY]
    assert not positional, f"{cls.__qualname__}: hyper-parameters must be keyword-only, not {positional}"
    params = params_of(case.estimator)
    assert set(params) == set(signature.parameters)
    built = cls(**params)
    for name, value in params.items():
        assert getattr(built, name) is value, f"{cls.__qualname__}.__init__ changed {name!r}"
    assert set(vars(built)) == set(params), "__init__ must set the hyper-parameters and nothing else"
    assert built.set_params(**params) is built and params_of(built) == params


def check_clone(case: Case, fitted: BaseEstimator) -> None:
    """clone works (scikit-learn checks every parameter is passed through unchanged) and gives an unfitted model."""
    copy = clone(fitted)
    assert copy is not fitted and params_of(copy).keys() == params_of(fitted).keys()
    assert set(vars(copy)) == set(params_of(copy)), "a clone of a fitted model must not be fitted"
    with pytest.raises(NotFittedError):
        case.use(copy)


def check_not_fitted(case: Case) -> None:
    with pytest.raises(NotFittedError):
        case.use(case.estimator)


def check_fit(case: Case) -> None:
    """fit returns self, leaves the hyper-parameters as they were, and names what it learns with a trailing _."""
    estimator, params = case.estimator, params_of(case.estimator)
    hashes = {name: joblib.hash(value) for name, value in params.items()}
    before = set(vars(estimator))
    assert fit(case) is estimator, "fit must return self"
    after = params_of(estimator)
    assert all(after[name] is params[name] for name in params), "fit replaced a hyper-parameter"
    changed = [name for name, value in after.items() if joblib.hash(value) != hashes[name]]
    assert not changed, f"fit modified hyper-parameter(s) {changed}"
    learned = set(vars(estimator)) - before
    assert learned, "fit learned nothing"
    badly_named = sorted(a for a in learned if not (a.endswith("_") or a.startswith("_")))
    assert not badly_named, f"fitted attributes must end in '_': {badly_named}"


def check_refit_clone(first: Case, second: Case) -> None:
    """A clone fitted on the same data (and the same random_state) gives the same results."""
    if "random_state" in params_of(first.estimator):
        assert params_of(first.estimator)["random_state"] is not None, "the case must fix random_state"
    twin = clone(first.estimator)
    assert_same(first.use(fit(first)), second.use(twin.fit(*second.fit_args, **second.fit_kwargs)))


def check_pickle(case: Case, fitted: BaseEstimator) -> None:
    copy = pickle.loads(pickle.dumps(fitted))
    assert type(copy) is type(fitted) and params_of(copy).keys() == params_of(fitted).keys()
    assert_same(case.use(copy), case.use(fitted))


def check_score_samples(case: Case, fitted: BaseEstimator) -> None:
    """scikit-learn's sign: every clearly unusual row scores below the median ordinary row."""
    assert case.normal_and_unusual is not None, "a case with score_samples names ordinary and unusual rows"
    normal, unusual = (np.asarray(fitted.score_samples(rows), dtype=float) for rows in case.normal_and_unusual)
    assert normal.shape == (len(case.normal_and_unusual[0]),), "score_samples gives one score per row"
    assert unusual.max() < np.median(normal), "higher score_samples must mean more normal"


def check_score(case: Case, fitted: BaseEstimator) -> None:
    result = fitted.score(*(case.score_args or case.fit_args))
    assert isinstance(result, float), f"score must return one float, got {type(result).__name__}"


# ---------------------------------------------------------------------------------------------------------------
# the checks run over every estimator


def case_of(cls: type) -> Case:
    case = CASES[cls]()
    assert type(case.estimator) is cls, f"the case of {cls.__qualname__} builds a {type(case.estimator).__name__}"
    return case


@cache
def fitted_case(cls: type) -> tuple[Case, BaseEstimator]:
    """A case fitted once, for the checks that only read a fitted model."""
    case = case_of(cls)
    return case, fit(case)


pytestmark = pytest.mark.usefixtures("spark_if_needed")
each = pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__qualname__)


@each
def test_hyper_parameters_are_keyword_only_and_stored_unchanged(cls):
    check_init(case_of(cls))


@each
def test_clone_is_unfitted_with_the_same_parameters(cls):
    check_clone(*fitted_case(cls))


@each
def test_use_before_fit_raises_not_fitted_error(cls):
    check_not_fitted(case_of(cls))


@each
def test_fit_returns_self_keeps_the_parameters_and_names_what_it_learns(cls):
    check_fit(case_of(cls))


@each
def test_a_refit_clone_gives_the_same_results(cls):
    check_refit_clone(case_of(cls), case_of(cls))


@each
def test_a_fitted_model_survives_pickle(cls):
    case, fitted = fitted_case(cls)
    if "pickle" in case.exempt:
        pytest.skip(case.exempt["pickle"])
    check_pickle(case, fitted)


@pytest.mark.parametrize("cls", [c for c in ESTIMATORS if hasattr(c, "score_samples")], ids=lambda c: c.__qualname__)
def test_score_samples_has_scikit_learns_sign(cls):
    check_score_samples(*fitted_case(cls))


@pytest.mark.parametrize("cls", [c for c in ESTIMATORS if hasattr(c, "score")], ids=lambda c: c.__qualname__)
def test_score_returns_one_float(cls):
    check_score(*fitted_case(cls))


# ---------------------------------------------------------------------------------------------------------------
# the checks themselves fail on estimators that break each convention


class _Positional(BaseEstimator):
    def __init__(self, k=3):
        self.k = k

    def fit(self, X):
        self.n_ = len(X)
        return self

    def predict(self, X):
        check_is_fitted(self)
        return np.zeros(len(X))


class _Rewrites(_Positional):
    def __init__(self, *, k=3):
        self.k = [k]  # not stored as given
        self.cache = {}  # set in __init__


class _Careless(BaseEstimator):
    """Usable before fit, random whatever random_state says, forgets what it learned when pickled, and
    scores the wrong way round."""

    def __init__(self, *, k=(1, 2), random_state=0):
        self.k = k
        self.random_state = random_state

    def fit(self, X):
        self.draw_ = np.random.default_rng().random()
        return self

    def predict(self, X):
        return np.full(len(X), getattr(self, "draw_", 0.0))

    def score_samples(self, X):
        return np.asarray(X, dtype=float).ravel()  # higher = more unusual

    def score(self, X):
        return np.asarray(X, dtype=float).ravel()  # one value per row

    def __reduce__(self):
        return (_Careless, ())


class _ReturnsNothing(_Careless):
    def fit(self, X):
        super().fit(X)


class _ReplacesItsParameter(_Careless):
    def fit(self, X):
        self.k = list(self.k)
        return super().fit(X)


class _ChangesItsParameter(_Careless):
    def __init__(self, *, k=None, random_state=0):
        super().__init__(k=k, random_state=random_state)

    def fit(self, X):
        self.k.append(1)
        return super().fit(X)


class _NamesBadly(_Careless):
    def fit(self, X):
        self.n = len(X)
        return super().fit(X)


def _case(estimator: BaseEstimator) -> Case:
    return Case(estimator, ([0.0, 0.1, 0.2],), lambda m: m.predict([1, 2]), normal_and_unusual=([0.0, 0.1, 0.2], [9.0]))


def test_the_checks_fail_on_broken_conventions():
    with pytest.raises(AssertionError, match="keyword-only"):
        check_init(_case(_Positional()))
    with pytest.raises(AssertionError, match="changed 'k'"):
        check_init(_case(_Rewrites()))
    with pytest.raises(RuntimeError, match="Cannot clone"):
        check_clone(_case(_Rewrites()), _Rewrites().fit([1.0]))
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):
        check_not_fitted(_case(_Careless()))
    for broken, message in [
        (_ReturnsNothing(), "must return self"),
        (_ReplacesItsParameter(), "replaced a hyper-parameter"),
        (_ChangesItsParameter(k=[1]), r"modified hyper-parameter\(s\) \['k'\]"),
        (_NamesBadly(), r"must end in '_': \['n'\]"),
    ]:
        with pytest.raises(AssertionError, match=message):
            check_fit(_case(broken))
    with pytest.raises(AssertionError, match="Arrays are not equal"):
        check_refit_clone(_case(_Careless()), _case(_Careless()))
    fitted = _Careless().fit([0.0])
    with pytest.raises(AssertionError, match="Arrays are not equal"):  # the unpickled copy forgot draw_
        check_pickle(_case(_Careless()), fitted)
    with pytest.raises(AssertionError, match="more normal"):
        check_score_samples(_case(_Careless()), fitted)
    with pytest.raises(AssertionError, match="one float"):
        check_score(Case(_Careless(), ([1.0, 2.0],), lambda m: 0), fitted)
