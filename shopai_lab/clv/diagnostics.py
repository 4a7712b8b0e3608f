"""Holdout checks of customer-value models: by frequency, tracking curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.utils.validation import check_is_fitted

from shopai_lab._validation import (
    as_float_array,
    require_columns,
    require_instance,
    require_no_missing,
    require_numeric_columns,
    require_positive_int,
    require_same_length,
    require_transactions,
    to_timestamp,
)
from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.summary import _unit_days
from shopai_lab.report import verdict
from shopai_lab.stats import paired_bootstrap, paired_metric_bootstrap


def holdout_by_frequency(
    summary: pd.DataFrame, predictions: dict[str, np.ndarray], max_frequency: int = 7
) -> pd.DataFrame:
    """Mean actual and predicted holdout purchases by calibration frequency (the top class is ``max+``).

    Parameters
    ----------
    summary
        Output of :func:`summarize_customers` with ``observation_end``.
    predictions
        ``{name: predicted holdout purchases per customer}``.
    max_frequency
        Frequencies at or above it are pooled into one class.
    """
    require_columns(summary, ["frequency", "frequency_holdout"], "summary")
    require_numeric_columns(summary, ["frequency", "frequency_holdout"], "summary", allow_nan=False)
    require_instance(predictions, dict, "predictions")
    max_frequency = require_positive_int(max_frequency, "max_frequency")
    table = pd.DataFrame({"actual": summary["frequency_holdout"].to_numpy(dtype=float)})
    for name, values in predictions.items():
        values = as_float_array(values, f"predictions[{name!r}]", ndim=None)
        if values.shape != (len(summary),):
            raise ValueError(f"predictions[{name!r}] must have one value per customer")
        table[name] = values
    group = np.minimum(summary["frequency"].to_numpy(), max_frequency)
    out = table.groupby(group).mean()
    out.insert(0, "customers", table.groupby(group).size())
    out.index = [f"{k}+" if k == max_frequency else str(k) for k in out.index]
    out.index.name = "calibration_frequency"
    return out


def tracking_curve(
    purchases: pd.DataFrame,
    model: BetaGeoModel,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Cumulative repeat purchases over calendar time: actual against the model's expectation.

    Covers customers whose first purchase is on or before ``calibration_end``;
    a repeat purchase is a purchase day after the customer's first. The
    expectation sums each customer's ``E[X(t - first purchase)]``.

    Returns
    -------
    pandas.DataFrame
        Indexed by period boundaries (every ``time_unit`` from the first
        purchase, and midnight after ``observation_end``): ``actual`` and
        ``expected`` cumulative repeat purchases before each boundary.
    """
    require_transactions(purchases, "purchases", ["customer_id", "timestamp"], allow_empty=False)
    require_no_missing(purchases, ["customer_id", "timestamp"], "purchases", "clean the lines first")
    require_instance(model, BetaGeoModel, "model")
    check_is_fitted(model, "params_")
    unit = _unit_days(time_unit)
    cal_end = to_timestamp(calibration_end, "calibration_end").normalize()
    obs_end = to_timestamp(observation_end, "observation_end").normalize()
    if obs_end <= cal_end:
        raise ValueError("observation_end must be after calibration_end")
    if purchases["timestamp"].min().normalize() > cal_end:
        raise ValueError(
            f"calibration_end {cal_end.date()} is before the first purchase "
            f"({purchases['timestamp'].min().date()}): no customer to track"
        )
    days = pd.DataFrame(
        {"customer_id": purchases["customer_id"].to_numpy(), "day": purchases["timestamp"].dt.normalize().to_numpy()}
    ).drop_duplicates()
    first = days.groupby("customer_id", observed=True)["day"].transform("min")
    days = days[(first <= cal_end).to_numpy() & (days["day"] <= obs_end).to_numpy()]
    first = first[days.index]
    start = days["day"].min()
    end = obs_end + pd.Timedelta(days=1)  # midnight after the last observed day
    edges = pd.date_range(start, end, freq=pd.Timedelta(days=unit))
    if edges[-1] < end:
        edges = edges.append(pd.DatetimeIndex([end]))
    repeat_days = days.loc[(days["day"] > first).to_numpy(), "day"]
    actual = np.searchsorted(np.sort(repeat_days.to_numpy()), edges.to_numpy(), side="left")
    births = (first.groupby(days["customer_id"]).first() - start) / pd.Timedelta(days=unit)
    horizon = (edges - start) / pd.Timedelta(days=unit)
    ages = np.clip(horizon.to_numpy()[None, :] - births.to_numpy()[:, None], 0, None)
    expected = model.expected_purchases_population(ages).sum(axis=0)
    return pd.DataFrame({"actual": actual, "expected": expected}, index=pd.Index(edges, name="date"))


def _spearman(y: np.ndarray, p: np.ndarray) -> float:
    """Pearson correlation of the average ranks (ties share the mean of their ranks)."""
    return _pearson(rankdata(y), rankdata(p))


def _pearson(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.corrcoef(y, p)[0, 1])


def _rmse(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.sqrt(np.mean((p - y) ** 2)))


def _abs_total_error(y: np.ndarray, p: np.ndarray) -> float:
    return float(abs(np.sum(p - y)) / np.sum(y))


