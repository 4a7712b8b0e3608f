"""Statistics shared by the domains: robust z-scores, holdout errors, empirical-Bayes shrinkage,
bootstrap intervals for comparing two models on the same customers, sessions or products, and
the calibration of predicted probabilities.

Every bootstrap here returns one :class:`Interval`: an estimate with a percentile interval, its
level, the number of units resampled and the bootstrap standard error. A difference is always
``b - a`` (the second model minus the first), absolute or relative to ``a``;
:func:`shopai_lab.report.verdict` and :func:`shopai_lab.plotting.plot_differences` read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_binary,
    require_bool,
    require_number,
    require_positive_int,
    require_probabilities,
    require_same_length,
    require_seed,
)

__all__ = [
    "Interval",
    "bootstrap_mean",
    "expected_calibration_error",
    "gini",
    "group_bootstrap",
    "holdout_metrics",
    "paired_bootstrap",
    "paired_metric_bootstrap",
    "reliability_table",
    "robust_z",
    "shrink_estimates",
]


def robust_z(values: pd.Series | np.ndarray) -> np.ndarray:
    """Modified z-score of Iglewicz & Hoaglin (1993): ``0.6745 (x - median) / MAD``.

    A MAD of zero (more than half the values equal) gives z = 0 for values at
    the median and +/- inf elsewhere. Missing values (NaN: a value that cannot be
    scored, such as the log of 0) are left out of the median and MAD and get a
    missing z; infinite values are refused. No values give no z-scores.

    Examples
    --------
    >>> robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0])).round(3).tolist()
    [-1.349, -0.674, 0.0, 0.674, 65.427]
    """
    x = as_float_array(values, "values", allow_nan=True)
    if x.size == 0 or np.isnan(x).all():
        return np.full(x.shape, np.nan)
    median = np.nanmedian(x)
    mad = np.nanmedian(np.abs(x - median))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = 0.6745 * (x - median) / mad
    return np.where(x == median, 0.0, z)


def holdout_metrics(actual, predicted) -> dict[str, float]:
    """How well individual predictions match holdout counts.

    Returns ``corr`` (Pearson), ``mae``, ``rmse``, and ``total_error``: the
    relative error of the predicted total, ``(sum(predicted) - sum(actual)) / sum(actual)``.
    ``corr`` is NaN when either side is constant (no correlation is defined) and
    ``total_error`` when the actual total is 0 (nothing to be relative to).

    Examples
    --------
    >>> holdout_metrics([0, 1, 3], [0.5, 1.0, 2.5])["total_error"]
    0.0
    """
    actual = as_float_array(actual, "actual")
    predicted = as_float_array(predicted, "predicted")
    if require_same_length(actual=actual, predicted=predicted) < 2:
        raise ValueError(f"actual and predicted must hold at least 2 values each, got {len(actual)}")
    error = predicted - actual
    constant = actual.std() == 0 or predicted.std() == 0
    return {
        "corr": float("nan") if constant else float(np.corrcoef(actual, predicted)[0, 1]),
        "mae": float(np.abs(error).mean()),
        "rmse": float(np.sqrt((error**2).mean())),
        "total_error": float(error.sum() / actual.sum()) if actual.sum() else float("nan"),
    }


def shrink_estimates(estimates, std_errors, groups=None) -> pd.DataFrame:
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
    est = as_float_array(estimates, "estimates", allow_empty=False)
    se = as_float_array(std_errors, "std_errors", low=0, low_inclusive=False)
    require_same_length(estimates=est, std_errors=se)
    labels = np.zeros(est.size, dtype=int) if groups is None else np.asarray(groups)
    if labels.shape != est.shape:
        raise ValueError(f"groups must have one label per estimate ({est.size}), got shape {labels.shape}")
    missing = pd.isna(pd.Series(list(groups), dtype=object)).to_numpy() if groups is not None else labels < 0
    if missing.any():
        raise ValueError(f"groups has {int(missing.sum())} missing label(s); every estimate needs a group")
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


def gini(values) -> float:
    """The Gini coefficient of non-negative values (exposure, purchases, revenue).

    0 when all values are equal, ``1 - 1/n`` when one holds everything.

    Computed exactly from the sorted values, ``sum_i (2 i - n - 1) x_(i) / (n sum x)`` (1-based ranks).

    Examples
    --------
    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4]), round(gini([1, 2, 3, 4]), 4)
    (0.0, 0.75, 0.25)
    """
    x = np.sort(as_float_array(values, "values"))
    if x.size == 0:
        raise ValueError("values is empty: the Gini coefficient needs at least one value")
    if (x < 0).any():
        raise ValueError("values must be >= 0 (exposure, purchases, revenue)")
    total = x.sum()
    if total == 0:
        return 0.0
    ranks = np.arange(1, x.size + 1)
    return float(((2 * ranks - x.size - 1) * x).sum() / (x.size * total))


@dataclass(frozen=True, repr=False)
class Interval:
    """An estimate with a bootstrap percentile interval: the one result of every comparison in the lab.

    A difference is always ``b - a``: the second model (``b``, the new one) minus the first
    (``a``, the baseline), so a positive estimate means ``b`` scored higher. With ``relative``
    it is ``(b - a) / a`` (``mean(b) / mean(a) - 1`` for per-unit values). :func:`bootstrap_mean`
    also returns an Interval, whose estimate is a mean rather than a difference.

    Attributes
    ----------
    estimate
        The observed difference (or mean) on all units.
    low, high
        The percentile interval (``low <= high``).
    level
        Its level, e.g. 0.95.
    n
        Units resampled (customers, sessions, products, runs); at least 2.
    se
        Bootstrap standard error: the standard deviation of the resampled estimates.
    relative
        True when ``estimate``, ``low`` and ``high`` are shares of ``a`` (printed as percentages).

    Examples
    --------
    >>> r = Interval(estimate=0.0081, low=0.0032, high=0.0131, level=0.95, n=1683, se=0.0025)
    >>> print(r)
    +0.008 (95% CI +0.003 to +0.013)
    >>> r.excludes_zero
    True
    >>> Interval(estimate=0.1, low=0.2, high=0.0, level=0.95, n=10, se=0.05)
    Traceback (most recent call last):
    ...
    ValueError: low (0.2) must not exceed high (0.0)
    """

    estimate: float
    low: float
    high: float
    level: float
    n: int
    se: float
    relative: bool = False

    def __post_init__(self) -> None:
        for name in ("estimate", "low", "high"):
            object.__setattr__(self, name, require_number(getattr(self, name), name))
        object.__setattr__(self, "se", require_number(self.se, "se", low=0.0))
        object.__setattr__(self, "level", _level(self.level))
        object.__setattr__(self, "n", require_positive_int(self.n, "n", minimum=2))
        object.__setattr__(self, "relative", require_bool(self.relative, "relative"))
        if self.low > self.high:
            raise ValueError(f"low ({self.low!r}) must not exceed high ({self.high!r})")

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of zero."""
        return self.low > 0 or self.high < 0

    def __str__(self) -> str:
        from shopai_lab.report import interval

        return interval(self)

    def __repr__(self) -> str:
        kind = ", relative" if self.relative else ""
        return f"Interval({self}{kind}, n={self.n:,}, se={self.se:.3g})"


