"""Building blocks of the PPTX decks (perfeval.decks.portfolio and perfeval.decks.project): a 16:9 deck with
titled slides, text boxes, KPI cards, tables and native PowerPoint charts (`Deck`, `Card`), and the slides'
geometry (EMU), type sizes (pt) and colours. No data access.

The faces every run names are perfeval.decks.fonts's; text is measured and cut to fit its box with
perfeval.decks.fitting (a box's font shrinks first, then its text is cut with "…"; table cells are kept to
one line, so rows never grow past the slide).
"""
from __future__ import annotations

import datetime
import io
import math
from dataclasses import dataclass

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from perfeval.decks.fitting import (
    LINE,
    clip,
    fit_lines,
    fit_paragraphs,
    lines_needed,
    text_width,
)
from perfeval.decks.fonts import FONT, apply_fonts, theme_fonts

SLIDE_W = Emu(12192000)             # 16:9 (13.333 in), PowerPoint's widescreen size
SLIDE_H = Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_TOP = Inches(1.3)
CONTENT_BOTTOM = Inches(6.85)       # the footer sits below
CONTENT_W = SLIDE_W - 2 * MARGIN
CONTENT_H = CONTENT_BOTTOM - CONTENT_TOP

TITLE_PT = 28
BODY_PT = 16
SMALL_PT = 14                       # the smallest text on a slide but the footer (projector: ≥ 14 pt)
FOOTER_PT = 12
BOX_MARGIN = Inches(0.05)           # text box insets (left/right/top/bottom)

INK = "24292F"
MUTED = "57606A"
ACCENT = "2F81F7"
HEADER_FILL = "24476B"
BAND_FILL = "EEF2F6"
CARD_FILL = "F3F5F8"
BADGE_FILL = "BC4C00"
LIGHT_GREY = "D0D7DE"


def _rgb(hex_colour: str) -> RGBColor:
    """A colour written "24292F" or "#24292f" as python-pptx takes it."""
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


# -- the deck ---------------------------------------------------------------------------------------------

@dataclass
class Card:
    """A KPI card (`Deck.cards`): its label, its value (large), an optional note; ``name`` names the shape."""

    label: str
    value: str
    note: str = ""
    name: str = ""


