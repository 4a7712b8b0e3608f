"""Shared statistics: bootstrap intervals for paired comparisons."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from shopai_lab.stats import bootstrap_mean, paired_bootstrap, paired_metric_bootstrap


def test_paired_bootstrap_matches_the_normal_interval_of_a_mean_difference():
    rng = np.random.default_rng(3)
    a = rng.normal(size=2_000)
    b = a + 0.1 + rng.normal(scale=0.5, size=2_000)
    result = paired_bootstrap(a, b, n_boot=4_000, random_state=1)
    gain = b - a
    half = 1.959964 * gain.std(ddof=1) / np.sqrt(len(gain))
    assert result["difference"] == pytest.approx(gain.mean(), abs=1e-12)
    assert result["low"] == pytest.approx(gain.mean() - half, abs=0.15 * half)
    assert result["high"] == pytest.approx(gain.mean() + half, abs=0.15 * half)


def test_paired_bootstrap_is_paired_not_two_sample():
    rng = np.random.default_rng(0)
    base = rng.normal(scale=10, size=500)  # large between-unit spread, cancelled by pairing
    result = paired_bootstrap(base, base + 0.05 + rng.normal(scale=0.01, size=500), random_state=0)
    assert result["low"] > 0.04 and result["high"] < 0.06


def test_bootstrap_mean_brackets_the_mean():
    values = np.r_[np.zeros(300), np.ones(100)]
    result = bootstrap_mean(values, random_state=2)
    assert result["mean"] == 0.25
    half = 1.96 * np.sqrt(0.25 * 0.75 / 400)
    assert result["low"] == pytest.approx(0.25 - half, abs=0.01)
    assert result["high"] == pytest.approx(0.25 + half, abs=0.01)


def test_paired_metric_bootstrap_on_auc_is_zero_for_identical_scores_and_stratifies():
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.1
    s = rng.random(300)
    same = paired_metric_bootstrap(roc_auc_score, y, s, s, n_boot=100, stratify=True)
    assert same == {"difference": 0.0, "low": 0.0, "high": 0.0}


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: paired_bootstrap([1.0, 2.0], [1.0]), ValueError, "paired"),
        (lambda: paired_bootstrap([1.0], [1.0], n_boot=0), ValueError, "n_boot"),
        (lambda: paired_bootstrap([1.0], [1.0], level=1.5), ValueError, "level"),
        (lambda: paired_bootstrap(["a"], [1.0]), TypeError, "a"),
        (lambda: bootstrap_mean([]), ValueError, "empty"),
        (lambda: paired_metric_bootstrap("auc", [1], [1], [1]), TypeError, "metric"),
        (lambda: paired_metric_bootstrap(roc_auc_score, [1, 0], [1], [1, 0]), ValueError, "pred_a"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
