"""Bad input to shopai_lab.data loaders: each row must raise a clear error naming the file, column or parameter."""

import pandas as pd
import pytest

from shopai_lab import data
from tests._bad_input import check_row


@pytest.fixture
def files(tmp_path):
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "ragged.csv").write_text("a,b\n1,2\n3,4,5,6\n")
    (tmp_path / "fake.parquet").write_text("not parquet")
    (tmp_path / "other.csv").write_text("x,y\n1,2\n")
    (tmp_path / "prices.csv").write_text(
        "customer_id,invoice_id,item_id,quantity,unit_price,timestamp\n1,5,A,2,£2.50,2024-01-02\n"
    )
    (tmp_path / "two_prices.csv").write_text(
        "InvoiceNo,StockCode,Quantity,UnitPrice,Price,InvoiceDate,CustomerID\n1,A,2,1.0,1.2,2024-01-02,7\n"
    )
    (tmp_path / "dates.csv").write_text(
        "customer_id,invoice_id,item_id,quantity,unit_price,timestamp\n1,5,A,2,2.5,yesterday\n"
    )
    return tmp_path


ROWS = [
    (data.load_transactions, {"path": "binary.csv"}, ValueError, r"binary\.csv.*binary file"),
    (data.load_transactions, {"path": "ragged.csv"}, ValueError, r"ragged\.csv.*ParserError"),
    (data.load_transactions, {"path": "fake.parquet"}, ValueError, r"fake\.parquet"),
    (data.load_transactions, {"path": "other.csv"}, ValueError, r"other\.csv.*cannot find required column"),
    (data.load_transactions, {"path": "prices.csv"}, ValueError, r"prices\.csv.*'unit_price'.*'£2.50'"),
    (data.load_transactions, {"path": "dates.csv"}, ValueError, r"dates\.csv.*'timestamp'.*not dates"),
    (data.load_transactions, {"path": "absent.csv"}, FileNotFoundError, r"absent\.csv"),
    (data.load_transactions, {"path": "prices.csv", "column_map": "{bad json"}, ValueError, "column_map"),
    (data.load_transactions, {"path": "prices.csv", "column_map": ["Price"]}, TypeError, "column_map"),
    (
        data.load_transactions,
        {"path": "two_prices.csv"},
        ValueError,
        r"both 'UnitPrice' and 'Price'.*'unit_price'.*column_map",
    ),
    (data.load_online_shoppers, {"path": "binary.csv"}, ValueError, r"binary\.csv"),
    (data.load_online_shoppers, {"path": "other.csv"}, ValueError, r"other\.csv.*missing column"),
    (data.load_cdnow_summary, {"path": "absent.csv"}, FileNotFoundError, r"absent\.csv"),
    (data.load_cdnow_summary, {"path": "ragged.csv"}, ValueError, r"ragged\.csv"),
    (data.to_canonical, {"df": [1, 2]}, TypeError, "transactions must be a pandas DataFrame"),
    (
        data.to_canonical,
        {"df": pd.DataFrame({"Price": [1.0]}), "column_map": {"Nope": "unit_price"}},
        ValueError,
        r"column_map names column\(s\) \['Nope'\]",
    ),
    (data.quality_report, {"df": "table"}, TypeError, "df must be a pandas DataFrame"),
    (
        data.to_canonical,
        {"df": pd.DataFrame(columns=["Invoice", "InvoiceNo", "StockCode", "Quantity", "Price", "InvoiceDate"])},
        ValueError,
        r"both 'InvoiceNo' and 'Invoice'.*'invoice_id'",
    ),
]


def test_a_map_or_the_canonical_name_settles_two_aliases(files):
    chosen = data.load_transactions(files / "two_prices.csv", {"Price": "unit_price"})
    assert chosen["unit_price"].tolist() == [1.2]
    raw = pd.read_csv(files / "two_prices.csv").rename(columns={"UnitPrice": "unit_price"})
    assert data.to_canonical(raw)["unit_price"].tolist() == [1.0]  # the canonical name wins over an alias


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(files, call, kwargs, error, pattern):
    if "path" in kwargs:
        kwargs = {**kwargs, "path": files / kwargs["path"]}
    check_row(call, kwargs, error, pattern)
