"""Notebook 10: the stored headline figures, and a papermill run on another shop's file whose recorded
metrics must equal what the library computes on the same input."""

from __future__ import annotations

import re

import pytest

from shopai_lab import behavior, data
from shopai_lab import recommend as rec
from shopai_lab.lab import notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, generated_text, run_notebook

NOTEBOOK = notebooks_dir() / "10_spark_at_scale.ipynb"


def test_stored_notebook_10_headline_figures():
    m = read_metrics(NOTEBOOK)
    assert m["lines"] == 541_909
    assert m["clean_lines"] == 391_150  # notebook 01's figure: the same cleaning
    assert m["report_equal"] is True and m["cohorts_equal"] is True and m["month1_summary_equal"] is True
    assert m["customers"] == 4_334 and m["rfm_mismatches"] == 0
    # notebook 01's headline (weighted, first cohort left out), and the unweighted all-cohort mean it rejects
    nb01 = read_metrics(notebooks_dir() / "01_behavior_analysis.ipynb")
    assert m["month1_retention_weighted"] == nb01["month1_retention_weighted"] == pytest.approx(0.1973, abs=1e-4)
    assert m["month1_retention_mean_all_cohorts"] == nb01["month1_retention_mean_all_cohorts"]
    assert m["eval_users"] == 1_683  # notebook 02's figure
    # issue 16 target: MLlib's nDCG@10 within 0.005 of our ALS on the house protocol
    assert abs(m["ndcg@10/mllib"] - m["ndcg@10/ours"]) <= 0.005
    assert m["ndcg@10/ours"] == pytest.approx(0.104, abs=0.002)  # notebook 02's ALS at these settings
    assert m["ndcg_diff/low"] <= m["ndcg@10/mllib"] - m["ndcg@10/ours"] <= m["ndcg_diff/high"]
    assert m["large/report_matches_truth"] is True


@pytest.mark.spark
@pytest.mark.notebook
def test_notebook_10_runs_on_another_shops_file(other_shop_file, tmp_path):
    # small: one shuffle partition (the data are tiny, so Spark's time goes on tasks), ALS of rank 4 for 2 sweeps,
    # 20 bootstrap resamples, a simulated shop of 10,000 lines
    parameters = {
        "data_path": str(other_shop_file),
        "column_map": OTHER_SHOP_COLUMN_MAP,
        "driver_memory": "1g",
        "shuffle_partitions": 1,
        "als_factors": 4,
        "als_iterations": 2,
        "n_boot": 20,
        "lines": 10_000,
        "chunk_lines": 5_000,
        "shop_path": str(tmp_path / "large_shop"),
    }
    path, m = run_notebook("10", tmp_path, parameters)
    transactions = data.load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP)
    cleaned = data.clean_transactions(transactions)
    assert m["lines"] == len(transactions)
    assert m["clean_lines"] == len(cleaned.purchases)
    assert m["report_equal"] is True and m["cohorts_equal"] is True and m["rfm_mismatches"] == 0
    assert m["month1_summary_equal"] is True
    assert m["customers"] == len(behavior.rfm(cleaned.purchases))
    month1 = behavior.retention_summary(cleaned.purchases, month=1)  # notebook 01's definition, by pandas
    assert m["month1_retention_weighted"] == pytest.approx(month1["weighted_later_cohorts"], abs=1e-4)
    assert m["month1_retention_mean_all_cohorts"] == pytest.approx(month1["mean_all_cohorts"], abs=1e-4)
    assert m["eval_users"] == len(rec.temporal_split(cleaned.purchases, 60).eval_users)
    ours = rec.ALS(factors=4, regularization=0.01, alpha=1.0, iterations=2, random_state=0, progress=False)
    split = rec.temporal_split(cleaned.purchases, 60)
    expected = rec.evaluate(ours, split, fit=True)["ndcg"].iloc[0]
    assert m["ndcg@10/ours"] == pytest.approx(round(float(expected), 4), abs=1e-9)
    assert m["large/lines"] == 10_000 and m["large/report_matches_truth"] is True
    # no stale text: the sentences name the other shop's cohorts and cutoff, never the bundled data's
    text = generated_text(path)
    assert f"The first cohort ({month1['first_cohort']})" in text and "Month-1 retention of new customers" in text
    assert not re.search(r"\b201[01]-\d\d", text)
