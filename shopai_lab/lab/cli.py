"""``shopai-lab``: list, run and read the numbered notebooks from the command line.

::

    shopai-lab init mylab                         copy the notebooks and bundled data into a working folder
    shopai-lab list                               notebooks with their parameters and defaults
    shopai-lab run 1 -p data_path shop.csv --html run notebook 01 on your file into reports/ (+ HTML, index)
    shopai-lab metrics reports/01_behavior_analysis.ipynb
    shopai-lab refresh                            re-execute the stored notebooks in place
    shopai-lab drift 02                           which stored numbers a re-run moves, against their tolerance

Parameter values are read as JSON when they parse as JSON (numbers, ``true``,
``null``, lists, objects) and as text otherwise; ``None`` also means null. A
parameter the notebook does not declare in its ``parameters`` cell is an error, and so is a value whose type
does not match the default's (checked before any kernel starts). A relative ``*_path`` is read from the folder
the command runs in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from shopai_lab.lab.execution import KERNEL_NAME, execute, run_notebooks
from shopai_lab.lab.html import write_html, write_index
from shopai_lab.lab.notebooks import (
    CliError,
    available_notebooks,
    check_parameters,
    notebook_parameters,
    parse_value,
    resolve_notebooks,
    resolve_path_parameters,
)
from shopai_lab.lab.paths import notebooks_dir
from shopai_lab.lab.records import read_metrics

__all__ = [
    "KERNEL_NAME",
    "CliError",
    "available_notebooks",
    "build_parser",
    "check_parameters",
    "execute",
    "main",
    "notebook_parameters",
    "parse_value",
    "resolve_notebooks",
    "write_html",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("shopai-lab")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


@contextmanager
def _lab_data_for(notebooks: Sequence[Path]):
    """Point the kernels at a lab folder's own ``data/`` (``shopai-lab init`` copies it beside ``notebooks/``)
    while they run, unless ``SHOPAI_LAB_DATA_DIR`` is set."""
    data = notebooks[0].parent.parent / "data" if notebooks else None
    if "SHOPAI_LAB_DATA_DIR" in os.environ or data is None or not (data / "online_retail.parquet").is_file():
        yield
        return
    os.environ["SHOPAI_LAB_DATA_DIR"] = str(data)
    try:
        yield
    finally:
        os.environ.pop("SHOPAI_LAB_DATA_DIR", None)


def _cmd_list(args: argparse.Namespace) -> int:
    for path in resolve_notebooks(args.notebooks):
        print(path.stem)
        params = notebook_parameters(path)
        if not params:
            print("    (no parameters cell)")
        width = max((len(n) for n in params), default=0)
        for name, info in params.items():
            text = f"    {name:<{width}} = {info['default']}"
            if info.get("help"):
                text += f"    # {info['help']}"
            print(text)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    parameters = resolve_path_parameters({name: parse_value(value) for name, value in args.parameter or []})
    notebooks = resolve_notebooks(args.notebooks)
    for path in notebooks:
        check_parameters(path, parameters)
    if not args.notebooks:
        print(f"running all {len(notebooks)} notebooks from {notebooks_dir()}", flush=True)
    output_dir = Path(args.output_dir)
    outputs = [output_dir / path.name for path in notebooks]
    run = {"parameters": parameters, "version": _version(), "date": dt.date.today().isoformat()}

    def report(path: Path, output: Path, seconds: float) -> None:
        print(f"{path.stem}: ran in {seconds:.1f} s -> {output} ({len(read_metrics(output))} metrics recorded)")
        if args.html:
            print(f"    HTML report: {write_html(output, code=not args.no_code, run=run)}", flush=True)

    with _lab_data_for(notebooks):
        _, failed = run_notebooks(notebooks, outputs, parameters, not args.no_progress, when_done=report)
    if args.html:
        print(f"index of the reports: {write_index(output_dir)}")
    return 1 if failed else 0


def _cmd_metrics(args: argparse.Namespace) -> int:
    try:
        metrics = read_metrics(args.path)
    except (FileNotFoundError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    notebooks = resolve_notebooks(args.notebooks)
    with tempfile.TemporaryDirectory() as tmp:
        outputs = [Path(tmp) / path.name for path in notebooks]

        def store(path: Path, output: Path, seconds: float) -> None:
            path.write_bytes(output.read_bytes())
            print(f"{path.stem}: refreshed in {seconds:.1f} s", flush=True)

        _, failed = run_notebooks(notebooks, outputs, {}, not args.no_progress, when_done=store)
    return 1 if failed else 0


def _cmd_drift(args: argparse.Namespace) -> int:
    from shopai_lab.lab.drift import drift_table, format_drift

    notebooks = resolve_notebooks(args.notebooks)
    with tempfile.TemporaryDirectory() as tmp:
        if args.executed:
            executed = [Path(args.executed) / path.name for path in notebooks]
        else:
            executed = [Path(tmp) / path.name for path in notebooks]
            _, failed = run_notebooks(notebooks, executed, {}, not args.no_progress)
            if failed:
                return 1
        beyond = 0
        for path, output in zip(notebooks, executed):
            try:
                table = drift_table(path, output)
            except (FileNotFoundError, ValueError) as exc:
                raise CliError(str(exc)) from exc
            beyond += int((table["share"] > 1).sum())
            print(format_drift(path.stem, table))
    return 1 if beyond else 0


def init_lab(folder: Path, force: bool = False) -> Path:
    """Copy the numbered notebooks and the bundled data into ``folder/notebooks`` and ``folder/data``.

    The way a Kedro or cookiecutter project starts: a working folder of one's own, where ``shopai-lab run``
    (from ``folder``) and JupyterLab find the notebooks, and the notebooks the data. An existing lab folder is
    left alone unless ``force``.
    """
    from shopai_lab.data.paths import data_dir

    folder = Path(folder)
    source_notebooks, source_data = available_notebooks(notebooks_dir()), data_dir()
    if not source_notebooks or not (source_data / "online_retail.parquet").is_file():
        raise CliError(f"this install holds no notebooks or data to copy (looked in {notebooks_dir()}, {source_data})")
    if any((folder / "notebooks").glob("[0-9][0-9]*.ipynb")) and not force:
        raise CliError(f"{str(folder)!r} already holds notebooks; pass --force to overwrite them")
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    for notebook in source_notebooks:
        shutil.copy2(notebook, folder / "notebooks" / notebook.name)
    shutil.copytree(source_data, folder / "data", dirs_exist_ok=True)
    return folder


def _cmd_init(args: argparse.Namespace) -> int:
    folder = init_lab(Path(args.folder), force=args.force)
    print(
        f"a lab folder in {folder}: notebooks/ and data/. Next:\n"
        f"    cd {folder} && shopai-lab run 01 --html      (or: jupyter lab notebooks/)"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``shopai-lab`` argument parser."""
    parser = argparse.ArgumentParser(prog="shopai-lab", description="Run and inspect the ShopAI Lab notebooks.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_init = sub.add_parser("init", help="copy the notebooks and the bundled data into a working folder")
    p_init.add_argument("folder", metavar="DIR")
    p_init.add_argument("--force", action="store_true", help="overwrite notebooks already in DIR")
    p_init.set_defaults(func=_cmd_init)

    p_list = sub.add_parser("list", help="notebooks with their parameters and defaults")
    p_list.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    p_list.set_defaults(func=_cmd_list)

    p_run = sub.add_parser("run", help="execute notebooks with papermill")
    p_run.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="number (1 or 01), name or unique prefix; default: all"
    )
    p_run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter (value read as JSON when it parses; a *_path relative to this folder)",
    )
    p_run.add_argument("--output-dir", default="reports", help="where executed notebooks go")
    p_run.add_argument(
        "--html", action="store_true", help="also write a self-contained HTML report per notebook and an index.html"
    )
    p_run.add_argument(
        "--no-code", action="store_true", help="HTML report without the code cells (for business readers)"
    )
    p_run.add_argument(
        "--no-progress", action="store_true", help="no per-cell progress bar (a line per notebook still says what runs)"
    )
    p_run.set_defaults(func=_cmd_run)

    p_metrics = sub.add_parser("metrics", help="recorded metrics of an executed notebook, as JSON")
    p_metrics.add_argument("path")
    p_metrics.set_defaults(func=_cmd_metrics)

    p_refresh = sub.add_parser("refresh", help="re-execute notebooks in place to regenerate their stored outputs")
    p_refresh.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    p_refresh.add_argument("--no-progress", action="store_true", help="no progress bar")
    p_refresh.set_defaults(func=_cmd_refresh)

    p_drift = sub.add_parser(
        "drift", help="re-execute notebooks and list stored numbers that move, against their tolerance"
    )
    p_drift.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    p_drift.add_argument("--executed", metavar="DIR", help="compare executed copies in DIR instead of re-running")
    p_drift.add_argument("--no-progress", action="store_true", help="no progress bar")
    p_drift.set_defaults(func=_cmd_drift)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``shopai-lab`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"shopai-lab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an output folder that cannot be written, a file that vanished
        where = f" {exc.filename!r}" if exc.filename else ""
        print(f"shopai-lab: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
