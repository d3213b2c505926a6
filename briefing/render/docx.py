"""The printed edition: a red-headed (红头) DOCX laid out after GB/T 9704-2012.

Page: A4, margins 37/35/28/26 mm (type area 156 x 225 mm), a line grid of
22 lines, every body line exactly one grid pitch (28.95 pt) high and 三号 glyphs tracked to
28 a line, so pages hold 22 x 28 in Word, WPS and LibreOffice alike. Page 1 carries the 报头 (classification,
red name, readership, 期号, issuer and date over a red rule) and the table of contents; the
articles follow; the 版记 is a table floated onto the bottom edge of the type area of the
last page. Page numbers are ``— N —`` in the footer, odd pages right and even pages left.

python-docx is imported here (the CLI imports this module lazily); raw OOXML lives in
:mod:`briefing.render._oxml`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from docx.opc.part import Part
from docx.shared import Emu, Mm, Twips

from briefing.errors import InputError
from briefing.model import (
    Block,
    Bulletin,
    BulletinArticle,
    CodeBlock,
    Heading,
    Image,
    ImprintLine,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
)
from briefing.render import _oxml

# --------------------------------------------------------------------------- page geometry (twips)

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1588, 1474  # 37/35/28/26 mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 = 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 = 225 mm
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# One grid line: the largest whole twip with 22 x pitch <= 225 mm (12756 / 22 = 579.8).
LINE = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt
BODY_SIZE = 16.0  # 三号
# 28 characters a line: 156 mm / 28 = 15.793 pt per character, so a 16 pt glyph is tracked by
# -0.25 pt (w:spacing -5 twentieths; 28 x 15.75 = 441 pt <= 442.2 pt, 29 would need 456.75 pt).
# Measured: a ``linesAndChars`` grid (charSpace -849) is honoured by Word, but LibreOffice 7.4
# imports it as "snap to characters" and gives every 16 pt glyph two 15.79 pt cells (14
# characters a line). A ``lines`` grid plus tracking gives 22 x 28 in both.
TRACKING = -5
# 页码: the 一字线 sits 7 mm under the type area. The footer paragraph is one 四号 line whose
# middle is at 35 - 7 = 28 mm from the bottom edge; its bottom is half a line lower.
FOOTER_LINE = 280  # 14 pt exact
FOOTER_DISTANCE = round(28 / 25.4 * 1440) - FOOTER_LINE // 2
HEADER_DISTANCE = 851  # 15 mm; the header only carries the 样稿 mark

RULE_RED = 12  # 1.5 pt red rule under the masthead (practice: 0.35-0.5 mm); eighths of a point
RULE_THICK = 8  # 版记 first and last rules: 1 pt = 0.35 mm (GB/T 9704 §7.4.1)
RULE_THIN = 6  # 版记 inner rules: 0.75 pt = 0.26 mm (recommended 0.25 mm)
TABLE_RULE = 4  # 0.5 pt grid lines in article tables

IMPRINT_SIZE = 14.0  # 四号
PAGE_NUMBER_SIZE = 14.0  # 四号
TABLE_SIZE = 14.0
CAPTION_SIZE = 14.0
CODE_FONT = "Courier New"
MAX_IMAGE_HEIGHT = Mm(150)  # two thirds of the type area: a picture never fills a page alone

EM_DASH, IDEOGRAPHIC_SPACE = "\u2014", "\u3000"


def render_docx(bulletin: Bulletin, out: Path) -> None:
    """Write the complete DOCX for *bulletin* to *out*.

    The document is built in memory and written in one go, so a failure (a broken picture, a
    full disk while serialising) never leaves a half-written file at *out*.
    """
    document = _Builder(bulletin).build()
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    try:
        out.write_bytes(data)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Role:
    """One paragraph style: its name shown in Word, its id, and its formatting."""

    name: str
    style_id: str
    font: str
    size: float
    line: int | None = LINE
    rule: str = "exact"
    jc: str | None = None
    first_chars: int | None = None
    left_chars: int | None = None
    right_chars: int | None = None
    bold: bool = False
    keep_next: bool = False
    outline: int | None = None
    snap: bool | None = None
    before: int = 0
    builtin: bool = False


class _Builder:
    def __init__(self, bulletin: Bulletin) -> None:
        self.b = bulletin
        self.fonts = bulletin.fonts
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self._bookmark_id = 0
        self._style_ids: dict[str, str | None] = {}

    # ----------------------------------------------------------------- top level

    def build(self) -> docx.document.Document:
        self._clear_body()
        self._page_setup()
        self._styles()
        self._footers()
        if self.b.draft:
            self._draft_mark()
        self._masthead()
        self._table_of_contents()
        for index, item in enumerate(self.b.articles, start=1):
            self._article(item, index)
        self._imprint()
        self._package_parts()
        self._core_properties()
        return self.doc

    def _clear_body(self) -> None:
        for child in list(self.body):
            if not child.tag.endswith("}sectPr"):
                self.body.remove(child)

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        section.header_distance, section.footer_distance = (
            Twips(HEADER_DISTANCE),
            Twips(FOOTER_DISTANCE),
        )
        section.gutter = Twips(0)
        _oxml.page_setup(section._sectPr, grid_line_pitch=LINE)
        self.doc.settings.odd_and_even_pages_header_footer = True
        _oxml.settings_tweaks(self.doc.settings.element)

    def _styles(self) -> None:
        f = self.fonts
        styles_element = self.doc.styles.element
        _oxml.strip_theme_fonts(styles_element)
        _oxml.set_zh_cn(styles_element)
        _oxml.doc_defaults(styles_element, east_asia=f.body, latin=f.latin, size=BODY_SIZE)
        kai = f.heading2
        roles = (
            _Role("Normal", "Normal", f.body, BODY_SIZE, jc="both", first_chars=2, builtin=True),
            _Role(
                "Title",
                "Title",
                f.title,
                22.0,
                jc="center",
                first_chars=0,
                keep_next=True,
                outline=0,
                before=LINE,
                builtin=True,
            ),
            _Role(
                "Subtitle",
                "Subtitle",
                kai,
                BODY_SIZE,
                jc="center",
                first_chars=0,
                keep_next=True,
                builtin=True,
            ),
            _Role(
                "Heading 1",
                "Heading1",
                f.heading1,
                BODY_SIZE,
                jc="both",
                first_chars=2,
                keep_next=True,
                outline=1,
                builtin=True,
            ),
            _Role(
                "Heading 2",
                "Heading2",
                f.heading2,
                BODY_SIZE,
                jc="both",
                first_chars=2,
                keep_next=True,
                outline=2,
                builtin=True,
            ),
            _Role(
                "Heading 3",
                "Heading3",
                f.heading3,
                BODY_SIZE,
                jc="both",
                first_chars=2,
                bold=True,
                keep_next=True,
                outline=3,
                builtin=True,
            ),
            _Role(
                "Heading 4",
                "Heading4",
                f.heading4,
                BODY_SIZE,
                jc="both",
                first_chars=2,
                keep_next=True,
                outline=4,
                builtin=True,
            ),
            _Role(
                "Quote",
                "Quote",
                kai,
                BODY_SIZE,
                jc="both",
                first_chars=2,
                left_chars=2,
                right_chars=2,
                builtin=True,
            ),
            _Role(
                "caption", "Caption", kai, CAPTION_SIZE, jc="center", first_chars=0, builtin=True
            ),
            _Role(
                "header",
                "Header",
                f.classification,
                BODY_SIZE,
                line=240,
                rule="auto",
                first_chars=0,
                snap=False,
                builtin=True,
            ),
            _Role(
                "footer",
                "Footer",
                f.page_number,
                PAGE_NUMBER_SIZE,
                line=FOOTER_LINE,
                first_chars=0,
                snap=False,
                builtin=True,
            ),
            _Role("编者按", "BriefingNote", kai, BODY_SIZE, jc="both", first_chars=2),
            _Role(
                "作者", "BriefingAuthor", kai, BODY_SIZE, jc="center", first_chars=0, keep_next=True
            ),
            _Role("供稿单位", "BriefingSource", f.body, BODY_SIZE, jc="right", first_chars=0),
            _Role("列表", "BriefingList", f.body, BODY_SIZE, jc="both", first_chars=2),
            _Role(
                "表格文字",
                "BriefingTableText",
                f.body,
                TABLE_SIZE,
                line=240,
                rule="auto",
                first_chars=0,
                snap=False,
            ),
            _Role(
                "图片",
                "BriefingPicture",
                f.body,
                BODY_SIZE,
                line=240,
                rule="auto",
                jc="center",
                first_chars=0,
                keep_next=True,
            ),
            _Role(
                "代码", "BriefingCode", f.body, TABLE_SIZE, jc="left", first_chars=0, left_chars=2
            ),
            _Role(
                "目录标题",
                "BriefingTocHeading",
                f.heading1,
                BODY_SIZE,
                jc="center",
                first_chars=0,
                keep_next=True,
            ),
            _Role(
                "目录栏目",
                "BriefingTocColumn",
                f.heading1,
                BODY_SIZE,
                jc="left",
                first_chars=0,
                keep_next=True,
            ),
            _Role("目录", "BriefingToc", f.body, BODY_SIZE, jc="left", first_chars=0),
            _Role(
                "栏目",
                "BriefingColumn",
                f.heading1,
                BODY_SIZE,
                jc="left",
                first_chars=0,
                keep_next=True,
                before=LINE,
            ),
            _Role(
                "版记",
                "BriefingImprint",
                f.imprint,
                IMPRINT_SIZE,
                jc="left",
                first_chars=0,
                left_chars=1,
                right_chars=1,
            ),
            _Role("报头", "BriefingMasthead", f.body, BODY_SIZE, jc="left", first_chars=0),
        )
        defined = {role.name: self._define_style(role) for role in roles}
        # Paragraphs are styled by id through this map: python-docx's ``paragraph.style = name``
        # looks the name up and walks every template style (for the default one) on each call,
        # which was over half of the render time. The default style gets no w:pStyle, as there.
        default = self.doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self._style_ids = {
            name: None if style == default else style.style_id for name, style in defined.items()
        }

    def _define_style(self, role: _Role):
        styles = self.doc.styles
        if role.builtin:
            style = styles[role.name]
            _oxml.reset_style(style.element)
        else:
            style = styles.add_style(role.name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = role.style_id
            style.base_style = styles["Normal"]
            style.quick_style = True
        if role.name != "Normal":
            style.next_paragraph_style = styles["Normal"]
        _oxml.para_props(
            style.element,
            line=role.line,
            rule=role.rule,
            before=role.before,
            after=0,
            first_chars=role.first_chars,
            left_chars=role.left_chars,
            right_chars=role.right_chars,
            char_twips=round(role.size * 20),
            jc=role.jc,
            keep_next=role.keep_next or None,
            outline_level=role.outline,
            snap_to_grid=role.snap,
            # 22 full lines a page matters more than orphan control in a 公文-style layout
            widow_control=False if role.name == "Normal" else None,
            # Hanging punctuation: LibreOffice 7.4 reads w:overflowPunct inverted (val="0" makes
            # punctuation hang into the margin, val="1" keeps it inside; measured). "1" is also
            # Word's own default, so Word behaves as in any 公文 typed by hand.
            overflow_punct=True if role.name == "Normal" else None,
        )
        _oxml.run_props(
            style.element,
            east_asia=role.font,
            latin=self.fonts.latin,
            size=role.size,
            bold=role.bold,
            italic=False,
            color="000000",
            lang=role.name == "Normal",
            spacing=TRACKING if role.name == "Normal" else None,
        )
        if role.name in ("header", "footer"):
            _oxml.clear_tab_stops(style.element, ())
        return style

    # ----------------------------------------------------------------- low-level helpers

    def _para(self, style: str, parent=None):
        container = parent if parent is not None else self.doc
        paragraph = container.add_paragraph()
        self._set_style(paragraph, style)
        return paragraph

    def _set_style(self, paragraph, style: str) -> None:
        """``paragraph.style = style`` by the id resolved once in :meth:`_styles`."""
        _oxml.paragraph_style(paragraph._p, self._style_ids[style])

    def _run(
        self,
        paragraph,
        text: str,
        *,
        font: str,
        size: float,
        bold: bool = False,
        italic: bool = False,
        color: str | None = None,
        latin: str | None = None,
        into=None,
    ):
        run = paragraph.add_run(text)
        _oxml.run_props(
            run._r,
            east_asia=font,
            latin=latin or self.fonts.latin,
            size=size,
            bold=bold or None,
            italic=italic or None,
            color=color,
            hint=_oxml.needs_east_asia_hint(text),
        )
        if into is not None:
            into.append(run._r)
        return run

    def _spans(
        self,
        paragraph,
        spans: Iterable[Span],
        *,
        font: str,
        size: float,
        bold: bool = False,
        color: str | None = None,
    ) -> None:
        for span in spans:
            if span.is_break:
                paragraph.add_run().add_break()
                continue
            self._run(
                paragraph,
                span.text,
                font=font,
                size=size,
                bold=bold or span.bold,
                italic=span.italic,
                color=color,
                latin=CODE_FONT if span.code else None,
            )

    def _next_bookmark_id(self) -> int:
        self._bookmark_id += 1
        return self._bookmark_id

    # ----------------------------------------------------------------- footers and header

    def _footers(self) -> None:
        """``— N —`` 四号 宋体: odd pages right with one ideographic space outside, even left."""
        section = self.doc.sections[0]
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            self._set_style(paragraph, "footer")
            # 空一字 on the outside edge as an indent of one 四号 character: a trailing U+3000
            # would be swallowed as line-end whitespace by right alignment (measured in LO).
            _oxml.para_props(
                paragraph._p,
                jc="right" if odd else "left",
                first_chars=0,
                left_chars=0 if odd else 1,
                right_chars=1 if odd else 0,
                char_twips=round(PAGE_NUMBER_SIZE * 20),
                line=FOOTER_LINE,
            )
            font = self.fonts.page_number
            first = self._run(
                paragraph, f"{EM_DASH} ", font=font, size=PAGE_NUMBER_SIZE, latin=font
            )
            _oxml.append_field(paragraph._p, "PAGE", "1", _oxml.run_properties(first._r))
            self._run(paragraph, f" {EM_DASH}", font=font, size=PAGE_NUMBER_SIZE, latin=font)

    def _draft_mark(self) -> None:
        """A red 样稿 at the top right of every page, outside the type area."""
        section = self.doc.sections[0]
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            self._set_style(paragraph, "header")
            _oxml.para_props(paragraph._p, jc="right", first_chars=0)
            self._run(
                paragraph,
                "样稿",
                font=self.fonts.classification,
                size=22.0,
                color=self.b.layout.masthead_color,
                bold=True,
            )

    # ----------------------------------------------------------------- 报头 and contents

    def _masthead(self) -> None:
        b, f, red = self.b, self.fonts, self.b.layout.masthead_color
        # Line 1: classification, top left (三号黑体); kept even when empty so the red name
        # always sits at the same height.
        p = self._para("报头")
        if b.classification:
            self._run(p, b.classification, font=f.classification, size=BODY_SIZE)
        self._para("报头")  # one blank line above the name
        size = _masthead_size(b.name, b.layout.masthead_size)
        lines = max(2, -(-round(size * 20 * 1.25) // LINE))
        p = self._para("报头")
        _oxml.para_props(p._p, line=lines * LINE, jc="center")
        self._run(p, b.name, font=f.masthead, size=size, color=red)
        if b.readership:
            p = self._para("报头")
            _oxml.para_props(p._p, jc="center")
            self._run(p, b.readership, font=f.heading2, size=BODY_SIZE, color=red)
        p = self._para("报头")
        _oxml.para_props(p._p, jc="center", before=LINE if not b.readership else 0)
        self._run(p, b.issue_label, font=f.body, size=BODY_SIZE)
        # issuer left, date right on one line: a right tab at the edge of the type area, then
        # the red rule as the paragraph's bottom border (it spans exactly the type area).
        p = self._para("报头")
        _oxml.para_props(p._p, before=LINE)
        _oxml.tab_stops(p._p, [("right", TEXT_WIDTH)])
        _oxml.border(p._p, "bottom", size=RULE_RED, color=red, space=4)
        self._run(p, f"{b.issuer}\t{b.date_text}", font=f.heading2, size=BODY_SIZE)
        if b.theme:
            p = self._para("目录标题")
            _oxml.para_props(p._p, before=LINE)
            self._run(p, b.theme, font=f.heading1, size=BODY_SIZE)

    def _table_of_contents(self) -> None:
        if not any(group.entries for group in self.b.toc):
            return
        f = self.fonts
        p = self._para("目录标题")
        _oxml.para_props(p._p, before=LINE)
        self._run(p, "本期目录", font=f.heading1, size=BODY_SIZE)
        names = {
            item.anchor: _oxml.bookmark_name(item.anchor, i)
            for i, item in enumerate(self.b.articles, start=1)
        }
        for group in self.b.toc:
            indent = 0
            if group.label:
                p = self._para("目录栏目")
                _oxml.para_props(p._p, left_chars=1)
                self._run(p, group.label, font=f.heading1, size=BODY_SIZE)
                indent = 1
            for entry in group.entries:
                p = self._para("目录")
                # a long title wraps under its own first character
                _oxml.para_props(p._p, left_chars=indent + 3, hanging_chars=2)
                link = _oxml.internal_hyperlink(p._p, names.get(entry.anchor, entry.anchor))
                # symbols take the CJK face in every slot: LibreOffice treats ◆ as "weak" text
                # and would otherwise look for it in Times New Roman (→ DejaVu fallback)
                self._run(p, "◆\u3000", font=f.body, size=BODY_SIZE, into=link, latin=f.body)
                self._run(p, entry.title, font=f.body, size=BODY_SIZE, into=link)
                if entry.subtitle:
                    p = self._para("目录")
                    _oxml.para_props(p._p, left_chars=indent + 3)
                    self._run(p, entry.subtitle, font=f.heading2, size=BODY_SIZE)

    # ----------------------------------------------------------------- articles

    def _article(self, item: BulletinArticle, index: int) -> None:
        f = self.fonts
        if item.column_label:
            p = self._para("栏目")
            self._run(p, item.column_label, font=f.heading1, size=BODY_SIZE)
        p = self._para("Title")
        self._run(p, item.title, font=f.title, size=22.0)
        _oxml.add_bookmark(p._p, _oxml.bookmark_name(item.anchor, index), self._next_bookmark_id())
        if item.subtitle:
            p = self._para("Subtitle")
            self._run(p, item.subtitle, font=f.heading2, size=BODY_SIZE)
        if item.author:
            p = self._para("作者")
            self._run(p, item.author, font=f.heading2, size=BODY_SIZE)
        if item.note:
            for number, text in enumerate(item.note.paragraphs or ("",)):
                p = self._para("编者按")
                if number == 0:
                    self._run(p, item.note.label, font=f.heading1, size=BODY_SIZE)
                self._run(p, text, font=f.heading2, size=BODY_SIZE)
        for block in item.article.blocks:
            self._block(block)
        if item.source:
            p = self._para("供稿单位")
            self._run(p, item.source, font=f.body, size=BODY_SIZE)

    def _block(self, block: Block, *, style: str = "Normal", font: str | None = None) -> None:
        f = self.fonts
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 4)
            p = self._para(f"Heading {level}")
            role_font = (f.heading1, f.heading2, f.heading3, f.heading4)[level - 1]
            self._spans(p, block.spans, font=role_font, size=BODY_SIZE, bold=level == 3)
        elif isinstance(block, Paragraph):
            p = self._para(style)
            self._spans(p, block.spans, font=font or f.body, size=BODY_SIZE)
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                p = self._para("列表")
                if item.depth:  # nested items step in two characters per level
                    _oxml.para_props(p._p, left_chars=2 * item.depth, first_chars=2)
                marker = f"{number}." if block.ordered else "●\u3000"
                self._run(
                    p,
                    marker,
                    font=font or f.body,
                    size=BODY_SIZE,
                    latin=None if block.ordered else font or f.body,
                )
                self._spans(p, item.spans, font=font or f.body, size=BODY_SIZE)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Image):
            self._image(block)
        elif isinstance(block, Quote):
            for inner in block.blocks:
                self._block(inner, style="Quote", font=f.heading2)
        elif isinstance(block, CodeBlock):
            p = self._para("代码")
            lines = block.text.rstrip("\n").split("\n")
            for i, line in enumerate(lines):
                if i:
                    p.add_run().add_break()
                self._run(p, line, font=f.body, size=TABLE_SIZE, latin=CODE_FONT)
            _oxml.para_props(p._p, keep_lines=True)

    def _table(self, table: Table) -> None:
        f = self.fonts
        columns = (
            max(len(table.header), *(len(row) for row in table.rows))
            if table.rows
            else len(table.header)
        )
        if columns == 0:
            return
        rows = [table.header, *table.rows]
        t = self.doc.add_table(rows=len(rows), cols=columns)
        widths = _split_width(TEXT_WIDTH, columns)
        grid = (TABLE_RULE, "000000")
        _oxml.table_layout(
            t._tbl,
            width=TEXT_WIDTH,
            borders=dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), grid),
        )
        _oxml.grid_columns(t._tbl, widths)
        # row.cells, not t.cell(r, c): the latter rebuilds the whole cell grid on every call
        for r, (row, cells) in enumerate(zip(t.rows, rows, strict=True)):
            _oxml.row_props(row._tr, header=r == 0)
            for c, cell in enumerate(row.cells):
                _oxml.cell_props(cell._tc, width=widths[c])
                p = cell.paragraphs[0]
                self._set_style(p, "表格文字")
                data = cells[c] if c < len(cells) else None
                align = (data.align if data else None) or ("center" if r == 0 else None)
                if align:
                    _oxml.para_props(
                        p._p, jc={"left": "left", "center": "center", "right": "right"}[align]
                    )
                if data:
                    self._spans(
                        p, data.spans, font=f.heading1 if r == 0 else f.body, size=TABLE_SIZE
                    )
        # a table must not be glued to the next block; an empty paragraph would add a
        # whole grid line, so the table simply ends and the next paragraph follows.

    def _image(self, image: Image) -> None:
        path = image.path
        if not path.is_file():
            raise InputError(f"图片不存在：{image.src}")
        try:
            info = DocxImage.from_file(str(path))
        except (UnrecognizedImageError, OSError) as exc:
            raise InputError(f"无法读取图片 {image.src}：{exc}") from exc
        width, height = _fit_image(info.width, info.height, Twips(TEXT_WIDTH), MAX_IMAGE_HEIGHT)
        p = self._para("图片")
        p.add_run().add_picture(str(path), width=Emu(width), height=Emu(height))
        if image.caption:
            p = self._para("caption")
            self._run(p, image.caption, font=self.fonts.heading2, size=CAPTION_SIZE)

    # ----------------------------------------------------------------- 版记

    def _imprint(self) -> None:
        b, f = self.b, self.fonts
        lines: list[tuple[str, str | None, str | None]] = []  # (kind, left, right)
        for line in b.distribution:
            lines.append(("dist", f"{line.label}：{line.text}", None))
        if b.credits:
            left, right = _credits_pair(b.credits)
            lines.append(("credits", left, right))
        if b.copies_text:
            lines.append(("copies", None, b.copies_text))
        if not lines:
            return
        if b.layout.imprint_on_even_page:
            self.doc.add_section(WD_SECTION.EVEN_PAGE)
        t = self.doc.add_table(rows=len(lines), cols=1)
        _oxml.table_layout(
            t._tbl,
            width=TEXT_WIDTH,
            center=False,
            cell_margin=(0, 0),
            borders={
                "top": (RULE_THICK, "000000"),
                "bottom": (RULE_THICK, "000000"),
                "insideH": (RULE_THIN, "000000"),
                "left": None,
                "right": None,
                "insideV": None,
            },
        )
        _oxml.grid_columns(t._tbl, [TEXT_WIDTH])
        _oxml.float_at_page_bottom(t._tbl, x=MARGIN_LEFT)
        inner = TEXT_WIDTH - 2 * round(IMPRINT_SIZE * 20)  # 左右各空一字
        for r, (kind, left, right) in enumerate(lines):
            _oxml.row_props(t.rows[r]._tr)
            cell = t.cell(r, 0)
            _oxml.cell_props(cell._tc, width=TEXT_WIDTH)
            p = cell.paragraphs[0]
            self._set_style(p, "版记")
            _oxml.para_props(p._p, keep_next=r < len(lines) - 1, keep_lines=True)
            if kind == "dist":
                label_chars = len(left.split("：", 1)[0]) + 1
                # wrapped lines align with the first character after the colon (§7.4.2)
                _oxml.para_props(
                    p._p,
                    left_chars=1 + label_chars,
                    right_chars=1,
                    hanging_chars=label_chars,
                    char_twips=round(IMPRINT_SIZE * 20),
                )
                self._run(p, left, font=f.imprint, size=IMPRINT_SIZE)
            elif kind == "credits":
                _oxml.tab_stops(p._p, [("right", inner)])
                self._run(
                    p, f"{left}\t{right}" if right else left, font=f.imprint, size=IMPRINT_SIZE
                )
            else:
                _oxml.para_props(p._p, jc="right")
                self._run(p, right or "", font=f.imprint, size=IMPRINT_SIZE)
        # The body must end with a paragraph; keep it one point high so it never adds a page.
        tail = self._para("报头")
        _oxml.para_props(tail._p, line=20, rule="exact")
        _oxml.run_props(tail._p.get_or_add_pPr(), size=1.0)

    # ----------------------------------------------------------------- package

    def _package_parts(self) -> None:
        """Theme and the legacy stylesWithEffects part carry Calibri/MS Mincho theme fonts:
        point them at the bulletin's faces so no reader substitutes or prompts."""
        _oxml.strip_theme_fonts(self.doc.element)
        rewrites = {
            "/theme/theme1.xml": lambda blob: _oxml.rewrite_theme_fonts(
                blob, major=self.fonts.heading1, minor=self.fonts.body, latin=self.fonts.latin
            ),
            "/stylesWithEffects.xml": _oxml.rewrite_styles_blob,
        }
        for source in list(self.doc.part.package.iter_parts()):
            for rel_id, rel in list(source.rels.items()):
                if rel.is_external:
                    continue
                target = rel.target_part
                rewrite = next(
                    (f for end, f in rewrites.items() if str(target.partname).endswith(end)), None
                )
                if rewrite is not None:
                    _replace_part(source, rel_id, rel.reltype, target, rewrite(target.blob))

    def _core_properties(self) -> None:
        props = self.doc.core_properties
        b = self.b
        stamp = _issue_datetime(b.date)
        props.title = f"{b.name}　{b.issue_label}"
        props.subject = "；".join(item.article.title for item in b.articles)[:255]
        props.author = b.issuer
        props.last_modified_by = b.issuer
        props.keywords = b.issue_id
        props.comments = ""
        props.category = "简报"
        props.language = "zh-CN"
        props.revision = 1
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp


