"""nbval, made to hold on any machine: stored outputs compared by what each number is.

nbval re-runs every stored notebook and compares its text outputs with the stored ones, character for
character. This plugin wraps nbval's comparison: before it runs, every number of a new output that agrees
with the stored one within its tolerance is written as stored, so nbval then compares everything else
exactly (text, labels, table shapes, integers, the order of rows) and reports any real difference in its
usual way. The rules (what is exact, where a tolerance comes from and why) live in
:mod:`shopai_lab.lab.tolerance`, shared with ``shopai-lab drift``; a cell's tolerance is its own metadata's,
else its notebook's, else the default. Loaded from the root ``conftest.py``; nbval 0.11 is pinned in
``constraints.txt`` because this wraps its ``IPyNbCell.compare_outputs``.
"""

from __future__ import annotations

from nbval.plugin import IPyNbCell

from shopai_lab.lab.tolerance import cell_tolerance, compare_outputs

_nbval_compare_outputs = IPyNbCell.compare_outputs


def _compare_outputs(self, test, ref, skip_compare=None):
    tolerance = cell_tolerance(self.cell, getattr(self.parent, "nb", None))
    return _nbval_compare_outputs(self, compare_outputs(test, ref, tolerance), ref, skip_compare)


IPyNbCell.compare_outputs = _compare_outputs
