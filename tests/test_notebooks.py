"""Notebook tier: hygiene of the stored notebooks, their parameters (read from each notebook's ``parameters`` cell)
against the shared vocabulary of :mod:`shopai_lab.lab.parameters` and against the README, and markdown that quotes
no data. Each notebook's headline figures and its run on another shop's file are in
``tests/<domain>/test_notebook_NN.py``; nbval (pytest --nbval) re-runs the stored notebooks and compares every
text output on top of this."""

import re

import nbformat
import papermill
import pytest

from shopai_lab.lab import PROJECT_ROOT, cli
from shopai_lab.lab.parameters import RETIRED, vocabulary_problems
from tests._other_shop import STALE_MARKDOWN

NOTEBOOKS = cli.available_notebooks()
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
#: a currency written into a code cell instead of the ``currency`` parameter
CURRENCY_LITERAL = re.compile(r"""["'](?:GBP|EUR|USD)["']|£""")


def test_there_are_notebooks():
    numbers = [p.stem[:2] for p in NOTEBOOKS]
    assert len(numbers) >= 10 and numbers == [f"{i:02d}" for i in range(1, len(numbers) + 1)]


def readme_names(path) -> set[str]:
    """The names in backticks in README's paragraph (or table) on this notebook's parameters."""
    number = path.stem[:2]
    match = re.search(rf"^Notebook {number} parameters\b(.*?)(?=^Notebook \d\d |^#|\Z)", README, re.M | re.S)
    assert match, f"README has no paragraph 'Notebook {number} parameters'"
    return set(re.findall(r"`([a-z_][a-z0-9_]*)`", match.group(1)))


#: every parameter name any notebook declares, and the retired ones
PARAMETER_NAMES = {name for p in NOTEBOOKS for name in cli.notebook_parameters(p)} | set(RETIRED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_follow_the_vocabulary(path):
    """Shared names mean one thing (kind, unit), lengths of time carry their unit, every parameter says what it is."""
    assert vocabulary_problems(cli.notebook_parameters(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_readme_lists_every_parameter(path):
    """README's list of a notebook's parameters names every parameter its ``parameters`` cell declares, and no
    parameter (of any notebook, or retired) that it does not declare. Other names there are columns or values."""
    declared, named = set(cli.notebook_parameters(path)), readme_names(path)
    assert sorted(declared - named) == [], "declared, missing in README"
    assert sorted((named & PARAMETER_NAMES) - declared) == [], "in README, not declared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_the_same_parameters(path):
    """Plain papermill (README) sees every parameter ``shopai-lab`` sees: a comment it cannot parse hides one."""
    assert set(papermill.inspect_notebook(str(path))) == set(cli.notebook_parameters(path))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_amounts_carry_the_currency_parameter(path):
    """Only the parameters cell names a currency; the code passes ``currency`` on (the library has no default)."""
    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    assert [c.execution_count for c in code if CURRENCY_LITERAL.search(c.source)] == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_hygiene(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "papermill" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert code.index(tagged[0]) == 0, "the parameters cell comes first"
    for cell in code:
        assert "execution" not in cell.metadata and "papermill" not in cell.metadata
        for output in cell.outputs:
            assert output.output_type != "error", f"stored error in cell {cell.execution_count}"
            assert output.get("name") != "stderr", f"stderr in cell {cell.execution_count}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    long = [c.execution_count for c in code[1:] if len(c.source.splitlines()) > 12]
    assert long == [], f"code cells {long} are over 12 lines: move their logic into shopai_lab"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_quotes_no_data(path):
    """Markdown explains; numbers that belong to one shop's data are generated from the results."""
    nb = nbformat.read(str(path), as_version=4)
    stale = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and STALE_MARKDOWN.search(c.source)]
    assert stale == [], f"markdown cells {stale} quote a year, an amount or a count"
