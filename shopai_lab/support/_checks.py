"""Kept only so that :mod:`shopai_lab.support.loaders` still imports; the checks live in :mod:`shopai_lab._validation`.

Delete this module once ``support/loaders.py`` (moved to ``data/`` on another branch) imports
:func:`shopai_lab._validation.require_probability` directly.
"""

from shopai_lab._validation import require_probability

__all__ = ["require_probability"]
