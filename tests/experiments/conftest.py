"""Fixtures of the experiments tests: the bundled shop's experiment population, built once."""

import pytest

from shopai_lab.data import net_of_returns
from shopai_lab.experiments import experiment_population


@pytest.fixture(scope="session")
def population(cleaned_retail):
    purchases = net_of_returns(cleaned_retail.purchases, cleaned_retail.returns)
    return experiment_population(purchases, experiment_weeks=13)
