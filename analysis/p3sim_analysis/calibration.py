"""Reading the posterior file of ``p3sim calibrate`` (ABC-SMC) and summarizing it.

One class, :class:`PosteriorFile`, opens the file once, checks that it is a calibration file of a
format this package understands (root attribute ``file_kind = "calibration"``,
``calibration_format_version`` 1) and hands out tables:

* :attr:`PosteriorFile.parameters` - the calibrated parameters with their priors;
* :meth:`PosteriorFile.targets` - one row per target component (a series target over S steps has
  S components);
* :meth:`PosteriorFile.generations` - tolerance, simulations, acceptance rate and ESS per generation;
* :meth:`PosteriorFile.particles` - one row per particle of a generation;
* :meth:`PosteriorFile.posterior_summary` - weighted posterior mean, sd, median and credible
  interval of each parameter next to its prior;
* :meth:`PosteriorFile.predictive_check` - whether each observed value lies inside the posterior
  predictive interval of its simulated statistic.

The posterior is the last generation. Every posterior number is computed from the particles and
their importance weights; quantiles use :func:`weighted_quantile`.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

from .errors import ResultFileError

#: The largest ``calibration_format_version`` this package reads.
SUPPORTED_CALIBRATION_VERSION = 1
#: |z| above which a target fits poorly even inside its interval (as ``p3sim summarize``).
POOR_FIT_Z = 2.0
#: The value of the root attribute ``file_kind`` that marks a posterior file.
FILE_KIND = "calibration"
#: ``stop_reason`` in words (the empty reason: still running or interrupted).
STOP_REASONS = {
    "generations": "it completed the maximum number of generations",
    "tolerance": "the tolerance reached its target",
    "acceptance": "the acceptance rate fell below its minimum",
    "budget": "the simulation budget was spent",
    "": "it has not finished (still running, or interrupted)",
}
#: Cumulative weights within this of q count as reaching q (round-off of sums such as 5 x 1/9); the
#: same as the C++ ``weighted_quantile`` of ``p3sim summarize``.
QUANTILE_TOLERANCE = 1e-12


def _text(value) -> str:
    """An attribute or string element as ``str`` (variable-length strings come as str, fixed as bytes)."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _strings(dataset: h5py.Dataset) -> list:
    """A 1-D string dataset as a list of ``str``, whether its strings are variable or fixed length."""
    return [_text(v) for v in np.atleast_1d(dataset[()])]


def is_calibration_file(path) -> bool:
    """True when ``path`` is an HDF5 file whose root attribute ``file_kind`` is ``"calibration"``.

    False for anything else (missing, a directory, not HDF5, a result file), without raising, so
    callers can choose the reader first and let it give the error message.
    """
    path = os.fspath(path)
    try:
        if not os.path.isfile(path) or not h5py.is_hdf5(path):
            return False
        with h5py.File(path, "r") as handle:
            return _text(handle.attrs.get("file_kind", "")) == FILE_KIND
    except OSError:
        return False


def level_label(value) -> str:
    """A categorical level (a JSON value) as a readable label: strings as they are, other values as
    JSON (``2``, ``0.5``, ``true``)."""
    return value if isinstance(value, str) else json.dumps(value)


