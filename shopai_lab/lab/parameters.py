"""The notebook parameter vocabulary: one name, meaning, kind and unit for each knob, in every notebook.

Every numbered notebook declares its parameters in one code cell tagged ``parameters`` (papermill's
convention): plain assignments of literals, each with a trailing comment that says what it means.
:func:`notebook_parameters` reads that cell without running it, so the command line (``shopai-lab list``,
``shopai-lab run -p``), the tests and the README all take a notebook's parameters from the notebook itself.

A name that several notebooks use means the same thing in each. This module writes those names down once:

- :data:`SHARED`: the shared names with their meaning, kind and unit;
- :data:`NAMING_RULES`: what the other names follow (a length of time carries its unit, ``*_weeks``,
  ``*_days``; a count starts with ``n_``; a share ends in ``_share``);
- :data:`RETIRED`: names that are no longer used, and what replaced them (the command line names the
  replacement when one is passed; no notebook accepts them).

:func:`vocabulary_problems` lists where a parameters cell departs from these; the test suite runs it on
every notebook. ``python -m shopai_lab.lab.parameters`` prints the vocabulary as a table.
"""

from __future__ import annotations

import ast
import io
import numbers
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _count(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


#: what a parameter's default may be, by kind (``None`` is allowed only where the kind says so)
KINDS: dict[str, Callable[[Any], bool]] = {
    "path or None": lambda v: v is None or isinstance(v, str),
    "column map or None": lambda v: v is None or isinstance(v, (dict, str)),
    "string": lambda v: isinstance(v, str),
    "count": _count,
    "positive count": lambda v: _count(v) and v > 0,
    "number": _number,
    "share": lambda v: _number(v) and 0 <= v <= 1,
    "list of layer sizes": lambda v: isinstance(v, list) and len(v) > 0 and all(_count(n) and n > 0 for n in v),
    "count or list of names": lambda v: _count(v) or (isinstance(v, list) and all(isinstance(n, str) for n in v)),
    "list of shares": lambda v: isinstance(v, list) and len(v) > 0 and all(_number(x) and 0 <= x <= 1 for x in v),
    "list of numbers": lambda v: isinstance(v, list) and len(v) > 0 and all(_number(x) for x in v),
    "list of positive counts": lambda v: isinstance(v, list) and len(v) > 0 and all(_count(n) and n > 0 for n in v),
}


@dataclass(frozen=True)
class Parameter:
    """A notebook parameter name with one meaning wherever it is used.

    ``every_notebook``: every numbered notebook declares it.
    """

    name: str
    kind: str
    unit: str
    meaning: str
    every_notebook: bool = False


#: the names several notebooks share; each means the same thing in every notebook that declares it
SHARED: tuple[Parameter, ...] = (
    Parameter(
        "data_path",
        "path or None",
        "file",
        "the notebook's input file (CSV, TSV or Parquet); None: the bundled data",
        every_notebook=True,
    ),
    Parameter(
        "column_map",
        "column map or None",
        "",
        'your column names mapped to canonical ones, {"your column": "canonical column"}, as a dict or JSON text; '
        "None: the names are recognised",
        every_notebook=True,
    ),
    Parameter(
        "currency",
        "string",
        "ISO 4217 code",
        "currency of the data's prices, printed with every amount, money column and axis label "
        "(every notebook that prints money declares it)",
    ),
    Parameter(
        "seed",
        "count",
        "",
        "seed of every random draw in the notebook, passed on as random_state; where a notebook needs several "
        "streams it derives them (seed, seed + 1, ...)",
        every_notebook=True,
    ),
    Parameter("n_boot", "positive count", "resamples", "bootstrap resamples of every (paired) interval"),
    Parameter(
        "n_seeds",
        "positive count",
        "runs",
        "independent simulation runs (or planted sets), each seeded from seed; comparisons are paired by run",
    ),
    Parameter("k", "positive count", "products", "length of each recommendation list (the @k of the metrics)"),
    Parameter("top_n", "positive count", "rows", "rows shown of a ranked list (and exported, where it is exported)"),
    Parameter(
        "hidden_layers",
        "list of layer sizes",
        "units per layer",
        "hidden layer sizes of the notebook's multilayer perceptron",
    ),
    Parameter(
        "horizon_weeks",
        "positive count",
        "weeks",
        "how far ahead the notebook predicts: customer value over the next horizon_weeks (05), demand 1 to "
        "horizon_weeks weeks ahead (06)",
    ),
    Parameter(
        "test_days",
        "positive count",
        "days",
        "the last test_days days of the data are the test period (and, inside the training data, the validation "
        "period)",
    ),
    Parameter("test_size", "share", "share", "share of the rows held out for the test, when the data have no split"),
    Parameter("als_iterations", "positive count", "sweeps", "alternating least-squares sweeps of ALS"),
    Parameter(
        "incentive_cost", "number", "currency", "cost of offering the incentive once (to a session or a customer)"
    ),
    Parameter("conversion_value", "number", "currency", "margin earned on one purchase that the incentive brings"),
    Parameter(
        "n_rounds",
        "positive count",
        "rounds",
        "rounds a feedback loop runs forward (12: one basket per simulated customer per round); each round the "
        "policy acts, the simulated world responds and the model is refitted",
    ),
    Parameter(
        "feedback_strength",
        "share",
        "probability",
        "chance that a product in a simulated basket comes from the list the customer was shown (12); 0: "
        "recommendations do not change purchases",
    ),
    Parameter(
        "contamination",
        "share",
        "share of invoices",
        "share of invoices planted as anomalies in the real ones, and the share a reviewer is shown (08, 12)",
    ),
    Parameter(
        "validation_seed",
        "count",
        "",
        "seed of the planting that every choice is made on (calibration, neighbourhood, ensemble), kept apart "
        "from the plantings that are measured (08) and from every loop's world (12)",
    ),
    Parameter(
        "target_accuracy",
        "share",
        "accuracy",
        "accuracy required of the messages answered automatically; the hand-over threshold is chosen to meet it "
        "(09 once on validation, 12 again every week)",
    ),
)


@dataclass(frozen=True)
class NamingRule:
    """A naming pattern: every parameter whose name matches means a value of this kind and unit."""

    pattern: str
    kind: str
    unit: str
    meaning: str

    def matches(self, name: str) -> bool:
        """Whether ``name`` follows this rule's pattern (``"n_*"``, ``"*_weeks"``)."""
        if self.pattern.endswith("*"):
            return name.startswith(self.pattern[:-1])
        return name.endswith(self.pattern[1:])


#: patterns the other names follow: a length of time carries its unit, a count starts with ``n_``
NAMING_RULES: tuple[NamingRule, ...] = (
    NamingRule("*_weeks", "number", "weeks", "a length of time (or a number of weeks), in weeks"),
    NamingRule("*_days", "count", "days", "a length of time, in days"),
    NamingRule("*_path", "path or None", "file", "a file or folder; None: the bundled data, or none"),
    NamingRule("*_share", "share", "share", "a share of a whole, in [0, 1]"),
    NamingRule("*_shares", "list of shares", "shares", "several shares of a whole (a sensitivity), each in [0, 1]"),
    NamingRule("*_size", "share", "share", "a share of the rows, in [0, 1] (scikit-learn's test_size)"),
    NamingRule("*_seed", "count", "", "the seed of one named draw, kept apart from the streams of seed"),
    NamingRule("n_*", "positive count", "", "a count (n_boot resamples, n_seeds runs, n_splits splits)"),
)

#: names that are no longer parameters, and what to use instead (no notebook declares them)
RETIRED: dict[str, str] = {
    "bootstrap_draws": "n_boot",
    "mlp_hidden": "hidden_layers",
    "review_top_n": "top_n",
    "seeds": "n_seeds (runs seeded seed, seed + 1, ...)",
    "horizon": "horizon_weeks (a forecast or value horizon) or customers_per_run (a simulation's length)",
    "random_state": "seed (the library's random_state is a notebook's seed)",
    "relevance_weight": "loss_margin_share (02 chooses the re-ranking weight on the validation period)",
    "risk_weeks": "holdout_weeks (05's churn list uses the horizon its classifier was checked on)",
    "candidates": "n_candidates of notebook 02 (03's product re-ranker moved to 02's house pipeline)",
}

#: words that name a length of time: a parameter named after one must carry the unit (``holdout_weeks``)
TIME_WORDS = ("horizon", "window", "period", "holdout", "lead_time", "duration", "lookback")

VOCABULARY: dict[str, Parameter] = {p.name: p for p in SHARED}

#: one notebook's names whose value may have another type than the default's: name -> its kind (of :data:`KINDS`);
#: ``shopai-lab run`` checks a value against it instead of against the default's type
OWN_KINDS: dict[str, str] = {
    "oos_intents": "count or list of names",  # 09: a number of intents drawn at random, or the intents themselves
    "k_range": "list of positive counts",  # 01: smallest and largest number of clusters
    "sensitivity_uplifts": "list of shares",  # 03
    "sensitivity_margins": "list of shares",  # 04
    "lof_candidates": "list of positive counts",  # 08
    "epsilons": "list of numbers",  # 08: privacy budgets
    "trend_weights": "list of numbers",  # 11
    "tail_quotas": "list of shares",  # 11
    "price_ratio_caps": "list of numbers",  # 11
    "feedback_strengths": "list of shares",  # 12
}


def _literal(source: str) -> Any:
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def read_parameters_cell(source: str, where: str = "the parameters cell") -> dict[str, dict[str, Any]]:
    """Parameters assigned in the source of a ``parameters`` cell.

    Returns ``{name: {"default": source text of the value, "value": the value (when it is a literal),
    "help": trailing comment}}`` in the order of the cell. The cell is parsed with :mod:`ast`, not run.

    Examples
    --------
    >>> read_parameters_cell("seed = 0  # seed of every draw\\nk = 10")["seed"]
    {'default': '0', 'value': 0, 'help': 'seed of every draw'}
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"{where} is not valid Python ({exc.msg})") from exc
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }
    params: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else ([node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else [])
        )
        for target in targets:
            if isinstance(target, ast.Name):
                default = ast.get_source_segment(source, node.value)
                params[target.id] = {
                    "default": default,
                    "value": _literal(default),
                    "help": comments.get(node.end_lineno, ""),
                }
    return params


def notebook_parameters(path: str | Path) -> dict[str, dict[str, Any]]:
    """Parameters assigned in the notebook's cell tagged ``parameters`` (``{}`` without one).

    See :func:`read_parameters_cell` for what each entry holds. Any valid Python assignment counts,
    whatever its comment says.
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    return read_parameters_cell(cells[0].source, f"{Path(path).stem}: its parameters cell")


def rule_for(name: str) -> Parameter | NamingRule | None:
    """The shared name or naming rule that defines ``name`` (``None``: a name of one notebook's own).

    Examples
    --------
    >>> rule_for("n_boot").meaning
    'bootstrap resamples of every (paired) interval'
    >>> rule_for("holdout_weeks").unit, rule_for("gross_margin")
    ('weeks', None)
    """
    if name in VOCABULARY:
        return VOCABULARY[name]
    return next((rule for rule in NAMING_RULES if rule.matches(name)), None)


def vocabulary_problems(parameters: Mapping[str, Mapping[str, Any]], notebook: bool = True) -> list[str]:
    """Where a notebook's parameters depart from the vocabulary; ``[]`` when they follow it.

    ``parameters`` is :func:`notebook_parameters` (or :func:`read_parameters_cell`) of one notebook.
    Checked: no retired name; every name that names a length of time carries its unit; each default is a
    literal of the kind its shared name or naming rule says; every parameter has a comment; and, for a
    numbered notebook (``notebook=True``), the names every notebook declares are there.

    Examples
    --------
    >>> cell = "window = 4  # weeks averaged\\nn_boot = 0.5  # resamples\\nbootstrap_draws = 200"
    >>> for problem in vocabulary_problems(read_parameters_cell(cell), notebook=False):
    ...     print(problem)
    window: a length of time carries its unit in the name (window_weeks, window_days)
    n_boot: default 0.5 is not a positive count
    bootstrap_draws: retired, use n_boot
    """
    problems = []
    for name, info in parameters.items():
        if name in RETIRED:
            problems.append(f"{name}: retired, use {RETIRED[name]}")
            continue
        rule = rule_for(name)
        if any(name == word or name.endswith(f"_{word}") for word in TIME_WORDS):
            problems.append(f"{name}: a length of time carries its unit in the name ({name}_weeks, {name}_days)")
        value = info.get("value", _literal(info.get("default", "")))
        if value is _NOT_LITERAL:
            problems.append(f"{name}: default {info.get('default')!s} is not a literal")
        elif rule is not None and not KINDS[rule.kind](value):
            problems.append(f"{name}: default {info.get('default')!s} is not a {rule.kind}")
        elif rule is None and name in OWN_KINDS and not KINDS[OWN_KINDS[name]](value):
            problems.append(f"{name}: default {info.get('default')!s} is not a {OWN_KINDS[name]}")
        if not info.get("help"):
            problems.append(f"{name}: no comment saying what it means")
    if notebook:
        missing = [p.name for p in SHARED if p.every_notebook and p.name not in parameters]
        problems += [f"{name}: missing (every notebook declares it)" for name in missing]
    return problems


def retired_hint(names) -> str:
    """``" (bootstrap_draws is now n_boot)"`` for the retired names among ``names``; ``""`` for none."""
    hints = [f"{name} is now {RETIRED[name]}" for name in names if name in RETIRED]
    return f" ({'; '.join(hints)})" if hints else ""


def vocabulary_table() -> str:
    """The shared names and the naming rules as a Markdown table."""
    rows = [f"| `{p.name}` | {p.kind} | {p.unit} | {p.meaning} |" for p in SHARED]
    rows += [f"| `{r.pattern}` | {r.kind} | {r.unit} | {r.meaning} |" for r in NAMING_RULES]
    return "\n".join(["| name | kind | unit | meaning |", "|---|---|---|---|", *rows])


if __name__ == "__main__":  # pragma: no cover
    print(vocabulary_table())
