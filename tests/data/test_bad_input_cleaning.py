"""Bad input to shopai_lab.data.cleaning: clear errors naming the column or parameter; inputs unchanged."""

import numpy as np
import pytest

from shopai_lab import data, stats
from tests._bad_input import check_row, pounds, tiny_transactions

TX = tiny_transactions()
NAN_QTY = TX.assign(quantity=[1.0, np.nan, 3.0, 1.0, 4.0, 2.0])

ROWS = [
    (data.clean_transactions, {"transactions": pounds(TX)}, TypeError, r"'unit_price'.*'£2.50'"),
    (data.clean_transactions, {"transactions": TX.drop(columns="quantity")}, ValueError, r"'quantity'"),
    (data.clean_transactions, {"transactions": TX.assign(timestamp="2024-01-02")}, TypeError, r"'timestamp'.*datetime"),
    (data.clean_transactions, {"transactions": NAN_QTY}, ValueError, r"'quantity'.*missing"),
    (data.clean_transactions, {"transactions": TX, "non_product_pattern": "(POST"}, ValueError, "non_product_pattern"),
    (data.clean_transactions, {"transactions": TX, "non_product_pattern": 5}, TypeError, "non_product_pattern"),
    (data.clean_transactions, {"transactions": TX, "cancellation_prefix": ""}, ValueError, "cancellation_prefix"),
    (data.clean_transactions, {"transactions": "file.csv"}, TypeError, "transactions must be a pandas"),
    (data.net_of_returns, {"purchases": pounds(TX), "returns": TX}, TypeError, r"purchases\['unit_price'\]"),
    (data.net_of_returns, {"purchases": TX, "returns": TX.assign(quantity="-1")}, TypeError, r"returns\['quantity'\]"),
    (data.flag_extreme_lines, {"lines": pounds(TX)}, TypeError, r"lines\['unit_price'\].*'£2.50'"),
    (data.flag_extreme_lines, {"lines": NAN_QTY}, ValueError, r"'quantity'"),
    (data.flag_extreme_lines, {"lines": TX, "threshold": "5"}, TypeError, "threshold"),
    (data.flag_extreme_lines, {"lines": TX, "threshold": np.inf}, ValueError, "threshold"),
    (data.flag_extreme_lines, {"lines": TX, "threshold": -1}, ValueError, "threshold"),
    (stats.robust_z, {"values": ["1", "2"]}, TypeError, "values must hold numbers"),
    (stats.robust_z, {"values": [1.0, np.inf]}, ValueError, "values has 1 missing"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_input_is_not_modified():
    lines = TX.copy()
    data.clean_transactions(lines)
    data.flag_extreme_lines(lines)
    assert lines.equals(TX)
