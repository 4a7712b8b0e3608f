"""nbval, made to hold on any machine: numbers in stored outputs compared at a stable precision.

nbval re-runs every stored notebook and compares its text outputs with the stored ones, character for
character. Floating-point results differ in their last digits between machines (OpenBLAS picks a kernel
per CPU; thread counts change summation order), so an exact comparison of printed floats fails on
machines other than the one that wrote the outputs. This plugin wraps nbval's comparison: before it
runs, every number in a new output that agrees with the stored number *at a stable precision* is
replaced by the stored text, so nbval then compares everything else exactly (text, labels, table
shapes, integers, the order of rows) and still reports any real difference in its usual way.

The rule for a number that is not written identically:

- integers (no decimal point or exponent: counts, ids, years) must match exactly;
- a decimal number matches when ``|new - stored| <= max(RTOL * max(|new|, |stored|), one unit in the
  last digit shown)``; the unit covers a value just at a rounding boundary (0.1129 vs 0.1130);
- a metric stored by :func:`shopai_lab.lab.records.record` is compared with the tolerance recorded with
  it (``rtol``/``atol`` given at the ``record`` call, with its reason beside it in the notebook), else
  with ``RTOL``; its text line follows the same rule.

``RTOL = 2e-3``: the largest drift seen between BLAS kernels and thread counts in printed values of
iterative fits was 0.24% (a likelihood ridge in notebook 05, which the notebook no longer prints as
an estimate) and otherwise under 0.1%; a real regression (a changed default, a bug in a metric) moves
headline numbers by far more. Loaded from the root ``conftest.py``; nbval 0.11 is pinned in
``constraints.txt`` because this wraps its ``IPyNbCell.compare_outputs``.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from nbval.plugin import IPyNbCell

from shopai_lab.lab import METRIC_MIMETYPE

RTOL = 2e-3

NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")


def _value(token: str) -> float:
    return float(token.replace(",", ""))


def _last_digit_unit(token: str) -> float:
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def is_decimal(token: str) -> bool:
    """Whether ``token`` is written as a decimal number (has a point or an exponent)."""
    return "." in token or "e" in token.lower()


def numbers_agree(new: str, stored: str, rtol: float = RTOL, atol: float = 0.0) -> bool:
    """Whether two printed numbers agree at a stable precision (see the module docstring).

    Examples
    --------
    >>> numbers_agree("0.1130", "0.1129"), numbers_agree("0.1148", "0.1131")
    (True, False)
    >>> numbers_agree("391151", "391150"), numbers_agree("307.8309", "307.8623")
    (False, True)
    """
    if new == stored:
        return True
    if not (is_decimal(new) and is_decimal(stored)):
        return False
    a, b = _value(new), _value(stored)
    unit = max(_last_digit_unit(new), _last_digit_unit(stored))
    # (1 + 1e-9): 0.106 - 0.105 is 0.0010000000000000009 in binary floating point, still one unit
    return abs(a - b) <= max(rtol * max(abs(a), abs(b)), unit * (1 + 1e-9), atol)


def reconcile_text(new: str, stored: str, rtol: float = RTOL, atol: float = 0.0) -> str:
    """``new`` with each number that agrees with its stored counterpart written as stored.

    Texts whose words differ, or that hold a different count of numbers, are returned unchanged
    (nbval then reports the difference).
    """
    if new == stored:
        return new
    new_parts, stored_parts = NUMBER.split(new), NUMBER.split(stored)
    if new_parts != stored_parts:
        return new
    new_numbers, stored_numbers = NUMBER.findall(new), NUMBER.findall(stored)
    merged = [s if numbers_agree(n, s, rtol, atol) else n for n, s in zip(new_numbers, stored_numbers)]
    out = [new_parts[0]]
    for number, text in zip(merged, new_parts[1:]):
        out += [number, text]
    return "".join(out)


def reconcile_value(new: Any, stored: Any, rtol: float = RTOL, atol: float = 0.0) -> Any:
    """``new`` (a JSON value) with each float that agrees with ``stored`` replaced by the stored one."""
    if isinstance(new, dict) and isinstance(stored, dict) and new.keys() == stored.keys():
        return {key: reconcile_value(new[key], stored[key], rtol, atol) for key in new}
    if isinstance(new, list) and isinstance(stored, list) and len(new) == len(stored):
        return [reconcile_value(n, s, rtol, atol) for n, s in zip(new, stored)]
    if isinstance(new, str) and isinstance(stored, str):
        return reconcile_text(new, stored, rtol, atol)
    both_float = isinstance(new, float) and isinstance(stored, float)
    if both_float and math.isclose(new, stored, rel_tol=rtol, abs_tol=atol):
        return stored
    return new


def _tolerances(stored_output: dict) -> tuple[float, float]:
    metric = stored_output.get("data", {}).get(METRIC_MIMETYPE)
    if isinstance(metric, dict):
        return float(metric.get("rtol", RTOL)), float(metric.get("atol", 0.0))
    return RTOL, 0.0


def reconcile_outputs(new_outputs: list, stored_outputs: list) -> list:
    """Copies of a cell's new outputs with numbers that agree with the stored outputs written as stored."""
    reconciled = copy.deepcopy(list(new_outputs))
    if len(reconciled) != len(stored_outputs):
        return reconciled
    for new, stored in zip(reconciled, stored_outputs):
        if new.get("output_type") != stored.get("output_type"):
            continue
        rtol, atol = _tolerances(stored)
        if "text" in new and "text" in stored:
            new["text"] = reconcile_value(new["text"], stored["text"], rtol, atol)
        new_data, stored_data = new.get("data"), stored.get("data")
        if isinstance(new_data, dict) and isinstance(stored_data, dict):
            for key in new_data.keys() & stored_data.keys():
                new_data[key] = reconcile_value(new_data[key], stored_data[key], rtol, atol)
    return reconciled


_nbval_compare_outputs = IPyNbCell.compare_outputs


def _compare_outputs(self, test, ref, skip_compare=None):
    return _nbval_compare_outputs(self, reconcile_outputs(test, ref), ref, skip_compare)


IPyNbCell.compare_outputs = _compare_outputs
