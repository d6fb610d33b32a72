"""Group summaries and paired differences over replicates, as tables.

Every number comes from :mod:`.estimators`, the twin of the C++ estimators behind ``p3sim
summarize`` and ``p3sim compare`` (docs/estimators.md): the estimator follows the metric's kind, so
a share gets a Wilson interval, ``time_to_goal`` is treated as right-censored at the horizon (the
share reached, the Kaplan-Meier median and the restricted mean time; its -1 is never averaged),
bounded metrics keep their intervals inside [0, 1], and paired differences use Newcombe's interval
for shares and paired restricted times for times. Tables of several comparisons carry
Holm-adjusted p-values.

A paired difference pairs the runs of two variants that share a replicate (and hence, under common
random numbers, a seed) and everything else that was varied.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .estimators import SENTINEL, holm, metric_kind, paired_metric, summarize_metric


def horizon_of(table: pd.DataFrame, horizon=None) -> float:
    """The horizon of the runs in ``table`` (set by :meth:`ResultFile.runs`), unless given."""
    if horizon is not None:
        return float(horizon)
    if "horizon" in table.attrs:
        return float(table.attrs["horizon"])
    return math.nan


def metric_values(table: pd.DataFrame, metric: str, horizon=None) -> pd.Series:
    """A metric column as numbers that may be averaged: ``time_to_goal`` as the restricted time
    min(T, horizon), a run that never reached the goal counting the horizon (NaN when the horizon
    is unknown); ``cost_per_outcome`` with its "undefined" -1 as NaN."""
    values = table[metric].astype(float)
    kind = metric_kind(metric)
    if kind == "time":
        h = horizon_of(table, horizon)
        return values.where(values != SENTINEL, h).clip(upper=h)
    if kind == "conditional":
        return values.where(values != SENTINEL)
    return values


def _row(estimate: dict) -> dict:
    """Flattens an estimate object into table columns (``mean`` is the estimate, for plotting)."""
    lo, hi = (np.nan if v is None else v for v in estimate["ci"])
    row = {"kind": estimate["kind"], "n": estimate["n"],
           "summary": describe_difference(estimate) if "p" in estimate else describe_estimate(estimate),
           "estimate": _nan(estimate["estimate"]),
           "mean": _nan(estimate["estimate"]), "sd": _nan(estimate.get("sd")), "lo": lo, "hi": hi,
           "half_width": (hi - lo) / 2, "method": estimate["method"]}
    if "successes" in estimate:
        row["successes"] = estimate["successes"]
    if estimate["kind"] == "time" and "reached" in estimate:
        row.update(reached=estimate["reached"], share_reached=_nan(estimate["share_reached"]["estimate"]),
                   median=_nan(estimate["median"]), median_lo=_nan(estimate["median_ci"][0]),
                   median_hi=np.inf if estimate["median_ci"][1] is None and estimate["median_ci"][0] is not None
                   else _nan(estimate["median_ci"][1]), horizon=estimate["horizon"])
    if "p" in estimate:
        row["p"] = _nan(estimate["p"])
    if "share_reached_difference" in estimate:
        share = estimate["share_reached_difference"]
        row.update(share_reached_difference=_nan(share["estimate"]), share_reached_lo=_nan(share["ci"][0]),
                   share_reached_hi=_nan(share["ci"][1]), share_reached_p=_nan(share["p"]))
    return row


def _nan(v):
    return np.nan if v is None else float(v)


def _number(v) -> str:
    """A number as ``p3sim summarize`` prints it (4 significant digits; "-" when undefined)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{0.0 if v == 0 else float(v):.4g}"


def _percent(v) -> str:
    if v is None or math.isnan(v):
        return "-"
    return f"{100 * v:.1f}%" if v != 0 and abs(v) < 0.01 else f"{100 * v:.0f}%"


def _interval(ci) -> str:
    lo, hi = ci
    if lo is None:
        return "-"
    return f"[{_number(lo)}, {'not reached' if hi is None else _number(hi)}]"


def _share(estimate, ci) -> str:
    if estimate is None:
        return "-"
    return f"{_percent(estimate)} [{_percent(_nan(ci[0]))}, {_percent(_nan(ci[1]))}]"


def describe_estimate(estimate: dict) -> str:
    """One line for a :func:`~.estimators.summarize_metric` object, as ``p3sim summarize``
    prints it: a share in percent with its Wilson interval; a time as the share reached, the
    Kaplan-Meier median [interval] or "not reached", and the restricted mean within the horizon;
    otherwise the mean [interval]."""
    n, kind = estimate["n"], estimate["kind"]
    if kind == "share":
        return f"{_share(estimate['estimate'], estimate['ci'])} ({estimate['successes']} of {n})"
    if kind == "time":
        share = estimate["share_reached"]
        median = ("not reached" if estimate["median"] is None
                  else f"{_number(estimate['median'])} {_interval(estimate['median_ci'])}")
        return (f"reached in {estimate['reached']} of {n} ({_share(share['estimate'], share['ci'])}); "
                f"median {median}; restricted mean {_number(estimate['estimate'])} {_interval(estimate['ci'])} "
                f"within {_number(estimate['horizon'])}")
    text = f"{_number(estimate['estimate'])} {_interval(estimate['ci'])}"
    if kind == "conditional":
        return f"{text} (mean of the {n} of {estimate['runs']} runs where defined)"
    return f"{text} (mean of {n})"


