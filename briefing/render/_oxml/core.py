"""The vocabulary every other module of the package uses: making ``w:*`` elements, finding
children, inserting a child in schema order, the East Asian hint test, serialising a part."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from lxml import etree

from briefing.ooxml_names import W, qn

if TYPE_CHECKING:
    pass
from briefing.render._oxml.schema import PPR_ORDER, STYLE_ORDER

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


# Clark names of the elements most looked for
_P, _R, _T, _TAB, _BR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br")
