"""Means, t intervals and paired differences over replicates.

The intervals are those of ``p3sim compare`` and ``p3sim summarize`` (docs/analysis.md): mean +/-
t(0.975, n - 1) sd / sqrt(n). A paired difference pairs the runs of two variants that share a
replicate (and hence, under common random numbers, a seed) and everything else that was varied; its
interval is the t interval of the per-pair differences, usually much narrower than the two
variants' own intervals because the shared randomness cancels.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: Final metrics whose value -1 means "not defined" rather than a number (docs/model.md section 14).
SENTINEL_MINUS_ONE = ("cost_per_outcome", "time_to_goal")


def metric_values(table: pd.DataFrame, metric: str) -> pd.Series:
    """A metric column with its "undefined" sentinel turned into NaN: ``cost_per_outcome`` is -1
    when the outcome is 0 and ``time_to_goal`` is -1 when the goal was never reached."""
    values = table[metric].astype(float)
    if metric in SENTINEL_MINUS_ONE:
        values = values.where(values != -1.0)
    return values


def t_interval(values, level: float = 0.95) -> dict:
    """n, mean, sd, lo, hi and half_width of the t interval of the finite ``values``.

    With fewer than two finite values, sd and the interval are NaN (mean is NaN with none).
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    mean = float(np.mean(x)) if n else float("nan")
    if n < 2:
        return {"n": n, "mean": mean, "sd": float("nan"), "lo": float("nan"), "hi": float("nan"),
                "half_width": float("nan")}
    sd = float(np.std(x, ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n))
    return {"n": n, "mean": mean, "sd": sd, "lo": mean - half, "hi": mean + half, "half_width": half}


def group_summary(table: pd.DataFrame, by: str, metrics, level: float = 0.95) -> pd.DataFrame:
    """One row per (level of ``by``, metric): n, mean, sd, lo, hi, half_width of the t interval."""
    rows = []
    for value, group in table.groupby(by, sort=True, observed=True):
        for metric in metrics:
            rows.append({by: value, "metric": metric, **t_interval(metric_values(group, metric), level)})
    return pd.DataFrame(rows)


def shares_seeds(table: pd.DataFrame) -> bool:
    """True when every replicate uses one seed for all its runs (common random numbers), so that
    runs of one replicate can be paired."""
    if table.empty:
        return False
    return bool((table.groupby("replicate")["seed"].nunique() == 1).all())


def paired_differences(table: pd.DataFrame, by: str, metric: str, baseline=None, pair_on=("replicate",),
                       level: float = 0.95) -> pd.DataFrame:
    """Differences of ``metric`` between each level of ``by`` and the baseline level, paired.

    Args:
        table: runs table (one row per run).
        by: the column naming the variant (e.g. ``governance.mode`` or ``pitfalls``).
        baseline: the baseline level (default: the first level in sort order).
        pair_on: columns that identify a pair: the replicate, plus anything else that varies and
            should be held equal (other parameters).
    Returns:
        one row per non-baseline level: ``by``, metric, baseline, n (pairs with both values
        finite), mean, sd, lo, hi, half_width of the mean difference (level minus baseline).
    """
    pair_on = list(pair_on)
    levels = list(pd.unique(table[by].sort_values()))
    if baseline is None:
        baseline = levels[0]
    values = table[pair_on + [by]].copy()
    values["_y"] = metric_values(table, metric)
    base = values[values[by] == baseline].drop(columns=by)
    rows = []
    for value in levels:
        if value == baseline:
            continue
        other = values[values[by] == value].drop(columns=by)
        joined = other.merge(base, on=pair_on, suffixes=("", "_base"))
        rows.append({by: value, "metric": metric, "baseline": baseline,
                     **t_interval(joined["_y"] - joined["_y_base"], level)})
    return pd.DataFrame(rows)
