"""Bad input to shopai_lab.clv: inconsistent summaries, RFM tables and wrong types are refused."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import behavior, clv, stats
from tests._bad_input import check_row, pounds, text_dates, tiny_transactions

TX = tiny_transactions()
SUMMARY = pd.DataFrame(
    {
        "frequency": [2, 1, 0, 3],
        "recency": [5.0, 2.0, 0.0, 6.0],
        "T": [8.0, 7.0, 3.0, 9.0],
        "monetary_value": [10.0, 20.0, 0.0, 15.0],
    },
    index=pd.Index(list("abcd"), name="customer_id"),
)
RFM = behavior.rfm(TX)
BG = clv.BetaGeoModel()
BG.params_ = {"r": 0.5, "alpha": 4.0, "a": 0.8, "b": 2.5}
GG = clv.GammaGammaModel()
GG.params_ = {"p": 6.0, "q": 4.0, "gamma": 15.0}

EFFECT = pd.DataFrame({"net_revenue": [1.0], "net_revenue_without": [0.0], "change": [-1.0], "extreme_lines": [1]})

ROWS = [
    (
        clv.extreme_line_revenue,
        {"with_lines": TX, "without_lines": TX.drop(columns="quantity"), "extreme": TX},
        ValueError,
        "without_lines",
    ),
    (
        clv.extreme_line_revenue,
        {"with_lines": TX, "without_lines": TX, "extreme": TX.drop(columns="customer_id")},
        ValueError,
        "customer_id",
    ),
    (
        clv.describe_extreme_lines,
        {"effect": EFFECT.drop(columns="change"), "n_lines": 1, "threshold": 5.0, "currency": "EUR"},
        ValueError,
        "change",
    ),
    (
        clv.describe_extreme_lines,
        {"effect": EFFECT, "n_lines": 1, "threshold": -5.0, "currency": "EUR"},
        ValueError,
        "threshold",
    ),
    (clv.describe_dropout, {"bgnbd": "model"}, TypeError, "bgnbd"),
    (clv.describe_published_gap, {"bgnbd_gap": -0.1, "gg_gap": 0.0}, ValueError, "bgnbd_gap"),
    (clv.describe_total_error, {"total_error": {"BG/NBD": "x", "naive rate": 0.1}}, TypeError, "BG/NBD"),
    (
        clv.describe_churn_choice,
        {
            "choice": "classifier",
            "auc_table": pd.DataFrame(),
            "went_quiet": [True],
            "scores": {},
            "window_quiet": [True],
        },
        ValueError,
        "interval",
    ),
    (
        clv.describe_outcome_check,
        {"outcome_check": pd.DataFrame({"went_quiet": [0.1]})},
        ValueError,
        "weeks since last purchase",
    ),
    (
        clv.describe_spend_independence,
        {"repeaters": 10, "correlation": 1.5, "mean_spend": 1.0, "currency": "EUR"},
        ValueError,
        "correlation",
    ),
    (
        clv.describe_concentration,
        {"ranked": [1.0], "top10_share": 0.5, "horizon_weeks": 26, "currency": "EUR"},
        TypeError,
        "ranked",
    ),
    (clv.describe_anonymous, {"share": 1.5}, ValueError, "share"),
    (clv.describe_dropout, {"bgnbd": clv.BetaGeoModel()}, ValueError, "not fitted"),
    (clv.describe_list_model, {"risk": [0.1], "holdout_auc": 0.7, "weeks": 14.0}, TypeError, "risk"),
    (clv.describe_list_model, {"risk": pd.Series([0.1]), "holdout_auc": 1.5, "weeks": 14.0}, ValueError, "holdout_auc"),
    (
        clv.describe_periods,
        {
            "purchases": TX,
            "summary": SUMMARY.iloc[:0].assign(duration_holdout=1.0),
            "calibration_end": "2024-01-01",
            "observation_end": "2024-02-01",
        },
        ValueError,
        "summary",
    ),
    (
        clv.churn_risk,
        {
            "choice": "classifier",
            "bgnbd": BG,
            "summary": SUMMARY,
            "purchases": TX,
            "weeks": 2.0,
            "classifier": "logistic",
        },
        TypeError,
        "classifier",
    ),
    (
        clv.BetaGeoModel().fit,
        {"summary": SUMMARY.assign(recency=[0.0, 2.0, 0.0, 6.0])},
        ValueError,
        r"frequency > 0 but recency 0, e\.g\. row 'a'",
    ),
    (
        clv.BetaGeoModel().fit,
        {"summary": pd.concat([SUMMARY, SUMMARY.iloc[:1]])},
        ValueError,
        r"index \(customer_id\) has duplicated value\(s\) \['a'\]",
    ),
    (clv.BetaGeoModel().fit, {"summary": SUMMARY.assign(T=["8", "7", "3", "9"])}, TypeError, r"summary\['T'\]"),
    (
        clv.BetaGeoModel().fit,
        {"summary": RFM.assign(frequency=RFM["invoices"] - 1, recency=1.0, T=100.0)},
        ValueError,
        "RFM table",
    ),
    (clv.BetaGeoModel(max_iter=0.5).fit, {"summary": SUMMARY}, TypeError, "max_iter"),
    (clv.GammaGammaModel().fit, {"summary": RFM}, ValueError, r"RFM table.*summarize_customers"),
    (
        clv.GammaGammaModel().fit,
        {"summary": SUMMARY.assign(frequency=[2, 1, -1, 3])},
        ValueError,
        r"summary\['frequency'\] must be >= 0",
    ),
    (
        clv.GammaGammaModel().fit,
        {"summary": SUMMARY.assign(frequency=[2, 1.5, 0, 3])},
        ValueError,
        r"summary\['frequency'\] must be whole",
    ),
    (clv.GammaGammaModel().fit, {"summary": pd.concat([SUMMARY, SUMMARY.iloc[:1]])}, ValueError, "duplicated"),
    (clv.GammaGammaModel().fit, {"summary": SUMMARY.iloc[:0]}, ValueError, "summary is empty"),
    (clv.GammaGammaModel().fit, {"summary": SUMMARY.assign(monetary_value="£10")}, TypeError, r"'monetary_value'"),
    (
        clv.GammaGammaModel().fit,
        {"summary": SUMMARY.drop(columns="monetary_value")},
        ValueError,
        r"missing column\(s\) \['monetary_value'\]",
    ),
    (
        clv.summarize_customers,
        {"purchases": pounds(TX), "calibration_end": "2024-02-01"},
        TypeError,
        r"purchases\['unit_price'\]",
    ),
    (
        clv.summarize_customers,
        {"purchases": text_dates(TX), "calibration_end": "2024-02-01"},
        TypeError,
        r"'timestamp'",
    ),
    (
        clv.summarize_customers,
        {"purchases": TX, "calibration_end": "2024-02-01", "time_unit": "M"},
        ValueError,
        "time_unit",
    ),
    (
        clv.tracking_curve,
        {"purchases": text_dates(TX), "model": BG, "calibration_end": "2024-02-01", "observation_end": "2024-02-20"},
        TypeError,
        r"purchases\['timestamp'\]",
    ),
    (
        clv.tracking_curve,
        {
            "purchases": TX,
            "model": clv.BetaGeoModel(),
            "calibration_end": "2024-02-01",
            "observation_end": "2024-02-20",
        },
        ValueError,
        "not fitted",
    ),
    (
        clv.tracking_curve,
        {"purchases": TX, "model": GG, "calibration_end": "2024-02-01", "observation_end": "2024-02-20"},
        TypeError,
        "model must be a BetaGeoModel",
    ),
    (
        clv.tracking_curve,
        {"purchases": TX, "model": BG, "calibration_end": "2023-02-01", "observation_end": "2024-02-20"},
        ValueError,
        "calibration_end",
    ),
    (BG.expected_purchases, {"t": -1, "frequency": 1, "recency": 1.0, "T": 2.0}, ValueError, "t must be >= 0"),
    (BG.expected_purchases, {"t": "4", "frequency": 1, "recency": 1.0, "T": 2.0}, TypeError, "t must hold"),
    (BG.p_alive, {"frequency": ["1"], "recency": [1.0], "T": [2.0]}, TypeError, "frequency"),
    (BG.p_alive, {"frequency": [1, 2], "recency": [1.0, 1.0, 1.0], "T": [2.0]}, ValueError, "mismatched"),
    (BG.prob_purchases, {"n": [0, 1.5], "t": 2.0}, ValueError, "n must be whole"),
    (BG.prob_purchases, {"n": [0, 1], "t": "2"}, TypeError, "t must be a number"),
    (GG.expected_spend, {"frequency": [-1], "monetary_value": [3.0]}, ValueError, "frequency must be >= 0"),
    (GG.expected_spend, {"frequency": [1, 2], "monetary_value": [3.0, 1.0, 2.0]}, ValueError, "lengths differ"),
    (clv.customer_value, {"bgnbd": BG, "gamma_gamma": GG, "summary": SUMMARY, "horizon": 2.5}, ValueError, "horizon"),
    (
        clv.customer_value,
        {"bgnbd": BG, "gamma_gamma": GG, "summary": SUMMARY, "horizon": 4, "discount_rate": "10%"},
        TypeError,
        "discount_rate",
    ),
    (clv.customer_value, {"bgnbd": GG, "gamma_gamma": BG, "summary": SUMMARY, "horizon": 4}, TypeError, "bgnbd"),
    (
        clv.customer_value,
        {"bgnbd": BG, "gamma_gamma": clv.GammaGammaModel(), "summary": SUMMARY, "horizon": 4},
        ValueError,
        "not fitted",
    ),
    (
        clv.customer_value,
        {"bgnbd": BG, "gamma_gamma": GG, "summary": RFM.assign(recency=1.0, T=2.0), "horizon": 4},
        ValueError,
        "RFM table",
    ),
    (stats.holdout_metrics, {"actual": [1, 2, 3], "predicted": [1.0, 2.0]}, ValueError, "same length"),
    (stats.holdout_metrics, {"actual": ["1", "2"], "predicted": [1.0, 2.0]}, TypeError, "actual"),
    (
        clv.holdout_by_frequency,
        {"summary": SUMMARY.assign(frequency_holdout=1), "predictions": [1, 2]},
        TypeError,
        "predictions must be a dict",
    ),
    (
        clv.holdout_by_frequency,
        {"summary": SUMMARY.assign(frequency_holdout=1), "predictions": {}, "max_frequency": 0},
        ValueError,
        "max_frequency",
    ),
    (
        clv.holdout_by_frequency,
        {"summary": SUMMARY.assign(frequency_holdout=1), "predictions": {"m": ["1", "2", "3", "4"]}},
        TypeError,
        r"predictions\['m'\]",
    ),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_cdnow_still_fits_and_is_not_modified():
    from shopai_lab.data import load_cdnow_summary

    cdnow = load_cdnow_summary()
    before = cdnow.copy()
    clv.GammaGammaModel().fit(cdnow)
    assert cdnow.equals(before)
    assert np.isfinite(BG.p_alive(SUMMARY["frequency"], SUMMARY["recency"], SUMMARY["T"])).all()
