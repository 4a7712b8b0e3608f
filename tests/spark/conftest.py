"""Spark tests: the one local SparkSession (the ``spark`` fixture of tests/conftest.py), skipped cleanly without
pyspark or Java.

Tests that need Spark carry the ``spark`` marker (registered in pyproject.toml). Set ``SHOPAI_REQUIRE_SPARK=1``
(CI does) to turn the skip into a failure, so a broken Spark install can never pass as "skipped".
"""

from __future__ import annotations

import pytest

from shopai_lab.spark import INSTALL_HINT, spark_available
from tests.conftest import REQUIRE_SPARK


def pytest_collection_modifyitems(config, items):
    if spark_available():
        return
    for item in items:
        if "spark" in item.keywords and not REQUIRE_SPARK:  # required: the spark fixture fails them instead
            item.add_marker(pytest.mark.skip(reason=f"pyspark or Java missing: {INSTALL_HINT}"))


@pytest.fixture(scope="module", autouse=True)
def _drop_cached_frames(request):
    """Drop what a module cached, so the shared session's memory does not grow module by module."""
    yield
    if "spark" in request.fixturenames and spark_available():
        request.getfixturevalue("spark").catalog.clearCache()
