"""Scale-out on Spark (notebook 10): the lab's definitions on Spark DataFrames, for shops beyond one machine.

Loading with the column map, the cleaning rules with their report, RFM with scores and segments, cohort
retention and notebook 01's month-1 summary, and implicit ALS with MLlib evaluated on the house protocol; a
large simulated shop written as Parquet parts. Results equal the pandas path on the same data
(:mod:`~shopai_lab.spark.checks`), and notebook 10's sentences say so (:mod:`~shopai_lab.spark.reading`).

pyspark is optional (``pip install 'shopai-lab[spark]'`` plus Java 17 or 21): this package imports it
only inside functions, so importing :mod:`shopai_lab.spark` never needs it.
"""

from shopai_lab.spark.behavior import (
    assign_segments,
    cohort_retention,
    quantile_scores,
    reference_date,
    retention_summary,
    rfm,
    rfm_scores,
)
from shopai_lab.spark.checks import compare_rfm, dirt_check, frames_equal, max_gap, segment_sizes, summaries_equal
from shopai_lab.spark.cleaning import SparkCleaned, clean_transactions, rule_masks
from shopai_lab.spark.io import read_transactions, to_canonical, to_pandas, to_spark
from shopai_lab.spark.reading import (
    describe_cleaning,
    describe_cohorts,
    describe_evaluation,
    describe_large_shop,
    describe_read,
    describe_rfm_check,
    describe_split,
)
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
    "compare_rfm",
    "describe_cleaning",
    "describe_cohorts",
    "describe_evaluation",
    "describe_large_shop",
    "describe_read",
    "describe_rfm_check",
    "describe_split",
    "dirt_check",
    "evaluate",
    "frames_equal",
    "java_home",
    "lists_to_array",
    "local_session",
    "max_gap",
    "pandas_lines",
    "per_user_metrics",
    "quantile_scores",
    "quiet_pandas_conversion",
    "read_manifest",
    "read_transactions",
    "reference_date",
    "reg_param_for",
    "require_pyspark",
    "retention_summary",
    "rfm",
    "rfm_scores",
    "rule_masks",
    "segment_sizes",
    "spark_available",
    "summaries_equal",
    "temporal_split",
    "to_canonical",
    "to_pandas",
    "to_spark",
    "write_simulated_shop",
]
