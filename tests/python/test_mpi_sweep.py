"""`mpirun -np K p3sim sweep` (builds with P3SIM_MPI; registered in ctest only there): the file has
the same datasets as a single-process sweep whatever the rank count, only rank 0 speaks, a rank that
dies ends the job and leaves a file that --resume completes with another rank count, Ctrl-C
(SIGINT to mpirun) leaves a resumable file, and a worker stopped alone hands its runs to the others."""
import glob
import json
import os
import shutil
import signal
import subprocess
import time

import h5py
import pytest

from test_sweep import BINARY, TINY_SWEEP, DATA, assert_same_datasets, big_sweep, sweep

MPIRUN = shutil.which("mpirun")
# Tests run as root in CI and on a 2-core machine with 3 ranks: allow both. No ptrace-based copies
# (containers often forbid them); ranks on one machine talk through shared memory.
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl_vader_single_copy_mechanism="none", OMPI_MCA_rmaps_base_oversubscribe="1")


def mpirun(ranks, *args, env=None, timeout=300):
    assert MPIRUN, "mpirun not found: scripts/setup installs openmpi-bin"
    return subprocess.run([MPIRUN, "--oversubscribe", "-np", str(ranks), BINARY, *args],
                          capture_output=True, text=True, timeout=timeout, env=env or ENV)


def mpi_sweep(ranks, sweep_file, out, *extra, env=None):
    return mpirun(ranks, "sweep", sweep_file, "-o", str(out), "--no-progress", "--threads", "2", *extra, env=env)


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """200 runs and the file one process writes for them."""
    folder = tmp_path_factory.mktemp("mpi")
    sweep_file = big_sweep(folder, 100)
    return sweep_file, sweep(folder / "single.h5", "--threads", "1", sweep_file=sweep_file)


@pytest.mark.parametrize("ranks", [2, 3])
def test_same_datasets_as_one_process_whatever_the_rank_count(tmp_path, medium, ranks):
    sweep_file, single = medium
    out = tmp_path / f"np{ranks}.h5"
    done = mpi_sweep(ranks, sweep_file, out)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing from the workers, no progress asked for
    assert_same_datasets(single, out)
    with h5py.File(out, "r") as f:
        assert (f["runs/status"][()] == 1).all()
        assert "mpirun" not in f.attrs["command_line"]  # rank 0's own command line, as always


def test_dry_run_and_bad_input_are_reported_once_by_rank_0(tmp_path):
    out = tmp_path / "dry.h5"
    dry = mpirun(3, "sweep", TINY_SWEEP, "-o", str(out), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("6 runs") == 1 and "expected file size" in dry.stdout
    assert not out.exists()
    bad = mpirun(3, "sweep", os.path.join(DATA, "fail_unknown_key.json"), "-o", str(out), "--no-progress")
    assert bad.returncode == 2, bad.stderr
    assert bad.stderr.count("/replication") == 1
    assert not out.exists()


def test_progress_is_reported_by_rank_0(tmp_path, medium):
    sweep_file, _ = medium
    done = mpirun(2, "sweep", sweep_file, "-o", str(tmp_path / "p.h5"), "--threads", "2")
    assert done.returncode == 0, done.stderr
    assert "200" in done.stderr  # the final progress line counts the runs


def test_a_dying_rank_ends_the_job_and_resume_completes_the_file_with_other_rank_counts(tmp_path, medium):
    sweep_file, single = medium
    out = tmp_path / "died.h5"
    # Test hook (docs/cluster.md): rank 2 kills itself with SIGKILL after sending 30 results.
    env = dict(ENV, P3SIM_TEST_MPI_DIE_AFTER="30", P3SIM_TEST_MPI_DIE_RANK="2")
    died = mpi_sweep(3, sweep_file, out, env=env)
    assert died.returncode != 0
    assert "signal 9" in died.stderr or "Killed" in died.stderr, died.stderr  # mpirun names the rank
    with h5py.File(out, "r") as f:  # readable, statuses a valid mix of done and pending
        status = f["runs/status"][()]
        assert set(status) <= {0, 1}
        assert (status == 0).any()
    resumed = mpi_sweep(2, sweep_file, out, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_datasets(single, out)


def slow_sweep(tmp_path):
    """50 runs of about 0.1 s (a large population), so that signals come mid-sweep, and the file one
    process writes for them."""
    sweep_file = big_sweep(tmp_path, 25)
    doc = json.load(open(sweep_file))
    doc["parameters"]["/population/units"] = [150000]
    with open(sweep_file, "w") as f:
        json.dump(doc, f)
    return sweep_file, sweep(tmp_path / "single.h5", "--threads", "2", sweep_file=sweep_file)


def start_three_ranks(sweep_file, out):
    """mpirun -np 3 (two workers of one thread) in the background, returned once OUT exists."""
    proc = subprocess.Popen([MPIRUN, "--oversubscribe", "-np", "3", BINARY, "sweep", sweep_file, "-o", str(out),
                             "--no-progress", "--threads", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not out.exists():
        time.sleep(0.01)
    return proc


def test_interrupted_under_mpirun_resumes_in_one_process(tmp_path):
    sweep_file, single = slow_sweep(tmp_path)
    out = tmp_path / "interrupted.h5"
    proc = start_three_ranks(sweep_file, out)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)  # mpirun passes it on to the ranks as SIGTERM
    _, err = proc.communicate(timeout=120)
    with h5py.File(out, "r") as f:
        status = f["runs/status"][()]
    if (status == 1).all():
        pytest.skip("the sweep finished before the interrupt")
    assert proc.returncode != 0, err
    assert set(status) <= {0, 1}, err
    resumed = sweep(out, "--resume", "--threads", "2", sweep_file=sweep_file)
    assert_same_datasets(single, resumed)


def rank_pid(mpirun_pid, rank):
    """The pid of MPI rank `rank` among mpirun's children (from the rank's environment)."""
    children = [c for task in glob.glob(f"/proc/{mpirun_pid}/task/*/children") for c in open(task).read().split()]
    for child in children:
        try:
            environ = open(f"/proc/{child}/environ", "rb").read().split(b"\0")
        except OSError:
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() in environ:
            return int(child)
    raise AssertionError(f"rank {rank} not found among the children of mpirun")


def test_a_worker_stopped_on_its_own_hands_its_runs_to_the_others(tmp_path):
    sweep_file, single = slow_sweep(tmp_path)
    out = tmp_path / "one_stopped.h5"
    proc = start_three_ranks(sweep_file, out)
    time.sleep(0.3)
    os.kill(rank_pid(proc.pid, 2), signal.SIGTERM)  # as a node's own shutdown would
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert_same_datasets(single, out)
