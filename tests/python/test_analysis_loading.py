"""p3sim_analysis.loading and statistics on files written by p3sim: decoded runs tables, lazy
long-form series, events, organizations, runs that are not done, and clear errors."""
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest

from p3sim_analysis import ResultFile, ResultFileError
from p3sim_analysis.comparison import comparison_tables
from p3sim_analysis.pitfall_gallery import pitfall_effects
from p3sim_analysis.estimators import t_interval
from p3sim_analysis.statistics import paired_differences
from p3sim_analysis import trust_network
from p3sim_analysis.trust_network import estimated_trust, network_snapshots, resimulated_trust


def test_runs_table_decodes_modes_and_pitfalls(modes_file):
    with ResultFile(modes_file) as rf:
        runs = rf.runs()
        assert rf.design_type() == "grid"
        assert len(runs) == 2 * 2 * 3
        assert list(runs["governance.mode"].cat.categories) == ["backbone", "constellation"]
        # point = design_index * sets + set_index, replicate-major runs (docs/sweeps.md)
        expected_mode = ["backbone", "backbone", "constellation", "constellation"] * 3
        assert list(runs["governance.mode"].astype(str)) == expected_mode
        assert list(runs["pitfalls"]) == ["baseline", "hidden_incentives"] * 6
        assert set(runs["status"]) == {"done"}
        assert set(rf.final_metrics()) <= set(runs.columns)
        assert (runs.groupby("replicate")["seed"].nunique() == 1).all()


def test_series_reads_only_requested_metrics_and_runs(modes_file):
    with ResultFile(modes_file) as rf:
        series = rf.series("trust", runs=[1, 5])
        steps = rf.steps
        assert list(series.columns) == ["run", "step", "metric", "value"]
        assert set(series["metric"]) == {"trust"}
        assert sorted(set(series["run"])) == [1, 5]
        assert len(series) == 2 * len(steps)
        with h5py.File(modes_file, "r") as f:
            np.testing.assert_array_equal(series[series.run == 5]["value"].to_numpy(), f["series/trust"][5])
        with pytest.raises(ResultFileError, match="no series nonsense"):
            rf.series(["nonsense"])


def test_events_and_organizations_are_decoded(single_run_file):
    with ResultFile(single_run_file) as rf:
        assert rf.design_type() == "single"
        orgs = rf.organizations()
        assert list(orgs["name"][:2]) == ["Ministry of Water", "PumpCo"]
        assert set(orgs["sector"]) >= {"government", "business", "civil_society"}
        events = rf.events()
        assert {"phase", "join"} <= set(events["kind"])
        lead_join = events[(events.kind == "join") & (events.cause == "scope")]
        assert list(lead_join["org_name"]) == ["Ministry of Water"]
        assert (events.loc[events.org == -1, "org_name"] == "(partnership)").all()
        final = rf.org_final()
        assert len(final) == len(orgs)
        assert set(final["exit_cause_name"]) <= {"none", "hierarchy", "misalignment", "distrust", "no_results",
                                                 "credit", "shock"}


def test_runs_not_done_are_excluded_and_reported(modes_file, tmp_path):
    copy = tmp_path / "partial.h5"
    shutil.copy(modes_file, copy)
    with h5py.File(copy, "r+") as f:  # as an interrupted sweep and a failure would leave them
        f["runs/status"][10:12] = [0, 2]
        f["final/outcome"][10:12] = np.nan
    with ResultFile(copy) as rf:
        runs = rf.runs()
        assert len(runs) == 10 and 10 not in set(runs["run"]) and 11 not in set(runs["run"])
        assert len(rf.runs(include_not_done=True)) == 12
        assert rf.exclusion_note() == ("2 of 12 runs are not done (1 pending, 1 failed) and are excluded from all "
                                       "statistics.")
        assert set(rf.series("outcome")["run"]) == set(range(10))


def test_clear_errors_for_bad_files(tmp_path, modes_file):
    with pytest.raises(ResultFileError, match="no such file"):
        ResultFile(tmp_path / "missing.h5")
    text = tmp_path / "notes.h5"
    text.write_text("not hdf5")
    with pytest.raises(ResultFileError, match="not an HDF5 file"):
        ResultFile(text)
    newer = tmp_path / "newer.h5"
    shutil.copy(modes_file, newer)
    with h5py.File(newer, "r+") as f:
        f.attrs["format_version"] = np.int32(3)
    with pytest.raises(ResultFileError, match="format_version 3 is newer"):
        ResultFile(newer)


