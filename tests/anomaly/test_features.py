import numpy as np
import pandas as pd
import pytest

from shopai_lab.anomaly import FEATURE_COLUMNS, invoice_features, model_matrix, past_medians, product_lines
from shopai_lab.data import NON_PRODUCT_PATTERN
from tests.conftest import make_lines


def hand_lines():
    return make_lines(
        [
            ("a", "1", "x", 1, 1.0, "2024-01-01 10:00"),
            ("a", "1", "y", 2, 2.0, "2024-01-01 10:00"),
            ("a", "1", "POST", 1, 18.0, "2024-01-01 10:00"),
            ("a", "2", "x", 1, 10.0, "2024-01-01 12:00"),
            ("a", "3", "x", 4, 1.0, "2024-01-02 11:00"),
            ("a", "3", "y", 1, 2.0, "2024-01-02 11:00"),
            ("b", "4", "x", 1, 1.0, "2024-01-03 10:00"),
        ]
    )


def test_hand_example_features():
    f = invoice_features(hand_lines(), non_product_pattern=NON_PRODUCT_PATTERN)
    assert f.index.tolist() == ["1", "2", "3", "4"]
    assert f["lines"].tolist() == [2, 1, 2, 1]  # the POST line is not a product line
    assert f["value"].tolist() == [5.0, 10.0, 6.0, 1.0]
    # past-only usual prices of x: none yet (warm-up: 0), 1.0, median(1, 10) = 5.5, median(1, 10, 1) = 1
    assert f["max_price_ratio"].tolist() == pytest.approx([0.0, 1.0, np.log10(5.5), 0.0])
    assert f.attrs["warm_up_lines"] == 2 and f.attrs["product_lines"] == 6  # invoice 1's x and y
    assert f["invoices_so_far"].tolist() == [0, 1, 2, 0]
    # 24 h before invoice 3 (2 Jan 11:00) holds invoice 2 (1 Jan 12:00) but not 1 (1 Jan 10:00)
    assert f["invoices_last_24h"].tolist() == [0, 1, 1, 0]
    assert f["days_since_last"].tolist() == pytest.approx([0.0, 2 / 24, 23 / 24, 2 + 0 / 24])
    # Jaccard: {x} vs {x, y} = 1/2; {x, y} vs {x} = 1/2; first invoices 0
    assert f["basket_overlap"].tolist() == pytest.approx([0.0, 0.5, 0.5, 0.0])
    assert f["repeat_basket"].tolist() == pytest.approx([0.0, 0.5, 0.5, 0.0])
    # quantity 4 of x against x's earlier median quantity 1: log10(4); y's 1 against its earlier 2;
    # the contrast is the largest ratio minus the invoice's median ratio (the mean of two)
    assert f.loc["3", "max_quantity_ratio"] == pytest.approx(np.log10(4))
    assert f.loc["3", "quantity_contrast"] == pytest.approx((np.log10(4) - np.log10(1 / 2)) / 2)
    # with the whole period's medians (only to measure look-ahead): x's median price 1, y's quantity 1.5
    ahead = invoice_features(hand_lines(), non_product_pattern=NON_PRODUCT_PATTERN, look_ahead=True)
    assert ahead["max_price_ratio"].tolist() == pytest.approx([0.0, 1.0, 0.0, 0.0])
    assert ahead.loc["3", "quantity_contrast"] == pytest.approx((np.log10(4) - np.log10(1 / 1.5)) / 2)
    assert f.loc["3", "top_line_share"] == pytest.approx(4 / 6)
    assert f.loc["1", "hour"] == 10.0
    assert set(FEATURE_COLUMNS) <= set(f.columns)


def test_history_uses_no_future():
    lines = hand_lines()
    later = make_lines([("a", "9", "x", 1, 1.0, "2024-01-05 10:00")])
    full = invoice_features(pd.concat([lines, later], ignore_index=True), non_product_pattern="POST")
    history = ["invoices_so_far", "days_since_last", "invoices_last_24h", "basket_overlap"]
    expected = invoice_features(lines, non_product_pattern="POST")[history]
    pd.testing.assert_frame_equal(full.loc[["1", "2", "3", "4"], history], expected)


