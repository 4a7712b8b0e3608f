"""Shared fixtures: the bundled data is loaded once per test session."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from shopai_lab.data import clean_transactions, load_online_retail
from tests._other_shop import OTHER_SHOP_COLUMNS, OTHER_SHOP_YEARS_LATER  # noqa: E402


@pytest.fixture(scope="session")
def online_retail() -> pd.DataFrame:
    return load_online_retail()


@pytest.fixture(scope="session")
def cleaned_retail(online_retail):
    return clean_transactions(online_retail)


def make_lines(rows: list[tuple]) -> pd.DataFrame:
    """Canonical lines from (customer, invoice, item, quantity, price, timestamp) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format="ISO8601")
    return frame.astype({"customer_id": "string", "invoice_id": "string", "item_id": "string"})


@pytest.fixture(scope="session")
def other_shop_file(tmp_path_factory, online_retail):
    """The non-UK part of the bundled data, twelve years later, saved as CSV under another shop's column names."""
    lines = online_retail[online_retail["country"] != "United Kingdom"].copy()
    lines["timestamp"] = lines["timestamp"] + pd.DateOffset(years=OTHER_SHOP_YEARS_LATER)
    path = tmp_path_factory.mktemp("shop") / "other_shop.csv"
    lines.rename(columns=OTHER_SHOP_COLUMNS).to_csv(path, index=False)
    return path
