"""The estimators behind every interval p3sim reports, by the kind of the metric.

This is the Python twin of ``sim/stats/Estimators.cpp``: the same definitions (docs/estimators.md),
the same numbers (``tests/python/test_stats_agree.py`` runs both on the same files). In short:

* shares (``goal_reached``): Wilson score interval (Wilson 1927); paired: Newcombe's hybrid score
  interval, method 10 (Newcombe 1998), with the exact McNemar test;
* times that may never come (``time_to_goal``, -1 = never within the horizon): right-censored at
  the horizon; the share reached (Wilson), the Kaplan-Meier median with the Brookmeyer-Crowley
  interval on the complementary log-log scale (as SAS and statsmodels), and the restricted mean
  time within the horizon (Royston and Parmar 2013); paired: restricted times, paired t;
* bounded metrics (in [0, 1]) and amounts (>= 0): t intervals cut to the range; paired t;
* ``cost_per_outcome`` (-1 = undefined): over the runs where it is defined;
* Holm's step-down adjustment (Holm 1979) over a table of comparisons.

The -1 codes are never averaged. Only numpy and scipy are needed.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

#: the 0.975 quantile of the standard normal distribution
Z95 = 1.959963984540054
#: the value coding "never" (times) and "undefined" (conditional metrics)
SENTINEL = -1.0
#: an S(t) within this of 1/2 is 1/2 (S is exactly 1/2 whenever half the runs reached the goal)
HALF_TOLERANCE = 1e-9

METRIC_KINDS = {
    "goal_reached": "share",
    "time_to_goal": "time",
    "retention": "bounded", "mean_trust": "bounded", "cross_trust": "bounded", "equity": "bounded",
    "acceptability": "conditional", "acceptability_sd": "conditional",
    "cost_per_outcome": "conditional",
}
#: the largest value a metric takes where defined (intervals are cut to it); inf when absent
UPPER_BOUNDS = {"retention": 1.0, "mean_trust": 1.0, "cross_trust": 1.0, "equity": 1.0, "acceptability": 1.0}


def metric_kind(name: str) -> str:
    """"share", "time", "bounded", "conditional" or "amount" (every other final metric)."""
    return METRIC_KINDS.get(name, "amount")


def _none(v):
    """A float, or None for NaN and infinities (the --json convention)."""
    return None if v is None or not math.isfinite(v) else float(v)


def _clip(lo, hi, lo_bound, hi_bound):
    if math.isnan(lo) or math.isnan(hi):
        return lo, hi
    return max(lo_bound, lo), min(hi_bound, hi)


def wilson(k: int, n: int):
    """Wilson score 95% interval (lo, hi) of k successes in n trials (Wilson 1927; Brown, Cai and
    DasGupta 2001): centre (k + z²/2)/(n + z²), half-width z·sqrt(k(n - k)/n + z²/4)/(n + z²),
    as statsmodels' ``proportion_confint(k, n, method="wilson")``; (nan, nan) for n == 0."""
    if n == 0:
        return math.nan, math.nan
    z2 = Z95 * Z95
    centre = (k + z2 / 2) / (n + z2)
    half = Z95 * math.sqrt(k * (n - k) / n + z2 / 4) / (n + z2)
    return _clip(centre - half, centre + half, 0.0, 1.0)


def km(times, reached):
    """Kaplan-Meier product-limit estimate (Kaplan and Meier 1958) at the distinct event times.

    Args:
        times: each run's time: the step it reached the goal, or the horizon for a run that never
            did (censored there).
        reached: 1 (or True) where the run reached the goal at ``times[i]``, 0 where it is censored.
    Returns:
        (event_times, S, se): S(t) as a running product of (1 - d/n) over the event times, and its
        standard error by Greenwood's formula (Greenwood 1926), se = S·sqrt(sum d/(n(n - d))),
        with statsmodels' conventions (``SurvfuncRight``): NaN from the first event time at which
        every run still at risk has the event onwards, and n(n - d) floored at 1e-12.
    """
    times = np.asarray(times, dtype=float)
    event = np.asarray(reached, dtype=float) != 0
    order = np.argsort(times, kind="stable")
    t_sorted, e_sorted = times[order], event[order]
    out_t, out_s, out_se = [], [], []
    s, greenwood, defined = 1.0, 0.0, True
    at_risk = len(times)
    i = 0
    while i < len(t_sorted):
        t = t_sorted[i]
        j = i
        deaths = 0
        while j < len(t_sorted) and t_sorted[j] == t:
            deaths += int(e_sorted[j])
            j += 1
        if deaths > 0:
            n, d = float(at_risk), float(deaths)
            s *= 1 - d / n
            if deaths == at_risk:
                defined = False
            if defined:
                greenwood += d / max(n * (n - d), 1e-12)
            out_t.append(t)
            out_s.append(s)
            out_se.append(s * math.sqrt(greenwood) if defined else math.nan)
        at_risk -= j - i
        i = j
    return np.array(out_t, dtype=float), np.array(out_s, dtype=float), np.array(out_se, dtype=float)


