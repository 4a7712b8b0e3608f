"""The layer rules of shopai_lab._layers hold for every import in the package (and no domain but those allowed
reads a file), and the rules themselves are up to date.

Every module is parsed, not imported: imports at the top, inside functions and under TYPE_CHECKING all
count; ``from shopai_lab import x``, relative imports and ``importlib.import_module("shopai_lab...")`` are
resolved to the package they name. Docstrings are not code, so doctest examples that load data are free.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import shopai_lab
from shopai_lab import _layers

PACKAGE = Path(shopai_lab.__file__).resolve().parent


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file
    line: int
    importer: str  # dotted module name of the importing file
    target: str  # dotted module (or object) name imported, e.g. "shopai_lab.data.cleaning.net_of_returns"

    def where(self) -> str:
        return f"{self.path.relative_to(PACKAGE.parent)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve_relative(importer: str, is_package: bool, level: int, module: str | None) -> str:
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([module] if module else []))


def imports_of(path: Path, source: str | None = None) -> list[Import]:
    """Every import of a name in shopai_lab that ``path`` makes (or ``source``, read as if it were ``path``)."""
    importer = module_name(path)
    source = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(source, filename=str(path))
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                module = _resolve_relative(importer, path.name == "__init__.py", node.level, node.module)
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names if alias.name != "*"] or [module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            targets = [node.args[0].value]
        found += [Import(path, node.lineno, importer, t) for t in targets if t.split(".")[0] == "shopai_lab"]
    return found


def unit_of(dotted: str) -> str:
    """The top-level module or subpackage of a dotted name in shopai_lab ("" for the package root)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


ALL_IMPORTS = [imp for path in package_modules() for imp in imports_of(path)]


def private_part(imp: Import) -> str | None:
    """The first private segment of the imported name below its unit, if any."""
    for segment in imp.target.split(".")[2:]:
        if segment.startswith("_") and not segment.startswith("__"):
            return segment
    return None


def violations(imports: list[Import]) -> list[str]:
    problems = []
    for imp in imports:
        source, target = unit_of(imp.importer), unit_of(imp.target)
        if not _layers.allowed(source, target, imp.target.rsplit(".", 1)[-1]):
            problems.append(
                f"{imp.where()}: {source or 'shopai_lab'} ({_layers.layer_of(source)}) imports {imp.target} "
                f"({target}, {_layers.layer_of(target)}): not allowed by shopai_lab._layers"
            )
        elif source != target and private_part(imp) and imp.target not in _layers.PRIVATE_IMPORTS:
            problems.append(
                f"{imp.where()}: {source} imports the private {private_part(imp)!r} of another package "
                f"({imp.target}); make it public or move it to the shared layer"
            )
    return problems


def test_every_import_follows_the_layer_rules():
    assert ALL_IMPORTS, "no import found: the parser is broken"
    problems = violations(ALL_IMPORTS)
    assert not problems, "layer rules broken:\n" + "\n".join(problems)


#: Calls that read a file: pandas' and numpy's readers, pathlib's, the builtin open.
FILE_READERS = frozenset(
    {"open", "load", "read_csv", "read_parquet", "read_excel", "read_json", "read_table", "read_fwf"}
    | {"read_pickle", "read_feather", "read_text", "read_bytes", "read_orc", "read_sas", "read_stata"}
)


