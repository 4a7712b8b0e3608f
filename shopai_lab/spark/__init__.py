"""Scale-out on Spark (notebook 10): the lab's definitions on Spark DataFrames, for shops beyond one machine.

Loading with the column map, the cleaning rules with their report, RFM with scores and segments, cohort
retention, and implicit ALS with MLlib evaluated on the house protocol; a large simulated shop written
as Parquet parts. Results equal the pandas path on the same data.

pyspark is optional (``pip install 'shopai-lab[spark]'`` plus Java 17 or 21): this package imports it
only inside functions, so importing :mod:`shopai_lab.spark` never needs it.
"""

from shopai_lab.spark.behavior import (
    assign_segments,
    cohort_retention,
    quantile_scores,
    reference_date,
    rfm,
    rfm_scores,
)
from shopai_lab.spark.cleaning import SparkCleaned, clean_transactions, rule_masks
from shopai_lab.spark.io import read_transactions, to_canonical, to_pandas, to_spark
from shopai_lab.spark.recommend import (
    SparkALS,
    SparkSplit,
    evaluate,
    lists_to_array,
    per_user_metrics,
    reg_param_for,
    temporal_split,
)
from shopai_lab.spark.session import (
    INSTALL_HINT,
    PANDAS3_WARNING,
    java_home,
    local_session,
    quiet_pandas_conversion,
    require_pyspark,
    spark_available,
)
from shopai_lab.spark.simulate import DIRT, pandas_lines, read_manifest, write_simulated_shop

__all__ = [
    "DIRT",
    "INSTALL_HINT",
    "PANDAS3_WARNING",
    "SparkALS",
    "SparkCleaned",
    "SparkSplit",
    "assign_segments",
    "clean_transactions",
    "cohort_retention",
    "evaluate",
    "java_home",
    "lists_to_array",
    "local_session",
    "pandas_lines",
    "per_user_metrics",
    "quantile_scores",
    "quiet_pandas_conversion",
    "read_manifest",
    "read_transactions",
    "reference_date",
    "reg_param_for",
    "require_pyspark",
    "rfm",
    "rfm_scores",
    "rule_masks",
    "spark_available",
    "temporal_split",
    "to_canonical",
    "to_pandas",
    "to_spark",
    "write_simulated_shop",
]
