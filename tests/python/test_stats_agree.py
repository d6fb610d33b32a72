"""One definition, two languages: the C++ estimators (`p3sim summarize --json`, `p3sim compare
--json`) and the Python ones (p3sim_analysis.estimators) give the same numbers on the same files,
metric by metric, group by group (docs/estimators.md)."""
import json
import math
import os
import subprocess

import numpy as np
import pytest

from p3sim_analysis import open_result
from p3sim_analysis.estimators import holm, paired_metric, summarize_metric

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")
COLOMBIA = os.path.join(SOURCE, "scenarios", "colombia_crop_substitution.json")
SWEEPS = {
    "colombia_governance": (os.path.join(SOURCE, "scenarios", "sweeps", "colombia_crop_substitution_governance.json"),
                            "governance.mode"),
    "colombia_gallery": (os.path.join(SOURCE, "scenarios", "sweeps", "colombia_crop_substitution_pitfall_gallery.json"),
                         None),
    "tiny": (os.path.join(SOURCE, "scenarios", "tiny_sweep.json"), "governance.mode"),
}


def p3sim(*args):
    done = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def same(cpp, py, where):
    """Equal objects: numbers to 1e-9 (relative, or absolute near 0: t quantiles of Boost.Math and
    scipy differ in the last digits), None for None, the same keys."""
    if isinstance(cpp, dict):
        assert isinstance(py, dict), where
        assert sorted(cpp) == sorted(py), f"{where}: keys {sorted(cpp)} vs {sorted(py)}"
        for key in cpp:
            same(cpp[key], py[key], f"{where}/{key}")
    elif isinstance(cpp, list):
        assert isinstance(py, list) and len(cpp) == len(py), where
        for i, (a, b) in enumerate(zip(cpp, py)):
            same(a, b, f"{where}/{i}")
    elif isinstance(cpp, (int, float)) and not isinstance(cpp, bool) and py is not None:
        assert py == pytest.approx(cpp, rel=1e-9, abs=1e-9), where
    else:
        assert cpp == py, f"{where}: {cpp!r} vs {py!r}"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agree")
    out = {}
    for name, (sweep, _) in SWEEPS.items():
        out[name] = str(folder / f"{name}.h5")
        p3sim("sweep", sweep, "-o", out[name], "--no-progress", "--threads", "2")
    return out


@pytest.mark.parametrize("name", sorted(SWEEPS))
def test_summaries_agree(files, name):
    by = SWEEPS[name][1]
    args = ["summarize", files[name], "--json"] + (["--by", by] if by else [])
    cpp = json.loads(p3sim(*args))
    with open_result(files[name]) as rf:
        runs = rf.runs()
        assert cpp["horizon"] == rf.horizon
        groups = [("all", runs)] if by is None else list(runs.groupby(by, sort=False))
        assert len(groups) == len(cpp["groups"])
        for group in cpp["groups"]:
            label = group["label"]
            rows = runs if by is None else runs[runs[by].astype(str) == label]
            assert len(rows), label
            for metric, estimate in group["metrics"].items():
                same(estimate, summarize_metric(rows[metric], metric, rf.horizon), f"{name}/{label}/{metric}")


@pytest.mark.parametrize("vary", ["/governance/mode=backbone,constellation,isolated", "/population/degree=2,8"])
def test_paired_comparisons_agree(tmp_path, vary):
    out = tmp_path / "compare.h5"
    scenario = COLOMBIA if "mode" in vary else TINY
    cpp = json.loads(p3sim("compare", scenario, "--vary", vary, "-r", "12", "--seed", "7", "--json", "-o", str(out),
                           "--metric", "goal_reached", "--metric", "time_to_goal", "--metric", "retention",
                           "--metric", "cost_per_outcome", "--metric", "outcome"))
    with open_result(str(out)) as rf:
        runs = rf.runs()
        variants = len(cpp["values"])
        pvalues, holm_cpp = [], []
        for metric, rows in cpp["metrics"].items():
            values = [runs[runs["point"] == v].sort_values("replicate")[metric].to_numpy() for v in range(variants)]
            for v, row in enumerate(rows):
                level = {k: row[k] for k in row if k not in ("value", "difference")}
                same(level, summarize_metric(values[v], metric, rf.horizon), f"{metric}/{v}")
                if v == 0:
                    assert row["difference"] is None
                    continue
                diff = dict(row["difference"])
                holm_cpp.append(diff.pop("holm_p"))
                half = diff.pop("half_width")
                py = paired_metric(values[0], values[v], metric, rf.horizon)
                same(diff, py, f"{metric}/{v}/difference")
                pvalues.append(py["p"] if py["p"] is not None else math.nan)
                if half is not None:
                    assert half == pytest.approx((py["ci"][1] - py["ci"][0]) / 2, rel=1e-9)
        # Holm over the whole table, in the order compare lists it (variant by variant there,
        # metric by metric here: the adjustment does not depend on the order).
    assert np.allclose(sorted(x for x in holm_cpp if x is not None),
                       sorted(x for x in holm(pvalues) if not math.isnan(x)), rtol=1e-9)
