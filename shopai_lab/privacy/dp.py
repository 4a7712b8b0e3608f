"""Differential privacy for published aggregates: the Laplace mechanism (Dwork et al. 2006).

Adding Laplace noise of scale ``b = sensitivity / epsilon`` to a vector of counts is
epsilon-differentially private when ``sensitivity`` is the L1 sensitivity: the most the
whole vector can change, summed over its cells, when one person is added or removed.

The trap in a cohort retention matrix: one customer is counted in *every* month they
were active, up to one cell per column of their cohort's row, so the sensitivity of the
matrix is its number of month columns, not 1. Noise calibrated to 1 per cell spends the
budget once per cell, i.e. ``columns x epsilon`` in total (basic composition).

For a production release use a maintained library (OpenDP, Tumult Analytics, Google's
differential-privacy library): they handle floating-point attacks on naive Laplace
sampling (Mironov 2012), budget accounting and contribution bounding. This module is for
teaching and for checking those numbers.

The functions take the count matrix to publish (e.g. ``behavior.cohort_retention(purchases,
as_counts=True)``): how the counts are made is the analysis's business, how they are released is this
module's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from tqdm import tqdm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_frame,
    require_not_empty,
    require_numeric_columns,
    require_positive,
    require_positive_int,
)


def laplace_scale(sensitivity: float, epsilon: float) -> float:
    """Scale ``b = sensitivity / epsilon`` of the Laplace mechanism (its variance is ``2 b^2``).

    Examples
    --------
    >>> laplace_scale(13, 0.5)
    26.0
    """
    return require_positive(sensitivity, "sensitivity") / require_positive(epsilon, "epsilon")


def laplace_mechanism(values, sensitivity: float, epsilon: float, random_state=None) -> np.ndarray:
    """``values`` plus independent Laplace(0, sensitivity / epsilon) noise; missing cells stay missing.

    ``random_state`` is ``None`` by default, unlike the rest of the library: a release needs fresh noise,
    since noise drawn from a known seed can be subtracted. Pass a seed only to study the mechanism.

    Examples
    --------
    >>> laplace_mechanism(np.array([10.0, np.nan]), 1.0, 1.0, random_state=0).round(2).tolist()
    [10.32, nan]
    """
    scale = laplace_scale(sensitivity, epsilon)
    x = as_float_array(values, "values", ndim=None, allow_nan=True)
    rng = np.random.default_rng(random_state)
    return x + rng.laplace(0.0, scale, size=x.shape) * np.where(np.isnan(x), np.nan, 1.0)


def retention_sensitivity(counts: pd.DataFrame) -> int:
    """L1 sensitivity of a cohort count matrix: the most cells one customer can be counted in.

    A customer belongs to one cohort (row) and is counted at most once per column of it,
    so the bound is the number of observed cells of the longest row.

    Examples
    --------
    >>> counts = pd.DataFrame([[5.0, 2.0, 1.0], [4.0, 1.0, np.nan]])
    >>> retention_sensitivity(counts)
    3
    """
    _check_counts(counts)
    return int(counts.notna().sum(axis=1).max())


def _check_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """A cohort count matrix: numbers >= 0 (missing = not observed), every cohort's size (column 0) > 0."""
    require_not_empty(require_frame(counts, "counts"), "counts")
    if counts.shape[1] == 0:
        raise ValueError("counts has no columns: column 0 must hold each cohort's size")
    require_numeric_columns(counts, counts.columns, "counts")
    values = counts.to_numpy(dtype=float, na_value=np.nan)
    if (values[~np.isnan(values)] < 0).any():
        raise ValueError("counts must be >= 0: it counts active customers")
    if not (values[:, 0] > 0).all():
        raise ValueError("counts' first column (each cohort's size) must be > 0 and not missing")
    return counts


