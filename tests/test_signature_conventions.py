"""Two conventions of every public signature in ``shopai_lab`` (CONTRIBUTING.md, Vocabulary): ``currency`` is never a
default inside the library (a caller always says which one), and ``random_state`` defaults to a seed, so
that a call without one gives the same answer every time."""

import importlib
import inspect
import pkgutil

import pytest

import shopai_lab

#: functions whose ``random_state`` defaults to None on purpose, with the reason
FRESH_RANDOMNESS = {
    "privacy.laplace_mechanism": "a release needs fresh noise: noise from a known seed can be subtracted",
    "privacy.dp_cohort_retention": "a release needs fresh noise (it calls laplace_mechanism)",
}


def public_signatures():
    """``(module.name, parameter)`` for every parameter of every public function and class constructor."""
    modules = ["schema", "stats", "report", "plotting"]
    modules += [m.name for m in pkgutil.iter_modules(shopai_lab.__path__) if m.ispkg]
    for module_name in modules:
        module = importlib.import_module(f"shopai_lab.{module_name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            function = obj.__init__ if inspect.isclass(obj) else obj
            if not callable(function):
                continue
            try:
                signature = inspect.signature(function)
            except (TypeError, ValueError):  # a builtin without a signature
                continue
            for parameter in signature.parameters.values():
                yield f"{module_name}.{name}", parameter


SIGNATURES = list(public_signatures())


def test_the_sweep_sees_the_library():
    names = {name for name, _ in SIGNATURES}
    assert {"report.money", "pricing.plot_regret", "anomaly.review_queue", "experiments.XLearner"} <= names
    assert len(names) > 300


@pytest.mark.parametrize("name, parameter", [pytest.param(n, p, id=n) for n, p in SIGNATURES if p.name == "currency"])
def test_currency_is_never_a_default(name, parameter):
    assert parameter.default is inspect.Parameter.empty, f"{name} defaults currency to {parameter.default!r}"


def test_random_state_defaults_to_a_seed():
    unseeded = sorted(name for name, p in SIGNATURES if p.name == "random_state" and p.default is None)
    assert unseeded == sorted(FRESH_RANDOMNESS)
