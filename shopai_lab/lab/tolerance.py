"""How far a re-run's numbers may move from a notebook's stored outputs, and why.

A stored notebook is re-executed by nbval (in the test suite) and by ``shopai-lab drift`` (before
outputs are regenerated). Another machine computes other last digits, so printed numbers are compared
by what they are, not character by character:

- **exact**: text, labels, table shapes, the order of rows and every integer (counts, ids, years).
  They come from the data, not from floating-point arithmetic. Rankings are made stable to last-bit
  noise at the source (:mod:`shopai_lab.ranking`), so counts of hits, list orders and chosen models
  do not move either.
- **a decimal printed in a text output** agrees when ``|new - stored| <= max(rtol * max(|new|,
  |stored|), atol, one unit in the last digit shown)``. ``rtol``/``atol`` come from the cell's
  metadata (``{"shopai": {"tolerance": {"rtol": ..., "atol": ..., "reason": ...}}}``), else the
  notebook's metadata (same key), else :data:`DEFAULT`: 0.2%, ten times the largest drift of an
  iterative fit seen between BLAS kernels and thread counts. The unit in the last digit covers a
  value just at a rounding boundary (0.1129 vs 0.1130).
- **a recorded metric** (:func:`shopai_lab.lab.record`) carries its own tolerance with its reason:
  ``noise=`` (a sampling standard error; the tolerance is :data:`NOISE_SHARE` of it, so a metric may
  move by a fifth of a standard error, far below any difference the notebook would call real),
  ``rtol``/``atol`` for a fitted estimate, or none (an exact quantity: only its rounding may differ).

:func:`compare_outputs` reconciles a re-run's outputs with the stored ones (numbers within tolerance
are written as stored, so everything else is compared exactly); :func:`moved_numbers` lists every
number that differs, with its tolerance and how much of it the difference uses.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from shopai_lab.lab.records import METRIC_MIMETYPE

__all__ = [
    "DEFAULT",
    "NOISE_SHARE",
    "Tolerance",
    "cell_tolerance",
    "compare_outputs",
    "metric_tolerance",
    "moved_numbers",
    "numbers_agree",
    "reconcile_text",
]

#: Share of a metric's sampling standard error within which a re-run must reproduce it.
NOISE_SHARE = 0.2

NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w])")


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance of a decimal number, with the reason for it."""

    rtol: float
    atol: float = 0.0
    reason: str = ""

    def __post_init__(self) -> None:
        for name in ("rtol", "atol"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"tolerance {name} must be a finite number >= 0, got {value!r}")

    def limit(self, new: float, stored: float) -> float:
        """The largest difference allowed between ``new`` and ``stored``."""
        return max(self.rtol * max(abs(new), abs(stored)), self.atol)


DEFAULT = Tolerance(
    2e-3,
    0.0,
    "printed decimals of deterministic or iterative computations: ten times the largest drift seen "
    "between BLAS kernels and thread counts (0.024%, an iterative fit)",
)

EXACT = Tolerance(0.0, 0.0, "an exact quantity (a count, a closed form): only its rounding may differ")


def _from_metadata(metadata: Mapping | None, default: Tolerance) -> Tolerance:
    spec = ((metadata or {}).get("shopai") or {}).get("tolerance")
    if not spec:
        return default
    if not isinstance(spec, Mapping) or not spec.get("reason"):
        raise ValueError(f"a tolerance in notebook metadata needs rtol and/or atol and a reason, got {spec!r}")
    return Tolerance(float(spec.get("rtol", default.rtol)), float(spec.get("atol", 0.0)), str(spec["reason"]))


def cell_tolerance(cell: Mapping | None = None, notebook: Mapping | None = None) -> Tolerance:
    """The tolerance of decimals printed by ``cell``: the cell's own, else the notebook's, else :data:`DEFAULT`.

    Examples
    --------
    >>> cell_tolerance({"metadata": {"shopai": {"tolerance": {"rtol": 0.01, "reason": "a bootstrap"}}}}).rtol
    0.01
    >>> cell_tolerance({"metadata": {}}).rtol == DEFAULT.rtol
    True
    """
    nb_default = _from_metadata((notebook or {}).get("metadata"), DEFAULT)
    return _from_metadata((cell or {}).get("metadata"), nb_default)


