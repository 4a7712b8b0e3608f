"""SASRec (the neural sequential recommender) against EASE and the house Blend on the house protocol.

Needs the [deep] extra (``pip install -e .[deep]``). Run by hand: ``python benchmarks/bench_sequential.py``
(``--quick`` searches one SASRec setting). Every choice is made on the validation split cut inside train
(notebook 02's protocol: ``temporal_split`` of the training purchases): EASE's and the Blend's settings by
:func:`shopai_lab.recommend.tune_models`, SASRec's by nDCG@10 over :data:`GRID`; the test period is touched
once, by the chosen models refitted on the whole training period (SASRec for the number of epochs early
stopping kept on validation, without an inner hold-out: the held-out last purchases of a tenth of the customers
proved too noisy a stopping rule on its own). Prints nDCG@10 and hit rate@10 with
paired bootstrap intervals over customers (SASRec minus each benchmark) and fit times.

Target (issue 24): reported honestly whatever it scores; training in a few minutes on 2 cores at defaults.
Last run (bundled data, 2 shared cores): SASRec nDCG@10 0.0638 against EASE 0.1073 and the Blend 0.1159
(SASRec - EASE -0.044, 95% CI -0.051 to -0.036); fit 105 s for 36 epochs on the training period.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402

from shopai_lab import recommend as rec  # noqa: E402
from shopai_lab.data import clean_transactions, load_online_retail  # noqa: E402
from shopai_lab.recommend.sequences import split_sequences  # noqa: E402
from shopai_lab.recommend.sequential import SASRec  # noqa: E402

#: SASRec settings searched on the validation split (the rest are the class defaults).
GRID = [{}, {"learning_rate": 1e-2}]
K, N_BOOT, SEED = 10, 2000, 0


def tune_sasrec(validation: rec.Split, grid: list[dict]) -> tuple[dict, pd.DataFrame]:
    """Each setting's validation nDCG@10, hit rate@10, epochs kept and fit time; the best setting by nDCG."""
    sequences, rows = split_sequences(validation), []
    for params in grid:
        model = SASRec(**params, random_state=SEED, progress=False).fit(validation.train.matrix, sequences)
        row = rec.evaluate(model, validation, k=K)
        rows.append(
            {
                **params,
                "ndcg": row["ndcg"].iloc[0],
                "hit_rate": row["hit_rate"].iloc[0],
                "best_epoch": model.best_epoch_,
                "seconds": model.fit_seconds_,
            }
        )
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    return grid[int(table["ndcg"].to_numpy().argmax())], table


def main(quick: bool = False) -> None:
    split = rec.temporal_split(clean_transactions(load_online_retail()).purchases, test_days=60)
    validation = rec.temporal_split(split.train_purchases, test_days=60)
    start = time.perf_counter()
    tuning = rec.tune_models(validation, ["EASE", "Blend"], k=K, random_state=SEED)
    print(f"EASE/Blend tuned in {time.perf_counter() - start:.0f} s: {tuning.params}", flush=True)
    best, table = tune_sasrec(validation, GRID[:1] if quick else GRID)
    print("SASRec on validation:\n", table.round(4).to_string(index=False), "\nchosen:", best, flush=True)
    fitted = rec.fit_models(split, ["EASE", "Blend"], tuning.params)
    final = {**best, "epochs": int(table.loc[GRID.index(best), "best_epoch"]), "validation_share": 0.0}
    fitted["SASRec"] = SASRec(**final, random_state=SEED, progress=False).fit(
        split.train.matrix, split_sequences(split)
    )
    evaluated = {name: rec.evaluate(m, split, k=K, name=name, return_per_user=True) for name, m in fitted.items()}
    results = pd.concat([row for row, _ in evaluated.values()])
    per_user = {name: users for name, (_, users) in evaluated.items()}
    print(results[["ndcg", "hit_rate", "recall", "coverage", "fallback_users", "fit_seconds"]].round(4).to_string())
    for metric, label in (("ndcg", f"nDCG@{K}"), ("hit", f"hit rate@{K}")):
        for baseline in ("EASE", "Blend"):
            difference = rec.paired_difference(per_user, "SASRec", baseline, metric, n_boot=N_BOOT, random_state=SEED)
            print(f"{label} SASRec - {baseline}: {difference}")
    print(f"SASRec fit on the training period: {fitted['SASRec'].fit_seconds_:.0f} s, {final['epochs']} epochs")
    print(candidate_recall(fitted, split, n=100).round(4).to_string())


def candidate_recall(fitted: dict, split: rec.Split, n: int = 100) -> pd.Series:
    """Share of the test period's novel purchases in each model's top ``n``, and in EASE's and SASRec's union."""
    lists = {name: fitted[name].recommend(split.eval_users, k=n)[0] for name in ("EASE", "Blend", "SASRec")}
    truth = split.truth[split.eval_users]
    found = {}
    for name, items in {**lists, "EASE | SASRec": np.hstack([lists["EASE"], lists["SASRec"]])}.items():
        rows, cols = np.repeat(np.arange(len(items)), items.shape[1]), items.ravel()
        keep = cols >= 0  # -1 pads a list shorter than n
        listed = sp.csr_matrix((np.ones(keep.sum()), (rows[keep], cols[keep])), shape=truth.shape)
        found[f"{name} (top {n} each)"] = truth.multiply(listed > 0).sum() / truth.sum()
    return pd.Series(found, name=f"candidate recall@{n}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
