import json

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from shopai_lab.lab import METRIC_MIMETYPE, cli, normalize_notebook, read_metrics, record


@pytest.fixture
def displayed(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj))
    return shown


def test_record_shows_json_under_its_mimetype_and_rounds_floats(displayed):
    record("silhouette", np.float64(0.24063512345), digits=4)
    record("customers", np.int64(4334))
    record("by_model", {"EASE": 0.1071234567, "pop": [1, 2.0]})
    assert displayed[0][METRIC_MIMETYPE] == {"name": "silhouette", "value": 0.2406}
    assert displayed[0]["text/plain"] == "silhouette = 0.2406"
    assert displayed[1][METRIC_MIMETYPE]["value"] == 4334
    assert isinstance(displayed[1][METRIC_MIMETYPE]["value"], int)
    assert displayed[2][METRIC_MIMETYPE]["value"] == {"EASE": 0.107123, "pop": [1, 2.0]}


@pytest.mark.parametrize(
    ("name", "value", "error", "message"),
    [
        ("", 1, ValueError, "metric name must be a non-empty string"),
        ("x", float("nan"), ValueError, "non-finite"),
        ("x", object(), TypeError, "cannot record a value of type object"),
    ],
)
def test_record_rejects_bad_input(displayed, name, value, error, message):
    with pytest.raises(error, match=message):
        record(name, value)


def test_record_stores_its_tolerance_with_its_reason(displayed):
    record("ndcg", 0.1148, noise=0.00512)
    record("auc", 0.93, rtol=0.02, reason="trained on scores whose last digits vary")
    record("count", 3)
    assert displayed[0][METRIC_MIMETYPE] == {"name": "ndcg", "value": 0.1148, "noise": 0.00512}
    assert displayed[1][METRIC_MIMETYPE] == {
        "name": "auc",
        "value": 0.93,
        "rtol": 0.02,
        "reason": "trained on scores whose last digits vary",
    }
    assert displayed[2][METRIC_MIMETYPE] == {"name": "count", "value": 3}
    for bad in (-0.1, float("inf"), "1%", True):
        with pytest.raises(ValueError, match="rtol must be a finite number >= 0"):
            record("x", 1.0, rtol=bad, reason="r")
        with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
            record("x", 1.0, noise=bad)
    with pytest.raises(ValueError, match="say why with reason="):
        record("x", 1.0, atol=0.1)
    with pytest.raises(ValueError, match="reason must be a non-empty string"):
        record("x", 1.0, rtol=0.1, reason=" ")


def notebook_with_metrics(path, entries):
    outputs = [
        new_output("display_data", data={METRIC_MIMETYPE: {"name": n, "value": v}, "text/plain": f"{n}"})
        for n, v in entries
    ]
    nb = new_notebook(cells=[new_code_cell("record(...)", outputs=outputs, execution_count=1)])
    nbformat.write(nb, str(path))
    return path


def test_read_metrics_later_record_wins(tmp_path):
    path = notebook_with_metrics(tmp_path / "nb.ipynb", [("a", 1), ("b", 0.5), ("a", 2)])
    assert read_metrics(path) == {"a": 2, "b": 0.5}


