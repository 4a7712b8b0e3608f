"""Notebook 07's headline metrics, each with the tolerance that follows from what it is.

:func:`headline_metrics` returns ``(name, value, options)`` triples for :func:`shopai_lab.lab.record`:
counts are exact; a rate over random splits carries its binomial standard error (``noise``); a share of the
oracle's profit carries its standard error over seeds; a variance reduction, a power or an MDE computed from
the same splits on any machine carries the split-to-split standard error of the rate it rests on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from shopai_lab._validation import require_columns


def _rate_se(rate: float, n: int) -> float:
    return float(np.sqrt(max(rate * (1 - rate), 1.0 / n) / n))


def _split_metrics(aa_table: pd.DataFrame, power: pd.DataFrame, n_power_splits: int) -> list[tuple]:
    rows = []
    for method, row in aa_table.iterrows():
        n = int(row["splits"])
        rows.append((f"aa/{method}", row["rejection_rate"], {"noise": _rate_se(row["rejection_rate"], n)}))
        rows.append((f"coverage/{method}", row["coverage"], {"noise": _rate_se(row["coverage"], n)}))
    for (lift, method), value in power.set_index(["lift", "method"])["power"].items():
        rows.append((f"power/{method}@{lift:g}", value, {"noise": _rate_se(value, n_power_splits)}))
    return rows


def _peeking_metrics(peeking: pd.DataFrame, effect: str, n_splits: int) -> list[tuple]:
    pk = peeking.xs("rejection_rate", axis=1, level=1)
    rows = []
    for column in pk.columns:
        for procedure, key in (("weekly peeking", "peeking"), ("group-sequential", "obf"), ("mSPRT", "msprt")):
            value = pk.loc[procedure, column]
            rows.append((f"{key}/{column}", value, {"noise": _rate_se(value, n_splits)}))
    stop = peeking.loc["group-sequential", (effect, "mean_stop")]
    rows.append(("obf/mean_stop", stop, {"rtol": 0.002, "reason": "a mean over the same splits on any machine"}))
    return rows


def _targeting_metrics(targeting: pd.DataFrame) -> list[tuple]:
    require_columns(targeting, ["share_of_oracle", "low", "high", "seeds", "chosen"], "targeting")
    rows = []
    for (scenario, rule), row in targeting.iterrows():
        se = (row["high"] - row["low"]) / 4 if np.isfinite(row["high"] - row["low"]) else 0.01
        rows.append((f"uplift/{scenario}/share/{rule}", row["share_of_oracle"], {"noise": max(se, 1e-4)}))
        if row["chosen"]:
            rows.append((f"uplift/{scenario}/chosen", rule, {}))
    return rows


def headline_metrics(
    *,
    customers: int,
    aa_table: pd.DataFrame,
    reduction: pd.Series,
    explained: dict[str, float],
    power: pd.DataFrame,
    conversion_power: float,
    sizing: pd.DataFrame,
    peeking: pd.DataFrame,
    effect: str,
    damage: pd.DataFrame,
    n_lost: int,
    targeting: pd.DataFrame,
    n_power_splits: int,
) -> list[tuple[str, Any, dict[str, Any]]]:
    """Every headline figure of notebook 07 as ``(name, value, record options)``.

    Parameters are the notebook's results of the same names (``effect``: the name of the A/B run of the
    peeking table; ``targeting``: :func:`~shopai_lab.experiments.targeting.targeting_table`).
    """
    n_splits = int(aa_table["splits"].iloc[0])
    vr_noise = {"noise": float(np.sqrt(2 / max(n_splits - 1, 1)))}  # se of a variance ratio's log, roughly
    rows: list[tuple[str, Any, dict[str, Any]]] = [("customers", int(customers), {})]
    rows += _split_metrics(aa_table, power, n_power_splits)
    rows += [
        ("variance_reduction/cuped", reduction["cuped"], vr_noise),
        ("variance_reduction/regression", reduction["regression (HC2)"], vr_noise),
        ("variance_reduction/cuped_without_top1", explained["without_top"], {"rtol": 1e-4, "reason": "closed form"}),
        ("power/conversion", conversion_power, {"noise": _rate_se(conversion_power, n_power_splits)}),
        ("mde/welch_pct", sizing.loc["welch", "MDE at this size (%)"], {"rtol": 1e-4, "reason": "closed form"}),
        ("mde/cuped_pct", sizing.loc["cuped", "MDE at this size (%)"], vr_noise),
        ("n_per_arm/welch", int(sizing.loc["welch", "customers per arm for 80%"]), {}),
        ("n_per_arm/cuped", int(sizing.loc["cuped", "customers per arm for 80%"]), {}),
    ]
    rows += _peeking_metrics(peeking, effect, n_splits)
    rows += [
        ("srm/lost_customers", int(n_lost), {}),
        ("srm/lost_median_p", damage["srm_p_value"].median(), {"noise": 0.3 / np.sqrt(len(damage))}),
        ("srm/lost_reject", damage["reject"].mean(), {"noise": _rate_se(damage["reject"].mean(), len(damage))}),
    ]
    return rows + _targeting_metrics(targeting)
