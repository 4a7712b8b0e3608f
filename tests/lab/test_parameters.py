"""The notebook parameter vocabulary: the parameters-cell reader, the check of a cell, the retired names."""

import pytest

from shopai_lab.lab import cli
from shopai_lab.lab.parameters import (
    NAMING_RULES,
    RETIRED,
    SHARED,
    VOCABULARY,
    read_parameters_cell,
    retired_hint,
    rule_for,
    vocabulary_problems,
    vocabulary_table,
)

GOOD = """# Parameters: papermill or `shopai-lab run NN -p NAME VALUE` override these.
data_path = None  # invoice lines
column_map = None  # your columns
currency = "GBP"  # of the prices
holdout_weeks = 14  # the last weeks
hidden_layers = [32, 16]  # MLP layer sizes
seed = 0  # every draw
"""


def problems(source: str, notebook: bool = False) -> list[str]:
    return vocabulary_problems(read_parameters_cell(source), notebook=notebook)


def test_reader_keeps_order_values_and_comments():
    params = read_parameters_cell(GOOD)
    assert list(params) == ["data_path", "column_map", "currency", "holdout_weeks", "hidden_layers", "seed"]
    assert params["hidden_layers"] == {"default": "[32, 16]", "value": [32, 16], "help": "MLP layer sizes"}
    assert read_parameters_cell("n: int = 3  # annotated")["n"]["value"] == 3


def test_reader_refuses_a_cell_that_is_not_python():
    with pytest.raises(ValueError, match="not valid Python"):
        read_parameters_cell("seed = = 0")


def test_a_cell_that_follows_the_vocabulary_has_no_problems():
    assert problems(GOOD, notebook=True) == []


@pytest.mark.parametrize(
    "line, problem",
    [
        ("bootstrap_draws = 200  # resamples", "bootstrap_draws: retired, use n_boot"),
        ("mlp_hidden = [128]  # sizes", "mlp_hidden: retired, use hidden_layers"),
        ("horizon = 4  # ahead", "horizon: retired, use horizon_weeks"),
        ("forecast_window = 8  # weeks", "forecast_window: a length of time carries its unit"),
        ("n_boot = 0  # resamples", "n_boot: default 0 is not a positive count"),
        ("n_boot = True  # resamples", "n_boot: default True is not a positive count"),  # a bool is not a count
        ("seed = 0.5  # every draw", "seed: default 0.5 is not a count"),
        ("test_days = 7.5  # days", "test_days: default 7.5 is not a positive count"),
        ("idle_weeks = '13'  # weeks", "idle_weeks: default '13' is not a number"),
        ("min_active_share = 1.5  # of the weeks", "min_active_share: default 1.5 is not a share"),
        ("currency = None  # of the prices", "currency: default None is not a string"),
        ("hidden_layers = [32, 0]  # sizes", "hidden_layers: default [32, 0] is not a list of layer sizes"),
        ("retail_path = 3  # a file", "retail_path: default 3 is not a path or None"),
        ("k = len('abc')  # list length", "k: default len('abc') is not a literal"),
        ("k = 10", "k: no comment saying what it means"),
    ],
)
def test_each_departure_is_named(line, problem):
    found = problems(line)
    assert len(found) == 1 and found[0].startswith(problem), found


def test_every_notebook_declares_data_path_column_map_and_seed():
    assert problems("k = 10  # list length", notebook=True) == [
        "data_path: missing (every notebook declares it)",
        "column_map: missing (every notebook declares it)",
        "seed: missing (every notebook declares it)",
    ]


def test_a_date_named_after_a_period_is_not_a_length_of_time():
    assert problems("pre_period_end = None  # last day of the pre-period\nlead_time_weeks = 1  # weeks") == []


def test_rules_and_shared_names():
    assert rule_for("n_boot") is VOCABULARY["n_boot"]
    assert rule_for("validation_weeks").unit == "weeks" and rule_for("n_power_splits").pattern == "n_*"
    assert rule_for("gross_margin") is None
    assert len({p.name for p in SHARED}) == len(SHARED)
    assert not set(RETIRED) & set(VOCABULARY)
    assert problems("risk_weeks = 13  # weeks") == [
        "risk_weeks: retired, use " + RETIRED["risk_weeks"]
    ]  # retired first
    table = vocabulary_table()
    assert all(f"`{p.name}`" in table for p in SHARED) and all(f"`{r.pattern}`" in table for r in NAMING_RULES)


def test_a_list_default_is_checked_element_by_element():
    assert problems("feedback_strengths = [0.0, 1.5]  # strengths") == [
        "feedback_strengths: default [0.0, 1.5] is not a list of shares"
    ]
    assert problems("explore_shares = [0.1, 0.25]  # shares of the budget") == []
    assert problems("contamination = 2  # share planted") == ["contamination: default 2 is not a share"]


def test_retired_hint():
    assert retired_hint(["bootstrap_draws", "n_clusters"]) == " (bootstrap_draws is now n_boot)"
    assert retired_hint(["n_clusters"]) == ""


def test_run_names_the_replacement_of_a_retired_parameter(capsys, tmp_path):
    assert cli.main(["run", "08", "-p", "bootstrap_draws", "20", "--output-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "does not declare parameter(s) ['bootstrap_draws'] (bootstrap_draws is now n_boot)" in err
    assert not list(tmp_path.iterdir())
