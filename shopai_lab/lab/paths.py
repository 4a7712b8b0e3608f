"""Where the bundled data and the notebooks live.

The package is installed in development mode (``pip install -e .``) from the
project checkout, so both folders sit next to the package. Two environment
variables move them for other layouts:

``SHOPAI_LAB_DATA_DIR``
    folder holding ``online_retail.parquet`` and ``online_shoppers_intention.csv``.
``SHOPAI_LAB_NOTEBOOKS_DIR``
    folder holding the numbered notebooks.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Folder of the bundled data sets."""
    return Path(os.environ.get("SHOPAI_LAB_DATA_DIR", PROJECT_ROOT / "data"))


def notebooks_dir() -> Path:
    """Folder of the numbered notebooks."""
    return Path(os.environ.get("SHOPAI_LAB_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks"))
