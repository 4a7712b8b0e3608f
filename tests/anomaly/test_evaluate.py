import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from shopai_lab.anomaly import (
    ColumnRule,
    PriceRatioRule,
    choose_n_neighbors,
    detection_metrics,
    inject_anomalies,
    injection_study,
    invoice_features,
    metrics_by_kind,
    model_matrix,
    precision_at_k,
    reversal_labels,
    summarize_study,
)
from shopai_lab.stats import paired_metric_bootstrap
from tests.conftest import make_lines


def test_metrics_follow_their_definitions():
    rng = np.random.default_rng(0)
    y = rng.random(500) < 0.1
    s = rng.normal(size=500) + y
    m = detection_metrics(y, s, k=25)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, s))
    assert m["average_precision"] == pytest.approx(average_precision_score(y, s))
    assert m["precision_at_k"] == y[np.argsort(-s)[:25]].mean()


def test_precision_at_k_shares_ties():
    # top 2 of scores [1, 0.5, 0.5, 0.5]: the first plus 1 of 3 tied rows holding 1 anomaly -> (1 + 1/3) / 2
    assert precision_at_k(np.array([1, 1, 0, 0]), np.array([1.0, 0.5, 0.5, 0.5]), 2) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="k=5"):
        precision_at_k(np.array([1, 0]), np.array([1.0, 0.0]), 5)


def test_metrics_by_kind_uses_normal_rows_plus_one_kind():
    labels = pd.Series(["normal"] * 6 + ["price", "burst"])
    scores = pd.DataFrame({"d": [0, 1, 2, 3, 4, 5, 10, 2.5]})
    table = metrics_by_kind(scores, labels).set_index("kind")
    assert table.loc["price", "roc_auc"] == 1.0
    assert table.loc["burst", "roc_auc"] == pytest.approx(3 / 6)
    assert table.loc["overall", "anomalies"] == 2


def test_reversal_labels_match_customer_product_quantity_and_window():
    purchases = make_lines(
        [
            ("a", "1", "x", 5, 1.0, "2024-01-01 10:00"),
            ("a", "2", "x", 5, 1.0, "2024-01-05 10:00"),
            ("a", "3", "y", 2, 1.0, "2024-01-05 10:00"),
            ("b", "4", "x", 5, 1.0, "2024-01-05 10:00"),
        ]
    )
    returns = make_lines(
        [
            ("a", "C1", "x", -5, 1.0, "2024-01-05 12:00"),  # matches the latest: invoice 2
            ("a", "C2", "y", -1, 1.0, "2024-01-05 12:00"),  # quantity differs: no match
            (None, "C3", "x", -5, 1.0, "2024-01-05 12:00"),  # unknown customer: ignored
        ]
    )
    assert reversal_labels(purchases, returns).tolist() == [False, True, False, False]
    late = returns.assign(timestamp=returns["timestamp"] + pd.Timedelta(days=3))
    assert not reversal_labels(purchases, late, max_days=1).any()
    assert reversal_labels(purchases, late, max_days=4).tolist() == [False, True, False, False]


def test_two_detectors_are_compared_by_the_shared_stratified_bootstrap_as_new_minus_baseline():
    # The deleted anomaly.paired_bootstrap(y, new, baseline, n_boot=200, random_state=0) gave
    # new - baseline = +0.60977 (0.38814 to 0.70278) here; the shared bootstrap gives the same numbers.
    rng = np.random.default_rng(5)
    y = rng.random(60) < 0.3
    baseline, new = rng.random(60), y * 0.5 + rng.random(60)
    result = paired_metric_bootstrap(average_precision_score, y, baseline, new, n_boot=200, stratify=True)
    assert (result.estimate, result.low, result.high) == pytest.approx((0.6097703, 0.3881365, 0.7027825), abs=1e-7)
    assert result.estimate == pytest.approx(
        detection_metrics(y, new)["average_precision"] - detection_metrics(y, baseline)["average_precision"]
    )


def test_injection_study_and_summary(small_shop):
    detectors = {"price rule": PriceRatioRule(), "quantity rule": ColumnRule(column="quantity_contrast")}
    results = injection_study(
        small_shop,
        detectors,
        seeds=[0, 1],
        rate=0.1,
        progress=False,
        ensembles={"both": (["price rule", "quantity rule"], "max")},
    )
    assert set(results["seed"]) == {0, 1}
    assert set(results["kind"]) == {"overall", "quantity", "price", "burst"}
    price = results[(results["kind"] == "price") & (results["detector"] == "price rule")]
    assert (price["roc_auc"] == 1.0).all()  # one price per product: the planted prices are found exactly
    table = summarize_study(results, "roc_auc")
    assert table.index[0] == "both"
    assert table.loc["price rule", ("price", "min")] == 1.0
    with pytest.raises(ValueError, match="unknown detector"):
        injection_study(small_shop, detectors, seeds=[0], rate=0.1, progress=False, ensembles={"x": (["nope"], "max")})


def test_choose_n_neighbors_picks_the_best_candidate(small_shop):
    injected = inject_anomalies(small_shop, rate=0.1, random_state=0)
    X = model_matrix(invoice_features(injected.lines))
    best, table = choose_n_neighbors(X, injected.labels, [5, 10, 20])
    overall = table[table["kind"] == "overall"].set_index("n_neighbors")["average_precision"]
    assert best == overall.idxmax() and best in (5, 10, 20)


@pytest.mark.parametrize(
    "y, s, match",
    [
        ([0, 0], [0.1, 0.2], "both"),
        ([0, 1], [0.1, np.nan], "infinite"),
        ([0, 1, 1], [0.1, 0.2], "same length"),
    ],
)
def test_bad_metric_input(y, s, match):
    with pytest.raises(ValueError, match=match):
        detection_metrics(y, s)


def test_bad_study_input(small_shop):
    with pytest.raises(ValueError, match="rate"):
        injection_study(small_shop, {}, rate=0.7, progress=False)
    with pytest.raises(ValueError, match="seeds"):
        injection_study(small_shop, {}, seeds=[], progress=False)
