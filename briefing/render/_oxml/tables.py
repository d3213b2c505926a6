"""Table properties: layout and widths, the floating 版记 table at the page bottom, cell and row
properties, grid columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from briefing.ooxml_names import qn

if TYPE_CHECKING:
    pass
from briefing.render._oxml.core import _child, _remove, _set, child, children, required_child, w
from briefing.render._oxml.schema import TBLPR_ORDER, TCPR_ORDER

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
