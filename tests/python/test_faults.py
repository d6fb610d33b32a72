"""Faults around the output file (docs/reliability.md): a directory that cannot be written, a disk
that fills up in the middle of a sweep (RLIMIT_FSIZE), an output file that is not HDF5, a file of
another sweep. Each must give a clear one-line error naming the file, exit code 1 or 2 (never a
crash), and lose no finished run. (kill -9 during a sweep is tested in test_sweep.py.)"""
import json
import os
import resource
import signal
import subprocess

import h5py
import numpy as np
import pytest

from test_sweep import assert_same_datasets, datasets  # bit-for-bit comparison of every dataset

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
TINY_SWEEP = os.path.join(SOURCE, "scenarios", "tiny_sweep.json")


def p3sim(*args, limit=None):
    """Runs p3sim; `limit` is a file size limit in bytes (SIGXFSZ ignored, so writes fail with EFBIG)."""
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=preexec if limit is not None else None)


def assert_clear_failure(done, path):
    """Exit 1 or 2 (not a signal), one error line on stderr, and it names `path` (not the temporary
    file p3sim writes before the output is complete)."""
    assert done.returncode in (1, 2), (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0], done.stderr
    assert ".partial" not in lines[0], done.stderr


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    """The tiny sweep with 1,000 replications (6,000 runs, a second or two): enough events that
    /events grows by several chunks, so a file size limit can stop it in the middle."""
    doc = json.load(open(TINY_SWEEP))
    doc["scenario"] = TINY
    doc["replications"] = 1000
    path = tmp_path_factory.mktemp("faults") / "sweep.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.fixture(scope="module")