def metric_tolerance(entry: Mapping, default: Tolerance = DEFAULT) -> Tolerance:
    """The tolerance a recorded metric carries (see :func:`shopai_lab.lab.record`).

    Examples
    --------
    >>> metric_tolerance({"name": "ndcg", "value": 0.11, "noise": 0.005}).atol
    0.001
    >>> metric_tolerance({"name": "r", "value": 0.24, "rtol": 0.001, "reason": "ML fit"}).rtol
    0.001
    """
    reason = str(entry.get("reason", ""))
    if "noise" in entry:
        atol = max(NOISE_SHARE * float(entry["noise"]), float(entry.get("atol", 0.0)))
        return Tolerance(float(entry.get("rtol", 0.0)), atol, reason or f"{NOISE_SHARE:g} of its standard error")
    if "rtol" in entry or "atol" in entry:
        return Tolerance(float(entry.get("rtol", 0.0)), float(entry.get("atol", 0.0)), reason)
    if entry.get("exact"):
        return EXACT
    return Tolerance(default.rtol, default.atol, reason or default.reason)


def _value(token: str) -> float:
    return float(token.replace(",", ""))


def _last_digit_unit(token: str) -> float:
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def is_decimal(token: str) -> bool:
    """Whether ``token`` is written as a decimal number (has a point or an exponent)."""
    return "." in token or "e" in token.lower()


def numbers_agree(new: str, stored: str, tolerance: Tolerance = DEFAULT) -> bool:
    """Whether two printed numbers agree (see the module docstring).

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
    return abs(a - b) <= max(tolerance.limit(a, b), unit * (1 + 1e-9))


def _pairs(new: str, stored: str) -> list[tuple[str, str]] | None:
    """Paired number tokens of two texts whose words are the same; ``None`` otherwise."""
    if NUMBER.split(new) != NUMBER.split(stored):
        return None
    return list(zip(NUMBER.findall(new), NUMBER.findall(stored)))


def reconcile_text(new: str, stored: str, tolerance: Tolerance = DEFAULT) -> str:
    """``new`` with each number that agrees with its stored counterpart written as stored.

    Texts whose words differ, or that hold a different count of numbers, are returned unchanged.
    """
    pairs = _pairs(new, stored) if new != stored else None
    if pairs is None:
        return new
    parts = NUMBER.split(new)
    out = [parts[0]]
    for (n, s), text in zip(pairs, parts[1:]):
        out += [s if numbers_agree(n, s, tolerance) else n, text]
    return "".join(out)


def _reconcile_value(new: Any, stored: Any, tolerance: Tolerance) -> Any:
    if isinstance(new, dict) and isinstance(stored, dict) and new.keys() == stored.keys():
        return {key: _reconcile_value(new[key], stored[key], tolerance) for key in new}
    if isinstance(new, list) and isinstance(stored, list) and len(new) == len(stored):
        return [_reconcile_value(n, s, tolerance) for n, s in zip(new, stored)]
    if isinstance(new, str) and isinstance(stored, str):
        return reconcile_text(new, stored, tolerance)
    if isinstance(new, float) and isinstance(stored, float):
        # a recorded value is rounded to its digits: one unit of the last one is a rounding boundary
        unit = max(_last_digit_unit(repr(new)), _last_digit_unit(repr(stored))) * (1 + 1e-9)
        if abs(new - stored) <= max(tolerance.limit(new, stored), unit):
            return stored
    return new


def _output_tolerance(stored_output: Mapping, default: Tolerance) -> Tolerance:
    metric = stored_output.get("data", {}).get(METRIC_MIMETYPE)
    return metric_tolerance(metric, default) if isinstance(metric, Mapping) else default


def compare_outputs(new_outputs: list, stored_outputs: list, default: Tolerance = DEFAULT) -> list:
    """Copies of a cell's new outputs with numbers that agree with the stored outputs written as stored.

    ``default`` is the cell's tolerance (:func:`cell_tolerance`); a recorded metric uses its own.
    """
    reconciled = copy.deepcopy(list(new_outputs))
    if len(reconciled) != len(stored_outputs):
        return reconciled
    for new, stored in zip(reconciled, stored_outputs):
        if new.get("output_type") != stored.get("output_type"):
            continue
        tolerance = _output_tolerance(stored, default)
        if "text" in new and "text" in stored:
            new["text"] = _reconcile_value(new["text"], stored["text"], tolerance)
        new_data, stored_data = new.get("data"), stored.get("data")
        if isinstance(new_data, dict) and isinstance(stored_data, dict):
            for key in new_data.keys() & stored_data.keys():
                new_data[key] = _reconcile_value(new_data[key], stored_data[key], tolerance)
    return reconciled


def _texts(output: Mapping) -> Iterator[tuple[str, str]]:
    """(kind, text) of an output's comparable text: stdout/stderr, text/plain and text/markdown."""
    if output.get("output_type") == "stream":
        text = output.get("text", "")
        yield output.get("name", "stream"), "".join(text) if isinstance(text, list) else text
    for key in ("text/plain", "text/markdown"):
        text = output.get("data", {}).get(key)
        if text is not None:
            yield key, "".join(text) if isinstance(text, list) else text


