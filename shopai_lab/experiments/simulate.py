"""A/A and A/B simulations on real customers, vectorised over thousands of random splits.

An A/A test splits the real customers at random and treats nobody: every
rejection is a false positive, so the rejection rate estimates a test's real
false-positive rate on this shop's heavy-tailed metrics. An A/B simulation
injects a known effect into the treated arm (a relative lift of revenue, or
extra conversions), so power and interval coverage are measured against the
truth. One split is one row of a boolean assignment matrix; the estimators'
``*_arrays`` cores process all rows at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from tqdm import tqdm

from shopai_lab import ranking
from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_columns,
    require_number,
    require_positive,
    require_positive_int,
    require_probability,
    require_strings,
)
from shopai_lab.experiments.assignment import as_assignments
from shopai_lab.experiments.estimators import (
    proportions_from_counts,
    ratio_arrays,
    relative_lift_arrays,
    welch_arrays,
)
from shopai_lab.experiments.variance_reduction import cuped_arrays, regression_arrays

METHODS = (
    "welch",
    "welch (capped)",
    "cuped",
    "cuped (capped)",
    "regression (HC1)",
    "regression (HC2)",
    "regression (HC3)",
    "two proportions",
    "relative lift",
    "revenue per order",
)


def random_assignments(
    n_units: int,
    n_splits: int,
    *,
    share: float = 0.5,
    design: str = "bernoulli",
    random_state: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """Boolean ``(n_splits, n_units)`` matrix of random assignments (True = treated).

    ``design="bernoulli"`` flips a coin per unit (what hash bucketing does, arm
    sizes vary); ``"complete"`` treats exactly ``round(share * n_units)`` units per split.

    Examples
    --------
    >>> T = random_assignments(100, 3, design="complete", random_state=0)
    >>> T.shape, T.sum(axis=1).tolist()
    ((3, 100), [50, 50, 50])
    """
    n = require_positive_int(n_units, "n_units", minimum=4)
    s = require_positive_int(n_splits, "n_splits")
    share = require_probability(share, "share")
    rng = np.random.default_rng(random_state)
    if design == "bernoulli":
        T = rng.random((s, n)) < share
        treated = T.sum(axis=1)
        bad = np.flatnonzero(np.minimum(treated, n - treated) < 2)
        for row in bad:  # vanishingly rare at real sizes; redraw so every split has two arms
            while min(T[row].sum(), n - T[row].sum()) < 2:
                T[row] = rng.random(n) < share
        return T
    if design == "complete":
        m = int(round(share * n))
        if min(m, n - m) < 2:
            raise ValueError(f"share {share} leaves fewer than 2 units in an arm of {n}")
        return np.argsort(rng.random((s, n)), axis=1, kind="stable") < m
    raise ValueError(f"design must be 'bernoulli' or 'complete', got {design!r}")


def added_conversions(converted: np.ndarray, T: np.ndarray, points: float, rng: np.random.Generator) -> np.ndarray:
    """Number of extra treated conversions per split for a lift of ``points`` in expectation.

    Each treated non-converter converts with probability ``points / (1 - base rate)``.
    """
    base = float(converted.mean())
    if not 0 <= points <= 1 - base:
        raise ValueError(f"conversion_points must be in [0, {1 - base:.3f}] for a base rate of {base:.3f}")
    flip = (rng.random(T.shape) < points / (1 - base)) & T & (converted[None, :] == 0)
    return flip.sum(axis=1)


def _truth(
    method: str,
    lift: float,
    points: float,
    y: np.ndarray,
    capped: np.ndarray | None,
    cap: float,
    orders: np.ndarray,
) -> float:
    if method == "two proportions":
        return points
    if method == "relative lift":
        return lift
    if method == "revenue per order":
        return lift * y.sum() / orders.sum()
    if "capped" in method:
        return float(np.mean(np.minimum(y * (1 + lift), cap) - capped))
    return lift * float(y.mean())


def simulate_splits(
    customers: pd.DataFrame,
    T: np.ndarray,
    *,
    methods: Sequence[str] = METHODS,
    lift: float = 0.0,
    conversion_points: float = 0.0,
    pre: str = "pre_revenue",
    covariates: Sequence[str] = ("pre_revenue",),
    cap: float | None = None,
    alpha: float = 0.05,
    chunk_size: int = 500,
    random_state: int | np.random.Generator | None = 0,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every method on every split (row of ``T``) and compare with the injected truth.

    Parameters
    ----------
    customers
        Columns ``revenue``, ``converted``, ``orders`` and the pre-period columns
        used (e.g. ``ExperimentPopulation.customers``).
    T
        Boolean ``(n_splits, n_customers)`` assignments (:func:`random_assignments`).
    methods
        Any of :data:`METHODS`.
    lift
        Relative lift of every treated customer's revenue (0 = A/A).
    conversion_points
        Extra conversion rate in the treated arm (0 = A/A), for ``"two proportions"``.
    pre, covariates
        CUPED's pre-period column and the regression's covariate columns.
    cap
        Revenue cap of the ``(capped)`` methods (required for them); the
        capped CUPED also caps its covariate, at the covariate's 99th percentile.
    alpha
        Level of the tests and intervals.
    chunk_size
        Splits processed at once (bounds memory).

    Returns
    -------
    pandas.DataFrame
        One row per split and method: ``estimate``, ``se``, ``low``,
        ``high``, ``p_value``, ``truth``, ``reject``, ``covered``.
    """
    alpha = require_probability(alpha, "alpha")
    methods = require_strings(methods, "methods")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {list(METHODS)}")
    covariates = require_strings(covariates, "covariates")
    require_columns(customers, ["revenue", "converted", "orders", pre, *covariates], "customers")
    lift = require_number(lift, "lift", low=-1, low_inclusive=False)
    conversion_points = require_number(conversion_points, "conversion_points", low=0)
    cap = None if cap is None else require_number(cap, "cap")
    chunk_size = require_positive_int(chunk_size, "chunk_size")
    require_bool(progress, "progress")
    y = as_float_array(customers["revenue"], "customers['revenue']", allow_empty=False)
    conv = as_float_array(customers["converted"], "customers['converted']", allow_empty=False)
    orders = as_float_array(customers["orders"], "customers['orders']", allow_empty=False)
    x = as_float_array(customers[pre], f"customers[{pre!r}]", allow_empty=False)
    X = as_float_array(customers[list(covariates)], "covariates", ndim=2, allow_empty=False)
    T = as_assignments(T, len(y))
    if any("capped" in m for m in methods) and cap is None:
        raise ValueError("cap is required for the '(capped)' methods")
    capped = None if cap is None else np.minimum(y, cap)
    x_capped = np.minimum(x, np.quantile(x, 0.99))
    rng = np.random.default_rng(random_state)
    frames = []
    starts = range(0, len(T), chunk_size)
    for start in tqdm(starts, desc="splits", disable=not progress):
        Tc = T[start : start + chunk_size]
        Y = y if lift == 0 else y[None, :] * (1 + lift * Tc)
        for method in methods:
            if method == "welch":
                res = welch_arrays(y, Tc, alpha, treated_scale=1 + lift)
            elif method == "welch (capped)":
                res = welch_arrays(np.minimum(Y, cap), Tc, alpha)
            elif method == "cuped":
                res = cuped_arrays(Y, x, Tc, alpha)
            elif method == "cuped (capped)":
                res = cuped_arrays(np.minimum(Y, cap), x_capped, Tc, alpha)
            elif method.startswith("regression"):
                res = regression_arrays(Y, X, Tc, method[-4:-1], alpha)
            elif method == "two proportions":
                n_t = Tc.sum(axis=1)
                x_t = Tc.astype(float) @ conv
                extra = 0 if conversion_points == 0 else added_conversions(conv, Tc, conversion_points, rng)
                res = proportions_from_counts(x_t + extra, n_t, conv.sum() - x_t, len(conv) - n_t, alpha)
            elif method == "relative lift":
                res = relative_lift_arrays(y, Tc, alpha, treated_scale=1 + lift)
            else:
                res = ratio_arrays(Y, orders, Tc, alpha)
            truth = _truth(method, lift, conversion_points, y, capped, cap if cap is not None else np.inf, orders)
            frame = pd.DataFrame(
                {k: np.asarray(res[k], dtype=float) for k in ("estimate", "se", "low", "high", "p_value")}
            )
            frame.insert(0, "split", np.arange(start, start + len(Tc)))
            frame.insert(1, "method", method)
            frame["truth"] = truth
            frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["reject"] = out["p_value"] < alpha
    out["covered"] = (out["low"] <= out["truth"]) & (out["truth"] <= out["high"])
    return out.sort_values(["method", "split"], kind="stable").reset_index(drop=True)


