"""Time the enumeration attack of notebook 08 on hashed customer ids: every five-digit id hashed and looked up.

Run by hand: ``python benchmarks/bench_privacy.py [--candidates 100000] [--repeat 3]``.
Target (issue 14): plain SHA-256 hashes of 1,981 ids reversed from 100,000 candidates in under 1 s of CPU
(CPU time of this process, so the figure does not depend on what else the machine runs).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from shopai_lab.privacy import enumeration_attack, plain_hash

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ids = pd.Series([f"{i:05d}" for i in range(12_346, 18_288, 3)])
    candidates = [f"{i:05d}" for i in range(args.candidates)]
    hashes = plain_hash(ids)
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        recovered = enumeration_attack(hashes, candidates)
        times.append(time.process_time() - start)
    assert (recovered == ids).all()
    verdict = "met" if min(times) < TARGET_SECONDS else "NOT met"
    print(
        f"{len(ids):,} plain hashes reversed from {len(candidates):,} candidates: {min(times):.2f} s of CPU "
        f"best of {args.repeat} ({verdict})"
    )


if __name__ == "__main__":
    main()
