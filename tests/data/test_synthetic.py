import numpy as np
import pandas as pd
import pytest

from shopai_lab.behavior import funnel
from shopai_lab.data import SEGMENTS, random_transactions, simulate_shop


@pytest.fixture(scope="module")
def shop():
    return simulate_shop(n_customers=3000, n_items=150, days=120, random_state=7)


def test_same_seed_same_shop_other_seed_other_shop():
    a = simulate_shop(n_customers=300, n_items=40, days=30, random_state=3)
    b = simulate_shop(n_customers=300, n_items=40, days=30, random_state=3)
    c = simulate_shop(n_customers=300, n_items=40, days=30, random_state=4)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert not a.events.equals(c.events)


def test_schema(shop):
    assert list(shop.events.columns) == [
        "customer_id",
        "session_id",
        "item_id",
        "event",
        "timestamp",
        "price",
        "quantity",
    ]
    assert set(shop.events["event"].astype(str)) == {"view", "cart", "purchase"}
    assert shop.events["timestamp"].is_monotonic_increasing
    assert set(shop.events["item_id"]) <= set(shop.catalogue["item_id"])
    assert (shop.events["price"] > 0).all()
    assert shop.catalogue["popularity"].sum() == pytest.approx(1.0)


def test_every_purchase_was_carted_and_every_cart_viewed_earlier(shop):
    ev = shop.events
    key = ["session_id", "item_id"]
    first = ev.groupby([*key, "event"], observed=True)["timestamp"].min().unstack("event")
    bought = first[first["purchase"].notna()]
    assert bought["cart"].notna().all()
    assert (bought["cart"] <= bought["purchase"]).all()
    carted = first[first["cart"].notna()]
    assert (carted["view"] <= carted["cart"]).all()


def test_segment_shares_match_the_configuration(shop):
    shares = shop.customers["segment"].value_counts(normalize=True)
    for name, share in SEGMENTS["share"].items():
        # 3,000 draws: the standard error of a share is at most 0.009.
        assert shares[name] == pytest.approx(share, abs=0.03)


def test_session_rates_match_the_configuration(shop):
    sessions = shop.events.groupby("customer_id")["session_id"].nunique()
    customers = shop.customers.set_index("customer_id")
    per_day = sessions.reindex(customers.index, fill_value=0) / 120
    observed = per_day.groupby(customers["segment"], observed=True).mean()
    for name, rate in SEGMENTS["sessions_per_day"].items():
        assert observed[name] == pytest.approx(rate, rel=0.12)


def test_funnel_conversion_matches_the_configuration(shop):
    ev = shop.events.merge(shop.customers[["customer_id", "segment"]], on="customer_id")
    counts = ev.groupby(["segment", "event"], observed=True).size().unstack("event")
    cart_rate = counts["cart"] / counts["view"]
    for name, rate in SEGMENTS["cart_rate"].items():
        assert cart_rate[name] == pytest.approx(rate, rel=0.1)
    table = funnel(ev)
    assert table["sessions"].is_monotonic_decreasing


def test_transactions_are_canonical_purchases(shop):
    tx = shop.transactions()
    assert list(tx.columns) == ["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"]
    assert len(tx) == int((shop.events["event"] == "purchase").sum())
    assert (tx["quantity"] >= 1).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_customers": 0}, ValueError, "n_customers must be >= 1"),
        ({"days": 2.5}, TypeError, "days must be an integer"),
        ({"segments": SEGMENTS.assign(share=0.5)}, ValueError, r"segments\['share'\] must sum to 1"),
        ({"segments": SEGMENTS.drop(columns="units")}, ValueError, r"missing column\(s\) \['units'\]"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        simulate_shop(**kwargs)


def test_random_transactions_size_and_schema():
    tx = random_transactions(10_000, n_customers=500, n_items=300, random_state=1)
    assert len(tx) == 10_000
    assert tx["customer_id"].nunique() <= 500
    assert tx["item_id"].nunique() <= 300
    # Each invoice belongs to one customer at one time.
    per_invoice = tx.groupby("invoice_id")[["customer_id", "timestamp"]].nunique()
    assert (per_invoice == 1).all().all()
    assert np.issubdtype(tx["timestamp"].dtype, np.datetime64)
    with pytest.raises(ValueError, match="lines_per_invoice"):
        random_transactions(10, lines_per_invoice=0.5)
