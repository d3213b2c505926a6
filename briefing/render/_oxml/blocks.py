"""Building blocks: paragraphs, runs and their text, tables and cells, pictures, section breaks,
header and footer references, style definitions."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from lxml import etree

from briefing.ooxml_names import PIC, WP, A, R, W, qn

if TYPE_CHECKING:
    pass
from briefing.render._oxml.core import (
    _BR,
    _P,
    _R,
    _T,
    _TAB,
    _child,
    _props,
    _remove,
    _set,
    children,
    parse_xml,
    required_child,
)
from briefing.render._oxml.schema import SECTPR_ORDER, STYLE_ORDER

# --------------------------------------------------------------------------- building blocks


def add_paragraph(container: etree._Element) -> etree._Element:
    """A new empty ``w:p`` at the end of *container*; in a ``w:body``, before its final
    ``w:sectPr`` (the last section's properties stay last)."""
    paragraph = etree.SubElement(container, _P)
    previous = paragraph.getprevious()
    if previous is not None and previous.tag == _SECT_PR:
        previous.addprevious(paragraph)
    return paragraph


def add_run(owner: etree._Element, text: str = "") -> etree._Element:
    """A ``w:r`` appended to *owner* (a paragraph or hyperlink) holding *text*: tabs become
    ``w:tab``, line feeds and carriage returns ``w:br``, and a text with leading or trailing
    white space keeps it (``xml:space="preserve"``)."""
    run = etree.SubElement(owner, _R)
    start = 0
    for match in _TAB_OR_BREAK.finditer(text):
        _add_text(run, text[start : match.start()])
        etree.SubElement(run, _TAB if match.group() == "\t" else _BR)
        start = match.end()
    _add_text(run, text[start:])
    return run


def add_break(paragraph: etree._Element) -> etree._Element:
    """A run holding one line break (``w:br``)."""
    run = etree.SubElement(paragraph, _R)
    etree.SubElement(run, _BR)
    return run


def _add_text(run: etree._Element, text: str) -> None:
    if not text:
        return
    t = etree.SubElement(run, _T)
    t.text = text
    if len(text.strip()) < len(text):  # str.strip: any Unicode space, U+3000 included
        t.set(_XML_SPACE, "preserve")


_SECT_PR, _XML_SPACE = qn("w:sectPr"), qn("xml:space")
_TAB_OR_BREAK = re.compile("[\t\r\n]")


def add_table(body: etree._Element, rows: int, cols: int, width: int) -> etree._Element:
    """A ``w:tbl`` of *rows* × *cols* empty cells across *width* twips, before the body's
    final ``w:sectPr``: no style, automatic width, one empty paragraph a cell."""
    column = width // cols
    cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{column}"/></w:tcPr><w:p/></w:tc>'
    grid = f'<w:gridCol w:w="{column}"/>' * cols
    row = "<w:tr>" + cell * cols + "</w:tr>"
    table = parse_xml(
        f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblW w:type="auto" w:w="0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{row * rows}</w:tbl>"
    )
    last = body[-1] if len(body) else None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(table)
    else:
        body.append(table)
    return table


def rows_and_cells(table: etree._Element) -> list[tuple[etree._Element, list[etree._Element]]]:
    """``(w:tr, [w:tc …])`` for each row of *table*."""
    return [(tr, children(tr, _TC)) for tr in table.iter(_TR)]


def cell_paragraph(cell: etree._Element) -> etree._Element:
    """The first paragraph of a table cell (a new cell has exactly one)."""
    return required_child(cell, qn("w:p"))


_TR, _TC = qn("w:tr"), qn("w:tc")


def add_picture(
    paragraph: etree._Element, *, rel_id: str, shape_id: int, name: str, cx: int, cy: int
) -> etree._Element:
    """A run holding an inline picture of *cx* × *cy* EMU, the image being relationship
    *rel_id*. No wrap distance and no effect extent: LibreOffice's default 0.125 inch would
    make a full-width picture overhang the type area."""
    run = etree.SubElement(paragraph, _R)
    drawing = etree.SubElement(run, qn("w:drawing"))
    inline = parse_xml(
        f'<wp:inline xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}" xmlns:r="{R}" '
        'distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Picture {shape_id}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{PIC}">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name=""/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline>"
    )
    # the file name is the contributor's: set as an attribute, never spliced into markup
    next(inline.iter(qn("pic:cNvPr"))).set("name", name)
    drawing.append(inline)
    return run


def page_geometry(
    sect_pr: etree._Element, *, size: tuple[int, int], margins: dict[str, int]
) -> None:
    """Page size and margins (twips) of a section (``w:pgSz``, ``w:pgMar``)."""
    _set(_child(sect_pr, "pgSz", SECTPR_ORDER), w=size[0], h=size[1])
    _set(_child(sect_pr, "pgMar", SECTPR_ORDER), **margins)


def add_section_break(body: etree._Element, start: str) -> etree._Element:
    """End the current section with a paragraph holding a copy of its properties, and make
    the body's final ``w:sectPr`` the new section's: header and footer references dropped
    (the new section gets its own), starting on *start* (``evenPage`` …)."""
    sentinel = body[-1]
    closing = copy.deepcopy(sentinel)
    closing.attrib.clear()  # the rsid attributes stay on the final sectPr only
    _props(add_paragraph(body), "pPr").append(closing)
    for reference in [c for c in sentinel if c.tag in _STORY_REFERENCES]:
        sentinel.remove(reference)
    _set(_child(sentinel, "type", SECTPR_ORDER), val=start)
    return sentinel


def add_story_reference(sect_pr: etree._Element, kind: str, which: str, rel_id: str) -> None:
    """A ``w:headerReference``/``w:footerReference`` (*kind*) of type *which* (``default``,
    ``even``) after the section's other references."""
    reference = etree.Element(qn(f"w:{kind}Reference"), nsmap={"w": W, "r": R})
    _set(reference, type=which).set(qn("r:id"), rel_id)
    later = [c for c in sect_pr if c.tag not in _STORY_REFERENCES]
    (later[0].addprevious if later else sect_pr.append)(reference)


_STORY_REFERENCES = (qn("w:headerReference"), qn("w:footerReference"))


def find_style(styles: etree._Element, style_id: str) -> etree._Element:
    """The ``w:style`` with *style_id* (a style the base styles part is known to hold)."""
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            return style
    raise KeyError(style_id)


def add_paragraph_style(styles: etree._Element, name: str, style_id: str) -> etree._Element:
    """A custom paragraph style appended to the styles part, shown in Word's gallery."""
    style = etree.SubElement(styles, qn("w:style"))
    _set(style, type="paragraph", customStyle=1, styleId=style_id)
    _set(_child(style, "name", STYLE_ORDER), val=name)
    _child(style, "qFormat", STYLE_ORDER)
    return style


def style_links(style: etree._Element, *, based_on: str | None, next_id: str | None) -> None:
    """The style a style inherits from (``w:basedOn``) and the one Enter switches to
    (``w:next``); ``None`` leaves the first as it is and removes the second."""
    if based_on is not None:
        _set(_child(style, "basedOn", STYLE_ORDER), val=based_on)
    if next_id is None:
        _remove(style, "next")
    else:
        _set(_child(style, "next", STYLE_ORDER), val=next_id)
