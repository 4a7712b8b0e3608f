"""Bad input to shopai_lab.cleaning: clear errors naming the column or parameter; inputs unchanged."""

import numpy as np
import pytest

from shopai_lab import cleaning
from tests._bad_input import check_row, pounds, tiny_transactions

TX = tiny_transactions()
NAN_QTY = TX.assign(quantity=[1.0, np.nan, 3.0, 1.0, 4.0, 2.0])

ROWS = [
    (cleaning.clean_transactions, {"transactions": pounds(TX)}, TypeError, r"'unit_price'.*'£2.50'"),
    (cleaning.clean_transactions, {"transactions": TX.drop(columns="quantity")}, ValueError, r"'quantity'"),
    (cleaning.clean_transactions, {"transactions": TX.assign(timestamp="2024-01-02")}, TypeError,
     r"'timestamp'.*datetime"),
    (cleaning.clean_transactions, {"transactions": NAN_QTY}, ValueError, r"'quantity'.*missing"),
    (cleaning.clean_transactions, {"transactions": TX, "non_product_pattern": "(POST"}, ValueError,
     "non_product_pattern"),
    (cleaning.clean_transactions, {"transactions": TX, "non_product_pattern": 5}, TypeError,
     "non_product_pattern"),
    (cleaning.clean_transactions, {"transactions": TX, "cancellation_prefix": ""}, ValueError,
     "cancellation_prefix"),
    (cleaning.clean_transactions, {"transactions": "file.csv"}, TypeError, "transactions must be a pandas"),
    (cleaning.net_of_returns, {"purchases": pounds(TX), "returns": TX}, TypeError, r"purchases\['unit_price'\]"),
    (cleaning.net_of_returns, {"purchases": TX, "returns": TX.assign(quantity="-1")}, TypeError,
     r"returns\['quantity'\]"),
    (cleaning.flag_extreme_lines, {"lines": pounds(TX)}, TypeError, r"lines\['unit_price'\].*'£2.50'"),
    (cleaning.flag_extreme_lines, {"lines": NAN_QTY}, ValueError, r"'quantity'"),
    (cleaning.flag_extreme_lines, {"lines": TX, "threshold": "5"}, TypeError, "threshold"),
    (cleaning.flag_extreme_lines, {"lines": TX, "threshold": np.inf}, ValueError, "threshold"),
    (cleaning.flag_extreme_lines, {"lines": TX, "threshold": -1}, ValueError, "threshold"),
    (cleaning.robust_z, {"values": ["1", "2"]}, TypeError, "values must hold numbers"),
    (cleaning.robust_z, {"values": [1.0, np.inf]}, ValueError, "values has 1 missing"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS)
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_input_is_not_modified():
    lines = TX.copy()
    cleaning.clean_transactions(lines)
    cleaning.flag_extreme_lines(lines)
    assert lines.equals(TX)
