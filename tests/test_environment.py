"""pyproject.toml, environment.yml and constraints.txt must name the same packages."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from PyPI names.
CONDA_NAMES = {}
# conda packages with no PyPI counterpart: the Java runtime pyspark needs (pip users install it from the system).
CONDA_ONLY = {"openjdk"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    reqs = [Requirement(r) for r in project["dependencies"] + extras["dev"] + extras["spark"] + extras["deep"]]
    return {_canonical(r.name): str(r.specifier) for r in reqs}


def conda_requirements() -> tuple[dict[str, str], list]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep["pip"])
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", dep)
        name, spec = match.group(1), match.group(2).replace(" ", "")
        conda[_canonical(CONDA_NAMES.get(name, name))] = spec
    return conda, pip


def test_environment_yml_matches_pyproject():
    conda, pip = conda_requirements()
    python_spec = conda.pop("python")
    conda.pop("pip")
    assert conda.pop("openjdk") == "=17"
    assert set(conda) & CONDA_ONLY == set()
    assert {name: str(SpecifierSet(spec)) for name, spec in conda.items()} == pyproject_requirements()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert python_spec == project["requires-python"]
    assert pip == ["-e ."]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]


def test_constraints_pin_every_direct_dependency_within_its_range():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_canonical(name)] = version
    for name, spec in pyproject_requirements().items():
        assert name in pins, f"constraints.txt does not pin {name}"
        assert Requirement(f"{name}{spec}").specifier.contains(pins[name]), (
            f"constraints.txt pins {name}=={pins[name]}, outside {spec}"
        )


def test_the_deep_extra_is_installed_where_ci_requires_it():
    """CI sets SHOPAI_REQUIRE_DEEP=1: the neural recommender's tests must run there, not skip for a missing JAX."""
    import importlib.util
    import os

    if os.environ.get("SHOPAI_REQUIRE_DEEP", "") in ("", "0", "false", "no"):
        pytest.skip("SHOPAI_REQUIRE_DEEP is not set (only CI requires the [deep] extra)")
    assert importlib.util.find_spec("jax") is not None, (
        'SHOPAI_REQUIRE_DEEP is set but JAX is missing: pip install -e ".[deep]"'
    )
