"""``shopai-lab``: list, run and read the numbered notebooks from the command line.

::

    shopai-lab list                               notebooks with their parameters and defaults
    shopai-lab run 01 -p seed 1 --html            run with papermill into reports/ (+ HTML)
    shopai-lab metrics reports/01_behavior_analysis.ipynb
    shopai-lab refresh                            re-execute the stored notebooks in place
    shopai-lab drift 02                           which stored numbers a re-run moves, against their tolerance

Parameter values are read as JSON when they parse as JSON (numbers, ``true``,
``null``, lists, objects) and as text otherwise; ``None`` also means null. A
parameter the notebook does not declare in its ``parameters`` cell is an error.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shopai_lab.lab.parameters import notebook_parameters as _read_parameters
from shopai_lab.lab.parameters import retired_hint
from shopai_lab.lab.paths import notebooks_dir
from shopai_lab.lab.records import normalize_notebook, read_metrics

KERNEL_NAME = "python3"


class CliError(Exception):
    """A usage error reported to the user without a traceback."""


def available_notebooks(folder: Path | None = None) -> list[Path]:
    """The numbered notebooks (``NN...ipynb``) in ``folder``, sorted."""
    folder = notebooks_dir() if folder is None else folder
    return sorted(p for p in folder.glob("[0-9][0-9]*.ipynb") if p.is_file())


#: notebooks that need Spark (the ``[spark]`` extra and Java): left out of "every notebook" where Spark is missing.
NEEDS_SPARK = ("10_spark_at_scale",)


def _runnable(path: Path) -> bool:
    if path.stem not in NEEDS_SPARK:
        return True
    from shopai_lab.spark import spark_available

    return spark_available()


def resolve_notebooks(names: Sequence[str], folder: Path | None = None) -> list[Path]:
    """Notebooks named by ``names`` (file name, stem or unique prefix such as ``"01"``).

    No names means every numbered notebook, except the Spark notebook where pyspark or Java is
    missing (a note on stderr says so); naming that notebook there is an error with the install hint.
    """
    notebooks = available_notebooks(folder)
    if not notebooks:
        raise CliError(f"no numbered notebooks found in {str(folder or notebooks_dir())!r}")
    if not names:
        skipped = [p for p in notebooks if not _runnable(p)]
        if skipped:
            from shopai_lab.spark import INSTALL_HINT

            print(
                f"left out {', '.join(p.stem for p in skipped)}: pyspark or Java missing; {INSTALL_HINT}",
                file=sys.stderr,
            )
        return [p for p in notebooks if _runnable(p)]
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        matches = [p for p in notebooks if p.stem == stem] or [p for p in notebooks if p.stem.startswith(stem)]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in notebooks)
            what = "matches no" if not matches else "matches more than one"
            raise CliError(f"{name!r} {what} notebook; available: {known}")
        if not _runnable(matches[0]):
            from shopai_lab.spark import INSTALL_HINT

            raise CliError(f"{matches[0].stem} needs Spark, and pyspark or Java is missing: {INSTALL_HINT}")
        chosen.append(matches[0])
    return chosen


def parse_value(text: str) -> Any:
    """A command-line parameter value: JSON when it parses, ``None`` for None, else text.

    Examples
    --------
    >>> parse_value("3"), parse_value("[2, 8]"), parse_value("None"), parse_value("2011-12-10")
    (3, [2, 8], None, '2011-12-10')
    """
    if text in ("None", "none"):
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def notebook_parameters(path: Path) -> dict[str, dict[str, Any]]:
    """Parameters assigned in the notebook's cell tagged ``parameters``.

    Returns ``{name: {"default": source text of the value, "value": the value, "help": trailing
    comment}}`` in the order of the cell (:func:`shopai_lab.lab.parameters.notebook_parameters`); a cell
    that is not valid Python is a :class:`CliError`.
    """
    try:
        return _read_parameters(path)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def check_parameters(path: Path, parameters: dict[str, Any]) -> None:
    """Raise :class:`CliError` for a parameter the notebook does not declare."""
    declared = notebook_parameters(path)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise CliError(
            f"{path.stem} does not declare parameter(s) {unknown}{retired_hint(unknown)}; "
            f"its parameters are {sorted(declared)}"
        )


def execute(
    source: Path,
    output: Path,
    parameters: dict[str, Any] | None = None,
    progress: bool = True,
) -> None:
    """Execute ``source`` with papermill into ``output`` (kernel python3, cwd = notebooks folder)."""
    import nbformat
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(source),
            str(output),
            parameters=parameters or {},
            kernel_name=KERNEL_NAME,
            cwd=str(source.parent),
            progress_bar=progress,
        )
    finally:
        if output.is_file():
            nb = nbformat.read(str(output), as_version=4)
            nbformat.write(nbformat.from_dict(normalize_notebook(nb)), str(output))


def notebook_title(nb) -> str:
    """The text of the notebook's first Markdown heading (the report's title)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.lstrip().startswith("#"):
                return line.lstrip("# \t").strip()
    return ""


