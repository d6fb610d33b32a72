"""The HTML report: one self-contained file with the figures and tables that fit a result file.

What goes in depends on the file (see docs/report.md):

* always first: "In brief", the answer in plain language (what was compared, the headline result
  with its uncertainty, the biggest paired differences, where the partnership breaks, what the
  sweep's and the scenario's notes say it shows), then a table of contents;
* always: provenance, the runs excluded from statistics, series bands, the trust network of a run;
* a single run: its final metrics, the verdict and the story ``p3sim run`` prints (trust
  collapses included when the run can be re-simulated); a ``--baseline`` pair side by side;
* a varied governance mode (or the variants of ``p3sim compare``, or another categorical
  parameter): the comparison of key final metrics with paired differences;
* several runs: time to goal as Kaplan-Meier curves per group (share reached by month, censored
  at the horizon) with the share reached, median and restricted mean time;
* pitfall sets: the pitfall gallery;
* a Saltelli, Morris or plain sampled (sobol, lhs, random) design: sensitivity indices;
* ``goal_reached`` that varies across runs: PRIM boxes where the goal is missed, and feature scores.

A posterior file of ``p3sim calibrate`` gets its own report (:mod:`.calibration_report`).

Codes become names (:mod:`.names`), numbers are rounded to what their intervals support
(:mod:`.rounding`), long tables fold, every table has a CSV download, figures fit the column
(:mod:`.page`). Images are embedded as base64 ``data:`` URIs (PNG, or SVG with ``fmt="svg"``),
styles are inline, and the page links to nothing, so it can be mailed or archived as one file.
"""
from __future__ import annotations

import datetime
import re
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
from .names import Names
from .page import Page
from .plotting import KEY_METRICS
from .rounding import percent, points, share_text, significant, with_interval
from .run_story import CAUSE_TEXT, is_collapse, metric_text, run_account, story_months, whole_or_four
from .prim import prim_covering, prim_figure, trajectory_table
from .statistics import group_summary
from .survival import time_to_goal_figure
from .sensitivity import GIVEN_DATA_DESIGNS, file_sensitivity, sensitivity_figure
from .trust_network import find_binary, trust_network_figure

BAND_METRICS = ("outcome", "members", "trust", "effort", "cross_trust", "cumulative_cost")
#: the metrics of the first comparison figure; the others follow in a second one
HEADLINE_METRICS = ("goal_reached", "time_to_goal", "outcome", "cost_per_outcome")
EXIT_CAUSES = ("hierarchy", "misalignment", "distrust", "no_results", "credit", "shock")


class Progress:
    """Prints ``report: <step>`` lines to stderr (one per section), unless quiet."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def __call__(self, message: str):
        if not self.quiet:
            print(f"report: {message}", file=sys.stderr, flush=True)


# --- helpers ----------------------------------------------------------------------------------
def _parameter_inputs(rf, runs: pd.DataFrame, names: Names | None = None) -> pd.DataFrame:
    """The varied inputs of each run for PRIM and the feature scores: numeric parameters as numbers,
    categorical ones as their levels (named as in the sweep), the pitfall set (``pitfalls``) as one
    categorical input whose levels are the set names and, when some set switches on more than one
    pitfall, each pitfall flag as a categorical input with levels off/on (with one pitfall per set
    the flags say nothing the set does not). An explicit design's parameters are under /params like
    any other. With ``names``, columns and levels carry their readable names."""
    columns = {}
    flags = [p.dataset for p in rf.parameters() if p.kind == "pitfall"]
    combined = bool(flags) and int((runs[flags].to_numpy(dtype=float) > 0.5).sum(axis=1).max()) > 1
    rename = (lambda c: names.column(c)) if names else (lambda c: c)
    level = (lambda c, v: names.level(c, v)) if names else (lambda c, v: v)
    for p in rf.parameters():
        values = runs[p.dataset]
        if p.kind == "categorical":
            columns[rename(p.dataset)] = pd.Categorical([level(p.dataset, v) for v in values],
                                                        categories=[level(p.dataset, v) for v in p.levels])
        elif p.kind == "pitfall":
            if combined:
                columns[rename(p.dataset)] = pd.Categorical(np.where(values.to_numpy(dtype=float) > 0.5, "on", "off"),
                                                            categories=["off", "on"])
        else:
            columns[rename(p.dataset)] = values.astype(float)
    if "pitfalls" in runs:
        sets = list(pd.unique(runs["pitfalls"]))
        columns[rename("pitfalls")] = pd.Categorical([level("pitfalls", v) for v in runs["pitfalls"]],
                                                     categories=[level("pitfalls", v) for v in sets])
    inputs = pd.DataFrame(columns, index=runs.index)
    return inputs.loc[:, inputs.nunique(dropna=False) > 1]


def _variant_column(rf) -> str | None:
    """The column to compare variants by: governance.mode, else the compared parameter, else the
    first categorical parameter; None when there is none."""
    categorical = [p.dataset for p in rf.parameters() if p.kind == "categorical"]
    if "governance.mode" in categorical:
        return "governance.mode"
    return categorical[0] if categorical else None


def _join(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _sentences(text: str) -> list:
    """``text`` split into sentences (at a full stop followed by a capital letter)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text or "") if s.strip()]


