"""Our ALS against the `implicit` library on the same split (quality and fit time), plus implicit's BPR.

Needs the [bench] extra (`pip install -e .[bench]`). Run by hand: ``python benchmarks/bench_implicit.py``.
Targets (issue 3): our ALS at least matches implicit's ALS quality at equal settings, and fits within
3x of its time on the same machine.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd

from shopai_lab.data import clean_transactions, load_online_retail
from shopai_lab.recommend import ALS, Recommender, evaluate, temporal_split

SETTINGS = {"factors": 64, "regularization": 0.01, "alpha": 1.0, "iterations": 15}


class ImplicitAdapter(Recommender):
    """Wrap a fitted implicit model so the house evaluate() scores it like ours."""

    def __init__(self, model, name: str) -> None:
        self.model, self.name = model, name

    def fit(self, X):
        self._fit_common(X)
        start = time.perf_counter()
        self.model.fit(self.X_, show_progress=False)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _score_batch(self, users: np.ndarray) -> np.ndarray:
        return self.model.user_factors[users] @ self.model.item_factors.T


def main() -> None:
    import implicit
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking

    print(f"implicit {implicit.__version__}, {os.cpu_count()} cores; settings {SETTINGS}")
    split = temporal_split(clean_transactions(load_online_retail()).purchases, test_days=60)
    rows = []
    for seed in (0, 1, 2):
        ours = evaluate(ALS(**SETTINGS, random_state=seed, progress=False), split, fit=True, name="shopai ALS")
        theirs = evaluate(
            ImplicitAdapter(AlternatingLeastSquares(**SETTINGS, random_state=seed), "implicit ALS"),
            split,
            fit=True,
            name="implicit ALS",
        )
        bpr = evaluate(
            ImplicitAdapter(BayesianPersonalizedRanking(factors=64, iterations=100, random_state=seed), "implicit BPR"),
            split,
            fit=True,
            name="implicit BPR (100 epochs)",
        )
        rows.append(pd.concat([ours, theirs, bpr]).assign(seed=seed))
    table = pd.concat(rows)
    summary = table.groupby(level=0)[["ndcg", "precision", "recall", "coverage", "fit_seconds"]].agg(["mean", "std"])
    print(summary.round(4).to_string())


if __name__ == "__main__":
    main()
