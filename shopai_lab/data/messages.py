"""Customer-service messages (notebook 09): the two bundled intent sets and an analyst's own file.

Every loader returns a tidy frame with one message per row and at least the columns
``text`` (the customer's message) and ``intent`` (its label), plus ``split`` (``train`` /
``test``) when the source fixes one. :func:`check_intents` is the one gate every frame
passes, so a user file with an empty message, a single intent or an unknown split value
is refused with a message naming the row or value at fault.

Bundled files (``data/customer_service/``, provenance and licences in its README):

- ``bitext_customer_support.csv``: 6,480 machine-generated messages of an online shop's
  support, 27 intents in 11 categories, with a canned reply per intent, language tags and
  the entity the message mentions (CDLA-Sharing-1.0).
- ``banking77.csv``: 13,083 messages written by people, 77 intents, official split (CC BY 4.0).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from shopai_lab._validation import require_columns, require_frame, require_not_empty
from shopai_lab.data.columns import parse_column_map
from shopai_lab.data.paths import data_dir

__all__ = [
    "MESSAGE_SPLITS",
    "check_intents",
    "customer_service_dir",
    "load_banking77",
    "load_bitext",
    "load_bitext_replies",
    "load_intents",
]

#: Allowed values of the optional ``split`` column of a frame of labelled messages.
MESSAGE_SPLITS: tuple[str, ...] = ("train", "test")


def customer_service_dir() -> Path:
    """Folder of the bundled customer-service files (``<data_dir>/customer_service``)."""
    return data_dir() / "customer_service"


def _read_bundled(name: str) -> pd.DataFrame:
    path = customer_service_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"bundled file {name!r} not found in {str(path.parent)!r}; set SHOPAI_LAB_DATA_DIR to the "
            "folder holding customer_service/"
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def check_intents(frame: pd.DataFrame, name: str = "messages") -> pd.DataFrame:
    """Validate and tidy a frame of labelled messages; return a new frame.

    Parameters
    ----------
    frame
        Columns ``text`` and ``intent`` (strings), optional ``split`` in :data:`MESSAGE_SPLITS`.
        Other columns are kept.
    name
        What to call the frame in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with ``text`` stripped of outer whitespace, ``intent`` and ``split`` as
        strings and a fresh ``RangeIndex``.

    Raises
    ------
    ValueError
        For missing columns, no rows, an empty or missing message or intent (naming the
        row), fewer than two intents, or a ``split`` value outside :data:`MESSAGE_SPLITS`.

    Examples
    --------
    >>> frame = pd.DataFrame({"text": [" where is my parcel", "cancel it"],
    ...                       "intent": ["track_order", "cancel_order"]})
    >>> check_intents(frame)["text"].tolist()
    ['where is my parcel', 'cancel it']
    """
    require_columns(frame, ["text", "intent"], name)
    require_not_empty(frame, name)
    out = frame.reset_index(drop=True).copy()
    not_text = out["text"].notna() & ~out["text"].map(lambda value: isinstance(value, str))
    if not_text.any():
        row = int(not_text.to_numpy().nonzero()[0][0])
        raise TypeError(
            f"{name}['text'] must hold the customers' messages as text; row {row} holds {out['text'].tolist()[row]!r}"
        )
    for column in ("text", "intent"):
        values = out[column]
        missing = values.isna()
        stripped = values.where(missing, values.astype(str).str.strip())
        bad = missing | (stripped == "")
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(
                f"{name}[{column!r}] is empty or missing in {int(bad.sum())} row(s), first at row {row}; "
                "drop those rows or fill them"
            )
        out[column] = stripped.astype(str)
    n_intents = out["intent"].nunique()
    if n_intents < 2:
        raise ValueError(
            f"{name}['intent'] has only {n_intents} distinct intent ({out['intent'].iloc[0]!r}); "
            "an intent model needs at least two"
        )
    if "split" in out.columns:
        split = out["split"].astype("string").str.strip().str.lower()
        unknown = sorted(set(split.dropna()) - set(MESSAGE_SPLITS)) + (["<missing>"] if split.isna().any() else [])
        if unknown:
            raise ValueError(f"{name}['split'] has unknown value(s) {unknown}; allowed: {list(MESSAGE_SPLITS)}")
        out["split"] = split.astype(str)
    return out


def load_bitext() -> pd.DataFrame:
    """The Bitext customer-support sample: 6,480 messages, 27 intents, 11 categories.

    Columns: ``text``, ``intent``, ``category``, ``response`` (the canned reply of the
    intent), ``tags`` (Bitext's language-variation codes, e.g. ``Z`` typos, ``Q``
    colloquial, ``W`` offensive), ``entity_type`` and ``entity_value`` (the entity the
    message mentions, missing when none). Values are strings; there is no official split.

    Examples
    --------
    >>> bitext = load_bitext()
    >>> bitext.shape, bitext["intent"].nunique(), bitext["category"].nunique()
    ((6480, 7), 27, 11)
    """
    return check_intents(_read_bundled("bitext_customer_support.csv"), "bitext")


def load_bitext_replies() -> pd.DataFrame:
    """The 27 canned replies of the Bitext sample: columns ``intent``, ``category``, ``response``.

    Examples
    --------
    >>> load_bitext_replies().shape
    (27, 3)
    """
    return _read_bundled("bitext_canned_responses.csv")


def load_banking77() -> pd.DataFrame:
    """Banking77 (Casanueva et al. 2020): 13,083 messages, 77 intents, official ``split``.

    Examples
    --------
    >>> banking = load_banking77()
    >>> banking["split"].value_counts().to_dict(), banking["intent"].nunique()
    ({'train': 10003, 'test': 3080}, 77)
    """
    return check_intents(_read_bundled("banking77.csv"), "banking77")


def load_intents(path: str | Path, column_map: Mapping[str, str] | str | None = None) -> pd.DataFrame:
    """An analyst's own file of labelled messages (CSV or Parquet).

    Parameters
    ----------
    path
        A ``.csv``, ``.csv.gz`` or ``.parquet`` file.
    column_map
        ``{"file column": "text" | "intent" | "split" | other}`` as a dict or JSON text;
        columns already named ``text``/``intent``/``split`` need no entry.

    Returns
    -------
    pandas.DataFrame
        Checked by :func:`check_intents`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"Message": ["hi, where is my order?", "refund please"],
    ...               "Label": ["track", "refund"]}).to_csv(folder / "m.csv", index=False)
    >>> load_intents(folder / "m.csv", '{"Message": "text", "Label": "intent"}').columns.tolist()
    ['text', 'intent']
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"data_path must be a file path, got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at data_path {str(path)!r}")
    mapping = parse_column_map(column_map)
    if path.suffix.lower() == ".parquet":
        raw = pd.read_parquet(path)
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    require_frame(raw, "file")
    absent = [c for c in mapping if c not in raw.columns]
    if absent:
        raise ValueError(f"column_map names column(s) {absent} not in the file; found {list(raw.columns)}")
    return check_intents(raw.rename(columns=mapping), f"file {path.name!r}")
