# The two commands: `make report` (set up, run every notebook on the bundled data into reports/)
# and `make test` (set up, run the whole test suite). Both create .venv when it is missing.
# For the edit loop: `make test-fast` (unit tests and doctests: no notebook run, no Spark; under 2 min on 2 cores).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# extras installed by setup: dev (tests, notebooks), spark (pyspark for notebook 10, which also needs Java 17/21;
# without Java its tests skip and `make report` leaves it out) and deep (JAX on the CPU for the neural sequential
# recommender; without it its tests skip). `make test EXTRAS=dev` skips both heavy stacks.
EXTRAS ?= dev,spark,deep
# one stamp per set of extras: asking for another set installs it into the same .venv
comma := ,
# the suite runs on TEST_WORKERS processes (pytest-xdist), each notebook or test file whole on one of them, with
# one BLAS/OpenMP thread per process: results do not depend on the thread count (nbval passes either way), and
# pools that spin-wait for a busy core made single fits 20x slower. `make test TEST_WORKERS=1` runs it serially.
# --no-loadscope-reorder keeps the collection order, in which the root conftest.py puts the files that run a
# notebook first: the long runs start first and the many short files fill the end, so no worker waits on one.
TEST_WORKERS ?= 2
TEST_THREADS := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))

.PHONY: setup report test test-fast lint notebooks drift bench bench-spark clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "ShopAI Lab needs Python 3.11 or newer: $(PYTHON) is $$($(PYTHON) --version 2>&1); try make PYTHON=python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/shopai-lab run --output-dir reports --html --no-progress

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_THREADS) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# unit tests and doctests only: the tests marked `notebook` (nbval's cells and the papermill runs on another shop's
# file, see pyproject.toml) and `spark` (a JVM per process) are left out; `make test` runs them
test-fast: $(STAMP)
	$(TEST_THREADS) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not notebook and not spark"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

notebooks: $(STAMP)
	$(BIN)/shopai-lab refresh --no-progress

# before `make notebooks`: which stored numbers a re-run moves, against their tolerance (NB=02 for one notebook)
drift: $(STAMP)
	$(TEST_THREADS) $(BIN)/shopai-lab drift $(NB) --no-progress

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[bench]'
	$(BIN)/python benchmarks/bench_rfm.py
	$(BIN)/python benchmarks/bench_bandits.py
	$(BIN)/python benchmarks/bench_implicit.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_forecast.py
	$(BIN)/python benchmarks/bench_experiments.py
	$(BIN)/python benchmarks/bench_anomaly.py
	$(BIN)/python benchmarks/bench_anomaly_features.py
	$(BIN)/python benchmarks/bench_privacy.py
	$(BIN)/python benchmarks/bench_notebooks.py

bench-spark: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[spark]'
	$(BIN)/python benchmarks/bench_spark.py --lines 50000000 --pandas-lines 5000000

clean:
	rm -rf reports .pytest_cache
