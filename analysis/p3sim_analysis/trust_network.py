"""The trust network of one run at chosen steps: organizations coloured by sector, members and
exited members marked, trust between member pairs as edge width.

**Exact trust by re-simulation.** Result files do not store the pairwise trust matrix ``T_ij`` (it
is organizations squared per step). A run is, however, fully determined by the file's
``scenario_json`` and the run's seed, and ``p3sim run --json --trust-at STEPS`` reports ``T`` and
membership at the steps asked for. :func:`resimulated_trust` runs that and accepts the result only
if the re-run reproduces every final metric of the run in the file bit for bit, so the figure draws
the run's exact trust. That works for single runs written by ``p3sim run`` with a p3sim binary of
the same model (found as ``$P3SIM_BINARY``, ``build/p3sim`` next to this package, or ``p3sim`` on
PATH).

**Otherwise an estimate.** For a run that cannot be reproduced that way (a sweep point whose
parameters differ from the base scenario, no binary, another model version), edge widths are an
*estimate*: the prior structure ``P_ij`` (sector priors plus prehistory, from ``scenario_json``;
symmetrised) rescaled so that, among the members at that step, the mean over same-sector pairs and
the mean over cross-sector pairs equal the recorded ``/series/trust`` and ``/series/cross_trust``.
Panel titles say which of the two a panel shows. Membership and exits come from the events.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ResultFileError
from .plotting import COLUMN_IN, plt, sector_colour

BUILT_IN_DEFAULT_PRIOR = 0.5


def prior_matrix(scenario: dict, names: list, sectors: list) -> np.ndarray:
    """``P_ij = clamp(priors[sector_i][sector_j] + prehistory_ij, 0, 1)`` (docs/model.md section 7)
    for the organizations ``names`` (file order), from the resolved scenario."""
    trust = scenario.get("trust") or {}
    priors = trust.get("priors") or {}
    default = float(trust.get("default_prior", BUILT_IN_DEFAULT_PRIOR))
    prehistory = {o.get("name"): (o.get("prehistory") or {}) for o in scenario.get("organizations", [])}
    n = len(names)
    prior = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            base = float((priors.get(sectors[i]) or {}).get(sectors[j], default))
            prior[i, j] = min(1.0, max(0.0, base + float(prehistory.get(names[i], {}).get(names[j], 0.0))))
    np.fill_diagonal(prior, 1.0)
    return prior


def membership(events: pd.DataFrame, org_final: pd.DataFrame, n_orgs: int, step: int):
    """(member, exited): boolean arrays per organization at the end of ``step``.

    Uses the join and exit events in order when the run recorded events, else the final
    ``joined_step``/``exit_step`` (which miss a second membership spell).
    """
    member = np.zeros(n_orgs, dtype=bool)
    exited = np.zeros(n_orgs, dtype=bool)
    moves = events[events["kind"].isin(["join", "exit"]) & (events["org"] >= 0)] if len(events) else events
    if len(moves):
        for row in moves[moves["step"] <= step].itertuples():
            member[row.org] = row.kind == "join"
            exited[row.org] = row.kind == "exit"
        return member, exited
    joined = org_final["joined_step"].to_numpy()
    left = org_final["exit_step"].to_numpy()
    member = (joined >= 0) & (joined <= step) & ~((left >= 0) & (left <= step))
    exited = (left >= 0) & (left <= step)
    return member, exited


def estimated_trust(prior: np.ndarray, sectors: list, member: np.ndarray, trust: float,
                    cross_trust: float) -> np.ndarray:
    """Symmetric estimated trust among members (NaN elsewhere): ``prior`` rescaled per pair kind so
    that the member pairs' mean equals the recorded mean (same-sector pairs: the mean implied by
    ``trust`` over all ordered pairs and ``cross_trust`` over cross-sector pairs)."""
    n = len(sectors)
    idx = np.flatnonzero(member)
    estimate = np.full((n, n), np.nan)
    if len(idx) < 2:
        return estimate
    sector = np.asarray(sectors, dtype=object)
    pairs = [(i, j) for i in idx for j in idx if i != j]
    cross = [(i, j) for i, j in pairs if sector[i] != sector[j]]
    same = [(i, j) for i, j in pairs if sector[i] == sector[j]]
    if np.isfinite(trust) and np.isfinite(cross_trust) and cross and same:
        # Ordered-pair means: trust over all pairs, cross_trust over cross pairs -> same-sector mean.
        groups = [(cross, cross_trust), (same, (trust * len(pairs) - cross_trust * len(cross)) / len(same))]
    elif np.isfinite(trust) or (np.isfinite(cross_trust) and not same):
        groups = [(pairs, trust if np.isfinite(trust) else cross_trust)]
    else:
        groups = [(pairs, None)]  # nothing recorded: the prior structure as it is
    for group, level in groups:
        rows, cols = zip(*group)
        values = prior[rows, cols]
        scale = level / values.mean() if level is not None and values.mean() > 0 else 1.0
        estimate[rows, cols] = np.clip(values * scale, 0.0, 1.0)
    return (estimate + estimate.T) / 2.0


def find_binary():
    """A p3sim binary to re-simulate with: ``$P3SIM_BINARY``, the repository's ``build/p3sim``, or
    ``p3sim`` on PATH; None if there is none."""
    candidates = [os.environ.get("P3SIM_BINARY"), str(Path(__file__).resolve().parents[2] / "build" / "p3sim"),
                  shutil.which("p3sim")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def resimulated_trust(rf, run: int, steps, binary=None):
    """``{step: (member, trust)}`` (arrays in the file's organization order) from re-running run
    ``run`` with ``p3sim run --trust-at``, or None when no binary is found, the re-run fails, or it
    does not reproduce the run's final metrics exactly (then the file's run is not the scenario
    as stored, e.g. a sweep point, or the binary simulates another model version)."""
    binary = binary or find_binary()
    scenario_text = rf.provenance().get("scenario_json", "")
    if not binary or not scenario_text:
        return None
    table = rf.runs(include_not_done=True)
    row = table[table["run"] == run]
    if row.empty:
        return None
    row = row.iloc[0]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "scenario.json")
        with open(path, "w") as out:
            out.write(scenario_text)
        command = [binary, "run", path, "--seed", str(int(row["seed"])), "--steps", str(int(rf.steps[-1])),
                   "--json", "--trust-at", ",".join(str(int(s)) for s in steps)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired):
            return None
    if done.returncode != 0:
        return None
    result = json.loads(done.stdout)
    for metric, value in result["final"].items():
        if metric in row and not (value == row[metric] or (np.isnan(row[metric]) and value is None)):
            return None
    names = list(rf.organizations()["name"])
    index = {name: k for k, name in enumerate(result["organizations"])}
    if any(name not in index for name in names):
        return None
    order = [index[name] for name in names]
    out = {}
    for step in steps:
        snap = result["trust_at"].get(str(int(step)))
        if snap is None:
            return None
        out[int(step)] = (np.array(snap["members"], dtype=bool)[order],
                          np.array(snap["trust"], dtype=float)[np.ix_(order, order)])
    return out


def network_snapshots(rf, run: int, steps) -> dict:
    """Everything the figure draws, per step: ``{step: {"member", "exited", "trust"}}`` plus the
    keys ``names``, ``sectors`` and ``belief`` (final belief per organization).

    Raises:
        ResultFileError: the run is not done or a step was not simulated.
    """
    if rf.status()[run] != 1:
        raise ResultFileError(f"{rf.path}: run {run} is not done; it has no data to draw")
    orgs = rf.organizations()
    names, sectors = list(orgs["name"]), list(orgs["sector"])
    final = rf.org_final(runs=[run]).sort_values("org")
    events = rf.events(runs=[run])
    recorded = set(rf.series_metrics())
    means = (rf.series([m for m in ("trust", "cross_trust") if m in recorded], runs=[run])
             .pivot_table(index="step", columns="metric", values="value")
             if recorded & {"trust", "cross_trust"} else pd.DataFrame())
    prior = prior_matrix(rf.scenario, names, sectors)
    out = {"names": names, "sectors": sectors, "belief": final["belief"].to_numpy()}
    last = int(rf.steps[-1])
    for step in steps:
        if int(step) < 0 or int(step) > last:
            raise ResultFileError(f"{rf.path}: step {int(step)} is outside 0..{last}")
    exact = resimulated_trust(rf, run, steps)
    for step in steps:
        step = int(step)
        member, exited = membership(events, final, len(names), step)
        if exact is not None:
            member = exact[step][0]
            pair = np.where(np.outer(member, member), exact[step][1], np.nan)
            np.fill_diagonal(pair, np.nan)
            out[step] = {"member": member, "exited": exited & ~member, "trust": (pair + pair.T) / 2.0,
                         "recorded": True, "exact": True}
            continue
        row = means.loc[step] if step in means.index else pd.Series(dtype=float)
        trust = estimated_trust(prior, sectors, member, float(row.get("trust", np.nan)),
                                float(row.get("cross_trust", np.nan)))
        out[step] = {"member": member, "exited": exited, "trust": trust, "recorded": not row.empty, "exact": False}
    return out


def trust_network_figure(rf, run: int = 0, steps=None):
    """One panel per step (default: first, middle and last recorded step) of run ``run``.

    Filled circles are members, hollow circles organizations that are not (yet) members, crosses
    members that have left; edge width and shade grow with the trust, exact or estimated (see the
    module documentation). At the last step, labels carry the recorded final belief. The figure's
    ``trust_is_exact`` attribute is True when every panel shows re-simulated, exact trust.
    """
    recorded_steps = rf.steps
    if steps is None:
        steps = sorted({int(recorded_steps[0]), int(recorded_steps[len(recorded_steps) // 2]),
                        int(recorded_steps[-1])})
    data = network_snapshots(rf, run, steps)
    names, sectors = data["names"], data["sectors"]
    n = len(names)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    x, y = np.cos(angle), np.sin(angle)
    fig = plt.figure(figsize=(COLUMN_IN, 5.0), layout="constrained")
    grid = fig.add_gridspec(2, len(steps), height_ratios=[4.2, 0.5])
    order = list(dict.fromkeys(sectors))
    for k, step in enumerate(steps):
        ax = fig.add_subplot(grid[0, k])
        snap = data[int(step)]
        for i in range(n):
            for j in range(i + 1, n):
                t = snap["trust"][i, j]
                if np.isfinite(t):
                    ax.plot([x[i], x[j]], [y[i], y[j]], color=str(0.85 - 0.8 * t), linewidth=0.5 + 5 * t, zorder=1)
        for i in range(n):
            colour = sector_colour(sectors[i], order)
            if snap["exited"][i]:
                ax.scatter(x[i], y[i], marker="X", s=260, color=colour, edgecolors="black", linewidths=1.2, zorder=3)
            elif snap["member"][i]:
                ax.scatter(x[i], y[i], s=420, color=colour, edgecolors="black", zorder=3)
            else:
                ax.scatter(x[i], y[i], s=420, facecolors="white", edgecolors=colour, linewidths=2, zorder=3)
            # the organization's number; the table under the figure names it
            ax.annotate(str(i + 1), (1.27 * x[i], 1.27 * y[i]), ha="center", va="center", fontsize=11)
        status = ("exact, re-simulated" if snap["exact"] else
                  "estimated from mean trust" if snap["recorded"] else "prior structure only")
        ax.set_title(f"month {int(step)}\n({status})")
        ax.set_xlim(-1.45, 1.45)
        ax.set_ylim(-1.45, 1.45)
        ax.set_aspect("equal")
        ax.axis("off")
    key = fig.add_subplot(grid[1, :])
    key.axis("off")
    handles = [key.scatter([], [], s=120, color=sector_colour(s, order), label=s.replace("_", " ")) for s in order]
    handles.append(key.scatter([], [], s=120, marker="X", color="0.5", edgecolors="black", label="left"))
    handles.append(key.scatter([], [], s=120, facecolors="white", edgecolors="0.5", label="not a member"))
    key.legend(handles=handles, loc="center", ncol=len(handles), frameon=False, borderaxespad=0)
    # Read by the report, which explains the figure accordingly.
    fig.trust_is_exact = all(data[int(step)]["exact"] for step in steps)
    if fig.trust_is_exact:
        fig.suptitle("Trust between members: edge width and shade = mutual trust (0-1), exact (re-simulated)")
    else:
        fig.suptitle("Trust between members: edge width and shade = estimated trust (0-1), matching the recorded means")
    return fig
