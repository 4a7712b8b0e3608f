"""Price elasticities from transactions: log-log regression with controls, logit demand, panels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import norm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_no_missing,
    require_number,
    require_numeric_columns,
    require_positive_int,
    require_strings,
    require_transactions,
)
from shopai_lab.pricing.demand import LogitDemand
from shopai_lab.schema import line_revenue


@dataclass(frozen=True)
class ElasticityFit:
    """Result of :func:`fit_loglog_elasticity`."""

    elasticity: float
    std_error: float
    ci_low: float
    ci_high: float
    n: int
    r_squared: float


def _positive_pair(price, quantity) -> tuple[np.ndarray, np.ndarray]:
    """Prices and quantities as 1-D positive float arrays of equal length with at least two distinct prices."""
    p = as_float_array(price, "price", ndim=None, allow_nan=True, allow_inf=True)
    q = as_float_array(quantity, "quantity", ndim=None, allow_nan=True, allow_inf=True)
    if p.shape != q.shape or p.ndim != 1:
        raise ValueError("price and quantity must be 1-D and of equal length")
    if not (np.isfinite(p).all() and np.isfinite(q).all()):
        raise ValueError("price and quantity must not contain NaN or infinite values")
    if (p <= 0).any() or (q <= 0).any():
        raise ValueError("price and quantity must be positive (their logarithms are taken)")
    if len(np.unique(p)) < 2:
        raise ValueError("need at least two distinct prices to estimate a price response")
    return p, q


def _design(p: np.ndarray, controls) -> np.ndarray:
    """Columns: intercept, ``log p``, then each control."""
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
    return x


def _least_squares(x: np.ndarray, y: np.ndarray, robust: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients, their covariance (HC1 when ``robust``, classical otherwise) and the residuals."""
    n, k = x.shape
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    xtx_inv = np.linalg.pinv(x.T @ x)
    if robust:
        meat = (x * resid[:, None] ** 2).T @ x
        cov = xtx_inv @ meat @ xtx_inv * n / (n - k)
    else:
        cov = xtx_inv * (resid @ resid) / (n - k)
    return coef, cov, resid


def fit_loglog_elasticity(
    price,
    quantity,
    controls: pd.DataFrame | None = None,
    *,
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
    p, q = _positive_pair(price, quantity)
    require_bool(robust, "robust")
    require_number(confidence, "confidence", low=0, high=1, low_inclusive=False, high_inclusive=False)
    x = _design(p, controls)
    y = np.log(q)
    coef, cov, resid = _least_squares(x, y, robust)
    se = float(np.sqrt(cov[1, 1]))
    zcrit = float(norm.ppf(0.5 + confidence / 2))
    tss = float(((y - y.mean()) ** 2).sum())
    return ElasticityFit(
        elasticity=float(coef[1]),
        std_error=se,
        ci_low=float(coef[1] - zcrit * se),
        ci_high=float(coef[1] + zcrit * se),
        n=len(y),
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


def _check_freq(freq: str) -> str:
    try:
        pd.Period("2011-01-03", freq=freq)
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"freq must be a pandas period frequency such as 'W', 'M' or 'D', got {freq!r}") from None
    return freq


def _line_frame(purchases: pd.DataFrame, freq: str, wholesale_quantity: float) -> pd.DataFrame:
    """One row per purchase line: product, period, units, unit price, revenue, wholesale and non-UK units."""
    customer_size = purchases.groupby("customer_id", observed=True)["quantity"].median()
    wholesale = purchases["customer_id"].map(customer_size).to_numpy() >= wholesale_quantity
    if "country" in purchases.columns:
        non_uk = (purchases["country"] != "United Kingdom").to_numpy()
    else:
        non_uk = np.zeros(len(purchases), bool)
    qty = purchases["quantity"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "item_id": purchases["item_id"].to_numpy(),
            "period": purchases["timestamp"].dt.to_period(freq).to_numpy(),
            "units": qty,
            "unit_price": purchases["unit_price"].to_numpy(dtype=float),
            "revenue": line_revenue(purchases).to_numpy(dtype=float),
            "wholesale_units": qty * wholesale,
            "non_uk_units": qty * non_uk,
        }
    )


