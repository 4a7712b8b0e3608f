"""Notebook 01's honest-report helpers: month-1 retention without the left-censored first cohort,
the effect of extreme lines on RFM, per-type funnel steps, and the silhouette's reading."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import behavior, data
from tests.conftest import make_lines


def test_retention_summary_by_hand():
    # cohort 2024-01: a, b (a back in Feb); 2024-02: c, d (c back in Mar); 2024-03: e, f, g, h (none back in Apr)
    lines = make_lines(
        [
            ("a", "1", "x", 1, 1.0, "2024-01-05"),
            ("a", "2", "x", 1, 1.0, "2024-02-03"),
            ("b", "3", "x", 1, 1.0, "2024-01-20"),
            ("c", "4", "x", 1, 1.0, "2024-02-10"),
            ("c", "5", "x", 1, 1.0, "2024-03-01"),
            ("d", "6", "x", 1, 1.0, "2024-02-11"),
            *[(c, f"7{c}", "x", 1, 1.0, "2024-03-15") for c in "efgh"],
            ("i", "8", "x", 1, 1.0, "2024-04-30 12:00"),
        ]
    )
    r = behavior.retention_summary(lines)
    assert str(r["first_cohort"]) == "2024-01"
    assert r["first_cohort_retention"] == 0.5
    # later cohorts observed a month later: 2024-02 (1 of 2) and 2024-03 (0 of 4) -> weighted 1/6, unweighted 1/4
    assert r["weighted_later_cohorts"] == pytest.approx(1 / 6)
    assert r["mean_all_cohorts"] == pytest.approx((0.5 + 0.5 + 0.0) / 3)
    assert (r["later_cohorts"], r["later_customers"]) == (2, 6)
    assert str(r["worst_cohort"]) == "2024-03" and str(r["best_cohort"]) == "2024-02"
    with pytest.raises(ValueError, match="month=9 is not observed"):
        behavior.retention_summary(lines, month=9)


def test_retention_summary_on_online_retail_matches_a_direct_count(cleaned_retail):
    p = cleaned_retail.purchases
    month = p["timestamp"].dt.to_period("M")
    active = pd.DataFrame({"customer": p["customer_id"], "month": month}).drop_duplicates()
    first = active.groupby("customer")["month"].transform("min")
    active = active.assign(first=first)
    cohorts = [pd.Period(f"2011-{m:02d}", "M") for m in range(1, 11)]  # after Dec 2010, month 1 complete
    size = active[active["month"] == active["first"]].groupby("first").size().reindex(cohorts)
    back = active[active["month"] == active["first"] + 1].groupby("first").size().reindex(cohorts)
    r = behavior.retention_summary(p)
    assert r["weighted_later_cohorts"] == pytest.approx(back.sum() / size.sum(), abs=1e-12)
    assert r["weighted_later_cohorts"] == pytest.approx(0.1973, abs=1e-4)
    assert r["first_cohort_retention"] > r["best_retention"]  # the left-censored cohort retains best


def test_matches_lines_finds_flagged_lines_after_cleaning(online_retail, cleaned_retail):
    flagged = data.flag_extreme_lines(online_retail)
    extreme = flagged[flagged["extreme"]]
    in_p = behavior.matches_lines(cleaned_retail.purchases, extreme)
    in_r = behavior.matches_lines(cleaned_retail.returns, extreme)
    # every flagged line is found at most once, and the rest were dropped by a cleaning rule
    assert in_p.sum() + in_r.sum() <= len(extreme)
    assert (in_p.sum(), in_r.sum()) == (112, 56)
    assert behavior.matches_lines(cleaned_retail.purchases, extreme.iloc[:0]).sum() == 0


def test_extreme_line_effect_by_hand():
    purchases = make_lines(
        [
            ("a", "1", "x", 1, 10.0, "2024-01-01"),
            ("a", "2", "x", 5000, 1.0, "2024-01-02"),  # extreme, cancelled below
            ("b", "3", "y", 2, 100.0, "2024-01-03"),
            ("c", "4", "y", 1, 1.0, "2024-01-04"),
        ]
    )
    returns = make_lines([("a", "C2", "x", -5000, 1.0, "2024-01-02 01:00")])
    extreme = pd.concat([purchases.iloc[[1]], returns])
    before = purchases.copy()
    effect = behavior.extreme_line_effect(purchases, returns, extreme)
    pd.testing.assert_frame_equal(purchases, before)  # not modified
    assert effect.loc["a", "extreme_lines"] == 2
    assert effect.loc["a", "net_revenue"] == effect.loc["a", "net_revenue_without"] == 10.0  # netted out
    effect = behavior.extreme_line_effect(purchases, returns.iloc[:0], purchases.iloc[[1]])
    assert (effect.loc["a", "net_revenue"], effect.loc["a", "net_revenue_without"]) == (5010.0, 10.0)
    with pytest.raises(ValueError, match="every purchase line"):
        behavior.extreme_line_effect(purchases, returns, purchases)


def test_extreme_bounds_read_the_rule(online_retail):
    flagged = data.flag_extreme_lines(online_retail, threshold=5.0)
    bounds = behavior.extreme_bounds(flagged, 5.0)
    extreme = flagged[flagged["extreme"]]
    value = (extreme["quantity"] * extreme["unit_price"]).abs()
    assert ((extreme["quantity"].abs() >= bounds["units"]) | (value >= bounds["value"])).all()
    assert bounds["units"] == 12_540 and bounds["value"] == pytest.approx(1785, abs=1)


def test_funnel_steps_by_hand():
    events = pd.DataFrame(
        {
            "session_id": [1, 1, 1, 2, 3, 3, 4],
            "group": ["a", "a", "a", "a", "b", "b", "b"],
            "event": ["view", "cart", "purchase", "view", "view", "cart", "view"],
        }
    )
    steps = behavior.funnel_steps(behavior.funnel(events, by="group"), by="group")
    assert list(steps.columns) == ["view → cart", "cart → purchase"]
    assert steps.loc["a"].tolist() == [0.5, 1.0] and steps.loc["b"].tolist() == [0.5, 0.0]
    assert "Lowest cart → purchase: b (0.0%" in behavior.describe_funnel_steps(steps)


@pytest.mark.parametrize(
    "score, band",
    [
        (0.9, "strong"),
        (0.71, "strong"),
        (0.70, "reasonable"),
        (0.51, "reasonable"),
        (0.50, "weak"),
        (0.26, "weak"),
        (0.25, "no substantial"),
        (0.241, "no substantial"),
        (-0.2, "no substantial"),
    ],
)
def test_silhouette_bands_of_kaufman_and_rousseeuw(score, band):
    assert behavior.silhouette_band(score)[0] == band
    assert "clusters are real" not in behavior.describe_silhouette(score, 3)


def test_silhouette_band_rejects_a_non_silhouette():
    with pytest.raises(ValueError, match="score"):
        behavior.silhouette_band(1.5)


def test_silhouette_plot_starts_at_zero():
    ax = behavior.plot_silhouette(pd.Series([0.241, 0.21, 0.195], index=[2, 3, 4]), chosen=2)
    assert ax.get_ylim()[0] == 0.0


def test_sentences_carry_the_currency_and_branch_on_the_data():
    table = pd.DataFrame({"invoices": [1, 1, 2, 3], "net_revenue": [10.0, 10.0, 10.0, 10.0]})
    text = behavior.describe_rfm(table, "EUR")
    assert "EUR 10" in text and "GBP" not in text and "a few customers weigh" not in text
    summary = pd.DataFrame(
        {"customers": [5, 5], "share": [0.5, 0.5], "days_since_last": [3.0, 200.0], "revenue_share": [0.3, 0.7]},
        index=["Champions", "Lost"],
    )
    assert "less than half of it" in behavior.describe_segments(summary)
    assert "No customer falls in At risk" in behavior.describe_segments(summary)
    labelled = behavior.label_money(pd.DataFrame({"net_revenue": [1.0], "invoices": [1]}), "EUR")
    assert list(labelled.columns) == ["net_revenue (EUR)", "invoices"]
    assert np.isnan(
        behavior.extreme_bounds(
            pd.DataFrame({"quantity": [1], "unit_price": [1.0], "quantity_z": [0.0], "value_z": [0.0]}), 5.0
        )["units"]
    )
