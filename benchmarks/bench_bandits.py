"""The bandit pricing benchmark of issue 5, timed.

Prices {29.9, 34.9, 39.9, 44.9}, purchase probabilities {0.8, 0.6, 0.3, 0.1}, T = 10,000 customers,
100 seeds simulated together. Targets: Thompson sampling >= 99.3% of the clairvoyant revenue; with
inventory 0.25 T, TS-update >= 99.8% of the LP bound; the 100-seed x 10,000-step simulation of
Thompson sampling in under 2 s.

Run by hand: ``python benchmarks/bench_bandits.py``.
"""

from __future__ import annotations

import os

from shopai_lab.pricing import (
    UCB1,
    EpsilonGreedy,
    ExploreThenCommit,
    InventoryThompsonSampling,
    ThompsonSampling,
    race,
    simulate_pricing,
)

PRICES = [29.9, 34.9, 39.9, 44.9]
PROBABILITIES = [0.8, 0.6, 0.3, 0.1]
T, RUNS = 10_000, 100


def main() -> None:
    print(f"{os.cpu_count()} cores; T = {T:,}, {RUNS} seeds")
    times = [
        simulate_pricing(ThompsonSampling(), PRICES, PROBABILITIES, T, RUNS, random_state=s).seconds for s in range(3)
    ]
    print(f"Thompson sampling, 100 seeds x 10,000 steps: best {min(times):.2f} s of 3")
    table, runs = race(
        [
            ThompsonSampling(),
            UCB1(),
            EpsilonGreedy(epsilon=0.1),
            EpsilonGreedy(epsilon=5.0, decay=True),
            ExploreThenCommit(m=100),
            EpsilonGreedy(epsilon=0.0),
        ],
        PRICES,
        PROBABILITIES,
        T,
        RUNS,
    )
    print(table[["share_of_benchmark", "regret", "regret_p95"]].round(4).to_string())
    policies = [
        InventoryThompsonSampling(update_capacity=False),
        InventoryThompsonSampling(update_capacity=True),
        ThompsonSampling(),
    ]
    table, runs = race(policies, PRICES, PROBABILITIES, T, RUNS, inventory=0.25 * T)
    print("inventory 0.25 T, share of the LP bound:")
    print(table[["share_of_benchmark", "regret"]].round(4).to_string())
    print("seconds:", {name: round(run.seconds, 2) for name, run in runs.items()})


if __name__ == "__main__":
    main()
