"""The printed edition: a red-headed (红头) DOCX laid out after GB/T 9704-2012.

Page: A4, margins 37/35/28/26 mm (type area 156 x 225 mm), a line grid of
22 lines, every body line exactly one grid pitch (28.95 pt) high and 三号 glyphs tracked to
28 a line, so pages hold 22 x 28 in Word, WPS and LibreOffice alike. Page 1 carries the 报头 (classification,
red name, readership, 期号, issuer and date over a red rule) and the table of contents; the
articles follow; the 版记 is a table floated onto the bottom edge of the type area of the
last page. Page numbers are ``— N —`` in the footer, odd pages right and even pages left.

The XML is written directly (:mod:`briefing.render._oxml`) into a package of fixed parts
(:mod:`briefing.render._package`): no document library sits between the bulletin and the
WordprocessingML. python-docx's import, template and proxy objects were half of a build
(``docs/architecture.md``); every byte of the package is now this code's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
from briefing.pictures import BadPicture, picture_header
from briefing.render import _oxml
from briefing.render._package import (
    REL_FOOTER,
    REL_HEADER,
    Package,
    core_properties,
    numbering_part,
)
from briefing.render.reproducible import issue_timestamp
from briefing.textio import read_reason

# --------------------------------------------------------------------------- page geometry (twips)

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1588, 1474  # 37/35/28/26 mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 = 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 = 225 mm
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# One grid line: the largest whole twip with 22 x pitch <= 225 mm (12756 / 22 = 579.8).
LINE = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
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
TABLE_CELL_MARGIN = 85  # 1.5 mm left and right inside a table cell
TABLE_CELL_MARGIN_NARROW = 28  # 0.5 mm, for the widest tables at 五号
# 四号, 小四, 五号: a table steps down before any number or short label would have to wrap
TABLE_SIZES = (14.0, 12.0, 10.5)

IMPRINT_SIZE = 14.0  # 四号
IMPRINT_LINE = 400  # 20 pt exact: a 四号 line inside the 28.95 pt 版记 row
PAGE_NUMBER_SIZE = 14.0  # 四号
TABLE_SIZE = 14.0
CAPTION_SIZE = 14.0
CODE_FONT = "Courier New"
ISSUER_FLOOR = 12.0  # 小四: the smallest the issuer shrinks to beside the date
EMU_PER_TWIP, EMU_PER_MM = 635, 36_000
MAX_IMAGE_HEIGHT = 150 * EMU_PER_MM  # two thirds of the type area: never a page alone
MIN_IMAGE_HEIGHT = 60 * EMU_PER_MM  # a picture shrinks to its page's free lines down to this
CJK_LINE_HEIGHT = 1.45  # ascent + descent of the CJK faces, in em (measured on the grid)

EM_DASH, IDEOGRAPHIC_SPACE = "\u2014", "\u3000"


def render_docx(bulletin: Bulletin, out: Path, *, imprint_break: bool = True) -> None:
    """Write the complete DOCX for *bulletin* to *out*.

    With ``layout.imprint_on_even_page``, *imprint_break* puts the 版记 in a section of its
    own that starts on an even page (a blank page before it when needed; neither carries a
    page number). ``imprint_break=False`` lets it share the last text page instead: the PDF
    build tries that first and keeps it when the 版记 lands on an even page.

    The document is built in memory and written in one go, so a failure (a broken picture, a
    full disk while serialising) never leaves a half-written file at *out*.
    """
    data = _Builder(bulletin, imprint_break=imprint_break).build()
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
    keep_lines: bool = False
    outline: int | None = None
    snap: bool | None = None
    before: int = 0
    after: int = 0
    builtin: bool = False


class _Builder:
    def __init__(self, bulletin: Bulletin, *, imprint_break: bool = True) -> None:
        self.imprint_break = imprint_break and bulletin.layout.imprint_on_even_page
        self.b = bulletin
        self.fonts = bulletin.fonts
        self.package = Package()
        self.body = self.package.body
        self._bookmark_id = 0
        self._shape_id = 0
        self._style_ids: dict[str, str | None] = {}
        self._run_formats = _oxml.RunFormats()
        # the rough pagination of _lines_used_on_page, carried on from block to block
        self._measured = 0  # body children already paginated (all final by then)
        self._used = 0.0  # grid lines used on the page after them

    # ----------------------------------------------------------------- top level

    def build(self) -> bytes:
        """The complete DOCX package."""
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
        return self.package.to_bytes(self._core_properties(), issue_timestamp(self.b.date))

    @property
    def _section(self):
        """The properties of the body's last section (the final ``w:sectPr``)."""
        return self.body[-1]

    def _page_setup(self) -> None:
        _oxml.page_geometry(
            self._section,
            size=(PAGE_WIDTH, PAGE_HEIGHT),
            margins={
                "top": MARGIN_TOP,
                "right": MARGIN_RIGHT,
                "bottom": MARGIN_BOTTOM,
                "left": MARGIN_LEFT,
                "header": HEADER_DISTANCE,
                "footer": FOOTER_DISTANCE,
                "gutter": 0,
            },
        )
        _oxml.page_setup(self._section, grid_line_pitch=LINE)

    def _styles(self) -> None:
        f = self.fonts
        styles_element = self.package.styles
        _oxml.doc_defaults(styles_element, east_asia=f.body, latin=f.latin, size=BODY_SIZE)
        kai = f.heading2
        roles = (
            _Role("Normal", "Normal", f.body, BODY_SIZE, jc="both", first_chars=2, builtin=True),
            # off the grid at exactly one grid pitch a line: snapped, a 22 pt line took two grid
            # lines (the two lines of a title measured 20 mm apart); keepLines keeps it whole
            _Role(
                "Title",
                "Title",
                f.title,
                TITLE_SIZE,
                jc="center",
                first_chars=0,
                keep_next=True,
                keep_lines=True,
                outline=0,
                before=LINE + LINE // 2,
                after=LINE - LINE // 2,
                snap=False,
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
                jc="left",
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
                line=IMPRINT_LINE,
                jc="left",
                first_chars=0,
                left_chars=1,
                right_chars=1,
                snap=False,
            ),
            _Role("报头", "BriefingMasthead", f.body, BODY_SIZE, jc="left", first_chars=0),
        )
        for role in roles:
            self._define_style(role)
        self._roles = {role.style_id: role for role in roles}
        # Paragraphs are styled by id; the default style (Normal) is written as no w:pStyle
        self._style_ids = {
            role.name: None if role.style_id == "Normal" else role.style_id for role in roles
        }

    def _define_style(self, role: _Role) -> None:
        styles = self.package.styles
        if role.builtin:
            style = _oxml.find_style(styles, role.style_id)
            _oxml.reset_style(style)
        else:
            style = _oxml.add_paragraph_style(styles, role.name, role.style_id)
        if role.name != "Normal":
            _oxml.style_links(style, based_on=None if role.builtin else "Normal", next_id="Normal")
        _oxml.para_props(
            style,
            line=role.line,
            rule=role.rule,
            before=role.before,
            after=role.after,
            first_chars=role.first_chars,
            left_chars=role.left_chars,
            right_chars=role.right_chars,
            char_twips=round(role.size * 20),
            jc=role.jc,
            keep_next=role.keep_next or None,
            keep_lines=role.keep_lines or None,
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
            style,
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
            _oxml.clear_tab_stops(style, ())

    # ----------------------------------------------------------------- low-level helpers

    def _para(self, style: str):
        paragraph = _oxml.add_paragraph(self.body)
        self._set_style(paragraph, style)
        return paragraph

    def _set_style(self, paragraph, style: str) -> None:
        """Point *paragraph* at the style of role *style* (ids resolved in :meth:`_styles`)."""
        _oxml.paragraph_style(paragraph, self._style_ids[style])

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
        run = _oxml.add_run(paragraph, text)
        self._run_formats.apply(
            run,
            east_asia=font,
            latin=latin or self.fonts.latin,
            size=size,
            bold=bold or None,
            italic=italic or None,
            color=color,
            hint=_oxml.needs_east_asia_hint(text),
        )
        if into is not None:
            into.append(run)
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
                _oxml.add_break(paragraph)
                continue
            self._run(
                paragraph,
                _breakable(span.text),
                font=font,
                size=size,
                bold=bold or span.bold,
                italic=span.italic,
                color=color,
                latin=CODE_FONT if span.code else None,
            )

    def _add_story(self, reltype: str, which: str):
        """A new footer or header part for the last section: its root element."""
        rel_id, root = self.package.add_story(reltype)
        kind = "footer" if reltype == REL_FOOTER else "header"
        _oxml.add_story_reference(self._section, kind, which, rel_id)
        return root

    def _next_bookmark_id(self) -> int:
        self._bookmark_id += 1
        return self._bookmark_id

    # ----------------------------------------------------------------- footers and header

    def _footers(self) -> None:
        """``— N —`` 四号 宋体: odd pages right with one ideographic space outside, even left."""
        footers = [self._add_story(REL_FOOTER, which) for which in ("default", "even")]
        for footer, odd in zip(footers, (True, False), strict=True):
            paragraph = _oxml.cell_paragraph(footer)
            self._set_style(paragraph, "footer")
            # 空一字 on the outside edge as an indent of one 四号 character: a trailing U+3000
            # would be swallowed as line-end whitespace by right alignment (measured in LO).
            _oxml.para_props(
                paragraph,
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
            _oxml.append_field(paragraph, "PAGE", "1", _oxml.run_properties(first))
            self._run(paragraph, f" {EM_DASH}", font=font, size=PAGE_NUMBER_SIZE, latin=font)

    def _draft_mark(self) -> None:
        """A red 样稿 at the top right of every page, outside the type area."""
        for which in ("default", "even"):
            paragraph = _oxml.cell_paragraph(self._add_story(REL_HEADER, which))
            self._set_style(paragraph, "header")
            _oxml.para_props(paragraph, jc="right", first_chars=0)
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
        _oxml.para_props(p, line=lines * LINE, jc="center")
        self._run(p, b.name, font=f.masthead, size=size, color=red)
        if b.readership:
            p = self._para("报头")
            _oxml.para_props(p, jc="center")
            self._run(p, b.readership, font=f.heading2, size=BODY_SIZE, color=red)
        p = self._para("报头")
        _oxml.para_props(p, jc="center", before=LINE if not b.readership else 0)
        self._run(p, b.issue_label, font=f.body, size=BODY_SIZE)
        # issuer left, date right on one line: a right tab at the edge of the type area, then
        # the red rule as the paragraph's bottom border (it spans exactly the type area).
        # A long issuer shrinks (down to ISSUER_FLOOR) so the date stays whole on the same line.
        p = self._para("报头")
        _oxml.para_props(p, before=LINE)
        _oxml.tab_stops(p, [("right", TEXT_WIDTH)])
        _oxml.border(p, "bottom", size=RULE_RED, color=red, space=4)
        issuer_size = _issuer_size(b.issuer, b.date_text)
        if issuer_size is None:  # too long even at the floor: two lines, the date on the last
            size, first, second = _split_issuer(b.issuer, b.date_text)
            self._run(p, first, font=f.heading2, size=size)
            _oxml.add_break(p)
            self._run(p, second, font=f.heading2, size=size)
        else:
            self._run(p, b.issuer, font=f.heading2, size=issuer_size)
        self._run(p, f"\t{b.date_text}", font=f.heading2, size=BODY_SIZE)
        if b.theme:
            p = self._para("目录标题")
            _oxml.para_props(p, before=LINE)
            self._run(p, b.theme, font=f.heading1, size=BODY_SIZE)

    def _table_of_contents(self) -> None:
        if not any(group.entries for group in self.b.toc):
            return
        f, layout = self.fonts, self.b.layout
        heading = layout.toc_heading.strip()
        if heading:
            p = self._para("目录标题")
            _oxml.para_props(p, before=LINE)
            self._run(p, heading, font=f.heading1, size=BODY_SIZE)
        names = {
            item.anchor: _oxml.bookmark_name(item.anchor, i)
            for i, item in enumerate(self.b.articles, start=1)
        }
        marker = layout.toc_marker.strip()
        inline_subtitle = layout.toc_subtitle == "inline"
        number = 0
        for group in self.b.toc:
            indent = 0
            if group.label:
                p = self._para("目录栏目")
                first = number == 0 and not heading
                _oxml.para_props(p, left_chars=1, before=LINE if first else None)
                self._run(p, group.label, font=f.heading1, size=BODY_SIZE)
                indent = 1
            for entry in group.entries:
                number += 1
                label = _toc_marker(marker, number)
                hang = 2 if label else 0
                p = self._para("目录")
                # a long title wraps under its own first character; an entry never splits
                # across pages, and its subtitle line stays with it
                _oxml.para_props(
                    p,
                    left_chars=indent + 1 + hang,
                    hanging_chars=hang,
                    first_chars=0,
                    keep_lines=True,
                    keep_next=bool(entry.subtitle and not inline_subtitle) or None,
                    # without a heading, a blank line still parts the contents from the rule
                    before=LINE if number == 1 and not heading and indent == 0 else None,
                )
                link = _oxml.internal_hyperlink(p, names.get(entry.anchor, entry.anchor))
                if label:
                    # symbols take the CJK face in every slot: LibreOffice treats ◆ as "weak"
                    # text and would otherwise look for it in Times New Roman (DejaVu fallback)
                    self._run(p, label, font=f.body, size=BODY_SIZE, into=link, latin=f.body)
                title = entry.title.replace("\n", "")
                self._run(p, title, font=f.body, size=BODY_SIZE, into=link)
                if entry.subtitle:
                    if not inline_subtitle:
                        p = self._para("目录")
                        _oxml.para_props(p, left_chars=indent + 1 + hang, keep_lines=True)
                    self._run(p, entry.subtitle, font=f.heading2, size=BODY_SIZE)

    # ----------------------------------------------------------------- articles

    def _article(self, item: BulletinArticle, index: int) -> None:
        f = self.fonts
        if item.column_label:
            p = self._para("栏目")
            self._run(p, item.column_label, font=f.heading1, size=BODY_SIZE)
        p = self._para("Title")
        for i, line in enumerate(_title_lines(item.title)):
            if i:
                _oxml.add_break(p)
            self._run(p, line, font=f.title, size=TITLE_SIZE)
        _oxml.add_bookmark(p, _oxml.bookmark_name(item.anchor, index), self._next_bookmark_id())
        if item.subtitle:
            p = self._para("Subtitle")
            self._run(p, item.subtitle, font=f.heading2, size=BODY_SIZE)
        if item.author:
            p = self._para("作者")
            self._run(p, item.author, font=f.heading2, size=BODY_SIZE)
        if item.note:
            for number, text in enumerate(item.note.paragraphs):
                p = self._para("编者按")
                if number == 0:
                    self._run(p, item.note.label, font=f.heading1, size=BODY_SIZE)
                self._run(p, text, font=f.heading2, size=BODY_SIZE)
        lead = True  # the first paragraph after a title or heading keeps two lines with it
        previous: Block | None = None
        for block in item.article.blocks:
            if isinstance(block, Table) and isinstance(previous, Table):
                # Word and LibreOffice merge two adjacent tables into one (one header row
                # repeated for both): an empty line keeps them apart
                self._para("Normal")
            self._block(block, lead=lead)
            lead = isinstance(block, Heading)
            previous = block
        if item.source:
            p = self._para("供稿单位")
            self._run(p, item.source, font=f.body, size=BODY_SIZE)

    def _block(
        self, block: Block, *, style: str = "Normal", font: str | None = None, lead: bool = False
    ) -> None:
        f = self.fonts
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 4)
            p = self._para(f"Heading {level}")
            role_font = (f.heading1, f.heading2, f.heading3, f.heading4)[level - 1]
            self._spans(p, block.spans, font=role_font, size=BODY_SIZE, bold=level == 3)
        elif isinstance(block, Paragraph):
            p = self._para(style)
            if lead:
                # orphan/widow control here only: a title or heading never stands at the foot
                # of a page with a single line under it, while the other pages keep 22 lines
                _oxml.para_props(p, widow_control=True)
            self._spans(p, block.spans, font=font or f.body, size=BODY_SIZE)
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                p = self._para("列表")
                if item.depth:  # nested items step in two characters per level
                    _oxml.para_props(p, left_chars=2 * item.depth, first_chars=2)
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
                    _oxml.add_break(p)
                self._run(p, line, font=f.body, size=TABLE_SIZE, latin=CODE_FONT)
            _oxml.para_props(p, keep_lines=True)

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
        texts = [
            ["".join(s.text for s in row[c].spans) if c < len(row) else "" for c in range(columns)]
            for row in rows
        ]
        size, margin, widths = _table_widths(texts, TEXT_WIDTH)
        t = _oxml.add_table(self.body, len(rows), columns, TEXT_WIDTH)
        grid = (TABLE_RULE, "000000")
        _oxml.table_layout(
            t,
            width=TEXT_WIDTH,
            borders=dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), grid),
            cell_margin=(margin, margin),
        )
        _oxml.grid_columns(t, widths)
        for r, ((row, row_cells), cells) in enumerate(
            zip(_oxml.rows_and_cells(t), rows, strict=True)
        ):
            _oxml.row_props(row, header=r == 0)
            for c, cell in enumerate(row_cells):
                short = _unbreakable(texts[r][c])
                _oxml.cell_props(cell, width=widths[c], no_wrap=short, v_align="center")
                p = _oxml.cell_paragraph(cell)
                self._set_style(p, "表格文字")
                data = cells[c] if c < len(cells) else None
                # the header and short labels centred, the author's alignment kept, long text
                # ragged left: justified cell text spreads a few characters across the cell
                align = (data.align if data else None) or ("center" if r == 0 or short else "left")
                _oxml.para_props(p, jc=align)
                if size != TABLE_SIZE:
                    _oxml.run_props(_oxml.paragraph_properties(p), size=size)
                if data:
                    self._spans(p, data.spans, font=f.heading1 if r == 0 else f.body, size=size)
        # a table must not be glued to the next block; an empty paragraph would add a
        # whole grid line, so the table simply ends and the next paragraph follows.

    def _image(self, image: Image) -> None:
        path = image.path
        if not path.is_file():
            raise InputError(f"图片不存在：{image.src}")
        try:
            data = path.read_bytes()
            header = picture_header(data)
        except OSError as exc:
            raise InputError(f"无法读取图片 {image.src}：{read_reason(exc)}") from exc
        except BadPicture as exc:
            raise InputError(f"无法读取图片 {image.src}：{exc}") from exc
        width, height = _fit_image(*header.extent, TEXT_WIDTH * EMU_PER_TWIP, MAX_IMAGE_HEIGHT)
        # Rather than leave the rest of the page empty, shrink a picture to the lines left on
        # it (caption included), unless that would make it smaller than MIN_IMAGE_HEIGHT.
        caption_lines = _wrapped_lines(image.caption, CAPTION_SIZE) if image.caption else 0
        # One line of slack: the estimate ignores keep rules, and LibreOffice gives a picture
        # paragraph on the grid a little more than the picture's height (measured: a 97 mm
        # picture with exactly 10 free lines moved to the next page).
        left = int(LINES_PER_PAGE - self._lines_used_on_page()) - caption_lines - 1
        room = (left * LINE - 20) * EMU_PER_TWIP
        if height > room >= MIN_IMAGE_HEIGHT:
            width, height = _fit_image(width, height, width, room)
        p = self._para("图片")
        self._shape_id += 1
        _oxml.add_picture(
            p,
            rel_id=self.package.add_image(data, header.kind, path.name),
            shape_id=self._shape_id,
            name=path.name,
            cx=width,
            cy=height,
        )
        if image.caption:
            p = self._para("caption")
            _oxml.para_props(p, keep_lines=True)
            self._run(p, image.caption, font=self.fonts.heading2, size=CAPTION_SIZE)

    # ----------------------------------------------------------------- 版记

    def _imprint(self) -> None:
        b, f = self.b, self.fonts
        lines: list[tuple[str, str | None, str | None]] = []  # (kind, left, right)
        for line in b.distribution:
            lines.append(("dist", f"{line.heading}{line.text}", None))
        if b.credits:
            left, right = _credits_pair(b.credits)
            lines.append(("credits", left, right))
        if b.copies_text:
            lines.append(("copies", None, b.copies_text))
        if not lines:
            return
        if self.imprint_break:
            self._imprint_section()
        t = _oxml.add_table(self.body, len(lines), 1, TEXT_WIDTH)
        _oxml.table_layout(
            t,
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
        _oxml.grid_columns(t, [TEXT_WIDTH])
        _oxml.float_at_page_bottom(t, x=MARGIN_LEFT)
        # 左右各空一字. Tab stops count from the paragraph's edge (the type area), not from its
        # indent, in Word and in LibreOffice's DOCX mode: one character in from the right.
        inner = TEXT_WIDTH - round(IMPRINT_SIZE * 20)
        for r, ((kind, left, right), (row, (cell,))) in enumerate(
            zip(lines, _oxml.rows_and_cells(t), strict=True)
        ):
            # one grid line per row, rules included: an exact row height, the text centred in
            # it off the grid (a snapped 四号 line plus the rule measured 10.5 mm, not 10.2)
            _oxml.row_props(row, height=LINE)
            _oxml.cell_props(cell, width=TEXT_WIDTH, v_align="center")
            p = _oxml.cell_paragraph(cell)
            self._set_style(p, "版记")
            _oxml.para_props(p, keep_next=r < len(lines) - 1, keep_lines=True)
            if kind == "dist":
                label_chars = len(left.split("：", 1)[0]) + 1
                # wrapped lines align with the first character after the colon (§7.4.2)
                _oxml.para_props(
                    p,
                    left_chars=1 + label_chars,
                    right_chars=1,
                    hanging_chars=label_chars,
                    char_twips=round(IMPRINT_SIZE * 20),
                )
                self._run(p, left, font=f.imprint, size=IMPRINT_SIZE)
            elif kind == "credits":
                _oxml.tab_stops(p, [("right", inner)])
                self._run(
                    p, f"{left}\t{right}" if right else left, font=f.imprint, size=IMPRINT_SIZE
                )
            else:
                _oxml.para_props(p, jc="right")
                self._run(p, right or "", font=f.imprint, size=IMPRINT_SIZE)
        # The body must end with a paragraph; keep it one point high and off the grid: a
        # snapped paragraph takes a whole 10.2 mm line and would push the 版记 (anchored to
        # it) onto a page of its own when that line is not free.
        self._hairline()

    # ----------------------------------------------------------------- layout estimate

    def _lines_used_on_page(self) -> float:
        """Grid lines already used on the page the next block starts on: a rough pagination
        of everything written so far (text widths estimated, keep rules ignored). Pictures
        use it to fit the space left; a wrong guess only moves a picture, as before.

        Blocks written before are final, so the count goes on from where the last call
        stopped: an issue with many pictures is paginated once, not once per picture."""
        used = self._used
        for element in self.body[self._measured :]:
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "sectPr":  # the final section properties: always last
                break
            self._measured += 1
            if tag == "p":
                height, whole = self._paragraph_height(_oxml.paragraph_facts(element))
            elif tag == "tbl":
                height, whole = _table_height(_oxml.table_facts(element)), False
            else:
                continue
            if whole and used + height > LINES_PER_PAGE + 0.01:
                used = 0.0
            used += height
            while used > LINES_PER_PAGE + 0.01:
                used -= LINES_PER_PAGE
        self._used = used
        return used

    def _paragraph_height(self, facts: dict) -> tuple[float, bool]:
        """Grid lines a paragraph takes, and whether it must stay whole."""
        role = self._roles.get(facts["style"] or "Normal", self._roles["Normal"])
        before = facts["before"] if facts["before"] is not None else role.before
        after = facts["after"] if facts["after"] is not None else role.after
        line = facts["line"] or role.line or 240
        rule = facts["rule"] or role.rule
        snap = facts["snap"] if facts["snap"] is not None else role.snap is not False
        size = facts["size"] or role.size
        if facts["pictures"]:
            lines = max(facts["pictures"]) / 635 / LINE
            return (-(-lines // 1) if snap else lines) + (before + after) / LINE, True
        indent = facts["indent"] / 100 if facts["indent"] else (role.first_chars or 0)
        count = facts["breaks"] + _wrapped_lines(facts["text"], size, indent)
        height = line if rule == "exact" else size * 20 * 1.3 * line / 240
        # on the grid LibreOffice gives a line as many pitches as its CJK font's full height
        # (ascent + descent, 1.45 em in Noto CJK) needs: a snapped 二号 line takes two
        per_line = -(-max(height, size * 20 * CJK_LINE_HEIGHT) // LINE) if snap else height / LINE
        return count * per_line + (before + after) / LINE, role.keep_lines

    def _imprint_section(self) -> None:
        """A section that starts on the next even page, with empty footers: GB/T 9704 §7.5
        numbers neither the 版记 page nor a blank page before it. LibreOffice draws the blank
        page it inserts without header or footer (measured); which section's footer Word
        prints on its blank page was not verified (no Word here). The section opens with a
        one-point paragraph: LibreOffice ignores the even-page start of a section that begins
        with a floating table (measured)."""
        _oxml.add_section_break(self.body, "evenPage")
        for which in ("default", "even"):  # empty: the template's one Footer paragraph
            self._add_story(REL_FOOTER, which)
        self._hairline()

    def _hairline(self):
        """A one-point paragraph off the grid: takes no line of its own."""
        p = self._para("报头")
        _oxml.para_props(p, line=20, rule="exact", snap_to_grid=False)
        _oxml.run_props(_oxml.paragraph_properties(p), size=1.0)
        return p

    # ----------------------------------------------------------------- package

    def _package_parts(self) -> None:
        """The theme's Calibri/MS Mincho fonts point at the bulletin's faces (so no reader
        substitutes or prompts), and styles.xml keeps only the styles the document uses."""
        self.package.theme = _oxml.rewrite_theme_fonts(
            self.package.theme,
            major=self.fonts.heading1,
            minor=self.fonts.body,
            latin=self.fonts.latin,
        )
        stories = [self.package.document, numbering_part(), *self.package.stories]
        _oxml.prune_styles(self.package.styles, stories)

    def _core_properties(self) -> bytes:
        b = self.b
        return core_properties(
            title=f"{b.name}　{b.issue_label}",
            subject="；".join(item.article.title for item in b.articles),
            author=b.issuer,
            keywords=b.issue_id,
            category="简报",
            language="zh-CN",
            stamp=issue_timestamp(b.date),
        )


# --------------------------------------------------------------------------- pure helpers


def _text_width(text: str, size: float, tracking: float = TRACKING / 20) -> float:
    """Estimated advance of *text* in points: CJK and full-width forms one em, ASCII half
    (Times digits are exactly half an em), narrow ASCII punctuation a quarter, and the space
    Word and LibreOffice add between CJK and Latin letters or digits (measured 0.2 em)."""
    # counted with str methods rather than summed per character: sizes are whole half points,
    # so every term is exact in binary floating point and the total the same in any order
    narrow = sum(map(text.count, _NARROW))
    ascii_count = len(text.encode("ascii", "ignore"))
    width = (
        narrow * (size / 4)
        + (ascii_count - narrow) * (size / 2)
        + (len(text) - ascii_count) * size
        + len(text) * tracking
    )
    return width + _script_switches(text) * size * 0.2


_NARROW = ".,:;!'|"
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")


def _script_switches(text: str) -> int:
    """How often Latin letters or digits and CJK characters meet: each such pair is at an end
    of a run of letters and digits."""
    switches = 0
    for run in _ALNUM_RUN.finditer(text):
        start, end = run.span()
        switches += start > 0 and _is_cjk(text[start - 1])
        switches += end < len(text) and _is_cjk(text[end])
    return switches


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _wrapped_lines(text: str, size: float, indent_chars: float = 0.0) -> int:
    """Lines *text* takes across the type area at *size* pt (at least one)."""
    room = TEXT_WIDTH / 20
    width = _text_width(text, size) + indent_chars * size
    return max(1, -(-int(width * 100) // int(room * 100)))


def _table_height(rows: list[list[tuple[str, int, float]]]) -> float:
    """Grid lines a table takes: each row as high as its most wrapped cell (auto spacing)."""
    twips = 0.0
    for row in rows:
        lines = max(
            (
                max(1, -(-int(_text_width(text, size, 0) * 20) // max(1, width - 170)))
                for text, width, size in row
            ),
            default=1,
        )
        size = max((size for _, _, size in row), default=TABLE_SIZE)
        twips += lines * size * 20 * 1.17 + 10
    return twips / LINE


def _issuer_room(date: str) -> float:
    """Points left for the issuer beside the date and a one-character gap."""
    return TEXT_WIDTH / 20 - _text_width(date, BODY_SIZE) - BODY_SIZE


def _issuer_size(issuer: str, date: str) -> float | None:
    """三号, or the largest half point down to ISSUER_FLOOR at which the issuer, a one-character
    gap and the date share one line of the type area; None when even the floor is too big."""
    room, size = _issuer_room(date), BODY_SIZE
    while _text_width(issuer, size) > room:
        if size <= ISSUER_FLOOR:
            return None
        size -= 0.5
    return size


def _split_issuer(issuer: str, date: str) -> tuple[float, str, str]:
    """An issuer too long for one line, in two at the largest size (三号 down to
    ISSUER_FLOOR) where the second line leaves room for the date; the break goes after a
    closing bracket or 、 nearest the middle."""
    room, middle, size = _issuer_room(date), len(issuer) / 2, BODY_SIZE
    while True:
        fits = [
            i
            for i in range(1, len(issuer))
            if _text_width(issuer[i:], size) <= room
            and _text_width(issuer[:i], size) <= TEXT_WIDTH / 20
        ]
        if fits:
            best = min(fits, key=lambda i: (issuer[i - 1] not in "）)、", abs(i - middle)))
            return size, issuer[:best], issuer[best:]
        if size <= ISSUER_FLOOR:
            half = len(issuer) // 2
            return size, issuer[:half], issuer[half:]
        size -= 0.5


# Without spaces or punctuation to break at, a title breaks before one of the verbs and
# adverbs that open a phrase in 简报 titles (a segmenter such as jieba would bring a ~20 MB
# dictionary and a reported ~1 s first load, not measured here, for the few titles left).
_PHRASE_OPENERS = frozenset(
    [
        "全面",
        "推动",
        "推进",
        "加快",
        "聚焦",
        "助力",
        "助推",
        "打造",
        "破解",
        "实现",
        "探索",
        "建立",
        "构建",
        "强化",
        "深化",
        "提升",
        "开展",
        "召开",
        "举办",
        "做好",
        "落实",
        "扎实",
        "持续",
        "着力",
        "坚持",
        "创新",
        "优化",
        "完善",
        "服务",
        "保障",
        "促进",
        "筑牢",
        "织密",
        "激活",
        "赋能",
        "深入",
        "全力",
        "积极",
        "切实",
        "努力",
        "多措并举",
    ]
)
_TITLE_BREAK_AFTER = frozenset("，、：；！？”’》）】…—")
_TITLE_BREAK_BEFORE = frozenset("“‘《（【")
_OPENERS, _CLOSERS = "“‘《（【", "”’》）】"


def _title_lines(title: str) -> list[str]:
    """The lines of an article title (GB/T 9704 §7.3.1: whole words, a balanced shape).

    An author's own line break (a newline in the title) wins. Otherwise a title wider than
    the type area is broken once, at the most balanced phrase boundary where both halves fit:
    a space, after a pause or closing mark, before an opening mark, never inside “…” or 《…》.
    Without such a boundary the title is left to the reader's line breaking.
    """
    explicit = [part.strip() for part in title.split("\n") if part.strip()]
    if len(explicit) > 1:
        return explicit
    title = title.strip()
    room = TEXT_WIDTH / 20
    if _text_width(title, TITLE_SIZE) <= room:
        return [title]
    best: tuple[float, list[str]] | None = None
    depth = 0
    for i, ch in enumerate(title[:-1]):
        depth += (ch in _OPENERS) - (ch in _CLOSERS)
        after, nxt = ch, title[i + 1]
        rank = 0.0  # spaces first, then punctuation, then the phrase openers
        if after == " ":
            first, second = title[:i], title[i + 1 :]
        elif depth <= 0 and (after in _TITLE_BREAK_AFTER or nxt in _TITLE_BREAK_BEFORE):
            if after == "—" and nxt == "—":
                continue
            first, second, rank = title[: i + 1], title[i + 1 :], room
        elif depth <= 0 and _opens_phrase(title, i + 1) and not _opens_phrase(title, i - 1):
            first, second, rank = title[: i + 1], title[i + 1 :], 2 * room
        else:
            continue
        first, second = first.strip(), second.strip()
        if not first or not second:
            continue
        widths = _text_width(first, TITLE_SIZE), _text_width(second, TITLE_SIZE)
        if max(widths) > room:
            continue
        score = abs(widths[0] - widths[1]) + rank
        if best is None or score < best[0]:
            best = (score, [first, second])
    return best[1] if best else [title]


def _opens_phrase(title: str, i: int) -> bool:
    """Whether a phrase opener (推进, 全面 …) starts at index *i* of *title*."""
    return i >= 0 and any(title.startswith(word, i) for word in _PHRASE_OPENERS)


def _toc_marker(marker: str, number: int) -> str:
    """What stands before a table-of-contents entry: ``◆　``, ``1.`` or nothing."""
    if marker in ("", "none"):
        return ""
    if marker == "numbers":
        return f"{number}."
    return f"{marker}\u3000"


def _masthead_size(name: str, wanted: float) -> float:
    """The configured masthead size, shrunk (in half points) until the name fits one line."""
    units = sum(0.5 if ch.isascii() else 1.0 for ch in name) or 1.0
    fits = TEXT_WIDTH / 20 / units * 0.98
    size = min(wanted, fits)
    return max(16.0, int(size * 2) / 2)


def _credits_pair(credits: Sequence[ImprintLine]) -> tuple[str, str | None]:
    """编辑 on the left, the last credit (签发) on the right, any others with the left one."""
    texts = [f"{c.heading}{c.text}" for c in credits]
    if len(texts) == 1:
        return texts[0], None
    return IDEOGRAPHIC_SPACE.join(texts[:-1]), texts[-1]


_NUMBER = re.compile(r"[-+±]?[\d.,，%‰:/]+[%‰万亿元个人次项户]?")
SHORT_LABEL = 6  # characters: unit names (东湖街道, 滨江新区管委会) stay on one line
MIN_WRAPPING = 4  # characters: the narrowest column for running text


def _unbreakable(text: str) -> bool:
    """Numbers and short labels must never wrap inside a table cell."""
    text = text.strip()
    return bool(text) and (_NUMBER.fullmatch(text) is not None or len(text) <= SHORT_LABEL)


def _table_widths(texts: Sequence[Sequence[str]], total: int) -> tuple[float, int, list[int]]:
    """Font size, cell margin and column widths (twips) from the cell contents.

    The first size in TABLE_SIZES (then a narrower cell margin) at which every number and
    short label fits unbroken wins; each column gets at least its widest unbreakable cell,
    and the rest of the type width is shared in proportion to what the longer cells would
    need on one line. Past 五号 with narrow margins the columns are scaled to fit.
    """
    columns = len(texts[0])
    for size, margin in [(size, TABLE_CELL_MARGIN) for size in TABLE_SIZES] + [
        (TABLE_SIZES[-1], TABLE_CELL_MARGIN_NARROW)
    ]:
        pad = 2 * margin + 30  # the cell margins and a little air for the readers' rounding
        need, floor = [], []
        for c in range(columns):
            cells = [row[c] for row in texts]
            natural = max(_text_width(t, size, 0) for t in cells) * 20 + pad
            minimum = max(
                (_text_width(t, size, 0) if _unbreakable(t) else size * MIN_WRAPPING) * 20 + pad
                for t in cells
            )
            need.append(natural)
            floor.append(min(minimum, natural))
        if sum(floor) <= total:
            break
    if sum(need) <= total:
        base, extra = need, list(need)
    elif sum(floor) <= total:
        base, extra = floor, [n - m for n, m in zip(need, floor, strict=True)]
    else:
        base, extra = [m * total / sum(floor) for m in floor], [0.0] * columns
    spare = max(0.0, total - sum(base))
    weight = sum(extra) or 1.0
    widths = [int(b + spare * e / weight) for b, e in zip(base, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return size, margin, widths


# a run of 16+ characters with no break opportunity (URLs, IDs, long numbers)
_LONG_WORD = re.compile(r"[\x21-\x7e]{16,}")
ZERO_WIDTH_SPACE = "\u200b"


def _breakable(text: str) -> str:
    """Long unbreakable strings get zero-width break opportunities after their separators
    (and every eight characters), so they wrap where they must instead of moving whole to the
    next line and leaving the justified line before them stretched."""

    def split(match: re.Match[str]) -> str:
        word, out, since = match.group(0), [], 0
        for i, ch in enumerate(word):
            out.append(ch)
            since += 1
            last = i == len(word) - 1
            if not last and (ch in "/.-_?&=#,;:" or since >= 8):
                out.append(ZERO_WIDTH_SPACE)
                since = 0
        return "".join(out)

    return _LONG_WORD.sub(split, text)


def _fit_image(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """Native size (EMU), scaled down proportionally to fit the box; never scaled up."""
    scale = min(1.0, max_width / width if width else 1.0, max_height / height if height else 1.0)
    return int(width * scale), int(height * scale)
