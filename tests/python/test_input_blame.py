"""validate and sweep agree, and every error names the place the user can fix (issue 20, findings
4, 5 and 7): the sweep file and its entry rather than an option nobody typed, the --set that created
an element rather than the scenario file, a pitfall named twice before anything runs."""
import json
import os
import signal
import subprocess
import time

import h5py
import pytest

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")


def p3sim(*args, timeout=120):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def write(path, doc):
    path.write_text(json.dumps(doc))
    return str(path)


def error_lines(done):
    return [line for line in done.stderr.splitlines() if "error[" in line]


def validate_and_sweep(path, tmp_path):
    """Both commands on one sweep file: (validate, sweep --dry-run, sweep -o)."""
    return (p3sim("validate", path), p3sim("sweep", path, "--dry-run"),
            p3sim("sweep", path, "-o", str(tmp_path / "out.h5"), "--no-progress"))


def test_a_sweep_with_only_scenario_steps_and_seed_is_a_sweep_for_validate(tmp_path):
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "steps": 5, "seed": 3})
    checked, dry, ran = validate_and_sweep(path, tmp_path)
    assert checked.returncode == 0 and checked.stdout.strip() == f"{path}: ok", checked.stderr
    assert dry.returncode == 0 and ran.returncode == 0, (dry.stderr, ran.stderr)
    assert "1 run (1 design point x 1 replication)" in dry.stdout


def test_validate_refuses_levels_that_change_the_shape_as_sweep_does(tmp_path):
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "parameters": {"/steps": [5, 6]}})
    checked, dry, ran = validate_and_sweep(path, tmp_path)
    for done in (checked, dry, ran):
        assert done.returncode == 2, done.stderr
        assert "error[shape]" in done.stderr and "6 steps" in done.stderr
    assert not (tmp_path / "out.h5").exists()


def test_pitfall_names_that_share_a_dataset_name_are_refused_by_validate_and_sweep(tmp_path):
    scenario = json.load(open(TINY))
    patch = [{"op": "scale", "path": "/governance/transparency", "value": 0.5}]
    scenario["pitfalls"] = {"x/y": {"description": "one", "patch": patch},
                            "x.y": {"description": "two", "patch": patch}}
    scenario_path = write(tmp_path / "scenario.json", scenario)
    path = write(tmp_path / "sweep.json", {"scenario": scenario_path, "pitfalls": [[], ["x/y"], ["x.y"]]})
    for done in validate_and_sweep(path, tmp_path):
        assert done.returncode == 2, done.stderr
        (line,) = error_lines(done)
        assert line.startswith(f"{path}: /pitfalls/2/0: error[dataset_name]"), line
        assert "/params/pitfall.x.y" in line
    # The pair of `run --baseline -o` has the same columns: refused before anything runs.
    done = p3sim("run", scenario_path, "--pitfall", "x/y", "--pitfall", "x.y", "--baseline", "--seed", "1",
                 "-o", str(tmp_path / "pair.h5"))
    assert done.returncode == 2 and "error[dataset_name]" in done.stderr, done.stderr
    assert "final metrics" not in done.stdout and not (tmp_path / "pair.h5").exists()


def test_a_wildcard_parameter_that_matches_nothing_names_the_sweep_entry(tmp_path):
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "parameters": {"/shocks/*/fraction": [0.1, 0.2]}})
    for done in validate_and_sweep(path, tmp_path):
        assert done.returncode == 2, done.stderr
        (line,) = error_lines(done)
        assert line.startswith(path) and "--set" not in line, line
        assert ": /parameters/~1shocks~1*~1fraction: error[bad_override]" in line


def test_an_unknown_pitfall_in_a_sweep_names_the_sweep_entry(tmp_path):
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "pitfalls": [[], ["short_cut", "funding_cutt"]]})
    for done in validate_and_sweep(path, tmp_path):
        assert done.returncode == 2, done.stderr
        (line,) = error_lines(done)
        assert line.startswith(path) and "--pitfall" not in line, line
        assert ": /pitfalls/1/1: error[unknown_pitfall]" in line and 'did you mean "funding_cut"' in line


def test_a_pitfall_named_twice_is_refused_before_anything_runs(tmp_path):
    done = p3sim("run", TINY, "--pitfall", "funding_cut", "--pitfall", "funding_cut", "--baseline", "--seed", "1",
                 "-o", str(tmp_path / "pair.h5"))
    assert done.returncode == 2 and "error[duplicate_pitfall]" in done.stderr, done.stderr
    assert done.stdout == "" and not (tmp_path / "pair.h5").exists()
    # 8,000 repeats took 91 s (the document was validated after each): now one error, at once.
    many = p3sim("run", TINY, "--quiet", *(["--pitfall", "funding_cut"] * 8000), timeout=60)
    assert many.returncode == 2 and len(error_lines(many)) == 1 and "named 8000 times" in many.stderr
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "pitfalls": [["funding_cut", "funding_cut"]]})
    for done in validate_and_sweep(path, tmp_path):
        assert done.returncode == 2, done.stderr
        (line,) = error_lines(done)
        assert line.startswith(path) and ": /pitfalls/0/0: error[duplicate_pitfall]" in line, line


