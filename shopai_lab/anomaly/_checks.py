"""Input checks of the anomaly and privacy domains that ``_validation`` does not have (yet)."""

from __future__ import annotations
