"""Two input checks shared by several packages, kept apart from :mod:`shopai_lab._validation` only until
that module's reorganisation (issue 21) lands; then they move there unchanged.

- :func:`require_hidden_layers`: a neural network's hidden-layer sizes (notebooks 03 and the re-ranker).
- :func:`require_pattern`: an optional full-match regular expression, e.g. of stock codes that are not
  products (the rule of one data set: data's cleaning and its Spark mirror apply it, other domains receive
  it as a parameter).
"""

from __future__ import annotations

import re
from typing import Any

from shopai_lab._validation import require_positive_int


def require_hidden_layers(value: Any, name: str = "hidden_layers") -> tuple[int, ...]:
    """``value`` as a non-empty tuple of layer sizes >= 1; floats are refused, not truncated.

    Examples
    --------
    >>> require_hidden_layers([32, 16])
    (32, 16)
    >>> require_hidden_layers(32)
    Traceback (most recent call last):
    ...
    TypeError: hidden_layers must be a sequence of layer sizes, got 32
    """
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence of layer sizes, got {value!r}")
    layers = tuple(require_positive_int(n, f"{name} entries") for n in value)
    if not layers:
        raise ValueError(f"{name} must name at least one layer size")
    return layers


def require_pattern(value: Any, name: str) -> str | None:
    """``value`` as a valid regular expression, or ``None`` (``""`` also means no pattern).

    Examples
    --------
    >>> require_pattern(r"POST|DOT", "non_product_pattern")
    'POST|DOT'
    >>> require_pattern("(POST", "non_product_pattern")
    Traceback (most recent call last):
    ...
    ValueError: non_product_pattern is not a valid regular expression: missing ), ...
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a regular expression (a string) or None, got {type(value).__name__}")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{name} is not a valid regular expression: {exc}") from None
    return value
