import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate

from shopai_lab.clv import (
    BetaGeoModel,
    ConvergenceError,
    GammaGammaModel,
    IdentificationWarning,
    customer_value,
    holdout_by_frequency,
    simulate_bgnbd,
    simulate_gamma_gamma,
    summarize_customers,
    tracking_curve,
)
from shopai_lab.data import load_cdnow_summary
from shopai_lab.stats import holdout_metrics

# Fader, Hardie & Lee (2005), Marketing Science 24(2), p. 281: BG/NBD on the CDNOW cohort.
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LOGLIK = -9582.4
# Fader, Hardie & Lee (2005), JMR 42(4): Gamma-Gamma on the 946 CDNOW repeat buyers.
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def fixed(params: dict) -> BetaGeoModel:
    model = BetaGeoModel()
    model.params_ = dict(params)
    return model


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


def test_bgnbd_reproduces_the_published_cdnow_fit(cdnow):
    model = BetaGeoModel().fit(cdnow)
    assert model.boundary_ == [] and model.dropout_identified_ and model.dropout_lr_ > 100
    for name, value in PUBLISHED_BGNBD.items():
        assert model.params_[name] == pytest.approx(value, abs=5e-4), name  # published to 3 decimals
    assert model.loglik_ == pytest.approx(PUBLISHED_LOGLIK, abs=0.05)
    assert model.n_customers_ == 2_357


def test_bgnbd_conditional_expectation_of_the_published_example():
    # FHL (2005): a customer with x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks.
    model = fixed(PUBLISHED_BGNBD)
    assert model.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)


def test_gamma_gamma_reproduces_the_published_cdnow_fit(cdnow):
    model = GammaGammaModel().fit(cdnow)
    # Published to 2 decimals from unrounded spend; the shared file rounds spend to cents.
    for name, value in PUBLISHED_GG.items():
        assert model.params_[name] == pytest.approx(value, abs=0.01), name
    assert model.n_customers_ == 946


def test_loglikelihood_hand_checked_values():
    params = (1.0, 1.0, 1.0, 1.0)
    # x = 0: L = (alpha / (alpha + T)) ** r = 1/2 at T = 1.
    assert BetaGeoModel.loglikelihood(params, 0, 0, 1.0)[()] == pytest.approx(np.log(0.5))
    # x = 1: L = r alpha^r [B(a, b+1)/B(a, b) (alpha+T)^-(r+1) + B(a+1, b)/B(a, b) (alpha+t_x)^-(r+1)]
    #      = 0.5 / 3**2 + 0.5 / 2**2 at t_x = 1, T = 2.
    assert BetaGeoModel.loglikelihood(params, 1, 1.0, 2.0)[()] == pytest.approx(np.log(0.5 / 9 + 0.5 / 4))


def test_loglikelihood_equals_the_integral_over_lambda_and_p():
    r, alpha, a, b = 0.7, 2.0, 1.3, 2.2
    x, tx, t_age = 3, 5.0, 10.0

    log_norm = r * math.log(alpha) - math.lgamma(r) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))

    def individual(p, lam):  # individual-level likelihood times the Gamma and Beta densities
        alive = (1 - p) ** x * lam**x * math.exp(-lam * t_age)
        dropped = p * (1 - p) ** (x - 1) * lam**x * math.exp(-lam * tx)
        mixing = lam ** (r - 1) * math.exp(-alpha * lam) * p ** (a - 1) * (1 - p) ** (b - 1)
        return (alive + dropped) * mixing * math.exp(log_norm)

    likelihood, _ = integrate.dblquad(individual, 0, 20, 0, 1, epsabs=0, epsrel=1e-8)
    ll = BetaGeoModel.loglikelihood((r, alpha, a, b), x, tx, t_age)[()]
    assert ll == pytest.approx(np.log(likelihood), abs=1e-6)


@pytest.fixture(scope="module")
def big_simulation():
    return simulate_bgnbd(200_000, T=39.0, random_state=5, **PUBLISHED_BGNBD)


