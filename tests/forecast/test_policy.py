"""Choosing stock levels on validation windows, bulk orders, the order list: known answers on small panels."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast
from shopai_lab.forecast import decision, policy, reading
from shopai_lab.stats import Interval

WEEKS = pd.date_range("2024-01-01", periods=12, freq="W-MON")


def test_bulk_caps_and_capping_keep_the_input():
    demand = pd.DataFrame({"x": [0.0, 2.0, 4.0, 3.0, 400.0], "y": 0.0}, index=WEEKS[:5])
    caps = policy.bulk_caps(demand, factor=5)
    assert caps["x"] == 17.5 and np.isinf(caps["y"])  # 5 x the median of the non-zero weeks (2, 3, 4, 400)
    capped = policy.cap_demand(demand, caps)
    assert capped["x"].tolist() == [0.0, 2.0, 4.0, 3.0, 17.5]
    assert demand["x"].iloc[-1] == 400.0


def test_validation_windows_split_the_weeks_in_order():
    windows = policy.validation_windows(WEEKS, WEEKS[3], WEEKS[9], 3)
    assert windows == [(WEEKS[3], WEEKS[5]), (WEEKS[5], WEEKS[7]), (WEEKS[7], WEEKS[9])]


def test_flag_windows_finds_a_closure_and_a_peak():
    units = pd.DataFrame({"x": [10.0, 11, 9, 10, 10, 11, 9, 10, 200, 210, 10, 10]}, index=WEEKS)
    windows = policy.validation_windows(WEEKS, WEEKS[0], WEEKS[-1] + pd.Timedelta(days=7), 6)
    flags = policy.flag_windows(units, windows, closed_weeks=[WEEKS[1] + pd.Timedelta(days=3)])
    reasons = flags["reason"].tolist()
    # the closure is in window 0 and in the week before window 1; the peak is window 4
    assert reasons[0].startswith("closure") and reasons[1].startswith("closure") and reasons[4].startswith("peak")
    assert [r for i, r in enumerate(reasons) if i not in (0, 1, 4)] == ["", "", ""]


def test_levels_chosen_on_windows():
    curves = pd.DataFrame(
        {
            "window": np.repeat([0, 1, 2], 3),
            "target": [0.8, 0.9, 0.95] * 3,
            "fill_rate": [0.9, 0.95, 0.97, 0.85, 0.9, 0.96, 0.5, 0.6, 0.7],
            "cost": [10.0, 8.0, 9.0, 10.0, 9.0, 9.5, 50.0, 40.0, 30.0],
        }
    )
    # per window the lowest level reaching 95%: 0.9, 0.95, none (0.95); the median window: 0.95
    assert policy.level_for_fill(curves, 0.95) == 0.95
    # leaving out window 2 (a peak): 0.9 and 0.95, the lower median 0.9
    assert policy.level_for_fill(curves, 0.95, flagged=[2]) == 0.9
    assert policy.level_for_cost(curves) == 0.95  # 70 vs 57 vs 48.5
    assert policy.level_for_cost(curves, flagged=[2]) == 0.9  # 20, 17, 18.5


def test_product_costs_closed_form_and_window_curves():
    demand = pd.DataFrame({"x": [10.0, 10.0, 10.0, 10.0]}, index=WEEKS[:4])
    result = forecast.simulate_order_up_to(demand, demand * 0 + 20.0, lead_time=0)
    # order up to 20 every week, serve 10: stock 20 after receipt, 10 at the end -> average 15 for 4 weeks
    assert policy.product_costs(result, holding_cost=0.5, shortage_cost=2.0).tolist() == [30.0]
    curves = policy.window_curves(
        [(WEEKS[0], WEEKS[2]), (WEEKS[2], WEEKS[4])],
        demand,
        lambda p, a, b: demand.loc[(demand.index >= a) & (demand.index < b)] * 0 + (5.0 if p < 0.5 else 20.0),
        [0.25, 0.99],
        holding_cost=0.5,
        shortage_cost=2.0,
        lead_time=0,
    )
    low = curves[curves["target"] == 0.25]
    # level 5 against demand 10: average stock 2.5 x 2 weeks x 0.5 + 10 units lost x 2.0
    assert low["fill_rate"].tolist() == [0.5, 0.5] and low["cost"].tolist() == [22.5, 22.5]


def test_compare_policies_reads_b_minus_a():
    a = pd.Series(np.linspace(1.0, 2.0, 30))
    result = policy.compare_policies(a, a * 1.2, n_boot=100)
    assert result.estimate == pytest.approx(0.2) and result.relative
    with pytest.raises(ValueError, match="same products"):
        policy.compare_policies(a, a.iloc[::-1])


def test_order_list_rounds_to_packs_and_flags_bulk_orders():
    idx = pd.Index(["x", "y", "z"])
    out = policy.order_list(
        pd.Series([30.0, 5.0, 10.0], idx),
        pd.Series([8.0, 6.0, 9.5], idx),
        pd.Series([2.0, 0.0, 0.0], idx),
        pd.DataFrame({"fill_rate": 0.9, "weekly_cost": 1.0}, idx),
        pd.DataFrame({"bulk_weeks": [0, 2, 0], "largest": [12.0, 90.0, 3.0], "cap": 20.0}, idx),
        min_order=pd.Series([0.0, 0.0, 4.0], idx),
        pack_size=6,
    )
    # x: 20 needed -> 24 (4 packs); y: nothing needed; z: 0.5 needed -> minimum 4 -> one pack of 6
    assert out["order"].tolist() == [24.0, 0.0, 6.0]
    assert out["flag"].str.startswith("bulk order").tolist() == [False, True, False]


def test_benchmark_is_named_from_the_table_per_metric():
    idx = pd.MultiIndex.from_product([["MA8", "median8", "mean of best 2"], [1, 2]], names=["model", "h"])
    summary = pd.DataFrame(
        {"rmsse": [0.9, 0.9, 0.95, 0.95, 0.8, 0.8], "mase": [1.0, 1.0, 0.9, 0.9, 0.95, 0.95], "bias": -0.1}, index=idx
    )
    assert decision.benchmarks(summary) == {"rmsse": "MA8", "mase": "median8", "bias": "MA8"}
    assert policy.rank_forecasters(summary).index.tolist() == ["mean of best 2", "MA8", "median8"]


def _comparison(estimate, high):
    r = Interval(estimate, estimate - 0.01, high, level=0.95, n=50, se=0.005, relative=True)
    idx = pd.MultiIndex.from_tuples([("rmsse", 1), ("rmsse", 4), ("mase", 1), ("mase", 4)], names=["metric", "h"])
    return pd.DataFrame(
        {"benchmark": "MA8", "relative": [r] * 4, "verdict": "better", "model_bias": -0.1, "benchmark_bias": -0.1},
        index=idx,
    )


def _every(estimates):
    rows = {(b, 1): {"relative": Interval(e, e - 0.01, e + 0.005, level=0.95, n=50, se=0.005, relative=True),
                     "verdict": "better"} for b, e in estimates.items()}  # fmt: skip
    return pd.DataFrame(rows).T.rename_axis(["benchmark", "h"])


def test_against_every_simple_pairs_products_and_finds_the_weakest_gap():
    # per product RMSSE: the model errs 10% less than TSB and 2% less than MA8 on every product
    idx = pd.MultiIndex.from_product([["TSB", "MA8", "m"], [1], range(40)], names=["model", "h", "item_id"])
    base = np.linspace(0.5, 1.5, 40)
    errors = pd.DataFrame({"rmsse": np.r_[base / 0.9, base / 0.98, base]}, index=idx).sort_index()
    table = decision.against_every_simple(errors, "m", [1], n_boot=200)
    assert table.index.tolist() == [("MA8", 1), ("TSB", 1)]  # in the order of SIMPLE
    assert table.loc[("TSB", 1), "relative"].estimate == pytest.approx(-0.1)
    assert decision.weakest_gap(table).index.tolist() == [("MA8", 1)]
    assert decision.weakest_gap(table)["relative"].iloc[0].estimate == pytest.approx(-0.02)


def test_quantile_scales_and_the_scale_chosen_on_validation():
    history = pd.DataFrame({"steady": [10.0, 10.0, 12.0, 8.0], "erratic": [0.0, 40.0, 0.0, 0.0]})
    mean, std = history.mean(), history.std()
    pd.testing.assert_series_equal(decision.quantile_scale(history, "geometric"), np.sqrt(mean * std))
    assert decision.quantile_scale(history, "std")["erratic"] > decision.quantile_scale(history, "mean")["erratic"]


def test_the_forecast_text_branches_on_the_target():
    met = reading.describe_forecast_result(_comparison(-0.05, -0.03), "mean of best 3")
    missed = reading.describe_forecast_result(_comparison(-0.02, -0.01), "mean of best 3")
    assert "**Target met**" in met and "Target missed" not in met
    assert "**Target missed**" in missed
    # the benchmark chosen on validation is beaten by 5%, but another simple method only by 1%: missed
    every = _every({"TSB": -0.05, "MA8": -0.01})
    said = reading.describe_forecast_result(_comparison(-0.05, -0.03), "mean of best 3", every=every)
    assert "**Target missed**" in said and "weakest gap is 1 week ahead against MA8: -1.0%" in said
    assert not reading.forecast_target_met(_comparison(-0.05, -0.03), every=every)
    assert reading.forecast_target_met(_comparison(-0.05, -0.03), every=_every({"TSB": -0.05, "MA8": -0.04}))
    worse = Interval(0.05, 0.02, 0.08, level=0.95, n=50, se=0.01, relative=True)
    assert not reading.forecast_target_met(_comparison(-0.05, -0.03), previous=worse)


def test_the_stock_text_and_the_decision_branch_on_the_targets():
    table = pd.DataFrame(
        {"level": [0.9, 0.95], "fill_rate": [0.93, 0.951], "weeks_of_stock": [3.0, 4.0],
         "regular_fill_rate": [0.96, 0.97], "regular_weeks_of_stock": [3.1, 4.1], "cost": [100.0, 110.0]},
        index=pd.MultiIndex.from_tuples([("m", "cost"), ("m", "fill")]),
    )  # fmt: skip
    assert reading.stock_targets(table, ("m", "fill"), 0.94, 3.5, 0.95) == (True, True)
    assert reading.stock_targets(table, ("m", "fill"), 0.90, 3.5, 0.95) == (False, True)
    good = reading.describe_stock(table, ("m", "cost"), ("m", "fill"), (0.94, 0.97), 3.5, 0.95, {}, "EUR")
    bad = reading.describe_stock(table, ("m", "cost"), ("m", "fill"), (0.90, 0.97), 3.5, 0.95, {}, "EUR")
    assert "target is met" in good and "**below the 93% target**" in bad and "EUR 100" in good
    assert "targets were met" in reading.decision("m", "MA8", True, ("m", "cost"), table, True, True, 0, "EUR")
    text = reading.decision("m", "MA8", False, ("m", "cost"), table, False, True, 1, "EUR")
    assert "fallback" in text and "targets were missed" in text and "1 validation window" in text
    same = reading.decision("m", "m", False, ("m", "cost"), table, True, True, 0, "EUR")
    assert "No combination or global model beat this simple method" in same and "fallback" not in same
