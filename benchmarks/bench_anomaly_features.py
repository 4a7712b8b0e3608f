"""Time notebook 08's invoice features on the bundled data: past-only (expanding medians) vs whole-period medians.

Run by hand: ``python benchmarks/bench_anomaly_features.py [--repeat 3]``.
Target (issue 22): past-only features of the bundled data's ~400,000 product lines in a few seconds (under 5 s of
CPU, the time of this process, so the figure does not depend on what else the machine runs).
"""

from __future__ import annotations

import argparse
import time

from shopai_lab.anomaly import invoice_features
from shopai_lab.data import clean_transactions, load_online_retail

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = clean_transactions(load_online_retail()).purchases
    for label, options in (("past-only", {}), ("whole-period (look-ahead)", {"look_ahead": True})):
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            features = invoice_features(lines, **options)
            times.append(time.process_time() - start)
        verdict = "met" if min(times) < TARGET_SECONDS else "NOT met"
        print(
            f"{label:>26}: {min(times):.2f} s of CPU best of {args.repeat} for {len(lines):,} lines, "
            f"{len(features):,} invoices ({verdict})"
        )


if __name__ == "__main__":
    main()
