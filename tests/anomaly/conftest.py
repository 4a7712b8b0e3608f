"""Small hand-made shops for the anomaly tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def small_shop() -> pd.DataFrame:
    """300 invoices of 40 customers, 3-6 lines each from 30 products with fixed prices."""
    rng = np.random.default_rng(7)
    rows = []
    start = pd.Timestamp("2024-01-01 09:00")
    prices = {f"P{j:02d}": round(float(rng.uniform(0.5, 10)), 2) for j in range(30)}
    for i in range(300):
        customer = f"C{rng.integers(40):02d}"
        when = start + pd.Timedelta(hours=int(i * 7 + rng.integers(0, 5)))
        for item in rng.choice(list(prices), size=int(rng.integers(3, 7)), replace=False):
            rows.append((customer, f"I{i:04d}", item, int(rng.integers(1, 13)), prices[item], when))
    frame = pd.DataFrame(rows, columns=["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"])
    return frame.astype({"customer_id": "string", "invoice_id": "string", "item_id": "string"})
