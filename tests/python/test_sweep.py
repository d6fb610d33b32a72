"""`p3sim sweep` end to end: counts, run order, common random numbers, identical files whatever
--threads, dry runs that write nothing, bad sweeps refused with exit code 2, and --resume."""
import json
import os
import random
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY_SWEEP = os.path.join(SOURCE, "scenarios", "tiny_sweep.json")
DATA = os.path.join(SOURCE, "tests", "data", "sweeps")


def p3sim(*args, timeout=300):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def sweep(out, *extra, sweep_file=TINY_SWEEP):
    done = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", *extra)
    assert done.returncode == 0, done.stderr
    return out


def datasets(path):
    """Every dataset of the file as {name: numpy array} (compound /events included)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def assert_same_datasets(a, b):
    da, db = datasets(a), datasets(b)
    assert sorted(da) == sorted(db)
    for name in da:
        x, y = da[name], db[name]
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            assert x.tobytes() == y.tobytes(), name  # bit for bit, NaN included
        else:
            assert np.array_equal(x, y), name


@pytest.fixture(scope="module")
def one_thread(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("sweep") / "t1.h5", "--threads", "1")


def test_runs_are_replicate_major_with_common_seeds(one_thread):
    with h5py.File(one_thread, "r") as f:
        point = f["runs/point"][()]
        replicate = f["runs/replicate"][()]
        seed = f["runs/seed"][()]
        status = f["runs/status"][()]
        mode = f["params/governance.mode"][()]
        assert len(point) == 2 * 3
        assert list(point) == [0, 1, 0, 1, 0, 1]
        assert list(replicate) == [0, 0, 1, 1, 2, 2]
        assert (status == 1).all()
        assert list(mode) == [0, 1, 0, 1, 0, 1]  # string levels stored as their index
        for r in range(3):
            assert seed[2 * r] == seed[2 * r + 1]  # same replicate, same random numbers
        assert len(set(seed)) == 3
        assert f.attrs["master_seed"] == 20261124
        stored = json.loads(f.attrs["sweep_json"])
        assert stored["replications"] == 3
        assert stored["design"] == "grid" and stored["pitfalls"] == [[]]  # defaults made explicit
        assert stored["record"]["every"] == 1
        assert json.loads(f.attrs["scenario_json"])["name"] == "tiny_partnership"
        assert f["series/outcome"].shape == (6, 25)


@pytest.mark.parametrize("threads", ["2", "8"])
def test_files_identical_whatever_the_thread_count(one_thread, tmp_path, threads):
    assert_same_datasets(one_thread, sweep(tmp_path / "tn.h5", "--threads", threads))


def test_dry_run_writes_nothing(tmp_path):
    out = tmp_path / "dry.h5"
    done = p3sim("sweep", TINY_SWEEP, "-o", str(out), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "6 runs" in done.stdout
    assert "expected file size" in done.stdout and "ms per run" in done.stdout
    assert not out.exists()


def test_existing_output_is_not_clobbered(one_thread):
    done = p3sim("sweep", TINY_SWEEP, "-o", str(one_thread), "--no-progress")
    assert done.returncode == 2
    assert "--overwrite" in done.stderr


@pytest.mark.parametrize("name,needle", [("fail_unknown_key.json", "/replication"),
                                         ("fail_too_many_runs.json", "too_many_runs"),
                                         ("fail_bad_level.json", "hierarchy")])
def test_bad_sweeps_exit_2_and_write_nothing(tmp_path, name, needle):
    out = tmp_path / "bad.h5"
    done = p3sim("sweep", os.path.join(DATA, name), "-o", str(out), "--no-progress")
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr
    assert not out.exists()


def test_validate_recognizes_sweeps():
    good = p3sim("validate", TINY_SWEEP, os.path.join(DATA, "pass_grid_pitfalls.json"))
    assert good.returncode == 0, good.stderr
    assert good.stdout.count(": ok") == 2
    bad = p3sim("validate", os.path.join(DATA, "fail_bad_level.json"))
    assert bad.returncode == 2
    assert "/governance/mode" in bad.stderr and "hierarchy" in bad.stderr


def test_schema_sweep_accepts_the_bundled_sweeps_and_rejects_bad_ones():
    jsonschema = pytest.importorskip("jsonschema")
    done = p3sim("schema", "sweep")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in [TINY_SWEEP, os.path.join(DATA, "pass_grid_pitfalls.json"), os.path.join(DATA, "pass_lhs_inline.json")]:
        validator.validate(json.load(open(path)))
    for name in ["fail_unknown_key.json", "fail_types.json"]:
        assert not validator.is_valid(json.load(open(os.path.join(DATA, name)))), name


def big_sweep(tmp_path, replications):
    doc = json.load(open(TINY_SWEEP))
    doc["scenario"] = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
    doc["replications"] = replications
    path = tmp_path / "big_sweep.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.fixture(scope="module")
def long_sweep(tmp_path_factory):
    """A sweep of a few thousand runs (a few seconds) and its uninterrupted result file."""
    folder = tmp_path_factory.mktemp("long")
    sweep_file = big_sweep(folder, 1500)
    start = time.monotonic()
    reference = sweep(folder / "reference.h5", "--threads", "2", sweep_file=sweep_file)
    return sweep_file, reference, time.monotonic() - start


def interrupted(sweep_file, out, delay, how):
    proc = subprocess.Popen([BINARY, "sweep", sweep_file, "-o", str(out), "--no-progress", "--threads", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    if how == "kill":
        proc.kill()
    else:
        proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode()


def killed_at(sweep_file, out, delay, after_file):
    """Starts the sweep, waits `delay` seconds (counted from when its file appears if
    `after_file`), kills it with SIGKILL and returns its exit code."""
    proc = subprocess.Popen([BINARY, "sweep", sweep_file, "-o", str(out), "--no-progress", "--threads", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while after_file and not out.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    proc.kill()
    return proc.wait(timeout=60)


def test_resume_after_kill_gives_the_uninterrupted_file(tmp_path, long_sweep):
    """kill -9 at ten random moments of a sweep: one right at the start (before its file exists),
    nine while it runs; each time --resume must complete the file to exactly the uninterrupted
    sweep's datasets."""
    sweep_file, reference, seconds = long_sweep
    rng = random.Random(20261125)
    moments = [(0.0, False)] + [(rng.uniform(0.0, 0.8) * seconds, True) for _ in range(9)]
    outcomes = []
    for trial, (delay, after_file) in enumerate(moments):
        out = tmp_path / f"killed{trial}.h5"
        code = killed_at(sweep_file, out, delay, after_file)
        if code == 0:
            outcomes.append("finished")
            continue
        assert code == -signal.SIGKILL
        if out.exists():
            with h5py.File(out, "r") as f:  # readable, whenever the kill came
                outcomes.append(int((f["runs/status"][()] == 1).sum()))
        else:
            outcomes.append("before the file")
        # --resume also starts a sweep killed before its file existed.
        resumed = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--resume", "--threads", "2")
        assert resumed.returncode == 0, f"trial {trial} (killed after {delay:.2f} s): {resumed.stderr}"
        assert_same_datasets(reference, out)
        out.unlink()
    # Most kills came mid-sweep (runs done per trial; 0 when the kill came before the first write,
    # which a machine busier than when the reference ran makes more likely).
    assert sum(isinstance(o, int) for o in outcomes) >= 4, outcomes


