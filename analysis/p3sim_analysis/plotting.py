"""Shared figure conventions: the Agg backend, metric labels with units, colours, saving.

Every figure function of the package returns a matplotlib Figure; :func:`save_figure` writes it as
PNG (default) or SVG and :func:`figure_bytes` gives the encoded bytes the HTML report embeds.
"""
from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.layout_engine  # noqa: E402
import matplotlib.text  # noqa: E402
import matplotlib.ticker  # noqa: E402

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

#: Okabe and Ito's colour-blind-safe palette, for figures whose elements have fixed roles (the
#: calibration report: posterior blue, prior orange, observed vermillion).
OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "vermillion": "#D55E00", "sky_blue": "#56B4E9",
             "green": "#009E73", "yellow": "#F0E442", "purple": "#CC79A7", "black": "#000000"}
#: The order in which groups (variants, pitfall sets, ...) take the palette's colours; yellow, the
#: least visible on white, comes last.
PALETTE = tuple(OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black",
                                       "yellow"))
#: The colour of an estimate whose interval excludes 0 (the gallery) and of goal lines.
HIGHLIGHT = OKABE_ITO["vermillion"]
SECTOR_COLOURS = {"government": OKABE_ITO["blue"], "business": OKABE_ITO["orange"],
                  "civil_society": OKABE_ITO["green"]}
_EXTRA_COLOURS = (OKABE_ITO["purple"], OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"], OKABE_ITO["black"],
                  OKABE_ITO["yellow"])

# Page geometry (docs/report.md, "Figures on the page"). A figure is drawn for a column of
# COLUMN_PX CSS pixels at PX_PER_INCH CSS pixels per inch, so at most COLUMN_IN inches wide, and
# is saved at SAVE_DPI (sharper on high-density screens) then shown at its intended CSS width.
# Text of MIN_FONT_PT points then shows at MIN_FONT_PT * PX_PER_INCH / 72 CSS pixels: 11 pt is
# 15.3 px, at least the report's 15 px body text.
COLUMN_PX = 1100
PX_PER_INCH = 100
COLUMN_IN = COLUMN_PX / PX_PER_INCH
SAVE_DPI = 150
MIN_FONT_PT = 11.0

plt.rcParams.update({
    "font.size": 12, "axes.titlesize": 12, "axes.labelsize": 11.5, "xtick.labelsize": 11, "ytick.labelsize": 11,
    "legend.fontsize": 11, "legend.title_fontsize": 11, "figure.titlesize": 12.5,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
})


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
    first, space, rest = plural.partition(" ")  # "groups of 20 families" -> "group of 20 families"
    one = (first[:-1] if first.endswith("s") and not first.endswith("ss") else first) + space + rest
    unit = unit.format(outcome=plural, outcome_one=one)
    return f"{name} ({unit})" if unit else name


def sector_colour(sector: str, order: list) -> str:
    """A stable colour per sector: the three built-in sectors keep theirs, others cycle."""
    if sector in SECTOR_COLOURS:
        return SECTOR_COLOURS[sector]
    extra = [s for s in order if s not in SECTOR_COLOURS]
    return _EXTRA_COLOURS[extra.index(sector) % len(_EXTRA_COLOURS)] if sector in extra else "#333333"


def level_colours(levels) -> dict:
    """One colour of the Okabe-Ito palette per level, in order."""
    return {level: PALETTE[i % len(PALETTE)] for i, level in enumerate(levels)}


def new_figure(panels: int, rows: int = 1, width: float = 3.4, height: float = 3.0, squeeze=False, **kwargs):
    """A figure with ``rows`` x ``panels`` axes (always a 2-D array of axes), at most a column
    wide (:data:`COLUMN_IN`), laid out by matplotlib's constrained layout."""
    figsize = (min(COLUMN_IN, max(4.5, width * panels)), height * rows)
    fig, axes = plt.subplots(rows, panels, figsize=figsize, squeeze=squeeze, layout="constrained", **kwargs)
    return fig, axes


def wrap(text: str, width_in: float, fontsize: float = MIN_FONT_PT) -> str:
    """``text`` broken at spaces into lines that fit ``width_in`` inches at ``fontsize`` points
    (an average character taken as 0.62 em, a margin for wide letters)."""
    chars = max(8, int(width_in * 72 / (fontsize * 0.62)))
    return "\n".join(textwrap.wrap(str(text), chars, break_long_words=False)) or str(text)


def _unshown_tick_labels(fig) -> set:
    """The ids of tick labels outside their axis's view (the locator makes them; they are not drawn)."""
    unshown = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = 1e-9 * (abs(hi - lo) + 1.0)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not (ax.axison and ax.get_visible()) or not lo - slack <= tick.get_loc() <= hi + slack:
                    unshown.update((id(tick.label1), id(tick.label2)))
    return unshown


