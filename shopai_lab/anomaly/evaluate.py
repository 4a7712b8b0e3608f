"""Score detectors against planted truth and against a rough real-world label.

* :func:`detection_metrics`: ROC AUC, average precision and precision at k (k = the
  number of true anomalies unless given), with ties at the cut-off shared fairly.
* :func:`injection_study`: plant anomalies with several seeds, build features, score every
  detector and ensemble, and report the metrics overall and per kind.
* :func:`choose_n_neighbors`: the LOF neighbourhood size that ranks planted anomalies best
  on a validation injection (one neighbour search serves every candidate).
* :func:`reversal_labels`: invoices with a line later cancelled by the same customer, same
  product and same quantity: a rough label of real problems.

Two detectors on the same invoices are compared with
:func:`shopai_lab.stats.paired_metric_bootstrap` (``stratify=True``: every resample keeps the
planted anomalies' count), e.g. ``paired_metric_bootstrap(average_precision_score, is_anomaly,
baseline_scores, new_scores, stratify=True)`` for new minus baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.preprocessing import RobustScaler
from tqdm import tqdm

from shopai_lab import ranking
from shopai_lab._validation import (
    as_bool_array,
    as_float_array,
    require_bool,
    require_columns,
    require_datetime,
    require_instance,
    require_number,
    require_numeric_columns,
    require_numeric_frame,
    require_positive_int,
    require_same_length,
    require_seed,
    require_strings,
)
from shopai_lab.anomaly.detectors import outlier_factor, rank_combine, reachability_density
from shopai_lab.anomaly.features import invoice_features, model_matrix
from shopai_lab.anomaly.inject import KINDS, inject_anomalies
from shopai_lab.ranking import nearest_neighbors, quantize

METRICS: tuple[str, ...] = ("roc_auc", "average_precision", "precision_at_k")


def precision_at_k(is_anomaly: np.ndarray, scores: np.ndarray, k: int) -> float:
    """Share of true anomalies among the ``k`` highest scores, ties at the cut-off shared.

    Rows tied with the k-th score enter the top k in proportion (the expected precision
    when ties are broken at random), so the result does not depend on row order.

    Examples
    --------
    >>> precision_at_k(np.array([1, 0, 1, 0]), np.array([0.9, 0.5, 0.5, 0.1]), 2)
    0.75
    """
    y, s = _labels_and_scores(is_anomaly, scores)
    return _precision_at_k(y, s, k)


def _labels_and_scores(is_anomaly, scores) -> tuple[np.ndarray, np.ndarray]:
    """0/1 or boolean labels (probabilities refused, not cast) and finite scores of the same rows."""
    y = as_bool_array(is_anomaly, "is_anomaly")
    s = as_float_array(scores, "scores")
    require_same_length(is_anomaly=y, scores=s)
    return y, s


def _precision_at_k(y: np.ndarray, s: np.ndarray, k: int) -> float:
    k = require_positive_int(k, "k")
    if k > len(s):
        raise ValueError(f"k={k} is larger than the number of rows ({len(s)})")
    cut = np.sort(s)[::-1][k - 1]
    above = s > cut
    tied = s == cut
    hits = y[above].sum() + (k - above.sum()) * y[tied].mean()
    return float(hits / k)


def detection_metrics(is_anomaly, scores, k: int | None = None) -> dict[str, float]:
    """ROC AUC, average precision and precision at ``k`` of ``scores`` (higher = more anomalous).

    Parameters
    ----------
    is_anomaly
        True for the anomalous rows (at least one of each class).
    scores
        Detector scores of the same rows.
    k
        Cut-off for precision; default: the number of anomalies (then it equals recall at k).

    Examples
    --------
    >>> m = detection_metrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> m["roc_auc"], round(m["average_precision"], 3), m["precision_at_k"]
    (0.75, 0.833, 0.5)
    """
    y, s = _labels_and_scores(is_anomaly, scores)
    if y.all() or not y.any():
        raise ValueError("is_anomaly must hold both anomalies and normal rows")
    k = int(y.sum()) if k is None else k
    return {
        "roc_auc": float(roc_auc_score(y, s)),
        "average_precision": float(average_precision_score(y, s)),
        "precision_at_k": _precision_at_k(y, s, k),
    }


def metrics_by_kind(scores: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Metrics of every score column overall and per kind of anomaly.

    Per kind, the rows are the normal ones and that kind's anomalies; ``overall`` uses
    every row. ``k`` is the number of anomalies of the subset.

    Parameters
    ----------
    scores
        One column per detector, rows aligned with ``labels``.
    labels
        ``"normal"`` or the kind of each row.

    Returns
    -------
    pandas.DataFrame
        Columns ``detector``, ``kind``, ``anomalies``, ``base_rate`` (the anomalies' share of the rows
        compared: a random order's average precision) and :data:`METRICS`.
    """
    require_numeric_frame(scores, "scores")
    require_instance(labels, pd.Series, "labels")
    if len(scores) != len(labels):
        raise ValueError(f"scores has {len(scores)} rows but labels has {len(labels)}")
    if labels.isna().any():
        raise ValueError(f"labels has {int(labels.isna().sum())} missing value(s); every row needs 'normal' or a kind")
    kinds = [k for k in KINDS if (labels == k).any()] + sorted(set(labels) - set(KINDS) - {"normal"})
    label = labels.to_numpy()
    rows = []
    for kind in ["overall", *kinds]:
        positive = label != "normal" if kind == "overall" else label == kind
        keep = (label == "normal") | positive
        for detector in scores.columns:
            values = scores[detector].to_numpy(float)[keep]
            rows.append(
                {
                    "detector": detector,
                    "kind": kind,
                    "anomalies": int(positive.sum()),
                    "base_rate": float(positive.sum() / keep.sum()),
                    **detection_metrics(positive[keep], values),
                }
            )
    return pd.DataFrame(rows)