def _add_controls(panel: pd.DataFrame) -> pd.DataFrame:
    """``log_shop_units`` (other products' units that period), ``wholesale_share`` and ``non_uk_share``."""
    panel = panel.copy()
    shop_units = panel.groupby("period", observed=True)["units"].transform("sum")
    panel["log_shop_units"] = np.log(shop_units - panel["units"] + 1.0)
    panel["wholesale_share"] = panel.pop("wholesale_units") / panel["units"]
    panel["non_uk_share"] = panel.pop("non_uk_units") / panel["units"]
    return panel


def price_panel(
    purchases: pd.DataFrame,
    freq: str = "W",
    *,
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

    Examples
    --------
    >>> lines = pd.DataFrame({
    ...     "customer_id": ["a", "b", "a", "b", "a", "b"], "item_id": ["x", "x", "x", "x", "y", "y"],
    ...     "quantity": [2, 1, 3, 1, 5, 4], "unit_price": [1.0, 1.2, 0.9, 1.1, 2.0, 2.5],
    ...     "timestamp": pd.to_datetime(["2011-01-03", "2011-01-04", "2011-01-10", "2011-01-11",
    ...                                  "2011-01-03", "2011-01-10"])})
    >>> price_panel(lines, min_periods=2, min_prices=2)[["item_id", "units", "price", "revenue"]]
      item_id  units  price  revenue
    0       x    3.0    1.1      3.2
    1       x    4.0    1.0      3.8
    2       y    5.0    2.0     10.0
    3       y    4.0    2.5     10.0
    """
    required = ["customer_id", "item_id", "quantity", "unit_price", "timestamp"]
    require_transactions(purchases, "purchases", required, allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["customer_id", "item_id", "timestamp"], "purchases", "clean the lines first")
    require_number(wholesale_quantity, "wholesale_quantity", low=0)
    min_periods = require_positive_int(min_periods, "min_periods")
    min_prices = require_positive_int(min_prices, "min_prices")
    lines = _line_frame(purchases, _check_freq(freq), wholesale_quantity)
    grouped = lines.groupby(["item_id", "period"], observed=True)
    panel = grouped.agg(
        units=("units", "sum"),
        price=("unit_price", "median"),
        revenue=("revenue", "sum"),
        wholesale_units=("wholesale_units", "sum"),
        non_uk_units=("non_uk_units", "sum"),
    )
    panel = _add_controls(panel.reset_index())
    stats = panel.groupby("item_id", observed=True).agg(
        periods=("units", "size"), prices=("price", lambda p: p.round(2).nunique())
    )
    keep = stats.index[(stats["periods"] >= min_periods) & (stats["prices"] >= min_prices)]
    return panel[panel["item_id"].isin(keep)].reset_index(drop=True)


PANEL_CONTROLS = ("log_shop_units", "wholesale_share", "non_uk_share")


def product_elasticities(panel: pd.DataFrame, controls=PANEL_CONTROLS) -> pd.DataFrame:
    """Per-product log-log elasticity, naive (price only) and with ``controls``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item_id``: ``naive``, ``naive_se``, ``controlled``,
        ``controlled_se``, ``periods``, ``median_price``, ``units``.

    Examples
    --------
    >>> from shopai_lab.pricing import simulate_price_panel
    >>> panel, truth = simulate_price_panel(n_products=3, n_periods=52, random_state=0)
    >>> estimates = product_elasticities(panel, controls=("demand_index",))
    >>> estimates[["naive", "controlled"]].join(truth).round(2)  # the naive fit is biased towards 0
             naive  controlled  elasticity
    item_id
    P0000    -0.21       -2.05       -1.94
    P0001    -0.36       -1.96       -2.07
    P0002     0.10       -1.39       -1.68
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
        rows.append(
            {
                "item_id": item,
                "naive": naive.elasticity,
                "naive_se": naive.std_error,
                "controlled": controlled.elasticity,
                "controlled_se": controlled.std_error,
                "periods": len(group),
                "median_price": float(group["price"].median()),
                "units": float(group["units"].sum()),
            }
        )
    if not rows:
        raise ValueError("no product has enough periods and distinct prices to estimate an elasticity")
    return pd.DataFrame(rows).set_index("item_id")
