"""PRIM (peeling and pasting) and mutual-information feature scores on synthetic data with a known
box: x_a in [0.2, 0.6] and x_b >= 0.5 on uniform inputs, a box of mass 0.2; on mixed categorical and
numeric inputs (mode in {b, d} and x < 0.3, levels that are not neighbours in any code order); and
on a real small sweep, whose boxes must name governance modes and pitfall sets by their levels."""
import numpy as np
import pandas as pd
import pytest

from p3sim_analysis.feature_scoring import feature_scores
from p3sim_analysis.loading import ResultFile
from p3sim_analysis.prim import prim, prim_covering, prim_figure, trajectory_table
from p3sim_analysis.report import _parameter_inputs, build_report

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


# ---------------------------------------------------------------------------------------------
# Categorical inputs: a box is a set of levels, peeled one level at a time.
MODES = list("abcde")


def mixed(n=2000, flip=0.03, seed=0):
    """y = 1 iff mode in {b, d} and x < 0.3, each label flipped with probability ``flip``; z and w
    (numeric and categorical) are noise."""
    rng = np.random.default_rng(seed)
    mode = rng.choice(MODES, n)
    x = pd.DataFrame({"mode": pd.Categorical(mode, categories=MODES), "x": rng.random(n),
                      "z": rng.random(n), "w": rng.choice(["p", "q", "r"], n)})
    inside = (np.isin(mode, ["b", "d"]) & (x["x"] < 0.3)).to_numpy()
    y = np.where(rng.random(n) < flip, 1 - inside, inside).astype(float)
    return x, y, inside


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_finds_a_set_of_levels_and_a_range(seed):
    x, y, inside = mixed(seed=seed)
    box = prim(x, y)
    limits = box.restricted()
    assert list(limits.index) == ["mode", "x"]  # z and w left free
    assert limits.loc["mode", "kind"] == "categorical"
    assert limits.loc["mode", "levels"] == ("b", "d")  # not b..d: c, between them in code order, is out
    assert limits.loc["mode", "all_levels"] == tuple(MODES)
    assert limits.loc["mode", "limits"] == "in {b, d}"
    assert np.isnan(limits.loc["mode", "low"]) and np.isnan(limits.loc["mode", "high"])
    assert limits.loc["x", "kind"] == "numeric"
    assert limits.loc["x", "high"] == pytest.approx(0.3, abs=0.02)
    assert limits.loc["x", "low"] == pytest.approx(x["x"].min())
    assert box.describe().startswith("mode in {b, d} and x ")
    # close to what the true box has under the label noise
    assert box.density == pytest.approx(y[inside].mean(), abs=0.03)
    assert box.coverage == pytest.approx(y[inside].sum() / y.sum(), abs=0.05)
    assert box.mass == pytest.approx(inside.mean(), abs=0.02)
    table = box.table()
    assert list(table.columns) == ["parameter", "kind", "limits", "low", "high"]
    assert prim_figure(box) is not None


def test_categorical_peels_remove_whole_levels():
    x, y, _ = mixed(seed=4)
    box = prim(x, y)
    steps = trajectory_table(box)
    removed = [p for p in steps["peeled"] if p.startswith("mode: removed")]
    # the three levels without cases go one by one, early, and no level is ever half peeled
    assert sorted(p.split("removed ")[1] for p in removed[:3]) == ["a", "c", "e"]
    for frame in box.boxes:
        assert set(frame.loc["mode", "levels"]) >= {"b", "d"}
    assert (steps["chosen"] == "chosen").sum() == 1
    assert steps.loc[0, "peeled"] == ""


def test_level_order_does_not_matter_and_other_spellings_are_categorical():
    x, y, _ = mixed(seed=5)
    reordered = x.assign(mode=pd.Categorical(x["mode"].astype(str), categories=list("dbeca")))
    as_strings = x.assign(mode=x["mode"].astype(str))
    as_codes = x.assign(mode=x["mode"].cat.codes, w=x["w"].astype(object))
    boxes = [prim(reordered, y), prim(as_strings, y), prim(as_codes, y, categorical=["mode"])]
    assert boxes[0].box.loc["mode", "levels"] == ("d", "b")  # named in the categories' order
    assert boxes[1].box.loc["mode", "levels"] == ("b", "d")
    assert boxes[2].box.loc["mode", "levels"] == ("1", "3")  # codes of b and d, named as given
    inside = [b.inside for b in boxes]
    assert np.array_equal(inside[0], inside[1]) and np.array_equal(inside[1], inside[2])
    with pytest.raises(ValueError, match="categorical names columns"):
        prim(x, y, categorical=["nope"])


def test_booleans_and_missing_levels():
    rng = np.random.default_rng(6)
    n = 800
    flag = rng.random(n) < 0.5
    mode = np.where(rng.random(n) < 0.1, None, rng.choice(["u", "v"], n)).astype(object)
    y = (flag & (mode != "u")).astype(float)  # fails with the flag on, unless the mode is u
    box = prim(pd.DataFrame({"flag": flag, "mode": mode}), y)
    assert box.box.loc["flag", "levels"] == ("True",)
    assert set(box.box.loc["mode", "levels"]) == {"v", "(none)"}
    assert box.density == 1.0 and box.coverage == 1.0


