"""Answering: entities from the message, the canned reply of the intent, and the untrained baseline.

- :class:`EntityExtractor` finds the one entity a support message mentions, as written (an order
  number is a string, leading zeros included): order numbers,
  invoice numbers and amounts by regular expression, person names by title or
  "from First Last", and word-valued entities (account types, cities, countries) from a
  gazetteer learned from labelled training messages.
- :func:`compose_replies` fills the canned reply of each predicted intent with the entity
  found, so the agent (or the customer) sees "Order 123842: ...".
- :func:`reply_by_similarity` is the contrast: match a message straight to the replies by
  TF-IDF cosine similarity, with no training on labelled messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from sklearn.utils.validation import check_is_fitted

from shopai_lab import ranking
from shopai_lab._validation import (
    require_columns,
    require_labels,
    require_no_missing,
    require_not_empty,
    require_positive_int,
    require_same_length,
    require_strings,
    require_texts,
)

__all__ = [
    "ENTITY_LABELS",
    "EntityExtractor",
    "compose_replies",
    "entity_scores",
    "labels_as_typed",
    "relabelled",
    "reply_examples",
    "unlabelled_extractions",
    "reply_by_similarity",
]

#: How each entity type is introduced in a reply.
ENTITY_LABELS: dict[str, str] = {
    "order_id": "Order {value}",
    "invoice_id": "Invoice {value}",
    "refund_amount": "Refund of {value}",
    "person_name": "Invoices from {value}",
    "account_type": "{value} account",
    "delivery_city": "Delivery to {value}",
    "delivery_country": "Delivery to {value}",
}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("invoice_id", re.compile(r"#\s?(\d{3,10})\b")),
    (
        "refund_amount",
        re.compile(
            r"(?:[$€£]\s?(\d+(?:[.,]\d{1,2})?))|(?:\b(\d+(?:[.,]\d{1,2})?)\s?"
            r"(?:dollars?|euros?|pounds?|usd|eur|gbp)\b)",
            re.IGNORECASE,
        ),
    ),
    ("order_id", re.compile(r"(?<![#\d])(\d{6,20})\b")),
    ("person_name", re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")),
    ("person_name", re.compile(r"\bfrom\s+([A-Z][a-z]+\s[A-Z][a-z]+)\b")),
)


def _column(values: Any, name: str) -> pd.Series:
    """Labels that may be missing (no entity), as an object Series; a lone string is refused."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list, array or Series (one per message), got the single string {values!r}")
    return pd.Series(list(values), dtype=object)


def _is_missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and pd.isna(value))


def _typed_span(text: str, entity_type: str, value: str) -> str:
    """The characters of ``text`` that ``value`` labels (``value`` itself when none match)."""
    if entity_type == "order_id" and value.isdigit():
        # an order number is a string: a label that lost its leading zeros names the digits the customer typed
        for run in re.findall(r"\d+", text):
            if run == value or (run.lstrip("0") == value.lstrip("0") and run.startswith("0")):
                return run
        return value
    if entity_type in ("invoice_id", "refund_amount", "person_name") or not value.strip():
        return value
    match = re.search(r"\b" + re.escape(value.strip()) + r"\b", text, re.IGNORECASE)
    return match.group(0) if match else value


def labels_as_typed(texts: Any, entity_types: Any, entity_values: Any) -> pd.Series:
    """Entity labels written as the customer typed them in the message, so they compare as raw strings.

    An order number is a string, leading zeros included: a label that lost them (Bitext labels
    "purchase 00004587345" as ``4587345``) is replaced by the digits in the message. A word-valued
    label (an account type, a city) takes the message's own spelling of it (``Platinum`` for
    "platinum account" becomes ``platinum``). Invoice numbers, amounts and names are kept as labelled.
    Missing labels stay missing.

    Returns
    -------
    pandas.Series
        One value per message (object dtype; None where there is no label).

    Examples
    --------
    >>> labels_as_typed(["cancel purchase 00004587345", "open a platinum account", "hi"],
    ...                 ["order_id", "account_type", None], ["4587345", "Platinum", None]).tolist()
    ['00004587345', 'platinum', None]
    """
    texts = require_texts(texts)
    types = _column(entity_types, "entity_types")
    values = _column(entity_values, "entity_values")
    require_same_length(texts=texts, entity_types=types)
    require_same_length(texts=texts, entity_values=values)
    out = [
        None if _is_missing(kind) or _is_missing(value) else _typed_span(text, str(kind), str(value).strip())
        for text, kind, value in zip(texts, types, values, strict=True)
    ]
    return pd.Series(out, dtype=object)


