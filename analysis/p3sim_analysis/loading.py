"""Reading a p3sim result file (docs/hdf5.md) into tidy pandas DataFrames.

One class, :class:`ResultFile`, opens the file once, checks that it is a p3sim result file of a
format this package understands, and hands out tables:

* :meth:`ResultFile.runs` - one row per run: run, point, replicate, seed, status, the varied
  parameters decoded to readable values, the pitfall set, and every final metric;
* :meth:`ResultFile.series` - long form (run, step, metric, value), reading only the metrics and
  runs asked for;
* :meth:`ResultFile.events`, :meth:`ResultFile.organizations`, :meth:`ResultFile.org_final`,
  :meth:`ResultFile.series_by_sector`.

Runs whose status is not done (pending or failed) hold only fill values. They are left out of every
table by default (``include_not_done=True`` keeps them) and :meth:`ResultFile.exclusion_note` says
how many were left out and why.
"""
from __future__ import annotations

import json
import os

import h5py
import numpy as np
import pandas as pd

from .errors import ResultFileError
from .parameters import pitfall_set_labels, sweep_parameters
from .point_sweeps import read_point_design

#: The largest ``format_version`` this package reads (docs/hdf5.md, "Root attributes").
SUPPORTED_FORMAT_VERSION = 2
#: Status codes of ``/runs/status``, used when the file lacks the ``status_names`` attribute.
STATUS_NAMES = ("pending", "done", "failed")
DONE = 1


