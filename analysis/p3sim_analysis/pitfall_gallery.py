"""The pitfall gallery: what each pitfall set does to the key final metrics, against the baseline.

A sweep with ``pitfalls`` runs every design point once per pitfall set, and all sets of a replicate
share its seed. The effect of a set is therefore estimated pair by pair: the run with the pitfall
minus the run without it, same replicate and same values of everything else varied (``hold``).
"""
from __future__ import annotations

import pandas as pd

from .comparison import LABEL_IN, display_scale, interval_panel, panel_title
from .plotting import COLUMN_IN, HIGHLIGHT, KEY_METRICS, metric_label, new_figure, wrap
from .statistics import paired_differences, with_holm

BASELINE = "baseline"


def pitfall_effects(runs: pd.DataFrame, metrics=KEY_METRICS, hold=()) -> pd.DataFrame:
    """Paired effect of each pitfall set on each metric: one row per (pitfall set, metric) with the
    paired difference to the baseline of the metric's kind, its 95% interval, p-value and the
    Holm-adjusted p-value over the whole gallery (see
    :func:`~p3sim_analysis.statistics.paired_differences`).

    Raises:
        ValueError: the runs table has no ``pitfalls`` column or no baseline (pitfall-free) runs.
    """
    if "pitfalls" not in runs:
        raise ValueError("the runs have no pitfall sets (no pitfall.* parameters)")
    if not (runs["pitfalls"] == BASELINE).any():
        raise ValueError("the sweep has no pitfall-free set [] to compare against")
    pair_on = ["replicate", *[h for h in hold if h != "pitfalls" and not h.startswith("pitfall.")]]
    metrics = [m for m in metrics if m in runs]
    return with_holm(pd.concat([paired_differences(runs, "pitfalls", m, BASELINE, pair_on) for m in metrics],
                               ignore_index=True))


def pitfall_gallery_figure(runs: pd.DataFrame, metrics=KEY_METRICS, hold=(), scenario: dict | None = None,
                           label=None, per_row: int = 4):
    """One panel per metric (``per_row`` to a row): for each pitfall set (named by ``label``), the
    paired difference to the baseline of the metric's kind (shares: Newcombe, in percentage
    points; time to goal: restricted times) with its 95% interval; filled and vermillion where the
    interval excludes 0, hollow and grey where it does not."""
    label = label or str
    effects = pitfall_effects(runs, metrics, hold)
    metrics = list(dict.fromkeys(effects["metric"]))
    sets = list(dict.fromkeys(effects["pitfalls"]))
    names = [wrap(label(s), LABEL_IN - 0.2) for s in sets]
    columns = min(per_row, len(metrics))
    rows = -(-len(metrics) // columns)
    panel_in = (COLUMN_IN - LABEL_IN) / columns
    fig, axes = new_figure(columns, rows=rows, width=COLUMN_IN / columns, height=0.34 * len(sets) + 1.6,
                           sharey=True)
    for j in range(rows * columns):
        ax = axes[j // columns, j % columns]
        if j >= len(metrics):
            ax.set_visible(False)
            continue
        metric = metrics[j]
        factor, _, difference_unit = display_scale(metric)
        unit = difference_unit or metric_label(metric, scenario).partition(" (")[2].rstrip(")")
        part = effects[effects["metric"] == metric].set_index("pitfalls").reindex(sets)
        clear = ((part["lo"] > 0) | (part["hi"] < 0)).to_numpy()
        colours = [HIGHLIGHT if c else "0.45" for c in clear]
        interval_panel(ax, names, factor * part["mean"], factor * part["lo"], factor * part["hi"], colours,
                       horizontal=True, zero_line=True, filled=clear)
        ax.set_xlabel(wrap(f"difference, {unit}", panel_in))
        ax.set_title(wrap(panel_title(metric, scenario), panel_in))
    fig.suptitle(wrap("Effect of each pitfall against the baseline on the same seeds, 95% intervals "
                      "(filled vermillion: the interval excludes 0)", COLUMN_IN))
    return fig
