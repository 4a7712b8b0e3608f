"""Human review that teaches the detector: the review queue run forward, week by week.

Invoices arrive by week (the real data, with planted anomalies and real same-day reversals as the
truth, on the look-ahead-free features of :mod:`~shopai_lab.anomaly.features`). A reviewer looks at
``budget`` invoices a week and labels each one (anomalous or not); the labels are the only truth the
shop ever sees. Policies (:class:`ReviewLoop`'s ``policy``):

- ``"ensemble"``: the unsupervised ensemble alone (members fitted on the launch weeks, combined by a
  :class:`~shopai_lab.anomaly.CalibratedMax` calibrated on a validation planting, as in notebook 08);
- ``"supervised"``: that ensemble plus a supervised model retrained each week on the labels collected so
  far (:class:`LabelModel`), the two scores combined by their mean percentile within the week;
- the same with ``explore_share`` of the budget spent on the invoices the supervised model is least sure
  about (active learning, ``explore="uncertain"``) or on random ones (``explore="random"``).

One kind of anomaly (``late_kind``) only starts ``late_kind_week`` weeks into the review, so the loop
measures whether learning from labels blinds the queue to a kind never labelled yet. A
:class:`ReviewData` holds the lines and builds each seed's simulated world once (cached), so every
policy run with the same seeds sees the same worlds (paired comparisons,
:func:`shopai_lab.simulation.compare_loops`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from shopai_lab import ranking
from shopai_lab._validation import (
    as_bool_array,
    require_columns,
    require_datetime,
    require_frame,
    require_not_empty,
    require_number,
    require_one_of,
    require_positive_int,
    require_seed,
    require_string,
)
from shopai_lab.anomaly.detectors import CalibratedMax, RankEnsemble, default_detectors, percentiles
from shopai_lab.anomaly.evaluate import reversal_labels
from shopai_lab.anomaly.features import LINE_COLUMNS, invoice_features, model_matrix
from shopai_lab.anomaly.inject import KINDS, inject_anomalies
from shopai_lab.simulation import FeedbackLoop, compare_loops, run_loop

__all__ = [
    "LabelModel",
    "POLICIES",
    "REVIEW_COLUMNS",
    "REVIEW_KINDS",
    "ReviewData",
    "ReviewLoop",
    "ReviewWorld",
    "review_policies",
    "review_study",
    "review_table",
    "seed_means",
    "world_summary",
]

#: the review loop's policies
POLICIES: tuple[str, ...] = ("ensemble", "supervised")
#: the kinds of truth in the loop: the planted kinds and real invoices reversed soon after (``reversal``)
REVIEW_KINDS: tuple[str, ...] = (*KINDS, "reversal")
_WEEK = pd.Timedelta(days=7)


class LabelModel:
    """The supervised model of the loop: standardised logistic regression on features, percentiles and ensemble.

    It learns from the reviewer's labels (``True`` = anomalous). Unweighted classes: trained on perfect
    labels of half of each of four plantings of the bundled data (seeds 0-3, none a loop's world) and
    scored on the other half, it reached an average precision of 0.377 unweighted, 0.326 with balanced
    class weights, against 0.308 for the unsupervised ensemble.

    Examples
    --------
    >>> X = pd.DataFrame({"a": np.r_[np.zeros(20), np.ones(5) * 3], "b": np.arange(25.0) % 2})
    >>> y = np.r_[np.zeros(20, bool), np.ones(5, bool)]
    >>> model = LabelModel().fit(X, y)
    >>> bool(model.predict_proba(X)[:, 1][-1] > 0.5 > model.predict_proba(X)[:, 1][0])
    True
    """

    def __init__(self, *, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: pd.DataFrame, y) -> LabelModel:
        X = require_frame(X, "X")
        y = as_bool_array(y, "y")
        if len(y) != len(X):
            raise ValueError(f"y has {len(y)} labels but X has {len(X)} rows")
        if y.all() or not y.any():
            raise ValueError("y must hold both anomalous (True) and normal (False) labels")
        C = require_number(self.C, "C", low=0.0, high=np.inf, low_inclusive=False)
        self.pipeline_ = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000)).fit(
            X.to_numpy(float), y
        )
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Columns: probability of normal, probability of anomalous."""
        if not hasattr(self, "pipeline_"):
            raise ValueError("this LabelModel is not fitted yet: call fit(X, y) first")
        return self.pipeline_.predict_proba(require_frame(X, "X").to_numpy(float))


@dataclass
class ReviewWorld:
    """One seed's simulated world: what the loop reviews, week by week.

    Attributes
    ----------
    features
        The model's inputs per invoice (the model matrix and the ensemble members' percentiles).
    kind
        The truth per invoice: ``"normal"`` or one of :data:`REVIEW_KINDS`.
    week
        Week of each invoice, counted from the first review week (negative: the launch weeks).
    ensemble
        The unsupervised ensemble's score of each invoice.
    """

    features: pd.DataFrame
    kind: np.ndarray
    week: np.ndarray
    ensemble: np.ndarray
    by_week: list = field(default_factory=list)


def _check_lines(purchases: pd.DataFrame, returns: pd.DataFrame) -> None:
    for name, frame in (("purchases", purchases), ("returns", returns)):
        require_columns(frame, LINE_COLUMNS, name)
        require_datetime(frame, "timestamp", name)
    require_not_empty(purchases, "purchases")


class ReviewData:
    """The lines a review loop draws its worlds from, and the worlds built so far (one per seed).

    Parameters
    ----------
    purchases, returns
        Clean purchase and cancellation lines (``shopai_lab.data.clean_transactions``). Not modified.
    launch_weeks
        Weeks before the review starts: the unsupervised detectors are fitted on them.
    rate
        Share of invoices planted as anomalies (split equally between :data:`~shopai_lab.anomaly.KINDS`).
    late_kind, late_kind_week
        The planted kind that only appears ``late_kind_week`` weeks into the review (``None``: none).
    reversal_days
        An invoice a matching cancellation reverses within this many days is a real anomaly.
    validation_seed
        Seed of the planting the ensemble's calibration learns from (never a loop's world).
    n_neighbors
        LOF's neighbourhood.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(6000, n_customers=200, n_items=60, days=140, lines_per_invoice=4, random_state=0)
    >>> review = ReviewData(lines, lines.iloc[:0], launch_weeks=4, rate=0.05, late_kind_week=4, n_neighbors=10)
    >>> review.n_review_weeks
    15
    """

    def __init__(
        self,
        purchases: pd.DataFrame,
        returns: pd.DataFrame,
        *,
        launch_weeks: int = 8,
        rate: float = 0.01,
        late_kind: str | None = "burst",
        late_kind_week: int = 16,
        reversal_days: float = 1.0,
        validation_seed: int = 100,
        n_neighbors: int = 50,
    ) -> None:
        _check_lines(purchases, returns)
        self.launch_weeks = require_positive_int(launch_weeks, "launch_weeks")
        self.rate = require_number(rate, "rate", low=0.0, high=0.5, low_inclusive=False)
        self.late_kind = None if late_kind is None else require_one_of(late_kind, "late_kind", KINDS)
        self.late_kind_week = require_positive_int(late_kind_week, "late_kind_week", minimum=0)
        self.reversal_days = require_number(reversal_days, "reversal_days", low=0.0, high=np.inf, low_inclusive=False)
        self.validation_seed = require_seed(validation_seed, "validation_seed")
        self.n_neighbors = require_positive_int(n_neighbors, "n_neighbors")
        self._purchases, self._returns = purchases, returns
        self._start = purchases["timestamp"].min().normalize()
        self._worlds: dict[int, ReviewWorld] = {}
        self.calibration_ = self._calibrate()

    @property
    def review_start(self) -> pd.Timestamp:
        """The first moment of the first review week."""
        return self._start + self.launch_weeks * _WEEK

    @property
    def n_review_weeks(self) -> int:
        """Whole weeks of data after the launch weeks (the most rounds a loop can run)."""
        end = self._purchases["timestamp"].max()
        return max(int((end - self.review_start) / _WEEK), 0)

    def _plant(self, seed: int) -> tuple[pd.DataFrame, pd.Series]:
        """Planted lines and kinds; the late kind only after its week, at the same rate per kind."""
        per_kind = self.rate / len(KINDS)
        early = [k for k in KINDS if k != self.late_kind]
        first = inject_anomalies(self._purchases, rate=per_kind * len(early), kinds=early, random_state=seed)
        labels = first.labels.copy()
        if self.late_kind is None:
            return first.lines, labels
        cut = self.review_start + self.late_kind_week * _WEEK
        later = first.lines["timestamp"] >= cut
        if later.sum() == 0:
            return first.lines, labels
        second = inject_anomalies(
            first.lines[later.to_numpy()], rate=per_kind, kinds=[self.late_kind], random_state=seed + 1_000_003
        )
        lines = pd.concat([first.lines[~later.to_numpy()], second.lines], ignore_index=True)
        new = second.labels[second.labels != "normal"]
        return lines, pd.concat([labels, new])

    def _truth(self, features: pd.DataFrame, planted: pd.Series) -> np.ndarray:
        kind = planted.reindex(features.index).fillna("normal").to_numpy(object)
        reversed_ = reversal_labels(self._purchases, self._returns, features.index, max_days=self.reversal_days)
        return np.where((kind == "normal") & reversed_.to_numpy(), "reversal", kind)

    def _scored(self, lines: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
        """Features, members' percentiles (fitted on the launch weeks) and each invoice's week."""
        features = invoice_features(lines)
        X = model_matrix(features)
        week = np.floor((features["timestamp"] - self.review_start) / _WEEK).to_numpy().astype(int)
        launch = week < 0
        if launch.sum() < 2 * self.n_neighbors:
            raise ValueError(
                f"the {self.launch_weeks} launch weeks hold {int(launch.sum())} invoices; the detectors need at "
                f"least {2 * self.n_neighbors} (more launch_weeks or a smaller n_neighbors)"
            )
        members = default_detectors(n_neighbors=self.n_neighbors, random_state=seed)
        ensemble = RankEnsemble(detectors=list(members.items()), combine="max").fit(X[launch])
        P = ensemble.member_percentiles(X)
        return X, P, week

    def _calibrate(self) -> CalibratedMax:
        lines, planted = self._plant(self.validation_seed)
        X, P, week = self._scored(lines, self.validation_seed)
        kind = self._truth(X, planted)
        return CalibratedMax(list(P.columns)).fit(P[week >= 0], kind[week >= 0] != "normal")

    def world(self, seed: int) -> ReviewWorld:
        """The world of ``seed`` (built once, then cached)."""
        seed = int(require_seed(seed, "seed"))
        if seed not in self._worlds:
            lines, planted = self._plant(seed)
            X, P, week = self._scored(lines, seed)
            score = self.calibration_.combine(P)
            features = pd.concat([X, P.add_prefix("pct "), pd.Series(score, index=X.index, name="ensemble")], axis=1)
            world = ReviewWorld(features=features, kind=self._truth(X, planted), week=week, ensemble=score)
            world.by_week = [np.flatnonzero(week == w) for w in range(max(int(week.max()) + 1, 0))]
            self._worlds[seed] = world
        return self._worlds[seed]

    def __repr__(self) -> str:
        return (
            f"ReviewData(invoices≈{self._purchases['invoice_id'].nunique()}, launch_weeks={self.launch_weeks}, "
            f"rate={self.rate}, late_kind={self.late_kind!r}, late_kind_week={self.late_kind_week})"
        )


def _world_seed(rng: np.random.Generator) -> int:
    """The seed of a run's world: the first draw of the run's generator (so every policy of a seed shares it)."""
    return int(rng.integers(0, 2**31 - 1))


def _week_percentiles(values: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each value among the week's values (0..1)."""
    return percentiles(values, values)


@dataclass
class _ReviewState:
    world: ReviewWorld
    labelled: np.ndarray  # positions of every invoice reviewed so far
    model: LabelModel | None = None
    found: dict = field(default_factory=dict)  # kind -> anomalies of that kind reviewed so far
    arrived: dict = field(default_factory=dict)  # kind -> anomalies of that kind that arrived so far


class ReviewLoop(FeedbackLoop):
    """A reviewer with ``budget`` invoices a week, labelling what the queue shows (see the module docstring).

    Parameters
    ----------
    data
        A :class:`ReviewData` (the lines and the cached worlds).
    budget
        Invoices reviewed per week (the whole week when it has fewer).
    policy
        ``"ensemble"`` or ``"supervised"`` (:data:`POLICIES`).
    explore_share
        Share of the budget spent on exploration (``"supervised"`` only); the rest goes to the top of the
        queue.
    explore
        ``"uncertain"``: the invoices whose supervised probability is closest to one half (random until
        the model exists); ``"random"``: invoices drawn at random.
    min_labels
        Anomalous labels (and as many normal ones) needed before the supervised model is first trained.

    Each round is one review week; its metrics are ``precision`` (share of reviewed invoices that are
    anomalous), ``recall`` (share of the week's anomalies reviewed), ``recall_<kind>`` per kind present
    that week (``recall_quantity``, ...), ``recall_unlabelled_kinds`` (anomalies of kinds no label has
    shown yet), ``found_so_far`` (share of all anomalies so far that were reviewed), ``labelled``
    (invoices labelled so far) and ``model_used`` (1 when the supervised model scored the week).

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> from shopai_lab.simulation import run_loop
    >>> lines = random_transactions(6000, n_customers=200, n_items=60, days=140, lines_per_invoice=4, random_state=0)
    >>> review = ReviewData(lines, lines.iloc[:0], launch_weeks=4, rate=0.05, late_kind_week=4, n_neighbors=10)
    >>> run_loop(ReviewLoop(review, budget=5), n_rounds=3, seeds=[0])["labelled"].tolist()
    [5.0, 10.0, 15.0]
    """

    def __init__(
        self,
        data: ReviewData,
        *,
        budget: int = 20,
        policy: str = "ensemble",
        explore_share: float = 0.0,
        explore: str = "uncertain",
        min_labels: int = 5,
    ) -> None:
        if not isinstance(data, ReviewData):
            raise TypeError(f"data must be a ReviewData, got {type(data).__name__}")
        self.data = data
        self.budget = require_positive_int(budget, "budget")
        self.policy = require_one_of(require_string(policy, "policy"), "policy", POLICIES)
        self.explore_share = require_number(explore_share, "explore_share", low=0.0, high=1.0)
        if self.explore_share > 0 and self.policy != "supervised":
            raise ValueError("explore_share > 0 needs policy='supervised' (exploration is guided by its model)")
        self.explore = require_one_of(explore, "explore", ("uncertain", "random"))
        self.min_labels = require_positive_int(min_labels, "min_labels")

    def __repr__(self) -> str:
        return (
            f"ReviewLoop(budget={self.budget}, policy={self.policy!r}, explore_share={self.explore_share}, "
            f"explore={self.explore!r})"
        )

    def reset(self, rng: np.random.Generator) -> _ReviewState:
        world = self.data.world(_world_seed(rng))
        return _ReviewState(world=world, labelled=np.zeros(0, dtype=int))

    def _choose(self, state: _ReviewState, week: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Positions (into the world) of the invoices reviewed this week."""
        world = state.world
        if len(week) <= self.budget:
            return week
        score = world.ensemble[week]
        probability = None
        if state.model is not None:
            probability = state.model.predict_proba(world.features.iloc[week])[:, 1]
            score = 0.5 * (_week_percentiles(score) + _week_percentiles(probability))
        n_explore = int(round(self.explore_share * self.budget))
        order = ranking.descending_order(score)
        top = order[: self.budget - n_explore]
        rest = np.setdiff1d(np.arange(len(week)), top)
        if n_explore == 0:
            return week[top]
        if self.explore == "uncertain" and probability is not None:
            picked = rest[ranking.descending_order(-np.abs(probability[rest] - 0.5))[:n_explore]]
        else:
            picked = rng.choice(rest, size=n_explore, replace=False)
        return week[np.r_[top, picked]]

    def _learn(self, state: _ReviewState) -> None:
        if self.policy != "supervised":
            return
        y = state.world.kind[state.labelled] != "normal"
        if min(int(y.sum()), int((~y).sum())) >= self.min_labels:
            state.model = LabelModel().fit(state.world.features.iloc[state.labelled], y)

    def step(self, state: _ReviewState, round_index: int, rng: np.random.Generator):
        world = state.world
        if round_index >= len(world.by_week):
            raise ValueError(
                f"round {round_index} is past the data: {len(world.by_week)} review weeks "
                "(fewer rounds, or fewer launch_weeks)"
            )
        week = world.by_week[round_index]
        seen_kinds = set(world.kind[state.labelled]) - {"normal"}
        scored_by_model = state.model is not None
        reviewed = self._choose(state, week, rng)
        metrics = _week_metrics(world.kind, week, reviewed, seen_kinds, state)
        state.labelled = np.r_[state.labelled, reviewed]
        self._learn(state)
        metrics.update(labelled=len(state.labelled), model_used=float(scored_by_model))
        return state, metrics


def _week_metrics(kind: np.ndarray, week: np.ndarray, reviewed: np.ndarray, seen_kinds: set, state) -> dict:
    """The round's metrics; updates the running counts of anomalies found and arrived in ``state``."""
    anomalous = kind[week] != "normal"
    hit = np.isin(week, reviewed)
    metrics = {
        "precision": float((kind[reviewed] != "normal").mean()) if len(reviewed) else np.nan,
        "recall": float(hit[anomalous].mean()) if anomalous.any() else np.nan,
    }
    for name in REVIEW_KINDS:
        mine = kind[week] == name
        metrics[f"recall_{name}"] = float(hit[mine].mean()) if mine.any() else np.nan
        state.found[name] = state.found.get(name, 0) + int((hit & mine).sum())
        state.arrived[name] = state.arrived.get(name, 0) + int(mine.sum())
    new = anomalous & ~np.isin(kind[week], list(seen_kinds))
    metrics["recall_unlabelled_kinds"] = float(hit[new].mean()) if new.any() else np.nan
    arrived = sum(state.arrived.values())
    metrics["found_so_far"] = sum(state.found.values()) / arrived if arrived else np.nan
    return metrics


def review_policies(explore_shares=(0.1, 0.25)) -> dict[str, dict]:
    """Policy name -> :class:`ReviewLoop` keywords: the ensemble, the supervised model, and each exploring share.

    Examples
    --------
    >>> list(review_policies([0.2]))
    ['ensemble', 'supervised', 'supervised, 20% exploring']
    """
    if isinstance(explore_shares, (str, bytes)) or not hasattr(explore_shares, "__iter__"):
        raise TypeError(f"explore_shares must be a list of shares, got {explore_shares!r}")
    shares = [require_number(s, "explore_shares", low=0.0, high=1.0, low_inclusive=False) for s in explore_shares]
    policies = {"ensemble": {"policy": "ensemble"}, "supervised": {"policy": "supervised"}}
    for share in shares:
        policies[f"supervised, {100 * share:g}% exploring"] = {"policy": "supervised", "explore_share": share}
    return policies


def review_study(
    data: ReviewData,
    budget: int = 20,
    explore_shares=(0.1, 0.25),
    n_weeks: int = 40,
    seeds=range(10),
    explore: str = "uncertain",
    progress=None,
) -> dict[str, pd.DataFrame]:
    """Run :class:`ReviewLoop` under each policy of :func:`review_policies` with the same seeds; name -> history.

    The worlds are built once per seed (``data`` caches them), so the policies are paired.

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(6000, n_customers=200, n_items=60, days=140, lines_per_invoice=4, random_state=0)
    >>> review = ReviewData(lines, lines.iloc[:0], launch_weeks=4, rate=0.05, late_kind_week=4, n_neighbors=10)
    >>> histories = review_study(review, budget=5, explore_shares=[0.4], n_weeks=2, seeds=[0, 1])
    >>> {name: len(history) for name, history in histories.items()}
    {'ensemble': 4, 'supervised': 4, 'supervised, 40% exploring': 4}
    """
    if not isinstance(data, ReviewData):
        raise TypeError(f"data must be a ReviewData, got {type(data).__name__}")
    n_weeks = require_positive_int(n_weeks, "n_weeks")
    if n_weeks > data.n_review_weeks:
        raise ValueError(f"n_weeks must be at most the {data.n_review_weeks} review weeks of the data, got {n_weeks}")
    seeds = list(seeds)
    return {
        name: run_loop(ReviewLoop(data, budget=budget, explore=explore, **kw), n_weeks, seeds, progress)
        for name, kw in review_policies(explore_shares).items()
    }


def seed_means(history: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per seed (``round`` 0): the metric's mean over the rounds where it is defined.

    For comparing a weekly metric over the whole run with :func:`~shopai_lab.simulation.compare_loops`.

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "recall": [0.5, np.nan, 0.2, 0.4]})
    >>> seed_means(h, "recall")["recall"].round(2).tolist()
    [0.5, 0.3]
    """
    require_columns(history, ["seed", "round", require_string(metric, "metric")], "history")
    means = history.groupby("seed", sort=True)[metric].mean()
    return pd.DataFrame({"seed": means.index, "round": 0, metric: means.to_numpy()})


#: the columns of :func:`review_table` and what each says
REVIEW_COLUMNS: dict[str, str] = {
    "precision": "share of reviewed invoices that were anomalies (mean over weeks)",
    "found_so_far": "share of all anomalies of the run that a reviewer saw (last week)",
    "recall_unlabelled_kinds": "recall of kinds with no label yet (mean over the weeks they occur)",
}


def review_table(
    histories: dict, baseline: str = "ensemble", top_only: str = "supervised", n_boot: int = 2000, random_state=0
) -> pd.DataFrame:
    """Each policy's precision, anomalies found and recall of unlabelled kinds, paired against ``baseline``.

    Parameters
    ----------
    histories
        Policy -> history, from :func:`review_study` (the same seeds).
    baseline
        The policy every other is compared with (``b - a``, paired over seeds).
    top_only
        The supervised policy that spends the whole budget on the top of the queue: each exploring policy's
        ``found_vs_top`` compares it with this one.
    n_boot, random_state
        The paired bootstrap (:func:`shopai_lab.simulation.compare_loops`).

    Returns
    -------
    pandas.DataFrame
        One row per policy: the means of :data:`REVIEW_COLUMNS` and of each ``recall_<kind>``, the
        :class:`~shopai_lab.stats.Interval` columns ``<column>_change`` (against the baseline; ``None`` on
        its row) and ``found_vs_top`` (``found_so_far`` against ``top_only``; ``None`` on both their rows).

    Examples
    --------
    >>> h = pd.DataFrame({"seed": [0, 1, 2], "round": 0, **{c: [0.1, 0.2, 0.3] for c in REVIEW_COLUMNS},
    ...                   **{f"recall_{k}": 0.5 for k in REVIEW_KINDS}})
    >>> t = review_table({"ensemble": h, "supervised": h.assign(found_so_far=h["found_so_far"] + 0.1)})
    >>> print(t.loc["supervised", "found_so_far_change"])
    +0.100 (95% CI +0.100 to +0.100)
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict of policy -> history, got {type(histories).__name__}")
    baseline = require_one_of(baseline, "baseline", list(histories))
    top_only = require_one_of(top_only, "top_only", list(histories))
    kinds = [f"recall_{k}" for k in REVIEW_KINDS]
    rows = {}
    for name, history in histories.items():
        require_columns(history, ["seed", "round", *REVIEW_COLUMNS, *kinds], f"histories[{name!r}]")
        last = history["round"] == history["round"].max()
        row = {"precision": seed_means(history, "precision")["precision"].mean()}
        row["found_so_far"] = float(history.loc[last, "found_so_far"].mean())
        for column in ["recall_unlabelled_kinds", *kinds]:
            row[column] = float(seed_means(history, column)[column].mean())
        for column in REVIEW_COLUMNS:
            a, b = histories[baseline], history
            if column != "found_so_far":
                a, b = seed_means(a, column), seed_means(b, column)
            other = name != baseline
            row[f"{column}_change"] = (
                compare_loops(a, b, column, n_boot=n_boot, random_state=random_state) if other else None
            )
        exploring = name not in (baseline, top_only)
        row["found_vs_top"] = (
            compare_loops(histories[top_only], history, "found_so_far", n_boot=n_boot, random_state=random_state)
            if exploring
            else None
        )
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "policy"
    return table


def world_summary(data: ReviewData, seed: int, n_weeks: int) -> pd.DataFrame:
    """What the world of the run seeded ``seed`` brings over its first ``n_weeks`` review weeks, by kind.

    Returns
    -------
    pandas.DataFrame
        One row per kind (``normal`` and :data:`REVIEW_KINDS`): ``invoices``, ``per_week`` and
        ``first_week`` (the first review week it occurs; -1 when never).

    Examples
    --------
    >>> from shopai_lab.data import random_transactions
    >>> lines = random_transactions(6000, n_customers=200, n_items=60, days=140, lines_per_invoice=4, random_state=0)
    >>> review = ReviewData(lines, lines.iloc[:0], launch_weeks=4, rate=0.05, late_kind_week=4, n_neighbors=10)
    >>> bool(world_summary(review, seed=0, n_weeks=10).loc["burst", "first_week"] >= 4)
    True
    """
    if not isinstance(data, ReviewData):
        raise TypeError(f"data must be a ReviewData, got {type(data).__name__}")
    n_weeks = require_positive_int(n_weeks, "n_weeks")
    world = data.world(_world_seed(np.random.default_rng(require_seed(seed, "seed"))))
    inside = (world.week >= 0) & (world.week < n_weeks)
    rows = {}
    for kind in ("normal", *REVIEW_KINDS):
        mine = inside & (world.kind == kind)
        weeks = world.week[mine]
        rows[kind] = {
            "invoices": int(mine.sum()),
            "per_week": float(mine.sum() / n_weeks),
            "first_week": int(weeks.min()) if weeks.size else -1,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "kind"
    return table
