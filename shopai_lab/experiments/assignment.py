"""Deterministic, salted hash assignment of units to arms, and its checks.

A unit's arm is a pure function of (experiment salt, unit id): the same
customer sees the same arm on every visit and every server without a lookup
table, and experiments with different salts are independent of one another
(a customer's arm in one experiment says nothing about their arm in another).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_instance,
)
from shopai_lab.experiments.srm import SRMResult, srm_test

N_BUCKETS = 10_000


def as_treatment(treatment: Any, n: int | None = None, name: str = "treatment", min_per_arm: int = 2) -> np.ndarray:
    """``treatment`` as a new boolean array (True = treated); 0/1 and booleans are accepted.

    Scores or probabilities are refused, not cast (every non-zero value would become
    "treated"). Raises when the length differs from ``n`` or an arm has fewer than
    ``min_per_arm`` units.

    Examples
    --------
    >>> as_treatment([0, 1, 1, 0]).tolist()
    [False, True, True, False]
    """
    array = as_bool_array(treatment, name)
    if n is not None and len(array) != n:
        raise ValueError(f"{name} has {len(array)} values but the metric has {n}; the arrays must be equal")
    treated = int(array.sum())
    if min(treated, len(array) - treated) < min_per_arm:
        raise ValueError(
            f"{name} has {treated} treated and {len(array) - treated} control units; "
            f"each arm needs at least {min_per_arm}"
        )
    return array


def as_assignments(T: Any, n: int, name: str = "T") -> np.ndarray:
    """A boolean ``(n_splits, n)`` assignment matrix (a 1-D assignment becomes one row), two units per arm.

    Examples
    --------
    >>> as_assignments([[1, 0, 1, 0]], 4).tolist()
    [[True, False, True, False]]
    """
    array = as_bool_array(T, name, ndim=None)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != n:
        raise ValueError(f"{name} must have shape (n_splits, {n}), got {array.shape}")
    treated = array.sum(axis=1)
    if (np.minimum(treated, n - treated) < 2).any():
        raise ValueError(f"every row of {name} needs at least 2 treated and 2 control units")
    return array


def _ids(unit_ids: Any) -> pd.Series:
    if isinstance(unit_ids, (str, bytes)) or np.ndim(unit_ids) != 1:
        raise TypeError(f"unit_ids must be a list, array or Series of ids, got {unit_ids!r}")
    return pd.Series(unit_ids)


def hash_buckets(unit_ids: Any, salt: str, n_buckets: int = N_BUCKETS) -> np.ndarray:
    """Bucket in ``[0, n_buckets)`` of each unit: SHA-256 of ``"salt:id"``, first 8 bytes, modulo.

    Examples
    --------
    >>> first = hash_buckets(["12346", "12347"], salt="exp-1")
    >>> bool((first == hash_buckets(["12346", "12347"], "exp-1")).all()), bool((first < 10_000).all())
    (True, True)
    """
    if not isinstance(salt, str) or not salt:
        raise ValueError(f"salt must be a non-empty string (one per experiment), got {salt!r}")
    if isinstance(n_buckets, bool) or not isinstance(n_buckets, int) or n_buckets < 2:
        raise ValueError(f"n_buckets must be an integer >= 2, got {n_buckets!r}")
    ids = _ids(unit_ids)
    if ids.isna().any():
        raise ValueError("unit_ids has missing values; every unit needs an id to be assigned")
    digests = (hashlib.sha256(f"{salt}:{uid}".encode()).digest()[:8] for uid in ids.astype(str))
    values = np.fromiter((int.from_bytes(d, "big") for d in digests), dtype=np.uint64, count=len(ids))
    return (values % np.uint64(n_buckets)).astype(np.int64)


def assign(
    unit_ids: Any,
    salt: str,
    arms: Sequence[str] = ("control", "treatment"),
    weights: Sequence[float] | None = None,
    n_buckets: int = N_BUCKETS,
) -> pd.Series:
    """Arm of each unit by salted hash bucketing.

    Parameters
    ----------
    unit_ids
        Unit identifiers (e.g. ``customer_id``); the result is indexed by them.
    salt
        Experiment-specific string: a new salt reshuffles everybody.
    arms
        Arm names, in bucket order.
    weights
        Share of traffic per arm (default equal); rounded to whole buckets.

    Examples
    --------
    >>> arms = assign([str(i) for i in range(10_000)], salt="banner-test")
    >>> sorted(arms.unique().tolist()), bool(abs((arms == "treatment").mean() - 0.5) < 0.02)
    (['control', 'treatment'], True)
    """
    if isinstance(arms, str):
        raise TypeError(f"arms must be a list of arm names, got the single string {arms!r}")
    arms = list(arms)
    if len(arms) < 2 or len(set(arms)) != len(arms):
        raise ValueError(f"arms must be at least two distinct names, got {arms!r}")
    w = np.full(len(arms), 1.0) if weights is None else as_float_array(weights, "weights", ndim=None)
    if w.shape != (len(arms),) or (w <= 0).any():
        raise ValueError(f"weights must be {len(arms)} positive numbers, got {weights!r}")
    edges = np.round(np.cumsum(w / w.sum()) * n_buckets).astype(int)
    buckets = hash_buckets(unit_ids, salt, n_buckets)
    index = np.searchsorted(edges, buckets, side="right")
    return pd.Series(
        np.asarray(arms, dtype=object)[index], index=pd.Index(unit_ids, name="unit_id"), name=f"arm[{salt}]"
    )


def balance_check(
    arms: pd.Series,
    weights: Sequence[float] | None = None,
    names: Sequence[str] | None = None,
    *,
    threshold: float = 0.001,
) -> SRMResult:
    """SRM chi-square test of an assignment against its designed shares.

    ``names`` fixes the arm order (default sorted arm names), matching ``weights``.
    """
    require_instance(arms, pd.Series, "arms")
    if arms.isna().any():
        raise ValueError(f"arms has {int(arms.isna().sum())} missing value(s); every unit needs an arm")
    present = sorted(pd.unique(arms))
    names = present if names is None else list(names)
    left_out = [a for a in present if a not in names]
    if left_out:
        raise ValueError(f"names leaves out arm(s) {left_out} present in arms; list every arm")
    counts = [int((arms == name).sum()) for name in names]
    return srm_test(counts, weights, threshold=threshold)


def independence_check(first: pd.Series, second: pd.Series) -> tuple[float, float]:
    """Chi-square test of independence of two experiments' arms over the same units.

    Returns ``(statistic, p_value)``; a small p-value means the salts are not
    independent (e.g. the same salt reused, which puts the same customers in
    treatment twice).

    Examples
    --------
    >>> ids = [str(i) for i in range(5_000)]
    >>> _, p = independence_check(assign(ids, "a"), assign(ids, "b"))
    >>> p > 0.001
    True
    """
    require_instance(first, pd.Series, "first")
    require_instance(second, pd.Series, "second")
    if not first.index.equals(second.index):
        missing = first.index.difference(second.index)
        if len(missing):
            raise ValueError(
                f"{len(missing)} unit(s) of the first experiment are not in the second, e.g. {list(missing[:3])}"
            )
        second = second.reindex(first.index)
    table = pd.crosstab(first.to_numpy(), second.to_numpy())
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise ValueError("each experiment needs at least two arms present among the units")
    statistic, p_value, _, _ = stats.chi2_contingency(table.to_numpy(), correction=False)
    return float(statistic), float(p_value)
