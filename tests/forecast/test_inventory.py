"""Order-up-to levels, newsvendor ratio and the simulator on deterministic demand paths."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from shopai_lab import forecast


def test_critical_ratio_and_normal_order_up_to_levels():
    assert forecast.critical_ratio(1.0, 9.0) == pytest.approx(0.9)
    # L = 2: protection of 3 weeks; S = 3 mu + z sigma sqrt(3)
    expected = 3 * 50 + norm.ppf(0.9) * 10 * np.sqrt(3)
    assert forecast.normal_order_up_to(50.0, 10.0, 0.9, lead_time=2) == pytest.approx(expected)
    assert forecast.normal_order_up_to(50.0, 10.0, 0.5, lead_time=0) == pytest.approx(50.0)


def _frame(values, name="x"):
    return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=pd.RangeIndex(len(values)))


def test_constant_demand_with_exact_level_serves_everything_with_lead_time_stock():
    # demand 10 a week, L = 2: S = 30 covers the 3-week protection period exactly
    d = _frame([10] * 8)
    res = forecast.simulate_order_up_to(d, _frame([30] * 8), lead_time=2)
    assert res.by_product.loc["x", "fill_rate"] == 1.0
    assert res.orders["x"].tolist() == [0, 10, 10, 10, 10, 10, 10, 10]
    # start with 30, sell 10 a week; receipts arrive from week 3 on: stock after receipt 30, 20, 10, 10, ...
    assert res.on_hand["x"].tolist() == [20, 10, 0, 0, 0, 0, 0, 0]
    assert res.by_product.loc["x", "average_stock"] == pytest.approx(np.mean([25, 15, 5] + [5] * 5))


def test_lost_sales_and_backorders_differ_as_they_should():
    d = _frame([10, 10, 30, 10, 10])
    S = _frame([20] * 5)
    lost = forecast.simulate_order_up_to(d, S, lead_time=1, lost_sales=True)
    back = forecast.simulate_order_up_to(d, S, lead_time=1, lost_sales=False)
    # lost sales: weeks 2 and 3 sell only 10 of 30 and 10 of 10; by hand: served 10, 10, 10, 10, 10
    assert lost.by_product.loc["x", "sales"] == 50.0 and lost.by_product.loc["x", "stockout_weeks"] == 1
    # backorders: the 20 units short in week 2 are served later, so later weeks look worse
    assert back.by_product.loc["x", "sales"] <= 50.0
    assert back.by_product.loc["x", "stockout_weeks"] >= 1
    assert lost.summary()["fill_rate"] == pytest.approx(50 / 70)


def test_zero_lead_time_orders_arrive_before_demand():
    res = forecast.simulate_order_up_to(_frame([5, 7, 9]), _frame([9, 9, 9]), lead_time=0)
    assert res.by_product.loc["x", "fill_rate"] == 1.0
    assert res.on_hand["x"].tolist() == [4, 2, 0]


def test_a_higher_level_never_lowers_the_fill_rate():
    rng = np.random.default_rng(0)
    d = _frame(rng.poisson(10, 30))
    fills = [forecast.simulate_order_up_to(d, _frame([s] * 30)).summary()["fill_rate"] for s in (15, 20, 25, 35)]
    assert fills == sorted(fills)
    curve = forecast.service_curve(d, lambda p: _frame([10 + 40 * p] * 30), [0.2, 0.5, 0.8])
    assert curve["weeks_of_stock"].is_monotonic_increasing and curve["fill_rate"].is_monotonic_increasing
    assert forecast.fill_rate_at_stock(curve, 100.0) != forecast.fill_rate_at_stock(curve, 100.0)  # NaN outside


def test_levels_frame_pivots_and_checks_completeness():
    rows = pd.DataFrame({"origin": [0, 0, 1], "item_id": ["a", "b", "a"], "q": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="lack a level"):
        forecast.levels_frame(rows, "q")


def test_initial_stock_is_copied_not_written_through():
    # regression: under pandas 3 (copy-on-write) the stock taken from initial_stock was a read-only view,
    # and the simulator raised "output array is read-only" on a two-row example
    demand = pd.DataFrame({"x": [1.0, 2.0]})
    levels = pd.DataFrame({"x": [3.0, 3.0]})
    start = pd.Series({"x": 1.0})
    result = forecast.simulate_order_up_to(demand, levels, lead_time=1, initial_stock=start)
    # week 0: 1 on hand, order 2 (arrives week 1), serve 1 -> 0; week 1: receive 2, serve 2 -> 0
    assert result.on_hand["x"].tolist() == [0.0, 0.0]
    assert result.by_product.loc["x", "fill_rate"] == 1.0
    assert start.tolist() == [1.0]  # the caller's series is untouched
