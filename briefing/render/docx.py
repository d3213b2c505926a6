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

from pathlib import Path
from typing import TYPE_CHECKING

from briefing.model import (
    Block,
    Bulletin,
    BulletinArticle,
    CodeBlock,
    Heading,
    Image,
    Kept,
    ListBlock,
    PageBreak,
    Paragraph,
    PictureRow,
    Quote,
    Table,
)
from briefing.ooxml_names import qn
from briefing.pictures import picture_header
from briefing.render import _oxml
from briefing.render._package import (
    REL_FOOTER,
    REL_HEADER,
    core_properties,
    numbering_part,
)
from briefing.render.docx_fit import contents_fit, fit
from briefing.render.docx_front import FrontAndBack
from briefing.render.docx_layout import (
    PageFill,
    fit_image,
    fit_table,
    table_texts,
    table_widths,
    title_lines,
    unbreakable,
    wrapped_lines,
)
from briefing.render.docx_pages import page_fill
from briefing.render.docx_styles import (
    BODY_SIZE,
    CAPTION_SIZE,
    CODE_FONT,
    EMU_PER_MM,
    EMU_PER_TWIP,
    FOOTER_DISTANCE,
    HEADER_DISTANCE,
    LINE,
    LINES_PER_PAGE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MAX_IMAGE_HEIGHT,
    MIN_IMAGE_HEIGHT,
    PAGE_HEIGHT,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    TABLE_RULE,
    TABLE_SIZE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TITLE_SIZE,
    TRACKING,
    Role,
    font_faces,
    page_number_paragraph,
    roles,
)
from briefing.render.reproducible import issue_timestamp

if TYPE_CHECKING:
    from lxml import etree

EM_DASH = "\u2014"
LIST_INDENT = 2  # characters before a list marker: where a paragraph's first line starts


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


def contents_fit_page_one(bulletin: Bulletin) -> bool:
    """Whether the bulletin's table of contents fits on page 1 under the 报头 (tightened
    within readable limits if need be): ``check`` warns before the build when it does not."""
    builder = _Builder(bulletin)
    builder._page_setup()
    builder._style_table()  # the estimate reads the roles, not the styles part
    builder._masthead()
    builder._table_of_contents()
    return contents_fit(builder.body, builder._fill.roles)