class Deck:
    """A 16:9 presentation of titled slides; ``badge`` (if any) and the footer go on every slide at ``save``."""

    def __init__(self, lang: str, title: str, now: datetime.datetime, footer: str = "",
                 badge: str | None = None):
        self.lang = lang
        self.prs = Presentation()
        self.prs.slide_width = SLIDE_W
        self.prs.slide_height = SLIDE_H
        self._widen_layouts()
        theme_fonts(self.prs)
        self.footer = footer
        self.badge = badge
        cp = self.prs.core_properties
        cp.title = title
        cp.author = "perfeval 绩效评价看板"
        cp.last_modified_by = "perfeval"
        cp.language = "zh-CN" if lang == "zh" else "en-US"
        cp.created = now
        cp.modified = now
        cp.revision = 1
        self._charts = []

    def _widen_layouts(self) -> None:
        """The template's placeholders are laid out for 4:3; stretch them across 16:9 (for slides a person
        adds later with the layouts)."""
        k = SLIDE_W / Inches(10)
        shapes = list(self.prs.slide_master.placeholders)
        for layout in self.prs.slide_layouts:
            shapes += list(layout.placeholders)
        for sh in shapes:
            if sh.left is not None and sh.width is not None:
                sh.left, sh.width = int(sh.left * k), int(sh.width * k)

    @property
    def slides(self):
        return self.prs.slides

    # -- slides ----------------------------------------------------------------------------------------
    def slide(self, title: str, *, big: bool = False):
        """A new slide with ``title`` in its title placeholder: one line at the top, clear of the badge, or
        (``big``, the title slide) up to two large lines in the upper middle."""
        s = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # Title Only
        ph = s.shapes.title
        size = 40 if big else TITLE_PT
        ph.left = MARGIN
        ph.top = Inches(1.35) if big else Inches(0.35)
        ph.width = CONTENT_W - (self.badge_width() + Inches(0.2) if self.badge and not big else 0)
        ph.height = Inches(1.75) if big else Inches(0.8)
        tf = ph.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(tf, side, BOX_MARGIN)
        tf.vertical_anchor = MSO_ANCHOR.BOTTOM if big else MSO_ANCHOR.MIDDLE
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        width = (ph.width - 2 * BOX_MARGIN) / 12700
        if not big:  # a long title gets a smaller font (down to 22 pt) before it is cut
            while size > 22 and text_width(title, size, bold=True) > width:
                size -= 1
        text = fit_lines(title, width, size, 2, bold=True) if big else clip(title, width, size, bold=True)
        self._run(p, text, size, bold=True, colour=INK)
        p.line_spacing = Pt(round(size * LINE))
        # a rule under the title
        top = Inches(3.17) if big else Inches(1.17)
        rule = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, top, CONTENT_W if not big else Inches(3),
                                  Emu(38100 if big else 19050))
        rule.fill.solid()
        rule.fill.fore_color.rgb = _rgb(ACCENT)
        rule.line.fill.background()
        rule.shadow.inherit = False
        rule.name = "title_rule"
        return s

    def badge_width(self) -> int:
        if not self.badge:
            return 0
        w = text_width(self.badge, SMALL_PT, bold=True) + 24
        return int(Pt(w))

    # -- text -------------------------------------------------------------------------------------------
    @staticmethod
    def _run(p, text: str, size: float, bold: bool = False, colour: str = INK):
        r = p.add_run()
        r.text = text
        f = r.font
        f.size = Pt(size)
        f.bold = bold
        f.name = FONT
        f.color.rgb = _rgb(colour)
        return r

    def text(self, slide, left, top, width, height, paragraphs, size: float = BODY_PT, *,
             colour: str = INK, bold: bool = False, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP,
             name: str | None = None, space_after: float = 0.3, min_size: float = SMALL_PT):
        """A text box of ``paragraphs`` (strings, or lists of (text, bold, colour) runs), cut to fit: the
        font shrinks down to ``min_size`` first, then the last paragraphs are cut to the lines left
        (dropped paragraphs are replaced by "…")."""
        left, top, width, height = _emu(left, top, width, height)
        paras = [p if isinstance(p, list) else [(str(p), bold, colour)] for p in paragraphs]
        inner_w = (width - 2 * BOX_MARGIN) / 12700
        inner_h = (height - 2 * BOX_MARGIN) / 12700
        size, paras = fit_paragraphs(paras, inner_w, inner_h, size, min_size, space_after)
        tb = slide.shapes.add_textbox(left, top, width, height)
        if name:
            tb.name = name
        tf = tb.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = anchor
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(tf, side, BOX_MARGIN)
        for i, runs in enumerate(paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = align
            p.line_spacing = Pt(round(size * LINE))
            if i < len(paras) - 1:
                p.space_after = Pt(round(size * space_after))
            for text, b, c in runs:
                self._run(p, text, size, bold=b, colour=c or colour)
        return tb

    def cards(self, slide, cards: list[Card], left, top, width, height, per_row: int = 3,
              value_pt: float = 32, label_pt: float = 16):
        """KPI cards in rows of ``per_row``: label, value (large), note (small)."""
        left, top, width, height = _emu(left, top, width, height)
        rows = math.ceil(len(cards) / per_row)
        gap = Inches(0.2)
        cw = int((width - gap * (per_row - 1)) / per_row)
        ch = int((height - gap * (rows - 1)) / rows)
        for i, c in enumerate(cards):
            x = left + (i % per_row) * (cw + gap)
            y = top + (i // per_row) * (ch + gap)
            box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, cw, ch)
            box.adjustments[0] = 0.08
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb(CARD_FILL)
            box.line.fill.background()
            box.shadow.inherit = False
            box.name = f"kpi_{c.name}" if c.name else "kpi"
            tf = box.text_frame
            tf.word_wrap = True
            tf.auto_size = MSO_AUTO_SIZE.NONE
            tf.vertical_anchor = MSO_ANCHOR.MIDDLE
            for side in ("margin_left", "margin_right"):
                setattr(tf, side, Inches(0.15))
            for side in ("margin_top", "margin_bottom"):
                setattr(tf, side, BOX_MARGIN)
            inner = (cw - Inches(0.3)) / 12700
            vsize = value_pt  # the value on one line: the rounded corners take some of the width, hence 0.88
            while vsize > 18 and text_width(c.value, vsize, bold=True) > inner * 0.88:
                vsize -= 2
            p = tf.paragraphs[0]
            p.alignment = PP_ALIGN.LEFT
            p.line_spacing = Pt(round(label_pt * LINE))
            self._run(p, clip(c.label, inner, label_pt), label_pt, colour=MUTED)
            p = tf.add_paragraph()
            p.line_spacing = Pt(round(vsize * LINE))
            self._run(p, clip(c.value, inner, vsize, bold=True), vsize, bold=True, colour=INK)
            if c.note:
                p = tf.add_paragraph()
                p.line_spacing = Pt(round(SMALL_PT * LINE))
                self._run(p, clip(c.note, inner, SMALL_PT), SMALL_PT, colour=MUTED)

    def table(self, slide, left, top, width, columns: list[tuple[str, float | None, str]], rows: list[list],
              size: float = SMALL_PT, row_h=Inches(0.37), name: str | None = None, colours=None):
        """A table at most ``width`` wide: ``columns`` = (header, width in inches or None, "l" | "r" | "c");
        ``rows`` of cell texts, each cut to one line of its column; a header may take two lines. A column with
        a width is widened to what its cells need (up to 3 in); the columns without one share what is left in
        proportion to what they need. ``colours``: an optional per-row list of per-cell colours (or None).
        Returns the graphic frame; its ``top + height`` is the table's bottom."""
        left, top, width = _emu(left, top, width)
        n_rows = len(rows) + 1
        widths = _column_widths(columns, rows, width, size)
        inner = [(w - Inches(0.16)) / 12700 * 0.95 for w in widths]
        header_lines = max(min(2, lines_needed(h, i, size, bold=True)) for (h, _, _), i in zip(columns, inner))
        head_h = row_h if header_lines == 1 else int(row_h + Pt(size * LINE))
        gf = slide.shapes.add_table(n_rows, len(columns), left, top, sum(widths), head_h + row_h * len(rows))
        if name:
            gf.name = name
        tbl = gf.table
        tbl.first_row = True
        tbl.horz_banding = False
        align = {"l": PP_ALIGN.LEFT, "r": PP_ALIGN.RIGHT, "c": PP_ALIGN.CENTER}
        for j, w in enumerate(widths):
            tbl.columns[j].width = w
        for i in range(n_rows):
            tbl.rows[i].height = head_h if i == 0 else row_h
        for i in range(n_rows):
            for j, ((header, _, al), w) in enumerate(zip(columns, widths)):
                cell = tbl.cell(i, j)
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                tf = cell.text_frame
                tf.word_wrap = i == 0
                p = tf.paragraphs[0]
                p.alignment = align[al]
                p.line_spacing = Pt(round(size * LINE))
                cell.fill.solid()
                if i == 0:
                    cell.fill.fore_color.rgb = _rgb(HEADER_FILL)
                    self._run(p, fit_lines(header, inner[j], size, 2, bold=True), size, bold=True, colour="FFFFFF")
                else:
                    cell.fill.fore_color.rgb = _rgb(BAND_FILL if i % 2 == 0 else "FFFFFF")
                    value = rows[i - 1][j]
                    colour = (colours[i - 1][j] if colours and colours[i - 1] and colours[i - 1][j] else INK)
                    self._run(p, clip("" if value is None else str(value), inner[j], size), size, colour=colour)
        return gf

    # -- charts -------------------------------------------------------------------------------------------
    def bar_chart(self, slide, left, top, width, height, categories: list[str],
                  series: list[tuple[str, list, object]], *, horizontal: bool = False,
                  labels: list[list[str] | None] | None = None, number_format: str = "0.00",
                  legend: bool | None = None, stacked: bool = False, max_value: float | None = None,
                  name: str | None = None, label_pt: float = SMALL_PT, axis_pt: float = SMALL_PT,
                  show_value_axis: bool = False, value_axis_format: str | None = None, gap_width: int = 60):
        """A native bar (``horizontal``) or column chart. ``series`` = (name, values, colour) where values may
        hold None (no bar: never drawn as 0) and colour is one "#rrggbb" or a list per point. ``labels``: per
        series, the text written at each bar (as the pages format it), or None for no labels. Categories run
        top-down in a bar chart."""
        left, top, width, height = _emu(left, top, width, height)
        cd = CategoryChartData(number_format=number_format)
        cd.categories = categories
        for sname, values, _ in series:
            cd.add_series(sname, [None if _missing(v) else float(v) for v in values], number_format)
        if horizontal:
            kind = XL_CHART_TYPE.BAR_STACKED if stacked else XL_CHART_TYPE.BAR_CLUSTERED
        else:
            kind = XL_CHART_TYPE.COLUMN_STACKED if stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
        gf = slide.shapes.add_chart(kind, left, top, width, height, cd)
        if name:
            gf.name = name
        chart = gf.chart
        chart.font.size = Pt(axis_pt)
        chart.font.name = FONT
        chart.font.color.rgb = _rgb(INK)
        chart.has_title = False
        show_legend = legend if legend is not None else len(series) > 1
        chart.has_legend = show_legend
        if show_legend:
            # beside a bar chart (its height is for the categories), under a column chart
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM if not horizontal else XL_LEGEND_POSITION.RIGHT
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(axis_pt)
        plot = chart.plots[0]
        plot.gap_width = gap_width
        if stacked:
            plot.overlap = 100
        elif len(series) > 1:
            plot.overlap = -10
        for s, (_, values, colour) in zip(plot.series, series):
            s.invert_if_negative = False
            if isinstance(colour, (list, tuple)):
                for i, c in enumerate(colour):
                    pt = s.points[i]
                    pt.format.fill.solid()
                    pt.format.fill.fore_color.rgb = _rgb(c)
            else:
                s.format.fill.solid()
                s.format.fill.fore_color.rgb = _rgb(colour)
        cat = chart.category_axis
        cat.tick_labels.font.size = Pt(axis_pt)
        cat.format.line.color.rgb = _rgb(LIGHT_GREY)
        cat.has_major_gridlines = False
        cat.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        _every_label(cat._element)
        if horizontal:
            cat.reverse_order = True  # first category on top ...
            crosses = chart.value_axis._element.find(qn("c:crosses"))
            if crosses is not None:
                crosses.set("val", "max")  # ... and the value axis still at the bottom
        val = chart.value_axis
        val.has_major_gridlines = show_value_axis
        if show_value_axis:
            val.major_gridlines.format.line.color.rgb = _rgb("EAEEF2")
            val.tick_labels.font.size = Pt(axis_pt)
            if value_axis_format:
                val.tick_labels.number_format = value_axis_format
                val.tick_labels.number_format_is_linked = False
            val.format.line.fill.background()
        else:
            val.visible = False
        finite = [float(v) for _, vs, _ in series for v in vs if not _missing(v)]
        if stacked and finite:
            top_value = max(sum(float(vs[i]) for _, vs, _ in series if not _missing(vs[i])) for i in range(len(categories)))
        else:
            top_value = max(finite, default=0.0)
        val.minimum_scale = 0
        if max_value is not None:
            val.maximum_scale = max_value
        elif top_value > 0:
            val.maximum_scale = top_value * (1.18 if labels else 1.05)
        if labels:
            for s, texts in zip(plot.series, labels):
                if texts is None:
                    continue
                for i, text in enumerate(texts):
                    if not text:
                        continue
                    dl = s.points[i].data_label
                    dl.has_text_frame = True
                    dl.text_frame.text = text
                    dl.text_frame.word_wrap = False  # a label is one line (LibreOffice wraps it otherwise)
                    dl.position = (XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END)
                    dl.font.size = Pt(label_pt)
                    for r in dl.text_frame.paragraphs[0].runs:
                        r.font.size = Pt(label_pt)
                        r.font.color.rgb = _rgb("FFFFFF" if stacked else INK)
        self._charts.append(chart)
        return gf

    # -- finishing ------------------------------------------------------------------------------------------
    def _finish_slide(self, slide, number: int, total: int) -> None:
        footer_w = CONTENT_W - Inches(1.2)
        if self.footer:
            self.text(slide, MARGIN, Inches(6.95), footer_w, Inches(0.4), [self.footer], FOOTER_PT,
                      colour=MUTED, name="footer", min_size=FOOTER_PT)
        self.text(slide, MARGIN + footer_w, Inches(6.95), Inches(1.2), Inches(0.4), [f"{number} / {total}"],
                  FOOTER_PT, colour=MUTED, align=PP_ALIGN.RIGHT, name="page_number", min_size=FOOTER_PT)
        if self.badge:
            w = self.badge_width()
            shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, SLIDE_W - MARGIN - w, Inches(0.5),
                                           w, Inches(0.48))
            shape.name = "demo_badge"
            shape.fill.solid()
            shape.fill.fore_color.rgb = _rgb(BADGE_FILL)
            shape.line.fill.background()
            shape.shadow.inherit = False
            tf = shape.text_frame
            tf.word_wrap = False
            tf.auto_size = MSO_AUTO_SIZE.NONE
            tf.vertical_anchor = MSO_ANCHOR.MIDDLE
            for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
                setattr(tf, side, BOX_MARGIN)
            p = tf.paragraphs[0]
            p.alignment = PP_ALIGN.CENTER
            self._run(p, self.badge, SMALL_PT, bold=True, colour="FFFFFF")

    def save(self) -> bytes:
        """The deck as PPTX bytes: footer, page numbers and badge on every slide, faces on every run."""
        total = len(self.prs.slides)
        for i, s in enumerate(self.prs.slides, 1):
            self._finish_slide(s, i, total)
            apply_fonts(s._element, self.lang)
        for chart in self._charts:
            apply_fonts(chart._chartSpace, self.lang)
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _emu(*values) -> tuple[int, ...]:
    """Positions and sizes as whole EMU: the XML takes integers only (a float such as 6233160.0 makes PowerPoint
    repair the file)."""
    return tuple(int(round(v)) for v in values)


