"""Comparing recommenders honestly (notebook 02): per-customer metrics, paired bootstrap intervals, the
diversity trade-off against a stated loss margin, and the pitfalls table. The sentences that read them
live in :mod:`shopai_lab.recommend.reading`.

Two models evaluated on the same customers differ by a mean of per-customer differences; resampling
customers (the same draw for both models, :func:`shopai_lab.stats.paired_bootstrap`) gives the
interval of that mean, which reflects which customers happened to be in the test period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shopai_lab._validation import (
    require_columns,
    require_instance,
    require_number,
    require_one_of,
    require_positive_int,
)
from shopai_lab.recommend.diversity import mmr_rerank
from shopai_lab.recommend.evaluation import (
    coverage,
    evaluate,
    intra_list_diversity,
    per_user_metrics,
    ranking_metrics,
    sampled_hit_rate,
)
from shopai_lab.recommend.interactions import Split, random_split
from shopai_lab.report import verdict
from shopai_lab.stats import Interval, bootstrap_mean, paired_bootstrap

#: Per-user columns of :func:`shopai_lab.recommend.per_user_metrics` a comparison can use.
PER_USER_METRICS = ("precision", "recall", "ndcg", "ap", "hit")


def _aligned(per_user: Mapping[str, pd.DataFrame], metric: str) -> pd.DataFrame:
    """One column of ``metric`` per model, rows the evaluated customers (the same in every frame)."""
    require_instance(per_user, Mapping, "per_user")
    require_one_of(metric, "metric", PER_USER_METRICS)
    if not per_user:
        raise ValueError("per_user must hold at least one model's per-customer metrics")
    frames = list(per_user.items())
    first_index = frames[0][1].index
    for name, frame in frames:
        require_instance(frame, pd.DataFrame, f"per_user[{name!r}]")
        if metric not in frame.columns:
            raise ValueError(f"per_user[{name!r}] has no column {metric!r}")
        if not frame.index.equals(first_index):
            raise ValueError(
                f"per_user[{name!r}] is not on the same customers as per_user[{frames[0][0]!r}]: "
                "evaluate every model on the same split (no customer may be dropped)"
            )
    return pd.DataFrame({name: frame[metric].to_numpy(dtype=float) for name, frame in frames}, index=first_index)


def compare_models(
    per_user: Mapping[str, pd.DataFrame],
    baseline: str,
    metric: str = "ndcg",
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Each model's mean metric with its interval, and its paired difference from ``baseline``.

    Parameters
    ----------
    per_user
        Model name -> :func:`shopai_lab.recommend.per_user_metrics` frame, all on the same customers.
    baseline
        Model every other is compared with (``difference = model - baseline``).
    metric
        Per-customer column: ``"ndcg"``, ``"precision"``, ``"recall"``, ``"ap"`` or ``"hit"``.
    n_boot, level, random_state
        Bootstrap draws, interval level and seed (the same seed for every model).

    Returns
    -------
    pandas.DataFrame
        Indexed by model (input order): ``customers``, ``metric`` (the mean), ``low``, ``high``
        (its interval), ``difference`` (the :class:`~shopai_lab.stats.Interval` of the paired
        difference from ``baseline``; 0 for the baseline itself) and ``verdict`` ("better", "worse",
        "not distinguishable"; "baseline").

    Examples
    --------
    >>> idx = pd.Index(range(200), name="customer_id")
    >>> a = pd.DataFrame({"ndcg": np.r_[np.zeros(100), np.full(100, 0.2)]}, index=idx)
    >>> b = pd.DataFrame({"ndcg": a["ndcg"] + 0.05}, index=idx)
    >>> table = compare_models({"A": a, "B": b}, baseline="A")
    >>> float(round(table.loc["B", "difference"].estimate, 6)), table.loc["B", "verdict"]
    (0.05, 'better')
    """
    values = _aligned(per_user, metric)
    require_one_of(baseline, "baseline", list(values.columns))
    n_boot = require_positive_int(n_boot, "n_boot")
    rows = {}
    for name in values.columns:
        own = bootstrap_mean(values[name], n_boot=n_boot, level=level, random_state=random_state)
        diff = paired_bootstrap(values[baseline], values[name], n_boot=n_boot, level=level, random_state=random_state)
        rows[name] = {
            "customers": len(values),
            metric: own.estimate,
            "low": own.low,
            "high": own.high,
            "difference": diff,
            "verdict": "baseline" if name == baseline else verdict(diff),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table


def paired_difference(
    per_user: Mapping[str, pd.DataFrame],
    model: str,
    baseline: str,
    metric: str = "ndcg",
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int | None = 0,
) -> Interval:
    """Paired bootstrap of ``model - baseline`` on ``metric`` over the same customers.

    Returns
    -------
    shopai_lab.stats.Interval
        The mean per-customer difference ``model - baseline`` (:func:`shopai_lab.stats.paired_bootstrap`).

    Examples
    --------
    >>> idx = pd.Index(range(100), name="customer_id")
    >>> a = pd.DataFrame({"ndcg": np.linspace(0, 1, 100)}, index=idx)
    >>> print(paired_difference({"A": a, "B": a + 0.01}, "B", "A"))
    +0.010 (95% CI +0.010 to +0.010)
    """
    values = _aligned(per_user, metric)
    for name, label in ((model, "model"), (baseline, "baseline")):
        require_one_of(name, label, list(values.columns))
    return paired_bootstrap(values[baseline], values[model], n_boot=n_boot, level=level, random_state=random_state)


def plot_model_intervals(table: pd.DataFrame, metric_label: str, ax: Axes | None = None) -> np.ndarray:
    """Two panels: each model's mean metric with its interval, and its paired difference from the baseline.

    ``table`` is :func:`compare_models`' output. Error bars are 95% bootstrap intervals over customers.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> difference = [Interval(0.0, 0.0, 0.0, level=0.95, n=9, se=0.0), Interval(0.07, 0.06, 0.08, level=0.95, n=9,
    ...     se=0.005)]
    >>> table = pd.DataFrame({"customers": [9, 9], "ndcg": [0.04, 0.11], "low": [0.03, 0.1], "high": [0.05, 0.12],
    ...     "difference": difference, "verdict": ["baseline", "better"]},
    ...     index=pd.Index(["Popularity", "EASE"], name="model"))
    >>> [a.get_xlabel() for a in plot_model_intervals(table, "nDCG@10")]
    ['nDCG@10 (mean over customers, 95% CI)', 'nDCG@10 minus Popularity (paired, 95% CI)']
    """
    import matplotlib.pyplot as plt

    metric = [c for c in table.columns if c not in ("customers", "low", "high", "difference", "verdict")][0]
    baseline = table.index[table["verdict"] == "baseline"][0]
    order = table[metric].sort_values(kind="stable").index
    data = table.loc[order]
    if ax is None:
        _, axes = plt.subplots(1, 2, figsize=(12, 0.5 * len(table) + 2), sharey=True)
    else:
        axes = np.atleast_1d(ax)
    y = np.arange(len(data))
    axes[0].barh(y, data[metric], color="C0", xerr=[data[metric] - data["low"], data["high"] - data[metric]], capsize=3)
    axes[0].set(
        yticks=y,
        yticklabels=list(order),
        xlabel=f"{metric_label} (mean over customers, 95% CI)",
        title=f"{metric_label} on the test period ({int(data['customers'].iloc[0]):,} customers)",
    )
    if len(axes) > 1:
        colors = ["C2" if v == "better" else "C3" if v == "worse" else "C7" for v in data["verdict"]]
        difference = {c: np.array([getattr(r, c) for r in data["difference"]]) for c in ("estimate", "low", "high")}
        axes[1].barh(
            y,
            difference["estimate"],
            color=colors,
            xerr=[difference["estimate"] - difference["low"], difference["high"] - difference["estimate"]],
            capsize=3,
        )
        axes[1].axvline(0, color="black", linewidth=0.8)
        axes[1].set(xlabel=f"{metric_label} minus {baseline} (paired, 95% CI)", title=f"Difference from {baseline}")
    return axes


#: Relevance weights of the diversity re-ranking traced on the validation period (1, no re-ranking, is always added).
RELEVANCE_WEIGHTS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)