def _level(level: float) -> float:
    return require_number(level, "level", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)


def _bootstrap_args(n_boot: int, level: float, random_state) -> tuple[int, float, np.random.Generator]:
    n_boot = require_positive_int(n_boot, "n_boot", minimum=2)
    level = _level(level)
    return n_boot, level, np.random.default_rng(require_seed(random_state, "random_state"))


def _require_units(n: int, what: str) -> None:
    if n < 2:
        raise ValueError(f"{what} must hold at least 2 units, got {n}: a bootstrap of one value has no interval")


def _from_draws(estimate: float, draws: np.ndarray, level: float, n: int, relative: bool) -> Interval:
    tail = (1 - level) / 2
    return Interval(
        estimate=float(estimate),
        low=float(np.quantile(draws, tail)),
        high=float(np.quantile(draws, 1 - tail)),
        level=level,
        n=n,
        se=float(np.std(draws, ddof=1)),
        relative=relative,
    )


def _relative(b: np.ndarray | float, a: np.ndarray | float, what: str) -> np.ndarray:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if (a == 0).any():
        raise ValueError(f"the relative difference is undefined: {what} of a is 0 (use relative=False)")
    return b / a - 1


def bootstrap_mean(values, n_boot: int = 2000, level: float = 0.95, random_state=0) -> Interval:
    """Mean of per-unit values (e.g. one nDCG per customer) with a percentile bootstrap interval.

    Parameters
    ----------
    values
        One finite value per unit, at least two.
    n_boot, level, random_state
        Bootstrap draws (>= 2), interval level in (0, 1) and seed.

    Returns
    -------
    Interval
        ``estimate`` is the mean of ``values``.

    Examples
    --------
    >>> r = bootstrap_mean(np.r_[np.zeros(50), np.ones(50)], random_state=1)
    >>> r.estimate, bool(0.38 < r.low < 0.5 < r.high < 0.62), r.n
    (0.5, True, 100)
    """
    x = as_float_array(values, "values")
    _require_units(x.size, "values")
    n_boot, level, rng = _bootstrap_args(n_boot, level, random_state)
    means = x[rng.integers(0, len(x), size=(n_boot, len(x)))].mean(axis=1)
    return _from_draws(x.mean(), means, level, len(x), relative=False)


