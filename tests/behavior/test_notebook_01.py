"""Notebook 01: the headline figures README.md quotes, and a run on another shop's file."""

import json
from pathlib import Path

import nbformat
import pytest

from shopai_lab.behavior import CustomerSegmenter, cohort_retention, customer_features, rfm
from shopai_lab.data import clean_transactions, load_transactions
from shopai_lab.lab import cli, notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMNS


def test_stored_notebook_01_headline_figures():
    """The figures README.md quotes; nbval checks the stored outputs are reproduced."""
    metrics = read_metrics(notebooks_dir() / "01_behavior_analysis.ipynb")
    assert metrics["clean_lines"] == 391_150
    assert metrics["customers"] == 4_334
    assert metrics["segments"] == 2
    assert metrics["silhouette"] == pytest.approx(0.2406, abs=0.005)
    assert metrics["month1_retention_mean"] == pytest.approx(0.2127, abs=0.001)
    assert metrics["rfm_segments"] == 11
    assert metrics["sim_k"] == 4
    assert metrics["sim_ari"] >= 0.75


@pytest.fixture(scope="module")
def small_run(other_shop_file, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("reports")
    column_map = json.dumps({v: k for k, v in OTHER_SHOP_COLUMNS.items()})
    argv = [
        "run",
        "01",
        "--output-dir",
        str(out_dir),
        "--html",
        "--no-progress",
        "-p",
        "data_path",
        str(other_shop_file),
        "-p",
        "column_map",
        column_map,
        "-p",
        "reference_date",
        "2011-12-01",
        "-p",
        "k_range",
        "[2, 5]",
        "-p",
        "sim_customers",
        "600",
        "-p",
        "sim_days",
        "60",
        "-p",
        "seed",
        "1",
    ]
    assert cli.main(argv) == 0
    return out_dir / "01_behavior_analysis.ipynb"


def test_small_run_records_what_the_library_computes(small_run, other_shop_file):
    metrics = read_metrics(small_run)
    tx = load_transactions(other_shop_file, {v: k for k, v in OTHER_SHOP_COLUMNS.items()})
    cleaned = clean_transactions(tx)
    table = rfm(cleaned.purchases, "2011-12-01", cleaned.returns)
    features = customer_features(cleaned.purchases, "2011-12-01", cleaned.returns)
    segmenter = CustomerSegmenter(k_range=(2, 5), random_state=1).fit(features)
    assert metrics["clean_lines"] == len(cleaned.purchases) == 42_278
    assert metrics["customers"] == len(table) == 411
    assert metrics["segments"] == segmenter.n_clusters_
    assert metrics["silhouette"] == pytest.approx(segmenter.silhouette_, abs=1e-4)
    month1 = cohort_retention(cleaned.purchases)[1].mean()
    assert metrics["month1_retention_mean"] == pytest.approx(month1, abs=1e-4)
    assert 0.15 < metrics["month1_retention_mean"] < 0.45
    assert metrics["sim_k"] in range(2, 6)


def test_small_run_is_a_clean_parameterised_notebook(small_run):
    nb = nbformat.read(str(small_run), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "other_shop.csv" in injected[0].source
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    html = Path(small_run).with_suffix(".html")
    assert html.is_file() and "Behaviour analysis" in html.read_text(encoding="utf-8")
