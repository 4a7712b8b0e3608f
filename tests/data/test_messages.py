"""Message loaders: bundled sets match their README, an analyst's file is checked and mapped."""

import hashlib
import json

import pandas as pd
import pytest

from shopai_lab.data import (
    check_intents,
    customer_service_dir,
    load_banking77,
    load_bitext,
    load_bitext_replies,
    load_intents,
)


def test_bitext_shape_labels_and_entities():
    bitext = load_bitext()
    assert bitext.shape == (6480, 7)
    assert bitext["intent"].nunique() == 27 and bitext["category"].nunique() == 11
    assert bitext.groupby("intent")["response"].nunique().eq(1).all()  # one canned reply per intent
    assert bitext["tags"].str.contains("W").sum() == 285  # README: offensive rows
    assert bitext["entity_type"].notna().sum() == 6480 - 4155


def test_replies_match_the_messages_file():
    replies = load_bitext_replies()
    pairs = load_bitext()[["intent", "category", "response"]].drop_duplicates().sort_values("intent")
    assert replies.sort_values("intent").reset_index(drop=True).equals(pairs.reset_index(drop=True))


def test_banking77_official_split():
    banking = load_banking77()
    assert len(banking) == 13_083 and banking["intent"].nunique() == 77
    assert banking["split"].value_counts().to_dict() == {"train": 10_003, "test": 3_080}
    assert set(banking.loc[banking["split"] == "test", "intent"]) == set(banking["intent"])


def test_bundled_files_match_the_readme_checksums():
    folder = customer_service_dir()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name in ("bitext_customer_support.csv", "bitext_canned_responses.csv", "banking77.csv"):
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert digest in readme, name
    for name in ("LICENSE-bitext.txt", "LICENSE-banking77.txt"):
        assert (folder / name).is_file()


def test_own_file_through_column_map(tmp_path):
    frame = pd.DataFrame(
        {
            "Message": ["where is my parcel", " refund please ", "cancel it"],
            "Label": ["track", "refund", "cancel"],
            "Part": ["train", "TEST", "train"],
        }
    )
    path = tmp_path / "m.csv"
    frame.to_csv(path, index=False)
    loaded = load_intents(path, json.dumps({"Message": "text", "Label": "intent", "Part": "split"}))
    assert loaded["text"].tolist() == ["where is my parcel", "refund please", "cancel it"]
    assert loaded["split"].tolist() == ["train", "test", "train"]
    assert frame["Message"].iloc[1] == " refund please "  # caller's data untouched


def test_parquet_file(tmp_path):
    path = tmp_path / "m.parquet"
    pd.DataFrame({"text": ["a b", "c d"], "intent": ["x", "y"]}).to_parquet(path)
    assert len(load_intents(path)) == 2


@pytest.mark.parametrize(
    ("frame", "error", "match"),
    [
        (pd.DataFrame({"text": ["hi", "  "], "intent": ["a", "b"]}), ValueError, r"\['text'\] is empty .* row 1"),
        (pd.DataFrame({"text": ["hi", None], "intent": ["a", "b"]}), ValueError, "first at row 1"),
        (pd.DataFrame({"text": ["hi", "yo"], "intent": ["a", None]}), ValueError, r"\['intent'\]"),
        (pd.DataFrame({"text": ["hi", "yo"], "intent": ["a", "a"]}), ValueError, "only 1 distinct intent"),
        (
            pd.DataFrame({"text": ["hi", "yo"], "intent": ["a", "b"], "split": ["train", "dev"]}),
            ValueError,
            r"unknown value\(s\) \['dev'\]",
        ),
        (pd.DataFrame({"text": ["hi", "yo"], "intent": ["a", "b"], "split": ["train", None]}), ValueError, "<missing>"),
        (pd.DataFrame({"message": ["hi"], "intent": ["a"]}), ValueError, r"missing column\(s\) \['text'\]"),
        (pd.DataFrame({"text": [], "intent": []}), ValueError, "no rows"),
        ([("hi", "a")], TypeError, "DataFrame"),
    ],
)
def test_check_intents_refuses_bad_input(frame, error, match):
    with pytest.raises(error, match=match):
        check_intents(frame)


def test_load_intents_bad_paths_and_maps(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file at data_path"):
        load_intents(tmp_path / "nope.csv")
    path = tmp_path / "m.csv"
    pd.DataFrame({"Message": ["a", "b"], "Label": ["x", "y"]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"column_map names column\(s\) \['Msg'\]"):
        load_intents(path, {"Msg": "text", "Label": "intent"})
    with pytest.raises(ValueError, match="not valid JSON"):
        load_intents(path, "{Message: text}")
    with pytest.raises(TypeError, match="file path"):
        load_intents(42)
