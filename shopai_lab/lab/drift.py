"""Which stored numbers a re-run moves, and by how much of their tolerance: run before regenerating outputs.

``shopai-lab drift`` (``make drift``) re-executes notebooks (or reads executed copies) and lists every
number that is not written as stored, with the tolerance the notebook checks apply to it
(:mod:`shopai_lab.lab.tolerance`) and the share of it the difference uses. A share above 1 fails nbval:
either the change is meant (regenerate the outputs, update README figures, say so in the commit) or it is
a regression. A share that is small but not zero on a number that should be exact (a count, a list) is a
sign that something still depends on the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from shopai_lab.lab.tolerance import moved_numbers

__all__ = ["drift_table", "format_drift"]

COLUMNS = ["cell", "what", "stored", "new", "difference", "allowed", "share", "reason"]


def _load(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {str(path)!r}")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{str(path)!r} is not a Jupyter notebook") from exc
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{str(path)!r} is not a Jupyter notebook (JSON with a 'cells' list)")
    return nb


def drift_table(stored: str | Path, executed: str | Path) -> pd.DataFrame:
    """Every number of ``executed`` that differs from ``stored``, largest share of its tolerance first.

    Examples
    --------
    >>> drift_table("notebooks/01_behavior_analysis.ipynb", "reports/01_behavior_analysis.ipynb")  # doctest: +SKIP
    """
    rows = moved_numbers(_load(stored), _load(executed))
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["share", "cell"], ascending=[False, True], kind="stable").reset_index(drop=True)


def format_drift(name: str, table: pd.DataFrame) -> str:
    """A short report of one notebook's drift table for the terminal."""
    beyond = int((table["share"] > 1).sum())
    head = f"{name}: {len(table)} number(s) moved, {beyond} beyond tolerance"
    if table.empty:
        return head + " (outputs reproduced)"
    shown = table.assign(
        share=table["share"].map(lambda s: "inf" if s == float("inf") else f"{s:.2f}"),
        difference=table["difference"].map(lambda d: f"{d:.3g}"),
        allowed=table["allowed"].map(lambda a: f"{a:.3g}"),
        reason=table["reason"].str.slice(0, 60),
    )
    with pd.option_context("display.width", 200, "display.max_colwidth", 60, "display.max_rows", 60):
        return head + "\n" + shown.head(60).to_string(index=False)
