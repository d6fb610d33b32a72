"""`mpirun -np K p3sim calibrate` (builds with P3SIM_MPI; registered in ctest only there): the
posterior file has the same datasets as a calibration on threads whatever the rank count, bad input
is reported once by rank 0, and a file started under MPI resumes on threads."""
import json

import h5py
import pytest

from test_calibrate import assert_same_datasets, calibrate, calibration, write
from test_mpi_sweep import mpirun


@pytest.fixture(scope="module")
def threads_reference(tmp_path_factory):
    directory = tmp_path_factory.mktemp("mpi_calibrate")
    cal = write(directory, calibration(particles=40, generations=4, replications=2))
    return cal, calibrate(cal, directory / "threads.h5", "--threads", "2")


@pytest.mark.parametrize("ranks", [2, 3])
def test_same_posterior_as_on_threads_whatever_the_rank_count(tmp_path, threads_reference, ranks):
    cal, reference = threads_reference
    out = tmp_path / f"mpi{ranks}.h5"
    done = mpirun(ranks, "calibrate", cal, "-o", str(out), "--no-progress", "--threads", "1")
    assert done.returncode == 0, done.stderr
    assert_same_datasets(reference, out)
    with h5py.File(out, "r") as f:
        assert f.attrs["complete"] == 1


def test_bad_input_is_reported_once(tmp_path):
    doc = calibration()
    doc["abc"]["particles"] = 1
    bad = write(tmp_path, doc)
    done = mpirun(3, "calibrate", bad, "-o", str(tmp_path / "x.h5"), "--no-progress")
    assert done.returncode == 2
    assert done.stderr.count("/abc/particles") == 1, done.stderr


def test_progress_lines_come_from_rank_0_only(tmp_path, threads_reference):
    cal, _ = threads_reference
    done = mpirun(3, "calibrate", cal, "-o", str(tmp_path / "p.h5"), "--threads", "1")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("generation 1:") == 1, done.stderr
    assert json.loads(h5py.File(tmp_path / "p.h5", "r").attrs["calibration_json"])["abc"]["particles"] == 40
