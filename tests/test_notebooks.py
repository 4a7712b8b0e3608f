"""Notebook tier: hygiene of the stored notebooks, a papermill run of 01 on another shop's file,
and the headline figures the README quotes. nbval (pytest --nbval) re-runs the stored notebooks
and compares every text output on top of this."""

import nbformat
import pytest

from shopai_lab.lab import cli
from tests._other_shop import STALE_MARKDOWN

NOTEBOOKS = cli.available_notebooks()
REQUIRED_PARAMETERS = {
    "01_behavior_analysis": {
        "data_path",
        "column_map",
        "currency",
        "reference_date",
        "k_range",
        "extreme_threshold",
        "exclude_extreme_lines",
        "seed",
    },
    "02_collaborative_filtering": {
        "data_path",
        "column_map",
        "currency",
        "test_days",
        "k",
        "models",
        "tune",
        "n_boot",
        "seed",
    },
    "03_neural_scoring": {
        "data_path",
        "retail_path",
        "column_map",
        "currency",
        "test_size",
        "cv_folds",
        "seed",
        "hidden_layers",
        "incentive_cost",
        "conversion_value",
        "incentive_uplift",
        "uplift_kind",
        "candidates",
        "test_days",
    },
    "04_dynamic_pricing": {
        "data_path",
        "column_map",
        "gross_margin",
        "sensitivity_margins",
        "max_price_change",
        "min_weeks",
        "horizon",
        "n_seeds",
        "inventory_share",
        "seed",
        "currency",
    },
    "05_customer_lifetime_value": {
        "data_path",
        "column_map",
        "currency",
        "holdout_weeks",
        "calibration_end",
        "observation_end",
        "horizon_weeks",
        "discount_rate",
        "risk_weeks",
        "seed",
    },
    "06_demand_forecasting": {
        "data_path",
        "column_map",
        "test_weeks",
        "horizon",
        "min_active_share",
        "service_level",
        "lead_time_weeks",
        "holding_cost",
        "shortage_cost",
        "seed",
        "currency",
    },
    "07_experiments": {
        "data_path",
        "column_map",
        "pre_period_end",
        "experiment_weeks",
        "alpha",
        "lift",
        "n_splits",
        "seed",
        "currency",
    },
    "08_anomalies_and_privacy": {
        "data_path",
        "column_map",
        "contamination",
        "seeds",
        "review_top_n",
        "k_anonymity",
        "epsilons",
        "pseudonymize",
        "currency",
    },
    "09_customer_service": {"data_path", "column_map", "test_size", "validation_size", "target_accuracy", "seed"},
    "10_spark_at_scale": {"spark_master", "data_path", "column_map", "lines", "seed", "driver_memory"},
}


def test_there_are_notebooks():
    stems = [p.stem for p in NOTEBOOKS]
    assert set(REQUIRED_PARAMETERS) <= set(stems)


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
    declared = set(cli.notebook_parameters(path))
    assert REQUIRED_PARAMETERS.get(path.stem, set()) <= declared


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_quotes_no_data(path):
    """Markdown explains; numbers that belong to one shop's data are generated from the results."""
    nb = nbformat.read(str(path), as_version=4)
    stale = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and STALE_MARKDOWN.search(c.source)]
    assert stale == [], f"markdown cells {stale} quote a year, an amount or a count"