def test_paired_differences_use_common_random_numbers():
    runs = pd.DataFrame({"replicate": [0, 0, 1, 1, 2, 2], "seed": [5, 5, 6, 6, 7, 7],
                         "mode": ["a", "b"] * 3, "outcome": [10.0, 12.0, 20.0, 23.0, 30.0, 31.0]})
    diff = paired_differences(runs, "mode", "outcome")
    n, mean, sd, lo, hi = t_interval([2.0, 3.0, 1.0])
    assert diff.loc[0, "n"] == 3 and diff.loc[0, "mean"] == pytest.approx(2.0)
    assert diff.loc[0, "lo"] == pytest.approx(lo) and diff.loc[0, "hi"] == pytest.approx(hi)
    # the t interval (outcome is an amount: cut at 0 only for the level, not the difference):
    # 2 +/- t(0.975, 2) * 1 / sqrt(3)
    assert (hi - lo) / 2 == pytest.approx(4.302652729911275 / np.sqrt(3))


def test_comparison_and_gallery_pair_like_with_like(modes_file):
    with ResultFile(modes_file) as rf:
        runs = rf.runs()
        hold = ["governance.mode", "pitfalls"]
        summary, differences = comparison_tables(runs[runs.pitfalls == "baseline"], "governance.mode", hold=hold)
        assert differences is not None
        assert set(differences["governance.mode"]) == {"constellation"}
        assert (summary[summary.metric == "outcome"]["n"] == 3).all()
        effects = pitfall_effects(runs, ("outcome", "acceptability"), hold=hold)
        assert set(effects["pitfalls"]) == {"hidden_incentives"}
        assert (effects["n"] == 6).all()  # 3 replicates x 2 modes, each paired with its own baseline
        base = runs[runs.pitfalls == "baseline"].set_index(["replicate", "governance.mode"])["acceptability"]
        hidden = runs[runs.pitfalls != "baseline"].set_index(["replicate", "governance.mode"])["acceptability"]
        mean = effects[effects.metric == "acceptability"]["mean"].iloc[0]
        assert mean == pytest.approx((hidden - base).mean())


@pytest.mark.parametrize("exact", [True, False])
def test_trust_network_matches_recorded_means(single_run_file, monkeypatch, exact):
    """Exact (re-simulated) or estimated, the drawn trust reproduces the recorded mean series."""
    if not exact:
        monkeypatch.setattr(trust_network, "find_binary", lambda: None)
    with ResultFile(single_run_file) as rf:
        snaps = network_snapshots(rf, 0, [12])
        assert snaps[12]["exact"] == exact
        series = rf.series(["trust", "cross_trust"], steps=[12]).set_index("metric")["value"]
        member = snaps[12]["member"]
        trust = snaps[12]["trust"]
        sectors = np.array(snaps["sectors"])
        idx = np.flatnonzero(member)
        pairs = [(i, j) for i in idx for j in idx if i != j]
        assert np.nanmean([trust[i, j] for i, j in pairs]) == pytest.approx(series["trust"])
        cross = [trust[i, j] for i, j in pairs if sectors[i] != sectors[j]]
        assert np.mean(cross) == pytest.approx(series["cross_trust"])
        assert np.all(np.isnan(trust[~member][:, ~member]))
    prior = np.full((3, 3), 0.5)
    same = estimated_trust(prior, ["a", "a", "b"], np.array([True, True, False]), 0.7, np.nan)
    assert same[0, 1] == pytest.approx(0.7) and np.isnan(same[0, 2])


def test_resimulation_is_refused_when_it_does_not_reproduce_the_run(single_run_file, tmp_path):
    """A binary whose re-run differs (here: a script printing other final metrics) is not trusted."""
    fake = tmp_path / "p3sim"
    fake.write_text("#!/bin/sh\necho '{\"final\": {\"outcome\": -5}, \"organizations\": [], \"trust_at\": {}}'\n")
    fake.chmod(0o755)
    with ResultFile(single_run_file) as rf:
        assert resimulated_trust(rf, 0, [12], binary=str(fake)) is None
        exact = resimulated_trust(rf, 0, [0, 12])
        assert exact is not None
        member, trust = exact[12]
        assert trust.shape == (len(member), len(member))
        assert np.all((trust >= 0) & (trust <= 1))