class EntityExtractor(BaseEstimator):
    """Find the entity a customer's message mentions (at most one per message), as the customer wrote it.

    Values are strings taken from the message: an order number keeps its leading zeros
    (``00004587345`` is not order ``4587345``), a word keeps the customer's spelling; an invoice
    number is written ``#`` and its digits, an amount without its currency sign.

    Patterns (in this order): invoice numbers ``#12588``; amounts ``$160`` / ``160 dollars``;
    order numbers (six or more digits); person names with a title (``Ms. Hawkings``) or
    after "from" (``Anna Freeman``); then words seen as labelled values of the other entity
    types in training (a gazetteer, matched case-insensitively on word boundaries, longest
    first).

    Parameters
    ----------
    gazetteer_types
        Entity types whose values are learned as a word list in :meth:`fit`.

    Attributes
    ----------
    gazetteer_ : dict
        ``{lower-cased value: entity type}`` learned from the training labels.

    Examples
    --------
    >>> ex = EntityExtractor().fit(["switch to the Gold account"], ["account_type"], ["Gold"])
    >>> ex.predict(["cancel order 00123842", "find bill #00108 please", "open a GOLD account", "hi"])
       entity_type entity_value
    0     order_id     00123842
    1   invoice_id       #00108
    2 account_type         GOLD
    3         None         None
    """

    def __init__(
        self, *, gazetteer_types: tuple[str, ...] = ("account_type", "delivery_city", "delivery_country")
    ) -> None:
        self.gazetteer_types = gazetteer_types

    def fit(self, texts: Any, entity_types: Any, entity_values: Any) -> EntityExtractor:
        """Learn the gazetteer from labelled messages (missing type/value = no entity)."""
        texts = require_texts(texts)
        types = _column(entity_types, "entity_types")
        values = _column(entity_values, "entity_values")
        require_same_length(texts=texts, entity_types=types)
        require_same_length(texts=texts, entity_values=values)
        if isinstance(self.gazetteer_types, str):
            raise TypeError("gazetteer_types must be a tuple of entity types, not a string")
        gazetteer: dict[str, str] = {}
        for kind, value in zip(types, values, strict=True):
            if kind in self.gazetteer_types and isinstance(value, str) and value.strip():
                gazetteer.setdefault(value.strip().lower(), kind)
        self.gazetteer_ = dict(sorted(gazetteer.items()))
        words = sorted(self.gazetteer_, key=lambda w: (-len(w), w))
        self._gazetteer_re = (
            re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE) if words else None
        )
        return self

    def _one(self, text: str) -> tuple[str | None, str | None]:
        for kind, pattern in _PATTERNS:
            match = pattern.search(text)
            if match:
                value = next(g for g in match.groups() if g is not None).strip()
                return kind, "#" + value if kind == "invoice_id" else value
        if self._gazetteer_re is not None:
            match = self._gazetteer_re.search(text)
            if match:
                return self.gazetteer_[match.group(1).lower()], match.group(1)
        return None, None

    def predict(self, texts: Any) -> pd.DataFrame:
        """One row per message: ``entity_type`` and ``entity_value`` as written in the message (None when none)."""
        check_is_fitted(self, "gazetteer_")
        found = [self._one(t) for t in require_texts(texts)]
        return pd.DataFrame(found, columns=["entity_type", "entity_value"], dtype=object)