def score_all(
    X: pd.DataFrame,
    detectors: Mapping[str, object],
    ensembles: Mapping[str, tuple[Sequence[str], str]] | None = None,
) -> pd.DataFrame:
    """In-sample scores of every detector (``fit_score``) plus rank ensembles of them.

    Parameters
    ----------
    X
        Model matrix (see :func:`shopai_lab.anomaly.model_matrix`).
    detectors
        Name -> unfitted detector.
    ensembles
        Name -> ``(member names, "mean" or "max")``; combined with
        :func:`shopai_lab.anomaly.rank_combine`, the same as fitting a
        :class:`~shopai_lab.anomaly.RankEnsemble` of those members.

    Returns
    -------
    pandas.DataFrame
        One column per detector and ensemble, indexed like ``X``.
    """
    require_numeric_frame(X, "X")
    require_instance(detectors, Mapping, "detectors")
    ensembles = _ensembles(ensembles)
    scores = pd.DataFrame({name: det.fit_score(X) for name, det in detectors.items()}, index=X.index)
    for name, (members, combine) in ensembles.items():
        missing = [m for m in members if m not in scores.columns]
        if missing:
            raise ValueError(f"ensemble {name!r} names unknown detector(s) {missing}; known: {list(scores.columns)}")
        scores[name] = rank_combine(scores[list(members)], combine)
    return scores


def _ensembles(ensembles) -> dict:
    """``{name: (member names, combine)}``, checked (``None``: no ensembles)."""
    if ensembles is None:
        return {}
    require_instance(ensembles, Mapping, "ensembles")
    for name, spec in ensembles.items():
        if not (isinstance(spec, tuple | list) and len(spec) == 2):
            raise TypeError(
                f"ensembles[{name!r}] must be a pair (member names, 'mean', 'max' or a CalibratedMax), got {spec!r}"
            )
        require_strings(spec[0], f"ensembles[{name!r}] members")
    return dict(ensembles)


def injection_study(
    lines: pd.DataFrame,
    detectors: Mapping[str, object],
    seeds: Sequence[int] = (0, 1, 2),
    rate: float = 0.01,
    ensembles: Mapping[str, tuple[Sequence[str], str]] | None = None,
    progress: bool = True,
    return_scores: bool = False,
    feature_options: Mapping[str, object] | None = None,
    **inject_options,
) -> pd.DataFrame | tuple[pd.DataFrame, dict[int, pd.DataFrame]]:
    """Plant anomalies with each seed and score every detector on the result.

    Parameters
    ----------
    lines
        Canonical purchase lines. Not modified.
    detectors, ensembles
        See :func:`score_all`.
    seeds
        One injection (and detector seed, where a detector has ``random_state``) per seed.
    rate
        Share of planted anomalous invoices, in (0, 0.5].
    progress
        Show a progress bar over the seeds.
    return_scores
        Also return, per seed, the scores with a ``kind`` column (for paired comparisons).
    feature_options
        Keyword arguments of :func:`shopai_lab.anomaly.invoice_features` (e.g. ``{"look_ahead": True}``).
    **inject_options
        Passed to :func:`shopai_lab.anomaly.inject_anomalies`.

    Returns
    -------
    pandas.DataFrame
        :func:`metrics_by_kind` rows with a ``seed`` column (and the scores per seed when
        ``return_scores``).
    """
    rate = require_number(rate, "rate", low=0.0, high=0.5, low_inclusive=False)
    require_bool(progress, "progress")
    require_bool(return_scores, "return_scores")
    if isinstance(seeds, str) or not isinstance(seeds, Sequence):
        raise TypeError(f"seeds must be a list of integer seeds, got {seeds!r}")
    if len(seeds) == 0:
        raise ValueError("seeds must hold at least one seed")
    seeds = [require_seed(seed, "seeds") for seed in seeds]
    if feature_options is not None:
        require_instance(feature_options, Mapping, "feature_options")
    feature_options = dict(feature_options or {})
    frames, kept = [], {}
    for seed in tqdm(list(seeds), desc="seeds", disable=not progress):
        injected = inject_anomalies(lines, rate=rate, random_state=seed, **inject_options)
        features = invoice_features(injected.lines, **feature_options)
        X = model_matrix(features)
        seeded = {
            name: (det.set_params(random_state=seed) if "random_state" in det.get_params() else det)
            for name, det in ((n, _clone(d)) for n, d in detectors.items())
        }
        scores = score_all(X, seeded, ensembles)
        labels = injected.labels.reindex(features.index)
        frames.append(metrics_by_kind(scores, labels).assign(seed=seed))
        if return_scores:
            kept[seed] = scores.assign(kind=labels.to_numpy())
    results = pd.concat(frames, ignore_index=True)
    return (results, kept) if return_scores else results


