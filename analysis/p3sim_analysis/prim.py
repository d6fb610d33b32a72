"""PRIM scenario discovery: boxes in parameter space where a condition of interest (the goal is
missed, say) is concentrated (Friedman and Fisher 1999; Bryant and Lempert 2010), with categorical
inputs handled as sets of levels the way Kwakkel's EMA Workbench does it.

Given inputs x (one row per run) and a 0/1 outcome y ("case of interest"), a box restricts each
input: a numeric input to an interval ``low .. high``, a categorical input (a governance mode, a
pitfall set, a pitfall flag) to a **set of levels** (``governance.mode in {hierarchy, isolated}``),
any subset, not only a contiguous run of codes. Its

* **coverage** = cases in the box / all cases (how much of the problem it explains),
* **density**  = cases in the box / runs in the box (how pure it is),
* **mass**     = runs in the box / all runs (how much of the sampled space it takes).

**Peeling** starts from the box holding every run and, step by step, removes one slice of it: for a
numeric input the ``alpha`` share of the box's runs at its low or its high end (by quantile), for a
categorical input all runs of one of the levels still in the box. Among all candidate slices it
takes the one with the largest gain in density per unit of mass removed,
``(density_after - density_before) / (mass_before - mass_after)`` (Friedman and Fisher's peeling
criterion, also EMA Workbench's; it makes a peel of one large level comparable with a 5% numeric
peel), until the mass would fall below ``min_mass`` or the box is pure. The sequence of boxes is
the **peeling trajectory**: density rises as coverage falls. **Pasting** then grows the chosen box
again, a numeric slice or one categorical level at a time, as long as that raises its density
(peeling is greedy and may cut too much). :func:`prim_covering` repeats the search on the runs
outside the boxes found so far.

Which inputs are categorical: pandas ``category``, object/string and bool columns, plus any column
named in ``categorical=`` (e.g. integer codes); their levels are the categories' order (or the
sorted distinct values) restricted to those that occur in the data; a missing value is a level of
its own, ``(none)``.

The box chosen by default is the step of the trajectory with the highest harmonic mean of coverage
and density (``2 c d / (c + d)``), a box that is both fairly pure and fairly complete; pass
``choose`` to take another step after looking at the trajectory.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .plotting import COLUMN_IN, HIGHLIGHT, new_figure, wrap

MISSING_LEVEL = "(none)"


@dataclass
class PrimResult:
    """One PRIM search.

    Attributes:
        trajectory: one row per peeling step: coverage, density, mass, n (runs in the box),
            restricted (number of restricted inputs); ``boxes`` holds the limits of each step.
        boxes: per trajectory step, a DataFrame like ``box`` (index = input name).
        chosen: the trajectory step selected.
        box: the limits of the final box (after pasting), index = input name, columns: kind
            (``numeric`` or ``categorical``), low, high (NaN for a categorical input), levels (the
            tuple of levels in the box; None for a numeric input), all_levels (the levels in the
            data), restricted (bool) and limits (readable: ``0.2 .. 0.6`` or ``in {a, b}``).
        coverage, density, mass: of the final box, on the data the search saw.
        inside: boolean mask of the runs in the final box.
    """

    trajectory: pd.DataFrame
    boxes: list
    chosen: int
    box: pd.DataFrame
    coverage: float
    density: float
    mass: float
    inside: np.ndarray = field(repr=False)

    def restricted(self) -> pd.DataFrame:
        """The limits of the inputs the final box actually restricts."""
        return self.box[self.box["restricted"]]

    def describe(self) -> str:
        """The box in words, e.g. ``governance.mode in {hierarchy, isolated} and x 0 .. 0.3``
        (``all runs`` when nothing is restricted)."""
        limits = self.restricted()
        return " and ".join(f"{name} {row['limits']}" for name, row in limits.iterrows()) or "all runs"

    def table(self) -> pd.DataFrame:
        """The restricted inputs as a table: parameter, kind, limits, low, high."""
        return self.restricted().reset_index(names="parameter")[["parameter", "kind", "limits", "low", "high"]]


@dataclass
class _Inputs:
    """The inputs as the search sees them: a float matrix (categorical columns as level indices),
    which columns are categorical, and the level names of each categorical column."""

    names: list
    data: np.ndarray
    categorical: np.ndarray
    levels: list  # per column: list of level names, or None for a numeric column


def _prepare(x: pd.DataFrame, categorical) -> _Inputs:
    names = list(x.columns)
    extra = set(categorical or ())
    unknown = extra - set(names)
    if unknown:
        raise ValueError(f"categorical names columns x does not have: {', '.join(sorted(map(str, unknown)))}")
    data = np.empty((len(x), len(names)))
    is_cat = np.zeros(len(names), dtype=bool)
    levels = []
    for j, name in enumerate(names):
        column = x[name]
        dtype = column.dtype
        if (name in extra or isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype)
                or pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            is_cat[j] = True
            if isinstance(dtype, pd.CategoricalDtype):
                order = list(dtype.categories)
            else:
                present = column.dropna().unique()
                try:
                    order = sorted(present)
                except TypeError:
                    order = sorted(present, key=str)
            labels = [str(v) for v in order]
            codes = pd.Categorical(column, categories=order).codes.astype(int)
            if (codes < 0).any():  # missing values: a level of their own, last
                labels.append(MISSING_LEVEL)
                codes = np.where(codes < 0, len(labels) - 1, codes)
            used = np.unique(codes)  # keep only the levels that occur, in their order
            remap = np.full(len(labels), -1)
            remap[used] = np.arange(len(used))
            data[:, j] = remap[codes]
            levels.append([labels[u] for u in used])
        else:
            values = column.to_numpy(dtype=float)
            if not np.all(np.isfinite(values)):
                raise ValueError(f"x[{name!r}] has non-finite values; drop those runs first")
            data[:, j] = values
            levels.append(None)
    return _Inputs(names, data, is_cat, levels)


class _Box:
    """Limits of a box: low/high per numeric column, a boolean level mask per categorical one."""

    def __init__(self, low, high, allowed):
        self.low, self.high, self.allowed = low, high, allowed

    @classmethod
    def full(cls, inputs: _Inputs):
        data = inputs.data
        low, high = data.min(axis=0), data.max(axis=0)
        allowed = [np.ones(len(lv), dtype=bool) if lv is not None else None for lv in inputs.levels]
        return cls(low, high, allowed)

    def copy(self):
        return _Box(self.low.copy(), self.high.copy(), [a.copy() if a is not None else None for a in self.allowed])

    def column_mask(self, data: np.ndarray, j: int) -> np.ndarray:
        if self.allowed[j] is not None:
            return self.allowed[j][data[:, j].astype(int)]
        return (data[:, j] >= self.low[j]) & (data[:, j] <= self.high[j])

    def masks(self, data: np.ndarray) -> np.ndarray:
        return np.column_stack([self.column_mask(data, j) for j in range(data.shape[1])])

    def inside(self, data: np.ndarray) -> np.ndarray:
        return self.masks(data).all(axis=1)

    def restricted(self, full: "_Box") -> np.ndarray:
        return np.array([(not a.all()) if a is not None else bool(self.low[j] > full.low[j] or self.high[j] < full.high[j])
                         for j, a in enumerate(self.allowed)], dtype=bool)

    def frame(self, inputs: _Inputs, full: "_Box") -> pd.DataFrame:
        rows = []
        restricted = self.restricted(full)
        for j, name in enumerate(inputs.names):
            if self.allowed[j] is not None:
                chosen = tuple(lv for lv, keep in zip(inputs.levels[j], self.allowed[j]) if keep)
                rows.append({"kind": "categorical", "low": np.nan, "high": np.nan, "levels": chosen,
                             "all_levels": tuple(inputs.levels[j]), "restricted": bool(restricted[j]),
                             "limits": "in {" + ", ".join(chosen) + "}"})
            else:
                rows.append({"kind": "numeric", "low": float(self.low[j]), "high": float(self.high[j]),
                             "levels": None, "all_levels": None, "restricted": bool(restricted[j]),
                             "limits": f"{self.low[j]:.4g} .. {self.high[j]:.4g}"})
        return pd.DataFrame(rows, index=pd.Index(inputs.names))


def _stats(inside: np.ndarray, y: np.ndarray) -> tuple:
    n_in = int(inside.sum())
    cases = float(y.sum())
    hits = float(y[inside].sum())
    coverage = hits / cases if cases else float("nan")
    density = hits / n_in if n_in else float("nan")
    return coverage, density, n_in / len(y), n_in


def _peel(inputs: _Inputs, y, box: _Box, alpha, min_count):
    """The best single peel of ``box``: the box after it, or None when no peel keeps min_count runs.
    Best = largest density gain per run removed; ties go to the peel that removes less."""
    data = inputs.data
    inside = box.inside(data)
    n_in = int(inside.sum())
    y_in = y[inside]
    density = y_in.mean()
    best, best_key = None, None

    def consider(keep, make):
        nonlocal best, best_key
        kept = int(keep.sum())
        if kept < min_count or kept == n_in:
            return
        key = ((y_in[keep].mean() - density) / (n_in - kept), kept)
        if best_key is None or key > best_key:
            best, best_key = make(), key

    for j in range(data.shape[1]):
        values = data[inside, j]
        if inputs.categorical[j]:
            codes = values.astype(int)
            present = [lv for lv in np.unique(codes) if box.allowed[j][lv]]
            if len(present) < 2:
                continue
            for level in present:
                def make(j=j, level=level):
                    new = box.copy()
                    new.allowed[j][level] = False
                    return new
                consider(codes != level, make)
            continue
        for side in ("low", "high"):
            cut = np.quantile(values, alpha if side == "low" else 1 - alpha, method="linear")
            keep = values > cut if side == "low" else values < cut
            if keep.all():  # ties at the edge: peel the whole edge value instead
                keep = values > values.min() if side == "low" else values < values.max()
            if not keep.any():
                continue

            def make(j=j, side=side, keep=keep, values=values):
                new = box.copy()
                if side == "low":
                    new.low[j] = values[keep].min()
                else:
                    new.high[j] = values[keep].max()
                return new
            consider(keep, make)
    return best


def _paste(inputs: _Inputs, y, box: _Box, alpha):
    """Grow ``box`` while that raises the density (or keeps it and adds cases): each round tries,
    on every side of every numeric input, slices of about ``alpha`` of the box's runs, halved down
    to a single run, and every level a categorical input has left out; it takes the best."""
    data = inputs.data
    while True:
        masks = box.masks(data)
        inside = masks.all(axis=1)
        best_key = (y[inside].mean(), y[inside].sum())
        best = None
        largest = max(1, int(round(alpha * inside.sum())))
        sizes = sorted({max(1, largest >> h) for h in range(largest.bit_length() + 1)}, reverse=True)
        for j in range(data.shape[1]):
            others = np.delete(masks, j, axis=1).all(axis=1)
            candidates = []
            if inputs.categorical[j]:
                for level in np.flatnonzero(~box.allowed[j]):
                    new = box.copy()
                    new.allowed[j][level] = True
                    candidates.append(new)
            else:
                for side in ("low", "high"):
                    beyond = (data[:, j] < box.low[j]) if side == "low" else (data[:, j] > box.high[j])
                    outside = np.sort(data[others & beyond, j])
                    for size in sizes:
                        if size > len(outside):
                            continue
                        new = box.copy()
                        if side == "low":
                            new.low[j] = outside[-size]
                        else:
                            new.high[j] = outside[size - 1]
                        candidates.append(new)
            for new in candidates:
                grown = y[others & new.column_mask(data, j)]
                key = (grown.mean(), grown.sum())
                if key > best_key:
                    best, best_key = new, key
        if best is None:
            return box
        box = best


def prim(x: pd.DataFrame, y, alpha: float = 0.05, min_mass: float = 0.05, paste: bool = True,
         choose: int | None = None, categorical=None) -> PrimResult:
    """Find one box where ``y`` is concentrated.

    Args:
        x: inputs, one column per parameter: numbers, or levels (a pandas categorical, strings,
            booleans) for a categorical parameter.
        y: 0/1 (or boolean) outcome per row; 1 marks a case of interest.
        alpha: share of the box's runs removed per numeric peel (0.05 is usual; larger is coarser).
        min_mass: stop peeling before the box holds less than this share of all runs.
        paste: grow the chosen box by pasting afterwards.
        choose: a trajectory step to use instead of the default choice.
        categorical: names of further columns to treat as categorical (e.g. integer codes).
    Raises:
        ValueError: empty data, non-finite numeric inputs, or no case of interest.
    """
    y = np.asarray(y, dtype=float)
    if len(y) == 0 or len(y) != len(x):
        raise ValueError(f"need matching, non-empty x and y; got {len(x)} and {len(y)} rows")
    inputs = _prepare(x, categorical)
    if y.sum() == 0:
        raise ValueError("no case of interest (y is never 1): nothing to find")
    full = _Box.full(inputs)
    box = full.copy()
    min_count = max(1, int(np.ceil(min_mass * len(y))))
    steps = []
    while True:
        coverage, density, mass, n_in = _stats(box.inside(inputs.data), y)
        steps.append(((coverage, density, mass, n_in, int(box.restricted(full).sum())), box))
        if density >= 1.0:
            break
        peeled = _peel(inputs, y, box, alpha, min_count)
        if peeled is None:
            break
        box = peeled
    trajectory = pd.DataFrame([s[0] for s in steps], columns=["coverage", "density", "mass", "n", "restricted"])
    trajectory.index.name = "step"
    boxes = [b.frame(inputs, full) for _, b in steps]
    if choose is None:
        # Harmonic mean of coverage and density: high only when the box is both pure and complete.
        score = 2 * trajectory["coverage"] * trajectory["density"] / (trajectory["coverage"] + trajectory["density"])
        choose = int(score.idxmax())
    box = steps[choose][1].copy()
    if paste:
        box = _paste(inputs, y, box, alpha)
    inside = box.inside(inputs.data)
    coverage, density, mass, _ = _stats(inside, y)
    return PrimResult(trajectory, boxes, choose, box.frame(inputs, full), coverage, density, mass, inside)


def trajectory_table(result: PrimResult) -> pd.DataFrame:
    """The peeling trajectory with what each step changed: step, coverage, density, mass, n and
    ``peeled`` (e.g. ``governance.mode: removed network`` or ``x: high 0.9 -> 0.85``); the chosen
    step is marked in ``chosen``."""
    changes = [""]
    for before, after in zip(result.boxes, result.boxes[1:]):
        parts = []
        for name in after.index:
            b, a = before.loc[name], after.loc[name]
            if a["kind"] == "categorical":
                gone = [lv for lv in b["levels"] if lv not in a["levels"]]
                if gone:
                    parts.append(f"{name}: removed {', '.join(gone)}")
            else:
                for side in ("low", "high"):
                    if a[side] != b[side]:
                        parts.append(f"{name}: {side} {b[side]:.4g} -> {a[side]:.4g}")
        changes.append("; ".join(parts))
    table = result.trajectory.reset_index()
    table["peeled"] = changes
    table["chosen"] = np.where(table["step"] == result.chosen, "chosen", "")
    return table


def prim_covering(x: pd.DataFrame, y, max_boxes: int = 2, min_density: float | None = None, **options) -> list:
    """Up to ``max_boxes`` boxes, each searched on the runs outside the boxes before it. Coverage
    and density of each are on the whole data. Stops early when no case of interest is left or a
    box would be as dense as the remaining data (it explains nothing) or, if given, less dense
    than ``min_density`` (EMA Workbench's density threshold). ``options`` go to :func:`prim`."""
    y = np.asarray(y, dtype=float)
    remaining = np.ones(len(y), dtype=bool)
    total_cases = y.sum()
    results = []
    for _ in range(max_boxes):
        if y[remaining].sum() == 0:
            break
        result = prim(x[remaining], y[remaining], **options)
        if result.density <= y[remaining].mean() or (min_density is not None and result.density < min_density):
            break
        inside = np.zeros(len(y), dtype=bool)
        inside[np.flatnonzero(remaining)[result.inside]] = True
        result.inside = inside
        result.coverage = float(y[inside].sum() / total_cases)
        result.mass = float(inside.mean())
        results.append(result)
        remaining &= ~inside
    return results


def prim_figure(result: PrimResult, title: str = "PRIM peeling trajectory"):
    """Left: the peeling trajectory (coverage against density, colour = restricted inputs), chosen
    step circled. Right: the restricted limits of the final box: a numeric input's interval on its
    sampled range, a categorical input's levels as cells (red = in the box)."""
    limits = result.restricted()
    fig, axes = new_figure(2, width=COLUMN_IN / 2, height=max(4.2, 0.7 * len(limits) + 2.0),
                           gridspec_kw={"width_ratios": [1, 1.25]})
    ax = axes[0, 0]
    t = result.trajectory
    points = ax.scatter(t["coverage"], t["density"], c=t["restricted"], cmap="viridis", s=18)
    chosen = t.loc[result.chosen]
    ax.scatter([chosen["coverage"]], [chosen["density"]], s=160, facecolors="none", edgecolors=HIGHLIGHT,
               linewidths=2)
    ax.set_xlabel(wrap("coverage (share of the misses in the box)", 3.8))
    ax.set_ylabel(wrap("density (share of the box's runs that miss)", 3.2))
    ax.set_title(wrap(f"{title} (circled: chosen step {result.chosen})", 4.2))
    fig.colorbar(points, ax=ax, label="restricted inputs")
    ax.grid(alpha=0.3)
    ax = axes[0, 1]
    full = result.boxes[0]
    for i, (name, row) in enumerate(limits.iterrows()):
        if row["kind"] == "categorical":
            levels, kept = row["all_levels"], set(row["levels"])
            width = 1.0 / len(levels)
            for k, level in enumerate(levels):
                ax.plot([k * width + 0.004, (k + 1) * width - 0.004], [i, i], linewidth=6, solid_capstyle="butt",
                        color=HIGHLIGHT if level in kept else "0.8")
            text = row["limits"] if len(row["limits"]) <= 60 else f"{len(kept)} of {len(levels)} levels"
            ax.annotate(wrap(text, 2.8), (0.5, i + 0.12), ha="center", va="bottom")
            continue
        span = (full.loc[name, "high"] - full.loc[name, "low"]) or 1.0
        lo = (row["low"] - full.loc[name, "low"]) / span
        hi = (row["high"] - full.loc[name, "low"]) / span
        ax.plot([0, 1], [i, i], color="0.8", linewidth=6, solid_capstyle="butt")
        ax.plot([lo, hi], [i, i], color=HIGHLIGHT, linewidth=6, solid_capstyle="butt")
        ax.annotate(f"{row['low']:.3g} .. {row['high']:.3g}", (0.5, i + 0.12), ha="center", va="bottom")
    ax.set_yticks(range(len(limits)), [wrap(name, 1.8) for name in limits.index])
    ax.set_ylim(-0.7, max(len(limits), 1) - 0.1)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel(wrap("position in the sampled range (0 = min, 1 = max), or the levels in order", 2.8))
    ax.set_title(wrap(f"the box (vermillion): coverage {result.coverage:.2f}, density {result.density:.2f}", 5.0))
    return fig
