"""Notebook 04: the headline figures README.md quotes, and a run on another shop's file with only its data
parameters (``data_path``, ``column_map``, ``currency``)."""

import pandas as pd
import pytest

from shopai_lab.data import clean_transactions, load_transactions
from shopai_lab.lab import notebooks_dir, read_metrics
from shopai_lab.pricing import (
    current_prices,
    elasticity_upper,
    list_price_panel,
    poisson_elasticities,
    price_recommendations,
    quantity_price_correlation,
)
from shopai_lab.stats import shrink_estimates
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, OTHER_SHOP_CURRENCY, generated_text, run_on_other_shop


def test_stored_notebook_04_headline_figures():
    metrics = read_metrics(notebooks_dir() / "04_dynamic_pricing.ipynb")
    # Elasticities on the list price with zero-sales weeks (issue 11).
    assert metrics["elasticity/products"] == 958
    assert metrics["elasticity/quantity_price_correlation"] == pytest.approx(-0.3696, abs=5e-4)
    assert metrics["elasticity/median"] == pytest.approx(-0.8476, abs=5e-4)
    assert metrics["elasticity/share_elastic"] == pytest.approx(0.4248, abs=5e-4)
    assert metrics["elasticity/share_rising"] == pytest.approx(0.1973, abs=5e-4)
    assert (
        metrics["recommendations/moved"] == 146
    )  # clearly elastic only: the 95% upper end below -1 (395 on the point estimate)
    assert metrics["recommendations/not_clearly_elastic"] == 249
    assert metrics["demand/recent_level"] == pytest.approx(1.546, abs=0.001)  # the last 8 weeks are a peak
    # Bandits (issue 5 targets), and the qualification of "under 1% while learning" (issue 11).
    assert metrics["revenue_share/thompson"] >= 0.993
    assert metrics["lp_share/ts_update"] >= 0.998
    assert metrics["lp_share/ts_fixed"] < metrics["lp_share/ts_update"]
    assert metrics["regret/thompson"] == min(v for k, v in metrics.items() if k.startswith("regret/"))
    assert metrics["regret/greedy"] > 5 * metrics["regret/thompson"]
    assert metrics["revenue_share/thompson_hard"] < 0.99 < metrics["revenue_share/thompson"]


@pytest.mark.notebook
def test_notebook_04_runs_on_another_shop_with_only_its_data_parameters(other_shop_file, tmp_path):
    path, metrics = run_on_other_shop("04", other_shop_file, tmp_path, html=True)
    purchases = clean_transactions(load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP)).purchases
    panel = list_price_panel(purchases, min_periods=20)
    estimates = poisson_elasticities(panel)
    band = pd.qcut(estimates["median_price"], 4, labels=["cheapest", "cheap", "dear", "dearest"]).astype(str)
    pooled = shrink_estimates(estimates["elasticity"], estimates["std_error"], band).set_axis(estimates.index)
    today = current_prices(panel, periods=8, reference_periods=52)
    active = pooled.loc[pooled.index.intersection(today.index)]
    today = today.loc[active.index]
    recs = price_recommendations(
        active["shrunk"],
        today["current_price"],
        today["weekly_units"],
        gross_margin=0.4,
        elasticity_high=elasticity_upper(active),
    )
    assert metrics["elasticity/products"] == len(estimates)
    assert metrics["elasticity/quantity_price_correlation"] == pytest.approx(
        quantity_price_correlation(purchases).median(), abs=1e-3
    )
    assert metrics["elasticity/median"] == pytest.approx(pooled["shrunk"].median(), abs=1e-3)
    assert metrics["elasticity/share_elastic"] == pytest.approx((pooled["shrunk"] < -1).mean(), abs=1e-3)
    assert metrics["recommendations/moved"] == int((recs["rule"] != "no recommendation").sum())
    # moved only when clearly elastic: the upper end of the 95% interval below -1
    assert (recs.loc[recs["rule"] != "no recommendation", "elasticity_high"] < -1).all()
    assert 0.99 < metrics["revenue_share/thompson"] <= 1.0  # the simulations do not depend on the shop
    text = generated_text(path)
    assert OTHER_SHOP_CURRENCY in text and "GBP" not in text
    assert "weekly profit change of EUR" in text and "(EUR)" in text
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    assert f"weekly profit change of {OTHER_SHOP_CURRENCY}" in html