def _clone(detector):
    return clone(detector)


def summarize_study(results: pd.DataFrame, metric: str = "average_precision") -> pd.DataFrame:
    """Mean and spread (min to max over seeds) of one metric, detectors x kinds.

    Returns
    -------
    pandas.DataFrame
        Rows: detectors (best overall first); columns: kinds, each with ``mean``, ``min``, ``max``.
    """
    require_columns(results, ["detector", "kind", "seed", metric], "results")
    table = results.pivot_table(index="detector", columns="kind", values=metric, aggfunc=["mean", "min", "max"])
    table = table.swaplevel(0, 1, axis=1)
    kinds = ["overall"] + [k for k in KINDS if k in results["kind"].unique()]
    table = table.reindex(columns=pd.MultiIndex.from_product([kinds, ["mean", "min", "max"]]))
    return table.sort_values(("overall", "mean"), ascending=False, kind="stable")


def local_outlier_factors(X: pd.DataFrame, n_neighbors: Sequence[int]) -> pd.DataFrame:
    """In-sample local outlier factors for several neighbourhood sizes from one neighbour search.

    Columns are robustly scaled (median 0, IQR 1) as :class:`~shopai_lab.anomaly.LOFDetector`
    does; the factors equal scikit-learn's ``-negative_outlier_factor_`` for each size.

    Examples
    --------
    >>> X = pd.DataFrame({"a": np.r_[np.linspace(0, 1, 40), 4.0], "b": np.r_[np.linspace(1, 0, 40), 4.0]})
    >>> lof = local_outlier_factors(X, [5, 10])
    >>> int(lof[5].idxmax()), int(lof[10].idxmax())
    (40, 40)
    """
    require_numeric_frame(X, "X")
    if isinstance(n_neighbors, str) or not isinstance(n_neighbors, Sequence | np.ndarray):
        raise TypeError(f"n_neighbors must be a list of neighbourhood sizes, got {n_neighbors!r}")
    ks = sorted({require_positive_int(k, "n_neighbors") for k in n_neighbors})
    if not ks or ks[-1] >= len(X):
        raise ValueError(f"n_neighbors must be non-empty and below the number of rows ({len(X)}), got {n_neighbors!r}")
    Z = RobustScaler().fit_transform(X.to_numpy(float))
    distances, indices = nearest_neighbors(Z, ks[-1])  # the first k of the largest search are the k nearest
    out = {}
    for k in ks:
        dist, ind = distances[:, :k], indices[:, :k]
        lrd = reachability_density(dist, ind, dist[:, -1])
        out[k] = quantize(outlier_factor(ind, lrd, lrd))
    return pd.DataFrame(out, index=X.index)


