"""Where the bundled data live: beside the package in a checkout, or where ``pip install`` put them.

In a project checkout (``pip install -e .``) the data folder sits next to the package. An installed wheel or
sdist carries the bundled data and notebooks as data files, under ``<prefix>/share/shopai-lab/`` (the
environment's prefix, or the user base for ``pip install --user``). An environment variable moves the data for
other layouts:

``SHOPAI_LAB_DATA_DIR``
    folder holding ``online_retail.parquet``, ``online_shoppers_intention.csv`` and
    ``customer_service/``.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: where an installed wheel puts its data files, below the install scheme's data folder
SHARE = Path("share") / "shopai-lab"


def installed_share_dirs() -> list[Path]:
    """Candidate ``share/shopai-lab`` folders of an installed lab, most specific first.

    Examples
    --------
    >>> installed_share_dirs()[0] == Path(sys.prefix) / "share" / "shopai-lab"
    True
    """
    bases = [Path(sys.prefix), Path(sysconfig.get_path("data")), Path(site.getuserbase())]
    unique = list(dict.fromkeys(bases))
    return [base / SHARE for base in unique]


def lab_folder(name: str) -> Path:
    """The lab's ``name`` folder (``"data"`` or ``"notebooks"``): beside the package in a checkout, else the
    first installed copy; the checkout's path when neither exists (so an error names where it looked)."""
    beside = PROJECT_ROOT / name
    if beside.is_dir():
        return beside
    installed = [share / name for share in installed_share_dirs() if (share / name).is_dir()]
    return installed[0] if installed else beside


def data_dir() -> Path:
    """Folder of the bundled data sets (``SHOPAI_LAB_DATA_DIR`` when set).

    Examples
    --------
    >>> (data_dir() / "online_retail.parquet").name
    'online_retail.parquet'
    """
    return Path(os.environ["SHOPAI_LAB_DATA_DIR"]) if "SHOPAI_LAB_DATA_DIR" in os.environ else lab_folder("data")
