"""Raw WordprocessingML: every element the DOCX renderer writes is spelled here.

``briefing.render.docx`` decides *what* goes on the page; this module knows *how* it is
spelled in OOXML: paragraphs, runs and tables, East Asian fonts (``w:eastAsia`` +
``w:hint``), the document grid, paragraph borders, PAGE fields, bookmarks and internal
hyperlinks, the floating 版记 table, pictures, section breaks, style definitions and pruning,
the theme part. The package around the XML (parts, relationships, the zip) is
:mod:`briefing.render._package`.

The elements are plain lxml elements. Where python-docx used to write them, they are
spelled exactly as python-docx spelled them (its element templates, attribute order and text
rules), so the DOCX of an unchanged issue stays byte for byte what it was.

Every element is inserted in schema order (the CT_* sequences below): Word refuses, or
"repairs", a package whose children are out of order, even when LibreOffice does not care.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, TypedDict, Unpack

from lxml import etree

from briefing.ooxml_names import PIC, WP, XML, A, R, W, clark, qn

if TYPE_CHECKING:
    from briefing.render.docx_styles import FontFace

# The parser python-docx read its templates with: no blank text, no entity expansion.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def w(tag: str, **attrs: str | int) -> etree._Element:
    """A new ``w:*`` element (*tag* without prefix) with ``w:`` attributes, as python-docx
    made them (declaring ``w`` itself; lxml drops the declaration when it is inserted)."""
    return _set(etree.Element(qn(f"w:{tag}"), nsmap={"w": W}), **attrs)


def parse_xml(xml: str | bytes) -> etree._Element:
    return etree.fromstring(xml, _PARSER)


def child(parent: etree._Element, tag: str) -> etree._Element | None:
    """The first child of *parent* with *tag* (Clark notation), or ``None``.

    Not ``parent.find(tag)``: lxml answers ``find`` in Python (its ElementPath module looks
    the path up in a cache and walks a selector), ``iterchildren`` in C."""
    return next(parent.iterchildren(tag), None)


def required_child(parent: etree._Element, tag: str) -> etree._Element:
    """The child of *parent* with *tag* (Clark notation) that the writer always puts there (a
    table's ``w:tblPr``, a new cell's ``w:p``, the document's ``w:body``): missing, it is a
    bug in the writer, reported as such rather than as an ``AttributeError`` on ``None``."""
    found = child(parent, tag)
    if found is None:
        raise LookupError(f"{etree.QName(parent).localname} has no {etree.QName(tag).localname}")
    return found


def child_path(parent: etree._Element | None, *tags: str) -> etree._Element | None:
    """The element reached from *parent* through children with *tags* (Clark notation), or
    ``None`` where one of them is missing."""
    for tag in tags:
        if parent is None:
            return None
        parent = child(parent, tag)
    return parent


def replace_element(element: etree._Element, replacement: etree._Element) -> None:
    """Put *replacement* where *element* stands in its parent."""
    parent = element.getparent()
    if parent is None:
        raise LookupError(f"{etree.QName(element).localname} has no parent")
    parent.replace(element, replacement)


def children(parent: etree._Element, tag: str) -> list[etree._Element]:
    """Every child of *parent* with *tag* (Clark notation), in document order."""
    return list(parent.iterchildren(tag))


def serialise(root: etree._Element) -> bytes:
    """A part's bytes, with the XML declaration Word writes (``standalone="yes"``)."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


# Schema order of the children we touch (ECMA-376 CT_PPrBase, CT_RPr, CT_SectPr, CT_TblPr, CT_TcPr).
PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)
SECTPR_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)
TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)
TCPR_ORDER = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)
STYLE_ORDER = (
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
)

THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_THEME_FONT_NAMES = tuple(qn(f"w:{attr}") for attr in THEME_FONT_ATTRS)

# Word lays General Punctuation (“ ” ‘ ’ — … ·) out in the hAnsi (Latin) font unless the run says
# w:hint="eastAsia"; without it Chinese quotes and dashes print half-width in Times New Roman.
_HINT_CHARS = re.compile("[\u00b7\u2000-\u206f\u2e3a\u2e3b]")


def needs_east_asia_hint(text: str) -> bool:
    return bool(_HINT_CHARS.search(text))


