"""The numbered notebooks: find them by name or number, and check the parameters a run passes them.

Every check here runs before a kernel starts, so a mistake costs one clear line, not a traceback at cell 15.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from shopai_lab.lab.parameters import KINDS, OWN_KINDS, retired_hint, rule_for
from shopai_lab.lab.parameters import notebook_parameters as _read_parameters
from shopai_lab.lab.paths import notebooks_dir


class CliError(Exception):
    """A usage error reported to the user without a traceback."""


#: notebooks that need Spark (the ``[spark]`` extra and Java): left out of "every notebook" where Spark is missing.
NEEDS_SPARK = ("10_spark_at_scale",)


def available_notebooks(folder: Path | None = None) -> list[Path]:
    """The numbered notebooks (``NN...ipynb``) in ``folder`` (default :func:`notebooks_dir`), sorted."""
    folder = notebooks_dir() if folder is None else folder
    return sorted(p for p in Path(folder).glob("[0-9][0-9]*.ipynb") if p.is_file())


def _runnable(path: Path) -> bool:
    if path.stem not in NEEDS_SPARK:
        return True
    from shopai_lab.spark import spark_available

    return spark_available()


def _matches(name: str, notebooks: list[Path]) -> list[Path]:
    """Notebooks that ``name`` names: the same stem; for a bare number, the notebook of that number
    (``1`` and ``01`` name ``01_...``, never ``10_...``); otherwise a prefix of the stem."""
    stem = Path(name).name.removesuffix(".ipynb")
    exact = [p for p in notebooks if p.stem == stem]
    if exact:
        return exact
    if stem.isdigit():
        return [p for p in notebooks if int(re.match(r"\d+", p.stem).group()) == int(stem)]
    return [p for p in notebooks if p.stem.startswith(stem)]


def _spark_hint() -> str:
    from shopai_lab.spark import INSTALL_HINT

    return INSTALL_HINT


def resolve_notebooks(names: Sequence[str], folder: Path | None = None) -> list[Path]:
    """Notebooks named by ``names``: a file name, a stem, a number (``1`` or ``01``) or a unique prefix.

    No names means every numbered notebook, except the Spark notebook where pyspark or Java is
    missing (a note on stderr says so); naming that notebook there is an error with the install hint.
    A name that matches no notebook, or more than one, is a :class:`CliError` listing the notebooks.
    """
    notebooks = available_notebooks(folder)
    if not notebooks:
        raise CliError(
            f"no numbered notebooks found in {str(folder or notebooks_dir())!r}; run `shopai-lab init DIR` to copy "
            "them into a working folder, or set SHOPAI_LAB_NOTEBOOKS_DIR to the folder that holds them"
        )
    if not names:
        skipped = [p for p in notebooks if not _runnable(p)]
        if skipped:
            print(
                f"left out {', '.join(p.stem for p in skipped)}: pyspark or Java missing; {_spark_hint()}",
                file=sys.stderr,
            )
        return [p for p in notebooks if _runnable(p)]
    chosen = []
    for name in names:
        matches = _matches(name, notebooks)
        if len(matches) != 1:
            known = ", ".join(p.stem for p in notebooks)
            what = "matches no" if not matches else "matches more than one"
            raise CliError(f"{name!r} {what} notebook; available: {known}")
        if not _runnable(matches[0]):
            raise CliError(f"{matches[0].stem} needs Spark, and pyspark or Java is missing: {_spark_hint()}")
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


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


#: the type a value must have, read off the notebook's default: (test, name of the type)
_TYPES_OF_DEFAULTS: tuple[tuple[type | tuple[type, ...], Any, str], ...] = (
    (bool, lambda v: isinstance(v, bool), "true or false"),
    (int, lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    (float, _is_number, "a number"),
    (str, lambda v: isinstance(v, str), "text"),
    ((list, tuple), lambda v: isinstance(v, list), "a list"),
    (dict, lambda v: isinstance(v, dict), "a JSON object"),
)


def expected_type(name: str, default: Any) -> tuple[Any, str] | None:
    """``(test, description)`` of the values parameter ``name`` accepts, or ``None`` when any value goes.

    A shared name or naming rule of the vocabulary (:mod:`shopai_lab.lab.parameters`) gives its kind, and so
    does :data:`~shopai_lab.lab.parameters.OWN_KINDS` for a name whose values may differ in type from its default;
    otherwise the type of the notebook's default does (an integer default takes integers, a number default any
    number, a list a list; a ``None`` default takes anything).

    Examples
    --------
    >>> expected_type("k_range", [2, 8])[1], expected_type("extreme_threshold", 3.5)[1]
    ('a list of positive counts', 'a number')
    >>> expected_type("n_boot", 200)[1], expected_type("oos_intents", 10)[1]
    ('a positive count', 'a count or list of names')
    """
    rule = rule_for(name)
    if rule is not None:
        return KINDS[rule.kind], f"a {rule.kind}"
    if name in OWN_KINDS:
        return KINDS[OWN_KINDS[name]], f"a {OWN_KINDS[name]}"
    for kind, test, description in _TYPES_OF_DEFAULTS:
        if isinstance(default, kind):
            return test, description
    return None


def check_parameters(path: Path, parameters: Mapping[str, Any]) -> None:
    """Raise :class:`CliError` for a parameter the notebook does not declare, or a value of the wrong type.

    The type a value must have comes from :func:`expected_type`: the vocabulary's kind for a shared name, else
    the type of the notebook's default.
    """
    declared = notebook_parameters(path)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise CliError(
            f"{path.stem} does not declare parameter(s) {unknown}{retired_hint(unknown)}; "
            f"its parameters are {sorted(declared)}"
        )
    for name, value in parameters.items():
        default = declared[name].get("value")
        wanted = expected_type(name, default)
        if wanted is not None and not wanted[0](value):
            raise CliError(
                f"{path.stem}: parameter {name} expects {wanted[1]} (its default is {declared[name]['default']}); "
                f"got {json.dumps(value) if not isinstance(value, str) else repr(value)}"
            )


def resolve_path_parameters(parameters: Mapping[str, Any], base: Path | None = None) -> dict[str, Any]:
    """``parameters`` with every relative path (a text value of a name ending in ``_path``) made absolute.

    The kernel runs in the notebooks' folder, so a path typed on the command line is resolved against the
    caller's working directory (``base``, default the current one) before the run, as ``--output-dir`` is.
    A ``~`` is expanded. Other values, ``None`` and absolute paths pass unchanged.

    Examples
    --------
    >>> resolve_path_parameters({"data_path": "shop.csv", "seed": 1}, Path("/home/ana"))
    {'data_path': '/home/ana/shop.csv', 'seed': 1}
    """
    base = Path.cwd() if base is None else Path(base)
    resolved = dict(parameters)
    for name, value in parameters.items():
        if name.endswith("_path") and isinstance(value, str) and value:
            path = Path(value).expanduser()
            resolved[name] = str(path if path.is_absolute() else (base / path).resolve())
    return resolved
