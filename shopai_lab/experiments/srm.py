"""Sample-ratio mismatch (SRM): are the arms the sizes the design promised?

A broken assignment or a treatment that changes who is *counted* (a redirect
that loses visitors, a bot filter that fires more in one arm, a crash that
drops heavy users) shows up first as arms of the wrong size, and it biases
every metric of the experiment. The check is a chi-square goodness-of-fit test
of the observed counts against the designed shares, run on every analysis.

Why ``p < 0.001`` and not 0.05: the check runs on every experiment and every
look, so at 0.05 one healthy experiment in twenty would be flagged and people
learn to ignore the alarm. At 0.001 false alarms are one in a thousand, while
the mismatches that come from real bugs are large enough to reach far smaller
p-values at the sample sizes of online tests (Fabijan et al. 2019, "Diagnosing
Sample Ratio Mismatch"; GrowthBook and Optimizely use the same threshold).
The converse matters too: passing the check does not prove the assignment is
clean, since a bug that removes a few *extreme* units moves the means a lot
and the counts hardly at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from shopai_lab._validation import as_float_array, require_positive_int, require_probability

DEFAULT_SRM_THRESHOLD = 0.001


@dataclass(frozen=True)
class SRMResult:
    """Result of :func:`srm_test`.

    Attributes
    ----------
    counts, expected
        Observed and expected units per arm.
    statistic, p_value
        Chi-square statistic (``len(counts) - 1`` degrees of freedom) and p-value.
    threshold
        The p-value below which a mismatch is declared.
    mismatch
        True when ``p_value < threshold``: do not read the experiment's metrics.
    """

    counts: tuple[int, ...]
    expected: tuple[float, ...]
    statistic: float
    p_value: float
    threshold: float
    mismatch: bool

    def __str__(self) -> str:
        verdict = "MISMATCH: do not trust the metrics" if self.mismatch else "no mismatch detected"
        return (
            f"SRM check: counts {list(self.counts)}, expected {[round(e, 1) for e in self.expected]}, "
            f"chi2 = {self.statistic:.2f}, p = {self.p_value:.3g} ({verdict} at p < {self.threshold:g})"
        )


def srm_test(counts: Any, expected_shares: Any = None, *, threshold: float = DEFAULT_SRM_THRESHOLD) -> SRMResult:
    """Chi-square test of arm sizes against the designed shares.

    Parameters
    ----------
    counts
        Units observed per arm (two or more arms), or a boolean/0-1 assignment
        array (then the two arms are counted).
    expected_shares
        Designed share of each arm (normalised to sum to 1); default equal shares.
    threshold
        Declare a mismatch when the p-value is below it (default 0.001, see the module docstring).

    Examples
    --------
    >>> print(srm_test([5_000, 5_000]).mismatch, srm_test([5_000, 5_400]).mismatch)
    False True
    """
    threshold = require_probability(threshold, "threshold")
    values = np.asarray(counts)
    if values.dtype == bool or (
        values.ndim == 1 and len(values) > 2 and values.dtype.kind in "iuf" and np.isin(values, (0, 1)).all()
    ):
        treated = int(values.astype(bool).sum())
        values = np.array([len(values) - treated, treated])
    values = as_float_array(values, "counts", ndim=None)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"counts must list at least two arms, got {counts!r}")
    if (values < 0).any() or not np.allclose(values, np.round(values)) or values.sum() <= 0:
        raise ValueError(f"counts must be non-negative integers with a positive total, got {counts!r}")
    if expected_shares is None:
        shares = np.full(len(values), 1 / len(values))
    else:
        shares = as_float_array(expected_shares, "expected_shares", ndim=None)
        if shares.shape != values.shape or (shares <= 0).any() or not np.isfinite(shares).all():
            raise ValueError(f"expected_shares must be {len(values)} positive numbers, got {expected_shares!r}")
        shares = shares / shares.sum()
    expected = shares * values.sum()
    statistic, p_value = stats.chisquare(values, expected)
    return SRMResult(
        tuple(int(v) for v in values),
        tuple(float(e) for e in expected),
        float(statistic),
        float(p_value),
        threshold,
        bool(p_value < threshold),
    )


def srm_power(n: int, observed_share: float, *, threshold: float = DEFAULT_SRM_THRESHOLD) -> float:
    """Probability that the SRM check flags a 50/50 design whose treated share really is ``observed_share``.

    Normal approximation to the binomial count of treated units among ``n``.

    Examples
    --------
    >>> round(srm_power(3_000, 0.505), 3) < 0.05 < round(srm_power(1_000_000, 0.505), 3)
    True
    """
    n = require_positive_int(n, "n")
    require_probability(threshold, "threshold")
    require_probability(observed_share, "observed_share")
    crit = stats.norm.isf(threshold / 2) * np.sqrt(0.25 / n)
    sd = np.sqrt(observed_share * (1 - observed_share) / n)
    delta = observed_share - 0.5
    return float(stats.norm.sf((crit - delta) / sd) + stats.norm.cdf((-crit - delta) / sd))
