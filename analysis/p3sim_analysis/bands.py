"""Time-series bands: per variant and step, the median and the 10-90% range over runs.

The band shows how differently the replicates (and other varied settings) of a variant evolve, not
the uncertainty of the median; with a single run it collapses to the run's own line.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .plotting import COLUMN_IN, level_colours, metric_label, plt, wrap

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
                 step_unit: str = "steps", label=None, per_row: int = 2):
    """One panel per metric (``per_row`` to a row): the median line and the 10-90% band of each
    variant (named by ``label``) over steps; the legend in its own row below the panels."""
    label = label or str
    column = by or "variant"
    metrics = list(dict.fromkeys(bands["metric"]))
    levels = list(dict.fromkeys(bands[column]))
    colours = level_colours(levels)
    columns = min(per_row, len(metrics))
    rows = -(-len(metrics) // columns)
    legend_rows = -(-len(levels) // 3)
    fig = plt.figure(figsize=(COLUMN_IN, 3.4 * rows + 0.35 * legend_rows + 0.4), layout="constrained")
    grid = fig.add_gridspec(rows + 1, columns, height_ratios=[3.4] * rows + [0.35 * legend_rows + 0.2])
    panel_in = COLUMN_IN / columns - 0.8
    styles = ("-", "--", "-.", ":")
    for j, metric in enumerate(metrics):
        ax = fig.add_subplot(grid[j // columns, j % columns])
        for i, level in enumerate(levels):
            part = bands[(bands["metric"] == metric) & (bands[column] == level)]
            if part.empty:
                continue
            ax.fill_between(part["step"], part["low"], part["high"], color=colours[level], alpha=0.18, linewidth=0)
            ax.plot(part["step"], part["median"], color=colours[level], linestyle=styles[i % len(styles)],
                    linewidth=1.8, label=label(level))
        ax.set_xlabel(f"step ({step_unit})")
        ax.set_ylabel(wrap(metric_label(metric, scenario), 2.6))
        ax.set_title(wrap(metric_label(metric, scenario).split(" (")[0], panel_in))
        ax.grid(alpha=0.3)
        if j == 0:
            handles, labels = ax.get_legend_handles_labels()
    key = fig.add_subplot(grid[rows, :])
    key.axis("off")
    key.legend(handles, labels, loc="center", ncol=min(3, len(levels)), frameon=False, borderaxespad=0)
    fig.suptitle("Series over time: median (line) and 10-90% of runs (band)")
    return fig
