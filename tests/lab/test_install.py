"""A pip-installed lab is a complete lab: build the wheel, install it into a fresh environment, and run
notebook 01 from an unrelated folder, on the bundled data and on a CSV named by a relative path.

The fresh environment gets the package from the wheel alone; its dependencies come from the test's own
environment through a ``.pth`` line (what is under test is the package's layout, not pip's resolver), and
nbconvert's templates through ``JUPYTER_PATH`` (a full install puts them under the fresh prefix).
"""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pandas as pd
import pytest

from shopai_lab.data import data_dir
from shopai_lab.lab import PROJECT_ROOT, read_metrics
from shopai_lab.lab.html import external_scripts

pytestmark = pytest.mark.notebook


def _run(argv: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed_lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("install")
    _run(
        [sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps", "-q", "-w", str(root)], root, os.environ
    )
    (wheel,) = root.glob("shopai_lab-*.whl")
    fresh = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], root, os.environ)
    python = fresh / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        root,
        os.environ,
    )
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], root, os.environ)
    Path(purelib.stdout.strip(), "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    templates = root / "jupyter"
    templates.mkdir()
    (templates / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPAI_LAB_") and k != "PYTHONPATH"}
    env |= {"JUPYTER_PATH": str(templates), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    return fresh, env


def test_the_wheel_carries_the_notebooks_and_the_data(installed_lab, tmp_path):
    fresh, env = installed_lab
    where = _run(
        [str(fresh / "bin" / "python"), "-c", "import shopai_lab.data as d; print(d.__file__, d.data_dir())"],
        tmp_path,
        env,
    )
    module, data = where.stdout.split()
    assert module.startswith(str(fresh)) and data.startswith(str(fresh))
    listed = _run([str(fresh / "bin" / "shopai-lab"), "list"], tmp_path, env).stdout
    assert "01_behavior_analysis" in listed and "09_customer_service" in listed


def test_an_installed_lab_runs_notebook_01_on_the_bundled_data_and_a_relative_csv(installed_lab, tmp_path):
    fresh, env = installed_lab
    lines = pd.read_parquet(data_dir() / "online_retail.parquet")
    lines[lines["Country"].isin(["Germany", "France", "EIRE", "Spain", "Netherlands"])].to_csv(
        tmp_path / "shop.csv", index=False
    )
    command = [str(fresh / "bin" / "shopai-lab"), "run", "1", "--no-progress", "--html"]
    _run([*command, "--output-dir", "bundled"], tmp_path, env)
    _run([*command, "--output-dir", "own", "-p", "data_path", "shop.csv"], tmp_path, env)
    bundled = read_metrics(tmp_path / "bundled" / "01_behavior_analysis.ipynb")
    own = read_metrics(tmp_path / "own" / "01_behavior_analysis.ipynb")
    assert own["clean_lines"] < bundled["clean_lines"]  # the relative path was read, not the bundled data
    page = (tmp_path / "own" / "01_behavior_analysis.html").read_text(encoding="utf-8")
    assert external_scripts(page) == [] and str(tmp_path / "shop.csv") in page
    assert (tmp_path / "own" / "index.html").is_file()
