"""The targeting decision: expected profit of each threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_number,
)
from shopai_lab.propensity.calibration import _labels_and_probabilities


def profit_curve(
    y_true, probability, incentive_cost: float, conversion_value: float, thresholds: np.ndarray | None = None
) -> pd.DataFrame:
    """Profit of offering an incentive to every session whose probability reaches a threshold.

    A targeted session costs ``incentive_cost`` and, if it buys, earns
    ``conversion_value``. ``realised`` uses the observed outcomes; ``expected``
    the predicted probabilities (``sum (p * value - cost)``), whose maximum sits
    at ``p = cost / value`` when the probabilities are calibrated.

    Parameters
    ----------
    y_true, probability
        Observed 0/1 purchases and predicted purchase probabilities, one per session.
    incentive_cost
        Cost of targeting one session (>= 0).
    conversion_value
        Margin earned when a targeted session buys (> 0).
    thresholds
        Thresholds to evaluate; 0, 0.01, ..., 1 by default.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``targeted`` (share of sessions), ``realised`` and ``expected`` profit.

    Examples
    --------
    >>> profit_curve([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], incentive_cost=2.0, conversion_value=10.0,
    ...              thresholds=[0.0, 0.5, 0.95])
       threshold  targeted  realised  expected
    0       0.00       1.0      12.0      12.0
    1       0.50       0.5      16.0      11.0
    2       0.95       0.0       0.0       0.0
    """
    require_number(incentive_cost, "incentive_cost", low=0)
    require_number(conversion_value, "conversion_value", low=0, low_inclusive=False)
    _, p = _labels_and_probabilities(y_true, probability)
    y = np.asarray(y_true, dtype=float)
    thresholds = (
        np.linspace(0, 1, 101) if thresholds is None else as_float_array(thresholds, "thresholds", allow_empty=False)
    )
    rows = []
    for t in thresholds:
        target = p >= t
        rows.append(
            {
                "threshold": float(t),
                "targeted": float(target.mean()),
                "realised": float((y[target] * conversion_value - incentive_cost).sum()),
                "expected": float((p[target] * conversion_value - incentive_cost).sum()),
            }
        )
    return pd.DataFrame(rows)
