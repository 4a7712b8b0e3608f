"""Fairness measures against known answers: hand-computed exposure and Gini, the constrained re-ranking against
brute force, the capped group prices against a closed form and SciPy's constrained optimiser, group metrics
against the shared group bootstrap."""

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from shopai_lab import fairness
from shopai_lab.ranking import top_k_rows
from shopai_lab.stats import group_bootstrap


def test_exposure_sums_position_weights_and_ignores_empty_slots():
    weights = fairness.position_weights(3)
    assert weights == pytest.approx([1.0, 1 / np.log2(3), 0.5])
    exposure = fairness.item_exposure([[2, 0, 1], [2, 1, -1]], n_items=4)
    assert exposure == pytest.approx([weights[1], weights[2] + weights[1], 2 * weights[0], 0.0])


def test_gini_equals_the_mean_absolute_difference_formula():
    rng = np.random.default_rng(0)
    x = rng.exponential(size=200)
    mean_abs_difference = np.abs(x[:, None] - x[None, :]).mean()
    assert fairness.gini(x) == pytest.approx(mean_abs_difference / (2 * x.mean()))
    assert fairness.gini(np.zeros(5)) == 0.0


def test_exposure_table_and_disparity_by_hand():
    table = fairness.exposure_table([6.0, 2.0, 2.0, 0.0], [3, 1, 2, 2], ["head", "head", "tail", "tail"])
    assert table.loc["head", "exposure_share"] == pytest.approx(0.8)
    assert table.loc["tail", "merit_share"] == pytest.approx(0.5)
    assert table.loc["tail", "ratio"] == pytest.approx(0.4)
    assert fairness.exposure_disparity(table, "tail", "head") == pytest.approx(0.4 / 1.6)


def _best_constrained_total(scores, protected, k, m):
    best = -np.inf
    for subset in itertools.combinations(range(len(scores)), k):
        if protected[list(subset)].sum() >= m:
            best = max(best, scores[list(subset)].sum())
    return best


@pytest.mark.parametrize("seed", range(20))
def test_constrained_lists_are_the_best_feasible_sets_and_the_constraint_holds(seed):
    rng = np.random.default_rng(seed)
    scores = rng.random((3, 9))
    protected = rng.random(9) < 0.4
    protected[:2] = [True, False]
    k, share = 4, 0.5
    lists = fairness.exposure_constrained_top_k(scores, protected, k=k, min_share=share)
    m = min(int(np.ceil(share * k)), int(protected.sum()))
    for row, chosen in zip(scores, lists):
        assert len(set(chosen)) == k and protected[chosen].sum() >= m
        assert row[chosen].sum() == pytest.approx(_best_constrained_total(row, protected, k, m))
        assert (np.diff(row[chosen]) <= 0).all()  # ordered by score


def test_no_constraint_is_the_plain_top_k_and_excluded_products_stay_out():
    rng = np.random.default_rng(1)
    scores = rng.random((5, 30))
    scores[:, :3] = -np.inf
    plain = fairness.exposure_constrained_top_k(scores, np.zeros(30, bool), k=10, min_share=0.0)
    assert (plain == top_k_rows(scores, 10)[0]).all() and (plain >= 3).all()
    protected = np.zeros(30, bool)
    protected[:4] = True  # only one showable protected product per customer
    lists = fairness.exposure_constrained_top_k(scores, protected, k=10, min_share=0.3)
    assert (protected[lists].sum(axis=1) == 1).all()


def test_short_lists_are_padded_with_minus_one():
    scores = np.array([[0.5, -np.inf, 0.2, -np.inf]])
    lists = fairness.exposure_constrained_top_k(scores, np.array([False, True, True, False]), k=3, min_share=0.4)
    assert lists.tolist() == [[0, 2, -1]]


def _linear(a):
    return lambda p: np.maximum(a - p, 0.0)


