import numpy as np
import pandas as pd
import pytest
from scipy.stats import median_abs_deviation

from shopai_lab.data import RULES, clean_transactions, flag_extreme_lines
from shopai_lab.stats import robust_z
from tests.conftest import make_lines

# One line per rule, in rule order, plus two good lines and a duplicate of the first good one.
LINES = make_lines(
    [
        ("1", "100", "85123A", 6, 2.55, "2024-01-01 09:00"),  # good
        ("1", "100", "85123A", 6, 2.55, "2024-01-01 09:00"),  # exact duplicate of the line above
        ("2", "101", "71053", 2, 3.39, "2024-01-02 10:00"),  # good
        ("1", "C102", "85123A", -2, 2.55, "2024-01-03 11:00"),  # cancellation
        (None, "103", "71053", 1, 3.39, "2024-01-03 12:00"),  # missing customer
        ("2", "104", "71053", -5, 3.39, "2024-01-04 12:00"),  # quantity <= 0 (not a cancellation)
        ("2", "105", "71053", 1, 0.0, "2024-01-04 13:00"),  # unit price <= 0
        ("2", "106", "POST", 1, 18.0, "2024-01-04 14:00"),  # postage: not a product
        ("2", "107", "gift_0001_20", 1, 16.67, "2024-01-04 15:00"),  # gift voucher
    ]
)


def test_each_rule_drops_exactly_its_lines():
    cleaned = clean_transactions(LINES)
    report = cleaned.report
    assert list(report.index) == list(RULES)
    assert report["rows_dropped"].tolist() == [1, 1, 1, 1, 2, 1]
    assert report["rows_left"].tolist() == [8, 7, 6, 5, 3, 2]
    assert report["share"].sum() == pytest.approx(7 / 9)
    assert cleaned.purchases["invoice_id"].tolist() == ["100", "101"]
    assert cleaned.purchases["revenue"].tolist() == pytest.approx([6 * 2.55, 2 * 3.39])


def test_cancellations_become_returns_with_negative_revenue():
    returns = clean_transactions(LINES).returns
    assert returns["invoice_id"].tolist() == ["C102"]
    assert returns["revenue"].tolist() == pytest.approx([-5.10])


def test_rule_order_attributes_a_line_to_the_first_rule_it_breaks():
    # A cancellation with a missing customer counts as a cancellation only.
    lines = make_lines([(None, "C1", "A", -1, 1.0, "2024-01-01"), ("1", "2", "A", 1, 1.0, "2024-01-01")])
    report = clean_transactions(lines).report
    assert report.loc["cancellation", "rows_dropped"] == 1
    assert report.loc["missing customer", "rows_dropped"] == 0


def test_non_product_rule_can_be_switched_off():
    cleaned = clean_transactions(LINES, non_product_pattern="")
    assert cleaned.report.loc["non-product stock code", "rows_dropped"] == 0
    assert {"POST", "gift_0001_20"} <= set(cleaned.purchases["item_id"])


def test_cleaning_does_not_modify_its_input():
    before = LINES.copy()
    clean_transactions(LINES)
    pd.testing.assert_frame_equal(LINES, before)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['unit_price'\]"):
        clean_transactions(LINES.drop(columns="unit_price"))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        clean_transactions(LINES.to_dict())
    with pytest.raises(ValueError, match="cancellation_prefix"):
        clean_transactions(LINES, cancellation_prefix="")


def test_online_retail_cleaning_figures(cleaned_retail):
    report = cleaned_retail.report
    assert report.loc["cancellation", "rows_dropped"] == 9_288
    assert report.loc["missing customer", "rows_dropped"] == 134_697
    assert report.loc["unit price <= 0", "rows_dropped"] == 40
    assert report.loc["non-product stock code", "rows_dropped"] == 1_547
    assert report.loc["exact duplicate", "rows_dropped"] == 5_187
    assert len(cleaned_retail.purchases) == 391_150
    assert cleaned_retail.purchases["customer_id"].nunique() == 4_334
    purchases = cleaned_retail.purchases
    assert (purchases["quantity"] > 0).all() and (purchases["unit_price"] > 0).all()
    assert not purchases["invoice_id"].str.startswith("C").any()


def test_robust_z_matches_scipy_normal_scaled_mad():
    rng = np.random.default_rng(0)
    x = rng.lognormal(size=1_001)
    expected = (x - np.median(x)) / median_abs_deviation(x, scale="normal")
    # 0.6745 is 1/1.4826 to four digits, so the two agree to that precision.
    np.testing.assert_allclose(robust_z(x), expected, rtol=2e-4)


def test_extreme_lines_on_online_retail(online_retail):
    flagged = flag_extreme_lines(online_retail)
    extreme = flagged[flagged["extreme"]]
    assert len(extreme) == 209
    # The 80,995-unit order and its cancellation are both flagged, and rank first by value.
    top = extreme.sort_values("value_z", ascending=False).head(2)
    assert sorted(top["invoice_id"]) == ["581483", "C581484"]
    assert set(top["quantity"].abs()) == {80_995}
    assert "extreme" not in online_retail.columns


def test_extreme_threshold_is_validated():
    with pytest.raises(ValueError, match="threshold must be a positive number"):
        flag_extreme_lines(LINES, threshold=0)


def test_net_of_returns_takes_cancelled_units_off_the_latest_earlier_purchases():
    from shopai_lab.data import net_of_returns

    purchases = make_lines(
        [
            ("a", "1", "x", 5, 1.0, "2024-01-01"),
            ("a", "2", "x", 2, 1.0, "2024-01-03"),
            ("a", "3", "x", 4, 1.0, "2024-01-10"),  # after the cancellation: untouched
            ("b", "4", "x", 6, 1.0, "2024-01-02"),  # another customer: untouched
            ("a", "5", "y", 80_995, 2.08, "2024-01-05"),
        ]
    ).assign(revenue=lambda d: d["quantity"] * d["unit_price"])
    returns = make_lines(
        [
            ("a", "C1", "x", -3, 1.0, "2024-01-04"),  # takes 2 from invoice 2, then 1 from invoice 1
            ("a", "C2", "y", -80_995, 2.08, "2024-01-05 00:10"),  # cancels the whole big line
            ("a", "C3", "z", -1, 9.0, "2024-01-06"),  # never bought here: unmatched
            (None, "C4", "x", -1, 1.0, "2024-01-06"),  # no customer: ignored
        ]
    )
    before = purchases.copy()
    netted = net_of_returns(purchases, returns)
    assert netted["invoice_id"].tolist() == ["1", "3", "4"]
    assert netted["quantity"].tolist() == [4, 4, 6]
    assert netted["revenue"].tolist() == [4.0, 4.0, 6.0]
    assert netted.attrs["unmatched_units"] == 1.0
    pd.testing.assert_frame_equal(purchases, before)


def test_net_of_returns_on_online_retail_removes_the_cancelled_record_order(cleaned_retail):
    from shopai_lab.data import net_of_returns

    netted = net_of_returns(cleaned_retail.purchases, cleaned_retail.returns)
    assert not (netted["invoice_id"] == "581483").any()
    assert netted["quantity"].max() < 80_995
    removed = cleaned_retail.purchases["quantity"].sum() - netted["quantity"].sum()
    known = -cleaned_retail.returns.loc[cleaned_retail.returns["customer_id"].notna(), "quantity"].sum()
    assert removed + netted.attrs["unmatched_units"] == known
