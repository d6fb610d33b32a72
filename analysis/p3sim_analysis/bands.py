"""Time-series bands: per variant and step, the median and the 10-90% range over runs.

The band shows how differently the replicates (and other varied settings) of a variant evolve, not
the uncertainty of the median; with a single run it collapses to the run's own line.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .plotting import level_colours, metric_label, new_figure

ALL_RUNS = "all runs"


def series_bands(series: pd.DataFrame, runs: pd.DataFrame | None = None, by: str | None = None,
                 low: float = 0.10, high: float = 0.90) -> pd.DataFrame:
    """Median and quantile band per (variant, metric, step).

    Args:
        series: long series (run, step, metric, value) from :meth:`ResultFile.series`.
        runs: runs table holding the ``by`` column (needed when ``by`` is given).
        by: the variant column; None pools all runs into one band labelled ``all runs``.
    Returns:
        columns ``by`` (or ``variant``), metric, step, n, median, low, high.
    """
    column = by or "variant"
    data = series.copy()
    if by is None:
        data[column] = ALL_RUNS
    else:
        data = data.merge(runs[["run", by]], on="run", how="inner")
    data = data[np.isfinite(data["value"].astype(float))]
    grouped = data.groupby([column, "metric", "step"], observed=True, sort=True)["value"]
    out = pd.DataFrame({
        "n": grouped.size(),
        "median": grouped.median(),
        "low": grouped.quantile(low),
        "high": grouped.quantile(high),
    }).reset_index()
    return out


def bands_figure(bands: pd.DataFrame, by: str | None = None, scenario: dict | None = None,
                 step_unit: str = "steps"):
    """One panel per metric: the median line and the 10-90% band of each variant over steps."""
    column = by or "variant"
    metrics = list(dict.fromkeys(bands["metric"]))
    levels = list(dict.fromkeys(bands[column]))
    colours = level_colours(levels)
    fig, axes = new_figure(len(metrics), width=4.0, height=3.2)
    for j, metric in enumerate(metrics):
        ax = axes[0, j]
        for level in levels:
            part = bands[(bands["metric"] == metric) & (bands[column] == level)]
            if part.empty:
                continue
            ax.fill_between(part["step"], part["low"], part["high"], color=colours[level], alpha=0.2, linewidth=0)
            ax.plot(part["step"], part["median"], color=colours[level], label=str(level))
        ax.set_xlabel(f"step ({step_unit})")
        ax.set_ylabel(metric_label(metric, scenario))
        ax.set_title(metric_label(metric, scenario).split(" (")[0])
        ax.grid(alpha=0.3)
    axes[0, 0].legend(title=by, fontsize="small")
    fig.suptitle("Series over time: median (line) and 10-90% of runs (band)")
    fig.tight_layout()
    return fig
