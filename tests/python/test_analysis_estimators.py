"""The Python estimators against statsmodels (Debian's python3-statsmodels) where it has them, and
by their properties where it does not (docs/estimators.md)."""
import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from p3sim_analysis import estimators as est
from p3sim_analysis.statistics import group_summary, paired_differences


@pytest.mark.parametrize("n", [1, 2, 7, 20, 100, 1000])
def test_wilson_matches_statsmodels(n):
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        lo, hi = est.wilson(k, n)
        ref = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert lo == pytest.approx(max(0.0, ref[0]), abs=1e-12) and hi == pytest.approx(min(1.0, ref[1]), abs=1e-12)


def test_kaplan_meier_median_and_interval_match_statsmodels():
    rng = np.random.default_rng(2026)
    compared = 0
    for trial in range(300):
        n, horizon = int(rng.integers(5, 120)), 48.0
        t = rng.integers(1, 80, n).astype(float)
        reached = t <= horizon
        times = np.where(reached, t, horizon)
        ours = est.km(times, reached.astype(int))
        ref = SurvfuncRight(times, reached.astype(int))
        assert np.allclose(ours[0], ref.surv_times)
        assert np.allclose(ours[1], ref.surv_prob, atol=1e-12)
        assert np.allclose(ours[2], ref.surv_prob_se, atol=1e-12, equal_nan=True)
        if np.any(np.abs(ref.surv_prob - 0.5) < 1e-9):
            continue  # S exactly 1/2: statsmodels' exp-of-logs rounding decides; p3sim says 1/2 is 1/2
        median = est.km_median(ours)
        ref_median = ref.quantile(0.5)
        assert (math.isnan(median) and math.isnan(ref_median)) or median == ref_median
        lo, hi = est.km_median_ci(ours)
        ref_lo, ref_hi = ref.quantile_ci(0.5)
        assert (math.isnan(lo) and math.isnan(ref_lo)) or (lo == ref_lo and hi == ref_hi), trial
        compared += 1
    assert compared > 200


def test_mcnemar_and_holm_match_statsmodels():
    for b, c in [(0, 0), (3, 10), (5, 5), (0, 9), (40, 22)]:
        assert est.mcnemar_exact_p(b, c) == pytest.approx(mcnemar([[1, b], [c, 1]], exact=True).pvalue, abs=1e-12)
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5, 0.2])
    assert np.allclose(est.holm(p), multipletests(p, method="holm")[1])
    assert math.isnan(est.holm([math.nan, 0.1])[0])


def test_newcombe_covers_at_about_the_nominal_rate():
    rng = np.random.default_rng(7)
    p_base, p_up, p_down = 0.6, 0.15, 0.05
    truth = (1 - p_base) * p_up - p_base * p_down
    covered = 0
    for _ in range(3000):
        y0 = rng.random(40) < p_base
        y1 = np.where(y0, rng.random(40) >= p_down, rng.random(40) < p_up)
        a, b = int(np.sum(y0 & y1)), int(np.sum(y1 & ~y0))
        c, d = int(np.sum(y0 & ~y1)), int(np.sum(~y0 & ~y1))
        lo, hi = est.newcombe_paired(a, b, c, d)
        assert -1 <= lo <= hi <= 1
        covered += lo <= truth <= hi
    assert 0.93 < covered / 3000 < 0.99  # method 10 errs on the safe side in small samples


def test_restricted_mean_is_the_area_under_the_curve():
    t = np.array([3, 7, -1, 12, -1, 20, 5, -1], dtype=float)
    summary = est.summarize_metric(t, "time_to_goal", 24)
    times, surv, _ = est.km(np.where(t == -1, 24, t), (t != -1).astype(int))
    steps = np.concatenate([[0], times, [24]])
    heights = np.concatenate([[1], surv])
    area = float(np.sum(np.diff(steps) * heights))
    assert summary["estimate"] == pytest.approx(area)
    # S(12) is exactly 1/2, and the median is the first time S falls below it
    assert summary["reached"] == 5 and summary["median"] == 20.0


def test_tables_never_average_never():
    runs = pd.DataFrame({"mode": ["a"] * 4 + ["b"] * 4, "replicate": [0, 1, 2, 3] * 2, "seed": [1, 2, 3, 4] * 2,
                         "time_to_goal": [10, 10, 10, 10, 5, -1, -1, -1], "goal_reached": [1, 1, 1, 1, 1, 0, 0, 0],
                         "retention": [1, 1, 1, 0.9, 1, 1, 1, 1]})
    runs.attrs["horizon"] = 40.0
    summary = group_summary(runs, "mode", ["time_to_goal", "goal_reached", "retention"]).set_index(["mode", "metric"])
    assert summary.loc[("b", "time_to_goal"), "estimate"] == (5 + 40 * 3) / 4  # not 5, not (5 - 3) / 4
    assert summary.loc[("b", "goal_reached"), "lo"] > 0  # Wilson, not a t interval
    assert summary.loc[("a", "retention"), "hi"] <= 1
    diff = paired_differences(runs, "mode", "time_to_goal").iloc[0]
    assert diff["estimate"] > 0  # b reaches the goal less often: later, never "faster"
    assert diff["share_reached_difference"] == -0.75
