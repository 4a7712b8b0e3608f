"""The shared definitions of shopai_lab.schema: line revenue and the default reference date."""

import pandas as pd

from shopai_lab.schema import line_revenue, midnight_after


def test_line_revenue_prefers_the_cleaned_column_and_does_not_modify():
    lines = pd.DataFrame({"quantity": [2, 3], "unit_price": [1.5, 2.0]})
    before = lines.copy()
    assert line_revenue(lines).tolist() == [3.0, 6.0]
    assert line_revenue(lines.assign(revenue=[9.0, 9.0])).tolist() == [9.0, 9.0]
    pd.testing.assert_frame_equal(lines, before)


def test_midnight_after_the_last_timestamp():
    stamps = pd.Series(pd.to_datetime(["2011-12-09 00:00", "2011-12-08 23:59"]))
    assert midnight_after(stamps) == pd.Timestamp("2011-12-10")
