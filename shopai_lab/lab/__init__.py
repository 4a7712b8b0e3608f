"""The lab itself: where data and notebooks live, notebook records, the `shopai-lab` command."""

from shopai_lab.data.paths import PROJECT_ROOT, data_dir
from shopai_lab.lab.cli import build_parser, init_lab
from shopai_lab.lab.execution import KERNEL_NAME, execute
from shopai_lab.lab.html import write_html, write_index
from shopai_lab.lab.notebooks import (
    CliError,
    available_notebooks,
    check_parameters,
    notebook_parameters,
    parse_value,
    resolve_notebooks,
)
from shopai_lab.lab.paths import notebooks_dir
from shopai_lab.lab.records import METRIC_MIMETYPE, normalize_notebook, read_metrics, record
from shopai_lab.report import compare, count, interval, money, percent, show, signed, verdict

__all__ = [
    "CliError",
    "KERNEL_NAME",
    "METRIC_MIMETYPE",
    "PROJECT_ROOT",
    "available_notebooks",
    "compare",
    "count",
    "interval",
    "money",
    "percent",
    "show",
    "signed",
    "verdict",
    "build_parser",
    "check_parameters",
    "data_dir",
    "execute",
    "init_lab",
    "normalize_notebook",
    "notebook_parameters",
    "notebooks_dir",
    "parse_value",
    "read_metrics",
    "record",
    "resolve_notebooks",
    "write_html",
    "write_index",
]
