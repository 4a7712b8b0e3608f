"""A seeded shop simulator with known ground truth.

Real invoice data has no page views and no true customer types, so the funnel
section of notebook 01 and the tests that need a known answer use this
simulator. Every customer belongs to one latent segment (:data:`SEGMENTS`)
that sets how often they visit, how many products they view, how likely a view
is carted and a cart bought, which price level they browse and how many units
they buy. Everything is drawn from one ``numpy.random.Generator`` seeded by
``random_state``, so a run is reproducible to the last row.

The story of one customer:

1. Sessions arrive as a Poisson process over ``days`` with the segment's rate
   times a Gamma(4, 1/4) personal multiplier (mean 1).
2. A session views ``1 + Poisson(views - 1)`` products, chosen by popularity
   tilted by the segment's price taste (``popularity * price ** -price_taste``).
3. Each view is carted with the segment's ``cart_rate``; each cart is bought
   with ``buy_rate``, ``1 + Poisson(units - 1)`` units at the list price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    as_float_array,
    require_frame,
    require_number,
    require_numeric_columns,
    require_positive_int,
    require_seed,
    to_timestamp,
)

#: Allowed range of each column of a segment table: (low, high), inclusive.
_SEGMENT_RANGES = {
    "share": (0.0, 1.0),
    "sessions_per_day": (0.0, None),
    "views": (1.0, None),
    "cart_rate": (0.0, 1.0),
    "buy_rate": (0.0, 1.0),
    "price_taste": (None, None),
    "units": (1.0, None),
}


#: Latent segments: share of customers, sessions per day, mean products viewed per
#: session, P(cart | view), P(buy | cart), price taste (> 0 prefers cheap items) and
#: mean units per bought line.
SEGMENTS = pd.DataFrame(
    {
        "share": [0.20, 0.30, 0.35, 0.15],
        "sessions_per_day": [0.30, 0.12, 0.10, 0.04],
        "views": [6.0, 9.0, 3.0, 5.0],
        "cart_rate": [0.15, 0.08, 0.015, 0.18],
        "buy_rate": [0.65, 0.50, 0.30, 0.65],
        "price_taste": [0.0, 1.5, 0.0, -1.5],
        "units": [2.0, 3.0, 1.0, 1.0],
    },
    index=pd.Index(["loyal", "bargain hunter", "window shopper", "big spender"], name="segment"),
)


START = pd.Timestamp("2024-01-01")


@dataclass(frozen=True)
class SimulatedShop:
    """Output of :func:`simulate_shop`.

    Attributes
    ----------
    events
        One row per event: ``customer_id``, ``session_id``, ``item_id``, ``event``
        (``view``, ``cart``, ``purchase``), ``timestamp``, ``price`` (list price)
        and ``quantity`` (units; 1 for views and carts), sorted by time.
    catalogue
        One row per item: ``item_id``, ``category``, ``price``, ``popularity``.
    customers
        One row per customer: ``customer_id``, the true ``segment`` and the personal
        ``session_rate`` (sessions per day).
    """

    events: pd.DataFrame
    catalogue: pd.DataFrame
    customers: pd.DataFrame

    def transactions(self) -> pd.DataFrame:
        """Purchase events as canonical transaction lines, one invoice per session.

        Examples
        --------
        >>> shop = simulate_shop(n_customers=50, n_items=20, days=30, random_state=1)
        >>> list(shop.transactions().columns)[:3]
        ['customer_id', 'invoice_id', 'item_id']
        """
        bought = self.events[self.events["event"] == "purchase"]
        return pd.DataFrame(
            {
                "customer_id": bought["customer_id"].to_numpy(),
                "invoice_id": "S" + bought["session_id"].astype("string").to_numpy(),
                "item_id": bought["item_id"].to_numpy(),
                "quantity": bought["quantity"].to_numpy(),
                "unit_price": bought["price"].to_numpy(),
                "timestamp": bought["timestamp"].to_numpy(),
            }
        ).astype({"customer_id": "string", "invoice_id": "string", "item_id": "string"})

    def __repr__(self) -> str:
        counts = self.events["event"].value_counts()
        return (
            f"SimulatedShop(customers={len(self.customers):,}, items={len(self.catalogue):,}, "
            f"sessions={self.events['session_id'].nunique():,}, views={counts.get('view', 0):,}, "
            f"carts={counts.get('cart', 0):,}, purchases={counts.get('purchase', 0):,})"
        )


def _catalogue(rng: np.random.Generator, n_items: int) -> pd.DataFrame:
    price = np.round(np.exp(rng.normal(1.5, 0.8, n_items)), 2).clip(0.29, None)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.8
    popularity = rng.permutation(popularity / popularity.sum())
    return pd.DataFrame(
        {
            "item_id": [f"I{i:05d}" for i in range(n_items)],
            "category": rng.integers(0, 8, n_items),
            "price": price,
            "popularity": popularity,
        }
    )


def _check_segments(segments: pd.DataFrame) -> None:
    require_frame(segments, "segments")
    missing = [c for c in SEGMENTS.columns if c not in segments.columns]
    if missing:
        raise ValueError(f"segments is missing column(s) {missing}")
    if len(segments) == 0:
        raise ValueError("segments is empty: it has no rows")
    require_numeric_columns(segments, list(SEGMENTS.columns), "segments", allow_nan=False)
    for column, (low, high) in _SEGMENT_RANGES.items():
        as_float_array(segments[column], f"segments[{column!r}]", low=low, high=high)
    if not np.isclose(segments["share"].sum(), 1.0):
        raise ValueError(f"segments['share'] must sum to 1, got {segments['share'].sum():.4f}")


def _customers(rng: np.random.Generator, segments: pd.DataFrame, n_customers: int) -> pd.DataFrame:
    """Each customer's id, true segment and personal session rate (sessions per day)."""
    seg = rng.choice(len(segments), size=n_customers, p=segments["share"].to_numpy())
    rate = segments["sessions_per_day"].to_numpy()[seg] * rng.gamma(4.0, 0.25, n_customers)
    return pd.DataFrame(
        {
            "customer_id": np.array([f"U{i:06d}" for i in range(n_customers)]),
            "segment": pd.Categorical.from_codes(seg, categories=list(segments.index)),
            "session_rate": rate,
        }
    )


