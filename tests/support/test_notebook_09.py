"""Notebook 09: the stored headline figures, and a papermill run on another labelled file."""

import numpy as np
import pytest

from shopai_lab import data, support
from shopai_lab.lab import notebooks_dir, read_metrics
from tests._other_shop import generated_text, run_notebook


def test_stored_notebook_09_headline_figures():
    m = read_metrics(notebooks_dir() / "09_customer_service.ipynb")
    assert m["hard/messages"] == 13_083 and m["hard/intents"] == 77
    # issue 15 targets; the perceptron's float32 training can move a few of 3,080 test messages between
    # machines (0.003 = 9 messages), linear models are exact up to solver tolerance
    assert m["accuracy/house: vote"] >= 0.915
    assert m["accuracy/tfidf_logreg"] == pytest.approx(0.8896, abs=0.003)  # published bag-of-words ~0.89
    assert m["accuracy/char_svm"] == pytest.approx(0.8968, abs=0.003)
    assert m["house_vs_logreg/low"] > 0 and m["house_vs_strongest/low"] > 0  # intervals exclude zero
    # the knobs are chosen on validation: a candidate of the grid, recorded with its validation accuracy
    assert m["tuning/mlp_max_iter"] in support.epoch_grid(6) and m["tuning/neural_weight"] in support.NEURAL_WEIGHTS
    assert 0.85 < m["tuning/val_accuracy"] < 1
    assert m["bitext/accuracy/house"] >= 0.99  # bag-of-words models reach ~99% on Bitext
    assert m["bitext/similarity_accuracy"] == pytest.approx(0.39, abs=0.03)  # data README: ~39%
    assert m["ece/calibrated"] < m["ece/raw"]
    # issue target: >= 70% automated at >= 98%; the threshold is chosen on validation, so test may dip
    assert m["automation/share"] >= 0.70 and m["automation/accuracy"] >= 0.975
    # the hand-over score is the one with the best mean validation AUROC; the test is read for it alone
    val = {k.split("/")[-1]: v for k, v in m.items() if k.startswith("oos/val_auroc/")}
    assert set(val) == set(support.OOS_SCORES) and m["oos/chosen"] == max(val, key=val.get)
    assert m["oos/test_auroc"] >= 0.85
    # raw strings: Bitext's labels lost the leading zeros of two order numbers (read as typed), and the extractor
    # finds the number the customer wrote
    assert m["entities/recall"] >= 0.99 and m["entities/labels_as_typed"] > 0
    assert m["routing/right_queue"] >= 0.99


COLUMNS = {"text": "Message", "intent": "Label"}


@pytest.fixture(scope="module")
def other_file(tmp_path_factory):
    """Bitext as an analyst's file: other column names, no split column."""
    path = tmp_path_factory.mktemp("support") / "messages.csv"
    data.load_bitext()[["text", "intent"]].rename(columns=COLUMNS).to_csv(path, index=False)
    return path


@pytest.mark.notebook
def test_notebook_09_runs_on_another_file_and_records_what_the_library_computes(other_file, tmp_path):
    column_map = {v: k for k, v in COLUMNS.items()}
    held = ["get_refund", "newsletter_subscription", "track_order"]
    # small: a 32-unit perceptron tried at 2, 3 and 4 epochs, 50 bootstrap resamples, one named draw of intents
    parameters = {"oos_intents": held, "hidden_layers": [32], "mlp_max_iter": 4, "n_boot": 50, "seed": 1}
    path, m = run_notebook("09", tmp_path, {"data_path": str(other_file), "column_map": column_map, **parameters})

    messages = data.load_intents(other_file, column_map)
    train, test = support.split_messages(messages, 0.2, random_state=1)
    fit, val = support.split_messages(train, 0.1, random_state=1, use_split=False)
    _, tuning = support.tune_house_model(
        fit["text"], fit["intent"], val["text"], val["intent"], max_epochs=4, n_boot=50, random_state=1, mlp_hidden=[32]
    )
    best = tuning[tuning["chosen"]].iloc[0]
    assert (m["tuning/mlp_max_iter"], m["tuning/neural_weight"]) == (best["mlp_max_iter"], best["neural_weight"])
    house = support.IntentClassifier(
        mlp_hidden=[32], mlp_max_iter=int(best["mlp_max_iter"]), neural_weight=best["neural_weight"], random_state=1
    ).fit(fit["text"], fit["intent"])
    expected = support.intent_scores(test["intent"], house.predict(test["text"]))
    assert m["hard/messages"] == len(messages) and m["hard/intents"] == 27
    assert m["accuracy/house: vote"] == pytest.approx(expected["accuracy"], abs=5e-4)  # recorded to 4 digits
    assert m["macro_f1/house: vote"] == pytest.approx(expected["macro_f1"], abs=5e-4)
    # the same pipeline, unchanged, stays ahead of plain TF-IDF + logistic regression on this data
    assert m["accuracy/house: vote"] >= m["accuracy/tfidf_logreg"]
    assert {k.split("/")[-1] for k in m if k.startswith("oos/val_auroc/")} == set(support.OOS_SCORES)
    assert m["oos/chosen"] in support.OOS_SCORES and 0 <= m["oos/test_auroc"] <= 1
    assert np.isfinite(m["automation/threshold"]) and 0 < m["automation/share"] <= 1
    # no stale text: nothing of Banking77 (its published figures, its name as the data) on another file
    text = generated_text(path)
    assert "your messages" in text and "Casanueva" not in text and "93.7%" not in text
    assert "On Banking77" not in text and "Banking77's test" not in text
    assert "one draw" in text  # the named intents make one draw, and the sentences say what that means
