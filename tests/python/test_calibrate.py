"""`p3sim calibrate`: ABC-SMC on the sweep machinery (docs/calibration.md).

The same posterior whatever the thread count, a resumed calibration equal to one never stopped,
importance weights that return the prior when the data say nothing, a target the model cannot
reach reported as a poor fit, and the file's checks. Recovery of known parameters with nominal
coverage is in test_calibrate_coverage.py (normal build only: it runs some 10,000 runs).
"""
import json
import os
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest
from scipy import stats

from test_sweep import assert_same_datasets

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")


def p3sim(*args, timeout=300):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def calibration(**abc):
    """Two parameters of the tiny scenario against three adoption counts and the relapsed units."""
    settings = {"particles": 60, "generations": 4}
    settings.update(abc)
    return {"scenario": TINY, "seed": 5,
            "parameters": {"/population/b_neighbors": {"distribution": "uniform", "low": 0.02, "high": 0.3},
                           "/population/relapse": {"distribution": "log_uniform", "low": 0.005, "high": 0.1}},
            "targets": [{"series": "adopters", "steps": [12, 24, 36], "values": [300, 700, 1000]},
                        {"final": "relapsed", "value": 60, "sd": 20}],
            "abc": settings}


def write(tmp_path, doc, name="cal.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def calibrate(cal, out, *extra):
    done = p3sim("calibrate", cal, "-o", str(out), "--no-progress", *extra)
    assert done.returncode == 0, done.stderr
    return str(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The calibration on one thread, never interrupted."""
    directory = tmp_path_factory.mktemp("calibrate")
    cal = write(directory, calibration())
    return cal, calibrate(cal, directory / "one.h5", "--threads", "1")


def test_file_holds_every_generation_and_the_provenance(reference):
    cal, path = reference
    with h5py.File(path, "r") as f:
        assert f.attrs["file_kind"] == "calibration"
        assert f.attrs["calibration_format_version"] == 1
        assert f.attrs["complete"] == 1 and f.attrs["stop_reason"] == "generations"
        stored = json.loads(f.attrs["calibration_json"])
        assert stored["abc"]["quantile"] == 0.5 and stored["abc"]["particles"] == 60  # defaults explicit
        assert json.loads(f.attrs["scenario_json"])["name"] == "tiny_partnership"
        assert [n.decode() if isinstance(n, bytes) else n for n in f["parameters/name"][()]] == [
            "/population/b_neighbors", "/population/relapse"]
        assert f["particles/value"].shape == (4, 60, 2)
        assert f["particles/statistics"].shape == (4, 60, 4)
        weights = f["particles/weight"][()]
        assert np.allclose(weights.sum(axis=1), 1)
        tolerance = f["generations/tolerance"][()]
        assert np.isinf(tolerance[0]) and np.all(np.diff(tolerance[1:]) <= 0)  # tolerances shrink
        distances = f["particles/distance"][()]
        assert np.all(distances[1:] <= tolerance[1:, None])  # every particle within its tolerance
        attempts, simulated = f["generations/attempts"][()], f["generations/simulated"][()]
        assert simulated[0] == 60 and np.all(simulated[1:] >= 60) and np.all(attempts >= simulated)
        assert np.all(f["generations/simulations"][()] == simulated)  # one replication
        # the observed relapsed count has its sd as scale; the adoption counts the spread of generation 0
        assert f["targets/scale"][3] == 20 and np.all(f["targets/scale"][:3] > 0)
        # the posterior is narrower than the prior on the parameter the data inform
        first, last = f["particles/value"][0, :, 0], f["particles/value"][-1, :, 0]
        assert np.std(last) < 0.8 * np.std(first)


def test_same_posterior_whatever_the_thread_count(reference, tmp_path):
    cal, one = reference
    assert_same_datasets(one, calibrate(cal, tmp_path / "three.h5", "--threads", "3"))


def _wait_for_generations(path, count, process, limit=120):
    deadline = time.time() + limit
    while time.time() < deadline:
        assert process.poll() is None, "the calibration ended before it could be interrupted"
        try:
            with h5py.File(path, "r") as f:
                if f["generations/tolerance"].shape[0] >= count:
                    return
        except (OSError, KeyError):
            pass
        time.sleep(0.02)
    raise AssertionError("no generation appeared")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_resume_after_a_stop_gives_the_same_posterior(reference, tmp_path, how):
    cal, one = reference
    # A slower calibration of the same kind, so that the stop falls inside a generation.
    slow = write(tmp_path, calibration(particles=60, generations=6, replications=3), "slow.json")
    ref = calibrate(slow, tmp_path / "ref.h5", "--threads", "2")
    out = tmp_path / "stopped.h5"
    process = subprocess.Popen([BINARY, "calibrate", slow, "-o", str(out), "--no-progress", "--threads", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_generations(out, 2, process)
    process.send_signal(how)
    _, err = process.communicate(timeout=120)
    assert process.returncode != 0
    if how == signal.SIGINT:
        assert "--resume" in err, err
    with h5py.File(out, "r") as f:
        kept = f["generations/tolerance"].shape[0]
        assert f.attrs["complete"] == 0 and 2 <= kept < 6
    done = p3sim("calibrate", slow, "-o", str(out), "--no-progress", "--threads", "1", "--resume")
    assert done.returncode == 0, done.stderr
    assert f"after generation {kept - 1}" in done.stderr
    assert_same_datasets(ref, out)
    again = p3sim("calibrate", slow, "-o", str(out), "--resume")
    assert again.returncode == 0 and "nothing to resume" in again.stderr


def test_resume_refuses_a_file_of_another_calibration(reference, tmp_path):
    _, one = reference
    other = write(tmp_path, calibration(particles=61))
    done = p3sim("calibrate", other, "-o", one, "--resume")
    assert done.returncode == 2 and "resume_mismatch" in done.stderr


def test_uninformative_data_return_the_prior(tmp_path):
    """The target is the adoption at step 0, the same in every run: every distance is 0 and every
    proposal is accepted, so after several generations of perturbation the weighted particles
    must still follow the prior -- which they do only if the importance weights are right (without
    them the kernel would have spread the particles well beyond the prior)."""
    doc = {"scenario": TINY, "seed": 2, "steps": 1,
           "parameters": {"/population/b_neighbors": {"distribution": "normal", "mean": 0.1, "sd": 0.03,
                                                      "low": 0.02, "high": 0.3},
                          "/population/relapse": {"distribution": "log_uniform", "low": 0.001, "high": 0.1},
                          "/governance/mode": {"distribution": "categorical", "levels": ["backbone", "network"],
                                               "probabilities": [0.25, 0.75]}},
           "targets": [{"series": "adopters", "step": 0, "value": 0}],
           "abc": {"particles": 400, "generations": 4}}
    path = calibrate(write(tmp_path, doc), tmp_path / "prior.h5", "--threads", "2")
    with h5py.File(path, "r") as f:
        values, weights = f["particles/value"][-1], f["particles/weight"][-1]
        assert np.all(f["generations/acceptance_rate"][()] == 1)
        ess = f["generations/ess"][-1]
    assert ess > 150

    def weighted_ks(x, w, cdf):
        order = np.argsort(x)
        ecdf = np.cumsum(w[order])
        return np.max(np.abs(ecdf - cdf(x[order])))

    critical = 1.63 / np.sqrt(ess)  # Kolmogorov-Smirnov at the 1% level, with the effective sample size
    normal = stats.truncnorm((0.02 - 0.1) / 0.03, (0.3 - 0.1) / 0.03, loc=0.1, scale=0.03)
    assert weighted_ks(values[:, 0], weights, normal.cdf) < critical
    log_uniform = stats.loguniform(0.001, 0.1)
    assert weighted_ks(values[:, 1], weights, log_uniform.cdf) < critical
    network = weights[values[:, 2] == 1].sum()
    assert abs(network - 0.75) < 3 * np.sqrt(0.75 * 0.25 / ess)
    # The unweighted particles have drifted away from the prior: the weights are doing the work.
    assert np.std(values[:, 0]) > 1.2 * normal.std()


def test_a_target_the_model_cannot_reach_is_a_poor_fit(tmp_path):
    doc = calibration(generations=3)
    doc["targets"] = [{"series": "adopters", "step": 36, "value": 5000, "sd": 50}]  # 2000 villages in all
    path = calibrate(write(tmp_path, doc), tmp_path / "poor.h5", "--threads", "2")
    text = p3sim("summarize", path)
    assert text.returncode == 0, text.stderr
    assert "POOR FIT" in text.stdout and "1 of 1 targets fit poorly" in text.stdout
    data = json.loads(p3sim("summarize", path, "--json").stdout)
    assert data["targets"][0]["fit"] == "poor" and data["targets"][0]["z"] > 10


def test_summarize_reports_posterior_and_predictive_check(reference):
    _, path = reference
    done = p3sim("summarize", path)
    assert done.returncode == 0, done.stderr
    assert "/population/b_neighbors" in done.stdout and "credible interval" in done.stdout
    assert "adopters@24" in done.stdout
    data = json.loads(p3sim("summarize", path, "--json").stdout)
    with h5py.File(path, "r") as f:
        v, w = f["particles/value"][-1, :, 0], f["particles/weight"][-1]
    b = data["parameters"][0]
    assert b["mean"] == pytest.approx(np.sum(v * w), rel=1e-12)
    assert b["lo"] <= b["median"] <= b["hi"]
    assert b["prior_lo"] == pytest.approx(0.02 + 0.025 * 0.28) and b["prior_hi"] == pytest.approx(0.02 + 0.975 * 0.28)


def test_schema_validate_and_dry_run(tmp_path):
    schema = json.loads(p3sim("schema", "calibration").stdout)
    assert schema["title"] == "p3sim calibration"
    assert "adopters" in schema["$defs"]["target"]["properties"]["series"]["enum"]
    good = write(tmp_path, calibration(), "good.json")
    assert p3sim("validate", good).stdout.strip() == f"{good}: ok"
    bad_doc = calibration()
    bad_doc["parameters"]["/population/relapse"]["low"] = 0
    bad_doc["targets"][1]["final"] = "time_to_goal"
    bad = write(tmp_path, bad_doc, "bad.json")
    done = p3sim("validate", bad)
    assert done.returncode == 2
    assert "/parameters/~1population~1relapse" in done.stderr and "/targets/1/final" in done.stderr
    dry = p3sim("calibrate", good, "--dry-run")
    assert dry.returncode == 0 and "ms per run" in dry.stdout
    assert not list(tmp_path.glob("*.h5"))
    missing = p3sim("calibrate", good)
    assert missing.returncode == 2 and "-o POST.h5" in missing.stderr


def test_the_posterior_opens_in_the_analysis_package_and_its_report(reference, tmp_path):
    import sys
    sys.path.insert(0, os.path.join(SOURCE, "analysis"))
    from p3sim_analysis.calibration import PosteriorFile
    from p3sim_analysis.report import build_report

    _, path = reference
    with PosteriorFile(path) as post:
        summary = post.posterior_summary()
        assert list(summary["parameter"]) == ["/population/b_neighbors", "/population/relapse"]
        check = post.predictive_check()
    cli = json.loads(p3sim("summarize", path, "--json").stdout)
    # The Python and C++ summaries agree on the same file.
    assert summary["median"].iloc[0] == pytest.approx(cli["parameters"][0]["median"], rel=1e-12)
    assert list(check["fit"]) == [t["fit"] for t in cli["targets"]]
    page = open(build_report(path, tmp_path / "post.html", quiet=True), encoding="utf-8").read()
    assert page.count("<img") >= 3 and "tiny_partnership" in page
