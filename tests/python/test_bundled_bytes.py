"""The bundled sweeps give the same bytes as recorded in tests/data/bundled_sweep_checksums.json.

The checksums are made with single-threaded runs (first by the commit before sim/ was split into
layers, issue 12; last remade for issue 19: a member left alone believes in nobody else, the lead of
a hierarchy keeps its programme, and Colombia's hazards come from its calibration); the sweeps here
run on two threads, so the test also holds the thread-count invariance.
A change that alters results on purpose (a new draw scheme, a new format version) must remake the
file and say why in its commit:

    for s in scenarios/sweeps/*.json scenarios/tiny_sweep.json; do
      build/p3sim sweep $s -o /tmp/ref/$(basename $s .json).h5 --no-progress; done
    # then dataset_checksums.dataset_checksums() of each file, keyed by the sweep's name
"""
import glob
import json
import os
import subprocess

import pytest

from dataset_checksums import dataset_checksums

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
DATA = os.environ["P3SIM_TEST_DATA"]
EXPECTED = json.load(open(os.path.join(DATA, "bundled_sweep_checksums.json")))
SWEEPS = sorted(glob.glob(os.path.join(SOURCE, "scenarios", "sweeps", "*.json"))) + [
    os.path.join(SOURCE, "scenarios", "tiny_sweep.json")]


def test_every_bundled_sweep_has_recorded_checksums():
    assert sorted(os.path.basename(s)[:-5] for s in SWEEPS) == sorted(EXPECTED)


@pytest.mark.parametrize("sweep", SWEEPS, ids=lambda s: os.path.basename(s)[:-5])
def test_bundled_sweep_gives_the_recorded_bytes(sweep, tmp_path):
    out = tmp_path / "out.h5"
    done = subprocess.run([BINARY, "sweep", sweep, "-o", str(out), "--no-progress", "--threads", "2"],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr
    got = dataset_checksums(str(out))
    expected = EXPECTED[os.path.basename(sweep)[:-5]]
    assert sorted(got) == sorted(expected), "the file's datasets changed"
    changed = [name for name in expected if got[name] != expected[name]]
    assert not changed, f"datasets whose bytes changed: {changed}"
