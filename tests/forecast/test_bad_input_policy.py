"""Bad input to forecast.policy, .decision and .reading: a clear error naming what is wrong, inputs unchanged."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab.forecast import decision, policy, reading
from tests._bad_input import check_row, row_ids

WEEKS = pd.date_range("2024-01-01", periods=6, freq="W-MON")
Y = pd.DataFrame({"x": [1.0, 2.0, 3.0, 0.0, 5.0, 2.0], "y": 1.0}, index=WEEKS)
CAPS = pd.Series({"x": 10.0, "y": 10.0})
CURVES = pd.DataFrame({"window": [0, 0], "target": [0.9, 0.95], "fill_rate": [0.9, 0.96], "cost": [2.0, 1.0]})
IDX = pd.Index(["x", "y"])
S = pd.Series([5.0, 5.0], IDX)
EXPECTED = pd.DataFrame({"fill_rate": [0.9, 0.9], "weekly_cost": [1.0, 1.0]}, IDX)
BULK = pd.DataFrame({"bulk_weeks": [0, 0], "largest": [3.0, 1.0], "cap": [10.0, 10.0]}, IDX)
SUMMARY = pd.DataFrame(
    {"rmsse": [0.9, 1.0], "mase": [1.0, 0.9], "bias": [0.1, 0.2]},
    index=pd.MultiIndex.from_tuples([("MA8", 1), ("boosting", 1)], names=["model", "h"]),
)
TABLE = pd.DataFrame({"fill_rate": [0.9], "weeks_of_stock": [3.0]}, index=[("m", "fill")])


def _levels(p, a, b):
    return Y.loc[(Y.index >= a) & (Y.index < b)] * 0 + 3.0


ROWS = [
    (policy.bulk_caps, {"history": Y.to_numpy()}, TypeError, "history must be a pandas DataFrame"),
    (policy.bulk_caps, {"history": Y, "factor": 0}, ValueError, "factor"),
    (policy.bulk_caps, {"history": Y.assign(x=-1.0)}, ValueError, r"history\['x'\] has values below 0"),
    (policy.cap_demand, {"demand": Y, "caps": CAPS.to_dict()}, TypeError, "caps must be a Series"),
    (policy.cap_demand, {"demand": Y, "caps": CAPS.drop("y")}, ValueError, r"caps has no value.*'y'"),
    (policy.cap_demand, {"demand": Y, "caps": CAPS * -1}, ValueError, "caps must be >= 0"),
    (policy.validation_windows, {"weeks": list(WEEKS), "start": WEEKS[0], "end": WEEKS[4], "n_windows": 2}, TypeError,
     "weeks must be"),
    (policy.validation_windows, {"weeks": WEEKS, "start": WEEKS[0], "end": WEEKS[2], "n_windows": 3}, ValueError,
     "fewer than n_windows"),
    (policy.validation_windows, {"weeks": WEEKS, "start": WEEKS[0], "end": WEEKS[4], "n_windows": 0}, ValueError,
     "n_windows"),
    (policy.flag_windows, {"units": Y, "windows": [(WEEKS[0], WEEKS[3])], "z": -1}, ValueError, "z must be"),
    (policy.rank_forecasters, {"summary": SUMMARY, "metric": "wape"}, ValueError, "wape"),
    (policy.rank_forecasters, {"summary": SUMMARY, "models": ["SES"]}, ValueError, r"no rmsse.*\['SES'\]"),
    (policy.top_k_combination, {"ranked": pd.Series({"a": 1.0}), "k": 2}, ValueError, "k=2 exceeds"),
    (policy.top_k_combination, {"ranked": [1.0], "k": 1}, TypeError, "ranked must be"),
    (policy.window_curves, {"windows": [(WEEKS[0], WEEKS[3])], "demand": Y, "levels_for": _levels, "grid": [1.5],
                            "holding_cost": 1.0, "shortage_cost": 1.0}, ValueError, "grid"),
    (policy.window_curves, {"windows": [(WEEKS[0], WEEKS[3])], "demand": Y, "levels_for": _levels, "grid": [],
                            "holding_cost": 1.0, "shortage_cost": 1.0}, ValueError, "grid is empty"),
    (policy.level_for_fill, {"curves": CURVES.drop(columns="fill_rate"), "fill_target": 0.95}, ValueError, "fill_rate"),
    (policy.level_for_fill, {"curves": CURVES, "fill_target": 95}, ValueError, "fill_target"),
    (policy.level_for_cost, {"curves": CURVES.drop(columns="cost")}, ValueError, "cost"),
    (policy.product_costs, {"result": CURVES, "holding_cost": 1.0, "shortage_cost": 1.0}, TypeError, "result must be"),
    (policy.compare_policies, {"costs_a": S.to_numpy(), "costs_b": S}, TypeError, "costs_a must be"),
    (policy.compare_policies, {"costs_a": S, "costs_b": S.iloc[:1]}, ValueError, "same products"),
    (policy.order_list, {"level": S, "on_hand": S.iloc[:1], "on_order": S, "expected": EXPECTED, "bulk": BULK},
     ValueError, "on_hand must be indexed"),
    (policy.order_list, {"level": S, "on_hand": S, "on_order": S, "expected": EXPECTED.drop(columns="weekly_cost"),
                         "bulk": BULK}, ValueError, "weekly_cost"),
    (policy.order_list, {"level": S, "on_hand": S, "on_order": S, "expected": EXPECTED, "bulk": BULK,
                         "pack_size": 0}, ValueError, "pack_size must be > 0"),
    (policy.order_list, {"level": S, "on_hand": S, "on_order": S, "expected": EXPECTED, "bulk": BULK,
                         "min_order": -1}, ValueError, "min_order must be >= 0"),
    (decision.forecasters, {"horizon": 0}, ValueError, "horizon"),
    (decision.benchmarks, {"val_summary": SUMMARY, "metrics": ("wape",)}, ValueError, "wape"),
    (decision.benchmarks, {"val_summary": SUMMARY, "simple": ("SES",)}, ValueError, "none of the simple methods"),
    (decision.choose_forecaster, {"backtest": None, "units": Y, "val_start": WEEKS[2], "test_start": WEEKS[4],
                                  "max_members": 1}, ValueError, "max_members"),
    (decision.quantile_check, {"quantiles": CURVES, "start": 0, "levels": [0.5]}, ValueError, "model"),
    (decision.strongest_simple, {"summary": SUMMARY, "simple": ("SES",)}, ValueError, "none of the simple"),
    (decision.strongest_simple, {"summary": SUMMARY, "metric": "wape"}, ValueError, "wape"),
    (decision.against_every_simple, {"errors": SUMMARY, "model": "boosting", "horizons": [1], "simple": ("SES",)},
     ValueError, "none of the simple methods"),
    (decision.against_every_simple, {"errors": SUMMARY, "model": "boosting", "horizons": [1], "metric": "wape"},
     ValueError, "wape"),
    (decision.weakest_gap, {"table": SUMMARY}, ValueError, "relative"),
    (decision.quantile_scale, {"history": Y, "kind": "median"}, ValueError, "kind must be one of"),
    (decision.quantile_scale, {"history": Y.assign(x=-1.0), "kind": "mean"}, ValueError, r"history\['x'\]"),
    (decision.choose_scale, {"backtest": CURVES.assign(model="m", origin=0), "model": "LightGBM", "train": Y,
                             "caps": CAPS, "windows": [(WEEKS[0], WEEKS[3])], "grid": [0.9], "demand": Y,
                             "lead_time": 1, "holding_cost": 1.0, "shortage_cost": 1.0}, ValueError,
     "'LightGBM' is not in the backtest"),
    (reading.forecast_target_met, {"comparison": SUMMARY}, ValueError, "relative"),
    (reading.describe_choice, {"recommended": 3, "members": [], "benches": {}, "ranked": pd.Series(dtype=float)},
     TypeError, "recommended"),
    (reading.describe_windows, {"flags": SUMMARY}, ValueError, "start"),
    (reading.stock_targets, {"test_table": SUMMARY, "fill_policy": ("m", "fill"), "fill_at_stock": 0.9,
                             "max_weeks": 3.5, "fill_target": 0.95}, ValueError, "fill_rate"),
    (reading.describe_orders, {"orders": SUMMARY}, ValueError, "order"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "kwargs", "error", "pattern"), ROWS, ids=row_ids(ROWS))
def test_bad_input(call, kwargs, error, pattern):
    check_row(call, kwargs, error, pattern)


def test_valid_input_is_not_modified():
    demand = Y.copy()
    policy.cap_demand(demand, policy.bulk_caps(demand))
    pd.testing.assert_frame_equal(demand, Y)
    assert np.isfinite(policy.bulk_caps(Y)).all()
