"""Pinball loss, coverage, conformal quantiles (finite-sample order statistic, exchangeable coverage)."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast


def test_pinball_loss_and_coverage_by_hand():
    assert forecast.pinball_loss([10, 10], [8, 14], 0.9) == pytest.approx((0.9 * 2 + 0.1 * 4) / 2)
    assert forecast.pinball_loss([3.0], [3.0], 0.5) == 0.0
    assert forecast.coverage([1, 5, 9, 12], [10, 10, 10, 10]) == 0.75


def test_conformal_quantile_is_the_finite_sample_order_statistic():
    residuals = np.arange(1.0, 20.0)  # n = 19: the 0.9 level takes the ceil(20 * 0.9) = 18th smallest
    cal = pd.DataFrame({"h": 1, "item_id": "x", "forecast": 0.0, "actual": residuals})
    tgt = pd.DataFrame({"h": [1], "item_id": ["x"], "forecast": [100.0]})
    q = forecast.conformal_quantiles(cal, tgt, pd.Series({"x": 2.0}), levels=[0.9, 0.5])
    assert q["q0.9"].iloc[0] == 100.0 + 2.0 * 18.0 / 2.0  # residuals scaled by 2, rescaled by 2
    assert q["q0.5"].iloc[0] == 100.0 + 10.0


def test_conformal_quantiles_cover_exchangeable_data():
    rng = np.random.default_rng(3)
    n = 4000
    actual = rng.gamma(2.0, 5.0, size=2 * n)
    frame = pd.DataFrame({"h": 1, "item_id": "x", "forecast": 10.0, "actual": actual})
    q = forecast.conformal_quantiles(frame.iloc[:n], frame.iloc[n:], pd.Series({"x": 1.0}), levels=[0.95])
    # binomial standard error at n = 4000 is 0.0034: 4 of them
    assert forecast.coverage(actual[n:], q["q0.95"]) == pytest.approx(0.95, abs=0.014)


def test_cumulative_forecasts_and_rolling_conformal_use_only_past_errors():
    weeks = pd.date_range("2024-01-01", periods=12, freq="W-MON")
    y = pd.DataFrame({"x": np.tile([4.0, 6.0], 6)}, index=weeks)
    bt = forecast.rolling_origin(y, {"naive": forecast.Naive()}, n_origins=6, horizon=2, progress=False)
    cum = forecast.cumulative_forecasts(bt, 2)
    last_week = y["x"].shift(1).reindex(cum["origin"]).to_numpy()
    assert (cum["forecast"].to_numpy() == 2 * last_week).all()  # naive: twice last week's demand
    assert cum["actual"].notna().sum() == 5 and (cum["actual"].dropna() == 10.0).all()
    out = forecast.rolling_conformal(cum, pd.Series({"x": 1.0}), weeks[8:10], levels=[0.9])
    # origin week 8: errors observed by then are those of origins 6 (weeks 6-7); forecasts 8 or 12
    first = out[out["origin"] == weeks[8]]
    assert first["q0.9"].iloc[0] >= first["forecast"].iloc[0] - 2.0
    with pytest.raises(ValueError, match="no calibration errors"):
        forecast.rolling_conformal(cum, pd.Series({"x": 1.0}), weeks[6:7], levels=[0.9])
