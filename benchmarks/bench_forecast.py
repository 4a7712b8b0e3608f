"""Benchmark: rolling-origin backtest of every forecaster of notebook 06 on the bundled data.

Run from the project root: ``python benchmarks/bench_forecast.py``. Prints the wall time of each stage and the
test-window MASE at h = 1 and h = 4 (issue 12 target: the backtest of all models in under 60 s on 2 cores).
"""

import time

import pandas as pd

from shopai_lab import forecast
from shopai_lab.data import NON_PRODUCT_PATTERN, load_online_retail


def main(test_weeks: int = 8, validation_weeks: int = 8, horizon: int = 4) -> None:
    start = time.perf_counter()
    full = forecast.weekly_panel(load_online_retail(), NON_PRODUCT_PATTERN)
    n = len(full.weeks)
    items = forecast.select_products(full.units, full.weeks[n - test_weeks - validation_weeks - 1], 0.6)
    panel = full.subset(items)
    t_panel = time.perf_counter() - start
    models = {
        "naive": forecast.Naive(),
        "MA4": forecast.MovingAverage(window=4),
        "MA8": forecast.MovingAverage(window=8),
        "median8": forecast.MovingMedian(window=8),
        "SES": forecast.SES(),
        "Holt damped": forecast.Holt(),
        "Croston": forecast.Croston(),
        "SBA": forecast.Croston(variant="sba"),
        "TSB": forecast.TSB(),
        "boosting": forecast.GlobalBoosting(horizon=horizon),
    }
    test_start, val_start = full.weeks[n - test_weeks], full.weeks[n - test_weeks - validation_weeks]
    start = time.perf_counter()
    backtest = forecast.rolling_origin(
        panel.units,
        models,
        n_origins=validation_weeks + test_weeks,
        horizon=horizon,
        prices=panel.price,
        refit_at=[val_start, test_start],
        progress=False,
    )
    t_backtest = time.perf_counter() - start
    test = forecast.evaluation_window(backtest, test_start, full.weeks[-1] + pd.Timedelta(days=1))
    errors = forecast.product_errors(test, forecast.naive_scales(panel.units.loc[panel.weeks < test_start]))
    summary = forecast.summarize_errors(errors)
    print(
        f"panel: {t_panel:.1f} s; backtest of {len(models)} models x {validation_weeks + test_weeks} origins "
        f"x {len(items):,} products: {t_backtest:.1f} s"
    )
    print(summary["mase"].unstack("h")[[1, horizon]].round(3).to_string())


if __name__ == "__main__":
    main()