#: metric name -> (function of actual and predicted, whether higher is better).
HOLDOUT_METRICS: dict[str, tuple] = {
    "spearman": (_spearman, True),
    "pearson": (_pearson, True),
    "mae": (lambda y, p: float(np.mean(np.abs(p - y))), False),
    "rmse": (_rmse, False),
    "abs_total_error": (_abs_total_error, False),
}


def _paired_predictions(actual, model, baseline) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = as_float_array(actual, "actual")
    a = as_float_array(baseline, "baseline")
    b = as_float_array(model, "model")
    require_same_length(actual=y, model=b, baseline=a)
    if len(y) < 2 or y.sum() <= 0:
        raise ValueError("actual must have at least 2 customers and some holdout purchases")
    return y, a, b


def compare_holdout(
    actual, model, baseline, n_boot: int = 1000, level: float = 0.95, random_state: int | None = 0
) -> pd.DataFrame:
    """Holdout accuracy of two per-customer predictions, with paired bootstrap intervals of the differences.

    Customers are resampled with replacement (the same draw for both predictions) and each
    metric of :data:`HOLDOUT_METRICS` recomputed: Spearman and Pearson correlation, MAE, RMSE
    and the absolute relative error of the total, ``|sum(predicted - actual)| / sum(actual)``.

    Parameters
    ----------
    actual : array-like
        Holdout purchases per customer.
    model, baseline : array-like
        Predicted holdout purchases per customer (``difference`` is model minus baseline).
    n_boot, level, random_state
        Bootstrap draws, interval level and seed (:func:`shopai_lab.stats.paired_metric_bootstrap`).

    Returns
    -------
    pandas.DataFrame
        Indexed by metric: ``baseline``, ``model``, ``difference``, ``low``, ``high``,
        ``higher_is_better`` and ``verdict`` (for the model: "better", "worse" or "not distinguishable").

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.poisson(2.0, 500)
    >>> table = compare_holdout(y, y + rng.normal(0, 0.5, 500), 2.0 + rng.normal(0, 1.0, 500), n_boot=200)
    >>> table.loc["mae", "verdict"]
    'better'
    """
    y, a, b = _paired_predictions(actual, model, baseline)
    rows = {}
    for name, (metric, higher) in HOLDOUT_METRICS.items():
        result = paired_metric_bootstrap(metric, y, a, b, n_boot=n_boot, level=level, random_state=random_state)
        rows[name] = {
            "baseline": metric(y, a),
            "model": metric(y, b),
            **result,
            "higher_is_better": higher,
            "verdict": verdict(result, higher),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def holdout_buckets(
    summary: pd.DataFrame,
    model,
    baseline,
    max_frequency: int = 7,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Where two predictions win or lose: holdout purchases and absolute errors by calibration repeat count.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`summarize_customers` output with the holdout columns.
    model, baseline : array-like
        Predicted holdout purchases per customer of ``summary``.
    max_frequency : int, default 7
        Repeat counts at or above it form one bucket (``"7+"``).
    n_boot, level, random_state
        Paired bootstrap of the mean absolute error difference within each bucket.

    Returns
    -------
    pandas.DataFrame
        One row per bucket and a last row ``"all"``: ``customers``, ``actual`` (total holdout
        purchases), ``model_total``, ``baseline_total``, ``model_mae``, ``baseline_mae`` and the MAE
        ``difference`` (model minus baseline; negative: the model errs less) with ``low`` and ``high``.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 0, 1, 3], "frequency_holdout": [0, 1, 1, 4]})
    >>> holdout_buckets(s, [0.2, 0.2, 1.0, 3.0], [0.0, 0.0, 1.5, 3.5], max_frequency=2, n_boot=50)[
    ...     ["customers", "actual", "model_total", "baseline_total"]]
                           customers  actual  model_total  baseline_total
    calibration_frequency
    0                              2     1.0          0.4             0.0
    1                              1     1.0          1.0             1.5
    2+                             1     4.0          3.0             3.5
    all                            4     6.0          4.4             5.0
    """
    require_columns(summary, ["frequency", "frequency_holdout"], "summary")
    require_numeric_columns(summary, ["frequency", "frequency_holdout"], "summary", allow_nan=False)
    y, a, b = _paired_predictions(summary["frequency_holdout"], model, baseline)
    if len(y) != len(summary):
        raise ValueError(f"model and baseline must have one prediction per customer of summary ({len(summary)})")
    max_frequency = require_positive_int(max_frequency, "max_frequency")
    group = np.minimum(summary["frequency"].to_numpy(), max_frequency)
    rows = {}
    for key, rows_in in [*((k, group == k) for k in np.unique(group)), ("all", np.ones(len(y), dtype=bool))]:
        label = key if key == "all" else (f"{key}+" if key == max_frequency else str(key))
        err_a, err_b = np.abs(a[rows_in] - y[rows_in]), np.abs(b[rows_in] - y[rows_in])
        diff = paired_bootstrap(err_a, err_b, n_boot=n_boot, level=level, random_state=random_state)
        rows[label] = {
            "customers": int(rows_in.sum()),
            "actual": y[rows_in].sum(),
            "model_total": b[rows_in].sum(),
            "baseline_total": a[rows_in].sum(),
            "model_mae": err_b.mean(),
            "baseline_mae": err_a.mean(),
            **diff,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "calibration_frequency"
    return table
