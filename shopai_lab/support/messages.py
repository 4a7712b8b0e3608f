"""Train, validation and test messages for the intent models (notebook 09).

The messages come from :mod:`shopai_lab.data.messages` (the bundled sets or an analyst's file), already
checked by :func:`shopai_lab.data.check_intents`; :func:`split_messages` checks them again, as every public
function does with its input.
"""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from shopai_lab._validation import require_columns, require_instance, require_probability
from shopai_lab.data import check_intents

__all__ = ["split_messages", "split_sizes"]


def split_messages(
    frame: pd.DataFrame, test_size: float = 0.2, random_state: int = 0, use_split: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train and test messages: the file's own ``split`` when it has one, else a stratified cut.

    Parameters
    ----------
    frame
        Labelled messages (checked by :func:`shopai_lab.data.check_intents`).
    test_size
        Share of messages held out, per intent (stratified), when there is no ``split``
        column or ``use_split`` is False.
    random_state
        Seed of the stratified cut.
    use_split
        Use the ``split`` column when present (e.g. Banking77's official split).

    Returns
    -------
    train, test
        New frames (index kept). Use the function again on ``train`` with
        ``use_split=False`` to cut a validation set.

    Examples
    --------
    >>> frame = pd.DataFrame({"text": list("abcdefgh"), "intent": list("xxxxyyyy")})
    >>> train, test = split_messages(frame, test_size=0.25)
    >>> len(train), sorted(test["intent"])
    (6, ['x', 'y'])
    """
    frame = check_intents(frame)
    if use_split and "split" in frame.columns:
        train, test = frame[frame["split"] == "train"], frame[frame["split"] == "test"]
        if train.empty or test.empty:
            raise ValueError("the 'split' column must mark both 'train' and 'test' messages")
        return train.copy(), test.copy()
    share = require_probability(test_size, "test_size")
    counts = frame["intent"].value_counts()
    rare = sorted(counts[counts < 2].index)
    if rare:
        raise ValueError(f"intent(s) {rare[:5]} have a single message; a stratified split needs two per intent")
    train, test = train_test_split(frame, test_size=share, stratify=frame["intent"], random_state=random_state)
    return train.sort_index(), test.sort_index()


def split_sizes(splits: dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """Intents and messages per part (fit, validation, test) of each data set.

    Examples
    --------
    >>> part = pd.DataFrame({"text": ["a", "b"], "intent": ["x", "y"]})
    >>> split_sizes({"shop": (part, part.head(1), part)})
          intents  fit  validation  test
    shop        2    2           1     2
    """
    require_instance(splits, dict, "splits")
    rows = {}
    for name, parts in splits.items():
        if not isinstance(parts, tuple) or len(parts) != 3:
            raise TypeError(f"splits[{name!r}] must be a tuple (fit, validation, test) of frames")
        for part in parts:
            require_columns(part, ["intent"], f"splits[{name!r}]")
        fit, val, test = parts
        intents = pd.concat([p["intent"] for p in parts]).nunique()
        rows[name] = {"intents": intents, "fit": len(fit), "validation": len(val), "test": len(test)}
    return pd.DataFrame(rows).T
