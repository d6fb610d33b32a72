"""What ``p3sim run`` prints about one run: its story, its final metrics and the verdict.

**Exact, by re-simulation.** The story ``p3sim run`` prints has the events of the run (who
joined, who left and why, phases, shocks, the goal) and the collapses of trust between sectors,
which it sees while the run steps (sim/run/SectorTrustWatch.cpp) and which the result file does
not store. A run is determined by the file's ``scenario_json``, its seed and its pitfalls, so
:func:`run_account` re-runs it with ``p3sim run --json`` and takes the story and the verdict from
there, but only if the re-run reproduces every final metric of the run in the file exactly.

**Otherwise from the file.** Without a binary, or for a run that cannot be reproduced (a sweep
point whose parameters differ from the stored scenario, another model version), the story is told
from ``/events`` with the same sentences (:func:`narrate`, the twin of sim/run/Narrative.cpp) and
the verdict from the final metrics (:func:`verdict`); trust collapses are then missing, and the
account says so.
"""
from __future__ import annotations

import json
import math
import os
import shlex
import subprocess
import tempfile

import numpy as np
import pandas as pd

from .estimators import SENTINEL, metric_kind
from .trust_network import find_binary

#: The sentences of sim/run/Narrative.cpp (describe_cause), by cause name.
CAUSE_TEXT = {
    "hierarchy": "hierarchy friction: more central control than it accepts",
    "misalignment": "misalignment: the agenda drifted from what it really wants",
    "distrust": "distrust: it no longer believed partners would deliver",
    "no_results": "no results: its costs outweighed what it got",
    "credit": "credit: others took the visibility for its contribution",
    "shock": "a shock hit it",
    "scope": "the lead names the problem",
    "solicit": "the lead invites partners",
    "interim": "bilateral talks before agreeing",
    "agree": "the partners pledge resources",
    "execute": "the partnership delivers",
    "scale": "progress passed the scaling threshold: new partners invited, goal raised",
    "missing_voice": "a needed capability has no voice at the table",
    "funding_cut": "funding cut",
    "leadership_turnover": "leadership turnover",
    "policy_reversal": "policy reversal",
    "security_incident": "security incident",
    "market_shock": "market shock",
    "member_entry": "a new organization becomes available",
    "invited": "invited",
    "low_cohesion": "its members' alignment and trust fell too low",
    "formed": "formed",
    "none": "",
}


def number(v: float) -> str:
    """Narrative.cpp's format_number: whole numbers and |v| >= 100 without decimals, else two."""
    v = float(v)
    if abs(v) >= 100 or v == math.floor(v):
        return f"{v:.0f}"
    return f"{v:.2f}"


def narrate(events: pd.DataFrame, scenario: dict) -> list:
    """The story lines of one run's events, as sim/run/Narrative.cpp words them."""
    capabilities = [c.get("name", "") if isinstance(c, dict) else str(c) for c in scenario.get("capabilities", [])]
    lines = []
    for e in events.itertuples():
        who = e.org_name if getattr(e, "org", -1) >= 0 and e.org_name else "the partnership"
        text = CAUSE_TEXT.get(e.cause, e.cause)
        if e.kind == "join":
            line = f"{who} joined"
        elif e.kind == "exit":
            line = f"{who} left ({text})"
        elif e.kind == "phase" and e.cause == "missing_voice":
            c = int(e.value)
            line = "missing voice: nobody at the table brings " + (capabilities[c] if 0 <= c < len(capabilities)
                                                                    else "a capability")
        elif e.kind == "phase":
            line = f"phase {e.cause} ({text})"
        elif e.kind == "shock":
            line = text + (f" hits {who}" if e.org >= 0 else "") + (f" (severity {number(e.value)})" if e.value > 0 else "")
        elif e.kind == "group_formed":
            line = f"a working group of {number(e.value)} formed"
        elif e.kind == "group_dissolved":
            line = f"a working group dissolved ({text})"
        elif e.kind == "misunderstanding_burst":
            line = f"{number(e.value)} misunderstandings in one month"
        elif e.kind == "goal_reached":
            line = f"goal reached ({number(e.value)})"
        else:
            line = f"{e.kind} {e.cause}"
        lines.append(f"month {int(e.step)}: {line}")
    return lines


def verdict(final: dict, scenario: dict) -> str:
    """The verdict ``p3sim run`` prints (sim/run/Narrative.cpp)."""
    goal = scenario.get("goal") or {}
    metric = "adopters" if goal.get("metric", "adopters" if scenario.get("population") else "outcome") == "adopters" \
        else "outcome"
    target = float(goal.get("target", float("nan")))
    outcome = float(final["outcome"])
    if float(final["goal_reached"]) > 0.5:
        text = (f"Goal reached in month {number(final['time_to_goal'])}: {metric} {number(outcome)} against a target "
                f"of {number(target)}.")
    else:
        text = (f"Goal missed: {metric} {number(outcome)} of a target of {number(target)} "
                f"({number(100.0 * outcome / target)}%).")
    return text + f" Retention {number(100.0 * float(final['retention']))}%."


