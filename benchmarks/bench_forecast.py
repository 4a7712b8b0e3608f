"""Benchmark: notebook 06's study on the bundled data, stage by stage, at the notebook's defaults.

Run from the project root: ``python benchmarks/bench_forecast.py``. Prints the wall and CPU time of each stage
(panel; the rolling-origin backtest of every forecaster; the choice on validation; the conformal quantiles and
the simulated stock policies on the validation windows and the test weeks) and the headline figures. Targets
(issue 23): the whole notebook within 3 minutes on 2 cores; the backtest is its largest stage.
Wall time depends on the machine's load (it is shared): CPU time is the figure to compare between runs.

Measured (bundled data, defaults, one thread, load average 5 on 2 shared cores, after issue 23's LightGBM
model and the residual-scale choice): panel 1.3 s CPU; backtest of 12 models (LightGBM included) x 1,457 products
x 24 origins 33.9 s CPU (81 s wall under that load; 29.2 s CPU with 11 models before LightGBM); choice 3.6 s;
residual scale chosen on validation 6.8 s; quantiles and policies 6.0 s. The whole notebook
(`shopai-lab refresh 06`): 125 s wall, 58 s CPU at load 5-6 (50 s wall at load 1.2-1.7 before LightGBM);
its nbval run 203 s wall at load 6.
"""

import time

import pandas as pd

from shopai_lab import forecast
from shopai_lab.data import NON_PRODUCT_PATTERN, load_online_retail
from shopai_lab.forecast import decision, policy


class _Stage:
    """Wall and CPU seconds of a block."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        print(
            f"{self.name:<40s} wall {time.perf_counter() - self.wall:6.1f} s   "
            f"cpu {time.process_time() - self.cpu:6.1f} s"
        )


def main(test_weeks: int = 8, validation_weeks: int = 12, horizon: int = 4, n_windows: int = 3) -> None:
    with _Stage("panel"):
        full = forecast.weekly_panel(load_online_retail(), NON_PRODUCT_PATTERN)
        n = len(full.weeks)
        items = forecast.select_products(full.units, full.weeks[n - test_weeks - validation_weeks - 1], 0.6)
        panel = full.subset(items)
        test_start, val_start = full.weeks[n - test_weeks], full.weeks[n - test_weeks - validation_weeks]
    models = decision.forecasters(horizon)
    with _Stage(f"backtest: {len(models)} models x {len(items):,} products"):
        backtest = forecast.rolling_origin(
            panel.units, models, n_origins=4 + validation_weeks + test_weeks, horizon=horizon, prices=panel.price,
            refit_at=[val_start, test_start], progress=False,
        )  # fmt: skip
    with _Stage("choice on validation (combinations)"):
        backtest, recommended, _, val_summary = decision.choose_forecaster(backtest, panel.units, val_start, test_start)
        bench = decision.benchmarks(val_summary)["rmsse"]
    train = panel.units.loc[panel.weeks < val_start]
    end = panel.weeks[-1] + pd.Timedelta(days=1)
    grid = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999]
    with _Stage("residual scale chosen on validation"):
        caps = policy.bulk_caps(train)
        windows = policy.validation_windows(panel.weeks, val_start, test_start, n_windows)
        kind, _ = decision.choose_scale(backtest, recommended, train, caps, windows, grid, panel.units, 1, 0.05, 1.0)
    with _Stage("quantiles and stock policies"):
        origins = [w for w in panel.weeks if w >= val_start]
        scale = decision.quantile_scale(train, kind)
        quantiles = decision.policy_quantiles(backtest, [recommended, bench], scale, caps, origins, grid, 2)
        for m in dict.fromkeys([recommended, bench]):
            getter = decision.levels_getter(quantiles, m, panel.units.columns)
            for span in (windows, [(test_start, end)]):
                policy.window_curves(span, panel.units, getter, grid, 0.05, 1.0)  # all demand, as on test
    errors = forecast.product_errors(
        forecast.evaluation_window(backtest, test_start, end),
        forecast.naive_scales(panel.units.loc[panel.weeks < test_start]),
    )
    print(f"recommended {recommended}, benchmark {bench}")
    print(forecast.summarize_errors(errors)["rmsse"].unstack("h")[[1, horizon]].loc[[recommended, bench]].round(3))


if __name__ == "__main__":
    main()