def describe_difference(difference: dict) -> str:
    """One line for a :func:`~.estimators.paired_metric` object, as ``p3sim compare`` prints it."""
    estimate = difference["estimate"]
    sign = "+" if estimate is not None and estimate > 0 else ""
    if difference["kind"] == "share":
        lo, hi = (_nan(v) for v in difference["ci"])
        text = f"{sign}{_percent(_nan(estimate))} [{_percent(lo)}, {_percent(hi)}]"
    else:
        text = f"{sign}{_number(estimate)} {_interval(difference['ci'])}"
    text += f" (p {_number(difference['p'])}, {difference['n']} pairs)"
    if "share_reached_difference" in difference:
        share = difference["share_reached_difference"]
        sign = "+" if share["estimate"] is not None and share["estimate"] > 0 else ""
        lo, hi = (_nan(v) for v in share["ci"])
        text += f"; reached {sign}{_percent(_nan(share['estimate']))} [{_percent(lo)}, {_percent(hi)}]"
    return text


def group_summary(table: pd.DataFrame, by: str, metrics, horizon=None) -> pd.DataFrame:
    """One row per (level of ``by``, metric): kind, n, summary (the estimate in words, as
    ``p3sim summarize`` prints it), estimate (also as ``mean``: for a time the restricted mean,
    never a mean of -1 codes), sd, lo, hi, half_width, method and the kind's own columns (see
    :func:`~.estimators.summarize_metric`)."""
    h = horizon_of(table, horizon)
    rows = []
    for value, group in table.groupby(by, sort=True, observed=True):
        for metric in metrics:
            rows.append({by: value, "metric": metric, **_row(summarize_metric(group[metric], metric, h))})
    return pd.DataFrame(rows)


def shares_seeds(table: pd.DataFrame) -> bool:
    """True when every replicate uses one seed for all its runs (common random numbers), so that
    runs of one replicate can be paired."""
    if table.empty:
        return False
    return bool((table.groupby("replicate")["seed"].nunique() == 1).all())


def paired_differences(table: pd.DataFrame, by: str, metric: str, baseline=None, pair_on=("replicate",),
                       horizon=None) -> pd.DataFrame:
    """Differences of ``metric`` between each level of ``by`` and the baseline level, paired.

    Args:
        table: runs table (one row per run).
        by: the column naming the variant (e.g. ``governance.mode`` or ``pitfalls``).
        baseline: the baseline level (default: the first level in sort order).
        pair_on: columns that identify a pair: the replicate, plus anything else that varies and
            should be held equal (other parameters).
    Returns:
        one row per non-baseline level: ``by``, metric, baseline, and the paired difference of the
        metric's kind (:func:`~.estimators.paired_metric`): n (pairs), summary (in words),
        estimate (also as ``mean``), lo, hi, half_width, p, method; for times also the difference
        of the shares reached.
    """
    h = horizon_of(table, horizon)
    pair_on = list(pair_on)
    levels = list(pd.unique(table[by].sort_values()))
    if baseline is None:
        baseline = levels[0]
    values = table[pair_on + [by]].copy()
    values["_y"] = table[metric].astype(float)
    base = values[values[by] == baseline].drop(columns=by)
    rows = []
    for value in levels:
        if value == baseline:
            continue
        other = values[values[by] == value].drop(columns=by)
        joined = other.merge(base, on=pair_on, suffixes=("", "_base"))
        rows.append({by: value, "metric": metric, "baseline": baseline,
                     **_row(paired_metric(joined["_y_base"], joined["_y"], metric, h))})
    return pd.DataFrame(rows)


def with_holm(differences: pd.DataFrame) -> pd.DataFrame:
    """``differences`` with a ``holm_p`` column: the p-values adjusted over the whole table."""
    out = differences.copy()
    out["holm_p"] = holm(out["p"].to_numpy(dtype=float)) if len(out) else []
    return out


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of a :func:`group_summary`, :func:`paired_differences` or :func:`with_holm`
    table that a reader needs: the group, metric, baseline, n, the summary in words, p and the
    Holm-adjusted p (the numeric columns stay in ``table`` for further use)."""
    keep = [c for c in table.columns if c not in _NUMERIC_COLUMNS]
    return table[keep + [c for c in ("p", "holm_p") if c in table]]


_NUMERIC_COLUMNS = {"kind", "estimate", "mean", "sd", "lo", "hi", "half_width", "method", "successes", "reached",
                    "share_reached", "median", "median_lo", "median_hi", "horizon", "p", "holm_p",
                    "share_reached_difference", "share_reached_lo", "share_reached_hi", "share_reached_p"}
