import pandas as pd
import pytest

from shopai_lab.privacy import (
    anonymize,
    group_sizes,
    k_anonymity_report,
    month_to_quarter,
    month_to_year,
    suppress_all,
    top_categories,
)

# hand table: groups (UK, Loyal, 2011-01) x4, (UK, Lost, 2011-02) x2, (FR, Loyal, 2011-01) x1,
# (FR, Loyal, 2011-03) x1, (DE, Lost, 2011-02) x1, (IS, New, 2011-11) x1
TABLE = pd.DataFrame(
    {
        "country": ["UK"] * 6 + ["FR", "FR", "DE", "IS"],
        "segment": ["Loyal"] * 4 + ["Lost"] * 2 + ["Loyal", "Loyal", "Lost", "New"],
        "first_month": ["2011-01"] * 4 + ["2011-02"] * 2 + ["2011-01", "2011-03", "2011-02", "2011-11"],
    }
)
QI = ["country", "segment", "first_month"]


def test_report_on_hand_table():
    report = k_anonymity_report(TABLE, QI, k=2)
    assert report == {
        "rows": 10,
        "groups": 6,
        "smallest_group": 1,
        "k": 1,
        "rows_below_k": 4,
        "share_below_k": 0.4,
        "groups_below_k": 4,
    }
    assert group_sizes(TABLE, QI).tolist() == [4, 4, 4, 4, 2, 2, 1, 1, 1, 1]
    assert k_anonymity_report(TABLE, QI, k=5)["rows_below_k"] == 10


def test_generalisers():
    months = pd.Series(["2011-01", "2011-05", "2011-12"])
    assert month_to_quarter(months).tolist() == ["2011Q1", "2011Q2", "2011Q4"]
    assert month_to_year(month_to_quarter(months)).tolist() == ["2011"] * 3
    assert top_categories(1)(TABLE["country"]).tolist() == ["UK"] * 6 + ["Other"] * 4
    assert suppress_all(TABLE["country"]).unique().tolist() == ["*"]


def test_anonymize_reaches_k_by_generalising_then_suppressing():
    before = TABLE.copy()
    out, log = anonymize(
        TABLE,
        QI,
        k=2,
        hierarchies={"first_month": [month_to_quarter], "country": [top_categories(1)]},
        max_suppression=0.1,
    )
    pd.testing.assert_frame_equal(TABLE, before)
    assert k_anonymity_report(out, QI, k=2)["k"] >= 2
    # quarters merge FR's two Loyal rows (share below 2: 0.4 -> 0.2); "Other" for FR, DE, IS leaves
    # (Other, Lost) and (Other, New) alone, with no step left: those 2 rows are suppressed
    assert log["step"].tolist() == ["start", "generalise first_month", "generalise country", "suppress rows"]
    assert log["share_below_k"].tolist() == pytest.approx([0.4, 0.2, 0.2, 0.0])
    assert len(out) == 8 and set(out["segment"]) == {"Loyal", "Lost"}


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"k": 1}, ValueError, "k must be >= 2"),
        ({"k": 2.5}, TypeError, "k must be an integer"),
        ({"quasi_identifiers": []}, ValueError, "at least one"),
        ({"quasi_identifiers": ["zip"]}, ValueError, "zip"),
    ],
)
def test_bad_input(kwargs, error, match):
    args = {"quasi_identifiers": QI, "k": 2, **kwargs}
    with pytest.raises(error, match=match):
        k_anonymity_report(TABLE, **args)


def test_bad_anonymize_input():
    with pytest.raises(ValueError, match="not quasi-identifiers"):
        anonymize(TABLE, ["country"], 2, {"segment": [suppress_all]})
    with pytest.raises(ValueError, match="max_suppression"):
        anonymize(TABLE, QI, 2, {}, max_suppression=1.0)
