"""Looking at an experiment more than once: peeking, group-sequential boundaries, always-valid tests.

A fixed-horizon test is valid only if it is read once, at the planned end.
Reading it every week and stopping at the first ``p < alpha`` inflates the
false-positive rate. Two remedies:

* **Group-sequential design** (Lan & DeMets 1983): plan the looks and spend
  the error rate across them with an alpha-spending function. O'Brien-Fleming
  spending keeps early boundaries very high (almost no alpha is spent early) so
  the last look is close to the fixed-horizon test.
* **Always-valid inference** (mSPRT, Johari et al. 2017; normal-mixture
  confidence sequences, Robbins 1970, Howard et al. 2021): a boundary that holds
  uniformly over time, so the experiment can be read continuously and stopped
  at any time, at the price of wider intervals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from tqdm import tqdm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_broadcastable,
    require_columns,
    require_number,
    require_one_of,
    require_positive,
    require_positive_int,
    require_probability,
)
from shopai_lab.experiments.assignment import as_assignments
from shopai_lab.experiments.estimators import moments_from_sums, proportions_from_counts, welch_from_moments

SPENDING = ("obrien-fleming", "pocock")


def _fractions(information: Any) -> np.ndarray:
    t = as_float_array(information, "information", allow_empty=False)
    if (np.diff(t) <= 0).any() or t[0] <= 0:
        raise ValueError(f"information must be positive and strictly increasing, got {t.tolist()}")
    return t / t[-1]


def alpha_spent(t: Any, alpha: float = 0.05, spending: str = "obrien-fleming") -> np.ndarray:
    """Cumulative two-sided alpha spent by information fraction ``t`` (Lan-DeMets spending functions).

    Each side spends ``alpha / 2`` by the one-sided function, the convention of
    gsDesign and rpact: O'Brien-Fleming-type ``f(t) = 2 - 2 Phi(z_{1 - alpha/4} / sqrt(t))``,
    Pocock-type ``f(t) = alpha/2 * log(1 + (e - 1) t)``; the two-sided total is ``2 f(t)``.

    Examples
    --------
    >>> alpha_spent([0.5, 1.0]).round(4).tolist()
    [0.0031, 0.05]
    """
    alpha = require_probability(alpha, "alpha")
    t = as_float_array(t, "t", ndim=None, low=0, low_inclusive=False, high=1)
    if spending == "obrien-fleming":
        return 2 * (2 - 2 * stats.norm.cdf(stats.norm.isf(alpha / 4) / np.sqrt(t)))
    if spending == "pocock":
        return alpha * np.log1p((np.e - 1) * t)
    raise ValueError(f"spending must be one of {SPENDING}, got {spending!r}")


def _simpson_weights(m: int, h: float) -> np.ndarray:
    w = np.ones(m)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    return w * h / 3


def group_sequential_bounds(
    information: Any, alpha: float = 0.05, spending: str = "obrien-fleming", grid_points: int = 801
) -> pd.DataFrame:
    """Two-sided symmetric critical values ``|Z_k| >= c_k`` of a group-sequential design.

    Solved look by look so that the probability, under no effect, of first
    crossing at look ``k`` equals the alpha spent between looks ``k - 1`` and
    ``k``. The joint law of the z-statistics is that of Brownian motion in
    information time (``corr(Z_j, Z_k) = sqrt(t_j / t_k)``); the crossing
    probabilities are computed by recursive numerical integration (Armitage,
    McPherson & Rowe 1969; Jennison & Turnbull 2000, ch. 19) with Simpson's rule.

    Parameters
    ----------
    information
        Information (or sample size) at each look, increasing; only the fractions matter.
    alpha
        Two-sided significance level of the whole design.
    spending
        ``"obrien-fleming"`` or ``"pocock"`` (Lan-DeMets types, see :func:`alpha_spent`).
    grid_points
        Odd number of integration points per look.

    Returns
    -------
    pandas.DataFrame
        One row per look: ``information_fraction``, ``alpha_spent`` (cumulative),
        ``critical_z`` and the nominal two-sided ``p_threshold`` at that look.

    Examples
    --------
    >>> group_sequential_bounds([1, 2, 3, 4, 5])["critical_z"].round(2).tolist()
    [4.88, 3.36, 2.68, 2.29, 2.03]
    """
    alpha = require_probability(alpha, "alpha")
    require_one_of(spending, "spending", SPENDING)
    if require_positive_int(grid_points, "grid_points", minimum=51) % 2 == 0:
        raise ValueError(f"grid_points must be an odd integer >= 51, got {grid_points!r}")
    t = _fractions(information)
    spent = alpha_spent(t, alpha, spending)
    increments = np.diff(np.r_[0.0, spent])
    crit = np.empty(len(t))
    crit[0] = stats.norm.isf(increments[0] / 2)
    # density of the score S = Z sqrt(t) on the continuation region of the first look
    b = crit[0] * np.sqrt(t[0])
    grid = np.linspace(-b, b, grid_points)
    density = stats.norm.pdf(grid, scale=np.sqrt(t[0]))
    weights = _simpson_weights(grid_points, grid[1] - grid[0])
    for k in range(1, len(t)):
        sd = np.sqrt(t[k] - t[k - 1])
        mass = density * weights

        def exit_probability(c: float, mass: np.ndarray = mass, sd: float = sd, k: int = k) -> float:
            edge = c * np.sqrt(t[k])
            return float(mass @ (stats.norm.cdf((-edge - grid) / sd) + stats.norm.sf((edge - grid) / sd)))

        if increments[k] <= 0:
            crit[k] = np.inf
            continue
        crit[k] = optimize.brentq(lambda c: exit_probability(c) - increments[k], 0.5, 40.0, xtol=1e-10)
        b = crit[k] * np.sqrt(t[k])
        new_grid = np.linspace(-b, b, grid_points)
        kernel = stats.norm.pdf((new_grid[:, None] - grid[None, :]) / sd) / sd
        density, grid = kernel @ mass, new_grid
        weights = _simpson_weights(grid_points, grid[1] - grid[0])
    return pd.DataFrame(
        {
            "look": np.arange(1, len(t) + 1),
            "information_fraction": t,
            "alpha_spent": spent,
            "critical_z": crit,
            "p_threshold": 2 * stats.norm.sf(crit),
        }
    )


def mixture_halfwidth(variance: Any, tau: float, alpha: float = 0.05) -> np.ndarray:
    """Half-width of the normal-mixture always-valid confidence sequence.

    For an estimate with (known) variance ``V`` and a ``N(0, tau^2)`` mixture over
    the effect, ``estimate +/- sqrt(V (V + tau^2) / tau^2 * (log((V + tau^2) / V) + 2 log(1 / alpha)))``
    covers the effect at every look simultaneously with probability ``>= 1 - alpha``.
    ``tau`` sets where the sequence is tightest (around ``V ~ tau^2``).

    Examples
    --------
    >>> float(mixture_halfwidth(1.0, 1.0).round(3))
    3.656
    """
    alpha = require_probability(alpha, "alpha")
    tau = require_positive(tau, "tau")
    V = as_float_array(variance, "variance", ndim=None, low=0, low_inclusive=False)
    tau2 = tau**2
    return np.sqrt(V * (V + tau2) / tau2 * (np.log((V + tau2) / V) + 2 * np.log(1 / alpha)))


def msprt_statistic(estimate: Any, variance: Any, tau: float) -> np.ndarray:
    """Mixture likelihood ratio ``sqrt(V / (V + tau^2)) exp(tau^2 d^2 / (2 V (V + tau^2)))`` of effect 0.

    The always-valid p-value is the running minimum of ``1 / statistic``; it is
    below ``alpha`` exactly when the confidence sequence of :func:`mixture_halfwidth` excludes 0.

    Examples
    --------
    >>> float(msprt_statistic(0.0, 1.0, 1.0).round(4))
    0.7071
    """
    tau = require_positive(tau, "tau")
    d = as_float_array(estimate, "estimate", ndim=None)
    V = as_float_array(variance, "variance", ndim=None, low=0, low_inclusive=False)
    require_broadcastable(estimate=d, variance=V)
    return _msprt(d, V, tau)


def _msprt(d: np.ndarray, V: np.ndarray, tau: float) -> np.ndarray:
    """The mixture likelihood ratio without input checks (the simulation's inner loop)."""
    tau2 = float(tau) ** 2
    return np.sqrt(V / (V + tau2)) * np.exp(tau2 * d**2 / (2 * V * (V + tau2)))


def _always_valid(d: np.ndarray, V: np.ndarray, tau: float) -> np.ndarray:
    return np.minimum.accumulate(np.minimum(1.0, 1.0 / _msprt(d, V, tau)), axis=-1)


def always_valid_pvalues(estimates: Any, variances: Any, tau: float) -> np.ndarray:
    """Always-valid p-values along the looks (last axis): running min of ``1 / msprt_statistic``, <= 1.

    Examples
    --------
    >>> always_valid_pvalues([0.5, 1.5, 1.0], [1.0, 0.5, 0.25], tau=1.0).round(3).tolist()
    [1.0, 0.386, 0.386]
    """
    return np.minimum.accumulate(np.minimum(1.0, 1.0 / msprt_statistic(estimates, variances, tau)), axis=-1)


def _first_true(mask: np.ndarray) -> np.ndarray:
    """Index of the first True along axis 1, or -1."""
    return np.where(mask.any(axis=1), mask.argmax(axis=1), -1)


def simulate_peeking(
    weekly: np.ndarray,
    T: np.ndarray,
    *,
    metric: str = "revenue",
    critical_z: Any = None,
    tau: float | None = None,
    alpha: float = 0.05,
    lift: float = 0.0,
    conversion_points: float = 0.0,
    random_state: int | np.random.Generator | None = 0,
    chunk_size: int = 500,
    progress: bool = True,
) -> pd.DataFrame:
    """Weekly looks at many splits: fixed-horizon peeking, a group-sequential design and the mSPRT.

    Parameters
    ----------
    weekly
        ``(n_units, n_looks)`` cumulative outcome at each look (revenue, or 0/1 conversion).
    T
        Boolean ``(n_splits, n_units)`` assignments.
    metric
        ``"revenue"`` (Welch's test) or ``"conversion"`` (two-proportion z-test).
    critical_z
        Group-sequential critical values, one per look (:func:`group_sequential_bounds`).
    tau
        Mixture scale of the mSPRT (default: the standard error of a 50/50 split at the last look).
    lift, conversion_points
        Injected effect: relative lift of treated revenue, or extra conversion of
        treated non-converters, each converting at a uniformly random look.

    Returns
    -------
    pandas.DataFrame
        One row per split: for ``fixed`` (final look only), ``peeking`` (any look
        with ``p < alpha``), ``sequential`` (group-sequential) and ``msprt``:
        ``*_reject`` and ``*_stop`` (look at which it stopped, 1-based; the last look if never).
    """
    alpha = require_probability(alpha, "alpha")
    weekly = as_float_array(weekly, "weekly", ndim=2, allow_empty=False)
    n, looks = weekly.shape
    T = as_assignments(T, n)
    require_one_of(metric, "metric", ("revenue", "conversion"))
    lift = require_number(lift, "lift", low=-1, low_inclusive=False)
    chunk_size = require_positive_int(chunk_size, "chunk_size")
    require_bool(progress, "progress")
    crit = _critical_values(critical_z, looks)
    flip_probability = _flip_probability(weekly, metric, conversion_points)
    # default mixture scale: the standard error of a 50/50 split at the last look
    scale = float(np.sqrt(4 * weekly[:, -1].var(ddof=1) / n)) if tau is None else require_positive(tau, "tau")
    rng = np.random.default_rng(random_state)
    shift = weekly.mean(axis=0)
    centred = weekly - shift[None, :]
    rows = []
    for start in tqdm(range(0, len(T), chunk_size), desc="splits", disable=not progress):
        Tc = T[start : start + chunk_size]
        added = _added_conversions(weekly, Tc, flip_probability, rng)
        est, var, p, z = _look_statistics(weekly, centred, shift, Tc, metric, lift, added, alpha)
        firsts = {
            "peeking": _first_true(p < alpha),
            "sequential": _first_true(np.abs(z) >= crit[None, :]),
            "msprt": _first_true(_always_valid(est, var, scale) < alpha),
        }
        chunk = pd.DataFrame({"split": np.arange(start, start + len(Tc)), "fixed_reject": p[:, -1] < alpha})
        for name, first in firsts.items():
            chunk[f"{name}_reject"] = first >= 0
            chunk[f"{name}_stop"] = np.where(first >= 0, first + 1, looks)
        chunk["fixed_stop"] = looks
        rows.append(chunk)
    return pd.concat(rows, ignore_index=True)


def _critical_values(critical_z: Any, looks: int) -> np.ndarray:
    if critical_z is None:
        return np.full(looks, np.inf)
    crit = as_float_array(critical_z, "critical_z", allow_inf=True, low=0, allow_empty=False)
    if len(crit) != looks:
        raise ValueError(f"critical_z has {len(crit)} values for {looks} looks")
    return crit


def _flip_probability(weekly: np.ndarray, metric: str, conversion_points: float) -> float:
    """Chance that a treated non-converter converts because of the injected effect (0 without one)."""
    conversion_points = require_number(conversion_points, "conversion_points", low=0)
    if metric == "conversion" and not np.isin(weekly, (0.0, 1.0)).all():
        raise ValueError("weekly must hold 0/1 for metric='conversion'")
    if metric != "conversion" or conversion_points == 0:
        return 0.0
    base = weekly[:, -1]
    if not 0 <= conversion_points <= 1 - base.mean():
        raise ValueError(f"conversion_points must be in [0, {1 - base.mean():.3f}] for this base rate")
    return conversion_points / (1 - base.mean())


def _added_conversions(weekly: np.ndarray, Tc: np.ndarray, flip_probability: float, rng) -> np.ndarray:
    """Extra treated conversions counted at each look, each converting at a uniformly random look."""
    looks = weekly.shape[1]
    if flip_probability == 0:
        return np.zeros((len(Tc), looks))
    flips = (rng.random(Tc.shape) < flip_probability) & Tc & (weekly[None, :, -1] == 0)
    flip_week = np.where(flips, rng.integers(0, looks, Tc.shape), looks)
    return np.stack([(flip_week <= k).sum(axis=1) for k in range(looks)], axis=1).astype(float)


def _look_statistics(weekly, centred, shift, Tc, metric, lift, added, alpha):
    """Estimate, variance, p-value and z of every split (rows) at every look (columns)."""
    n, looks = weekly.shape
    Tf = Tc.astype(float)
    n_t = Tf.sum(axis=1)
    s_t = Tf @ centred  # treated sums at every look, one pass over the assignments
    q_t = Tf @ (centred * centred)
    s_all, q_all = centred.sum(axis=0), (centred * centred).sum(axis=0)
    est, var, p, z = (np.empty((len(Tc), looks)) for _ in range(4))
    for k in range(looks):
        if metric == "revenue":
            m = moments_from_sums(n_t, n - n_t, s_t[:, k], q_t[:, k], s_all[k], q_all[k], shift[k], 1 + lift)
            res = welch_from_moments(m, alpha)
        else:
            x_t = s_t[:, k] + n_t * shift[k]
            x_c = weekly[:, k].sum() - x_t
            res = proportions_from_counts(x_t + added[:, k], n_t, x_c, n - n_t, alpha)
        est[:, k], var[:, k], p[:, k] = res["estimate"], res["se"] ** 2, res["p_value"]
        z[:, k] = res["statistic"]
    return est, var, p, z


def summarize_peeking(results: pd.DataFrame) -> pd.DataFrame:
    """Rejection rate (false positives under A/A, power under A/B) and mean stopping look per procedure."""
    names = ["fixed", "peeking", "sequential", "msprt"]
    require_columns(results, [f"{k}_{part}" for k in names for part in ("reject", "stop")], "results")
    return pd.DataFrame(
        {
            "rejection_rate": [results[f"{k}_reject"].mean() for k in names],
            "mean_stop": [results[f"{k}_stop"].mean() for k in names],
        },
        index=pd.Index(["fixed horizon (one look)", "weekly peeking", "group-sequential", "mSPRT"], name="procedure"),
    )
