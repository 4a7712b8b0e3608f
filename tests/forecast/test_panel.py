"""Weekly demand panel: rules, partial weeks, closures, selection without look-ahead, SBC classes."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast
from shopai_lab.data import NON_PRODUCT_PATTERN
from tests.conftest import make_lines


def _tx():
    # Week of 2024-01-01 fully covered (data start Monday), 2024-01-15 closed, last week ends on Sunday.
    return make_lines(
        [
            ("a", "1", "x", 5, 2.0, "2024-01-01 09:00"),
            ("a", "C2", "x", -2, 2.0, "2024-01-02 09:00"),  # cancels 2 of the 5
            (None, "3", "y", 4, 1.0, "2024-01-03 09:00"),  # anonymous sale: still demand
            ("b", "4", "POST", 1, 18.0, "2024-01-03 10:00"),  # postage: not a product
            ("b", "5", "x", 3, 3.0, "2024-01-09 10:00"),
            ("b", "6", "y", 0, 1.0, "2024-01-10 10:00"),  # zero quantity
            ("c", "7", "y", 6, 1.5, "2024-01-24 10:00"),
            ("c", "8", "x", 1, 2.0, "2024-01-28 22:00"),
        ]
    )


def test_weekly_panel_applies_the_rules_and_removes_the_closure():
    tx = _tx()
    before = tx.copy()
    panel = forecast.weekly_panel(tx, "POST")
    pd.testing.assert_frame_equal(tx, before)  # not modified in place
    assert list(panel.units.index.strftime("%Y-%m-%d")) == ["2024-01-01", "2024-01-08", "2024-01-22"]
    assert [str(w.date()) for w in panel.closed_weeks] == ["2024-01-15"]
    assert panel.dropped_weeks == []
    assert panel.units["x"].tolist() == [3.0, 3.0, 1.0]
    assert panel.units["y"].tolist() == [4.0, 0.0, 6.0]
    assert "POST" not in panel.units.columns
    assert panel.revenue["x"].tolist() == [6.0, 9.0, 2.0]
    assert panel.price["y"].isna().tolist() == [False, True, False]
    assert panel.report.loc["cancelled quantity netted off purchases", "units"] == 2.0
    # the non-product rule is the data set's, passed in: without it, postage is a product
    assert forecast.weekly_panel(tx).units["POST"].tolist() == [1.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="non_product_pattern"):
        forecast.weekly_panel(tx, "(POST")


def test_closed_weeks_can_be_kept_as_zero_and_cancellations_left_unnetted():
    panel = forecast.weekly_panel(_tx(), net_cancelled=False, closed_weeks="keep")
    assert len(panel.units) == 4 and panel.units.loc["2024-01-15"].sum() == 0
    assert panel.units["x"].iloc[0] == 5.0


def test_partial_first_and_last_weeks_are_dropped():
    tx = _tx()
    tx.loc[0, "timestamp"] = pd.Timestamp("2024-01-03 09:00")  # starts on a Wednesday
    tx.loc[len(tx) - 1, "timestamp"] = pd.Timestamp("2024-01-26 22:00")  # ends on a Friday
    panel = forecast.weekly_panel(tx)
    assert [str(w.date()) for w in panel.dropped_weeks] == ["2024-01-01", "2024-01-22"]
    assert list(panel.units.index.strftime("%Y-%m-%d")) == ["2024-01-08"]


def test_bundled_panel_has_52_full_weeks_one_closure_and_1441_active_products(online_retail):
    panel = forecast.weekly_panel(online_retail, NON_PRODUCT_PATTERN)
    assert len(panel.units) + len(panel.closed_weeks) == 52  # the reference figure
    assert [str(w.date()) for w in panel.closed_weeks] == ["2010-12-27"]  # the week after Christmas
    items = forecast.select_products(panel.units, panel.weeks[-9], 0.6)
    assert len(items) == 1441  # the reference figure (test = last 8 weeks)


def test_selection_ignores_the_weeks_after_train_end():
    weeks = pd.date_range("2024-01-01", periods=6, freq="W-MON")
    units = pd.DataFrame({"early": [1, 1, 1, 0, 0, 0], "late": [0, 0, 0, 9, 9, 9]}, index=weeks, dtype=float)
    assert forecast.select_products(units, weeks[2], 0.5) == ["early"]
    changed = units.copy()
    changed.iloc[3:] = 100.0  # anything after train_end
    assert forecast.select_products(changed, weeks[2], 0.5) == ["early"]


def test_intermittency_classes_match_hand_computed_adi_and_cv2():
    units = pd.DataFrame(
        {
            "smooth": [10, 11, 9, 10],
            "erratic": [1, 20, 1, 20],
            "intermittent": [0, 5, 0, 5],
            "lumpy": [0, 1, 0, 30],
        },
        dtype=float,
    )
    table = forecast.intermittency_classes(units)
    assert table["intermittency_class"].astype(str).tolist() == ["smooth", "erratic", "intermittent", "lumpy"]
    assert table.loc["intermittent", "adi"] == 2.0
    sizes = np.array([1.0, 30.0])
    assert table.loc["lumpy", "cv2"] == pytest.approx(sizes.var() / sizes.mean() ** 2, rel=1e-12)


def test_subset_rejects_unknown_products():
    panel = forecast.weekly_panel(_tx())
    with pytest.raises(ValueError, match="unknown product"):
        panel.subset(["x", "nope"])
