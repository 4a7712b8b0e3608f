"""Shared fixtures: the bundled data is loaded once per test session, and one local SparkSession."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from shopai_lab.data import clean_transactions, load_online_retail
from shopai_lab.spark import INSTALL_HINT, spark_available
from tests._other_shop import OTHER_SHOP_COLUMNS, OTHER_SHOP_YEARS_LATER  # noqa: E402

#: SHOPAI_REQUIRE_SPARK=1 (CI) turns "pyspark or Java missing" from a skip into a failure.
REQUIRE_SPARK = os.environ.get("SHOPAI_REQUIRE_SPARK", "") not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A local[2] session (4 shuffle partitions, UI off, UTC), stopped when the tests end.

    Session-scoped rather than per module: a JVM start costs 5-10 s and the modules share nothing
    that one could leak into another (tests/spark drops cached frames after each module). Skips without
    pyspark or Java, unless SHOPAI_REQUIRE_SPARK is set: then it fails.
    """
    if not spark_available():
        message = f"SHOPAI_REQUIRE_SPARK is set but pyspark or Java is missing: {INSTALL_HINT}"
        if REQUIRE_SPARK:
            pytest.fail(message)
        pytest.skip(f"pyspark or Java missing: {INSTALL_HINT}")
    from shopai_lab.spark import local_session

    session = local_session(
        "local[2]", "2g", shuffle_partitions=4, checkpoint_dir=tmp_path_factory.mktemp("checkpoints")
    )
    yield session
    session.stop()


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