def reference(sweep_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "reference.h5"
    done = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--threads", "2")
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("where", ["parent_is_a_file", "proc"])
@pytest.mark.parametrize("command", ["run", "sweep"])
def test_output_directory_not_writable(tmp_path, where, command):
    # Root ignores permission bits, so the directory is one nobody can create files in.
    if where == "proc":
        out = "/proc/p3sim_fault_test.h5"
    else:
        blocker = tmp_path / "blocker"
        blocker.write_text("a regular file, not a directory")
        out = str(blocker / "out.h5")
    extra = ["--seed", "1", "--quiet"] if command == "run" else ["--no-progress"]
    done = p3sim(command, TINY if command == "run" else TINY_SWEEP, "-o", out, *extra)
    assert_clear_failure(done, out)
    assert not os.path.exists(out)


def test_disk_full_in_the_middle_of_a_sweep_keeps_the_runs_written(tmp_path, sweep_file, reference):
    size = os.path.getsize(reference)
    out = tmp_path / "full.h5"
    # The file's structure is written in full at creation; the limit stops it while /events grows.
    done = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--threads", "2", limit=int(0.96 * size))
    assert_clear_failure(done, out)
    ref = datasets(reference)
    with h5py.File(out, "r") as f:  # readable
        status = f["runs/status"][()]
        written = status == 1
        assert 0 < written.sum() < len(status)
        for name in ["final/outcome", "final/acceptability", "series/trust"]:
            assert f[name][()][written].tobytes() == ref[name][written].tobytes(), name
    resumed = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--resume", "--threads", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_datasets(reference, out)


def test_disk_full_while_creating_the_file_leaves_nothing(tmp_path, sweep_file, reference):
    out = tmp_path / "early.h5"
    done = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", limit=int(0.3 * os.path.getsize(reference)))
    assert_clear_failure(done, out)
    assert not out.exists() and not os.path.exists(str(out) + ".partial")
    resumed = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--resume", "--threads", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_datasets(reference, out)


def test_disk_full_during_a_single_run_leaves_nothing(tmp_path):
    out = tmp_path / "run.h5"
    done = p3sim("run", TINY, "--seed", "3", "-o", str(out), "--quiet", limit=4096)
    assert_clear_failure(done, out)
    assert not out.exists() and not os.path.exists(str(out) + ".partial")


@pytest.mark.parametrize("command", [
    ["run", TINY, "--seed", "3", "--quiet"],
    ["sweep", TINY_SWEEP, "--no-progress"],
    ["compare", TINY, "--vary", "/trust/gain=0.1,0.2", "-r", "2", "--seed", "1"],
])
def test_no_space_at_all_leaves_nothing(tmp_path, command):
    # With 0 bytes free HDF5 cannot write the superblock: the empty OUT.h5.partial it had created
    # was left behind (issue 20).
    out = tmp_path / "zero.h5"
    done = p3sim(*command, "-o", str(out), limit=0)
    assert done.returncode == 1, done.stderr
    assert str(out) in done.stderr.splitlines()[-1] and ".partial" not in done.stderr
    assert sorted(os.listdir(tmp_path)) == []


@pytest.mark.parametrize("extra", [[], ["--resume"]])
def test_output_file_that_is_not_hdf5_is_left_alone(tmp_path, extra):
    out = tmp_path / "notes.h5"
    out.write_bytes(b"my notes, not an HDF5 file\n" * 10)
    before = out.read_bytes()
    done = p3sim("sweep", TINY_SWEEP, "-o", str(out), "--no-progress", *extra)
    assert_clear_failure(done, out)
    assert out.read_bytes() == before


def test_single_run_over_a_file_that_is_not_hdf5_is_refused(tmp_path):
    out = tmp_path / "notes.h5"
    out.write_bytes(b"not HDF5")
    done = p3sim("run", TINY, "--seed", "1", "-o", str(out), "--quiet")
    assert_clear_failure(done, out)
    assert out.read_bytes() == b"not HDF5"


def test_resume_with_the_file_of_another_sweep_is_refused_and_changes_nothing(tmp_path, sweep_file, reference):
    other = json.load(open(sweep_file))
    other["seed"] = 1
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    before = reference.read_bytes()
    done = p3sim("sweep", str(path), "-o", str(reference), "--resume", "--no-progress")
    assert done.returncode == 2, done.stderr
    assert str(reference) in done.stderr
    assert reference.read_bytes() == before


@pytest.mark.parametrize("damage", ["/runs/status", "/final/outcome", "truncate"])
def test_resume_and_summarize_of_a_damaged_file_name_the_file(tmp_path, damage):
    # HDF5's message names a dataset ("cannot open dataset '/runs/status'"), not the file (issue 20).
    out = tmp_path / "damaged.h5"
    assert p3sim("sweep", TINY_SWEEP, "-o", str(out), "--no-progress").returncode == 0
    if damage == "truncate":
        os.truncate(out, os.path.getsize(out) // 2)
    else:
        with h5py.File(out, "a") as f:
            del f[damage]
    for done in (p3sim("sweep", TINY_SWEEP, "-o", str(out), "--no-progress", "--resume"),
                 p3sim("summarize", str(out))):
        assert_clear_failure(done, out)


@pytest.mark.parametrize("dataset", ["/final/outcome", "/params/governance.mode", "/runs/status",
                                     "/series/outcome", "/org_final/member", "/orgs/sector_index"])
def test_a_dataset_of_the_wrong_shape_is_a_damaged_file_not_a_read_past_its_end(tmp_path, dataset):
    # Found by fuzz_command_summarize: /final/outcome one element short was read past its end
    # (heap-buffer-overflow under ASan; garbage in the summary otherwise).
    out = tmp_path / "short.h5"
    assert p3sim("sweep", TINY_SWEEP, "-o", str(out), "--no-progress").returncode == 0
    with h5py.File(out, "a") as f:
        data = f[dataset][()]
        attrs = dict(f[dataset].attrs)
        del f[dataset]
        f[dataset] = data[:-1]  # one element (or row) short
        for key, value in attrs.items():
            if key not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"):
                f[dataset].attrs[key] = value
    for args in (["summarize", str(out)], ["summarize", str(out), "--json"],
                 ["summarize", str(out), "--by", "governance.mode"]):
        done = p3sim(*args)
        assert_clear_failure(done, out)
        assert "damaged" in done.stderr or "not_p3sim_file" in done.stderr, done.stderr


@pytest.mark.parametrize("steps", [2**31 - 1, 100001, -1])
def test_a_file_claiming_impossible_steps_is_refused_at_once(tmp_path, steps):
    # Found by fuzz_command_summarize: a `steps` attribute of 2^31 - 1 made summarize allocate the
    # list of recorded steps for minutes before it died of std::bad_alloc.
    out = tmp_path / "steps.h5"
    assert p3sim("sweep", TINY_SWEEP, "-o", str(out), "--no-progress").returncode == 0
    with h5py.File(out, "a") as f:
        f.attrs["steps"] = np.int32(steps)
    for args in (["summarize", str(out)], ["sweep", TINY_SWEEP, "-o", str(out), "--resume", "--no-progress"]):
        done = p3sim(*args)
        assert_clear_failure(done, out)
        assert "steps must be in [0, 100000]" in done.stderr, done.stderr
