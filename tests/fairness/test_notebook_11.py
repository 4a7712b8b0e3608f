"""Notebook 11: the headline figures README.md quotes, and a run on another shop with only ``data_path``,
``column_map`` and ``currency`` (plus small sizes), whose recorded figures match what the library computes."""

import numpy as np
import pytest

from shopai_lab import data, fairness, pricing
from shopai_lab.lab import notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, OTHER_SHOP_CURRENCY, generated_text, run_on_other_shop

NOTEBOOK = "11_fairness_and_transparency.ipynb"


def test_stored_notebook_11_headline_figures():
    metrics = read_metrics(notebooks_dir() / NOTEBOOK)
    # customers: new customers are served better than established ones on the bundled year (a real gap)
    assert metrics["ndcg/tenure/new/customers"] + metrics["ndcg/tenure/established/customers"] == 1683
    assert metrics["ndcg/tenure/new"] > metrics["ndcg/tenure/established"]
    # products: the long tail (80% of products) gets a few percent of the exposure; exposure is concentrated
    assert metrics["tail_exposure_share/plain"] < 0.05 and metrics["exposure_gini/plain"] > 0.9
    assert metrics["tail_quota"] in (0.0, 0.1, 0.2, 0.3, 0.5)
    # prices: the exact capped optimum agrees with scipy's SLSQP, and a cap keeps most of the revenue
    assert metrics["slsqp_agrees"] is True
    assert 0.85 < metrics["revenue_share/cap_1.2"] < 1.0
    # targeting: equal-opportunity thresholds chosen on training sessions narrow the gap on test sessions
    assert metrics["targeting/equalized_odds_after"] < metrics["targeting/equalized_odds_before"]


def test_the_simulated_segments_reproduce_the_stored_frontier():
    """The notebook's price frontier is the library's, on the same demand (a closed-form optimum per group)."""
    segments = [
        pricing.LogitDemand(alpha=3.0, beta=0.25, market_size=600),
        pricing.LogitDemand(alpha=3.0, beta=0.12, market_size=400),
    ]
    free = fairness.group_optimal_prices([m.demand for m in segments], (1.0, 80.0))
    assert free == pytest.approx([m.optimal_price(0.0) for m in segments], rel=1e-6)
    table = fairness.price_frontier([m.demand for m in segments], (1.0, 80.0), [1.2])
    stored = read_metrics(notebooks_dir() / NOTEBOOK)["revenue_share/cap_1.2"]
    assert table["revenue_share"].iloc[0] == pytest.approx(stored, abs=1e-4)


@pytest.fixture(scope="module")
def other_run(other_shop_file, tmp_path_factory):
    cards = tmp_path_factory.mktemp("cards")
    path, metrics = run_on_other_shop(
        "11",
        other_shop_file,
        tmp_path_factory.mktemp("reports"),
        card_path=str(cards),
        trend_weights=[0.0, 0.4],
        tail_quotas=[0.2],
        cv_folds=3,
        n_boot=200,
    )
    return path, metrics, cards


@pytest.mark.notebook
def test_other_shop_records_what_the_library_computes(other_run, other_shop_file):
    path, metrics, cards = other_run
    purchases = data.clean_transactions(data.load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP)).purchases
    from shopai_lab import recommend

    split = recommend.temporal_split(purchases, test_days=60)
    groups = fairness.customer_groups(split.train_purchases, split.cutoff).reindex(split.train.users[split.eval_users])
    for group, customers in groups["tenure"].value_counts().items():
        assert metrics[f"ndcg/tenure/{group}/customers"] == customers
    assert metrics["shared_trend_weight"] in (0.0, 0.4) and metrics["tail_quota"] in (0.0, 0.2)
    assert metrics["slsqp_agrees"] is True
    text = generated_text(path)
    assert OTHER_SHOP_CURRENCY in text and "GBP" not in text
    assert sorted(p.name for p in cards.iterdir()) == ["pricing.md", "recommender.md", "targeting.md"]
    assert "# Model card: house Blend recommender" in (cards / "recommender.md").read_text(encoding="utf-8")
    assert np.isfinite(metrics["targeting/profit_change"])
