"""The DOCX writer's common ground: the package being written, paragraphs and runs in the
bulletin's styles and fonts, footers and headers, bookmarks.

:class:`DocxWriter` is the base of the printed edition's writer (:mod:`briefing.render.docx`,
through :mod:`briefing.render.docx_front`): the parts of the page are written by subclasses,
every paragraph and run through the methods here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefing.model import (
    Bulletin,
    Span,
)
from briefing.render import _oxml
from briefing.render._package import (
    REL_FOOTER,
    Package,
)
from briefing.render.docx_styles import (
    CODE_FONT,
)

if TYPE_CHECKING:
    from lxml import etree


class DocxWriter:
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
        self.revision = bulletin.layout_revision  # lists, tables, pictures, fonts: from 2
        self._page_break = False  # the editor's page break waits for the next paragraph
        self._boxes: dict = {}  # the paginator's boxes of paragraphs, while they are unchanged

    @property
    def _section(self) -> etree._Element:
        """The properties of the body's last section (the final ``w:sectPr``)."""
        return self.body[-1]

    def _para(self, style: str) -> etree._Element:
        paragraph = _oxml.add_paragraph(self.body)
        self._set_style(paragraph, style)
        self._take_page_break(paragraph)
        return paragraph

    def _take_page_break(self, paragraph: etree._Element) -> None:
        """The editor's page break, on the first paragraph after it (a page break before a
        paragraph, rather than a paragraph holding a break, takes no line of its own)."""
        if self._page_break:
            _oxml.para_props(paragraph, page_break_before=True)
            self._page_break = False

    def _set_style(self, paragraph: etree._Element, style: str) -> None:
        """Point *paragraph* at the style of role *style* (ids resolved in :meth:`_styles`)."""
        _oxml.paragraph_style(paragraph, self._style_ids[style])

    def _run(
        self,
        paragraph: etree._Element,
        text: str,
        *,
        font: str,
        size: float,
        bold: bool = False,
        italic: bool = False,
        color: str | None = None,
        latin: str | None = None,
        into: etree._Element | None = None,
    ) -> etree._Element:
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
        paragraph: etree._Element,
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

    def _add_story(self, reltype: str, which: str) -> etree._Element:
        """A new footer or header part for the last section: its root element."""
        rel_id, root = self.package.add_story(reltype)
        kind = "footer" if reltype == REL_FOOTER else "header"
        _oxml.add_story_reference(self._section, kind, which, rel_id)
        return root

    def _next_bookmark_id(self) -> int:
        self._bookmark_id += 1
        return self._bookmark_id

    def _hairline(self) -> etree._Element:
        """A one-point paragraph off the grid: takes no line of its own."""
        p = self._para("报头")
        # half a point since revision 2: the grid leaves 18 twips under 22 lines, so the 版记
        # needs its own rows free and no more (a one-point paragraph cost a whole line)
        height = 10 if self.b.layout_revision >= 2 else 20
        _oxml.para_props(p, line=height, rule="exact", snap_to_grid=False)
        _oxml.run_props(_oxml.paragraph_properties(p), size=height / 20)
        return p


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
