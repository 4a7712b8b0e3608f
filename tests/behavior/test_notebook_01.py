"""Notebook 01: the headline figures README.md quotes, and a run on another shop's file with only
``data_path``, ``column_map`` and ``currency`` (its dates, size and currency all differ)."""

import re
from pathlib import Path

import nbformat
import pytest

from shopai_lab import behavior, data
from shopai_lab.lab import notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, OTHER_SHOP_CURRENCY, generated_text, run_on_other_shop


def test_stored_notebook_01_headline_figures():
    """The figures README.md quotes; nbval checks the stored outputs are reproduced."""
    metrics = read_metrics(notebooks_dir() / "01_behavior_analysis.ipynb")
    assert metrics["clean_lines"] == 391_150
    assert metrics["customers"] == 4_334
    assert metrics["segments"] == 2
    assert metrics["silhouette"] == pytest.approx(0.2406, abs=0.005)
    assert behavior.silhouette_band(metrics["silhouette"])[0] == "no substantial"  # Kaufman & Rousseeuw: <= 0.25
    # cohort-size-weighted over the ten cohorts after the left-censored Dec-2010 one (counts: exact)
    assert metrics["month1_retention_weighted"] == pytest.approx(0.1973, abs=1e-4)
    assert metrics["month1_retention_mean_all_cohorts"] == pytest.approx(0.2127, abs=1e-4)
    assert metrics["rfm_segments"] == 11
    assert metrics["extreme_lines"] == 209
    assert metrics["extreme_segment_changes"] == 20
    assert metrics["sim_k"] == 4
    assert metrics["sim_ari"] >= 0.75


@pytest.fixture(scope="module")
def other_run(other_shop_file, tmp_path_factory):
    path, metrics = run_on_other_shop("01", other_shop_file, tmp_path_factory.mktemp("reports"), html=True)
    return path, metrics


@pytest.mark.notebook
def test_other_shop_records_what_the_library_computes(other_run, other_shop_file):
    _, metrics = other_run
    cleaned = data.clean_transactions(data.load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP))
    purchases, returns = cleaned.purchases, cleaned.returns
    today = behavior.resolve_reference_date(purchases)  # the default: midnight after the last purchase (Dec 2023)
    assert today.year == 2023
    table = behavior.rfm(purchases, today, returns)
    segmenter = behavior.CustomerSegmenter(k_range=(2, 8), random_state=0).fit(
        behavior.customer_features(purchases, today, returns)
    )
    month1 = behavior.retention_summary(purchases)
    assert str(month1["first_cohort"]) == "2022-12"  # found from the data, not a date
    flagged = data.load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP).pipe(data.flag_extreme_lines)
    assert metrics["clean_lines"] == len(purchases) == 42_278
    assert metrics["customers"] == len(table) == 418
    assert metrics["segments"] == segmenter.n_clusters_
    assert metrics["silhouette"] == pytest.approx(segmenter.silhouette_, abs=1e-4)
    assert metrics["month1_retention_weighted"] == pytest.approx(month1["weighted_later_cohorts"], abs=1e-4)
    assert metrics["month1_retention_mean_all_cohorts"] == pytest.approx(month1["mean_all_cohorts"], abs=1e-4)
    assert metrics["extreme_lines"] == int(flagged["extreme"].sum())
    assert metrics["sim_k"] in range(2, 9)


@pytest.mark.notebook
def test_other_shop_report_is_not_stale(other_run):
    path, _ = other_run
    nb = nbformat.read(str(path), as_version=4)
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    generated = generated_text(path)
    assert OTHER_SHOP_CURRENCY in generated and "GBP" not in generated
    assert "2022-12" in generated  # the first cohort, named from the data
    assert not re.search(r"\b201[01]-\d\d", generated)  # no date of the bundled data
    html = Path(path).with_suffix(".html")
    assert html.is_file() and "Behaviour analysis" in html.read_text(encoding="utf-8")
