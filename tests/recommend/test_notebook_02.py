"""Notebook 02: the headline figures README.md quotes, and a run on another shop's file with only
``data_path``, ``column_map`` and ``currency`` (default tuning, default models: nothing made small)."""

import re

import nbformat
import pandas as pd
import pytest

from shopai_lab import ranking
from shopai_lab import recommend as rec
from shopai_lab.data import clean_transactions, load_transactions
from shopai_lab.lab import notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, OTHER_SHOP_CURRENCY, generated_text, run_on_other_shop


def test_stored_notebook_02_headline_figures():
    metrics = read_metrics(notebooks_dir() / "02_collaborative_filtering.ipynb")
    assert metrics["eval_users"] == 1_683
    assert metrics["eval_share"] == pytest.approx(1_683 / 3_738, abs=1e-4)  # of customers who bought before the cutoff
    assert metrics["best_model"] == "Blend"  # chosen on the validation period (its validation nDCG is the highest)
    assert metrics[f"validation_ndcg/{metrics['best_model']}"] == pytest.approx(0.1270, abs=0.001)
    # the diversity re-ranking weight chosen on validation keeps its test loss within the 2% margin
    assert metrics["diversity/relevance_weight"] < 1.0
    assert metrics["diversity/ndcg_change/low"] >= -0.02 * metrics["ndcg@10/Blend"]
    assert metrics["ndcg@10/Blend"] >= 0.115  # issue 3 target
    assert metrics["ndcg@10/EASE"] == pytest.approx(0.1073, abs=0.002)
    assert metrics["ndcg@10/Popularity"] == pytest.approx(0.0410, abs=0.001)
    assert metrics["hit_rate@10/Blend"] == pytest.approx(0.5187, abs=0.003)
    # the Blend's gain over EASE, paired over the evaluated customers: its interval excludes zero
    assert metrics["ndcg@10/Blend-EASE"] == pytest.approx(metrics["ndcg@10/Blend"] - metrics["ndcg@10/EASE"], abs=1e-4)
    assert 0 < metrics["ndcg@10/Blend-EASE/low"] < metrics["ndcg@10/Blend-EASE"] < metrics["ndcg@10/Blend-EASE/high"]
    for name in ("ItemKNN", "UserKNN", "ALS", "EASE", "Blend"):
        assert metrics[f"ndcg@10/{name}"] > 1.5 * metrics["ndcg@10/Popularity"]
        assert metrics[f"coverage/{name}"] > 5 * metrics["coverage/Popularity"]
    assert metrics["leaky/ndcg"] > 2 * metrics["ndcg@10/EASE"]
    assert metrics["cold/hit_rate"] > 1.5 * metrics["cold/random_hit_rate"]


def _recommendation_follows_the_margin_rule(metrics) -> None:
    """The pipeline is recommended only when its paired validation gain over EASE-recency is above zero."""
    prefix = "pipeline/validation_ndcg/"
    validation = pd.Series({n.removeprefix(prefix): v for n, v in metrics.items() if n.startswith(prefix)})
    best = ranking.idxmax(validation[[n for n in validation.index if n.startswith("two-stage")]])
    assert metrics["pipeline/validation_gain"] == pytest.approx(validation[best] - validation["EASE-recency"], abs=2e-4)
    simple = ranking.idxmax(validation[["EASE", "EASE-recency"]])
    assert metrics["pipeline/recommended"] == (best if metrics["pipeline/validation_gain/low"] > 0 else simple)


