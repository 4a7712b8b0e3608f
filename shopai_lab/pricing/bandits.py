"""Learning prices online: bandit policies and a simulator vectorised over many runs.

A shop offers one of K prices to each arriving customer, who buys with an
unknown probability that falls with the price. Each policy decides the next
price from the sales seen so far, through one small API:

``fit(margins, n_runs=..., rng=..., inventory=None, horizon=None) -> self``
    check the hyper-parameters and start ``n_runs`` independent runs with no
    sales seen; ``margins`` is ``price - unit_cost`` per arm. The learned state
    is in attributes ending in ``_``.
``select(t, inventory=None, periods_left=None) -> arms``
    one arm per run for step ``t`` (``-1``: make no offer, inventory policies only).
``update(arms, sold)``
    record whether each run's customer bought.

Policies are scikit-learn estimators: hyper-parameters are keyword-only and
stored unchanged (``get_params``, ``set_params`` and ``clone`` work), they are
checked by ``fit``, and ``select`` or ``update`` before ``fit`` raise
``NotFittedError``. Every policy keeps its state as ``(n_runs, K)`` arrays, so
one Python loop over time simulates all runs at once
(:func:`shopai_lab.pricing.simulate_pricing`, which fits a clone and leaves the
caller's policy untouched).

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
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_instance,
    require_number,
    require_positive_int,
)


def _check_priors(prior_a: float, prior_b: float) -> None:
    for name, value in (("prior_a", prior_a), ("prior_b", prior_b)):
        if require_number(value, name) <= 0:
            raise ValueError(f"prior_a and prior_b must be positive, got {name}={value!r}")


class Policy(BaseEstimator):
    """Base class of the pricing policies: per-run sale counts and the shared ``update``.

    Attributes
    ----------
    margins_
        ``(K,)`` margin of each price, set by :meth:`fit`.
    n_arms_
        Number of prices K.
    rng_
        The random generator the policy draws from.
    pulls_, sales_
        ``(n_runs, K)`` offers and sales of each price in each run.
    """

    #: Whether the policy needs the remaining inventory (``select``'s ``inventory``, ``periods_left``).
    uses_inventory = False

    @property
    def name(self) -> str:
        """The label of the policy in tables and plots."""
        return "policy"

    def _check_params(self) -> None:
        """Raise ``TypeError``/``ValueError`` naming a hyper-parameter that is not valid."""

    def fit(
        self,
        margins,
        *,
        n_runs: int,
        rng: np.random.Generator,
        inventory: float | None = None,
        horizon: int | None = None,
    ) -> Policy:
        """Check the hyper-parameters and start ``n_runs`` runs with no sales seen.

        Parameters
        ----------
        margins
            ``(K,)`` margin ``price - unit_cost`` of each price.
        n_runs
            Independent runs simulated together.
        rng
            The ``numpy.random.Generator`` the policy draws from.
        inventory, horizon
            Units available per run and customers per run; needed by inventory
            policies (``uses_inventory``), ignored by the others.

        Returns
        -------
        Policy
            ``self``.
        """
        self._check_params()
        margins = as_float_array(margins, "margins", allow_empty=False)
        n_runs = require_positive_int(n_runs, "n_runs")
        require_instance(rng, np.random.Generator, "rng")
        self.margins_ = margins
        self.n_arms_ = margins.size
        self.rng_ = rng
        self.pulls_ = np.zeros((n_runs, self.n_arms_))
        self.sales_ = np.zeros((n_runs, self.n_arms_))
        self._rows = np.arange(n_runs)
        return self

    def select(self, t: int, inventory=None, periods_left=None) -> np.ndarray:
        """One arm per run for step ``t`` (``-1``: no offer)."""
        check_is_fitted(self, "pulls_")
        return self._select(t, inventory, periods_left)

    def update(self, arms: np.ndarray, sold: np.ndarray) -> None:
        """Record each run's offer (``arms``, ``-1`` for none) and whether the customer bought (``sold``)."""
        check_is_fitted(self, "pulls_")
        self._update(arms, sold)

    # The simulator fits the policy itself and calls these two unchecked, once per time step.
    def _select(self, t: int, inventory, periods_left) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self, arms: np.ndarray, sold: np.ndarray) -> None:
        offered = arms >= 0
        rows, chosen = self._rows[offered], arms[offered]
        self.pulls_[rows, chosen] += 1
        self.sales_[rows, chosen] += sold[offered]

    def _round_robin(self, t: int) -> np.ndarray | None:
        """Arm ``t`` for the first K steps, so every arm has one observation."""
        if t < self.n_arms_:
            return np.full(len(self._rows), t)
        return None

    def _argmax(self, values: np.ndarray) -> np.ndarray:
        """Row-wise argmax with random tie-breaking."""
        noise = self.rng_.random(values.shape) * 1e-9
        return np.argmax(values + noise, axis=1)

    def _sample_probabilities(self, prior_a: float, prior_b: float) -> np.ndarray:
        """One draw from each price's Beta posterior, per run."""
        return self.rng_.beta(prior_a + self.sales_, prior_b + self.pulls_ - self.sales_)


