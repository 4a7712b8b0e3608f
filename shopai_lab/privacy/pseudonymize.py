"""Pseudonymous customer ids: keyed HMAC-SHA256, and why a plain or salted hash is not enough.

Customer ids in a shop are short (the bundled data's are five digits). Hashing them with
SHA-256, even with a salt stored next to the data, hides nothing: an attacker hashes every
possible id and looks the results up (:func:`enumeration_attack`). A keyed hash (HMAC,
RFC 2104) with a secret key kept out of the data and out of the notebooks cannot be
enumerated without the key, yet stays stable, so the same customer gets the same pseudonym
in every table made with the same key, and whoever holds the key can re-identify a
customer when a reviewer needs to.

The key comes from a parameter or from the environment variable :data:`KEY_ENV_VAR`; there
is no default key, and the key is never part of a result.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Iterable

import pandas as pd

from shopai_lab._validation import (
    require_callable,
    require_columns,
    require_instance,
    require_positive_int,
    require_strings,
)

#: Environment variable read when no key is passed.
KEY_ENV_VAR = "SHOPAI_PSEUDONYM_KEY"
#: Shortest key accepted, in bytes (RFC 2104 recommends at least the hash output, 32 bytes;
#: 16 random bytes are already far beyond enumeration).
MIN_KEY_BYTES = 16


def resolve_key(key: str | bytes | None = None, env_var: str = KEY_ENV_VAR) -> bytes:
    """The HMAC key: ``key`` if given, else the environment variable ``env_var``.

    Raises
    ------
    ValueError
        When there is no key, or it is shorter than :data:`MIN_KEY_BYTES` bytes.

    Examples
    --------
    >>> len(resolve_key("correct horse battery staple"))
    28
    """
    if key is None:
        key = os.environ.get(env_var)
        if not key:
            raise ValueError(f"no pseudonymisation key: pass key=... or set the environment variable {env_var}")
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise TypeError(f"key must be str or bytes, got {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"key must be at least {MIN_KEY_BYTES} bytes long, got {len(key)}")
    return key


def _as_text(values: Iterable, name: str = "values") -> pd.Series:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list, array or Series of ids, got {values!r}")
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if series.isna().any():
        raise ValueError("values has missing ids; drop or fill them before pseudonymising")
    return series.astype(str)


def pseudonymize(
    values: Iterable, key: str | bytes | None = None, length: int = 16, env_var: str = KEY_ENV_VAR
) -> pd.Series:
    """HMAC-SHA256 of each id (as UTF-8 text) with a secret key, as ``length`` hex characters.

    Parameters
    ----------
    values
        Ids (a Series keeps its index). Not modified.
    key
        Secret key; ``None`` reads the environment variable ``env_var``.
    length
        Hex characters kept (8..64); 16 (64 bits) makes collisions negligible for millions of ids.

    Examples
    --------
    >>> pseudonymize(["12346", "12347"], key="a key of at least 16 bytes").tolist()
    ['f1991a4d14784b19', '3e3fd4aab6c54907']
    """
    length = require_positive_int(length, "length", minimum=8)
    if length > 64:
        raise ValueError(f"length must be <= 64 hex characters, got {length}")
    secret = resolve_key(key, env_var)
    text = _as_text(values)
    out = [hmac.new(secret, v.encode("utf-8"), hashlib.sha256).hexdigest()[:length] for v in text]
    return pd.Series(out, index=text.index, name=getattr(values, "name", None), dtype=object)


def pseudonymize_frame(
    frame: pd.DataFrame,
    columns: Iterable[str] = ("customer_id",),
    key: str | bytes | None = None,
    length: int = 16,
) -> pd.DataFrame:
    """A copy of ``frame`` with ``columns`` replaced by their pseudonyms (missing ids stay missing)."""
    columns = require_strings(columns, "columns")
    require_positive_int(length, "length", minimum=8)
    require_columns(frame, columns, "frame")
    out = frame.copy()
    for column in columns:
        known = out[column].notna()
        values = pd.Series(pd.NA, index=out.index, dtype=object)
        if known.any():
            values[known] = pseudonymize(out.loc[known, column], key=key, length=length).to_numpy()
        out[column] = values
    return out


def plain_hash(values: Iterable) -> pd.Series:
    """SHA-256 hex digest of each id: what "we hashed the ids" usually means. Not safe.

    Examples
    --------
    >>> plain_hash(["abc"]).iloc[0][:16]
    'ba7816bf8f01cfea'
    """
    text = _as_text(values)
    return pd.Series([hashlib.sha256(v.encode("utf-8")).hexdigest() for v in text], index=text.index)


def salted_hash(values: Iterable, salt: str) -> pd.Series:
    """SHA-256 of ``salt + id``. A salt stored with the data only slows an attacker by one prefix."""
    if not isinstance(salt, str):
        raise TypeError(f"salt must be a string, got {type(salt).__name__}")
    return plain_hash(salt + v for v in _as_text(values))


def enumeration_attack(
    hashed: pd.Series, candidates: Iterable, hash_fn: Callable[[Iterable], pd.Series] = plain_hash
) -> pd.Series:
    """Reverse hashed ids by hashing every candidate id and looking the results up.

    Parameters
    ----------
    hashed
        Published hashes.
    candidates
        Every id the attacker thinks possible (e.g. all five-digit numbers).
    hash_fn
        The attacker's guess of the hashing (a salted hash with its stored salt, say).

    Returns
    -------
    pandas.Series
        The recovered id of each hash, missing where no candidate matched.

    Examples
    --------
    >>> enumeration_attack(plain_hash(["12346"]), (str(i) for i in range(10_000, 20_000))).tolist()
    ['12346']
    """
    require_instance(hashed, pd.Series, "hashed")
    require_callable(hash_fn, "hash_fn")
    candidates = _as_text(candidates if isinstance(candidates, str) else list(candidates), "candidates")
    lookup = dict(zip(hash_fn(candidates).to_numpy(), candidates.to_numpy()))
    return pd.Series([lookup.get(h) for h in hashed], index=hashed.index, dtype=object)