def restricted_mean(times, reached, tau: float) -> float:
    """Restricted mean time within the horizon (RMST; Royston and Parmar 2013): the area under the
    Kaplan-Meier curve S(t) from 0 to ``tau`` (arguments as :func:`km`; event times after ``tau``
    are ignored). When every censored run is censored at ``tau`` this is exactly the mean of
    min(T, tau), a run that never reached the goal counting ``tau``. NaN for no runs."""
    if len(np.asarray(times)) == 0 or not math.isfinite(tau):
        return math.nan
    event_times, surv, _ = km(times, reached)
    area, last_t, last_s = 0.0, 0.0, 1.0
    for t, s in zip(event_times, surv):
        if t >= tau:
            break
        area += (t - last_t) * last_s
        last_t, last_s = t, s
    return float(area + (tau - last_t) * last_s)


def km_median(curve) -> float:
    """Kaplan-Meier median of ``curve`` (the result of :func:`km`): the first event time with
    S(t) < 1/2, the strict inequality of SAS PROC LIFETEST and statsmodels'
    ``SurvfuncRight.quantile(0.5)``, an S within 1e-9 of 1/2 counting as 1/2; NaN when S never
    falls below 1/2 ("not reached")."""
    times, surv, _ = curve
    below = np.flatnonzero(surv < 0.5 - HALF_TOLERANCE)
    return float(times[below[0]]) if len(below) else math.nan


def km_median_ci(curve):
    """95% interval (lo, hi) of the Kaplan-Meier median of ``curve`` (the result of :func:`km`)
    by inverting the z test of S(t) = 1/2 on the complementary log-log scale (Brookmeyer and
    Crowley 1982; SAS PROC LIFETEST, statsmodels' ``SurvfuncRight.quantile_ci(0.5)``): the event
    times with |g(S) - g(1/2)| <= z·|g'(S)|·se(S), g(x) = log(-log x); lo is the first of them, hi
    the event time after the last of them, inf ("not reached") when that is the last event time;
    (nan, nan) when no event time qualifies (an S of 0 or an undefined se never does)."""
    times, surv, se = curve
    qualifying = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(len(times)):
            s = surv[j]
            g = math.log(-math.log(s)) if 0 < s < 1 else (math.inf if s == 0 else math.nan)
            g_prime = -1 / (s * math.log(s)) if 0 < s < 1 else math.nan
            r = (g - math.log(-math.log(0.5))) / (g_prime * se[j])
            if abs(r) <= Z95:
                qualifying.append(j)
    if not qualifying:
        return math.nan, math.nan
    after = qualifying[-1] + 1
    return float(times[qualifying[0]]), (math.inf if after == len(times) else float(times[after]))