def test_capped_prices_match_the_closed_form_of_two_linear_demands():
    # p2 = r p1 binds: revenue p1 (a1 - p1) + r p1 (a2 - r p1) is largest at p1 = (a1 + r a2) / (2 (1 + r^2))
    a1, a2, r = 10.0, 20.0, 1.5
    result = fairness.capped_group_prices([_linear(a1), _linear(a2)], bounds=(0.5, 30), max_ratio=r)
    p1 = (a1 + r * a2) / (2 * (1 + r**2))
    assert result["prices"] == pytest.approx([p1, r * p1], rel=1e-7)
    assert result["binding"] and result["ratio"] == pytest.approx(r)
    loose = fairness.capped_group_prices([_linear(a1), _linear(a2)], bounds=(0.5, 30), max_ratio=3.0)
    assert not loose["binding"] and loose["prices"] == pytest.approx([5.0, 10.0], rel=1e-7)


@pytest.mark.parametrize("cap", [1.0, 1.2, 1.5])
def test_capped_prices_match_scipys_constrained_optimiser_on_logit_demand(cap):
    groups = [(3.0, 0.10, 500.0), (4.0, 0.08, 300.0), (2.5, 0.15, 800.0)]  # (a, b, market size) per group
    demand = [lambda p, a=a, b=b, n=n: n / (1 + np.exp(-(a - b * p))) for a, b, n in groups]
    bounds = (1.0, 120.0)
    result = fairness.capped_group_prices(demand, bounds, max_ratio=cap)

    def revenue(p):
        return -sum(p[i] * demand[i](np.array([p[i]]))[0] for i in range(3))

    constraints = [
        {"type": "ineq", "fun": lambda p, i=i, j=j: cap * p[j] - p[i]} for i in range(3) for j in range(3) if i != j
    ]
    best = min(
        (
            minimize(revenue, x0, method="SLSQP", bounds=[bounds] * 3, constraints=constraints)
            for x0 in ([20.0] * 3, [30.0, 45.0, 15.0], [40.0] * 3)
        ),
        key=lambda r: r.fun,
    )
    assert result["revenue"] >= -best.fun - 1e-6 * abs(best.fun)
    assert result["revenue"] == pytest.approx(-best.fun, rel=1e-6)
    assert result["ratio"] <= cap + 1e-9


def test_frontier_revenue_rises_with_the_cap():
    demand = [_linear(10.0), _linear(20.0), _linear(14.0)]
    table = fairness.price_frontier(demand, (0.5, 30), [1.0, 1.25, 1.5, 2.0, 3.0])
    assert (np.diff(table["revenue"]) >= -1e-9).all() and table["revenue_share"].iloc[-1] == pytest.approx(1.0)
    assert (table["ratio"] <= table["max_ratio"] + 1e-9).all()


def test_group_metric_table_reads_the_shared_group_bootstrap():
    rng = np.random.default_rng(2)
    values = rng.random(300)
    groups = np.where(rng.random(300) < 0.3, "new", "established")
    table = fairness.group_metric_table(values, groups, n_boot=300, random_state=4)
    shared = group_bootstrap(values, groups, n_boot=300, random_state=4)
    assert table.attrs["reference"] == "established"
    assert table.loc["new", "gap"] == pytest.approx(shared["new - established"].estimate)
    assert table.loc["new", "gap_low"] == pytest.approx(shared["new - established"].low)
    assert table.loc["established", "gap"] == 0.0 and table["units"].sum() == 300


def test_model_card_lists_metrics_groups_and_limits():
    table = fairness.group_metric_table(np.r_[np.zeros(5), np.ones(5)], ["a"] * 5 + ["b"] * 5, n_boot=50)
    card = fairness.model_card("Blend", "next products", "lines to 2011-10", {"nDCG@10": "0.116"}, table, ["no prices"])
    assert card.startswith("# Model card: Blend") and "| a |" in card and "- no prices" in card


def _targeting_case(seed=0, n=4_000):
    rng = np.random.default_rng(seed)
    groups = np.where(rng.random(n) < 0.3, "new", "returning")
    probability = np.clip(rng.beta(2, 5, n) + np.where(groups == "returning", 0.1, 0.0), 0, 1)
    bought = rng.random(n) < probability
    return bought, probability >= 0.4, probability, groups


