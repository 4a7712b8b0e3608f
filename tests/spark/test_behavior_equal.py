"""Spark's loading, cleaning, RFM, scores, segments and cohorts equal the pandas path on the bundled data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shopai_lab import behavior, data
from shopai_lab import spark as sk
from shopai_lab.lab import data_dir

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_cleaned(spark):
    lines = sk.read_transactions(spark, data_dir() / data.ONLINE_RETAIL_FILE)
    cleaned = sk.clean_transactions(lines)
    cleaned.purchases.cache()
    cleaned.returns.cache()
    return cleaned


def test_parquet_is_read_in_the_canonical_schema(spark):
    lines = sk.read_transactions(spark, data_dir() / data.ONLINE_RETAIL_FILE)
    assert dict(lines.dtypes) == {
        "customer_id": "string",
        "invoice_id": "string",
        "item_id": "string",
        "quantity": "bigint",
        "unit_price": "double",
        "timestamp": "timestamp",
        "description": "string",
        "country": "string",
    }
    # CustomerID is a float column in the file: 17850.0 must become "17850", NaN must stay missing
    first = lines.where("invoice_id = '536365'").select("customer_id").distinct().collect()
    assert [r["customer_id"] for r in first] == ["17850"]


def test_cleaning_report_and_purchases_equal_pandas(spark_cleaned, cleaned_retail):
    pd.testing.assert_frame_equal(spark_cleaned.report, cleaned_retail.report)
    assert int(spark_cleaned.report.loc["cancellation", "rows_dropped"]) == 9288  # the doctest's known count
    got = sk.to_pandas(spark_cleaned.purchases)
    keys = ["invoice_id", "item_id", "quantity", "unit_price", "timestamp", "customer_id", "description"]
    left = got.sort_values(keys, kind="stable").reset_index(drop=True)
    right = cleaned_retail.purchases.sort_values(keys, kind="stable").reset_index(drop=True)
    for column in ["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "revenue"]:
        assert (left[column].to_numpy() == right[column].to_numpy()).all(), column
    assert (left["timestamp"].to_numpy() == right["timestamp"].to_numpy()).all()
    assert sk.to_pandas(spark_cleaned.returns.groupBy().count()).iloc[0, 0] == len(cleaned_retail.returns)


def test_rfm_scores_and_segments_equal_pandas(spark_cleaned, cleaned_retail):
    table = sk.assign_segments(sk.rfm_scores(sk.rfm(spark_cleaned.purchases, returns=spark_cleaned.returns)))
    got = sk.to_pandas(table).set_index("customer_id").sort_index()
    want = behavior.assign_segments(
        behavior.rfm_scores(behavior.rfm(cleaned_retail.purchases, returns=cleaned_retail.returns))
    )
    assert got.index.equals(want.index)
    for column in ["days_since_last", "invoices", "r_score", "f_score", "m_score", "fm_score"]:
        np.testing.assert_array_equal(got[column].to_numpy(), want[column].to_numpy(), err_msg=column)
    np.testing.assert_array_equal(got["segment"].to_numpy(), want["segment"].astype(str).to_numpy())
    for column in ["first_purchase", "last_purchase"]:
        np.testing.assert_array_equal(got[column].to_numpy(), want[column].to_numpy())
    # the same float64 line revenues summed in another order: equal up to a few ulps of the partial sums
    np.testing.assert_allclose(got["net_revenue"], want["net_revenue"], rtol=1e-12, atol=1e-9)


def test_rfm_at_an_earlier_reference_date_equals_pandas(spark_cleaned, cleaned_retail):
    got = sk.to_pandas(sk.rfm(spark_cleaned.purchases, reference_date="2011-06-01")).set_index("customer_id")
    want = behavior.rfm(cleaned_retail.purchases, reference_date="2011-06-01")
    got = got.sort_index()
    assert got.index.equals(want.index)
    np.testing.assert_array_equal(got["days_since_last"].to_numpy(), want["days_since_last"].to_numpy())
    np.testing.assert_array_equal(got["invoices"].to_numpy(), want["invoices"].to_numpy())


@pytest.mark.parametrize("complete", [True, False])
def test_cohort_retention_equals_pandas(spark_cleaned, cleaned_retail, complete):
    got = sk.cohort_retention(spark_cleaned.purchases, complete_months_only=complete)
    want = behavior.cohort_retention(cleaned_retail.purchases, complete_months_only=complete)
    pd.testing.assert_frame_equal(got, want)


def test_cohort_counts_equal_pandas(spark_cleaned, cleaned_retail):
    pd.testing.assert_frame_equal(
        sk.cohort_retention(spark_cleaned.purchases, as_counts=True),
        behavior.cohort_retention(cleaned_retail.purchases, as_counts=True),
    )


@pytest.mark.parametrize(("month", "complete"), [(1, True), (2, True), (1, False)])
def test_retention_summary_equals_notebook_01s(spark_cleaned, cleaned_retail, month, complete):
    got = sk.retention_summary(spark_cleaned.purchases, month=month, complete_months_only=complete)
    want = behavior.retention_summary(cleaned_retail.purchases, month=month, complete_months_only=complete)
    assert set(got) == set(want)
    for key, value in want.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, abs=1e-12, nan_ok=True), key
        else:
            assert got[key] == value, key
    assert sk.summaries_equal(got, want)
    if month == 1 and complete:  # notebook 01's headline, and the unweighted all-cohort mean it rejects
        assert round(got["weighted_later_cohorts"], 4) == 0.1973
        assert round(got["mean_all_cohorts"], 4) == 0.2127
        assert str(got["first_cohort"]) == "2010-12" and got["later_cohorts"] == 10


def test_retention_summary_of_a_small_shop_by_hand(spark):
    # the doctest of behavior.retention_summary: a, b in January (a returns in February), c, d in February (c in
    # March), e in March; the first cohort is left out, so the headline is c's cohort: 1 of 2
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c", "d", "e"],
            "timestamp": pd.to_datetime(
                ["2024-01-05", "2024-02-03", "2024-01-20", "2024-02-10", "2024-03-01", "2024-02-11", "2024-03-31"]
            ),
        }
    )
    frame = sk.to_spark(spark, lines.assign(invoice_id="1", item_id="x", quantity=1, unit_price=1.0))
    got = sk.retention_summary(frame)
    assert str(got["first_cohort"]) == "2024-01" and got["first_cohort_retention"] == 0.5
    assert got["weighted_later_cohorts"] == 0.5 and got["later_customers"] == 2
    assert sk.summaries_equal(got, behavior.retention_summary(lines))


def test_inputs_are_not_modified(spark, spark_cleaned):
    before = spark_cleaned.purchases.columns
    sk.rfm(spark_cleaned.purchases)
    assert spark_cleaned.purchases.columns == before