def t_interval(values, lo_bound=-math.inf, hi_bound=math.inf):
    """Student's t 95% interval of the mean of the finite ``values``, intersected with
    [lo_bound, hi_bound] (the range the true mean lies in, so the cut never lowers coverage).

    Returns:
        (n, mean, sd, lo, hi): sd with n - 1 in the denominator; the half-width
        t(0.975, n - 1)·sd/sqrt(n) (scipy's ``t.ppf``); sd, lo and hi NaN for n < 2.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return 0, math.nan, math.nan, math.nan, math.nan
    mean = float(np.mean(x))
    if n < 2:
        return n, mean, math.nan, math.nan, math.nan
    sd = float(np.sqrt(np.sum((x - mean) ** 2) / (n - 1)))
    half = 0.0 if sd == 0 else float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    lo, hi = _clip(mean - half, mean + half, lo_bound, hi_bound)
    return n, mean, sd, lo, hi


def paired_t_p(d) -> float:
    """Two-sided p-value of Student's paired t test of the differences ``d`` (mean 0): NaN for
    fewer than two, 1 when all are 0, 0 when all are the same non-zero number."""
    n, mean, sd, _, _ = t_interval(d)
    if n < 2:
        return math.nan
    if sd == 0:
        return 1.0 if mean == 0 else 0.0
    t = mean / (sd / math.sqrt(n))
    return min(1.0, 2 * float(stats.t.sf(abs(t), n - 1)))


def mcnemar_exact_p(b: int, c: int) -> float:
    """Exact McNemar test (McNemar 1947, exact form): the two-sided binomial test of b successes
    in b + c discordant pairs at 1/2, min(1, 2·P(X <= min(b, c))), as statsmodels'
    ``mcnemar(table, exact=True)``; 1 when b + c = 0."""
    if b + c == 0:
        return 1.0
    return min(1.0, 2 * float(stats.binom.cdf(min(b, c), b + c, 0.5)))


def newcombe_paired(a: int, b: int, c: int, d: int):
    """Newcombe's hybrid score 95% interval for the difference p1 - p2 of paired proportions
    (Newcombe 1998, Statistics in Medicine 17:2635, method 10): Wilson intervals of both
    margins combined with the continuity-corrected phi correlation of the 2x2 table.
    a = pairs with both 1, b = first only, c = second only, d = neither; p1 = (a + b)/n,
    p2 = (a + c)/n. Inside [-1, 1]; (nan, nan) for no pairs."""
    n = a + b + c + d
    if n == 0:
        return math.nan, math.nan
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n)
    l2, u2 = wilson(a + c, n)
    product = float(a + b) * float(c + d) * float(a + c) * float(b + d)
    cross = float(a) * float(d) - float(b) * float(c)
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0.0)
    phi = corrected / math.sqrt(product) if product > 0 else 0.0
    dl1, du1, dl2, du2 = p1 - l1, u1 - p1, p2 - l2, u2 - p2
    lower = math.sqrt(max(0.0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2))
    upper = math.sqrt(max(0.0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2))
    return _clip(p1 - p2 - lower, p1 - p2 + upper, -1.0, 1.0)


def holm(pvalues):
    """Holm's step-down adjusted p-values (Holm 1979), as statsmodels'
    ``multipletests(p, method="holm")``: sorted ascending, p_(i) times m - i + 1, made monotone,
    capped at 1. NaN entries stay NaN and are not counted in m."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(len(p), math.nan)
    valid = [i for i in range(len(p)) if not math.isnan(p[i])]
    valid.sort(key=lambda i: p[i])  # stable: ties keep their order
    m, running = len(valid), 0.0
    for j, i in enumerate(valid):
        running = max(running, min(1.0, (m - j) * p[i]))
        out[i] = running
    return out


def summarize_metric(values, metric: str, horizon: float) -> dict:
    """One group's estimate of ``metric`` by its kind: the object ``p3sim summarize --json``
    prints for it (docs/estimators.md). Undefined numbers are None, never NaN.

    Args:
        values: one entry per done run of the group (NaN: no value, left out).
        metric: the final metric's name (its kind: :func:`metric_kind`).
        horizon: tau, the runs' step count (the result file's root attribute ``steps``).
    Returns:
        a dict with ``kind``, ``runs`` (the group's runs with a value), ``n``, ``estimate``,
        ``ci`` ([lo, hi]) and ``method``, and by kind:

        * share (``method`` "wilson"): ``successes``; estimate k/n with the Wilson interval;
        * time ("restricted_mean_t"): ``reached`` (k), ``share_reached`` ({estimate, ci},
          Wilson), ``horizon``, ``median`` (None: not reached), ``median_ci`` ([lo, hi], hi None:
          not reached; both None: no interval) and ``sd``; estimate and ci are the restricted mean
          time within the horizon (the mean of min(T, tau)) and its t interval within [0, tau];
        * bounded, amount ("t"): ``mean`` and ``sd``; the t interval within [0, 1] or [0, inf);
        * conditional ("t"): ``defined``, ``mean``, ``sd``; n (= defined) counts the runs whose
          value is not -1, the t interval is over those, within [0, inf).

        sd and ci are None for n < 2.
    """
    kind = metric_kind(metric)
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    out = {"kind": kind, "runs": int(len(x))}
    if kind == "share":
        k = int(np.sum(x >= 0.5))
        lo, hi = wilson(k, len(x))
        out.update(n=int(len(x)), estimate=_none(k / len(x)) if len(x) else None, ci=[_none(lo), _none(hi)],
                   method="wilson", successes=k)
        return out
    if kind == "time":
        reached = x != SENTINEL
        k = int(np.sum(reached))
        times = np.where(reached, x, horizon)
        curve = km(times, reached.astype(int))
        med_lo, med_hi = km_median_ci(curve)
        n, mean, sd, lo, hi = t_interval(np.where(reached, np.minimum(x, horizon), horizon), 0.0, horizon)
        s_lo, s_hi = wilson(k, len(x))
        out.update(n=int(len(x)), estimate=_none(mean), ci=[_none(lo), _none(hi)], method="restricted_mean_t",
                   reached=k, share_reached={"estimate": _none(k / len(x)) if len(x) else None,
                                             "ci": [_none(s_lo), _none(s_hi)]},
                   horizon=float(horizon), median=_none(km_median(curve)),
                   median_ci=[_none(med_lo), _none(med_hi)], sd=_none(sd))
        return out
    if kind == "conditional":
        x = x[x != SENTINEL]
    n, mean, sd, lo, hi = t_interval(x, 0.0, UPPER_BOUNDS.get(metric, math.inf))
    out.update(n=int(n), estimate=_none(mean), ci=[_none(lo), _none(hi)], method="t", mean=_none(mean), sd=_none(sd))
    if kind == "conditional":
        out["defined"] = int(n)
    return out