def test_a_second_interrupt_stops_at_once_and_the_file_still_resumes(tmp_path):
    # Runs slow enough (a large population) that the clean stop after the first SIGINT is still
    # waiting for the runs in flight when the second arrives.
    doc = json.load(open(TINY_SWEEP))
    doc["scenario"] = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
    doc["replications"] = 2
    doc["parameters"]["/population/units"] = [1000000]  # about 0.5 s a run at -O2
    sweep_file = tmp_path / "slow.json"
    sweep_file.write_text(json.dumps(doc))
    reference = sweep(tmp_path / "reference.h5", "--threads", "2", sweep_file=str(sweep_file))
    out = tmp_path / "twice.h5"
    # The first SIGINT must come while runs are in flight: right after the file appears the workers
    # may not have taken a run yet (under ThreadSanitizer that gap is long), and a sweep with
    # nothing in flight stops at once, before a second signal can come. So the first signal waits a
    # little after the file, and later again if the sweep had already stopped.
    for wait in (0.1, 0.3, 0.6, 1.0):
        if out.exists():
            out.unlink()
        proc = subprocess.Popen([BINARY, "sweep", str(sweep_file), "-o", str(out), "--no-progress", "--threads", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(wait)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
        if proc.poll() is None:
            break
        proc.communicate()
    else:
        pytest.fail("every sweep had stopped before its second interrupt could come")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGINT, err
    assert "second interrupt" in err.decode()
    with h5py.File(out, "r") as f:
        assert (f["runs/status"][()] == 1).sum() < 4
    resumed = p3sim("sweep", str(sweep_file), "-o", str(out), "--no-progress", "--resume", "--threads", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_datasets(reference, out)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_leave_a_valid_resumable_file(tmp_path, long_sweep, sig):
    sweep_file, reference, seconds = long_sweep
    out = tmp_path / "stopped.h5"
    # Signalled about half way; on a machine busier than when the reference ran, the signal may
    # come before the first runs are written, so it is then sent later.
    done, status = 0, []
    for fraction in (0.4, 0.6, 0.8):
        code, err = interrupted(sweep_file, out, fraction * seconds, sig)
        if code == 0:
            pytest.skip("the sweep finished before the signal")
        assert code == 128 + sig, err  # 130 for SIGINT, 143 for SIGTERM: stopped, not failed
        assert "p3sim: stopped: " in err and "error" not in err
        assert "--resume" in err
        if not out.exists():  # stopped before its file was made
            continue
        with h5py.File(out, "r") as f:
            status = f["runs/status"][()]
        done = int((status == 1).sum())
        if done > 0:
            break
        out.unlink()
    assert 0 < done < len(status), "no signal came between the first write and the end"
    assert (status[:done] == 1).all() and (status[done:] == 0).all()  # a prefix, in run order
    resumed = p3sim("sweep", sweep_file, "-o", str(out), "--no-progress", "--resume", "--threads", "1")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_datasets(reference, out)


def test_resume_refuses_another_sweep(tmp_path, one_thread):
    other = json.load(open(TINY_SWEEP))
    other["scenario"] = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
    other["seed"] = 1
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    done = p3sim("sweep", str(path), "-o", str(one_thread), "--resume", "--no-progress")
    assert done.returncode == 2
    assert "resume_mismatch" in done.stderr
