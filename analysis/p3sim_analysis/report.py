"""The HTML report: one self-contained file with the figures and tables that fit a result file.

What goes in depends on the file (see docs/report.md):

* always: provenance, the runs excluded from statistics, series bands, the trust network of a run;
* a single run: its story (the events table);
* a varied governance mode (or the variants of ``p3sim compare``, or another categorical
  parameter): the comparison of key final metrics with paired differences;
* several runs: time to goal as Kaplan-Meier curves per group (share reached by month, censored
  at the horizon) with the share reached, median and restricted mean time;
* pitfall sets: the pitfall gallery;
* a Saltelli, Morris or plain sampled (sobol, lhs, random) design: sensitivity indices;
* ``goal_reached`` that varies across runs: PRIM boxes where the goal is missed, and feature scores.

A posterior file of ``p3sim calibrate`` gets its own report (:mod:`.calibration_report`).

Images are embedded as base64 ``data:`` URIs (PNG, or SVG with ``fmt="svg"``), styles are inline,
and the page links to nothing, so it can be mailed or archived as one file.
"""
from __future__ import annotations

import base64
import datetime
import html
import sys

import numpy as np
import pandas as pd

from . import __version__
from .bands import bands_figure, series_bands
from .calibration import is_calibration_file
from .comparison import comparison_figure, comparison_tables
from .feature_scoring import feature_scores
from .loading import ResultFile
from .pitfall_gallery import pitfall_effects, pitfall_gallery_figure
from .plotting import KEY_METRICS, figure_bytes
from .prim import prim_covering, prim_figure, trajectory_table
from .statistics import display_table, group_summary
from .survival import time_to_goal_figure
from .sensitivity import GIVEN_DATA_DESIGNS, file_sensitivity, sensitivity_figure
from .trust_network import trust_network_figure

BAND_METRICS = ("outcome", "members", "trust", "effort", "cross_trust", "cumulative_cost")
STYLE = """body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.85em}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f0f0f0}
td:first-child,th:first-child{text-align:left}img{max-width:100%;margin:0.5em 0}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:0.5em 1em}
.limit{background:#eef4fb;border-left:4px solid #4a7fb5;padding:0.5em 1em}code{background:#f4f4f4}"""


class Progress:
    """Prints ``report: <step>`` lines to stderr (one per section), unless quiet."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def __call__(self, message: str):
        if not self.quiet:
            print(f"report: {message}", file=sys.stderr, flush=True)


class Page:
    """Accumulates the HTML body: headings, paragraphs, tables, embedded figures."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.parts = []

    def heading(self, text: str, level: int = 2, anchor: str | None = None):
        anchor_attr = f' id="{html.escape(anchor)}"' if anchor else ""
        self.parts.append(f"<h{level}{anchor_attr}>{html.escape(text)}</h{level}>")

    def paragraph(self, text: str, css: str | None = None):
        cls = f' class="{css}"' if css else ""
        self.parts.append(f"<p{cls}>{html.escape(text)}</p>")

    def table(self, frame: pd.DataFrame, digits: int = 4):
        self.parts.append(frame.to_html(index=False, float_format=lambda v: f"{v:.{digits}g}", na_rep="",
                                        border=0, escape=True))

    def figure(self, fig, alt: str):
        data = base64.b64encode(figure_bytes(fig, self.fmt)).decode("ascii")
        mime = "image/svg+xml" if self.fmt == "svg" else "image/png"
        self.parts.append(f'<img alt="{html.escape(alt)}" src="data:{mime};base64,{data}">')

    def html(self, title: str) -> str:
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
                + "\n".join(self.parts) + "\n</body></html>\n")


def _parameter_inputs(rf, runs: pd.DataFrame) -> pd.DataFrame:
    """The varied inputs of each run for PRIM and the feature scores: numeric parameters as numbers,
    categorical ones as their levels (named as in the sweep), the pitfall set (``pitfalls``) as one
    categorical input whose levels are the set names and, when some set switches on more than one
    pitfall, each pitfall flag as a categorical input with levels off/on (with one pitfall per set
    the flags say nothing the set does not). An explicit design's parameters are under /params like
    any other."""
    columns = {}
    flags = [p.dataset for p in rf.parameters() if p.kind == "pitfall"]
    combined = bool(flags) and int((runs[flags].to_numpy(dtype=float) > 0.5).sum(axis=1).max()) > 1
    for p in rf.parameters():
        values = runs[p.dataset]
        if p.kind == "categorical":
            columns[p.dataset] = pd.Categorical(values, categories=p.levels)
        elif p.kind == "pitfall":
            if combined:
                columns[p.dataset] = pd.Categorical(np.where(values.to_numpy(dtype=float) > 0.5, "on", "off"),
                                                    categories=["off", "on"])
        else:
            columns[p.dataset] = values.astype(float)
    if "pitfalls" in runs:
        columns["pitfalls"] = pd.Categorical(runs["pitfalls"], categories=list(pd.unique(runs["pitfalls"])))
    inputs = pd.DataFrame(columns, index=runs.index)
    return inputs.loc[:, inputs.nunique(dropna=False) > 1]


