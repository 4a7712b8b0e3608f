"""Power, sample size and minimum detectable effect: analytic and by simulation on real customers.

The analytic formulas rest on the normal approximation of the difference in
means, which needs a sample large enough for the central limit theorem to hold
on *this* metric. Revenue with a few wholesale customers can need far more; the
simulation on the shop's own customers shows where the formula is optimistic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from shopai_lab._validation import as_float_array, require_number, require_positive, require_probability
from shopai_lab.experiments.simulate import random_assignments, simulate_splits


def _z(alpha: float, power: float) -> tuple[float, float]:
    return stats.norm.isf(require_probability(alpha, "alpha") / 2), stats.norm.ppf(require_probability(power, "power"))


def power_means(n_per_arm: float, sd: float, effect: float, alpha: float = 0.05) -> float:
    """Power of the two-sided z-test of a difference in means, equal arms of ``n_per_arm``.

    Examples
    --------
    >>> round(power_means(393, sd=1.0, effect=0.2), 3)
    0.801
    """
    se = require_positive(sd, "sd") * math.sqrt(2 / require_positive(n_per_arm, "n_per_arm"))
    z = stats.norm.isf(require_probability(alpha, "alpha") / 2)
    shift = abs(require_number(effect, "effect")) / se
    return float(stats.norm.sf(z - shift) + stats.norm.cdf(-z - shift))


def sample_size_means(sd: float, effect: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Units per arm for a two-sided test to detect ``effect``: ``2 (z_a + z_b)^2 sd^2 / effect^2``.

    Examples
    --------
    >>> sample_size_means(sd=1.0, effect=0.2)
    393
    """
    za, zb = _z(alpha, power)
    effect = require_number(effect, "effect")
    if effect == 0:
        raise ValueError("effect must be non-zero: no sample detects an effect of 0")
    return int(math.ceil(2 * (za + zb) ** 2 * require_positive(sd, "sd") ** 2 / effect**2))


def mde_means(n_per_arm: float, sd: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Minimum detectable difference in means with ``power`` at ``n_per_arm`` units per arm.

    Examples
    --------
    >>> round(mde_means(393, sd=1.0), 3)
    0.2
    """
    za, zb = _z(alpha, power)
    return float((za + zb) * require_positive(sd, "sd") * math.sqrt(2 / require_positive(n_per_arm, "n_per_arm")))


def sample_size_proportions(p_control: float, points: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Units per arm to detect a change of ``points`` in a conversion rate (pooled-variance z-test).

    ``n = (z_a sqrt(2 pbar qbar) + z_b sqrt(p0 q0 + p1 q1))^2 / points^2`` (Fleiss, no continuity correction).

    Examples
    --------
    >>> sample_size_proportions(0.10, 0.02)
    3841
    """
    p0 = require_probability(p_control, "p_control")
    points = require_number(points, "points")
    p1 = p0 + points
    if not 0 < p1 < 1 or points == 0:
        raise ValueError(f"points must be non-zero and keep the rate in (0, 1), got {points!r}")
    za, zb = _z(alpha, power)
    pbar = (p0 + p1) / 2
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))) ** 2 / points**2
    return int(math.ceil(n))


def power_proportions(n_per_arm: float, p_control: float, points: float, alpha: float = 0.05) -> float:
    """Power of the pooled two-proportion z-test (normal approximation), equal arms.

    Examples
    --------
    >>> round(power_proportions(3841, 0.10, 0.02), 2)
    0.8
    """
    p0 = require_probability(p_control, "p_control")
    points = require_number(points, "points")
    p1 = p0 + points
    if not 0 < p1 < 1:
        raise ValueError(f"points must keep the rate in (0, 1), got {points!r}")
    n = require_positive(n_per_arm, "n_per_arm")
    za = stats.norm.isf(require_probability(alpha, "alpha") / 2)
    pbar = (p0 + p1) / 2
    se0 = math.sqrt(2 * pbar * (1 - pbar) / n)
    se1 = math.sqrt((p0 * (1 - p0) + p1 * (1 - p1)) / n)
    d = abs(points)
    return float(stats.norm.sf((za * se0 - d) / se1) + stats.norm.cdf((-za * se0 - d) / se1))