class ThompsonSampling(Policy):
    """Thompson sampling with Beta(prior_a, prior_b) priors on each price's purchase probability.

    Each step draws a probability per price from its posterior and offers the
    price with the highest sampled expected margin.

    Parameters
    ----------
    prior_a, prior_b
        Positive Beta prior counts of sales and of no-sales.

    Examples
    --------
    >>> ThompsonSampling(prior_a=2.0).get_params()
    {'prior_a': 2.0, 'prior_b': 1.0}
    """

    def __init__(self, *, prior_a: float = 1.0, prior_b: float = 1.0) -> None:
        self.prior_a = prior_a
        self.prior_b = prior_b

    @property
    def name(self) -> str:
        return "Thompson sampling"

    def _check_params(self) -> None:
        _check_priors(self.prior_a, self.prior_b)

    def _select(self, t: int, inventory, periods_left) -> np.ndarray:
        theta = self._sample_probabilities(self.prior_a, self.prior_b)
        return self._argmax(theta * self.margins_)


class UCB1(Policy):
    """UCB1 (Auer et al. 2002) on margins scaled to [0, 1] by the largest margin.

    Examples
    --------
    >>> UCB1().name
    'UCB1'
    """

    @property
    def name(self) -> str:
        return "UCB1"

    def _select(self, t: int, inventory, periods_left) -> np.ndarray:
        first = self._round_robin(t)
        if first is not None:
            return first
        scale = self.margins_.max()
        mean = self.sales_ / self.pulls_ * self.margins_ / scale
        bonus = np.sqrt(2.0 * np.log(t + 1) / self.pulls_)
        return self._argmax(mean + bonus)


class EpsilonGreedy(Policy):
    """Explore a random price with probability epsilon, else offer the best so far.

    Parameters
    ----------
    epsilon
        Exploration rate in [0, 1]; ``0`` is the pure greedy policy. With
        ``decay=True``, any ``epsilon >= 0`` plays the constant ``c`` of the
        decaying rate ``min(1, c K / (t + 1))`` (Auer et al. 2002).
    decay
        Whether exploration decays with time.

    Examples
    --------
    >>> EpsilonGreedy(epsilon=5.0, decay=True).name
    'epsilon-greedy (decaying, c=5)'
    """

    def __init__(self, *, epsilon: float = 0.1, decay: bool = False) -> None:
        self.epsilon = epsilon
        self.decay = decay

    @property
    def name(self) -> str:
        if self.epsilon == 0:
            return "greedy"
        return f"epsilon-greedy ({'decaying, c=' if self.decay else 'epsilon='}{self.epsilon:g})"

    def _check_params(self) -> None:
        require_number(self.epsilon, "epsilon")
        require_bool(self.decay, "decay")
        if self.epsilon < 0 or (not self.decay and self.epsilon > 1):
            raise ValueError(f"epsilon must be in [0, 1] (or >= 0 with decay), got {self.epsilon!r}")

    def _select(self, t: int, inventory, periods_left) -> np.ndarray:
        first = self._round_robin(t)
        if first is not None:
            return first
        rate = min(1.0, self.epsilon * self.n_arms_ / (t + 1)) if self.decay else self.epsilon
        best = self._argmax(self.sales_ / self.pulls_ * self.margins_)
        explore = self.rng_.random(len(best)) < rate
        random_arm = self.rng_.integers(0, self.n_arms_, len(best))
        return np.where(explore, random_arm, best)