def test_population_expectation_and_distribution_match_monte_carlo(big_simulation):
    model = fixed(PUBLISHED_BGNBD)
    counts = big_simulation["frequency"].to_numpy()
    standard_error = counts.std() / np.sqrt(len(counts))
    assert counts.mean() == pytest.approx(model.expected_purchases_population(39.0), abs=3 * standard_error)
    observed = np.bincount(counts, minlength=6)[:6] / len(counts)
    expected = model.prob_purchases(np.arange(6), 39.0)
    assert np.abs(observed - expected).max() < 3 * np.sqrt(0.25 / len(counts))
    assert model.prob_purchases(np.arange(400), 39.0).sum() == pytest.approx(1.0, abs=1e-9)


def test_conditional_predictions_match_monte_carlo():
    sim = simulate_bgnbd(100_000, T=np.linspace(27, 39, 100_000), holdout=39.0, random_state=1, **PUBLISHED_BGNBD)
    model = fixed(PUBLISHED_BGNBD)
    predicted = model.expected_purchases(39.0, sim["frequency"], sim["recency"], sim["T"])
    by_x = sim.assign(predicted=predicted).groupby(sim["frequency"].clip(upper=4))
    means = by_x[["frequency_holdout", "predicted"]].mean()
    errors = by_x["frequency_holdout"].std() / np.sqrt(by_x.size())
    assert (np.abs(means["frequency_holdout"] - means["predicted"]) < 3.5 * errors).all()
    alive = model.p_alive(sim["frequency"], sim["recency"], sim["T"])
    assert alive.mean() == pytest.approx(sim["alive"].mean(), abs=0.005)
    # P(alive) is calibrated: among customers given 40-60%, about half are alive.
    middle = (alive > 0.4) & (alive < 0.6)
    assert sim["alive"][middle].mean() == pytest.approx(alive[middle].mean(), abs=0.03)


def test_prob_no_purchases_matches_monte_carlo():
    sim = simulate_bgnbd(100_000, T=np.linspace(27, 39, 100_000), holdout=13.0, random_state=2, **PUBLISHED_BGNBD)
    model = fixed(PUBLISHED_BGNBD)
    quiet = model.prob_no_purchases(13.0, sim["frequency"], sim["recency"], sim["T"])
    observed = sim["frequency_holdout"] == 0
    assert quiet.mean() == pytest.approx(observed.mean(), abs=0.005)
    bins = pd.cut(quiet, [0, 0.5, 0.8, 0.95, 1.0])
    by_bin = pd.DataFrame({"predicted": quiet, "observed": observed}).groupby(bins, observed=True).mean()
    np.testing.assert_allclose(by_bin["observed"], by_bin["predicted"], atol=0.02)
    # Without a purchase history the answer is the NBD zero probability times being alive (= 1).
    r, alpha = PUBLISHED_BGNBD["r"], PUBLISHED_BGNBD["alpha"]
    assert model.prob_no_purchases(13.0, 0, 0.0, 30.0) == pytest.approx(((alpha + 30) / (alpha + 43)) ** r)


def test_no_dropout_in_the_data_is_flagged_not_hidden():
    # Customers who never leave: the MLE of the dropout part runs to the edge of the space.
    sim = simulate_bgnbd(5_000, r=0.8, alpha=8.0, a=1e-6, b=1e3, T=39.0, random_state=4)
    with pytest.warns(IdentificationWarning, match="no dropout"):
        model = BetaGeoModel().fit(sim)
    assert not model.dropout_identified_
    assert model.p_alive(sim["frequency"], sim["recency"], sim["T"]).min() > 0.9
    assert model.params_["r"] == pytest.approx(0.8, rel=0.1)
    assert model.params_["alpha"] == pytest.approx(8.0, rel=0.1)
    assert "dropout not identified" in repr(model)


def test_bgnbd_recovers_known_parameters():
    sim = simulate_bgnbd(20_000, T=np.random.default_rng(0).uniform(27, 39, 20_000), random_state=0, **PUBLISHED_BGNBD)
    model = BetaGeoModel().fit(sim)
    for name, value in PUBLISHED_BGNBD.items():
        assert model.params_[name] == pytest.approx(value, rel=0.10), name