def entity_scores(true_types: Any, true_values: Any, predicted: pd.DataFrame) -> dict[str, float]:
    """Exact-match scores of extracted entities against labels, compared as raw strings.

    An entity is right when its type and its value, character for character (outer spaces aside),
    equal the label: ``00004587345`` and ``4587345`` are different order numbers. Pass labels as the
    customer typed them (:func:`labels_as_typed`) when the data's labels were normalised.

    Returns ``recall`` (labelled entities found with the right type and value),
    ``precision`` (extracted entities that are right) and ``false_alarms`` (share of messages
    without a labelled entity where one was extracted).

    Examples
    --------
    >>> pred = pd.DataFrame({"entity_type": ["order_id", None, "order_id"],
    ...                      "entity_value": ["123842", None, "999999"]})
    >>> entity_scores(["order_id", "order_id", None], ["123842", "5", None], pred)
    {'recall': 0.5, 'precision': 0.5, 'false_alarms': 1.0, 'labelled': 2}
    >>> entity_scores(["order_id"], ["00123842"], pred.head(1))["recall"]  # a lost leading zero is a wrong number
    0.0
    """
    require_columns(predicted, ["entity_type", "entity_value"], "predicted")
    types = _column(true_types, "true_types")
    values = _column(true_values, "true_values")
    require_same_length(true_types=types, predicted=predicted)
    require_same_length(true_types=types, true_values=values)
    labelled = types.notna().to_numpy() & values.notna().to_numpy()
    extracted = predicted["entity_type"].notna().to_numpy()
    right = np.array(
        [
            bool(lab and ext and pt == tt and str(pv).strip() == str(tv).strip())
            for lab, ext, tt, tv, pt, pv in zip(
                labelled, extracted, types, values, predicted["entity_type"], predicted["entity_value"], strict=True
            )
        ]
    )
    return {
        "recall": float(right.sum() / labelled.sum()) if labelled.any() else float("nan"),
        "precision": float(right.sum() / extracted.sum()) if extracted.any() else float("nan"),
        "false_alarms": float(extracted[~labelled].mean()) if (~labelled).any() else float("nan"),
        "labelled": int(labelled.sum()),
    }


def compose_replies(
    intents: Any,
    entities: pd.DataFrame,
    replies: Mapping[str, str] | pd.DataFrame,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """The canned reply of each intent, introduced by the entity found in the message.

    Parameters
    ----------
    intents
        Predicted intent per message.
    entities
        Output of :meth:`EntityExtractor.predict` (same order).
    replies
        ``{intent: reply}`` or a frame with columns ``intent`` and ``response``.
    labels
        ``{entity type: template with {value}}``; defaults to :data:`ENTITY_LABELS`.

    Raises
    ------
    ValueError
        When an intent has no reply.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_type": ["order_id", None], "entity_value": ["123842", None]})
    >>> compose_replies(["track_order", "track_order"], ents, {"track_order": "Track it in My Orders."})
    ['Order 123842: Track it in My Orders.', 'Track it in My Orders.']
    """
    if isinstance(replies, pd.DataFrame):
        require_columns(replies, ["intent", "response"], "replies")
        book = dict(zip(replies["intent"], replies["response"], strict=True))
    elif isinstance(replies, Mapping):
        book = dict(replies)
    else:
        raise TypeError(f"replies must be a dict {{intent: reply}} or a DataFrame, got {type(replies).__name__}")
    labels = dict(ENTITY_LABELS if labels is None else labels)
    require_columns(entities, ["entity_type", "entity_value"], "entities")
    intents = list(require_labels(intents, "intents"))
    require_same_length(intents=intents, entities=entities)
    unknown = sorted(set(intents) - set(book))
    if unknown:
        raise ValueError(f"no reply for intent(s) {unknown[:5]}; replies cover {len(book)} intents")
    out = []
    for intent, kind, value in zip(intents, entities["entity_type"], entities["entity_value"], strict=True):
        reply = book[intent]
        if isinstance(kind, str) and kind in labels and value is not None:
            reply = f"{labels[kind].format(value=value)}: {reply}"
        out.append(reply)
    return out


def reply_by_similarity(texts: Any, replies: pd.DataFrame) -> np.ndarray:
    """The untrained baseline: the intent whose reply is most TF-IDF-similar to each message.

    Character 3-5-gram TF-IDF (robust to typos), fitted without labels on the replies and
    the messages being matched. Ties go to the first intent in ``replies`` order.

    Examples
    --------
    >>> book = pd.DataFrame({"intent": ["refund", "track"],
    ...                      "response": ["Your refund is on its way", "Track your parcel online"]})
    >>> reply_by_similarity(["where is my parcel", "I want a refund"], book).tolist()
    ['track', 'refund']
    """
    require_columns(replies, ["intent", "response"], "replies")
    require_not_empty(replies, "replies")
    require_no_missing(replies, ["intent", "response"], "replies")
    texts = require_texts(texts)
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))
    vectoriser.fit(list(replies["response"]) + texts)
    similarity = linear_kernel(vectoriser.transform(texts), vectoriser.transform(replies["response"]))
    return replies["intent"].to_numpy()[ranking.argmax(similarity, axis=1)]