# --------------------------------------------------------------------------- generic


def _child(parent: etree._Element, tag: str, order: Sequence[str]) -> etree._Element:
    """The ``w:<tag>`` child of *parent*, created in schema position when missing."""
    name = qn(f"w:{tag}")
    found = child(parent, name)
    if found is not None:
        return found
    # created inside the tree (it takes the ancestors' w: prefix), then moved into place
    element = etree.SubElement(parent, name)
    later = _later_tags(tuple(order), tag)
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(element)
            break
    return element


@cache
def _later_tags(order: tuple[str, ...], tag: str) -> frozenset[str]:
    """Clark names of the elements that come after *tag* in the schema sequence *order*."""
    return frozenset(qn(f"w:{t}") for t in order[order.index(tag) + 1 :])


def _remove(parent: etree._Element, tag: str) -> None:
    for found in children(parent, qn(f"w:{tag}")):
        parent.remove(found)


def _set(element: etree._Element, **attrs: str | int) -> etree._Element:
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _unset(element: etree._Element, *names: str) -> None:
    """Remove the attributes *names* (Clark notation) that *element* has."""
    attrib = element.attrib
    for name in names:
        if name in attrib:
            del attrib[name]


def _props(owner: etree._Element, tag: str) -> etree._Element:
    """``w:pPr``/``w:rPr`` of a paragraph, run or style, created in schema position."""
    local = etree.QName(owner).localname
    if local == "style":
        return _child(owner, tag, STYLE_ORDER)
    if (local, tag) in (("p", "pPr"), ("r", "rPr")):
        existing = child(owner, qn(f"w:{tag}"))
        if existing is None:
            existing = etree.SubElement(owner, qn(f"w:{tag}"))
            owner.insert(0, existing)
        return existing
    if local in ("rPrDefault", "pPrDefault"):
        existing = child(owner, qn(f"w:{tag}"))
        if existing is None:
            existing = w(tag)
            owner.append(existing)
        return existing
    if local == "pPr" and tag == "rPr":  # paragraph mark properties
        return _child(owner, "rPr", PPR_ORDER)
    raise ValueError(f"no {tag} for {local}")


# --------------------------------------------------------------------------- building blocks

_P, _R, _T, _TAB, _BR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br")


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


# --------------------------------------------------------------------------- runs


def run_props(
    owner: etree._Element,
    *,
    east_asia: str | None = None,
    latin: str | None = None,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: str | None = None,
    hint: bool = False,
    lang: bool = False,
    spacing: int | None = None,
) -> None:
    """Character formatting of a run (``w:r``), a style, ``w:rPrDefault`` or a paragraph mark."""
    rpr = owner if etree.QName(owner).localname == "rPr" else _props(owner, "rPr")
    if east_asia or latin:
        fonts = _child(rpr, "rFonts", RPR_ORDER)
        _unset(fonts, *_THEME_FONT_NAMES)  # theme attributes beat explicit names in Word
        if latin:
            _set(fonts, ascii=latin, hAnsi=latin, cs=latin)
        if east_asia:
            _set(fonts, eastAsia=east_asia)
        if hint:
            _set(fonts, hint="eastAsia")
    for tag, flag in (("b", bold), ("bCs", bold), ("i", italic), ("iCs", italic)):
        if flag is not None:
            element = _child(rpr, tag, RPR_ORDER)
            if flag:
                _unset(element, qn("w:val"))
            else:
                _set(element, val=0)
    if color:
        _set(_child(rpr, "color", RPR_ORDER), val=color)
    if spacing is not None:
        _set(_child(rpr, "spacing", RPR_ORDER), val=spacing)
    if size is not None:
        half_points = round(size * 2)
        _set(_child(rpr, "sz", RPR_ORDER), val=half_points)
        _set(_child(rpr, "szCs", RPR_ORDER), val=half_points)
    if lang:
        _set(_child(rpr, "lang", RPR_ORDER), val="en-US", eastAsia="zh-CN", bidi="ar-SA")


class RunFormat(TypedDict, total=False):
    """The formatting keywords of :func:`run_props`."""

    east_asia: str | None
    latin: str | None
    size: float | None
    bold: bool | None
    italic: bool | None
    color: str | None
    hint: bool
    lang: bool
    spacing: int | None