def test_gamma_gamma_recovers_known_parameters_and_shrinks():
    frequency = np.random.default_rng(3).integers(1, 10, 20_000)
    monetary_value = simulate_gamma_gamma(frequency, random_state=3, **PUBLISHED_GG)
    model = GammaGammaModel().fit(pd.DataFrame({"frequency": frequency, "monetary_value": monetary_value}))
    for name, value in PUBLISHED_GG.items():
        assert model.params_[name] == pytest.approx(value, rel=0.10), name
    p, q, gamma = (model.params_[k] for k in ("p", "q", "gamma"))
    population = p * gamma / (q - 1)
    assert model.expected_spend(0, 0.0) == pytest.approx(population)
    spend = model.expected_spend(np.array([1, 1000]), np.array([100.0, 100.0]))
    assert population < spend[0] < spend[1] < 100.0 + 1e-9
    assert spend[1] == pytest.approx(100.0, rel=0.01)


def test_convergence_failure_is_reported(cdnow):
    with pytest.raises(ConvergenceError, match="did not converge"):
        BetaGeoModel(max_iter=2).fit(cdnow)


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ({"frequency": [1], "recency": [5.0], "T": [3.0]}, r"recency > T for 1 row\(s\), e.g. recency 5.0 > T 3.0"),
        ({"frequency": [0], "recency": [2.0], "T": [3.0]}, "frequency 0 but recency > 0"),
        ({"frequency": [-1], "recency": [0.0], "T": [3.0]}, "frequency has negative values"),
        ({"frequency": [1.5], "recency": [1.0], "T": [3.0]}, "whole numbers"),
        ({"frequency": [1], "recency": [np.nan], "T": [3.0]}, "recency has missing or infinite"),
        ({"frequency": [0, 0], "recency": [0.0, 0.0], "T": [3.0, 4.0]}, "no repeat purchases"),
    ],
)
def test_inconsistent_summaries_are_rejected(summary, message):
    with pytest.raises(ValueError, match=message):
        BetaGeoModel().fit(pd.DataFrame(summary))


def test_gamma_gamma_rejects_bad_spend_and_unfitted_use():
    with pytest.raises(ValueError, match="must be positive"):
        GammaGammaModel().fit(pd.DataFrame({"frequency": [1, 2, 3, 1], "monetary_value": [1.0, 0.0, 3.0, 2.0]}))
    with pytest.raises(ValueError, match="not fitted"):
        GammaGammaModel().expected_spend(1, 1.0)
    with pytest.raises(ValueError, match="not fitted"):
        BetaGeoModel().p_alive(1, 1.0, 2.0)


LINES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "a", "b", "b", "c"],
        "timestamp": pd.to_datetime(
            [
                "2024-01-01 09:00",
                "2024-01-01 17:00",
                "2024-01-15",
                "2024-02-12",
                "2024-01-08",
                "2024-02-05",
                "2024-02-01",
            ],
            format="ISO8601",
        ),
        "quantity": [1, 1, 2, 1, 1, 4, 1],
        "unit_price": [5.0, 5.0, 10.0, 7.0, 3.0, 2.0, 9.0],
    }
)