class _Builder(FrontAndBack):
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
        if self.b.layout_revision >= 2:
            fit(
                self.body,
                self._fill.roles,
                toc_heading=self.b.layout.toc_heading.strip(),
                add_heading=self._contents_heading,
                imprint_alone=self.imprint_break,
            )
        self._package_parts()
        return self.package.to_bytes(self._core_properties(), issue_timestamp(self.b.date))

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
        _oxml.doc_defaults(self.package.styles, east_asia=f.body, latin=f.latin, size=BODY_SIZE)
        for role in self._style_table():
            self._define_style(role)

    def _style_table(self) -> tuple[Role, ...]:
        """The roles, and what paragraphs need of them: their style ids and the page estimate
        (the styles part itself is written by :meth:`_styles`)."""
        table = roles(self.fonts)
        self._fill = PageFill({role.style_id: role for role in table})
        # Paragraphs are styled by id; the default style (Normal) is written as no w:pStyle
        self._style_ids = {
            role.name: None if role.style_id == "Normal" else role.style_id for role in table
        }
        return table

    def _define_style(self, role: Role) -> None:
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

    # ----------------------------------------------------------------- footers and header

    def _footers(self) -> None:
        """``— N —`` 四号 宋体: odd pages right with one ideographic space outside, even left."""
        footers = [self._add_story(REL_FOOTER, which) for which in ("default", "even")]
        for footer, odd in zip(footers, (True, False), strict=True):
            paragraph = _oxml.cell_paragraph(footer)
            self._set_style(paragraph, "footer")
            _oxml.para_props(paragraph, **page_number_paragraph(odd))
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

    # ----------------------------------------------------------------- articles

    def _article(self, item: BulletinArticle, index: int) -> None:
        f = self.fonts
        if item.column_label:
            p = self._para("栏目")
            self._run(p, item.column_label, font=f.heading1, size=BODY_SIZE)
        p = self._para("Title")
        for i, line in enumerate(title_lines(item.title)):
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
        for block in item.blocks if self.revision >= 2 else item.article.blocks:
            if self._is_table(block) and self._is_table(previous):
                # Word and LibreOffice merge two adjacent tables into one (one header row
                # repeated for both): an empty line keeps them apart
                self._para("Normal")
            self._block(block, lead=lead)
            lead = isinstance(block, Heading)
            previous = block
        if item.source:
            p = self._para("供稿单位")
            self._run(p, item.source, font=f.body, size=BODY_SIZE)

    def _is_table(self, block: Block | None) -> bool:
        """Whether *block* is written as a table (a row of pictures is, from revision 2)."""
        return isinstance(block, Table) or (isinstance(block, PictureRow) and self.revision >= 2)

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
        elif isinstance(block, ListBlock) and self.revision >= 2:
            self._list(block, font or f.body)
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
        elif isinstance(block, PictureRow) and self.revision >= 2:
            self._picture_row(block)
        elif isinstance(block, PictureRow):  # revision 1 stacked them, each at its own size
            for image in block.images:
                self._image(image)
        elif isinstance(block, PageBreak):
            self._page_break = True
        elif isinstance(block, Kept):
            self._kept(block, style=style, font=font)
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

    def _list(self, block: ListBlock, font: str) -> None:
        """Items with the markers the bulletin decided (1. → （1） → ①) and hanging indents:
        a wrapped line starts under the item's text, a nested list under its parent's text.
        The marker is followed by a tab to a stop at the text's indent."""
        hangs: list[float] = []  # per open depth: the hang of its list
        for item in block.items:
            depth = min(item.depth, len(hangs))
            del hangs[depth:]
            left = LIST_INDENT + sum(hangs) + item.hang
            hangs.append(item.hang)
            p = self._para("列表")
            if item.marker:
                _oxml.para_props(p, left_chars=left, hanging_chars=item.hang)
                _oxml.tab_stops(p, [("left", round(left * BODY_SIZE * 20))])
                # a symbol or circled number takes the CJK face in every slot (as ◆ in the
                # contents); ASCII numbers stay in the Latin face
                latin = None if item.marker.isascii() else font
                self._run(p, f"{item.marker}\t", font=font, size=BODY_SIZE, latin=latin)
            else:  # a further paragraph of the item: under its text
                _oxml.para_props(p, left_chars=left, first_chars=0)
            self._spans(p, item.spans, font=font, size=BODY_SIZE)

    def _kept(self, block: Kept, *, style: str, font: str | None) -> None:
        """The editor's {.keep}: every paragraph of the blocks kept whole and with the next,
        the last one excepted, so Word and LibreOffice move them to a page together."""
        first = len(self.body) - 1  # the final w:sectPr stays last
        for inner in block.blocks:
            self._block(inner, style=style, font=font)
        kept = list(self.body)[first:-1]
        paragraphs = [p for element in kept for p in element.iter(qn("w:p"))]
        for index, p in enumerate(paragraphs):
            _oxml.para_props(p, keep_lines=True, keep_next=index < len(paragraphs) - 1 or None)

    def _table(self, table: Table) -> None:
        f = self.fonts
        texts = table_texts(table)
        columns = len(texts[0]) if texts else 0
        if columns == 0:
            return
        rows = [table.header, *table.rows]
        if self.revision >= 2:
            fit = fit_table(texts, TEXT_WIDTH)
            size, margin, widths = fit.size, fit.margin, fit.widths
        else:
            size, margin, widths = table_widths(texts, TEXT_WIDTH)
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
                short = unbreakable(texts[r][c])
                # revision 2 marks no cell noWrap: its widths alone hold every number whole
                no_wrap = short and self.revision < 2
                _oxml.cell_props(cell, width=widths[c], no_wrap=no_wrap, v_align="center")
                p = _oxml.cell_paragraph(cell)
                self._set_style(p, "表格文字")
                if r == c == 0:
                    self._take_page_break(p)
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
        picture = image.picture
        if picture is None:  # could not be read: reported, and printed in neither edition
            return
        if self.revision >= 2:
            width = round(picture.width_mm * EMU_PER_MM)
            height = round(picture.height_mm * EMU_PER_MM)
        else:
            extent = picture_header(picture.data).extent
            width, height = fit_image(*extent, TEXT_WIDTH * EMU_PER_TWIP, MAX_IMAGE_HEIGHT)
        if picture.shrinkable or self.revision < 2:
            width, height = self._fit_page(width, height, image.caption)
        p = self._para("图片")
        self._add_picture(p, image, width, height)
        if image.caption:
            p = self._para("caption")
            _oxml.para_props(p, keep_lines=True)
            self._run(p, image.caption, font=self.fonts.heading2, size=CAPTION_SIZE)

    def _fit_page(self, width: int, height: int, caption: str) -> tuple[int, int]:
        """Rather than leave the rest of the page empty, a picture shrinks to the lines left
        on it (caption included), unless that would make it smaller than MIN_IMAGE_HEIGHT."""
        caption_lines = wrapped_lines(caption, CAPTION_SIZE) if caption else 0
        # One line of slack: the estimate ignores keep rules, and LibreOffice gives a picture
        # paragraph on the grid a little more than the picture's height (measured: a 97 mm
        # picture with exactly 10 free lines moved to the next page).
        if self.revision >= 2:  # the paginator's estimate: keep rules and widows included
            _, used = page_fill(self.body, self._fill.roles, self._boxes)
            left = (TEXT_HEIGHT - used) // LINE - caption_lines - 1
        else:
            left = int(LINES_PER_PAGE - self._fill.lines_used(self.body)) - caption_lines - 1
        room = (left * LINE - 20) * EMU_PER_TWIP
        if height > room >= MIN_IMAGE_HEIGHT:
            return fit_image(width, height, width, room)
        return width, height

    def _add_picture(
        self, paragraph: etree._Element, image: Image, width: int, height: int
    ) -> None:
        assert image.picture is not None
        self._shape_id += 1
        name = image.path.name
        _oxml.add_picture(
            paragraph,
            rel_id=self.package.add_image(image.picture.data, image.picture.kind, name),
            shape_id=self._shape_id,
            name=name,
            cx=width,
            cy=height,
        )

    def _picture_row(self, row: PictureRow) -> None:
        """Pictures side by side with their captions under them: one row of a borderless
        table across the type area, each picture centred in its column, the row never split."""
        images = [image for image in row.images if image.picture is not None]
        if not images:
            return
        sizes = [
            (round(i.picture.width_mm * EMU_PER_MM), round(i.picture.height_mm * EMU_PER_MM))
            for i in images
            if i.picture is not None
        ]
        pictures = [round(width / EMU_PER_TWIP) for width, _ in sizes]
        spare = max(0, TEXT_WIDTH - sum(pictures)) // len(images)
        widths = [width + spare for width in pictures]
        widths[-1] += TEXT_WIDTH - sum(widths)
        t = _oxml.add_table(self.body, 1, len(images), TEXT_WIDTH)
        _oxml.table_layout(
            t,
            width=TEXT_WIDTH,
            borders=dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV")),
            cell_margin=(0, 0),
        )
        _oxml.grid_columns(t, widths)
        [(tr, cells)] = _oxml.rows_and_cells(t)
        _oxml.row_props(tr)
        for index, (cell, image, (cx, cy)) in enumerate(zip(cells, images, sizes, strict=True)):
            _oxml.cell_props(cell, width=widths[index], v_align="top")
            p = _oxml.cell_paragraph(cell)
            self._set_style(p, "图片")
            if index == 0:
                self._take_page_break(p)
            self._add_picture(p, image, cx, cy)
            if image.caption:
                p = _oxml.add_paragraph(cell)
                self._set_style(p, "caption")
                _oxml.para_props(p, keep_lines=True)
                self._run(p, image.caption, font=self.fonts.heading2, size=CAPTION_SIZE)

    # ----------------------------------------------------------------- 版记

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
        if self.revision >= 2:  # every face the document names, declared for Word and WPS
            self.package.font_table = _oxml.font_table(font_faces(self.fonts))
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
