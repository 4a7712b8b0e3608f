"""Where the bundled data live, and the project checkout they sit in.

The package is installed in development mode (``pip install -e .``) from the
project checkout, so the data folder sits next to the package. An environment
variable moves it for other layouts:

``SHOPAI_LAB_DATA_DIR``
    folder holding ``online_retail.parquet``, ``online_shoppers_intention.csv`` and
    ``customer_service/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Folder of the bundled data sets.

    Examples
    --------
    >>> (data_dir() / "online_retail.parquet").name
    'online_retail.parquet'
    """
    return Path(os.environ.get("SHOPAI_LAB_DATA_DIR", PROJECT_ROOT / "data"))
