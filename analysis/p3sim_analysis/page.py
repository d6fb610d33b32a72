"""The parts of a report page: headings with a table of contents, paragraphs, tables that fold
when long and can be downloaded as CSV, and figures sized for the column.

Every report (the result report, the calibration report) is one self-contained HTML file: styles
inline, images as base64 ``data:`` URIs, each table's CSV as a ``data:`` link, nothing fetched.

**Figures on the page.** A figure is drawn at most :data:`~.plotting.COLUMN_IN` inches wide and
saved at :data:`~.plotting.SAVE_DPI`; the ``<img>`` gets the CSS width the figure is meant to show
at (:data:`~.plotting.PX_PER_INCH` CSS pixels per inch, never wider than the column) and
``max-width: 100%``, so its text (at least :data:`~.plotting.MIN_FONT_PT` points) shows at least as
large as the body text at 100% zoom. Each image carries ``data-width-in`` (the figure's width in
inches) and ``data-font-pt`` (its smallest text) so that a test can measure the displayed size.
"""
from __future__ import annotations

import base64
import html
import re
import urllib.parse

import pandas as pd

from .plotting import PX_PER_INCH, SAVE_DPI, figure_bytes, fit_to_column, smallest_font

#: Tables longer than this are folded behind a "details" element.
FOLD_ROWS = 12
BODY_PX = 15

