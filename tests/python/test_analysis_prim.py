"""PRIM (peeling and pasting) and mutual-information feature scores on synthetic data with a known
box: x_a in [0.2, 0.6] and x_b >= 0.5 on uniform inputs, a box of mass 0.2."""
import numpy as np
import pandas as pd
import pytest

from p3sim_analysis.feature_scoring import feature_scores
from p3sim_analysis.prim import prim, prim_covering, prim_figure

TRUE = {"a": (0.2, 0.6), "b": (0.5, 1.0)}


def synthetic(n=1000, flip=0.0, seed=0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 4)), columns=list("abcd"))
    inside = ((x.a >= 0.2) & (x.a <= 0.6) & (x.b >= 0.5)).to_numpy()
    y = inside.astype(float)
    y = np.where(rng.random(n) < flip, 1 - y, y)
    return x, y, inside


def test_prim_recovers_a_clean_box():
    x, y, _ = synthetic()
    box = prim(x, y)
    limits = box.restricted()
    assert list(limits.index) == ["a", "b"]  # c and d are left free
    # Bounds land within the gap between neighbouring sample points plus one peel (about 0.02).
    for name, (low, high) in TRUE.items():
        assert limits.loc[name, "low"] == pytest.approx(low, abs=0.03)
        assert limits.loc[name, "high"] == pytest.approx(high, abs=0.03)
    assert box.coverage >= 0.95 and box.density >= 0.95
    assert box.mass == pytest.approx(0.2, abs=0.03)


def test_prim_with_label_noise_keeps_bounds_and_reports_honest_density():
    x, y, inside = synthetic(flip=0.05, seed=1)
    box = prim(x, y)
    for name, (low, high) in TRUE.items():
        assert box.box.loc[name, "low"] == pytest.approx(low, abs=0.05)
        assert box.box.loc[name, "high"] == pytest.approx(high, abs=0.05)
    # the true box would have these; PRIM's box should be close on both
    assert box.coverage == pytest.approx(y[inside].sum() / y.sum(), abs=0.07)
    assert box.density == pytest.approx(y[inside].mean(), abs=0.05)
    # the trajectory is a peeling trajectory: mass never grows and the first box holds everything
    trajectory = box.trajectory
    assert trajectory["mass"].iloc[0] == 1.0 and trajectory["coverage"].iloc[0] == 1.0
    assert (np.diff(trajectory["mass"]) <= 0).all()
    assert trajectory["density"].iloc[-1] > trajectory["density"].iloc[0]


def test_covering_finds_a_second_box():
    # Two disjoint boxes sharing input a. Greedy peeling can wander between such boxes (a known PRIM
    # limitation, see docs/report.md); on this fixed sample it takes the large box first, then the
    # small one among the remaining runs.
    rng = np.random.default_rng(2)
    x = pd.DataFrame(rng.random((1500, 3)), columns=list("abc"))
    first = (x.a < 0.3) & (x.b < 0.6)
    second = (x.a > 0.8) & (x.c > 0.7)
    y = (first | second).to_numpy(dtype=float)
    boxes = prim_covering(x, y, max_boxes=2)
    assert len(boxes) == 2
    assert boxes[0].box.loc["a", "high"] == pytest.approx(0.3, abs=0.03)
    assert boxes[0].box.loc["b", "high"] == pytest.approx(0.6, abs=0.03)
    assert list(boxes[1].restricted().index) == ["a", "c"]
    assert boxes[1].box.loc["a", "low"] == pytest.approx(0.8, abs=0.03)
    assert boxes[1].box.loc["c", "low"] == pytest.approx(0.7, abs=0.03)
    assert sum(b.coverage for b in boxes) >= 0.95 and min(b.density for b in boxes) >= 0.95
    assert not np.any(boxes[0].inside & boxes[1].inside)
    assert prim_figure(boxes[0]) is not None


def test_feature_scores_rank_the_box_inputs_first():
    x, y, _ = synthetic(n=600, seed=3)
    scores = feature_scores(x, y, n_perm=100)
    assert set(scores["input"][:2]) == {"a", "b"}
    top = scores.set_index("input")
    assert top.loc["a", "p_value"] < 0.02 and top.loc["b", "p_value"] < 0.02
    assert top.loc["c", "p_value"] > 0.05 and top.loc["d", "p_value"] > 0.05


def test_prim_refuses_data_without_cases():
    x, _, _ = synthetic(n=50)
    with pytest.raises(ValueError, match="no case of interest"):
        prim(x, np.zeros(50))