def test_stored_notebook_02_house_pipeline():
    metrics = read_metrics(notebooks_dir() / "02_collaborative_filtering.ipynb")
    # the half-life, the union, the pool, the windows and the recommended model are chosen on the validation period
    assert metrics["pipeline/half_life_days"] == 90.0
    assert metrics["pipeline/sources"] == 4
    assert metrics["pipeline/pool_size"] == 206  # EASE-recency's top 206 held more than the union of that size
    assert metrics["pipeline/windows"] == 3  # three earlier windows 0.1378, one 0.1348 on validation
    assert metrics["pipeline/validation_ndcg/EASE"] == pytest.approx(metrics["validation_ndcg/EASE"], abs=1e-4)
    _recommendation_follows_the_margin_rule(metrics)
    # recency weighting lifts EASE on the test period; the interval over customers excludes zero
    assert metrics["ndcg@10/EASE-recency"] == pytest.approx(0.1151, abs=0.002)
    assert metrics["ndcg@10/EASE-recency-EASE/low"] > 0
    # the pipeline's validation gain over EASE-recency (+0.0056, 95% CI -0.0009 to +0.0121) is not clear of zero, so
    # EASE-recency is recommended; issue 24's target (two-stage >= 0.130 on the test period) is NOT met either, and
    # the test figure is recorded as it is
    assert metrics["pipeline/recommended"] == "EASE-recency"
    assert metrics["ndcg@10/two-stage"] == pytest.approx(0.1231, rel=0.03)
    assert metrics["ndcg@10/two-stage-EASE/low"] > 0  # better than EASE, its interval over customers above zero


@pytest.fixture(scope="module")
def other_run(other_shop_file, tmp_path_factory):
    path, metrics = run_on_other_shop("02", other_shop_file, tmp_path_factory.mktemp("reports"))
    return path, metrics


@pytest.mark.notebook
def test_other_shop_records_what_the_library_computes(other_run, other_shop_file):
    _, metrics = other_run
    purchases = clean_transactions(load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP)).purchases
    split = rec.temporal_split(purchases, test_days=60)
    validation = rec.temporal_split(split.train_purchases, test_days=60)
    assert split.cutoff.year == 2023  # the default test period follows the data
    assert metrics["eval_users"] == len(split.eval_users)
    assert metrics["eval_share"] == pytest.approx(len(split.eval_users) / split.train.shape[0], abs=1e-4)
    popularity = rec.evaluate(rec.Popularity(), split, k=10, fit=True)
    assert metrics["ndcg@10/Popularity"] == pytest.approx(popularity["ndcg"].iloc[0], abs=1e-4)
    # EASE tuned on the validation period only, then scored once on the test period
    best, grid = rec.grid_search(rec.EASE, rec.TUNING_GRIDS["EASE"], validation, k=10)
    assert metrics["validation_ndcg/EASE"] == pytest.approx(grid["ndcg"].iloc[0], abs=1e-4)
    ease = rec.evaluate(rec.EASE(**best), split, k=10, fit=True)
    assert metrics["ndcg@10/EASE"] == pytest.approx(ease["ndcg"].iloc[0], abs=1e-4)
    assert all(f"ndcg@10/{name}" in metrics for name in rec.MODELS)  # every model of the default line-up ran
    assert metrics["ndcg@10/Blend-EASE/low"] <= metrics["ndcg@10/Blend-EASE"] <= metrics["ndcg@10/Blend-EASE/high"]
    # the choice is made on the validation period: the recorded validation scores (EASE's recomputed above) name it
    recorded = pd.Series({name: metrics[f"validation_ndcg/{name}"] for name in rec.MODELS})
    assert metrics["best_model"] == ranking.idxmax(recorded)
    # the house pipeline: its EASE is the tuned EASE, and its recommendation is the best of its validation figures
    assert metrics["pipeline/validation_ndcg/EASE"] == pytest.approx(metrics["validation_ndcg/EASE"], abs=1e-4)
    _recommendation_follows_the_margin_rule(metrics)
    assert 0 < metrics["ndcg@10/two-stage"] < 1


@pytest.mark.notebook
def test_other_shop_report_is_not_stale(other_run):
    path, metrics = other_run
    nb = nbformat.read(str(path), as_version=4)
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    generated = generated_text(path)
    assert f"worth {OTHER_SHOP_CURRENCY} " in generated and "GBP" not in generated
    assert f"{metrics['eval_users']:,} evaluated customers" in generated  # the hit rate names its population
    assert not re.search(r"\b201[01]-\d\d", generated)  # no date of the bundled data
