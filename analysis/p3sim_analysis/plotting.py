"""Shared figure conventions: the Agg backend, metric labels with units, colours, saving.

Every figure function of the package returns a matplotlib Figure; :func:`save_figure` writes it as
PNG (default) or SVG and :func:`figure_bytes` gives the encoded bytes the HTML report embeds.
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

#: metric -> (readable name, unit). ``{outcome}`` is replaced by the outcome's unit label.
METRIC_LABELS = {
    "goal_reached": ("goal reached", "share of runs"),
    "time_to_goal": ("time to goal", "steps"),
    "outcome": ("outcome", "{outcome}"),
    "adopters": ("adopters", "{outcome}"),
    "relapsed": ("relapsed", "{outcome}"),
    "replanted_voluntary": ("replanted after voluntary adoption", "{outcome}, cumulative"),
    "replanted_forced": ("replanted after forced adoption", "{outcome}, cumulative"),
    "zero_effort": ("members giving nothing", "share of members"),
    "punishment": ("peer punishment", "points per step"),
    "retention": ("retention", "fraction of peak members"),
    "cost_total": ("total cost", "capability units"),
    "cost_per_outcome": ("cost per outcome", "capability units per {outcome_one}"),
    "mean_trust": ("mean trust", "0-1"),
    "cross_trust": ("cross-sector trust", "0-1"),
    "trust": ("mean trust", "0-1"),
    "equity": ("equity (1 - Gini)", "0-1"),
    "acceptability": ("acceptability", "mean alignment, 0-1"),
    "acceptability_sd": ("acceptability sd", "0-1"),
    "members": ("members", "organizations"),
    "effort": ("mean effort", "0-1"),
    "agenda_spread": ("agenda spread", "distance, 0-1"),
    "friction": ("friction", "0-1"),
    "misunderstandings": ("misunderstandings", "per step"),
    "overhead": ("overhead", "capability units per step"),
    "cumulative_cost": ("cumulative cost", "capability units"),
}
for _cause in ("hierarchy", "misalignment", "distrust", "no_results", "credit", "shock"):
    METRIC_LABELS["exits_" + _cause] = (f"exits ({_cause.replace('_', ' ')})", "organizations")

#: The final metrics the comparison and gallery figures show by default.
KEY_METRICS = ("goal_reached", "time_to_goal", "outcome", "retention", "mean_trust", "acceptability", "cost_per_outcome")

SECTOR_COLOURS = {"government": "#1f77b4", "business": "#ff7f0e", "civil_society": "#2ca02c"}
_EXTRA_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
#: Okabe and Ito's colour-blind-safe palette, for figures whose elements have fixed roles (the
#: calibration report: posterior blue, prior orange, observed vermillion).
OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "vermillion": "#D55E00", "sky_blue": "#56B4E9",
             "green": "#009E73", "yellow": "#F0E442", "purple": "#CC79A7", "black": "#000000"}


def outcome_unit(scenario: dict) -> str:
    """The unit of the outcome: the population's unit label when the goal counts adopters, else
    ``output units``."""
    population = scenario.get("population") or {}
    if population.get("units"):
        return str(population.get("unit_label") or "units")
    return "output units"


def metric_label(metric: str, scenario: dict | None = None) -> str:
    """An axis label with unit, e.g. ``retention (fraction of peak members)``."""
    name, unit = METRIC_LABELS.get(metric, (metric.replace("_", " "), ""))
    plural = outcome_unit(scenario or {})
    one = plural[:-1] if plural.endswith("s") else plural
    unit = unit.format(outcome=plural, outcome_one=one)
    return f"{name} ({unit})" if unit else name


def sector_colour(sector: str, order: list) -> str:
    """A stable colour per sector: the three built-in sectors keep theirs, others cycle."""
    if sector in SECTOR_COLOURS:
        return SECTOR_COLOURS[sector]
    extra = [s for s in order if s not in SECTOR_COLOURS]
    return _EXTRA_COLOURS[extra.index(sector) % len(_EXTRA_COLOURS)] if sector in extra else "#333333"


def level_colours(levels) -> dict:
    """One colour of matplotlib's default cycle per level, in order."""
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return {level: cycle[i % len(cycle)] for i, level in enumerate(levels)}


def new_figure(panels: int, rows: int = 1, width: float = 3.4, height: float = 3.0, squeeze=False):
    """A figure with ``rows`` x ``panels`` axes (always a 2-D array of axes)."""
    fig, axes = plt.subplots(rows, panels, figsize=(max(4.5, width * panels), height * rows), squeeze=squeeze)
    return fig, axes


def save_figure(fig, path, fmt: str | None = None) -> str:
    """Write ``fig`` to ``path`` as PNG or SVG (from ``fmt`` or the file extension), close it and
    return the path."""
    fmt = (fmt or str(path).rsplit(".", 1)[-1]).lower()
    if fmt not in ("png", "svg"):
        raise ValueError(f"figure format must be png or svg, got {fmt!r}")
    fig.savefig(path, format=fmt, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return str(path)


def figure_bytes(fig, fmt: str = "png") -> bytes:
    """The figure encoded as PNG or SVG bytes; the figure is closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