def summarize_splits(results: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per method: rejection rate with its binomial standard error, coverage, and calibration of the SE.

    ``se_ratio`` is the mean reported standard error over the standard deviation of the
    estimates across splits (1 when the reported errors are honest).
    """
    alpha = require_probability(alpha, "alpha")
    require_columns(results, ["method", "estimate", "se", "reject", "covered", "truth"], "results")
    grouped = results.groupby("method", sort=False)
    table = pd.DataFrame(
        {
            "splits": grouped.size(),
            "rejection_rate": grouped["reject"].mean(),
            "coverage": grouped["covered"].mean(),
            "bias": grouped["estimate"].mean() - grouped["truth"].mean(),
            "se_ratio": grouped["se"].mean() / grouped["estimate"].std(),
        }
    )
    table.insert(2, "rate_se", np.sqrt(table["rejection_rate"] * (1 - table["rejection_rate"]) / table["splits"]))
    return table


def aa_tolerance(alpha: float, n_splits: int, z: float = 3.0) -> tuple[float, float]:
    """Band ``alpha +/- z * sqrt(alpha (1 - alpha) / n_splits)`` for an A/A false-positive rate.

    Examples
    --------
    >>> [round(v, 4) for v in aa_tolerance(0.05, 2000)]
    [0.0354, 0.0646]
    """
    alpha = require_probability(alpha, "alpha")
    n = require_positive_int(n_splits, "n_splits")
    z = require_positive(z, "z")
    half = z * np.sqrt(alpha * (1 - alpha) / n)
    return float(alpha - half), float(alpha + half)


def drop_top_treated(
    customers: pd.DataFrame,
    T: np.ndarray,
    n_dropped: int,
    *,
    by: str = "pre_revenue",
    metric: str = "revenue",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """A/A splits with a bug that loses the ``n_dropped`` treated customers with the highest ``by``.

    Shows the damage of a sample-ratio mismatch too small for the SRM check to
    see: per split, the SRM p-value of the remaining counts and Welch's p-value
    on ``metric`` without the lost customers.
    """
    from shopai_lab.experiments.srm import srm_test

    alpha = require_probability(alpha, "alpha")
    require_columns(customers, [by, metric], "customers")
    k = require_positive_int(n_dropped, "n_dropped", minimum=0)
    y = as_float_array(customers[metric], f"customers[{metric!r}]", allow_empty=False)
    order = ranking.descending_order(as_float_array(customers[by], f"customers[{by!r}]"))
    rows = []
    for split, t in enumerate(as_assignments(T, len(y))):
        treated_in_order = order[t[order]]
        keep = np.ones(len(y), dtype=bool)
        keep[treated_in_order[:k]] = False
        res = welch_arrays(y[keep], t[keep][None, :], alpha)
        srm = srm_test([int((~t[keep]).sum()), int(t[keep].sum())])
        rows.append((split, srm.p_value, float(res["p_value"][0]), float(res["estimate"][0])))
    out = pd.DataFrame(rows, columns=["split", "srm_p_value", "p_value", "estimate"])
    out["reject"] = out["p_value"] < alpha
    return out