def _lifts(lifts) -> list[float]:
    """Relative lifts as a non-empty list of finite numbers above -1 (a lift of -100% leaves no revenue)."""
    if isinstance(lifts, str) or np.ndim(lifts) != 1:
        raise TypeError(f"lifts must be a list of relative lifts, got {lifts!r}")
    values = as_float_array(lifts, "lifts", allow_empty=False, low=-1, low_inclusive=False)
    return values.tolist()


def simulated_power(
    customers: pd.DataFrame,
    lifts: Sequence[float],
    *,
    methods: Sequence[str] = ("welch", "cuped"),
    n_splits: int = 1000,
    alpha: float = 0.05,
    cap: float | None = None,
    covariates: Sequence[str] = ("pre_revenue",),
    conversion_points: float = 0.0,
    random_state: int | None = 0,
    progress: bool = True,
) -> pd.DataFrame:
    """Power by simulation: the share of random splits of real customers that detect an injected lift.

    Returns one row per lift and method with ``power``, its binomial ``power_se``
    and ``coverage`` of the true effect. The same splits are used for every
    lift, so differences between lifts are not noise from new splits.
    """
    lifts = _lifts(lifts)
    # independent streams for the splits and for the injected conversions
    split_seed, effect_seed = np.random.SeedSequence(random_state).spawn(2)
    T = random_assignments(len(customers), n_splits, random_state=np.random.default_rng(split_seed))
    rows = []
    for lift in lifts:
        res = simulate_splits(
            customers,
            T,
            methods=methods,
            lift=lift,
            cap=cap,
            covariates=covariates,
            conversion_points=conversion_points,
            alpha=alpha,
            random_state=np.random.default_rng(effect_seed),
            progress=progress,
        )
        table = res.groupby("method", sort=False).agg(power=("reject", "mean"), coverage=("covered", "mean"))
        table["power_se"] = np.sqrt(table["power"] * (1 - table["power"]) / n_splits)
        rows.append(table.reset_index().assign(lift=lift))
    return pd.concat(rows, ignore_index=True)[["lift", "method", "power", "power_se", "coverage"]]


def sizing_table(
    y, *, n_per_arm: float, lift: float, reductions: dict[str, float] | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Power at this size, customers per arm for 80% power and the minimum detectable lift, per method.

    Each method's standard deviation is the outcome's, shrunk by its variance reduction (``{"welch": 0.0}``
    when ``reductions`` is None): ``sd sqrt(1 - r)``. The effect to detect is ``lift x mean(y)``.

    Returns
    -------
    pandas.DataFrame
        One row per method: ``power at this size``, ``customers per arm for 80%``, ``MDE at this size (%)``
        (of the mean).

    Examples
    --------
    >>> y = np.r_[np.zeros(500), np.full(500, 2.0)]
    >>> sizing_table(y, n_per_arm=500, lift=0.1, reductions={"welch": 0.0, "cuped": 0.75}).round(3)
           power at this size  customers per arm for 80%  MDE at this size (%)
    welch               0.352                       1572                17.728
    cuped               0.885                        393                 8.864
    """
    y = as_float_array(y, "y", allow_empty=False)
    reductions = {"welch": 0.0} if reductions is None else dict(reductions)
    for name, r in reductions.items():
        require_number(r, f"reductions[{name!r}]", high=1, high_inclusive=False)
    mean, sd = float(y.mean()), float(y.std(ddof=1))
    if mean == 0:
        raise ValueError("y has mean 0: a relative lift of it is 0")
    effect = require_number(lift, "lift") * mean
    rows = {}
    for name, r in reductions.items():
        s = sd * math.sqrt(1 - r)
        rows[name] = {
            "power at this size": power_means(n_per_arm, s, effect, alpha),
            "customers per arm for 80%": sample_size_means(s, effect, alpha),
            "MDE at this size (%)": 100 * mde_means(n_per_arm, s, alpha) / abs(mean),
        }
    return pd.DataFrame(rows).T.astype({"customers per arm for 80%": int})
