"""Benchmark (proposed for benchmarks/bench_experiments.py): 2,000 A/A splits of the bundled shop's
experiment population, timed per method. Issue 13 target: under 5 s for 2,000 splits."""

import time

from shopai_lab import data
from shopai_lab import experiments as ex


def main(n_splits: int = 2000) -> None:
    cleaned = data.clean_transactions(data.load_online_retail())
    population = ex.experiment_population(data.net_of_returns(cleaned.purchases, cleaned.returns))
    customers = population.customers
    T = ex.random_assignments(len(customers), n_splits, random_state=0)
    total = 0.0
    for method in ("welch", "two proportions", "cuped", "regression (HC2)"):
        start = time.perf_counter()
        ex.simulate_splits(customers, T, methods=(method,), covariates=list(ex.COVARIATES), progress=False)
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"{method:>18}: {elapsed:.2f} s for {n_splits:,} splits of {len(customers):,} customers")
    print(f"{'all four':>18}: {total:.2f} s")


if __name__ == "__main__":
    main()
