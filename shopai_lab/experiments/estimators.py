"""Treatment-effect estimators with confidence intervals for a two-arm experiment.

Every estimator has two faces: a function for one experiment that returns an
:class:`EffectEstimate`, and a vectorised core (``*_arrays``) that takes a
matrix of assignments (one row per split) and returns arrays, so that
thousands of A/A or A/B splits of real customers run in a second. The single
experiment calls the core with one row, so what the simulations measure is
exactly what an analysis reports.

Conventions: ``treatment`` is True for the treated arm; the effect is
treatment minus control; intervals are two-sided at level ``1 - alpha``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_number,
    require_one_of,
    require_probability,
)
from shopai_lab.experiments.assignment import as_treatment


@dataclass(frozen=True)
class EffectEstimate:
    """Result of one estimator on one experiment.

    Attributes
    ----------
    method
        Estimator name, e.g. ``"welch"``.
    estimand
        What is estimated, in words (capping and ratios change it).
    estimate, se, low, high, p_value
        Effect (treatment - control), standard error, interval (at :attr:`level`) and two-sided p-value.
    alpha
        Significance level of the test; the interval's level is ``1 - alpha``.
    n_control, n_treatment
        Units per arm.
    mean_control, mean_treatment
        Metric per arm (a ratio of sums for ratio metrics).
    extra
        Estimator-specific numbers (degrees of freedom, CUPED's theta, variance reduction, ...).
    """

    method: str
    estimand: str
    estimate: float
    se: float
    low: float
    high: float
    p_value: float
    alpha: float
    n_control: int
    n_treatment: int
    mean_control: float
    mean_treatment: float
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def level(self) -> float:
        """Level of the interval ``low``/``high``: ``1 - alpha``."""
        return 1.0 - self.alpha

    @property
    def significant(self) -> bool:
        """True when the interval excludes zero (p-value below ``alpha``)."""
        return bool(self.p_value < self.alpha)

    def as_dict(self) -> dict[str, Any]:
        """Flat dict (``extra`` merged in), handy for a results table."""
        out = asdict(self)
        out.update(out.pop("extra"))
        return out


def winsorize(values: Any, cap: float) -> np.ndarray:
    """Values capped above at ``cap`` (a copy; the caller's data are not changed).

    Capping trades bias for variance: the test then estimates the effect on the
    *capped* metric, a different estimand from the effect on the metric itself
    (it ignores what happens above the cap, e.g. a treatment that only moves
    wholesale orders). Choose the cap before looking at the outcome, e.g. a
    high quantile of the pooled arms or of the pre-period (:func:`capping_threshold`).

    Examples
    --------
    >>> winsorize([1.0, 5.0, 100.0], cap=10.0).tolist()
    [1.0, 5.0, 10.0]
    """
    array = as_float_array(values, "values", allow_empty=False)
    return np.minimum(array, require_number(cap, "cap"))


def capping_threshold(values: Any, quantile: float = 0.99) -> float:
    """The ``quantile`` of ``values``: a cap chosen from data that do not depend on the treatment.

    Examples
    --------
    >>> capping_threshold(np.arange(101.0), 0.9)
    90.0
    """
    q = require_probability(quantile, "quantile")
    return float(np.quantile(as_float_array(values, "values", allow_empty=False), q))


def _prepare(y: Any, treatment: Any, alpha: float, cap: float | None, name: str = "y"):
    alpha = require_probability(alpha, "alpha")
    y = as_float_array(y, name, allow_empty=False)
    t = as_treatment(treatment, len(y))
    if cap is not None:
        y = winsorize(y, cap)
    return y, t, alpha


def check_arrays(T: Any, alpha: float, **arrays: Any) -> int:
    """Checks of the vectorised cores (``*_arrays``), cheap next to their work; returns the number of units.

    ``T`` must be a boolean ``(n_splits, n_units)`` array (see
    :func:`~shopai_lab.experiments.assignment.as_assignments`); each of ``arrays`` holds one
    finite number per unit (shape ``(n_units,)``) or per split and unit (the shape of ``T``).
    """
    if not isinstance(T, np.ndarray) or T.dtype != bool:
        raise TypeError(
            "T must be a boolean numpy array of assignments (n_splits, n_units), got "
            f"{getattr(T, 'dtype', type(T).__name__)}; see experiments.as_assignments"
        )
    if T.ndim != 2:
        raise ValueError(f"T must be 2-dimensional (n_splits, n_units), got shape {T.shape}")
    require_probability(alpha, "alpha")
    n = T.shape[1]
    for name, values in arrays.items():
        array = np.asarray(values)
        if array.shape not in ((n,), T.shape):
            raise ValueError(f"{name} must have {n} values (one per unit of T) or the shape of T, got {array.shape}")
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
        bad = ~np.isfinite(array)
        if bad.any():
            raise ValueError(f"{name} has {int(bad.sum())} missing (NaN) or infinite value(s)")
    return n


def _estimand(base: str, cap: float | None) -> str:
    return base if cap is None else f"{base}, each unit's value capped at {cap:,.4g}"


def arm_moments(Y: np.ndarray, T: np.ndarray, treated_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Per-split counts, means and sample variances of each arm.

    ``Y`` is one outcome per unit (shape ``(n,)``) or one per split and unit
    (``(n_splits, n)``); ``T`` is a boolean ``(n_splits, n)`` assignment matrix.
    ``treated_scale`` multiplies the treated units' outcomes (an injected
    relative lift of ``treated_scale - 1``) without forming a matrix.
    Values are centred first so that heavy-tailed sums keep their precision.
    """
    Tf = T.astype(float)
    n = T.shape[1]
    n_t = Tf.sum(axis=1)
    if Y.ndim == 1:
        shift = Y.mean()
        yc = Y - shift
        sums = Tf @ np.column_stack([yc, yc * yc])  # one pass over the assignment matrix
        s_t, q_t = sums[:, 0], sums[:, 1]
        s_all, q_all = yc.sum(), (yc * yc).sum()
    else:
        shift = Y.mean(axis=1)
        yc = Y - shift[:, None]
        s_t, q_t = (Tf * yc).sum(axis=1), (Tf * yc * yc).sum(axis=1)
        s_all, q_all = yc.sum(axis=1), (yc * yc).sum(axis=1)
    return moments_from_sums(n_t, n - n_t, s_t, q_t, s_all, q_all, shift, treated_scale)


def moments_from_sums(n_t, n_c, s_t, q_t, s_all, q_all, shift=0.0, treated_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Arm means and variances from treated sums ``s_t``, ``q_t`` (of ``y - shift``, squared) and totals."""
    s_c, q_c = s_all - s_t, q_all - q_t
    m_t, m_c = s_t / n_t, s_c / n_c
    var_t = np.maximum(q_t - n_t * m_t**2, 0.0) / (n_t - 1)
    var_c = np.maximum(q_c - n_c * m_c**2, 0.0) / (n_c - 1)
    return {
        "n_t": n_t,
        "n_c": n_c,
        "mean_t": (m_t + shift) * treated_scale,
        "mean_c": m_c + shift,
        "var_t": var_t * treated_scale**2,
        "var_c": var_c,
    }


def _interval(estimate, se, crit, p_value, **more) -> dict[str, np.ndarray]:
    return {
        "estimate": estimate,
        "se": se,
        "low": estimate - crit * se,
        "high": estimate + crit * se,
        "p_value": p_value,
        **more,
    }


def welch_arrays(
    Y: np.ndarray, T: np.ndarray, alpha: float = 0.05, treated_scale: float = 1.0
) -> dict[str, np.ndarray]:
    """Welch's unequal-variance t-test of the difference in means, for every row of ``T``.

    ``treated_scale``: see :func:`arm_moments`.
    """
    check_arrays(T, alpha, Y=Y)
    require_number(treated_scale, "treated_scale", low=0, low_inclusive=False)
    return welch_from_moments(arm_moments(Y, T, treated_scale), alpha)


def welch_from_moments(m: dict[str, np.ndarray], alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Welch's test from the arm moments of :func:`arm_moments` or :func:`moments_from_sums`."""
    v_t, v_c = m["var_t"] / m["n_t"], m["var_c"] / m["n_c"]
    se = np.sqrt(v_t + v_c)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (v_t + v_c) ** 2 / (v_t**2 / (m["n_t"] - 1) + v_c**2 / (m["n_c"] - 1))
        df = np.where(np.isfinite(df), df, m["n_t"] + m["n_c"] - 2)
        diff = m["mean_t"] - m["mean_c"]
        t = np.where(se > 0, diff / se, 0.0)
    p = 2 * stats.t.sf(np.abs(t), df)
    return _interval(
        diff,
        se,
        stats.t.ppf(1 - alpha / 2, df),
        p,
        df=df,
        statistic=t,
        mean_t=m["mean_t"],
        mean_c=m["mean_c"],
    )


def proportions_arrays(Y: np.ndarray, T: np.ndarray, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Two-proportion z-test for every row of ``T``: pooled SE for the test, unpooled for the interval.

    The p-value is that of ``statsmodels.stats.proportion.proportions_ztest``; the
    interval is the Wald interval of ``confint_proportions_2indep(method="wald")``.
    """
    check_arrays(T, alpha, Y=Y)
    m = arm_moments(Y, T)
    return proportions_from_counts(m["mean_t"] * m["n_t"], m["n_t"], m["mean_c"] * m["n_c"], m["n_c"], alpha)


def proportions_from_counts(x_t: Any, n_t: Any, x_c: Any, n_c: Any, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Two-proportion z-test from conversions ``x`` and units ``n`` per arm (arrays broadcast)."""
    x_t, n_t, x_c, n_c = (np.asarray(v, dtype=float) for v in (x_t, n_t, x_c, n_c))
    p_t, p_c = x_t / n_t, x_c / n_c
    pooled = (x_t + x_c) / (n_t + n_c)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
    se = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    diff = p_t - p_c
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se0 > 0, diff / se0, 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    return _interval(diff, se, stats.norm.ppf(1 - alpha / 2), p, statistic=z, mean_t=p_t, mean_c=p_c)


def relative_lift_arrays(
    Y: np.ndarray, T: np.ndarray, alpha: float = 0.05, interval: str = "fieller", treated_scale: float = 1.0
) -> dict[str, np.ndarray]:
    """Relative lift ``mean_t / mean_c - 1`` for every row of ``T``.

    ``interval="fieller"`` (default) inverts Welch's test of ``mean_t = (1 + r) mean_c``
    (Fieller 1954): its p-value for ``r = 0`` is Welch's, and it stays calibrated on
    heavy-tailed revenue, where one large customer moves a mean and its variance
    together. It is unbounded (``inf``) when the control mean is not clearly above
    zero. ``interval="delta"`` is the symmetric delta-method interval
    ``r +/- z se`` with ``se^2 = v_t / m_c^2 + m_t^2 v_c / m_c^4``; the reported
    ``se`` is always this one.
    """
    require_one_of(interval, "interval", ("fieller", "delta"))
    check_arrays(T, alpha, Y=Y)
    require_number(treated_scale, "treated_scale", low=0, low_inclusive=False)
    m = arm_moments(Y, T, treated_scale)
    v_t, v_c = m["var_t"] / m["n_t"], m["var_c"] / m["n_c"]
    m_t, m_c = m["mean_t"], m["mean_c"]
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = m_t / m_c - 1
        se = np.sqrt(v_t / m_c**2 + m_t**2 * v_c / m_c**4)
        if interval == "delta":
            z = np.where(se > 0, lift / se, 0.0)
            p = 2 * stats.norm.sf(np.abs(z))
            return _interval(lift, se, stats.norm.ppf(1 - alpha / 2), p, statistic=z, mean_t=m_t, mean_c=m_c)
        welch = welch_arrays(Y, T, alpha, treated_scale)
        c2 = stats.t.ppf(1 - alpha / 2, welch["df"]) ** 2
        # (m_t - R m_c)^2 <= c2 (v_t + R^2 v_c), a quadratic in the ratio R = 1 + lift
        a, b, c = m_c**2 - c2 * v_c, -2 * m_t * m_c, m_t**2 - c2 * v_t
        root = np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))
        bounded = a > 0
        low = np.where(bounded, (-b - root) / (2 * a) - 1, -np.inf)
        high = np.where(bounded, (-b + root) / (2 * a) - 1, np.inf)
    return {
        "estimate": lift,
        "se": se,
        "low": low,
        "high": high,
        "p_value": welch["p_value"],
        "statistic": welch["statistic"],
        "mean_t": m_t,
        "mean_c": m_c,
    }


def ratio_arrays(N: np.ndarray, D: np.ndarray, T: np.ndarray, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Difference of ratio metrics ``sum(N) / sum(D)`` per arm by the delta method, for every row of ``T``.

    For an arm with ``n`` units, ``Var(R) ~ (var(N) - 2 R cov(N, D) + R^2 var(D)) / (n mean(D)^2)``
    (Deng, Knoblich & Lu 2018): the unit of randomisation (customer) differs from the
    unit of analysis (order), so a naive per-order t-test understates the variance.
    """
    check_arrays(T, alpha, N=N, D=D)
    Tf = T.astype(float)
    out = {}
    for arm, w in (("t", Tf), ("c", 1.0 - Tf)):
        k = w.sum(axis=1)

        def total(values: np.ndarray, w: np.ndarray = w) -> np.ndarray:
            return w @ values if values.ndim == 1 else (w * values).sum(axis=1)

        mn, md = total(N) / k, total(D) / k
        ratio = mn / md
        # residual of the linearised ratio: N - R D has mean zero within the arm
        r2 = total(N * N) - 2 * ratio * total(N * D) + ratio**2 * total(D * D)
        var = np.maximum(r2, 0.0) / (k - 1) / (k * md**2)
        out[arm] = (ratio, var, k)
    (r_t, v_t, _), (r_c, v_c, _) = out["t"], out["c"]
    diff = r_t - r_c
    se = np.sqrt(v_t + v_c)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    return _interval(diff, se, stats.norm.ppf(1 - alpha / 2), p, statistic=z, mean_t=r_t, mean_c=r_c)


def _single(
    method: str,
    estimand: str,
    res: dict[str, np.ndarray],
    t: np.ndarray,
    alpha: float,
    extra_keys: tuple[str, ...] = (),
    outcome: str = "y",
    **extra: float,
) -> EffectEstimate:
    pick = {k: float(np.asarray(v).ravel()[0]) for k, v in res.items()}
    require_standard_error(pick["se"], outcome)
    return EffectEstimate(
        method=method,
        estimand=estimand,
        estimate=pick["estimate"],
        se=pick["se"],
        low=pick["low"],
        high=pick["high"],
        p_value=pick["p_value"],
        alpha=alpha,
        n_control=int((~t).sum()),
        n_treatment=int(t.sum()),
        mean_control=pick["mean_c"],
        mean_treatment=pick["mean_t"],
        extra={**{k: pick[k] for k in extra_keys}, **extra},
    )


def require_standard_error(se: float, outcome: str) -> None:
    """Refuse a zero (or undefined) standard error: no variance within either arm cannot give a test.

    With every unit of each arm alike (means 0 and 1, say) the standard error is 0, so the
    interval would have zero width and the test no meaning.
    """
    if not se > 0:
        raise ValueError(
            f"{outcome} has no variance within either arm (treatment and control): the standard error is "
            f"{se:g}, and a standard error of zero cannot give a test or an interval"
        )


def difference_in_means(y: Any, treatment: Any, *, alpha: float = 0.05, cap: float | None = None) -> EffectEstimate:
    """Welch's t-test and interval for the difference in mean ``y`` (treatment - control).

    Parameters
    ----------
    y
        One value per unit (e.g. net revenue per customer, zeros included).
    treatment
        Booleans or 0/1, True for the treated arm; same length as ``y``.
    alpha
        Significance level; the interval has level ``1 - alpha``.
    cap
        Optional upper cap (winsorising, see :func:`winsorize`); changes the estimand.

    Examples
    --------
    >>> y = np.array([1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 4.0, 5.0])
    >>> res = difference_in_means(y, [0, 0, 0, 0, 1, 1, 1, 1])
    >>> round(res.estimate, 3), round(res.p_value, 3)
    (1.0, 0.315)
    """
    y, t, alpha = _prepare(y, treatment, alpha, cap)
    res = welch_arrays(y, t[None, :], alpha)
    return _single("welch", _estimand("difference in means", cap), res, t, alpha, ("df",))


def two_proportions(converted: Any, treatment: Any, *, alpha: float = 0.05) -> EffectEstimate:
    """Difference in conversion rates (treatment - control), two-proportion z-test.

    Examples
    --------
    >>> conv = np.r_[np.ones(30), np.zeros(70), np.ones(45), np.zeros(55)]
    >>> res = two_proportions(conv, np.r_[np.zeros(100), np.ones(100)])
    >>> round(res.estimate, 2), round(res.p_value, 4)
    (0.15, 0.0285)
    """
    y, t, alpha = _prepare(converted, treatment, alpha, None, "converted")
    y = as_bool_array(y, "converted").astype(float)
    res = proportions_arrays(y, t[None, :], alpha)
    return _single("two proportions", "difference in conversion rates", res, t, alpha, outcome="converted")


def relative_lift(
    y: Any, treatment: Any, *, alpha: float = 0.05, cap: float | None = None, interval: str = "fieller"
) -> EffectEstimate:
    """Relative lift ``mean_t / mean_c - 1`` with a Fieller (default) or delta-method interval.

    See :func:`relative_lift_arrays`: the Fieller interval inverts Welch's test and
    keeps its coverage on heavy-tailed revenue; the symmetric delta-method
    interval is shown for comparison and under-covers there.

    Examples
    --------
    >>> y = np.r_[np.full(50, 10.0), np.full(50, 12.0), np.full(50, 11.0), np.full(50, 13.0)]
    >>> t = np.r_[np.zeros(100), np.ones(100)]
    >>> round(relative_lift(y, t).estimate, 4)
    0.0909
    """
    y, t, alpha = _prepare(y, treatment, alpha, cap)
    if y[~t].mean() <= 0:
        raise ValueError("relative lift needs a positive control mean of y")
    res = relative_lift_arrays(y, t[None, :], alpha, interval)
    return _single(f"relative lift ({interval})", _estimand("relative lift of the mean", cap), res, t, alpha)


def ratio_metric(numerator: Any, denominator: Any, treatment: Any, *, alpha: float = 0.05) -> EffectEstimate:
    """Difference of a ratio metric (e.g. revenue per order) by the delta method.

    Parameters
    ----------
    numerator, denominator
        Per randomised unit (customer): e.g. revenue and number of orders.
    treatment
        Booleans or 0/1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> orders = rng.poisson(2.0, 400) + 1
    >>> revenue = orders * rng.gamma(2.0, 10.0, 400)
    >>> res = ratio_metric(revenue, orders, np.arange(400) % 2)
    >>> res.method, res.low < res.estimate < res.high
    ('delta method ratio', True)
    """
    alpha = require_probability(alpha, "alpha")
    num = as_float_array(numerator, "numerator", allow_empty=False)
    den = as_float_array(denominator, "denominator", allow_empty=False)
    if len(num) != len(den):
        raise ValueError(f"numerator has {len(num)} values but denominator has {len(den)}; the arrays must be equal")
    t = as_treatment(treatment, len(num))
    if (den < 0).any() or den[t].sum() <= 0 or den[~t].sum() <= 0:
        raise ValueError("denominator must be non-negative with a positive sum in each arm")
    res = ratio_arrays(num, den, t[None, :], alpha)
    return _single(
        "delta method ratio",
        "difference in sum(numerator) / sum(denominator)",
        res,
        t,
        alpha,
        outcome="the ratio metric (numerator - ratio x denominator)",
    )
