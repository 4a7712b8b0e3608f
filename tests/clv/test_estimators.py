"""BetaGeoModel and GammaGammaModel follow scikit-learn's conventions; score_customers and fit_and_note."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from shopai_lab import behavior, clv
from shopai_lab.data import load_cdnow_summary

MODELS = [clv.BetaGeoModel, clv.GammaGammaModel]


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.mark.parametrize("model_class", MODELS)
def test_hyper_parameters_are_keyword_only_and_cloned(model_class):
    with pytest.raises(TypeError):
        model_class(100)
    model = model_class(max_iter=100)
    assert model.get_params() == {"max_iter": 100}
    assert clone(model).get_params() == {"max_iter": 100}
    assert model.set_params(max_iter=50) is model and model.max_iter == 50
    assert repr(model_class()) == f"{model_class.__name__}()"


@pytest.mark.parametrize("model_class", MODELS)
def test_fit_returns_self_validates_there_and_pickles(model_class, cdnow):
    bad = model_class(max_iter="many")  # stored as given: validation happens in fit
    assert bad.max_iter == "many"
    with pytest.raises(TypeError, match="max_iter"):
        bad.fit(cdnow)
    model = model_class()
    assert model.fit(cdnow) is model
    copy = pickle.loads(pickle.dumps(model))
    assert copy.params_ == model.params_
    assert not hasattr(clone(model), "params_")


def test_not_fitted_errors_are_sklearns():
    with pytest.raises(NotFittedError, match="not fitted"):
        clv.BetaGeoModel().expected_purchases(1, 1, 1.0, 2.0)
    with pytest.raises(NotFittedError, match="not fitted"):
        clv.GammaGammaModel().expected_spend(1, 1.0)


def test_an_rfm_table_is_refused_by_name(cdnow):
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "invoice_id": ["1", "2", "3"],
            "quantity": [1, 2, 5],
            "unit_price": [10.0, 10.0, 1.0],
            "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-05"]),
        }
    )
    table = behavior.rfm(lines)
    assert not set(table.columns) & set(clv.SUMMARY_COLUMNS)  # one meaning per word
    for model in (clv.BetaGeoModel(), clv.GammaGammaModel()):
        with pytest.raises(ValueError, match="RFM table"):
            model.fit(table)


def test_score_customers_matches_the_model_methods(cdnow):
    bg, gg = clv.BetaGeoModel().fit(cdnow), clv.GammaGammaModel().fit(cdnow)
    scores = clv.score_customers(bg, gg, cdnow, horizon=26, risk_horizon=13, discount_rate=0.1)
    history = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    np.testing.assert_array_equal(scores["p_alive"], bg.p_alive(*history))
    np.testing.assert_array_equal(scores["risk"], bg.prob_no_purchases(13, *history))
    np.testing.assert_array_equal(scores["expected_purchases"], bg.expected_purchases(26, *history))
    pd.testing.assert_series_equal(scores["clv"], clv.customer_value(bg, gg, cdnow, 26, 0.1))
    with pytest.raises(ValueError, match="risk_horizon"):
        clv.score_customers(bg, gg, cdnow, horizon=26, risk_horizon=-1)


def test_fit_and_note_prints_identification_warnings(capsys):
    sim = clv.simulate_bgnbd(3_000, r=0.8, alpha=8.0, a=1e-6, b=1e3, random_state=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes as a warning
        model = clv.fit_and_note(clv.BetaGeoModel(), sim)
    assert not model.dropout_identified_
    assert capsys.readouterr().out.startswith("Note: BetaGeoModel: the data show no dropout")
