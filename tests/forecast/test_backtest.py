"""Backtest and metrics: MASE/RMSSE/WAPE/bias on hand-computed series, no look-ahead, bootstrap."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast
from shopai_lab.report import verdict

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


def test_compare_errors_interval_excludes_zero_only_for_a_real_difference():
    rng = np.random.default_rng(0)
    base = rng.gamma(2.0, 0.5, size=400)
    idx = pd.MultiIndex.from_product([["a", "b", "c"], [1], range(400)], names=["model", "h", "item_id"])
    noise = rng.normal(0, 0.05, size=400)
    errors = pd.DataFrame({"mase": np.r_[0.9 * base, base, base + noise]}, index=idx)
    better = forecast.compare_errors(errors, "a", "b", n_boot=500, random_state=1)
    assert better.estimate == pytest.approx(-0.1) and better.high < 0
    assert better.relative and better.n == 400 and verdict(better, higher_is_better=False) == "better"
    same = forecast.compare_errors(errors, "c", "b", n_boot=500, random_state=1)
    assert same.low < 0 < same.high
    again = forecast.compare_errors(errors, "c", "b", n_boot=500, random_state=1)
    assert again == same


def _old_paired_bootstrap(errors, model, baseline, h, metric, n_boot, level, random_state):
    """The ratio-of-means bootstrap forecast.paired_bootstrap computed before it used shopai_lab.stats."""
    a = errors.loc[(model, h), metric]
    b = errors.loc[(baseline, h), metric]
    values = pd.concat([a, b], axis=1, keys=["a", "b"]).dropna().to_numpy()
    rng = np.random.default_rng(random_state)
    idx = rng.integers(0, len(values), size=(n_boot, len(values)))
    means = values[idx].mean(axis=1)
    rel = means[:, 0] / means[:, 1] - 1
    alpha = (1 - level) / 2
    point = values.mean(axis=0)
    return {
        "model": point[0],
        "baseline": point[1],
        "relative": point[0] / point[1] - 1,
        "low": np.quantile(rel, alpha),
        "high": np.quantile(rel, 1 - alpha),
        "products": len(values),
    }


def test_compare_errors_gives_the_numbers_of_the_old_ratio_of_means_bootstrap():
    # a small synthetic panel with missing errors (products without a scale) and two horizons
    rng = np.random.default_rng(4)
    idx = pd.MultiIndex.from_product([["model", "base"], [1, 2], range(120)], names=["model", "h", "item_id"])
    mase = rng.gamma(1.5, 0.7, size=len(idx))
    mase[rng.random(len(idx)) < 0.05] = np.nan
    errors = pd.DataFrame({"mase": mase, "rmsse": mase * rng.uniform(0.8, 1.2, len(idx))}, index=idx).sort_index()
    for h, metric, level in [(1, "mase", 0.95), (2, "rmsse", 0.9)]:
        old = _old_paired_bootstrap(errors, "model", "base", h, metric, 700, level, 3)
        pair = {"model": "model", "baseline": "base", "h": h, "metric": metric}
        new = forecast.compare_errors(errors, **pair, n_boot=700, level=level, random_state=3)
        assert (new.estimate, new.low, new.high) == pytest.approx((old["relative"], old["low"], old["high"]), rel=1e-12)
        assert new.n == old["products"] < 120 and new.level == level
        means = forecast.paired_errors(errors, **pair).mean()
        assert (means["model"], means["baseline"]) == pytest.approx((old["model"], old["baseline"]), rel=1e-12)
