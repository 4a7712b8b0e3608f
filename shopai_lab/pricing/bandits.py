"""Learning prices online: bandit policies and a simulator vectorised over many runs.

A shop offers one of K prices to each arriving customer, who buys with an
unknown probability that falls with the price. Each policy decides the next
price from the sales seen so far, through one small API:

``reset(margins, n_runs, rng)``
    start ``n_runs`` independent runs; ``margins`` is ``price - unit_cost`` per arm.
``select(t, inventory=None, periods_left=None) -> arms``
    one arm per run for step ``t`` (``-1``: make no offer, inventory policies only).
``update(arms, sold)``
    record whether each run's customer bought.

Every policy keeps its state as ``(n_runs, K)`` arrays, so one Python loop over
time simulates all runs at once (:func:`simulate_pricing`).

Inventory-constrained pricing follows Ferreira, Simchi-Levi & Wang (2018),
"Online network revenue management using Thompson sampling", *Operations
Research* 66(6): each period, sample purchase probabilities, solve the linear
programme of :func:`lp_price_mixture` for a mixture of prices that sells no
more than the inventory allows on average, and offer a price drawn from that
mixture. TS-fixed uses the initial inventory per period, TS-update the
remaining inventory per remaining period.
"""

from __future__ import annotations

import numpy as np

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_number,
    require_positive_int,
)


def _check_priors(prior_a, prior_b) -> None:
    for name, value in (("prior_a", prior_a), ("prior_b", prior_b)):
        if require_number(value, name) <= 0:
            raise ValueError(f"prior_a and prior_b must be positive, got {name}={value!r}")


class Policy:
    """Base class: per-run sale counts and the shared ``update``."""

    name = "policy"
    uses_inventory = False

    def reset(self, margins: np.ndarray, n_runs: int, rng: np.random.Generator) -> None:
        self.margins = np.asarray(margins, dtype=float)
        self.n_arms = self.margins.size
        self.rng = rng
        self.pulls = np.zeros((n_runs, self.n_arms))
        self.sales = np.zeros((n_runs, self.n_arms))
        self._rows = np.arange(n_runs)

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def update(self, arms: np.ndarray, sold: np.ndarray) -> None:
        offered = arms >= 0
        rows, chosen = self._rows[offered], arms[offered]
        self.pulls[rows, chosen] += 1
        self.sales[rows, chosen] += sold[offered]

    def _round_robin(self, t: int) -> np.ndarray | None:
        """Arm ``t`` for the first K steps, so every arm has one observation."""
        if t < self.n_arms:
            return np.full(len(self._rows), t)
        return None

    def _argmax(self, values: np.ndarray) -> np.ndarray:
        """Row-wise argmax with random tie-breaking."""
        noise = self.rng.random(values.shape) * 1e-9
        return np.argmax(values + noise, axis=1)

    def __repr__(self) -> str:
        return self.name


class ThompsonSampling(Policy):
    """Thompson sampling with Beta(prior_a, prior_b) priors on each price's purchase probability.

    Each step draws a probability per price from its posterior and offers the
    price with the highest sampled expected margin.
    """

    def __init__(self, prior_a: float = 1.0, prior_b: float = 1.0) -> None:
        _check_priors(prior_a, prior_b)
        self.prior_a, self.prior_b = prior_a, prior_b
        self.name = "Thompson sampling"

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:
        theta = self.rng.beta(self.prior_a + self.sales, self.prior_b + self.pulls - self.sales)
        return self._argmax(theta * self.margins)


class UCB1(Policy):
    """UCB1 (Auer et al. 2002) on margins scaled to [0, 1] by the largest margin."""

    name = "UCB1"

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:
        first = self._round_robin(t)
        if first is not None:
            return first
        scale = self.margins.max()
        mean = self.sales / self.pulls * self.margins / scale
        bonus = np.sqrt(2.0 * np.log(t + 1) / self.pulls)
        return self._argmax(mean + bonus)


class EpsilonGreedy(Policy):
    """Explore a random price with probability epsilon, else offer the best so far.

    With ``decay=True`` the exploration rate is ``min(1, epsilon * K / (t + 1))``
    (decaying epsilon-greedy of Auer et al. 2002, with ``epsilon`` playing ``c``).
    ``epsilon=0`` is the pure greedy policy.
    """

    def __init__(self, epsilon: float = 0.1, decay: bool = False) -> None:
        require_number(epsilon, "epsilon")
        require_bool(decay, "decay")
        if epsilon < 0 or (not decay and epsilon > 1):
            raise ValueError(f"epsilon must be in [0, 1] (or >= 0 with decay), got {epsilon!r}")
        self.epsilon, self.decay = epsilon, decay
        if epsilon == 0:
            self.name = "greedy"
        else:
            self.name = f"epsilon-greedy ({'decaying, c=' if decay else 'epsilon='}{epsilon:g})"

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:
        first = self._round_robin(t)
        if first is not None:
            return first
        rate = min(1.0, self.epsilon * self.n_arms / (t + 1)) if self.decay else self.epsilon
        best = self._argmax(self.sales / self.pulls * self.margins)
        explore = self.rng.random(len(best)) < rate
        random_arm = self.rng.integers(0, self.n_arms, len(best))
        return np.where(explore, random_arm, best)


class ExploreThenCommit(Policy):
    """Offer every price ``m`` times in turn, then commit for good to the best observed."""

    def __init__(self, m: int = 100) -> None:
        self.m = require_positive_int(m, "m")
        self.name = f"explore-then-commit (m={self.m})"

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:
        if t < self.m * self.n_arms:
            return np.full(len(self._rows), t % self.n_arms)
        if not hasattr(self, "_committed") or t == self.m * self.n_arms:
            self._committed = self._argmax(self.sales / self.pulls * self.margins)
        return self._committed

    def reset(self, margins, n_runs, rng) -> None:
        super().reset(margins, n_runs, rng)
        if hasattr(self, "_committed"):
            del self._committed


