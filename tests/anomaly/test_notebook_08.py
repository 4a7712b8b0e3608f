"""Notebook 08: the stored headline figures, and a papermill run on another shop's file whose recorded
metrics must equal what the library computes on the same input."""

import pandas as pd
import pytest

from shopai_lab.anomaly import (
    choose_n_neighbors,
    default_detectors,
    inject_anomalies,
    injection_study,
    invoice_features,
    model_matrix,
)
from shopai_lab.behavior import assign_segments, rfm, rfm_scores
from shopai_lab.data import clean_transactions, load_transactions
from shopai_lab.lab import notebooks_dir, read_metrics
from shopai_lab.privacy import k_anonymity_report
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, run_on_other_shop

NOTEBOOK = notebooks_dir() / "08_anomalies_and_privacy.ipynb"
SINGLES = ["IsolationForest", "LOF", "robust z", "price rule", "quantity rule", "repeat rule"]


def test_stored_notebook_08_headline_figures():
    m = read_metrics(NOTEBOOK)
    assert m["invoices"] == 18_402
    chosen = m["chosen"]
    # issue 14 targets: the recommended detector beats every single detector's average precision,
    # reaches ROC AUC >= 0.90 and AP >= 0.35, and ranks no kind of anomaly below random
    assert m[f"auc/{chosen}"] >= 0.90 and m[f"ap/{chosen}"] >= 0.35
    assert all(m[f"ap/{chosen}"] > m[f"ap/{name}"] for name in SINGLES)
    assert m["min_kind_auc/chosen"] > 0.5
    assert m["ap_diff/low"] > 0  # the paired bootstrap interval excludes zero
    # deterministic given the seeds; 0.01 absorbs last-digit differences of the forest across platforms
    assert m[f"ap/{chosen}"] == pytest.approx(0.464, abs=0.01)
    assert m["reversal/lift100"] > 3 and m["reversal/auc"] > 0.55
    assert m["kanon/share_below_k"] == pytest.approx(393 / 4334, abs=1e-4)  # exact count, as recorded
    assert m["kanon/k_after"] >= 5
    assert m["dp/sensitivity"] == 12  # Dec 2010 .. Nov 2011: twelve complete months
    # 20 noise draws of a fixed seed; the naive figure is ~sensitivity times smaller (noise 12x smaller)
    assert m["dp/mae_eps1"] == pytest.approx(0.036, abs=0.003)
    assert m["dp/mae_naive_eps1"] < m["dp/mae_eps1"] / 5


@pytest.mark.notebook
def test_notebook_08_runs_on_another_shops_file(other_shop_file, tmp_path):
    # small: one planted set (seed 3), two LOF neighbourhoods, 20 bootstrap resamples, one privacy budget
    _, m = run_on_other_shop(
        "08",
        other_shop_file,
        tmp_path,
        n_seeds=1,
        seed=3,
        validation_seed=7,
        lof_candidates=[10, 20],
        contamination=0.03,
        n_boot=20,
        epsilons=[1.0],
        dp_draws=2,
        top_n=5,
        k_anonymity=3,
    )

    cleaned = clean_transactions(load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP))
    assert m["invoices"] == len(invoice_features(cleaned.purchases))
    validation = inject_anomalies(cleaned.purchases, rate=0.03, random_state=7)
    best, _ = choose_n_neighbors(model_matrix(invoice_features(validation.lines)), validation.labels, [10, 20])
    assert m["lof/n_neighbors"] == best
    # the planted sets are seeded seed, seed + 1, ...: one run with seed 3 plants with seed 3
    results = injection_study(
        cleaned.purchases, default_detectors(n_neighbors=best), seeds=[3], rate=0.03, progress=False
    )
    overall = results[results["kind"] == "overall"].set_index("detector")
    for name in ("IsolationForest", "price rule"):
        assert m[f"ap/{name}"] == pytest.approx(overall.loc[name, "average_precision"], rel=1e-3)  # 3 digits
    segments = assign_segments(rfm_scores(rfm(cleaned.purchases)))
    country = cleaned.purchases.groupby("customer_id")["country"].first().reindex(segments.index)
    table = pd.DataFrame(
        {
            "country": country,
            "segment": segments["segment"].astype(str),
            "first_month": segments["first_purchase"].dt.strftime("%Y-%m"),
        }
    )
    report = k_anonymity_report(table, ["country", "segment", "first_month"], 3)
    assert m["kanon/share_below_k"] == pytest.approx(report["share_below_k"], rel=1e-4)
    assert m["kanon/k_after"] >= 3
