"""The command line as a new user meets it: names and numbers, parameter types and paths checked before a
kernel starts, a version, a lab folder of one's own, progress that names the notebook, reports that open
offline, and an index of the reports."""

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from shopai_lab.lab import METRIC_MIMETYPE, PROJECT_ROOT, cli
from shopai_lab.lab.html import external_scripts, render_maths, write_html, write_index
from shopai_lab.lab.notebooks import expected_type, resolve_notebooks, resolve_path_parameters


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_text("{}", encoding="utf-8")


def test_a_bare_number_names_the_notebook_of_that_number(tmp_path):
    _touch(tmp_path, "01_behavior.ipynb", "10_spark.ipynb", "11_fairness.ipynb")
    assert [p.name for p in resolve_notebooks(["1"], tmp_path)] == ["01_behavior.ipynb"]
    assert [p.name for p in resolve_notebooks(["01"], tmp_path)] == ["01_behavior.ipynb"]
    assert [p.name for p in resolve_notebooks(["11"], tmp_path)] == ["11_fairness.ipynb"]
    with pytest.raises(cli.CliError, match="'1_' matches no notebook"):
        resolve_notebooks(["1_"], tmp_path)
    with pytest.raises(cli.CliError, match="'7' matches no notebook; available: 01_behavior, 10_spark"):
        resolve_notebooks(["7"], tmp_path)


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("k_range", "5", r"parameter k_range expects a list of positive counts \(its default is \[2, 8\]\); got 5"),
        ("k_range", "[2, 0]", r"parameter k_range expects a list of positive counts .*; got \[2, 0\]"),
        ("extreme_threshold", "high", "parameter extreme_threshold expects a number .*; got 'high'"),
        ("seed", "1.5", "parameter seed expects a count"),
        ("data_path", "3", "parameter data_path expects a path or None"),
        ("column_map", "[1, 2]", "parameter column_map expects a column map or None"),
    ],
)
def test_a_value_of_the_wrong_type_fails_before_the_kernel_starts(capsys, tmp_path, parameter, value, message):
    code = cli.main(["run", "01", "-p", parameter, value, "--output-dir", str(tmp_path), "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("shopai-lab: error: 01_behavior_analysis: ") and err.count("\n") == 1
    assert re.search(message, err), err
    assert not list(tmp_path.iterdir())


def test_expected_type_follows_the_vocabulary_then_the_default():
    test, description = expected_type("n_boot", 200)
    assert description == "a positive count" and test(100) and not test(0) and not test(2.5)
    test, description = expected_type("extreme_threshold", 3.5)
    assert description == "a number" and test(4) and not test(True) and not test("4")
    assert expected_type("anything", None) is None


def test_relative_paths_are_read_from_the_callers_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    resolved = resolve_path_parameters({"data_path": "shop.csv", "retail_path": None, "seed": 3})
    assert resolved == {"data_path": str(tmp_path / "shop.csv"), "retail_path": None, "seed": 3}
    absolute = str(tmp_path / "elsewhere.csv")
    assert resolve_path_parameters({"data_path": absolute})["data_path"] == absolute
    assert resolve_path_parameters({"data_path": "~/x.csv"})["data_path"] == str(Path("~/x.csv").expanduser())


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("shopai-lab ")


def test_init_copies_notebooks_and_data_into_a_lab_folder(tmp_path, monkeypatch, capsys):
    source = tmp_path / "installed"
    source.mkdir()
    _touch(source, "01_demo.ipynb")
    monkeypatch.setenv("SHOPAI_LAB_NOTEBOOKS_DIR", str(source))
    assert cli.main(["init", str(tmp_path / "mylab")]) == 0
    assert (tmp_path / "mylab" / "notebooks" / "01_demo.ipynb").is_file()
    assert (tmp_path / "mylab" / "data" / "online_retail.parquet").is_file()
    assert "shopai-lab run 01" in capsys.readouterr().out
    assert cli.main(["init", str(tmp_path / "mylab")]) == 2
    assert "already holds notebooks; pass --force" in capsys.readouterr().err
    assert cli.main(["init", str(tmp_path / "mylab"), "--force"]) == 0
    monkeypatch.delenv("SHOPAI_LAB_NOTEBOOKS_DIR")
    monkeypatch.chdir(tmp_path / "mylab")  # a lab folder: its own notebooks come first
    assert [p.name for p in resolve_notebooks([])] == ["01_demo.ipynb"]


def _report_notebook(path: Path) -> Path:
    metric = {"name": "clean_lines", "value": 391150}
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "# 99 · Maths\n\nRate $\\lambda \\sim \\mathrm{Gamma}(r, \\alpha)$ and\n\n$$p = 1 - e^{-x}$$"
            ),
            new_code_cell(
                "record('clean_lines', 391150)",
                execution_count=1,
                outputs=[
                    new_output("display_data", data={METRIC_MIMETYPE: metric, "text/plain": "clean_lines = 391150"})
                ],
            ),
        ]
    )
    nbformat.write(nb, str(path))
    return path


