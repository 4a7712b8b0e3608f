"""Demand curves, elasticities and profit-maximising prices.

Three demand models with closed-form optimal prices, a numerical optimiser for
any fitted curve, guard rails for turning an optimum into a recommendation, and
estimators of price response from observational data (log-log regression with
controls, a binomial logit fit, and empirical-Bayes pooling of noisy
per-product estimates).

A note on the classic mistake this module exists to prevent: handing a profit
function to ``scipy.optimize.fmin`` *minimises* profit. Maximise by minimising
the negative, on a bounded interval, and check whether the answer sits on a
bound (:func:`optimize_price`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, lambertw
from scipy.stats import norm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_instance,
    require_no_missing,
    require_not_empty,
    require_number,
    require_numeric_columns,
    require_positive,
    require_positive_int,
    require_strings,
    require_transactions,
    require_unique,
)


def _positive(value: float, name: str) -> float:
    return require_positive(value, name)


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


@dataclass(frozen=True)
class LinearDemand(_Demand):
    """Linear demand ``q = max(a - b p, 0)``.

    Examples
    --------
    >>> LinearDemand(100, 1).optimal_price(0)
    50.0
    """

    a: float
    b: float

    def __post_init__(self) -> None:
        _positive(self.a, "a")
        _positive(self.b, "b")

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
                f"unit_cost {c} is at or above the choke price a / b = {self.a / self.b}: "
                "no price makes a profit"
            )
        return (self.a / self.b + c) / 2.0


@dataclass(frozen=True)
class ConstantElasticityDemand(_Demand):
    """Constant-elasticity demand ``q = scale * p ** elasticity``.

    Examples
    --------
    >>> ConstantElasticityDemand(1000, -2.0).optimal_price(10.0)
    20.0
    """

    scale: float
    elasticity: float

    def __post_init__(self) -> None:
        _positive(self.scale, "scale")
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


@dataclass(frozen=True)
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
        _positive(self.beta, "beta")
        _positive(self.market_size, "market_size")

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


@dataclass(frozen=True)
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
        _positive(self.beta, "beta")
        _positive(self.market_size, "market_size")

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


@dataclass(frozen=True)
class PriceOptimum:
    """Result of :func:`optimize_price`."""

    price: float
    profit: float
    at_bound: bool


def optimize_price(
    profit_fn: Callable[[np.ndarray], np.ndarray],
    bounds: tuple[float, float],
    grid_size: int = 201,
) -> PriceOptimum:
    """Maximise any profit curve over a price interval: a grid, then bounded refinement.

    The grid finds the best region even for curves with several local maxima;
    a bounded Brent search on the *negative* profit refines it between the
    neighbouring grid points.

    Parameters
    ----------
    profit_fn
        Profit as a function of price (vectorised over a numpy array).
    bounds
        ``(lowest, highest)`` price, both positive.
    grid_size
        Number of grid points (>= 3).

    Returns
    -------
    PriceOptimum
        ``price``, ``profit`` and ``at_bound``: whether the optimum lies on a
        bound, a sign that the true optimum is outside the interval.

    Examples
    --------
    >>> demand = LinearDemand(100, 1)
    >>> optimum = optimize_price(lambda p: demand.profit(p), (1, 99))
    >>> round(optimum.price, 6), optimum.at_bound
    (50.0, False)
    """
    if not callable(profit_fn):
        raise TypeError(f"profit_fn must be a function of price, got {type(profit_fn).__name__}")
    if isinstance(bounds, str) or not hasattr(bounds, "__len__") or len(bounds) != 2:
        raise ValueError(f"bounds must be (lowest, highest), got {bounds!r}")
    low, high = (require_number(b, "bounds") for b in bounds)
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0:
        raise ValueError(f"bounds must be positive prices, got {bounds!r}")
    if low >= high:
        raise ValueError(f"bounds must be (lowest, highest) with lowest < highest, got {bounds!r}")
    grid_size = require_positive_int(grid_size, "grid_size", minimum=3)
    grid = np.linspace(low, high, int(grid_size))
    values = np.asarray(profit_fn(grid), dtype=float)
    if values.shape != grid.shape or not np.isfinite(values).all():
        raise ValueError("profit_fn must return one finite profit per price")
    best = int(np.argmax(values))
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = minimize_scalar(lambda p: -float(np.asarray(profit_fn(np.array([p])))[0]),
                              bounds=(left, right), method="bounded",
                              options={"xatol": 1e-10 * max(1.0, high)})
    price, profit = float(refined.x), float(-refined.fun)
    if profit < values[best]:
        price, profit = float(grid[best]), float(values[best])
    tolerance = 1e-6 * (high - low)
    return PriceOptimum(price=price, profit=profit,
                        at_bound=bool(price - low <= tolerance or high - price <= tolerance))


def _fraction(value: float, name: str) -> float:
    value = require_number(value, name)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be a fraction between 0 and 1, got {value!r}")
    return value


@dataclass(frozen=True)
class PriceRecommendation:
    """A price change with the guard rail that shaped it."""

    current: float
    optimal: float
    recommended: float
    rule: str


def recommend_price(
    current_price: float,
    optimal_price: float,
    unit_cost: float,
    max_change: float = 0.10,
) -> PriceRecommendation:
    """Move from today's price towards the optimum, within guard rails.

    The recommendation never moves more than ``max_change`` (a fraction, e.g.
    0.10 for 10%) from ``current_price`` and never goes below ``unit_cost``.
    ``optimal_price`` may be ``inf`` (inelastic demand: no finite optimum).

    Returns
    -------
    PriceRecommendation
        ``rule`` says what decided it: ``"optimum"``, ``"max increase"``,
        ``"max decrease"`` or ``"cost floor"``.

    Examples
    --------
    >>> recommend_price(10.0, 14.0, 6.0, max_change=0.1).recommended
    11.0
    """
    current = _positive(current_price, "current_price")
    cost = _cost(unit_cost)
    _fraction(max_change, "max_change")
    if isinstance(optimal_price, bool) or not isinstance(optimal_price, (int, float, np.integer, np.floating)):
        raise TypeError(f"optimal_price must be a number, got {optimal_price!r}")
    if np.isnan(optimal_price) or optimal_price <= 0:
        raise ValueError(f"optimal_price must be positive (or inf), got {optimal_price!r}")
    low, high = current * (1 - max_change), current * (1 + max_change)
    price, rule = float(optimal_price), "optimum"
    if price > high:
        price, rule = high, "max increase"
    elif price < low:
        price, rule = low, "max decrease"
    if price < cost:
        price, rule = cost, "cost floor"
    return PriceRecommendation(current=current, optimal=float(optimal_price), recommended=price, rule=rule)


@dataclass(frozen=True)
class ElasticityFit:
    """Result of :func:`fit_loglog_elasticity`."""

    elasticity: float
    std_error: float
    ci_low: float
    ci_high: float
    n: int
    r_squared: float


def fit_loglog_elasticity(
    price,
    quantity,
    controls: pd.DataFrame | None = None,
    confidence: float = 0.95,
    robust: bool = True,
) -> ElasticityFit:
    """Price elasticity from ``log q = a + e log p + controls`` by least squares.

    Parameters
    ----------
    price, quantity
        Positive prices and quantities, one per observation.
    controls
        Observed confounders (numeric columns; dummy-encode categories first,
        dropping one level), one row per observation.
    confidence
        Level of the confidence interval.
    robust
        Heteroskedasticity-robust (HC1) standard errors; classical otherwise.

    Returns
    -------
    ElasticityFit
        The coefficient ``e`` of ``log p``, its standard error, confidence
        interval, number of observations and R².

    Raises
    ------
    ValueError
        For non-positive or missing prices or quantities, fewer than two
        distinct prices, controls with missing values or the wrong length, or
        too few observations for the number of coefficients.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = np.exp(rng.normal(0, 0.3, 500))
    >>> q = np.exp(2.0 - 1.5 * np.log(p) + rng.normal(0, 0.1, 500))
    >>> round(fit_loglog_elasticity(p, q).elasticity, 2)
    -1.5
    """
    p = as_float_array(price, "price", ndim=None, allow_nan=True, allow_inf=True)
    q = as_float_array(quantity, "quantity", ndim=None, allow_nan=True, allow_inf=True)
    require_bool(robust, "robust")
    if p.shape != q.shape or p.ndim != 1:
        raise ValueError("price and quantity must be 1-D and of equal length")
    if not (np.isfinite(p).all() and np.isfinite(q).all()):
        raise ValueError("price and quantity must not contain NaN or infinite values")
    if (p <= 0).any() or (q <= 0).any():
        raise ValueError("price and quantity must be positive (their logarithms are taken)")
    if len(np.unique(p)) < 2:
        raise ValueError("need at least two distinct prices to estimate a price response")
    require_number(confidence, "confidence", low=0, high=1, low_inclusive=False, high_inclusive=False)
    columns = [np.ones_like(p), np.log(p)]
    if controls is not None:
        if isinstance(controls, pd.DataFrame):
            require_numeric_columns(controls, controls.columns, "controls")
        z = as_float_array(controls, "controls", ndim=None, allow_nan=True, allow_inf=True)
        z = z.reshape(len(z), -1)
        if len(z) != len(p):
            raise ValueError(f"controls must have one row per observation ({len(p)}), got {len(z)}")
        if not np.isfinite(z).all():
            raise ValueError("controls must not contain NaN or infinite values")
        columns.extend(z.T)
    x = np.column_stack(columns)
    n, k = x.shape
    if n <= k:
        raise ValueError(f"need more observations ({n}) than coefficients ({k})")
    y = np.log(q)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    xtx_inv = np.linalg.pinv(x.T @ x)
    if robust:
        meat = (x * resid[:, None] ** 2).T @ x
        cov = xtx_inv @ meat @ xtx_inv * n / (n - k)
    else:
        cov = xtx_inv * (resid @ resid) / (n - k)
    se = float(np.sqrt(cov[1, 1]))
    zcrit = float(norm.ppf(0.5 + confidence / 2))
    tss = float(((y - y.mean()) ** 2).sum())
    return ElasticityFit(
        elasticity=float(coef[1]), std_error=se, ci_low=float(coef[1] - zcrit * se),
        ci_high=float(coef[1] + zcrit * se), n=n,
        r_squared=1.0 - float(resid @ resid) / tss if tss > 0 else float("nan"),
    )


def fit_logit_demand(price, offers, purchases) -> LogitDemand:
    """Fit purchase probability ``s(p) = 1 / (1 + exp(-(alpha - beta p)))`` by maximum likelihood.

    Parameters
    ----------
    price
        Offered prices (positive), at least two distinct.
    offers
        Number of customers offered each price (> 0).
    purchases
        Number of them who bought (0 <= purchases <= offers).

    Returns
    -------
    LogitDemand
        With ``market_size = 1``: demand is the probability per offer.

    Examples
    --------
    >>> fitted = fit_logit_demand([10, 20, 30], [1000, 1000, 1000], [731, 500, 269])
    >>> round(fitted.alpha, 1), round(fitted.beta, 2)
    (2.0, 0.1)
    """
    p = as_float_array(price, "price", ndim=None, allow_nan=True, allow_inf=True)
    n = as_float_array(offers, "offers", ndim=None, allow_nan=True, allow_inf=True)
    k = as_float_array(purchases, "purchases", ndim=None, allow_nan=True, allow_inf=True)
    if not (p.shape == n.shape == k.shape) or p.ndim != 1:
        raise ValueError("price, offers and purchases must be 1-D and of equal length")
    if not (np.isfinite(p).all() and np.isfinite(n).all() and np.isfinite(k).all()):
        raise ValueError("price, offers and purchases must not contain NaN")
    if (p <= 0).any():
        raise ValueError("prices must be positive")
    if (n <= 0).any() or (k < 0).any() or (k > n).any():
        raise ValueError("need offers > 0 and 0 <= purchases <= offers")
    if len(np.unique(p)) < 2:
        raise ValueError("need at least two distinct prices to estimate a price response")
    scale = p.mean()

    def negloglik(theta: np.ndarray) -> float:
        u = theta[0] - theta[1] * p / scale
        return float(-(k * u - n * np.logaddexp(0.0, u)).sum())

    def gradient(theta: np.ndarray) -> np.ndarray:
        s = expit(theta[0] - theta[1] * p / scale)
        resid = k - n * s
        return -np.array([resid.sum(), -(resid * p / scale).sum()])

    result = minimize(negloglik, np.zeros(2), jac=gradient, method="BFGS", options={"gtol": 1e-10})
    alpha, beta = float(result.x[0]), float(result.x[1] / scale)
    if beta <= 0:
        raise ValueError(f"the fitted demand does not fall with price (beta = {beta:.4g})")
    return LogitDemand(alpha=alpha, beta=beta, market_size=1.0)


def shrink_estimates(
    estimates, std_errors, groups=None
) -> pd.DataFrame:
    """Empirical-Bayes (normal-normal) pooling of noisy estimates towards their group mean.

    Within each group the true values are taken as ``N(mu, tau^2)``; ``mu`` and
    ``tau^2`` are estimated by the DerSimonian-Laird method of moments, and each
    estimate is shrunk to ``w * estimate + (1 - w) * mu`` with
    ``w = tau^2 / (tau^2 + se^2)``: noisy estimates move most.

    Parameters
    ----------
    estimates, std_errors
        One estimate and its standard error (> 0) per unit.
    groups
        Group label per unit; ``None`` pools all units as one group.

    Returns
    -------
    pandas.DataFrame
        ``estimate``, ``std_error``, ``group``, ``prior_mean``, ``prior_sd``,
        ``weight``, ``shrunk`` and ``posterior_sd`` (``sqrt(weight) * se``) per
        unit, in the input order.

    Examples
    --------
    >>> out = shrink_estimates([-1.0, -3.0, -2.0], [0.1, 2.0, 0.5])
    >>> bool(abs(out["shrunk"][1] - out["prior_mean"][1]) < abs(-3.0 - out["prior_mean"][1]))
    True
    """
    est = as_float_array(estimates, "estimates", ndim=None, allow_nan=True, allow_inf=True)
    se = as_float_array(std_errors, "std_errors", ndim=None, allow_nan=True, allow_inf=True)
    if est.shape != se.shape or est.ndim != 1 or est.size == 0:
        raise ValueError("estimates and std_errors must be 1-D, non-empty and of equal length")
    if not (np.isfinite(est).all() and np.isfinite(se).all()) or (se <= 0).any():
        raise ValueError("estimates must be finite and std_errors finite and positive")
    labels = np.zeros(est.size, dtype=int) if groups is None else np.asarray(groups)
    if labels.shape != est.shape:
        raise ValueError("groups must have one label per estimate")
    out = pd.DataFrame({"estimate": est, "std_error": se, "group": labels})
    prior_mean = np.empty(est.size)
    prior_sd = np.empty(est.size)
    for label in pd.unique(labels):
        rows = labels == label
        w = 1.0 / se[rows] ** 2
        fixed = (w * est[rows]).sum() / w.sum()
        q = (w * (est[rows] - fixed) ** 2).sum()
        denom = w.sum() - (w**2).sum() / w.sum()
        tau2 = max(0.0, (q - (rows.sum() - 1)) / denom) if denom > 0 else 0.0
        weights = 1.0 / (se[rows] ** 2 + tau2)
        prior_mean[rows] = (weights * est[rows]).sum() / weights.sum()
        prior_sd[rows] = np.sqrt(tau2)
    out["prior_mean"] = prior_mean
    out["prior_sd"] = prior_sd
    out["weight"] = prior_sd**2 / (prior_sd**2 + se**2)
    out["shrunk"] = out["weight"] * est + (1 - out["weight"]) * prior_mean
    out["posterior_sd"] = np.sqrt(out["weight"]) * se
    return out


def price_panel(
    purchases: pd.DataFrame,
    freq: str = "W",
    wholesale_quantity: float = 24.0,
    min_periods: int = 20,
    min_prices: int = 3,
) -> pd.DataFrame:
    """Product-by-period sales panel for estimating price response from transaction data.

    For each product and period (default: week): ``units`` sold, the ``price``
    (median unit price of its lines, robust to a few odd lines) and three
    controls for what moves demand and price together:

    - ``log_shop_units``: log units of all *other* products that period
      (seasonality and traffic: gift-season weeks sell more of everything);
    - ``wholesale_share``: share of the units bought by wholesale customers,
      those whose median line quantity is at least ``wholesale_quantity``
      (they buy in bulk *and* pay tier prices);
    - ``non_uk_share``: share of units bought from outside the UK (when a
      ``country`` column is present).

    Only products sold in at least ``min_periods`` periods at at least
    ``min_prices`` distinct prices are kept.

    Returns
    -------
    pandas.DataFrame
        ``item_id``, ``period``, ``units``, ``price``, ``revenue``,
        ``log_shop_units``, ``wholesale_share``, ``non_uk_share``.
    """
    required = ["customer_id", "item_id", "quantity", "unit_price", "timestamp"]
    require_transactions(purchases, "purchases", required, allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["customer_id", "item_id", "timestamp"], "purchases", "clean the lines first")
    require_number(wholesale_quantity, "wholesale_quantity", low=0)
    min_periods = require_positive_int(min_periods, "min_periods")
    min_prices = require_positive_int(min_prices, "min_prices")
    try:
        pd.Period("2011-01-03", freq=freq)
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"freq must be a pandas period frequency such as 'W', 'M' or 'D', got {freq!r}") from None
    lines = purchases[required + (["country"] if "country" in purchases.columns else [])]
    customer_size = lines.groupby("customer_id", observed=True)["quantity"].median()
    wholesale = lines["customer_id"].map(customer_size).to_numpy() >= wholesale_quantity
    non_uk = (lines["country"] != "United Kingdom").to_numpy() if "country" in lines.columns else np.zeros(len(lines), bool)
    qty = lines["quantity"].to_numpy(dtype=float)
    frame = pd.DataFrame({
        "item_id": lines["item_id"].to_numpy(),
        "period": lines["timestamp"].dt.to_period(freq).to_numpy(),
        "units": qty,
        "unit_price": lines["unit_price"].to_numpy(dtype=float),
        "revenue": qty * lines["unit_price"].to_numpy(dtype=float),
        "wholesale_units": qty * wholesale,
        "non_uk_units": qty * non_uk,
    })
    grouped = frame.groupby(["item_id", "period"], observed=True)
    panel = grouped.agg(units=("units", "sum"), price=("unit_price", "median"), revenue=("revenue", "sum"),
                        wholesale_units=("wholesale_units", "sum"), non_uk_units=("non_uk_units", "sum"))
    panel = panel.reset_index()
    shop_units = panel.groupby("period", observed=True)["units"].transform("sum")
    panel["log_shop_units"] = np.log(shop_units - panel["units"] + 1.0)
    panel["wholesale_share"] = panel.pop("wholesale_units") / panel["units"]
    panel["non_uk_share"] = panel.pop("non_uk_units") / panel["units"]
    stats = panel.groupby("item_id", observed=True).agg(
        periods=("units", "size"), prices=("price", lambda p: p.round(2).nunique()))
    keep = stats.index[(stats["periods"] >= min_periods) & (stats["prices"] >= min_prices)]
    return panel[panel["item_id"].isin(keep)].reset_index(drop=True)


PANEL_CONTROLS = ("log_shop_units", "wholesale_share", "non_uk_share")


def current_prices(panel: pd.DataFrame, periods: int = 8) -> pd.DataFrame:
    """Today's price and weekly units per product from the last ``periods`` periods of the shop.

    ``current_price`` is the median price over the product's periods among the
    shop's last ``periods``; ``weekly_units`` the units sold in them divided by
    ``periods`` (a period without sales counts as zero).
    """
    missing = [c for c in ["item_id", "period", "units", "price"] if c not in panel.columns]
    if missing:
        raise ValueError(f"panel is missing column(s) {missing}")
    require_not_empty(panel, "panel")
    require_numeric_columns(panel, ["units", "price"], "panel", allow_nan=False)
    periods = require_positive_int(periods, "periods")
    recent_periods = np.sort(panel["period"].unique())[-int(periods):]
    recent = panel[panel["period"].isin(recent_periods)]
    grouped = recent.groupby("item_id", observed=True)
    return pd.DataFrame({"current_price": grouped["price"].median(),
                         "weekly_units": grouped["units"].sum() / int(periods)})


def product_elasticities(panel: pd.DataFrame, controls=PANEL_CONTROLS) -> pd.DataFrame:
    """Per-product log-log elasticity, naive (price only) and with ``controls``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item_id``: ``naive``, ``naive_se``, ``controlled``,
        ``controlled_se``, ``periods``, ``median_price``, ``units``.
    """
    controls = require_strings(controls, "controls")
    missing = [c for c in ["item_id", "units", "price", *controls] if c not in panel.columns]
    if missing:
        raise ValueError(f"panel is missing column(s) {missing}")
    require_numeric_columns(panel, ["units", "price", *controls], "panel")
    rows = []
    for item, group in panel.groupby("item_id", observed=True, sort=True):
        if group["price"].nunique() < 2 or len(group) <= len(controls) + 3:
            continue
        naive = fit_loglog_elasticity(group["price"], group["units"])
        z = group[list(controls)]
        z = z.loc[:, z.std() > 0]  # a control that never varies for this product is dropped
        controlled = fit_loglog_elasticity(group["price"], group["units"], controls=z)
        rows.append({"item_id": item, "naive": naive.elasticity, "naive_se": naive.std_error,
                     "controlled": controlled.elasticity, "controlled_se": controlled.std_error,
                     "periods": len(group), "median_price": float(group["price"].median()),
                     "units": float(group["units"].sum())})
    if not rows:
        raise ValueError("no product has enough periods and distinct prices to estimate an elasticity")
    return pd.DataFrame(rows).set_index("item_id")


def price_recommendations(
    elasticity: pd.Series,
    current_price: pd.Series,
    weekly_units: pd.Series,
    gross_margin: float = 0.4,
    max_change: float = 0.10,
) -> pd.DataFrame:
    """Recommended prices per product from constant-elasticity demand, within guard rails.

    Costs are not in the data, so each product's unit cost is taken as
    ``current_price * (1 - gross_margin)``, an assumption stated by the caller.
    Elastic products (``e < -1``) get the Lerner optimum ``c e / (1 + e)``;
    inelastic ones have no finite optimum (profit rises with price), so only
    the guard rail stops them. The expected change in weekly profit follows the
    same demand curve, ``units * (p_new / p) ** e * (p_new - c) - units * (p - c)``.

    Parameters
    ----------
    elasticity, current_price, weekly_units
        Per product (same index): the (shrunk) elasticity, today's price and
        today's weekly units.
    gross_margin
        Assumed margin share of today's price, in (0, 1).
    max_change
        Largest relative price change allowed, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        ``elasticity``, ``current_price``, ``unit_cost``, ``optimal_price``,
        ``recommended_price``, ``change``, ``rule``, ``profit_now``,
        ``profit_change`` (per week) per product.
    """
    _fraction(gross_margin, "gross_margin")
    _fraction(max_change, "max_change")
    for name, series in (("elasticity", elasticity), ("current_price", current_price),
                         ("weekly_units", weekly_units)):
        require_instance(series, pd.Series, name)
        require_unique(series.index, f"{name}'s index (item_id)")
        as_float_array(series, name, allow_nan=True)
    if len(elasticity) == 0:
        raise ValueError("elasticity is empty: no products to price")
    if (current_price <= 0).any():
        raise ValueError(f"current_price must be positive, got e.g. {current_price[current_price <= 0].iloc[0]!r}")
    if (weekly_units < 0).any():
        raise ValueError(f"weekly_units must be >= 0, got e.g. {weekly_units[weekly_units < 0].iloc[0]!r}")
    frame = pd.DataFrame({"elasticity": elasticity, "current_price": current_price,
                          "weekly_units": weekly_units})
    if frame.isna().any().any():
        raise ValueError("elasticity, current_price and weekly_units must cover the same products, without NaN")
    rows = []
    for item, row in frame.iterrows():
        cost = row["current_price"] * (1 - gross_margin)
        e = row["elasticity"]
        optimal = cost * e / (1 + e) if e < -1 else np.inf
        rec = recommend_price(row["current_price"], optimal, cost, max_change)
        rows.append({"item_id": item, "elasticity": e, "current_price": row["current_price"],
                     "unit_cost": cost, "optimal_price": optimal, "recommended_price": rec.recommended,
                     "change": rec.recommended / row["current_price"] - 1, "rule": rec.rule,
                     "profit_now": row["weekly_units"] * (row["current_price"] - cost),
                     "profit_change": float(profit_change(e, row["current_price"], rec.recommended,
                                                          row["weekly_units"], gross_margin))})
    return pd.DataFrame(rows).set_index("item_id")


def profit_change(
    elasticity, current_price, new_price, weekly_units, gross_margin: float = 0.4
) -> np.ndarray:
    """Weekly profit change of moving from ``current_price`` to ``new_price`` under constant elasticity.

    ``units * (new / current) ** e * (new - c) - units * (current - c)`` with
    ``c = current_price * (1 - gross_margin)``. Use it to judge a fixed set of
    recommended prices under other elasticities (sensitivity analysis).

    Examples
    --------
    >>> round(float(profit_change(-2.0, 10.0, 11.0, 100.0, 0.4)), 4)  # 100 * 1.1**-2 * 5 - 100 * 4
    13.2231
    """
    _fraction(gross_margin, "gross_margin")
    e = as_float_array(elasticity, "elasticity", ndim=None)
    p0 = _prices(current_price, "current_price")
    p1 = _prices(new_price, "new_price")
    units = as_float_array(weekly_units, "weekly_units", ndim=None, low=0)
    try:
        np.broadcast_shapes(e.shape, p0.shape, p1.shape, units.shape)
    except ValueError:
        raise ValueError(f"elasticity, current_price, new_price and weekly_units have mismatched shapes "
                         f"{e.shape}, {p0.shape}, {p1.shape}, {units.shape}") from None
    cost = p0 * (1 - gross_margin)
    return units * (p1 / p0) ** e * (p1 - cost) - units * (p0 - cost)
