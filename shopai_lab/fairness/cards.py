"""Model cards (Mitchell et al., "Model Cards for Model Reporting", FAT* 2019), short and generated from results.

A card says what a model is for, on what data and period it was fitted and evaluated, how well it does
overall and for each group evaluated, and what it is known not to do. The notebook writes one per model into
``reports/`` (domains do not touch files); every number on a card comes from the run that wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from shopai_lab._validation import require_string

__all__ = ["model_card"]


def _lines(items: Sequence[str], name: str) -> list[str]:
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise TypeError(f"{name} must be a list of sentences, got {type(items).__name__}")
    return [f"- {require_string(item, name)}" for item in items]


def _markdown_table(table: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (index first), numbers to 4 significant digits."""

    def cell(value) -> str:
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    header = "| | " + " | ".join(map(str, table.columns)) + " |"
    rule = "|---" * (len(table.columns) + 1) + "|"
    rows = ["| " + " | ".join([str(i), *map(cell, row)]) + " |" for i, row in zip(table.index, table.to_numpy())]
    return "\n".join([header, rule, *rows])


def model_card(
    name: str,
    purpose: str,
    data: str,
    metrics: Mapping[str, str],
    groups: pd.DataFrame | None = None,
    limits: Sequence[str] = (),
) -> str:
    """A model card as Markdown.

    Parameters
    ----------
    name, purpose, data
        The model's name, what it decides, and the data and period it was fitted and evaluated on.
    metrics
        ``{metric: formatted value with its interval}``, e.g. ``{"nDCG@10": "0.116 (95% CI 0.108 to 0.124)"}``.
    groups
        A per-group table (e.g. :func:`~shopai_lab.fairness.groups.group_metric_table`), shown as it is.
    limits
        Known limits, one sentence each.

    Examples
    --------
    >>> print(model_card("Blend", "next products", "invoices to the cut-off", {"nDCG@10": "0.116"}))
    # Model card: Blend
    <BLANKLINE>
    **Purpose:** next products
    <BLANKLINE>
    **Data:** invoices to the cut-off
    <BLANKLINE>
    ## Metrics
    <BLANKLINE>
    - nDCG@10: 0.116
    """
    parts = [
        f"# Model card: {require_string(name, 'name')}",
        f"**Purpose:** {require_string(purpose, 'purpose')}",
        f"**Data:** {require_string(data, 'data')}",
    ]
    if not isinstance(metrics, Mapping) or not metrics:
        raise TypeError("metrics must be a non-empty mapping of metric name to formatted value")
    parts.append("## Metrics\n\n" + "\n".join(f"- {require_string(k, 'metrics')}: {v}" for k, v in metrics.items()))
    if groups is not None:
        if not isinstance(groups, pd.DataFrame):
            raise TypeError(f"groups must be a DataFrame, got {type(groups).__name__}")
        parts.append("## Groups evaluated\n\n" + _markdown_table(groups))
    if limits:
        parts.append("## Known limits\n\n" + "\n".join(_lines(limits, "limits")))
    return "\n\n".join(parts)
