"""Bad input gets a clear error naming what is wrong (table-driven)."""

import numpy as np
import pandas as pd
import pytest

from shopai_lab import forecast

Y = pd.DataFrame(
    {"x": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 0.0]}, index=pd.date_range("2024-01-01", periods=3, freq="W-MON")
)
LONG = pd.DataFrame({"x": np.arange(20.0) % 5, "y": np.arange(20.0) % 3})
NEGATIVE = Y.assign(x=[1.0, -2.0, 3.0])
MISSING = Y.assign(x=[1.0, np.nan, 3.0])
TEXT = Y.assign(x=["a", "b", "c"])


def _fitted():
    return forecast.Naive().fit(Y)


CASES = [
    ("negative demand", lambda: forecast.SES().fit(NEGATIVE), ValueError, "negative demand"),
    ("missing demand", lambda: forecast.Naive().fit(MISSING), ValueError, "missing or infinite"),
    ("text demand", lambda: forecast.Naive().fit(TEXT), TypeError, "must hold numbers"),
    ("not a frame", lambda: forecast.Naive().fit(Y.to_numpy()), TypeError, "DataFrame"),
    (
        "series shorter than the model needs",
        lambda: forecast.Holt().fit(Y.iloc[:2]),
        ValueError,
        "at least 3",
    ),
    (
        "series shorter than the backtest needs",
        lambda: forecast.rolling_origin(Y, {"h": forecast.Holt()}, n_origins=2, progress=False),
        ValueError,
        "fewer than the 3",
    ),
    ("horizon 0", lambda: _fitted().predict(0), ValueError, "horizon must be >= 1"),
    (
        "horizon beyond the boosting model's",
        lambda: forecast.GlobalBoosting(horizon=1, min_history=2, max_iter=2).fit(LONG).predict(2),
        ValueError,
        "exceeds the horizon",
    ),
    (
        "too short for the boosting model",
        lambda: forecast.GlobalBoosting(min_history=2).fit(Y),
        ValueError,
        "at least min_history",
    ),
    ("alpha out of range", lambda: forecast.SES(alpha=1.5).fit(Y), ValueError, "alpha must be in"),
    ("unknown Croston variant", lambda: forecast.Croston(variant="x").fit(Y), ValueError, "variant"),
    (
        "ensemble without weights",
        lambda: forecast.Ensemble(members={"n": forecast.Naive()}, method="weighted").fit(Y),
        ValueError,
        "weights",
    ),
    (
        "lead time < 0",
        lambda: forecast.normal_order_up_to(1.0, 1.0, 0.9, lead_time=-1),
        ValueError,
        "lead_time must be >= 0",
    ),
    (
        "lead time < 0 in the simulator",
        lambda: forecast.simulate_order_up_to(Y, Y, lead_time=-1),
        ValueError,
        "lead_time",
    ),
    ("service level 1", lambda: forecast.normal_order_up_to(1.0, 1.0, 1.0), ValueError, "service_level"),
    ("service level 0", lambda: forecast.normal_order_up_to(1.0, 1.0, 0.0), ValueError, "service_level"),
    ("negative holding cost", lambda: forecast.critical_ratio(-1.0, 1.0), ValueError, "holding_cost"),
    ("levels of another shape", lambda: forecast.simulate_order_up_to(Y, Y[["x"]]), ValueError, "same weeks"),
    (
        "unknown product in the panel",
        lambda: forecast.weekly_panel(_TX).subset(["nope"]),
        ValueError,
        "unknown product",
    ),
    (
        "unknown product in the scales",
        lambda: forecast.product_errors(_BT, forecast.naive_scales(Y[["y"]])),
        ValueError,
        "no row for product",
    ),
    (
        "unknown model in the comparison",
        lambda: forecast.compare_errors(forecast.product_errors(_BT, forecast.naive_scales(Y)), "nope", "naive"),
        ValueError,
        "nope",
    ),
    ("quantile level outside (0, 1)", lambda: forecast.pinball_loss([1.0], [1.0], 1.2), ValueError, "tau"),
    (
        "panel without a timestamp",
        lambda: forecast.weekly_panel(_TX.drop(columns="timestamp")),
        ValueError,
        "timestamp",
    ),
    (
        "min_active_share of 0",
        lambda: forecast.select_products(Y, Y.index[1], 0.0),
        ValueError,
        "min_active_share",
    ),
    (
        "closed_weeks option",
        lambda: forecast.weekly_panel(_TX, closed_weeks="zero"),
        ValueError,
        "closed_weeks",
    ),
]

_TX = pd.DataFrame(
    {
        "customer_id": ["a", "a"],
        "invoice_id": ["1", "2"],
        "item_id": ["x", "x"],
        "quantity": [1, 2],
        "unit_price": [1.0, 1.0],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-07"]),
    }
)
_BT = pd.DataFrame(
    {
        "model": "naive",
        "origin": Y.index[2],
        "h": 1,
        "week": Y.index[2],
        "item_id": ["x", "y"],
        "forecast": 1.0,
        "actual": 1.0,
    }
)


@pytest.mark.parametrize("call, error, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()
