"""Sensitivity analysis of a result file: build the sweep, then read the indices back.

* :func:`saltelli_sweep` / :func:`morris_sweep` write sweep documents (via :mod:`.point_sweeps`)
  whose points follow :func:`~p3sim_analysis.sobol.saltelli_design` or
  :func:`~p3sim_analysis.morris.morris_design` over numeric parameter ranges.
* :func:`file_sensitivity` computes, from a finished file, Saltelli/Jansen indices (Saltelli
  design), Morris mu/mu*/sigma (Morris design) or given-data first-order indices (a plain ``sobol``,
  ``lhs`` or ``random`` sweep). A stochastic model gives several replicates per point: the indices
  are those of the replicate mean of the metric at each point.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .morris import morris_design, morris_indices
from .parameters import dataset_name
from .plotting import COLUMN_IN, PALETTE, new_figure, plt, wrap
from .point_sweeps import point_sweep, scale_unit
from .sobol import first_order_given_data, saltelli_design, sobol_indices, split_outputs
from .statistics import metric_values

# Designs whose points are taken as data for first-order indices: the sampled designs, and explicit
# points made by something other than this package (a points design with its own generator).
GIVEN_DATA_DESIGNS = ("sobol", "lhs", "random", "points")


def _unit_columns(design: pd.DataFrame) -> list:
    return [c for c in design.columns if c.startswith("u") and c[1:].isdigit()]


def _sweep_from_design(scenario, ranges: dict, design: pd.DataFrame, name: str, meta_columns, **sweep):
    unit = design[_unit_columns(design)].to_numpy()
    values = scale_unit(unit, ranges)
    meta = design[list(meta_columns)].reset_index(drop=True)
    return point_sweep(scenario, values, meta, name, unit=unit, **sweep)


def saltelli_sweep(scenario, ranges: dict, samples: int, design_seed: int = 0, **sweep) -> dict:
    """A sweep document running the Saltelli design: ``samples`` (N) rows of A and B and the k
    matrices AB_i, N (k + 2) points, each run ``replications`` times.

    Args:
        scenario: base scenario (dict or path to its JSON file).
        ranges: JSON Pointer -> (min, max) of each numeric parameter.
        samples: N (a power of two is best).
        design_seed: seed of the scrambled Sobol' sequence (``seed`` is the sweep's master seed).
        sweep: ``replications``, ``seed``, ``steps``, ``record`` as in docs/sweeps.md.
    """
    design = saltelli_design(len(ranges), samples, design_seed)
    return _sweep_from_design(scenario, ranges, design, "saltelli", ("block", "factor", "sample"), **sweep)


def morris_sweep(scenario, ranges: dict, trajectories: int, levels: int = 4, design_seed: int = 0,
                 **sweep) -> dict:
    """A sweep document running ``trajectories`` Morris trajectories over ``ranges`` (see
    :func:`saltelli_sweep` for the arguments): r (k + 1) points."""
    design = morris_design(len(ranges), trajectories, levels, design_seed)
    return _sweep_from_design(scenario, ranges, design, "morris", ("trajectory", "step", "factor"), **sweep)


def _point_means(runs: pd.DataFrame, metric: str) -> pd.Series:
    """The mean of a metric per explicit design point over the done replicates (NaN where none is
    done)."""
    return metric_values(runs, metric).groupby(runs["design_index"]).mean()


def file_sensitivity(rf, metric: str, n_boot: int = 500, seed: int = 0) -> dict:
    """Sensitivity indices of ``metric`` from a result file, according to its design.

    Returns:
        ``{"method": "saltelli" | "morris" | "given_data", "table": DataFrame, "note": str}``;
        the table is that of :func:`~p3sim_analysis.sobol.sobol_indices`,
        :func:`~p3sim_analysis.morris.morris_indices` or
        :func:`~p3sim_analysis.sobol.first_order_given_data`.
    Raises:
        ValueError: the file's design supports no sensitivity analysis, or too few runs are done.
    """
    kind = rf.design_type()
    runs = rf.runs()
    design = rf.point_design()
    if kind in ("saltelli", "morris"):
        pointers = design.attrs["pointers"]
        names = [dataset_name(p) for p in pointers]
        means = _point_means(runs, metric).reindex(design.index)
        unit = design[["u." + n for n in names]].to_numpy()
        if kind == "saltelli":
            table_design = design[["block", "factor", "sample"]].copy()
            f_a, f_b, f_ab = split_outputs(table_design, means.to_numpy(), len(names))
            table = sobol_indices(f_a, f_b, f_ab, names, n_boot=n_boot, seed=seed)
            note = (f"Saltelli (2010) first-order and Jansen total indices of the replicate mean of {metric}, "
                    f"{len(f_a)} complete samples of {design['sample'].nunique()}, {len(names)} parameters; "
                    f"95% bootstrap intervals.")
        else:
            table_design = design[["trajectory", "step", "factor"]].copy()
            for i in range(unit.shape[1]):
                table_design[f"u{i}"] = unit[:, i]
            table = morris_indices(table_design, means.to_numpy(), names, n_boot=n_boot, seed=seed)
            note = (f"Morris elementary effects of the replicate mean of {metric} per unit of each "
                    f"parameter's whole range, {int(table['r'].max())} trajectories.")
        return {"method": kind, "table": table, "note": note}
    if kind in GIVEN_DATA_DESIGNS:
        numeric = [p for p in rf.parameters() if p.kind != "pitfall"]
        if not numeric:
            raise ValueError(f"{rf.path}: the {kind} sweep varies no parameter")
        x = np.column_stack([runs[p.dataset].cat.codes.to_numpy(dtype=float) if p.kind == "categorical"
                             else runs[p.dataset].to_numpy(dtype=float) for p in numeric])
        point_y = metric_values(runs, metric).groupby(runs["point"]).mean()
        point_x = pd.DataFrame(x).groupby(runs["point"].to_numpy()).first().reindex(point_y.index)
        table = first_order_given_data(point_x.to_numpy(), point_y.to_numpy(), [p.dataset for p in numeric],
                                       stratified=kind in ("sobol", "lhs"), n_boot=min(n_boot, 200), seed=seed)
        note = (f"First-order indices of the replicate mean of {metric} estimated from the {kind} sample as "
                "it is (binned correlation ratio); total indices need a Saltelli design "
                "(python3 -m p3sim_analysis design saltelli).")
        return {"method": "given_data", "table": table, "note": note}
    raise ValueError(f"{rf.path}: a {kind} design has no sensitivity analysis; run a Saltelli or Morris "
                     "design (python3 -m p3sim_analysis design --help) or a sobol/lhs/random/points sweep")


def sensitivity_figure(result: dict, metric: str):
    """Bars of S1 and ST with their intervals (Sobol'), or mu* against sigma (Morris)."""
    table = result["table"]
    if result["method"] == "morris":
        fig, axes = new_figure(1, width=7.5, height=5.0)
        ax = axes[0, 0]
        errors = np.vstack([table["mu_star"] - table["mu_star_lo"], table["mu_star_hi"] - table["mu_star"]])
        ax.errorbar(table["mu_star"], table["sigma"], xerr=np.nan_to_num(errors), fmt="o", capsize=3)
        for row in table.itertuples():
            ax.annotate(wrap(row.factor, 2.5), (row.mu_star, row.sigma), xytext=(4, 4), textcoords="offset points")
        ax.set_xlabel(f"mu* (mean |elementary effect| of {metric} per full range)")
        ax.set_ylabel("sigma (sd of elementary effects)")
        ax.set_title(f"Morris screening of {metric}")
        ax.grid(alpha=0.3)

        return fig
    columns = [c for c in ("S1", "ST") if c in table]
    fig = plt.figure(figsize=(COLUMN_IN, 0.6 * len(table) * len(columns) + 2.2), layout="constrained")
    grid = fig.add_gridspec(2, 1, height_ratios=[0.6 * len(table) * len(columns) + 1.6, 0.4])
    ax, key = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0])
    positions = np.arange(len(table))
    width = 0.8 / len(columns)
    hatches = {"S1": "", "ST": "//"}
    for i, column in enumerate(columns):
        values = table[column].to_numpy(dtype=float)
        errors = np.vstack([values - table[column + "_lo"], table[column + "_hi"] - values])
        ax.barh(positions + (i - (len(columns) - 1) / 2) * width, values, width,
                xerr=np.nan_to_num(np.clip(errors, 0, None)), capsize=3, color=PALETTE[i], hatch=hatches[column],
                edgecolor="white", label={"S1": "first order S1 (alone)", "ST": "total ST (with interactions)"}[column])
    ax.set_yticks(positions, [wrap(f, 3.0) for f in table["factor"]])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlabel(f"share of the variance of {metric}")
    ax.axvline(0, color="0.4", linewidth=0.8)
    ax.set_title(f"Sobol' indices of {metric} (95% intervals)")
    ax.grid(alpha=0.3, axis="x")
    handles, labels = ax.get_legend_handles_labels()
    key.axis("off")
    key.legend(handles, labels, loc="center", ncol=len(labels), frameon=False, borderaxespad=0)
    return fig
