"""Governance comparison: each key final metric by variant, with 95% intervals, and the paired
differences to the baseline variant when the runs share seeds per replicate.

The variant is any categorical column of the runs table, typically ``governance.mode`` of a sweep or
the varied parameter of ``p3sim compare``. Other varied columns named in ``hold`` are held equal
when pairing, so a difference compares like with like.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matplotlib.ticker import MaxNLocator

from .plotting import COLUMN_IN, HIGHLIGHT, KEY_METRICS, PALETTE, level_colours, metric_label, new_figure, wrap
from .estimators import metric_kind
from .statistics import group_summary, paired_differences, shares_seeds, with_holm


def comparison_tables(runs: pd.DataFrame, by: str, metrics=KEY_METRICS, baseline=None, hold=()):
    """The numbers behind :func:`comparison_figure`.

    Returns:
        (summary, differences): ``summary`` has one row per (variant, metric) with the estimate of
        the metric's kind and its 95% interval (:func:`~.statistics.group_summary`);
        ``differences`` one row per (non-baseline variant, metric) with the paired difference of
        its kind, its interval, p and the Holm-adjusted p over the table
        (:func:`~.statistics.paired_differences`), or None when the runs do not share seeds per
        replicate.
    """
    metrics = [m for m in metrics if m in runs]
    summary = group_summary(runs, by, metrics)
    if not shares_seeds(runs):
        return summary, None
    pair_on = ["replicate", *[h for h in hold if h != by]]
    differences = with_holm(pd.concat([paired_differences(runs, by, m, baseline, pair_on) for m in metrics],
                                      ignore_index=True))
    return summary, differences


def panel_title(metric: str, scenario: dict | None = None) -> str:
    """A panel's title: the metric's name, and what is estimated where it is not a plain mean (a
    share in [0, 1]; for a time the restricted mean within the horizon)."""
    title = metric_label(metric, scenario).split(" (")[0]
    kind = metric_kind(metric)
    if kind == "share":
        return f"{title} (share)"
    if kind == "time":
        return f"{title} (restricted mean)"
    return title


def interval_panel(ax, labels, means, los, his, colours=None, horizontal=False, zero_line=False, filled=None):
    """Draw one estimate with its interval per label (points with error bars) on ``ax``; ``filled``
    (one bool per label) draws hollow markers where False, so the meaning is not in colour alone."""
    positions = np.arange(len(labels))
    means, los, his = (np.asarray(v, dtype=float) for v in (means, los, his))
    errors = np.vstack([means - los, his - means])
    errors = np.where(np.isfinite(errors), errors, 0.0)
    for i, position in enumerate(positions):
        if not np.isfinite(means[i]):
            continue  # no estimate (e.g. the baseline's row of differences)
        colour = colours[i] if colours is not None else PALETTE[0]
        face = colour if filled is None or filled[i] else "white"
        kwargs = dict(fmt="o", color=colour, markerfacecolor=face, capsize=4, markersize=6, linewidth=1.6)
        if horizontal:
            ax.errorbar(means[i], position, xerr=errors[:, i:i + 1], **kwargs)
        else:
            ax.errorbar(position, means[i], yerr=errors[:, i:i + 1], **kwargs)
    if horizontal:
        ax.set_yticks(positions, [str(label) for label in labels])
        ax.set_ylim(len(labels) - 0.4, -0.6)  # first label on top
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        if zero_line:
            ax.axvline(0.0, color="0.4", linewidth=0.9, linestyle="--")
    else:
        ax.set_xticks(positions, [str(label) for label in labels], rotation=30, ha="right")
        ax.set_xlim(-0.6, len(labels) - 0.4)
        if zero_line:
            ax.axhline(0.0, color="0.4", linewidth=0.9, linestyle="--")
    ax.grid(alpha=0.3)


#: the width (inches) kept for the group names left of the panels
LABEL_IN = 2.3


def display_scale(metric: str) -> tuple:
    """(factor, unit, difference unit) for drawing a metric: shares in percent of runs, their
    differences in percentage points, anything else as it is."""
    if metric_kind(metric) == "share":
        return 100.0, "percent of runs", "percentage points"
    return 1.0, None, None


def goal_target(metric: str, scenario: dict | None):
    """The goal's target when ``metric`` is what the goal counts (``outcome``: adopters with a
    population, else the cumulative output; ``adopters``), else None."""
    goal = (scenario or {}).get("goal") or {}
    target = goal.get("target")
    if target is None and goal.get("share") is not None and (scenario.get("population") or {}).get("units"):
        target = float(goal["share"]) * float(scenario["population"]["units"])
    if target is None:
        return None
    counted = goal.get("metric") or ("adopters" if scenario.get("population") else "outcome")
    return float(target) if metric in ("outcome", counted) else None


def comparison_figure(runs: pd.DataFrame, by: str, metrics=KEY_METRICS, baseline=None, hold=(),
                      scenario: dict | None = None, label=None, per_row: int = 4):
    """Each metric's estimate per variant with its 95% interval (shares in percent with Wilson
    intervals, time to goal as the restricted mean within the horizon) and, under common random
    numbers, the paired difference to the baseline with its 95% interval in the row below.
    Variants are rows (named by ``label``), metrics columns, ``per_row`` metrics to a row; the
    goal's target is a dashed line on the panel of the metric the goal counts.

    Args:
        runs: runs table of done runs (:meth:`ResultFile.runs`), possibly filtered.
        by: the variant column (e.g. ``governance.mode``).
        metrics: final metrics to show (their -1 codes are never averaged: docs/estimators.md).
        baseline: the variant differences are taken against (default: the first).
        hold: other varied columns to hold equal when pairing.
        scenario: the scenario (for the outcome's unit and the goal).
        label: variant value -> the name shown (default: the value).
    """
    label = label or str
    summary, differences = comparison_tables(runs, by, metrics, baseline, hold)
    metrics = list(dict.fromkeys(summary["metric"]))
    levels = list(dict.fromkeys(summary[by]))
    names = [wrap(label(v), LABEL_IN - 0.2) for v in levels]
    columns = min(per_row, len(metrics))
    blocks = [metrics[i:i + columns] for i in range(0, len(metrics), columns)]
    kinds = 1 if differences is None else 2
    row_height = 0.42 * len(levels) + 1.5
    panel_in = (COLUMN_IN - LABEL_IN) / columns
    fig, axes = new_figure(columns, rows=kinds * len(blocks), width=COLUMN_IN / columns, height=row_height,
                           sharey=True)
    colours = level_colours(levels)
    base = levels[0] if baseline is None else baseline
    for b, block in enumerate(blocks):
        for j in range(columns):
            for k in range(kinds):
                ax = axes[kinds * b + k, j]
                if j >= len(block):
                    ax.set_visible(False)
                    continue
                metric = block[j]
                factor, unit, difference_unit = display_scale(metric)
                unit = unit or metric_label(metric, scenario).partition(" (")[2].rstrip(")")
                table = summary if k == 0 else differences
                part = table[table["metric"] == metric].set_index(by).reindex(levels)
                interval_panel(ax, names, factor * part["mean"], factor * part["lo"], factor * part["hi"],
                               [colours[v] for v in levels], horizontal=True, zero_line=k == 1)
                if k == 0:
                    ax.set_title(wrap(panel_title(metric, scenario), panel_in))
                    xlabel = unit
                    target = goal_target(metric, scenario)
                    if target is not None:
                        ax.axvline(target, color=HIGHLIGHT, linestyle="--", linewidth=1.4)
                        low, high = ax.get_xlim()
                        ax.set_xlim(min(low, target), max(high, target * 1.03))
                        xlabel = f"{unit}; dashed: goal {target:,.0f}"
                else:
                    ax.set_title(wrap(f"{panel_title(metric, scenario).split(' (')[0]}: difference", panel_in))
                    xlabel = f"{difference_unit or unit}, vs the baseline"
                ax.set_xlabel(wrap(xlabel, panel_in))
    what = "variant" if by != "governance.mode" else "governance structure"
    below = (f"; below: paired difference to the baseline, {label(base)}, on the same seeds"
             if differences is not None else "")
    fig.suptitle(wrap(f"Estimate and 95% interval per {what}{below}", COLUMN_IN))
    return fig