#: Reading of an nDCG change against the loss margin (see :func:`margin_reading`).
MARGIN_READINGS = ("within the margin", "loss beyond the margin", "inconclusive")


def margin_reading(change: Interval, margin: float) -> str:
    """Where the interval of an nDCG change lies against a stated loss margin (``margin >= 0``).

    ``"within the margin"`` when the whole interval is above ``-margin`` (any loss is smaller than the
    margin), ``"loss beyond the margin"`` when it is wholly below, else ``"inconclusive"``.

    Examples
    --------
    >>> margin_reading(Interval(-0.001, -0.003, 0.001, level=0.95, n=99, se=0.001), 0.002)
    'inconclusive'
    >>> margin_reading(Interval(-0.001, -0.003, 0.001, level=0.95, n=99, se=0.001), 0.005)
    'within the margin'
    """
    change = require_instance(change, Interval, "change")
    margin = require_number(margin, "margin", low=0.0)
    if change.low >= -margin:
        return MARGIN_READINGS[0]
    if change.high < -margin:
        return MARGIN_READINGS[1]
    return MARGIN_READINGS[2]


def diversity_tradeoff(
    items: np.ndarray,
    scores: np.ndarray,
    split: Split,
    weights: Sequence[float],
    k: int = 10,
    loss_margin_share: float = 0.02,
    n_boot: int = 2000,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """nDCG, intra-list diversity and coverage of MMR re-ranked lists, each weight against no re-ranking.

    Parameters
    ----------
    items, scores
        Candidate lists of the evaluated users (``recommend(split.eval_users, n_candidates)``).
    split
        The evaluation split.
    weights
        Relevance weights of :func:`shopai_lab.recommend.mmr_rerank` (1 = no re-ranking, always added).
    k
        List length.
    loss_margin_share
        The nDCG loss accepted for diversity, as a share of the nDCG without re-ranking.
    n_boot, random_state
        Draws and seed of the paired bootstrap (customers resampled).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``relevance weight`` (descending): ``ndcg``, ``ndcg_change`` (the
        :class:`~shopai_lab.stats.Interval` of the paired nDCG difference, vs weight 1), ``verdict``,
        ``margin`` (the accepted loss, in nDCG), ``reading`` (:func:`margin_reading`), ``diversity``,
        ``coverage``.
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    loss_margin_share = require_number(loss_margin_share, "loss_margin_share", low=0.0, high=1.0)
    weights = sorted({1.0, *(require_number(w, "weights", low=0.0, high=1.0) for w in weights)}, reverse=True)
    per_user, rows = {}, {}
    for weight in weights:
        lists = mmr_rerank(items, scores, split.train.matrix, k=k, relevance_weight=weight)
        per_user[weight] = per_user_metrics(lists, split, k=k)
        rows[weight] = {
            "diversity": intra_list_diversity(lists, split.train.matrix),
            "coverage": coverage(lists, split.train.shape[1]),
        }
    margin = loss_margin_share * float(per_user[1.0]["ndcg"].mean())
    table = []
    for weight in weights:
        change = paired_bootstrap(
            per_user[1.0]["ndcg"], per_user[weight]["ndcg"], n_boot=n_boot, random_state=random_state
        )
        table.append(
            {
                "relevance weight": weight,
                "ndcg": float(per_user[weight]["ndcg"].mean()),
                "ndcg_change": change,
                "verdict": "baseline" if weight == 1.0 else verdict(change),
                "margin": margin,
                "reading": margin_reading(change, margin),
                **rows[weight],
            }
        )
    return pd.DataFrame(table).set_index("relevance weight")


def choose_relevance_weight(table: pd.DataFrame) -> float:
    """The most diverse re-ranking whose nDCG loss stays within the margin: the smallest such weight.

    ``table`` is :func:`diversity_tradeoff`'s output, computed on the validation period; weight 1 (no
    re-ranking) always qualifies.

    Examples
    --------
    >>> t = pd.DataFrame({"reading": ["within the margin", "within the margin", "inconclusive"]},
    ...                  index=pd.Index([1.0, 0.7, 0.5], name="relevance weight"))
    >>> choose_relevance_weight(t)
    0.7
    """
    require_columns(table, ["reading"], "table")
    within = table.index[table["reading"] == MARGIN_READINGS[0]]
    return float(min(within)) if len(within) else 1.0


def plot_tradeoff(table: pd.DataFrame, chosen: float | None = None, title: str = "") -> np.ndarray:
    """Two panels over the relevance weight: the nDCG change with its interval and the margin, and diversity/coverage.

    ``table`` is :func:`diversity_tradeoff`'s output; ``chosen`` (a weight) is marked on both panels.

    Examples
    --------
    >>> change = [Interval(0.0, 0.0, 0.0, level=0.95, n=9, se=0.0), Interval(-0.001, -0.003, 0.001, level=0.95, n=9,
    ...     se=0.001)]
    >>> t = pd.DataFrame({"ndcg_change": change, "margin": [0.002, 0.002], "diversity": [0.77, 0.81],
    ...     "coverage": [0.24, 0.27]}, index=pd.Index([1.0, 0.5], name="relevance weight"))
    >>> [a.get_ylabel() for a in plot_tradeoff(t, chosen=1.0)]
    ['nDCG change vs no re-ranking (paired, 95% CI)', 'share (0 to 1)']
    """
    import matplotlib.pyplot as plt

    require_columns(table, ["ndcg_change", "margin", "diversity", "coverage"], "table")
    x = np.asarray(table.index, dtype=float)
    change = {c: np.array([getattr(r, c) for r in table["ndcg_change"]]) for c in ("estimate", "low", "high")}
    _, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharex=True)
    axes[0].errorbar(
        x,
        change["estimate"],
        yerr=[change["estimate"] - change["low"], change["high"] - change["estimate"]],
        fmt="o-",
        capsize=3,
    )
    axes[0].axhline(0, color="black", linewidth=0.8)
    axes[0].axhline(-float(table["margin"].iloc[0]), color="C3", linestyle="--", label="accepted loss (margin)")
    axes[0].set(ylabel="nDCG change vs no re-ranking (paired, 95% CI)", title=f"Accuracy cost{title}")
    axes[1].plot(x, table["diversity"], "o-", label="intra-list diversity")
    axes[1].plot(x, table["coverage"], "s-", label="catalogue coverage")
    axes[1].set(ylabel="share (0 to 1)", title=f"What the re-ranking buys{title}")
    for ax in axes:
        ax.set_xlabel("relevance weight (1 = the model's own order)")
        if chosen is not None:
            ax.axvline(chosen, color="C2", linestyle=":", label=f"chosen weight {chosen:g}")
        ax.legend(loc="best", fontsize="small")
    return axes


def pitfall_table(model, split: Split, matrix, k: int = 10, random_state: int | None = 0) -> pd.DataFrame:
    """The house protocol against two pitfalls, for a fitted model of a class taking ``get_params()``.

    Rows: the house protocol (temporal split, full ranking), a random holdout of purchases (a fresh
    model of the same settings trains on the future) and a sampled metric (each bought product ranked
    against 100 random products). Columns: ``nDCG@k`` and the share of bought products in the top ``k``.
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    leaky = random_split(matrix, test_share=0.2, random_state=random_state)
    leaky_ndcg = float(evaluate(type(model)(**model.get_params()), leaky, k=k, fit=True)["ndcg"].iloc[0])
    items, _ = model.recommend(split.eval_users, k=k)
    full_share = ranking_metrics(items, split.truth[split.eval_users], k)["hits"].sum() / split.truth.nnz
    sampled = sampled_hit_rate(model, split, k=k, n_negatives=100, random_state=random_state)
    house_ndcg = float(evaluate(model, split, k=k)["ndcg"].iloc[0])
    return pd.DataFrame(
        {
            "nDCG@k": [house_ndcg, leaky_ndcg, np.nan],
            "share of bought items in the top k": [full_share, np.nan, sampled],
        },
        index=[
            "house protocol (temporal, full ranking)",
            "random holdout (leaks the future)",
            "sampled: 100 random negatives",
        ],
    )


