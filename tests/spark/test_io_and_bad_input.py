"""Loading another shop's file with a column map, and bad input that gets a clear error."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from shopai_lab import data
from shopai_lab import spark as sk
from tests._bad_input import check_row, pounds, row_ids
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


LINES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "b"],
        "invoice_id": ["1", "2", "3"],
        "item_id": ["x", "y", "x"],
        "quantity": [1, 2, 3],
        "unit_price": [1.0, 2.0, 1.5],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-03"]),
    }
)
RECS = pd.DataFrame({"user": [7, 7], "item": [1, 4], "rank": [1, 2]})
SEGMENTED = pd.DataFrame({"segment": ["New", "Lost"], "net_revenue": [1.0, 2.0]})
REPORT = pd.DataFrame({"rows_dropped": [1]}, index=["cancellation"])

# rows that need no Spark session: (call, kwargs, error, pattern), run by check_row
ROWS = [
    (sk.lists_to_array, {"lists": RECS.assign(rank=[0, 1]), "users": [7], "k": 2}, ValueError, r"lists\['rank'\]"),
    (sk.lists_to_array, {"lists": RECS.assign(rank=[1, 1]), "users": [7], "k": 2}, ValueError, "same rank"),
    (sk.lists_to_array, {"lists": RECS.assign(item=[1.5, 4.0]), "users": [7], "k": 2}, TypeError, r"\['item'\]"),
    (sk.lists_to_array, {"lists": RECS.drop(columns="rank"), "users": [7], "k": 2}, ValueError, "rank"),
    (sk.lists_to_array, {"lists": RECS, "users": [[7]], "k": 2}, ValueError, "users must be"),
    (sk.lists_to_array, {"lists": RECS, "users": [7], "k": 0}, ValueError, "k must be >= 1"),
    (sk.reg_param_for, {"regularization": 1.0, "interactions_per_row": 0}, ValueError, "interactions_per_row"),
    (sk.reg_param_for, {"regularization": "1", "interactions_per_row": 20}, TypeError, "regularization"),
    (sk.rule_masks, {"non_product_pattern": "(POST"}, ValueError, "non_product_pattern"),
    (sk.rule_masks, {"cancellation_prefix": ""}, ValueError, "cancellation_prefix"),
    (sk.to_canonical, {"raw": LINES}, TypeError, "raw must be a pyspark.sql.DataFrame"),
    (sk.to_pandas, {"frame": LINES}, TypeError, "frame must be a pyspark.sql.DataFrame"),
    (sk.to_spark, {"spark": None, "transactions": LINES}, TypeError, "spark must be a pyspark.sql.SparkSession"),
    (sk.to_spark, {"spark": None, "transactions": pounds(LINES)}, TypeError, r"transactions\['unit_price'\]"),
    (sk.read_transactions, {"spark": "local", "path": "shop.csv"}, TypeError, "spark must be a"),
    (sk.per_user_metrics, {"lists": LINES, "split": None}, TypeError, "lists must be a pyspark"),
    (sk.quantile_scores, {"table": LINES, "column": "quantity"}, TypeError, "table must be a pyspark"),
    (sk.write_simulated_shop, {"path": "shop", "lines": 0, "progress": False}, ValueError, "lines must be >= 1"),
    (sk.write_simulated_shop, {"path": "shop", "lines": 10, "lines_per_invoice": 0.5}, ValueError, "lines_per_inv"),
    (sk.local_session, {"master": ""}, ValueError, "master"),
    (sk.frames_equal, {"left": [1], "right": LINES}, TypeError, "left"),
    (sk.frames_equal, {"left": LINES, "right": LINES, "atol": -1}, ValueError, "atol"),
    (sk.compare_rfm, {"from_spark": LINES, "reference": LINES}, ValueError, "from_spark"),
    (sk.summaries_equal, {"left": [], "right": {}}, TypeError, "left and right must be dicts"),
    (sk.summaries_equal, {"left": {}, "right": {}, "atol": "0"}, TypeError, "atol"),
    (sk.segment_sizes, {"segmented": LINES, "order": ["New"]}, ValueError, "segment"),
    (sk.segment_sizes, {"segmented": SEGMENTED, "order": "New"}, TypeError, "order must be a list"),
    (sk.max_gap, {"left": LINES, "right": LINES.head(1), "columns": ["quantity"]}, ValueError, "same rows"),
    (sk.max_gap, {"left": LINES, "right": LINES, "columns": ["nope"]}, ValueError, "nope"),
    (sk.dirt_check, {"report": LINES, "shop": {}, "rules": []}, ValueError, "rows_dropped"),
    (sk.dirt_check, {"report": REPORT, "shop": [], "rules": []}, TypeError, "shop must be the dict"),
    (sk.dirt_check, {"report": REPORT, "shop": {}, "rules": ["cancellation"]}, ValueError, "no count"),
    (sk.describe_cleaning, {"rows_left": 3, "same_report": "yes"}, TypeError, "same_report"),
    (sk.describe_cohorts, {"n_cohorts": 3, "same_table": 1, "same_summary": True}, TypeError, "same_table"),
    (sk.describe_evaluation, {"gap": -1.0}, ValueError, "gap"),
    (sk.describe_large_shop, {"matches": True, "customers": 3, "segments": -1, "month1": {}}, ValueError, "segments"),
    (
        sk.describe_split,
        {"cutoff": "x", "spark_users": 1, "pandas_users": 1, "same_users": "y", "cold": 0, "buyers": 1},
        TypeError,
        "same_users",
    ),  # fmt: skip
    (sk.describe_read, {"n_spark": 1, "n_pandas": 1, "dtypes": None}, TypeError, "dtypes"),
    (sk.describe_rfm_check, {"check": {}}, ValueError, "check"),
    (sk.local_session, {"shuffle_partitions": 0}, ValueError, "shuffle_partitions"),
    (sk.SparkALS(factors=0).fit, {"train": None}, ValueError, "factors"),
    (sk.SparkALS(random_state=1.5).fit, {"train": None}, TypeError, "random_state"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


# rows on Spark frames: (a function of the frames that makes the call, error, pattern)
SPARK_ROWS = [
    (lambda f: sk.rfm(f["text_quantity"]), TypeError, r"purchases\['quantity'\] must hold numbers"),
    (lambda f: sk.rfm(f["lines"], returns=LINES), TypeError, "returns must be a pyspark"),
    (lambda f: sk.rfm(f["text_dates"]), TypeError, r"purchases\['timestamp'\] must hold timestamps"),
    (lambda f: sk.reference_date(f["lines"], "someday"), ValueError, "reference_date"),
    (lambda f: sk.quantile_scores(f["lines"], "nope"), ValueError, r"missing column\(s\) \['nope'\]"),
    (lambda f: sk.quantile_scores(f["lines"], "quantity", n_bins=1), ValueError, "n_bins"),
    (lambda f: sk.quantile_scores(f["lines"], "quantity", higher_is_better="yes"), TypeError, "higher_is_better"),
    (lambda f: sk.quantile_scores(f["lines"], "customer_id"), TypeError, r"table\['customer_id'\] must hold numbers"),
    (lambda f: sk.assign_segments(f["lines"]), ValueError, "r_score"),
    (lambda f: sk.assign_segments(sk.rfm_scores(sk.rfm(f["lines"])), grid=[[1]]), TypeError, "grid"),
    (lambda f: sk.clean_transactions(f["text_quantity"]), TypeError, r"lines\['quantity'\]"),
    (lambda f: sk.cohort_retention(f["text_dates"]), TypeError, r"purchases\['timestamp'\]"),
    (lambda f: sk.retention_summary(f["lines"], month=0), ValueError, "month must be >= 1"),
    (lambda f: sk.retention_summary(f["lines"], month=5, complete_months_only=False), ValueError, "month=5 is not"),
    (lambda f: sk.retention_summary(f["text_dates"]), TypeError, r"purchases\['timestamp'\]"),
    (lambda f: sk.per_user_metrics(f["recs"], split="split"), TypeError, "split must be a SparkSplit"),
    (lambda f: sk.evaluate(f["recs"], split=None, name=3), TypeError, "name must be a string"),
    (lambda f: sk.SparkALS().recommend(f["recs"], f["recs"]), ValueError, "not fitted"),
    (lambda f: sk.to_canonical(f["two_prices"]), ValueError, r"both 'UnitPrice' and 'Price'.*column_map"),
]


@pytest.fixture(scope="module")
def frames(spark):
    lines = sk.to_spark(spark, LINES)
    raw = LINES.rename(columns={"unit_price": "UnitPrice"}).assign(Price=1.0, timestamp=LINES["timestamp"].astype(str))
    with sk.quiet_pandas_conversion():
        recs, two_prices = spark.createDataFrame(RECS), spark.createDataFrame(raw)
    return {
        "lines": lines,
        "text_quantity": lines.withColumn("quantity", lines["quantity"].cast("string")),
        "text_dates": lines.withColumn("timestamp", lines["timestamp"].cast("string")),
        "recs": recs,
        "two_prices": two_prices,
    }


@pytest.mark.parametrize(("make_call", "error", "pattern"), SPARK_ROWS)
def test_bad_input_on_spark_frames(frames, make_call, error, pattern):
    with pytest.raises(error, match=pattern):
        make_call(frames)
