import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from shopai_lab.behavior import (
    SEGMENT_GRID,
    CustomerSegmenter,
    assign_segments,
    cohort_retention,
    customer_features,
    funnel,
    quantile_scores,
    rfm,
    rfm_scores,
    segment_profile,
    segment_summary,
    session_features,
)
from shopai_lab.data import simulate_shop
from tests.conftest import make_lines

PURCHASES = make_lines(
    [
        ("a", "1", "x", 2, 10.0, "2024-01-01 00:00"),
        ("a", "2", "x", 1, 5.0, "2024-01-08 00:00"),
        ("a", "2", "y", 1, 5.0, "2024-01-08 00:00"),
        ("b", "3", "y", 5, 1.0, "2024-01-05 18:00"),
        ("c", "4", "x", 1, 10.0, "2024-01-12 09:00"),  # after the reference date: ignored
    ]
)
RETURNS = make_lines(
    [
        ("a", "C9", "x", -1, 10.0, "2024-01-09 00:00"),  # nets out of a's value
        ("z", "C8", "x", -1, 10.0, "2024-01-09 00:00"),  # customer without purchases: ignored
        (None, "C7", "x", -1, 10.0, "2024-01-09 00:00"),  # no customer: ignored
        ("b", "C6", "y", -2, 1.0, "2024-01-20 00:00"),  # after the reference date: ignored
    ]
)


def test_rfm_known_answer():
    table = rfm(PURCHASES, reference_date="2024-01-11", returns=RETURNS)
    assert table.index.tolist() == ["a", "b"]
    assert table["days_since_last"].tolist() == [3, 5]  # b: 5.25 days, whole days floor
    assert table["invoices"].tolist() == [2, 1]
    assert table["net_revenue"].tolist() == pytest.approx([20.0, 5.0])
    assert table.loc["a", "first_purchase"] == pd.Timestamp("2024-01-01")


def test_rfm_default_reference_is_midnight_after_last_purchase():
    table = rfm(PURCHASES)
    assert table.loc["c", "days_since_last"] == 0  # bought 2024-01-12 09:00, reference 2024-01-13
    assert table.loc["a", "days_since_last"] == 5


def test_rfm_errors_and_no_mutation():
    before = PURCHASES.copy()
    rfm(PURCHASES, returns=RETURNS)
    pd.testing.assert_frame_equal(PURCHASES, before)
    with pytest.raises(ValueError, match="before every purchase"):
        rfm(PURCHASES, reference_date="2023-12-31")
    with pytest.raises(ValueError, match="reference_date could not be read"):
        rfm(PURCHASES, reference_date="soon")
    with pytest.raises(ValueError, match=r"customer_id'\] has 1 missing"):
        rfm(PURCHASES.assign(customer_id=PURCHASES["customer_id"].mask(PURCHASES.index == 0)))
    with pytest.raises(ValueError, match="purchases is empty"):
        rfm(PURCHASES.iloc[:0])
    with pytest.raises(TypeError, match=r"timestamp'\] must be datetime64"):
        rfm(PURCHASES.assign(timestamp=PURCHASES["timestamp"].astype(str)))


def test_rfm_on_online_retail_adds_up(cleaned_retail):
    purchases, returns = cleaned_retail.purchases, cleaned_retail.returns
    table = rfm(purchases, returns=returns)
    assert len(table) == 4_334
    pairs = purchases[["customer_id", "invoice_id"]].drop_duplicates()
    assert table["invoices"].sum() == len(pairs)
    known = returns[returns["customer_id"].isin(table.index)]
    expected = purchases["revenue"].sum() + known["revenue"].sum()
    assert table["net_revenue"].sum() == pytest.approx(expected, rel=1e-12)
    assert table["days_since_last"].between(0, 373).all()


def test_quantile_scores_keep_ties_together():
    values = pd.Series([1, 1, 1, 1, 2, 3, 4, 5, 6, 7])
    assert quantile_scores(values).tolist() == [2, 2, 2, 2, 3, 3, 4, 4, 5, 5]
    assert quantile_scores(pd.Series([4.0] * 7)).tolist() == [3] * 7
    assert quantile_scores(pd.Series(range(10)), higher_is_better=False).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    with pytest.raises(ValueError, match="n_bins must be >= 2"):
        quantile_scores(values, n_bins=1)
    with pytest.raises(ValueError, match="missing values"):
        quantile_scores(pd.Series([1.0, np.nan]))