def paired_metric(baseline, variant, metric: str, horizon: float) -> dict:
    """The paired difference variant - baseline of ``metric`` by its kind (docs/estimators.md):
    the ``difference`` object of ``p3sim compare --json`` without ``holm_p`` and ``half_width``.

    Args:
        baseline, variant: aligned per replicate (entry r of both is replicate r); NaN marks a
            failed or missing run and drops the pair; for a conditional metric a -1 on either
            side drops it too.
        horizon: tau, the runs' step count.
    Returns:
        a dict with ``kind``, ``n`` (pairs), ``estimate``, ``ci`` ([lo, hi]), ``p`` and
        ``method``; ``sd`` (of the differences) unless a share:

        * share ("newcombe10"): the difference of the shares, Newcombe's method 10 interval, the
          exact McNemar p;
        * time ("restricted_mean_paired_t"): the mean difference of min(T, tau) (never counting
          tau), paired t interval within [-tau, tau], paired t p; and
          ``share_reached_difference`` ({estimate, ci, p}: Newcombe and McNemar on reached);
        * bounded, amount, conditional ("paired_t"): the mean difference, paired t interval
          (within [-1, 1] for bounded), paired t p.
    """
    kind = metric_kind(metric)
    x0, x1 = np.asarray(baseline, dtype=float), np.asarray(variant, dtype=float)
    keep = np.isfinite(x0) & np.isfinite(x1)
    if kind == "conditional":
        keep &= (x0 != SENTINEL) & (x1 != SENTINEL)
    x0, x1 = x0[keep], x1[keep]
    n = int(len(x0))
    out = {"kind": kind, "n": n}

    def binary(y0, y1):
        a, b = int(np.sum(y0 & y1)), int(np.sum(y1 & ~y0))
        c, d = int(np.sum(y0 & ~y1)), int(np.sum(~y0 & ~y1))
        lo, hi = newcombe_paired(a, b, c, d)
        estimate = (b - c) / n if n else math.nan
        return {"estimate": _none(estimate), "ci": [_none(lo), _none(hi)],
                "p": _none(mcnemar_exact_p(b, c)) if n else None}

    def paired_t(d, bound):
        _, mean, sd, lo, hi = t_interval(d, -bound, bound)
        out.update(estimate=_none(mean), ci=[_none(lo), _none(hi)], p=_none(paired_t_p(d)), sd=_none(sd))

    if kind == "share":
        out.update(binary(x0 >= 0.5, x1 >= 0.5), method="newcombe10")
        return out
    if kind == "time":
        def restricted(v):
            return np.where(v == SENTINEL, horizon, np.minimum(v, horizon))
        paired_t(restricted(x1) - restricted(x0), horizon)
        out["method"] = "restricted_mean_paired_t"
        out["share_reached_difference"] = binary(x0 != SENTINEL, x1 != SENTINEL)
        return out
    paired_t(x1 - x0, UPPER_BOUNDS.get(metric, math.inf))
    out["method"] = "paired_t"
    return out
