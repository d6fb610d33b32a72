"""The bundled library: every scenario and sweep under scenarios/ validates and runs; `p3sim list`
shows each with one line; `p3sim run --pitfall NAME --baseline` tells both runs side by side."""
import glob
import json
import math
import os
import subprocess

import h5py
import numpy as np
import pytest

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
SCENARIOS = sorted(glob.glob(os.path.join(SOURCE, "scenarios", "*.json")))
SWEEPS = sorted(glob.glob(os.path.join(SOURCE, "scenarios", "sweeps", "*.json")))
CALIBRATIONS = sorted(glob.glob(os.path.join(SOURCE, "scenarios", "calibration", "*.json")))


def p3sim(*args, timeout=300):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def is_sweep(path):
    return "scenario" in json.load(open(path))


def test_the_library_is_there():
    names = {os.path.basename(p)[:-5] for p in SCENARIOS if not is_sweep(p)}
    assert {"colombia_crop_substitution", "connectivity_dialogue", "civil_military_hierarchy", "collective_impact_city",
            "partnering_hub", "public_goods_classroom"} <= names
    assert len(SWEEPS) >= 8


@pytest.mark.parametrize("path", CALIBRATIONS, ids=os.path.basename)
def test_every_bundled_calibration_validates_names_its_sources_and_runs(tmp_path, path):
    done = p3sim("validate", path)
    assert done.returncode == 0, done.stderr
    doc = json.load(open(path))
    assert doc.get("description") and doc.get("note")
    assert all(t.get("source") for t in doc["targets"]), "every observed value says where it comes from"
    # Two small generations of the same calibration (the full ones are in test_calibrate_coverage.py).
    doc["scenario"] = os.path.normpath(os.path.join(os.path.dirname(path), doc["scenario"]))
    doc["abc"] = {"particles": 10, "generations": 2}
    small = tmp_path / "small.json"
    small.write_text(json.dumps(doc), encoding="utf-8")
    done = p3sim("calibrate", str(small), "-o", str(tmp_path / "post.h5"), "--no-progress")
    assert done.returncode == 0, done.stderr
    with h5py.File(tmp_path / "post.h5", "r") as f:
        assert f["particles/value"].shape[:2] == (2, 10)


def test_every_bundled_scenario_with_calibrated_figures_has_a_calibration():
    names = {os.path.basename(p) for p in CALIBRATIONS}
    assert {"colombia_crop_substitution.json", "collective_impact_city.json"} <= names


@pytest.mark.parametrize("path", SCENARIOS + SWEEPS, ids=os.path.basename)
def test_every_bundled_file_validates(path):
    done = p3sim("validate", path)
    assert done.returncode == 0, done.stderr
    doc = json.load(open(path))
    assert doc.get("description"), "every bundled file says what it is"
    if not is_sweep(path):
        assert doc.get("note") and len(doc.get("sources", [])) >= 1, "scenarios carry a note and sources"


@pytest.mark.parametrize("path", [p for p in SCENARIOS if not is_sweep(p)], ids=os.path.basename)
def test_every_bundled_scenario_runs_to_sane_numbers(path):
    done = p3sim("run", path, "--seed", "11", "--json")
    assert done.returncode == 0, done.stderr
    final = json.loads(done.stdout)["final"]
    for name, value in final.items():
        assert math.isfinite(value), name
        if name.startswith("exits_") or name in ("adopters", "relapsed", "outcome", "cost_total"):
            assert value >= 0, name


@pytest.mark.parametrize("path", SWEEPS + [p for p in SCENARIOS if is_sweep(p)], ids=os.path.basename)
def test_every_bundled_sweep_runs(tmp_path, path):
    # One replicate of each design point (a sampled design keeps a few points), same scenario.
    doc = json.load(open(path))
    doc["scenario"] = os.path.normpath(os.path.join(os.path.dirname(path), doc["scenario"]))
    doc["replications"] = 1
    if isinstance(doc.get("design"), dict):
        doc["design"]["samples"] = 4
    small = tmp_path / "small.json"
    small.write_text(json.dumps(doc))
    out = tmp_path / "out.h5"
    done = p3sim("sweep", str(small), "-o", str(out), "--no-progress", "--threads", "2")
    assert done.returncode == 0, done.stderr
    with h5py.File(out, "r") as f:
        assert (f["runs/status"][()] == 1).all()
        for name in f["final"]:
            values = f["final"][name][()]
            assert np.isfinite(values).all(), name


