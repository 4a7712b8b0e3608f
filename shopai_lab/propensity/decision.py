"""The targeting decision: expected profit of each threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_number,
)
from shopai_lab.propensity.calibration import _labels_and_probabilities


def profit_curve(y_true, probability, incentive_cost: float, conversion_value: float,
                 thresholds: np.ndarray | None = None) -> pd.DataFrame:
    """Profit of offering an incentive to every session whose probability reaches a threshold.

    A targeted session costs ``incentive_cost`` and, if it buys, earns
    ``conversion_value``. ``realised`` uses the observed outcomes; ``expected``
    the predicted probabilities (``sum (p * value - cost)``), whose maximum sits
    at ``p = cost / value`` when the probabilities are calibrated.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``targeted`` (share of sessions), ``realised`` and ``expected`` profit.
    """
    require_number(incentive_cost, "incentive_cost", low=0)
    require_number(conversion_value, "conversion_value", low=0, low_inclusive=False)
    _, p = _labels_and_probabilities(y_true, probability)
    y = np.asarray(y_true, dtype=float)
    thresholds = (np.linspace(0, 1, 101) if thresholds is None
                  else as_float_array(thresholds, "thresholds", allow_empty=False))
    rows = []
    for t in thresholds:
        target = p >= t
        rows.append({"threshold": float(t), "targeted": float(target.mean()),
                     "realised": float((y[target] * conversion_value - incentive_cost).sum()),
                     "expected": float((p[target] * conversion_value - incentive_cost).sum())})
    return pd.DataFrame(rows)