def _text(value) -> str:
    """A root attribute as ``str`` (h5py returns variable-length strings as str, fixed ones as bytes)."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _read_rows(dataset: h5py.Dataset, rows: np.ndarray) -> np.ndarray:
    """Rows ``rows`` (sorted, unique) of a dataset whose first axis is ``run``.

    Reads one contiguous slab when the rows are dense in their span (one HDF5 read instead of a
    scattered selection), else a point selection; either way only those runs reach memory.
    """
    if len(rows) == 0:
        return dataset[0:0]
    lo, hi = int(rows[0]), int(rows[-1]) + 1
    if len(rows) == hi - lo:
        return dataset[lo:hi]
    if len(rows) * 4 >= hi - lo:
        return dataset[lo:hi][rows - lo]
    return dataset[rows.tolist()]


class ResultFile:
    """An open p3sim result file. Use as a context manager or call :meth:`close`.

    Raises:
        ResultFileError: the file does not exist, is not HDF5, is not a p3sim result file, or has
            a ``format_version`` newer than :data:`SUPPORTED_FORMAT_VERSION`.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise ResultFileError(f"{self.path}: no such file")
        if os.path.isdir(self.path):
            raise ResultFileError(f"{self.path}: is a directory, expected a p3sim HDF5 result file")
        if not h5py.is_hdf5(self.path):
            raise ResultFileError(f"{self.path}: not an HDF5 file (expected a p3sim result file, docs/hdf5.md)")
        try:
            self._file = h5py.File(self.path, "r")
        except OSError as error:
            raise ResultFileError(f"{self.path}: cannot be opened as HDF5: {error}") from None
        try:
            self._check_layout()
        except ResultFileError:
            self._file.close()
            raise
        self._parameters = None
        self._point_design = None

    def _check_layout(self):
        attrs = self._file.attrs
        if _text(attrs.get("file_kind", "")) == "calibration":
            raise ResultFileError(f"{self.path}: a calibration (posterior) file of p3sim calibrate, not a result "
                                  "file; read it with p3sim_analysis.calibration.PosteriorFile")
        if "format_version" not in attrs or "runs" not in self._file:
            raise ResultFileError(f"{self.path}: an HDF5 file but not a p3sim result file "
                                  "(no format_version attribute or /runs group)")
        version = int(attrs["format_version"])
        if version > SUPPORTED_FORMAT_VERSION:
            raise ResultFileError(
                f"{self.path}: format_version {version} is newer than this analysis package reads "
                f"(up to {SUPPORTED_FORMAT_VERSION}); update p3sim_analysis")

    # ----------------------------------------------------------------------------------------
    # File-level information
    def close(self):
        """Close the HDF5 file."""
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def h5(self) -> h5py.File:
        """The underlying h5py file, for anything this class does not cover."""
        return self._file

    def provenance(self) -> dict:
        """Root attributes as plain Python values (``scenario_json`` and ``sweep_json`` as text)."""
        out = {}
        for key, value in self._file.attrs.items():
            if isinstance(value, (bytes, str)):
                out[key] = _text(value)
            elif isinstance(value, np.generic):
                out[key] = value.item()
            else:
                out[key] = value
        return out

    @property
    def scenario(self) -> dict:
        """The resolved base scenario (root attribute ``scenario_json``), parsed."""
        text = _text(self._file.attrs.get("scenario_json", ""))
        return json.loads(text) if text else {}

    @property
    def sweep(self) -> dict:
        """The sweep document (root attribute ``sweep_json``), parsed; ``{}`` for a single run."""
        text = _text(self._file.attrs.get("sweep_json", ""))
        return json.loads(text) if text else {}

    @property
    def run_count(self) -> int:
        """Number of runs in the file, done or not."""
        return int(self._file["runs/status"].shape[0])

    @property
    def steps(self) -> np.ndarray:
        """Step number of each column of the series (``/step``)."""
        return self._file["step"][:]

    def parameters(self) -> list:
        """The varied parameters and pitfall flags (:class:`~p3sim_analysis.parameters.Parameter`)."""
        if self._parameters is None:
            group = self._file.get("params")
            stored = {name: _text(group[name].attrs.get("parameter", name)) for name in group} if group else {}
            self._parameters = sweep_parameters(self.sweep, stored)
        return self._parameters

    def point_design(self) -> pd.DataFrame | None:
        """The explicit design of a sweep made by :mod:`~p3sim_analysis.point_sweeps` (one row per
        design point, see :func:`~p3sim_analysis.point_sweeps.read_point_design`), or None."""
        if self._point_design is None:
            self._point_design = read_point_design(self.sweep)
            if self._point_design is None:
                self._point_design = False
        return None if self._point_design is False else self._point_design

    def design_type(self) -> str:
        """``single``, ``compare``, ``grid``, ``lhs``, ``sobol``, ``random``, or the name of an
        explicit point design (``saltelli``, ``morris``)."""
        sweep = self.sweep
        if not sweep:
            return "single"
        if "compare" in sweep:
            return "compare"
        design = self.point_design()
        if design is not None:
            return str(design["design"].iloc[0])
        spec = sweep.get("design", "grid")
        return spec if isinstance(spec, str) else str(spec.get("type", "grid"))

    # ----------------------------------------------------------------------------------------
    # Runs
    def status(self) -> np.ndarray:
        """``/runs/status`` of every run (0 pending, 1 done, 2 failed)."""
        return self._file["runs/status"][:]

    def status_names(self) -> list:
        """Names of the status codes, from the file's ``status_names`` attribute."""
        names = self._file["runs/status"].attrs.get("status_names")
        return [_text(n) for n in names] if names is not None else list(STATUS_NAMES)

    def excluded_runs(self) -> pd.DataFrame:
        """The runs that are not done: run, status name and message (empty if all are done)."""
        status = self.status()
        rows = np.flatnonzero(status != DONE)
        names = self.status_names()
        messages = self._file["runs/message"].asstr()[:] if len(rows) else []
        return pd.DataFrame({"run": rows.astype(np.int64),
                             "status": [names[int(status[r])] for r in rows],
                             "message": [messages[r] for r in rows]})

    def exclusion_note(self) -> str:
        """One sentence on the runs left out of statistics, e.g. ``2 of 40 runs are not done
        (1 pending, 1 failed) and are excluded from all statistics.``"""
        excluded = self.excluded_runs()
        total = self.run_count
        if excluded.empty:
            return f"All {total} runs are done; none is excluded."
        counts = excluded["status"].value_counts()
        detail = ", ".join(f"{n} {name}" for name, n in counts.items())
        return (f"{len(excluded)} of {total} runs are not done ({detail}) and are excluded from all "
                "statistics.")

    def select_runs(self, runs=None, include_not_done: bool = False) -> np.ndarray:
        """Sorted unique run indices: ``runs`` (or all), keeping only done runs unless asked.

        Raises:
            ResultFileError: a run index is out of range.
        """
        total = self.run_count
        chosen = np.arange(total) if runs is None else np.unique(np.asarray(runs, dtype=np.int64).ravel())
        if len(chosen) and (chosen[0] < 0 or chosen[-1] >= total):
            raise ResultFileError(f"{self.path}: run indices must be in 0..{total - 1}")
        if not include_not_done:
            chosen = chosen[self.status()[chosen] == DONE]
        return chosen

    def runs(self, include_not_done: bool = False, final: bool = True) -> pd.DataFrame:
        """One row per run: run, point, replicate, seed, status (name), message, each varied
        parameter decoded (see :mod:`~p3sim_analysis.parameters`), ``pitfalls`` (the pitfall set)
        when the file has pitfall flags, the explicit design's columns when it has one, and every
        ``/final`` metric (unless ``final=False``).

        Runs that are not done are left out unless ``include_not_done``.
        """
        f = self._file
        rows = self.select_runs(None, include_not_done)
        names = self.status_names()
        table = pd.DataFrame({
            "run": rows,
            "point": _read_rows(f["runs/point"], rows).astype(np.int64),
            "replicate": _read_rows(f["runs/replicate"], rows).astype(np.int64),
            "seed": _read_rows(f["runs/seed"], rows).astype(np.uint64),
            "status": [names[int(s)] for s in _read_rows(f["runs/status"], rows)],
            "message": f["runs/message"].asstr()[:][rows] if len(rows) else np.array([], dtype=object),
        })
        flags = {}
        for parameter in self.parameters():
            values = _read_rows(f["params"][parameter.dataset], rows)
            if parameter.kind == "pitfall":
                flags[parameter.dataset] = values
            table[parameter.dataset] = parameter.decode(values).array
        if flags:
            table["pitfalls"] = pitfall_set_labels(pd.DataFrame(flags)).to_numpy()
        design = self.point_design()
        if design is not None:
            # Pitfall sets vary fastest: point = design_index * sets + set (docs/sweeps.md).
            sets = max(1, len(self.sweep.get("pitfalls") or [[]]))
            point = table["point"].to_numpy()
            table["design_index"] = np.where(point >= 0, point // sets, -1)
            table = table.merge(design, left_on="design_index", right_index=True, how="left")
        if final:
            for metric in f["final"]:
                table[metric] = _read_rows(f["final"][metric], rows)
        table = table.reset_index(drop=True)
        # Where a time that never came is censored (estimators.py); the raw -1 codes stay in the
        # table, declared by the datasets' missing_value attribute.
        table.attrs["horizon"] = float(self.horizon)
        return table

    @property
    def horizon(self) -> float:
        """The runs' step count (root attribute ``steps``): a ``time_to_goal`` of -1 means the goal
        was not reached within it."""
        return float(self._file.attrs["steps"])

    def final_metrics(self) -> list:
        """Names of the ``/final`` datasets."""
        return list(self._file["final"])

    def series_metrics(self) -> list:
        """Names of the recorded ``/series`` datasets."""
        return list(self._file["series"]) if "series" in self._file else []

    # ----------------------------------------------------------------------------------------
    # Series
    def series(self, metrics, runs=None, include_not_done: bool = False, steps=None) -> pd.DataFrame:
        """Per-step metrics in long form: columns run, step, metric, value.

        Args:
            metrics: a metric name, a list of names, or ``"all"`` (every recorded series; only
                when asked explicitly, since a large sweep's series may not fit in memory).
            runs: run indices to read (default: all runs); only these rows are read from disk.
            include_not_done: keep runs that are not done (their values are NaN).
            steps: step numbers to keep (default: all recorded steps).
        Raises:
            ResultFileError: an unknown metric (the message lists the recorded ones).
        """
        available = self.series_metrics()
        wanted = available if metrics == "all" else ([metrics] if isinstance(metrics, str) else list(metrics))
        unknown = [m for m in wanted if m not in available]
        if unknown:
            raise ResultFileError(f"{self.path}: no series {', '.join(unknown)}; recorded: {', '.join(available)}")
        rows = self.select_runs(runs, include_not_done)
        step_numbers = self.steps
        columns = np.arange(len(step_numbers))
        if steps is not None:
            columns = np.flatnonzero(np.isin(step_numbers, np.asarray(steps)))
        frames = []
        for metric in wanted:
            block = _read_rows(self._file["series"][metric], rows)[:, columns]
            frames.append(pd.DataFrame({
                "run": np.repeat(rows, len(columns)),
                "step": np.tile(step_numbers[columns], len(rows)),
                "metric": metric,
                "value": block.ravel(),
            }))
        if not frames:
            return pd.DataFrame(columns=["run", "step", "metric", "value"])
        return pd.concat(frames, ignore_index=True)

    def series_by_sector(self, metric: str, runs=None, include_not_done: bool = False) -> pd.DataFrame:
        """``/series_by_sector/<metric>`` in long form: run, step, sector, value."""
        group = self._file.get("series_by_sector")
        if group is None or metric not in group:
            have = list(group) if group is not None else []
            raise ResultFileError(f"{self.path}: no series_by_sector/{metric}; recorded: {', '.join(have) or 'none'}")
        rows = self.select_runs(runs, include_not_done)
        block = _read_rows(group[metric], rows)  # [run, step, sector]
        steps = self.steps
        sectors = self._file["sectors/name"].asstr()[:]
        return pd.DataFrame({
            "run": np.repeat(rows, len(steps) * len(sectors)),
            "step": np.tile(np.repeat(steps, len(sectors)), len(rows)),
            "sector": np.tile(sectors, len(rows) * len(steps)),
            "value": block.ravel(),
        })

    # ----------------------------------------------------------------------------------------
    # Organizations and events
    def organizations(self) -> pd.DataFrame:
        """One row per organization: org (index), name, sector, sector_index."""
        f = self._file
        return pd.DataFrame({
            "org": np.arange(f["orgs/name"].shape[0]),
            "name": f["orgs/name"].asstr()[:],
            "sector": f["orgs/sector"].asstr()[:],
            "sector_index": f["orgs/sector_index"][:],
        })

    def org_final(self, runs=None, include_not_done: bool = False) -> pd.DataFrame:
        """``/org_final`` in long form: one row per (run, organization) with name, sector, every
        [run, org] field, and ``exit_cause_name`` decoded from the ``cause_names`` attribute.
        Organizations a design point lacks (docs/sweeps.md) read -1 or NaN as in the file."""
        group = self._file["org_final"]
        rows = self.select_runs(runs, include_not_done)
        orgs = self.organizations()
        table = pd.DataFrame({"run": np.repeat(rows, len(orgs)), "org": np.tile(orgs["org"], len(rows))})
        table = table.merge(orgs[["org", "name", "sector"]], on="org", how="left")
        for field in group:
            if group[field].ndim == 2:
                table[field] = _read_rows(group[field], rows).ravel()
        if "exit_cause" in table:
            causes = [_text(c) for c in group["exit_cause"].attrs.get("cause_names", [])]
            table["exit_cause_name"] = [causes[c] if 0 <= c < len(causes) else None for c in table["exit_cause"]]
        return table

    def events(self, runs=None, include_not_done: bool = False) -> pd.DataFrame:
        """The ``/events`` table: run, step, org (index), org_name (``(partnership)`` for -1), kind,
        cause (names from the table's ``kind_names``/``cause_names`` attributes) and value.

        Empty when the sweep did not record events. Rows are read in blocks and filtered on run.
        """
        columns = ["run", "step", "org", "org_name", "kind", "cause", "value"]
        if "events" not in self._file:
            return pd.DataFrame(columns=columns)
        dataset = self._file["events"]
        keep = self.select_runs(runs, include_not_done)
        kinds = [_text(k) for k in dataset.attrs["kind_names"]]
        causes = [_text(c) for c in dataset.attrs["cause_names"]]
        names = self._file["orgs/name"].asstr()[:]
        parts, block = [], 1 << 20
        for start in range(0, dataset.shape[0], block):
            chunk = dataset[start:start + block]
            parts.append(chunk[np.isin(chunk["run"], keep)])
        data = np.concatenate(parts) if parts else np.zeros(0, dtype=dataset.dtype)
        table = pd.DataFrame({name: data[name] for name in data.dtype.names})
        table["org_name"] = [names[o] if 0 <= o < len(names) else "(partnership)" for o in table["org"]]
        table["kind"] = [kinds[k] if 0 <= k < len(kinds) else str(k) for k in table["kind"]]
        table["cause"] = [causes[c] if 0 <= c < len(causes) else str(c) for c in table["cause"]]
        return table[columns].sort_values(["run", "step"], kind="stable").reset_index(drop=True)


def open_result(path) -> ResultFile:
    """Open a p3sim result file (same as ``ResultFile(path)``)."""
    return ResultFile(path)