def paired_bootstrap(a, b, n_boot: int = 2000, level: float = 0.95, random_state=0, relative: bool = False) -> Interval:
    """Mean of ``b - a`` over paired units with a percentile bootstrap interval.

    ``a`` and ``b`` hold one value per unit (customer, session, product, simulation run) for
    two models evaluated on the same units; units are resampled with replacement, the same
    draw for both, so the interval reflects which units happened to be in the data. Say "b is
    better" only when the interval excludes zero (:func:`shopai_lab.report.verdict`).

    Parameters
    ----------
    a, b
        Paired per-unit values (finite, at least two units): ``a`` the baseline, ``b`` the model.
    n_boot, level, random_state
        Bootstrap draws (>= 2), interval level in (0, 1) and seed.
    relative
        ``False``: the difference ``mean(b - a)``. ``True``: the relative difference
        ``mean(b - a) / mean(a) = mean(b) / mean(a) - 1`` (a ratio of means, e.g. -0.05 for a
        model whose mean error is 5% below the baseline's), recomputed on every draw.

    Returns
    -------
    Interval
        The difference ``b - a`` and its interval over ``len(a)`` units.

    Examples
    --------
    >>> r = paired_bootstrap(np.zeros(200), np.full(200, 0.1) + np.linspace(-0.05, 0.05, 200))
    >>> print(r)
    +0.100 (95% CI +0.096 to +0.104)
    >>> print(paired_bootstrap(np.full(50, 2.0), np.full(50, 1.5) + np.linspace(0, 0.2, 50), relative=True))
    -20.0% (95% CI -20.8% to -19.2%)
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must be paired 1-D arrays of equal length; got {a.shape} and {b.shape}")
    _require_units(len(a), "a and b")
    relative = require_bool(relative, "relative")
    n_boot, level, rng = _bootstrap_args(n_boot, level, random_state)
    rows = rng.integers(0, len(a), size=(n_boot, len(a)))
    if relative:
        estimate = _relative(b.mean(), a.mean(), "the mean")
        draws = _relative(b[rows].mean(axis=1), a[rows].mean(axis=1), "the mean of a resample")
    else:
        gain = b - a
        estimate, draws = gain.mean(), gain[rows].mean(axis=1)
    return _from_draws(estimate, draws, level, len(a), relative)


def group_bootstrap(
    values, groups, reference=None, n_boot: int = 2000, level: float = 0.95, random_state=0
) -> dict[str, Interval]:
    """Each group's mean of per-unit values, and each group's gap to a reference group, with intervals.

    For comparing groups of different units (new vs established customers, countries): units are resampled
    with replacement within each group (a stratified bootstrap, so every draw keeps the groups' sizes), and the
    gap ``mean(group) - mean(reference)`` is recomputed on every draw. Groups are independent samples here,
    unlike :func:`paired_bootstrap`, where the same units are scored twice.

    Parameters
    ----------
    values
        One finite value per unit (e.g. one nDCG per customer).
    groups
        One group label per unit (text or numbers, none missing); each group needs at least two units.
    reference
        The group every other is compared with; ``None``: the largest group (ties: the first in sorted order).
    n_boot, level, random_state
        Bootstrap draws (>= 2), interval level in (0, 1) and seed.

    Returns
    -------
    dict
        ``{group: Interval of its mean}`` for every group in sorted order, then ``{f"{group} - {reference}":
        Interval of the gap}`` for every other group (a gap is ``b - a`` with ``a`` the reference).

    Examples
    --------
    >>> values = np.r_[np.full(60, 0.2), np.full(40, 0.1)] + np.tile([-0.01, 0.01], 50)
    >>> result = group_bootstrap(values, ["old"] * 60 + ["new"] * 40)
    >>> list(result)
    ['new', 'old', 'new - old']
    >>> print(result["new - old"])
    -0.100 (95% CI -0.104 to -0.096)
    """
    x = as_float_array(values, "values")
    labels = _finite_rows(groups, "groups")
    require_same_length(values=x, groups=labels)
    unique, codes, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    names = unique.tolist()  # Python values: 'b', not np.str_('b'), in messages and keys
    for name, size in zip(names, sizes):
        _require_units(int(size), f"group {name!r}")
    if reference is None:
        reference = names[int(np.argmax(sizes))]
    elif reference not in names:
        raise ValueError(f"reference {reference!r} is not one of the groups {names}")
    n_boot, level, rng = _bootstrap_args(n_boot, level, random_state)
    means, draws = {}, {}
    for code, name in enumerate(names):
        member = x[codes == code]
        draws[name] = member[rng.integers(0, len(member), size=(n_boot, len(member)))].mean(axis=1)
        means[name] = member.mean()
    result = {str(n): _from_draws(means[n], draws[n], level, int(s), False) for n, s in zip(names, sizes)}
    for name in names:
        if name != reference:
            gap = _from_draws(means[name] - means[reference], draws[name] - draws[reference], level, len(x), False)
            result[f"{name} - {reference}"] = gap
    return result


def _finite_rows(values, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 0:
        raise ValueError(f"{name} must hold one value per unit, got a scalar {values!r}")
    missing = ~np.isfinite(array) if array.dtype.kind in "fc" else pd.isna(array) if array.dtype.kind == "O" else None
    if missing is not None and missing.any():
        raise ValueError(f"{name} has {int(missing.sum())} missing or infinite value(s)")
    return array


def paired_metric_bootstrap(
    metric: Callable[[np.ndarray, np.ndarray], float],
    y_true,
    pred_a,
    pred_b,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state=0,
    stratify: bool = False,
    relative: bool = False,
) -> Interval:
    """``metric(y, pred_b) - metric(y, pred_a)`` with a paired percentile bootstrap interval.

    For metrics that are not a mean over units (AUC, average precision, expected calibration
    error, a correlation): rows are resampled with replacement, the same rows for both models,
    and the metric recomputed on each resample. A metric where lower is better (log loss, ECE)
    is better for ``b`` when the interval lies below zero.

    Parameters
    ----------
    metric
        ``metric(y_true, prediction) -> float``, e.g. :func:`sklearn.metrics.roc_auc_score`.
    y_true, pred_a, pred_b
        Outcomes and the two models' predictions, one row per unit (at least two, none missing).
    n_boot, level, random_state
        Bootstrap draws (>= 2), interval level in (0, 1) and seed.
    stratify
        Keep the number of positives fixed (binary ``y_true``): every resample has both classes.
    relative
        ``True``: ``(metric_b - metric_a) / metric_a`` on every draw instead of the difference.

    Returns
    -------
    Interval
        The difference ``b - a`` and its interval over ``len(y_true)`` units.

    Examples
    --------
    >>> from sklearn.metrics import roc_auc_score
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(400) < 0.3
    >>> r = paired_metric_bootstrap(roc_auc_score, y, rng.random(400), y + rng.random(400), n_boot=200)
    >>> r.estimate > 0.3 and r.low > 0
    True
    """
    if not callable(metric):
        raise TypeError(f"metric must be a function metric(y_true, prediction), got {type(metric).__name__}")
    y = _finite_rows(y_true, "y_true")
    a, b = _finite_rows(pred_a, "pred_a"), _finite_rows(pred_b, "pred_b")
    require_same_length(y_true=y, pred_a=a, pred_b=b)
    _require_units(len(y), "y_true")
    stratify = require_bool(stratify, "stratify")
    relative = require_bool(relative, "relative")
    n_boot, level, rng = _bootstrap_args(n_boot, level, random_state)
    if stratify:
        positive = require_binary(y, "y_true").astype(bool)
        groups = [np.flatnonzero(positive), np.flatnonzero(~positive)]
    else:
        groups = [np.arange(len(y))]

    def score(rows=slice(None)) -> tuple[float, float]:
        return float(metric(y[rows], a[rows])), float(metric(y[rows], b[rows]))

    draws = np.empty((n_boot, 2))
    for i in range(n_boot):
        draws[i] = score(np.concatenate([rng.choice(g, len(g)) for g in groups if len(g)]))
    point = np.array(score())
    if not (np.isfinite(draws).all() and np.isfinite(point).all()):
        raise ValueError(
            "metric returned a missing or infinite value on the data or a resample"
            + ("" if stratify else " (stratify=True keeps both classes in every resample)")
        )
    if relative:
        estimate = _relative(point[1], point[0], "the metric")
        changes = _relative(draws[:, 1], draws[:, 0], "the metric on a resample")
    else:
        estimate, changes = point[1] - point[0], draws[:, 1] - draws[:, 0]
    return _from_draws(estimate, changes, level, len(y), relative)


def _calibration_bins(y_true, probability, n_bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Per equal-width bin: count, sum of probabilities, sum of outcomes (scikit-learn's binning)."""
    n_bins = require_positive_int(n_bins, "n_bins")
    y = require_binary(y_true, "y_true")
    p = require_probabilities(probability, "probability")
    require_same_length(y_true=y, probability=p)
    if y.size == 0:
        raise ValueError("y_true and probability are empty")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.searchsorted(edges[1:-1], p)
    count = np.bincount(which, minlength=n_bins)
    sum_p, sum_y = (np.bincount(which, weights=w, minlength=n_bins) for w in (p, y))
    return count, sum_p, sum_y, n_bins


def reliability_table(y_true, probability, n_bins: int = 10) -> pd.DataFrame:
    """Per equal-width probability bin: units, mean predicted probability and observed rate.

    Bins are those of :func:`sklearn.calibration.calibration_curve` with ``strategy="uniform"``:
    ``n_bins`` equal-width bins on [0, 1], closed on the right (``(0.1, 0.2]``), the first also
    holding 0. Only bins holding at least one probability are listed.

    Parameters
    ----------
    y_true
        0/1 outcomes (or booleans): a purchase, a correct answer.
    probability
        Predicted probability of the outcome (of the predicted class for a top-label
        calibration: ``y_true`` = correct, ``probability`` = confidence), in [0, 1].
    n_bins
        Number of bins.

    Returns
    -------
    pandas.DataFrame
        ``bin_low``, ``bin_high``, ``count``, ``predicted`` (mean probability) and ``observed``
        (share of ones); ``count`` sums to the number of units.

    Examples
    --------
    >>> reliability_table([0, 1, 1, 0, 1, 0], [0.1, 0.9, 0.6, 0.4, 0.5, 0.5], n_bins=2)
       bin_low  bin_high  count  predicted  observed
    0      0.0       0.5      4      0.375      0.25
    1      0.5       1.0      2      0.750      1.00
    """
    count, sum_p, sum_y, n_bins = _calibration_bins(y_true, probability, n_bins)
    kept = np.flatnonzero(count)
    return pd.DataFrame(
        {
            "bin_low": kept / n_bins,
            "bin_high": (kept + 1) / n_bins,
            "count": count[kept],
            "predicted": sum_p[kept] / count[kept],
            "observed": sum_y[kept] / count[kept],
        }
    )


def expected_calibration_error(y_true, probability, n_bins: int = 10) -> float:
    """Expected calibration error: ``sum_b (n_b / n) |observed_b - predicted_b|`` over non-empty bins.

    The bins of :func:`reliability_table` (scikit-learn's ``calibration_curve`` with
    ``strategy="uniform"``: equal width, closed on the right, 0 in the first). For the top-label
    ECE of a classifier (Guo et al. 2017) pass ``y_true`` = whether the prediction was correct
    and ``probability`` = its confidence.

    Parameters
    ----------
    y_true
        0/1 outcomes (or booleans).
    probability
        Predicted probabilities in [0, 1], one per outcome.
    n_bins
        Number of equal-width bins.

    Examples
    --------
    >>> expected_calibration_error([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], n_bins=2)
    0.25
    """
    count, sum_p, sum_y, _ = _calibration_bins(y_true, probability, n_bins)
    kept = count > 0
    gap = np.abs(sum_y[kept] / count[kept] - sum_p[kept] / count[kept])
    return float(np.sum(count[kept] / count.sum() * gap))
