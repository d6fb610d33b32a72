"""Sweep files that run an explicit list of parameter points, and reading such a list back.

``p3sim sweep`` knows grids and sampled designs (lhs, sobol, random), but the Saltelli and Morris
estimators need points placed in a particular pattern (matrices A, B and A with one column from B;
one-at-a-time trajectories). Such designs run as an explicit points design (docs/sweeps.md): the
sweep's ``design`` is ``{"type": "points", "generator": ...}`` and every parameter is a list with
one value per point. p3sim stores each run's values under ``/params`` like any other sweep and keeps
the ``generator`` object, unread, in the result file's ``sweep_json``; this module puts there the
design's name and each point's place in it (columns such as block, factor, sample, and the point's
unit-cube coordinates), so the result file needs nothing else to be analysed.
"""
from __future__ import annotations

import json
import os
import re

import numpy as np
import pandas as pd

from .errors import ResultFileError
from .parameters import dataset_name


def _load_scenario(scenario) -> dict:
    """The scenario as a dict: a deep copy of ``scenario`` itself, or the JSON file it names."""
    if isinstance(scenario, dict):
        return json.loads(json.dumps(scenario))
    with open(scenario, encoding="utf-8") as handle:
        return json.load(handle)


def _plain(value):
    """A JSON-ready Python value for a numpy scalar (or the value itself)."""
    return value.item() if isinstance(value, np.generic) else value


def point_sweep(scenario, values: pd.DataFrame, meta: pd.DataFrame, design: str, *, unit=None,
                replications: int = 1, seed: int = 0, steps: int | None = None,
                record: dict | None = None) -> dict:
    """A sweep document (ready for ``json.dump``) that runs exactly the rows of ``values``.

    Args:
        scenario: the base scenario, a dict or the path of a scenario JSON file. It is written
            inline into the sweep, so the sweep file can live anywhere.
        values: one row per point, one column per JSON Pointer (e.g. ``/trust/gain``), numbers;
            the values of an integer-typed column are written as JSON integers.
        meta: one row per point describing its place in the design (e.g. block, factor, sample),
            stored column by column in the design's ``generator`` and returned by
            :func:`read_point_design`.
        design: a short lower-case name of the design, e.g. ``saltelli`` or ``morris``.
        unit: optional (points x parameters) unit-cube coordinates of the points, stored too.
        replications, seed, steps, record: the sweep keys of the same names (docs/sweeps.md).
    Raises:
        ValueError: if ``meta`` or ``unit`` does not have one row per point, there is no parameter,
            or a column of ``values`` is not a JSON Pointer.
    """
    if len(meta) != len(values):
        raise ValueError(f"meta has {len(meta)} rows for {len(values)} points")
    if not re.fullmatch(r"[a-z]+", design):
        raise ValueError(f"design name must be lower-case letters, got {design!r}")
    if values.shape[1] == 0 or len(values) == 0:
        raise ValueError("a point design needs at least one parameter and one point")
    for pointer in values.columns:
        if not str(pointer).startswith("/"):
            raise ValueError(f"parameter {pointer!r} is not a JSON Pointer (must start with /)")
    generator = {"design": design,
                 "fields": {str(c): [_plain(v) for v in meta[c]] for c in meta.columns}}
    if unit is not None:
        unit = np.atleast_2d(np.asarray(unit, dtype=float))
        if unit.shape != values.shape:
            raise ValueError(f"unit has shape {unit.shape}, the points {values.shape}")
        generator["unit"] = unit.tolist()
    parameters = {}
    for pointer in values.columns:
        column = values[pointer]
        integer = pd.api.types.is_integer_dtype(column)
        parameters[str(pointer)] = [int(v) if integer else float(v) for v in column]
    sweep = {"scenario": _load_scenario(scenario), "replications": int(replications), "seed": int(seed),
             "design": {"type": "points", "generator": generator}, "parameters": parameters}
    if steps is not None:
        sweep["steps"] = int(steps)
    if record is not None:
        sweep["record"] = record
    return sweep


def read_point_design(sweep: dict) -> pd.DataFrame | None:
    """The explicit design of a sweep written by :func:`point_sweep`, or None for any other sweep
    (including a points design whose generator this package did not write).

    Returns one row per design point (index ``design_index``: the point's place in the parameter
    lists; a run's design index is ``point // number_of_pitfall_sets``) with columns ``design``, the
    metadata fields (``block``, ``sample``, ...) and ``u.<name>`` unit coordinates when stored, where
    ``<name>`` is the parameter's ``/params`` dataset name. The parameter values themselves are in
    the runs table (from ``/params``). ``attrs["pointers"]`` lists the parameters in order.
    """
    spec = sweep.get("design")
    if not isinstance(spec, dict) or spec.get("type") != "points":
        return None
    generator = spec.get("generator")
    if not isinstance(generator, dict) or "design" not in generator or "fields" not in generator:
        return None
    pointers = list((sweep.get("parameters") or {}).keys())
    count = len(next(iter(sweep["parameters"].values()))) if pointers else 0
    table = pd.DataFrame({"design": [str(generator["design"])] * count})
    for name, column in generator["fields"].items():
        if len(column) != count:
            raise ResultFileError(f"point design: field {name!r} has {len(column)} entries for {count} points")
        table[name] = column
    if "unit" in generator:
        unit = np.asarray(generator["unit"], dtype=float)
        if unit.shape != (count, len(pointers)):
            raise ResultFileError(f"point design: unit coordinates of shape {unit.shape} for "
                                  f"{count} points of {len(pointers)} parameters")
        for i, pointer in enumerate(pointers):
            table["u." + dataset_name(pointer)] = unit[:, i]
    table.index.name = "design_index"
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
