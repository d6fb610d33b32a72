"""Reading and reporting on posterior files of ``p3sim calibrate``: files written here with h5py
following the posterior format (calibration_format_version 1) with known contents."""
import base64
import json
import math
import os
import re

import h5py
import numpy as np
import pytest
from scipy import stats

from p3sim_analysis import PosteriorFile, ResultFile, ResultFileError
from p3sim_analysis.calibration import PosteriorParameter, weighted_quantile
from p3sim_analysis.cli import main
from p3sim_analysis.report import build_report

SOURCE = os.environ.get("P3SIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
TINY = os.path.join(SOURCE, "scenarios", "tiny_partnership.json")

PRIORS = [
    ("/trust/gain", {"distribution": "uniform", "low": 0, "high": 1}, "continuous"),
    ("/population/degree_scale", {"distribution": "log_uniform", "low": 0.01, "high": 10}, "continuous"),
    ("/governance/mode", {"distribution": "categorical", "levels": ["backbone", "constellation", "network"]},
     "categorical"),
    ("/organizations/*/disclosure", {"distribution": "normal", "mean": 0.5, "sd": 0.2, "low": 0, "high": 1},
     "continuous"),
]
#: (name, metric, source, step, observed, scale, weight)
TARGETS = [
    ("adopters@12", "adopters", "series", 12, 101.0, 5.0, 1.0),
    ("adopters@24", "adopters", "series", 24, 205.0, 5.0, 1.0),
    ("adopters@36", "adopters", "series", 36, 303.0, 5.0, 1.0),
    ("retention", "retention", "final", -1, 0.05, 0.1, 2.0),  # far below every particle's 0.80..0.89
]
N = 10
# The last generation: particle 0 carries 70% of the weight, the other nine 1/30 each.
LAST_WEIGHTS = np.array([0.7] + [0.3 / 9] * 9)
GAIN = np.array([0.3, 0.1, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
MODE = np.array([1, 0, 0, 0, 0, 2, 2, 2, 2, 2], dtype=float)  # constellation 0.7, backbone 4/30, network 5/30
SCALE = np.array([0.05, 0.02, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 9.0, 0.011])
DISCLOSURE = np.array([0.55, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9])


def _strings(group, name, values):
    group.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())


def write_posterior(path, priors=PRIORS, targets=TARGETS, observed=None, stop_reason="tolerance", complete=1,
                    version=1, generations=3):
    """A posterior file laid out as the C++ writer lays it out, with known last-generation particles."""
    p, k = len(priors), len(targets)
    rng = np.random.default_rng(7)
    with h5py.File(path, "w") as f:
        f.attrs["file_kind"] = "calibration"
        f.attrs["calibration_format_version"] = np.int32(version)
        f.attrs["format_version"] = np.int32(2)
        f.attrs["p3sim_version"] = "0.1.0"
        f.attrs["git_commit"] = "0123456789ab"
        f.attrs["created_utc"] = "2025-03-01T14:05:09Z"
        f.attrs["command_line"] = "p3sim calibrate cal.json -o post.h5"
        with open(TINY, encoding="utf-8") as handle:
            f.attrs["scenario_json"] = json.dumps(json.load(handle))
        f.attrs["sweep_json"] = ""
        f.attrs["master_seed"] = np.uint64(42)
        f.attrs["calibration_json"] = json.dumps({"scenario": "tiny_partnership.json", "particles": N})
        f.attrs["stop_reason"] = stop_reason
        f.attrs["complete"] = np.int32(complete)
        group = f.create_group("parameters")
        _strings(group, "name", [name for name, _, _ in priors])
        _strings(group, "prior", [json.dumps(prior) for _, prior, _ in priors])
        _strings(group, "kind", [kind for _, _, kind in priors])
        group = f.create_group("targets")
        _strings(group, "name", [t[0] for t in targets])
        _strings(group, "metric", [t[1] for t in targets])
        _strings(group, "source", [t[2] for t in targets])
        group.create_dataset("step", data=np.array([t[3] for t in targets], dtype=np.int32))
        group.create_dataset("observed", data=np.array(observed if observed is not None else [t[4] for t in targets],
                                                       dtype=np.float64))
        group.create_dataset("scale", data=np.array([t[5] for t in targets], dtype=np.float64))
        group.create_dataset("weight", data=np.array([t[6] for t in targets], dtype=np.float64))

        g = generations
        value = np.zeros((g, N, p))
        weight = np.full((g, N), 1.0 / N)
        statistics = np.zeros((g, N, k))
        columns = {"/trust/gain": GAIN, "/population/degree_scale": SCALE, "/governance/mode": MODE,
                   "/organizations/*/disclosure": DISCLOSURE}
        for generation in range(g):
            last = generation == g - 1
            for j, (name, _, _) in enumerate(priors):
                value[generation, :, j] = columns[name] if last else rng.permutation(columns[name])
            if last:
                weight[generation] = LAST_WEIGHTS
            for c, target in enumerate(targets):
                base = 100.0 * (1 + c) if target[1] == "adopters" else 0.8
                step = 1.0 if target[1] == "adopters" else 0.01
                statistics[generation, :, c] = base + step * np.arange(N) + (0 if last else 3 * step * (g - generation))
        ess = 1.0 / np.sum(weight ** 2, axis=1)
        group = f.create_group("generations")
        summary = {"tolerance": np.array([math.inf, 2.0, 0.5, 0.25])[:g],
                   "attempts": np.array([10, 40, 90, 200], dtype=np.int64)[:g],
                   "simulations": np.array([10, 35, 80, 150], dtype=np.int64)[:g],
                   "accepted": np.full(g, N, dtype=np.int64)}
        summary["acceptance_rate"] = summary["accepted"] / np.maximum(summary["simulations"], 1)
        summary["ess"] = ess
        for name, data in summary.items():
            group.create_dataset(name, data=data, maxshape=(None,), chunks=(4,))
        group = f.create_group("particles")
        group.create_dataset("value", data=value, maxshape=(None, N, p), chunks=(1, N, max(p, 1)))
        group.create_dataset("weight", data=weight, maxshape=(None, N), chunks=(1, N))
        group.create_dataset("distance", data=rng.uniform(0, 0.5, (g, N)), maxshape=(None, N), chunks=(1, N))
        group.create_dataset("statistics", data=statistics, maxshape=(None, N, k), chunks=(1, N, max(k, 1)))
    return str(path)


@pytest.fixture
def posterior(tmp_path):
    return write_posterior(tmp_path / "post.h5")


def test_weighted_quantile_follows_its_definition():
    values, weights = [3.0, 1.0, 2.0], [0.1, 0.7, 0.2]
    # sorted 1, 2, 3 with cumulative weights 0.7, 0.9, 1.0: the smallest value whose cumulative weight >= q
    assert weighted_quantile(values, weights, 0.5) == 1.0
    assert weighted_quantile(values, weights, 0.7) == 1.0
    assert weighted_quantile(values, weights, 0.71) == 2.0
    assert weighted_quantile(values, weights, 0.9) == 2.0  # 0.7 + 0.2 reaches 0.9 despite round-off
    assert weighted_quantile(values, weights, 0.975) == 3.0
    assert list(weighted_quantile(values, [7, 2, 1], [0.0, 1.0])) == [1.0, 3.0]  # weights need not sum to 1
    # Cumulative weight exactly q counts (>=, not >): integer weights make the sums exact.
    assert weighted_quantile([1.0, 2.0, 3.0], [7, 2, 1], 0.7) == 1.0
    assert weighted_quantile([1.0, 2.0, 3.0], [7, 2, 1], 0.9) == 2.0
    # Five of nine weights of 1/9 sum to 0.5555555555555555 in floating point, just below 5/9: still
    # the 5/9-quantile is the fifth value, not the sixth.
    assert weighted_quantile(np.arange(9.0), np.full(9, 1 / 9), 5 / 9) == 4.0
    # Equal weights: the inverted empirical distribution function.
    assert weighted_quantile([4.0, 1.0, 3.0, 2.0], np.ones(4), 0.5) == 2.0
    # Non-finite values and zero weights carry no mass.
    assert weighted_quantile([np.nan, 5.0, 9.0], [0.9, 0.05, 0.05], 0.5) == 5.0
    assert weighted_quantile([0.0, 5.0], [0.0, 1.0], 0.0) == 5.0
    assert math.isnan(weighted_quantile([np.nan], [1.0], 0.5))


def test_tables_read_the_layout(posterior):
    with PosteriorFile(posterior) as pf:
        assert [p.name for p in pf.parameters] == [name for name, _, _ in PRIORS]
        mode = pf.parameters[2]
        assert mode.kind == "categorical" and mode.levels == ["backbone", "constellation", "network"]
        assert pf.parameters[1].prior == {"distribution": "log_uniform", "low": 0.01, "high": 10}
        assert pf.stop_reason == "tolerance" and pf.complete
        targets = pf.targets()
        assert list(targets.columns) == ["name", "metric", "source", "step", "observed", "scale", "weight"]
        assert targets["step"].tolist() == [12, 24, 36, -1] and targets["observed"].iloc[3] == 0.05
        generations = pf.generations()
        assert list(generations.columns) == ["generation", "tolerance", "attempts", "simulations", "accepted",
                                             "acceptance_rate", "ess"]
        assert generations["generation"].tolist() == [0, 1, 2] and math.isinf(generations["tolerance"].iloc[0])
        assert generations["ess"].iloc[0] == pytest.approx(10.0)
        last = pf.particles()
        assert list(last.columns) == [name for name, _, _ in PRIORS] + ["weight", "distance", "adopters@12",
                                                                         "adopters@24", "adopters@36", "retention"]
        assert len(last) == N and last.attrs["generation"] == 2
        assert last["/governance/mode"].tolist()[:2] == ["constellation", "backbone"]  # decoded to labels
        assert last["/trust/gain"].tolist() == GAIN.tolist() and last["weight"].sum() == pytest.approx(1.0)
        assert last["retention"].iloc[0] == pytest.approx(0.8)
        first = pf.particles(0)
        assert first.attrs["generation"] == 0 and first["weight"].tolist() == [0.1] * N
        with pytest.raises(ResultFileError, match="generation 3 out of range"):
            pf.particles(3)


def test_posterior_summary_uses_weighted_quantiles_and_level_probabilities(posterior):
    with PosteriorFile(posterior) as pf:
        summary = pf.posterior_summary(0.95)
        gain = summary[summary["parameter"] == "/trust/gain"].iloc[0]
        # Sorted gains 0.1, 0.2, 0.3 (weight 0.7), 0.4, ... 0.95: cumulative 1/30, 2/30, 0.7 + 2/30, ...
        assert gain["median"] == 0.3 and gain["low"] == 0.1 and gain["high"] == 0.95
        assert gain["mean"] == pytest.approx(0.7 * 0.3 + (GAIN[1:].sum()) / 30)
        expected_sd = math.sqrt(np.sum(LAST_WEIGHTS * (GAIN - gain["mean"]) ** 2))
        assert gain["sd"] == pytest.approx(expected_sd)
        assert (gain["prior_low"], gain["prior_high"], gain["prior_mean"]) == pytest.approx((0.025, 0.975, 0.5))
        assert gain["summary"] == "0.3 [0.1, 0.95] (prior: [0.025, 0.975])"
        narrower = pf.posterior_summary(0.8)  # tails 0.1 and 0.9
        row = narrower[narrower["parameter"] == "/trust/gain"].iloc[0]
        # 0.1: cumulative 2/30 at 0.2 falls short, 0.7 + 2/30 at 0.3 reaches it; 0.9: 0.7 + 6/30 at 0.7 reaches it
        assert row["low"] == 0.3 and row["high"] == 0.7
        mode = summary[summary["parameter"] == "/governance/mode"].set_index("level")
        assert mode["probability"].to_dict() == pytest.approx({"backbone": 4 / 30, "constellation": 0.7,
                                                               "network": 5 / 30})
        assert mode["prior_probability"].tolist() == pytest.approx([1 / 3] * 3)
        assert mode["median"].isna().all()


def test_prior_intervals_of_log_uniform_and_truncated_normal(posterior):
    with PosteriorFile(posterior) as pf:
        summary = pf.posterior_summary(0.95).set_index("parameter")
    log = summary.loc["/population/degree_scale"]
    # log-uniform on [0.01, 10]: the q-quantile is 0.01 * 1000^q; the mean (b - a) / ln(b / a)
    assert log["prior_low"] == pytest.approx(0.01 * 1000 ** 0.025, rel=1e-9)
    assert log["prior_high"] == pytest.approx(0.01 * 1000 ** 0.975, rel=1e-9)
    assert log["prior_mean"] == pytest.approx((10 - 0.01) / math.log(1000), rel=1e-9)
    assert (log["prior_low"], log["prior_high"]) == pytest.approx(stats.loguniform(0.01, 10).ppf([0.025, 0.975]))
    normal = summary.loc["/organizations/*/disclosure"]
    # N(0.5, 0.2) cut to [0, 1]: invert the normal cdf between Phi(-2.5) and Phi(2.5)
    lo_cdf, hi_cdf = stats.norm.cdf(-2.5), stats.norm.cdf(2.5)
    expected = 0.5 + 0.2 * stats.norm.ppf(lo_cdf + np.array([0.025, 0.975]) * (hi_cdf - lo_cdf))
    assert (normal["prior_low"], normal["prior_high"]) == pytest.approx(expected, rel=1e-9)
    assert (normal["prior_low"], normal["prior_high"]) == pytest.approx(
        stats.truncnorm(-2.5, 2.5, loc=0.5, scale=0.2).ppf([0.025, 0.975]))
    assert normal["prior_mean"] == pytest.approx(0.5)  # symmetric truncation
    # One bound only: N(1, 1) cut below at 0.
    one_sided = PosteriorParameter("x", {"distribution": "normal", "mean": 1, "sd": 1, "low": 0}, "continuous")
    prior = one_sided.prior_summary(0.9)
    low_cdf = stats.norm.cdf(-1.0)
    assert prior["low"] == pytest.approx(1 + stats.norm.ppf(low_cdf + 0.05 * (1 - low_cdf)))
    assert prior["mean"] == pytest.approx(1 + stats.norm.pdf(-1.0) / (1 - low_cdf))
    unbounded = PosteriorParameter("y", {"distribution": "normal", "mean": 2, "sd": 3}, "continuous")
    assert unbounded.prior_summary(0.95)["high"] == pytest.approx(2 + 3 * stats.norm.ppf(0.975))


def test_predictive_check_flags_a_target_outside_the_particles(posterior):
    with PosteriorFile(posterior) as pf:
        check = pf.predictive_check(0.95).set_index("target")
    assert check["fit"].to_dict() == {"adopters@12": "good", "adopters@24": "good", "adopters@36": "good",
                                      "retention": "poor"}
    # adopters@12: particle 0 (weight 0.7) simulated 100, the others 101..109
    assert (check.loc["adopters@12", "median"], check.loc["adopters@12", "low"],
            check.loc["adopters@12", "high"]) == (100.0, 100.0, 109.0)
    assert check.loc["adopters@12", "z"] == pytest.approx((101 - 100) / 5)
    assert check.loc["retention", "median"] == pytest.approx(0.8)
    assert check.loc["retention", "z"] == pytest.approx((0.05 - 0.8) / 0.1)


def embedded(page, mime):
    return re.findall(rf'src="data:{re.escape(mime)};base64,([A-Za-z0-9+/=]+)"', page)


def test_report_has_headline_warning_and_figures_in_order(posterior, tmp_path):
    out = tmp_path / "post.html"
    assert build_report(posterior, out, argv=["test"], quiet=True) == str(out)
    page = out.read_text(encoding="utf-8")
    assert "ABC-SMC calibration of scenario tiny_partnership: 4 parameters" in page
    assert "adopters at steps 12, 24, 36; retention (final)" in page
    assert "The calibration stopped because the tolerance reached its target: 3 generations of 10 particles, " \
           "125 simulations in all, final tolerance 0.5" in page
    assert "/trust/gain: 0.3 [0.1, 0.95] (prior: [0.025, 0.975])" in page
    assert "constellation 0.70 (prior 0.33)" in page
    assert "Poor fit: 1 of 4 target components lie outside their 95% posterior predictive interval or more than " \
           "2 scales from its median: retention (observed 0.05, interval [0.8, 0.89], z -7.5)" in page
    anchors = ["headline", "generations", "marginals", "pairs", "predictive", "predictive-table", "provenance"]
    positions = [page.index(f'id="{a}"') for a in anchors]
    assert positions == sorted(positions)
    images = embedded(page, "image/png")
    assert len(images) == 3 == page.count("<img")  # marginals, pairs, predictive check
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert "0123456789ab" in page and "master seed" in page and "p3sim calibrate cal.json" in page
    assert "http://" not in page and "https://" not in page


def test_report_of_a_good_fit_svg_and_a_single_parameter(tmp_path):
    good = write_posterior(tmp_path / "good.h5", observed=[101.0, 205.0, 303.0, 0.82])
    out = tmp_path / "good.html"
    build_report(good, out, fmt="svg", quiet=True)
    page = out.read_text(encoding="utf-8")
    assert "All 4 target components fall inside their 95% posterior predictive intervals." in page
    assert "Poor fit" not in page
    svgs = embedded(page, "image/svg+xml")
    assert len(svgs) == 3 and all(b"<svg" in base64.b64decode(s)[:2000] for s in svgs)
    single = write_posterior(tmp_path / "single.h5", priors=PRIORS[:1])
    build_report(single, tmp_path / "single.html", quiet=True)
    page = (tmp_path / "single.html").read_text(encoding="utf-8")
    assert page.count("<img") == 2 and 'id="pairs"' not in page  # no pairwise figure for one parameter


def test_report_of_an_unfinished_calibration(tmp_path):
    running = write_posterior(tmp_path / "running.h5", stop_reason="", complete=0, generations=2)
    build_report(running, tmp_path / "running.html", quiet=True)
    page = (tmp_path / "running.html").read_text(encoding="utf-8")
    assert "The calibration has not finished (it is still running, or was interrupted)" in page
    assert "2 generations" in page
    empty = write_posterior(tmp_path / "empty.h5", stop_reason="", complete=0, generations=0)
    build_report(empty, tmp_path / "empty.html", quiet=True)
    page = (tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "No generation is complete yet" in page and "<img" not in page and 'id="provenance"' in page


def test_summary_cli_prints_posterior_and_check(posterior, capsys):
    assert main(["summary", posterior]) == 0
    printed = capsys.readouterr().out
    assert "calibration of scenario tiny_partnership, 4 parameters, 4 target components" in printed
    assert "stopped: the tolerance reached its target; 3 generations of 10 particles, 125 simulations" in printed
    gain = next(line for line in printed.splitlines() if line.strip().startswith("/trust/gain"))
    assert "0.3 [0.1, 0.95] (prior: [0.025, 0.975])" in gain
    mode = next(line for line in printed.splitlines() if line.strip().startswith("/governance/mode"))
    assert "constellation 0.70 (prior 0.33)" in mode and "backbone 0.13" in mode
    retention = next(line for line in printed.splitlines() if line.strip().startswith("retention"))
    assert "observed 0.05" in retention and "z -7.50" in retention and retention.endswith("poor")
    assert "1 of 4 target components fit poorly: retention" in printed
    assert main(["summary", posterior, "--by", "governance.mode"]) == 2
    assert "--by and --metric apply to result files" in capsys.readouterr().err


def test_clear_errors_for_files_that_are_not_readable_posteriors(tmp_path, capsys):
    with pytest.raises(ResultFileError, match="no such file"):
        PosteriorFile(tmp_path / "missing.h5")
    text = tmp_path / "text.h5"
    text.write_text("hello")
    with pytest.raises(ResultFileError, match="not an HDF5 file"):
        PosteriorFile(text)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f.attrs["format_version"] = np.int32(2)
        f.create_group("runs")
    with pytest.raises(ResultFileError, match="not a p3sim calibration file .no file_kind attribute.*ResultFile"):
        PosteriorFile(foreign)
    newer = write_posterior(tmp_path / "newer.h5", version=2)
    with pytest.raises(ResultFileError, match=r"calibration_format_version 2 is newer than this analysis "
                                              r"package reads \(up to 1\)"):
        PosteriorFile(newer)
    assert main(["summary", newer]) == 2
    assert "calibration_format_version 2 is newer" in capsys.readouterr().err
    assert main(["report", newer, "-o", str(tmp_path / "x.html")]) == 2
    assert "calibration_format_version 2 is newer" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
    broken = write_posterior(tmp_path / "broken.h5")
    with h5py.File(broken, "r+") as f:
        del f["particles/statistics"]
    with pytest.raises(ResultFileError, match="lacks /particles/statistics"):
        PosteriorFile(broken)
    # A result-file reader given a posterior says what it is.
    with pytest.raises(ResultFileError, match="calibration .posterior. file of p3sim calibrate"):
        ResultFile(write_posterior(tmp_path / "post.h5"))


def test_repeated_target_names_stay_apart(tmp_path):
    # Two single-step series targets of one metric are both named after it (the C++ naming rule).
    targets = [("members", "members", "series", 12, 4.0, 1.0, 1.0),
               ("members", "members", "series", 24, 4.0, 1.0, 1.0),
               ("weight", "retention", "final", -1, 0.85, 0.1, 1.0)]  # "weight" clashes with a particles column
    path = write_posterior(tmp_path / "repeat.h5", targets=targets)
    with PosteriorFile(path) as pf:
        columns = list(pf.particles().columns)
        assert columns[-3:] == ["members@12", "members@24", "statistic:weight"]
        assert pf.predictive_check()["target"].tolist() == ["members@12", "members@24", "weight"]
    build_report(path, tmp_path / "repeat.html", quiet=True)
    page = (tmp_path / "repeat.html").read_text(encoding="utf-8")
    assert "members at steps 12, 24; weight (final retention)" in page