def test_a_changed_future_changes_no_earlier_feature(small_shop):
    """Every feature of an invoice is computable when it arrives: rewrite every later line, nothing earlier moves."""
    cut = small_shop["timestamp"].sort_values().iloc[len(small_shop) // 2]
    future = small_shop["timestamp"] > cut
    changed = small_shop.copy()
    changed.loc[future, "unit_price"] *= 100.0
    changed.loc[future, "quantity"] *= 50
    before, after = invoice_features(small_shop), invoice_features(changed)
    earlier = before.index[before["timestamp"] <= cut]
    assert len(earlier) > 100
    pd.testing.assert_frame_equal(after.loc[earlier], before.loc[earlier])
    assert not after.drop(index=earlier)["max_price_ratio"].equals(before.drop(index=earlier)["max_price_ratio"])


def test_lines_of_the_same_minute_do_not_see_each_other():
    lines = make_lines(
        [
            ("a", "1", "x", 1, 1.0, "2024-01-01 10:00"),
            ("b", "2", "x", 1, 1.0, "2024-01-02 10:00"),
            ("c", "3", "x", 1, 500.0, "2024-01-02 10:00"),  # same minute as invoice 2: 2 must not see it
            ("d", "4", "x", 1, 1.0, "2024-01-03 10:00"),
        ]
    )
    f = invoice_features(lines)
    assert f["max_price_ratio"].tolist() == pytest.approx([0.0, 0.0, np.log10(500), np.log10(1.0)])
    # invoice 4 sees the three earlier lines: median(1, 1, 500) = 1


def brute_past_medians(groups, times, values, window, min_history):
    out = []
    for g, t in zip(groups, times, strict=True):
        earlier = [v for gg, tt, v in zip(groups, times, values, strict=True) if gg == g and tt < t]
        earlier = earlier if window is None else earlier[-window:]
        out.append(np.median(earlier) if len(earlier) >= min_history else np.nan)
    return np.array(out)


@pytest.mark.parametrize("window, min_history", [(None, 1), (None, 3), (2, 1), (5, 2)])
def test_past_medians_equal_a_brute_force_count(window, min_history):
    rng = np.random.default_rng(3)
    n = 300
    groups = rng.choice(["p", "q", "r"], n)
    times = np.sort(rng.integers(0, 120, n))  # many ties in time, rows already in time order
    values = rng.lognormal(size=n).round(2)
    got = past_medians(groups, times, values, window, min_history)
    np.testing.assert_allclose(got, brute_past_medians(groups, times, values, window, min_history))


def test_past_medians_bad_input():
    with pytest.raises(ValueError, match="reference_lines"):
        past_medians(np.array(["x"]), np.array([0]), np.array([1.0]), reference_lines=0)
    with pytest.raises(TypeError, match="min_history"):
        past_medians(np.array(["x"]), np.array([0]), np.array([1.0]), min_history=1.5)
    with pytest.raises(TypeError, match="look_ahead"):
        invoice_features(hand_lines(), look_ahead="yes")


def test_input_not_modified_and_non_products_dropped():
    lines = hand_lines()
    before = lines.copy()
    kept = product_lines(lines, NON_PRODUCT_PATTERN)
    invoice_features(lines, non_product_pattern=NON_PRODUCT_PATTERN)
    pd.testing.assert_frame_equal(lines, before)
    assert kept.attrs["dropped_lines"] == 1 and "POST" not in set(kept["item_id"])
    # the rule is the data set's, passed in: clean lines need none, and without it postage is a product
    assert product_lines(lines).attrs["dropped_lines"] == 0
    assert invoice_features(lines).loc["1", "lines"] == 3
    with pytest.raises(ValueError, match="non_product_pattern"):
        product_lines(lines, "(POST")
    with pytest.raises(TypeError, match="non_product_pattern"):
        invoice_features(lines, non_product_pattern=5)


def test_real_data_shape(cleaned_retail):
    f = invoice_features(cleaned_retail.purchases)
    assert len(f) == cleaned_retail.purchases["invoice_id"].nunique() == 18_402
    assert f["timestamp"].is_monotonic_increasing
    X = model_matrix(f)
    assert np.isfinite(X.to_numpy()).all() and list(X.columns) == list(FEATURE_COLUMNS)


def test_model_matrix_logs():
    X = model_matrix(
        pd.DataFrame({"units": [9.0], "days_since_last": [0.0], "hour": [3.0]}),
        ["units", "days_since_last", "hour"],
    )
    assert X.iloc[0].tolist() == pytest.approx([1.0, np.log10(1 / 1440), 3.0])


@pytest.mark.parametrize(
    "mutate, error, match",
    [
        (lambda f: f.drop(columns="unit_price"), ValueError, "unit_price"),
        (lambda f: f.iloc[:0], ValueError, "empty"),
        (lambda f: f.assign(timestamp=f["timestamp"].astype(str)), TypeError, "timestamp"),
        (lambda f: f.assign(customer_id=None), ValueError, "customer_id"),
        (lambda f: f[f["item_id"] == "POST"], ValueError, "non-product"),
        ("not a frame", TypeError, "DataFrame"),
    ],
)
def test_bad_input(mutate, error, match):
    lines = mutate if isinstance(mutate, str) else mutate(hand_lines())
    with pytest.raises(error, match=match):
        invoice_features(lines, non_product_pattern="POST")


def test_bad_price_tolerance():
    with pytest.raises(ValueError, match="price_tolerance"):
        invoice_features(hand_lines(), price_tolerance=1.0)
