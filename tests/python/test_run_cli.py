"""End-to-end checks of `p3sim run`: exit codes, output files, determinism and provenance."""
import json
import os
import subprocess

import h5py
import numpy as np
import pytest

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
SCENARIO = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")


def run(*args):
    return subprocess.run([BINARY, "run", *args], capture_output=True, text=True)


def datasets(path):
    """Every dataset's contents by name (attributes such as created_utc are allowed to differ)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def test_same_seed_gives_identical_datasets(tmp_path):
    a, b, c = tmp_path / "a.h5", tmp_path / "b.h5", tmp_path / "c.h5"
    assert run(SCENARIO, "--seed", "11", "-o", str(a), "--quiet").returncode == 0
    assert run(SCENARIO, "--seed", "11", "-o", str(b), "--quiet").returncode == 0
    assert run(SCENARIO, "--seed", "12", "-o", str(c), "--quiet").returncode == 0
    da, db, dc = datasets(a), datasets(b), datasets(c)
    assert da.keys() == db.keys()
    for name in da:
        assert np.array_equal(da[name], db[name]), name
    assert not np.array_equal(da["series/outcome"], dc["series/outcome"])


def test_output_has_provenance_and_the_run(tmp_path):
    out = tmp_path / "run.h5"
    assert run(SCENARIO, "--seed", "5", "-o", str(out), "--quiet").returncode == 0
    with h5py.File(out, "r") as f:
        for key in ("format_version", "p3sim_version", "git_commit", "created_utc", "command_line",
                    "scenario_json", "sweep_json", "master_seed"):
            assert key in f.attrs, key
        assert int(f.attrs["master_seed"]) == 5
        scenario = json.loads(f.attrs["scenario_json"])
        assert scenario["name"] == "tiny_partnership"
        assert f["runs/status"][0] == 1
        assert f["series/outcome"].shape[0] == 1
        assert f["series/outcome"].shape[1] == scenario["steps"] + 1
        assert "member" in f["org_final"]


def test_drawn_seed_is_printed_and_stored(tmp_path):
    out = tmp_path / "drawn.h5"
    result = run(SCENARIO, "-o", str(out), "--quiet")
    assert result.returncode == 0
    assert "seed" in result.stderr
    printed = int(result.stderr.split()[1])
    with h5py.File(out, "r") as f:
        assert int(f.attrs["master_seed"]) == printed
        assert int(f["runs/seed"][0]) == printed


def test_invalid_input_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "never.h5"
    result = run(SCENARIO, "--set", "/steps=-3", "-o", str(out))
    assert result.returncode == 2
    assert "/steps" in result.stderr and "error[range]" in result.stderr
    assert not out.exists()
    missing = run(os.path.join(SOURCE, "no_such_file.json"), "-o", str(out))
    assert missing.returncode == 2
    assert not out.exists()


def test_existing_output_is_not_overwritten_without_flag(tmp_path):
    out = tmp_path / "keep.h5"
    out.write_bytes(b"precious")
    result = run(SCENARIO, "--seed", "1", "-o", str(out))
    assert result.returncode == 2
    assert "--overwrite" in result.stderr
    assert out.read_bytes() == b"precious"
    assert run(SCENARIO, "--seed", "1", "-o", str(out), "--overwrite", "--quiet").returncode == 0
    with h5py.File(out, "r") as f:
        assert f["runs/status"][0] == 1


def test_json_output_and_story():
    result = run(SCENARIO, "--seed", "3", "--json")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["seed"] == 3
    assert set(doc["final"]) >= {"goal_reached", "outcome", "retention", "acceptability"}
    assert any(e["kind"] == "phase" for e in doc["events"])
    story = run(SCENARIO, "--seed", "3")
    assert "month 1: phase scope" in story.stdout
    assert "final metrics" in story.stdout


def test_pitfall_changes_the_run_and_unknown_pitfall_is_refused():
    base = json.loads(run(SCENARIO, "--seed", "4", "--json").stdout)
    shortcut = json.loads(run(SCENARIO, "--seed", "4", "--json", "--pitfall", "short_cut").stdout)
    assert not any(e["cause"] == "interim" for e in shortcut["events"])
    assert any(e["cause"] == "interim" for e in base["events"])
    bad = run(SCENARIO, "--pitfall", "short_cuts")
    assert bad.returncode == 2
    assert "short_cut" in bad.stderr


def test_an_unknown_command_is_named_with_the_closest_one():
    done = subprocess.run([BINARY, "swep", "x.json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert 'unknown command "swep"' in done.stderr and 'did you mean "sweep"' in done.stderr
    helped = subprocess.run([BINARY, "help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "summarize" in helped.stdout


@pytest.mark.parametrize("seed", ["-1", "18446744073709551616", "1e3", "seven"])
def test_seeds_out_of_range_are_refused(seed):
    for command in (["run", SCENARIO, "--quiet"], ["compare", SCENARIO, "--vary", "/steps=2,3", "-r", "2"]):
        done = subprocess.run([BINARY, *command, "--seed", seed], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (command, done.stdout)
        assert "a seed is a whole number from 0 to 18446744073709551615" in done.stderr


def test_the_largest_seed_is_a_seed():
    done = subprocess.run([BINARY, "run", SCENARIO, "--quiet", "--json", "--seed", "18446744073709551615"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["seed"] == 18446744073709551615


def test_trust_at_without_json_is_refused_not_ignored():
    done = subprocess.run([BINARY, "run", SCENARIO, "--quiet", "--trust-at", "0,12"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "trust_at_without_json" in done.stderr


def test_an_index_with_a_leading_zero_is_not_an_index():
    done = subprocess.run([BINARY, "run", SCENARIO, "--quiet", "--set", "/organizations/01/name=x"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "/organizations/01" in done.stderr


def test_compare_refuses_more_replications_than_it_can_hold():
    done = subprocess.run([BINARY, "compare", SCENARIO, "--vary", "/steps=2,3", "-r", "100000000"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "use p3sim sweep" in done.stderr
