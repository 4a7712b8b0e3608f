import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower

from shopai_lab import experiments as ex


@pytest.mark.parametrize("method, reference", [("holm", "holm"), ("bh", "fdr_bh"), ("bonferroni", "bonferroni")])
def test_adjusted_pvalues_match_statsmodels(method, reference):
    p = np.random.default_rng(13).random(25) ** 3
    np.testing.assert_allclose(ex.adjust_pvalues(p, method), multipletests(p, method=reference)[1], atol=1e-12)


def test_adjusted_pvalues_by_hand_keep_the_input_order():
    p = [0.04, 0.01, 0.03, 0.5]
    # Holm: sorted 0.01, 0.03, 0.04, 0.5 times 4, 3, 2, 1 = 0.04, 0.09, 0.08, 0.5, then running maximum
    assert ex.adjust_pvalues(p, "holm").tolist() == pytest.approx([0.09, 0.04, 0.09, 0.5])
    # Benjamini-Hochberg: p * 4 / rank = 0.04, 0.06, 0.0533, 0.5, then running minimum from the top
    assert ex.adjust_pvalues(p, "bh").tolist() == pytest.approx([0.16 / 3, 0.04, 0.16 / 3, 0.5])
    assert ex.adjust_pvalues(p, "bonferroni").tolist() == pytest.approx([0.16, 0.04, 0.12, 1.0])
    assert ex.adjust_pvalues(p, "none").tolist() == p


def test_metric_table_fails_a_harmed_guardrail_and_passes_a_flat_one():
    rng = np.random.default_rng(14)
    t = np.arange(2000) % 2 == 1
    good = rng.normal(size=2000) + 0.5 * t
    bad = 10 + rng.normal(size=2000) - 0.5 * t
    flat = 10 + rng.normal(size=2000)
    results = {"revenue": ex.difference_in_means(good, t), "speed": ex.difference_in_means(bad, t)}
    table = ex.metric_table({**results, "load": ex.difference_in_means(flat, t)}, guardrails=("speed", "load"))
    assert table.loc["revenue", "decision"] == "increase"
    # margin 5% of the control mean (0.5): a drop of 0.5 is not non-inferior, no change is
    assert (
        table.loc["speed", "decision"] == "not shown non-inferior" and table.loc["load", "decision"] == "non-inferior"
    )
    assert table.loc["revenue", "p_adjusted"] == table.loc["revenue", "p_value"]  # one decision metric: no correction


def test_analytic_power_matches_statsmodels():
    for effect, n in ((0.2, 393), (0.1, 2000), (0.35, 100)):
        assert ex.power_means(n, 1.0, effect) == pytest.approx(NormalIndPower().power(effect, n, 0.05), rel=1e-9)
    assert ex.sample_size_means(2.0, 0.5) == int(np.ceil(NormalIndPower().solve_power(0.25, power=0.8, alpha=0.05)))
    assert ex.mde_means(ex.sample_size_means(1.0, 0.2), 1.0) == pytest.approx(0.2, rel=0.01)


def test_proportion_sample_size_gives_its_power():
    n = ex.sample_size_proportions(0.3, 0.04)
    assert ex.power_proportions(n, 0.3, 0.04) == pytest.approx(0.8, abs=0.002)
    assert ex.power_proportions(n - 200, 0.3, 0.04) < 0.8


def test_simulated_power_of_conversion_matches_the_formula(population):
    customers = population.customers
    table = ex.simulated_power(
        customers,
        [0.0],
        methods=("two proportions",),
        n_splits=600,
        conversion_points=0.05,
        random_state=15,
        progress=False,
    )
    formula = ex.power_proportions(len(customers) / 2, customers["converted"].mean(), 0.05)
    assert table["power"].iloc[0] == pytest.approx(formula, abs=4 * np.sqrt(formula * (1 - formula) / 600))
