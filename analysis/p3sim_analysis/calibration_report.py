"""The HTML report of a posterior file of ``p3sim calibrate`` (see docs/report.md, "Calibration report").

:func:`~p3sim_analysis.report.build_report` hands a calibration file to
:func:`build_calibration_report`, which writes, in this order: a headline in words (what was
calibrated, why it stopped, the posterior of each parameter, the targets the model fits poorly);
the generations table; the marginal posterior of each parameter over its prior; the pairwise
posterior; the posterior predictive check as a figure and a table; and the provenance.

Figures use Okabe and Ito's colour-blind-safe palette (posterior blue, prior orange, observed
vermillion) and never rely on colour alone: the prior is a dashed line, observed values diamonds.
"""
from __future__ import annotations

import datetime
import html
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import __version__
from .calibration import PosteriorFile, describe_targets, format_number, target_groups
from .plotting import OKABE_ITO, metric_label
from .report import Page, Progress, _write

POSTERIOR = OKABE_ITO["blue"]
PRIOR = OKABE_ITO["orange"]
OBSERVED = OKABE_ITO["vermillion"]
#: Figures are at most this wide (inches; the page column is 1200 px and figures are drawn at 100 dpi).
MAX_WIDTH = 10.0
#: The pairwise figure shows at most this many parameters.
MAX_PAIRS = 6


def _wrap(text: str, width: int = 30) -> str:
    """An axis label broken into lines of at most ``width`` characters where it can be: after a
    space, a slash or an underscore (a JSON Pointer breaks between its tokens); words are never cut."""
    if len(text) <= width:
        return text
    lines, line = [], ""
    for piece in re.split(r"(?<=[ /_])", text):
        if len(line.strip()) > 1 and len(line) + len(piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    return "\n".join(lines + [line.rstrip()])


def _bullets(page: Page, items):
    page.parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>")


def _grid(panels: int, columns: int = 3, width: float = 3.3, height: float = 2.8):
    columns = max(1, min(columns, panels))
    rows = math.ceil(panels / columns)
    width = min(width, MAX_WIDTH / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows), squeeze=False)
    for extra in axes.ravel()[panels:]:
        extra.set_visible(False)
    return fig, axes.ravel()


# --------------------------------------------------------------------------------------------
# Figures
def _display_range(parameter, values: np.ndarray) -> tuple:
    """The x range of a marginal panel: the prior's support (its 0.1-99.9% range when unbounded)
    widened to every particle."""
    dist = parameter.distribution()
    low, high = (float(v) for v in dist.support())
    if not math.isfinite(low):
        low = float(dist.ppf(0.001))
    if not math.isfinite(high):
        high = float(dist.ppf(0.999))
    finite = values[np.isfinite(values)]
    if finite.size:
        low, high = min(low, float(finite.min())), max(high, float(finite.max()))
    if high <= low:
        high = low + 1.0
    return low, high


