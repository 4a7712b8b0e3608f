import json

import numpy as np
import pandas as pd
import pytest

from shopai_lab.data import (
    load_online_shoppers,
    load_transactions,
    parse_column_map,
    quality_report,
    resolve_column_map,
    to_canonical,
)
from shopai_lab.schema import CANONICAL_COLUMNS


def test_online_retail_has_the_published_shape(online_retail):
    assert len(online_retail) == 541_909
    assert list(online_retail.columns) == list(CANONICAL_COLUMNS)
    assert int(online_retail["customer_id"].isna().sum()) == 135_080
    assert online_retail["timestamp"].min() == pd.Timestamp("2010-12-01 08:26:00")
    assert online_retail["timestamp"].max() == pd.Timestamp("2011-12-09 12:50:00")
    assert online_retail["quantity"].dtype == np.int64
    assert online_retail["unit_price"].dtype == np.float64
    # CustomerID is stored as float in the file; ids come out as whole-number text.
    assert online_retail["customer_id"].dropna().iloc[0] == "17850"


def test_online_shoppers_has_the_published_shape():
    sessions = load_online_shoppers()
    assert sessions.shape == (12_330, 18)
    assert sessions["Revenue"].mean() == pytest.approx(0.1547, abs=1e-4)


def online_retail_ii_frame() -> pd.DataFrame:
    """Two lines under the column names of the UCI Online Retail II release."""
    return pd.DataFrame(
        {
            "Invoice": ["489434", "C489449"],
            "StockCode": ["85048", "22087"],
            "Description": ["LIGHTS", "PAPER BUNTING"],
            "Quantity": [12, -12],
            "InvoiceDate": ["2009-12-01 07:45:00", "2009-12-01 10:33:00"],
            "Price": [6.95, 2.95],
            "Customer ID": [13085.0, np.nan],
            "Country": ["United Kingdom", "Finland"],
        }
    )


def test_known_aliases_map_without_a_column_map():
    out = to_canonical(online_retail_ii_frame())
    assert list(out.columns) == list(CANONICAL_COLUMNS)
    assert out["customer_id"].tolist()[0] == "13085"
    assert pd.isna(out["customer_id"].tolist()[1])
    assert out["timestamp"].tolist()[1] == pd.Timestamp("2009-12-01 10:33:00")
    assert out["unit_price"].tolist() == [6.95, 2.95]


def test_explicit_map_wins_and_accepts_json_text():
    raw = online_retail_ii_frame().rename(columns={"Customer ID": "Client", "Price": "Cost"})
    as_dict = to_canonical(raw, {"Client": "customer_id", "Cost": "unit_price"})
    as_json = to_canonical(raw, json.dumps({"Client": "customer_id", "Cost": "unit_price"}))
    pd.testing.assert_frame_equal(as_dict, as_json)
    assert as_dict["unit_price"].tolist() == [6.95, 2.95]


def test_to_canonical_does_not_modify_its_input():
    raw = online_retail_ii_frame()
    before = raw.copy()
    to_canonical(raw)
    pd.testing.assert_frame_equal(raw, before)


def test_missing_column_error_names_it_and_lists_found_columns():
    raw = online_retail_ii_frame().drop(columns=["Price"])
    with pytest.raises(ValueError, match=r"\['unit_price'\].*found columns \['Invoice'"):
        to_canonical(raw)


@pytest.mark.parametrize(
    ("column_map", "message"),
    [
        ({"Nope": "customer_id"}, r"column_map names column\(s\) \['Nope'\]"),
        ({"Price": "cost"}, r"unknown column\(s\) \['cost'\]"),
        ({"Price": "unit_price", "Quantity": "unit_price"}, r"several file columns to \['unit_price'\]"),
        ("{not json", r"column_map is not valid JSON"),
    ],
)
def test_bad_column_maps_are_named(column_map, message):
    with pytest.raises(ValueError, match=message):
        to_canonical(online_retail_ii_frame(), column_map)


def test_column_map_of_wrong_type():
    with pytest.raises(TypeError, match="column_map must be a mapping"):
        parse_column_map(["Price", "unit_price"])


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        (
            "InvoiceDate",
            "yesterday",
            r"'timestamp' \(file column 'InvoiceDate'\) has 1 value\(s\) that are not dates: 'yesterday'",
        ),
        ("Price", "cheap", r"'unit_price' \(file column 'Price'\) has 1 value\(s\) that are not numbers: 'cheap'"),
        ("Quantity", "a dozen", r"'quantity' \(file column 'Quantity'\) .* not numbers: 'a dozen'"),
    ],
)
def test_unparsable_values_are_named(column, bad, message):
    raw = online_retail_ii_frame().astype({column: object})
    raw.loc[1, column] = bad
    with pytest.raises(ValueError, match=message):
        to_canonical(raw)


def test_missing_required_values_are_an_error_but_missing_customers_are_not():
    raw = online_retail_ii_frame()
    raw.loc[0, "StockCode"] = None
    with pytest.raises(ValueError, match=r"'item_id' \(file column 'StockCode'\) has 1 missing"):
        to_canonical(raw)


def test_resolve_prefers_canonical_names_over_aliases():
    mapping = resolve_column_map(
        ["customer_id", "CustomerID", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"]
    )
    assert mapping["customer_id"] == "customer_id"
    assert "CustomerID" not in mapping


def test_load_csv_keeps_leading_zeros_and_reads_latin1(tmp_path):
    raw = online_retail_ii_frame()
    raw["StockCode"] = ["00123", "0456"]
    raw["Description"] = ["CAFÉ LIGHTS", "PAPER BUNTING"]
    path = tmp_path / "shop.csv"
    raw.to_csv(path, index=False, encoding="latin-1")
    out = load_transactions(path)
    assert out["item_id"].tolist() == ["00123", "0456"]
    assert out["description"].tolist()[0] == "CAFÉ LIGHTS"


def test_load_parquet_and_tsv_give_the_same_frame(tmp_path):
    raw = online_retail_ii_frame()
    raw.to_parquet(tmp_path / "shop.parquet")
    raw.to_csv(tmp_path / "shop.tsv", sep="\t", index=False)
    pd.testing.assert_frame_equal(
        load_transactions(tmp_path / "shop.parquet"), load_transactions(tmp_path / "shop.tsv")
    )


def test_load_errors_for_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(FileNotFoundError, match="no transaction file"):
        load_transactions(tmp_path / "absent.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValueError, match="'empty.csv' is empty"):
        load_transactions(tmp_path / "empty.csv")
    (tmp_path / "shop.xlsx").write_bytes(b"")
    with pytest.raises(ValueError, match="supported file types"):
        load_transactions(tmp_path / "shop.xlsx")


def test_quality_report_counts_missing_and_distinct():
    report = quality_report(to_canonical(online_retail_ii_frame()))
    assert report.loc["customer_id", "missing"] == 1
    assert report.loc["quantity", "min"] == -12
    assert report.loc["country", "distinct"] == 2