# --------------------------------------------------------------------------- pure helpers


def _masthead_size(name: str, wanted: float) -> float:
    """The configured masthead size, shrunk (in half points) until the name fits one line."""
    units = sum(0.5 if ch.isascii() else 1.0 for ch in name) or 1.0
    fits = TEXT_WIDTH / 20 / units * 0.98
    size = min(wanted, fits)
    return max(16.0, int(size * 2) / 2)


def _replace_part(source: Part, rel_id: str, reltype: str, old: Part, blob: bytes) -> None:
    """Point *source*'s relationship *rel_id* at a copy of *old* holding *blob* (python-docx
    has no public setter for a part's bytes; a new part under the same name and id is public)."""
    new = Part.load(old.partname, old.content_type, blob, old.package)
    for child_id, child in old.rels.items():
        new.load_rel(
            child.reltype,
            child.target_ref if child.is_external else child.target_part,
            child_id,
            child.is_external,
        )
    del source.rels[rel_id]
    source.load_rel(reltype, new, rel_id)


def _credits_pair(credits: Sequence[ImprintLine]) -> tuple[str, str | None]:
    """编辑 on the left, the last credit (签发) on the right, any others with the left one."""
    texts = [f"{c.label}：{c.text}" for c in credits]
    if len(texts) == 1:
        return texts[0], None
    return IDEOGRAPHIC_SPACE.join(texts[:-1]), texts[-1]


def _split_width(total: int, columns: int) -> list[int]:
    base = total // columns
    widths = [base] * columns
    widths[-1] += total - base * columns
    return widths


def _fit_image(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """Native size (EMU), scaled down proportionally to fit the box; never scaled up."""
    scale = min(1.0, max_width / width if width else 1.0, max_height / height if height else 1.0)
    return int(width * scale), int(height * scale)


def _issue_datetime(date: dt.date) -> dt.datetime:
    """Core-property timestamp derived from the issue date, never from the clock."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
