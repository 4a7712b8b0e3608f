import numpy as np
import pandas as pd
import pytest

from shopai_lab.anomaly import (
    PriceRatioRule,
    detection_metrics,
    inject_anomalies,
    invoice_features,
    model_matrix,
)


def test_planted_changes_are_exactly_as_labelled(small_shop):
    before = small_shop.copy()
    injected = inject_anomalies(small_shop, rate=0.1, quantity_factor=(10, 100), burst_size=(3, 5), random_state=1)
    pd.testing.assert_frame_equal(small_shop, before)  # input untouched
    counts = injected.labels.value_counts()
    assert counts["quantity"] == counts["price"] == 10 and counts["burst"] == 10
    original = small_shop.set_index(["invoice_id", "item_id"])
    planted = injected.lines.set_index(["invoice_id", "item_id"])
    for change in injected.changes.itertuples():
        if change.kind == "quantity":
            old = original.loc[(change.invoice_id, change.item_id), "quantity"]
            assert planted.loc[(change.invoice_id, change.item_id), "quantity"] == np.ceil(old * change.factor)
            assert 10 <= change.factor <= 100
        elif change.kind == "price":
            old = original.loc[(change.invoice_id, change.item_id), "unit_price"]
            new = planted.loc[(change.invoice_id, change.item_id), "unit_price"]
            assert change.factor in (10.0, 0.1) and new == pytest.approx(old * change.factor, rel=1e-3)
    # every line of a normal invoice is unchanged
    normal = injected.labels.index[injected.labels == "normal"]
    kept = injected.lines[injected.lines["invoice_id"].isin(normal)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        kept, small_shop[small_shop["invoice_id"].isin(normal)].reset_index(drop=True), check_dtype=False
    )


def test_bursts_are_near_identical_minutes_apart_from_new_customers(small_shop):
    injected = inject_anomalies(
        small_shop, rate=0.1, kinds=["burst"], burst_size=(3, 5), burst_minutes=4, random_state=2
    )
    bursts = injected.lines[injected.lines["invoice_id"].isin(injected.labels.index[injected.labels == "burst"])]
    assert not set(bursts["customer_id"]) & set(small_shop["customer_id"])
    for _, lines in bursts.groupby("customer_id"):
        stamps = lines.groupby("invoice_id")["timestamp"].first().sort_values()
        assert 3 <= len(stamps) <= 5 or len(stamps) >= 2
        gaps = stamps.diff().dropna() / pd.Timedelta(minutes=1)
        assert ((gaps >= 1) & (gaps <= 4)).all()
        baskets = lines.groupby("invoice_id")["item_id"].apply(frozenset)
        assert baskets.nunique() == 1


def test_price_rule_recovers_planted_prices_perfectly(small_shop):
    """In a shop with one price per product, planted x10 and /10 prices are exactly the price rule's top."""
    injected = inject_anomalies(small_shop, rate=0.1, kinds=["price"], random_state=3)
    features = invoice_features(injected.lines)
    scores = PriceRatioRule().fit_score(model_matrix(features))
    truth = injected.labels.reindex(features.index) == "price"
    assert detection_metrics(truth, scores)["roc_auc"] == 1.0
    assert scores[truth.to_numpy()] == pytest.approx(np.ones(int(truth.sum())), abs=1e-3)


def test_reproducible_and_rate(cleaned_retail):
    a = inject_anomalies(cleaned_retail.purchases, rate=0.01, random_state=5)
    b = inject_anomalies(cleaned_retail.purchases, rate=0.01, random_state=5)
    pd.testing.assert_series_equal(a.labels, b.labels)
    share = (a.labels != "normal").mean()
    assert share == pytest.approx(0.01, abs=0.001)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"rate": 0.0}, ValueError, "rate"),
        ({"rate": 0.6}, ValueError, "rate"),
        ({"rate": "1%"}, TypeError, "rate"),
        ({"kinds": ["typo"]}, ValueError, "kinds"),
        ({"kinds": []}, ValueError, "kinds"),
        ({"quantity_factor": (0.5, 2)}, ValueError, "quantity_factor"),
        ({"burst_size": (5, 2)}, ValueError, "burst_size"),
        ({"burst_minutes": 0}, ValueError, "burst_minutes"),
    ],
)
def test_bad_input(small_shop, kwargs, error, match):
    with pytest.raises(error, match=match):
        inject_anomalies(small_shop, **kwargs)


def test_missing_column(small_shop):
    with pytest.raises(ValueError, match="quantity"):
        inject_anomalies(small_shop.drop(columns="quantity"))