def test_rfm_scores_survive_heavy_ties(cleaned_retail):
    scored = rfm_scores(rfm(cleaned_retail.purchases, returns=cleaned_retail.returns))
    one_invoice = scored[scored["invoices"] == 1]
    assert one_invoice["f_score"].nunique() == 1  # a third of customers, one score
    for column in ("r_score", "f_score", "m_score", "fm_score"):
        assert scored[column].between(1, 5).all()


def test_every_grid_cell_maps_to_its_segment():
    cells = pd.DataFrame([(r, fm) for r in range(1, 6) for fm in range(1, 6)], columns=["r_score", "fm_score"])
    segmented = assign_segments(cells)
    for row in segmented.itertuples():
        assert row.segment == SEGMENT_GRID.loc[row.r_score, row.fm_score]
    assert segmented.loc[24, "segment"] == "Champions"
    assert segmented.loc[0, "segment"] == "Lost"
    assert segmented.loc[4, "segment"] == "Can't lose"
    with pytest.raises(ValueError, match=r"r_score'\] has values \[6\]"):
        assign_segments(pd.DataFrame({"r_score": [6], "fm_score": [1]}))


def test_fm_score_rounds_half_up():
    table = pd.DataFrame({"days_since_last": [1, 2], "invoices": [1, 2], "net_revenue": [2.0, 1.0]})
    scored = rfm_scores(table, n_bins=2)
    # f: [1, 2], m: [2, 1] -> means 1.5 and 1.5 -> both round half up to 2.
    assert scored["fm_score"].tolist() == [2, 2]


def test_segment_summary_shares_add_to_one(cleaned_retail):
    segmented = assign_segments(rfm_scores(rfm(cleaned_retail.purchases, returns=cleaned_retail.returns)))
    summary = segment_summary(segmented)
    assert summary["customers"].sum() == 4_334
    assert summary["share"].sum() == pytest.approx(1.0)
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    assert summary.index[0] == "Champions"
    assert summary.loc["Champions", "net_revenue"] > summary.loc["Lost", "net_revenue"]


COHORT_LINES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b", "c", "c", "d"],
        "timestamp": pd.to_datetime(
            ["2024-01-05", "2024-02-03", "2024-04-01", "2024-01-20", "2024-02-10", "2024-03-02", "2024-03-15"]
        ),
    }
)


def test_cohort_retention_known_answer_drops_incomplete_last_month():
    table = cohort_retention(COHORT_LINES)
    assert [str(p) for p in table.index] == ["2024-01", "2024-02", "2024-03"]
    expected = [[1.0, 0.5, 0.0], [1.0, 1.0, np.nan], [1.0, np.nan, np.nan]]
    np.testing.assert_array_equal(table.to_numpy(), expected)


def test_cohort_retention_with_the_last_month_and_as_counts():
    counts = cohort_retention(COHORT_LINES, complete_months_only=False, as_counts=True)
    expected = [[2, 1, 0, 1], [1, 1, 0, np.nan], [1, 0, np.nan, np.nan]]
    np.testing.assert_array_equal(counts.to_numpy(), expected)
    shares = cohort_retention(COHORT_LINES, complete_months_only=False)
    assert (shares[0] == 1.0).all()


def test_cohort_retention_month_end_counts_as_complete():
    moved = COHORT_LINES["timestamp"].replace(pd.Timestamp("2024-04-01"), pd.Timestamp("2024-03-31"))
    lines = COHORT_LINES.assign(timestamp=moved)
    assert cohort_retention(lines).shape == (3, 3)
    with pytest.raises(ValueError, match="incomplete month"):
        cohort_retention(COHORT_LINES.iloc[[2]])


def test_online_retail_month1_retention(cleaned_retail):
    table = cohort_retention(cleaned_retail.purchases)
    assert len(table) == 12  # Dec 2010 .. Nov 2011; Dec 2011 is incomplete
    assert table[1].notna().sum() == 11
    assert table[1].mean() == pytest.approx(0.2127, abs=5e-4)
    assert table.loc[pd.Period("2010-12", "M"), 1] == pytest.approx(0.366, abs=1e-3)


EVENTS = pd.DataFrame(
    {
        "session_id": [1, 1, 1, 2, 3, 3, 4],
        "event": ["view", "cart", "purchase", "view", "view", "cart", "view"],
        "group": ["g", "g", "g", "g", "h", "h", "h"],
    }
)