class RunFormats:
    """Character formatting for new runs, each distinct formatting spelled once: an issue has
    a dozen formats over thousands of runs, and a copy of a finished ``w:rPr`` costs a tenth
    of building it again."""

    def __init__(self) -> None:
        self._spelled: dict[tuple[object, ...], etree._Element] = {}

    def apply(self, run: etree._Element, **formatting: Unpack[RunFormat]) -> None:
        """Give *run*, which has no properties yet, the ``w:rPr`` of :func:`run_props`."""
        key = tuple(sorted(formatting.items()))
        spelled = self._spelled.get(key)
        if spelled is None:
            scratch = etree.Element(_R, nsmap={"w": W})
            run_props(scratch, **formatting)
            spelled = self._spelled[key] = scratch[0]
        run.insert(0, copy.deepcopy(spelled))


# --------------------------------------------------------------------------- paragraphs


def para_props(
    owner: etree._Element,
    *,
    line: int | None = None,
    rule: str = "exact",
    before: int | None = None,
    after: int | None = None,
    first_chars: float | None = None,
    hanging_chars: float | None = None,
    left_chars: float | None = None,
    right_chars: float | None = None,
    char_twips: int = 320,
    jc: str | None = None,
    keep_next: bool | None = None,
    keep_lines: bool | None = None,
    widow_control: bool | None = None,
    snap_to_grid: bool | None = None,
    overflow_punct: bool | None = None,
    outline_level: int | None = None,
    page_break_before: bool | None = None,
) -> None:
    """Paragraph formatting of a ``w:p`` or a paragraph style, in twips and 1/100 characters.

    Indents are written twice, as ``*Chars`` (what Word and LibreOffice use, so they follow the
    font size) and as twips (the fallback other readers use); *char_twips* converts.
    """
    ppr = owner if etree.QName(owner).localname == "pPr" else _props(owner, "pPr")
    for tag, flag in (
        ("keepNext", keep_next),
        ("keepLines", keep_lines),
        ("pageBreakBefore", page_break_before),
        ("widowControl", widow_control),
        ("snapToGrid", snap_to_grid),
        ("overflowPunct", overflow_punct),
    ):
        if flag is not None:
            element = _child(ppr, tag, PPR_ORDER)
            if flag:
                _unset(element, qn("w:val"))
            else:
                _set(element, val=0)
    if line is not None or before is not None or after is not None:
        spacing = _child(ppr, "spacing", PPR_ORDER)
        if before is not None:
            _set(spacing, before=before, beforeLines=0)
            _unset(spacing, qn("w:beforeAutospacing"))
        if after is not None:
            _set(spacing, after=after, afterLines=0)
            _unset(spacing, qn("w:afterAutospacing"))
        if line is not None:
            _set(spacing, line=line, lineRule=rule)
    if any(v is not None for v in (first_chars, hanging_chars, left_chars, right_chars)):
        ind = _child(ppr, "ind", PPR_ORDER)
        ind.attrib.clear()
        if left_chars is not None:
            _set(ind, leftChars=round(left_chars * 100), left=round(left_chars * char_twips))
        if right_chars is not None:
            _set(ind, rightChars=round(right_chars * 100), right=round(right_chars * char_twips))
        if hanging_chars:
            _set(
                ind,
                hangingChars=round(hanging_chars * 100),
                hanging=round(hanging_chars * char_twips),
            )
        elif first_chars is not None:
            _set(
                ind,
                firstLineChars=round(first_chars * 100),
                firstLine=round(first_chars * char_twips),
            )
    if jc is not None:
        _set(_child(ppr, "jc", PPR_ORDER), val=jc)
    if outline_level is not None:
        _set(_child(ppr, "outlineLvl", PPR_ORDER), val=outline_level)


def paragraph_properties(paragraph: etree._Element) -> etree._Element:
    """The paragraph's ``w:pPr``, created first in it when missing."""
    return _props(paragraph, "pPr")


