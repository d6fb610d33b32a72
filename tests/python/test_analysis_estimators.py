"""The Python estimators against statsmodels (Debian's python3-statsmodels) where it has them, and
by their properties where it does not (docs/estimators.md); and, on a real sweep, that no summary
averages the -1 ("never") of time_to_goal."""
import json
import math
import os

import h5py
import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from p3sim_analysis import estimators as est
from p3sim_analysis import open_result
from p3sim_analysis.cli import main
from p3sim_analysis.report import build_report
from p3sim_analysis.statistics import group_summary, paired_differences


def censored_sample(rng, n, horizon, high):
    """Times of n runs that reach the goal at a uniform integer step in [1, high), censored at the
    horizon: (times, status, raw) with raw the p3sim coding (-1 = never)."""
    t = rng.integers(1, high, n).astype(float)
    reached = t <= horizon
    return np.where(reached, t, horizon), reached.astype(int), np.where(reached, t, -1.0)


# ---- shares ----------------------------------------------------------------------------------

def test_wilson_matches_statsmodels_for_every_k():
    cases = [(k, n) for n in range(1, 41) for k in range(n + 1)]
    cases += [(k, n) for n in (99, 100, 1000, 12345) for k in sorted({0, 1, 2, n // 7, n // 2, n - 1, n})]
    for k, n in cases:
        lo, hi = est.wilson(k, n)
        ref_lo, ref_hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        # statsmodels may land an ulp outside [0, 1] at k = 0 or n; p3sim cuts there
        assert lo == pytest.approx(max(0.0, ref_lo), abs=1e-12), (k, n)
        assert hi == pytest.approx(min(1.0, ref_hi), abs=1e-12), (k, n)
        assert 0.0 <= lo <= k / n + 1e-12 and k / n - 1e-12 <= hi <= 1.0


def test_wilson_is_not_degenerate_at_the_ends():
    lo, hi = est.wilson(0, 100)
    assert lo == 0.0 and hi == pytest.approx(0.03699, abs=1e-5)  # docs/estimators.md: [0, 0.037]
    lo, hi = est.wilson(100, 100)
    assert hi == 1.0 and lo == pytest.approx(1 - 0.03699, abs=1e-5)
    assert all(math.isnan(v) for v in est.wilson(0, 0))


# ---- Kaplan-Meier ------------------------------------------------------------------------------

def _same_curve(ours, ref):
    assert np.array_equal(ours[0], ref.surv_times)
    assert np.allclose(ours[1], ref.surv_prob, rtol=0, atol=1e-12)
    assert np.array_equal(np.isnan(ours[2]), np.isnan(ref.surv_prob_se))
    assert np.allclose(ours[2], ref.surv_prob_se, rtol=0, atol=1e-12, equal_nan=True)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("horizon,high", [(48.0, 80), (12.0, 16), (30.0, 31)])
def test_kaplan_meier_median_and_interval_match_statsmodels(horizon, high):
    """Random samples censored at the horizon, with many ties (high close to the horizon: most
    runs reach the goal, and often every run at risk at the last event time has it)."""
    rng = np.random.default_rng(int(horizon) * 1000 + high)
    compared = not_reached = no_upper = 0
    for trial in range(300):
        times, status, _ = censored_sample(rng, int(rng.integers(2, 120)), horizon, high)
        ours = est.km(times, status)
        ref = SurvfuncRight(times, status)
        _same_curve(ours, ref)
        if np.any(np.abs(ref.surv_prob - 0.5) < 1e-9):
            continue  # S exactly 1/2: statsmodels' exp-of-logs rounding decides; p3sim says 1/2 is 1/2
        median, ref_median = est.km_median(ours), ref.quantile(0.5)
        assert (math.isnan(median) and math.isnan(ref_median)) or median == ref_median, trial
        lo, hi = est.km_median_ci(ours)
        ref_lo, ref_hi = ref.quantile_ci(0.5)
        assert (math.isnan(lo) and math.isnan(ref_lo)) or (lo == ref_lo and hi == ref_hi), trial
        compared += 1
        not_reached += math.isnan(median)
        no_upper += math.isinf(hi)
    assert compared > 200
    if horizon == 48.0:
        assert not_reached > 10 and no_upper > 10  # both "not reached" cases were exercised


def test_kaplan_meier_standard_error_is_undefined_once_everyone_at_risk_has_the_event():
    times, status = np.array([2.0, 2.0, 5.0, 7.0]), np.array([1, 1, 0, 1])
    t, s, se = est.km(times, status)
    _same_curve((t, s, se), SurvfuncRight(times, status))
    assert list(t) == [2.0, 7.0] and s[-1] == 0.0 and math.isnan(se[-1]) and not math.isnan(se[0])
    assert math.isnan(est.km_median((t, s, se))) is False and est.km_median((t, s, se)) == 7.0


def test_median_at_exactly_one_half_is_the_next_event_time():
    """With censoring only at the horizon S is exactly 1/2 when half the runs reached the goal; the
    median is the first time S falls below 1/2 (here never: not reached)."""
    t = np.array([3.0, 4.0, 24.0, 24.0])
    curve = est.km(t, [1, 1, 0, 0])
    assert curve[1][-1] == 0.5 and math.isnan(est.km_median(curve))
    curve = est.km(np.array([3.0, 4.0, 9.0, 24.0]), [1, 1, 1, 0])
    assert est.km_median(curve) == 9.0


# ---- restricted mean -------------------------------------------------------------------------

def _area_under(times, status, tau):
    """The area under statsmodels' Kaplan-Meier step function from 0 to tau."""
    ref = SurvfuncRight(times, status)
    edges = np.concatenate([[0.0], ref.surv_times[ref.surv_times < tau], [tau]])
    heights = np.concatenate([[1.0], ref.surv_prob[ref.surv_times < tau]])
    return float(np.sum(np.diff(edges) * heights))


def test_restricted_mean_is_the_area_under_the_curve():
    rng = np.random.default_rng(11)
    for _ in range(200):
        n, tau = int(rng.integers(1, 60)), float(rng.integers(5, 50))
        times, status, raw = censored_sample(rng, n, tau, int(tau * 1.6) + 2)
        area = _area_under(times, status, tau)
        assert est.restricted_mean(times, status, tau) == pytest.approx(area, rel=1e-12, abs=1e-12)
        summary = est.summarize_metric(raw, "time_to_goal", tau)
        assert summary["estimate"] == pytest.approx(area, rel=1e-12, abs=1e-12)
        assert summary["estimate"] == pytest.approx(np.mean(times))  # the mean of min(T, tau)
    # censoring before the horizon too: still the area under the curve, no longer a plain mean
    times, status = np.array([2.0, 3.0, 3.0, 6.0, 8.0, 10.0]), np.array([1, 0, 1, 1, 0, 0])
    assert est.restricted_mean(times, status, 10.0) == pytest.approx(_area_under(times, status, 10.0))
    assert est.restricted_mean(times, status, 10.0) != pytest.approx(np.mean(times))


def test_time_summary_never_averages_never():
    t = np.array([3, 7, -1, 12, -1, 20, 5, -1], dtype=float)
    s = est.summarize_metric(t, "time_to_goal", 24)
    assert s["estimate"] == pytest.approx((3 + 7 + 12 + 20 + 5 + 3 * 24) / 8)  # never counts 24, not -1
    assert s["reached"] == 5 and s["share_reached"]["estimate"] == 5 / 8
    assert s["share_reached"]["ci"] == pytest.approx(list(est.wilson(5, 8)))
    # S(12) is exactly 1/2, and the median is the first time S falls below it
    assert s["median"] == 20.0
    never = est.summarize_metric([-1.0] * 6, "time_to_goal", 36)
    assert never["estimate"] == 36 and never["ci"] == [36, 36] and never["median"] is None
    assert never["median_ci"] == [None, None] and never["reached"] == 0


# ---- bounded, amounts, conditional -----------------------------------------------------------

def test_bounded_and_time_intervals_stay_in_range():
    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(2, 15))
        x = np.clip(rng.choice([0.0, 1.0, 0.98, 0.03], n) + rng.normal(0, 0.01, n), 0, 1)
        for metric in ("retention", "mean_trust", "equity"):
            s = est.summarize_metric(x, metric, 24)
            assert 0.0 <= s["ci"][0] <= s["estimate"] <= s["ci"][1] <= 1.0
        y = np.clip(rng.choice([0.0, 1.0, 0.5], n) + rng.normal(0, 0.01, n), 0, 1)
        d = est.paired_metric(x, y, "retention", 24)
        assert -1.0 <= d["ci"][0] <= d["estimate"] <= d["ci"][1] <= 1.0
        t = rng.choice([1.0, 2.0, 23.0, 24.0, -1.0], n)
        s = est.summarize_metric(t, "time_to_goal", 24)
        assert 0.0 <= s["ci"][0] <= s["ci"][1] <= 24.0
        d = est.paired_metric(t, rng.choice([1.0, 24.0, -1.0], n), "time_to_goal", 24)
        assert -24.0 <= d["ci"][0] <= d["ci"][1] <= 24.0
        a = est.summarize_metric(rng.exponential(0.1, n), "outcome", 24)
        assert a["ci"][0] >= 0.0
    # the old Student-t-on-everything numbers: retention's upper bound 1.002, a share's [0, 0]
    assert est.summarize_metric([1, 1, 1, 0.99], "retention", 24)["ci"][1] == 1.0
    assert est.summarize_metric([0] * 100, "goal_reached", 24)["ci"][1] > 0.03


def test_t_interval_matches_the_textbook_formula():
    x = np.array([2.0, 3.0, 1.0, 7.0])
    n, mean, sd, lo, hi = est.t_interval(x)
    half = 3.182446305284263 * np.std(x, ddof=1) / 2  # t(0.975, 3)
    assert (n, mean) == (4, 3.25) and sd == pytest.approx(np.std(x, ddof=1))
    assert (lo, hi) == pytest.approx((3.25 - half, 3.25 + half))
    one = est.summarize_metric([0.5], "retention", 24)
    assert one["n"] == 1 and one["estimate"] == 0.5 and one["sd"] is None and one["ci"] == [None, None]


def test_conditional_metric_is_over_the_defined_runs():
    s = est.summarize_metric([2.0, -1.0, 4.0, -1.0, np.nan], "cost_per_outcome", 24)
    assert s["runs"] == 4 and s["n"] == 2 and s["defined"] == 2 and s["estimate"] == 3.0
    d = est.paired_metric([2.0, -1.0, 4.0, 1.0], [3.0, 5.0, -1.0, 2.0], "cost_per_outcome", 24)
    assert d["n"] == 2 and d["estimate"] == 1.0  # pairs with a -1 on either side are dropped


# ---- paired shares ---------------------------------------------------------------------------

def test_mcnemar_matches_statsmodels():
    rng = np.random.default_rng(3)
    cases = [(0, 0), (3, 10), (5, 5), (0, 9), (40, 22), (0, 1), (1, 0)]
    cases += [tuple(int(v) for v in rng.integers(0, 80, 2)) for _ in range(200)]
    for b, c in cases:
        ref = mcnemar([[7, b], [c, 3]], exact=True).pvalue
        assert est.mcnemar_exact_p(b, c) == pytest.approx(min(1.0, ref), rel=1e-10, abs=1e-14), (b, c)


def test_newcombe_properties():
    # identical samples: the difference 0 and an interval around it
    for a, d in [(10, 0), (0, 10), (4, 6), (1, 1)]:
        lo, hi = est.newcombe_paired(a, 0, 0, d)
        assert lo < 0 < hi or (lo <= 0 <= hi and a * d == 0)
        assert lo <= 0 <= hi
    # every table with up to 12 pairs: inside [-1, 1], containing the estimate
    for n in range(1, 13):
        for a in range(n + 1):
            for b in range(n + 1 - a):
                for c in range(n + 1 - a - b):
                    d = n - a - b - c
                    lo, hi = est.newcombe_paired(a, b, c, d)
                    assert -1.0 <= lo <= (b - c) / n <= hi <= 1.0, (a, b, c, d)
    # symmetric: swapping the two samples mirrors the interval
    lo, hi = est.newcombe_paired(8, 5, 2, 9)
    assert est.newcombe_paired(8, 2, 5, 9) == pytest.approx((-hi, -lo))
    assert all(math.isnan(v) for v in est.newcombe_paired(0, 0, 0, 0))


@pytest.mark.parametrize("p_base,p_up,p_down,n,upper", [
    (0.5, 0.3, 0.1, 80, 0.975), (0.3, 0.2, 0.2, 25, 0.975),  # many discordant pairs: close to 95%
    (0.6, 0.15, 0.05, 40, 0.995), (0.9, 0.5, 0.02, 60, 0.995),  # few: conservative (Newcombe 1998)
])
def test_newcombe_covers_at_about_the_nominal_rate(p_base, p_up, p_down, n, upper):
    """2000 synthetic paired samples: baseline success with p_base; the variant gains a success
    with p_up where the baseline failed and loses it with p_down where it succeeded. 2000 trials
    give a binomial sd of 0.5 percentage points at 95%."""
    rng = np.random.default_rng(7)
    truth = (1 - p_base) * p_up - p_base * p_down
    covered, trials = 0, 2000
    for _ in range(trials):
        y0 = rng.random(n) < p_base
        y1 = np.where(y0, rng.random(n) >= p_down, rng.random(n) < p_up)
        d = est.paired_metric(y0.astype(float), y1.astype(float), "goal_reached", 24)
        covered += d["ci"][0] <= truth <= d["ci"][1]
    assert 0.93 < covered / trials < upper


def test_paired_share_counts_variant_minus_baseline():
    base = np.array([1, 1, 0, 0, 1, np.nan], dtype=float)
    variant = np.array([1, 0, 0, 0, 0, 1], dtype=float)
    d = est.paired_metric(base, variant, "goal_reached", 24)
    assert d["n"] == 5 and d["estimate"] == pytest.approx(-2 / 5) and d["method"] == "newcombe10"
    assert d["ci"] == pytest.approx(list(est.newcombe_paired(1, 0, 2, 2)))
    assert d["p"] == pytest.approx(est.mcnemar_exact_p(0, 2))


# ---- Holm --------------------------------------------------------------------------------------

def test_holm_matches_statsmodels_and_skips_nan():
    rng = np.random.default_rng(13)
    for _ in range(25):  # statsmodels is slow here (about 0.1 s a call)
        p = rng.random(int(rng.integers(1, 15))) ** 3
        assert np.allclose(est.holm(p), multipletests(p, method="holm")[1], rtol=1e-12)
        with_nan = p.copy()
        holes = rng.random(len(p)) < 0.3
        with_nan[holes] = np.nan
        adjusted = est.holm(with_nan)
        assert np.array_equal(np.isnan(adjusted), holes)
        if (~holes).any():  # m counts only the p-values there are
            assert np.allclose(adjusted[~holes], multipletests(p[~holes], method="holm")[1], rtol=1e-12)


# ---- the objects' shapes -------------------------------------------------------------------

COMMON = {"kind", "runs", "n", "estimate", "ci", "method"}
SHAPES = {
    "goal_reached": COMMON | {"successes"},
    "time_to_goal": COMMON | {"reached", "share_reached", "horizon", "median", "median_ci", "sd"},
    "retention": COMMON | {"mean", "sd"},
    "outcome": COMMON | {"mean", "sd"},
    "cost_per_outcome": COMMON | {"defined", "mean", "sd"},
}


@pytest.mark.parametrize("values", [[], [1.0], [0.0, 1.0, -1.0, 3.0], [-1.0, -1.0], [5.0, 5.0, 5.0]])
def test_objects_have_the_documented_keys_and_no_nan(values):
    for metric, keys in SHAPES.items():
        s = est.summarize_metric(values, metric, 24)
        assert set(s) == keys, metric
        json.dumps(s, allow_nan=False)  # None, never NaN or inf
        d = est.paired_metric(values, values[::-1], metric, 24)
        expected = {"kind", "n", "estimate", "ci", "p", "method"} | (set() if metric == "goal_reached" else {"sd"})
        assert set(d) == expected | ({"share_reached_difference"} if metric == "time_to_goal" else set()), metric
        json.dumps(d, allow_nan=False)
    assert est.metric_kind("exits_shock") == "amount" and est.metric_kind("something_new") == "amount"
    assert {k for k, v in est.METRIC_KINDS.items() if v == "bounded"} == {
        "retention", "mean_trust", "cross_trust", "equity"}
    assert {k for k, v in est.METRIC_KINDS.items() if v == "conditional"} == {
        "cost_per_outcome", "acceptability", "acceptability_sd"}


# ---- tables ----------------------------------------------------------------------------------

def test_tables_never_average_never():
    runs = pd.DataFrame({"mode": ["a"] * 4 + ["b"] * 4, "replicate": [0, 1, 2, 3] * 2, "seed": [1, 2, 3, 4] * 2,
                         "time_to_goal": [10, 10, 10, 10, 5, -1, -1, -1], "goal_reached": [1, 1, 1, 1, 1, 0, 0, 0],
                         "retention": [1, 1, 1, 0.9, 1, 1, 1, 1]})
    runs.attrs["horizon"] = 40.0
    summary = group_summary(runs, "mode", ["time_to_goal", "goal_reached", "retention"]).set_index(["mode", "metric"])
    assert summary.loc[("b", "time_to_goal"), "estimate"] == (5 + 40 * 3) / 4  # not 5, not (5 - 3) / 4
    assert "not reached" in summary.loc[("b", "time_to_goal"), "summary"]
    assert summary.loc[("b", "goal_reached"), "lo"] > 0  # Wilson, not a t interval
    assert summary.loc[("a", "retention"), "hi"] <= 1
    diff = paired_differences(runs, "mode", "time_to_goal").iloc[0]
    assert diff["estimate"] > 0  # b reaches the goal less often: later, never "faster"
    assert diff["share_reached_difference"] == -0.75


# ---- a real sweep ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mixed_file(run_sweep):
    """The tiny partnership at three goal targets x 12 replicates over 30 months: the low target is
    always reached, the middle one sometimes, the high one never (time_to_goal -1)."""
    sweep = {"scenario": os.path.join(os.environ["P3SIM_SOURCE_DIR"], "scenarios", "tiny_partnership.json"),
             "replications": 12, "seed": 5, "steps": 30, "parameters": {"/goal/target": [500, 800, 1100]},
             "record": {"series": ["outcome"], "every": 6, "events": False}}
    return run_sweep(sweep, "mixed_goal")


def test_time_to_goal_summaries_of_a_sweep_never_average_never(mixed_file, tmp_path, capsys):
    with h5py.File(mixed_file, "r") as f:
        raw = f["final/time_to_goal"][:]
        assert f["final/time_to_goal"].attrs["missing_value"] == -1
    assert (raw == -1).any() and (raw > 0).any()  # the sweep has both
    with open_result(mixed_file) as rf:
        runs, tau = rf.runs(), rf.horizon
    assert tau == 30
    table = group_summary(runs, "goal.target", ["time_to_goal", "goal_reached"]).set_index(["goal.target", "metric"])
    groups = 0
    for target, group in runs.groupby("goal.target"):
        t = group["time_to_goal"].to_numpy(dtype=float)
        row = table.loc[(target, "time_to_goal")]
        restricted = np.where(t == -1, tau, t)
        assert row["estimate"] == pytest.approx(restricted.mean())
        assert row["reached"] == (t != -1).sum() == table.loc[(target, "goal_reached"), "successes"]
        assert 0 <= row["lo"] <= row["hi"] <= tau
        if (t == -1).any() and (t != -1).any():
            # never counts the horizon: above the mean of the runs that reached it, and not
            # the average with the -1 codes in it
            assert row["estimate"] > t[t != -1].mean()
            assert row["estimate"] != pytest.approx(t.mean())
            groups += 1
        if (t == -1).mean() >= 0.5:
            assert math.isnan(row["median"]) and "median not reached" in row["summary"]
        if (t == -1).all():
            assert row["estimate"] == tau
    assert groups >= 1
    # the command line and the report say the same
    assert main(["summary", mixed_file, "--by", "goal.target", "--metric", "time_to_goal"]) == 0
    printed = capsys.readouterr().out
    assert "median not reached" in printed and "restricted mean 30 [30, 30] within 30" in printed
    assert "-1 " not in printed and "[-1" not in printed
    out = tmp_path / "mixed.html"
    build_report(mixed_file, out, quiet=True)
    page = out.read_text(encoding="utf-8")
    assert 'id="time-to-goal"' in page and "Kaplan-Meier" in page
