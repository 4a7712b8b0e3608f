import pandas as pd
import pytest

from shopai_lab.privacy import (
    KEY_ENV_VAR,
    enumeration_attack,
    plain_hash,
    pseudonymize,
    pseudonymize_frame,
    resolve_key,
    salted_hash,
)

# RFC 4231 (HMAC-SHA256 test vectors) test cases 1, 6 and 7: key, data, expected digest
RFC4231 = [
    (b"\x0b" * 20, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (
        b"\xaa" * 131,
        "Test Using Larger Than Block-Size Key - Hash Key First",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ),
    (
        b"\xaa" * 131,
        "This is a test using a larger than block-size key and a larger than block-size data. "
        "The key needs to be hashed before being used by the HMAC algorithm.",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ),
]
KEY = "a secret key of 32 characters!!!"


@pytest.mark.parametrize("key, data, expected", RFC4231)
def test_hmac_matches_rfc4231(key, data, expected):
    assert pseudonymize([data], key=key, length=64).iloc[0] == expected


def test_rfc4231_case_2_key_is_too_short_to_accept():
    # case 2 uses the 4-byte key "Jefe": fine for a test vector, not for pseudonyms of short ids
    with pytest.raises(ValueError, match="at least 16 bytes"):
        pseudonymize(["what do ya want for nothing?"], key="Jefe")


def test_plain_hash_is_sha256():
    # FIPS 180-2 example: SHA-256("abc")
    assert plain_hash(["abc"]).iloc[0] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_pseudonyms_are_stable_distinct_and_keyed():
    ids = pd.Series([str(i) for i in range(12_000, 13_000)], index=range(1000, 2000), name="customer_id")
    a = pseudonymize(ids, key=KEY)
    assert a.equals(pseudonymize(ids, key=KEY)) and a.index.equals(ids.index)
    assert a.nunique() == len(ids) and (a.str.len() == 16).all()
    assert not (a == pseudonymize(ids, key=KEY + "x")).any()


def test_key_from_environment(monkeypatch):
    monkeypatch.setenv(KEY_ENV_VAR, KEY)
    assert pseudonymize(["12346"]).iloc[0] == pseudonymize(["12346"], key=KEY).iloc[0]
    monkeypatch.delenv(KEY_ENV_VAR)
    with pytest.raises(ValueError, match=KEY_ENV_VAR):
        resolve_key()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"key": 123}, TypeError, "key"),
        ({"key": "short"}, ValueError, "16 bytes"),
        ({"key": KEY, "length": 4}, ValueError, "length"),
        ({"key": KEY, "length": 65}, ValueError, "length"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        pseudonymize(["1"], **kwargs)


def test_missing_ids_are_refused_or_kept_missing():
    with pytest.raises(ValueError, match="missing"):
        pseudonymize(["1", None], key=KEY)
    frame = pd.DataFrame({"customer_id": ["12346", None], "value": [1.0, 2.0]})
    before = frame.copy()
    out = pseudonymize_frame(frame, key=KEY)
    pd.testing.assert_frame_equal(frame, before)
    assert out["customer_id"].iloc[0] == pseudonymize(["12346"], key=KEY).iloc[0]
    assert pd.isna(out["customer_id"].iloc[1]) and out["value"].tolist() == [1.0, 2.0]


def test_enumeration_reverses_plain_and_salted_hashes_but_not_keyed_pseudonyms():
    """The attack of notebook 08 (its speed on 100,000 candidates: benchmarks/bench_privacy.py)."""
    ids = pd.Series([f"{i:05d}" for i in range(12_346, 18_288, 3)])
    candidates = [f"{i:05d}" for i in range(20_000)]
    assert (enumeration_attack(plain_hash(ids), candidates) == ids).all()
    salted = enumeration_attack(salted_hash(ids, "pepper"), candidates, lambda v: salted_hash(v, "pepper"))
    assert (salted == ids).all()
    keyed = enumeration_attack(pseudonymize(ids, key=KEY, length=64), candidates)
    assert keyed.isna().all()
