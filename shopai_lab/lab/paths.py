"""Where the notebooks live (the data folder is :func:`shopai_lab.data.data_dir`).

``SHOPAI_LAB_NOTEBOOKS_DIR`` moves the folder of the numbered notebooks for other layouts.
"""

from __future__ import annotations

import os
from pathlib import Path

from shopai_lab.data.paths import PROJECT_ROOT


def notebooks_dir() -> Path:
    """Folder of the numbered notebooks."""
    return Path(os.environ.get("SHOPAI_LAB_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks"))
