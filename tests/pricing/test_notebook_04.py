"""Notebook 04: the headline figures README.md quotes, and a run on another shop's file."""

import json

import pandas as pd
import pytest

from shopai_lab.data import clean_transactions, load_transactions
from shopai_lab.lab import cli, notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMNS


def test_stored_notebook_04_headline_figures():
    metrics = read_metrics(notebooks_dir() / "04_dynamic_pricing.ipynb")
    assert metrics["revenue_share/thompson"] >= 0.993  # issue 5 target
    assert metrics["lp_share/ts_update"] >= 0.998  # issue 5 target
    assert metrics["regret/thompson"] == min(v for k, v in metrics.items() if k.startswith("regret/"))
    assert metrics["regret/greedy"] > 5 * metrics["regret/thompson"]
    assert metrics["elasticity/products"] == 733
    assert metrics["elasticity/median"] == pytest.approx(-1.916, abs=0.01)
    assert metrics["elasticity/share_elastic"] == pytest.approx(0.849, abs=0.01)


def test_notebook_04_runs_on_another_shops_file_with_small_experiments(other_shop_file, tmp_path):
    column_map = {v: k for k, v in OTHER_SHOP_COLUMNS.items()}
    argv = [
        "run",
        "04",
        "--output-dir",
        str(tmp_path),
        "--no-progress",
        "-p",
        "data_path",
        str(other_shop_file),
        "-p",
        "column_map",
        json.dumps(column_map),
        "-p",
        "min_weeks",
        "10",
        "-p",
        "horizon",
        "2000",
        "-p",
        "n_seeds",
        "20",
        "-p",
        "seed",
        "3",
        "-p",
        "gross_margin",
        "0.3",
    ]
    assert cli.main(argv) == 0
    metrics = read_metrics(tmp_path / "04_dynamic_pricing.ipynb")
    from shopai_lab.pricing import price_panel, product_elasticities
    from shopai_lab.stats import shrink_estimates

    cleaned = clean_transactions(load_transactions(other_shop_file, column_map))
    estimates = product_elasticities(price_panel(cleaned.purchases, min_periods=10))
    band = pd.qcut(estimates["median_price"], 4, labels=["cheapest", "cheap", "dear", "dearest"]).astype(str)
    pooled = shrink_estimates(estimates["controlled"], estimates["controlled_se"], band)
    assert metrics["elasticity/products"] == len(estimates)
    assert metrics["elasticity/median"] == pytest.approx(pooled["shrunk"].median(), abs=1e-3)
    assert 0.9 < metrics["revenue_share/thompson"] <= 1.05