def _column_widths(columns, rows, width, size: float) -> list[int]:
    """Column widths (EMU) within ``width`` (see Deck.table): what the cells need (a header may wrap onto a
    second line, so it needs half its width, or its longest word), fixed columns at least their given width."""
    pad = Inches(0.16)

    def emu(points: float) -> int:
        return int(Pt(points / 0.95 + 4)) + pad

    def need(j) -> int:
        header = str(columns[j][0])
        words = header.split() or [header]
        head = max(max(text_width(w, size, bold=True) for w in words), text_width(header, size, bold=True) / 2)
        cells = max((text_width(str(r[j]), size) for r in rows if r[j] is not None), default=0.0)
        return emu(max(head, cells))

    needs = [need(j) for j in range(len(columns))]
    fixed = {j: max(int(Inches(w)), min(needs[j], int(Inches(3)))) for j, (_, w, _) in enumerate(columns)
             if w is not None}
    flex = [j for j, (_, w, _) in enumerate(columns) if w is None]
    min_flex = int(Inches(1.2))
    left = int(width) - sum(fixed.values())
    if flex and left < min_flex * len(flex):  # the fixed columns back to their given widths
        fixed = {j: int(Inches(columns[j][1])) for j in fixed}
        left = int(width) - sum(fixed.values())
    out = [0] * len(columns)
    for j, w in fixed.items():
        out[j] = w
    if flex:
        total = sum(needs[j] for j in flex) or 1
        for j in flex:  # shared in proportion to need, none below min_flex
            out[j] = max(min_flex, int(left * needs[j] / total))
        over = sum(out) - int(width)
        if over > 0:  # the minimums pushed past the width: take it from the widest flex column
            widest = max(flex, key=lambda j: out[j])
            out[widest] = max(min_flex, out[widest] - over)
    elif sum(out) > int(width):  # fixed columns only, too wide: scale them down
        k = int(width) / sum(out)
        out = [int(w * k) for w in out]
    return out


def _every_label(cat_ax) -> None:
    """Label every category (a viewer may otherwise skip every other one when they are crowded)."""
    if cat_ax.find(qn("c:tickLblSkip")) is not None:
        return
    el = etree.Element(qn("c:tickLblSkip"), val="1")
    after = {qn("c:tickMarkSkip"), qn("c:noMultiLvlLbl"), qn("c:extLst")}
    idx = next((i for i, child in enumerate(cat_ax) if child.tag in after), len(cat_ax))
    cat_ax.insert(idx, el)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN
    except (TypeError, ValueError):
        return False


# The deck's own names, and the measures it uses (perfeval.decks.fitting, perfeval.decks.fonts) for callers that
# size text the way the deck does.
__all__ = ["Deck", "Card", "SLIDE_W", "SLIDE_H", "MARGIN", "CONTENT_TOP", "CONTENT_BOTTOM", "CONTENT_W",
           "CONTENT_H", "BODY_PT", "SMALL_PT", "TITLE_PT", "FOOTER_PT", "INK", "MUTED", "ACCENT",
           "FONT", "LINE", "clip", "fit_lines", "lines_needed", "text_width"]
