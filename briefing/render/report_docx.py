"""The 信息采用情况通报 as a DOCX laid out after GB/T 9704-2012 (``briefing stats --format docx``).

The page is the bulletin's (:mod:`briefing.render.docx`): A4, the 37/35/28/26 mm margins, a
line grid of 22 lines, 三号 仿宋 tracked to 28 characters a line, page numbers ``— N —`` in
四号 宋体, odd pages right and even pages left. The document itself is a plain 通报 without a
red header: the title in 二号 小标宋 centred (broken before “信息采用情况的通报” when it does not
fit one line), a blank line, the addressee, the body with its 一、二、 headings in 黑体, the
ranking table (四号, 黑体 header row repeated on every page, rows never split), then, a line
below the body, the issuer and date of an unsealed document (GB/T 9704 §7.3.5.2: the issuer
two characters from the right, the date starting two characters right of the issuer's start).

Every word comes from :class:`briefing.circular.Circular`; this module only lays it out,
through the same WordprocessingML writer and package as the bulletin (``_oxml``,
``_package``). The zip is dated with the date signed, so the same numbers give the same bytes.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, TypedDict, Unpack

from briefing.circular import Circular
from briefing.model import Fonts
from briefing.render import _oxml
from briefing.render._package import REL_FOOTER, Package, core_properties, numbering_part
from briefing.render.docx import EM_DASH
from briefing.render.docx_styles import (
    BODY_SIZE,
    FOOTER_DISTANCE,
    FOOTER_LINE,
    HEADER_DISTANCE,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    TEXT_WIDTH,
    TITLE_SIZE,
    TRACKING,
    page_number_paragraph,
)
from briefing.render.reproducible import issue_timestamp

if TYPE_CHECKING:
    from lxml import etree


class _Placement(TypedDict, total=False):
    """What the circular's styles and paragraphs choose of their formatting: alignment,
    indents in characters, keep with next."""

    jc: str
    first_chars: float
    left_chars: float
    right_chars: float
    keep_next: bool


TABLE_SIZE = 14.0  # 四号
TABLE_LINE = 400  # 20 pt exact, plus 4.5 pt above and below: a one-line row is one grid line
TABLE_PAD = (LINE - TABLE_LINE) // 2
TABLE_RULE = 4  # 0.5 pt
CELL_MARGIN = 85  # 1.5 mm
CHARS_PER_LINE = 28
TITLE_CHARS = (TEXT_WIDTH / 20) / (TITLE_SIZE + TRACKING / 20)  # ems on one title line
TITLE_TAIL = "信息采用情况的通报"


def report_docx_bytes(report: Circular, fonts: Fonts) -> bytes:
    """The 通报 as DOCX bytes, built in memory (the caller writes them atomically)."""
    return _Report(report, fonts).build()


class _Report:
    def __init__(self, report: Circular, fonts: Fonts) -> None:
        self.r, self.fonts = report, fonts
        self.package = Package()
        self.body = self.package.body
        self.formats = _oxml.RunFormats()

    def build(self) -> bytes:
        self._page()
        self._styles()
        self._footers()
        self._title()
        self._paragraph("Normal", "", first_chars=0)  # 标题下空一行
        self._paragraph("Normal", self.r.addressee, first_chars=0)
        last = None
        for kind, text in self.r.paragraphs:
            if kind == "table":
                self._table()
            else:
                last = self._paragraph("Heading1" if kind == "heading" else "Normal", text)
        if last is not None:  # the signature never stands alone on a page
            _oxml.para_props(last, keep_next=True)
        self._signature()
        self._finish()
        stamp = issue_timestamp(self.r.date)
        core = core_properties(
            title=self.r.title,
            subject=self.r.subject,
            author=self.r.issuer,
            keywords="信息采用",
            category="通报",
            language="zh-CN",
            stamp=stamp,
        )
        return self.package.to_bytes(core, stamp)

    # ----------------------------------------------------------------- page and styles

    @property
    def _section(self) -> etree._Element:
        return self.body[-1]

    def _page(self) -> None:
        margins = {
            "top": MARGIN_TOP,
            "right": MARGIN_RIGHT,
            "bottom": MARGIN_BOTTOM,
            "left": MARGIN_LEFT,
            "header": HEADER_DISTANCE,
            "footer": FOOTER_DISTANCE,
            "gutter": 0,
        }
        _oxml.page_geometry(self._section, size=(PAGE_WIDTH, PAGE_HEIGHT), margins=margins)
        _oxml.page_setup(self._section, grid_line_pitch=LINE)

    def _styles(self) -> None:
        f, styles = self.fonts, self.package.styles
        _oxml.doc_defaults(styles, east_asia=f.body, latin=f.latin, size=BODY_SIZE)
        normal = self._style("Normal", f.body, BODY_SIZE, jc="both", first_chars=2)
        _oxml.para_props(normal, widow_control=False, overflow_punct=True)
        _oxml.run_props(normal, lang=True, spacing=TRACKING)
        title = self._style("Title", f.title, TITLE_SIZE, jc="center", first_chars=0)
        _oxml.para_props(title, keep_next=True, keep_lines=True, snap_to_grid=False)
        heading = self._style("Heading1", f.heading1, BODY_SIZE, jc="both", first_chars=2)
        _oxml.para_props(heading, keep_next=True, outline_level=1)
        footer = self._style("Footer", f.page_number, PAGE_NUMBER_SIZE, first_chars=0)
        _oxml.para_props(footer, line=FOOTER_LINE, snap_to_grid=False)
        _oxml.clear_tab_stops(footer, ())
        cell = _oxml.add_paragraph_style(styles, "表格文字", "BriefingTableText")
        _oxml.style_links(cell, based_on="Normal", next_id="Normal")
        _oxml.para_props(
            cell,
            line=TABLE_LINE,
            before=TABLE_PAD,
            after=TABLE_PAD,
            first_chars=0,
            char_twips=round(TABLE_SIZE * 20),
            jc="center",
            snap_to_grid=False,
        )
        _oxml.run_props(cell, east_asia=f.body, latin=f.latin, size=TABLE_SIZE)

    def _style(
        self, style_id: str, font: str, size: float, **paragraph: Unpack[_Placement]
    ) -> etree._Element:
        style = _oxml.find_style(self.package.styles, style_id)
        _oxml.reset_style(style)
        if style_id != "Normal":
            _oxml.style_links(style, based_on=None, next_id="Normal")
        _oxml.para_props(style, line=LINE, char_twips=round(size * 20), **paragraph)
        _oxml.run_props(
            style, east_asia=font, latin=self.fonts.latin, size=size, italic=False, color="000000"
        )
        return style

    def _footers(self) -> None:
        """``— N —`` as in the bulletin: odd pages right, even pages left, one character in."""
        font = self.fonts.page_number
        for which, odd in (("default", True), ("even", False)):
            rel_id, root = self.package.add_story(REL_FOOTER)
            _oxml.add_story_reference(self._section, "footer", which, rel_id)
            paragraph = _oxml.cell_paragraph(root)
            _oxml.paragraph_style(paragraph, "Footer")
            _oxml.para_props(paragraph, **page_number_paragraph(odd))
            first = self._run(paragraph, f"{EM_DASH} ", font, PAGE_NUMBER_SIZE, latin=font)
            _oxml.append_field(paragraph, "PAGE", "1", _oxml.run_properties(first))
            self._run(paragraph, f" {EM_DASH}", font, PAGE_NUMBER_SIZE, latin=font)

    # ----------------------------------------------------------------- text

    def _run(
        self,
        paragraph: etree._Element,
        text: str,
        font: str,
        size: float,
        *,
        latin: str | None = None,
    ) -> etree._Element:
        run = _oxml.add_run(paragraph, text)
        self.formats.apply(
            run,
            east_asia=font,
            latin=latin or self.fonts.latin,
            size=size,
            hint=_oxml.needs_east_asia_hint(text),
        )
        return run

    def _paragraph(self, style: str, text: str, **direct: Unpack[_Placement]) -> etree._Element:
        paragraph = _oxml.add_paragraph(self.body)
        _oxml.paragraph_style(paragraph, None if style == "Normal" else style)
        if direct:
            _oxml.para_props(paragraph, char_twips=round(BODY_SIZE * 20), **direct)
        if text:
            font = self.fonts.heading1 if style == "Heading1" else self.fonts.body
            self._run(paragraph, text, font, BODY_SIZE)
        return paragraph

    def _title(self) -> None:
        paragraph = _oxml.add_paragraph(self.body)
        _oxml.paragraph_style(paragraph, "Title")
        self._run(paragraph, title_lines(self.r.title), self.fonts.title, TITLE_SIZE)

    def _signature(self) -> None:
        """GB/T 9704 §7.3.5.2 (no seal): a line below the body, the issuer two characters
        from the right; the date below it, starting two characters right of the issuer."""
        issuer, date = em_width(self.r.issuer), em_width(self.r.date_text)
        self._paragraph("Normal", "", first_chars=0, keep_next=True)
        signed = self._paragraph("Normal", "", first_chars=0, jc="right", right_chars=2)
        _oxml.para_props(signed, keep_next=True)
        if issuer >= date:
            # the date starts where the issuer starts plus two: a left indent, which is exact
            # for an issuer of whole characters (a right indent would have to round the date)
            self._run(signed, self.r.issuer, self.fonts.body, BODY_SIZE)
            start = math.floor(CHARS_PER_LINE - issuer + 0.5)
            self._paragraph("Normal", self.r.date_text, first_chars=0, jc="left", left_chars=start)
        else:  # a date longer than the issuer: the issuer is spaced out to two more characters
            self._spaced(signed, self.r.issuer, date + 2 - issuer)
            self._paragraph("Normal", self.r.date_text, first_chars=0, jc="right", right_chars=2)

    def _spaced(self, paragraph: etree._Element, text: str, extra_ems: float) -> None:
        """*text* widened by *extra_ems* spread between its characters (not after the last,
        which would push a right-aligned line off its place)."""
        gaps = max(1, len(text) - 1)
        # w:spacing is in twentieths of a point, on top of the body's own tracking
        spacing = TRACKING + round(extra_ems * BODY_SIZE * 20 / gaps)
        widened = _oxml.add_run(paragraph, text[:-1])
        _oxml.run_props(
            widened,
            east_asia=self.fonts.body,
            latin=self.fonts.latin,
            size=BODY_SIZE,
            spacing=spacing,
        )
        self._run(paragraph, text[-1:], self.fonts.body, BODY_SIZE)

    # ----------------------------------------------------------------- the table

    def _table(self) -> None:
        header, rows = self.r.header, self.r.rows
        widths = column_widths(header, [r[1] for r in rows])
        table = _oxml.add_table(self.body, len(rows) + 1, len(header), TEXT_WIDTH)
        rule = (TABLE_RULE, "000000")
        _oxml.table_layout(
            table,
            width=TEXT_WIDTH,
            borders=dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), rule),
            cell_margin=(CELL_MARGIN, CELL_MARGIN),
        )
        _oxml.grid_columns(table, widths)
        for index, (row, cells) in enumerate(_oxml.rows_and_cells(table)):
            _oxml.row_props(row, header=index == 0)
            texts = header if index == 0 else rows[index - 1]
            for column, (cell, text) in enumerate(zip(cells, texts, strict=True)):
                name_column = column == 1 and index > 0
                _oxml.cell_props(
                    cell, width=widths[column], v_align="center", no_wrap=not name_column
                )
                paragraph = _oxml.cell_paragraph(cell)
                _oxml.paragraph_style(paragraph, "BriefingTableText")
                if name_column and text != "合计":
                    _oxml.para_props(paragraph, jc="left")
                font = self.fonts.heading1 if index == 0 else self.fonts.body
                self._run(paragraph, text, font, TABLE_SIZE)

    def _finish(self) -> None:
        self.package.theme = _oxml.rewrite_theme_fonts(
            self.package.theme,
            major=self.fonts.heading1,
            minor=self.fonts.body,
            latin=self.fonts.latin,
        )
        stories = [self.package.document, numbering_part(), *self.package.stories]
        _oxml.prune_styles(self.package.styles, stories)


# --------------------------------------------------------------------------- pure helpers


def em_width(text: str) -> float:
    """Printed width of *text* in ems: CJK one, ASCII half, plus the 0.2 em Word and
    LibreOffice put between CJK and Latin letters or digits."""
    width = sum(0.5 if ch.isascii() else 1.0 for ch in text)
    switches = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii())
    return width + 0.2 * switches


def title_lines(title: str) -> str:
    """*title*, broken before “信息采用情况的通报” when one 二号 line cannot hold it."""
    if em_width(title) <= TITLE_CHARS or not title.endswith(TITLE_TAIL):
        return title
    return title.removesuffix(TITLE_TAIL) + "\n" + TITLE_TAIL


def column_widths(header: tuple[str, ...], names: list[str]) -> list[int]:
    """Twips per column: the numbers as wide as their heading (四号 plus margins), the name
    column the rest."""
    char = round(TABLE_SIZE * 20)
    widths = [round(em_width(h) * char) + 2 * CELL_MARGIN + char // 2 for h in header]
    widths[1] = TEXT_WIDTH - sum(w for i, w in enumerate(widths) if i != 1)
    return widths
