"""Notebook 05: the headline figures README.md quotes, and a run on another shop's file."""

import json
import warnings

import pytest

from shopai_lab.clv import BetaGeoModel, IdentificationWarning, summarize_customers
from shopai_lab.data import clean_transactions, load_transactions, net_of_returns
from shopai_lab.lab import cli, notebooks_dir, read_metrics
from shopai_lab.stats import holdout_metrics
from tests._other_shop import OTHER_SHOP_COLUMNS


def test_stored_notebook_05_headline_figures():
    metrics = read_metrics(notebooks_dir() / "05_customer_lifetime_value.ipynb")
    assert metrics["customers"] == 3_309
    assert metrics["bgnbd/r"] == pytest.approx(0.72, abs=0.01)
    assert metrics["bgnbd/alpha"] == pytest.approx(9.5, abs=0.1)
    assert metrics["bgnbd/dropout_lr"] < 2.706  # no dropout identified on this data
    assert metrics["bgnbd/loglik"] == pytest.approx(-21540.7, abs=0.1)
    assert metrics["gg/p"] == pytest.approx(2.474, abs=0.01)
    assert metrics["gg/q"] == pytest.approx(3.265, abs=0.01)
    assert metrics["holdout/corr"] == pytest.approx(0.8035, abs=0.002)
    assert metrics["holdout/corr"] > metrics["naive/corr"]
    assert abs(metrics["holdout/total_error"]) < abs(metrics["naive/total_error"])
    assert metrics["risk/auc"] > metrics["risk/naive_auc"] + 0.03


def test_notebook_05_runs_on_another_shops_file(other_shop_file, tmp_path):
    column_map = {v: k for k, v in OTHER_SHOP_COLUMNS.items()}
    argv = [
        "run",
        "05",
        "--output-dir",
        str(tmp_path),
        "--no-progress",
        "-p",
        "data_path",
        str(other_shop_file),
        "-p",
        "column_map",
        json.dumps(column_map),
        "-p",
        "calibration_end",
        "2011-06-30",
        "-p",
        "observation_end",
        "2011-12-09",
        "-p",
        "horizon_weeks",
        "13",
    ]
    assert cli.main(argv) == 0
    metrics = read_metrics(tmp_path / "05_customer_lifetime_value.ipynb")
    cleaned = clean_transactions(load_transactions(other_shop_file, column_map))
    summary = summarize_customers(net_of_returns(cleaned.purchases, cleaned.returns), "2011-06-30", "2011-12-09")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IdentificationWarning)
        model = BetaGeoModel().fit(summary)
    predicted = model.expected_purchases(
        summary["duration_holdout"], summary["frequency"], summary["recency"], summary["T"]
    )
    assert metrics["customers"] == len(summary)
    assert metrics["bgnbd/r"] == pytest.approx(model.params_["r"], rel=1e-3)
    expected_corr = holdout_metrics(summary["frequency_holdout"], predicted)["corr"]
    assert metrics["holdout/corr"] == pytest.approx(expected_corr, abs=1e-4)
