"""Clean + RFM (scores, segments) + cohorts with Spark on a large simulated shop, and pandas where it fits.

Run by hand (needs the [spark] extra and Java 17/21), never in tests:

    python benchmarks/bench_spark.py --lines 50000000 --pandas-lines 5000000 --driver-memory 4g

Target (issue 16): RFM + cohorts on 50,000,000 simulated lines in local mode on 2 cores within 4 GB of
driver memory. Prints wall and CPU seconds of each step (CPU: this Python process plus the JVM's, read
from /proc, so the figure means something on a machine shared with others).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from shopai_lab import behavior, data
from shopai_lab import spark as sk


def _jvm_cpu_seconds(session) -> float:
    """User + system CPU seconds of the driver JVM (Linux /proc), or NaN elsewhere."""
    try:
        pid = session.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return float("nan")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, fn, session=None):
    wall, cpu, jvm = time.perf_counter(), _own_cpu(), _jvm_cpu_seconds(session) if session else 0.0
    out = fn()
    jvm_after = _jvm_cpu_seconds(session) if session else 0.0
    print(
        f"{label:<42} wall {time.perf_counter() - wall:8.1f} s   cpu {_own_cpu() - cpu + jvm_after - jvm:8.1f} s",
        flush=True,
    )
    return out


def spark_pipeline(session, folder: Path) -> None:
    cleaned = sk.clean_transactions(sk.read_transactions(session, folder))
    purchases = cleaned.purchases.cache()
    table = sk.assign_segments(sk.rfm_scores(sk.rfm(purchases, returns=cleaned.returns)))
    segments = table.groupBy("segment").count().collect()
    retention = sk.cohort_retention(purchases)
    print(
        f"  {int(cleaned.report['rows_left'].iloc[-1]):,} clean lines, {sum(r['count'] for r in segments):,} "
        f"customers, {len(retention)} cohorts"
    )
    purchases.unpersist()


def pandas_pipeline(folder: Path) -> None:
    cleaned = data.clean_transactions(sk.pandas_lines(folder))
    table = behavior.rfm(cleaned.purchases, returns=cleaned.returns)
    table = behavior.assign_segments(behavior.rfm_scores(table))
    retention = behavior.cohort_retention(cleaned.purchases)
    print(f"  {len(cleaned.purchases):,} clean lines, {len(table):,} customers, {len(retention)} cohorts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=50_000_000)
    parser.add_argument("--pandas-lines", type=int, default=5_000_000, help="0: skip pandas")
    parser.add_argument("--chunk-lines", type=int, default=2_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--folder", default=None, help="where to write the shop (default: a temp folder)")
    args = parser.parse_args()
    root = Path(args.folder or tempfile.mkdtemp(prefix="shopai_bench_spark_"))
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {args.master}, driver {args.driver_memory}")
    big = root / f"shop_{args.lines}"
    info = timed(
        f"write {args.lines:,} lines (Parquet parts)",
        lambda: sk.write_simulated_shop(big, args.lines, chunk_lines=args.chunk_lines, progress=False),
    )
    size = sum(p.stat().st_size for p in big.glob("part-*")) / 1e9
    print(f"  {info['parts']} parts, {size:.2f} GB on disk")
    session = timed("Spark session start", lambda: sk.local_session(args.master, args.driver_memory, 4))
    session.conf.set("spark.sql.shuffle.partitions", str(max(4, args.lines // 2_000_000)))
    timed(f"Spark clean+RFM+segments+cohorts {args.lines:,}", lambda: spark_pipeline(session, big), session)
    if args.pandas_lines:
        small = root / f"shop_{args.pandas_lines}"
        sk.write_simulated_shop(small, args.pandas_lines, chunk_lines=args.chunk_lines, progress=False)
        timed(
            f"Spark clean+RFM+segments+cohorts {args.pandas_lines:,}",
            lambda: spark_pipeline(session, small),
            session,
        )
        timed(f"pandas clean+RFM+segments+cohorts {args.pandas_lines:,}", lambda: pandas_pipeline(small))
    session.stop()


if __name__ == "__main__":
    main()
