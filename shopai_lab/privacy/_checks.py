"""Input checks of the privacy domain that ``_validation`` does not have (yet)."""

from __future__ import annotations
