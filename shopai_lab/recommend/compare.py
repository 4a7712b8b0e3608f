"""Comparing recommenders honestly: per-customer metrics, paired bootstrap intervals, and sentences
that say "better" only when the interval excludes zero (notebook 02).

Two models evaluated on the same customers differ by a mean of per-customer differences; resampling
customers (the same draw for both models, :func:`shopai_lab.stats.paired_bootstrap`) gives the
interval of that mean, which reflects which customers happened to be in the test period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from shopai_lab._validation import require_instance, require_one_of, require_positive_int, require_string
from shopai_lab.recommend.diversity import mmr_rerank
from shopai_lab.recommend.evaluation import coverage, intra_list_diversity, per_user_metrics
from shopai_lab.recommend.interactions import Split
from shopai_lab.report import compare, interval, percent, verdict
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


def describe_comparison(
    table: pd.DataFrame,
    per_user: Mapping[str, pd.DataFrame],
    metric_label: str,
    metric: str = "ndcg",
    random_state: int | None = 0,
    extra_pairs: Sequence[tuple[str, str]] = (),
) -> str:
    """Sentences reading :func:`compare_models`' table: which models beat the baseline, and the best vs the runner-up.

    ``extra_pairs`` adds ``(model, baseline)`` comparisons (e.g. ``("Blend", "EASE")``), each said once:
    a pair already compared (in either order) is skipped, as is a pair naming a model not in the table.

    Examples
    --------
    >>> idx = pd.Index(range(200), name="customer_id")
    >>> a = pd.DataFrame({"ndcg": np.r_[np.zeros(100), np.full(100, 0.2)]}, index=idx)
    >>> per_user = {"A": a, "B": a.assign(ndcg=a["ndcg"] + 0.05), "C": a.assign(ndcg=a["ndcg"] + 0.051)}
    >>> print(describe_comparison(compare_models(per_user, "A"), per_user, "nDCG@10"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Better than A on nDCG@10 (paired 95% interval above zero): B, C. Best: C; C is better than B on nDCG@10:
    +0.001 (95% CI +0.001 to +0.001).
    """
    require_string(metric_label, "metric_label")
    baseline = table.index[table["verdict"] == "baseline"][0]
    others = table.drop(index=baseline)
    groups = {
        word: list(others.index[others["verdict"] == word]) for word in ("better", "not distinguishable", "worse")
    }
    parts = []
    if groups["better"]:
        parts.append(
            f"Better than {baseline} on {metric_label} (paired 95% interval above zero): {', '.join(groups['better'])}."
        )
    if groups["not distinguishable"]:
        parts.append(f"Not distinguishable from {baseline}: {', '.join(groups['not distinguishable'])}.")
    if groups["worse"]:
        parts.append(f"Worse than {baseline}: {', '.join(groups['worse'])}.")
    ranked = table[metric].sort_values(ascending=False, kind="stable")
    said = {frozenset((baseline, name)) for name in others.index}
    if len(ranked) >= 2:
        best, runner_up = ranked.index[0], ranked.index[1]
        result = paired_difference(per_user, best, runner_up, metric, random_state=random_state)
        parts.append(f"Best: {best}; {compare(result, best, runner_up, metric_label)}")
        said.add(frozenset((best, runner_up)))
    for model, other in extra_pairs:
        if frozenset((model, other)) in said or model not in table.index or other not in table.index:
            continue
        result = paired_difference(per_user, model, other, metric, random_state=random_state)
        parts.append(compare(result, model, other, metric_label))
        said.add(frozenset((model, other)))
    return " ".join(parts)


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


def diversity_tradeoff(
    items: np.ndarray,
    scores: np.ndarray,
    split: Split,
    weights: Sequence[float],
    k: int = 10,
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
    random_state
        Seed of the paired bootstrap.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``relevance weight`` (descending): ``ndcg``, ``ndcg_change`` (the
        :class:`~shopai_lab.stats.Interval` of the paired nDCG difference, vs weight 1), ``verdict``,
        ``diversity``, ``coverage``.
    """
    require_instance(split, Split, "split")
    k = require_positive_int(k, "k")
    weights = sorted({1.0, *(float(w) for w in weights)}, reverse=True)
    per_user, rows = {}, {}
    for weight in weights:
        lists = mmr_rerank(items, scores, split.train.matrix, k=k, relevance_weight=weight)
        per_user[weight] = per_user_metrics(lists, split, k=k)
        rows[weight] = {
            "diversity": intra_list_diversity(lists, split.train.matrix),
            "coverage": coverage(lists, split.train.shape[1]),
        }
    table = []
    for weight in weights:
        change = paired_bootstrap(per_user[1.0]["ndcg"], per_user[weight]["ndcg"], random_state=random_state)
        table.append(
            {
                "relevance weight": weight,
                "ndcg": float(per_user[weight]["ndcg"].mean()),
                "ndcg_change": change,
                "verdict": "baseline" if weight == 1.0 else verdict(change),
                **rows[weight],
            }
        )
    return pd.DataFrame(table).set_index("relevance weight")


def describe_tradeoff(table: pd.DataFrame) -> str:
    """Sentences reading :func:`diversity_tradeoff`: what each re-ranking weight costs in nDCG and buys in diversity.

    Examples
    --------
    >>> from shopai_lab.stats import Interval
    >>> change = [Interval(0.0, 0.0, 0.0, level=0.95, n=9, se=0.0), Interval(-0.0001, -0.002, 0.002, level=0.95, n=9,
    ...     se=0.001)]
    >>> t = pd.DataFrame({"ndcg": [0.116, 0.116], "ndcg_change": change,
    ...     "verdict": ["baseline", "not distinguishable"], "diversity": [0.775, 0.792], "coverage": [0.238, 0.246]},
    ...     index=pd.Index([1.0, 0.7], name="relevance weight"))
    >>> print(describe_tradeoff(t))  # doctest: +NORMALIZE_WHITESPACE
    Weight 0.7: nDCG change -0.000 (95% CI -0.002 to +0.002), no measurable loss; diversity 0.775 -> 0.792,
    coverage 23.8% -> 24.6%.
    """
    base = table.loc[1.0]
    parts = []
    for weight, row in table.drop(index=1.0).iterrows():
        cost = {"worse": "a measurable loss", "better": "a measurable gain"}.get(row["verdict"], "no measurable loss")
        parts.append(
            f"Weight {weight:g}: nDCG change {interval(row['ndcg_change'])}, "
            f"{cost}; diversity {base['diversity']:.3f} -> {row['diversity']:.3f}, coverage "
            f"{percent(base['coverage'])} -> {percent(row['coverage'])}."
        )
    return " ".join(parts)