def test_pasting_adds_back_a_level():
    # Pasting from a box that lacks level b, while b inside the x-range is all cases: pasting adds b
    # back (density stays 1, cases grow) but never adds c (no cases) and keeps x's range.
    from p3sim_analysis.prim import _Box, _paste, _prepare
    rng = np.random.default_rng(7)
    n = 1000
    mode = rng.choice(MODES, n)
    x = pd.DataFrame({"mode": pd.Categorical(mode, categories=MODES), "x": rng.random(n)})
    y = (np.isin(mode, ["a", "b"]) & (x["x"] < 0.5)).to_numpy(dtype=float)
    inputs = _prepare(x, None)
    box = _Box.full(inputs)
    box.allowed[0][:] = [True, False, False, False, False]  # only a
    box.high[1] = x["x"][x["x"] < 0.5].max()
    pasted = _paste(inputs, y, box, 0.05).frame(inputs, _Box.full(inputs))
    assert pasted.loc["mode", "levels"] == ("a", "b")
    assert pasted.loc["x", "high"] < 0.5


def test_covering_with_min_density_stops_on_thin_boxes():
    x, y, inside = mixed(seed=8, flip=0.0)
    y = y.copy()
    y[~inside & (np.random.default_rng(9).random(len(y)) < 0.05)] = 1  # thin noise outside the box
    boxes = prim_covering(x, y, max_boxes=3)
    assert len(boxes) >= 2  # a second, thin box on the noise
    strict = prim_covering(x, y, max_boxes=3, min_density=0.5)
    assert len(strict) == 1 and strict[0].box.loc["mode", "levels"] == ("b", "d")


def test_feature_scores_treat_categories_as_categories():
    rng = np.random.default_rng(10)
    n = 1200
    levels = [f"l{k:02d}" for k in range(15)]  # more levels than bins: each still its own bin
    level = rng.choice(levels, n)
    failing = {"l01", "l06", "l13"}  # scattered in the code order
    x = pd.DataFrame({"set": pd.Categorical(level, categories=levels), "noise": rng.random(n),
                      "coin": rng.random(n) < 0.5})
    y = np.isin(level, list(failing)).astype(float)
    scores = feature_scores(x, y, n_perm=50, one_hot=True).set_index("input")
    assert scores.loc["set", "kind"] == "categorical"
    assert scores.loc["coin", "kind"] == "categorical"
    assert scores.loc["noise", "kind"] == "numeric"
    # one bin per level: the whole entropy of y is explained
    p = y.mean()
    entropy = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    assert scores.loc["set", "mi"] == pytest.approx(entropy, rel=1e-9)
    assert scores.loc["set", "p_value"] < 0.05 and scores.loc["noise", "p_value"] > 0.05
    assert scores.index[0] == "set"
    # by_level names the failing levels first
    first = [part.split()[0] for part in scores.loc["set", "by_level"].split(", ")[:3]]
    assert set(first) == failing
    for name in failing:
        assert scores.loc[f"set = {name}", "kind"] == "level"
        assert scores.loc[f"set = {name}", "p_value"] < 0.05
    assert scores.loc["noise", "by_level"] == ""


# ---------------------------------------------------------------------------------------------
# A real small sweep: governance modes x pitfall sets on the tiny scenario.
MODES_SWEEP = ["backbone", "constellation", "hierarchy", "network", "isolated"]


@pytest.fixture(scope="module")
def modes_sweep(run_sweep):
    from conftest import TINY
    return run_sweep({"scenario": TINY, "replications": 4, "seed": 5, "steps": 36,
                      "parameters": {"/governance/mode": MODES_SWEEP},
                      "pitfalls": [[], ["hidden_incentives"], ["imposed_hierarchy"]]}, "prim_modes")


def test_box_of_a_real_sweep_names_levels(modes_sweep):
    with ResultFile(modes_sweep) as rf:
        runs = rf.runs()
        inputs = _parameter_inputs(rf, runs)
    assert list(inputs.columns) == ["governance.mode", "pitfalls"]
    assert list(inputs["governance.mode"].cat.categories) == MODES_SWEEP
    assert list(inputs["pitfalls"].cat.categories) == ["baseline", "hidden_incentives", "imposed_hierarchy"]
    low = (runs["outcome"] < runs["outcome"].median()).to_numpy(dtype=float)
    box = prim(inputs, low)
    mode = box.box.loc["governance.mode"]
    assert mode["restricted"] and mode["kind"] == "categorical"
    assert set(mode["levels"]) < set(MODES_SWEEP)
    assert mode["limits"] == "in {" + ", ".join(mode["levels"]) + "}"
    # isolated is the lowest-outcome mode in every run, network the highest without pitfalls
    assert "isolated" in mode["levels"] and "network" not in mode["levels"]
    assert box.describe().startswith("governance.mode in {")
    assert box.density > low.mean()


def test_report_of_a_real_sweep_names_levels(modes_sweep, tmp_path):
    out = build_report(modes_sweep, tmp_path / "modes.html", quiet=True)
    page = open(out, encoding="utf-8").read()
    section = page[page.index('id="prim"'):]
    assert "treated as ordered codes" not in section
    assert "share missing by level" in section and "isolated action 1.00" in section  # isolated never reaches the goal
