"""Headline metrics that a notebook records and tests and reports read back.

A notebook calls :func:`record` for each figure it wants to stand behind. The
value is shown in the notebook and stored in the cell output under the
mimetype :data:`METRIC_MIMETYPE`, which Jupyter keeps in the ``.ipynb``;
:func:`read_metrics` collects them from an executed notebook.

:func:`normalize_notebook` makes an executed notebook's JSON deterministic
(no timing or papermill metadata) so stored outputs can be regenerated
without spurious diffs.
"""

from __future__ import annotations

import json
import math
import numbers
from pathlib import Path
from typing import Any

METRIC_MIMETYPE = "application/vnd.shopai.metric+json"


def _plain(value: Any, digits: int) -> Any:
    """``value`` as JSON-ready Python, floats rounded to ``digits`` significant digits."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"cannot record a non-finite number: {value!r}")
        return float(f"{value:.{digits}g}")
    if isinstance(value, (list, tuple)):
        return [_plain(v, digits) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, digits) for k, v in value.items()}
    raise TypeError(
        f"cannot record a value of type {type(value).__name__}; use a number, string, bool, or a list or dict of them"
    )


def record(
    name: str,
    value: Any,
    digits: int = 6,
    *,
    noise: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    reason: str | None = None,
) -> None:
    """Show and store a headline metric of the running notebook, with how far a re-run may move it.

    Parameters
    ----------
    name
        Metric name, e.g. ``"silhouette"`` or ``"ndcg@10/ALS"``.
    value
        A number, string, bool, or list/dict of them. Numpy scalars are accepted.
    digits
        Significant digits kept for floats, so stored outputs do not change
        with the last bits of floating-point arithmetic.
    noise
        The value's sampling standard error (e.g. a bootstrap's ``se``, or ``std / sqrt(n)`` of
        per-customer values): a re-run must reproduce the value within
        :data:`~shopai_lab.lab.tolerance.NOISE_SHARE` of it. The tolerance of a metric estimated
        on a sample.
    rtol, atol
        Relative and absolute tolerance of a fitted estimate whose last digits depend on the
        machine (an iterative fit, a model trained on noisy scores); ``reason`` must say why.
    reason
        Why the tolerance is what it is (required with ``rtol``/``atol``).

    With none of ``noise``, ``rtol``, ``atol``, a float is compared at the notebook's default
    tolerance (:mod:`shopai_lab.lab.tolerance`); integers, text and bools are always exact.

    Examples
    --------
    >>> record("customers", 4334)  # doctest: +SKIP
    customers = 4334
    >>> record("ndcg@10/ALS", 0.10734, noise=0.0052)  # doctest: +SKIP
    ndcg@10/ALS = 0.10734
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"metric name must be a non-empty string, got {name!r}")
    plain = _plain(value, digits)
    entry: dict[str, Any] = {"name": name, "value": plain}
    for key, tolerance in (("noise", noise), ("rtol", rtol), ("atol", atol)):
        if tolerance is not None:
            if (
                isinstance(tolerance, bool)
                or not isinstance(tolerance, numbers.Real)
                or not (0 <= float(tolerance) < math.inf)
            ):
                raise ValueError(f"{key} must be a finite number >= 0, got {tolerance!r}")
            entry[key] = float(f"{float(tolerance):.3g}")
    if reason is not None:
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"reason must be a non-empty string, got {reason!r}")
        entry["reason"] = reason.strip()
    elif ("rtol" in entry or "atol" in entry) and "noise" not in entry:
        raise ValueError(f"record({name!r}, ...): say why with reason= when you give rtol or atol")
    from IPython.display import display

    display({METRIC_MIMETYPE: entry, "text/plain": f"{name} = {plain!r}"}, raw=True)


def read_metrics(path: str | Path) -> dict[str, Any]:
    """Metrics recorded in an executed notebook, by name (a later record wins).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When the file is not a notebook.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {str(path)!r}")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{str(path)!r} is not a Jupyter notebook (JSON with a 'cells' list)") from exc
    if not isinstance(cells, list):
        raise ValueError(f"{str(path)!r} is not a Jupyter notebook (JSON with a 'cells' list)")
    metrics: dict[str, Any] = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if METRIC_MIMETYPE in data:
                entry = data[METRIC_MIMETYPE]
                metrics[entry["name"]] = entry["value"]
    return metrics


def normalize_notebook(nb: dict) -> dict:
    """Strip run-specific metadata from a notebook dict (in a copy) so reruns diff cleanly.

    Removes papermill's notebook and cell metadata, per-cell ``execution``
    timings, and empty ``tags`` lists, and joins consecutive stream outputs of
    the same stream (how the kernel chunks printed text depends on timing);
    keeps outputs and execution counts.
    """
    nb = json.loads(json.dumps(nb))
    nb.get("metadata", {}).pop("papermill", None)
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if meta.get("tags") == []:
            meta.pop("tags")
        if "outputs" in cell:
            cell["outputs"] = _join_streams(cell["outputs"])
    return nb


def _join_streams(outputs: list) -> list:
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            text = "".join(previous["text"]) + "".join(output["text"])
            previous["text"] = text.splitlines(keepends=True) if isinstance(previous["text"], list) else text
        else:
            joined.append(output)
    return joined