def test_reports_render_maths_offline_and_say_what_they_ran_with(tmp_path):
    path = _report_notebook(tmp_path / "99_maths.ipynb")
    run = {"parameters": {"data_path": "/data/shop.csv", "seed": 3}, "version": "9.9", "date": "2026-12-07"}
    page = write_html(path, code=False, run=run).read_text(encoding="utf-8")
    assert external_scripts(page) == []
    assert page.count("<math") == 2 and "$" not in page.split("<body")[1].split("<script")[0]
    assert "/data/shop.csv" in page and "seed = 3" in page and "9.9" in page
    assert "clean_lines = 391150" not in page  # the raw record dump is for analysts, not the no-code report
    assert "clean_lines = 391150" in write_html(path, code=True).read_text(encoding="utf-8")


def test_external_scripts_finds_cdn_addresses():
    page = '<script src="https://cdn.example/x.js"></script><link href="//cdn.example/y.css"><script>1</script>'
    assert external_scripts(page) == ["https://cdn.example/x.js", "//cdn.example/y.css"]


def test_render_maths_leaves_code_prices_and_escapes_alone():
    text = "costs $5 and $6, `$x$` in code, \\$ sign, and $x^2$"
    out = render_maths(text)
    assert out.count("<math") == 1 and "costs $5 and $6" in out and "`$x$`" in out and "\\$ sign" in out


def test_index_lists_every_report_with_its_headline_metrics(tmp_path):
    _report_notebook(tmp_path / "99_maths.ipynb")
    write_html(tmp_path / "99_maths.ipynb")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert 'href="99_maths.html"' in page and "99 · Maths" in page and "clean_lines: 391150" in page


@pytest.mark.notebook
def test_a_run_names_each_notebook_and_its_kernel_stays_quiet(tmp_path, monkeypatch, capfd):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = new_notebook(cells=[new_code_cell("seed = 0", metadata={"tags": ["parameters"]}), new_code_cell("1 + 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, str(folder / "01_tiny.ipynb"))
    monkeypatch.setenv("SHOPAI_LAB_NOTEBOOKS_DIR", str(folder))
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
    assert cli.main(["run", "--output-dir", str(tmp_path / "out"), "--html", "-p", "seed", "2"]) == 0
    out, err = capfd.readouterr()
    assert "running all 1 notebooks" in out and "[1/1] 01_tiny: running 2 cells" in out
    assert "01_tiny:" in err  # the progress bar carries the notebook's name
    assert "without encryption" not in err
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / "01_tiny.html").is_file()


@pytest.mark.parametrize("notebook", sorted(p.name for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]*.ipynb")))
def test_every_stored_notebook_renders_its_maths_without_the_network(notebook, tmp_path):
    """Each formula of each notebook is one latex2mathml can read (no LaTeX left for MathJax), and the report
    fetches nothing."""
    source = PROJECT_ROOT / "notebooks" / notebook
    for cell in nbformat.read(str(source), as_version=4).cells:
        if cell.cell_type == "markdown":
            assert "<code>" not in render_maths(cell.source).replace(cell.source, "")
    copy = tmp_path / notebook
    copy.write_bytes(source.read_bytes())
    assert external_scripts(write_html(copy, code=False).read_text(encoding="utf-8")) == []


def test_a_parameter_of_two_kinds_takes_either():
    test, description = expected_type("oos_intents", 10)
    assert test(5) and test(["get_refund", "track_order"]) and not test("ten") and not test([1, 2])
    assert description == "a count or list of names"


def test_a_list_parameter_checks_its_elements():
    test, description = expected_type("feedback_strengths", [0.0, 0.8])
    assert description == "a list of shares" and test([0, 0.5, 1]) and not test([0.5, 1.5]) and not test([])
    test, description = expected_type("explore_shares", [0.1])  # the naming rule *_shares
    assert description == "a list of shares" and not test(0.1) and not test(["a"])
    test, description = expected_type("epsilons", [1.0])
    assert description == "a list of numbers" and test([0.5, 2]) and not test([True]) and not test(["1"])
