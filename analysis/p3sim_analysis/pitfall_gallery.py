"""The pitfall gallery: what each pitfall set does to the key final metrics, against the baseline.

A sweep with ``pitfalls`` runs every design point once per pitfall set, and all sets of a replicate
share its seed. The effect of a set is therefore estimated pair by pair: the run with the pitfall
minus the run without it, same replicate and same values of everything else varied (``hold``).
"""
from __future__ import annotations

import pandas as pd

from .comparison import interval_panel, panel_title
from .plotting import KEY_METRICS, metric_label, new_figure
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


def pitfall_gallery_figure(runs: pd.DataFrame, metrics=KEY_METRICS, hold=(), scenario: dict | None = None):
    """One panel per metric: for each pitfall set, the paired difference to the baseline of the
    metric's kind (shares: Newcombe; time to goal: restricted times) with its 95% interval; red
    where the interval excludes 0."""
    effects = pitfall_effects(runs, metrics, hold)
    metrics = list(dict.fromkeys(effects["metric"]))
    sets = list(dict.fromkeys(effects["pitfalls"]))
    fig, axes = new_figure(len(metrics), height=0.45 * len(sets) + 1.8, width=3.3)
    for j, metric in enumerate(metrics):
        part = effects[effects["metric"] == metric].set_index("pitfalls").reindex(sets)
        clear = (part["lo"] > 0) | (part["hi"] < 0)
        colours = ["#c0392b" if c else "0.35" for c in clear]
        ax = axes[0, j]
        interval_panel(ax, sets, part["mean"], part["lo"], part["hi"], colours, horizontal=True, zero_line=True)
        ax.set_xlabel("difference: " + metric_label(metric, scenario))
        ax.set_title(panel_title(metric, scenario))
        if j:
            ax.set_yticklabels([])
        ax.invert_yaxis()
    fig.suptitle("Pitfall gallery: effect of each pitfall set vs the baseline, paired on replicates "
                 "(95% intervals; red: excludes 0)")
    fig.tight_layout()
    return fig
