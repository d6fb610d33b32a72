"""The HDF5 output of `p3sim run` as the Python tools of analysis/ see it (docs/hdf5.md).

The file is made by the p3sim binary ($P3SIM_BINARY) from the bundled tiny scenario.
"""
import os
import subprocess
import warnings

import h5py
import numpy as np
import pytest

SERIES = ["outcome", "adopters", "members", "effort", "trust", "cross_trust", "agenda_spread",
          "friction", "misunderstandings", "overhead", "cumulative_cost", "replanted_voluntary", "replanted_forced",
          "zero_effort", "punishment"]
FINAL = ["goal_reached", "time_to_goal", "outcome", "adopters", "relapsed", "retention",
         "exits_hierarchy", "exits_misalignment", "exits_distrust", "exits_no_results", "exits_credit",
         "exits_shock", "cost_total", "cost_per_outcome", "mean_trust", "cross_trust", "equity",
         "acceptability", "acceptability_sd", "replanted_voluntary", "replanted_forced"]
ORG_FIELDS = ["member", "joined_step", "exit_step", "exit_cause", "mean_effort", "alignment",
              "belief", "champion"]
ROOT_ATTRIBUTES = ["format_version", "p3sim_version", "git_commit", "created_utc", "command_line",
                   "scenario_json", "sweep_json", "master_seed"]


@pytest.fixture(scope="module")
def result_file(tmp_path_factory):
    binary = os.environ["P3SIM_BINARY"]
    scenario = os.path.join(os.environ["P3SIM_SOURCE_DIR"], "scenarios", "tiny_partnership.json")
    out = str(tmp_path_factory.mktemp("h5") / "tiny.h5")
    done = subprocess.run([binary, "run", scenario, "-o", out, "--seed", "1", "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"p3sim run failed ({done.returncode}):\n{done.stderr}"
    return out


@pytest.fixture(scope="module")
def h5(result_file):
    with h5py.File(result_file, "r") as f:
        yield f


def test_root_attributes_describe_the_run(h5):
    for name in ROOT_ATTRIBUTES:
        assert name in h5.attrs, name
    assert h5.attrs["format_version"] == 2
    for name in ROOT_ATTRIBUTES[1:7]:
        assert isinstance(h5.attrs[name], str), f"{name} should read as str"
    assert h5.attrs["created_utc"].endswith("Z")
    assert h5.attrs["master_seed"].dtype == np.uint64
    assert "--seed 1" in h5.attrs["command_line"]
    assert h5.attrs["master_seed"] == 1
    assert h5.attrs["scenario_json"].startswith("{")


def test_shapes_follow_the_layout(h5):
    runs, steps = h5["run"].shape[0], h5["step"].shape[0]
    sectors, orgs, dims = h5["sector"].shape[0], h5["org"].shape[0], h5["dim"].shape[0]
    assert steps == h5.attrs["steps"] // h5.attrs["record_every"] + 1
    assert list(h5["step"][:]) == list(range(0, h5.attrs["steps"] + 1, h5.attrs["record_every"]))
    for name in ["seed", "point", "replicate", "status", "message"]:
        assert h5["runs"][name].shape == (runs,)
    assert h5["runs/seed"].dtype == np.uint64
    assert h5["runs/status"].dtype == np.int8
    assert sorted(h5["final"]) == sorted(FINAL)
    for name in FINAL:
        assert h5["final"][name].shape == (runs,) and h5["final"][name].dtype == np.float64
    for name in h5["series"]:
        assert name in SERIES
        assert h5["series"][name].shape == (runs, steps)
    for name in h5["series_by_sector"]:
        assert h5["series_by_sector"][name].shape == (runs, steps, sectors)
    for name in ORG_FIELDS:
        assert h5["org_final"][name].shape == (runs, orgs)
    for name in ["stated_position", "goal"]:
        assert h5["org_final"][name].shape == (runs, orgs, dims)
    assert h5["orgs/name"].shape == (orgs,) and h5["orgs/sector"].shape == (orgs,)
    assert h5["sectors/name"].shape == (sectors,)
    assert list(h5["orgs/name"].asstr()[:]) == list(h5["org"].asstr()[:])


def test_every_finished_run_is_done_and_complete(h5):
    status = h5["runs/status"][:]
    assert list(h5["runs/status"].attrs["status_names"]) == ["pending", "done", "failed"]
    assert (status == 1).all()
    done = np.flatnonzero(h5["runs/status"][:] == 1)
    for name in FINAL:
        assert not np.isnan(h5["final"][name][done]).all(), name
    for name in h5["series"]:
        assert not np.isnan(h5["series"][name][done]).any(), name
    assert (h5["org_final/exit_cause"][done] >= 0).all()


def test_dimension_names_are_seen_by_h5py(h5):
    assert [list(d.keys()) for d in h5["series/trust"].dims] == [["run"], ["step"]]
    assert [list(d.keys()) for d in h5["org_final/goal"].dims] == [["run"], ["org"], ["dim"]]


def test_dimension_names_are_seen_by_netcdf_readers(result_file):
    xarray = pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with xarray.open_dataset(result_file, engine="h5netcdf", group="series") as series:
            assert set(series.dims) == {"run", "step"}
            assert series["trust"].dims == ("run", "step")
        with xarray.open_dataset(result_file, engine="h5netcdf", group="final") as final:
            assert set(final.dims) == {"run"}
            assert final["outcome"].dims == ("run",)
        with xarray.open_dataset(result_file, engine="h5netcdf", group="series_by_sector") as by_sector:
            assert by_sector["members"].dims == ("run", "step", "sector")
        with xarray.open_dataset(result_file, engine="h5netcdf", group="org_final") as org_final:
            assert org_final["goal"].dims == ("run", "org", "dim")
        with xarray.open_dataset(result_file, engine="h5netcdf") as root:
            assert {"run", "step", "sector", "org", "dim"} <= set(root.coords)
            assert root["step"].values[0] == 0


def test_events_are_a_structured_table_with_name_tables(h5):
    events = h5["events"][:]
    assert events.dtype.names == ("run", "step", "org", "kind", "cause", "value")
    kinds = list(h5["events"].attrs["kind_names"])
    causes = list(h5["events"].attrs["cause_names"])
    assert kinds[:2] == ["join", "exit"] and "goal_reached" in kinds
    assert causes[0] == "none" and causes[1] == "hierarchy"
    assert list(h5["org_final/exit_cause"].attrs["cause_names"]) == causes
    if len(events):
        assert events["kind"].min() >= 0 and events["kind"].max() < len(kinds)
        assert events["cause"].min() >= 0 and events["cause"].max() < len(causes)
        assert events["org"].min() >= -1 and events["org"].max() < h5["org"].shape[0]
        assert (np.diff(events["run"]) >= 0).all(), "events are in run order"


def test_pandas_reads_finals_and_events(h5):
    pandas = pytest.importorskip("pandas")
    final = pandas.DataFrame({name: h5["final"][name][:] for name in h5["final"]})
    assert len(final) == h5["run"].shape[0]
    events = pandas.DataFrame(h5["events"][:])
    events["kind"] = events["kind"].map(dict(enumerate(h5["events"].attrs["kind_names"])))
    assert events["kind"].isna().sum() == 0