class ExploreThenCommit(Policy):
    """Offer every price ``m`` times in turn, then commit for good to the best observed.

    Parameters
    ----------
    m
        Offers of each price before committing (an integer >= 1).

    Examples
    --------
    >>> ExploreThenCommit(m=50).name
    'explore-then-commit (m=50)'
    """

    def __init__(self, *, m: int = 100) -> None:
        self.m = m

    @property
    def name(self) -> str:
        return f"explore-then-commit (m={self.m})"

    def _check_params(self) -> None:
        require_positive_int(self.m, "m")

    def fit(
        self,
        margins,
        *,
        n_runs: int,
        rng: np.random.Generator,
        inventory: float | None = None,
        horizon: int | None = None,
    ) -> ExploreThenCommit:
        super().fit(margins, n_runs=n_runs, rng=rng, inventory=inventory, horizon=horizon)
        self.committed_ = None
        return self

    def _select(self, t: int, inventory, periods_left) -> np.ndarray:
        m = int(self.m)
        if t < m * self.n_arms_:
            return np.full(len(self._rows), t % self.n_arms_)
        if self.committed_ is None or t == m * self.n_arms_:
            self.committed_ = self._argmax(self.sales_ / self.pulls_ * self.margins_)
        return self.committed_


def _check_lp_inputs(margins, probabilities, capacity) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``margins`` (K,), ``probabilities`` as (n_runs, K), ``capacity`` as (n_runs,), and whether input was 1-D."""
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
    return m, d, c, single


def _single_price_vertices(m: np.ndarray, d: np.ndarray, c: np.ndarray) -> tuple[list, list]:
    """One price only, offered to the share ``x_k = min(1, c / d_k)`` of customers."""
    n_runs, k = d.shape
    candidates, values = [], []
    for j in range(k):
        share = np.where(d[:, j] > 0, np.minimum(1.0, c / np.where(d[:, j] > 0, d[:, j], 1.0)), 1.0)
        x = np.zeros((n_runs, k))
        x[:, j] = share
        candidates.append(x)
        values.append(share * m[j] * d[:, j])
    return candidates, values


def _pair_vertices(m: np.ndarray, d: np.ndarray, c: np.ndarray) -> tuple[list, list]:
    """Two prices with both constraints tight: ``x_i + x_j = 1``, ``x_i d_i + x_j d_j = c`` (``-inf`` if infeasible)."""
    n_runs, k = d.shape
    candidates, values = [], []
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
    return candidates, values


def _lp_solve(m: np.ndarray, d: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vertex enumeration of :func:`lp_price_mixture` on checked (K,), (n_runs, K), (n_runs,) arrays.

    The same candidates and arithmetic as :func:`_single_price_vertices` and :func:`_pair_vertices`, with
    the candidates as columns of one array (the policies call this at every step, for every run).
    """
    n_runs, k = d.shape
    positive = d > 0
    share = np.where(positive, np.minimum(1.0, c[:, None] / np.where(positive, d, 1.0)), 1.0)
    first, second = np.triu_indices(k, 1)
    gap = d[:, first] - d[:, second]
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = np.where(gap != 0, (c[:, None] - d[:, second]) / gap, -1.0)
    ok = (xi >= 0) & (xi <= 1)
    xi = np.where(ok, xi, 0.0)
    pair_values = np.where(ok, xi * m[first] * d[:, first] + (1 - xi) * m[second] * d[:, second], -np.inf)
    values = np.concatenate([share * m * d, pair_values], axis=1)
    rows = np.arange(n_runs)
    best = np.argmax(values, axis=1)
    x = np.zeros((n_runs, k))
    is_single = best < k
    x[rows[is_single], best[is_single]] = share[rows[is_single], best[is_single]]
    pair = best[~is_single] - k
    x[rows[~is_single], first[pair]] = xi[rows[~is_single], pair]
    x[rows[~is_single], second[pair]] = 1 - xi[rows[~is_single], pair]
    return x, values[rows, best]


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
    m, d, c, single = _check_lp_inputs(margins, probabilities, capacity)
    singles, single_values = _single_price_vertices(m, d, c)
    pairs, pair_values = _pair_vertices(m, d, c)
    values = np.column_stack(single_values + pair_values)
    rows = np.arange(d.shape[0])
    best = np.argmax(values, axis=1)
    x = np.stack(singles + pairs, axis=1)[rows, best]
    value = values[rows, best]
    return (x[0], value[0]) if single else (x, value)


