"""A sweep file opened the way researchers open it: h5py, and xarray with the h5netcdf engine,
finding the named dimensions run and step and the varied parameters."""
import os
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

BINARY = os.environ["P3SIM_BINARY"]
SOURCE = os.environ["P3SIM_SOURCE_DIR"]
TINY_SWEEP = os.path.join(SOURCE, "scenarios", "tiny_sweep.json")


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "tiny.h5"
    done = subprocess.run([BINARY, "sweep", TINY_SWEEP, "-o", str(out), "--no-progress", "--threads", "2"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def test_h5py_sees_runs_and_parameters(sweep_file):
    with h5py.File(sweep_file, "r") as f:
        runs = f["runs/status"].shape[0]
        assert runs == 2 * 3  # two modes, three replications
        assert np.all(f["runs/status"][:] == 1)
        mode = f["params/governance.mode"][:]
        assert sorted(set(mode.tolist())) == [0.0, 1.0]
        # Replicate-major order: both modes of replicate 0 come first, with the same seed.
        seeds, replicate = f["runs/seed"][:], f["runs/replicate"][:]
        assert replicate.tolist() == [0, 0, 1, 1, 2, 2]
        assert seeds[0] == seeds[1] and seeds[2] == seeds[3] and seeds[0] != seeds[2]


def test_xarray_sees_named_dimensions(sweep_file):
    series = xr.open_dataset(sweep_file, engine="h5netcdf", group="series")
    assert set(series["outcome"].dims) == {"run", "step"}
    assert series.sizes["step"] == 24 + 1
    final = xr.open_dataset(sweep_file, engine="h5netcdf", group="final")
    assert final["outcome"].dims == ("run",)
    params = xr.open_dataset(sweep_file, engine="h5netcdf", group="params")
    assert "governance.mode" in params.variables
    assert params["governance.mode"].dims == ("run",)
    frame = final.to_dataframe()
    assert len(frame) == 6 and "acceptability" in frame.columns
