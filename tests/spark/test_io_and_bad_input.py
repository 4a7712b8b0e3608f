"""Loading another shop's file with a column map, and bad input that gets a clear error."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from shopai_lab import data
from shopai_lab import spark as sk
from tests._other_shop import OTHER_SHOP_COLUMN_MAP

pytestmark = pytest.mark.spark

COLUMN_MAP = OTHER_SHOP_COLUMN_MAP  # the shared other shop (tests/conftest.py: other_shop_file)


def test_csv_with_a_column_map_equals_pandas_loader(spark, other_shop_file):
    got = sk.to_pandas(sk.read_transactions(spark, other_shop_file, json.dumps(COLUMN_MAP)))
    want = data.load_transactions(other_shop_file, COLUMN_MAP)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for column in ["customer_id", "invoice_id", "item_id", "description", "country"]:
        assert got[column].isna().sum() == want[column].isna().sum(), column
        assert (got[column].fillna("<NA>").to_numpy() == want[column].fillna("<NA>").to_numpy()).all(), column
    assert (got["quantity"].to_numpy() == want["quantity"].to_numpy()).all()
    assert (got["unit_price"].to_numpy() == want["unit_price"].to_numpy()).all()
    assert (got["timestamp"].to_numpy() == want["timestamp"].astype("datetime64[us]").to_numpy()).all()


def test_to_spark_keeps_the_caller_frame(spark):
    frame = pd.DataFrame(
        {
            "customer_id": ["a", None],
            "invoice_id": ["1", "2"],
            "item_id": ["x", "y"],
            "quantity": [1, 2],
            "unit_price": [1.5, 2.0],
            "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        }
    )
    copy = frame.copy()
    out = sk.to_spark(spark, frame)
    pd.testing.assert_frame_equal(frame, copy)
    assert dict(out.dtypes)["quantity"] == "bigint"
    assert out.where("customer_id IS NULL").count() == 1


@pytest.mark.parametrize(
    ("text", "column_map", "error", "match"),
    [
        ("Bill,SKU,Units,Cost,Ordered at,Client\n1,A,2,1.0,2024-01-01,7\n", None, ValueError, "customer_id"),
        (
            "InvoiceNo,StockCode,Quantity,UnitPrice,InvoiceDate,CustomerID\n1,A,two,1.0,2024-01-01,7\n",
            None,
            ValueError,
            "'quantity'.*not numbers",
        ),
        (
            "InvoiceNo,StockCode,Quantity,UnitPrice,InvoiceDate,CustomerID\n1,A,2,1.0,someday,7\n",
            None,
            ValueError,
            "'timestamp'.*not dates",
        ),
        (
            "InvoiceNo,StockCode,Quantity,UnitPrice,InvoiceDate,CustomerID\n1,,2,1.0,2024-01-01,7\n",
            None,
            ValueError,
            "'item_id'.*missing",
        ),
        (
            "InvoiceNo,StockCode,Quantity,UnitPrice,InvoiceDate,CustomerID\n1,A,2,1.0,2024-01-01,7\n",
            {"Nope": "customer_id"},
            ValueError,
            "Nope",
        ),
    ],
)
def test_bad_files_name_the_column(spark, tmp_path, text, column_map, error, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(error, match=match):
        sk.read_transactions(spark, path, column_map)


def test_missing_and_unsupported_files(spark, tmp_path):
    with pytest.raises(FileNotFoundError, match="no transaction file"):
        sk.read_transactions(spark, tmp_path / "nowhere.csv")
    odd = tmp_path / "lines.xlsx"
    odd.write_text("x")
    with pytest.raises(ValueError, match="supported"):
        sk.read_transactions(spark, odd)


def test_bad_arguments_of_spark_functions(spark):
    frame = sk.to_spark(
        spark,
        pd.DataFrame(
            {
                "customer_id": ["a"],
                "invoice_id": ["1"],
                "item_id": ["x"],
                "quantity": [1],
                "unit_price": [1.0],
                "timestamp": pd.to_datetime(["2024-01-01"]),
            }
        ),
    )
    with pytest.raises(TypeError, match="pyspark.sql.DataFrame"):
        sk.clean_transactions(pd.DataFrame())
    with pytest.raises(ValueError, match="cancellation_prefix"):
        sk.clean_transactions(frame, cancellation_prefix="")
    with pytest.raises(ValueError, match="regular expression"):
        sk.clean_transactions(frame, non_product_pattern="(")
    with pytest.raises(ValueError, match="missing column"):
        sk.rfm(frame.drop("invoice_id"))
    with pytest.raises(ValueError, match="before every purchase"):
        sk.rfm(frame, reference_date="2020-01-01")
    with pytest.raises(ValueError, match="without customer_id"):
        sk.rfm(
            sk.to_spark(
                spark,
                pd.DataFrame(
                    {
                        "customer_id": [None],
                        "invoice_id": ["1"],
                        "item_id": ["x"],
                        "quantity": [1],
                        "unit_price": [1.0],
                        "timestamp": pd.to_datetime(["2024-01-01"]),
                    }
                ),
            )
        )
    with pytest.raises(ValueError, match="n_bins"):
        sk.rfm_scores(sk.rfm(frame), n_bins=1)
    with pytest.raises(TypeError, match="complete_months_only"):
        sk.cohort_retention(frame, complete_months_only="yes")
    with pytest.raises(ValueError, match="test_days"):
        sk.temporal_split(frame, test_days=0)
    with pytest.raises(ValueError, match="empty"):
        sk.temporal_split(frame, test_days=1)
