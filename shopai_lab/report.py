"""Sentences generated from results, so a notebook's text stays true on whatever shop it ran on.

Shared by the domains (their ``describe_*`` helpers) and re-exported by :mod:`shopai_lab.lab` for notebooks.

A notebook's markdown may explain methods, but every sentence that quotes a count, a date, a
money amount or a ranking is built from the numbers with these helpers and shown with
:func:`show`. Comparisons say "better" only when a bootstrap interval excludes zero
(:func:`verdict`), and money carries the notebook's ``currency`` parameter (:func:`money`).
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from shopai_lab._validation import require_bool, require_number, require_positive_int, require_string
from shopai_lab.stats import Interval

__all__ = ["compare", "count", "interval", "money", "percent", "show", "signed", "verdict"]


def show(text: str) -> None:
    """Display ``text`` as Markdown in the notebook (dedented; printed outside IPython).

    Examples
    --------
    >>> show("**12** customers")  # doctest: +SKIP
    """
    text = textwrap.dedent(require_string(text, "text")).strip()
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        print(text)
        return
    if get_ipython() is None:
        print(text)
    else:
        display(Markdown(text))


def _digits(digits: int) -> int:
    return require_positive_int(digits, "digits", minimum=0)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 customer"``, ``"4,334 customers"``.

    ``n`` is a whole number >= 0 (``3.0`` is accepted, ``2.7`` is an error: a count is
    never rounded silently).

    Examples
    --------
    >>> count(4334, "customer"), count(1, "week"), count(2, "category", "categories")
    ('4,334 customers', '1 week', '2 categories')
    """
    value = require_number(n, "n")
    if value != math.floor(value):
        raise ValueError(f"n must be a whole number, got {n!r}: a count is not rounded")
    if value < 0:
        raise ValueError(f"n must be >= 0, got {n!r}")
    require_string(noun, "noun")
    if plural is not None:
        require_string(plural, "plural")
    n = int(value)
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def percent(share: float, digits: int = 1) -> str:
    """A share as a percentage: ``percent(0.2134) == "21.3%"``.

    Examples
    --------
    >>> percent(0.2134), percent(0.5, 0)
    ('21.3%', '50%')
    """
    return f"{100 * require_number(share, 'share'):.{_digits(digits)}f}%"


def signed(value: float, digits: int = 3, as_percent: bool = False) -> str:
    """A number with its sign: ``"+0.008"``, ``"-1.2%"``.

    Examples
    --------
    >>> signed(0.0081), signed(-0.012, 1, as_percent=True)
    ('+0.008', '-1.2%')
    """
    value = require_number(value, "value")
    digits = _digits(digits)
    if require_bool(as_percent, "as_percent"):
        return f"{100 * value:+.{digits}f}%"
    return f"{value:+.{digits}f}"


def money(value: float, currency: str, digits: int = 0) -> str:
    """An amount with its currency code: ``money(1234.5, "GBP") == "GBP 1,234"``.

    Amounts of a million or more are written in millions (``"GBP 4.25 million"``), which
    keeps a printed total stable where its last units depend on floating-point rounding.

    Examples
    --------
    >>> money(1234.5, "GBP"), money(-3.456, "EUR", 2), money(4_248_204, "GBP")
    ('GBP 1,234', 'EUR -3.46', 'GBP 4.25 million')
    """
    currency = require_string(currency, "currency")
    value = require_number(value, "value")
    digits = _digits(digits)
    if abs(value) >= 1e6:
        return f"{currency} {value / 1e6:,.2f} million"
    return f"{currency} {value:,.{digits}f}"


def _require_interval(result: Any, name: str = "result") -> Interval:
    if not isinstance(result, Interval):
        raise TypeError(
            f"{name} must be a shopai_lab.stats.Interval (from paired_bootstrap, paired_metric_bootstrap or "
            f"bootstrap_mean), got {type(result).__name__}"
        )
    return result


def interval(result: Interval, digits: int | None = None, as_percent: bool | None = None) -> str:
    """``"+0.008 (95% CI +0.003 to +0.013)"`` from an :class:`~shopai_lab.stats.Interval`.

    The level is the result's own; a relative result is written in percent.

    Parameters
    ----------
    result
        A bootstrap result.
    digits
        Decimals; default 3, or 1 in percent.
    as_percent
        Write the numbers as percentages; default: when the result is relative.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> interval(Interval(estimate=0.0081, low=0.0032, high=0.0131, level=0.95, n=100, se=0.0025))
    '+0.008 (95% CI +0.003 to +0.013)'
    >>> interval(Interval(estimate=-0.018, low=-0.036, high=0.003, level=0.9, n=100, se=0.01, relative=True))
    '-1.8% (90% CI -3.6% to +0.3%)'
    """
    result = _require_interval(result)
    as_percent = result.relative if as_percent is None else require_bool(as_percent, "as_percent")
    digits = (1 if as_percent else 3) if digits is None else require_positive_int(digits, "digits", minimum=0)
    fmt = lambda v: signed(v, digits, as_percent)  # noqa: E731
    return f"{fmt(result.estimate)} ({100 * result.level:g}% CI {fmt(result.low)} to {fmt(result.high)})"


def verdict(result: Interval, higher_is_better: bool = True) -> str:
    """``"better"``, ``"worse"`` or ``"not distinguishable"`` for a difference with an interval.

    The difference is ``b - a`` (see :class:`shopai_lab.stats.Interval`); it is "better" only
    when the whole interval lies on the good side of zero.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> verdict(Interval(estimate=0.01, low=0.002, high=0.02, level=0.95, n=100, se=0.005))
    'better'
    >>> verdict(Interval(estimate=0.01, low=-0.002, high=0.02, level=0.95, n=100, se=0.005))
    'not distinguishable'
    >>> verdict(Interval(estimate=0.01, low=0.002, high=0.02, level=0.95, n=100, se=0.005), higher_is_better=False)
    'worse'
    """
    result = _require_interval(result)
    higher_is_better = require_bool(higher_is_better, "higher_is_better")
    if result.low > 0:
        return "better" if higher_is_better else "worse"
    if result.high < 0:
        return "worse" if higher_is_better else "better"
    return "not distinguishable"


def compare(
    result: Interval,
    model: str,
    baseline: str,
    metric: str,
    digits: int | None = None,
    higher_is_better: bool = True,
) -> str:
    """One sentence comparing ``model`` (b) with ``baseline`` (a) on ``metric``.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> compare(Interval(0.008, 0.003, 0.013, level=0.95, n=1683, se=0.0025), "Blend", "EASE", "nDCG@10")
    'Blend is better than EASE on nDCG@10: +0.008 (95% CI +0.003 to +0.013).'
    >>> compare(Interval(0.001, -0.003, 0.004, level=0.95, n=1683, se=0.002), "Blend", "EASE", "nDCG@10")
    'Blend and EASE are not distinguishable on nDCG@10: +0.001 (95% CI -0.003 to +0.004).'
    """
    result = _require_interval(result)
    model = require_string(model, "model")
    baseline = require_string(baseline, "baseline")
    metric = require_string(metric, "metric")
    word = verdict(result, higher_is_better)
    figures = interval(result, digits)
    if word == "not distinguishable":
        return f"{model} and {baseline} are not distinguishable on {metric}: {figures}."
    return f"{model} is {word} than {baseline} on {metric}: {figures}."
