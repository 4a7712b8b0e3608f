import numpy as np
import pandas as pd
import pytest

from shopai_lab import experiments as ex


def test_population_of_the_bundled_shop(population):
    customers = population.customers
    assert len(customers) == 3_363
    assert population.n_weeks == 13
    assert population.pre_period_end == pd.Timestamp("2011-09-09")
    np.testing.assert_allclose(population.weekly_revenue[:, -1], customers["revenue"])
    assert set(ex.COVARIATES) <= set(customers.columns)
    assert customers["converted"].mean() == pytest.approx(0.569, abs=0.001)


def test_population_refuses_overlap_and_running_past_the_data(cleaned_retail):
    purchases = cleaned_retail.purchases
    with pytest.raises(ValueError, match="overlaps the pre-period"):
        ex.experiment_population(purchases, "2011-09-01", 8, experiment_start="2011-08-15")
    with pytest.raises(ValueError, match="runs past the data"):
        ex.experiment_population(purchases, "2011-11-01", 13)


def test_population_does_not_modify_purchases(cleaned_retail):
    lines = cleaned_retail.purchases.head(20_000).copy()
    before = lines.copy()
    ex.experiment_population(lines, "2010-12-08", 1)
    pd.testing.assert_frame_equal(lines, before)


def test_aa_false_positives_and_coverage_on_real_customers(population):
    T = ex.random_assignments(len(population.customers), 1000, random_state=18)
    methods = ("welch", "cuped", "regression (HC2)", "two proportions", "relative lift", "revenue per order")
    res = ex.simulate_splits(population.customers, T, methods=methods, covariates=list(ex.COVARIATES), progress=False)
    table = ex.summarize_splits(res)
    low, high = ex.aa_tolerance(0.05, 1000)  # three binomial standard errors
    assert table["rejection_rate"].between(low, high).all(), table
    assert table["coverage"].between(1 - high, 1 - low).all()


def test_ab_simulation_knows_the_truth(population):
    customers = population.customers
    T = ex.random_assignments(len(customers), 300, random_state=19)
    res = ex.simulate_splits(customers, T, methods=("welch", "cuped"), lift=0.2, progress=False)
    truth = 0.2 * customers["revenue"].mean()
    assert (res["truth"] == truth).all()
    cuped = res[res["method"] == "cuped"]
    # the mean of 300 estimates is within 4 standard errors of the truth
    assert abs(cuped["estimate"].mean() - truth) < 4 * cuped["estimate"].std() / np.sqrt(300)
    table = ex.summarize_splits(res)
    assert table.loc["cuped", "rejection_rate"] > table.loc["welch", "rejection_rate"]


def test_random_assignments_designs():
    T = ex.random_assignments(1001, 50, design="complete", random_state=1)
    assert (T.sum(axis=1) == 500).all()
    B = ex.random_assignments(1000, 400, random_state=1)
    assert B.mean() == pytest.approx(0.5, abs=0.005)
    assert np.array_equal(B, ex.random_assignments(1000, 400, random_state=1))
