"""The large simulated shop (pyarrow only) and the pure-Python helpers; one Spark test on that shop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shopai_lab import data
from shopai_lab import recommend as rec
from shopai_lab import spark as sk


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large_shop")
    info = sk.write_simulated_shop(
        folder, 60_000, n_customers=2_000, n_items=500, chunk_lines=25_000, random_state=3, progress=False
    )
    return folder, info


def test_shop_is_written_in_parts_with_a_manifest(shop):
    folder, info = shop
    assert info["parts"] == 3 and len(list(folder.glob("part-*.parquet"))) == 3
    assert sk.read_manifest(folder) == info
    lines = sk.pandas_lines(folder)
    assert len(lines) == 60_000
    assert lines["customer_id"].nunique() <= 2_000
    assert lines["timestamp"].min() >= data.START


def test_cleaning_finds_exactly_the_dirt_the_simulator_put_in(shop):
    """Known answer: the generator counts the lines each rule must drop."""
    folder, info = shop
    report = data.clean_transactions(sk.pandas_lines(folder)).report
    for rule in data.RULES[:-1]:
        assert report.loc[rule, "rows_dropped"] == info[rule], rule
    assert info["cancellation"] > 0 and info["missing customer"] > 0 and info["non-product stock code"] > 0


def test_same_seed_same_shop_other_seed_other_shop(shop, tmp_path):
    folder, _ = shop
    again = sk.write_simulated_shop(
        tmp_path / "a",
        60_000,
        n_customers=2_000,
        n_items=500,
        chunk_lines=25_000,
        random_state=3,
        progress=False,
    )
    pd.testing.assert_frame_equal(sk.pandas_lines(folder), sk.pandas_lines(tmp_path / "a"))
    other = sk.write_simulated_shop(
        tmp_path / "b",
        60_000,
        n_customers=2_000,
        n_items=500,
        chunk_lines=25_000,
        random_state=4,
        progress=False,
    )
    assert other["cancellation"] != again["cancellation"] or not sk.pandas_lines(tmp_path / "b").equals(
        sk.pandas_lines(folder)
    )


def test_rewriting_a_shop_folder_replaces_its_parts(tmp_path):
    sk.write_simulated_shop(tmp_path, 3_000, chunk_lines=1_000, progress=False)
    info = sk.write_simulated_shop(tmp_path, 1_500, chunk_lines=1_000, progress=False)
    assert len(list(tmp_path.glob("part-*.parquet"))) == info["parts"] == 2
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="other than a simulated shop"):
        sk.write_simulated_shop(tmp_path, 1_000, progress=False)


@pytest.mark.spark
def test_spark_pipeline_on_the_simulated_shop_equals_pandas(spark, shop):
    from shopai_lab import behavior

    folder, _ = shop
    cleaned_spark = sk.clean_transactions(sk.read_transactions(spark, folder))
    cleaned = data.clean_transactions(sk.pandas_lines(folder))
    pd.testing.assert_frame_equal(cleaned_spark.report, cleaned.report)
    got = sk.to_pandas(sk.rfm_scores(sk.rfm(cleaned_spark.purchases, returns=cleaned_spark.returns)))
    want = behavior.rfm_scores(behavior.rfm(cleaned.purchases, returns=cleaned.returns))
    got = got.set_index("customer_id").sort_index()
    for column in ["days_since_last", "invoices", "r_score", "f_score"]:
        np.testing.assert_array_equal(got[column].to_numpy(), want[column].to_numpy(), err_msg=column)
    pd.testing.assert_frame_equal(
        sk.cohort_retention(cleaned_spark.purchases), behavior.cohort_retention(cleaned.purchases)
    )


def test_lists_to_array_scores_like_ranking_metrics():
    lists = pd.DataFrame({"user": [5, 5, 5], "item": [3, 1, 2], "rank": [1, 2, 3]})
    items = sk.lists_to_array(lists, np.array([5]), k=3)
    row = rec.ranking_metrics(items, [[1, 2, 9]]).iloc[0]
    assert row["ndcg"] == pytest.approx(0.5307, abs=1e-4)  # ranking_metrics' doctest


def test_reg_param_for_is_the_fixed_penalty_per_cell():
    assert sk.reg_param_for(0.5, 10) == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: sk.lists_to_array(pd.DataFrame({"user": [], "item": [], "rank": []}), np.array([1]), 0),
            ValueError,
            "k",
        ),
        (lambda: sk.reg_param_for(-1, 10), ValueError, "regularization"),
        (lambda: sk.reg_param_for(1, 0), ValueError, "interactions_per_row"),
        (lambda: sk.write_simulated_shop("/tmp/x", 0), ValueError, "lines"),
        (lambda: sk.write_simulated_shop("/tmp/x", 10, chunk_lines=0), ValueError, "chunk_lines"),
        (lambda: sk.write_simulated_shop("/tmp/x", 10, random_state=-1), ValueError, "random_state"),
        (lambda: sk.write_simulated_shop("/tmp/x", 10, progress="no"), TypeError, "progress"),
        (lambda: sk.read_manifest("/nonexistent/folder"), FileNotFoundError, "simulated shop"),
        (lambda: sk.local_session(shuffle_partitions=0), ValueError, "shuffle_partitions"),
        (lambda: sk.local_session(master=""), ValueError, "master"),
        (lambda: sk.local_session(config=["a"]), TypeError, "config"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_lab_imports_without_pyspark_loaded():
    import subprocess
    import sys

    code = "import sys, shopai_lab.spark; assert 'pyspark' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