def weighted_quantile(values, weights, q):
    """The weighted quantile(s) ``q`` of ``values``.

    Definition: drop values that are not finite and values whose weight is 0, sort the rest
    (stably), normalize their weights to sum 1 and take the cumulative sums c_1 <= ... <= c_n;
    the q-quantile is the smallest value x_(i) with c_i >= q. (Cumulative weights within
    :data:`QUANTILE_TOLERANCE` below q count as reaching it, so that five weights of 1/9 reach
    5/9 despite round-off; ``p3sim summarize`` uses the same rule.) With equal weights this is
    the inverted empirical distribution function (type 1 of Hyndman and Fan); the result is
    always one of the values.

    Example: values (1, 2, 3) with weights (0.7, 0.2, 0.1) have median 1, 0.9-quantile 2 and
    0.975-quantile 3.

    Args:
        values, weights: arrays of the same length; weights need not be normalized.
        q: a probability in [0, 1] or an array of them.
    Returns:
        a float (scalar ``q``) or an array like ``q``; NaN when no value has positive weight.
    """
    values = np.asarray(values, dtype=float).ravel()
    weights = np.asarray(weights, dtype=float).ravel()
    if values.shape != weights.shape:
        raise ValueError(f"values ({values.size}) and weights ({weights.size}) differ in length")
    qs = np.asarray(q, dtype=float)
    if np.any((qs < 0) | (qs > 1)):
        raise ValueError("quantile probabilities must be in [0, 1]")
    keep = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not keep.any():
        out = np.full(qs.shape, np.nan)
        return float(out) if out.ndim == 0 else out
    order = np.argsort(values[keep], kind="stable")
    sorted_values = values[keep][order]
    cumulative = np.cumsum(weights[keep][order])
    cumulative /= cumulative[-1]
    index = np.searchsorted(cumulative, qs - QUANTILE_TOLERANCE, side="left")
    out = sorted_values[np.clip(index, 0, len(sorted_values) - 1)]
    return float(out) if out.ndim == 0 else out


def weighted_mean_sd(values, weights) -> tuple:
    """The weighted mean and standard deviation ``sqrt(sum w (x - mean)^2)`` (normalized weights,
    no small-sample correction: the moments of the weighted particle distribution itself), over the
    finite values with positive weight; (NaN, NaN) when there is none."""
    values = np.asarray(values, dtype=float).ravel()
    weights = np.asarray(weights, dtype=float).ravel()
    keep = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not keep.any():
        return math.nan, math.nan
    w = weights[keep] / weights[keep].sum()
    mean = float(np.sum(w * values[keep]))
    return mean, float(math.sqrt(max(0.0, np.sum(w * (values[keep] - mean) ** 2))))


def _tails(level: float) -> tuple:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return (1 - level) / 2, 1 - (1 - level) / 2


@dataclass
class PosteriorParameter:
    """A calibrated parameter: ``name`` (the JSON Pointer as written in the calibration file, may
    contain ``*``), ``prior`` (the prior as a dict, e.g. ``{"distribution": "uniform", "low": 0,
    "high": 1}``), ``kind`` (``continuous`` or ``categorical``) and, for a categorical parameter,
    ``levels`` (the level labels, see :func:`level_label`; the file stores the level's index)."""

    name: str
    prior: dict
    kind: str
    levels: list = field(default_factory=list)

    @property
    def distribution_name(self) -> str:
        """``uniform``, ``log_uniform``, ``normal`` or ``categorical``."""
        return str(self.prior.get("distribution", ""))

    def distribution(self):
        """The prior of a continuous parameter as a frozen ``scipy.stats`` distribution: uniform,
        ``loguniform`` or ``truncnorm`` (``norm`` when neither bound is given)."""
        from scipy import stats  # imported here, not with the package: the command line starts faster

        p, kind = self.prior, self.distribution_name
        if kind == "uniform":
            return stats.uniform(loc=float(p["low"]), scale=float(p["high"]) - float(p["low"]))
        if kind == "log_uniform":
            return stats.loguniform(float(p["low"]), float(p["high"]))
        if kind == "normal":
            mean, sd = float(p["mean"]), float(p["sd"])
            low = float(p["low"]) if p.get("low") is not None else -math.inf
            high = float(p["high"]) if p.get("high") is not None else math.inf
            if math.isinf(low) and math.isinf(high):
                return stats.norm(loc=mean, scale=sd)
            return stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)
        raise ValueError(f"parameter {self.name}: no continuous distribution for prior {kind!r}")

    def prior_probabilities(self) -> np.ndarray:
        """The prior probability of each level of a categorical parameter (equal when not given)."""
        given = self.prior.get("probabilities")
        n = len(self.levels)
        if given is None:
            return np.full(n, 1.0 / n) if n else np.zeros(0)
        probabilities = np.asarray(given, dtype=float)
        return probabilities / probabilities.sum()

    def prior_summary(self, level: float = 0.95) -> dict:
        """The prior's mean, sd, median and equal-tailed ``level`` interval (``low``, ``high``),
        from scipy.stats (exact, not sampled); for a categorical parameter ``probabilities``."""
        if self.kind == "categorical":
            return {"probabilities": self.prior_probabilities()}
        lo, hi = _tails(level)
        dist = self.distribution()
        return {"mean": float(dist.mean()), "sd": float(dist.std()), "median": float(dist.median()),
                "low": float(dist.ppf(lo)), "high": float(dist.ppf(hi))}

    def prior_density(self, x) -> np.ndarray:
        """The prior density at ``x`` (continuous parameters)."""
        return self.distribution().pdf(np.asarray(x, dtype=float))


