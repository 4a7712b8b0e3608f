import numpy as np
import pandas as pd
import pytest

from shopai_lab.recommend import build_interactions, temporal_split
from tests.conftest import make_lines

LINES = make_lines(
    [
        ("a", "1", "x", 2, 1.0, "2024-01-01"),
        ("a", "1", "y", 1, 1.0, "2024-01-01"),
        ("a", "2", "x", 3, 1.0, "2024-01-31"),
        ("b", "3", "y", 5, 1.0, "2024-01-16"),
        ("b", "4", "z", 1, 1.0, "2024-03-01"),  # test period: novel train item for b
        ("a", "5", "x", 1, 1.0, "2024-03-02"),  # test period: a re-buys x (not novel)
        ("a", "6", "w", 1, 1.0, "2024-03-03"),  # test period: w is not in the train catalogue
        ("c", "7", "z", 1, 1.0, "2024-01-20"),
        ("d", "8", "x", 1, 1.0, "2024-03-03"),  # test-only customer: cold, not evaluated
    ]
)


def test_weightings_known_answers():
    train = LINES[LINES["timestamp"] < "2024-02-01"]
    binary = build_interactions(train).matrix.toarray()
    assert build_interactions(train).users.tolist() == ["a", "b", "c"]
    assert binary.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    count = build_interactions(train, "count").matrix.toarray()
    assert count[0].tolist() == [2, 1, 0]
    logq = build_interactions(train, "log_quantity").matrix.toarray()
    assert logq[0, 0] == pytest.approx(np.log1p(5)) and logq[1, 1] == pytest.approx(np.log1p(5))
    recency = build_interactions(train, "recency", half_life_days=30).matrix.toarray()
    # a's x: invoice on Jan 31 (age 0: weight 1) and Jan 1 (age 30 days: weight 0.5).
    assert recency[0, 0] == pytest.approx(1.5)
    assert recency[1, 1] == pytest.approx(0.5 ** (15 / 30))


def test_weighting_errors():
    with pytest.raises(ValueError, match="weighting must be one of"):
        build_interactions(LINES, "tfidf")
    with pytest.raises(ValueError, match="half_life_days must be > 0"):
        build_interactions(LINES, "recency", half_life_days=0)
    with pytest.raises(ValueError, match="quantities <= 0"):
        build_interactions(LINES.assign(quantity=0))


def test_temporal_split_follows_the_house_protocol():
    split = temporal_split(LINES, test_days=10)  # data end 2024-03-04, cutoff 2024-02-23
    assert split.cutoff == pd.Timestamp("2024-02-23")
    assert split.train.users.tolist() == ["a", "b", "c"]
    assert split.train.items.tolist() == ["x", "y", "z"]
    # Only b qualifies: z is novel for b; a's x is a repeat, w is not in the train catalogue; d is cold.
    assert split.train.users[split.eval_users].tolist() == ["b"]
    assert split.truth.toarray().tolist() == [[0, 0, 0], [0, 0, 1], [0, 0, 0]]
    assert len(split.test_purchases) == 4 and len(split.train_purchases) == 5


def test_validation_split_is_cut_inside_train():
    extra = make_lines([("b", "0", "x", 1, 1.0, "2024-01-05")])  # b is in the inner train; y is novel later
    split = temporal_split(pd.concat([LINES, extra], ignore_index=True), test_days=10)
    inner = temporal_split(split.train_purchases, test_days=20)
    assert inner.cutoff == pd.Timestamp("2024-01-12")
    assert inner.test_purchases["timestamp"].max() < split.cutoff
    assert inner.train.users[inner.eval_users].tolist() == ["b"]


def test_split_errors():
    with pytest.raises(ValueError, match="test_days must be >= 1"):
        temporal_split(LINES, test_days=0)
    with pytest.raises(ValueError, match="empty train period"):
        temporal_split(LINES, test_days=400)
    with pytest.raises(ValueError, match="nothing to evaluate"):
        temporal_split(LINES[LINES["customer_id"] != "b"], test_days=10)


def test_online_retail_split_figures(cleaned_retail):
    split = temporal_split(cleaned_retail.purchases, test_days=60)
    assert split.cutoff == pd.Timestamp("2011-10-11")
    assert split.train.shape == (3_738, 3_544)
    assert len(split.eval_users) == 1_683
    assert split.truth.nnz == 43_068
    # No truth item was bought by that customer in train.
    assert split.truth.multiply(split.train.matrix).nnz == 0