def lp_price_mixture(margins, probabilities, capacity) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``max sum_k x_k m_k d_k`` s.t. ``sum_k x_k d_k <= c``, ``sum_k x_k <= 1``, ``x >= 0``.

    ``x_k`` is the share of customers offered price ``k``, ``d_k`` its purchase
    probability, ``m_k`` its margin, ``c`` the sales the inventory allows per
    customer. The optimum mixes at most two prices; this solver enumerates the
    vertices of the feasible set (single prices and tight pairs), vectorised
    over runs.

    Parameters
    ----------
    margins
        ``(K,)`` margin per price.
    probabilities
        ``(K,)`` or ``(n_runs, K)`` purchase probabilities.
    capacity
        Scalar or ``(n_runs,)``: allowed expected sales per customer (>= 0).

    Returns
    -------
    x, value
        ``(n_runs, K)`` mixtures (rows sum to at most 1) and ``(n_runs,)``
        expected margin per customer. One-dimensional input gives 1-D output.

    Examples
    --------
    >>> x, value = lp_price_mixture([29.9, 34.9, 39.9, 44.9], [0.8, 0.6, 0.3, 0.1], 0.25)
    >>> x.round(3).tolist(), round(float(value), 4)
    ([0.0, 0.0, 0.75, 0.25], 10.1)
    """
    m = as_float_array(margins, "margins", allow_empty=False)
    d = as_float_array(probabilities, "probabilities", ndim=None, allow_nan=True, allow_inf=True)
    if d.ndim not in (1, 2) or d.shape[-1] == 0:
        raise ValueError(f"probabilities must be (K,) or (n_runs, K) with K >= 1, got shape {d.shape}")
    single = d.ndim == 1
    d = np.atleast_2d(d)
    n_runs, k = d.shape
    if m.shape != (k,):
        raise ValueError(f"margins must have one value per price ({k})")
    if (d < 0).any() or (d > 1).any() or not np.isfinite(d).all():
        raise ValueError("probabilities must lie in [0, 1]")
    c = as_float_array(capacity, "capacity", ndim=None, allow_nan=True, allow_inf=True)
    try:
        c = np.broadcast_to(c, (n_runs,))
    except ValueError:
        raise ValueError(f"capacity must be a number or one value per run ({n_runs}), got shape {c.shape}") from None
    if (c < 0).any() or not np.isfinite(c).all():
        raise ValueError("capacity must be >= 0")
    candidates, values = [], []
    # Single prices: x_k = min(1, c / d_k).
    for j in range(k):
        share = np.where(d[:, j] > 0, np.minimum(1.0, c / np.where(d[:, j] > 0, d[:, j], 1.0)), 1.0)
        x = np.zeros((n_runs, k))
        x[:, j] = share
        candidates.append(x)
        values.append(share * m[j] * d[:, j])
    # Pairs with both constraints tight: x_i + x_j = 1, x_i d_i + x_j d_j = c.
    for i in range(k):
        for j in range(i + 1, k):
            gap = d[:, i] - d[:, j]
            with np.errstate(divide="ignore", invalid="ignore"):
                xi = np.where(gap != 0, (c - d[:, j]) / gap, -1.0)
            ok = (xi >= 0) & (xi <= 1)
            x = np.zeros((n_runs, k))
            x[:, i] = np.where(ok, xi, 0.0)
            x[:, j] = np.where(ok, 1 - xi, 0.0)
            candidates.append(x)
            values.append(np.where(ok, x[:, i] * m[i] * d[:, i] + x[:, j] * m[j] * d[:, j], -np.inf))
    values = np.column_stack(values)
    best = np.argmax(values, axis=1)
    x = np.stack(candidates, axis=1)[np.arange(n_runs), best]
    value = values[np.arange(n_runs), best]
    return (x[0], value[0]) if single else (x, value)


class InventoryThompsonSampling(Policy):
    """Thompson sampling with an inventory constraint (Ferreira, Simchi-Levi & Wang 2018).

    Parameters
    ----------
    update_capacity
        ``False``: TS-fixed (capacity = initial inventory / horizon);
        ``True``: TS-update (capacity = remaining inventory / remaining periods).
    """

    uses_inventory = True

    def __init__(self, update_capacity: bool = True, prior_a: float = 1.0, prior_b: float = 1.0) -> None:
        require_bool(update_capacity, "update_capacity")
        _check_priors(prior_a, prior_b)
        self.update_capacity = update_capacity
        self.prior_a, self.prior_b = prior_a, prior_b
        self.name = "TS-update" if update_capacity else "TS-fixed"

    def start(self, inventory: float, horizon: int) -> None:
        """Called by the simulator with the initial inventory and horizon."""
        require_number(inventory, "inventory", low=0)
        horizon = require_positive_int(horizon, "horizon")
        self.initial_capacity = inventory / horizon

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:
        theta = self.rng.beta(self.prior_a + self.sales, self.prior_b + self.pulls - self.sales)
        if self.update_capacity:
            capacity = np.asarray(inventory, dtype=float) / max(periods_left, 1)
        else:
            capacity = np.full(len(self._rows), self.initial_capacity)
        x, _ = lp_price_mixture(self.margins, theta, capacity)
        # Draw an arm from each row's mixture; the leftover probability is "no offer" (-1).
        cumulative = np.cumsum(x, axis=1)
        u = self.rng.random(len(self._rows))[:, None]
        arm = (u >= cumulative).sum(axis=1)
        return np.where(arm >= self.n_arms, -1, arm)
