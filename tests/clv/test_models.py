"""BetaGeoModel and GammaGammaModel: validation in fit, one meaning per word; score_customers and fit_and_note.

The scikit-learn conventions (keyword-only parameters, clone, NotFittedError, fit returns self, pickle) are
checked for every estimator in tests/test_estimators.py.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from shopai_lab import behavior, clv
from shopai_lab.data import load_cdnow_summary

MODELS = [clv.BetaGeoModel, clv.GammaGammaModel]


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.mark.parametrize("model_class", MODELS)
def test_hyper_parameters_are_validated_in_fit(model_class, cdnow):
    bad = model_class(max_iter="many")  # stored as given: validation happens in fit
    assert bad.max_iter == "many"
    with pytest.raises(TypeError, match="max_iter"):
        bad.fit(cdnow)


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