def relabelled(labels_typed: Any, labels: Any) -> int:
    """How many labels :func:`labels_as_typed` changed (missing labels count as equal).

    Examples
    --------
    >>> relabelled(["00004587345", "platinum", None], ["4587345", "platinum", None])
    1
    """
    typed, original = _column(labels_typed, "labels_typed"), _column(labels, "labels")
    require_same_length(labels_typed=typed, labels=original)
    as_text = [("" if _is_missing(v) else str(v).strip()) for v in original]
    return int(sum(("" if _is_missing(t) else str(t)) != o for t, o in zip(typed, as_text, strict=True)))


def reply_examples(texts: Any, entities: pd.DataFrame, replies: Any, n: int = 4) -> pd.DataFrame:
    """Messages with an entity and their filled replies, spread over the kinds of entity found.

    Picks, in turn, the first not yet shown message of each entity type (in order of first
    appearance), so the examples show an order number, an invoice, an amount, ... rather than
    one kind ``n`` times. Replies are cut to 80 characters.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_type": ["order_id", None, "order_id", "invoice_id"],
    ...                      "entity_value": ["001", None, "002", "#7"]})
    >>> replies = ["Order 001: ok", "ok", "Order 002: ok", "Invoice #7: ok"]
    >>> reply_examples(["a 001", "hi", "b 002", "c #7"], ents, replies, 2)
      message           reply
    0   a 001   Order 001: ok
    1    c #7  Invoice #7: ok
    """
    texts = require_texts(texts)
    require_columns(entities, ["entity_type", "entity_value"], "entities")
    replies = require_strings(replies, "replies")
    require_same_length(texts=texts, entities=entities)
    require_same_length(texts=texts, replies=replies)
    n = require_positive_int(n, "n")
    kinds = entities["entity_type"].to_numpy()
    queues = {k: [i for i in range(len(texts)) if kinds[i] == k] for k in pd.unique(kinds[pd.notna(kinds)])}
    picked: list[int] = []
    while len(picked) < n and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < n:
                picked.append(queue.pop(0))
    return pd.DataFrame({"message": [texts[i] for i in picked], "reply": [replies[i][:80] for i in picked]})


def unlabelled_extractions(entities: pd.DataFrame, true_types: Any, intents: Any) -> pd.Series:
    """Extractions on messages without a labelled entity, counted by the intent of the message.

    A gap in the labels (a kind of message whose entities nobody labelled) shows as one intent
    carrying most of them; a wrong extractor shows as many.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_type": ["refund_amount", None, "order_id"], "entity_value": ["5", None, "12"]})
    >>> unlabelled_extractions(ents, [None, None, "order_id"], ["track_refund", "x", "y"]).to_dict()
    {'track_refund': 1}
    """
    require_columns(entities, ["entity_type", "entity_value"], "entities")
    types = _column(true_types, "true_types")
    intents = require_labels(intents, "intents")
    require_same_length(entities=entities, true_types=types)
    require_same_length(entities=entities, intents=intents)
    mask = entities["entity_type"].notna().to_numpy() & types.isna().to_numpy()
    counts = pd.Series(intents[mask], dtype=object).value_counts()
    return (
        counts.rename_axis("intent")
        .rename("extractions")
        .sort_index(kind="stable")
        .sort_values(ascending=False, kind="stable")
    )
