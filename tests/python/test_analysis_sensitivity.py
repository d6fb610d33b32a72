"""Sobol' (Saltelli 2010 first order, Jansen total) and Morris estimators against functions with
known indices, and the explicit-point sweeps that run their designs through p3sim."""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc

from p3sim_analysis import ResultFile
from p3sim_analysis.morris import morris_design, morris_indices
from p3sim_analysis.sensitivity import file_sensitivity, morris_sweep, saltelli_sweep
from p3sim_analysis.sobol import (first_order_given_data, ishigami, ishigami_indices, saltelli_design,
                                  sobol_indices, split_outputs)

TINY = os.path.join(os.environ["P3SIM_SOURCE_DIR"], "scenarios", "tiny_partnership.json")


def ishigami_on(unit):
    return ishigami(-np.pi + 2 * np.pi * np.asarray(unit))


def test_ishigami_reference_values():
    ref = ishigami_indices().set_index("factor")
    np.testing.assert_allclose(ref["S1"], [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(ref["ST"], [0.5576, 0.4424, 0.2437], atol=5e-5)


def test_saltelli_jansen_recover_ishigami_indices():
    # N = 2048 base samples, 10 240 evaluations. The bootstrap standard errors at this N are about
    # 0.02 (S1) and 0.01-0.02 (ST) for iid rows; scrambled Sobol' rows do better (errors below 0.01
    # over ten seeds in development). 0.03 is therefore about 1.5-3 bootstrap SEs: wide enough not to
    # flake, narrow enough to catch a wrong formula (swapping A and B in S1 or dropping the 1/2 of
    # Jansen moves estimates by more than 0.1).
    design = saltelli_design(3, 2048, seed=3)
    assert len(design) == 2048 * 5
    f_a, f_b, f_ab = split_outputs(design, ishigami_on(design[["u0", "u1", "u2"]]), 3)
    got = sobol_indices(f_a, f_b, f_ab, n_boot=200, seed=1).set_index("factor")
    ref = ishigami_indices().set_index("factor")
    np.testing.assert_allclose(got["S1"], ref["S1"], atol=0.03)
    np.testing.assert_allclose(got["ST"], ref["ST"], atol=0.03)
    assert ((got["S1_lo"] <= ref["S1"]) & (ref["S1"] <= got["S1_hi"])).all()
    assert ((got["ST_lo"] <= ref["ST"]) & (ref["ST"] <= got["ST_hi"])).all()
    assert (got["ST_hi"] - got["ST_lo"] < 0.15).all()


def test_saltelli_design_layout():
    design = saltelli_design(2, 4, seed=0)
    a = design[design.block == "A"].set_index("sample")[["u0", "u1"]]
    b = design[design.block == "B"].set_index("sample")[["u0", "u1"]]
    ab1 = design[(design.block == "AB") & (design.factor == 1)].set_index("sample")[["u0", "u1"]]
    np.testing.assert_array_equal(ab1["u0"], a["u0"])
    np.testing.assert_array_equal(ab1["u1"], b["u1"])
    assert list(design["sample"][:4]) == [0, 0, 0, 0]  # sample-major, so a partial sweep keeps whole samples


def test_incomplete_samples_are_dropped_whole():
    design = saltelli_design(3, 64, seed=0)
    y = ishigami_on(design[["u0", "u1", "u2"]])
    y[(design["sample"] == 5) & (design["block"] == "AB")] = np.nan
    f_a, f_b, f_ab = split_outputs(design, y, 3)
    assert len(f_a) == 63 and f_ab.shape == (3, 63)


def test_given_data_first_order_on_a_sobol_sample():
    # 2048 scrambled Sobol' points, about 45 bins per input: binning and sampling errors are below 0.015.
    unit = qmc.Sobol(3, seed=4).random(2048)
    got = first_order_given_data(unit, ishigami_on(unit), n_boot=50).set_index("factor")
    np.testing.assert_allclose(got["S1"], ishigami_indices()["S1"], atol=0.03)
    assert (got["S1_lo"] <= got["S1"]).all() and (got["S1"] <= got["S1_hi"]).all()


def test_morris_on_a_linear_function_is_exact():
    design = morris_design(4, 10, levels=4, seed=2)
    assert len(design) == 10 * 5
    coefficients = np.array([3.0, -1.0, 0.5, 0.0])
    y = design[[f"u{i}" for i in range(4)]].to_numpy() @ coefficients
    got = morris_indices(design, y, ["a", "b", "c", "d"])
    assert list(got["factor"]) == ["a", "b", "c", "d"]  # ranked by mu*
    np.testing.assert_allclose(got["mu_star"], np.abs(coefficients), atol=1e-12)
    np.testing.assert_allclose(got["mu"], coefficients, atol=1e-12)
    np.testing.assert_allclose(got["sigma"], 0.0, atol=1e-12)


def test_morris_sees_ishigami_x3_only_through_its_interaction():
    design = morris_design(3, 60, levels=4, seed=1)
    got = morris_indices(design, ishigami_on(design[["u0", "u1", "u2"]])).set_index("factor")
    # x3 acts as b x3^4 sin(x1): its effects change sign with x1, so |mu| << mu* and sigma > mu*.
    assert abs(got.loc["x2", "mu"]) < 0.5 * got.loc["x2", "mu_star"]
    assert got.loc["x2", "sigma"] > got.loc["x2", "mu_star"]
    assert (got["mu_star"] > 1.0).all()  # no input is negligible on Ishigami (all ST > 0.2)


def test_saltelli_sweep_runs_through_p3sim(run_sweep, tmp_path):
    ranges = {"/trust/gain": (0.05, 0.5), "/organizations/*/disclosure": (0.1, 0.9)}
    sweep = saltelli_sweep(TINY, ranges, 8, design_seed=1, replications=1, steps=10,
                           record={"series": ["outcome"], "every": 1, "events": False})
    assert sweep["design"]["type"] == "points"  # p3sim's native explicit design
    assert len(sweep["parameters"]["/trust/gain"]) == 8 * 4
    path = run_sweep(sweep, "saltelli")
    with ResultFile(path) as rf:
        assert rf.design_type() == "saltelli"
        runs = rf.runs()
        assert "pitfalls" not in runs.columns
        assert [p.dataset for p in rf.parameters()] == ["trust.gain", "organizations.*.disclosure"]
        design = rf.point_design()
        assert len(design) == 8 * 4 and set(design["block"]) == {"A", "B", "AB"}
        point = runs.iloc[7]  # one replicate: run 7 is design point 7
        assert point["design_index"] == 7
        assert point["trust.gain"] == sweep["parameters"]["/trust/gain"][7]
        assert point["trust.gain"] == pytest.approx(0.05 + 0.45 * design.loc[7, "u.trust.gain"])
        assert 0.05 <= runs["trust.gain"].min() and runs["trust.gain"].max() <= 0.5
        result = file_sensitivity(rf, "mean_trust", n_boot=50)
        assert result["method"] == "saltelli"
        assert list(result["table"]["factor"]) == ["trust.gain", "organizations.*.disclosure"]
        assert (result["table"]["n"] == 8).all()


def test_morris_sweep_and_design_command(run_sweep, tmp_path):
    sweep = morris_sweep(TINY, {"/trust/gain": (0.05, 0.5), "/trust/loss": (0.2, 0.8)}, 3, replications=1,
                         steps=10, record={"series": ["outcome"], "every": 1, "events": False})
    with ResultFile(run_sweep(sweep, "morris")) as rf:
        result = file_sensitivity(rf, "mean_trust", n_boot=20)
        assert result["method"] == "morris" and set(result["table"]["r"]) == {3}
    out = tmp_path / "saltelli.json"
    env = dict(os.environ, PYTHONPATH=os.path.join(os.environ["P3SIM_SOURCE_DIR"], "analysis"))
    done = subprocess.run([sys.executable, "-m", "p3sim_analysis", "design", "saltelli", TINY,
                           "--param", "/trust/gain=0.1:0.4", "--param", "/population/degree=2:3:integer",
                           "-n", "4", "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    written = json.loads(out.read_text())
    assert len(written["parameters"]["/trust/gain"]) == 4 * 4
    assert all(isinstance(v, int) and v in (2, 3) for v in written["parameters"]["/population/degree"])
    assert "pitfalls" not in written and "pitfalls" not in written["scenario"]


def test_points_sweep_from_elsewhere_gets_first_order_indices(run_sweep):
    # A points design whose generator this package did not write: its points are taken as data.
    rng = np.random.default_rng(5)
    gains = [round(float(g), 4) for g in rng.uniform(0.05, 0.5, 24)]
    sweep = {"scenario": json.load(open(TINY)), "replications": 1, "steps": 10,
             "design": {"type": "points", "generator": {"source": "a calibration"}},
             "parameters": {"/trust/gain": gains},
             "record": {"series": ["outcome"], "every": 1, "events": False}}
    with ResultFile(run_sweep(sweep, "foreign_points")) as rf:
        assert rf.design_type() == "points"
        assert rf.point_design() is None
        assert list(rf.runs()["trust.gain"]) == gains
        result = file_sensitivity(rf, "mean_trust", n_boot=20)
        assert result["method"] == "given_data"
        assert list(result["table"]["factor"]) == ["trust.gain"]
