"""The one contract of a feedback loop run forward: a state, a policy's step, metrics per round, seeded.

Notebook 12 runs three loops in which a model acts and what it does becomes the data it learns from next
(recommendations shape purchases, the review queue decides which anomalies get a label, hand-over decides
which messages get a person's answer). Each loop lives in its domain and subclasses :class:`FeedbackLoop`;
this module runs any of them the same way and summarises them with the lab's one bootstrap:

- :func:`run_loop` runs a loop for ``n_rounds`` rounds under each seed and returns one row per
  ``(seed, round)`` with the metrics the loop's ``step`` reported (a tidy frame);
- :func:`rounds_summary` gives each metric's mean per round with an interval over seeds;
- :func:`compare_loops` compares two policies on one metric at one round, paired over seeds (both runs of
  a seed share the simulated world, so the seed is the unit).

A run is deterministic: every random draw of a loop comes from the generator :func:`run_loop` hands it,
seeded by the run's seed. Intervals over a handful of seeds are wide and a percentile bootstrap of few
units is optimistic: use at least 10 seeds for a decision.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_callable,
    require_columns,
    require_instance,
    require_positive_int,
    require_seed,
    require_string,
)
from shopai_lab.stats import Interval, bootstrap_mean, paired_bootstrap

__all__ = ["FeedbackLoop", "run_loop", "rounds_summary", "compare_loops", "LOOP_KEYS"]

#: The key columns of a loop's history: which seed, which round (0 = the first decision).
LOOP_KEYS: tuple[str, str] = ("seed", "round")


class FeedbackLoop(abc.ABC):
    """A loop in which a policy acts, the world responds and the policy learns from the response.

    Subclasses implement :meth:`reset` (the world and the policy before the first round) and
    :meth:`step` (one round: decide, observe, learn; return the new state and the round's metrics). The
    state is the subclass's own object; :func:`run_loop` only passes it back. Every random draw uses the
    ``rng`` given, never a global generator, so a seed fixes the run.

    Examples
    --------
    A loop whose metric is the running mean of coin flips, with a known expectation of 0.5:

    >>> class Coins(FeedbackLoop):
    ...     def reset(self, rng):
    ...         return {"heads": 0, "flips": 0}
    ...     def step(self, state, round_index, rng):
    ...         heads = state["heads"] + int(rng.integers(0, 2, size=100).sum())
    ...         state = {"heads": heads, "flips": state["flips"] + 100}
    ...         return state, {"share_heads": heads / state["flips"]}
    >>> history = run_loop(Coins(), n_rounds=3, seeds=range(2))
    >>> list(history.columns), len(history)
    (['seed', 'round', 'share_heads'], 6)
    """

    @abc.abstractmethod
    def reset(self, rng: np.random.Generator) -> Any:
        """The state before round 0 (the simulated world, the policy's first model)."""

    @abc.abstractmethod
    def step(self, state: Any, round_index: int, rng: np.random.Generator) -> tuple[Any, Mapping[str, float]]:
        """Play round ``round_index``: return the next state and the round's metrics (name -> number)."""

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"


def _round_metrics(metrics: Any, loop: FeedbackLoop, round_index: int) -> dict[str, float]:
    if not isinstance(metrics, Mapping) or not metrics:
        raise TypeError(
            f"{type(loop).__name__}.step must return (state, metrics) with metrics a non-empty mapping "
            f"of name -> number; round {round_index} returned {type(metrics).__name__}"
        )
    out = {}
    for name, value in metrics.items():
        if name in LOOP_KEYS:
            raise ValueError(f"{type(loop).__name__}.step returned a metric named {name!r}, a key of the history")
        try:
            out[str(name)] = float(value)
        except (TypeError, ValueError):
            raise TypeError(
                f"{type(loop).__name__}.step returned metric {name!r} = {value!r} in round {round_index}: not a number"
            ) from None
    return out


def run_loop(
    loop: FeedbackLoop,
    n_rounds: int,
    seeds: Iterable[int] = range(10),
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run ``loop`` for ``n_rounds`` rounds under each seed; one row per ``(seed, round)``.

    Parameters
    ----------
    loop
        A :class:`FeedbackLoop`. It is reset for each seed with ``numpy.random.default_rng(seed)``; the
        same generator then drives every round of that run.
    n_rounds
        Rounds per run (at least 1).
    seeds
        The runs' seeds (distinct non-negative integers). Two loops run with the same seeds share their
        simulated worlds when the loops draw the world first, which pairs them (:func:`compare_loops`).
    progress
        Optional ``callback(done, total)`` after each round (e.g. a progress bar's update).

    Returns
    -------
    pandas.DataFrame
        Columns ``seed``, ``round`` and one column per metric; rows ordered by seed, then round.

    Examples
    --------
    >>> class Count(FeedbackLoop):
    ...     def reset(self, rng):
    ...         return 0
    ...     def step(self, state, round_index, rng):
    ...         return state + 1, {"rounds_played": state + 1}
    >>> run_loop(Count(), n_rounds=2, seeds=[7]).to_dict("list")
    {'seed': [7, 7], 'round': [0, 1], 'rounds_played': [1.0, 2.0]}
    """
    require_instance(loop, FeedbackLoop, "loop")
    n_rounds = require_positive_int(n_rounds, "n_rounds")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be an iterable of integers, got {type(seeds).__name__}")
    seeds = [require_seed(s, "seeds") for s in seeds]
    if not seeds or any(not isinstance(s, (int, np.integer)) or s < 0 for s in seeds):
        raise ValueError(f"seeds must be one or more non-negative integers, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds!r}")
    if progress is not None:
        require_callable(progress, "progress")
    rows, total = [], len(seeds) * n_rounds
    for seed in seeds:
        rng = np.random.default_rng(int(seed))
        state = loop.reset(rng)
        for round_index in range(n_rounds):
            state, metrics = loop.step(state, round_index, rng)
            rows.append({"seed": int(seed), "round": round_index, **_round_metrics(metrics, loop, round_index)})
            if progress is not None:
                progress(len(rows), total)
    return pd.DataFrame(rows)


def _metric_columns(history: pd.DataFrame, metrics: Sequence[str] | str | None) -> list[str]:
    require_columns(history, LOOP_KEYS, "history")
    if metrics is None:
        return [c for c in history.columns if c not in LOOP_KEYS]
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    require_columns(history, metrics, "history")
    return metrics


def rounds_summary(
    history: pd.DataFrame,
    metrics: Sequence[str] | str | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    random_state=0,
) -> pd.DataFrame:
    """Each metric's mean per round, with a bootstrap interval over seeds.

    Parameters
    ----------
    history
        A frame from :func:`run_loop` (columns ``seed``, ``round`` and the metrics).
    metrics
        The metric columns to summarise (default: all). A metric missing in a round (NaN) is left out of
        that round's mean.
    n_boot, level, random_state
        The bootstrap (:func:`shopai_lab.stats.bootstrap_mean`).

    Returns
    -------
    pandas.DataFrame
        One row per ``(metric, round)``: ``mean``, ``low``, ``high``, ``level`` and ``n_seeds``. A round
        seen under one seed has ``low = high = mean`` (no interval from one run).

    Examples
    --------
    >>> history = pd.DataFrame({"seed": [0, 0, 1, 1], "round": [0, 1, 0, 1], "utility": [1.0, 2.0, 3.0, 4.0]})
    >>> rounds_summary(history)[["metric", "round", "mean", "n_seeds"]].to_dict("list")
    {'metric': ['utility', 'utility'], 'round': [0, 1], 'mean': [2.0, 3.0], 'n_seeds': [2, 2]}
    """
    columns = _metric_columns(history, metrics)
    rows = []
    for metric in columns:
        for round_index, part in history.groupby("round", sort=True)[metric]:
            values = part.dropna().to_numpy(dtype=float)
            if values.size == 0:
                continue
            if values.size == 1:
                mean = low = high = float(values[0])
            else:
                r = bootstrap_mean(values, n_boot=n_boot, level=level, random_state=random_state)
                mean, low, high = r.estimate, r.low, r.high
            rows.append(
                {
                    "metric": metric,
                    "round": int(round_index),
                    "mean": mean,
                    "low": low,
                    "high": high,
                    "level": level,
                    "n_seeds": int(values.size),
                }
            )
    return pd.DataFrame(rows, columns=["metric", "round", "mean", "low", "high", "level", "n_seeds"])


def compare_loops(
    a: pd.DataFrame,
    b: pd.DataFrame,
    metric: str,
    round_index: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    random_state=0,
    relative: bool = False,
) -> Interval:
    """``b - a`` on one metric at one round (default: the last), paired over the seeds both histories ran.

    Parameters
    ----------
    a, b
        Histories from :func:`run_loop` of two policies (``a`` the baseline), run with overlapping seeds.
    metric
        The metric column to compare.
    round_index
        The round to compare (default: the last round both histories reached).
    n_boot, level, random_state, relative
        The paired bootstrap (:func:`shopai_lab.stats.paired_bootstrap`).

    Examples
    --------
    >>> a = pd.DataFrame({"seed": [0, 1, 2], "round": [0, 0, 0], "utility": [1.0, 2.0, 3.0]})
    >>> b = a.assign(utility=a["utility"] + 0.5)
    >>> print(compare_loops(a, b, "utility"))
    +0.500 (95% CI +0.500 to +0.500)
    """
    metric = require_string(metric, "metric")
    for name, frame in (("a", a), ("b", b)):
        _metric_columns(frame, [metric])
        if frame.duplicated(list(LOOP_KEYS)).any():
            raise ValueError(f"{name} has more than one row for a (seed, round): pass one loop's history")
    if round_index is None:
        round_index = int(min(a["round"].max(), b["round"].max()))
    round_index = require_positive_int(round_index, "round_index", minimum=0)
    left = a.loc[a["round"] == round_index, ["seed", metric]].dropna()
    right = b.loc[b["round"] == round_index, ["seed", metric]].dropna()
    paired = left.merge(right, on="seed", suffixes=("_a", "_b"))
    if len(paired) < 2:
        raise ValueError(
            f"a and b share {len(paired)} seed(s) with {metric!r} at round {round_index}; a paired interval "
            "needs at least 2 (run both loops with the same seeds)"
        )
    return paired_bootstrap(
        paired[f"{metric}_a"],
        paired[f"{metric}_b"],
        n_boot=n_boot,
        level=level,
        random_state=random_state,
        relative=relative,
    )
