"""split_messages: a file's own split is used as given, otherwise a stratified cut; bad splits are refused."""

import pandas as pd
import pytest

from shopai_lab.support import split_messages

FRAME = pd.DataFrame({"text": [f"message {i}" for i in range(12)], "intent": list("xxxxxxyyyyyy")})


def test_own_split_is_used_unless_told_otherwise():
    frame = FRAME.assign(split=["train"] * 4 + ["test"] * 2 + ["train"] * 4 + ["test"] * 2)
    train, test = split_messages(frame)
    assert test.index.tolist() == [4, 5, 10, 11] and len(train) == 8
    train, test = split_messages(frame, test_size=0.5, use_split=False, random_state=3)
    assert test["intent"].value_counts().to_dict() == {"x": 3, "y": 3}  # stratified by intent
    assert frame["text"].iloc[0] == "message 0"  # the caller's frame is untouched


def test_seeded_and_refuses_what_it_cannot_split():
    a, b = split_messages(FRAME, random_state=1)[1], split_messages(FRAME, random_state=1)[1]
    assert a.index.equals(b.index)
    with pytest.raises(ValueError, match="both 'train' and 'test'"):
        split_messages(FRAME.assign(split="train"))
    with pytest.raises(ValueError, match="single message"):
        split_messages(pd.concat([FRAME, pd.DataFrame({"text": ["z"], "intent": ["z"]})], ignore_index=True))
    with pytest.raises(ValueError, match="test_size"):
        split_messages(FRAME, test_size=1.5)
