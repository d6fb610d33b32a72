"""What a result file varied, and how to turn the numbers under ``/params`` back into values.

Every ``/params/<name>`` dataset is float64 (docs/hdf5.md). A sweep stores numbers as they are,
booleans as 0/1 and any other level (a governance mode, an object) as its index in the
parameter's list in ``sweep_json`` (docs/sweeps.md, "Output"). ``p3sim compare`` stores the index of
the variant in its ``values`` list. Pitfall flags are 0/1 datasets named ``pitfall.NAME``. This
module reads those rules from the file's own ``sweep_json`` so that the tables show readable values.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PITFALL_PREFIX = "pitfall."


def dataset_name(pointer: str) -> str:
    """The ``/params`` dataset name of a JSON Pointer: leading ``/`` dropped, others turned into ``.``."""
    return pointer.lstrip("/").replace("/", ".")


def _level_label(value) -> str:
    """A readable label for one JSON level (strings as they are, anything else as compact JSON)."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


@dataclass
class Parameter:
    """One varied parameter (or pitfall flag) of a result file.

    Attributes:
        dataset: name of the dataset under ``/params`` (also the column name in the runs table).
        pointer: the JSON Pointer it sets, or ``pitfall NAME`` for a pitfall flag.
        kind: ``categorical`` (coded levels), ``numeric`` (values stored as they are) or ``pitfall``.
        levels: for a categorical parameter, the labels in the sweep's order; else empty.
        codes: stored number -> label, for a categorical parameter.
    """

    dataset: str
    pointer: str
    kind: str
    levels: list = field(default_factory=list)
    codes: dict = field(default_factory=dict)

    def decode(self, stored: np.ndarray) -> pd.Series:
        """Readable values for the stored numbers: an ordered categorical for coded levels (NaN for
        runs that have no value), the numbers themselves otherwise."""
        stored = np.asarray(stored, dtype=float)
        if self.kind != "categorical":
            return pd.Series(stored)
        labels = [self.codes.get(v) if np.isfinite(v) else None for v in stored]
        return pd.Series(pd.Categorical(labels, categories=self.levels, ordered=True))


def _categorical(dataset: str, pointer: str, values: list) -> Parameter:
    """A parameter given as a list of levels, coded the way p3sim's sweep writer codes them."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return Parameter(dataset, pointer, "numeric")
    codes, levels = {}, []
    for i, v in enumerate(values):
        if isinstance(v, bool):
            stored = 1.0 if v else 0.0
        elif isinstance(v, (int, float)):
            stored = float(v)
        else:
            stored = float(i)
        label = _level_label(v)
        codes.setdefault(stored, label)
        if label not in levels:
            levels.append(label)
    return Parameter(dataset, pointer, "categorical", levels, codes)


def sweep_parameters(sweep: dict, stored: dict) -> list:
    """The parameters of a file, in the order of its ``/params`` datasets.

    Args:
        sweep: the parsed ``sweep_json`` root attribute (``{}`` for a single run).
        stored: ``/params`` dataset name -> its ``parameter`` attribute (the pointer).
    Returns:
        one :class:`Parameter` per dataset; datasets the sweep does not describe are numeric.
    """
    specs = {}
    if "compare" in sweep:
        compare = sweep["compare"]
        # compare stores the variant index, whatever the values look like (docs/analysis.md).
        values = [str(v) for v in compare.get("values", [])]
        specs[dataset_name(compare["parameter"])] = Parameter(
            dataset_name(compare["parameter"]), compare["parameter"], "categorical", values,
            {float(i): v for i, v in enumerate(values)})
    for pointer, spec in (sweep.get("parameters") or {}).items():
        name = dataset_name(pointer)
        specs[name] = (_categorical(name, pointer, spec) if isinstance(spec, list)
                       else Parameter(name, pointer, "numeric"))
    out = []
    for name, pointer in stored.items():
        if name.startswith(PITFALL_PREFIX):
            out.append(Parameter(name, "pitfall " + name[len(PITFALL_PREFIX):], "pitfall"))
        else:
            out.append(specs.get(name, Parameter(name, pointer, "numeric")))
    return out


def pitfall_set_labels(flags: pd.DataFrame) -> pd.Series:
    """One label per run naming its pitfall set: the switched-on pitfalls joined by ``+``, or
    ``baseline`` when none is on. ``flags`` has one 0/1 column per ``pitfall.NAME`` dataset."""
    names = [c[len(PITFALL_PREFIX):] for c in flags.columns]
    on = flags.to_numpy() > 0.5

    def label(row):
        chosen = [n for n, o in zip(names, row) if o]
        return "+".join(chosen) if chosen else "baseline"

    return pd.Series([label(row) for row in on], index=flags.index, dtype=object)