STYLE = f"""body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:{BODY_PX}px;
max-width:1100px;margin:1.2em auto;padding:0 1em;color:#1d1d1d;line-height:1.5}}
h1{{font-size:1.6em;margin:0.2em 0 0.3em}}h2{{font-size:1.3em;margin-top:1.8em;border-bottom:1px solid #ddd}}
h3{{font-size:1.1em}}
table{{border-collapse:collapse;margin:0.4em 0 0.3em;font-size:0.93em}}
td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top}}th{{background:#f0f0f0}}
td:first-child,th:first-child{{text-align:left}}td.text,th.text{{text-align:left}}
img{{max-width:100%;height:auto;display:block;margin:0.5em 0}}
.note{{background:#fff7e0;border-left:4px solid #E69F00;padding:0.5em 1em}}
.limit{{background:#eef4fb;border-left:4px solid #0072B2;padding:0.5em 1em}}
.brief{{background:#f4f8f4;border-left:4px solid #009E73;padding:0.3em 1em 0.5em;margin:0.6em 0}}
.brief p.headline{{font-size:1.12em;font-weight:600;margin:0.4em 0}}
.pair{{display:flex;gap:1.5em;flex-wrap:wrap}}.pair>div{{flex:1 1 30em;min-width:0}}
nav.toc{{font-size:0.95em}}nav.toc ol{{margin:0.2em 0;padding-left:1.6em}}
details{{margin:0.3em 0 1em}}summary{{cursor:pointer;color:#0b4f8a}}
a.csv{{font-size:0.88em}}code{{background:#f4f4f4}}
.changed{{background:#fff2cc}}"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


def csv_link(frame: pd.DataFrame, name: str) -> str:
    """A link that downloads ``frame`` as ``name.csv`` (a ``data:`` URI: nothing is fetched)."""
    data = urllib.parse.quote(frame.to_csv(index=False))
    file_name = html.escape(_slug(name) + ".csv")
    return f'<a class="csv" download="{file_name}" href="data:text/csv;charset=utf-8,{data}">download CSV</a>'


class Page:
    """Accumulates the HTML body: headings (level 2 ones make the table of contents), paragraphs,
    tables, embedded figures; :meth:`html` writes the page.

    The parts added before :meth:`contents` is called come before the table of contents (the
    title and the summary in plain language); the table of contents lists every level-2 heading.
    """

    def __init__(self, fmt: str = "png"):
        self.fmt = fmt
        self.parts = []
        self.toc = []
        self._toc_at = None
        self._tables = 0

    # --- structure ---------------------------------------------------------------------------
    def heading(self, text: str, level: int = 2, anchor: str | None = None):
        anchor = anchor or (_slug(text) if level == 2 else None)
        anchor_attr = f' id="{html.escape(anchor)}"' if anchor else ""
        if level == 2:
            self.toc.append((anchor, text))
        self.parts.append(f"<h{level}{anchor_attr}>{html.escape(text)}</h{level}>")

    def contents(self):
        """Marks where the table of contents goes."""
        self._toc_at = len(self.parts)

    def raw(self, markup: str):
        """Trusted markup (built with :func:`html.escape` by the caller)."""
        self.parts.append(markup)

    def open(self, tag: str, css: str | None = None):
        self.parts.append(f"<{tag}{f' class={chr(34)}{css}{chr(34)}' if css else ''}>")

    def close(self, tag: str):
        self.parts.append(f"</{tag}>")

    def fold(self, summary: str):
        """Opens a "details" element; close it with ``close("details")``."""
        self.parts.append(f"<details><summary>{html.escape(summary)}</summary>")

    # --- text --------------------------------------------------------------------------------
    def paragraph(self, text: str, css: str | None = None):
        cls = f' class="{css}"' if css else ""
        self.parts.append(f"<p{cls}>{html.escape(text)}</p>")

    def prose(self, text: str, css: str | None = None):
        """A paragraph whose `backquoted` parts (commands, names to type) are set as code."""
        cls = f' class="{css}"' if css else ""
        pieces = html.escape(text).split("`")
        body = "".join(f"<code>{p}</code>" if k % 2 else p for k, p in enumerate(pieces)) if len(pieces) % 2 else \
            html.escape(text)
        self.parts.append(f"<p{cls}>{body}</p>")

    def bullets(self, items, css: str | None = None):
        cls = f' class="{css}"' if css else ""
        self.parts.append(f"<ul{cls}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    # --- tables ------------------------------------------------------------------------------
    def table(self, frame: pd.DataFrame, digits: int = 4, name: str | None = None, data: pd.DataFrame | None = None,
              fold_rows: int = FOLD_ROWS, text_columns=()):
        """``frame`` as a table, with a CSV download of ``data`` (default: ``frame``); folded
        behind a "details" element when it has more than ``fold_rows`` rows. Floats keep
        ``digits`` significant digits (tables of rounded text are shown as they are)."""
        self._tables += 1
        name = name or f"table {self._tables}"
        table_id = f"table-{self._tables}"
        shown = frame.to_html(index=False, float_format=lambda v: f"{v:.{digits}g}", na_rep="", border=0,
                              escape=True, table_id=table_id)
        words = [k + 1 for k, c in enumerate(frame.columns) if c in set(text_columns)]
        if words:  # columns of words read from the left
            shown = "<style>" + ",".join(f"#{table_id} td:nth-child({k}),#{table_id} th:nth-child({k})"
                                         for k in words) + "{text-align:left}</style>" + shown
        link = csv_link(frame if data is None else data, name)
        if len(frame) > fold_rows:
            self.parts.append(f"<details><summary>{html.escape(name)}: {len(frame)} rows (show)</summary>"
                              f"{shown}{link}</details>")
        else:
            self.parts.append(f"{shown}{link}")

    # --- figures -----------------------------------------------------------------------------
    def figure(self, fig, alt: str):
        """``fig`` embedded at the width it was drawn for (at most the column)."""
        fit_to_column(fig)
        width_in, height_in = (float(v) for v in fig.get_size_inches())
        font_pt = smallest_font(fig)
        data = base64.b64encode(figure_bytes(fig, self.fmt)).decode("ascii")
        mime = "image/svg+xml" if self.fmt == "svg" else "image/png"
        self.parts.append(
            f'<img alt="{html.escape(alt)}" width="{round(width_in * PX_PER_INCH)}" '
            f'height="{round(height_in * PX_PER_INCH)}" data-width-in="{width_in:.4f}" data-font-pt="{font_pt:g}" '
            f'data-dpi="{SAVE_DPI}" src="data:{mime};base64,{data}">')

    # --- the page ----------------------------------------------------------------------------
    def toc_html(self) -> str:
        if len(self.toc) < 2:
            return ""
        items = "".join(f'<li><a href="#{html.escape(a)}">{html.escape(t)}</a></li>' for a, t in self.toc)
        return f'<nav class="toc"><h2 id="contents">Contents</h2><ol>{items}</ol></nav>'

    def html(self, title: str) -> str:
        parts = list(self.parts)
        if self._toc_at is not None:
            parts.insert(self._toc_at, self.toc_html())
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
                + "\n".join(parts) + "\n</body></html>\n")
