"""The layer rules of :mod:`shopai_lab`, written down once, as data.

``tests/test_layers.py`` reads every module of the package with :mod:`ast` (imports at the top, inside
functions and under ``TYPE_CHECKING`` alike; docstrings are not code) and fails on any import these rules
do not allow, naming the file, the line and the edge.

The layers, from the bottom up:

- **shared** (:data:`SHARED`): the canonical schema, the one set of input checks, statistics, rankings
  stable to last-bit noise, generated sentences, the plot style and the one contract of a feedback loop. It
  imports nothing of the package but itself.
- **data** (:data:`DATA`): files in, tidy frames out (loaders, column maps, cleaning, synthetic shops). It
  imports only the shared layer: a rule of one data set (the bundled data's non-product stock codes) lives
  here, and a domain that needs it receives cleaned data or the rule as a parameter.
- **domains** (:data:`DOMAINS`): one subpackage per business question. A domain imports the shared layer
  and, from another domain or from ``data``, only what an edge of :data:`CROSS_DOMAIN` allows, each with
  its reason. Domains do not read files (loaders live in ``data``), except those in :data:`READS_FILES`.
- **lab** (:data:`RUNNER`): runs the notebooks, so it may import anything; nothing in the package imports it
  (notebooks, tests and benchmarks may).

Names that start with an underscore stay inside their package: an import from another package never
names a private module or object, except the shared layer's own private modules (``_validation``) and
the exceptions listed in :data:`PRIVATE_IMPORTS`.
"""

from __future__ import annotations

#: The shared layer: imports no domain, no ``data`` and no ``lab``.
SHARED: frozenset[str] = frozenset(
    {"schema", "_validation", "stats", "ranking", "report", "plotting", "simulation", "_layers"}
)

#: Files in, tidy frames out; imports only :data:`SHARED`.
DATA = "data"

#: One subpackage per business question.
DOMAINS: frozenset[str] = frozenset(
    {
        "behavior",
        "recommend",
        "propensity",
        "pricing",
        "clv",
        "forecast",
        "experiments",
        "anomaly",
        "privacy",
        "support",
        "spark",
        "fairness",
    }
)

#: Runs the notebooks: may import anything; imported by nothing in the package.
RUNNER = "lab"

#: ``(importer, imported) -> (names, reason)``: the only imports from ``data`` or another domain that a domain
#: may make, name by name (``from shopai_lab.data import net_of_returns``; never the whole package).
CROSS_DOMAIN: dict[tuple[str, str], tuple[frozenset[str], str]] = {
    ("forecast", "data"): (
        frozenset({"net_of_returns"}),
        "demand nets cancelled quantities off the purchases they cancel with data's one matching rule; the "
        "panel keeps anonymous lines, so it cannot start from clean_transactions",
    ),
    ("support", "data"): (
        frozenset({"check_intents"}),
        "support's functions re-check a frame of labelled messages with the gate data's message loaders apply",
    ),
    ("spark", "data"): (
        frozenset({"resolve_column_map", "RULES", "NON_PRODUCT_PATTERN", "START"}),
        "spark mirrors data's column map, cleaning rules (their order, and the bundled data's non-product codes "
        "as clean_transactions' default) and the simulated shop's start, and is checked equal to them",
    ),
    ("spark", "behavior"): (
        frozenset({"PURCHASE_COLUMNS", "RFM_COLUMNS", "SEGMENT_GRID"}),
        "spark mirrors behavior's RFM and its segment grid, and is checked equal to them",
    ),
}

#: ``domain -> reason``: the only domains that may read files (``open``, ``read_csv``, ``read_parquet``, ...).
READS_FILES: dict[str, str] = {
    "spark": "Spark's own I/O: a shop beyond one machine is read by Spark, not by pandas through data, and the "
    "simulated shop's Parquet parts and manifest are read back (and the session writes its log settings)",
}

#: ``"module.name" -> reason``: private objects another package may still import (to be made public).
PRIVATE_IMPORTS: dict[str, str] = {}


def layer_of(unit: str) -> str:
    """The layer of a top-level module or subpackage of :mod:`shopai_lab` (``""``: the package root).

    Examples
    --------
    >>> layer_of("stats"), layer_of("data"), layer_of("clv"), layer_of("lab")
    ('shared', 'data', 'domain', 'lab')
    """
    if unit == "" or unit in SHARED:
        return "shared"
    if unit == DATA:
        return "data"
    if unit in DOMAINS:
        return "domain"
    if unit == RUNNER:
        return "lab"
    raise ValueError(f"shopai_lab.{unit} is in no layer: add it to shopai_lab._layers")


def allowed(importer: str, imported: str, name: str) -> bool:
    """Whether top-level unit ``importer`` may import ``name`` from unit ``imported`` (see the module docstring).

    Examples
    --------
    >>> allowed("clv", "stats", "paired_bootstrap"), allowed("clv", "behavior", "rfm")
    (True, False)
    >>> allowed("spark", "behavior", "RFM_COLUMNS"), allowed("spark", "behavior", "rfm")
    (True, False)
    >>> allowed("data", "lab", "data_dir"), allowed("lab", "spark", "SparkALS")
    (False, True)
    """
    if importer == imported:
        return True
    source, target = layer_of(importer), layer_of(imported)
    if source == "lab":
        return True
    if target == "shared":
        return True
    if source == "shared" or target == "lab":
        return False
    if source == "data":
        return False
    names, _ = CROSS_DOMAIN.get((importer, imported), (frozenset(), ""))
    return name in names