def test_list_shows_every_scenario_sweep_and_pitfall_in_one_line_each():
    done = p3sim("list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for path in SCENARIOS:
        doc = json.load(open(path))
        key = os.path.basename(path) if is_sweep(path) else doc["name"]
        assert sum(line.split()[0] == key for line in lines if line.strip()) == 1, key
    for path in SWEEPS:
        assert sum(os.path.relpath(path, os.path.join(SOURCE, "scenarios")) in line for line in lines) == 1, path
    for name in ["hidden_incentives", "imposed_hierarchy", "funding_cut", "mutual_suspicion"]:
        assert any(line.split()[0] == name for line in lines if line.strip()), name
    assert any("forced_eradication" in line and "colombia_crop_substitution" in line for line in lines)
    assert all(len(line) <= 132 for line in lines)


def test_list_reports_a_missing_folder(tmp_path):
    done = p3sim("list", "--dir", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "nowhere" in done.stderr


COLOMBIA = os.path.join(SOURCE, "scenarios", "colombia_crop_substitution.json")


def test_baseline_shows_both_runs_side_by_side_with_differences():
    done = p3sim("run", COLOMBIA, "--seed", "3", "--pitfall", "forced_eradication", "--baseline")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "the same seed with and without forced_eradication" in text
    assert "pitfall forced_eradication: " in text  # its description
    header = next(line for line in text.splitlines() if "month" in line and "|" in line)
    assert "baseline" in header and "with forced_eradication" in header
    assert "difference" in text and "baseline: Goal" in text and "with forced_eradication: Goal" in text


def test_baseline_numbers_are_the_two_single_runs():
    both = json.loads(p3sim("run", COLOMBIA, "--seed", "5", "--pitfall", "payment_delays", "--baseline", "--json").stdout)
    alone = json.loads(p3sim("run", COLOMBIA, "--seed", "5", "--pitfall", "payment_delays", "--json").stdout)
    plain = json.loads(p3sim("run", COLOMBIA, "--seed", "5", "--json").stdout)
    assert both["pitfall"]["final"] == alone["final"]
    assert both["baseline"]["final"] == plain["final"]
    for name, value in both["difference"].items():
        a, b = plain["final"][name], alone["final"][name]
        if name in ("time_to_goal", "cost_per_outcome", "acceptability", "acceptability_sd") and -1 in (a, b):
            # a month against "never" (or a ratio against "undefined") has no difference
            assert value is None, name
        else:
            assert value == pytest.approx(b - a)
    # seed 5: the baseline reaches the goal and the pitfall run never does
    assert plain["final"]["time_to_goal"] > 0 and alone["final"]["time_to_goal"] == -1
    text = p3sim("run", COLOMBIA, "--seed", "5", "--pitfall", "payment_delays", "--baseline").stdout
    row = next(line for line in text.splitlines() if line.strip().startswith("time_to_goal"))
    assert "never" in row and row.split()[-1] == "-", row


def test_baseline_file_holds_both_runs_flagged(tmp_path):
    out = tmp_path / "pair.h5"
    done = p3sim("run", COLOMBIA, "--seed", "5", "--pitfall", "payment_delays", "--baseline", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with h5py.File(out, "r") as f:
        assert list(f["params/pitfall.payment_delays"][()]) == [0.0, 1.0]
        assert list(f["runs/seed"][()]) == [5, 5]
        assert (f["runs/status"][()] == 1).all()


def test_baseline_needs_a_pitfall():
    done = p3sim("run", COLOMBIA, "--baseline")
    assert done.returncode == 2
    assert "baseline_without_pitfall" in done.stderr


def test_the_story_tells_when_trust_between_two_sectors_collapses():
    done = p3sim("run", os.path.join(SOURCE, "scenarios", "tiny_partnership.json"), "--seed", "3", "--json")
    assert done.returncode == 0, done.stderr
    story = json.loads(done.stdout)["story"]
    months = [int(line.split(":")[0].split()[1]) for line in story]
    assert months == sorted(months)
    collapses = [line for line in story if "sectors collapsed" in line]
    assert collapses, story
    assert "trust between the government and civil society sectors collapsed" in collapses[0]
    text = p3sim("run", os.path.join(SOURCE, "scenarios", "tiny_partnership.json"), "--seed", "3").stdout
    assert " ".join(collapses[0].split()) in " ".join(text.split())  # wrapped to the width
