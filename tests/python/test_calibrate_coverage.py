"""`p3sim calibrate` recovers known parameters: data made by the model itself at parameter values
drawn from the prior, then calibrated; the 90% credible intervals must cover the true values at
about their nominal rate, and be narrower than the prior (docs/calibration.md, "Judging a fit").

About 10,000 runs of the tiny scenario: run in the normal build only (tests/CMakeLists.txt).
"""
import json
import os
import subprocess

import h5py
import numpy as np

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
DATASETS = 10


def p3sim(*args):
    done = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def observe(tmp_path, b_neighbors, relapse, seed):
    out = tmp_path / "observed.h5"
    p3sim("run", TINY, "--seed", str(seed), "--set", f"/population/b_neighbors={b_neighbors!r}",
          "--set", f"/population/relapse={relapse!r}", "-o", str(out), "--quiet", "--overwrite")
    with h5py.File(out, "r") as f:
        adopters, relapsed = f["series/adopters"][0], f["final/relapsed"][0]
    return [float(adopters[t]) for t in (12, 24, 36)], float(relapsed)


def test_credible_intervals_cover_the_truth_at_their_nominal_rate(tmp_path):
    rng = np.random.default_rng(20261202)
    covered, widths = [], []
    for d in range(DATASETS):
        truth = [rng.uniform(0.02, 0.3), float(np.exp(rng.uniform(np.log(0.005), np.log(0.1))))]
        adopters, relapsed = observe(tmp_path, *truth, seed=500 + d)
        cal = {"scenario": TINY, "seed": d,
               "parameters": {"/population/b_neighbors": {"distribution": "uniform", "low": 0.02, "high": 0.3},
                              "/population/relapse": {"distribution": "log_uniform", "low": 0.005, "high": 0.1}},
               "targets": [{"series": "adopters", "steps": [12, 24, 36], "values": adopters},
                           {"final": "relapsed", "value": relapsed}],
               "abc": {"particles": 150, "generations": 5}}
        path = tmp_path / "cal.json"
        path.write_text(json.dumps(cal), encoding="utf-8")
        post = tmp_path / "post.h5"
        p3sim("calibrate", str(path), "-o", str(post), "--overwrite", "--no-progress", "--threads", "2")
        with h5py.File(post, "r") as f:
            values, weights = f["particles/value"][-1], f["particles/weight"][-1]
        for i, true_value in enumerate(truth):
            column = values[:, i]
            order = np.argsort(column, kind="stable")
            cumulative = np.cumsum(weights[order])
            low = column[order][np.searchsorted(cumulative, 0.05 - 1e-12)]
            high = column[order][np.searchsorted(cumulative, 0.95 - 1e-12)]
            covered.append(low <= true_value <= high)
            widths.append((high - low) / (0.28 if i == 0 else 0.1 - 0.005))
    print(f"90% intervals covering the truth: {sum(covered)} of {len(covered)}; mean width {np.mean(widths):.2f} of the prior range")
    # 20 intervals at 90%: at least 15 (P(Binomial(20, 0.9) <= 14) = 1.1%). ABC with a tolerance
    # above 0 is conservative, so more is usual; far fewer means the weights or kernel are wrong.
    assert sum(covered) >= 15, covered
    # ...and they say something: on average well under the prior's 90% range.
    assert np.mean(widths) < 0.6, widths


def summarize(path):
    return json.loads(p3sim("summarize", str(path), "--json"))


def test_the_colombia_calibration_gives_what_docs_calibration_md_reports(tmp_path):
    """scenarios/calibration/colombia_crop_substitution.json in full (about 29,000 runs, half a
    minute on two cores): both observed values fit, and the posterior is the one the docs quote."""
    cal = os.path.join(SOURCE, "scenarios", "calibration", "colombia_crop_substitution.json")
    post = tmp_path / "colombia.h5"
    p3sim("calibrate", cal, "-o", str(post), "--no-progress", "--threads", "2")
    s = summarize(post)
    assert s["complete"] and s["generations"] >= 8 and s["stop_reason"] in ("generations", "acceptance")
    assert [t["fit"] for t in s["targets"]] == ["good", "good"]
    by = {p["name"]: p for p in s["parameters"]}
    relapse = by["/population/relapse"]
    # The monitoring's replanting below 1% bounds relapse above, far below the bundled 0.02 a month.
    assert relapse["hi"] < 0.002 and relapse["median"] < 0.0005
    assert 0.03 < by["/population/b_neighbors"]["median"] < 0.09  # below the bundled 0.1
    assert abs(s["targets"][0]["median"] - 3495) < 400 and abs(s["targets"][1]["median"] - 21) < 15


def test_the_collective_impact_calibration_fits_and_shows_the_ridge(tmp_path):
    cal = os.path.join(SOURCE, "scenarios", "calibration", "collective_impact_city.json")
    post = tmp_path / "cic.h5"
    p3sim("calibrate", cal, "-o", str(post), "--no-progress", "--threads", "2")
    s = summarize(post)
    assert s["targets"][0]["fit"] == "good" and abs(s["targets"][0]["median"] - 2120) < 20
    by = {p["name"]: p for p in s["parameters"]}
    relapse = by["/population/relapse"]
    assert relapse["lo"] <= 0.01 <= relapse["hi"]  # the scenario's hand-set relapse lies on the ridge
    with h5py.File(post, "r") as f:
        values, weights = f["particles/value"][-1], f["particles/weight"][-1]
    # One number, two hazards: more support effect goes with more relapse.
    mean = np.average(values, axis=0, weights=weights)
    cov = np.cov(values.T, aweights=weights)
    assert cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]) > 0.3, mean
