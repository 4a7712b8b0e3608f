"""Time each anomaly detector of notebook 08 fitting and scoring 20,000 invoices (16 features).

Run by hand: ``python benchmarks/bench_anomaly.py [--invoices 20000] [--repeat 3]``.
Target (issue 14): every detector under 5 s of CPU for 20,000 invoices (CPU time of this process, so the
figure does not depend on what else the machine runs).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from shopai_lab.anomaly import default_detectors

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    columns = [f"f{j}" for j in range(13)] + ["max_price_ratio", "quantity_contrast", "repeat_basket"]
    X = pd.DataFrame(rng.normal(size=(args.invoices, len(columns))), columns=columns)
    for name, detector in default_detectors(n_neighbors=50).items():
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            scores = detector.fit_score(X)
            times.append(time.process_time() - start)
        assert scores.shape == (args.invoices,)
        verdict = "met" if min(times) < TARGET_SECONDS else "NOT met"
        print(f"{name:>15}: {min(times):.2f} s of CPU best of {args.repeat} for {args.invoices:,} invoices ({verdict})")


if __name__ == "__main__":
    main()