def metric_text(metric: str, value) -> str:
    """A final metric as ``p3sim run`` prints it: ``never`` for a time that did not come,
    ``undefined`` for a ratio without a denominator, else four decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if float(value) == SENTINEL and metric_kind(metric) in ("time", "conditional"):
        return "never" if metric_kind(metric) == "time" else "undefined"
    return whole_or_four(float(value))


def whole_or_four(v: float, signed: bool = False) -> str:
    """A whole number with thousands separated, else four decimals (as ``p3sim run`` prints)."""
    sign = "+" if signed and v > 0 else ""
    return f"{sign}{v:,.0f}" if v == math.floor(v) else f"{sign}{v:.4f}"


def run_pitfalls(rf, row) -> list:
    """The pitfalls run ``row`` has on top of the stored scenario: its ``pitfall.*`` flags that are
    set in this run but not in the file's first run (whose scenario ``scenario_json`` is)."""
    flags = [p.dataset for p in rf.parameters() if p.kind == "pitfall"]
    if not flags:
        return []
    first = rf.runs(include_not_done=True).iloc[0]
    return [f[len("pitfall."):] for f in flags if float(row[f]) > 0.5 and not float(first[f]) > 0.5]


def _command_scenario(rf):
    """(scenario file, --set arguments) of the ``p3sim run`` command line that wrote the file, or
    None when the line is not a ``p3sim run`` or the file is gone."""
    try:
        words = shlex.split(str(rf.provenance().get("command_line", "")))
    except ValueError:
        return None
    if "run" not in words:
        return None
    rest = words[words.index("run") + 1:]
    scenario, sets, i = None, [], 0
    while i < len(rest):
        word = rest[i]
        if word in ("--set",) and i + 1 < len(rest):
            sets += ["--set", rest[i + 1]]
            i += 2
            continue
        if word in ("--seed", "--steps", "-o", "--output", "--pitfall", "--trust-at"):
            i += 2
            continue
        if not word.startswith("-") and scenario is None:
            scenario = word
        i += 1
    return (scenario, sets) if scenario and os.path.isfile(scenario) else None


def _reproduces(result: dict, row) -> bool:
    for metric, value in result.get("final", {}).items():
        if metric in row and not (value == row[metric] or (value is None and np.isnan(row[metric]))):
            return False
    return True


def resimulate(rf, row, binary=None):
    """``p3sim run --json`` of run ``row`` (a runs-table row), or None when there is no binary, the
    re-run fails, or it does not reproduce the run's final metrics exactly.

    Tried in turn, the first that reproduces the run wins: the stored ``scenario_json`` as it is
    (it has the pitfalls of the run that wrote it applied); the same with the pitfalls this run has
    and the file's first run has not; the scenario file of the ``p3sim run`` command line with this
    run's pitfalls (the baseline of a ``--baseline`` pair, whose stored scenario is the pitfall's).
    """
    binary = binary or find_binary()
    scenario_text = rf.provenance().get("scenario_json", "")
    if not binary or not scenario_text:
        return None
    seed = ["--seed", str(int(row["seed"])), "--steps", str(int(rf.horizon)), "--json"]
    own = [p.dataset[len("pitfall."):] for p in rf.parameters() if p.kind == "pitfall" and float(row[p.dataset]) > 0.5]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "scenario.json")
        with open(path, "w", encoding="utf-8") as out:
            out.write(scenario_text)
        attempts = [[path], [path, *[a for p in run_pitfalls(rf, row) for a in ("--pitfall", p)]]]
        original = _command_scenario(rf)
        if original is not None:
            attempts.append([original[0], *original[1], *[a for p in own for a in ("--pitfall", p)]])
        tried = []
        for attempt in attempts:
            if attempt in tried:
                continue
            tried.append(attempt)
            try:
                done = subprocess.run([binary, "run", *attempt, *seed], capture_output=True, text=True, timeout=600)
                result = json.loads(done.stdout) if done.returncode == 0 else None
            except (OSError, subprocess.TimeoutExpired, ValueError):
                result = None
            if result is not None and _reproduces(result, row):
                return result
    return None


def run_account(rf, run: int, binary=None) -> dict:
    """Everything the report tells of run ``run``: ``final`` (metric -> value), ``verdict``,
    ``story`` (lines ``month N: ...``), ``exact`` (True when re-simulated, trust collapses
    included), ``pitfalls`` (switched on in this run) and ``seed``."""
    table = rf.runs()
    row = table[table["run"] == run].iloc[0]
    final = {m: float(row[m]) for m in rf.final_metrics() if m in row}
    pitfalls = run_pitfalls(rf, row)
    result = resimulate(rf, row, binary)
    if result is not None:
        return {"final": final, "verdict": result["verdict"], "story": list(result["story"]), "exact": True,
                "pitfalls": pitfalls, "seed": int(row["seed"])}
    return {"final": final, "verdict": verdict(final, rf.scenario), "story": narrate(rf.events(runs=[run]), rf.scenario),
            "exact": False, "pitfalls": pitfalls, "seed": int(row["seed"])}


def story_months(story) -> dict:
    """``{month: [text, ...]}`` of story lines ``month N: text`` (-1 for lines without a month)."""
    months = {}
    for line in story:
        head, sep, text = line.partition(": ")
        month = int(head[6:]) if sep and head.startswith("month ") and head[6:].isdigit() else -1
        months.setdefault(month, []).append(text if month >= 0 else line)
    return months


def is_collapse(line: str) -> bool:
    return "collapsed (" in line and line.split(": ", 1)[-1].startswith("trust between")
