import numpy as np
import pandas as pd
import pytest

from shopai_lab.anomaly import episodes, explain, export_review_queue, invoice_features, review_queue
from shopai_lab.anomaly.features import FEATURE_COLUMNS


@pytest.fixture
def features(small_shop):
    lines = small_shop.copy()
    lines.loc[lines["invoice_id"] == "I0100", "unit_price"] *= 10  # a decimal-point slip on every line
    return invoice_features(lines)


def test_queue_orders_by_score_and_gives_reasons(features):
    scores = features["max_price_ratio"].to_numpy()
    before = features.copy()
    queue = review_queue(features, scores, top_n=3, currency="EUR")
    pd.testing.assert_frame_equal(features, before)
    assert queue.index[0] == "I0100" and queue["rank"].tolist() == [1, 2, 3]
    assert queue["score"].is_monotonic_decreasing
    assert "price vs its product's usual: 10.0x off" in queue["reasons"].iloc[0]
    assert "unit price (EUR)" in explain(features, pd.Index(["I0100"]), currency="EUR").iloc[0]


def test_unremarkable_invoice_has_a_plain_reason(features):
    typical = features.index[np.argmin(np.abs(features["units"] - features["units"].median()))]
    text = explain(features, pd.Index([typical]), min_z=50, currency="EUR").iloc[0]
    assert text == "no single feature stands out (unusual combination)"


def test_export_csv(features, tmp_path):
    scores = pd.Series(features["units"].to_numpy(), index=features.index)
    queue = review_queue(features, scores, top_n=5, currency="EUR")
    path = export_review_queue(queue, tmp_path / "queue.csv")
    back = pd.read_csv(path, index_col=0)
    assert list(back.columns[-1:]) == ["decision"] and len(back) == 5
    assert back["reasons"].tolist() == queue["reasons"].tolist()
    with pytest.raises(ValueError, match="folder"):
        export_review_queue(queue, tmp_path / "missing" / "queue.csv")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"scores": np.zeros(3)}, ValueError, "one value per invoice"),
        ({"top_n": 0}, ValueError, "top_n"),
        ({"scores": pd.Series([1.0], index=["nope"])}, ValueError, "no value"),
    ],
)
def test_bad_input(features, kwargs, error, match):
    args = {"scores": np.zeros(len(features)), "currency": "EUR", **kwargs}
    with pytest.raises(error, match=match):
        review_queue(features, **args)


def test_missing_feature_column(features):
    with pytest.raises(ValueError, match="repeat_basket"):
        review_queue(features.drop(columns="repeat_basket"), np.zeros(len(features)), currency="EUR")
    assert "repeat_basket" in FEATURE_COLUMNS


def test_one_episode_is_one_queue_entry(small_shop):
    """A customer's double submission (the same slipped basket twice, minutes apart) is one entry, not two."""
    lines = small_shop.copy()
    slip = lines[lines["invoice_id"] == "I0100"].copy()
    slip["unit_price"] *= 100
    again = slip.assign(invoice_id="I0100b", timestamp=slip["timestamp"] + pd.Timedelta(minutes=5))
    later = slip.assign(invoice_id="I0100c", timestamp=slip["timestamp"] + pd.Timedelta(days=3))
    lines = pd.concat([lines[lines["invoice_id"] != "I0100"], slip, again, later], ignore_index=True)
    features = invoice_features(lines)
    scores = features["max_price_ratio"]
    single = review_queue(features, scores, top_n=3, currency="EUR", episode_days=0)
    assert set(single.index) == {"I0100", "I0100b", "I0100c"}  # one story fills the queue
    queue = review_queue(features, scores, top_n=3, currency="EUR")  # episodes of one day
    first = queue.iloc[0]
    assert first["episode_invoices"] == 2 and {queue.index[0], first["other_invoices"]} == {"I0100", "I0100b"}
    assert "I0100c" in queue.index  # three days later: a new episode
    assert queue["rank"].tolist() == [1, 2, 3] and queue["episode_invoices"].sum() == 4


def test_episodes_chain_within_the_window():
    f = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "timestamp": pd.to_datetime(
                ["2024-01-01 00:00", "2024-01-01 20:00", "2024-01-02 16:00", "2024-01-01 00:00"]
            ),
        }
    )
    # 0 and 2 are 40 h apart, but each is within a day of 1: one episode once 1 has joined
    assert episodes(f, np.array([0, 1, 2, 3]), top_n=5, episode_days=1.0) == [[0, 1, 2], [3]]
    assert episodes(f, np.array([0, 2, 1, 3]), top_n=5, episode_days=1.0) == [[0, 1], [2], [3]]
