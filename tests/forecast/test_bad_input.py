"""Bad input to shopai_lab.forecast: every row raises a clear error naming what is wrong, inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast
from tests._bad_input import check_row, pounds, row_ids

WEEKS = pd.date_range("2024-01-01", periods=3, freq="W-MON")
Y = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 0.0]}, index=WEEKS)
LONG = pd.DataFrame(
    {"x": np.arange(20.0) % 5, "y": np.arange(20.0) % 3}, index=pd.date_range("2024-01-01", periods=20, freq="W-MON")
)
PRICES = LONG.assign(x=2.0, y=3.0)
TX = pd.DataFrame(
    {
        "customer_id": ["a", "a"],
        "invoice_id": ["1", "2"],
        "item_id": ["x", "x"],
        "quantity": [1, 2],
        "unit_price": [1.0, 1.0],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-07"]),
    }
)
BT = pd.DataFrame(
    {
        "model": "naive",
        "origin": WEEKS[2],
        "h": 1,
        "week": WEEKS[2],
        "item_id": ["x", "y"],
        "forecast": 1.0,
        "actual": 1.0,
    }
)
SCALES = forecast.naive_scales(Y)
ERRORS = forecast.product_errors(BT, SCALES)
SUMMARY = pd.DataFrame(
    {"mase": [1.0, 2.0]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 1)], names=["model", "h"])
)
CAL = pd.DataFrame({"h": 1, "item_id": "x", "forecast": 10.0, "actual": np.arange(1.0, 20.0)})
TARGET = pd.DataFrame({"h": [1], "item_id": ["x"], "forecast": [10.0]})
CURVE = pd.DataFrame({"weeks_of_stock": [1.0, 3.0], "fill_rate": [0.8, 0.9]})
PANEL = forecast.weekly_panel(TX, drop_partial_weeks=False)


def _levels(p):
    return Y.assign(x=10.0, y=10.0)


def _then_predict(horizon):
    return forecast.Naive().fit(Y).predict(horizon)


def _boosting_then_predict(demand, horizon):
    return forecast.GlobalBoosting(horizon=1, min_history=2, max_iter=2).fit(demand).predict(horizon)


def _lightgbm_then_predict(demand, horizon):
    return forecast.GlobalLightGBM(horizon=1, min_history=2, n_estimators=2).fit(demand).predict(horizon)


ROWS = [
    # demand: type, values, order, length
    (forecast.Naive().fit, {"demand": Y.to_numpy()}, TypeError, "demand must be a pandas DataFrame"),
    (forecast.Naive().fit, {"demand": Y.assign(x=["a", "b", "c"])}, TypeError, r"demand must hold numeric.*\['x'\]"),
    (forecast.Naive().fit, {"demand": Y.astype(bool)}, TypeError, r"demand must hold numeric.*\['x', 'y'\]"),
    (forecast.Naive().fit, {"demand": Y.assign(x=[1.0, np.nan, 3.0])}, ValueError, r"demand\['x'\] has missing"),
    (forecast.Naive().fit, {"demand": Y.assign(x=[1.0, np.inf, 3.0])}, ValueError, r"demand\['x'\] has missing"),
    (forecast.SES().fit, {"demand": Y.assign(x=[1.0, -2.0, 3.0])}, ValueError, r"demand\['x'\] has values below 0"),
    (forecast.Naive().fit, {"demand": Y.iloc[::-1]}, ValueError, r"demand's weeks \(index\) must be in increasing"),
    (forecast.Naive().fit, {"demand": Y.set_axis(WEEKS[[0, 1, 1]])}, ValueError, "demand's weeks.*without repeats"),
    (forecast.Naive().fit, {"demand": Y.iloc[:0]}, ValueError, "demand is empty"),
    (forecast.Naive().fit, {"demand": Y.iloc[:, :0]}, ValueError, "demand has no columns"),
    (forecast.Naive().fit, {"demand": Y.set_axis(["x", "x"], axis=1)}, ValueError, r"demand's columns.*\['x'\]"),
    (forecast.Holt().fit, {"demand": Y.iloc[:2]}, ValueError, "at least 3"),
    # hyper-parameters
    (forecast.SES(alpha=1.5).fit, {"demand": Y}, ValueError, "alpha must be in"),
    (forecast.SES(alpha="0.5").fit, {"demand": Y}, TypeError, "alpha must be a number"),
    (forecast.SES(init_weeks=1.5).fit, {"demand": Y}, TypeError, "init_weeks"),
    (forecast.Holt(damping=0).fit, {"demand": Y}, ValueError, "damping"),
    (forecast.MovingAverage(window=0).fit, {"demand": Y}, ValueError, "window"),
    (forecast.MovingMedian(window=2.5).fit, {"demand": Y}, TypeError, "window"),
    (forecast.Croston(variant="x").fit, {"demand": Y}, ValueError, "variant"),
    (forecast.TSB(beta=0).fit, {"demand": Y}, ValueError, "beta"),
    (forecast.Ensemble(members={"n": forecast.Naive()}, method="weighted").fit, {"demand": Y}, ValueError, "weights"),
    (forecast.Ensemble(members={"n": "naive"}).fit, {"demand": Y}, TypeError, "member 'n'"),
    (
        forecast.Ensemble(members={"n": forecast.Naive()}, method="weighted", weights={"n": np.nan}).fit,
        {"demand": Y},
        ValueError,
        "weights",
    ),
    (_then_predict, {"horizon": 0}, ValueError, "horizon must be >= 1"),
    (_then_predict, {"horizon": 1.5}, TypeError, "horizon must be an integer"),
    (forecast.Naive().predict, {"horizon": 1}, ValueError, "not fitted"),
    # the global model
    (_boosting_then_predict, {"demand": LONG, "horizon": 2}, ValueError, "exceeds the horizon"),
    (forecast.GlobalBoosting(min_history=2).fit, {"demand": Y}, ValueError, "at least min_history"),
    (forecast.GlobalBoosting(calendar="yes").fit, {"demand": LONG}, TypeError, "calendar"),
    (forecast.GlobalBoosting(loss="squared").fit, {"demand": LONG}, ValueError, "loss"),
    (forecast.GlobalBoosting(min_history=2).fit, {"demand": LONG, "prices": PRICES.to_numpy()}, TypeError, "prices"),
    (
        forecast.GlobalBoosting(min_history=2, max_iter=2).fit,
        {"demand": LONG, "prices": PRICES.assign(x="£2")},
        TypeError,
        r"prices\['x'\]",
    ),
    (
        forecast.GlobalBoosting(min_history=2, max_iter=2).fit,
        {"demand": LONG, "prices": PRICES.assign(x=-1.0)},
        ValueError,
        r"prices\['x'\].*> 0",
    ),
    (
        forecast.GlobalBoosting(min_history=2, max_iter=2).fit,
        {"demand": LONG, "prices": PRICES.iloc[5:]},
        ValueError,
        r"prices has no row for week",
    ),
    # the LightGBM model
    (_lightgbm_then_predict, {"demand": LONG, "horizon": 2}, ValueError, "exceeds the horizon"),
    (forecast.GlobalLightGBM(min_history=2).fit, {"demand": Y}, ValueError, "at least min_history"),
    (forecast.GlobalLightGBM(objective="mse").fit, {"demand": LONG}, ValueError, "objective"),
    (forecast.GlobalLightGBM(weighting="revenue").fit, {"demand": LONG}, ValueError, "weighting"),
    (forecast.GlobalLightGBM(tweedie_variance_power=2.5).fit, {"demand": LONG}, ValueError, "tweedie_variance_power"),
    (forecast.GlobalLightGBM(alpha=1.0).fit, {"demand": LONG}, ValueError, "alpha"),
    (forecast.GlobalLightGBM(calendar=1).fit, {"demand": LONG}, TypeError, "calendar"),
    (forecast.GlobalLightGBM(random_state=None).fit, {"demand": LONG}, TypeError, "random_state"),
    (
        forecast.GlobalLightGBM(min_history=2).fit,
        {"demand": LONG, "prices": PRICES.assign(x=0.0)},
        ValueError,
        r"prices\['x'\].*> 0",
    ),
    (forecast.GlobalLightGBM(min_history=2).fit, {"demand": LONG.assign(x=-1.0)}, ValueError, "demand"),
    # backtests and their metrics
    (
        forecast.rolling_origin,
        {"demand": Y, "forecasters": {"h": forecast.Holt()}, "n_origins": 2, "progress": False},
        ValueError,
        "fewer than the 3",
    ),
    (
        forecast.rolling_origin,
        {"demand": Y, "forecasters": {"n": "naive"}, "n_origins": 1, "progress": False},
        TypeError,
        r"forecasters\['n'\] must be a Forecaster",
    ),
    (
        forecast.rolling_origin,
        {"demand": Y, "forecasters": {"n": forecast.Naive()}, "n_origins": 1, "prices": [1.0], "progress": False},
        TypeError,
        "prices must be a pandas DataFrame",
    ),
    (
        forecast.rolling_origin,
        {"demand": Y, "forecasters": {"n": forecast.Naive()}, "n_origins": 1, "progress": "no"},
        TypeError,
        "progress",
    ),
    (
        forecast.rolling_origin,
        {"demand": Y.iloc[::-1], "forecasters": {"n": forecast.Naive()}, "n_origins": 1, "progress": False},
        ValueError,
        "demand's weeks",
    ),
    (forecast.naive_scales, {"history": Y.iloc[:1]}, ValueError, r"history has 1 weeks.*at least 2"),
    (forecast.revenue_weights, {"revenue": Y, "weeks": 0}, ValueError, "weeks must be >= 1"),
    (forecast.product_errors, {"backtest": BT.assign(forecast="1"), "scales": SCALES}, TypeError, r"'forecast'"),
    (
        forecast.product_errors,
        {"backtest": BT.assign(forecast=[1.0, np.nan]), "scales": SCALES},
        ValueError,
        r"backtest\['forecast'\] has missing",
    ),
    (forecast.product_errors, {"backtest": BT, "scales": SCALES.assign(mae=-1.0)}, ValueError, r"scales\['mae'\]"),
    (forecast.product_errors, {"backtest": BT, "scales": forecast.naive_scales(Y[["y"]])}, ValueError, "no row"),
    (forecast.summarize_errors, {"errors": ERRORS, "weights": {"x": 1.0}}, TypeError, "weights must be a Series"),
    (
        forecast.summarize_errors,
        {"errors": ERRORS, "weights": pd.Series({"x": -1.0, "y": 2.0})},
        ValueError,
        "weights must be >= 0",
    ),
    (forecast.summarize_errors, {"errors": ERRORS, "groups": ["a", "b"]}, TypeError, "groups must be a Series"),
    (forecast.inverse_error_weights, {"summary": SUMMARY, "models": "a"}, TypeError, "models must be a list"),
    (forecast.inverse_error_weights, {"summary": SUMMARY, "models": ["a"], "metric": "rmsse"}, ValueError, "rmsse"),
    (
        forecast.inverse_error_weights,
        {"summary": SUMMARY.assign(mase=[0.0, 1.0]), "models": ["a", "b"]},
        ValueError,
        r"mase of model\(s\) \['a'\] must be positive",
    ),
    (forecast.combine_forecasts, {"backtest": BT, "members": "naive", "name": "e"}, TypeError, "members"),
    (forecast.combine_forecasts, {"backtest": BT, "members": ["naive"], "name": 3}, TypeError, "name"),
    (
        forecast.combine_forecasts,
        {"backtest": BT, "members": ["naive"], "name": "e", "method": "weighted", "weights": {"naive": np.nan}},
        ValueError,
        "weights",
    ),
    (forecast.evaluation_window, {"backtest": BT, "start": WEEKS[2], "end": WEEKS[0]}, ValueError, "no backtest"),
    # quantiles
    (forecast.pinball_loss, {"actual": [1.0], "quantile": [1.0], "tau": 1.2}, ValueError, "tau"),
    (forecast.pinball_loss, {"actual": [np.nan, 1.0], "quantile": [1.0, 1.0], "tau": 0.9}, ValueError, "actual"),
    (forecast.pinball_loss, {"actual": ["1"], "quantile": [1.0], "tau": 0.9}, TypeError, "actual"),
    (forecast.pinball_loss, {"actual": [], "quantile": [], "tau": 0.9}, ValueError, "actual is empty"),
    (forecast.pinball_loss, {"actual": [1.0, 2.0], "quantile": [1.0], "tau": 0.9}, ValueError, "differ in shape"),
    (forecast.coverage, {"actual": [], "upper": []}, ValueError, "actual is empty"),
    (forecast.coverage, {"actual": [1.0], "upper": [np.nan]}, ValueError, "upper"),
    (forecast.coverage, {"actual": [1.0], "upper": [1.0, 2.0]}, ValueError, "differ in shape"),
    (forecast.cumulative_forecasts, {"backtest": BT, "periods": 0}, ValueError, "periods"),
    (forecast.cumulative_forecasts, {"backtest": BT, "periods": 2}, ValueError, "exceeds"),
    (
        forecast.conformal_quantiles,
        {"calibration": CAL, "target": TARGET, "scale": {"x": 1.0}},
        TypeError,
        "scale must be a Series",
    ),
    (
        forecast.conformal_quantiles,
        {"calibration": CAL, "target": TARGET, "scale": pd.Series({"x": 1.0}), "levels": 0.9},
        TypeError,
        "levels must be a list",
    ),
    (
        forecast.conformal_quantiles,
        {"calibration": CAL, "target": TARGET, "scale": pd.Series({"x": 1.0}), "levels": []},
        ValueError,
        "levels is empty",
    ),
    (
        forecast.conformal_quantiles,
        {"calibration": CAL, "target": TARGET.assign(forecast=np.nan), "scale": pd.Series({"x": 1.0})},
        ValueError,
        r"target\['forecast'\]",
    ),
    (
        forecast.conformal_quantiles,
        {"calibration": CAL, "target": TARGET, "scale": pd.Series({"x": 0.0})},
        ValueError,
        "scale has no positive value",
    ),
    (
        forecast.conformal_quantiles,
        {"calibration": CAL, "target": TARGET, "scale": pd.Series({"x": 1.0}), "by": "h"},
        TypeError,
        "by must be a list",
    ),
    (forecast.rolling_conformal, {"backtest": BT, "scale": SCALES["mae"], "origins": []}, ValueError, "origins"),
    (forecast.rolling_conformal, {"backtest": BT, "scale": SCALES["mae"], "origins": [WEEKS[0]]}, ValueError, "not in"),
    # inventory
    (forecast.critical_ratio, {"holding_cost": -1.0, "shortage_cost": 1.0}, ValueError, "holding_cost"),
    (forecast.critical_ratio, {"holding_cost": "1", "shortage_cost": 1.0}, TypeError, "holding_cost"),
    (forecast.normal_order_up_to, {"mean": 1.0, "std": 1.0, "service_level": 1.0}, ValueError, "service_level"),
    (forecast.normal_order_up_to, {"mean": 1.0, "std": 1.0, "service_level": 0.0}, ValueError, "service_level"),
    (
        forecast.normal_order_up_to,
        {"mean": 1.0, "std": 1.0, "service_level": 0.9, "lead_time": -1},
        ValueError,
        "lead_time must be >= 0",
    ),
    (forecast.normal_order_up_to, {"mean": np.nan, "std": 1.0, "service_level": 0.9}, ValueError, "mean"),
    (forecast.normal_order_up_to, {"mean": np.inf, "std": 1.0, "service_level": 0.9}, ValueError, "mean"),
    (forecast.normal_order_up_to, {"mean": 1.0, "std": "2", "service_level": 0.9}, TypeError, "std"),
    (forecast.normal_order_up_to, {"mean": -1.0, "std": 1.0, "service_level": 0.9}, ValueError, "mean"),
    (
        forecast.normal_order_up_to,
        {"mean": [1.0, 2.0], "std": [1.0, 2.0, 3.0], "service_level": 0.9},
        ValueError,
        "mean and std",
    ),
    (forecast.simulate_order_up_to, {"demand": Y, "order_up_to": Y, "lead_time": -1}, ValueError, "lead_time"),
    (forecast.simulate_order_up_to, {"demand": Y, "order_up_to": Y[["x"]]}, ValueError, "same weeks"),
    (forecast.simulate_order_up_to, {"demand": Y, "order_up_to": Y.to_numpy()}, TypeError, "order_up_to"),
    (
        forecast.simulate_order_up_to,
        {"demand": Y, "order_up_to": Y, "initial_stock": {"x": 1.0}},
        TypeError,
        "initial_stock must be a Series",
    ),
    (forecast.simulate_order_up_to, {"demand": Y, "order_up_to": Y, "lost_sales": "yes"}, TypeError, "lost_sales"),
    (
        forecast.service_curve,
        {"demand": Y, "levels_for": Y, "service_levels": [0.9]},
        TypeError,
        "levels_for must be a function",
    ),
    (forecast.service_curve, {"demand": Y, "levels_for": _levels, "service_levels": []}, ValueError, "service_levels"),
    (forecast.service_curve, {"demand": Y, "levels_for": _levels, "service_levels": 0.9}, TypeError, "service_levels"),
    (forecast.service_curve, {"demand": Y, "levels_for": _levels, "service_levels": [1.5]}, ValueError, "service_lev"),
    (forecast.fill_rate_at_stock, {"curve": CURVE, "weeks_of_stock": np.nan}, ValueError, "weeks_of_stock"),
    (forecast.fill_rate_at_stock, {"curve": CURVE, "weeks_of_stock": "2"}, TypeError, "weeks_of_stock"),
    (forecast.fill_rate_at_stock, {"curve": CURVE.iloc[:0], "weeks_of_stock": 2.0}, ValueError, "curve is empty"),
    (forecast.fill_rate_at_stock, {"curve": CURVE[["fill_rate"]], "weeks_of_stock": 2.0}, ValueError, "weeks_of_st"),
    (
        forecast.fill_rate_at_stock,
        {"curve": CURVE.assign(fill_rate=[0.8, np.nan]), "weeks_of_stock": 2.0},
        ValueError,
        r"curve\['fill_rate'\]",
    ),
    (forecast.levels_frame, {"rows": BT, "column": "nope"}, ValueError, "nope"),
    # the panel
    (forecast.weekly_panel, {"transactions": TX.drop(columns="timestamp")}, ValueError, "timestamp"),
    (forecast.weekly_panel, {"transactions": TX, "closed_weeks": "zero"}, ValueError, "closed_weeks"),
    (forecast.weekly_panel, {"transactions": pounds(TX)}, TypeError, r"transactions\['unit_price'\]"),
    (forecast.weekly_panel, {"transactions": TX.assign(quantity="2")}, TypeError, r"transactions\['quantity'\]"),
    (forecast.weekly_panel, {"transactions": TX, "net_cancelled": "yes"}, TypeError, "net_cancelled"),
    (forecast.weekly_panel, {"transactions": TX, "drop_partial_weeks": 1}, TypeError, "drop_partial_weeks"),
    (forecast.demand_lines, {"transactions": TX, "non_product_pattern": "(POST"}, ValueError, "non_product_pattern"),
    (forecast.demand_lines, {"transactions": TX, "cancellation_prefix": ""}, ValueError, "cancellation_prefix"),
    (forecast.select_products, {"units": Y, "train_end": WEEKS[1], "min_active_share": 0.0}, ValueError, "min_active"),
    (forecast.select_products, {"units": Y, "train_end": WEEKS[1], "min_active_share": 1.5}, ValueError, "min_active"),
    (forecast.select_products, {"units": Y, "train_end": "someday"}, ValueError, "train_end"),
    (forecast.select_products, {"units": Y.iloc[::-1], "train_end": WEEKS[1]}, ValueError, "units's weeks"),
    (forecast.intermittency_classes, {"units": Y, "adi_cut": -1.0}, ValueError, "adi_cut"),
    (forecast.intermittency_classes, {"units": Y, "cv2_cut": "0.49"}, TypeError, "cv2_cut"),
    (PANEL.subset, {"items": ["nope"]}, ValueError, "unknown product"),
    (PANEL.subset, {"items": "x"}, TypeError, "items must be a list"),
    # plots
    (forecast.plot_weekly_total, {"units": [1, 2]}, TypeError, "units must be a pandas DataFrame"),
    (forecast.plot_errors_by_horizon, {"summary": SUMMARY, "metric": "rmsse"}, ValueError, "rmsse"),
    (forecast.plot_service_curves, {"curves": [CURVE]}, TypeError, "curves must be a dict"),
]


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_input_still_fits_and_is_not_modified():
    demand = LONG.copy()
    forecast.GlobalBoosting(horizon=2, min_history=8, max_iter=5).fit(demand, PRICES.assign(x=np.nan))
    pd.testing.assert_frame_equal(demand, LONG)
    assert forecast.select_products(Y, WEEKS[2], 1.0) == ["x"]  # a share of 1 is allowed: every week
