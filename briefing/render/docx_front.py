"""The front and back of the printed bulletin: the 报头 (classification, red name,
readership, 期号, issuer and date over the red rule), the table of contents (本期目录) and the
版记 floated onto the bottom of the last page's type area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing.model import (
    ImprintLine,
)
from briefing.render import _oxml
from briefing.render._package import (
    REL_FOOTER,
)
from briefing.render.docx_layout import (
    issuer_size,
    masthead_size,
    split_issuer,
)
from briefing.render.docx_styles import (
    BODY_SIZE,
    IMPRINT_SIZE,
    LINE,
    MARGIN_LEFT,
    RULE_RED,
    RULE_THICK,
    RULE_THIN,
    TEXT_WIDTH,
)

if TYPE_CHECKING:
    from lxml import etree

from briefing.render.docx_writer import DocxWriter

IDEOGRAPHIC_SPACE = "\u3000"


class FrontAndBack(DocxWriter):
    def _masthead(self) -> None:
        b, f, red = self.b, self.fonts, self.b.layout.masthead_color
        # Line 1: classification, top left (三号黑体); kept even when empty so the red name
        # always sits at the same height.
        p = self._para("报头")
        if b.classification:
            self._run(p, b.classification, font=f.classification, size=BODY_SIZE)
        self._para("报头")  # one blank line above the name
        size = masthead_size(b.name, b.layout.masthead_size)
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
        beside_date = issuer_size(b.issuer, b.date_text)
        if beside_date is None:  # too long even at the floor: two lines, the date on the last
            size, first, second = split_issuer(b.issuer, b.date_text)
            self._run(p, first, font=f.heading2, size=size)
            _oxml.add_break(p)
            self._run(p, second, font=f.heading2, size=size)
        else:
            self._run(p, b.issuer, font=f.heading2, size=beside_date)
        self._run(p, f"\t{b.date_text}", font=f.heading2, size=BODY_SIZE)
        if b.theme:
            p = self._para("目录标题")
            _oxml.para_props(p, before=LINE)
            self._run(p, b.theme, font=f.heading1, size=BODY_SIZE)

    def _contents_heading(self, text: str) -> etree._Element:
        p = self._para("目录标题")
        _oxml.para_props(p, before=LINE)
        self._run(p, text, font=self.fonts.heading1, size=BODY_SIZE)
        return p

    def _table_of_contents(self) -> None:
        if not any(group.entries for group in self.b.toc):
            return
        f = self.fonts
        heading = self.b.toc_heading
        if heading:
            self._contents_heading(heading)
        names = {
            item.anchor: _oxml.bookmark_name(item.anchor, i)
            for i, item in enumerate(self.b.articles, start=1)
        }
        inline_subtitle = self.b.toc_subtitle_inline
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
                label = _toc_label(entry.marker)
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

    def _imprint(self) -> None:
        b, f = self.b, self.fonts
        # (kind, text, what a credits line prints at its right edge)
        lines: list[tuple[str, str, str | None]] = []
        for line in b.distribution:
            lines.append(("dist", f"{line.heading}{line.text}", None))
        if b.credits:
            lines.append(("credits", *_credits_pair(b.credits)))
        if b.copies_text:
            lines.append(("copies", b.copies_text, None))
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
        for r, ((kind, text, right), (row, (cell,))) in enumerate(
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
                label_chars = len(text.split("：", 1)[0]) + 1
                # wrapped lines align with the first character after the colon (§7.4.2)
                _oxml.para_props(
                    p,
                    left_chars=1 + label_chars,
                    right_chars=1,
                    hanging_chars=label_chars,
                    char_twips=round(IMPRINT_SIZE * 20),
                )
                self._run(p, text, font=f.imprint, size=IMPRINT_SIZE)
            elif kind == "credits":
                _oxml.tab_stops(p, [("right", inner)])
                self._run(
                    p, f"{text}\t{right}" if right else text, font=f.imprint, size=IMPRINT_SIZE
                )
            else:
                _oxml.para_props(p, jc="right")
                self._run(p, text, font=f.imprint, size=IMPRINT_SIZE)
        # The body must end with a paragraph; keep it one point high and off the grid: a
        # snapped paragraph takes a whole 10.2 mm line and would push the 版记 (anchored to
        # it) onto a page of its own when that line is not free.
        self._hairline()

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


def _toc_label(marker: str) -> str:
    """What stands before a table-of-contents entry: ``1.`` as it is, a symbol with an
    ideographic space after it (``◆　``), or nothing."""
    if not marker or marker[0].isdigit():
        return marker
    return f"{marker}{IDEOGRAPHIC_SPACE}"


def _credits_pair(credits: Sequence[ImprintLine]) -> tuple[str, str | None]:
    """编辑 on the left, the last credit (签发) on the right, any others with the left one."""
    texts = [f"{c.heading}{c.text}" for c in credits]
    if len(texts) == 1:
        return texts[0], None
    return IDEOGRAPHIC_SPACE.join(texts[:-1]), texts[-1]