def note_sentences(note: str, words, limit: int = 2) -> list:
    """The sentences of a scenario's note that speak of the most of ``words`` (the compared modes
    or pitfalls; at least two of them), at most ``limit``, in the note's order: what the note says
    the comparison shows."""
    scored = []
    for k, sentence in enumerate(_sentences(note)):
        lower = sentence.lower()
        hits = {str(w).lower() for w in words if re.search(rf"\b{re.escape(str(w).lower())}\b", lower)}
        if len(hits) >= 2:
            scored.append((-len(hits), k, sentence))
    return [s for _, _, s in sorted(sorted(scored)[:limit], key=lambda t: t[1])]


def metric_scales(runs: pd.DataFrame) -> dict:
    """The magnitude of each final metric over the runs (largest absolute value, its -1 codes
    left out): the finest digit a difference of it is shown to."""
    scales = {}
    for metric in runs.columns:
        if metric in KEY_METRICS or metric.startswith("exits_"):
            values = runs[metric].to_numpy(dtype=float)
            values = values[np.isfinite(values) & (values != -1)]
            scales[metric] = float(np.abs(values).max()) if len(values) and np.abs(values).max() > 0 else None
    return scales


def _cell(row, metric: str, names: Names, difference: bool = False, scale=None) -> str:
    """One estimate (or paired difference) in words, rounded to what its interval supports."""
    kind = row["kind"] if "kind" in row else None
    if kind == "share" and not difference and "successes" in row and np.isfinite(row.get("successes", np.nan)):
        return share_text(row["successes"], row["n"], row["lo"], row["hi"])
    if kind == "share":
        return points(row["mean"], row["lo"], row["hi"])
    return with_interval(row["mean"], row["lo"], row["hi"], signed=difference, scale=scale)


def _wide(table: pd.DataFrame, by: str, names: Names, difference: bool = False, scales=None) -> pd.DataFrame:
    """A long (group, metric) table as one row per group and one column per metric, each cell the
    estimate with its interval in words; headers name the metric and its unit."""
    rows = {}
    headers = {}
    for _, row in table.iterrows():
        metric = row["metric"]
        unit = "percentage points" if difference and row["kind"] == "share" else \
            "runs" if row["kind"] == "share" else \
            "restricted mean, months" if row["kind"] == "time" else names.unit(metric)
        headers[metric] = f"{names.metric(metric)} ({unit})" if unit else names.metric(metric)
        rows.setdefault(row[by], {})[headers[metric]] = _cell(row, metric, names, difference,
                                                              (scales or {}).get(metric))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.insert(0, names.column(by) if names.column(by) not in frame else by, [names.level(by, v) for v in frame.index])
    return frame.reset_index(drop=True)


def _named(table: pd.DataFrame, by: str, names: Names) -> pd.DataFrame:
    """A numeric table for the CSV download: levels and metrics by name, codes kept next to them."""
    out = table.copy()
    shown = [names.level(by, v) for v in out[by]]
    if names.column(by) in out:
        out[names.column(by)] = shown
    else:
        out.insert(0, names.column(by), shown)
    if "metric" in out:
        out.insert(2, "metric name", [names.metric_with_unit(m) for m in out["metric"]])
    if "baseline" in out:
        out["baseline"] = [names.level(by, v) for v in out["baseline"]]
    return out


