"""Simulated customers from the BG/NBD and Gamma-Gamma stories, for known-truth tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_number,
    require_positive,
    require_positive_int,
    require_seed,
)


def simulate_bgnbd(
    n_customers: int,
    r: float,
    alpha: float,
    a: float,
    b: float,
    T: float | np.ndarray = 39.0,
    holdout: float = 0.0,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Simulate customers exactly as the BG/NBD model tells their story.

    Each customer draws a purchase rate ``lambda ~ Gamma(r, rate=alpha)`` and a
    dropout probability ``p ~ Beta(a, b)``, makes a first purchase at time 0,
    then buys at exponential intervals; right after each repeat purchase they
    leave for good with probability ``p``. They are watched for ``T`` time units
    (calibration) and then ``holdout`` more.

    Parameters
    ----------
    n_customers : int
        Number of customers.
    r, alpha, a, b : float
        BG/NBD parameters (all > 0).
    T : float or array of float
        Calibration age of each customer: a number or one value per customer.
    holdout : float
        Length of the holdout period after ``T`` (0 for none).
    random_state : int, numpy Generator or None, default 0
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``frequency``, ``recency``, ``T`` (the BG/NBD summary), ``frequency_holdout``,
        and the hidden truth: ``lam``, ``p`` and ``alive`` (still active at ``T``).

    Examples
    --------
    >>> sim = simulate_bgnbd(1_000, r=0.25, alpha=4.0, a=0.8, b=2.5, random_state=0)
    >>> list(sim.columns)
    ['frequency', 'recency', 'T', 'frequency_holdout', 'lam', 'p', 'alive']
    """
    n_customers = require_positive_int(n_customers, "n_customers")
    for name, value in {"r": r, "alpha": alpha, "a": a, "b": b}.items():
        require_positive(value, name)
    ages = as_float_array(T, "T", ndim=None, low=0)
    try:
        ages = np.broadcast_to(ages, (n_customers,)).copy()
    except ValueError:
        raise ValueError(
            f"T must be a number or one value per customer ({n_customers}), got shape {ages.shape}"
        ) from None
    require_number(holdout, "holdout", low=0)
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)
    lam = rng.gamma(r, 1.0 / alpha, n_customers)
    p = rng.beta(a, b, n_customers)
    histories = _purchase_histories(rng, lam, p, ages, ages + holdout)
    alive = histories.pop("alive")
    return pd.DataFrame({**histories, "lam": lam, "p": p, "alive": alive})


def _purchase_histories(
    rng: np.random.Generator, lam: np.ndarray, p: np.ndarray, ages: np.ndarray, end: np.ndarray
) -> dict[str, np.ndarray]:
    """Repeat purchases of each customer up to ``ages`` and from there to ``end``, and alive at ``ages``."""
    n_customers = len(lam)
    now = np.zeros(n_customers)
    frequency = np.zeros(n_customers, dtype=np.int64)
    recency = np.zeros(n_customers)
    frequency_holdout = np.zeros(n_customers, dtype=np.int64)
    alive_at_T = np.ones(n_customers, dtype=bool)
    active = np.flatnonzero(lam > 0)
    while active.size:
        now[active] += rng.exponential(1.0 / lam[active])
        active = active[now[active] <= end[active]]
        if not active.size:
            break
        calib = now[active] <= ages[active]
        frequency[active[calib]] += 1
        recency[active[calib]] = now[active[calib]]
        frequency_holdout[active[~calib]] += 1
        leaves = rng.random(active.size) < p[active]
        alive_at_T[active[leaves & calib]] = False
        active = active[~leaves]
    return {
        "frequency": frequency,
        "recency": recency,
        "T": ages,
        "frequency_holdout": frequency_holdout,
        "alive": alive_at_T,
    }


def simulate_gamma_gamma(
    frequency: np.ndarray, p: float, q: float, gamma: float, random_state: int | np.random.Generator | None = 0
) -> np.ndarray:
    """Mean spend per purchase of customers with ``frequency`` purchases, drawn from the Gamma-Gamma model.

    Each customer has a scale ``nu ~ Gamma(q, rate=gamma)``; each of their
    purchases is worth ``Gamma(p, rate=nu)``. Returns the mean of each
    customer's purchases (NaN where ``frequency`` is 0).

    Examples
    --------
    >>> simulate_gamma_gamma(np.array([1, 3]), p=6.0, q=4.0, gamma=15.0, random_state=0).shape
    (2,)
    """
    as_float_array(frequency, "frequency", ndim=None, low=0, whole=True)
    x = np.asarray(frequency)
    for name, value in {"p": p, "q": q, "gamma": gamma}.items():
        require_positive(value, name)
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)
    nu = rng.gamma(q, 1.0 / gamma, x.shape)
    # The sum of x Gamma(p, nu) values is Gamma(p x, nu).
    total = rng.gamma(np.maximum(p * x, 1e-12), 1.0 / nu)
    return np.where(x > 0, total / np.maximum(x, 1), np.nan)
