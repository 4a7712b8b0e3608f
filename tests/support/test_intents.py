"""Intent pipelines and the house model: known answers, calibration, Bitext (conventions: tests/test_estimators.py)."""

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

from shopai_lab.data import load_bitext
from shopai_lab.support import (
    IntentClassifier,
    calibrate,
    fit_models,
    intent_models,
    text_features,
)

TEXTS = [
    "where is my parcel",
    "track my order please",
    "has my package shipped",
    "cancel my order",
    "please cancel the purchase",
    "stop my order now",
    "i want my money back",
    "refund me please",
    "give me a refund",
] * 2
INTENTS = ["track"] * 3 + ["cancel"] * 3 + ["refund"] * 3
INTENTS = INTENTS * 2
NEW = ["where is my package", "cancel this purchase", "i want a refund"]


@pytest.mark.parametrize("name", sorted(intent_models()))
def test_every_pipeline_learns_a_tiny_set(name):
    model = fit_models(
        {name: intent_models(mlp_hidden=[16], mlp_max_iter=200, min_df=1)[name]}, TEXTS, INTENTS, progress=False
    )[name]  # silences capped-iteration warnings
    assert model.predict(NEW).tolist() == ["track", "cancel", "refund"]


def test_house_model_known_answers():
    model = IntentClassifier(min_df=1, mlp_hidden=[8], mlp_max_iter=100, random_state=3)
    assert isinstance(model, ClassifierMixin)
    model.fit(TEXTS, INTENTS)
    assert list(model.classes_) == ["cancel", "refund", "track"]
    assert model.predict(NEW).tolist() == ["track", "cancel", "refund"]
    proba = model.predict_proba(NEW)
    assert proba.sum(axis=1) == pytest.approx(1.0)
    assert np.exp(model.decision_function(NEW)) == pytest.approx(proba)


def test_zero_neural_weight_is_the_linear_svm():
    bitext = load_bitext().sample(1500, random_state=0)
    texts, intents = bitext["text"].tolist(), bitext["intent"].tolist()
    house = IntentClassifier(neural_weight=0).fit(texts, intents)
    assert house.mlp_ is None
    svm = intent_models()["word_char_svm"].fit(texts, intents)
    sample = bitext["text"].tolist()[:300]
    np.testing.assert_array_equal(house.predict(sample), svm.predict(sample))


class _FixedLogits(ClassifierMixin, BaseEstimator):
    """A 'fitted model' whose logits are stored rows, indexed by the message text."""

    def __init__(self, logits=None):
        self.logits = logits

    def fit(self, X, y):
        self.classes_ = np.array(["a", "b", "c"])
        return self

    def decision_function(self, X):
        return self.logits[[int(x) for x in X]]

    def predict(self, X):
        return self.classes_[self.decision_function(X).argmax(axis=1)]


def test_temperature_scaling_recovers_a_known_temperature():
    rng = np.random.default_rng(0)
    true_logits = rng.normal(0, 1.5, size=(4000, 3))
    labels = np.array(["a", "b", "c"])[[rng.choice(3, p=p) for p in softmax(true_logits, axis=1)]]
    model = _FixedLogits(3.0 * true_logits).fit(None, None)  # over-confident by a factor 3
    texts = [str(i) for i in range(4000)]
    calibrated = calibrate(model, texts, labels)
    proba = calibrated.predict_proba(texts)
    # the fitted temperature undoes the factor: probabilities close to the true ones
    assert np.abs(proba - softmax(true_logits, axis=1)).max() < 0.05
    assert log_loss(labels, proba) < log_loss(labels, softmax(3.0 * true_logits, axis=1))
    np.testing.assert_array_equal(calibrated.predict(texts), model.predict(texts))
    assert calibrated.temperature_ == pytest.approx(3.0, rel=0.1)
    # scikit-learn's temperature scaling of the frozen model gives the same probabilities
    reference = CalibratedClassifierCV(FrozenEstimator(model), method="temperature").fit(texts, labels)
    assert np.abs(reference.predict_proba(texts) - proba).max() < 2e-3


def test_bitext_known_answer():
    bitext = load_bitext()
    train, test = train_test_split(bitext, test_size=0.2, stratify=bitext["intent"], random_state=0)
    model = IntentClassifier().fit(train["text"], train["intent"])
    accuracy = (model.predict(test["text"]) == test["intent"].to_numpy()).mean()
    assert accuracy >= 0.99  # issue 15: bag-of-words models reach ~99% on Bitext


def test_inputs_are_not_modified():
    texts, intents = list(TEXTS), list(INTENTS)
    IntentClassifier(min_df=1, neural_weight=0).fit(texts, intents)
    assert texts == TEXTS and intents == INTENTS


@pytest.mark.parametrize(
    ("kwargs", "fit_args", "error", "match"),
    [
        ({"neural_weight": 1.5}, (TEXTS, INTENTS), ValueError, "neural_weight"),
        ({"svm_c": 0}, (TEXTS, INTENTS), ValueError, "svm_c"),
        ({"svm_scale": -1}, (TEXTS, INTENTS), ValueError, "svm_scale"),
        ({"mlp_hidden": []}, (TEXTS, INTENTS), ValueError, "mlp_hidden"),
        ({"mlp_max_iter": 0}, (TEXTS, INTENTS), ValueError, "mlp_max_iter"),
        ({"word_ngrams": (2, 1)}, (TEXTS, INTENTS), ValueError, "word_ngrams"),
        ({"word_ngrams": None, "char_ngrams": None}, (TEXTS, INTENTS), ValueError, "both be None"),
        ({}, (TEXTS, INTENTS[:-1]), ValueError, "X has 18, y has 17"),
        ({}, (TEXTS, ["a"] * len(TEXTS)), ValueError, "two intents"),
        ({}, (TEXTS[:-1] + [""], INTENTS), ValueError, r"X\[17\] is an empty message"),
        ({}, (TEXTS[:-1] + [3], INTENTS), TypeError, r"X\[17\] must be a string"),
        ({}, ("one string", INTENTS), TypeError, "list, array or Series"),
    ],
)
def test_bad_input(kwargs, fit_args, error, match):
    with pytest.raises(error, match=match):
        IntentClassifier(min_df=1, **kwargs).fit(*fit_args)


def test_calibrate_refuses_unseen_intents_and_unfitted_models():
    model = IntentClassifier(min_df=1, neural_weight=0).fit(TEXTS, INTENTS)
    with pytest.raises(ValueError, match=r"\['other'\] were not in the model's training data"):
        calibrate(model, ["a b"], ["other"])
    with pytest.raises(NotFittedError):
        calibrate(IntentClassifier(), ["a"], ["b"])
    with pytest.raises(ValueError, match="min_df"):
        text_features(min_df=0)