def _sessions(rng: np.random.Generator, rate: np.ndarray, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Owner (customer position) and start (days) of each session, in time order."""
    n_sessions = rng.poisson(rate * days)
    session_customer = np.repeat(np.arange(len(rate)), n_sessions)
    session_start = np.sort(rng.uniform(0, days, len(session_customer)))
    return rng.permutation(session_customer), session_start  # which customer owns the k-th session


def _views(
    rng: np.random.Generator, segments: pd.DataFrame, catalogue: pd.DataFrame, session_seg: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Session, item (position) and offset in seconds from the session start of every product view."""
    n_views = 1 + rng.poisson(segments["views"].to_numpy()[session_seg] - 1)
    view_session = np.repeat(np.arange(len(session_seg)), n_views)
    view_seg = session_seg[view_session]
    view_item = np.empty(len(view_session), dtype=np.int64)
    log_price = np.log(catalogue["price"].to_numpy())
    popularity = catalogue["popularity"].to_numpy()
    for s, taste in enumerate(segments["price_taste"].to_numpy()):  # item choice tilted by price taste
        rows = np.flatnonzero(view_seg == s)
        weight = popularity * np.exp(-taste * log_price)
        view_item[rows] = rng.choice(len(catalogue), size=len(rows), p=weight / weight.sum())
    # Seconds since session start: views about a minute apart.
    first_view = np.r_[0, np.cumsum(n_views)[:-1]]
    position = np.arange(len(view_session)) - first_view[view_session]
    return view_session, view_item, position * 60.0 + rng.uniform(0, 30, len(view_session))


def _sorted_events(frames: list[pd.DataFrame], start: pd.Timestamp) -> pd.DataFrame:
    """One event log from the per-event frames: time order (view, cart, purchase on ties), timestamps."""
    events = pd.concat(frames, ignore_index=True)
    order = {"view": 0, "cart": 1, "purchase": 2}
    events = (
        events.assign(_order=events["event"].map(order))
        .sort_values(["seconds", "session_id", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    timestamp = start + pd.to_timedelta(events.pop("seconds"), unit="s")
    events.insert(4, "timestamp", timestamp.astype("datetime64[ns]"))
    events["event"] = pd.Categorical(events["event"], categories=list(order))
    return events


def _browse_and_buy(
    rng: np.random.Generator,
    segments: pd.DataFrame,
    catalogue: pd.DataFrame,
    customers: pd.DataFrame,
    days: int,
    start: pd.Timestamp,
) -> pd.DataFrame:
    """The event log: sessions, views, carts and purchases of every customer."""
    seg = customers["segment"].cat.codes.to_numpy()
    session_customer, session_start = _sessions(rng, customers["session_rate"].to_numpy(), days)
    view_session, view_item, view_offset = _views(rng, segments, catalogue, seg[session_customer])
    view_seg = seg[session_customer][view_session]
    carted = rng.random(len(view_session)) < segments["cart_rate"].to_numpy()[view_seg]
    bought = carted & (rng.random(len(view_session)) < segments["buy_rate"].to_numpy()[view_seg])
    units = 1 + rng.poisson(segments["units"].to_numpy()[view_seg] - 1)
    session_end = np.zeros(len(session_customer))
    np.maximum.at(session_end, view_session, view_offset)
    base = session_start[view_session] * 86_400.0
    parts = {
        "view": (np.ones(len(view_session), bool), base + view_offset, np.ones_like(units)),
        "cart": (carted, base + view_offset + 15.0, np.ones_like(units)),
        "purchase": (bought, base + session_end[view_session] + 120.0, units),
    }
    customer_ids = customers["customer_id"].to_numpy()
    item_ids, price = catalogue["item_id"].to_numpy(), catalogue["price"].to_numpy()
    frames = [
        pd.DataFrame(
            {
                "customer_id": customer_ids[session_customer[view_session[mask]]],
                "session_id": view_session[mask],
                "item_id": item_ids[view_item[mask]],
                "event": event,
                "seconds": np.round(seconds[mask]),
                "price": price[view_item[mask]],
                "quantity": qty[mask],
            }
        )
        for event, (mask, seconds, qty) in parts.items()
    ]
    return _sorted_events(frames, start)


def simulate_shop(
    n_customers: int = 2000,
    n_items: int = 200,
    days: int = 90,
    random_state: int | np.random.Generator | None = 0,
    segments: pd.DataFrame = SEGMENTS,
    start: str | pd.Timestamp = START,
) -> SimulatedShop:
    """Simulate a shop's browsing and buying events with known customer segments.

    Parameters
    ----------
    n_customers, n_items, days : int
        Size of the simulation (each >= 1).
    random_state : int, numpy Generator or None, default 0
        Seed of the random generator; equal seeds give equal output.
    segments : pandas.DataFrame
        Segment table shaped like :data:`SEGMENTS` (shares must sum to 1).
    start : str or pandas.Timestamp
        Timestamp of the first simulated day.

    Returns
    -------
    SimulatedShop
        ``events``, ``catalogue`` and ``customers`` with the true segment.

    Examples
    --------
    >>> shop = simulate_shop(n_customers=200, n_items=50, days=30, random_state=0)
    >>> sorted(shop.events["event"].unique())
    ['cart', 'purchase', 'view']
    """
    n_customers = require_positive_int(n_customers, "n_customers")
    n_items = require_positive_int(n_items, "n_items")
    days = require_positive_int(days, "days")
    _check_segments(segments)
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)
    start = to_timestamp(start, "start")
    catalogue = _catalogue(rng, n_items)
    customers = _customers(rng, segments, n_customers)
    events = _browse_and_buy(rng, segments, catalogue, customers, days, start)
    return SimulatedShop(events=events, catalogue=catalogue, customers=customers)


def random_transactions(
    n_lines: int,
    n_customers: int = 50_000,
    n_items: int = 5_000,
    days: int = 365,
    lines_per_invoice: float = 20.0,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Random canonical transaction lines at any size, for benchmarks and scale tests.

    Invoices of ``~lines_per_invoice`` lines belong to one customer and one
    timestamp; customers and items follow long-tailed (Zipf-like) activity.
    Unlike :func:`simulate_shop` it has no behavioural story: it is fast.

    Examples
    --------
    >>> tx = random_transactions(1_000, n_customers=100, n_items=50, random_state=0)
    >>> len(tx), tx["customer_id"].nunique() <= 100
    (1000, True)
    """
    n_lines = require_positive_int(n_lines, "n_lines")
    n_customers = require_positive_int(n_customers, "n_customers")
    n_items = require_positive_int(n_items, "n_items")
    days = require_positive_int(days, "days")
    require_number(lines_per_invoice, "lines_per_invoice", low=1)
    require_seed(random_state, "random_state")
    rng = np.random.default_rng(random_state)
    n_invoices = max(1, int(round(n_lines / lines_per_invoice)))
    invoice = np.sort(rng.integers(0, n_invoices, n_lines))
    customer_weight = 1.0 / np.arange(1, n_customers + 1) ** 0.7
    invoice_customer = rng.choice(n_customers, n_invoices, p=customer_weight / customer_weight.sum())
    invoice_time = START + pd.to_timedelta(np.round(rng.uniform(0, days * 86_400, n_invoices)), unit="s")
    item_weight = 1.0 / np.arange(1, n_items + 1) ** 0.9
    item = rng.choice(n_items, n_lines, p=item_weight / item_weight.sum())
    item_price = np.round(np.exp(rng.normal(1.0, 0.7, n_items)), 2)
    return pd.DataFrame(
        {
            "customer_id": pd.array(invoice_customer[invoice], dtype="int64").astype(str),
            "invoice_id": invoice.astype(str),
            "item_id": item.astype(str),
            "quantity": 1 + rng.poisson(3.0, n_lines),
            "unit_price": item_price[item],
            "timestamp": invoice_time[invoice].astype("datetime64[ns]"),
        }
    ).astype({"customer_id": "string", "invoice_id": "string", "item_id": "string"})
