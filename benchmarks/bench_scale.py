"""Scale: 200,000 customers x 20,000 items x 5,000,000 interactions, fit and top-10 for every customer.

Each model runs in its own process so its peak memory (max resident set size) is its own.
Run by hand: ``python benchmarks/bench_scale.py [--users 200000 --items 20000 --nnz 5000000]``.
Target (issue 3): fits in 8 GB of memory.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time

import numpy as np
import scipy.sparse as sp


def simulated_matrix(n_users: int, n_items: int, nnz: int, seed: int = 0) -> sp.csr_matrix:
    """Binary users x items matrix with long-tailed user activity and item popularity, ``nnz`` distinct cells."""
    rng = np.random.default_rng(seed)
    item_p = 1.0 / np.arange(1, n_items + 1) ** 0.8
    item_p /= item_p.sum()
    user_p = rng.lognormal(0.0, 1.0, n_users)
    user_p /= user_p.sum()
    cells = np.empty(0, dtype=np.int64)
    while len(cells) < nnz:
        need = int((nnz - len(cells)) * 1.2) + 1000
        draw = rng.choice(n_users, need, p=user_p).astype(np.int64) * n_items + rng.choice(n_items, need, p=item_p)
        cells = np.unique(np.concatenate([cells, draw]))
    cells = rng.permutation(cells)[:nnz]
    rows, cols = np.divmod(cells, n_items)
    return sp.csr_matrix((np.ones(nnz, dtype=np.float32), (rows, cols)), shape=(n_users, n_items))


def run(name: str, args, queue) -> None:
    from shopai_lab.recommend import ALS, ItemKNN

    X = simulated_matrix(args.users, args.items, args.nnz)
    model = {
        "ItemKNN": ItemKNN(n_neighbors=100),
        "ALS": ALS(factors=64, iterations=args.als_iterations, progress=False),
    }[name]
    start = time.perf_counter()
    model.fit(X)
    fit = time.perf_counter() - start
    model.batch_size = 5_000
    start = time.perf_counter()
    items, _ = model.recommend(np.arange(args.users), k=10)
    top = time.perf_counter() - start
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
    queue.put((name, fit, top, peak_gb, items.shape))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--nnz", type=int, default=5_000_000)
    parser.add_argument("--als-iterations", type=int, default=15)
    parser.add_argument("--models", nargs="*", default=["ItemKNN", "ALS"])
    args = parser.parse_args()
    start = time.perf_counter()
    X = simulated_matrix(args.users, args.items, args.nnz)
    print(f"{X.shape[0]:,} x {X.shape[1]:,}, {X.nnz:,} interactions (generated in {time.perf_counter() - start:.1f} s)")
    ctx = mp.get_context("spawn")
    for name in args.models:
        queue = ctx.Queue()
        process = ctx.Process(target=run, args=(name, args, queue))
        process.start()
        result = queue.get()
        process.join()
        name, fit, top, peak, shape = result
        print(f"{name}: fit {fit:.1f} s, top-10 for all {shape[0]:,} customers {top:.1f} s, peak memory {peak:.2f} GB")


if __name__ == "__main__":
    main()
