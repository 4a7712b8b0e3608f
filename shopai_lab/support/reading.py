"""Sentences of notebook 09 built from its results, so the report stays true on any labelled file.

Each function takes numbers or small tables the notebook computed and returns Markdown. Claims branch
on the values: "better" only when an interval excludes zero (:func:`shopai_lab.report.verdict`), a
missed target is said to be missed, and facts of the bundled Banking77 (published results) are shown
only when the notebook runs on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from shopai_lab._validation import (
    require_bool,
    require_columns,
    require_number,
    require_positive,
    require_positive_int,
    require_probability,
    require_string,
)
from shopai_lab.report import count, interval, percent, verdict
from shopai_lab.stats import Interval

__all__ = [
    "PUBLISHED_BANKING77",
    "describe_automation",
    "describe_baselines",
    "describe_bitext",
    "describe_calibration",
    "describe_decision",
    "describe_entities",
    "describe_handover",
    "describe_messages",
    "describe_oos_choice",
    "describe_oos_test",
    "describe_published",
    "describe_routing",
    "describe_tuning",
    "handover_decision",
    "published_table",
]

#: Banking77 test accuracy published by Casanueva et al. (2020) for pretrained sentence encoders.
PUBLISHED_BANKING77: dict[str, float] = {
    "BERT fine-tuned (Casanueva et al. 2020)": 0.937,
    "USE+ConveRT (Casanueva et al. 2020)": 0.934,
}


def describe_messages(name: str, messages: pd.DataFrame) -> str:
    """Size, message length and messages per intent of a labelled file.

    Examples
    --------
    >>> m = pd.DataFrame({"text": ["where is it", "refund me now please", "hi"], "intent": ["a", "b", "b"]})
    >>> describe_messages("your messages", m)
    'your messages: 3 messages in 2 intents, 3 words at the median (longest 4); 1 to 2 messages per intent.'
    """
    name = require_string(name, "name")
    require_columns(messages, ["text", "intent"], "messages")
    words = messages["text"].str.split().str.len()
    per_intent = messages["intent"].value_counts()
    return (
        f"{name}: {count(len(messages), 'message')} in {count(len(per_intent), 'intent')}, "
        f"{words.median():.0f} words at the median (longest {int(words.max())}); {int(per_intent.min()):,} to "
        f"{int(per_intent.max()):,} messages per intent."
    )


def describe_baselines(similarity: float, majority: float) -> str:
    """The two floors on Bitext's test messages: untrained reply matching and the commonest intent.

    Examples
    --------
    >>> print(describe_baselines(0.388, 0.039))  # doctest: +NORMALIZE_WHITESPACE
    Bitext test: matching messages to replies by similarity picks the right reply for 38.8%; always answering
    the commonest intent, for 3.9%.
    """
    return (
        f"Bitext test: matching messages to replies by similarity picks the right reply for {percent(similarity)}; "
        f"always answering the commonest intent, for {percent(majority)}."
    )


def describe_tuning(table: pd.DataFrame) -> str:
    """The house model's epochs and vote weight chosen on validation, and how clearly they win.

    ``table`` is :func:`shopai_lab.support.tune_house_model`'s (best first, ``vs_chosen`` intervals).

    Examples
    --------
    >>> t = pd.DataFrame({"mlp_max_iter": [6, 3], "neural_weight": [0.7, 0.0], "accuracy": [0.91, 0.90],
    ...     "chosen": [True, False], "vs_chosen": [None, Interval(-0.01, -0.02, 0.0, level=0.95, n=900, se=0.005)]})
    >>> print(describe_tuning(t))  # doctest: +NORMALIZE_WHITESPACE
    Chosen on the validation messages: the perceptron trained for 6 epochs with weight 0.7 in the vote
    (validation accuracy 91.0%). 0 of the other 1 candidates are worse by a paired interval that excludes
    zero; 1 cannot be told apart from it, so the choice among those is a tie on this validation set.
    """
    require_columns(table, ["mlp_max_iter", "neural_weight", "accuracy", "chosen", "vs_chosen"], "table")
    best = table[table["chosen"]].iloc[0]
    others = [r for r in table["vs_chosen"] if isinstance(r, Interval)]
    worse = sum(verdict(r) == "worse" for r in others)
    tied = len(others) - worse
    text = (
        f"Chosen on the validation messages: the perceptron trained for {int(best['mlp_max_iter'])} epochs with "
        f"weight {best['neural_weight']:g} in the vote (validation accuracy {percent(best['accuracy'])}). "
        f"{worse} of the other {len(others)} candidates are worse by a paired interval that excludes zero"
    )
    if tied:
        return text + (
            f"; {tied} cannot be told apart from it, so the choice among those is a tie on this validation set."
        )
    return text + "."


def describe_published(accuracy: float, baseline: float, on_banking77: bool) -> str:
    """The gap to published pretrained encoders on Banking77, or why there is none to show.

    Examples
    --------
    >>> describe_published(0.919, 0.890, True)[:60]
    'On Banking77 the house model reaches 91.9% with no pretraine'
    >>> describe_published(0.99, 0.98, False)[:40]
    'Published results exist for Banking77 on'
    """
    require_bool(on_banking77, "on_banking77")
    accuracy = require_probability(accuracy, "accuracy", allow_zero=True, allow_one=True)
    baseline = require_probability(baseline, "baseline", allow_zero=True, allow_one=True)
    if not on_banking77:
        return (
            "Published results exist for Banking77 on its official split only, so none are shown for this file: "
            f"compare with the plain TF-IDF baseline above ({percent(baseline)} against the house model's "
            f"{percent(accuracy)})."
        )
    best_name, best = max(PUBLISHED_BANKING77.items(), key=lambda item: item[1])
    gap = best - accuracy
    reading = (
        f"{100 * gap:.1f} points below the best published figure ({best_name}, {percent(best)}): pretrained "
        "sentence encoders know that 'top up' and 'add money' mean the same thing before seeing a single message, "
        "and bag-of-n-gram models must learn it from the training messages; the gap is the price of not "
        "downloading weights"
        if gap > 0
        else f"at or above the best published figure ({best_name}, {percent(best)})"
    )
    return (
        f"On Banking77 the house model reaches {percent(accuracy)} with no pretrained weights (TF-IDF + logistic "
        f"regression {percent(baseline)}), {reading}."
    )


def published_table(accuracy: float, baseline: float) -> pd.DataFrame:
    """Banking77 test accuracy: the published encoders beside the models trained here.

    Examples
    --------
    >>> published_table(0.919, 0.890).shape
    (4, 1)
    """
    accuracy = require_probability(accuracy, "accuracy", allow_zero=True, allow_one=True)
    baseline = require_probability(baseline, "baseline", allow_zero=True, allow_one=True)
    rows = {
        **PUBLISHED_BANKING77,
        "house model, here (no pretrained weights)": accuracy,
        "TF-IDF + logistic regression, here": baseline,
    }
    return pd.Series(rows, name="Banking77 test accuracy").round(3).to_frame()


def describe_calibration(temperature: float, ece_raw: float, ece_scaled: float) -> str:
    """What temperature scaling did to the expected calibration error on the test messages.

    Examples
    --------
    >>> print(describe_calibration(0.78, 0.056, 0.016))  # doctest: +NORMALIZE_WHITESPACE
    Temperature 0.78 (below 1: the vote was under-confident); ECE on test 0.056 raw, 0.016 scaled: scaling
    brings the confidence closer to the accuracy.
    """
    temperature = require_positive(temperature, "temperature")
    ece_raw, ece_scaled = require_number(ece_raw, "ece_raw", low=0.0), require_number(ece_scaled, "ece_scaled", low=0.0)
    side = (
        "below 1: the vote was under-confident"
        if temperature < 1
        else "above 1: the vote was over-confident"
        if temperature > 1
        else "1: no change"
    )
    effect = (
        "scaling brings the confidence closer to the accuracy"
        if ece_scaled < ece_raw
        else "**scaling does not help on the test messages**; the threshold below relies on the validation fit"
    )
    return f"Temperature {temperature:.2f} ({side}); ECE on test {ece_raw:.3f} raw, {ece_scaled:.3f} scaled: {effect}."


def describe_automation(chosen: Mapping, applied: Mapping, target_accuracy: float, name: str) -> str:
    """The threshold chosen on validation and what it does on the test messages, against the target.

    ``chosen`` is :func:`~shopai_lab.support.choose_threshold`'s dict, ``applied`` has the test
    ``automated`` share and ``accuracy`` on it.

    Examples
    --------
    >>> print(describe_automation({"threshold": 0.868, "automated": 0.784, "accuracy": 0.981},
    ...     {"automated": 0.803, "accuracy": 0.985}, 0.98, "Banking77"))  # doctest: +NORMALIZE_WHITESPACE
    Threshold 0.868 (validation: 78.4% automated at 98.1%). On Banking77's test messages it answers 80.3%
    automatically, 98.5% of them correctly (target 98.0%: met), and hands over 19.7%.
    """
    target = require_probability(target_accuracy, "target_accuracy", allow_one=True)
    if not math.isfinite(chosen["threshold"]):
        return (
            f"**No threshold reaches {percent(target)} on the validation messages**: every message goes to a person "
            "until the model improves or the target is relaxed."
        )
    met = applied["accuracy"] >= target
    status = "met" if met else f"**missed by {100 * (target - applied['accuracy']):.1f} points**"
    return (
        f"Threshold {chosen['threshold']:.3f} (validation: {percent(chosen['automated'])} automated at "
        f"{percent(chosen['accuracy'])}). On {name}'s test messages it answers {percent(applied['automated'])} "
        f"automatically, {percent(applied['accuracy'])} of them correctly (target {percent(target)}: {status}), and "
        f"hands over {percent(1 - applied['automated'])}."
    )


def _unit_reason(unit: str, n_draws: int) -> str:
    if unit == "draws":
        return (
            f"paired over the {n_draws} draws of held-out intents (the messages of one draw share its unseen intents "
            "and its model, so a draw, not a message, is one independent piece of evidence"
            + ("; with so few draws the interval is rough: raise n_oos_draws to narrow it)" if n_draws < 10 else ")")
        )
    return (
        "paired over the validation messages (one draw: the unseen intents are fixed, so the question is only "
        "about their messages)"
    )


def describe_oos_choice(chosen: str, table: pd.DataFrame, n_draws: int) -> str:
    """Which hand-over score was chosen on validation, and whether the others are distinguishable from it.

    ``table`` is :func:`~shopai_lab.support.choose_oos_score`'s.

    Examples
    --------
    >>> t = pd.DataFrame({"val_auroc": [0.88, 0.90], "val_handed_over": [0.8, 0.85], "chosen": [False, True],
    ...     "vs_chosen": [Interval(-0.02, -0.03, -0.01, level=0.95, n=3, se=0.01), None], "unit": "draws"},
    ...     index=["max probability", "energy"])
    >>> print(describe_oos_choice("energy", t, 3))  # doctest: +NORMALIZE_WHITESPACE
    Chosen on validation: **energy** (mean validation AUROC 0.900 over 3 draws of held-out intents). max
    probability: worse, -0.020 (95% CI -0.030 to -0.010); intervals paired over the 3 draws of held-out
    intents (the messages of one draw share its unseen intents and its model, so a draw, not a message, is
    one independent piece of evidence; with so few draws the interval is rough: raise n_oos_draws to narrow it).
    """
    require_columns(table, ["val_auroc", "chosen", "vs_chosen", "unit"], "table")
    if chosen not in table.index:
        raise ValueError(f"chosen must be a score of table, got {chosen!r}; table has {list(table.index)}")
    others = [
        f"{name}: {verdict(row['vs_chosen'])}, {interval(row['vs_chosen'])}"
        for name, row in table.iterrows()
        if isinstance(row["vs_chosen"], Interval)
    ]
    draws = count(n_draws, "draw")
    return (
        f"Chosen on validation: **{chosen}** (mean validation AUROC {table.loc[chosen, 'val_auroc']:.3f} over {draws} "
        f"of held-out intents). {'; '.join(others)}; intervals {_unit_reason(table['unit'].iloc[0], n_draws)}."
    )


def describe_oos_test(chosen: str, report: Mapping, target_accuracy: float) -> str:
    """The test messages read once for the chosen score: AUROC and the unseen-intent messages handed over.

    ``report`` is :func:`~shopai_lab.support.oos_test_report`'s dict.

    Examples
    --------
    >>> means = pd.Series({"auroc": 0.9, "oos_handed_over": 0.85, "in_scope_automated": 0.8})
    >>> print(describe_oos_test("energy", {"means": means, "intervals": {}, "per_draw": [1]}, 0.98))
    ... # doctest: +NORMALIZE_WHITESPACE
    On the test messages (read once, energy only): AUROC 0.900; at the threshold that keeps in-scope answers
    at 98.0% on validation it hands over 85.0% of the unseen-intent messages while answering 80.0% of in-scope
    ones automatically (one draw: no interval over draws).
    """
    means, intervals = report["means"], report["intervals"]
    target = require_probability(target_accuracy, "target_accuracy", allow_one=True)
    auroc, handed = f"{means['auroc']:.3f}", percent(means["oos_handed_over"])
    if intervals:
        lo, hi = intervals["auroc"].low, intervals["auroc"].high
        auroc += f" (mean of {len(report['per_draw'])} draws; 95% CI {lo:.3f} to {hi:.3f})"
        h = intervals["oos_handed_over"]
        handed += f" (95% CI {percent(h.low)} to {percent(h.high)})"
        tail = ""
    else:
        tail = " (one draw: no interval over draws)"
    return (
        f"On the test messages (read once, {chosen} only): AUROC {auroc}; at the threshold that keeps in-scope answers "
        f"at {percent(target)} on validation it hands over {handed} of the unseen-intent messages while answering "
        f"{percent(means['in_scope_automated'])} of in-scope ones automatically{tail}."
    )


def describe_entities(
    entity: Mapping, repaired: int, unlabelled: pd.Series, right_reply: float, by_similarity: float
) -> str:
    """Entity extraction scored as raw strings, the labels read as typed, extractions the labels lack, and replies.

    ``unlabelled`` counts extractions without a label by the intent of their message
    (:func:`~shopai_lab.support.unlabelled_extractions`); ``right_reply`` and ``by_similarity`` are the
    shares of right replies with the trained model and by untrained similarity.

    Examples
    --------
    >>> print(describe_entities({"recall": 0.993, "precision": 0.912, "labelled": 460}, 58,
    ...     pd.Series({"track_refund": 43}), 0.995, 0.388))  # doctest: +NORMALIZE_WHITESPACE
    Entities, compared as raw strings: 99.3% of the 460 labelled entities found with the right type and value;
    91.2% of extractions match a label. 58 labels were read as the customer typed them (an order number that
    lost its leading zeros, a word in another case). Extractions without a label: 43 (by intent: track_refund
    43). Right reply: 99.5% with the trained model vs 38.8% by similarity alone.
    """
    missing = [k for k in ("recall", "precision", "labelled") if k not in entity] if isinstance(entity, Mapping) else 0
    if missing != []:
        raise ValueError(f"entity must be entity_scores' dict (recall, precision, labelled); missing {missing}")
    text = (
        f"Entities, compared as raw strings: {percent(entity['recall'])} of the {entity['labelled']:,} labelled "
        f"entities found with the right type and value; {percent(entity['precision'])} of extractions match a label."
    )
    if repaired:
        text += (
            f" {count(repaired, 'label was', 'labels were')} read as the customer typed them (an order number that "
            "lost its leading zeros, a word in another case)."
        )
    if len(unlabelled) and unlabelled.sum():
        by_intent = ", ".join(f"{name} {int(n)}" for name, n in unlabelled.items())
        text += f" Extractions without a label: {int(unlabelled.sum()):,} (by intent: {by_intent})."
    else:
        text += " Every extraction has a label."
    replies = f"Right reply: {percent(right_reply)} with the trained model vs {percent(by_similarity)} by similarity"
    return f"{text} {replies} alone."


def describe_routing(view: pd.DataFrame, right_queue: float, n_queues: int) -> str:
    """The operator's view per 1,000 messages (:func:`~shopai_lab.support.routing_summary`).

    Examples
    --------
    >>> view = pd.DataFrame({"messages": [993.8, 3.9, 1.5, 0.8]})
    >>> print(describe_routing(view, 0.998, 11))  # doctest: +NORMALIZE_WHITESPACE
    Per 1,000 messages to 11 queues: 994 answered automatically and right, 3.9 answered wrongly, 1.5 handed
    over to the right queue and 0.8 to a wrong one; overall 99.8% of messages reach the right queue.
    """
    m = require_columns(view, ["messages"], "view")["messages"].to_numpy()
    return (
        f"Per 1,000 messages to {count(n_queues, 'queue')}: {m[0]:.0f} answered automatically and right, {m[1]:.1f} "
        f"answered wrongly, {m[2]:.1f} handed over to the right queue and {m[3]:.1f} to a wrong one; overall "
        f"{percent(right_queue)} of messages reach the right queue."
    )


def describe_bitext(accuracy: float) -> str:
    """The caveat on the bundled, machine-generated Bitext messages, from the accuracy reached on them.

    Examples
    --------
    >>> describe_bitext(0.995)[:60]
    '**Synthetic shop data.** Bitext is machine-generated; 99.5% '
    """
    accuracy = require_probability(accuracy, "accuracy", allow_zero=True, allow_one=True)
    easy = "says the pipeline works, not that a real shop's messages are that easy" if accuracy >= 0.97 else (
        "is already below what bag-of-words models usually reach on it, so check the pipeline first"
    )  # fmt: skip
    return (
        f"**Synthetic shop data.** Bitext is machine-generated; {percent(accuracy)} accuracy on it {easy}. The "
        "labelled file above is the realistic difficulty."
    )


def _automation_bullet(threshold: float, applied: Mapping, target: float, name: str) -> str:
    if not math.isfinite(threshold):
        return f"- Hand every {name} message to a person: no threshold reaches {percent(target)} on validation."
    wrong = 1000 * applied["automated"] * (1 - applied["accuracy"])
    return (
        f"- Answer automatically when the calibrated confidence is at least {threshold:.3f}: on {name} that covers "
        f"{percent(applied['automated'])} of messages at {percent(applied['accuracy'])} accuracy (target "
        f"{percent(target)}), i.e. about {wrong:.0f} wrong answers per 1,000 messages."
    )


def describe_decision(
    house_vs_best: Interval,
    best_baseline: str,
    automation: Mapping,
    oos_choice: str,
    oos_handed_over: float,
) -> str:
    """The operator's decision: which model to deploy, the automation threshold and the hand-over score.

    The house model is recommended only when its paired interval against the strongest baseline of the
    notebook's own table excludes zero; otherwise the simpler baseline is. ``automation`` holds
    ``threshold`` (chosen on validation), ``applied`` (test ``automated`` share and ``accuracy``),
    ``target_accuracy`` and ``name`` (of the messages).

    Examples
    --------
    >>> r = Interval(0.022, 0.015, 0.029, level=0.95, n=3080, se=0.004)
    >>> auto = {"threshold": 0.868, "applied": {"automated": 0.803, "accuracy": 0.985}, "target_accuracy": 0.98,
    ...         "name": "Banking77"}
    >>> print(describe_decision(r, "char_svm", auto, "energy", 0.848))  # doctest: +NORMALIZE_WHITESPACE
    - Deploy the house model: it is better than the strongest baseline of the table (char_svm) on test
      accuracy, +2.20 points (95% CI +1.50 to +2.90).
    - Answer automatically when the calibrated confidence is at least 0.868: on Banking77 that covers 80.3% of
      messages at 98.5% accuracy (target 98.0%), i.e. about 12 wrong answers per 1,000 messages.
    - Hand over by 'energy' as well (chosen on validation): on the test messages it sends 84.8% of messages
      about unseen intents to a person.
    """
    word = verdict(house_vs_best)
    figures = (
        f"{100 * house_vs_best.estimate:+.2f} points (95% CI {100 * house_vs_best.low:+.2f} to "
        f"{100 * house_vs_best.high:+.2f})"
    )
    if word == "better":
        model = (
            f"- Deploy the house model: it is better than the strongest baseline of the table ({best_baseline}) on "
            f"test accuracy, {figures}."
        )
    else:
        model = (
            f"- Deploy {best_baseline}, the simpler model: the house model is {word} on test accuracy, {figures}, so "
            "its extra training buys nothing measurable here."
        )
    target = require_probability(automation["target_accuracy"], "target_accuracy", allow_one=True)
    bullet = _automation_bullet(automation["threshold"], automation["applied"], target, automation["name"])
    return (
        f"{model}\n{bullet}\n- Hand over by '{oos_choice}' as well (chosen on validation): on the test messages it "
        f"sends {percent(oos_handed_over)} of messages about unseen intents to a person."
    )


def _beats(row: pd.Series) -> bool:
    """A cadence beats the next less frequent one: more automation, or new intents answered sooner."""
    automation, weeks = row["automation_vs_next"], row["weeks_vs_next"]
    return verdict(automation) == "better" or verdict(weeks, higher_is_better=False) == "better"


def handover_decision(table: pd.DataFrame) -> str:
    """The retraining cadence the hand-over loop's numbers support: the name of a row of ``table``.

    Rows run from the most to the least frequent cadence (:func:`~shopai_lab.support.feedback.handover_table`);
    the choice is the most frequent one that beats the next less frequent one (more automation or new
    intents answered sooner, paired intervals over seeds), else the least frequent.

    Examples
    --------
    >>> up = Interval(0.03, 0.02, 0.04, level=0.95, n=10, se=0.005)
    >>> flat = Interval(0.005, -0.01, 0.02, level=0.95, n=10, se=0.005)
    >>> t = pd.DataFrame({"automation_vs_next": [flat, up, None], "weeks_vs_next": [flat, flat, None]},
    ...                  index=["weekly", "monthly", "never"])
    >>> handover_decision(t)
    'monthly'
    """
    require_columns(table, ["automation_vs_next", "weeks_vs_next"], "table")
    if table.empty:
        raise ValueError("table has no cadences")
    chosen = table.index[-1]
    for name in reversed(table.index[:-1]):
        if _beats(table.loc[name]):
            chosen = name
    return str(chosen)


def describe_handover(table: pd.DataFrame, target_accuracy: float, n_weeks: int, n_new_intents: int) -> str:
    """The hand-over loop in words: automation, accuracy against the target, new intents, the cadence to use.

    Parameters
    ----------
    table
        From :func:`shopai_lab.support.feedback.handover_table` (rows from the most to the least frequent
        cadence, intervals against the next row).
    target_accuracy, n_weeks, n_new_intents
        The run's target, length and number of intents introduced after launch (for the words).

    Examples
    --------
    >>> up = Interval(0.05, 0.03, 0.07, level=0.95, n=10, se=0.01)
    >>> faster = Interval(-3.0, -4.0, -2.0, level=0.95, n=10, se=0.5)
    >>> flat = Interval(0.005, -0.01, 0.02, level=0.95, n=10, se=0.005)
    >>> t = pd.DataFrame({"automation": [0.85, 0.84, 0.62], "accuracy": [0.88, 0.87, 0.86],
    ...     "new_answered": [0.4, 0.3, 0.0], "new_wrong": [0.2, 0.25, 0.3], "weeks_to_answer": [4.0, 4.8, 8.5],
    ...     "share_answered": [0.8, 0.7, 0.0], "automation_vs_next": [flat, up, None],
    ...     "weeks_vs_next": [flat, faster, None]}, index=["weekly", "monthly", "never"])
    >>> print(describe_handover(t, 0.9, 12, 10))  # doctest: +NORMALIZE_WHITESPACE
    Over 12 weeks in which 10 intents unknown at launch appear: never retraining answers 62.0% of the messages
    automatically, never a new intent's (0.0% answered rightly, 30.0% of them answered wrongly and never
    learned from). Retraining monthly on the hand-overs answers 84.0% of the messages (against never: +0.050
    (95% CI +0.030 to +0.070), better) and answers 70.0% of the new intents, 4.8 weeks after arrival on
    average (an intent never answered counts all its weeks; against never: -3.000 (95% CI -4.000 to -2.000)
    weeks, better); retraining weekly on the hand-overs answers 85.0% of the messages (against monthly: +0.005
    (95% CI -0.010 to +0.020), not distinguishable) and answers 80.0% of the new intents, 4.0 weeks after
    arrival on average (an intent never answered counts all its weeks; against monthly: +0.005 (95% CI -0.010
    to +0.020) weeks, not distinguishable). **Decision: retraining monthly**. Its automated answers are 87.0%
    right on average, **below the 90.0% target by 3.0 points**: the threshold is chosen on audits of past
    weeks, and the new intents make each week harder than the audits behind it (a stricter rule, or a shorter
    audit window, would trade automation for the target).

    """
    columns = ["automation", "accuracy", "new_answered", "new_wrong", "weeks_to_answer", "share_answered"]
    require_columns(table, columns, "table")
    target = require_probability(target_accuracy, "target_accuracy", allow_one=True)
    n_weeks, n_new = require_positive_int(n_weeks, "n_weeks"), require_positive_int(n_new_intents, "n_new_intents")
    names = list(table.index)
    last = names[-1]
    text = (
        f"Over {count(n_weeks, 'week')} in which {count(n_new, 'intent')} unknown at launch appear: {_cadence(last)} "
        f"answers {percent(table.loc[last, 'automation'])} of the messages automatically"
    )
    if table.loc[last, "new_answered"] == 0:
        text += ", never a new intent's"
    text += (
        f" ({percent(table.loc[last, 'new_answered'])} answered rightly, {percent(table.loc[last, 'new_wrong'])} of "
        "them answered wrongly and never learned from)."
    )
    parts = []
    for name, following in reversed(list(zip(names[:-1], names[1:], strict=True))):
        row = table.loc[name]
        automation, weeks = row["automation_vs_next"], row["weeks_vs_next"]
        speed = (
            "answers none of the new intents within the run ("
            if row["share_answered"] == 0
            else f"answers {percent(row['share_answered'])} of the new intents, {row['weeks_to_answer']:.1f} weeks "
            "after arrival on average (an intent never answered counts all its weeks; "
        )
        parts.append(
            f"{_cadence(name)} on the hand-overs answers {percent(row['automation'])} of the messages (against "
            f"{following}: {interval(automation)}, {verdict(automation)}) and {speed}against {following}: "
            f"{interval(weeks)} weeks, {verdict(weeks, higher_is_better=False)})"
        )
    if parts:
        joined = "; ".join(parts)
        text += " " + joined[0].upper() + joined[1:] + "."
    chosen = handover_decision(table)
    accuracy = table.loc[chosen, "accuracy"]
    text += f" **Decision: {_cadence(chosen)}**. Its automated answers are {percent(accuracy)} right on average"
    if accuracy >= target:
        return text + f", meeting the {percent(target)} target."
    return (
        text + f", **below the {percent(target)} target by {100 * (target - accuracy):.1f} points**: the threshold "
        "is chosen on audits of past weeks, and the new intents make each week harder than the audits behind it "
        "(a stricter rule, or a shorter audit window, would trade automation for the target)."
    )


def _cadence(name: str) -> str:
    return "never retraining" if name == "never" else f"retraining {name}"
