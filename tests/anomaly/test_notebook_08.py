"""Notebook 08: the stored headline figures, and a papermill run on another shop's file whose recorded
metrics must equal what the library computes on the same input, with no text of the bundled data."""

import re

import nbformat
import pandas as pd
import pytest

from shopai_lab.anomaly import (
    candidate_ensembles,
    choose_ensemble,
    choose_n_neighbors,
    default_detectors,
    inject_anomalies,
    injection_study,
    invoice_features,
    model_matrix,
    score_all,
)
from shopai_lab.behavior import assign_segments, rfm, rfm_scores
from shopai_lab.data import clean_transactions, load_transactions
from shopai_lab.lab import notebooks_dir, read_metrics
from shopai_lab.privacy import k_anonymity_report
from tests._other_shop import (
    OTHER_SHOP_COLUMN_MAP,
    OTHER_SHOP_CURRENCY,
    generated_text,
    run_on_other_shop,
)

NOTEBOOK = notebooks_dir() / "08_anomalies_and_privacy.ipynb"
SINGLES = ["IsolationForest", "LOF", "robust z", "price rule", "quantity rule", "repeat rule"]
#: the other-shop run: one planted set (seed 3), two LOF neighbourhoods, few resamples, one privacy budget
SMALL = {
    "n_seeds": 1,
    "seed": 3,
    "validation_seed": 7,
    "lof_candidates": [10, 20],
    "contamination": 0.03,
    "n_boot": 20,
    "epsilons": [1.0],
    "dp_draws": 2,
    "top_n": 5,
    "k_anonymity": 3,
}


def test_stored_notebook_08_headline_figures():
    m = read_metrics(NOTEBOOK)
    assert m["invoices"] == 18_402
    chosen, used = m["chosen"], m["recommended"]
    # issue 14 targets: the recommended detector beats every single detector's average precision,
    # reaches ROC AUC >= 0.90 and AP >= 0.35, and ranks no kind of anomaly below random
    assert used == chosen and m["ap_diff/low"] > 0  # recommended because the paired interval excludes zero
    assert m[f"auc/{chosen}"] >= 0.90 and m[f"ap/{chosen}"] >= 0.35
    assert all(m[f"ap/{chosen}"] > m[f"ap/{name}"] for name in SINGLES)
    assert m["min_kind_auc/chosen"] > 0.5
    # past-only features (issue 22): measured 0.579 over three planted sets; 0.01 absorbs platform differences
    assert m[f"ap/{chosen}"] == pytest.approx(0.579, abs=0.01)
    # the cost of look-ahead: whole-period medians reproduce the pre-issue-22 figures (price rule 0.292)
    assert m["ap_look_ahead/price rule"] == pytest.approx(0.292, abs=0.005)
    assert m["ap_look_ahead/forest + rules"] == pytest.approx(0.467, abs=0.01)
    assert m["queue/episode_invoices"] > 12  # at least one episode of the queue groups several invoices
    assert m["reversal/lift100"] > 3 and m["reversal/auc"] > 0.55
    assert m["kanon/share_below_k"] == pytest.approx(393 / 4334, abs=1e-4)  # exact count, as recorded
    assert m["kanon/k_after"] >= 5
    assert m["dp/sensitivity"] == 12  # Dec 2010 .. Nov 2011: twelve complete months
    # 20 noise draws of a fixed seed; the naive figure is ~sensitivity times smaller (noise 12x smaller)
    assert m["dp/mae_eps1"] == pytest.approx(0.036, abs=0.003)
    assert m["dp/mae_naive_eps1"] < m["dp/mae_eps1"] / 5


@pytest.fixture(scope="module")
def other_run(other_shop_file, tmp_path_factory):
    return run_on_other_shop("08", other_shop_file, tmp_path_factory.mktemp("nb08"), **SMALL)


@pytest.mark.notebook
def test_notebook_08_runs_on_another_shops_file(other_run, other_shop_file):
    _, m = other_run
    cleaned = clean_transactions(load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP))
    features = invoice_features(cleaned.purchases)
    assert m["invoices"] == len(features) and m["warm_up_lines"] == features.attrs["warm_up_lines"]
    validation = inject_anomalies(cleaned.purchases, rate=0.03, random_state=7)
    X_val = model_matrix(invoice_features(validation.lines))
    best, _ = choose_n_neighbors(X_val, validation.labels, [10, 20])
    assert m["lof/n_neighbors"] == best
    detectors = default_detectors(n_neighbors=best)
    ensembles = candidate_ensembles(score_all(X_val, detectors), validation.labels.reindex(X_val.index))
    second = inject_anomalies(cleaned.purchases, rate=0.03, random_state=8)
    chosen, _ = choose_ensemble(model_matrix(invoice_features(second.lines)), second.labels, detectors, ensembles)
    assert m["chosen"] == chosen
    # the planted sets are seeded seed, seed + 1, ...: one run with seed 3 plants with seed 3
    results = injection_study(cleaned.purchases, detectors, seeds=[3], rate=0.03, ensembles=ensembles, progress=False)
    overall = results[results["kind"] == "overall"].set_index("detector")
    for name in ("IsolationForest", "price rule", chosen):
        assert m[f"ap/{name}"] == pytest.approx(overall.loc[name, "average_precision"], rel=5e-3)  # 3 digits
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


@pytest.mark.notebook
def test_notebook_08_other_shop_report_is_not_stale(other_run):
    path, m = other_run
    nb = nbformat.read(str(path), as_version=4)
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    generated = generated_text(path)
    assert OTHER_SHOP_CURRENCY in generated and "GBP" not in generated
    assert "2022-12" in generated and not re.search(r"\b201[01]-\d\d", generated)  # the other shop's dates
    assert m["recommended"] in generated and "Use " in generated  # the recommendation is generated