def test_a_set_that_creates_an_element_takes_the_blame_for_it(tmp_path):
    # Organization 4 of the tiny scenario (which has 4) is created by the override: its missing keys
    # are the override's fault, not the file's.
    done = p3sim("run", TINY, "--set", "/organizations/4/name=X", "--quiet")
    assert done.returncode == 2
    lines = error_lines(done)
    assert lines and all(line.startswith("--set /organizations/4/name=X: /organizations/4") for line in lines), lines
    appended = p3sim("run", TINY, "--set", "/organizations/-/name=X", "--quiet")
    assert appended.returncode == 2
    assert all(line.startswith("--set /organizations/-/name=X: /organizations/4") for line in error_lines(appended))


def test_a_shock_can_be_appended_to_a_scenario_without_shocks(tmp_path):
    assert "shocks" not in json.load(open(TINY))
    shock = '/shocks/-={"kind": "funding_cut", "step": 3, "fraction": 0.5}'
    out = tmp_path / "run.h5"
    done = p3sim("run", TINY, "--set", shock, "--seed", "1", "--quiet", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with h5py.File(out, "r") as f:
        resolved = json.loads(f.attrs["scenario_json"])
    (appended,) = resolved["shocks"]  # a list of one shock, not an object keyed "-"
    assert (appended["kind"], appended["step"], appended["fraction"]) == ("funding_cut", 3, 0.5)


def test_compare_refuses_a_set_of_the_varied_value(tmp_path):
    done = p3sim("compare", TINY, "--vary", "/trust/gain=0.1,0.2", "--set", "/trust/gain=NaN", "-r", "2",
                 "--seed", "1")
    assert done.returncode == 2 and "--vary /trust/gain" in done.stderr, done.stderr
    assert p3sim("compare", TINY, "--vary", "/trust/gain=0.1,0.2", "--set", "/trust/loss=0.2", "-r", "2",
                 "--seed", "1").returncode == 0


def test_a_scenario_pitfall_that_selects_nothing_is_an_error_of_the_file(tmp_path):
    # Renaming an organization silently disabled a pitfall whose "where" named the old name.
    scenario = json.load(open(TINY))
    named = {scenario["governance"].get(key) for key in ("lead", "backbone")}
    index, old = next((i, o["name"]) for i, o in enumerate(scenario["organizations"]) if o["name"] not in named)
    scenario["pitfalls"] = {"lead_hides": {"description": "The lead hides its incentives.", "patch": [
        {"op": "set", "path": "/organizations/*/disclosure", "value": 0.0, "where": {"name": old}}]}}
    good = write(tmp_path / "good.json", scenario)
    assert p3sim("validate", good).returncode == 0
    scenario["organizations"][index]["name"] = old + " (renamed)"
    for org in scenario["organizations"]:
        org.get("prehistory", {}).pop(old, None)
    bad = write(tmp_path / "bad.json", scenario)
    checked = p3sim("validate", bad)
    assert checked.returncode == 2, checked.stderr
    assert f"{bad}: /pitfalls/lead_hides/patch/0/where: error[no_match]" in checked.stderr, checked.stderr
    ran = p3sim("run", bad, "--pitfall", "lead_hides", "--quiet")
    assert ran.returncode == 2 and "error[no_match]" in ran.stderr
    assert p3sim("run", bad, "--quiet", "--seed", "1").returncode == 0  # the scenario itself still runs


def test_resume_of_a_finished_sweep_says_so(tmp_path):
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "steps": 4, "replications": 3})
    out = str(tmp_path / "out.h5")
    assert p3sim("sweep", path, "-o", out, "--no-progress", "--threads", "1").returncode == 0
    done = p3sim("sweep", path, "-o", out, "--resume", "--threads", "1")
    assert done.returncode == 0, done.stderr
    assert "is complete: all 3 runs are done" in done.stderr
    assert "0/0" not in done.stderr and "? left" not in done.stderr


def test_dry_run_counts_in_words(tmp_path):
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "steps": 4})
    done = p3sim("sweep", path, "--dry-run", "--threads", "1")
    assert done.returncode == 0
    assert "1 run (1 design point x 1 replication)" in done.stdout and "with 1 thread " in done.stdout


def test_zero_steps_says_nothing_is_simulated():
    done = p3sim("run", TINY, "--steps", "0", "--seed", "1")
    assert done.returncode == 0
    assert "0 steps: nothing is simulated" in done.stderr


def test_a_signal_while_a_sweep_is_planned_stops_it_cleanly(tmp_path):
    # Planning checks every design point (about a millisecond each): a signal in that window used to
    # find the default action, since the handlers were installed only when the runs began.
    path = write(tmp_path / "sweep.json", {"scenario": TINY, "design": {"type": "lhs", "samples": 20000},
                                           "parameters": {"/trust/gain": {"min": 0.05, "max": 0.3}}})
    out = tmp_path / "out.h5"
    for sig in (signal.SIGINT, signal.SIGTERM):
        process = subprocess.Popen([BINARY, "sweep", path, "-o", str(out), "--no-progress"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        process.send_signal(sig)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 128 + sig, err
        assert "stopped" in err and "nothing was written" in err, err
        assert sorted(os.listdir(tmp_path)) == ["sweep.json"]