def test_funnel_known_answer():
    table = funnel(EVENTS)
    assert table["stage"].tolist() == ["view", "cart", "purchase"]
    assert table["sessions"].tolist() == [4, 2, 1]
    assert table["step_conversion"].tolist() == pytest.approx([1.0, 0.5, 0.5])
    assert table["overall_conversion"].tolist() == pytest.approx([1.0, 0.5, 0.25])


def test_funnel_by_group_counts_stages_no_group_reached():
    table = funnel(EVENTS, by="group").set_index(["group", "stage"])
    assert table.loc[("g", "purchase"), "sessions"] == 1
    assert table.loc[("h", "purchase"), "sessions"] == 0
    assert table.loc[("h", "cart"), "step_conversion"] == pytest.approx(0.5)
    assert table.loc[("h", "purchase"), "overall_conversion"] == 0.0


def test_funnel_errors():
    with pytest.raises(ValueError, match=r"no event 'visit' \(the first stage\).*\['cart', 'purchase', 'view'\]"):
        funnel(EVENTS, stages=["visit", "view"])
    with pytest.raises(ValueError, match="at least two distinct"):
        funnel(EVENTS, stages=["view"])
    with pytest.raises(ValueError, match=r"missing column\(s\) \['segment'\]"):
        funnel(EVENTS, by="segment")


def test_customer_features_known_answer():
    features = customer_features(PURCHASES, reference_date="2024-01-11", returns=RETURNS)
    a = features.loc["a"]
    assert a["tenure_days"] == 10
    assert a["avg_order_value"] == pytest.approx(15.0)  # gross 30 over 2 invoices
    assert a["lines_per_order"] == pytest.approx(1.5)
    assert a["distinct_items"] == 2
    assert a["return_rate"] == pytest.approx(10 / 30)
    assert features.loc["b", "return_rate"] == 0.0
    assert "c" not in features.index


@pytest.fixture(scope="module")
def shop():
    return simulate_shop(n_customers=2000, n_items=200, days=90, random_state=0)


def test_segmenter_recovers_the_simulated_segments(shop):
    browsing = session_features(shop.events)
    truth = shop.customers.set_index("customer_id").loc[browsing.index, "segment"]
    segmenter = CustomerSegmenter(k_range=(2, 8), random_state=0).fit(browsing)
    assert segmenter.n_clusters_ == 4
    assert adjusted_rand_score(truth, segmenter.labels_) >= 0.75
    # A random partition of the same sizes scores about 0.
    shuffled = np.random.default_rng(0).permutation(segmenter.labels_.to_numpy())
    assert abs(adjusted_rand_score(truth, shuffled)) < 0.02


def test_segmenter_labels_predict_and_profile(shop):
    browsing = session_features(shop.events)
    before = browsing.copy()
    segmenter = CustomerSegmenter(k_range=(3, 4), random_state=0).fit(browsing)
    pd.testing.assert_frame_equal(browsing, before)
    pd.testing.assert_series_equal(segmenter.predict(browsing), segmenter.labels_)
    sizes = segmenter.labels_.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing  # cluster 0 is the largest
    profile = segment_profile(browsing, segmenter.labels_, revenue_column=None)
    assert profile["customers"].sum() == len(browsing)
    assert profile["share"].sum() == pytest.approx(1.0)
    assert "sessions" in segmenter.log_columns_


@pytest.mark.parametrize(
    ("k_range", "error", "message"),
    [
        ((1, 4), ValueError, r"k_range\[0\] must be >= 2"),
        ((5, 3), ValueError, "must be increasing"),
        ((2, 3, 4), ValueError, r"k_range must be \(smallest k, largest k\)"),
        ((2.5, 4), TypeError, r"k_range\[0\] must be an integer"),
        ((2, 10), ValueError, "needs more than 10 customers"),
    ],
)
def test_segmenter_rejects_bad_k_range(k_range, error, message):
    features = pd.DataFrame({"x": np.arange(10.0), "y": np.arange(10.0) ** 2})
    with pytest.raises(error, match=message):
        CustomerSegmenter(k_range=k_range).fit(features)


def test_segmenter_rejects_missing_values_and_unfitted_predict():
    features = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match=r"missing or infinite values in column\(s\) \['x'\]"):
        CustomerSegmenter(k_range=(2, 2)).fit(features)
    with pytest.raises(ValueError, match="not fitted"):
        CustomerSegmenter().predict(features)