def test_targeting_rates_equal_fairlearns_metric_frame():
    from fairlearn.metrics import (
        MetricFrame,
        equalized_odds_difference,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import precision_score

    bought, selected, probability, groups = _targeting_case()
    table = fairness.targeting_table(bought, selected, probability, groups, n_boot=200)
    frame = MetricFrame(
        metrics={
            "selection_rate": selection_rate,
            "precision": precision_score,
            "true_positive_rate": true_positive_rate,
            "false_positive_rate": false_positive_rate,
        },
        y_true=bought,
        y_pred=selected,
        sensitive_features=groups,
    )
    for rate in frame.by_group.columns:
        for group in ("new", "returning"):
            assert table.loc[(group, rate), "estimate"] == pytest.approx(frame.by_group.loc[group, rate])
    expected = equalized_odds_difference(bought, selected, sensitive_features=groups)
    assert table.attrs["largest_gap"]["equalized_odds"] == pytest.approx(expected)
    gap = probability[groups == "new"].mean() - bought[groups == "new"].mean()
    assert table.loc[("new", "calibration_gap"), "estimate"] == pytest.approx(gap)
    assert (table["low"] <= table["estimate"]).all() and (table["estimate"] <= table["high"]).all()


def test_equal_opportunity_thresholds_reach_the_target_rate_in_every_group():
    bought, _, probability, groups = _targeting_case(seed=3)
    thresholds = fairness.equal_opportunity_thresholds(bought, probability, groups, target_rate=0.6)
    for group, threshold in thresholds.items():
        buyers = probability[(groups == group) & bought]
        assert (buyers >= threshold).mean() >= 0.6
        assert (buyers > threshold).mean() < 0.6  # the highest threshold that reaches it


def _lines(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "timestamp", "quantity", "unit_price", "country"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame


def test_customer_groups_use_only_the_history_before_the_cutoff():
    lines = _lines(
        [
            ("a", "2011-01-05", 1, 2.0, "UK"),
            ("b", "2011-05-20", 3, 1.0, "France"),
            ("c", "2011-02-01", 100, 1.0, "UK"),
            ("d", "2011-03-01", 10, 1.0, "UK"),
        ]
    )
    groups = fairness.customer_groups(lines, "2011-06-01", new_days=30, spend_tiers=2)
    assert groups["tenure"].to_dict() == {"a": "established", "b": "new", "c": "established", "d": "established"}
    assert groups.loc["b", "country_group"] == "other" and groups.loc["a", "country_group"] == "UK"
    assert groups["spend_tier"].to_dict() == {"a": "tier 1", "b": "tier 1", "c": "tier 2", "d": "tier 2"}
    later = pd.concat([lines, _lines([("a", "2011-07-01", 1_000, 9.0, "UK"), ("e", "2011-07-02", 1, 1.0, "UK")])])
    assert fairness.customer_groups(later, "2011-06-01", new_days=30, spend_tiers=2).equals(groups)


def test_long_tail_keeps_exactly_the_head_share_out():
    counts = np.array([5, 5, 5, 1, 0, 9, 2, 2, 7, 3])
    tail = fairness.long_tail(counts, head_share=0.3)
    assert (~tail).sum() == 3 and set(np.flatnonzero(~tail)) == {5, 8, 0}  # 9, 7, then the first of the 5s


def test_price_gap_compares_within_product_and_quantity_tier():
    # group "trade" buys in bulk at lower tier prices; within a tier both pay the same, so the gap is zero
    rows = []
    for item, base in (("A", 2.0), ("B", 5.0), ("C", 1.0)):
        rows += [(item, 1, base, "retail")] * 3 + [(item, 1, base, "trade")] * 2
        rows += [(item, 24, base * 0.8, "trade")] * 4 + [(item, 24, base * 0.8, "retail")] * 2
    lines = pd.DataFrame(rows, columns=["item_id", "quantity", "unit_price", "group"])
    raw = lines.groupby("group")["unit_price"].mean()
    assert raw["trade"] < raw["retail"]  # the naive comparison says trade pays less
    gap, cells = fairness.price_gap_by_group(lines, "group", "trade", "retail", n_boot=200)
    assert gap.estimate == pytest.approx(0.0, abs=1e-12) and len(cells) == 6
    dearer = lines.assign(
        unit_price=np.where(lines["group"] == "trade", lines["unit_price"] * 1.05, lines["unit_price"])
    )
    gap, _ = fairness.price_gap_by_group(dearer, "group", "trade", "retail", n_boot=200)
    assert np.exp(gap.estimate) - 1 == pytest.approx(0.05)
