"""Hand-over that teaches the intent model: the support desk run forward, week by week.

At launch the shop trains an intent model on the labelled messages of the intents it knows. Then
messages arrive week by week, and intents the shop never saw at launch start to appear (intents held
out at launch, introduced over the weeks). Each week the model answers the messages whose confidence
clears a threshold; the rest are handed over to a person, who labels them. Only those labels are new
training data: a message answered automatically (rightly or wrongly) is never trained on. Apart from
that, a person audits a random ``validation_share`` of every week's messages (answered or handed over):
those labels are the validation pool, never trained on, and the threshold is re-chosen every week on the
last few weeks of it for the target accuracy (:func:`~shopai_lab.support.choose_threshold`). An audit
of hand-overs alone would not do: every hand-over lies below the threshold, so it says nothing about the accuracy above
it. The model is retrained on the training pool every ``retrain_weeks`` weeks (``None``: never).

The model is a linear SVM on hashed, sublinear word 1-2-gram counts (no vocabulary to fit, so no
message of the future shapes the features); its confidence is the margin of its best intent. Retrained
weekly for a quarter over ten seeds, that is about a hundred fits, which a full house model
(:class:`~shopai_lab.support.IntentClassifier`) could not afford in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_not_empty,
    require_number,
    require_one_of,
    require_positive_int,
    require_probability,
    require_texts,
)
from shopai_lab.simulation import FeedbackLoop, compare_loops, run_loop
from shopai_lab.support.automation import automation_curve, choose_threshold

__all__ = [
    "CADENCES",
    "THRESHOLD_RULES",
    "cautious_threshold",
    "HANDOVER_COLUMNS",
    "HandoverData",
    "HandoverLoop",
    "handover_study",
    "handover_table",
    "hashed_features",
    "predict_with_confidence",
]

#: how the weekly threshold is chosen on the audits (see :class:`HandoverLoop`)
THRESHOLD_RULES: tuple[str, ...] = ("lower bound", "estimate")


def cautious_threshold(score, correct, target_accuracy: float, z: float = 1.959964) -> float:
    """The lowest threshold whose automated messages' accuracy has a Wilson lower bound >= the target.

    Like :func:`~shopai_lab.support.choose_threshold`, but the accuracy must clear the target with the
    uncertainty of the messages it was measured on, so a threshold chosen on few messages is not
    flattered by them. ``inf`` (automate nothing) when no threshold qualifies.

    Examples
    --------
    >>> score = np.linspace(1, 0, 200)
    >>> correct = np.r_[np.ones(150, bool), np.zeros(50, bool)]
    >>> cautious_threshold(score, correct, 0.95) > choose_threshold(score, correct, 0.95)["threshold"]
    True
    """
    target = require_probability(target_accuracy, "target_accuracy", allow_one=True)
    curve = automation_curve(score, correct)
    n = curve["automated"].to_numpy() * len(np.asarray(score))
    p = curve["accuracy"].to_numpy()
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    ok = np.flatnonzero(centre - half >= target - 1e-12)
    return float(curve["threshold"].iloc[ok[-1]]) if ok.size else float("inf")


#: retraining cadences by name: weeks between retrains (``None``: never)
CADENCES: dict[str, int | None] = {"weekly": 1, "monthly": 4, "never": None}


def hashed_features(texts, n_features: int = 2**17):
    """Sublinear, L2-normalised hashed counts of word 1-2-grams (a sparse matrix; nothing fitted).

    Examples
    --------
    >>> hashed_features(["track my order", "cancel my order"]).shape
    (2, 131072)
    """
    texts = require_texts(texts, "texts")
    n_features = require_positive_int(n_features, "n_features")
    X = HashingVectorizer(ngram_range=(1, 2), n_features=n_features, alternate_sign=False, norm=None).transform(texts)
    X.data = 1.0 + np.log(X.data)
    return normalize(X).tocsr()


class HandoverData:
    """The labelled messages a hand-over loop draws its worlds from (features computed once).

    Parameters
    ----------
    messages
        Labelled messages: columns ``text`` and ``intent`` (e.g. Banking77). Not modified.
    n_new_intents
        Intents held out at launch; each starts arriving in a week drawn from the first half of the run.
    launch_share
        Share of the known intents' messages labelled at launch (the rest arrive over the weeks).
    validation_share
        Share of the launch messages, and of every week's messages (a random audit), labelled for
        choosing the threshold and never trained on.
    messages_per_week
        Messages arriving per week (drawn from the messages not used at launch).

    Examples
    --------
    >>> msgs = pd.DataFrame({"text": ["a b", "c d"] * 20, "intent": ["x", "y"] * 20})
    >>> HandoverData(msgs, n_new_intents=1, messages_per_week=5).n_intents
    2
    """

    def __init__(
        self,
        messages: pd.DataFrame,
        *,
        n_new_intents: int = 10,
        launch_share: float = 0.3,
        validation_share: float = 0.2,
        messages_per_week: int = 500,
    ) -> None:
        require_columns(messages, ["text", "intent"], "messages")
        require_not_empty(messages, "messages")
        texts = require_texts(messages["text"].tolist(), "messages['text']")
        if messages["intent"].isna().any():
            raise ValueError("messages['intent'] has missing values; every message needs its intent")
        self.intents = messages["intent"].astype(str).to_numpy()
        self.n_intents = int(len(np.unique(self.intents)))
        self.n_new_intents = require_positive_int(n_new_intents, "n_new_intents")
        if self.n_new_intents >= self.n_intents:
            raise ValueError(
                f"n_new_intents must be below the number of intents ({self.n_intents}), got {n_new_intents}"
            )
        self.launch_share = require_probability(launch_share, "launch_share")
        self.validation_share = require_probability(validation_share, "validation_share")
        self.messages_per_week = require_positive_int(messages_per_week, "messages_per_week")
        self.features = hashed_features(texts)
        self._launch_models: dict = {}

    def __repr__(self) -> str:
        return (
            f"HandoverData(messages={len(self.intents)}, intents={self.n_intents}, "
            f"n_new_intents={self.n_new_intents}, messages_per_week={self.messages_per_week})"
        )

    def fit_model(self, rows: np.ndarray) -> LinearSVC:
        """The intent model trained on the messages at ``rows``."""
        return LinearSVC(C=0.5, tol=1e-3, random_state=0).fit(self.features[rows], self.intents[rows])

    def launch_model(self, key: tuple, rows: np.ndarray) -> LinearSVC:
        """The launch model of a world (fitted once per world; every cadence starts from it)."""
        if key not in self._launch_models:
            self._launch_models[key] = self.fit_model(rows)
        return self._launch_models[key]


def predict_with_confidence(model: LinearSVC, X) -> tuple[np.ndarray, np.ndarray]:
    """Each message's predicted intent and its confidence (the best intent's margin).

    Examples
    --------
    >>> X = hashed_features(["track my order", "cancel my order", "where is my order", "stop my order"])
    >>> model = LinearSVC(random_state=0).fit(X, ["track", "cancel", "track", "cancel"])
    >>> predict_with_confidence(model, X)[0].tolist()
    ['track', 'cancel', 'track', 'cancel']
    """
    margins = model.decision_function(X)
    if margins.ndim == 1:  # two intents: the sign chooses
        best = (margins > 0).astype(int)
        return model.classes_[best], np.abs(margins)
    best = ranking.argmax(margins, axis=1)
    return model.classes_[best], margins[np.arange(len(best)), best]


@dataclass
class _HandoverState:
    model: LinearSVC
    train: np.ndarray
    validation: list  # the launch validation messages, then each week's audit
    threshold: float
    stream: list  # per week, the rows arriving
    new_intents: dict  # intent -> arrival week
    answered_week: dict = field(default_factory=dict)  # new intent -> first week it was answered


class HandoverLoop(FeedbackLoop):
    """Messages arrive weekly, new intents appear, hand-overs are labelled and retrained on.

    Parameters
    ----------
    data
        A :class:`HandoverData`.
    retrain_weeks
        Weeks between retrains (1 weekly, 4 monthly); ``None``: never retrain (the launch model forever).
    target_accuracy
        Accuracy required of the automated answers on the validation pool.
    n_weeks
        Length of a run in weeks (the new intents arrive in its first half).
    answered_share
        A new intent counts as answered in a week when at least this share of its messages that week
        was answered automatically and correctly.
    audit_weeks
        The threshold is chosen on the audits of the last this many weeks (the launch validation messages
        count as one week until then): recent enough to see the new intents, large enough to be stable.
    threshold_rule
        ``"lower bound"``: the lowest threshold whose automated audits' accuracy has a 95% Wilson lower
        bound at the target (:func:`cautious_threshold`); ``"estimate"``: whose accuracy itself reaches it
        (:func:`~shopai_lab.support.choose_threshold`, notebook 09's rule), which on a few hundred audits
        picks a threshold that flatters itself and misses the target on the next week's messages.

    Each round is one week; its metrics are ``automation`` (share of the week's messages answered
    automatically), ``accuracy`` (of those answers), ``new_automation`` and ``new_answered``
    (share of the arrived new intents' messages answered automatically, and answered rightly),
    ``new_wrong`` (share answered wrongly: never labelled, so never learned from), ``threshold`` and, on
    the last round, ``weeks_to_answer`` (mean over new intents of the weeks from arrival to the first
    week answered; an intent never answered counts the weeks it was seen) and ``share_answered`` (share
    of new intents answered at least once).

    Examples
    --------
    >>> msgs = pd.DataFrame({"text": [f"w{i % 3} x{i % 7}" for i in range(90)],
    ...                      "intent": [str(i % 3) for i in range(90)]})
    >>> loop = HandoverLoop(HandoverData(msgs, n_new_intents=1, messages_per_week=10), n_weeks=2)
    >>> loop.retrain_weeks
    1
    """

    def __init__(
        self,
        data: HandoverData,
        *,
        retrain_weeks: int | None = 1,
        target_accuracy: float = 0.9,
        n_weeks: int = 12,
        answered_share: float = 0.5,
        audit_weeks: int = 4,
        threshold_rule: str = "lower bound",
    ) -> None:
        if not isinstance(data, HandoverData):
            raise TypeError(f"data must be a HandoverData, got {type(data).__name__}")
        self.data = data
        self.retrain_weeks = None if retrain_weeks is None else require_positive_int(retrain_weeks, "retrain_weeks")
        self.target_accuracy = require_probability(target_accuracy, "target_accuracy", allow_one=True)
        self.n_weeks = require_positive_int(n_weeks, "n_weeks", minimum=2)
        self.answered_share = require_number(answered_share, "answered_share", low=0.0, high=1.0, low_inclusive=False)
        self.audit_weeks = require_positive_int(audit_weeks, "audit_weeks")
        self.threshold_rule = require_one_of(threshold_rule, "threshold_rule", THRESHOLD_RULES)

    def __repr__(self) -> str:
        return (
            f"HandoverLoop(retrain_weeks={self.retrain_weeks}, target_accuracy={self.target_accuracy}, "
            f"n_weeks={self.n_weeks})"
        )

    def _world(self, world_seed: int) -> tuple[np.ndarray, np.ndarray, list, dict]:
        """Launch rows (train, validation), the rows arriving each week and the new intents' arrival weeks."""
        data, rng = self.data, np.random.default_rng(world_seed)
        names = np.unique(data.intents)
        new = rng.choice(names, size=data.n_new_intents, replace=False)
        arrival = dict(zip(new.tolist(), rng.integers(1, self.n_weeks // 2 + 1, size=len(new)).tolist(), strict=True))
        order = rng.permutation(len(data.intents))
        is_new = np.isin(data.intents[order], new)
        known = order[~is_new]
        n_launch = max(int(round(data.launch_share * len(known))), 2)
        n_validation = max(int(round(data.validation_share * n_launch)), 1)
        launch = known[:n_launch]
        pool = np.r_[known[n_launch:], order[is_new]]
        pool = pool[np.argsort(rng.permutation(len(pool)), kind="stable")]
        start = np.array([arrival.get(intent, 0) for intent in data.intents[pool]])
        used = np.zeros(len(pool), bool)
        stream = []
        for week in range(self.n_weeks):
            free = np.flatnonzero(~used & (start <= week))[: data.messages_per_week]
            if free.size == 0:
                raise ValueError(f"no messages left for week {week}: lower messages_per_week, n_weeks or launch_share")
            used[free] = True
            stream.append(pool[free])
        return launch[n_validation:], launch[:n_validation], stream, arrival

    def _threshold(self, model: LinearSVC, validation: np.ndarray) -> float:
        predicted, confidence = predict_with_confidence(model, self.data.features[validation])
        correct = predicted == self.data.intents[validation]
        if self.threshold_rule == "estimate":
            return choose_threshold(confidence, correct, self.target_accuracy)["threshold"]
        return cautious_threshold(confidence, correct, self.target_accuracy)

    def reset(self, rng: np.random.Generator) -> _HandoverState:
        world_seed = int(rng.integers(0, 2**31 - 1))
        train, validation, stream, arrival = self._world(world_seed)
        model = self.data.launch_model((world_seed, self.n_weeks), train)
        return _HandoverState(model, train, [validation], self._threshold(model, validation), stream, arrival)

    def step(self, state: _HandoverState, round_index: int, rng: np.random.Generator):
        if round_index >= len(state.stream):
            raise ValueError(f"round {round_index} is past the run's n_weeks={self.n_weeks}")
        data, rows = self.data, state.stream[round_index]
        predicted, confidence = predict_with_confidence(state.model, data.features[rows])
        automated = confidence >= state.threshold
        correct = predicted == data.intents[rows]
        metrics = _week_metrics(data.intents[rows], automated, correct, state, round_index, self.answered_share)
        metrics["threshold"] = state.threshold
        audited = rng.random(len(rows)) < data.validation_share
        state.validation.append(rows[audited])
        state.train = np.r_[state.train, rows[~automated & ~audited]]
        if self.retrain_weeks is not None and (round_index + 1) % self.retrain_weeks == 0:
            state.model = data.fit_model(state.train)
        state.threshold = self._threshold(state.model, np.concatenate(state.validation[-self.audit_weeks :]))
        if round_index == self.n_weeks - 1:
            metrics.update(_answer_times(state, self.n_weeks))
        return state, metrics


def _week_metrics(intents, automated, correct, state, week: int, answered_share: float) -> dict:
    """The week's automation and accuracy, overall and on the new intents; notes new intents answered."""
    arrived = [name for name, start in state.new_intents.items() if start <= week]
    new = np.isin(intents, arrived)
    answered = automated & correct
    for name in arrived:
        mine = intents == name
        if mine.any() and name not in state.answered_week and answered[mine].mean() >= answered_share:
            state.answered_week[name] = week
    return {
        "automation": float(automated.mean()),
        "accuracy": float(correct[automated].mean()) if automated.any() else np.nan,
        "new_automation": float(automated[new].mean()) if new.any() else np.nan,
        "new_answered": float(answered[new].mean()) if new.any() else np.nan,
        "new_wrong": float((automated & ~correct)[new].mean()) if new.any() else np.nan,
    }


def _answer_times(state: _HandoverState, n_weeks: int) -> dict:
    """Mean weeks from a new intent's arrival to its first answered week (never: the weeks it was seen)."""
    waits = [state.answered_week.get(name, n_weeks) - start for name, start in state.new_intents.items()]
    return {
        "weeks_to_answer": float(np.mean(waits)),
        "share_answered": len(state.answered_week) / len(state.new_intents),
    }


def handover_study(
    data: HandoverData,
    cadences=("weekly", "monthly", "never"),
    n_weeks: int = 12,
    seeds=range(10),
    target_accuracy: float = 0.9,
    progress=None,
    **loop_params,
) -> dict[str, pd.DataFrame]:
    """Run :class:`HandoverLoop` under each retraining cadence (:data:`CADENCES`) with the same seeds.

    Every cadence of a seed starts from the same world and launch model (paired); name -> history.

    Examples
    --------
    >>> msgs = pd.DataFrame({"text": [f"w{i % 4} x{i % 9}" for i in range(200)],
    ...                      "intent": [f"i{i % 4}" for i in range(200)]})
    >>> histories = handover_study(HandoverData(msgs, n_new_intents=1, messages_per_week=20), n_weeks=3, seeds=[0, 1])
    >>> {name: len(history) for name, history in histories.items()}
    {'weekly': 6, 'monthly': 6, 'never': 6}
    """
    if not isinstance(data, HandoverData):
        raise TypeError(f"data must be a HandoverData, got {type(data).__name__}")
    if isinstance(cadences, str) or not hasattr(cadences, "__iter__"):
        raise TypeError(f"cadences must be a list of names from {list(CADENCES)}, got {cadences!r}")
    cadences = [require_one_of(c, "cadences", list(CADENCES)) for c in cadences]
    if not cadences or len(set(cadences)) != len(cadences):
        raise ValueError(f"cadences must be distinct names from {list(CADENCES)}, got {cadences!r}")
    seeds = list(seeds)
    return {
        name: run_loop(
            HandoverLoop(
                data, retrain_weeks=CADENCES[name], target_accuracy=target_accuracy, n_weeks=n_weeks, **loop_params
            ),
            n_weeks,
            seeds,
            progress,
        )
        for name in cadences
    }


#: the columns of :func:`handover_table` and what each says
HANDOVER_COLUMNS: dict[str, str] = {
    "automation": "share of messages answered automatically (mean over weeks)",
    "accuracy": "accuracy of the automated answers (mean over weeks)",
    "new_answered": "share of the new intents' messages answered rightly (mean over weeks)",
    "new_wrong": "share of the new intents' messages answered wrongly (mean over weeks)",
    "weeks_to_answer": "weeks from a new intent's arrival to its first answered week (never: the weeks seen)",
    "share_answered": "share of the new intents answered within the run",
}


def _seed_means(history: pd.DataFrame, metric: str) -> pd.DataFrame:
    means = history.groupby("seed", sort=True)[metric].mean()
    return pd.DataFrame({"seed": means.index, "round": 0, metric: means.to_numpy()})


def handover_table(histories: dict, baseline: str = "never", n_boot: int = 2000, random_state=0) -> pd.DataFrame:
    """Each cadence's means of :data:`HANDOVER_COLUMNS`, with intervals against ``baseline`` paired over seeds.

    Weekly metrics are first averaged over the weeks of each seed; the answer times are the last week's.

    Returns
    -------
    pandas.DataFrame
        One row per cadence, in the order given: the means, the :class:`~shopai_lab.stats.Interval` columns
        ``<column>_change`` (``b - a`` against the baseline; ``None`` on the baseline's row) and
        ``automation_vs_next`` and ``weeks_vs_next`` (against the next row: weekly against monthly, monthly
        against never; ``None`` on the last row).

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 1, 2], "round": 0, **{c: [0.5, 0.6, 0.7] for c in HANDOVER_COLUMNS}})
    >>> t = handover_table({"weekly": h.assign(automation=h["automation"] + 0.1), "never": h})
    >>> print(t.loc["weekly", "automation_vs_next"])
    +0.100 (95% CI +0.100 to +0.100)
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict of cadence -> history, got {type(histories).__name__}")
    baseline = require_one_of(baseline, "baseline", list(histories))
    rows = {}
    for name, history in histories.items():
        require_columns(history, ["seed", "round", *HANDOVER_COLUMNS], f"histories[{name!r}]")
        row = {}
        for column in HANDOVER_COLUMNS:
            a, b = _seed_means(histories[baseline], column), _seed_means(history, column)
            row[column] = float(b[column].mean())
            other = name != baseline
            row[f"{column}_change"] = (
                compare_loops(a, b, column, n_boot=n_boot, random_state=random_state) if other else None
            )
        rows[name] = row
    names = list(histories)
    for name, following in zip(names, [*names[1:], None], strict=True):
        for column, key in (("automation", "automation_vs_next"), ("weeks_to_answer", "weeks_vs_next")):
            rows[name][key] = (
                None
                if following is None
                else compare_loops(
                    _seed_means(histories[following], column),
                    _seed_means(histories[name], column),
                    column,
                    n_boot=n_boot,
                    random_state=random_state,
                )
            )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "cadence"
    return table