def test_summarize_customers_known_answer():
    summary = summarize_customers(LINES, "2024-01-29", observation_end="2024-02-12")
    # a: days Jan 1 (two lines: one purchase worth 10), Jan 15 (20); holdout Feb 12 (7).
    assert summary.loc["a"].to_dict() == {
        "frequency": 1,
        "recency": 2.0,
        "T": 4.0,
        "monetary_value": 20.0,
        "frequency_holdout": 1,
        "monetary_value_holdout": 7.0,
        "duration_holdout": 2.0,
    }
    # b: Jan 8 only in calibration; Feb 5 in the holdout. c first buys in the holdout: excluded.
    assert summary.loc["b", ["frequency", "recency", "T", "frequency_holdout"]].tolist() == [0, 0.0, 3.0, 1]
    assert "c" not in summary.index
    days = summarize_customers(LINES, "2024-01-29", time_unit="D")
    assert days.loc["a", "recency"] == 14.0 and days.loc["a", "T"] == 28.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calibration_end": "2023-12-01"}, "calibration_end 2023-12-01 is outside the data"),
        ({"calibration_end": "2024-01-29", "observation_end": "2024-01-20"}, "must be after calibration_end"),
        ({"calibration_end": "2024-01-29", "observation_end": "2024-03-31"}, "after the data ends"),
        ({"calibration_end": "2024-01-29", "time_unit": "M"}, "time_unit must be one of"),
        ({"calibration_end": "someday"}, "calibration_end could not be read"),
    ],
)
def test_summarize_customers_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        summarize_customers(LINES, **kwargs)


def test_customer_value_discounting(cdnow):
    bgnbd, gg = BetaGeoModel().fit(cdnow), GammaGammaModel().fit(cdnow)
    undiscounted = customer_value(bgnbd, gg, cdnow, horizon=52, discount_rate=0.0)
    expected = gg.expected_spend(cdnow["frequency"], cdnow["monetary_value"]) * bgnbd.expected_purchases(
        52, cdnow["frequency"], cdnow["recency"], cdnow["T"]
    )
    np.testing.assert_allclose(undiscounted.to_numpy(), expected, rtol=1e-10)
    discounted = customer_value(bgnbd, gg, cdnow, horizon=52, discount_rate=0.2)
    assert (discounted < undiscounted).all()
    # One year at 20% a year discounts by between 1/1.2 (all at the end) and 1 (all at once).
    ratio = discounted.sum() / undiscounted.sum()
    assert 1 / 1.2 < ratio < 1.0
    with pytest.raises(ValueError, match="horizon must be"):
        customer_value(bgnbd, gg, cdnow, horizon=0)


def test_holdout_metrics_known_answer():
    metrics = holdout_metrics([0, 1, 3, 4], [1, 1, 2, 4])
    assert metrics["mae"] == pytest.approx(0.5)
    assert metrics["rmse"] == pytest.approx(np.sqrt(0.5))
    assert metrics["total_error"] == pytest.approx(0.0)
    assert metrics["corr"] == pytest.approx(np.corrcoef([0, 1, 3, 4], [1, 1, 2, 4])[0, 1])
    with pytest.raises(ValueError, match="same length"):
        holdout_metrics([1, 2], [1])


def test_holdout_by_frequency_pools_the_top_class():
    summary = pd.DataFrame({"frequency": [0, 0, 1, 3, 9], "frequency_holdout": [0, 2, 1, 3, 5]})
    table = holdout_by_frequency(summary, {"model": np.array([0.5, 0.5, 1.0, 2.0, 6.0])}, max_frequency=3)
    assert table.index.tolist() == ["0", "1", "3+"]
    assert table["customers"].tolist() == [2, 1, 2]
    assert table["actual"].tolist() == [1.0, 1.0, 4.0]
    assert table["model"].tolist() == [0.5, 1.0, 4.0]
    with pytest.raises(ValueError, match="one value per customer"):
        holdout_by_frequency(summary, {"model": np.zeros(3)})


def test_tracking_curve_counts_repeat_purchase_days():
    model = fixed(PUBLISHED_BGNBD)
    curve = tracking_curve(LINES, model, "2024-01-29", "2024-02-12", time_unit="W")
    # Repeat purchase days of a and b (c first buys after the calibration end): a on Jan 15 and
    # Feb 12, b on Feb 5.
    assert curve.index[0] == pd.Timestamp("2024-01-01")
    assert curve.index[-1] == pd.Timestamp("2024-02-13")
    assert curve["actual"].iloc[-1] == 3
    assert curve.loc[pd.Timestamp("2024-01-22"), "actual"] == 1
    assert curve["expected"].is_monotonic_increasing and curve["expected"].iloc[0] == 0.0
