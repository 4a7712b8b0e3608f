"""Time each notebook end to end on the bundled data, the way `make report` runs it.

Run by hand: ``python benchmarks/bench_notebooks.py [NOTEBOOK ...] [--repeat 3]``.
Target (issue 2): notebook 01 under 60 s on 2 cores on the full bundled data.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from shopai_lab.lab import execute, resolve_notebooks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores")
    for path in resolve_notebooks(args.notebooks):
        times = []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.repeat):
                start = time.perf_counter()
                execute(path, Path(tmp) / path.name, progress=False)
                times.append(time.perf_counter() - start)
        print(
            f"{path.stem}: best {min(times):.1f} s, median {sorted(times)[len(times) // 2]:.1f} s "
            f"over {args.repeat} runs (kernel start included)"
        )


if __name__ == "__main__":
    main()
