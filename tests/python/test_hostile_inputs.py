"""Inputs of hostile shape are refused with exit 2 and an error naming the place, by every command
that reads them; none crashes (issue 20: a document nested 100,000 levels deep killed `run` with
SIGSEGV while `validate` refused it; an 18,000-segment JSON Pointer crashed the wildcard walk)."""
import json
import os
import subprocess

import pytest

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
DEEP = "[" * 100000 + "]" * 100000


def p3sim(*args, cwd=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture()
def deep_scenario(tmp_path):
    text = open(TINY, encoding="utf-8").read().rstrip()
    assert text.endswith("}")
    path = tmp_path / "deep.json"
    path.write_text(text[:-1] + ', "description": ' + DEEP + "}", encoding="utf-8")
    return str(path)


def assert_refused(done, what="too_deep"):
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert f"error[{what}]" in done.stderr


def test_a_deeply_nested_scenario_is_refused_by_every_command(deep_scenario, tmp_path):
    assert_refused(p3sim("validate", deep_scenario))
    assert_refused(p3sim("run", deep_scenario, "--quiet"))
    assert_refused(p3sim("run", deep_scenario, "--json"))
    assert_refused(p3sim("run", deep_scenario, "-o", str(tmp_path / "x.h5")))
    assert_refused(p3sim("compare", deep_scenario, "--vary", "/steps=2,3", "-r", "2"))
    sweep = tmp_path / "sweep.json"
    sweep.write_text(json.dumps({"scenario": deep_scenario, "replications": 1, "seed": 1}), encoding="utf-8")
    assert_refused(p3sim("sweep", str(sweep), "-o", str(tmp_path / "s.h5"), "--no-progress"))
    assert not (tmp_path / "s.h5").exists() and not (tmp_path / "x.h5").exists()


def test_a_deeply_nested_sweep_file_is_refused(tmp_path):
    sweep = tmp_path / "sweep.json"
    sweep.write_text('{"scenario": "%s", "replications": 1, "seed": 1, "parameters": {"/steps": [%s]}}'
                     % (TINY, DEEP), encoding="utf-8")
    assert_refused(p3sim("sweep", str(sweep), "-o", str(tmp_path / "s.h5"), "--no-progress"))
    assert_refused(p3sim("validate", str(sweep)))


def test_a_deeply_nested_set_value_is_refused():
    deep = "[" * 20000 + "]" * 20000  # within the command-line length limit
    assert_refused(p3sim("run", TINY, "--quiet", "--set", "/description=" + deep))


def test_a_pointer_longer_than_any_document_is_refused(tmp_path):
    pointer = "/*" * 18000
    done = p3sim("run", TINY, "--quiet", "--set", pointer + "=1")
    assert done.returncode == 2, done.stderr[-300:]
    done = p3sim("compare", TINY, "--vary", pointer + "=1,2", "-r", "2")
    assert done.returncode == 2, done.stderr[-300:]
    sweep = tmp_path / "sweep.json"
    sweep.write_text(json.dumps({"scenario": TINY, "replications": 1, "seed": 1,
                                 "parameters": {pointer: [1, 2]}}), encoding="utf-8")
    done = p3sim("sweep", str(sweep), "-o", str(tmp_path / "s.h5"), "--no-progress")
    assert done.returncode == 2, done.stderr[-300:]


def test_list_names_a_bad_file_and_lists_the_others(tmp_path):
    good = json.load(open(TINY, encoding="utf-8"))
    (tmp_path / "good.json").write_text(json.dumps(good), encoding="utf-8")
    bad = dict(good, steps="twelve")
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "deep.json").write_text(DEEP, encoding="utf-8")
    done = p3sim("list", "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert good["name"] in done.stdout
    assert "deep.json" in done.stdout and "cannot read" in done.stdout
    # JSON that is neither a scenario nor a sweep was left out without a word.
    (tmp_path / "array.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    done = p3sim("list", "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("array.json", "other.json"):
        assert f"{name}" in done.stdout and f"neither a scenario nor a sweep: run p3sim validate {name}" in done.stdout


@pytest.mark.parametrize("command", [["validate"], ["run", "--quiet"],
                                     ["compare", "--vary", "/trust/gain=0.1,0.2", "-r", "2"]])
def test_a_nul_in_a_key_does_not_cut_the_message(tmp_path, command):
    # Found by fuzz_command_compare: the pointer held a raw NUL, and the printed message (a C string)
    # ended there, before its error[id]. Control characters are written as \u00XX.
    path = tmp_path / "nul.json"
    path.write_text('{"name": "x", "governanc\\u0000e": 1}')
    done = p3sim(command[0], str(path), *command[1:])
    assert done.returncode == 2, done.stderr
    assert "/governanc\\u0000e: error[unknown_key]" in done.stderr, done.stderr
    assert "\x00" not in done.stderr