# --- sections -------------------------------------------------------------------------------
def _provenance_section(page: Page, rf, argv):
    prov = rf.provenance()
    rows = [("file", rf.path), ("design", rf.design_type()), ("runs", rf.run_count),
            ("p3sim version", prov.get("p3sim_version", "")), ("git commit", prov.get("git_commit", "")),
            ("command line", prov.get("command_line", "")), ("created (UTC)", prov.get("created_utc", "")),
            ("master seed", prov.get("master_seed", "")), ("format version", prov.get("format_version", "")),
            ("steps per run", prov.get("steps", "")), ("series every", prov.get("record_every", "")),
            ("report written by", f"p3sim_analysis {__version__}: {' '.join(argv or [])}"),
            ("report created (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))]
    page.table(pd.DataFrame(rows, columns=["item", "value"]).astype(str), name="provenance", fold_rows=20,
               text_columns=["value"])


def _final_metrics_table(rf, accounts, labels, names: Names) -> pd.DataFrame:
    """Final metrics of one or two runs as ``p3sim run`` prints them, with names and units; for two
    runs also their difference (none where either side is "never" or "undefined")."""
    rows = []
    for metric in rf.final_metrics():
        values = [a["final"].get(metric, np.nan) for a in accounts]
        row = {"metric": names.metric_with_unit(metric) if metric != "goal_reached" else names.metric(metric)}
        for label, value in zip(labels, values):
            row[label] = ("yes" if value > 0.5 else "no") if metric == "goal_reached" else metric_text(metric, value)
        if len(accounts) == 2:
            coded = metric == "goal_reached" or any(metric_text(metric, v) in ("never", "undefined") for v in values)
            row["difference"] = "-" if coded else whole_or_four(values[1] - values[0], signed=True)
        rows.append(row)
    return pd.DataFrame(rows)


def _story_table(accounts, labels) -> pd.DataFrame:
    """The stories month by month, one column per run; ``*`` marks months whose lines differ."""
    months = [story_months(a["story"]) for a in accounts]
    rows = []
    for month in sorted(set().union(*months)):
        cells = ["; ".join(m.get(month, [])) for m in months]
        row = {"month": "" if month < 0 else str(month)}
        if len(accounts) == 2:
            row["differs"] = "*" if cells[0] != cells[1] else ""
        for label, cell in zip(labels, cells):
            row[label] = cell
        rows.append(row)
    return pd.DataFrame(rows)


def _departures(account) -> list:
    return [line for line in account["story"] if " left (" in line]


def _run_brief(page: Page, rf, accounts, labels, names: Names):
    """In brief, for one run or a --baseline pair: the verdict(s), who left, trust collapses."""
    page.open("section", "brief")
    page.heading("In brief", 2, anchor="brief")
    if len(accounts) == 1:
        a = accounts[0]
        page.paragraph(a["verdict"], "headline")
        extra = f" with the pitfall {_join(names.pitfall(p) for p in a['pitfalls'])}" if a["pitfalls"] else ""
        page.paragraph(f"One run of {names.title}{extra}, seed {a['seed']}, "
                       f"{int(rf.horizon)} months.")
    else:
        label = labels[1]
        page.paragraph(f"{labels[0].capitalize()}: {accounts[0]['verdict']}", "headline")
        page.paragraph(f"{label.capitalize()}: {accounts[1]['verdict']}", "headline")
        for name in accounts[1]["pitfalls"]:
            description = names.pitfall_description(name)
            page.paragraph(f"The pitfall {names.pitfall(name)}{': ' + description if description else ''} Both runs "
                           f"use seed {accounts[1]['seed']}, so they face the same random events.")
    for a, label in zip(accounts, labels):
        prefix = f"{label.capitalize()}: " if len(accounts) == 2 else ""
        left = _departures(a)
        collapses = [line for line in a["story"] if is_collapse(line)]
        more = lambda items, k: "; ".join(items[:k]) + (f"; and {len(items) - k} more" if len(items) > k else "")  # noqa: E731
        items = [f"{prefix}{len(left)} organization{'s' if len(left) != 1 else ''} left" + (": " + more(left, 4) if left else "")]
        if a["exact"]:
            items.append(f"{prefix}{len(collapses)} collapse{'s' if len(collapses) != 1 else ''} of trust between "
                         "sectors" + (": " + more(collapses, 3) if collapses else ""))
        else:
            items.append(f"{prefix}trust collapses between sectors are not known: the run could not be re-simulated")
        page.bullets(items)
    page.close("section")


def _run_sections(body: Page, rf, accounts, labels, names: Names):
    body.heading("Final metrics and verdict", anchor="final")
    if len(accounts) == 2:
        body.paragraph(f"{labels[0].capitalize()}: {accounts[0]['verdict']} {labels[1].capitalize()}: "
                       f"{accounts[1]['verdict']}")
    else:
        body.paragraph(accounts[0]["verdict"])
    body.table(_final_metrics_table(rf, accounts, labels, names), name="final metrics", fold_rows=40,
               text_columns=["metric"])
    body.heading("Story", anchor="story")
    if all(a["exact"] for a in accounts):
        body.paragraph("As p3sim run tells it: who joined and left and why, phases, shocks, the goal, and "
                       "collapses of trust between sectors (the run was re-simulated from the file's scenario "
                       "and seed and reproduced every final metric exactly).")
    else:
        body.paragraph("Told from the events in the file. Collapses of trust between sectors are not in the file "
                       "and the run could not be re-simulated, so they are missing here.", "limit")
    story = _story_table(accounts, labels)
    if len(accounts) == 2:
        body.paragraph("Side by side, month by month; * marks the months where the two stories differ.")
    body.table(story, name="story", fold_rows=60, text_columns=list(labels))


def _comparison_section(page: Page, runs, by, hold, scenario, names: Names, tables):
    subset = runs[runs["pitfalls"] == "baseline"] if "pitfalls" in runs else runs
    what = names.column(by)
    page.heading(f"Comparison by {what}", anchor="comparison")
    if "pitfalls" in runs:
        page.paragraph("Runs without pitfalls only; the pitfall gallery below shows the pitfalls.")
    summary, differences = tables
    label = lambda v: names.level(by, v)  # noqa: E731
    first = [m for m in HEADLINE_METRICS if m in set(summary["metric"])]
    rest = [m for m in dict.fromkeys(summary["metric"]) if m not in first]
    for group in (first, rest):
        if group:
            page.figure(comparison_figure(subset, by, group, hold=hold, scenario=scenario, label=label),
                        f"comparison by {what}: {', '.join(names.metric(m) for m in group)}")
    page.paragraph("Each estimate with its 95% interval, rounded to what the interval supports: goal reached as "
                   "runs with a Wilson interval; time to goal as the restricted mean within the horizon (a run "
                   "that never reached the goal counts the horizon, never -1); bounded metrics as means with t "
                   "intervals kept inside [0, 1]; cost per outcome over the runs that had an outcome, "
                   "acceptability over the runs that still had members (docs/estimators.md).")
    page.table(_wide(summary, by, names, scales=metric_scales(subset)), name=f"estimates by {what}", data=_named(summary, by, names),
               text_columns=[what])
    if differences is not None:
        base = names.level(by, differences["baseline"].iloc[0])
        page.paragraph(f"Paired differences to the baseline, {base}: runs of the same replicate share their seed (common random "
                       "numbers), so each difference is taken within a replicate; an interval that excludes 0 is a "
                       "difference the replications can tell apart from noise. Goal reached in percentage points "
                       "(Newcombe's paired interval); the CSV adds p and the Holm-adjusted p over the whole table.")
        page.table(_wide(differences, by, names, difference=True, scales=metric_scales(subset)),
                   name=f"paired differences to {base}",
                   data=_named(differences, by, names), text_columns=[what])


def _time_to_goal_section(page: Page, runs, by, scenario, names: Names):
    """The Kaplan-Meier curves of time to goal per group (all runs together without a variant)."""
    if by is not None and runs[by].nunique() > 1:
        subset = runs[runs["pitfalls"] == "baseline"] if "pitfalls" in runs else runs
    elif "pitfalls" in runs and runs["pitfalls"].nunique() > 1:
        subset, by = runs, "pitfalls"
    else:
        subset, by = runs.assign(group="all runs"), "group"
    page.heading("Time to goal", anchor="time-to-goal")
    page.figure(time_to_goal_figure(subset, by, scenario=scenario, label=lambda v: names.level(by, v)), "time to goal")
    page.paragraph("Time to goal is right-censored: a run that never reaches the goal within the horizon is "
                   "censored there, never averaged as a number. The curves are Kaplan-Meier estimates of the share "
                   "of runs that reached the goal by each month; the table gives per group that share, the median "
                   "month with its interval (not reached when at most half the runs reached the goal) and the "
                   "restricted mean time within the horizon.")
    table = group_summary(subset, by, ["time_to_goal"])
    rows = []
    for _, row in table.iterrows():
        if not np.isfinite(row.get("median", np.nan)):
            median = "not reached"
        elif np.isfinite(row["median_hi"]):
            median = with_interval(row["median"], row["median_lo"], row["median_hi"])
        else:
            median = f"{significant(row['median'])} [{significant(row['median_lo'])}, not reached]"
        rows.append({names.column(by): names.level(by, row[by]),
                     "reached the goal": share_text(row["reached"], row["n"], np.nan, np.nan),
                     "median month [95% interval]": median,
                     "restricted mean month [95% interval]": with_interval(row["mean"], row["lo"], row["hi"])})
    page.table(pd.DataFrame(rows), name="time to goal", data=_named(table, by, names), text_columns=[names.column(by)])


def _gallery_section(page: Page, runs, hold, scenario, names: Names, effects):
    page.heading("Pitfall gallery", anchor="pitfalls")
    page.figure(pitfall_gallery_figure(runs, KEY_METRICS, hold=hold, scenario=scenario,
                                       label=lambda v: names.level("pitfalls", v)), "pitfall gallery")
    wide = _wide(effects, "pitfalls", names, difference=True, scales=metric_scales(runs))
    wide.insert(1, "what it represents", [names.pitfall_description(s) if "+" not in s else ""
                                          for s in dict.fromkeys(effects["pitfalls"])])
    page.paragraph("Each pitfall's effect: the run with the pitfall minus the run without it, same seed, with the "
                   "95% interval of the metric's kind; the CSV adds p and the Holm-adjusted p over the whole "
                   "gallery (many pitfalls by several metrics is a large family of tests).")
    page.table(wide, name="pitfall effects", data=_named(effects, "pitfalls", names),
               text_columns=["pitfall", "what it represents"])


def _sensitivity_section(page: Page, rf, metric, names: Names):
    page.heading(f"Sensitivity of {names.metric(metric)}", anchor="sensitivity")
    try:
        result = file_sensitivity(rf, metric)
    except ValueError as error:
        page.paragraph(f"No sensitivity analysis: {error}", "note")
        return
    table = result["table"].copy()
    if "factor" in table:
        table["factor"] = [names.column(str(f)) for f in table["factor"]]
    result = dict(result, table=table)
    page.paragraph(result["note"])
    page.figure(sensitivity_figure(result, names.metric(metric)), f"sensitivity of {metric}")
    page.table(table, digits=2, name=f"sensitivity of {metric}", text_columns=["factor"])


DESIGN_NAMES = {"lhs": "Latin hypercube", "sobol": "Sobol' sequence", "random": "random", "grid": "grid",
                "saltelli": "Saltelli", "morris": "Morris", "compare": "p3sim compare"}


def describe_box(box) -> str:
    """A PRIM box in words with the precision a reader needs: ``disclosure of every organization
    at most 0.31 and governance structure in {unified hierarchy, isolated action}``; a numeric
    bound at the edge of the sampled range is left out."""
    full = box.boxes[0]
    parts = []
    for name, row in box.restricted().iterrows():
        if row["kind"] == "categorical":
            kept = list(row["levels"])
            left_out = [lv for lv in row["all_levels"] if lv not in kept]
            if len(kept) == 1:
                parts.append(f"{name} is {kept[0]}")
            elif len(left_out) < len(kept):
                parts.append(f"{name} is anything but {_join(left_out).replace(' and ', ' or ')}")
            else:
                parts.append(f"{name} is one of {', '.join(kept)}")
            continue
        low = row["low"] > full.loc[name, "low"]
        high = row["high"] < full.loc[name, "high"]
        if low and high:
            parts.append(f"{name} between {significant(row['low'], 2)} and {significant(row['high'], 2)}")
        elif high:
            parts.append(f"{name} at most {significant(row['high'], 2)}")
        elif low:
            parts.append(f"{name} at least {significant(row['low'], 2)}")
    return _join(parts) or "all runs"


def _prim_boxes(inputs, missed):
    # A box must be at least half failures, or twice as dense in failures as the data when they are rare.
    threshold = min(0.5, 2 * float(missed.mean()))
    return prim_covering(inputs, missed, max_boxes=2, min_density=threshold), threshold


def _prim_section(page: Page, inputs, missed, boxes, threshold, scores=None):
    page.heading("Where it breaks: runs that miss the goal", anchor="prim")
    if inputs.empty:
        page.paragraph("Nothing was varied, so there is no parameter region to describe.", "note")
        return
    page.paragraph(f"{int(missed.sum())} of {len(missed)} done runs miss the goal. PRIM boxes (peeling and "
                   "pasting, alpha 0.05) describe parameter regions where missing is concentrated. A numeric "
                   "parameter is limited to a range; a categorical one (a governance structure, the pitfall, a "
                   "pitfall flag) to a set of its levels, peeled one level at a time, so a box can pick any "
                   "levels, not only neighbouring codes (docs/report.md).")
    if not boxes:
        page.paragraph(f"PRIM found no box denser in failures than the data as a whole with density at least "
                       f"{threshold:.2f}.", "note")
    for i, box in enumerate(boxes, start=1):
        page.heading(f"Box {i}: holds {percent(box.coverage)} of the misses; {percent(box.density)} of its runs "
                     f"miss; {percent(box.mass)} of all runs", 3)
        page.paragraph(f"Box {i}: {describe_box(box)}.")
        page.figure(prim_figure(box, f"PRIM box {i}: peeling trajectory"), f"PRIM box {i}")
        page.table(box.table(), digits=3, name=f"PRIM box {i}", text_columns=["parameter", "limits"])
        steps = trajectory_table(box)
        near = (steps["step"] - box.chosen).abs() <= 5
        page.paragraph("Peeling steps (the first, the last and those near the chosen one; pasting may then widen "
                       "the chosen box):")
        page.table(steps[near | (steps.index == 0) | (steps.index == len(steps) - 1)], digits=3,
                   name=f"PRIM box {i} peeling steps", data=steps, text_columns=["peeled"])
    page.heading("Feature scores (mutual information with missing the goal)", 3)
    page.paragraph("How much knowing an input tells about missing the goal, in bits, after subtracting what "
                   "chance alone gives (the mean over 200 shuffles of the outcome); a categorical input is scored "
                   "as a whole, one bin per level, and 'share missing by level' lists the share of runs missing "
                   "the goal at each level, highest first.")
    scores = feature_scores(inputs, missed) if scores is None else scores
    shown = pd.DataFrame({"input": scores["input"], "kind": scores["kind"],
                          "information beyond chance (bits)": [significant(v, 2) for v in scores["excess"]],
                          "permutation p": [significant(v, 2) for v in scores["p_value"]],
                          "share missing by level": scores["by_level"]})
    page.table(shown, name="feature scores", data=scores.rename(columns={"mi": "mutual_information_bits",
                                                                           "null_mean": "chance_bits"}),
               text_columns=["input", "share missing by level"])


# --- in brief -------------------------------------------------------------------------------
def _headline_shares(summary, by, names: Names) -> str:
    reached = summary[summary["metric"] == "goal_reached"].sort_values("mean", ascending=False, kind="stable")
    parts = [(names.level(by, r[by]), share_text(r["successes"], r["n"], r["lo"], r["hi"]))
             for _, r in reached.iterrows()]
    if not parts:
        return ""
    first = f"{parts[0][0][:1].upper()}{parts[0][0][1:]} reaches the goal in {parts[0][1]}"
    return ", ".join([first, *(f"{name} in {share}" for name, share in parts[1:])]) + "."


#: the order in which the summary looks for differences worth telling
DIFFERENCE_ORDER = ("goal_reached", "outcome", "time_to_goal", "retention", "mean_trust", "cost_per_outcome",
                    "acceptability")


def _biggest_differences(differences, by, names: Names, limit: int = 3) -> list:
    """Per metric (goal reached, outcome, time to goal first), the variant furthest from the
    baseline among those whose interval excludes 0, in words; at most ``limit`` metrics."""
    if differences is None or differences.empty:
        return []
    table = differences[np.isfinite(differences["mean"])]
    table = table[(table["lo"] > 0) | (table["hi"] < 0)]
    out = []
    for metric in [m for m in DIFFERENCE_ORDER if m in set(table["metric"])][:limit]:
        part = table[table["metric"] == metric]
        row = part.loc[part["mean"].abs().idxmax()]
        label = names.metric(metric)
        if row["kind"] == "share":
            size = points(row["mean"], row["lo"], row["hi"])
        else:
            unit = "months" if row["kind"] == "time" else names.unit(metric)
            size = f"{with_interval(row['mean'], row['lo'], row['hi'], signed=True)} {unit}".strip()
        if row["kind"] == "time":
            # A paired difference of restricted means: a run that never reaches the goal counts as the
            # horizon, so the number is months of the horizon spent without the goal, not a date.
            label = f"restricted mean {label} (never = {int(row['horizon'])} months)" if "horizon" in row \
                else f"restricted mean {label} (within the horizon)"
        out.append(f"{label}, {names.level(by, row[by])}: {size}")
    if out:
        base = names.level(by, differences["baseline"].iloc[0])
        n = int(differences["n"].max())
        out[0] = f"against {base}, paired on {n} seeds: " + out[0]
    return out


def _exit_sentence(runs, by, names: Names) -> str:
    """Why members leave where most leave: the variant with the most exits and its main cause."""
    causes = [f"exits_{c}" for c in EXIT_CAUSES if f"exits_{c}" in runs]
    if not causes:
        return ""
    group = runs.assign(_exits=runs[causes].sum(axis=1)).groupby(by, observed=True)
    means = group[causes].mean()
    total = means.sum(axis=1)
    if total.empty or total.max() <= 0:
        return "No organization leaves the partnership in any run."
    worst = total.idxmax()
    cause = means.loc[worst].idxmax()
    why = CAUSE_TEXT.get(cause[len("exits_"):], cause).split(":")[0]
    return (f"Most departures happen under {names.level(by, worst)}: {significant(total.loc[worst], 2)} "
            f"organizations leave per run on average, mostly for {why} "
            f"({significant(means.loc[worst, cause], 2)} per run).")


def _brief_section(page: Page, rf, runs, names: Names, by, tables, effects, boxes, missed, scores=None):
    scenario, sweep = rf.scenario, rf.sweep
    page.open("section", "brief")
    page.heading("In brief", 2, anchor="brief")
    n_runs = len(runs)
    headline, lines = "", []
    if tables is not None:
        summary, differences = tables
        levels = list(dict.fromkeys(summary[by]))
        replicates = runs["replicate"].nunique() if "replicate" in runs else n_runs
        compared = _join(names.level(by, v) for v in levels)
        lines.append(f"Compared: {compared}, on {names.title}, {replicates} runs each on the "
                     f"same seeds, {int(rf.horizon)} months.")
        headline = _headline_shares(summary, by, names)
        outcome = summary[summary["metric"] == "outcome"]
        if len(outcome):
            best = outcome.sort_values("mean", ascending=False).iloc[0]
            lines.append(f"Highest {names.metric('outcome')}: {names.level(by, best[by])}, "
                         f"{with_interval(best['mean'], best['lo'], best['hi'])} {names.unit('outcome')} (95% interval).")
        biggest = _biggest_differences(differences, by, names)
        if biggest:
            lines.append("Biggest paired differences " + "; ".join(biggest) + ".")
        exits = _exit_sentence(runs[runs["pitfalls"] == "baseline"] if "pitfalls" in runs else runs, by, names)
        if exits:
            lines.append(exits)
    elif effects is not None:
        base = runs[runs["pitfalls"] == "baseline"]
        reached = base["goal_reached"]
        from .estimators import wilson
        lo, hi = wilson(int(reached.sum()), len(reached))
        headline = (f"Without a pitfall the partnership reaches the goal in "
                    f"{share_text(reached.sum(), len(reached), lo, hi)}.")
        share = effects[effects["metric"] == "goal_reached"].sort_values("mean")
        harmful = share[share["hi"] < 0]
        if len(harmful):
            worst = harmful.iloc[0]
            drop = points(-worst["mean"], -worst["hi"], -worst["lo"]).lstrip("+").replace(" points ", " percentage points ")
            headline += (f" The most damaging pitfall, {names.level('pitfalls', worst['pitfalls'])}, lowers that share by "
                         f"{drop}.")
        lines.append(f"Compared: the baseline and {effects['pitfalls'].nunique()} pitfalls, each switched on alone, on "
                     f"{names.title}, {base['replicate'].nunique()} runs each on the same seeds.")
        outcome = effects[effects["metric"] == "outcome"].sort_values("mean")
        clear = outcome[(outcome["lo"] > 0) | (outcome["hi"] < 0)].head(3)
        if len(clear):
            lines.append(f"Largest effects on {names.metric('outcome')} ({names.unit('outcome')}, paired): " + "; ".join(
                f"{names.level('pitfalls', r['pitfalls'])} {with_interval(r['mean'], r['lo'], r['hi'], signed=True)}"
                for _, r in clear.iterrows()) + ".")
        lines.append(f"{len(harmful)} of {share['pitfalls'].nunique()} pitfalls lower the share of runs reaching the goal "
                     "by more than chance allows (95% interval below 0).")
    else:
        reached = runs["goal_reached"]
        from .estimators import wilson
        lo, hi = wilson(int(reached.sum()), len(reached))
        headline = f"The partnership reaches the goal in {share_text(reached.sum(), len(reached), lo, hi)}."
        varied = [names.column(p.dataset) for p in rf.parameters()]
        if varied:
            lines.append(f"Varied: {_join(varied)} ({DESIGN_NAMES.get(rf.design_type(), rf.design_type())} "
                         f"design, {n_runs} runs, {int(rf.horizon)} months).")
    if boxes:
        box = boxes[0]
        lines.append(f"Where it breaks: runs miss the goal mostly where {describe_box(box)} (this region holds "
                     f"{percent(box.coverage)} of the {int(missed.sum())} runs that miss; {percent(box.density)} of "
                     f"the runs in it miss).")
    elif missed is not None and missed.sum() == 0:
        lines.append("No run misses the goal.")
    if scores is not None and len(scores) > 1 and tables is None and effects is None:
        top = scores.iloc[0]
        if np.isfinite(top["p_value"]) and top["p_value"] < 0.05:
            lines.append(f"The input that tells most about missing the goal: {top['input']} "
                         f"({significant(top['excess'], 2)} bits beyond chance; next: {scores.iloc[1]['input']}).")
    page.paragraph(headline, "headline")
    page.bullets(lines)
    if not rf.excluded_runs().empty:
        page.paragraph(rf.exclusion_note(), "note")
    notes = []
    if sweep.get("note"):
        notes.append(f"The sweep's note: {names.prose(sweep['note'], rf.final_metrics())}")
    words = []
    if tables is not None:
        words = [str(v) for v in dict.fromkeys(tables[0][by])] + [names.level(by, v) for v in dict.fromkeys(tables[0][by])]
    elif effects is not None:
        words = [p for s in dict.fromkeys(effects["pitfalls"]) for p in s.split("+")]
    expected = note_sentences(scenario.get("note", ""), words) if words else []
    if expected:
        notes.append("What the scenario's note says it shows: " + names.prose(" ".join(expected), rf.final_metrics()))
    for text in notes:
        page.prose(text)
    page.close("section")


def _scenario_section(page: Page, rf, names: Names, by):
    scenario = rf.scenario
    page.heading("The scenario", anchor="scenario")
    if scenario.get("description"):
        page.paragraph(names.prose(scenario["description"], rf.final_metrics()))
    if by == "governance.mode":
        from .names import GOVERNANCE_GLOSS
        page.bullets([f"{names.mode(m)} ({m}): {GOVERNANCE_GLOSS.get(m, '')}"
                      for m in next(p for p in rf.parameters() if p.dataset == by).levels])
    if scenario.get("note"):
        sentences = _sentences(names.prose(scenario["note"], rf.final_metrics()))
        page.prose(sentences[0] if sentences else scenario["note"])
        if len(sentences) > 1:
            page.fold("The scenario's whole note")
            for sentence in sentences[1:]:
                page.prose(sentence)
            page.close("details")


def _accounts_of(rf, runs, run, names: Names):
    """The run accounts the report tells: one run, or the baseline and pitfall runs of a
    ``p3sim run --baseline`` pair (two runs, the second with a pitfall the first has not)."""
    binary = find_binary()
    if len(runs) == 2 and "pitfalls" in runs and (runs["pitfalls"] == "baseline").sum() == 1:
        base = int(runs.loc[runs["pitfalls"] == "baseline", "run"].iloc[0])
        other = int(runs.loc[runs["pitfalls"] != "baseline", "run"].iloc[0])
        accounts = [run_account(rf, base, binary), run_account(rf, other, binary)]
        label = names.level("pitfalls", runs.loc[runs["run"] == other, "pitfalls"].iloc[0])
        return accounts, ["without the pitfall", f"with {label}"]
    return [run_account(rf, run, binary)], [f"run {run}"]


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
    page, body = Page(fmt), Page(fmt)
    with ResultFile(path) as rf:
        progress(f"reading {rf.path} ({rf.run_count} runs)")
        runs = rf.runs()
        scenario = rf.scenario
        names = Names(scenario, rf.parameters(), find_binary())
        title = f"{names.title if scenario.get('name') else rf.path}: p3sim report"
        page.heading(title, 1)
        sweep_description = rf.sweep.get("description") if rf.sweep else None
        if sweep_description or scenario.get("description"):
            page.paragraph(names.prose(sweep_description or scenario["description"], rf.final_metrics()))
        if runs.empty:
            page.paragraph(rf.exclusion_note(), "note")
            page.paragraph("No run is done: there is nothing to analyse.", "note")
            page.heading("Provenance", anchor="provenance")
            _provenance_section(page, rf, argv)
            return _write(out, page.html(title))
        run = int(runs["run"].iloc[0]) if run is None else int(run)
        kind = rf.design_type()
        hold = [p.dataset for p in rf.parameters()] + (["pitfalls"] if "pitfalls" in runs else [])
        single = rf.run_count == 1 or kind == "single"
        by = _variant_column(rf)
        compare = by is not None and runs[by].nunique() > 1
        gallery = "pitfalls" in runs and runs["pitfalls"].nunique() > 1 and (runs["pitfalls"] == "baseline").any()
        if single:
            progress("story")
            accounts, labels = _accounts_of(rf, runs, run, names)
            _run_brief(page, rf, accounts, labels, names)
            _run_sections(body, rf, accounts, labels, names)
        tables = effects = None
        if compare:
            subset = runs[runs["pitfalls"] == "baseline"] if "pitfalls" in runs else runs
            tables = comparison_tables(subset, by, KEY_METRICS, hold=hold)
            progress(f"comparison by {by}")
            _comparison_section(body, runs, by, hold, scenario, names, tables)
        if "time_to_goal" in runs and len(runs) > 1 and not single:
            progress("time to goal")
            _time_to_goal_section(body, runs, by, scenario, names)
        if gallery and not single:
            progress("pitfall gallery")
            effects = pitfall_effects(runs, KEY_METRICS, hold=hold)
            _gallery_section(body, runs, hold, scenario, names, effects)
        recorded = [m for m in BAND_METRICS if m in rf.series_metrics()][:4]
        if recorded:
            progress("series bands")
            band_by = by if compare else "pitfalls" if gallery else None
            band_runs = runs
            body.heading("Series over time", anchor="series")
            if gallery and not single and not compare:
                # the baseline and the three pitfalls that cost the most outcome: sixteen bands would hide each other
                hits = effects[effects["metric"] == "outcome"].sort_values("mean")["pitfalls"].head(3)
                band_runs = runs[runs["pitfalls"].isin(["baseline", *hits])]
                body.paragraph("The baseline and the three pitfalls with the largest loss of outcome: "
                               + _join(names.level("pitfalls", h) for h in hits) + ".")
            bands = series_bands(rf.series(recorded, runs=band_runs["run"]), band_runs, band_by)
            body.figure(bands_figure(bands, band_by, scenario, "months",
                                     label=lambda v: names.level(band_by, v) if band_by else str(v)), "series bands")
        if kind in ("saltelli", "morris") + GIVEN_DATA_DESIGNS:
            progress(f"sensitivity ({kind} design)")
            _sensitivity_section(body, rf, metric, names)
        boxes, missed, scores = [], None, None
        if not single:
            missed = (runs["goal_reached"] == 0).to_numpy(dtype=float)
        if not single and runs["goal_reached"].nunique() > 1:
            progress("PRIM scenario discovery")
            inputs = _parameter_inputs(rf, runs, names)
            boxes, threshold = _prim_boxes(inputs, missed) if not inputs.empty else ([], 0.0)
            scores = feature_scores(inputs, missed) if not inputs.empty else None
            _prim_section(body, inputs, missed, boxes, threshold, scores)
        if not single:
            _brief_section(page, rf, runs, names, by if compare else None, tables, effects, boxes, missed, scores)
        progress(f"trust network of run {run}")
        body.heading(f"Trust network of run {run}", anchor="trust")
        network = trust_network_figure(rf, run)
        body.figure(network, f"trust network of run {run}")
        orgs = rf.organizations()
        final = rf.org_final(runs=[run]).sort_values("org")
        body.table(pd.DataFrame({"number": range(1, len(orgs) + 1), "organization": orgs["name"],
                                 "sector": [str(s).replace("_", " ") for s in orgs["sector"]],
                                 "final belief": [significant(b, 2) for b in final["belief"]]}),
                   name=f"organizations of run {run}", text_columns=["organization", "sector"])
        if network.trust_is_exact:
            body.paragraph("Pairwise trust is exact: the run was re-simulated from the file's scenario and seed, and "
                           "the re-run reproduced every final metric in the file bit for bit (docs/report.md).")
        else:
            body.paragraph("Limitation: the result file does not record trust between pairs of organizations, only "
                           "the mean trust over member pairs and over cross-sector member pairs per step and each "
                           "organization's final belief, and this run could not be re-simulated exactly (a sweep "
                           "point whose parameters differ from the base scenario, or no matching p3sim binary). "
                           "Membership and exits are exact; edge widths are the prior trust structure rescaled to "
                           "those recorded means (docs/report.md).", "limit")
        _scenario_section(body, rf, names, by if compare else None)
        body.heading("Runs and provenance", anchor="provenance")
        body.paragraph(rf.exclusion_note(), "note")
        excluded = rf.excluded_runs()
        if not excluded.empty:
            body.table(excluded, name="excluded runs")
        _provenance_section(body, rf, argv)
    page.contents()
    page.parts += body.parts
    page.toc = body.toc
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