def _texts(fig):
    """The visible, non-empty text artists of ``fig`` that are drawn."""
    unshown = _unshown_tick_labels(fig)
    return [t for t in fig.findobj(matplotlib.text.Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in unshown]


def fit_to_column(fig):
    """Prepares ``fig`` for the page: no text below :data:`MIN_FONT_PT`, at most a column wide
    (narrowed, never scaled, so text keeps its size), and laid out again. Returns the figure."""
    for text in _texts(fig):
        if text.get_fontsize() < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)
    width, height = fig.get_size_inches()
    if width > COLUMN_IN + 1e-9:
        fig.set_size_inches(COLUMN_IN, height)
    engine = fig.get_layout_engine()
    if engine is None or not isinstance(engine, matplotlib.layout_engine.ConstrainedLayoutEngine):
        fig.tight_layout()
    thin_ticks(fig)
    drop_overhanging_ticks(fig)
    return fig


def drop_overhanging_ticks(fig):
    """Hides tick labels that stick out of the figure (the last tick of the rightmost panel, placed
    at the axis end): the other ticks still give the scale, and no half-cut number is shown."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for ax in fig.axes:
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            if not label.get_visible() or not label.get_text().strip():
                continue
            box = label.get_window_extent(renderer)
            if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or box.y1 > frame.y1 + 1:
                label.set_visible(False)


def _overlapping(axis, renderer, shown) -> bool:
    boxes = [t.get_window_extent(renderer) for t in axis.get_ticklabels() if id(t) in shown]
    return any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def thin_ticks(fig, rounds: int = 3):
    """Fewer ticks on every numeric axis whose tick labels run into each other (a narrow panel
    with long numbers), until they do not or ``rounds`` tries are spent."""
    for _ in range(rounds):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        shown = {id(t) for t in _texts(fig)}
        crowded = [(ax, axis) for ax in fig.axes if ax.axison and ax.get_visible() for axis in (ax.xaxis, ax.yaxis)
                   if isinstance(axis.get_major_formatter(), matplotlib.ticker.ScalarFormatter)
                   and _overlapping(axis, renderer, shown)]
        if not crowded:
            return
        for ax, axis in crowded:
            ticks = max(2, len([t for t in axis.get_ticklabels() if id(t) in shown]) - 1)
            axis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=max(1, ticks - 1), min_n_ticks=2))


def smallest_font(fig) -> float:
    """The smallest font size (points) of the visible text of ``fig``."""
    sizes = [t.get_fontsize() for t in _texts(fig)]
    return float(min(sizes)) if sizes else MIN_FONT_PT


def layout_problems(fig) -> list:
    """What a reader would stumble over in ``fig``, as sentences: text that sticks out of the
    figure, tick labels of one axis that run into each other, a legend that covers a panel.
    An empty list means the figure is clean. The figure is drawn to measure its text."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    problems = []
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or box.y1 > frame.y1 + 1:
            problems.append(f"text {text.get_text()!r} sticks out of the figure")
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            shown = {id(t) for t in _texts(fig)}
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in axis.get_ticklabels() if id(t) in shown]
            for (a, box_a), (b, box_b) in zip(boxes, boxes[1:]):
                if box_a.overlaps(box_b):
                    problems.append(f"tick labels {a!r} and {b!r} overlap")
        if ax.get_legend() is not None and ax.axison:  # a legend panel (axis off) holds nothing else
            problems.append(f"a legend sits inside a panel ({ax.get_title() or 'untitled'})")
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if ax.get_visible() and ax.axison and box.overlaps(ax.get_window_extent(renderer)):
                problems.append("a figure legend covers a panel")
    return problems


def save_figure(fig, path, fmt: str | None = None) -> str:
    """Write ``fig`` to ``path`` as PNG or SVG (from ``fmt`` or the file extension), close it and
    return the path."""
    fmt = (fmt or str(path).rsplit(".", 1)[-1]).lower()
    if fmt not in ("png", "svg"):
        raise ValueError(f"figure format must be png or svg, got {fmt!r}")
    fit_to_column(fig)
    fig.savefig(path, format=fmt, dpi=SAVE_DPI)
    plt.close(fig)
    return str(path)


def figure_bytes(fig, fmt: str = "png") -> bytes:
    """The figure encoded as PNG or SVG bytes; the figure is closed."""
    buffer = io.BytesIO()
    fit_to_column(fig)
    fig.savefig(buffer, format=fmt, dpi=SAVE_DPI)
    plt.close(fig)
    return buffer.getvalue()
