"""Choices on validation: the house model's knobs and the hand-over score over draws of held-out intents."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from shopai_lab import data, stats, support


@pytest.fixture(scope="module")
def parts():
    bitext = data.load_bitext()[["text", "intent"]]
    train, test = support.split_messages(bitext, 0.2, random_state=0)
    fit, val = support.split_messages(train, 0.1, random_state=0, use_split=False)
    return fit, val, test


def test_tuning_scores_every_candidate_on_validation_and_picks_the_most_accurate(parts):
    fit, val, _ = parts
    model, table = support.tune_house_model(
        fit["text"], fit["intent"], val["text"], val["intent"], max_epochs=2, neural_weights=[0.0, 0.5, 1.0],
        n_boot=50, mlp_hidden=[16],
    )  # fmt: skip
    assert len(table) == 2 * 3 and table["chosen"].sum() == 1 and table["chosen"].iloc[0]
    assert table["accuracy"].iloc[0] == table["accuracy"].max()
    # the chosen model is the candidate refitted from scratch: same knobs, same validation accuracy
    refit = support.IntentClassifier(
        mlp_hidden=[16], mlp_max_iter=model.mlp_max_iter, neural_weight=model.neural_weight
    )
    refit.fit(fit["text"], fit["intent"])
    assert (refit.predict(val["text"]) == val["intent"].to_numpy()).mean() == table["accuracy"].iloc[0]
    # each interval is candidate minus chosen, paired over validation messages
    row = table.iloc[1]
    assert isinstance(row["vs_chosen"], stats.Interval) and row["vs_chosen"].n == len(val)
    assert row["vs_chosen"].estimate == pytest.approx(row["accuracy"] - table["accuracy"].iloc[0])


def test_the_oos_score_is_chosen_on_validation_and_the_test_read_for_it_alone(parts):
    fit, val, test = parts
    model = support.IntentClassifier(mlp_hidden=[16], mlp_max_iter=2)
    draws = support.out_of_scope_draws(fit, val, test, model, n_draws=2, n_intents=3, random_state=0)
    assert len(draws) == 2 and draws[0]["held"] != draws[1]["held"]
    chosen, table = support.choose_oos_score(draws, 0.95, n_boot=50)
    aurocs = {s: np.mean([roc_auc_score(np.r_[np.ones(len(d["val_in"][s])), np.zeros(len(d["val_out"][s]))],
                                        np.r_[d["val_in"][s], d["val_out"][s]]) for d in draws])
              for s in support.OOS_SCORES}  # fmt: skip
    assert chosen == max(aurocs, key=aurocs.get) and table.loc[chosen, "val_auroc"] == pytest.approx(aurocs[chosen])
    assert (table["unit"] == "draws").all() and all(r.n == 2 for r in table["vs_chosen"] if r is not None)
    report = support.oos_test_report(draws, chosen, 0.95, n_boot=50)
    assert len(report["per_draw"]) == 2 and set(report["intervals"]) == {"auroc", "oos_handed_over"}
    text = support.describe_oos_choice(chosen, table, 2) + support.describe_oos_test(chosen, report, 0.95)
    assert "paired over the 2 draws" in text and "95% CI" in text


def test_one_named_draw_compares_over_messages():
    frame = pd.DataFrame({"text": [f"{w} {i}" for i in range(10) for w in ("track", "cancel", "refund")],
                          "intent": ["t", "c", "r"] * 10})  # fmt: skip
    fit, val, test = frame.iloc[:18], frame.iloc[18:24], frame.iloc[24:]
    draws = support.out_of_scope_draws(fit, val, test, support.IntentClassifier(min_df=1, neural_weight=0),
                                       intents=["r"])  # fmt: skip
    chosen, table = support.choose_oos_score(draws, 0.5, n_boot=20)
    assert len(draws) == 1 and (table["unit"] == "messages").all()
    assert "one draw" in support.describe_oos_test(chosen, support.oos_test_report(draws, chosen, 0.5), 0.5)