def dp_cohort_retention(
    counts: pd.DataFrame,
    epsilon: float,
    random_state=None,
    naive: bool = False,
) -> pd.DataFrame:
    """An epsilon-DP cohort retention matrix: noisy counts, then shares (post-processing is free).

    Parameters
    ----------
    counts
        Active customers per cohort (rows) and month since the first purchase (columns; column 0 is
        the cohort's size, missing cells were not observed), as
        :func:`shopai_lab.behavior.cohort_retention` gives with ``as_counts=True``.
    epsilon
        Privacy budget of the whole release (> 0).
    random_state
        ``None`` (the default): fresh noise, as a release needs (see :func:`laplace_mechanism`); a seed
        only to study the mechanism.
    naive
        Calibrate the noise to sensitivity 1 per cell (the common mistake). The result is
        then only ``columns x epsilon``-DP.

    Returns
    -------
    pandas.DataFrame
        Like ``cohort_retention`` without ``as_counts``: shares clipped to [0, 1], column 0
        equal to 1; ``attrs["noise_scale"]`` holds the Laplace scale used.

    Examples
    --------
    >>> counts = pd.DataFrame([[100.0, 40.0, 30.0], [80.0, 30.0, np.nan]])
    >>> noisy = dp_cohort_retention(counts, epsilon=1.0, random_state=0)
    >>> noisy.attrs["noise_scale"], noisy.isna().equals(counts.isna()), noisy[0].tolist()
    (3.0, True, [1.0, 1.0])
    """
    _check_counts(counts)
    require_bool(naive, "naive")
    sensitivity = 1 if naive else retention_sensitivity(counts)
    shares = _noisy_shares(counts.to_numpy(float), sensitivity, epsilon, random_state)
    out = pd.DataFrame(shares, index=counts.index, columns=counts.columns)
    out.attrs["noise_scale"] = laplace_scale(sensitivity, epsilon)
    return out


def _noisy_shares(counts: np.ndarray, sensitivity: float, epsilon: float, random_state) -> np.ndarray:
    """Laplace noise on the counts, then shares of the noisy cohort size clipped to [0, 1]; column 0 is 1."""
    noisy = laplace_mechanism(counts, sensitivity, epsilon, random_state)
    size = np.maximum(noisy[:, [0]], 1.0)
    shares = np.clip(noisy / size, 0.0, 1.0)
    shares[:, 0] = 1.0
    return shares


def privacy_utility_curve(
    counts: pd.DataFrame,
    epsilons: Sequence[float],
    n_draws: int = 20,
    random_state=0,
    progress: bool = True,
) -> pd.DataFrame:
    """Mean absolute error of the published retention shares (months >= 1) across epsilon.

    Parameters
    ----------
    counts
        The cohort count matrix to publish (see :func:`dp_cohort_retention`).
    epsilons
        Budgets to try (each > 0).
    n_draws
        Noise draws averaged per budget.
    random_state
        Seed of the noise draws (a study of the mechanism, not a release).
    progress
        Show a progress bar over the budgets.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``epsilon``: ``mae`` (correct sensitivity), ``mae_naive`` (sensitivity 1 per
        cell, which really spends ``columns x epsilon``), ``noise_scale`` and ``sensitivity``.
    """
    _check_counts(counts)
    n_draws = require_positive_int(n_draws, "n_draws")
    require_bool(progress, "progress")
    if isinstance(epsilons, str) or not isinstance(epsilons, Sequence | np.ndarray | pd.Series):
        raise TypeError(f"epsilons must be a list of privacy budgets, got {epsilons!r}")
    epsilons = [require_positive(e, "epsilons") for e in epsilons]
    if not epsilons:
        raise ValueError("epsilons must hold at least one budget")
    values = counts.to_numpy(float)
    truth = (values / values[:, [0]])[:, 1:]
    observed = ~np.isnan(truth)
    sensitivity = retention_sensitivity(counts)
    rng = np.random.default_rng(random_state)
    rows = []
    for epsilon in tqdm(epsilons, desc="epsilon", disable=not progress):
        errors = {False: [], True: []}
        for _ in range(n_draws):
            for naive in (False, True):
                noisy = _noisy_shares(values, 1 if naive else sensitivity, epsilon, rng)[:, 1:]
                errors[naive].append(np.abs(noisy - truth)[observed].mean())
        rows.append(
            {
                "epsilon": epsilon,
                "mae": float(np.mean(errors[False])),
                "mae_naive": float(np.mean(errors[True])),
                "noise_scale": laplace_scale(sensitivity, epsilon),
                "sensitivity": sensitivity,
            }
        )
    return pd.DataFrame(rows).set_index("epsilon")
