"""Notebook 10: the stored headline figures, and a papermill run on another shop's file whose recorded
metrics must equal what the library computes on the same input."""

from __future__ import annotations

import json

import pytest

from shopai_lab import behavior, data
from shopai_lab import recommend as rec
from shopai_lab.lab import cli, notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMNS

NOTEBOOK = notebooks_dir() / "10_spark_at_scale.ipynb"


def test_stored_notebook_10_headline_figures():
    m = read_metrics(NOTEBOOK)
    assert m["lines"] == 541_909
    assert m["clean_lines"] == 391_150  # notebook 01's figure: the same cleaning
    assert m["report_equal"] is True and m["cohorts_equal"] is True
    assert m["customers"] == 4_334 and m["rfm_mismatches"] == 0
    # notebook 01 records this unweighted all-cohort mean as month1_retention_mean_all_cohorts
    assert m["month1_retention_mean"] == pytest.approx(0.2127, abs=0.001)
    assert m["eval_users"] == 1_683  # notebook 02's figure
    # issue 16 target: MLlib's nDCG@10 within 0.005 of our ALS on the house protocol
    assert abs(m["ndcg@10/mllib"] - m["ndcg@10/ours"]) <= 0.005
    assert m["ndcg@10/ours"] == pytest.approx(0.104, abs=0.002)  # notebook 02's ALS at these settings
    assert m["ndcg_diff/low"] <= m["ndcg@10/mllib"] - m["ndcg@10/ours"] <= m["ndcg_diff/high"]
    assert m["large/report_matches_truth"] is True


@pytest.mark.spark
def test_notebook_10_runs_on_another_shops_file(other_shop_file, tmp_path):
    column_map = {v: k for k, v in OTHER_SHOP_COLUMNS.items()}
    argv = [
        "run",
        "10",
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
        "driver_memory",
        "2g",
        "-p",
        "als_factors",
        "8",
        "-p",
        "als_iterations",
        "4",
        "-p",
        "bootstrap_draws",
        "100",
        "-p",
        "lines",
        "40000",
        "-p",
        "chunk_lines",
        "20000",
        "-p",
        "shop_path",
        str(tmp_path / "large_shop"),
    ]
    assert cli.main(argv) == 0
    m = read_metrics(tmp_path / "10_spark_at_scale.ipynb")
    transactions = data.load_transactions(other_shop_file, column_map)
    cleaned = data.clean_transactions(transactions)
    assert m["lines"] == len(transactions)
    assert m["clean_lines"] == len(cleaned.purchases)
    assert m["report_equal"] is True and m["cohorts_equal"] is True and m["rfm_mismatches"] == 0
    assert m["customers"] == len(behavior.rfm(cleaned.purchases))
    assert m["month1_retention_mean"] == pytest.approx(
        round(float(behavior.cohort_retention(cleaned.purchases)[1].mean()), 4), abs=1e-9
    )
    assert m["eval_users"] == len(rec.temporal_split(cleaned.purchases, 60).eval_users)
    ours = rec.ALS(factors=8, regularization=0.01, alpha=1.0, iterations=4, random_state=0, progress=False)
    split = rec.temporal_split(cleaned.purchases, 60)
    expected = rec.evaluate(ours, split, fit=True)["ndcg"].iloc[0]
    assert m["ndcg@10/ours"] == pytest.approx(round(float(expected), 4), abs=1e-9)
    assert m["large/lines"] == 40_000 and m["large/report_matches_truth"] is True
