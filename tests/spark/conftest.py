"""Spark tests: one local SparkSession for the whole test session, skipped cleanly without pyspark or Java.

Tests that need Spark carry the ``spark`` marker. Set ``SHOPAI_REQUIRE_SPARK=1`` (CI does) to turn
the skip into a failure, so a broken Spark install can never pass as "skipped".
"""

from __future__ import annotations

import os

import pytest

from shopai_lab.spark import INSTALL_HINT, spark_available

REQUIRE = os.environ.get("SHOPAI_REQUIRE_SPARK", "") not in ("", "0", "false", "no")


def pytest_configure(config):
    config.addinivalue_line("markers", "spark: needs pyspark and a Java runtime (skipped without them)")


def pytest_collection_modifyitems(config, items):
    if spark_available():
        return
    for item in items:
        if "spark" in item.keywords and not REQUIRE:  # required: the spark fixture fails them instead
            item.add_marker(pytest.mark.skip(reason=f"pyspark or Java missing: {INSTALL_HINT}"))


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A local[2] session (4 shuffle partitions, UI off, UTC), stopped when the tests end.

    Session-scoped rather than per module: a JVM start costs 5-10 s and the modules share nothing
    that one could leak into another (cached frames are dropped after each module).
    """
    if not spark_available():
        message = f"SHOPAI_REQUIRE_SPARK is set but pyspark or Java is missing: {INSTALL_HINT}"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(f"pyspark or Java missing: {INSTALL_HINT}")
    from shopai_lab.spark import local_session

    session = local_session(
        "local[2]", "2g", shuffle_partitions=4, checkpoint_dir=tmp_path_factory.mktemp("checkpoints")
    )
    yield session
    session.stop()


@pytest.fixture(scope="module", autouse=True)
def _drop_cached_frames(request):
    """Drop what a module cached, so the shared session's memory does not grow module by module."""
    yield
    if "spark" in request.fixturenames and spark_available():
        request.getfixturevalue("spark").catalog.clearCache()
