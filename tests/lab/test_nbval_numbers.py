"""The stable-precision comparison that nbval applies to stored notebook outputs."""

import pytest

from shopai_lab.lab import METRIC_MIMETYPE
from tests.nbval_numbers import RTOL, numbers_agree, reconcile_outputs, reconcile_text


@pytest.mark.parametrize(
    ("new", "stored", "agree"),
    [
        ("0.1130", "0.1129", True),  # one unit in the last digit: a rounding boundary
        ("0.106", "0.105", True),  # also where the binary difference is a hair above 0.001
        ("0.107", "0.105", False),  # two units (and 1.9%): a real difference
        ("307.8309", "307.8623", True),  # 1e-4 relative: BLAS noise in an iterative fit
        ("0.1148", "0.1131", False),  # 1.5%: a real difference
        ("+7.0", "+5.4", False),
        ("391151", "391150", False),  # integers are counts: exact
        ("2,875", "2,876", False),
        ("1.0e-05", "1.001e-05", True),
        ("12.5", "12", False),  # integer vs decimal: not the same kind of number
    ],
)
def test_numbers_agree(new, stored, agree):
    assert numbers_agree(new, stored) is agree


def test_reconcile_text_keeps_words_and_integers_exact():
    stored = "EASE 0.1129 on 1,683 customers (+5.40%)"
    assert reconcile_text("EASE 0.1130 on 1,683 customers (+5.40%)", stored) == stored
    assert reconcile_text("EASE 0.1130 on 1,684 customers (+5.40%)", stored) != stored
    assert reconcile_text("ALS 0.1130 on 1,683 customers (+5.40%)", stored).startswith("ALS")
    assert reconcile_text("value 0.5 and 0.6", "value 0.5") == "value 0.5 and 0.6"


def test_reconcile_outputs_uses_the_tolerance_recorded_with_a_metric():
    def metric(value, **tolerance):
        return {
            "output_type": "display_data",
            "metadata": {},
            "data": {METRIC_MIMETYPE: {"name": "ndcg", "value": value, **tolerance}, "text/plain": f"ndcg = {value!r}"},
        }

    stored = [metric(0.1148, rtol=0.02)]
    new = [metric(0.1131, rtol=0.02)]
    assert reconcile_outputs(new, stored) == stored
    assert new[0]["data"][METRIC_MIMETYPE]["value"] == 0.1131  # the input is not modified
    assert reconcile_outputs([metric(0.1131)], [metric(0.1148)]) != [metric(0.1148)]
    assert RTOL < 0.0148


def test_reconcile_outputs_of_streams_and_tables():
    stored = [
        {"output_type": "stream", "name": "stdout", "text": "AUC 0.92134\n"},
        {
            "output_type": "execute_result",
            "execution_count": 3,
            "metadata": {},
            "data": {"text/plain": "   ndcg\nA  0.1129", "text/html": "<td>0.1129</td>"},
        },
    ]
    new = [
        {"output_type": "stream", "name": "stdout", "text": "AUC 0.92139\n"},
        {
            "output_type": "execute_result",
            "execution_count": 3,
            "metadata": {},
            "data": {"text/plain": "   ndcg\nA  0.1130", "text/html": "<td>0.1130</td>"},
        },
    ]
    assert reconcile_outputs(new, stored) == stored
