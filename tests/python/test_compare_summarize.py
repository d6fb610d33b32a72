"""`p3sim compare` and `p3sim summarize` end to end: exit codes, --json structure, common random
numbers, the HDF5 file written by compare -o and its summary.

Run by ctest with P3SIM_BINARY and P3SIM_SOURCE_DIR set; falls back to the default build tree when
run by hand from the repository.
"""
import json
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("P3SIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("P3SIM_BINARY", str(SOURCE / "build" / "p3sim"))
TINY = str(SOURCE / "scenarios" / "tiny_partnership.json")
SHORT = ["--set", "/steps=12"]  # keeps the runs quick; the statistics do not care


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300)


def compare_json(*args):
    result = run("compare", TINY, *SHORT, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_structure_and_known_effect():
    j = compare_json("--vary", "/population/degree=2,8", "--replications", "8", "--seed", "5",
                     "--metric", "outcome", "--metric", "adopters")
    assert j["parameter"] == "/population/degree"
    assert j["values"] == ["2", "8"]
    assert j["replications"] == 8
    assert j["seed"] == 5
    assert j["primary_metric"] == "outcome"
    assert sorted(j["metrics"]) == ["adopters", "outcome"]
    base, high = j["metrics"]["outcome"]
    assert base["difference"] is None
    assert base["n"] == 8 and len(base["ci"]) == 2
    assert high["difference"]["estimate"] > 0
    lo, hi = high["difference"]["ci"]
    assert lo <= high["difference"]["estimate"] <= hi


def test_identical_variants_differ_by_zero():
    j = compare_json("--vary", "/production/productivity=1.0,1.0", "--replications", "4", "--seed", "9")
    for name, rows in j["metrics"].items():
        diff = rows[1]["difference"]
        if diff["n"] == 0:
            continue
        assert diff["estimate"] == 0, name
        if diff["kind"] == "share":  # Newcombe's interval keeps a width without discordant pairs
            assert diff["ci"][0] < 0 < diff["ci"][1], name
        else:
            assert diff["half_width"] == 0, name


def test_thread_count_does_not_change_results():
    args = ["--vary", "/population/degree=2,8", "--replications", "6", "--seed", "17"]
    assert compare_json(*args, "--threads", "1")["metrics"] == compare_json(*args, "--threads", "3")["metrics"]


def test_until_ci_reaches_the_width():
    j = compare_json("--vary", "/population/degree=2,8", "--replications", "4", "--seed", "3",
                     "--metric", "outcome")
    width = j["metrics"]["outcome"][1]["difference"]["half_width"] / 2
    k = compare_json("--vary", "/population/degree=2,8", "--replications", "4", "--seed", "3",
                     "--metric", "outcome", "--until-ci", str(width))
    assert k["target_reached"]
    assert k["replications"] > 4
    assert k["metrics"]["outcome"][1]["difference"]["half_width"] < width


def test_until_ci_on_a_share_stops_on_the_newcombe_interval():
    args = ["--vary", "/governance/mode=backbone,isolated", "--replications", "4", "--seed", "3",
            "--metric", "goal_reached"]
    first = compare_json(*args)["metrics"]["goal_reached"][1]["difference"]
    assert first["method"] == "newcombe10"
    width = first["half_width"] * 0.6
    k = compare_json(*args, "--until-ci", str(width))
    diff = k["metrics"]["goal_reached"][1]["difference"]
    assert k["target_reached"] and k["replications"] > 4
    lo, hi = diff["ci"]
    assert diff["half_width"] == pytest.approx((hi - lo) / 2)
    assert diff["half_width"] < width
    assert -1 <= lo <= diff["estimate"] <= hi <= 1


def test_a_variant_that_reaches_the_goal_less_often_is_not_called_faster():
    colombia = str(SOURCE / "scenarios" / "colombia_crop_substitution.json")
    done = run("compare", colombia, "--vary", "/governance/mode=backbone,constellation", "--seed", "1",
               "--replications", "20", "--metric", "time_to_goal", "--json")
    assert done.returncode == 0, done.stderr
    backbone, constellation = json.loads(done.stdout)["metrics"]["time_to_goal"]
    assert constellation["reached"] < backbone["reached"]
    assert constellation["estimate"] > backbone["estimate"]  # restricted mean: never counts the horizon
    diff = constellation["difference"]
    assert diff["method"] == "restricted_mean_paired_t"
    assert diff["ci"][0] > 0, "later, not faster"
    assert diff["share_reached_difference"]["estimate"] < 0


@pytest.mark.parametrize("args", [
    ["--vary", "/production/productivity"],
    ["--vary", "/production/productivity=1.0"],
    ["--vary", "/production/productivity=0.5,1.0", "--metric", "nope"],
    ["--vary", "/production/productivity=0.5,-3"],
    ["--vary", "/production/productivity=0.5,1.0", "--replications", "1"],
])
def test_bad_input_exits_2(args):
    result = run("compare", TINY, *SHORT, *args)
    assert result.returncode == 2, result.stdout + result.stderr


def test_compare_output_and_summarize(tmp_path):
    out = tmp_path / "cmp.h5"
    result = run("compare", TINY, *SHORT, "--vary", "/production/productivity=0.5,1.0", "--replications", "5",
                 "--seed", "21", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists()
    # Refuses to clobber.
    again = run("compare", TINY, *SHORT, "--vary", "/production/productivity=0.5,1.0", "--replications", "5",
                "--seed", "21", "-o", str(out))
    assert again.returncode == 2

    summary = run("summarize", str(out), "--by", "production.productivity", "--metric", "outcome")
    assert summary.returncode == 0, summary.stderr
    lines = [line.split() for line in summary.stdout.splitlines()]
    groups = [line for line in lines if line and line[0] in ("0.5", "1.0")]
    assert [g[0] for g in groups] == ["0.5", "1.0"]
    assert all(g[1] == "5" for g in groups)

    by_pointer = run("summarize", str(out), "--by", "/production/productivity", "--metric", "outcome")
    assert by_pointer.stdout == summary.stdout

    missing = run("summarize", str(out), "--by", "governance.mode")
    assert missing.returncode == 2
    assert "production.productivity" in missing.stderr


def test_summarize_rejects_non_p3sim_files(tmp_path):
    junk = tmp_path / "junk.h5"
    junk.write_text("not hdf5")
    assert run("summarize", str(junk)).returncode == 2
    assert run("summarize", str(tmp_path / "absent.h5")).returncode == 2


def test_summarize_names_the_string_levels_of_a_sweep(tmp_path):
    out = tmp_path / "sweep.h5"
    done = run("sweep", str(SOURCE / "scenarios" / "tiny_sweep.json"), "-o", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    summary = run("summarize", str(out), "--by", "/governance/mode", "--metric", "adopters")
    assert summary.returncode == 0, summary.stderr
    groups = [line.split()[0] for line in summary.stdout.splitlines()[5:] if line.strip()]
    assert groups == ["backbone", "constellation"], summary.stdout