def format_number(value) -> str:
    """A number as the report and ``summary`` print it: three significant digits, whole numbers
    with thousands separators from 1,000 to 10 million (``1,034`` rather than ``1.03e+03``), ``n/a``
    for NaN or None, ``inf``."""
    if value is None:
        return "n/a"
    number = float(value)
    if math.isnan(number):
        return "n/a"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if 1000 <= abs(number) < 1e7:
        return f"{number:,.0f}"
    return f"{number:.3g}"


def target_groups(targets: pd.DataFrame) -> list:
    """The targets as the user wrote them: consecutive components of one series (same metric and
    name before ``@STEP``) form one group, each final metric its own. Returns a list of dicts with
    ``label`` (the target's name without ``@STEP``), ``metric``, ``source``, ``rows`` (positions in
    ``targets``) and ``steps``."""
    groups, index = [], {}
    for position, row in enumerate(targets.itertuples(index=False)):
        if row.source == "series":
            label = row.name.rsplit("@", 1)[0] if "@" in row.name else row.name
            key = ("series", row.metric, label)
            if key not in index:
                index[key] = len(groups)
                groups.append({"label": label, "metric": row.metric, "source": "series", "rows": [], "steps": []})
            groups[index[key]]["rows"].append(position)
            groups[index[key]]["steps"].append(int(row.step))
        else:
            groups.append({"label": row.name, "metric": row.metric, "source": row.source, "rows": [position],
                           "steps": []})
    return groups


def describe_targets(targets: pd.DataFrame) -> str:
    """The targets in words, e.g. ``adopters at steps 12, 24, 36; retention (final)``."""
    parts = []
    for group in target_groups(targets):
        if group["source"] == "series":
            steps = group["steps"]
            shown = ", ".join(str(s) for s in steps) if len(steps) <= 6 else \
                f"{', '.join(str(s) for s in steps[:3])}, ..., {steps[-1]} ({len(steps)} steps)"
            parts.append(f"{group['label']} at step{'s' if len(steps) > 1 else ''} {shown}")
        else:
            parts.append(f"{group['label']} (final)" if group["label"] == group["metric"] else
                         f"{group['label']} (final {group['metric']})")
    return "; ".join(parts)


