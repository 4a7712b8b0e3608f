"""Time notebook 12's review loop (section 2) and hand-over loop (section 3) at their default sizes.

Run by hand: ``python benchmarks/bench_feedback_loops.py [--seeds 10]``.
Target (issue 27): the two sections together under 2 minutes of CPU on the bundled data (CPU time of this
process, one thread, so the figure does not depend on what else the machine runs). Loading the data is
left out; building each seed's simulated world is in.
"""

from __future__ import annotations

import argparse
import time

from shopai_lab import anomaly, data, support

TARGET_SECONDS = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    seeds = range(args.seeds)
    cleaned = data.clean_transactions(data.load_online_retail())
    messages = data.load_banking77()
    start = time.process_time()
    review_data = anomaly.ReviewData(cleaned.purchases, cleaned.returns)
    anomaly.review_table(
        anomaly.review_study(review_data, budget=20, explore_shares=[0.1, 0.25], n_weeks=40, seeds=seeds)
    )
    review = time.process_time() - start
    start = time.process_time()
    handover_data = support.HandoverData(messages)
    support.handover_table(support.handover_study(handover_data, n_weeks=12, seeds=seeds))
    handover = time.process_time() - start
    verdict = "met" if review + handover < TARGET_SECONDS else "NOT met"
    print(
        f"review loop {review:.1f} s, hand-over loop {handover:.1f} s of CPU for {args.seeds} seeds: "
        f"{review + handover:.1f} s against {TARGET_SECONDS:.0f} s ({verdict})"
    )


if __name__ == "__main__":
    main()
