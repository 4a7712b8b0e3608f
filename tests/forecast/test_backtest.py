"""Backtest and metrics: MASE/RMSSE/WAPE/bias on hand-computed series, no look-ahead, bootstrap."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast

WEEKS = pd.date_range("2024-01-01", periods=6, freq="W-MON")


def test_mase_rmsse_wape_bias_by_hand():
    history = pd.DataFrame({"x": [2.0, 4.0, 3.0, 5.0]}, index=WEEKS[:4])
    # naive diffs 2, -1, 2: MAE 5/3, MSE 3
    scales = forecast.naive_scales(history)
    assert scales.loc["x", "mae"] == pytest.approx(5 / 3) and scales.loc["x", "mse"] == pytest.approx(3.0)
    bt = pd.DataFrame(
        {
            "model": "m",
            "origin": WEEKS[4],
            "h": [1, 2],
            "week": WEEKS[4:6],
            "item_id": "x",
            "forecast": [5.0, 5.0],
            "actual": [6.0, 2.0],
        }
    )
    errors = forecast.product_errors(bt, scales)
    by_h = forecast.summarize_errors(errors)
    assert by_h.loc[("m", 1), "mase"] == pytest.approx(1 / (5 / 3))
    assert by_h.loc[("m", 2), "mase"] == pytest.approx(3 / (5 / 3))
    assert by_h.loc[("m", 2), "rmsse"] == pytest.approx(np.sqrt(9 / 3))
    assert by_h.loc[("m", 1), "wape"] == pytest.approx(1 / 6)
    assert by_h.loc[("m", 2), "bias"] == pytest.approx(3 / 2)


def test_revenue_weighted_rmsse_weights_products_by_recent_revenue():
    idx = pd.MultiIndex.from_tuples([("m", 1, "a"), ("m", 1, "b")], names=["model", "h", "item_id"])
    errors = pd.DataFrame(
        {"mase": [1.0, 1.0], "rmsse": [2.0, 4.0], "abs_error": 1.0, "actual": 1.0, "forecast": 1.0, "n": 1},
        index=idx,
    )
    revenue = pd.DataFrame({"a": [100.0, 30.0], "b": [0.0, 10.0]})
    weights = forecast.revenue_weights(revenue, weeks=1)
    assert weights.tolist() == [0.75, 0.25]
    assert forecast.summarize_errors(errors, weights).loc[("m", 1), "wrmsse"] == pytest.approx(2.5)


def test_rolling_origin_never_sees_the_future():
    class Spy(forecast.Naive):
        seen: list = []

        def _fit(self, values):
            Spy.seen.append(len(values))
            super()._fit(values)

    y = pd.DataFrame({"x": np.arange(10.0)}, index=pd.date_range("2024-01-01", periods=10, freq="W-MON"))
    bt = forecast.rolling_origin(y, {"spy": Spy()}, n_origins=3, horizon=2, progress=False)
    assert Spy.seen == [7, 8, 9]
    first = bt[bt["origin"] == y.index[7]]
    assert first["forecast"].tolist() == [6.0, 6.0] and first["actual"].tolist() == [7.0, 8.0]
    assert bt["actual"].isna().sum() == 1  # the last origin's 2-week-ahead target is beyond the data


def test_evaluation_window_masks_targets_after_its_end():
    y = pd.DataFrame({"x": np.arange(10.0)}, index=pd.date_range("2024-01-01", periods=10, freq="W-MON"))
    bt = forecast.rolling_origin(y, {"naive": forecast.Naive()}, n_origins=4, horizon=3, progress=False)
    window = forecast.evaluation_window(bt, y.index[6], y.index[8])
    assert window["actual"].notna().sum() == 3  # origin 6: weeks 6, 7; origin 7: week 7


def test_combine_forecasts_median_and_weighted():
    y = pd.DataFrame({"x": [1.0, 3.0, 2.0, 8.0, 4.0]}, index=pd.date_range("2024-01-01", periods=5, freq="W-MON"))
    models = {
        "naive": forecast.Naive(),
        "ma": forecast.MovingAverage(window=2),
        "ma3": forecast.MovingAverage(window=3),
    }
    bt = forecast.rolling_origin(y, models, n_origins=2, horizon=1, progress=False)
    bt = forecast.combine_forecasts(bt, list(models), "med")
    med = bt[bt["model"] == "med"]["forecast"].tolist()
    assert med == [np.median([2.0, 2.5, 2.0]), np.median([8.0, 5.0, 13 / 3])]
    bt = forecast.combine_forecasts(bt, ["naive", "ma"], "w", "weighted", {"naive": 3, "ma": 1})
    assert bt[bt["model"] == "w"]["forecast"].tolist() == pytest.approx([0.75 * 2 + 0.25 * 2.5, 0.75 * 8 + 0.25 * 5])


def test_paired_bootstrap_interval_excludes_zero_only_for_a_real_difference():
    rng = np.random.default_rng(0)
    base = rng.gamma(2.0, 0.5, size=400)
    idx = pd.MultiIndex.from_product([["a", "b", "c"], [1], range(400)], names=["model", "h", "item_id"])
    noise = rng.normal(0, 0.05, size=400)
    errors = pd.DataFrame({"mase": np.r_[0.9 * base, base, base + noise]}, index=idx)
    better = forecast.paired_bootstrap(errors, "a", "b", n_boot=500, random_state=1)
    assert better["relative"] == pytest.approx(-0.1) and better["high"] < 0
    same = forecast.paired_bootstrap(errors, "c", "b", n_boot=500, random_state=1)
    assert same["low"] < 0 < same["high"]
    again = forecast.paired_bootstrap(errors, "c", "b", n_boot=500, random_state=1)
    assert again == same
