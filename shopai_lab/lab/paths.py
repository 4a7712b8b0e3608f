"""Where the notebooks live (the data folder is :func:`shopai_lab.data.data_dir`).

In a checkout, ``notebooks/`` beside the package; in an installed lab, the copy ``pip install`` put under
``<prefix>/share/shopai-lab/notebooks`` (``shopai-lab init DIR`` copies it into a working folder).
The working directory's ``notebooks/`` comes first when it holds numbered notebooks (a lab folder);
``SHOPAI_LAB_NOTEBOOKS_DIR`` names another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from shopai_lab.data.paths import lab_folder


def notebooks_dir() -> Path:
    """Folder of the numbered notebooks.

    ``SHOPAI_LAB_NOTEBOOKS_DIR`` when set; else ``./notebooks`` when the working directory is a lab folder (it
    holds numbered notebooks there, as ``shopai-lab init`` leaves it); else the checkout's or installed copy.
    """
    if "SHOPAI_LAB_NOTEBOOKS_DIR" in os.environ:
        return Path(os.environ["SHOPAI_LAB_NOTEBOOKS_DIR"])
    here = Path.cwd() / "notebooks"
    if any(here.glob("[0-9][0-9]*.ipynb")):
        return here
    return lab_folder("notebooks")