def file_reads(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, call) of every call in ``path`` whose name is one of :data:`FILE_READERS`."""
    source = path.read_text(encoding="utf-8") if source is None else source
    reads = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in FILE_READERS:
                reads.append((node.lineno, name))
    return reads


def reading_violations(path: Path, source: str | None = None) -> list[str]:
    unit = unit_of(module_name(path))
    if _layers.layer_of(unit) != "domain" or unit in _layers.READS_FILES:
        return []
    where = path.relative_to(PACKAGE.parent)
    return [
        f"{where}:{line}: the domain {unit} reads a file ({call}); load it in shopai_lab.data"
        for line, call in file_reads(path, source)
    ]


def test_domains_do_not_read_files():
    problems = [problem for path in package_modules() for problem in reading_violations(path)]
    assert not problems, "\n".join(problems)
    readers = {unit_of(module_name(p)) for p in package_modules() if file_reads(p)}
    assert set(_layers.READS_FILES) <= readers, "a domain listed in READS_FILES reads no file any more: remove it"
    probe = "import pandas as pd\ndef load_messages(path):\n    return pd.read_csv(path)\n"
    assert reading_violations(PACKAGE / "support" / "_probe.py", probe) == [
        "shopai_lab/support/_probe.py:3: the domain support reads a file (read_csv); load it in shopai_lab.data"
    ]
    assert reading_violations(PACKAGE / "data" / "_probe.py", probe) == []


def test_every_top_level_module_and_subpackage_is_in_a_layer():
    units = {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    units |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    for unit in sorted(units):
        _layers.layer_of(unit)  # raises, naming the unit, when it is in no layer
    listed = set(_layers.SHARED) | set(_layers.DOMAINS) | {_layers.DATA, _layers.RUNNER}
    assert listed <= units, f"layers name modules that do not exist: {sorted(listed - units)}"


def test_every_allowed_cross_domain_import_is_used_and_explained():
    used = {(unit_of(i.importer), unit_of(i.target), i.target.rsplit(".", 1)[-1]) for i in ALL_IMPORTS}
    stale = [
        (importer, imported, name)
        for (importer, imported), (names, _) in _layers.CROSS_DOMAIN.items()
        for name in sorted(names)
        if (importer, imported, name) not in used
    ]
    assert not stale, f"allowed imports no module makes any more (remove them): {stale}"
    for (importer, imported), (_, reason) in _layers.CROSS_DOMAIN.items():
        assert _layers.layer_of(importer) == "domain" and _layers.layer_of(imported) in ("domain", "data")
        assert len(reason) > 20, f"{importer} -> {imported} needs a reason"
    targets = {i.target for i in ALL_IMPORTS}
    assert set(_layers.PRIVATE_IMPORTS) <= targets, "a private-import exception is no longer used: remove it"


@pytest.mark.parametrize(
    "package, source, expected",
    [
        ("recommend", "from shopai_lab.behavior.rfm import rfm\n", "(domain) imports shopai_lab.behavior.rfm.rfm"),
        ("recommend", "def f():\n    from shopai_lab import behavior\n", "imports shopai_lab.behavior"),
        ("data", "import shopai_lab.lab.paths\n", "data (data) imports shopai_lab.lab.paths (lab, lab)"),
        ("anomaly", "from ..data import NON_PRODUCT_PATTERN\n", "imports shopai_lab.data.NON_PRODUCT_PATTERN"),
        ("stats", "import importlib\nimportlib.import_module('shopai_lab.clv')\n", "imports shopai_lab.clv"),
        ("recommend", "from shopai_lab.propensity.sessions import _layers\n", "sessions._layers (propensity"),
        ("forecast", "from shopai_lab.data import NON_PRODUCT_PATTERN\n", "not allowed"),  # another name
        ("spark", "from shopai_lab import data\n", "spark (domain) imports shopai_lab.data (data"),  # whole package
        ("spark", "from shopai_lab.behavior.rfm import _check_purchases\n", "rfm._check_purchases"),
        ("clv", "from shopai_lab.pricing.demand import _cost\n", "imports shopai_lab.pricing.demand._cost"),
    ],
)
def test_the_checker_catches_each_form_of_a_forbidden_import(package, source, expected):
    folder = PACKAGE / package if (PACKAGE / package).is_dir() else PACKAGE
    module = folder / ("_probe.py" if folder != PACKAGE else f"{package}.py")  # parsed as if it were there
    problems = violations(imports_of(module, source))
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith(f"{module.relative_to(PACKAGE.parent)}:")


def test_the_checker_allows_what_the_rules_allow():
    source = (
        "from shopai_lab import _validation, stats\n"
        "from shopai_lab.plotting import axes_or_new\n"
        "from shopai_lab.spark.session import require_pyspark\n"
        "from shopai_lab.behavior import RFM_COLUMNS\n"
        "from shopai_lab.data import RULES\n"
        "from .cleaning import _check_frame\n"
        '"""\n>>> from shopai_lab.lab import record\n"""\n'
    )
    found = imports_of(PACKAGE / "spark" / "_probe.py", source)
    assert "shopai_lab.spark.cleaning._check_frame" in {i.target for i in found}
    assert violations(found) == []
