"""Root conftest: nbval compares numbers in stored notebook outputs at a stable precision; notebook 10
(Spark) is validated only where pyspark and Java are there, or where SHOPAI_REQUIRE_SPARK=1 demands it.

Tests that run a notebook (nbval's cells, and the papermill runs on another shop's file, which carry
``@pytest.mark.notebook``) are marked ``notebook`` and run first: they are the long ones, and with
``pytest -n 2 --dist loadfile --no-loadscope-reorder`` (``make test``) starting them first leaves the many
short files to fill the end, so neither worker waits on a long notebook at the end. ``make test-fast``
(``-m "not notebook and not spark"``) leaves them out.
"""

import os

import pytest

from shopai_lab.spark import spark_available

pytest_plugins = ["tests.nbval_numbers"]

collect_ignore = []
if not spark_available() and os.environ.get("SHOPAI_REQUIRE_SPARK", "") in ("", "0", "false", "no"):
    collect_ignore.append("notebooks/10_spark_at_scale.ipynb")


def pytest_collection_modifyitems(config, items):
    """Mark nbval's cells ``notebook``; move every file that runs a notebook to the front, in its order."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
    first = {item.path for item in items if item.get_closest_marker("notebook")}
    # nbval first (the longest runs), then test files with a papermill run, then the rest; a file stays whole
    items.sort(key=lambda item: 0 if item.path.suffix == ".ipynb" else 1 if item.path in first else 2)
