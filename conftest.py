"""Root conftest: nbval compares numbers in stored notebook outputs at a stable precision."""

pytest_plugins = ["tests.nbval_numbers"]
