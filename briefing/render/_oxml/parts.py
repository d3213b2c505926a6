"""Whole parts: page setup, document defaults, theme fonts, the font table, pruning unused
styles, settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from lxml import etree

from briefing.ooxml_names import R, W, qn

if TYPE_CHECKING:
    from briefing.render.docx_styles import FontFace
from briefing.render._oxml.core import (
    _THEME_FONT_NAMES,
    _child,
    _props,
    _remove,
    _set,
    _unset,
    child,
    children,
    serialise,
    w,
)
from briefing.render._oxml.schema import SECTPR_ORDER
from briefing.render._oxml.text import run_props

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
            for slot in font:
                tag = etree.QName(slot).localname
                if tag == "latin":
                    slot.set("typeface", latin)
                elif tag == "ea" or (tag == "font" and slot.get("script") == "Hans"):
                    slot.set("typeface", face)
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
