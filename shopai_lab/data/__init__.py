"""Data in: the bundled data sets and an analyst's own files in the canonical schema, cleaning with its report,
synthetic shops, customer-service messages, and where the bundled files live.
"""

from shopai_lab.data.cleaning import (
    NON_PRODUCT_PATTERN,
    RULES,
    CleanedTransactions,
    clean_transactions,
    flag_extreme_lines,
    net_of_returns,
)
from shopai_lab.data.columns import KNOWN_ALIASES, parse_column_map, resolve_column_map, to_canonical
from shopai_lab.data.loaders import (
    CDNOW_SUMMARY_FILE,
    ONLINE_RETAIL_FILE,
    ONLINE_SHOPPERS_COLUMNS,
    ONLINE_SHOPPERS_FILE,
    load_cdnow_summary,
    load_online_retail,
    load_online_shoppers,
    load_transactions,
    quality_report,
)
from shopai_lab.data.messages import (
    MESSAGE_SPLITS,
    check_intents,
    customer_service_dir,
    load_banking77,
    load_bitext,
    load_bitext_replies,
    load_intents,
)
from shopai_lab.data.paths import PROJECT_ROOT, data_dir
from shopai_lab.data.synthetic import SEGMENTS, START, SimulatedShop, random_transactions, simulate_shop

__all__ = [
    "CDNOW_SUMMARY_FILE",
    "CleanedTransactions",
    "KNOWN_ALIASES",
    "MESSAGE_SPLITS",
    "NON_PRODUCT_PATTERN",
    "ONLINE_RETAIL_FILE",
    "ONLINE_SHOPPERS_COLUMNS",
    "ONLINE_SHOPPERS_FILE",
    "PROJECT_ROOT",
    "RULES",
    "SEGMENTS",
    "START",
    "SimulatedShop",
    "check_intents",
    "clean_transactions",
    "customer_service_dir",
    "data_dir",
    "flag_extreme_lines",
    "load_banking77",
    "load_bitext",
    "load_bitext_replies",
    "load_cdnow_summary",
    "load_intents",
    "load_online_retail",
    "load_online_shoppers",
    "load_transactions",
    "net_of_returns",
    "parse_column_map",
    "quality_report",
    "random_transactions",
    "resolve_column_map",
    "simulate_shop",
    "to_canonical",
]
