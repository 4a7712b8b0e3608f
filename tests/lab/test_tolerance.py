"""What a re-run of a stored notebook may change: the comparison nbval and `shopai-lab drift` apply."""

import pytest

from shopai_lab.lab import METRIC_MIMETYPE
from shopai_lab.lab.tolerance import (
    DEFAULT,
    NOISE_SHARE,
    Tolerance,
    cell_tolerance,
    compare_outputs,
    metric_tolerance,
    moved_numbers,
    numbers_agree,
    reconcile_text,
)

RTOL = DEFAULT.rtol


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
    stored = [metric_output(0.1148, rtol=0.02)]
    new = [metric_output(0.1131, rtol=0.02)]
    assert compare_outputs(new, stored) == stored
    assert new[0]["data"][METRIC_MIMETYPE]["value"] == 0.1131  # the input is not modified
    assert compare_outputs([metric_output(0.1131)], [metric_output(0.1148)]) != [metric_output(0.1148)]
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
    assert compare_outputs(new, stored) == stored


def metric_output(value, **tolerance):
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {METRIC_MIMETYPE: {"name": "ndcg", "value": value, **tolerance}, "text/plain": f"ndcg = {value!r}"},
    }


def test_a_metric_with_sampling_noise_may_move_by_a_share_of_it():
    stored = [metric_output(0.1151, noise=0.005)]
    inside = 0.1151 + 0.9 * NOISE_SHARE * 0.005
    outside = 0.1151 + 1.5 * NOISE_SHARE * 0.005
    assert compare_outputs([metric_output(round(inside, 4), noise=0.005)], stored) == stored
    assert compare_outputs([metric_output(round(outside, 4), noise=0.005)], stored) != stored


def test_an_integer_metric_and_text_are_exact_whatever_the_tolerance():
    stored = [metric_output(1683, noise=50.0)]
    assert compare_outputs([metric_output(1684, noise=50.0)], stored) != stored
    loose = Tolerance(0.5, 10.0, "test")
    assert reconcile_text("1,684 customers", "1,683 customers", loose) == "1,684 customers"


def test_metric_tolerance_reads_what_record_stores():
    assert metric_tolerance({"value": 0.5, "noise": 0.01}).atol == NOISE_SHARE * 0.01
    fitted = metric_tolerance({"value": 0.5, "rtol": 0.03, "reason": "trained on noisy scores"})
    assert (fitted.rtol, fitted.reason) == (0.03, "trained on noisy scores")
    assert metric_tolerance({"value": 0.5}) == DEFAULT


def test_cell_tolerance_comes_from_the_cell_then_the_notebook_then_the_default():
    nb = {"metadata": {"shopai": {"tolerance": {"rtol": 0.01, "reason": "bootstrap intervals"}}}}
    cell = {"metadata": {"shopai": {"tolerance": {"atol": 0.002, "rtol": 0.0, "reason": "an AP"}}}}
    assert cell_tolerance({"metadata": {}}, nb).rtol == 0.01
    assert cell_tolerance(cell, nb) == Tolerance(0.0, 0.002, "an AP")
    assert cell_tolerance({"metadata": {}}, {"metadata": {}}) == DEFAULT
    with pytest.raises(ValueError, match="reason"):
        cell_tolerance({"metadata": {"shopai": {"tolerance": {"rtol": 0.1}}}})


def test_moved_numbers_lists_each_difference_with_its_share_of_the_tolerance():
    def nb(text, value):
        return {
            "metadata": {},
            "cells": [
                {"cell_type": "markdown", "source": "x"},
                {
                    "cell_type": "code",
                    "execution_count": 1,
                    "metadata": {},
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": text}],
                },
                {
                    "cell_type": "code",
                    "execution_count": 2,
                    "metadata": {},
                    "outputs": [metric_output(value, noise=0.01)],
                },
            ],
        }

    rows = moved_numbers(nb("AUC 0.9200 on 1,683\n", 0.1151), nb("AUC 0.9210 on 1,683\n", 0.1171))
    assert [(r["cell"], r["what"], r["stored"], r["new"]) for r in rows] == [
        (1, "stdout", "0.9200", "0.9210"),
        (2, "metric ndcg", "0.1151", "0.1171"),
    ]
    assert 0.5 < rows[0]["share"] < 0.6  # 0.001 of 0.2% x 0.921
    assert (
        rows[1]["share"] == pytest.approx(0.002 / (NOISE_SHARE * 0.01) / (1 + 1e-9), rel=1e-6)
        or rows[1]["share"] > 0.99
    )
    changed = moved_numbers(nb("AUC 0.92\n", 0.1), nb("ROC 0.92\n", 0.1))
    assert changed[0]["what"] == "stdout: text changed" and changed[0]["share"] == float("inf")
    assert moved_numbers(nb("AUC 0.92\n", 0.1), nb("AUC 0.92\n", 0.1)) == []