def _variant_column(rf) -> str | None:
    """The column to compare variants by: governance.mode, else the compared parameter, else the
    first categorical parameter; None when there is none."""
    categorical = [p.dataset for p in rf.parameters() if p.kind == "categorical"]
    if "governance.mode" in categorical:
        return "governance.mode"
    return categorical[0] if categorical else None


def _provenance_section(page: Page, rf, argv):
    prov = rf.provenance()
    rows = [("file", rf.path), ("design", rf.design_type()), ("runs", rf.run_count),
            ("p3sim version", prov.get("p3sim_version", "")), ("git commit", prov.get("git_commit", "")),
            ("command line", prov.get("command_line", "")), ("created (UTC)", prov.get("created_utc", "")),
            ("master seed", prov.get("master_seed", "")), ("format version", prov.get("format_version", "")),
            ("steps per run", prov.get("steps", "")), ("series every", prov.get("record_every", "")),
            ("report written by", f"p3sim_analysis {__version__}: {' '.join(argv or [])}"),
            ("report created (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))]
    page.heading("Provenance", anchor="provenance")
    page.table(pd.DataFrame(rows, columns=["item", "value"]).astype(str))


def _story_section(page: Page, rf, run: int):
    events = rf.events(runs=[run])
    page.heading(f"Story of run {run}", anchor="story")
    if events.empty:
        page.paragraph("The file recorded no events (record.events was false).")
        return
    page.table(events[["step", "org_name", "kind", "cause", "value"]].rename(columns={"org_name": "organization"}))


def _comparison_section(page: Page, rf, runs, by, hold, scenario):
    subset = runs[runs["pitfalls"] == "baseline"] if "pitfalls" in runs else runs
    page.heading(f"Comparison by {by}", anchor="comparison")
    if "pitfalls" in runs:
        page.paragraph("Runs without pitfalls only; the pitfall gallery below shows the pitfalls.")
    summary, differences = comparison_tables(subset, by, KEY_METRICS, hold=hold)
    page.figure(comparison_figure(subset, by, KEY_METRICS, hold=hold, scenario=scenario), f"comparison by {by}")
    page.paragraph("95% intervals fit for each metric (docs/estimators.md): shares with Wilson intervals; time to "
                   "goal as the share that reached it, the Kaplan-Meier median (or not reached) and the restricted "
                   "mean time within the horizon, a run that never reached the goal counting the horizon, never "
                   "-1; means of bounded metrics with t intervals kept inside [0, 1]; cost_per_outcome over the "
                   "runs that had an outcome, acceptability over the runs that still had members.")
    page.table(display_table(summary))
    if differences is not None:
        page.paragraph("Paired differences to the baseline: runs of the same replicate share their seed (common "
                       "random numbers), so each difference is taken within a replicate; an interval that "
                       "excludes 0 is a difference the replications can tell apart from noise. Shares use "
                       "Newcombe's paired interval and the exact McNemar test; time to goal the paired difference "
                       "of the restricted times and of the shares reached; holm_p adjusts the p-values of the "
                       "whole table for multiple comparisons (Holm).")
        page.table(display_table(differences))


def _time_to_goal_section(page: Page, runs, by, scenario):
    """The Kaplan-Meier curves of time to goal per group (all runs together without a variant)."""
    if by is not None and runs[by].nunique() > 1:
        subset = runs[runs["pitfalls"] == "baseline"] if "pitfalls" in runs else runs
    elif "pitfalls" in runs and runs["pitfalls"].nunique() > 1:
        subset, by = runs, "pitfalls"
    else:
        subset, by = runs.assign(group="all runs"), "group"
    page.heading("Time to goal", anchor="time-to-goal")
    page.figure(time_to_goal_figure(subset, by, scenario=scenario), "time to goal")
    page.paragraph("Time to goal is right-censored: a run that never reaches the goal within the horizon is "
                   "censored there, never averaged as a number. The curves are Kaplan-Meier estimates of the share "
                   "of runs that reached the goal by each month; per group the table gives that share with its "
                   "Wilson interval, the median with its interval (or not reached, when at most half the runs "
                   "reached the goal) and the restricted mean time within the horizon.")
    page.table(display_table(group_summary(subset, by, ["time_to_goal"])))


def _gallery_section(page: Page, runs, hold, scenario):
    page.heading("Pitfall gallery", anchor="pitfalls")
    page.figure(pitfall_gallery_figure(runs, KEY_METRICS, hold=hold, scenario=scenario), "pitfall gallery")
    page.table(display_table(pitfall_effects(runs, KEY_METRICS, hold=hold)))


def _sensitivity_section(page: Page, rf, metric):
    page.heading(f"Sensitivity of {metric}", anchor="sensitivity")
    try:
        result = file_sensitivity(rf, metric)
    except ValueError as error:
        page.paragraph(f"No sensitivity analysis: {error}", "note")
        return
    page.paragraph(result["note"])
    page.figure(sensitivity_figure(result, metric), f"sensitivity of {metric}")
    page.table(result["table"])


def _prim_section(page: Page, rf, runs):
    page.heading("Where it breaks: runs that miss the goal", anchor="prim")
    inputs = _parameter_inputs(rf, runs)
    missed = (runs["goal_reached"] == 0).to_numpy(dtype=float)
    if inputs.empty:
        page.paragraph("Nothing was varied, so there is no parameter region to describe.", "note")
        return
    page.paragraph(f"{int(missed.sum())} of {len(missed)} done runs miss the goal. PRIM boxes (peeling and "
                   "pasting, alpha 0.05) describe parameter regions where missing is concentrated. A numeric "
                   "parameter is limited to a range; a categorical one (a governance mode, the pitfall set, a "
                   "pitfall flag) to a set of its levels, peeled one level at a time, so a box can pick any "
                   "levels, not only neighbouring codes (docs/report.md).")
    # A box must be at least half failures, or twice as dense in failures as the data when they are rare.
    threshold = min(0.5, 2 * float(missed.mean()))
    boxes = prim_covering(inputs, missed, max_boxes=2, min_density=threshold)
    if not boxes:
        page.paragraph(f"PRIM found no box denser in failures than the data as a whole with density at least "
                       f"{threshold:.2f}.", "note")
    for i, box in enumerate(boxes, start=1):
        page.heading(f"Box {i}: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f}", 3)
        page.paragraph(f"Box {i}: {box.describe()}.")
        page.figure(prim_figure(box, f"PRIM box {i}: peeling trajectory"), f"PRIM box {i}")
        page.table(box.table())
        steps = trajectory_table(box)
        near = (steps["step"] - box.chosen).abs() <= 5
        page.paragraph("Peeling steps (the first, the last and those near the chosen one; pasting may then widen "
                       "the chosen box):")
        page.table(steps[near | (steps.index == 0) | (steps.index == len(steps) - 1)])
    page.heading("Feature scores (mutual information with missing the goal)", 3)
    page.paragraph("A categorical parameter is scored as a whole, one bin per level; by_level lists the share "
                   "of runs missing the goal at each level, highest first.")
    page.table(feature_scores(inputs, missed))


def build_report(path, out, fmt: str = "png", metric: str = "outcome", run: int | None = None,
                 argv=None, quiet: bool = False) -> str:
    """Write the HTML report of result file ``path`` to ``out`` and return ``out``.

    Args:
        fmt: ``png`` or ``svg`` images.
        metric: the final metric of the sensitivity section.
        run: the run whose story and trust network are shown (default: the first done run).
        argv: the command line, recorded in the provenance table.
        quiet: no progress lines on stderr.

    A posterior file of ``p3sim calibrate`` (root attribute ``file_kind = "calibration"``) gets the
    calibration report instead (:func:`~p3sim_analysis.calibration_report.build_calibration_report`;
    ``metric`` and ``run`` do not apply to it).

    Raises:
        ResultFileError: see :class:`~p3sim_analysis.loading.ResultFile` (or
            :class:`~p3sim_analysis.calibration.PosteriorFile`); also when no run is done.
    """
    if is_calibration_file(path):
        from .calibration_report import build_calibration_report

        return build_calibration_report(path, out, fmt=fmt, argv=argv, quiet=quiet)
    progress = Progress(quiet)
    page = Page(fmt)
    with ResultFile(path) as rf:
        progress(f"reading {rf.path} ({rf.run_count} runs)")
        runs = rf.runs()
        scenario = rf.scenario
        title = f"p3sim report: {scenario.get('name', rf.path)}"
        page.heading(title, 1)
        if scenario.get("description"):
            page.paragraph(scenario["description"])
        page.paragraph(rf.exclusion_note(), "note")
        excluded = rf.excluded_runs()
        if not excluded.empty:
            page.table(excluded.head(50))
        _provenance_section(page, rf, argv)
        if runs.empty:
            page.paragraph("No run is done: there is nothing to analyse.", "note")
            return _write(out, page.html(title))
        run = int(runs["run"].iloc[0]) if run is None else int(run)
        kind = rf.design_type()
        hold = [p.dataset for p in rf.parameters()] + (["pitfalls"] if "pitfalls" in runs else [])
        if rf.run_count == 1 or kind == "single":
            progress("story")
            _story_section(page, rf, run)
        by = _variant_column(rf)
        if by is not None and runs[by].nunique() > 1:
            progress(f"comparison by {by}")
            _comparison_section(page, rf, runs, by, hold, scenario)
        if "time_to_goal" in runs and len(runs) > 1:
            progress("time to goal")
            _time_to_goal_section(page, runs, by, scenario)
        recorded = [m for m in BAND_METRICS if m in rf.series_metrics()][:4]
        if recorded:
            progress("series bands")
            band_by = by if by is not None and runs[by].nunique() > 1 else None
            bands = series_bands(rf.series(recorded, runs=runs["run"]), runs, band_by)
            page.heading("Series over time", anchor="series")
            page.figure(bands_figure(bands, band_by, scenario, "months"), "series bands")
        if "pitfalls" in runs and runs["pitfalls"].nunique() > 1 and (runs["pitfalls"] == "baseline").any():
            progress("pitfall gallery")
            _gallery_section(page, runs, hold, scenario)
        if kind in ("saltelli", "morris") + GIVEN_DATA_DESIGNS:
            progress(f"sensitivity ({kind} design)")
            _sensitivity_section(page, rf, metric)
        if runs["goal_reached"].nunique() > 1:
            progress("PRIM scenario discovery")
            _prim_section(page, rf, runs)
        progress(f"trust network of run {run}")
        page.heading(f"Trust network of run {run}", anchor="trust")
        network = trust_network_figure(rf, run)
        page.figure(network, f"trust network of run {run}")
        if network.trust_is_exact:
            page.paragraph("Pairwise trust is exact: the run was re-simulated from the file's scenario and seed, and "
                           "the re-run reproduced every final metric in the file bit for bit (docs/report.md).")
        else:
            page.paragraph("Limitation: the result file does not record trust between pairs of organizations, only "
                           "the mean trust over member pairs and over cross-sector member pairs per step and each "
                           "organization's final belief, and this run could not be re-simulated exactly (a sweep "
                           "point whose parameters differ from the base scenario, or no matching p3sim binary). "
                           "Membership and exits are exact; edge widths are the prior trust structure rescaled to "
                           "those recorded means (docs/report.md).", "limit")
    return _write(out, page.html(title))


def _write(out, text: str) -> str:
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    return str(out)


def numeric_summary(rf, by: str | None = None, metrics=KEY_METRICS) -> pd.DataFrame:
    """The estimate of each of ``metrics`` with its 95% interval over done runs (by the metric's
    kind: docs/estimators.md), per value of ``by`` if given (the table ``python3 -m p3sim_analysis
    summary`` prints)."""
    runs = rf.runs()
    metrics = [m for m in metrics if m in runs]
    if by is None:
        runs = runs.assign(all="all runs")
        by = "all"
    elif by not in runs:
        raise ValueError(f"no column {by!r}; varied: {', '.join(p.dataset for p in rf.parameters()) or 'nothing'}")
    table = group_summary(runs, by, metrics)
    finite = [c for c in table.columns if c != "median_hi"]  # inf there means "not reached"
    table[finite] = table[finite].replace([np.inf, -np.inf], np.nan)
    return table
