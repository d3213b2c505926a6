"""Reading back what was written, for the layout estimates and the fitting pass: a paragraph's
lines of text, sizes, spacing and flags, a table's cells, where sections start; and the two
edits the fitting pass makes to runs (tracking, size)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from lxml import etree

from briefing.ooxml_names import qn

if TYPE_CHECKING:
    pass
from briefing.render._oxml.core import (
    _BR,
    _R,
    _T,
    _child,
    _props,
    _set,
    child,
    child_path,
    children,
)
from briefing.render._oxml.schema import RPR_ORDER

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
