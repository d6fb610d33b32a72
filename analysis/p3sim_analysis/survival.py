"""Time to goal as what it is: a time that may never come within the run's horizon.

The Kaplan-Meier curve (:func:`.estimators.km`) of each group, drawn as the share of runs that
have reached the goal by each month (1 - S(t)), with the horizon at which runs that never reached
it are censored. The median and restricted mean are in the comparison table.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .estimators import SENTINEL, km
from .plotting import COLUMN_IN, level_colours, plt, wrap
from .statistics import horizon_of


def reached_curves(runs: pd.DataFrame, by: str, metric: str = "time_to_goal", horizon=None) -> pd.DataFrame:
    """Per group: the step function of the share reached, as rows (group, step, share_reached),
    from step 0 (nothing reached) to the horizon."""
    h = horizon_of(runs, horizon)
    rows = []
    for value, group in runs.groupby(by, sort=True, observed=True):
        t = group[metric].to_numpy(dtype=float)
        t = t[np.isfinite(t)]
        reached = t != SENTINEL
        times, surv, _ = km(np.where(reached, t, h), reached.astype(int))
        rows.append({by: value, "step": 0.0, "share_reached": 0.0})
        for time, s in zip(times, surv):
            rows.append({by: value, "step": float(time), "share_reached": 1.0 - float(s)})
        rows.append({by: value, "step": h, "share_reached": 1.0 - (float(surv[-1]) if len(surv) else 1.0)})
    return pd.DataFrame(rows)


def time_to_goal_figure(runs: pd.DataFrame, by: str, horizon=None, scenario: dict | None = None, label=None):
    """Kaplan-Meier curves of time to goal, one per group (named by ``label``): the share of runs
    that reached the goal by each step, censored at the horizon. The legend has its own panel at
    the right, off the curves."""
    label = label or str
    h = horizon_of(runs, horizon)
    curves = reached_curves(runs, by, horizon=h)
    fig = plt.figure(figsize=(COLUMN_IN, 4.6), layout="constrained")
    grid = fig.add_gridspec(1, 2, width_ratios=[3, 1.25])
    ax, key = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    groups = list(dict.fromkeys(curves[by]))
    colours = level_colours(groups)
    styles = ("-", "--", "-.", ":")
    for i, (value, part) in enumerate(curves.groupby(by, sort=False, observed=True)):
        ax.step(part["step"], 100 * part["share_reached"], where="post", label=wrap(label(value), 2.5),
                color=colours[value], linewidth=2, linestyle=styles[i % len(styles)])
    ax.axvline(h, color="0.4", linestyle=":", linewidth=1)
    ax.axhline(50, color="0.6", linestyle="--", linewidth=0.8)
    ax.set_xlim(0, h * 1.02 if h > 0 else 1)
    ax.set_ylim(-2, 102)
    ax.set_xlabel(f"month (the horizon, dotted, is month {h:g})")
    ax.set_ylabel("percent of runs that reached the goal")
    ax.set_title("Time to goal (Kaplan-Meier; runs that never reach it are censored at the horizon)")
    ax.grid(alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    key.axis("off")
    key.legend(handles, labels, loc="center left", frameon=False, borderaxespad=0)
    return fig
