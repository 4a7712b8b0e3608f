"""Price elasticities from transactions: log-log regression with controls, logit demand, panels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import norm

from shopai_lab._validation import (
    as_float_array,
    require_bool,
    require_columns,
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


def fit_loglog_elasticity(
    price,
    quantity,
    controls: pd.DataFrame | None = None,
    *,
    confidence: float = 0.95,
    robust: bool = True,
) -> ElasticityFit:
    """Price elasticity from ``log q = a + e log p + controls`` by least squares (statsmodels ``OLS``).

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
        Heteroskedasticity-robust standard errors (statsmodels' ``cov_type="HC1"``); classical otherwise.
        The interval uses the normal quantile either way.

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
    fit = sm.OLS(y, x).fit(cov_type="HC1" if robust else "nonrobust")
    coef, se = float(fit.params[1]), float(fit.bse[1])
    zcrit = float(norm.ppf(0.5 + confidence / 2))
    tss = float(((y - y.mean()) ** 2).sum())
    return ElasticityFit(
        elasticity=coef,
        std_error=se,
        ci_low=coef - zcrit * se,
        ci_high=coef + zcrit * se,
        n=len(y),
        r_squared=1.0 - float(fit.ssr) / tss if tss > 0 else float("nan"),
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
            "period": purchases["timestamp"].dt.to_period(freq).array,
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
    periods = panel.groupby("item_id", observed=True)["units"].size()
    prices = _distinct_prices(panel)
    keep = periods.index[(periods >= min_periods) & (prices.reindex(periods.index) >= min_prices)]
    return panel[panel["item_id"].isin(keep)].reset_index(drop=True)


PANEL_CONTROLS = ("log_shop_units", "wholesale_share", "non_uk_share")


def _distinct_prices(panel: pd.DataFrame) -> pd.Series:
    """Number of distinct prices (rounded to cents) per ``item_id``."""
    pairs = pd.DataFrame({"item_id": panel["item_id"].to_numpy(), "price": panel["price"].round(2).to_numpy()})
    return pairs.drop_duplicates().groupby("item_id", observed=True).size()


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


def quantity_price_correlation(purchases: pd.DataFrame, *, min_lines: int = 30) -> pd.Series:
    """Per product, the correlation of log quantity and log unit price across its purchase lines.

    A wholesaler's line price falls with the quantity bought (tier prices), so a period's *median line
    price* moves with the mix of small and bulk orders, which also moves the units sold: a price series
    built from line prices is then confounded with demand. A clearly negative typical value here is
    the symptom; :func:`list_price_panel` is the remedy.

    Parameters
    ----------
    purchases
        Clean purchase lines (``item_id``, ``quantity``, ``unit_price``; positive quantities and prices).
    min_lines
        Products with fewer lines, or whose quantity or price never varies, are left out.

    Returns
    -------
    pandas.Series
        Pearson correlation of ``log quantity`` and ``log unit_price`` per ``item_id``.

    Examples
    --------
    >>> lines = pd.DataFrame({"item_id": ["a"] * 4 + ["b"] * 4, "quantity": [1, 2, 12, 24, 1, 1, 2, 2],
    ...                       "unit_price": [2.0, 2.0, 1.7, 1.5, 1.0, 1.0, 1.0, 1.0]})
    >>> quantity_price_correlation(lines, min_lines=4).round(2)  # b's price never varies: left out
    item_id
    a   -0.97
    Name: quantity_price_correlation, dtype: float64
    """
    require_columns(purchases, ["item_id", "quantity", "unit_price"], "purchases")
    require_numeric_columns(purchases, ["quantity", "unit_price"], "purchases", allow_nan=False)
    min_lines = require_positive_int(min_lines, "min_lines", minimum=2)
    q = purchases["quantity"].to_numpy(dtype=float)
    p = purchases["unit_price"].to_numpy(dtype=float)
    if (q <= 0).any() or (p <= 0).any():
        raise ValueError("purchases must have positive quantity and unit_price (their logarithms are taken)")
    lines = pd.DataFrame({"item_id": purchases["item_id"].to_numpy(), "lq": np.log(q), "lp": np.log(p)})
    grouped = lines.groupby("item_id", observed=True, sort=True)
    n = grouped["lq"].transform("size")
    lines = lines[(n >= min_lines).to_numpy()]
    lines = lines.assign(
        dq=lines["lq"] - lines.groupby("item_id", observed=True)["lq"].transform("mean"),
        dp=lines["lp"] - lines.groupby("item_id", observed=True)["lp"].transform("mean"),
    )
    sums = (
        lines.assign(qp=lines["dq"] * lines["dp"], qq=lines["dq"] ** 2, pp=lines["dp"] ** 2)
        .groupby("item_id", observed=True, sort=True)[["qp", "qq", "pp"]]
        .sum()
    )
    varies = (sums["qq"] > 1e-12) & (sums["pp"] > 1e-12)
    sums = sums[varies]
    corr = sums["qp"] / np.sqrt(sums["qq"] * sums["pp"])
    return corr.rename("quantity_price_correlation")


def _list_prices(lines: pd.DataFrame, small_quantile: float) -> pd.Series:
    """Modal unit price of each product-period's small-quantity lines (ties: the higher price)."""
    threshold = lines.groupby("item_id", observed=True)["units"].quantile(small_quantile)
    small = lines[lines["units"].to_numpy() <= lines["item_id"].map(threshold).to_numpy(dtype=float)]
    counts = small.groupby(["item_id", "period", "unit_price"], observed=True).size().rename("n").reset_index()
    counts = counts.sort_values(["item_id", "period", "n", "unit_price"], kind="mergesort")
    return counts.groupby(["item_id", "period"], observed=True).tail(1).set_index(["item_id", "period"])["unit_price"]


def list_price_panel(
    purchases: pd.DataFrame,
    freq: str = "W",
    *,
    small_quantile: float = 0.25,
    min_periods: int = 20,
    min_prices: int = 2,
) -> pd.DataFrame:
    """Product-by-period panel of units sold at the product's *list* price, zero-sales periods included.

    Why a list price: a wholesaler's line price falls with the quantity bought (see
    :func:`quantity_price_correlation`), so a median line price drops in weeks of bulk orders, which
    are also weeks of many units; regressing units on it measures the tier schedule, not the
    customers' response to the price. The list price is the price a small buyer pays: per product and
    period, the most frequent unit price (ties: the higher one) of the product's *small-quantity lines*,
    those with a quantity at most the product's ``small_quantile`` quantile of line quantities (a fixed
    threshold per product, so the tier does not change with the period). Tier prices move with the list
    price, so all units sold are regressed on it.

    Zero-sales periods: a product counts as **listed** from the first to the last period in which it
    sold (periods in which the shop sold nothing at all, e.g. a holiday closure, are not periods). A
    listed period without sales has ``units = 0``: that is information about demand at the price of
    the day. Its price, like that of a period whose lines were all bulk lines, is **carried forward from
    the last observed list price** (``price_observed`` is False on those rows).

    The control ``log_shop_units`` is the log of the units of all *other* products that period (season
    and traffic). The buyer-mix shares of :func:`price_panel` are not used: they are outcomes of the
    period's sales and undefined when nothing sold.

    Parameters
    ----------
    purchases
        Clean purchase lines (``item_id``, ``quantity``, ``unit_price``, ``timestamp``).
    freq
        Pandas period frequency (``"W"``: weeks).
    small_quantile
        Quantile of a product's line quantities up to which a line counts as small, in (0, 1].
    min_periods
        Keep products that sold in at least this many periods...
    min_prices
        ...at at least this many distinct list prices (rounded to cents).

    Returns
    -------
    pandas.DataFrame
        ``item_id``, ``period``, ``units``, ``price``, ``price_observed``, ``log_shop_units``, one row per
        listed product-period, sorted by product and period.

    Examples
    --------
    >>> lines = pd.DataFrame({
    ...     "item_id": ["x"] * 5, "quantity": [1, 24, 1, 1, 2], "unit_price": [2.0, 1.5, 2.0, 2.2, 2.2],
    ...     "timestamp": pd.to_datetime(["2011-01-03", "2011-01-04", "2011-01-10", "2011-01-24", "2011-01-25"])})
    >>> other = lines.assign(item_id="y", timestamp=pd.to_datetime("2011-01-17"))  # the shop sold in week 3
    >>> panel = list_price_panel(pd.concat([lines, other]), min_periods=2, min_prices=2)
    >>> panel[["period", "units", "price", "price_observed"]]  # week 3: no sale, price carried forward
                      period  units  price  price_observed
    0  2011-01-03/2011-01-09   25.0    2.0            True
    1  2011-01-10/2011-01-16    1.0    2.0            True
    2  2011-01-17/2011-01-23    0.0    2.0           False
    3  2011-01-24/2011-01-30    3.0    2.2            True
    """
    required = ["item_id", "quantity", "unit_price", "timestamp"]
    require_transactions(purchases, "purchases", required, allow_empty=False, allow_nan=False)
    require_no_missing(purchases, ["item_id", "timestamp"], "purchases", "clean the lines first")
    require_number(small_quantile, "small_quantile", low=0, high=1, low_inclusive=False)
    min_periods = require_positive_int(min_periods, "min_periods")
    min_prices = require_positive_int(min_prices, "min_prices")
    lines = pd.DataFrame(
        {
            "item_id": purchases["item_id"].to_numpy(),
            "period": purchases["timestamp"].dt.to_period(_check_freq(freq)).array,
            "units": purchases["quantity"].to_numpy(dtype=float),
            "unit_price": purchases["unit_price"].to_numpy(dtype=float),
        }
    )
    if (lines["units"] <= 0).any() or (lines["unit_price"] <= 0).any():
        raise ValueError("purchases must have positive quantity and unit_price: pass clean purchase lines")
    units = lines.groupby(["item_id", "period"], observed=True)["units"].sum()
    list_price = _list_prices(lines, small_quantile)
    shop_periods = pd.PeriodIndex(lines["period"].unique()).sort_values()
    position = pd.Series(np.arange(len(shop_periods)), index=shop_periods)
    sold = units.reset_index()
    span = sold.assign(pos=position.reindex(sold["period"]).to_numpy()).groupby("item_id", observed=True)["pos"]
    first, last = span.min(), span.max()
    lengths = (last - first + 1).to_numpy()
    items = np.repeat(first.index.to_numpy(), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    full = pd.MultiIndex.from_arrays(
        [items, shop_periods[np.repeat(first.to_numpy(), lengths) + offsets]], names=["item_id", "period"]
    )
    panel = pd.DataFrame({"units": units.reindex(full, fill_value=0.0).to_numpy()}, index=full)
    observed = list_price.reindex(full)
    panel["price_observed"] = observed.notna().to_numpy()
    panel["price"] = observed.groupby(level="item_id", observed=True).ffill().to_numpy()
    panel["price"] = panel.groupby(level="item_id", observed=True)["price"].bfill()  # before the first small line
    shop_units = panel.groupby(level="period", observed=True)["units"].transform("sum")
    panel["log_shop_units"] = np.log(shop_units - panel["units"] + 1.0)
    panel = panel.reset_index()
    periods = (panel["units"] > 0).groupby(panel["item_id"], observed=True).sum()
    prices = _distinct_prices(panel)
    keep = periods.index[(periods >= min_periods) & (prices.reindex(periods.index) >= min_prices)]
    panel = panel[panel["item_id"].isin(keep)]
    columns = ["item_id", "period", "units", "price", "price_observed", "log_shop_units"]
    return panel[columns].sort_values(["item_id", "period"], kind="mergesort").reset_index(drop=True)


def _poisson_fit(x: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-9) -> tuple[float, float] | None:
    """Poisson regression of ``y`` on ``x`` (first column the intercept) by Newton's method.

    Returns the coefficient of column 1 and its HC1 (sandwich) standard error, or ``None`` when the fit
    is degenerate or ends away from a maximum (score not near zero). The non-intercept columns are
    centred first (the slopes do not change; the Hessian is better conditioned). Convergence is judged
    on the step and, at the end, on the score relative to the data, so that rounding in the last digits
    (another BLAS kernel) cannot decide whether a product is kept.
    """
    n, k = x.shape
    x = x.copy()
    x[:, 1:] -= x[:, 1:].mean(axis=0)
    beta = np.zeros(k)
    beta[0] = np.log(y.mean())

    def loglik(b: np.ndarray) -> float:
        eta = x @ b
        return float(y @ eta - np.exp(eta).sum())

    current = loglik(beta)
    for _ in range(max_iter):
        mu = np.exp(x @ beta)
        hessian = (x * mu[:, None]).T @ x
        try:
            step = np.linalg.solve(hessian, x.T @ (y - mu))
        except np.linalg.LinAlgError:
            return None
        size, slack = 1.0, 1e-10 * (1.0 + abs(current))
        while size > 1e-6:  # step halving keeps the likelihood rising (up to rounding)
            value = loglik(beta + size * step)
            if np.isfinite(value) and value >= current - slack:
                break
            size /= 2
        else:
            break  # no rising step: at the maximum up to rounding, or stuck (the score check decides)
        beta, current = beta + size * step, value
        if np.max(np.abs(size * step)) < tol:
            break
    mu = np.exp(x @ beta)
    score = np.abs(x.T @ (y - mu)) / (np.abs(x).T @ (y + mu) + 1.0)
    if not np.isfinite(score).all() or score.max() > 1e-6:
        return None
    try:
        bread = np.linalg.inv((x * mu[:, None]).T @ x)
    except np.linalg.LinAlgError:
        return None
    meat = (x * ((y - mu) ** 2)[:, None]).T @ x
    cov = bread @ meat @ bread * n / (n - k)
    se = float(np.sqrt(cov[1, 1])) if cov[1, 1] > 0 else float("nan")
    if not (np.isfinite(beta[1]) and np.isfinite(se) and se > 0):
        return None
    return float(beta[1]), se


def poisson_elasticities(panel: pd.DataFrame, controls=("log_shop_units",)) -> pd.DataFrame:
    """Per-product constant elasticity by Poisson pseudo-maximum likelihood, zero-sales periods included.

    Fits ``E[units] = exp(a + e log price + b' controls)`` per product (a Poisson GLM with
    heteroskedasticity-robust sandwich standard errors with the HC1 small-sample factor ``n / (n - k)``;
    fitted by Newton's method, the coefficients equal statsmodels' ``GLM(..., family=Poisson())`` and the
    standard errors its ``cov_type="HC0"`` ones times ``sqrt(n / (n - k))``). It is consistent for
    the constant-elasticity model whatever the variance of units and, unlike a log-log regression, it
    keeps periods with zero units (Santos Silva and Tenreyro 2006).

    Parameters
    ----------
    panel
        ``item_id``, ``units``, ``price`` and the ``controls``, e.g. from :func:`list_price_panel`.
    controls
        Column names of the controls (a control that never varies for a product is dropped for it).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item_id``: ``elasticity``, ``std_error``, ``periods`` (listed periods),
        ``zero_periods``, ``prices`` (distinct prices), ``median_price``, ``units``. Products whose fit
        does not converge or whose price never varies are left out.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> price = np.repeat([2.0, 2.2, 2.5], 40)
    >>> units = rng.poisson(np.exp(1.0 - 2.0 * np.log(price)))  # mean about 1: many zero weeks
    >>> panel = pd.DataFrame({"item_id": "x", "units": units, "price": price})
    >>> fit = poisson_elasticities(panel, controls=())
    >>> int(fit.loc["x", "zero_periods"]) > 0, bool(abs(fit.loc["x", "elasticity"] + 2) < 2 * fit.loc["x", "std_error"])
    (True, True)
    """
    controls = require_strings(controls, "controls")
    require_columns(panel, ["item_id", "units", "price", *controls], "panel")
    require_numeric_columns(panel, ["units", "price", *controls], "panel", allow_nan=False)
    if (panel["units"] < 0).any() or (panel["price"] <= 0).any():
        raise ValueError("panel must have units >= 0 and price > 0")
    rows = []
    for item, group in panel.groupby("item_id", observed=True, sort=True):
        price = group["price"].to_numpy(dtype=float)
        units = group["units"].to_numpy(dtype=float)
        z = group[list(controls)]
        z = z.loc[:, z.std() > 0] if len(z.columns) else z
        if np.unique(price).size < 2 or len(group) <= z.shape[1] + 3 or units.sum() == 0:
            continue
        x = np.column_stack([np.ones(len(group)), np.log(price), z.to_numpy(dtype=float)])
        fit = _poisson_fit(x, units)
        if fit is None:
            continue
        coef, se = fit
        rows.append(
            {
                "item_id": item,
                "elasticity": float(coef),
                "std_error": float(se),
                "periods": len(group),
                "zero_periods": int((units == 0).sum()),
                "prices": int(np.unique(price.round(2)).size),
                "median_price": float(np.median(price)),
                "units": float(units.sum()),
            }
        )
    if not rows:
        raise ValueError("no product has enough periods and distinct prices to estimate an elasticity")
    return pd.DataFrame(rows).set_index("item_id")
