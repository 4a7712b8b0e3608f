"""Root conftest: nbval compares numbers in stored notebook outputs at a stable precision; notebook 10
(Spark) is validated only where pyspark and Java are there, or where SHOPAI_REQUIRE_SPARK=1 demands it."""

import os

from shopai_lab.spark import spark_available

pytest_plugins = ["tests.nbval_numbers"]

collect_ignore = []
if not spark_available() and os.environ.get("SHOPAI_REQUIRE_SPARK", "") in ("", "0", "false", "no"):
    collect_ignore.append("notebooks/10_spark_at_scale.ipynb")