def metric_records(
    results: pd.DataFrame, per_user: Mapping[str, pd.DataFrame], k: int
) -> list[tuple[str, float, float | None]]:
    """``(name, value, noise)`` of each model's headline metrics, for :func:`shopai_lab.lab.record`.

    Means over customers carry their standard error as noise; coverage is counted from the (stable) lists
    and carries none.

    Examples
    --------
    >>> idx = pd.Index(range(4), name="customer_id")
    >>> users = pd.DataFrame({"ndcg": [0.0, 0.2, 0.4, 0.2], "precision": 0.1, "recall": 0.1, "hit": 1.0}, index=idx)
    >>> results = pd.DataFrame({"ndcg": [0.2], "precision": 0.1, "recall": 0.1, "coverage": 0.5, "hit_rate": 1.0},
    ...                        index=["EASE"])
    >>> metric_records(results, {"EASE": users}, 10)[0][:2]
    ('ndcg@10/EASE', 0.2)
    """
    require_columns(results, ["ndcg", "precision", "recall", "coverage", "hit_rate"], "results")
    k = require_positive_int(k, "k")
    out = []
    for name in results.index:
        se = per_user[name].sem(numeric_only=True)
        for metric, column, noise in (
            ("ndcg@", "ndcg", se["ndcg"]),
            ("precision@", "precision", se["precision"]),
            ("recall@", "recall", se["recall"]),
            ("coverage", "coverage", None),
            ("hit_rate@", "hit_rate", se["hit"]),
        ):
            label = f"{metric}{k}/{name}" if metric.endswith("@") else f"{metric}/{name}"
            out.append((label, float(results.loc[name, column]), None if noise is None else float(noise)))
    return out
