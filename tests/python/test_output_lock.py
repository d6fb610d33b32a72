"""One writer per result file, with HDF5's own file locking switched off as on Lustre and NFS
(issue 20: three concurrent --resume of one killed sweep all exited 0 and scrambled /events)."""
import json
import os
import subprocess
import time

import h5py

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
NO_HDF5_LOCKS = dict(os.environ, HDF5_USE_FILE_LOCKING="FALSE")


def p3sim(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300, env=NO_HDF5_LOCKS)


def slow_sweep(tmp_path):
    doc = {"scenario": os.path.join(SOURCE, "scenarios", "tiny_partnership.json"), "replications": 3, "seed": 4,
           "steps": 24, "parameters": {"/population/units": [1000000]}}  # about half a second a run
    path = tmp_path / "slow.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_a_second_writer_is_refused_while_the_first_runs(tmp_path):
    sweep_file, out = slow_sweep(tmp_path), tmp_path / "out.h5"
    first = subprocess.Popen([BINARY, "sweep", sweep_file, "-o", str(out), "--no-progress", "--threads", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=NO_HDF5_LOCKS)
    deadline = time.monotonic() + 60
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert out.exists()
    refusals = [p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--resume"),
                p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--overwrite"),
                p3sim("run", os.path.join(SOURCE, "scenarios", "tiny_partnership.json"), "-o", str(out),
                      "--overwrite", "--quiet", "--seed", "1")]
    summary = p3sim("summarize", str(out))
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err.decode()
    for done in refusals:
        assert done.returncode == 1, done.stderr
        assert "is being written by another p3sim (process %d)" % first.pid in done.stderr, done.stderr
    # summarize either read the file between writes or named the writer; it never calls the file foreign
    assert summary.returncode == 0 or "being written by p3sim" in summary.stderr, summary.stderr
    assert not os.path.exists(str(out) + ".lock"), "the lock file is removed when the writer is done"
    with h5py.File(out, "r") as f:
        assert (f["runs/status"][()] == 1).all()
        runs = f["events"]["run"]
        assert (runs[1:] >= runs[:-1]).all(), "events in run order"


def test_a_stale_lock_file_does_not_block(tmp_path):
    sweep_file, out = slow_sweep(tmp_path), tmp_path / "out.h5"
    (tmp_path / "out.h5.lock").write_text("999999\n")  # left by a writer killed with -9
    done = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "out.h5.lock").exists()
