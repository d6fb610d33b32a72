"""PRIM scenario discovery: boxes in parameter space where a condition of interest (the goal is
missed, say) is concentrated (Friedman and Fisher 1999; Bryant and Lempert 2010).

Given inputs x (one row per run) and a 0/1 outcome y ("case of interest"), a box is a set of
intervals, one per input. Its

* **coverage** = cases in the box / all cases (how much of the problem it explains),
* **density**  = cases in the box / runs in the box (how pure it is),
* **mass**     = runs in the box / all runs (how much of the sampled space it takes).

**Peeling** starts from the box holding every run and, step by step, removes a slice of ``alpha``
of the box's runs from the low or high end of one input, choosing the slice whose removal leaves the
highest density, until the mass would fall below ``min_mass``. The sequence of boxes is the
**peeling trajectory**: density rises as coverage falls. **Pasting** then grows the chosen box
again, a slice at a time, as long as that raises its density (peeling is greedy and may cut too
much). :func:`prim_covering` repeats the search on the runs outside the boxes found so far.

The box chosen by default is the step of the trajectory with the highest harmonic mean of coverage
and density (``2 c d / (c + d)``), a box that is both fairly pure and fairly complete; pass
``choose`` to take another step after looking at the trajectory. Categorical inputs
are treated as ordered codes, so a box can only select a contiguous run of levels.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .plotting import new_figure


@dataclass
class PrimResult:
    """One PRIM search.

    Attributes:
        trajectory: one row per peeling step: coverage, density, mass, n (runs in the box),
            restricted (number of restricted inputs); ``boxes`` holds the limits of each step.
        boxes: per trajectory step, a DataFrame with index = input name and columns low, high.
        chosen: the trajectory step selected.
        box: the limits of the final box (after pasting): low, high, restricted (bool).
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


def _stats(inside: np.ndarray, y: np.ndarray) -> tuple:
    n_in = int(inside.sum())
    cases = float(y.sum())
    hits = float(y[inside].sum())
    coverage = hits / cases if cases else float("nan")
    density = hits / n_in if n_in else float("nan")
    return coverage, density, n_in / len(y), n_in


