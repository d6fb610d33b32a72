"""Sweep files that run an explicit list of parameter points, and reading such a list back.

``p3sim sweep`` knows grids and sampled designs (lhs, sobol, random), but the Saltelli and Morris
estimators need points placed in a particular pattern (matrices A, B and A with one column from B;
one-at-a-time trajectories). A sweep can nevertheless run any list of points: the scenario may
define its own pitfalls (docs/model.md section 15), each a patch that *sets* values, and the sweep's
``pitfalls`` list makes every pitfall set one design point. So each point becomes one pitfall named
``point_<design>_<row>`` whose patch sets every parameter, and whose description holds, as JSON, the
point's place in the design (block, sample, unit-cube coordinates). The result file then carries the
whole design in its ``sweep_json`` attribute and needs nothing else to be analysed.

Limits: a pitfall patches the scenario *after* defaults are resolved, so a parameter that brings a
preset when set before resolution (``/governance/mode``) cannot be varied this way; use numeric
parameters. The sweep loader validates every point's scenario, which costs time quadratic in the
number of points (about 1 s for 100, 15 s for 600 points on the development machine).
"""
from __future__ import annotations

import json
import os
import re

import numpy as np
import pandas as pd

from .errors import ResultFileError
from .parameters import dataset_name

POINT_PITFALL = re.compile(r"^point_([a-z]+)_(\d+)$")


def _load_scenario(scenario) -> dict:
    """The scenario as a dict: ``scenario`` itself, or the JSON file it names."""
    if isinstance(scenario, dict):
        return json.loads(json.dumps(scenario))  # a deep copy we may add pitfalls to
    with open(scenario, encoding="utf-8") as handle:
        return json.load(handle)


def point_sweep(scenario, values: pd.DataFrame, meta: list, design: str, *, replications: int = 1,
                seed: int = 0, steps: int | None = None, record: dict | None = None) -> dict:
    """A sweep document (ready for ``json.dump``) that runs exactly the rows of ``values``.

    Args:
        scenario: the base scenario, a dict or the path of a scenario JSON file. It is written
            inline into the sweep, so the sweep file can live anywhere.
        values: one row per point, one column per JSON Pointer (e.g. ``/trust/gain``), numbers;
            the values of an integer-typed column are written as JSON integers.
        meta: one JSON-able dict per row describing its place in the design (stored in the
            pitfall's description and returned by :func:`read_point_design`).
        design: a short lower-case name of the design, e.g. ``saltelli`` or ``morris``.
        replications, seed, steps, record: the sweep keys of the same names (docs/sweeps.md).
    Raises:
        ValueError: if ``meta`` does not have one entry per row, or a pointer does not start with /.
    """
    if len(meta) != len(values):
        raise ValueError(f"meta has {len(meta)} entries for {len(values)} points")
    if not re.fullmatch(r"[a-z]+", design):
        raise ValueError(f"design name must be lower-case letters, got {design!r}")
    for pointer in values.columns:
        if not str(pointer).startswith("/"):
            raise ValueError(f"parameter {pointer!r} is not a JSON Pointer (must start with /)")
    base = _load_scenario(scenario)
    pitfalls = dict(base.get("pitfalls") or {})
    integers = [pd.api.types.is_integer_dtype(values[p]) for p in values.columns]
    sets = []
    for row, (point, info) in enumerate(zip(values.itertuples(index=False), meta)):
        name = f"point_{design}_{row}"
        description = json.dumps({"design": design, **info}, separators=(",", ":"))
        patch = [{"op": "set", "path": p, "value": int(v) if integer else float(v)}
                 for p, v, integer in zip(values.columns, point, integers)]
        pitfalls[name] = {"description": description, "patch": patch}
        sets.append([name])
    base["pitfalls"] = pitfalls
    sweep = {"scenario": base, "replications": int(replications), "seed": int(seed), "pitfalls": sets}
    if steps is not None:
        sweep["steps"] = int(steps)
    if record is not None:
        sweep["record"] = record
    return sweep


def read_point_design(sweep: dict) -> pd.DataFrame | None:
    """The explicit design of a sweep written by :func:`point_sweep`, or None for any other sweep.

    Returns one row per pitfall set (index = set index, which is ``point % number_of_sets``) with
    columns ``design``, the metadata fields (``block``, ``sample``, ...), one column per parameter
    (named like its /params dataset, e.g. ``trust.gain``) and ``u.<name>`` unit coordinates if the
    metadata has ``unit``. The parameter order is that of the patches; ``attrs["pointers"]`` lists
    the pointers.
    """
    sets = sweep.get("pitfalls") or []
    scenario = sweep.get("scenario")
    if not sets or not isinstance(scenario, dict):
        return None
    defined = scenario.get("pitfalls") or {}
    rows, pointers = [], None
    for pitfall_set in sets:
        if len(pitfall_set) != 1 or not POINT_PITFALL.match(pitfall_set[0]) or pitfall_set[0] not in defined:
            return None
        definition = defined[pitfall_set[0]]
        try:
            info = json.loads(definition["description"])
        except (ValueError, KeyError):
            return None
        these = [op["path"] for op in definition["patch"]]
        if pointers is None:
            pointers = these
        elif these != pointers:
            raise ResultFileError(f"point design: pitfall {pitfall_set[0]} sets {these}, others set {pointers}")
        row = {k: v for k, v in info.items() if k != "unit"}
        row.update({dataset_name(op["path"]): float(op["value"]) for op in definition["patch"]})
        if "unit" in info:
            row.update({"u." + dataset_name(p): float(u) for p, u in zip(pointers, info["unit"])})
        rows.append(row)
    table = pd.DataFrame(rows)
    table.index.name = "set"
    table.attrs["pointers"] = pointers
    return table


def scale_unit(unit: np.ndarray, ranges: dict) -> pd.DataFrame:
    """Map points of the unit cube (one column per entry of ``ranges``) onto parameter values.

    ``ranges`` maps a JSON Pointer to ``(min, max)`` (a real number ``min + u (max - min)``) or to
    ``(min, max, "integer")`` (the integer ``min + floor(u (max - min + 1))``, each of the
    ``max - min + 1`` values taking an equal share of the unit interval). The result has one column
    per pointer, integer-typed for integer parameters.
    """
    unit = np.atleast_2d(np.asarray(unit, dtype=float))
    columns = {}
    for i, (pointer, spec) in enumerate(ranges.items()):
        low, high = float(spec[0]), float(spec[1])
        if len(spec) > 2 and spec[2] == "integer":
            span = int(high) - int(low)
            columns[pointer] = int(low) + np.minimum(np.floor(unit[:, i] * (span + 1)), span).astype(np.int64)
        elif len(spec) > 2:
            raise ValueError(f"{pointer}: the third item of a range must be \"integer\", got {spec[2]!r}")
        else:
            columns[pointer] = low + unit[:, i] * (high - low)
    return pd.DataFrame(columns)


def write_sweep(sweep: dict, path) -> None:
    """Write a sweep document as JSON (pretty enough to read, compact enough for many points)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(sweep, handle, indent=1)
        handle.write("\n")