def moved_numbers(stored_nb: Mapping, new_nb: Mapping) -> list[dict[str, Any]]:
    """Every number of ``new_nb``'s outputs that is not written as in ``stored_nb``, with its tolerance.

    Returns one dict per moved number: ``cell`` (execution count), ``what`` (the metric's name, or
    the output kind), ``stored``, ``new``, ``difference``, ``allowed`` (the tolerance at that value),
    ``share`` (difference / allowed: above 1 fails the notebook checks), ``reason``. Cells whose
    words or number of outputs changed are listed with ``what = "text changed"`` and no numbers.
    """
    rows: list[dict[str, Any]] = []
    stored_cells = [c for c in stored_nb["cells"] if c.get("cell_type") == "code"]
    new_cells = [c for c in new_nb["cells"] if c.get("cell_type") == "code"]
    for stored_cell, new_cell in zip(stored_cells, new_cells):
        count = stored_cell.get("execution_count")
        default = cell_tolerance(stored_cell, stored_nb)
        stored_outputs, new_outputs = stored_cell.get("outputs", []), new_cell.get("outputs", [])
        if len(stored_outputs) != len(new_outputs):
            rows.append(_changed(count, "number of outputs changed"))
            continue
        for stored, new in zip(stored_outputs, new_outputs):
            metric = stored.get("data", {}).get(METRIC_MIMETYPE)
            new_metric = new.get("data", {}).get(METRIC_MIMETYPE)
            if isinstance(metric, Mapping) and isinstance(new_metric, Mapping):
                rows += _moved_metric(count, metric, new_metric, default)
                continue
            for (kind, s_text), (_, n_text) in zip(_texts(stored), _texts(new)):
                if s_text == n_text:
                    continue
                pairs = _pairs(n_text, s_text)
                if pairs is None:
                    rows.append(_changed(count, f"{kind}: text changed"))
                    continue
                for n, s in pairs:
                    if n != s:
                        rows.append(_row(count, kind, s, n, default))
    return rows


def _moved_metric(count, stored: Mapping, new: Mapping, default: Tolerance) -> list[dict[str, Any]]:
    name, s_value, n_value = stored.get("name"), stored.get("value"), new.get("value")
    if s_value == n_value:
        return []
    tolerance = metric_tolerance(stored, default)
    s_list = s_value if isinstance(s_value, list) else [s_value]
    n_list = n_value if isinstance(n_value, list) else [n_value]
    if len(s_list) != len(n_list) or not all(isinstance(v, (int, float)) for v in s_list + n_list):
        return [_changed(count, f"metric {name}: {s_value!r} -> {n_value!r}")]
    return [_row(count, f"metric {name}", repr(s), repr(n), tolerance) for s, n in zip(s_list, n_list) if s != n]


def _row(count, what: str, stored: str, new: str, tolerance: Tolerance) -> dict[str, Any]:
    try:
        s, n = _value(stored), _value(new)
    except ValueError:
        return _changed(count, f"{what}: {stored} -> {new}")
    exact = not (is_decimal(stored) and is_decimal(new))
    unit = 0.0 if exact else max(_last_digit_unit(stored), _last_digit_unit(new)) * (1 + 1e-9)
    allowed = 0.0 if exact else max(tolerance.limit(n, s), unit)
    difference = abs(n - s)
    return {
        "cell": count,
        "what": what,
        "stored": stored,
        "new": new,
        "difference": difference,
        "allowed": allowed,
        "share": math.inf if allowed == 0 else difference / allowed,
        "reason": "an integer: exact" if exact else tolerance.reason,
    }


def _changed(count, what: str) -> dict[str, Any]:
    return {
        "cell": count,
        "what": what,
        "stored": None,
        "new": None,
        "difference": math.nan,
        "allowed": 0.0,
        "share": math.inf,
        "reason": "text, labels and shapes are exact",
    }