def paragraph_style(paragraph: etree._Element, style_id: str | None) -> None:
    """Point a ``w:p`` at a paragraph style by its id; ``None`` (the default style) writes a
    bare ``w:pPr``, exactly like python-docx's ``Paragraph.style`` setter."""
    ppr = _props(paragraph, "pPr")
    style = child(ppr, qn("w:pStyle"))
    if style_id is None:
        if style is not None:
            ppr.remove(style)
        return
    if style is None:
        style = etree.SubElement(ppr, qn("w:pStyle"))
        ppr.insert(0, style)
    _set(style, val=style_id)


def tab_stops(owner: etree._Element, stops: Iterable[tuple[str, int]]) -> None:
    """Replace the tab stops: ``("right", 8844)`` …; positions in twips from the left indent."""
    ppr = owner if etree.QName(owner).localname == "pPr" else _props(owner, "pPr")
    _remove(ppr, "tabs")
    stops = list(stops)
    if not stops:
        return
    tabs = _child(ppr, "tabs", PPR_ORDER)
    for kind, pos in stops:
        tabs.append(_set(w("tab"), val=kind, pos=pos))


def clear_tab_stops(owner: etree._Element, positions: Iterable[int]) -> None:
    """Cancel inherited tab stops (Header/Footer styles carry centre/right stops)."""
    ppr = owner if etree.QName(owner).localname == "pPr" else _props(owner, "pPr")
    _remove(ppr, "tabs")
    positions = list(positions)
    if positions:
        tabs = _child(ppr, "tabs", PPR_ORDER)
        for pos in positions:
            tabs.append(_set(w("tab"), val="clear", pos=pos))


def border(
    owner: etree._Element, side: str, *, size: int, color: str = "000000", space: int = 0
) -> None:
    """A paragraph border (``w:pBdr``); *size* in 1/8 pt, *space* in pt."""
    ppr = owner if etree.QName(owner).localname == "pPr" else _props(owner, "pPr")
    pbdr = _child(ppr, "pBdr", PPR_ORDER)
    order = ("top", "left", "bottom", "right", "between", "bar")
    _remove(pbdr, side)
    _set(_child(pbdr, side, order), val="single", sz=size, space=space, color=color)


def reset_style(style: etree._Element) -> None:
    """Drop a built-in style's formatting (blue theme colours, spacing, borders, theme fonts)."""
    for tag in ("pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr"):
        _remove(style, tag)


# --------------------------------------------------------------------------- fields, bookmarks, links


def append_field(
    paragraph: etree._Element, instruction: str, placeholder: str, rpr_from: etree._Element | None
) -> None:
    """A complex field (``PAGE`` …): begin / instrText / separate / cached result / end runs.

    Each run copies *rpr_from* (the formatting of a neighbouring text run) so the number
    prints in the same face and size as the dashes around it.
    """

    def run(child: etree._Element) -> None:
        r = w("r")
        if rpr_from is not None:
            r.append(_copy(rpr_from))
        r.append(child)
        paragraph.append(r)

    run(_set(w("fldChar"), fldCharType="begin"))
    instr = w("instrText")
    instr.set(clark(XML, "space"), "preserve")
    instr.text = f" {instruction} "
    run(instr)
    run(_set(w("fldChar"), fldCharType="separate"))
    text = w("t")
    text.text = placeholder
    run(text)
    run(_set(w("fldChar"), fldCharType="end"))


def run_properties(run: etree._Element) -> etree._Element | None:
    return child(run, qn("w:rPr"))


def _copy(element: etree._Element) -> etree._Element:
    return parse_xml(etree.tostring(element))


