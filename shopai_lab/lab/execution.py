"""Execute notebooks with papermill: one kernel per notebook, in the notebooks' folder, saying what runs.

Each run prints which notebook starts (``[2/10] 02_collaborative_filtering: 32 cells``) and how long it took;
the progress bar, when shown, carries the notebook's name. A callback receives each notebook as soon as it is
done (the HTML report is written then, so an interrupted run keeps the reports it finished).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from shopai_lab.lab.records import normalize_notebook

KERNEL_NAME = "python3"


def _kernel_manager_class():
    """A kernel manager that talks to the kernel over local IPC sockets where the system has them.

    Over TCP the kernel warns on every start that its traffic is unencrypted; IPC (Unix domain sockets) is local
    by construction, so the warning's cause goes rather than the warning. Windows has no IPC transport: TCP there.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum

    if os.name != "posix":
        return AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    return IPCKernelManager


def execute(
    source: Path,
    output: Path,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = True,
) -> None:
    """Execute ``source`` with papermill into ``output`` (kernel python3, cwd = the notebook's folder).

    The executed notebook is written normalised (:func:`shopai_lab.lab.records.normalize_notebook`) even when a
    cell fails, so the partly executed notebook can be read. ``progress`` shows a bar named after the notebook.
    """
    import nbformat
    import papermill

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(source),
            str(output),
            parameters=dict(parameters or {}),
            kernel_name=KERNEL_NAME,
            cwd=str(Path(source).parent),
            progress_bar={"desc": Path(source).stem, "file": sys.stderr} if progress else False,
            kernel_manager_class=_kernel_manager_class(),
        )
    finally:
        if output.is_file():
            nb = nbformat.read(str(output), as_version=4)
            nbformat.write(nbformat.from_dict(normalize_notebook(nb)), str(output))


def _cell_count(path: Path) -> int:
    import nbformat

    return len(nbformat.read(str(path), as_version=4).cells)


def run_notebooks(
    notebooks: Sequence[Path],
    outputs: Sequence[Path],
    parameters: Mapping[str, Any],
    progress: bool = True,
    when_done: Callable[[Path, Path, float], None] | None = None,
) -> tuple[list[float], int]:
    """Execute each notebook into its output, saying which one runs; return (seconds each, number failed).

    A failed notebook is reported in one line (the cell and the error) without a traceback, its seconds are
    NaN, and the others still run. ``when_done(notebook, output, seconds)`` is called after each success.
    """
    import papermill

    seconds, failed = [], 0
    for number, (path, output) in enumerate(zip(notebooks, outputs), start=1):
        print(f"[{number}/{len(notebooks)}] {path.stem}: running {_cell_count(path)} cells", flush=True)
        start = time.perf_counter()
        try:
            execute(path, output, parameters, progress=progress)
        except papermill.PapermillExecutionError as exc:
            failed += 1
            print(
                f"{path.stem}: FAILED in cell {exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                f"    the partly executed notebook is at {output}",
                file=sys.stderr,
                flush=True,
            )
            seconds.append(float("nan"))
            continue
        seconds.append(time.perf_counter() - start)
        if when_done is not None:
            when_done(path, output, seconds[-1])
    return seconds, failed
