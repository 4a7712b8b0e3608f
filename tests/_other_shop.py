"""Another shop for the notebook tests: the non-UK lines of the bundled data, twelve years later
(December 2022 to December 2023), under other column names and priced in another currency.

A notebook is a report on whatever shop it is pointed at: :func:`run_on_other_shop` runs one with
``data_path``, ``column_map`` and ``currency`` (plus any parameters the caller adds: notebooks 01-05 get
none but a second data file, 06-10 small sizes so the run takes seconds) and returns its recorded
metrics, for the test to compare with what the library computes on the same file. Each notebook runs
once on the other shop; the tests that read a run share it through a module-scoped fixture.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: what a markdown cell must not quote (a year, a currency, a count with thousands separators): such numbers
#: belong to one shop's data, so they are generated from the results instead (``shopai_lab.report.show``).
STALE_MARKDOWN = re.compile(r"\b20[0-2][0-9]\b|\bGBP\b|£|\b\d{1,3}(,\d{3})+\b")

#: canonical column -> the other shop's column name (its ``column_map`` is the inverse).
OTHER_SHOP_COLUMNS = {
    "invoice_id": "Bill",
    "item_id": "SKU",
    "description": "Product",
    "quantity": "Units",
    "timestamp": "Ordered at",
    "unit_price": "Cost",
    "customer_id": "Client",
    "country": "Land",
}
#: the other shop's ``column_map`` parameter: its column name -> canonical column.
OTHER_SHOP_COLUMN_MAP = {v: k for k, v in OTHER_SHOP_COLUMNS.items()}
OTHER_SHOP_CURRENCY = "EUR"
#: the bundled lines are moved this many years later (2010-12 .. 2011-12 -> 2022-12 .. 2023-12).
OTHER_SHOP_YEARS_LATER = 12


#: thread pools of the notebook's kernel: one thread each. The results do not depend on it (nbval passes
#: with one thread and with many), but on a shared 2-core machine OpenMP/BLAS pools that spin-wait made
#: a boosting fit 20x slower than on one thread.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@contextmanager
def _environment(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_notebook(notebook: str, output_dir: Path, parameters: dict[str, Any], html: bool = False) -> tuple[Path, dict]:
    """Run ``notebook`` (a prefix such as ``"06"``) through the command line, as a user would, with one thread
    per pool; return the executed notebook's path and its recorded metrics. ``html``: also write the report."""
    from shopai_lab.lab import cli, read_metrics

    argv = ["run", notebook, "--output-dir", str(output_dir), "--no-progress", *(["--html"] if html else [])]
    for name, value in parameters.items():
        argv += ["-p", name, value if isinstance(value, str) else json.dumps(value)]
    with _environment(ONE_THREAD):  # the kernel inherits the environment
        assert cli.main(argv) == 0
    (path,) = Path(output_dir).glob(f"{notebook}*.ipynb")
    return path, read_metrics(path)


def run_on_other_shop(
    notebook: str, shop_file: Path, output_dir: Path, html: bool = False, **extra: Any
) -> tuple[Path, dict]:
    """Run ``notebook`` on the other shop (``data_path``, ``column_map``, ``currency`` and the ``extra``
    parameters); return its path and metrics."""
    parameters = {
        "data_path": str(shop_file),
        "column_map": OTHER_SHOP_COLUMN_MAP,
        "currency": OTHER_SHOP_CURRENCY,
        **extra,
    }
    return run_notebook(notebook, output_dir, parameters, html=html)


def generated_text(path: Path) -> str:
    """Every text, Markdown and plain-text output of an executed notebook's code cells, joined."""
    import nbformat

    parts = []
    for cell in nbformat.read(str(path), as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts += [str(output.get("text", "")), str(data.get("text/markdown", "")), str(data.get("text/plain", ""))]
    return "\n".join(parts)
