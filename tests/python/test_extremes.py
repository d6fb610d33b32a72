"""Extremes (docs/reliability.md): one organization, 2,000 organizations, a million population units,
0 and 10,000 steps, every governance mode with every built-in pitfall. Each case either runs or is
refused at validation with a clear message (exit 2, the JSON Pointer named); when it runs, every
dataset of the HDF5 file p3sim wrote is scanned for NaN where none is allowed, infinities,
negative counts and fractions outside 0..1."""
import json
import os
import random
import re
import subprocess

import h5py
import numpy as np
import pytest

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
MINIMAL = os.path.join(SOURCE, "tests", "data", "pass", "minimal.json")
MODES = ["backbone", "constellation", "hierarchy", "network", "isolated"]
PITFALLS = ["hidden_incentives", "imposed_hierarchy", "no_shared_measurement", "no_local_partner", "short_cut",
            "weak_champions", "missing_voices", "cultural_gap", "credit_hogging", "unfunded_backbone", "funding_cut",
            "pledge_gap", "mutual_suspicion"]

# Counts and amounts that can never be negative; the two metrics documented with a -1 sentinel;
# fractions in 0..1 (docs/hdf5.md).
COUNTS = {"final/" + m for m in ["outcome", "adopters", "relapsed", "exits_hierarchy", "exits_misalignment",
                                  "exits_distrust", "exits_no_results", "exits_credit", "exits_shock", "cost_total",
                                  "goal_reached", "replanted_voluntary", "replanted_forced"]}
COUNTS |= {"series/" + m for m in ["outcome", "adopters", "members", "misunderstandings", "overhead",
                                    "cumulative_cost", "friction", "agenda_spread", "replanted_voluntary",
                                    "replanted_forced"]}
COUNTS |= {"series_by_sector/members", "org_final/member", "org_final/champion"}
MINUS_ONE = {"final/time_to_goal", "final/cost_per_outcome", "org_final/joined_step", "org_final/exit_step",
             "final/acceptability", "final/acceptability_sd"}
FRACTIONS = {"final/" + m for m in ["retention", "mean_trust", "cross_trust", "equity", "goal_reached"]}
# acceptability: a fraction where defined, -1 for a partnership without members at the end
FRACTIONS_OR_UNDEFINED = {"final/acceptability"}
FRACTIONS |= {"series/" + m for m in ["effort", "trust", "cross_trust"]}
FRACTIONS |= {"series_by_sector/effort"} | {"org_final/" + m for m in ["mean_effort", "alignment", "belief",
                                                                      "stated_position", "goal"]}


def p3sim(*args, timeout=300):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def scan(path):
    """Asserts every value of every [run, ...] dataset of done runs is sane; returns the run count."""
    with h5py.File(path, "r") as f:
        done = f["runs/status"][()] == 1
        assert done.all(), f["runs/message"][()][~done]
        units = json.loads(f.attrs["scenario_json"]).get("population", {}).get("units")
        # Organizations a run does not have (a sweep's points may append some, e.g. the backbone)
        # are padded: -1 in the integer fields, NaN in the float ones.
        padded = f["org_final/member"][()][done] == -1
        names = []
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        for name in names:
            data = f[name]
            if name == "events":
                events = data[()]
                assert (events["step"] >= 0).all() and (events["step"] <= f.attrs["steps"]).all()
                assert np.isfinite(events["value"]).all()
                continue
            if data.dtype.kind not in "fiu" or data.ndim == 0 or data.shape[0] != len(done):
                continue
            values = data[()][done]
            if name.startswith("org_final/"):
                real = ~padded.reshape(padded.shape + (1,) * (values.ndim - 2))
                real = np.broadcast_to(real, values.shape)
                if data.dtype.kind == "f":
                    assert np.isnan(values[~real]).all(), f"a padded organization has a value in {name}"
                else:
                    assert (values[~real] == -1).all(), f"a padded organization has a value in {name}"
                values = values[real]
            if data.dtype.kind == "f":
                assert not np.isnan(values).any(), f"NaN in {name}"
                assert np.isfinite(values).all(), f"infinity in {name}"
            if name in COUNTS:
                assert (values >= 0).all(), f"negative {name}: {values.min()}"
            if name in MINUS_ONE:
                assert ((values >= 0) | (values == -1)).all(), f"{name} below -1: {values.min()}"
            if name in FRACTIONS:
                assert ((values >= 0) & (values <= 1 + 1e-12)).all(), f"{name} outside 0..1"
            if name in FRACTIONS_OR_UNDEFINED:
                assert (((values >= 0) & (values <= 1 + 1e-12)) | (values == -1)).all(), f"{name} outside 0..1"
            if units and name in ("final/adopters", "series/adopters"):
                assert (values <= units).all(), f"{name} above the {units} units"
        return int(done.sum())


