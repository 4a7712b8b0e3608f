"""Pricing simulators with known truth: a price panel whose seller reacts to demand, and bandit races."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone
from tqdm import tqdm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_instance,
    require_number,
    require_positive_int,
    require_seed,
)
from shopai_lab.pricing.bandits import Policy, lp_price_mixture


def _check_random_state(random_state) -> None:
    """Accept what ``numpy.random.default_rng`` takes: ``None``, an int >= 0, a SeedSequence or a Generator."""
    require_seed(random_state, "random_state")
    if isinstance(random_state, np.random.RandomState):
        raise TypeError("random_state must be None, an integer, a SeedSequence or a Generator, not a RandomState")


def _numpy_streams(random_state, n: int) -> list[np.random.Generator]:
    """``n`` independent generators from ``random_state``.

    An int (or ``None``) seeds ``SeedSequence(random_state).spawn(n)``, so the same int gives the same streams;
    a SeedSequence is copied first (the caller's is not advanced); a Generator spawns its own children.
    """
    _check_random_state(random_state)
    if isinstance(random_state, np.random.Generator):
        children = random_state.spawn(n)
    elif isinstance(random_state, np.random.SeedSequence):
        copy = np.random.SeedSequence(
            random_state.entropy,
            spawn_key=random_state.spawn_key,
            pool_size=random_state.pool_size,
            n_children_spawned=random_state.n_children_spawned,
        )
        children = copy.spawn(n)
    else:
        children = np.random.SeedSequence(random_state).spawn(n)
    return [np.random.default_rng(child) for child in children]


def _panel_draws(
    rng: np.random.Generator,
    n_products: int,
    n_periods: int,
    mean_elasticity: float,
    sd_elasticity: float,
    price_reaction: float,
) -> dict[str, np.ndarray]:
    """The simulated world: true elasticities, demand index, log prices and units (products x periods)."""
    elasticity = np.minimum(rng.normal(mean_elasticity, sd_elasticity, n_products), -1.1)
    base_price = np.exp(rng.normal(1.0, 0.6, n_products))
    level = rng.normal(5.0, 0.5, n_products)
    t = np.arange(n_periods)
    z = 0.4 * np.sin(2 * np.pi * t / 52.0) + rng.normal(0, 0.15, n_periods)
    log_p = np.log(base_price)[:, None] + price_reaction * z[None, :] + rng.normal(0, 0.05, (n_products, n_periods))
    log_mu = (
        level[:, None]
        + elasticity[:, None] * (log_p - np.log(base_price)[:, None])
        + z[None, :]
        + rng.normal(0, 0.1, (n_products, n_periods))
    )
    return {
        "elasticity": elasticity,
        "period": t,
        "demand_index": z,
        "log_price": log_p,
        "units": rng.poisson(np.exp(log_mu)),
    }


def simulate_price_panel(
    n_products: int = 200,
    n_periods: int = 52,
    *,
    mean_elasticity: float = -2.0,
    sd_elasticity: float = 0.5,
    price_reaction: float = 0.5,
    random_state: int | None = 0,
) -> tuple[pd.DataFrame, pd.Series]:
    """Weekly sales of products whose seller sets prices in reaction to demand: the endogeneity lesson.

    Each product has a true elasticity ``e_j ~ N(mean, sd)`` (capped at -1.1).
    A shop-wide demand index ``z_t`` (season and traffic, observable) moves
    demand; the seller raises prices when demand is high,
    ``log p = log p0_j + price_reaction * z_t + nu``, with a little independent
    price variation ``nu`` (sd 0.05). Units are Poisson with mean
    ``exp(a_j + e_j log p + z_t + u)``, ``u`` an unobserved N(0, 0.1) shock.
    Regressing log units on log price alone mixes the price effect with the
    demand index and is biased towards zero; adding ``demand_index`` as a
    control recovers ``e_j``.

    Parameters
    ----------
    n_products, n_periods, mean_elasticity, sd_elasticity, price_reaction
        The size of the panel and the parameters of the story above.
    random_state
        Seed of the simulation (``None``, an int, a SeedSequence or a Generator).

    Returns
    -------
    panel, truth
        ``panel``: ``item_id``, ``period``, ``price``, ``units``, ``demand_index``
        (periods with zero units are dropped); ``truth``: true elasticity by ``item_id``.

    Examples
    --------
    >>> panel, truth = simulate_price_panel(n_products=5, n_periods=30, random_state=0)
    >>> sorted(panel.columns)
    ['demand_index', 'item_id', 'period', 'price', 'units']
    """
    n_products = require_positive_int(n_products, "n_products")
    n_periods = require_positive_int(n_periods, "n_periods", minimum=3)
    require_number(mean_elasticity, "mean_elasticity")
    require_number(sd_elasticity, "sd_elasticity", low=0)
    require_number(price_reaction, "price_reaction")
    _check_random_state(random_state)
    draws = _panel_draws(
        np.random.default_rng(random_state), n_products, n_periods, mean_elasticity, sd_elasticity, price_reaction
    )
    items = [f"P{j:04d}" for j in range(n_products)]
    panel = pd.DataFrame(
        {
            "item_id": np.repeat(items, n_periods),
            "period": np.tile(draws["period"], n_products),
            "price": np.round(np.exp(draws["log_price"]), 2).ravel(),
            "units": draws["units"].ravel(),
            "demand_index": np.tile(draws["demand_index"], n_products),
        }
    )
    panel = panel[(panel["units"] > 0) & (panel["price"] > 0)].reset_index(drop=True)
    truth = pd.Series(draws["elasticity"], index=pd.Index(items, name="item_id"), name="elasticity")
    return panel, truth


@dataclass
class PricingRun:
    """Result of :func:`simulate_pricing` for one policy.

    Attributes
    ----------
    policy
        Policy name.
    profit
        ``(n_runs,)`` realised total margin of each run.
    units
        ``(n_runs,)`` units sold in each run.
    benchmark
        ``(n_runs,)`` total margin of the clairvoyant in each run. Without
        inventory: what the best single price earned from the same customers
        (common random numbers: each customer buys at price k when their
        uniform draw is below ``d_k``, whoever sets the price). With inventory:
        the LP bound ``T * LP(inventory / T)``, the same in every run.
    regret
        ``(horizon,)`` mean cumulative regret over runs. Without inventory the
        pseudo-regret: expected margin of the best price minus expected margin
        of the prices offered. With inventory, regret against the LP bound:
        ``t * LP(inventory / T)`` minus the margin realised by step ``t`` (the
        expected margin of an offer says nothing about the stock it uses up,
        so a pseudo-regret can be negative while the policy earns less than
        the bound); at ``T`` it is ``benchmark - profit``.
    regret_low, regret_high
        5% and 95% quantiles of the cumulative regret across runs.
    final_regret
        ``(n_runs,)`` each run's regret at the horizon (the same definition).
    arm_shares
        Share of customers offered each price (last column: no offer).
    """

    policy: str
    profit: np.ndarray
    units: np.ndarray
    benchmark: np.ndarray
    regret: np.ndarray
    regret_low: np.ndarray
    regret_high: np.ndarray
    arm_shares: np.ndarray
    final_regret: np.ndarray
    seconds: float = field(default=0.0)

    @property
    def run_shares(self) -> np.ndarray:
        """``(n_runs,)`` each run's realised profit as a share of its benchmark (pair runs by index)."""
        return self.profit / self.benchmark

    @property
    def share_of_benchmark(self) -> float:
        """Total realised profit over all runs as a share of the clairvoyant's."""
        return float(self.profit.sum() / self.benchmark.sum())

    def __repr__(self) -> str:
        return (
            f"PricingRun({self.policy}: {self.share_of_benchmark:.2%} of the benchmark, "
            f"final regret {self.regret[-1]:,.0f}, {len(self.profit)} runs)"
        )


def _check_problem(prices, probabilities, unit_cost) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = as_float_array(prices, "prices", ndim=None, allow_nan=True, allow_inf=True)
    d = as_float_array(probabilities, "probabilities", ndim=None, allow_nan=True, allow_inf=True)
    unit_cost = require_number(unit_cost, "unit_cost")
    if p.ndim != 1 or p.size < 2 or d.shape != p.shape:
        raise ValueError("prices and probabilities must be 1-D, of equal length, with at least 2 prices")
    if not np.isfinite(p).all() or (p <= 0).any():
        raise ValueError("prices must be positive numbers")
    if not np.isfinite(d).all() or (d < 0).any() or (d > 1).any():
        raise ValueError(f"probabilities must lie in [0, 1], got {d.tolist()}")
    margins = p - float(unit_cost)
    if (margins <= 0).any():
        raise ValueError("every price must exceed unit_cost")
    return p, d, margins


def _check_sizes(horizon: int, n_runs: int) -> tuple[int, int]:
    for name, value in (("horizon", horizon), ("n_runs", n_runs)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an integer, got {value!r}")
    if int(horizon) < 1 or int(n_runs) < 1:
        raise ValueError("horizon and n_runs must be >= 1")
    return int(horizon), int(n_runs)


def _check_policy(policy: Policy, inventory: float | None) -> None:
    """A valid policy (hyper-parameters checked, so its name is defined) that can run with ``inventory``."""
    require_instance(policy, Policy, "policy")
    policy._check_params()
    if policy.uses_inventory and inventory is None:
        raise ValueError(f"{policy.name} needs an inventory")
    if inventory is not None:
        require_number(inventory, "inventory", low=0)


@dataclass
class _Tally:
    """Running totals of one simulation, one entry per run (``regret``: one row per time step)."""

    profit: np.ndarray
    units: np.ndarray
    clairvoyant: np.ndarray
    regret: np.ndarray
    counts: np.ndarray

    @classmethod
    def empty(cls, horizon: int, n_runs: int, n_arms: int) -> _Tally:
        return cls(
            profit=np.zeros(n_runs),
            units=np.zeros(n_runs),
            clairvoyant=np.zeros(n_runs),
            regret=np.zeros((horizon, n_runs)),
            counts=np.zeros((n_runs, n_arms + 1)),
        )

    def result(self, policy: str, benchmark: np.ndarray, seconds: float) -> PricingRun:
        return PricingRun(
            policy=policy,
            profit=self.profit,
            units=self.units,
            benchmark=benchmark,
            regret=self.regret.mean(axis=1),
            regret_low=np.quantile(self.regret, 0.05, axis=1),
            regret_high=np.quantile(self.regret, 0.95, axis=1),
            arm_shares=self.counts.sum(axis=0) / self.counts.sum(),
            final_regret=self.regret[-1].copy(),
            seconds=seconds,
        )


def _run_customers(
    policy: Policy,
    env: np.random.Generator,
    d: np.ndarray,
    per_step_best: float,
    horizon: int,
    inventory: float | None,
    progress: bool,
) -> _Tally:
    """The time loop: each step the policy offers a price to one customer per run, who buys or not.

    Common random numbers: a customer buys at price k when their uniform draw is below ``d_k``, so the
    clairvoyant's single best price is judged on the same customers.
    """
    n_runs, margins = len(policy._rows), policy.margins_
    expected = margins * d
    best_arm = int(np.argmax(expected))
    stock = None if inventory is None else np.full(n_runs, float(inventory))
    tally = _Tally.empty(horizon, n_runs, policy.n_arms_)
    running = np.zeros(n_runs)
    rows = np.arange(n_runs)
    for t in tqdm(range(horizon), disable=not progress, desc=policy.name):
        arms = policy._select(t, stock, horizon - t)
        if stock is not None:
            arms = np.where(stock > 0, arms, -1)
        offered = arms >= 0
        safe = np.where(offered, arms, 0)
        willing = env.random(n_runs)  # the customer buys at price k when willing < d_k
        sold = offered & (willing < d[safe])
        tally.clairvoyant += margins[best_arm] * (willing < d[best_arm])
        if stock is not None:
            stock -= sold
        policy._update(arms, sold.astype(float))
        tally.profit += np.where(sold, margins[safe], 0.0)
        tally.units += sold
        if stock is None:  # pseudo-regret: expected margins
            running += per_step_best - np.where(offered, expected[safe], 0.0)
        else:  # against the LP bound: realised margins (stock makes an offer's expected margin misleading)
            running += per_step_best - np.where(sold, margins[safe], 0.0)
        tally.regret[t] = running
        tally.counts[rows, np.where(offered, arms, policy.n_arms_)] += 1
    return tally


def simulate_pricing(
    policy: Policy,
    prices,
    probabilities,
    horizon: int,
    n_runs: int = 100,
    *,
    unit_cost: float = 0.0,
    inventory: float | None = None,
    random_state: int | None = 0,
    progress: bool = False,
) -> PricingRun:
    """Run ``policy`` against Bernoulli customers, ``n_runs`` independent runs at once.

    Parameters
    ----------
    policy
        A :class:`~shopai_lab.pricing.Policy`; a clone of it is fitted and run, ``policy`` itself is not changed.
    prices, probabilities
        The price menu and each price's true purchase probability.
    horizon
        Customers per run (T).
    n_runs
        Independent runs, simulated together.
    unit_cost
        Cost per unit sold; rewards are margins ``price - unit_cost``.
    inventory
        Units available per run, or ``None`` for unlimited. With inventory the
        benchmark is the LP bound ``T * LP(c = inventory / T)``.
    random_state
        Seed of the customers' and the policy's random streams.
    progress
        Show a progress bar over time steps.

    Returns
    -------
    PricingRun

    Examples
    --------
    >>> from shopai_lab.pricing import ThompsonSampling
    >>> run = simulate_pricing(ThompsonSampling(), [29.9, 34.9, 39.9, 44.9],
    ...                        [0.8, 0.6, 0.3, 0.1], horizon=2000, n_runs=20)
    >>> run.share_of_benchmark > 0.95
    True
    """
    _check_policy(policy, inventory)
    _, d, margins = _check_problem(prices, probabilities, unit_cost)
    horizon, n_runs = _check_sizes(horizon, n_runs)
    require_bool(progress, "progress")
    start = time.perf_counter()
    env, policy_rng = _numpy_streams(random_state, 2)
    policy = clone(policy).fit(margins, n_runs=n_runs, rng=policy_rng, inventory=inventory, horizon=horizon)
    if inventory is None:
        per_step_best = float((margins * d).max())
    else:
        per_step_best = float(lp_price_mixture(margins, d, float(inventory) / horizon)[1])
    tally = _run_customers(policy, env, d, per_step_best, horizon, inventory, progress)
    benchmark = tally.clairvoyant if inventory is None else np.full(n_runs, per_step_best * horizon)
    return tally.result(policy.name, benchmark, seconds=time.perf_counter() - start)


def race(
    policies: list[Policy],
    prices,
    probabilities,
    horizon: int,
    n_runs: int = 100,
    *,
    unit_cost: float = 0.0,
    inventory: float | None = None,
    random_state: int | None = 0,
    progress: bool = False,
) -> tuple[pd.DataFrame, dict[str, PricingRun]]:
    """Simulate several policies on the same problem; a summary table and the runs by name.

    Every policy meets the same customers (the same ``random_state``, an int). The table has, per policy:
    ``share_of_benchmark`` (realised profit over the clairvoyant's, see :class:`PricingRun`), ``regret``
    (mean final regret: pseudo-regret without inventory, against the LP bound with it), its median and
    5%-95% band across runs, and the share of customers offered each price.
    The policies passed are not changed (each run fits a clone).

    Examples
    --------
    >>> from shopai_lab.pricing import UCB1, ThompsonSampling
    >>> table, runs = race([ThompsonSampling(), UCB1()], [29.9, 34.9], [0.8, 0.6], horizon=200, n_runs=5)
    >>> table.index.tolist()
    ['Thompson sampling', 'UCB1']
    """
    policies = _check_policies(policies)
    _check_problem(prices, probabilities, unit_cost)
    runs = {}
    for policy in tqdm(policies, disable=not progress, desc="policies"):
        runs[policy.name] = simulate_pricing(
            policy,
            prices,
            probabilities,
            horizon,
            n_runs,
            unit_cost=unit_cost,
            inventory=inventory,
            random_state=random_state,
        )
    return _race_table(runs, prices, with_no_offer=inventory is not None), runs


def _check_policies(policies) -> list[Policy]:
    if isinstance(policies, Policy) or not hasattr(policies, "__iter__"):
        raise TypeError(f"policies must be a list of Policy objects, got {type(policies).__name__}")
    policies = list(policies)
    if not policies:
        raise ValueError("policies is empty: race needs at least one policy")
    for i, policy in enumerate(policies):
        require_instance(policy, Policy, f"policies[{i}]")
        policy._check_params()
    names = [policy.name for policy in policies]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"policies have duplicated names {repeated}: each run is reported by name")
    return policies


def _race_table(runs: dict[str, PricingRun], prices, with_no_offer: bool) -> pd.DataFrame:
    labels = [f"share at {price:g}" for price in np.asarray(prices, dtype=float)] + ["share no offer"]
    rows = []
    for name, run in runs.items():
        row = {
            "policy": name,
            "share_of_benchmark": run.share_of_benchmark,
            "regret": run.regret[-1],
            "regret_median": float(np.median(run.final_regret)),
            "regret_p05": run.regret_low[-1],
            "regret_p95": run.regret_high[-1],
        }
        row.update(dict(zip(labels, run.arm_shares)))
        rows.append(row)
    table = pd.DataFrame(rows).set_index("policy")
    if not with_no_offer:
        table = table.drop(columns="share no offer")
    return table


def compare_policies(
    runs: dict[str, PricingRun], baseline: str, *, n_boot: int = 2000, level: float = 0.95, random_state: int = 0
) -> pd.DataFrame:
    """Each policy's share of the benchmark minus the baseline's, paired by run, with a bootstrap interval.

    The runs of :func:`race` are paired: run ``i`` of every policy meets the same customers (common
    random numbers), so the difference is taken run by run and resampled over runs
    (:func:`shopai_lab.stats.paired_bootstrap`).

    Parameters
    ----------
    runs
        The runs by policy name, as returned by :func:`race`.
    baseline
        Name of the policy the others are compared with.
    n_boot, level, random_state
        Bootstrap draws, interval level and seed.

    Returns
    -------
    pandas.DataFrame
        One row per other policy: ``share`` (its share of the benchmark) and ``interval`` (the
        :class:`~shopai_lab.stats.Interval` of the mean over runs of its run share minus the baseline's).

    Examples
    --------
    >>> from shopai_lab.pricing import ThompsonSampling, EpsilonGreedy
    >>> _, runs = race([ThompsonSampling(), EpsilonGreedy(epsilon=0.5)], [29.9, 34.9], [0.8, 0.6],
    ...                horizon=500, n_runs=20)
    >>> table = compare_policies(runs, "Thompson sampling")
    >>> bool(table.loc["epsilon-greedy (epsilon=0.5)", "interval"].high < 0)
    True
    """
    from shopai_lab.stats import paired_bootstrap

    require_instance(runs, dict, "runs")
    if baseline not in runs:
        raise ValueError(f"baseline {baseline!r} is not one of the runs {sorted(runs)}")
    base = runs[baseline].run_shares
    rows = []
    for name, run in runs.items():
        if name == baseline:
            continue
        if len(run.profit) != len(base):
            raise ValueError(f"runs[{name!r}] has {len(run.profit)} runs, the baseline {len(base)}: cannot pair them")
        result = paired_bootstrap(base, run.run_shares, n_boot=n_boot, level=level, random_state=random_state)
        rows.append({"policy": name, "share": run.share_of_benchmark, "interval": result})
    return pd.DataFrame(rows, columns=["policy", "share", "interval"]).set_index("policy")