def test_read_metrics_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no notebook"):
        read_metrics(tmp_path / "absent.ipynb")
    (tmp_path / "bad.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="is not a Jupyter notebook"):
        read_metrics(tmp_path / "bad.ipynb")
    (tmp_path / "binary.ipynb").write_bytes(bytes(range(256)))
    with pytest.raises(ValueError, match="binary.ipynb.* is not a Jupyter notebook"):
        read_metrics(tmp_path / "binary.ipynb")
    (tmp_path / "list.ipynb").write_text('{"cells": 3}')
    with pytest.raises(ValueError, match="list.ipynb.* is not a Jupyter notebook"):
        read_metrics(tmp_path / "list.ipynb")


def test_metrics_command_on_a_file_that_is_not_a_notebook(capsys, tmp_path):
    (tmp_path / "data.parquet").write_bytes(b"PAR1\x00\xff\xfe")
    assert cli.main(["metrics", str(tmp_path / "data.parquet")]) == 2
    assert "data.parquet" in capsys.readouterr().err


def test_run_into_a_folder_that_cannot_be_made(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert cli.main(["run", "01", "--output-dir", str(blocker / "reports"), "--no-progress"]) == 2
    assert "shopai-lab: error:" in capsys.readouterr().err


def test_normalize_joins_consecutive_streams_of_one_name():
    nb = {
        "metadata": {},
        "cells": [
            {
                "metadata": {},
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": "a\n"},
                    {"output_type": "stream", "name": "stdout", "text": "b\n"},
                    {"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {}},
                    {"output_type": "stream", "name": "stdout", "text": "c\n"},
                ],
            }
        ],
    }
    outputs = normalize_notebook(nb)["cells"][0]["outputs"]
    assert [o.get("text") for o in outputs] == ["a\nb\n", None, "c\n"]
    assert len(nb["cells"][0]["outputs"]) == 4


def test_normalize_strips_run_metadata_without_touching_the_input():
    nb = {
        "metadata": {"papermill": {"duration": 1.0}, "kernelspec": {"name": "python3"}},
        "cells": [
            {
                "metadata": {"papermill": {}, "execution": {"iopub.status.busy": "t"}, "tags": []},
                "outputs": [{"output_type": "stream", "text": "x"}],
            }
        ],
    }
    clean = normalize_notebook(nb)
    assert clean["metadata"] == {"kernelspec": {"name": "python3"}}
    assert clean["cells"][0]["metadata"] == {}
    assert clean["cells"][0]["outputs"] == [{"output_type": "stream", "text": "x"}]
    assert "papermill" in nb["metadata"]


def test_parse_value():
    assert cli.parse_value("0.5") == 0.5
    assert cli.parse_value("[2, 5]") == [2, 5]
    assert cli.parse_value('{"Price": "unit_price"}') == {"Price": "unit_price"}
    assert cli.parse_value("null") is None and cli.parse_value("None") is None
    assert cli.parse_value("data/my shop.csv") == "data/my shop.csv"


def test_resolve_notebooks_by_prefix_stem_and_errors(tmp_path):
    for name in ("01_behavior.ipynb", "02_cf.ipynb", "02b_extra.ipynb", "notes.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in cli.resolve_notebooks([], tmp_path)] == [
        "01_behavior.ipynb",
        "02_cf.ipynb",
        "02b_extra.ipynb",
    ]
    assert [p.name for p in cli.resolve_notebooks(["01"], tmp_path)] == ["01_behavior.ipynb"]
    assert [p.name for p in cli.resolve_notebooks(["02_cf"], tmp_path)] == ["02_cf.ipynb"]
    with pytest.raises(cli.CliError, match="'02' matches more than one notebook"):
        cli.resolve_notebooks(["02"], tmp_path)
    with pytest.raises(cli.CliError, match="'09' matches no notebook; available: 01_behavior"):
        cli.resolve_notebooks(["09"], tmp_path)


def test_list_shows_parameters_with_defaults(capsys):
    assert cli.main(["list", "01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("01_behavior_analysis\n")
    for line in ("data_path", "column_map", "reference_date", "k_range", "seed"):
        assert f"    {line}" in out
    assert "k_range" in out and "[2, 8]" in out


def test_run_rejects_an_undeclared_parameter(capsys, tmp_path):
    code = cli.main(["run", "01", "-p", "n_clusters", "4", "--output-dir", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "01_behavior_analysis does not declare parameter(s) ['n_clusters']" in err
    assert "'seed'" in err
    assert not list(tmp_path.iterdir())


def test_metrics_command_prints_json(capsys, tmp_path):
    path = notebook_with_metrics(tmp_path / "nb.ipynb", [("customers", 4334)])
    assert cli.main(["metrics", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == {"customers": 4334}
    assert cli.main(["metrics", str(tmp_path / "absent.ipynb")]) == 2
    assert "no notebook at" in capsys.readouterr().err


def test_html_report_is_titled_after_the_notebook_and_can_leave_out_code(tmp_path):
    import nbformat

    from shopai_lab.lab import write_html

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · A report on returns\n\nWhy returns matter."),
        nbformat.v4.new_code_cell(
            "secret_variable_name = 41 + 1", outputs=[nbformat.v4.new_output("stream", text="42")]
        ),
    ]
    path = tmp_path / "99_returns.ipynb"
    nbformat.write(nb, str(path))
    with_code = write_html(path).read_text(encoding="utf-8")
    assert "<title>99 · A report on returns</title>" in with_code
    assert "secret_variable_name" in with_code
    without_code = write_html(path, code=False).read_text(encoding="utf-8")
    assert "secret_variable_name" not in without_code
    assert "42" in without_code and "Why returns matter." in without_code


def test_report_sentences():
    from shopai_lab.lab import compare, money, verdict

    assert money(2_500_000, "EUR") == "EUR 2.50 million"
    assert verdict({"difference": -0.02, "low": -0.03, "high": -0.01}, higher_is_better=False) == "better"
    assert compare({"difference": -0.02, "low": -0.03, "high": -0.01}, "A", "B", "ECE", higher_is_better=False) == (
        "A is better than B on ECE: -0.020 (95% CI -0.030 to -0.010)."
    )
    with pytest.raises(TypeError, match="currency"):
        money(1.0, None)


def test_every_notebook_leaves_out_spark_where_it_is_missing(tmp_path, monkeypatch, capsys):
    import shopai_lab.spark

    for name in ("01_behavior.ipynb", "10_spark_at_scale.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    monkeypatch.setattr(shopai_lab.spark, "spark_available", lambda: False)
    assert [p.name for p in cli.resolve_notebooks([], tmp_path)] == ["01_behavior.ipynb"]
    assert "left out 10_spark_at_scale" in capsys.readouterr().err
    with pytest.raises(cli.CliError, match="needs Spark.*Java"):
        cli.resolve_notebooks(["10"], tmp_path)
    monkeypatch.setattr(shopai_lab.spark, "spark_available", lambda: True)
    assert len(cli.resolve_notebooks([], tmp_path)) == 2


def test_drift_lists_moved_numbers_against_their_tolerance(tmp_path, monkeypatch, capsys):
    stored_dir, executed_dir = tmp_path / "notebooks", tmp_path / "executed"
    stored_dir.mkdir()
    executed_dir.mkdir()
    monkeypatch.setenv("SHOPAI_LAB_NOTEBOOKS_DIR", str(stored_dir))

    def write(folder, ndcg, text):
        metric = {"name": "ndcg", "value": ndcg, "noise": 0.005}
        outputs = [
            new_output("stream", name="stdout", text=text),
            new_output("display_data", data={METRIC_MIMETYPE: metric, "text/plain": f"ndcg = {ndcg}"}),
        ]
        nb = new_notebook(cells=[new_code_cell("record(...)", outputs=outputs, execution_count=1)])
        nbformat.write(nb, str(folder / "01_demo.ipynb"))

    write(stored_dir, 0.1151, "AUC 0.9200 on 1,683 customers\n")
    write(executed_dir, 0.1152, "AUC 0.9201 on 1,683 customers\n")
    assert cli.main(["drift", "01", "--executed", str(executed_dir)]) == 0
    out = capsys.readouterr().out
    assert "01_demo: 2 number(s) moved, 0 beyond tolerance" in out and "metric ndcg" in out
    write(executed_dir, 0.1171, "AUC 0.9200 on 1,684 customers\n")
    assert cli.main(["drift", "01", "--executed", str(executed_dir)]) == 1
    out = capsys.readouterr().out
    assert "2 number(s) moved, 2 beyond tolerance" in out and "an integer: exact" in out
    assert cli.main(["drift", "01", "--executed", str(tmp_path / "nowhere")]) == 2
    assert "no notebook at" in capsys.readouterr().err