def choose_n_neighbors(
    X: pd.DataFrame,
    labels: pd.Series,
    candidates: Sequence[int] = (10, 20, 35, 50, 100),
    metric: str = "average_precision",
) -> tuple[int, pd.DataFrame]:
    """The LOF neighbourhood size that ranks labelled anomalies best (use a validation injection).

    Returns
    -------
    (int, pandas.DataFrame)
        The chosen size and the table of :data:`METRICS` per candidate (overall and per kind).
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {list(METRICS)}, got {metric!r}")
    require_instance(labels, pd.Series, "labels")
    lof = local_outlier_factors(X, candidates)
    lof.columns = [int(k) for k in lof.columns]
    table = metrics_by_kind(lof, labels.reindex(X.index))
    overall = table[table["kind"] == "overall"].set_index("detector")[metric]
    best = int(ranking.idxmax(overall))
    return best, table.rename(columns={"detector": "n_neighbors"})


def reversal_labels(
    purchases: pd.DataFrame,
    returns: pd.DataFrame,
    invoices: pd.Index | None = None,
    max_days: float | None = None,
) -> pd.Series:
    """True for invoices with a line later reversed by a matching cancellation.

    A cancellation line (customer known) matches the same customer's most recent earlier
    purchase line of the same product with the same absolute quantity, within ``max_days``.

    Parameters
    ----------
    purchases, returns
        ``purchases`` and ``returns`` of :func:`shopai_lab.data.cleaning.clean_transactions`.
    invoices
        Invoices to label (default: every purchase invoice).
    max_days
        Longest gap between purchase and cancellation; ``None``: any.

    Examples
    --------
    >>> p = pd.DataFrame({"customer_id": ["a", "a"], "invoice_id": ["1", "2"], "item_id": ["x", "x"],
    ...     "quantity": [5, 3], "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    >>> r = pd.DataFrame({"customer_id": ["a"], "invoice_id": ["C9"], "item_id": ["x"], "quantity": [-5],
    ...     "timestamp": pd.to_datetime(["2024-01-03"])})
    >>> reversal_labels(p, r).tolist()
    [True, False]
    """
    columns = ["customer_id", "invoice_id", "item_id", "quantity", "timestamp"]
    for name, frame in (("purchases", purchases), ("returns", returns)):
        require_columns(frame, columns, name)
        require_numeric_columns(frame, ["quantity"], name, allow_nan=False)
        require_datetime(frame, "timestamp", name)
    if max_days is not None:
        max_days = require_number(max_days, "max_days", low=0.0, high=np.inf, low_inclusive=False)
    keys = ["customer_id", "item_id", "quantity"]
    left = returns.loc[returns["customer_id"].notna(), columns].copy()
    left["quantity"] = left["quantity"].abs().astype(float)
    right = purchases[columns].rename(columns={"invoice_id": "reversed_invoice"}).copy()
    right["quantity"] = right["quantity"].astype(float)
    for frame in (left, right):
        for column in ("customer_id", "item_id"):
            frame[column] = frame[column].astype(str)
    matched = pd.merge_asof(
        left.sort_values("timestamp", kind="stable"),
        right.sort_values("timestamp", kind="stable"),
        on="timestamp",
        by=keys,
        direction="backward",
        allow_exact_matches=True,
        tolerance=None if max_days is None else pd.Timedelta(days=max_days),
    )
    reversed_ids = set(matched["reversed_invoice"].dropna())
    index = pd.Index(pd.unique(purchases["invoice_id"])) if invoices is None else pd.Index(invoices)
    return pd.Series(index.isin(list(reversed_ids)), index=index, name="reversed")


def reversal_table(
    purchases: pd.DataFrame,
    returns: pd.DataFrame,
    scores: pd.DataFrame,
    detectors: Sequence[str],
    lift_detector: str,
    windows: Sequence[float | None] = (1, 7, 30, None),
    top: int = 100,
) -> pd.DataFrame:
    """The real-world check over reversal windows: reversed share, ROC AUC per detector, top-``top`` lift.

    Parameters
    ----------
    purchases, returns
        As for :func:`reversal_labels`.
    scores
        Scores of the real invoices, indexed by invoice id, one column per detector.
    detectors
        Columns whose ROC AUC is shown.
    lift_detector
        Column whose top ``top`` invoices' reversed share is divided by the overall share (the lift).
    windows
        Reversal windows in days (``None``: any time).

    Returns
    -------
    pandas.DataFrame
        One row per window (``"within 1 d"``, ..., ``"any time"``).
    """
    require_numeric_frame(scores, "scores")
    detectors = list(require_strings(detectors, "detectors"))
    missing = [d for d in [*detectors, lift_detector] if d not in scores.columns]
    if missing:
        raise ValueError(f"scores has no column(s) {missing}")
    top = require_positive_int(top, "top")
    order = ranking.descending_order(scores[lift_detector].to_numpy())[:top]
    rows = {}
    for days in windows:
        label = reversal_labels(purchases, returns, scores.index, max_days=days)
        row = {"reversed share": float(label.mean())}
        for name in detectors:
            row[f"AUC {name}"] = detection_metrics(label, scores[name])["roc_auc"] if 0 < label.mean() < 1 else np.nan
        row[f"top-{top} lift ({lift_detector})"] = float(label.to_numpy()[order].mean() / label.mean())
        rows["any time" if days is None else f"within {days:g} d"] = row
    return pd.DataFrame(rows).T
