"""Shared by the Python tests: the analysis package on sys.path, and small result files written by
the p3sim binary under test for the analysis tests (tests/python/test_analysis_*.py)."""
import json
import os
import subprocess
import sys

import pytest

SOURCE = os.environ.get("P3SIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
if os.path.join(SOURCE, "analysis") not in sys.path:
    sys.path.insert(0, os.path.join(SOURCE, "analysis"))
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")


def _p3sim(*args):
    done = subprocess.run([os.environ["P3SIM_BINARY"], *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def run_sweep(tmp_path_factory):
    """run_sweep(sweep_dict, name) -> path of the result of ``p3sim sweep`` on that sweep."""
    directory = tmp_path_factory.mktemp("sweeps")

    def run(sweep, name):
        path = directory / f"{name}.json"
        path.write_text(json.dumps(sweep), encoding="utf-8")
        _p3sim("sweep", str(path), "-o", str(directory / f"{name}.h5"), "--no-progress", "--threads", "2")
        return str(directory / f"{name}.h5")

    return run


@pytest.fixture(scope="session")
def single_run_file(tmp_path_factory):
    """One 24-step run of the tiny scenario, seed 1."""
    out = tmp_path_factory.mktemp("single") / "single.h5"
    _p3sim("run", TINY, "--seed", "1", "--steps", "24", "-o", str(out), "--quiet")
    return str(out)


@pytest.fixture(scope="session")
def modes_file(run_sweep):
    """Backbone and constellation modes x no pitfall and hidden_incentives x 3 replicates, 14 steps."""
    return run_sweep({"scenario": TINY, "replications": 3, "seed": 11, "steps": 14,
                      "parameters": {"/governance/mode": ["backbone", "constellation"]},
                      "pitfalls": [[], ["hidden_incentives"]]}, "modes")