class PosteriorFile:
    """An open posterior file of ``p3sim calibrate``. Use as a context manager or call :meth:`close`.

    Raises:
        ResultFileError: the file does not exist, is not HDF5, is not a calibration file (root
            attribute ``file_kind`` other than ``"calibration"``), has a
            ``calibration_format_version`` newer than :data:`SUPPORTED_CALIBRATION_VERSION`, or
            lacks a dataset of the layout.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise ResultFileError(f"{self.path}: no such file")
        if os.path.isdir(self.path):
            raise ResultFileError(f"{self.path}: is a directory, expected a p3sim calibration (posterior) file")
        if not h5py.is_hdf5(self.path):
            raise ResultFileError(f"{self.path}: not an HDF5 file (expected a posterior file of p3sim calibrate)")
        try:
            self._file = h5py.File(self.path, "r")
        except OSError as error:
            raise ResultFileError(f"{self.path}: cannot be opened as HDF5: {error}") from None
        try:
            self._check_layout()
            self._parameters = self._read_parameters()
        except ResultFileError:
            self._file.close()
            raise

    def _check_layout(self):
        attrs = self._file.attrs
        kind = _text(attrs.get("file_kind", ""))
        if kind != FILE_KIND:
            found = f"file_kind is {kind!r}" if kind else "no file_kind attribute"
            hint = "; it is a p3sim result file, read it with ResultFile" if "runs" in self._file else ""
            raise ResultFileError(f"{self.path}: an HDF5 file but not a p3sim calibration file ({found}, "
                                  f"expected 'calibration'){hint}")
        if "calibration_format_version" not in attrs:
            raise ResultFileError(f"{self.path}: calibration file without a calibration_format_version attribute")
        version = int(attrs["calibration_format_version"])
        if version > SUPPORTED_CALIBRATION_VERSION:
            raise ResultFileError(
                f"{self.path}: calibration_format_version {version} is newer than this analysis package reads "
                f"(up to {SUPPORTED_CALIBRATION_VERSION}); update p3sim_analysis")
        required = ["parameters/name", "parameters/prior", "parameters/kind",
                    "targets/name", "targets/metric", "targets/source", "targets/step", "targets/observed",
                    "targets/scale", "targets/weight",
                    "generations/tolerance", "generations/attempts", "generations/simulations",
                    "generations/accepted", "generations/acceptance_rate", "generations/ess",
                    "particles/value", "particles/weight", "particles/distance", "particles/statistics"]
        missing = [name for name in required if name not in self._file]
        if missing:
            raise ResultFileError(f"{self.path}: calibration file lacks {', '.join('/' + m for m in missing)}")
        particles = self._file["particles"]
        value, weight = particles["value"], particles["weight"]
        p, k = self._file["parameters/name"].shape[0], self._file["targets/name"].shape[0]
        if value.ndim != 3 or value.shape[2] != p or weight.shape[1:] != value.shape[1:2] \
                or particles["distance"].shape[1:] != value.shape[1:2] \
                or particles["statistics"].shape[1:] != (value.shape[1], k):
            raise ResultFileError(
                f"{self.path}: /particles shapes do not match {p} parameters and {k} target components "
                f"(value {value.shape}, weight {weight.shape}, statistics {particles['statistics'].shape})")

    def _read_parameters(self) -> list:
        group = self._file["parameters"]
        out = []
        for name, prior_text, kind in zip(_strings(group["name"]), _strings(group["prior"]), _strings(group["kind"])):
            try:
                prior = json.loads(prior_text)
            except json.JSONDecodeError as error:
                raise ResultFileError(f"{self.path}: the prior of {name} is not JSON ({error})") from None
            levels = []
            if kind == "categorical":
                if prior.get("distribution") != "categorical":
                    raise ResultFileError(f"{self.path}: {name} is categorical but its prior is "
                                          f"{prior.get('distribution')!r}")
                raw = list(prior.get("levels", []))
                levels = [level_label(v) for v in raw]
                if len(set(levels)) < len(levels):
                    levels = [json.dumps(v) for v in raw]
            elif kind == "continuous":
                needs = {"uniform": ("low", "high"), "log_uniform": ("low", "high"), "normal": ("mean", "sd")}
                keys = needs.get(prior.get("distribution"))
                if keys is None or any(key not in prior for key in keys):
                    raise ResultFileError(f"{self.path}: continuous parameter {name} has prior {prior_text}; "
                                          "expected uniform or log_uniform {low, high}, or normal {mean, sd}")
            else:
                raise ResultFileError(f"{self.path}: parameter {name} has kind {kind!r}, expected continuous or "
                                      "categorical")
            out.append(PosteriorParameter(name=name, prior=prior, kind=kind, levels=levels))
        return out

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
        """Root attributes as plain Python values (the JSON attributes as text)."""
        out = {}
        for key, value in self._file.attrs.items():
            if isinstance(value, (bytes, str)):
                out[key] = _text(value)
            elif isinstance(value, np.generic):
                out[key] = value.item()
            else:
                out[key] = value
        return out

    def _json_attr(self, name: str) -> dict:
        text = _text(self._file.attrs.get(name, ""))
        return json.loads(text) if text else {}

    @property
    def scenario(self) -> dict:
        """The resolved base scenario (root attribute ``scenario_json``), parsed."""
        return self._json_attr("scenario_json")

    @property
    def calibration(self) -> dict:
        """The calibration file with its defaults made explicit (``calibration_json``), parsed."""
        return self._json_attr("calibration_json")

    @property
    def stop_reason(self) -> str:
        """Why the calibration stopped: ``generations``, ``tolerance``, ``acceptance``, ``budget``, or
        ``""`` while running or after an interruption."""
        return _text(self._file.attrs.get("stop_reason", ""))

    @property
    def stop_reason_text(self) -> str:
        """:attr:`stop_reason` in words (:data:`STOP_REASONS`)."""
        return STOP_REASONS.get(self.stop_reason, f"stop reason {self.stop_reason!r}")

    @property
    def complete(self) -> bool:
        """True when the calibration finished (root attribute ``complete`` is 1)."""
        return int(self._file.attrs.get("complete", 0)) == 1

    @property
    def parameters(self) -> list:
        """The calibrated parameters (:class:`PosteriorParameter`), in the file's order."""
        return list(self._parameters)

    @property
    def parameter_names(self) -> list:
        """The parameters' names (JSON Pointers as written)."""
        return [p.name for p in self._parameters]

    @property
    def generation_count(self) -> int:
        """Generations completed: those with both their summary in /generations and their particles
        (the smaller of the two lengths, should a writer have been interrupted between them)."""
        lengths = [self._file["generations"][name].shape[0] for name in
                   ("tolerance", "attempts", "simulations", "accepted", "acceptance_rate", "ess")]
        lengths += [self._file["particles"][name].shape[0] for name in ("value", "weight", "distance", "statistics")]
        return int(min(lengths))

    @property
    def particle_count(self) -> int:
        """Particles per generation (N)."""
        return int(self._file["particles/value"].shape[1])

    # ----------------------------------------------------------------------------------------
    # Tables
    def targets(self) -> pd.DataFrame:
        """One row per target component: name, metric, source (``series`` or ``final``), step (-1 for
        a final metric), observed, scale (the divisor of the difference in the distance) and weight."""
        group = self._file["targets"]
        return pd.DataFrame({
            "name": _strings(group["name"]),
            "metric": _strings(group["metric"]),
            "source": _strings(group["source"]),
            "step": group["step"][()].astype(np.int64),
            "observed": group["observed"][()].astype(float),
            "scale": group["scale"][()].astype(float),
            "weight": group["weight"][()].astype(float),
        })

    def generations(self) -> pd.DataFrame:
        """One row per completed generation: generation (0-based), tolerance (inf for generation 0,
        where every prior draw is accepted), attempts, simulations, accepted, acceptance_rate, ess."""
        g = self.generation_count
        group = self._file["generations"]
        table = pd.DataFrame({"generation": np.arange(g, dtype=np.int64)})
        for name, dtype in (("tolerance", float), ("attempts", np.int64), ("simulations", np.int64),
                            ("accepted", np.int64), ("acceptance_rate", float), ("ess", float)):
            table[name] = group[name][:g].astype(dtype)
        return table

    def _generation_index(self, generation: int) -> int:
        g = self.generation_count
        if g == 0:
            raise ResultFileError(f"{self.path}: no generation is complete yet, so there are no particles")
        index = int(generation) + g if generation < 0 else int(generation)
        if not 0 <= index < g:
            raise ResultFileError(f"{self.path}: generation {generation} out of range; the file has {g} "
                                  f"(0..{g - 1}, or -1 for the last)")
        return index

    def particles(self, generation: int = -1) -> pd.DataFrame:
        """One row per particle of ``generation`` (default -1, the last: the posterior), in the order
        of acceptance.

        Columns: each parameter under its name (categorical parameters decoded to their level labels
        as an ordered-by-level ``category``; an index outside the levels reads NaN), ``weight`` (the
        normalized importance weight), ``distance``, then the simulated statistic of each target
        component under the target's name (``NAME@STEP`` should two series components share a
        name, ``statistic:NAME`` should it clash with a column before it).
        ``attrs["generation"]`` holds the generation's index.

        Raises:
            ResultFileError: no generation is complete, or ``generation`` is out of range.
        """
        index = self._generation_index(generation)
        particles = self._file["particles"]
        values = particles["value"][index]
        columns = {}
        for j, parameter in enumerate(self._parameters):
            if parameter.kind == "categorical":
                codes = values[:, j]
                valid = np.isfinite(codes) & (np.round(codes) >= 0) & (np.round(codes) < len(parameter.levels))
                labels = np.array(parameter.levels + [None], dtype=object)
                chosen = np.where(valid, np.round(np.nan_to_num(codes, nan=-1)).astype(np.int64), len(parameter.levels))
                columns[parameter.name] = pd.Categorical(labels[chosen], categories=parameter.levels)
            else:
                columns[parameter.name] = values[:, j].astype(float)
        columns["weight"] = particles["weight"][index].astype(float)
        columns["distance"] = particles["distance"][index].astype(float)
        statistics = particles["statistics"][index]
        for k, name in enumerate(self._statistic_names(set(columns))):
            columns[name] = statistics[:, k].astype(float)
        table = pd.DataFrame(columns)
        table.attrs["generation"] = index
        return table

    def _statistic_names(self, taken=()) -> list:
        """The target components' names made unique: a name that repeats (two single-step series
        targets of one metric, both named after it) gets ``@STEP``, and one that clashes with a
        column in ``taken`` the prefix ``statistic:``; failing that, ``#INDEX``."""
        targets = self.targets()
        repeated = targets["name"].duplicated(keep=False).to_numpy()
        names, seen = [], set(taken)
        for k, row in enumerate(targets.itertuples(index=False)):
            name = row.name
            if repeated[k] and row.source == "series" and not name.endswith(f"@{row.step}"):
                name = f"{name}@{row.step}"
            if name in seen:
                name = f"statistic:{name}"
            if name in seen:
                name = f"{name}#{k}"
            seen.add(name)
            names.append(name)
        return names

    def _raw(self, generation: int = -1) -> tuple:
        """(index, values [N, P], weights [N], statistics [N, K]) of a generation, undecoded."""
        index = self._generation_index(generation)
        particles = self._file["particles"]
        return (index, particles["value"][index].astype(float), particles["weight"][index].astype(float),
                particles["statistics"][index].astype(float))

    # ----------------------------------------------------------------------------------------
    # Summaries
    def posterior_summary(self, level: float = 0.95, generation: int = -1) -> pd.DataFrame:
        """The posterior of each parameter (the particles of ``generation``, default the last, and
        their weights) next to its prior.

        A continuous parameter gets one row: the weighted ``mean`` and ``sd`` (see
        :func:`weighted_mean_sd`), the weighted ``median`` and the equal-tailed credible interval
        ``low``, ``high`` at ``level``: the weighted quantiles (1 - level)/2 and 1 - (1 - level)/2
        of :func:`weighted_quantile` (sort the values, accumulate their normalized weights, take the
        smallest value whose cumulative weight reaches q). The prior's ``prior_mean``,
        ``prior_sd``, ``prior_median``, ``prior_low`` and ``prior_high`` are exact, from scipy.stats
        (uniform, loguniform, truncnorm).

        A categorical parameter gets one row per level: ``level``, ``probability`` (the summed
        weight of the particles at that level) and ``prior_probability``.

        Columns: parameter, kind, distribution, level, mean, sd, median, low, high, probability,
        prior_mean, prior_sd, prior_median, prior_low, prior_high, prior_probability, and
        ``summary`` in words, e.g. ``0.21 [0.1, 0.35] (prior: [0.0125, 0.488])``.
        """
        lo, hi = _tails(level)
        _, values, weights, _ = self._raw(generation)
        rows = []
        for j, parameter in enumerate(self._parameters):
            base = {"parameter": parameter.name, "kind": parameter.kind,
                    "distribution": parameter.distribution_name}
            prior = parameter.prior_summary(level)
            if parameter.kind == "categorical":
                codes = np.round(values[:, j])
                valid = np.isfinite(codes) & (codes >= 0) & (codes < len(parameter.levels)) & np.isfinite(weights)
                total = weights[valid].sum()
                for i, label in enumerate(parameter.levels):
                    probability = float(weights[valid & (codes == i)].sum() / total) if total > 0 else math.nan
                    prior_probability = float(prior["probabilities"][i])
                    rows.append({**base, "level": label, "probability": probability,
                                 "prior_probability": prior_probability,
                                 "summary": f"{label}: {probability:.2f} (prior: {prior_probability:.2f})"})
                continue
            mean, sd = weighted_mean_sd(values[:, j], weights)
            median, low, high = weighted_quantile(values[:, j], weights, [0.5, lo, hi])
            rows.append({**base, "level": None, "mean": mean, "sd": sd, "median": float(median),
                         "low": float(low), "high": float(high),
                         **{f"prior_{key}": value for key, value in prior.items()},
                         "summary": f"{format_number(median)} [{format_number(low)}, {format_number(high)}] "
                                    f"(prior: [{format_number(prior['low'])}, {format_number(prior['high'])}])"})
        columns = ["parameter", "kind", "distribution", "level", "mean", "sd", "median", "low", "high",
                   "probability", "prior_mean", "prior_sd", "prior_median", "prior_low", "prior_high",
                   "prior_probability", "summary"]
        table = pd.DataFrame(rows, columns=columns)
        table.attrs["level"] = level
        return table

    def predictive_check(self, level: float = 0.95, generation: int = -1) -> pd.DataFrame:
        """Does the calibrated model reproduce each target? One row per target component.

        For each component, the particles' simulated statistics (the mean over each particle's
        replications) of ``generation`` (default the last) with the particles' weights give the
        weighted ``median`` and the equal-tailed interval ``low``, ``high`` at ``level``
        (:func:`weighted_quantile`); ``z = (observed - median) / scale`` with the scale of the
        distance (1 should it not be positive, as in ``p3sim summarize``); ``fit`` is ``poor`` when
        the observed value lies outside [low, high] or more than :data:`POOR_FIT_Z` scales from the
        median (a calibration stopped while its particles were still far from the data), ``good``
        otherwise (``undefined`` when no particle has a finite statistic).

        This is the ABC posterior predictive *with tolerance*: the statistics are those of the
        accepted particles, each of which was accepted because its distance was within the
        generation's tolerance. It is therefore narrower and closer to the observations than fresh
        simulations from the posterior would be. An observed value outside even this interval has
        at most (1 - level)/2 of the posterior weight on simulated values at or beyond it: the
        model, calibrated to all targets together, does not reproduce it.

        Columns: target (the component's name; made unique with ``@STEP`` should two share one,
        as in :meth:`particles`), metric, source, step, observed, scale, weight, median, low, high,
        z, fit.
        """
        lo, hi = _tails(level)
        _, _, weights, statistics = self._raw(generation)
        targets = self.targets()
        rows = []
        names = self._statistic_names()
        for k, target in enumerate(targets.itertuples(index=False)):
            median, low, high = weighted_quantile(statistics[:, k], weights, [0.5, lo, hi])
            scale = float(target.scale) if target.scale > 0 and math.isfinite(target.scale) else 1.0
            z = (target.observed - median) / scale
            if math.isnan(median):
                fit = "undefined"
            else:
                fit = "good" if low <= target.observed <= high and abs(z) <= POOR_FIT_Z else "poor"
            rows.append({"target": names[k], "metric": target.metric, "source": target.source,
                         "step": int(target.step), "observed": float(target.observed), "scale": scale,
                         "weight": float(target.weight), "median": float(median), "low": float(low),
                         "high": float(high), "z": float(z), "fit": fit})
        table = pd.DataFrame(rows, columns=["target", "metric", "source", "step", "observed", "scale", "weight",
                                            "median", "low", "high", "z", "fit"])
        table.attrs["level"] = level
        return table


def open_posterior(path) -> PosteriorFile:
    """Open a posterior file of ``p3sim calibrate`` (same as ``PosteriorFile(path)``)."""
    return PosteriorFile(path)
