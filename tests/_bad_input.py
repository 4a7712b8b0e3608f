"""Shared helpers of the table-driven bad-input tests (tests/test_bad_input_<module>.py)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest


def tiny_transactions() -> pd.DataFrame:
    """Six canonical lines of three customers over two months."""
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "c", "a"],
            "invoice_id": ["1", "2", "3", "4", "5", "6"],
            "item_id": ["x", "y", "x", "z", "y", "z"],
            "quantity": [1, 2, 3, 1, 4, 2],
            "unit_price": [2.5, 1.0, 2.5, 4.0, 1.0, 4.0],
            "timestamp": pd.to_datetime(
                ["2024-01-02", "2024-01-20", "2024-01-05", "2024-02-10", "2024-02-15", "2024-02-25"]
            ),
        }
    )


def pounds(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with prices as read by ``pd.read_csv`` from a file whose prices carry a pound sign."""
    return frame.assign(unit_price=[f"£{v:.2f}" for v in frame["unit_price"]])


def text_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with timestamps left as text."""
    return frame.assign(timestamp=frame["timestamp"].dt.strftime("%d/%m/%Y"))


def check_row(call, kwargs, error, pattern):
    """Run one table row: the call must raise ``error`` whose message matches ``pattern``,
    and must not modify any DataFrame, Series or array it was given."""
    before = copy.deepcopy(kwargs)
    with pytest.raises(error, match=pattern):
        call(**kwargs)
    for key, value in kwargs.items():
        if isinstance(value, (pd.DataFrame, pd.Series)):
            assert value.equals(before[key]), f"{key} was modified"
        elif isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, before[key])


def row_ids(rows) -> list[str]:
    """Readable test ids for table rows: the function's name and the row's position."""
    return [f"{getattr(row[0], '__qualname__', getattr(row[0], '__name__', 'call'))}-{i}" for i, row in enumerate(rows)]
