"""Run and paragraph properties (fonts by script, sizes, spacing, indents, keeps, borders, tab
stops), PAGE fields, bookmarks and internal hyperlinks."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, Unpack

from lxml import etree

from briefing.ooxml_names import XML, W, clark, qn

if TYPE_CHECKING:
    pass
from briefing.render._oxml.core import (
    _R,
    _THEME_FONT_NAMES,
    _child,
    _props,
    _remove,
    _set,
    _unset,
    child,
    parse_xml,
    w,
)
from briefing.render._oxml.schema import PPR_ORDER, RPR_ORDER

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