def _inside(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.all((x >= low) & (x <= high), axis=1)


def _peel(x, y, low, high, alpha, min_count):
    """The best single peel of the box [low, high]: (low, high) after it, or None."""
    inside = _inside(x, low, high)
    best, best_key = None, None
    for j in range(x.shape[1]):
        values = x[inside, j]
        for side in ("low", "high"):
            cut = np.quantile(values, alpha if side == "low" else 1 - alpha, method="linear")
            keep = values > cut if side == "low" else values < cut
            if keep.all():  # ties at the edge: peel the whole edge value instead
                keep = values > values.min() if side == "low" else values < values.max()
            if keep.sum() < min_count or keep.all():
                continue
            density = y[inside][keep].mean()
            key = (density, keep.sum())
            if best_key is None or key > best_key:
                new_low, new_high = low.copy(), high.copy()
                if side == "low":
                    new_low[j] = values[keep].min()
                else:
                    new_high[j] = values[keep].max()
                best, best_key = (new_low, new_high), key
    return best


def _paste(x, y, low, high, alpha):
    """Grow [low, high] while that raises the density (or keeps it and adds cases): each round tries,
    on every side of every input, slices of about ``alpha`` of the box's runs, halved down to a
    single run, and takes the best."""
    while True:
        inside = _inside(x, low, high)
        best_key = (y[inside].mean(), y[inside].sum())
        best = None
        largest = max(1, int(round(alpha * inside.sum())))
        sizes = sorted({max(1, largest >> h) for h in range(largest.bit_length() + 1)}, reverse=True)
        for j in range(x.shape[1]):
            others = np.ones(len(y), dtype=bool)
            for m in range(x.shape[1]):
                if m != j:
                    others &= (x[:, m] >= low[m]) & (x[:, m] <= high[m])
            for side in ("low", "high"):
                outside = np.sort(x[others & ((x[:, j] < low[j]) if side == "low" else (x[:, j] > high[j])), j])
                for size in sizes:
                    if size > len(outside):
                        continue
                    new_low, new_high = low.copy(), high.copy()
                    if side == "low":
                        new_low[j] = outside[-size]
                    else:
                        new_high[j] = outside[size - 1]
                    grown = y[_inside(x, new_low, new_high)]
                    key = (grown.mean(), grown.sum())
                    if key > best_key:
                        best, best_key = (new_low, new_high), key
        if best is None:
            return low, high
        low, high = best


def prim(x: pd.DataFrame, y, alpha: float = 0.05, min_mass: float = 0.05, paste: bool = True,
         choose: int | None = None) -> PrimResult:
    """Find one box where ``y`` is concentrated.

    Args:
        x: inputs, one numeric column per parameter (categorical ones as codes).
        y: 0/1 (or boolean) outcome per row; 1 marks a case of interest.
        alpha: share of the box's runs removed per peel (0.05 is usual; larger is coarser).
        min_mass: stop peeling before the box holds less than this share of all runs.
        paste: grow the chosen box by pasting afterwards.
        choose: a trajectory step to use instead of the default choice.
    Raises:
        ValueError: empty data, non-finite inputs, or no case of interest.
    """
    names = list(x.columns)
    data = x.to_numpy(dtype=float)
    y = np.asarray(y, dtype=float)
    if len(y) == 0 or len(y) != len(data):
        raise ValueError(f"need matching, non-empty x and y; got {len(data)} and {len(y)} rows")
    if not np.all(np.isfinite(data)):
        raise ValueError("x has non-finite values; drop those runs first")
    if y.sum() == 0:
        raise ValueError("no case of interest (y is never 1): nothing to find")
    data_low, data_high = data.min(axis=0), data.max(axis=0)
    low, high = data_low.copy(), data_high.copy()
    min_count = max(1, int(np.ceil(min_mass * len(y))))
    steps = []
    while True:
        coverage, density, mass, n_in = _stats(_inside(data, low, high), y)
        restricted = int(np.sum((low > data_low) | (high < data_high)))
        steps.append(((coverage, density, mass, n_in, restricted), low.copy(), high.copy()))
        if density >= 1.0:
            break
        peeled = _peel(data, y, low, high, alpha, min_count)
        if peeled is None:
            break
        low, high = peeled
    trajectory = pd.DataFrame([s[0] for s in steps], columns=["coverage", "density", "mass", "n", "restricted"])
    trajectory.index.name = "step"
    boxes = [pd.DataFrame({"low": lo, "high": hi}, index=names) for _, lo, hi in steps]
    if choose is None:
        # Harmonic mean of coverage and density: high only when the box is both pure and complete.
        score = 2 * trajectory["coverage"] * trajectory["density"] / (trajectory["coverage"] + trajectory["density"])
        choose = int(score.idxmax())
    low, high = steps[choose][1].copy(), steps[choose][2].copy()
    if paste:
        low, high = _paste(data, y, low, high, alpha)
    inside = _inside(data, low, high)
    coverage, density, mass, _ = _stats(inside, y)
    box = pd.DataFrame({"low": low, "high": high,
                        "restricted": (low > data_low) | (high < data_high)}, index=names)
    return PrimResult(trajectory, boxes, choose, box, coverage, density, mass, inside)


def prim_covering(x: pd.DataFrame, y, max_boxes: int = 2, **options) -> list:
    """Up to ``max_boxes`` boxes, each searched on the runs outside the boxes before it. Coverage
    and density of each are on the whole data. Stops early when no case of interest is left or a
    box would be as dense as the remaining data (it explains nothing)."""
    y = np.asarray(y, dtype=float)
    remaining = np.ones(len(y), dtype=bool)
    total_cases = y.sum()
    results = []
    for _ in range(max_boxes):
        if y[remaining].sum() == 0:
            break
        result = prim(x[remaining], y[remaining], **options)
        if result.density <= y[remaining].mean():
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
    step circled. Right: the restricted limits of the final box on each input's sampled range."""
    fig, axes = new_figure(2, width=4.6, height=3.8)
    ax = axes[0, 0]
    t = result.trajectory
    points = ax.scatter(t["coverage"], t["density"], c=t["restricted"], cmap="viridis", s=18)
    chosen = t.loc[result.chosen]
    ax.scatter([chosen["coverage"]], [chosen["density"]], s=120, facecolors="none", edgecolors="red",
               label=f"chosen step {result.chosen}")
    ax.set_xlabel("coverage (share of cases in the box)")
    ax.set_ylabel("density (share of box runs that are cases)")
    ax.set_title(title)
    ax.legend(fontsize="small")
    fig.colorbar(points, ax=ax, label="restricted inputs")
    ax.grid(alpha=0.3)
    ax = axes[0, 1]
    full = result.boxes[0]
    limits = result.restricted()
    span = (full["high"] - full["low"]).replace(0, 1.0)
    for i, (name, row) in enumerate(limits.iterrows()):
        lo = (row["low"] - full.loc[name, "low"]) / span[name]
        hi = (row["high"] - full.loc[name, "low"]) / span[name]
        ax.plot([0, 1], [i, i], color="0.8", linewidth=6, solid_capstyle="butt")
        ax.plot([lo, hi], [i, i], color="#c0392b", linewidth=6, solid_capstyle="butt")
        ax.annotate(f"{row['low']:.3g} .. {row['high']:.3g}", ((lo + hi) / 2, i + 0.25), ha="center", fontsize=8)
    ax.set_yticks(range(len(limits)), list(limits.index))
    ax.set_ylim(-0.7, max(len(limits), 1) - 0.3)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("position in the sampled range (0 = min, 1 = max)")
    ax.set_title(f"box: coverage {result.coverage:.2f}, density {result.density:.2f}")
    fig.tight_layout()
    return fig