def add_bookmark(paragraph: etree._Element, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's content in ``w:bookmarkStart``/``w:bookmarkEnd``."""
    start = _set(w("bookmarkStart"), id=bookmark_id, name=name)
    end = _set(w("bookmarkEnd"), id=bookmark_id)
    ppr = child(paragraph, qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)


def internal_hyperlink(paragraph: etree._Element, anchor: str) -> etree._Element:
    """A ``w:hyperlink w:anchor=…`` appended to the paragraph; the caller moves runs into it."""
    link = _set(w("hyperlink"), anchor=anchor, history=1)
    paragraph.append(link)
    return link


def bookmark_name(anchor: str, index: int) -> str:
    """A Word-legal bookmark name (letter first, [A-Za-z0-9_], at most 40 characters)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name or not name[0].isalpha() or not name.isascii():
        name = f"article_{index}"
    return name[:40]


# --------------------------------------------------------------------------- sections, settings
# (strip_theme_fonts, set_zh_cn and settings_tweaks shape the fixed parts once, when
# tools/make_docx_base.py writes render/docx_base/; no build calls them)


def page_setup(sect_pr: etree._Element, *, grid_line_pitch: int) -> None:
    """The document grid (``w:docGrid``): a line grid (see ``docx_styles.TRACKING`` for why not a
    character grid)."""
    grid = _child(sect_pr, "docGrid", SECTPR_ORDER)
    grid.attrib.clear()
    _set(grid, type="lines", linePitch=grid_line_pitch)


def doc_defaults(
    styles_element: etree._Element, *, east_asia: str, latin: str, size: float
) -> None:
    """``w:docDefaults``: CJK fonts without theme references, zh-CN, no paragraph spacing."""
    defaults = child(styles_element, qn("w:docDefaults"))
    if defaults is None:
        defaults = w("docDefaults")
        styles_element.insert(0, defaults)
    rpr_default = child(defaults, qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = w("rPrDefault")
        defaults.insert(0, rpr_default)
    run_props(rpr_default, east_asia=east_asia, latin=latin, size=size, lang=True)
    ppr_default = child(defaults, qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = w("pPrDefault")
        rpr_default.addnext(ppr_default)
    ppr = _props(ppr_default, "pPr")
    ppr.clear()


def strip_theme_fonts(root: etree._Element) -> None:
    """Remove every ``w:*Theme`` font attribute below *root* (styles, numbering, document)."""
    for fonts in root.iter(qn("w:rFonts")):
        _unset(fonts, *_THEME_FONT_NAMES)


def set_zh_cn(root: etree._Element) -> None:
    """Every ``w:lang`` below *root* says East Asian text is zh-CN."""
    for lang in root.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")


def font_table(faces: Iterable[FontFace]) -> bytes:
    """``word/fontTable.xml`` declaring *faces* in CT_Font order: altName, panose1, charset,
    family, pitch."""
    root = etree.Element(qn("w:fonts"), nsmap={"w": W, "r": R})
    for face in faces:
        font = _set(etree.SubElement(root, qn("w:font")), name=face.name)
        if face.alt:
            font.append(_set(w("altName"), val=face.alt))
        if face.panose:
            font.append(_set(w("panose1"), val=face.panose))
        font.append(_set(w("charset"), val=face.charset))
        font.append(_set(w("family"), val=face.family))
        font.append(_set(w("pitch"), val=face.pitch))
    return serialise(root)


def rewrite_theme_fonts(theme_xml: bytes, *, major: str, minor: str, latin: str) -> bytes:
    """Point the theme's East Asian fonts (and the Hans script slot) at fonts we really use, so
    WPS does not offer to download the missing 等线/MS Mincho and Word never falls back to them."""
    root = etree.fromstring(theme_xml)
    for kind, face in (("majorFont", major), ("minorFont", minor)):
        for font in root.iter(qn(f"a:{kind}")):
            for child in font:
                tag = etree.QName(child).localname
                if tag == "latin":
                    child.set("typeface", latin)
                elif tag == "ea" or (tag == "font" and child.get("script") == "Hans"):
                    child.set("typeface", face)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def prune_styles(styles: etree._Element, stories: Iterable[etree._Element]) -> None:
    """Drop every style no story refers to (directly or through basedOn/next/link), keeping
    the defaults Word falls back on. Latent style entries are names only and stay."""
    by_id = {s.get(qn("w:styleId")): s for s in children(styles, qn("w:style"))}
    wanted = {sid for sid, s in by_id.items() if s.get(qn("w:default")) in ("1", "true")}
    for story in stories:
        for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"):
            for ref in story.iter(qn(f"w:{tag}")):
                wanted.add(ref.get(qn("w:val")))
    todo = list(wanted)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in ("basedOn", "next", "link"):
            link = child(style, qn(f"w:{tag}"))
            if link is not None and link.get(qn("w:val")) not in wanted:
                wanted.add(link.get(qn("w:val")))
                todo.append(link.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in wanted:
            styles.remove(style)


def settings_tweaks(settings: etree._Element) -> None:
    """Document settings for Chinese layout.

    - ``w:doNotExpandShiftReturn``: a justified line ending in a manual line break is not
      stretched across the line (Word and LibreOffice both honour it);
    - ``w:themeFontLang`` East Asian language zh-CN (python-docx's template says ja-JP);
    - no ``w:updateFields``: Word would ask to refresh fields on every open.
    """
    _remove(settings, "updateFields")
    compat = child(settings, qn("w:compat"))
    if compat is None:
        compat = w("compat")
        settings.append(compat)
    if child(compat, qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, w("doNotExpandShiftReturn"))
    lang = child(settings, qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


# --------------------------------------------------------------------------- layout estimate


def _int(element: etree._Element | None, attr: str) -> int | None:
    if element is None:
        return None
    value = element.get(qn(f"w:{attr}"))
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


class ParagraphFacts(TypedDict):
    """What :func:`paragraph_facts` reads from a ``w:p``; ``None`` where the style decides."""

    style: str | None  # style id
    before: int | None  # spacing, twips
    after: int | None
    line: int | None
    rule: str | None  # exact, atLeast, auto
    snap: bool | None  # snaps to the document grid
    indent: int  # left + right + first line - hanging, 1/100 characters
    indents: dict[str, int | None]  # each of those four, 1/100 characters
    size: float  # the largest run size, pt; 0 when no run sets one
    text: str
    breaks: int  # hard line breaks
    pictures: list[int]  # heights, EMU


def paragraph_facts(p: etree._Element) -> ParagraphFacts:
    """What a rough layout estimate needs from a ``w:p``: its style id, direct spacing
    (twips), line rule, grid snapping, left/right indents in 1/100 characters, the largest
    run size (pt), its text, hard breaks and picture heights (EMU)."""
    ppr = child(p, qn("w:pPr"))
    style = child(ppr, qn("w:pStyle")) if ppr is not None else None
    spacing = child(ppr, qn("w:spacing")) if ppr is not None else None
    ind = child(ppr, qn("w:ind")) if ppr is not None else None
    snap = child(ppr, qn("w:snapToGrid")) if ppr is not None else None
    sizes = [_int(sz, "val") for sz in p.iter(qn("w:sz")) if not _marks_paragraph(sz)]
    return {
        "style": style.get(qn("w:val")) if style is not None else None,
        "before": _int(spacing, "before"),
        "after": _int(spacing, "after"),
        "line": _int(spacing, "line"),
        "rule": spacing.get(qn("w:lineRule")) if spacing is not None else None,
        "snap": None if snap is None else snap.get(qn("w:val")) not in ("0", "false"),
        "indent": sum(
            v or 0
            for v in (_int(ind, "leftChars"), _int(ind, "rightChars"), _int(ind, "firstLineChars"))
        )
        - (_int(ind, "hangingChars") or 0),
        "indents": {
            key: _int(ind, key)
            for key in ("leftChars", "rightChars", "firstLineChars", "hangingChars")
        },
        "size": max((s for s in sizes if s), default=0) / 2,
        "text": "".join(t.text or "" for t in p.iter(qn("w:t"))),
        "breaks": sum(1 for _ in p.iter(qn("w:br"))),
        "pictures": [int(e.get("cy", "0")) for e in p.iter(qn("wp:extent"))],
    }


def _marks_paragraph(sz: etree._Element) -> bool:
    """Whether a ``w:sz`` sizes the paragraph mark (``w:pPr/w:rPr/w:sz``), not a run."""
    rpr = sz.getparent()
    owner = rpr.getparent() if rpr is not None else None
    return owner is not None and owner.tag == qn("w:pPr")


def paragraph_runs(p: etree._Element) -> list[tuple[str, int | None, int | None]]:
    """The runs of a ``w:p`` (hyperlinks included) as (text, size in half points, character
    spacing in twentieths of a point), the last two ``None`` where the style decides; a hard
    line break is a run of its own, ``"\\n"``."""
    runs = []
    for r in p.iter(_R):
        rpr = child(r, qn("w:rPr"))
        size = _int(child(rpr, qn("w:sz")), "val") if rpr is not None else None
        spacing = _int(child(rpr, qn("w:spacing")), "val") if rpr is not None else None
        for element in r:
            if element.tag == _T:
                runs.append((element.text or "", size, spacing))
            elif element.tag == _BR:
                runs.append(("\n", size, spacing))
    return runs


def track_runs(p: etree._Element, spacing: int) -> None:
    """Character spacing *spacing* (twentieths of a point, negative: tighter) on every run."""
    for r in p.iter(_R):
        _set(_child(_props(r, "rPr"), "spacing", RPR_ORDER), val=spacing)


def size_runs(p: etree._Element, size: float) -> None:
    """Every run of a ``w:p`` at *size* points."""
    half_points = round(size * 2)
    for r in p.iter(_R):
        rpr = _props(r, "rPr")
        _set(_child(rpr, "sz", RPR_ORDER), val=half_points)
        _set(_child(rpr, "szCs", RPR_ORDER), val=half_points)


def paragraph_flag(p: etree._Element, tag: str) -> bool | None:
    """A direct on/off paragraph property (``keepNext``, ``widowControl`` …) of a ``w:p``;
    None when the style decides."""
    ppr = child(p, qn("w:pPr"))
    element = child(ppr, qn(f"w:{tag}")) if ppr is not None else None
    if element is None:
        return None
    return element.get(qn("w:val")) not in ("0", "false", "off")


def is_floating(tbl: etree._Element) -> bool:
    """Whether a ``w:tbl`` floats (``w:tblpPr``), like the 版记."""
    tbl_pr = child(tbl, qn("w:tblPr"))
    return tbl_pr is not None and child(tbl_pr, qn("w:tblpPr")) is not None


def ends_section(p: etree._Element) -> bool:
    """Whether a ``w:p`` closes a section (its properties hold a ``w:sectPr``)."""
    ppr = child(p, qn("w:pPr"))
    return ppr is not None and child(ppr, qn("w:sectPr")) is not None


def section_start(sect_pr: etree._Element) -> str:
    """How a section starts (``w:type``): nextPage unless it says otherwise."""
    kind = child(sect_pr, qn("w:type"))
    return kind.get(qn("w:val"), "nextPage") if kind is not None else "nextPage"


def has_bottom_border(p: etree._Element) -> bool:
    ppr = child(p, qn("w:pPr"))
    borders = child(ppr, qn("w:pBdr")) if ppr is not None else None
    return borders is not None and child(borders, qn("w:bottom")) is not None


def table_facts(tbl: etree._Element) -> list[list[tuple[str, int, float]]]:
    """Rows of a ``w:tbl`` as (text, width in twips its text may fill, largest run size in
    pt) per cell: the cell's width less the table's left and right cell margins."""
    margins = child_path(tbl, qn("w:tblPr"), qn("w:tblCellMar"))
    inset = (
        sum(_int(child(margins, qn(f"w:{side}")), "w") or 0 for side in ("left", "right"))
        if margins is not None
        else 0
    )
    rows = []
    for tr in children(tbl, qn("w:tr")):
        cells = []
        for tc in children(tr, qn("w:tc")):
            width = (_int(child_path(tc, qn("w:tcPr"), qn("w:tcW")), "w") or 0) - inset
            sizes = [_int(sz, "val") or 0 for sz in tc.iter(qn("w:sz"))]
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            cells.append((text, width, max(sizes, default=28) / 2))
        rows.append(cells)
    return rows


def table_picture_heights(tbl: etree._Element) -> list[int]:
    """The tallest picture (EMU) in each row of a ``w:tbl``; 0 for a row without one."""
    return [
        max((int(e.get("cy", "0")) for e in tr.iter(qn("wp:extent"))), default=0)
        for tr in children(tbl, qn("w:tr"))
    ]


# --------------------------------------------------------------------------- tables


def table_layout(
    table: etree._Element,
    *,
    width: int,
    borders: dict[str, tuple[int, str] | None],
    cell_margin: tuple[int, int] = (108, 108),
    center: bool = True,
) -> None:
    """Fixed width, explicit borders (``{side: (size_eighths, colour)}`` or None) and margins."""
    tbl_pr = required_child(table, qn("w:tblPr"))
    _remove(tbl_pr, "tblStyle")
    _set(_child(tbl_pr, "tblW", TBLPR_ORDER), w=width, type="dxa")
    if center:
        _set(_child(tbl_pr, "jc", TBLPR_ORDER), val="center")
    _remove(tbl_pr, "tblBorders")
    tbl_borders = _child(tbl_pr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        spec = borders.get(side)
        element = w(side)
        if spec is None:
            _set(element, val="nil")
        else:
            _set(element, val="single", sz=spec[0], space=0, color=spec[1])
        tbl_borders.append(element)
    _set(_child(tbl_pr, "tblLayout", TBLPR_ORDER), type="fixed")
    _remove(tbl_pr, "tblCellMar")
    mar = _child(tbl_pr, "tblCellMar", TBLPR_ORDER)
    for side, value in (
        ("top", 0),
        ("left", cell_margin[0]),
        ("bottom", 0),
        ("right", cell_margin[1]),
    ):
        mar.append(_set(w(side), w=value, type="dxa"))
    _remove(tbl_pr, "tblLook")


def float_at_page_bottom(table: etree._Element, *, x: int) -> None:
    """Position the table so its bottom edge sits on the bottom margin (版心下边缘).

    ``horzAnchor="page"`` with an explicit x (the left margin) rather than ``margin``:
    LibreOffice before 7.6 imports full-width floating tables anchored to the margin as
    ordinary inline tables, but always makes a fly for page-relative ones.
    """
    tbl_pr = required_child(table, qn("w:tblPr"))
    tblp = _child(tbl_pr, "tblpPr", TBLPR_ORDER)
    tblp.attrib.clear()
    _set(
        tblp,
        leftFromText=0,
        rightFromText=0,
        topFromText=0,
        bottomFromText=0,
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=x,
        tblpYSpec="bottom",
    )
    _set(_child(tbl_pr, "tblOverlap", TBLPR_ORDER), val="never")


def cell_props(
    cell: etree._Element,
    *,
    width: int,
    borders: dict[str, tuple[int, str] | None] | None = None,
    no_wrap: bool = False,
    v_align: str | None = None,
) -> None:
    tc_pr = child(cell, qn("w:tcPr"))
    if tc_pr is None:
        tc_pr = w("tcPr")
        cell.insert(0, tc_pr)
    _set(_child(tc_pr, "tcW", TCPR_ORDER), w=width, type="dxa")
    if no_wrap:
        _child(tc_pr, "noWrap", TCPR_ORDER)
    if v_align:
        _set(_child(tc_pr, "vAlign", TCPR_ORDER), val=v_align)
    if borders:
        _remove(tc_pr, "tcBorders")
        tc_borders = _child(tc_pr, "tcBorders", TCPR_ORDER)
        for side in ("top", "left", "bottom", "right"):
            if side not in borders:
                continue
            spec = borders[side]
            element = w(side)
            if spec is None:
                _set(element, val="nil")
            else:
                _set(element, val="single", sz=spec[0], space=0, color=spec[1])
            tc_borders.append(element)


def row_props(
    row: etree._Element,
    *,
    header: bool = False,
    cant_split: bool = True,
    height: int | None = None,
) -> None:
    """Row properties: never split, repeated as a header row, an exact height in twips."""
    tr_pr = child(row, qn("w:trPr"))
    if tr_pr is None:
        tr_pr = w("trPr")
        tbl_pr_ex = child(row, qn("w:tblPrEx"))
        (tbl_pr_ex.addnext if tbl_pr_ex is not None else lambda e: row.insert(0, e))(tr_pr)
    # CT_TrPr is a choice group, any order is valid; Word writes cantSplit, trHeight, tblHeader
    if cant_split and child(tr_pr, qn("w:cantSplit")) is None:
        tr_pr.append(w("cantSplit"))
    if height is not None and child(tr_pr, qn("w:trHeight")) is None:
        tr_pr.append(_set(w("trHeight"), val=height, hRule="exact"))
    if header and child(tr_pr, qn("w:tblHeader")) is None:
        tr_pr.append(w("tblHeader"))


def grid_columns(table: etree._Element, widths: Sequence[int]) -> None:
    grid = required_child(table, qn("w:tblGrid"))
    for col, width in zip(children(grid, qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
