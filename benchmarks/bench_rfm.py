"""Time rfm() (and the rest of the RFM pipeline) on simulated transaction lines.

Run by hand: ``python benchmarks/bench_rfm.py [--lines 1000000] [--repeat 5]``.
Target (issue 2): rfm() on 1,000,000 lines in under 3 s on 2 cores.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from shopai_lab.behavior import assign_segments, cohort_retention, rfm, rfm_scores
from shopai_lab.data import random_transactions


def best_of(repeat: int, fn, *args, **kwargs) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    lines = random_transactions(args.lines, n_customers=args.customers, n_items=5_000, random_state=0)
    made = time.perf_counter() - start
    table = rfm(lines)
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(
        f"{len(lines):,} lines, {lines['customer_id'].nunique():,} customers, "
        f"{lines['invoice_id'].nunique():,} invoices (generated in {made:.1f} s)"
    )
    print(f"rfm():                   {best_of(args.repeat, rfm, lines):.3f} s  (best of {args.repeat})")
    print(f"rfm_scores + segments:   {best_of(args.repeat, lambda t: assign_segments(rfm_scores(t)), table):.3f} s")
    print(f"cohort_retention():      {best_of(args.repeat, cohort_retention, lines):.3f} s")


if __name__ == "__main__":
    main()
