"""A local SparkSession configured for the lab, and the checks that pyspark and Java are there.

pyspark is an optional extra (``pip install 'shopai-lab[spark]'``) and needs a Java runtime (17 or 21):
every function here imports it inside its body, so the rest of the lab never needs it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopai_lab._validation import require_positive_int, require_string

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

#: The FutureWarning pyspark raises on every pandas conversion under pandas >= 3 (message start).
PANDAS3_WARNING = "PySpark does not yet fully support pandas"

#: The deprecation pandas >= 3 raises when pyspark's conversions pass ``copy=False`` (message start).
PANDAS_COPY_WARNING = "The copy keyword is deprecated"

INSTALL_HINT = (
    "install the extra with `pip install 'shopai-lab[spark]'` (pyspark) and a Java runtime 17 or 21 "
    "(Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`; "
    "conda: `conda install -c conda-forge openjdk=17`), then make `java` visible on PATH or set JAVA_HOME"
)

# The JVM logs to the process's stderr, which notebooks would show: only errors, and no progress bars.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
logger.netty.name = io.netty
logger.netty.level = off
"""


def java_home() -> str | None:
    """The Java runtime pyspark will start: ``JAVA_HOME`` when set, else the folder of ``java`` on PATH.

    Examples
    --------
    >>> java_home() is None or isinstance(java_home(), str)
    True
    """
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return home
    java = shutil.which("java")
    return str(Path(java).resolve().parent.parent) if java else None


def spark_available() -> bool:
    """True when pyspark is importable and a Java runtime is found (what the Spark tests need).

    Examples
    --------
    >>> isinstance(spark_available(), bool)
    True
    """
    return importlib.util.find_spec("pyspark") is not None and java_home() is not None


def require_pyspark() -> Any:
    """Import and return the ``pyspark`` module, or raise ``ImportError`` saying how to install it."""
    if importlib.util.find_spec("pyspark") is None:
        raise ImportError(f"shopai_lab.spark needs pyspark: {INSTALL_HINT}")
    if java_home() is None:
        raise ImportError(f"shopai_lab.spark found pyspark but no Java runtime: {INSTALL_HINT}")
    import pyspark

    return pyspark


@contextlib.contextmanager
def quiet_pandas_conversion() -> Iterator[None]:
    """Silence pyspark's pandas >= 3 warnings while converting between pandas and Spark.

    Exactly two: the FutureWarning that pandas >= 3 is not fully supported, and pandas' deprecation
    of the ``copy`` keyword that pyspark's conversion code still passes.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=PANDAS3_WARNING, category=FutureWarning)
        warnings.filterwarnings("ignore", message=PANDAS_COPY_WARNING, category=DeprecationWarning)
        yield


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Point file descriptor 2 at ``path`` while a child process (the JVM) is started, then restore it.

    The JVM inherits the descriptor, so its own start-up notices and logs go to the file instead of
    the notebook (Jupyter forwards the kernel's descriptor 2 as stderr output).
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with path.open("ab") as handle:
            os.dup2(handle.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _log_config() -> str:
    path = Path(tempfile.gettempdir()) / "shopai_lab_spark_log4j2.properties"
    if not path.exists() or path.read_text() != _LOG4J2:
        path.write_text(_LOG4J2)
    return path.as_uri()


def local_session(
    master: str = "local[2]",
    driver_memory: str = "4g",
    shuffle_partitions: int = 4,
    checkpoint_dir: str | Path | None = None,
    app_name: str = "shopai-lab",
    config: dict[str, str] | None = None,
    log_file: str | Path | None = None,
) -> SparkSession:
    """Start (or reuse) a SparkSession set up for the lab.

    Session time zone UTC (timestamps mean what they mean in pandas), ``shuffle_partitions``
    partitions after a shuffle (Spark's default of 200 is for clusters), no web UI, no console
    progress bar, JVM logging at error level, Arrow for pandas conversions, and a checkpoint
    directory (MLlib's ALS needs one to cut the lineage of many iterations).

    Parameters
    ----------
    master
        ``local[N]`` for N cores of this machine, or a cluster's master URL (``yarn``,
        ``spark://host:7077``, ``k8s://...``). On Databricks and similar, use the session the
        platform gives you instead of this function.
    driver_memory
        JVM heap of the driver, e.g. ``"4g"``; in local mode the driver does all the work.
        Only applies when this call starts the JVM.
    shuffle_partitions
        ``spark.sql.shuffle.partitions``; about 2-4 per core.
    checkpoint_dir
        Folder for checkpoints; ``None``: a fresh temporary folder.
    app_name
        Name shown by the cluster manager.
    config
        Further ``spark.*`` settings.
    log_file
        Where the JVM's own output goes when this call starts it (its logs at error level, and
        Java's start-up notices); ``None``: ``shopai_lab_spark_driver.log`` in the temporary folder.

    Returns
    -------
    pyspark.sql.SparkSession

    Examples
    --------
    >>> session = local_session("local[2]", "2g")  # doctest: +SKIP
    >>> session.conf.get("spark.sql.session.timeZone")  # doctest: +SKIP
    'UTC'
    """
    require_string(master, "master")
    require_string(driver_memory, "driver_memory")
    require_string(app_name, "app_name")
    shuffle_partitions = require_positive_int(shuffle_partitions, "shuffle_partitions")
    if config is not None and not isinstance(config, dict):
        raise TypeError(f"config must be a dict of spark.* settings, got {type(config).__name__}")
    require_pyspark()
    with quiet_pandas_conversion():  # pyspark.sql warns about pandas >= 3 on import
        from pyspark.sql import SparkSession

    checkpoint = (
        Path(checkpoint_dir)
        if checkpoint_dir is not None
        else Path(tempfile.mkdtemp(prefix="shopai_spark_checkpoints_"))
    )
    log_option = f"-Dlog4j2.configurationFile={_log_config()}"
    settings = {
        "spark.driver.memory": driver_memory,
        "spark.driver.extraJavaOptions": log_option,
        "spark.executor.extraJavaOptions": log_option,
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.default.parallelism": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
        "spark.driver.host": "127.0.0.1",
        **(config or {}),
    }
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    log = Path(log_file) if log_file is not None else Path(tempfile.gettempdir()) / "shopai_lab_spark_driver.log"
    with quiet_pandas_conversion(), _stderr_to(log):
        session = builder.getOrCreate()
    for key in ("spark.sql.shuffle.partitions", "spark.sql.session.timeZone"):  # a reused session
        session.conf.set(key, settings[key])
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(checkpoint))
    return session
