"""Governance comparison: each key final metric by variant, with 95% intervals, and the paired
differences to the baseline variant when the runs share seeds per replicate.

The variant is any categorical column of the runs table, typically ``governance.mode`` of a sweep or
the varied parameter of ``p3sim compare``. Other varied columns named in ``hold`` are held equal
when pairing, so a difference compares like with like.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .plotting import KEY_METRICS, metric_label, new_figure
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


def interval_panel(ax, labels, means, los, his, colours=None, horizontal=False, zero_line=False):
    """Draw one estimate with its interval per label (points with error bars) on ``ax``."""
    positions = np.arange(len(labels))
    means, los, his = (np.asarray(v, dtype=float) for v in (means, los, his))
    errors = np.vstack([means - los, his - means])
    errors = np.where(np.isfinite(errors), errors, 0.0)
    for i, position in enumerate(positions):
        colour = colours[i] if colours is not None else "C0"
        kwargs = dict(fmt="o", color=colour, capsize=4, markersize=5)
        if horizontal:
            ax.errorbar(means[i], position, xerr=errors[:, i:i + 1], **kwargs)
        else:
            ax.errorbar(position, means[i], yerr=errors[:, i:i + 1], **kwargs)
    if horizontal:
        ax.set_yticks(positions, [str(label) for label in labels])
        ax.set_ylim(-0.6, len(labels) - 0.4)
        if zero_line:
            ax.axvline(0.0, color="0.4", linewidth=0.8, linestyle="--")
    else:
        ax.set_xticks(positions, [str(label) for label in labels], rotation=30, ha="right")
        ax.set_xlim(-0.6, len(labels) - 0.4)
        if zero_line:
            ax.axhline(0.0, color="0.4", linewidth=0.8, linestyle="--")
    ax.grid(alpha=0.3)


def comparison_figure(runs: pd.DataFrame, by: str, metrics=KEY_METRICS, baseline=None, hold=(),
                      scenario: dict | None = None):
    """Each metric's estimate per variant with its 95% interval (top row; shares with Wilson
    intervals, time to goal as the restricted mean within the horizon) and, under common random
    numbers, the paired differences to the baseline with their 95% intervals (bottom row).

    Args:
        runs: runs table of done runs (:meth:`ResultFile.runs`), possibly filtered.
        by: the variant column (e.g. ``governance.mode``).
        metrics: final metrics to show (their -1 codes are never averaged: docs/estimators.md).
        baseline: the variant differences are taken against (default: the first).
        hold: other varied columns to hold equal when pairing.
        scenario: the scenario (for the outcome's unit).
    """
    summary, differences = comparison_tables(runs, by, metrics, baseline, hold)
    metrics = list(dict.fromkeys(summary["metric"]))
    rows = 1 if differences is None else 2
    fig, axes = new_figure(len(metrics), rows=rows, height=3.2)
    levels = list(dict.fromkeys(summary[by]))
    for j, metric in enumerate(metrics):
        part = summary[summary["metric"] == metric]
        ax = axes[0, j]
        interval_panel(ax, part[by], part["mean"], part["lo"], part["hi"])
        ax.set_title(panel_title(metric, scenario))
        ax.set_ylabel(metric_label(metric, scenario))
        if differences is not None:
            part = differences[differences["metric"] == metric]
            ax = axes[1, j]
            interval_panel(ax, part[by], part["mean"], part["lo"], part["hi"], zero_line=True)
            ax.set_ylabel(f"difference to {part['baseline'].iloc[0] if len(part) else levels[0]}")
    title = f"Final metrics by {by}: estimate and 95% interval over replicates"
    if differences is not None:
        title += "\nbottom: paired differences to the baseline (same seed per replicate)"
    fig.suptitle(title)
    fig.tight_layout()
    return fig
