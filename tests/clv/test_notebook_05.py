"""Notebook 05: the headline figures README.md quotes, and a run on another shop's file with only
data_path, column_map and currency (its periods come from the data)."""

import warnings

import pytest

from shopai_lab import clv
from shopai_lab.behavior import matches_lines
from shopai_lab.data import clean_transactions, flag_extreme_lines, load_transactions, net_of_returns
from shopai_lab.lab import notebooks_dir, read_metrics
from tests._other_shop import OTHER_SHOP_COLUMN_MAP, OTHER_SHOP_CURRENCY, generated_text, run_on_other_shop


def test_stored_notebook_05_headline_figures():
    metrics = read_metrics(notebooks_dir() / "05_customer_lifetime_value.ipynb")
    assert metrics["customers"] == 3_321  # notebook 01's extreme lines left out (3,324 with them)
    assert metrics["holdout_weeks"] == 14.0
    assert metrics["bgnbd/r"] == pytest.approx(0.7125, abs=0.001)
    assert metrics["bgnbd/alpha"] == pytest.approx(9.340, abs=0.01)
    assert metrics["bgnbd/dropout_lr"] < 2.706  # no dropout identified on this data
    assert "bgnbd/a" not in metrics and "bgnbd/b" not in metrics  # on a ridge: not recorded
    assert metrics["bgnbd/loglik"] == pytest.approx(-21795.6, abs=0.1)
    assert metrics["gg/p"] == pytest.approx(2.434, abs=0.01)
    assert metrics["gg/q"] == pytest.approx(3.378, abs=0.01)
    # BG/NBD against the naive rate, stated plainly: ranking not distinguishable, MAE worse, total better.
    assert metrics["holdout/spearman"] == pytest.approx(0.5003, abs=0.001)
    assert metrics["naive/spearman"] == pytest.approx(0.5055, abs=0.001)
    low, high = metrics["holdout/spearman_diff"][1:]
    assert low < 0 < high
    assert metrics["holdout/mae_diff"][1] > 0  # BG/NBD's absolute error is larger (interval above 0)
    assert metrics["holdout/abs_total_error_diff"][2] < 0  # its total is closer (interval below 0)
    assert metrics["holdout/total_error"] == pytest.approx(-0.238, abs=0.002)
    # The churn list: the rule picks the classifier (no dropout); on the holdout it is better than the BG/NBD.
    assert metrics["risk/score"] == "classifier"
    assert metrics["risk/auc"] == pytest.approx(0.7337, abs=0.001)
    assert metrics["risk/naive_auc"] == pytest.approx(0.6868, abs=0.001)
    assert metrics["risk/classifier_auc"] == pytest.approx(0.7372, abs=0.001)
    assert metrics["risk/classifier_minus_bgnbd"][1] > 0
    assert metrics["clv/top10_share"] == pytest.approx(0.4822, abs=0.001)
    # the list is ranked by the model checked on the holdout, and no longer led by an artefact of extreme lines
    assert metrics["extreme_lines"] == 209
    assert metrics["risk/list_model"] == "logistic"
    assert metrics["risk/list_top_customer"] != "15749"  # its net revenue was all extreme lines (0 without them)


@pytest.mark.notebook
def test_notebook_05_runs_on_another_shops_file(other_shop_file, tmp_path):
    path, metrics = run_on_other_shop("05", other_shop_file, tmp_path)

    transactions = load_transactions(other_shop_file, OTHER_SHOP_COLUMN_MAP)
    cleaned = clean_transactions(transactions)
    extreme = flag_extreme_lines(transactions, threshold=5.0).query("extreme")  # notebook 01's rule and default
    returns = cleaned.returns[~matches_lines(cleaned.returns, extreme)]
    purchases = net_of_returns(cleaned.purchases[~matches_lines(cleaned.purchases, extreme)], returns)
    calibration_end, observation_end = clv.holdout_split(purchases, holdout_weeks=14)
    assert observation_end == purchases["timestamp"].max().normalize()
    summary = clv.summarize_customers(purchases, calibration_end, observation_end)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", clv.IdentificationWarning)
        model = clv.BetaGeoModel().fit(summary)
    weeks = summary["duration_holdout"].iloc[0]
    history = (summary["frequency"], summary["recency"], summary["T"])
    predicted = model.expected_purchases(weeks, *history)
    naive = (summary["frequency"] / summary["T"].where(summary["T"] > 0) * weeks).fillna(0.0).to_numpy()
    comparison = clv.compare_holdout(summary["frequency_holdout"], predicted, naive)
    window, quiet = clv.churn_training_set(purchases, calibration_end, weeks)
    classifier = clv.ChurnClassifier().fit(window, quiet)
    went_quiet = summary["frequency_holdout"] == 0

    assert metrics["customers"] == len(summary)
    assert metrics["holdout_weeks"] == pytest.approx(14.0)
    assert metrics["bgnbd/r"] == pytest.approx(model.params_["r"], rel=1e-3)
    assert metrics["bgnbd/dropout_lr"] == pytest.approx(model.dropout_lr_, abs=0.01)
    assert ("bgnbd/a" in metrics) == model.dropout_identified_
    assert metrics["holdout/spearman"] == pytest.approx(comparison.loc["spearman", "model"], abs=1e-3)
    assert metrics["naive/mae"] == pytest.approx(comparison.loc["mae", "baseline"], abs=1e-3)
    assert metrics["risk/score"] == clv.choose_churn_score(model)
    assert metrics["extreme_lines"] == len(extreme)
    if metrics["risk/score"] == "classifier":  # the list is ranked by the very classifier checked on the holdout
        assert metrics["risk/list_model"] == classifier.model_
    assert metrics["risk/auc"] == pytest.approx(clv.auc(went_quiet, model.prob_no_purchases(weeks, *history)), abs=1e-3)
    assert metrics["risk/classifier_auc"] == pytest.approx(
        clv.auc(went_quiet, classifier.predict_proba(summary)[:, 1]), abs=1e-3
    )

    # No stale text: the generated sentences and table labels speak the other shop's currency and dates.
    text = generated_text(path)
    assert OTHER_SHOP_CURRENCY in text
    assert "GBP" not in text
    assert str(observation_end.date()) in text and str(calibration_end.date()) in text
    assert "2011-" not in text  # the bundled data's dates