def run_or_refused(tmp_path, scenario, *extra):
    """Runs `scenario`; when it is refused, the refusal must be exit 2 naming a JSON Pointer."""
    out = tmp_path / "out.h5"
    done = p3sim("run", str(scenario), "--seed", "3", "-o", str(out), "--overwrite", "--quiet", *extra)
    if done.returncode == 2:
        assert "error[" in done.stderr and ": /" in done.stderr, done.stderr
        return None
    assert done.returncode == 0, done.stderr
    scan(out)
    return out


def test_every_mode_with_every_pitfall(tmp_path):
    """One sweep: 5 modes x (no pitfall + each of the 13 built-in pitfalls) x 2 replicates, 40 steps
    (the funding_cut shock comes at step 12)."""
    sweep = {"scenario": TINY, "replications": 2, "seed": 5, "steps": 40,
             "parameters": {"/governance/mode": MODES}, "pitfalls": [[]] + [[p] for p in PITFALLS]}
    path = tmp_path / "modes_pitfalls.json"
    path.write_text(json.dumps(sweep))
    out = tmp_path / "modes_pitfalls.h5"
    done = p3sim("sweep", str(path), "-o", str(out), "--no-progress", "--threads", "2")
    assert done.returncode == 0, done.stderr
    assert scan(out) == len(MODES) * (len(PITFALLS) + 1) * 2


def test_the_pitfall_list_above_is_every_builtin_pitfall():
    source = open(os.path.join(SOURCE, "sim", "scenario", "Pitfalls.cpp")).read()
    assert sorted(re.findall(r'make\("([a-z_]+)"', source)) == sorted(PITFALLS)


@pytest.mark.parametrize("mode", MODES)
def test_one_organization(tmp_path, mode):
    out = run_or_refused(tmp_path, MINIMAL, "--set", f"/governance/mode={mode}", "--steps", "30")
    assert out is not None  # a partnership of one is degenerate but valid
    with h5py.File(out, "r") as f:
        # Backbone mode adds the backbone organization when the scenario names none.
        assert f["org_final/member"].shape == (1, 1 + (mode == "backbone"))


@pytest.mark.parametrize("steps", [0, 10000])
def test_zero_and_ten_thousand_steps(tmp_path, steps):
    out = run_or_refused(tmp_path, TINY, "--steps", str(steps))
    assert out is not None
    with h5py.File(out, "r") as f:
        assert f["series/trust"].shape == (1, steps + 1)


def test_a_million_population_units(tmp_path):
    # 3 steps only: each step visits every unit and its neighbours (a second a step here); the
    # scale is what is tested, not the dynamics.
    out = run_or_refused(tmp_path, TINY, "--set", "/population/units=1000000", "--steps", "3")
    assert out is not None


def big_scenario(tmp_path, organizations):
    rng = random.Random(organizations)
    sectors = ["government", "business", "civil_society"]
    doc = {"name": "many", "steps": 5, "agenda": {"dimensions": ["a", "b"]},
           "capabilities": {"funding": {"need": 1.0, "weight": 1.0, "channel": "payments"},
                            "technical": {"need": 1.0, "weight": 1.0, "channel": "training"}},
           "organizations": [{"name": f"org{i}", "sector": sectors[i % 3], "goal": [rng.random(), rng.random()],
                              "capabilities": {"funding": round(rng.random(), 3),
                                               "technical": round(rng.random(), 3)}}
                             for i in range(organizations)],
           "governance": {"mode": "backbone", "lead": "org0"},
           "lifecycle": {"skip_interim": True},
           "population": {"units": 2000, "degree": 6}, "goal": {"metric": "adopters", "target": 1000}}
    path = tmp_path / f"orgs{organizations}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("mode", ["constellation", "network"])
def test_two_thousand_organizations(tmp_path, mode):
    # 5 steps with skip_interim: execution (trust observation and the constellation's gossip)
    # starts at step 4. Every step updates 4 million trust pairs, so more steps would only cost time.
    out = run_or_refused(tmp_path, big_scenario(tmp_path, 2000), "--set", f"/governance/mode={mode}")
    assert out is not None
    with h5py.File(out, "r") as f:
        assert f["org_final/member"].shape == (1, 2000)
        assert f["series/members"][0, -1] > 1


def test_more_than_two_thousand_organizations_is_refused(tmp_path):
    done = p3sim("validate", str(big_scenario(tmp_path, 2001)))
    assert done.returncode == 2
    assert "/organizations: error[size]" in done.stderr