class InventoryThompsonSampling(Policy):
    """Thompson sampling with an inventory constraint (Ferreira, Simchi-Levi & Wang 2018).

    Parameters
    ----------
    update_capacity
        ``False``: TS-fixed (capacity = initial inventory / horizon);
        ``True``: TS-update (capacity = remaining inventory / remaining periods).
    prior_a, prior_b
        Positive Beta prior counts of sales and of no-sales.

    Attributes
    ----------
    initial_capacity_
        Initial inventory per period (the capacity of TS-fixed).

    Examples
    --------
    >>> InventoryThompsonSampling(update_capacity=False).name
    'TS-fixed'
    """

    uses_inventory = True

    def __init__(self, *, update_capacity: bool = True, prior_a: float = 1.0, prior_b: float = 1.0) -> None:
        self.update_capacity = update_capacity
        self.prior_a = prior_a
        self.prior_b = prior_b

    @property
    def name(self) -> str:
        return "TS-update" if self.update_capacity else "TS-fixed"

    def _check_params(self) -> None:
        require_bool(self.update_capacity, "update_capacity")
        _check_priors(self.prior_a, self.prior_b)

    def fit(
        self,
        margins,
        *,
        n_runs: int,
        rng: np.random.Generator,
        inventory: float | None = None,
        horizon: int | None = None,
    ) -> InventoryThompsonSampling:
        """Start the runs (see :meth:`Policy.fit`) and remember the initial inventory per period."""
        self._check_params()
        if inventory is None or horizon is None:
            raise ValueError(f"{self.name} needs an inventory and a horizon")
        inventory = require_number(inventory, "inventory", low=0)
        horizon = require_positive_int(horizon, "horizon")
        super().fit(margins, n_runs=n_runs, rng=rng)
        self.initial_capacity_ = inventory / horizon
        return self

    def _select(self, t: int, inventory, periods_left) -> np.ndarray:
        theta = self._sample_probabilities(self.prior_a, self.prior_b)
        if self.update_capacity:
            if inventory is None or periods_left is None:
                raise ValueError(f"{self.name} needs inventory and periods_left at every step")
            capacity = np.asarray(inventory, dtype=float) / max(periods_left, 1)
        else:
            capacity = np.full(len(self._rows), self.initial_capacity_)
        x, _ = _lp_solve(self.margins_, theta, np.asarray(capacity, dtype=float))
        # Draw an arm from each row's mixture; the leftover probability is "no offer" (-1).
        cumulative = np.cumsum(x, axis=1)
        u = self.rng_.random(len(self._rows))[:, None]
        arm = (u >= cumulative).sum(axis=1)
        return np.where(arm >= self.n_arms_, -1, arm)
