"""Demand models with closed-form profit-maximising prices.

The models are small immutable value objects (frozen dataclasses, keyword-only
fields, checked on construction): ``LinearDemand(a=100, b=1)``. They are not
fitted; :func:`shopai_lab.pricing.fit_logit_demand` estimates a
:class:`LogitDemand` from data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, lambertw

from shopai_lab._validation import (
    as_float_array,
    require_number,
    require_positive,
)


def _cost(unit_cost: float) -> float:
    unit_cost = require_number(unit_cost, "unit_cost")
    if unit_cost < 0:
        raise ValueError(f"unit_cost must be a number >= 0, got {unit_cost!r}")
    return unit_cost


def _prices(price, name: str = "prices") -> np.ndarray:
    p = as_float_array(price, name, ndim=None, allow_nan=True, allow_inf=True)
    if not np.isfinite(p).all() or (p <= 0).any():
        raise ValueError(f"{name} must be positive numbers")
    return p


class _Demand:
    """Shared ``profit`` and ``revenue`` of the single-product demand models."""

    def demand(self, price) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def revenue(self, price) -> np.ndarray:
        """Price times demand."""
        return _prices(price) * self.demand(price)

    def profit(self, price, unit_cost: float = 0.0) -> np.ndarray:
        """``(price - unit_cost) * demand(price)``."""
        return (_prices(price) - _cost(unit_cost)) * self.demand(price)


@dataclass(frozen=True, kw_only=True)
class LinearDemand(_Demand):
    """Linear demand ``q = max(a - b p, 0)``.

    Examples
    --------
    >>> LinearDemand(a=100, b=1).optimal_price(0)
    50.0
    """

    a: float
    b: float

    def __post_init__(self) -> None:
        require_positive(self.a, "a")
        require_positive(self.b, "b")

    def demand(self, price) -> np.ndarray:
        return np.maximum(self.a - self.b * _prices(price), 0.0)

    def elasticity(self, price) -> np.ndarray:
        """Point elasticity ``-b p / q`` (``-inf`` where demand is 0)."""
        p = _prices(price)
        q = self.a - self.b * p
        with np.errstate(divide="ignore"):
            return np.where(q > 0, -self.b * p / np.where(q > 0, q, 1.0), -np.inf)

    def optimal_price(self, unit_cost: float = 0.0) -> float:
        """``(a / b + c) / 2``; an error when the cost is at or above the choke price ``a / b``."""
        c = _cost(unit_cost)
        if c >= self.a / self.b:
            raise ValueError(
                f"unit_cost {c} is at or above the choke price a / b = {self.a / self.b}: no price makes a profit"
            )
        return (self.a / self.b + c) / 2.0


@dataclass(frozen=True, kw_only=True)
class ConstantElasticityDemand(_Demand):
    """Constant-elasticity demand ``q = scale * p ** elasticity``.

    Examples
    --------
    >>> ConstantElasticityDemand(scale=1000, elasticity=-2.0).optimal_price(10.0)
    20.0
    """

    scale: float
    elasticity: float

    def __post_init__(self) -> None:
        require_positive(self.scale, "scale")
        require_number(self.elasticity, "elasticity")

    def demand(self, price) -> np.ndarray:
        return self.scale * _prices(price) ** self.elasticity

    def point_elasticity(self, price) -> np.ndarray:
        """The elasticity at ``price``: the same everywhere."""
        return np.full_like(_prices(price), self.elasticity)

    def optimal_price(self, unit_cost: float) -> float:
        """``c e / (1 + e)`` (the Lerner markup); needs ``e < -1`` and ``c > 0``.

        With ``e >= -1`` demand falls more slowly than price rises, so profit
        grows without bound as the price goes up: there is no optimum.
        """
        c = _cost(unit_cost)
        if self.elasticity >= -1:
            raise ValueError(
                f"elasticity {self.elasticity} >= -1: demand is inelastic, profit grows without "
                "bound with price, and there is no optimal price; cap the price with guard rails"
            )
        if c <= 0:
            raise ValueError("unit_cost must be > 0 for a constant-elasticity optimum")
        return c * self.elasticity / (1.0 + self.elasticity)


@dataclass(frozen=True, kw_only=True)
class LogitDemand(_Demand):
    """Logit demand: ``market_size * s(p)`` with purchase probability ``s = 1 / (1 + exp(-(alpha - beta p)))``.

    Examples
    --------
    >>> round(LogitDemand(alpha=3.0, beta=0.1, market_size=1000).optimal_price(5.0), 4)
    27.6496
    """

    alpha: float
    beta: float
    market_size: float = 1.0

    def __post_init__(self) -> None:
        require_number(self.alpha, "alpha")
        require_positive(self.beta, "beta")
        require_positive(self.market_size, "market_size")

    def probability(self, price) -> np.ndarray:
        """Purchase probability at ``price``."""
        return expit(self.alpha - self.beta * _prices(price))

    def demand(self, price) -> np.ndarray:
        return self.market_size * self.probability(price)

    def elasticity(self, price) -> np.ndarray:
        """``-beta p (1 - s(p))``."""
        p = _prices(price)
        return -self.beta * p * (1.0 - self.probability(p))

    def optimal_price(self, unit_cost: float = 0.0) -> float:
        """``c + (1 + W(exp(alpha - beta c - 1))) / beta``, with W the Lambert W function."""
        c = _cost(unit_cost)
        return c + (1.0 + float(np.real(lambertw(np.exp(self.alpha - self.beta * c - 1.0))))) / self.beta


@dataclass(frozen=True, kw_only=True)
class MultinomialLogitDemand:
    """Multinomial logit over products with a common price sensitivity ``beta``.

    Product ``j`` is chosen with probability
    ``exp(alpha_j - beta p_j) / (1 + sum_k exp(alpha_k - beta p_k))``; the 1 is
    the no-purchase option.

    Examples
    --------
    >>> mnl = MultinomialLogitDemand(alphas=(2.0, 1.0), beta=0.5)
    >>> prices = mnl.optimal_prices([1.0, 2.0])
    >>> round(float(prices[0] - 1.0), 6) == round(float(prices[1] - 2.0), 6)  # equal markups
    True
    """

    alphas: tuple[float, ...]
    beta: float
    market_size: float = 1.0

    def __post_init__(self) -> None:
        as_float_array(self.alphas, "alphas", allow_empty=False)
        require_positive(self.beta, "beta")
        require_positive(self.market_size, "market_size")

    def shares(self, prices) -> np.ndarray:
        """Choice probability of each product at ``prices``."""
        p = _prices(prices)
        a = np.asarray(self.alphas, dtype=float)
        if p.shape != a.shape:
            raise ValueError(f"prices must have one value per product ({a.size}), got {p.shape}")
        utility = a - self.beta * p
        top = max(0.0, float(utility.max()))
        weights = np.exp(utility - top)
        return weights / (np.exp(-top) + weights.sum())

    def profit(self, prices, unit_costs) -> float:
        """Total ``sum_j (p_j - c_j) * market_size * share_j``."""
        c = as_float_array(unit_costs, "unit_costs", low=0)
        if c.shape != np.shape(self.alphas):
            raise ValueError(f"unit_costs must have one value per product ({len(self.alphas)}), got {c.size}")
        return float(self.market_size * ((_prices(prices) - c) * self.shares(prices)).sum())

    def optimal_prices(self, unit_costs) -> np.ndarray:
        """Profit-maximising prices: every product gets the same markup
        ``m = (1 + W(sum_j exp(alpha_j - beta c_j - 1))) / beta``."""
        c = as_float_array(unit_costs, "unit_costs", allow_nan=True, allow_inf=True)
        a = np.asarray(self.alphas, dtype=float)
        if c.shape != a.shape or not np.isfinite(c).all() or (c < 0).any():
            raise ValueError(f"unit_costs must be {a.size} numbers >= 0")
        total = np.exp(a - self.beta * c - 1.0).sum()
        markup = (1.0 + float(np.real(lambertw(total)))) / self.beta
        return c + markup
