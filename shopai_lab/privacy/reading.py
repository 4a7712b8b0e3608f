"""Sentences of notebook 08 (privacy) built from its results, so the report stays true on any shop."""

from __future__ import annotations

from collections.abc import Mapping

from shopai_lab._validation import require_instance, require_number, require_positive_int
from shopai_lab.report import count, percent


def describe_attack(n_ids: int, width: int, all_digits: bool, n_candidates: int, recovered: Mapping) -> str:
    """The enumeration attack on hashed ids: what the attacker tries and what each scheme gives away.

    Examples
    --------
    >>> print(describe_attack(4334, 5, True, 100000, {"plain": 1.0, "HMAC": 0.0}))  # doctest: +NORMALIZE_WHITESPACE
    4,334 customer ids of up to 5 characters, all digits: the attacker hashes all 100,000 candidates.
    Recovered: plain 100.0%, HMAC 0.0%.
    """
    require_instance(recovered, Mapping, "recovered")
    for name, value in (("n_ids", n_ids), ("width", width), ("n_candidates", n_candidates)):
        require_positive_int(value, name, minimum=0)
    kind = "all digits: the attacker hashes all" if all_digits else "not all digits: the attacker tries a list of"
    shares = ", ".join(f"{name} {percent(share)}" for name, share in recovered.items())
    return (
        f"{count(n_ids, 'customer id')} of up to {count(width, 'character')}, {kind} "
        f"{count(n_candidates, 'candidate')}. Recovered: {shares}."
    )


def describe_kanonymity(before: Mapping, after: Mapping, k: int) -> str:
    """Before and after generalisation: the share of customers in groups smaller than ``k``.

    ``before``, ``after``: :func:`~shopai_lab.privacy.k_anonymity_report` results.

    Examples
    --------
    >>> b = {"share_below_k": 0.09, "rows": 100, "groups_below_k": 3, "groups": 10, "k": 1}
    >>> a = {"rows": 97, "groups": 4, "k": 5}
    >>> print(describe_kanonymity(b, a, 5))  # doctest: +NORMALIZE_WHITESPACE
    Before: 9.0% of 100 customers are in groups smaller than 5 (3 of 10 groups; smallest group 1). After:
    every group has at least 5 customers, 3 customers suppressed, 4 groups left.
    """
    k = require_positive_int(k, "k")
    for name, report, keys in (
        ("before", before, ("share_below_k", "rows", "groups_below_k", "groups", "k")),
        ("after", after, ("rows", "groups", "k")),
    ):
        require_instance(report, Mapping, name)
        missing = [key for key in keys if key not in report]
        if missing:
            raise ValueError(f"{name} is missing {missing}: pass privacy.k_anonymity_report's result")
    text = (
        f"Before: {percent(before['share_below_k'])} of {count(before['rows'], 'customer')} are in groups smaller "
        f"than {k} ({before['groups_below_k']:,} of {count(before['groups'], 'group')}; smallest group "
        f"{before['k']}). "
    )
    suppressed = count(before["rows"] - after["rows"], "customer")
    if after["k"] >= k:
        return text + (
            f"After: every group has at least {after['k']} customers, {suppressed} suppressed, "
            f"{count(after['groups'], 'group')} left."
        )
    return text + f"After: the smallest group still has {after['k']} customers: **not {k}-anonymous**."


def describe_dp(sensitivity: int, mae: float, mae_naive: float, epsilon: float = 1.0) -> str:
    """The error of the published retention shares at one budget, with the correct and the naive noise.

    Examples
    --------
    >>> print(describe_dp(12, 0.0356, 0.0029))  # doctest: +NORMALIZE_WHITESPACE
    At epsilon 1 the published retention shares are off by 0.036 on average with the correct sensitivity
    (12); the per-cell noise gives 0.0029 but is only 12-differentially private.
    """
    sensitivity = require_positive_int(sensitivity, "sensitivity")
    epsilon = require_number(epsilon, "epsilon", low=0.0, low_inclusive=False)
    mae, mae_naive = require_number(mae, "mae", low=0.0), require_number(mae_naive, "mae_naive", low=0.0)
    if sensitivity == 1:
        return (
            f"At epsilon {epsilon:g} the published retention shares are off by {mae:.3f} on average: each "
            "customer is in one cell, so the per-cell noise is already correct."
        )
    return (
        f"At epsilon {epsilon:g} the published retention shares are off by {mae:.3f} on average with the correct "
        f"sensitivity ({sensitivity}); the per-cell noise gives {mae_naive:.4f} but is only "
        f"{sensitivity * epsilon:g}-differentially private."
    )
