"""Conversion funnels (view, cart, purchase) and session features from event logs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from shopai_lab._validation import (
    require_columns,
    require_no_missing,
    require_not_empty,
    require_numeric_columns,
    require_strings,
)


def funnel(
    events: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    stages: Sequence[str] = ("view", "cart", "purchase"),
) -> pd.DataFrame:
    """Session funnel: how many sessions reach each stage, and the step conversion.

    A session reaches a stage when it has at least one event of that type.

    Parameters
    ----------
    events
        Event log with ``session_id`` and ``event`` (and the ``by`` columns).
    by
        Column(s) to split the funnel by, e.g. ``"segment"``.
    stages
        Ordered event names of the funnel.

    Returns
    -------
    pandas.DataFrame
        Tidy: the ``by`` columns, ``stage``, ``sessions``, ``step_conversion``
        (share of the previous stage) and ``overall_conversion`` (share of
        the first stage).

    Examples
    --------
    >>> ev = pd.DataFrame({"session_id": [1, 1, 1, 2, 3, 3],
    ...     "event": ["view", "cart", "purchase", "view", "view", "cart"]})
    >>> funnel(ev)[["stage", "sessions", "step_conversion"]].values.tolist()
    [['view', 3, 1.0], ['cart', 2, 0.6666666666666666], ['purchase', 1, 0.5]]
    """
    keys = [] if by is None else [by] if isinstance(by, str) else require_strings(by, "by")
    require_columns(events, ["session_id", "event", *keys], "events")
    require_not_empty(events, "events")
    stages = require_strings(stages, "stages")
    if len(stages) < 2 or len(set(stages)) != len(stages):
        raise ValueError(f"stages must name at least two distinct events, got {stages}")
    present = set(events["event"].astype(str).unique())
    if stages[0] not in present:
        raise ValueError(f"no event {stages[0]!r} (the first stage) in events; found event types {sorted(present)}")
    wide = _sessions_reaching(events, keys, stages)
    step = wide / wide.shift(1, axis=1).replace(0, np.nan)
    step[stages[0]] = 1.0
    overall = wide.div(wide[stages[0]].replace(0, np.nan), axis=0)
    tidy = pd.concat(
        {
            "sessions": wide.stack(),
            "step_conversion": step.stack(),
            "overall_conversion": overall.stack(),
        },
        axis=1,
    ).reset_index()
    tidy = tidy.drop(columns=[c for c in ["_all"] if c in tidy.columns])
    tidy["stage"] = pd.Categorical(tidy["stage"], categories=stages, ordered=True)
    return tidy.sort_values([*keys, "stage"], kind="stable").reset_index(drop=True)


def _sessions_reaching(events: pd.DataFrame, keys: list[str], stages: list[str]) -> pd.DataFrame:
    """Sessions with at least one event of each stage: rows are the ``keys`` groups, columns the stages."""
    kind = events["event"].astype(str)
    reached = (
        events.loc[kind.isin(stages).to_numpy(), [*keys, "session_id"]].assign(_all=0, stage=kind).drop_duplicates()
    )
    return (
        reached.groupby([*(keys or ["_all"]), "stage"], observed=True)
        .size()
        .unstack("stage")
        .reindex(columns=stages)
        .fillna(0)
        .astype("int64")
    )


def session_features(events: pd.DataFrame) -> pd.DataFrame:
    """Per-customer browsing features from an event log (simulator schema), indexed by ``customer_id``.

    Columns: ``sessions``, ``views_per_session``, ``cart_rate`` (carts per
    view), ``buy_rate`` (purchases per cart, 0 without carts), ``mean_view_price``
    and ``units_per_purchase`` (0 without purchases).

    Examples
    --------
    >>> from shopai_lab.data import simulate_shop
    >>> shop = simulate_shop(n_customers=100, n_items=30, days=30, random_state=0)
    >>> session_features(shop.events).columns.tolist()[:3]
    ['sessions', 'views_per_session', 'cart_rate']
    """
    require_columns(events, ["customer_id", "session_id", "event", "price", "quantity"], "events")
    require_not_empty(events, "events")
    require_numeric_columns(events, ["price", "quantity"], "events")
    require_no_missing(events, ["customer_id", "session_id", "event"], "events")
    kind = events["event"].astype(str)
    customer = events["customer_id"]
    views = (kind == "view").groupby(customer).sum()
    carts = (kind == "cart").groupby(customer).sum()
    buys = (kind == "purchase").groupby(customer).sum()
    units = events["quantity"].where(kind == "purchase", 0).groupby(customer).sum()
    view_price = events["price"].where(kind == "view").groupby(customer).mean()
    sessions = events.groupby("customer_id", observed=True)["session_id"].nunique()
    features = pd.DataFrame(
        {
            "sessions": sessions,
            "views_per_session": views / sessions,
            "cart_rate": carts / views.replace(0, np.nan),
            "buy_rate": buys / carts.replace(0, np.nan),
            "mean_view_price": view_price,
            "units_per_purchase": units / buys.replace(0, np.nan),
        }
    ).fillna(0.0)
    features.index.name = "customer_id"
    return features


def funnel_steps(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Step conversions of a :func:`funnel` split ``by`` a column, one row per group, one column per step.

    Columns are named ``"view → cart"``, ``"cart → purchase"``, ... in stage order.

    Examples
    --------
    >>> ev = pd.DataFrame({"session_id": [1, 1, 2, 3, 3, 3], "group": ["a", "a", "a", "b", "b", "b"],
    ...     "event": ["view", "cart", "view", "view", "cart", "purchase"]})
    >>> funnel_steps(funnel(ev, by="group"), by="group").values.tolist()
    [[0.5, 0.0], [1.0, 1.0]]
    """
    require_columns(table, [by, "stage", "step_conversion"], "table")
    require_not_empty(table, "table")
    stages = list(table["stage"].cat.categories) if hasattr(table["stage"], "cat") else list(pd.unique(table["stage"]))
    wide = table.pivot(index=by, columns="stage", values="step_conversion")
    wide = wide.reindex(columns=stages)
    steps = pd.DataFrame(
        {f"{before} → {after}": wide[after] for before, after in zip(stages[:-1], stages[1:])}, index=wide.index
    )
    steps.columns.name = "step"
    return steps