def write_html(notebook: Path, code: bool = True) -> Path:
    """Write an HTML report next to an executed notebook; return its path.

    The report is titled after the notebook's first heading (its file name if it has none).
    ``code=False`` leaves out the code cells and their prompts: a report for business readers.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    title = notebook_title(nb) or Path(notebook).stem
    nb.metadata["title"] = title
    exporter = HTMLExporter(exclude_input=not code, exclude_input_prompt=not code, exclude_output_prompt=not code)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html = notebook.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


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


def _run_all(
    notebooks: list[Path], outputs: list[Path], parameters: dict[str, Any], progress: bool
) -> tuple[list[float], int]:
    """Execute each notebook into its output; report failures without a traceback."""
    import papermill

    seconds, failed = [], 0
    for path, output in zip(notebooks, outputs):
        start = time.perf_counter()
        try:
            execute(path, output, parameters, progress=progress)
        except papermill.PapermillExecutionError as exc:
            failed += 1
            print(
                f"{path.stem}: FAILED in cell {exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                f"    the partly executed notebook is at {output}",
                file=sys.stderr,
            )
            seconds.append(float("nan"))
            continue
        seconds.append(time.perf_counter() - start)
    return seconds, failed


def _cmd_run(args: argparse.Namespace) -> int:
    parameters = {name: parse_value(value) for name, value in args.parameter or []}
    notebooks = resolve_notebooks(args.notebooks)
    for path in notebooks:
        check_parameters(path, parameters)
    outputs = [Path(args.output_dir) / path.name for path in notebooks]
    seconds, failed = _run_all(notebooks, outputs, parameters, progress=not args.no_progress)
    for path, output, took in zip(notebooks, outputs, seconds):
        if took != took:  # NaN: this one failed
            continue
        metrics = read_metrics(output)
        print(f"{path.stem}: ran in {took:.1f} s -> {output} ({len(metrics)} metrics recorded)")
        if args.html:
            print(f"    HTML report: {write_html(output, code=not args.no_code)}")
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
        seconds, failed = _run_all(notebooks, outputs, {}, progress=not args.no_progress)
        for path, output, took in zip(notebooks, outputs, seconds):
            if took == took:
                path.write_bytes(output.read_bytes())
                print(f"{path.stem}: refreshed in {took:.1f} s")
    return 1 if failed else 0


def _cmd_drift(args: argparse.Namespace) -> int:
    from shopai_lab.lab.drift import drift_table, format_drift

    notebooks = resolve_notebooks(args.notebooks)
    with tempfile.TemporaryDirectory() as tmp:
        if args.executed:
            executed = [Path(args.executed) / path.name for path in notebooks]
        else:
            executed = [Path(tmp) / path.name for path in notebooks]
            _, failed = _run_all(notebooks, executed, {}, progress=not args.no_progress)
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


def build_parser() -> argparse.ArgumentParser:
    """The ``shopai-lab`` argument parser."""
    parser = argparse.ArgumentParser(prog="shopai-lab", description="Run and inspect the ShopAI Lab notebooks.")
    sub = parser.add_subparsers(dest="command", required=True)

    p_list = sub.add_parser("list", help="notebooks with their parameters and defaults")
    p_list.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    p_list.set_defaults(func=_cmd_list)

    p_run = sub.add_parser("run", help="execute notebooks with papermill")
    p_run.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="name or prefix (e.g. 01); default: all")
    p_run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter (value read as JSON when it parses)",
    )
    p_run.add_argument("--output-dir", default="reports", help="where executed notebooks go")
    p_run.add_argument("--html", action="store_true", help="also write an HTML report")
    p_run.add_argument(
        "--no-code", action="store_true", help="HTML report without the code cells (for business readers)"
    )
    p_run.add_argument("--no-progress", action="store_true", help="no progress bar")
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