def marginal_figure(parameters, particles: pd.DataFrame, summary: pd.DataFrame, level: float = 0.95):
    """One panel per parameter: the weighted histogram of the particles (the posterior) with the
    prior density over it and the posterior median and ``level`` interval as vertical lines; a
    categorical parameter as bars of posterior probability next to its prior probability.

    A log-uniform parameter is drawn on a log axis, as density per decade (of log10 of the value),
    so that its prior is flat."""
    fig, axes = _grid(len(parameters))
    weights = particles["weight"].to_numpy(dtype=float)
    bins = int(np.clip(round(math.sqrt(len(particles))), 10, 30))
    for ax, parameter in zip(axes, parameters):
        rows = summary[summary["parameter"] == parameter.name]
        if parameter.kind == "categorical":
            x = np.arange(len(parameter.levels))
            ax.bar(x - 0.2, rows["probability"], width=0.4, color=POSTERIOR, label="posterior")
            ax.bar(x + 0.2, rows["prior_probability"], width=0.4, facecolor="none", edgecolor=PRIOR, hatch="//",
                   linewidth=1.2, label="prior")
            ax.set_xticks(x)
            long_labels = sum(len(label) for label in parameter.levels) > 24
            ax.set_xticklabels([_wrap(label, 14) for label in parameter.levels], rotation=30 if long_labels else 0,
                               ha="right" if long_labels else "center", fontsize=8)
            ax.set_ylabel("probability")
            ax.set_ylim(0, 1.05)
            ax.set_title(_wrap(parameter.name, 36), fontsize=9)
        else:
            values = particles[parameter.name].to_numpy(dtype=float)
            row = rows.iloc[0]
            low, high = _display_range(parameter, values)
            log = parameter.distribution_name == "log_uniform" and low > 0
            keep = np.isfinite(values)
            if log:
                edges = np.logspace(math.log10(low), math.log10(high), bins + 1)
                mass, _ = np.histogram(values[keep], edges, weights=weights[keep])
                heights = mass / max(mass.sum(), 1e-300) / np.diff(np.log10(edges))
                grid = np.logspace(math.log10(low), math.log10(high), 300)
                prior = parameter.prior_density(grid) * grid * math.log(10)
                ax.set_xscale("log")
                ax.set_ylabel("density per decade")
            else:
                edges = np.linspace(low, high, bins + 1)
                heights, _ = np.histogram(values[keep], edges, weights=weights[keep], density=True)
                grid = np.linspace(low, high, 300)
                prior = parameter.prior_density(grid)
                ax.set_ylabel("density")
            ax.stairs(heights, edges, fill=True, color=POSTERIOR, alpha=0.55, label="posterior")
            ax.plot(grid, prior, color=PRIOR, linestyle="--", linewidth=1.8, label="prior")
            ax.axvline(row["median"], color="black", linewidth=1.2, label="median")
            for bound in (row["low"], row["high"]):
                ax.axvline(bound, color="black", linewidth=0.9, linestyle=":")
            ax.set_xlabel(_wrap(parameter.name))
            ax.set_title(f"{format_number(row['median'])} [{format_number(row['low'])}, "
                         f"{format_number(row['high'])}]", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(f"Marginal posteriors (weighted particles) over the priors; dotted: {level:.0%} interval",
                 fontsize=10)
    fig.tight_layout()
    return fig


def _pair_axis(parameter, particles: pd.DataFrame, rng) -> np.ndarray:
    """A parameter's coordinate in the pairwise figure: its value, or a categorical level's index
    with a little jitter so that particles at one level do not sit on top of each other."""
    if parameter.kind == "categorical":
        codes = particles[parameter.name].cat.codes.to_numpy(dtype=float)
        codes[codes < 0] = np.nan
        return codes + rng.uniform(-0.15, 0.15, len(codes))
    return particles[parameter.name].to_numpy(dtype=float)


def _pair_scale(ax, parameter, axis: str):
    if parameter.kind == "categorical":
        ticks, labels = range(len(parameter.levels)), [_wrap(label, 12) for label in parameter.levels]
        if axis == "x":
            ax.set_xticks(list(ticks))
            ax.set_xticklabels(labels, fontsize=7, rotation=30 if len(labels) <= 3 else 60, ha="right",
                               rotation_mode="anchor")
        else:
            ax.set_yticks(list(ticks))
            ax.set_yticklabels(labels, fontsize=7)
    elif parameter.distribution_name == "log_uniform":
        (ax.set_xscale if axis == "x" else ax.set_yscale)("log")


def pairwise_figure(parameters, particles: pd.DataFrame):
    """The posterior of each pair of (the first :data:`MAX_PAIRS`) parameters: each particle a
    point whose area is proportional to its weight, in the lower triangle of a grid."""
    shown = list(parameters)[:MAX_PAIRS]
    n = len(shown) - 1
    if n < 1:
        raise ValueError("a pairwise figure needs at least two parameters")
    cell = min(3.6 if n == 1 else 2.4, MAX_WIDTH / n)
    fig, axes = plt.subplots(n, n, figsize=(max(cell * n, 4.0), max(cell * n, 3.4)), squeeze=False)
    weights = particles["weight"].to_numpy(dtype=float)
    sizes = 4 + 60 * weights / max(float(np.nanmax(weights)) if weights.size else 1.0, 1e-300)
    rng = np.random.default_rng(0)
    coordinates = [_pair_axis(p, particles, rng) for p in shown]
    for row in range(n):
        for column in range(n):
            ax = axes[row, column]
            i, j = row + 1, column  # y parameter i, x parameter j
            if j >= i:
                ax.set_visible(False)
                continue
            ax.scatter(coordinates[j], coordinates[i], s=sizes, color=POSTERIOR, alpha=0.45, linewidths=0)
            _pair_scale(ax, shown[j], "x")
            _pair_scale(ax, shown[i], "y")
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            if row == n - 1:
                ax.set_xlabel(_wrap(shown[j].name, 24), fontsize=8)
            else:
                ax.tick_params(labelbottom=False)
            if column == 0:
                ax.set_ylabel(_wrap(shown[i].name, 24), fontsize=8)
            else:
                ax.tick_params(labelleft=False)
    fig.suptitle("Pairwise posterior: one point per particle, area proportional to its weight", fontsize=10)
    fig.tight_layout()
    return fig


def predictive_figure(targets: pd.DataFrame, check: pd.DataFrame, scenario: dict | None = None,
                      level: float = 0.95):
    """The posterior predictive check, one panel per target: a series target as the band of the
    particles' statistics over its steps (weighted median line, ``level`` interval) with the observed
    values on it; a final-metric target as the median with its interval bar next to the observed
    value. Observed values are diamonds; those outside the interval are ringed."""
    groups = target_groups(targets)
    fig, axes = _grid(len(groups))
    for ax, group in zip(axes, groups):
        part = check.iloc[group["rows"]]
        outside = (part["fit"] == "poor").to_numpy()
        if group["source"] == "series" and len(group["steps"]) > 1:
            steps = np.asarray(group["steps"], dtype=float)
            order = np.argsort(steps, kind="stable")
            steps, part, outside = steps[order], part.iloc[order], outside[order]
            ax.fill_between(steps, part["low"], part["high"], color=POSTERIOR, alpha=0.25, linewidth=0,
                            label=f"{level:.0%} interval")
            ax.plot(steps, part["median"], color=POSTERIOR, linewidth=1.6, label="median")
            x = steps
            ax.set_xlabel("step (months)", fontsize=8)
        else:  # a final metric, or a series at one step: the median with its interval bar
            single_step = group["source"] == "series"
            x = np.asarray(group["steps"], dtype=float) if single_step else np.zeros(len(part))
            if part["median"].notna().any():
                ax.errorbar(x, part["median"], yerr=[part["median"] - part["low"], part["high"] - part["median"]],
                            fmt="o", color=POSTERIOR, capsize=6, markersize=6, label=f"median, {level:.0%} interval")
            ax.set_xlim(x[0] - 1, x[0] + 1)
            if single_step:
                ax.set_xticks(x)
                ax.set_xlabel("step (months)", fontsize=8)
            else:
                ax.set_xticks([])
        ax.scatter(x, part["observed"], marker="D", s=32, color=OBSERVED, edgecolors="black", linewidths=0.6,
                   zorder=3, label="observed")
        if outside.any():
            ax.scatter(x[outside], part["observed"].to_numpy()[outside], marker="o", s=170, facecolors="none",
                       edgecolors="black", linewidths=1.2, zorder=4, label="outside the interval")
        if part["median"].isna().all():
            ax.text(0.5, 0.9, "no finite statistic", transform=ax.transAxes, ha="center", fontsize=8, color="0.3")
        poor = int(outside.sum())
        if group["source"] == "series":
            title = group["label"] if len(group["steps"]) > 1 else f"{group['label']} at step {group['steps'][0]}"
        else:
            title = f"{group['label']} (final)"
        if poor:
            title += f": poor fit ({poor} of {len(part)})" if len(part) > 1 else ": poor fit"
        ax.set_title(_wrap(title, 40), fontsize=9)
        ax.set_ylabel(_wrap(metric_label(group["metric"], scenario), 28), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    handles = {}
    for ax in axes[:len(groups)]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    height = fig.get_size_inches()[1]
    fig.tight_layout(rect=(0, 0.45 / height, 1, 1 - 0.4 / height))
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncol=min(4, len(handles)),
               fontsize=8, frameon=False)
    fig.suptitle("Posterior predictive check: accepted particles' statistics against the observed values",
                 fontsize=10)
    return fig


# --------------------------------------------------------------------------------------------
# Sections
def _posterior_lines(summary: pd.DataFrame, parameters) -> list:
    """One sentence per parameter: ``NAME: median [low, high] (prior: [low, high])`` or the level
    probabilities of a categorical parameter."""
    lines = []
    for parameter in parameters:
        rows = summary[summary["parameter"] == parameter.name]
        if parameter.kind == "categorical":
            levels = ", ".join(f"{r.level} {r.probability:.2f} (prior {r.prior_probability:.2f})"
                               for r in rows.itertuples())
            lines.append(f"{parameter.name}: {levels}")
        else:
            lines.append(f"{parameter.name}: {rows['summary'].iloc[0]}")
    return lines


def _fit_paragraph(check: pd.DataFrame, level: float) -> tuple:
    """(text, css) of the warning on poorly fitting targets, or of the all-clear."""
    poor = check[check["fit"] == "poor"]
    undefined = check[check["fit"] == "undefined"]
    if poor.empty:
        text = (f"All {len(check)} target components fall inside their {level:.0%} posterior predictive "
                "intervals.")
        if not undefined.empty:
            text += f" {len(undefined)} could not be checked (no particle had a finite statistic): " + \
                    ", ".join(undefined["target"]) + "."
        return text, (None if undefined.empty else "note")
    items = [f"{r.target} (observed {format_number(r.observed)}, interval [{format_number(r.low)}, "
             f"{format_number(r.high)}], z {format_number(r.z)})" for r in poor.itertuples()]
    text = (f"Poor fit: {len(poor)} of {len(check)} target components lie outside their {level:.0%} posterior "
            f"predictive interval or more than 2 scales from its median: {'; '.join(items)}. The model, "
            "calibrated to all targets together, does not reproduce them (or the calibration stopped before "
            "its particles came close); treat conclusions that depend on them with care.")
    if not undefined.empty:
        text += f" Not checked (no finite statistic): {', '.join(undefined['target'])}."
    return text, "note"


def _provenance(page: Page, pf: PosteriorFile, argv):
    prov = pf.provenance()
    rows = [("file", pf.path), ("kind", "calibration (ABC-SMC posterior)"),
            ("p3sim version", prov.get("p3sim_version", "")), ("git commit", prov.get("git_commit", "")),
            ("command line", prov.get("command_line", "")), ("created (UTC)", prov.get("created_utc", "")),
            ("master seed", prov.get("master_seed", "")),
            ("calibration format version", prov.get("calibration_format_version", "")),
            ("format version", prov.get("format_version", "")),
            ("complete", "yes" if pf.complete else "no"), ("stop reason", pf.stop_reason or "(none)"),
            ("report written by", f"p3sim_analysis {__version__}: {' '.join(argv or [])}"),
            ("report created (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))]
    page.heading("Provenance", anchor="provenance")
    page.table(pd.DataFrame(rows, columns=["item", "value"]).astype(str))


def _generations_table(generations: pd.DataFrame) -> pd.DataFrame:
    table = generations.rename(columns={"acceptance_rate": "acceptance rate", "ess": "ESS"})
    table["tolerance"] = [("none (prior draws)" if math.isinf(t) else f"{t:.4g}") for t in table["tolerance"]]
    return table[["generation", "tolerance", "acceptance rate", "ESS", "simulations", "attempts", "accepted"]]


def build_calibration_report(path, out, fmt: str = "png", level: float = 0.95, argv=None,
                             quiet: bool = False) -> str:
    """Write the HTML report of posterior file ``path`` to ``out`` and return ``out``.

    Args:
        fmt: ``png`` or ``svg`` images.
        level: the level of the credible and predictive intervals.
        argv: the command line, recorded in the provenance table.
        quiet: no progress lines on stderr.
    Raises:
        ResultFileError: see :class:`~p3sim_analysis.calibration.PosteriorFile`.
    """
    progress = Progress(quiet)
    page = Page(fmt)
    with PosteriorFile(path) as pf:
        progress(f"reading calibration {pf.path}")
        scenario = pf.scenario
        name = scenario.get("name", pf.path)
        title = f"p3sim calibration report: {name}"
        parameters, targets, generations = pf.parameters, pf.targets(), pf.generations()
        page.heading(title, 1)
        page.heading("In brief", anchor="headline")
        names = ", ".join(p.name for p in parameters)
        page.paragraph(f"ABC-SMC calibration of scenario {name}: {len(parameters)} parameter"
                       f"{'s' if len(parameters) != 1 else ''} ({names}) fitted to {len(targets)} target "
                       f"component{'s' if len(targets) != 1 else ''}: {describe_targets(targets)}.")
        if generations.empty:
            page.paragraph("No generation is complete yet: there is no posterior to report"
                           + ("." if pf.complete else " (the calibration is still running, or was interrupted)."),
                           "note")
            _provenance(page, pf, argv)
            return _write(out, page.html(title))
        last = generations.iloc[-1]
        tolerance = ("none (only prior draws so far)" if math.isinf(last["tolerance"])
                     else format_number(float(last["tolerance"])))
        status = (f"The calibration stopped because {pf.stop_reason_text}" if pf.complete else
                  "The calibration has not finished (it is still running, or was interrupted); what follows is "
                  "its last completed generation")
        page.paragraph(f"{status}: {len(generations)} generation{'s' if len(generations) != 1 else ''} of "
                       f"{pf.particle_count} particles, {int(generations['simulations'].sum()):,} simulations in "
                       f"all, final tolerance {tolerance} (effective sample size {last['ess']:.1f}).",
                       None if pf.complete else "note")
        progress("posterior summary and predictive check")
        summary = pf.posterior_summary(level)
        check = pf.predictive_check(level)
        page.paragraph(f"Posterior of each parameter: median and {level:.0%} credible interval from the weighted "
                       f"particles of the last generation, with the prior's {level:.0%} interval (categorical "
                       "parameters: the posterior probability of each level, with its prior probability):")
        _bullets(page, _posterior_lines(summary, parameters))
        text, css = _fit_paragraph(check, level)
        page.paragraph(text, css)

        page.heading("Generations", anchor="generations")
        page.paragraph("Each generation accepts particles whose distance to the targets is within its tolerance; "
                       "generation 0 accepts every prior draw. The acceptance rate is accepted over simulated "
                       "proposals; ESS is the effective sample size 1 / sum(w^2) of the normalized weights; "
                       "simulations count every run, rejected ones and replications included.")
        page.table(_generations_table(generations))

        particles = pf.particles()
        progress("marginal posteriors")
        page.heading("Marginal posteriors", anchor="marginals")
        page.figure(marginal_figure(parameters, particles, summary, level), "marginal posteriors")
        shown = summary[["parameter", "level", "median", "low", "high", "mean", "sd", "probability",
                         "prior_low", "prior_high", "prior_probability"]]
        page.table(shown.dropna(axis=1, how="all"))
        if len(parameters) >= 2:
            progress("pairwise posterior")
            page.heading("Pairwise posterior", anchor="pairs")
            if len(parameters) > MAX_PAIRS:
                page.paragraph(f"The first {MAX_PAIRS} of {len(parameters)} parameters.")
            page.figure(pairwise_figure(parameters, particles), "pairwise posterior")

        progress("posterior predictive check")
        page.heading("Posterior predictive check", anchor="predictive")
        page.paragraph(f"For each target component, the weighted median and {level:.0%} interval of the simulated "
                       "statistics of the last generation's particles (each the mean over the particle's "
                       "replications), against the observed value. These are the statistics of accepted "
                       "particles, so this is the ABC posterior predictive with tolerance: narrower than fresh "
                       "simulations from the posterior would give. z = (observed - median) / scale, with the "
                       "scale of the distance; fit is poor when the observed value is outside the interval or |z| > 2.")
        page.figure(predictive_figure(targets, check, scenario, level), "posterior predictive check")
        page.heading("Predictive check table", 3, anchor="predictive-table")
        page.table(check[["target", "metric", "step", "observed", "median", "low", "high", "scale", "z", "fit"]])
        _provenance(page, pf, argv)
    return _write(out, page.html(title))
