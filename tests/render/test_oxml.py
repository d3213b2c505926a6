"""The raw WordprocessingML helpers (``briefing.render._oxml``), one function at a time.

Every test builds a small element, calls one helper and compares the exact XML it leaves:
element order (Word rejects out-of-order children), attribute names and values, the East
Asian font slots. Namespace declarations are dropped from the compared text.
"""

from __future__ import annotations

import re

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from briefing import ooxml_names
from briefing.render import _oxml
from briefing.render._oxml import core as oxml_core
from briefing.render._oxml import facts as oxml_facts

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def make(xml: str) -> etree._Element:
    """Parse *xml* written with bare ``w:``/``wp:``/``a:`` prefixes."""
    return parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {nsdecls('w', 'wp', 'a')}", xml, count=1))


def xml(element: etree._Element) -> str:
    """*element* serialised without namespace declarations."""
    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(element, encoding="unicode"))


# --------------------------------------------------------------------------- hint, generic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中文", False),
        ("abc", False),
        ("\u00b6", False),
        ("\u00b7", True),
        ("\u00b8", False),
        ("\u1fff", False),
        ("\u2000", True),
        ("“引号”", True),
        ("——", True),
        ("……", True),
        ("\u206f", True),
        ("\u2070", False),
        ("\u2e39", False),
        ("\u2e3a", True),
        ("\u2e3b", True),
        ("\u2e3c", False),
    ],
)
def test_east_asia_hint_for_general_punctuation(text: str, expected: bool) -> None:
    assert _oxml.needs_east_asia_hint(text) is expected


def test_child_is_created_in_schema_position_and_found_when_present() -> None:
    ppr = make("<w:pPr><w:snapToGrid/><w:ind/><w:jc/></w:pPr>")
    spacing = oxml_core._child(ppr, "spacing", _oxml.PPR_ORDER)
    assert xml(ppr) == "<w:pPr><w:snapToGrid/><w:spacing/><w:ind/><w:jc/></w:pPr>"
    assert oxml_core._child(ppr, "spacing", _oxml.PPR_ORDER) is spacing
    assert len(ppr) == 4
    # nothing later in the schema: appended; a comment is no sibling to insert before
    tail = make("<w:pPr><w:keepNext/><!-- note --></w:pPr>")
    oxml_core._child(tail, "jc", _oxml.PPR_ORDER)
    assert xml(tail) == "<w:pPr><w:keepNext/><!-- note --><w:jc/></w:pPr>"
    head = make("<w:pPr><!-- note --><w:jc/></w:pPr>")
    oxml_core._child(head, "keepNext", _oxml.PPR_ORDER)
    assert xml(head) == "<w:pPr><!-- note --><w:keepNext/><w:jc/></w:pPr>"


def test_remove_drops_every_match_and_set_writes_strings() -> None:
    ppr = make("<w:pPr><w:tabs/><w:jc/><w:tabs/></w:pPr>")
    oxml_core._remove(ppr, "tabs")
    assert xml(ppr) == "<w:pPr><w:jc/></w:pPr>"
    oxml_core._remove(ppr, "tabs")
    assert xml(ppr) == "<w:pPr><w:jc/></w:pPr>"
    assert oxml_core._set(ppr.find(qn("w:jc")), val="both", pos=12) is ppr.find(qn("w:jc"))
    assert xml(ppr) == '<w:pPr><w:jc w:val="both" w:pos="12"/></w:pPr>'


def test_props_of_each_owner() -> None:
    paragraph = make("<w:p><w:r/></w:p>")
    ppr = oxml_core._props(paragraph, "pPr")
    assert oxml_core._props(paragraph, "pPr") is ppr
    assert xml(paragraph) == "<w:p><w:pPr/><w:r/></w:p>"
    run = make("<w:r><w:t>x</w:t></w:r>")
    rpr = oxml_core._props(run, "rPr")
    assert oxml_core._props(run, "rPr") is rpr
    assert xml(run) == "<w:r><w:rPr/><w:t>x</w:t></w:r>"
    style = make('<w:style w:styleId="S"><w:name w:val="s"/><w:rPr/></w:style>')
    oxml_core._props(style, "pPr")
    assert xml(style) == '<w:style w:styleId="S"><w:name w:val="s"/><w:pPr/><w:rPr/></w:style>'
    default = make("<w:rPrDefault><w:x/></w:rPrDefault>")
    found = oxml_core._props(default, "rPr")
    assert oxml_core._props(default, "rPr") is found
    assert xml(default) == "<w:rPrDefault><w:x/><w:rPr/></w:rPrDefault>"
    p_default = make("<w:pPrDefault/>")
    oxml_core._props(p_default, "pPr")
    assert xml(p_default) == "<w:pPrDefault><w:pPr/></w:pPrDefault>"
    mark = make("<w:pPr><w:jc/><w:sectPr/></w:pPr>")
    oxml_core._props(mark, "rPr")
    assert xml(mark) == "<w:pPr><w:jc/><w:rPr/><w:sectPr/></w:pPr>"
    with pytest.raises(ValueError, match=r"^no rPr for tbl$"):
        oxml_core._props(make("<w:tbl/>"), "rPr")
    with pytest.raises(ValueError, match=r"^no pPr for r$"):
        oxml_core._props(make("<w:r/>"), "pPr")


# --------------------------------------------------------------------------- runs


def test_run_props_writes_every_property_in_schema_order() -> None:
    run = make("<w:r><w:t>x</w:t></w:r>")
    _oxml.run_props(
        run,
        east_asia="黑体",
        latin="Times New Roman",
        size=15.5,
        bold=True,
        italic=False,
        color="FF0000",
        hint=True,
        lang=True,
        spacing=-20,
    )
    assert xml(run) == (
        "<w:r><w:rPr>"
        '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"'
        ' w:eastAsia="黑体" w:hint="eastAsia"/>'
        '<w:b/><w:bCs/><w:i w:val="0"/><w:iCs w:val="0"/><w:color w:val="FF0000"/>'
        '<w:spacing w:val="-20"/><w:sz w:val="31"/><w:szCs w:val="31"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr><w:t>x</w:t></w:r>"
    )


def test_run_props_east_asian_font_alone_strips_theme_fonts() -> None:
    rpr = make(
        '<w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"'
        ' w:eastAsiaTheme="minorEastAsia" w:cstheme="minorBidi" w:ascii="Arial"/>'
        '<w:b w:val="0"/><w:i/></w:rPr>'
    )
    _oxml.run_props(rpr, east_asia="仿宋_GB2312", bold=True, italic=True, spacing=0, size=10.5)
    assert xml(rpr) == (
        '<w:rPr><w:rFonts w:ascii="Arial" w:eastAsia="仿宋_GB2312"/><w:b/><w:bCs/><w:i/><w:iCs/>'
        '<w:spacing w:val="0"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>'
    )


def test_run_props_latin_alone_and_nothing_at_all() -> None:
    rpr = make('<w:rPr><w:rFonts w:eastAsiaTheme="minorEastAsia"/></w:rPr>')
    _oxml.run_props(rpr, latin="Arial", bold=False)
    assert xml(rpr) == (
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>'
        '<w:b w:val="0"/><w:bCs w:val="0"/></w:rPr>'
    )
    # a hint alone names no font: no rFonts; no size, colour or language either
    bare = make("<w:r/>")
    _oxml.run_props(bare, hint=True, color="", size=None)
    assert xml(bare) == "<w:r><w:rPr/></w:r>"
    themed = make('<w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/></w:rPr>')
    _oxml.run_props(themed, size=0)
    assert xml(themed) == (
        '<w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/><w:sz w:val="0"/><w:szCs w:val="0"/></w:rPr>'
    )


def test_run_props_on_a_paragraph_mark() -> None:
    paragraph = make('<w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p>')
    _oxml.run_props(paragraph.find(qn("w:pPr")), size=1.0)
    assert xml(paragraph) == (
        '<w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/>'
        "</w:rPr></w:pPr></w:p>"
    )


# --------------------------------------------------------------------------- paragraphs


def test_para_props_flags_spacing_indent_alignment_outline() -> None:
    paragraph = make("<w:p><w:r/></w:p>")
    _oxml.para_props(
        paragraph,
        line=579,
        before=10,
        after=20,
        first_chars=2,
        left_chars=1,
        right_chars=3,
        jc="both",
        keep_next=True,
        keep_lines=False,
        widow_control=True,
        snap_to_grid=False,
        overflow_punct=True,
        outline_level=0,
        page_break_before=False,
    )
    assert xml(paragraph) == (
        "<w:p><w:pPr>"
        '<w:keepNext/><w:keepLines w:val="0"/><w:pageBreakBefore w:val="0"/><w:widowControl/>'
        '<w:overflowPunct/><w:snapToGrid w:val="0"/>'
        '<w:spacing w:before="10" w:beforeLines="0" w:after="20" w:afterLines="0"'
        ' w:line="579" w:lineRule="exact"/>'
        '<w:ind w:leftChars="100" w:left="320" w:rightChars="300" w:right="960"'
        ' w:firstLineChars="200" w:firstLine="640"/>'
        '<w:jc w:val="both"/><w:outlineLvl w:val="0"/>'
        "</w:pPr><w:r/></w:p>"
    )


def test_para_props_flags_turned_on_drop_their_val() -> None:
    ppr = make(
        '<w:pPr><w:keepNext w:val="0"/><w:keepLines w:val="0"/><w:pageBreakBefore w:val="0"/>'
        '<w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:snapToGrid w:val="0"/></w:pPr>'
    )
    _oxml.para_props(
        ppr,
        keep_next=True,
        keep_lines=True,
        page_break_before=True,
        widow_control=True,
        snap_to_grid=True,
        overflow_punct=True,
    )
    assert xml(ppr) == (
        "<w:pPr><w:keepNext/><w:keepLines/><w:pageBreakBefore/><w:widowControl/>"
        "<w:overflowPunct/><w:snapToGrid/></w:pPr>"
    )


def test_para_props_replaces_autospacing_and_old_indents() -> None:
    ppr = make(
        '<w:pPr><w:spacing w:beforeAutospacing="1" w:afterAutospacing="1" w:line="240"/>'
        '<w:ind w:firstLineChars="200" w:firstLine="640" w:left="99"/></w:pPr>'
    )
    _oxml.para_props(ppr, before=0, after=0, hanging_chars=2, first_chars=1, char_twips=280)
    assert xml(ppr) == (
        '<w:pPr><w:spacing w:line="240" w:before="0" w:beforeLines="0" w:after="0"'
        ' w:afterLines="0"/><w:ind w:hangingChars="200" w:hanging="560"/></w:pPr>'
    )


def test_para_props_line_alone_with_its_rule_and_a_zero_hanging_indent() -> None:
    ppr = make("<w:pPr/>")
    _oxml.para_props(ppr, line=240, rule="auto", hanging_chars=0, first_chars=0)
    assert xml(ppr) == (
        '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/>'
        '<w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
    )
    after_only = make("<w:pPr/>")
    _oxml.para_props(after_only, after=5, right_chars=0)
    assert xml(after_only) == (
        '<w:pPr><w:spacing w:after="5" w:afterLines="0"/>'
        '<w:ind w:rightChars="0" w:right="0"/></w:pPr>'
    )
    left_only = make("<w:pPr/>")
    _oxml.para_props(left_only, left_chars=0)
    assert xml(left_only) == '<w:pPr><w:ind w:leftChars="0" w:left="0"/></w:pPr>'
    hanging_only = make("<w:pPr/>")
    _oxml.para_props(hanging_only, hanging_chars=1)
    assert xml(hanging_only) == '<w:pPr><w:ind w:hangingChars="100" w:hanging="320"/></w:pPr>'
    untouched = make('<w:pPr><w:ind w:left="5"/></w:pPr>')
    _oxml.para_props(untouched)
    assert xml(untouched) == '<w:pPr><w:ind w:left="5"/></w:pPr>'


def test_paragraph_style_points_at_a_style_or_the_default() -> None:
    paragraph = make("<w:p/>")
    _oxml.paragraph_style(paragraph, "Heading1")
    assert xml(paragraph) == '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:p>'
    _oxml.paragraph_style(paragraph, None)
    assert xml(paragraph) == "<w:p><w:pPr/></w:p>"
    formatted = make('<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:r/></w:p>')
    _oxml.paragraph_style(formatted, "Title")  # the style comes first in w:pPr
    assert xml(formatted) == (
        '<w:p><w:pPr><w:pStyle w:val="Title"/><w:keepNext/><w:jc w:val="center"/></w:pPr>'
        "<w:r/></w:p>"
    )
    _oxml.paragraph_style(formatted, "Subtitle")
    assert xml(formatted).count("pStyle") == 1 and 'w:val="Subtitle"' in xml(formatted)


def test_tab_stops_replace_and_clear() -> None:
    paragraph = make(
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="1"/></w:tabs><w:jc/></w:pPr></w:p>'
    )
    _oxml.tab_stops(paragraph, [("right", 8844), ("center", 4422)])
    assert xml(paragraph) == (
        '<w:p><w:pPr><w:tabs><w:tab w:val="right" w:pos="8844"/><w:tab w:val="center"'
        ' w:pos="4422"/></w:tabs><w:jc/></w:pPr></w:p>'
    )
    _oxml.tab_stops(paragraph.find(qn("w:pPr")), iter(()))
    assert xml(paragraph) == "<w:p><w:pPr><w:jc/></w:pPr></w:p>"
    _oxml.clear_tab_stops(paragraph, iter([4153, 8306]))
    assert xml(paragraph) == (
        '<w:p><w:pPr><w:tabs><w:tab w:val="clear" w:pos="4153"/><w:tab w:val="clear"'
        ' w:pos="8306"/></w:tabs><w:jc/></w:pPr></w:p>'
    )
    style_ppr = make("<w:pPr><w:tabs/></w:pPr>")
    _oxml.clear_tab_stops(style_ppr, ())
    assert xml(style_ppr) == "<w:pPr/>"


def test_border_in_side_order_replacing_the_same_side() -> None:
    paragraph = make("<w:p><w:pPr><w:spacing/></w:pPr></w:p>")
    _oxml.border(paragraph, "bottom", size=16, color="FF0000", space=4)
    _oxml.border(paragraph.find(qn("w:pPr")), "top", size=8)
    _oxml.border(paragraph, "bottom", size=12, color="00FF00", space=1)
    assert xml(paragraph) == (
        "<w:p><w:pPr><w:pBdr>"
        '<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="12" w:space="1" w:color="00FF00"/>'
        "</w:pBdr><w:spacing/></w:pPr></w:p>"
    )


def test_border_sides_in_schema_order_whatever_the_call_order() -> None:
    ppr = make('<w:pPr><w:pBdr><w:right w:val="double" w:shadow="1" w:frame="1"/></w:pBdr></w:pPr>')
    for side in ("bar", "left", "between", "right", "top", "bottom"):
        _oxml.border(ppr, side, size=4)
    spec = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    schema_order = ("top", "left", "bottom", "right", "between", "bar")  # CT_PBdr
    sides = "".join(f"<w:{side} {spec}/>" for side in schema_order)
    assert xml(ppr) == f"<w:pPr><w:pBdr>{sides}</w:pBdr></w:pPr>"


def test_reset_style_keeps_only_the_identity() -> None:
    style = make(
        '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
        "<w:pPr/><w:rPr/><w:tblPr/><w:trPr/><w:tcPr/><w:tblStylePr/><w:tblStylePr/></w:style>"
    )
    _oxml.reset_style(style)
    assert xml(style) == (
        '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
        "</w:style>"
    )


# --------------------------------------------------------------------------- fields, bookmarks


def test_page_field_runs_copy_the_neighbouring_formatting() -> None:
    paragraph = make('<w:p><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>— </w:t></w:r></w:p>')
    rpr = _oxml.run_properties(paragraph.find(qn("w:r")))
    _oxml.append_field(paragraph, "PAGE", "1", rpr)
    size = '<w:rPr><w:sz w:val="28"/></w:rPr>'
    assert xml(paragraph) == (
        f"<w:p><w:r>{size}<w:t>— </w:t></w:r>"
        f'<w:r>{size}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{size}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{size}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{size}<w:t>1</w:t></w:r>"
        f'<w:r>{size}<w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    copies = [r.find(qn("w:rPr")) for r in paragraph.findall(qn("w:r"))]
    assert len({id(c) for c in copies}) == 6  # copies, not the one element moved around
    bare = make("<w:p/>")
    _oxml.append_field(bare, "NUMPAGES", "9", _oxml.run_properties(make("<w:r/>")))
    assert xml(bare) == (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>9</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def test_bookmarks_wrap_the_content_after_the_paragraph_properties() -> None:
    paragraph = make("<w:p><w:pPr/><w:r/></w:p>")
    _oxml.add_bookmark(paragraph, "a1", 7)
    assert xml(paragraph) == (
        '<w:p><w:pPr/><w:bookmarkStart w:id="7" w:name="a1"/><w:r/><w:bookmarkEnd w:id="7"/></w:p>'
    )
    bare = make("<w:p><w:r/></w:p>")
    _oxml.add_bookmark(bare, "b", 0)
    assert (
        xml(bare)
        == '<w:p><w:bookmarkStart w:id="0" w:name="b"/><w:r/><w:bookmarkEnd w:id="0"/></w:p>'
    )


def test_internal_hyperlink_is_appended_and_returned() -> None:
    paragraph = make("<w:p><w:pPr/></w:p>")
    link = _oxml.internal_hyperlink(paragraph, "a2")
    assert paragraph[-1] is link
    assert xml(paragraph) == '<w:p><w:pPr/><w:hyperlink w:anchor="a2" w:history="1"/></w:p>'


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("a1", "a1"),
        ("Work-2018.1", "Work_2018_1"),
        ("1abc", "article_3"),
        ("_abc", "article_3"),
        ("", "article_3"),
        ("工作动态", "article_3"),
        ("x工作", "x__"),
        ("a" * 45, "a" * 40),
    ],
)
def test_bookmark_names_are_word_legal(anchor: str, expected: str) -> None:
    assert _oxml.bookmark_name(anchor, 3) == expected


# --------------------------------------------------------------------------- sections, settings


def test_page_setup_writes_a_line_grid() -> None:
    sect = make('<w:sectPr><w:pgSz/><w:docGrid w:charSpace="5" w:type="snapToChars"/></w:sectPr>')
    _oxml.page_setup(sect, grid_line_pitch=579)
    assert (
        xml(sect) == '<w:sectPr><w:pgSz/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>'
    )
    bare = make("<w:sectPr><w:pgMar/><w:printerSettings/></w:sectPr>")
    _oxml.page_setup(bare, grid_line_pitch=312)
    assert xml(bare) == (
        '<w:sectPr><w:pgMar/><w:docGrid w:type="lines" w:linePitch="312"/><w:printerSettings/>'
        "</w:sectPr>"
    )


def test_doc_defaults_created_first_with_chinese_fonts_and_no_paragraph_spacing() -> None:
    styles = make('<w:styles><w:latentStyles/><w:style w:styleId="Normal"/></w:styles>')
    _oxml.doc_defaults(styles, east_asia="仿宋_GB2312", latin="Times New Roman", size=16)
    assert xml(styles) == (
        "<w:styles><w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"'
        ' w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
        '<w:latentStyles/><w:style w:styleId="Normal"/></w:styles>'
    )


def test_doc_defaults_rewrites_existing_defaults() -> None:
    styles = make(
        '<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:spacing w:after="160"/></w:pPr>'
        "</w:pPrDefault></w:docDefaults></w:styles>"
    )
    _oxml.doc_defaults(styles, east_asia="宋体", latin="Arial", size=10.5)
    assert xml(styles) == (
        "<w:styles><w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="宋体"/>'
        '<w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults></w:styles>"
    )
    # a second call finds every part instead of adding another
    _oxml.doc_defaults(styles, east_asia="宋体", latin="Arial", size=10.5)
    assert len(styles) == 1
    assert [etree.QName(e).localname for e in styles[0]] == ["rPrDefault", "pPrDefault"]
    assert len(styles[0][0]) == 1


def test_strip_theme_fonts_and_zh_cn_everywhere() -> None:
    root = make(
        '<w:styles><w:style><w:rPr><w:rFonts w:asciiTheme="a" w:hAnsiTheme="b"'
        ' w:eastAsiaTheme="c" w:cstheme="d" w:eastAsia="黑体"/><w:lang w:val="en-US"'
        ' w:eastAsia="ja-JP"/></w:rPr></w:style><w:rFonts w:cstheme="d"/><w:lang/></w:styles>'
    )
    _oxml.strip_theme_fonts(root)
    _oxml.set_zh_cn(root)
    assert xml(root) == (
        '<w:styles><w:style><w:rPr><w:rFonts w:eastAsia="黑体"/><w:lang w:val="en-US"'
        ' w:eastAsia="zh-CN"/></w:rPr></w:style><w:rFonts/><w:lang w:eastAsia="zh-CN"/>'
        "</w:styles>"
    )


def test_theme_east_asian_and_latin_faces_are_rewritten() -> None:
    theme = (
        f'<a:theme xmlns:a="{A}"><a:fontScheme>'
        '<a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/>'
        '<a:font script="Jpan" typeface="MS Gothic"/><a:font script="Hans" typeface="等线 Light"/>'
        "</a:majorFont>"
        '<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>'
        '<a:font script="Hans" typeface="等线"/></a:minorFont>'
        "</a:fontScheme></a:theme>"
    ).encode()
    out = _oxml.rewrite_theme_fonts(
        theme, major="黑体", minor="仿宋_GB2312", latin="Times New Roman"
    )
    assert (
        out
        == (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<a:theme xmlns:a="{A}"><a:fontScheme>'
            '<a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface="黑体"/>'
            '<a:font script="Jpan" typeface="MS Gothic"/><a:font script="Hans" typeface="黑体"/>'
            "</a:majorFont>"
            '<a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface="仿宋_GB2312"/>'
            '<a:cs typeface=""/><a:font script="Hans" typeface="仿宋_GB2312"/></a:minorFont>'
            "</a:fontScheme></a:theme>"
        ).encode()
    )


def styles_with(*specs: str) -> etree._Element:
    return make("<w:styles><w:latentStyles/>" + "".join(specs) + "</w:styles>")


def style_ids(styles: etree._Element) -> list[str]:
    return [s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))]


def test_prune_styles_keeps_defaults_references_and_their_chains() -> None:
    styles = styles_with(
        '<w:style w:styleId="Normal" w:default="1"/>',
        '<w:style w:styleId="TableNormal" w:default="true"/>',
        '<w:style w:styleId="Off" w:default="0"/>',
        '<w:style w:styleId="Unused"><w:basedOn w:val="Normal"/></w:style>',
        '<w:style w:styleId="H1"><w:basedOn w:val="Base"/><w:next w:val="Body"/>'
        '<w:link w:val="H1Char"/></w:style>',
        '<w:style w:styleId="Base"><w:basedOn w:val="H1"/></w:style>',
        '<w:style w:styleId="Body"/>',
        '<w:style w:styleId="H1Char"><w:link w:val="H1"/></w:style>',
        '<w:style w:styleId="Strong"/>',
        '<w:style w:styleId="Grid"/>',
        '<w:style w:styleId="ListA"/>',
        '<w:style w:styleId="ListB"/>',
        '<w:style w:styleId="center"/>',
    )
    # a style is wanted through a style reference only, not any w:val that spells its id
    story = make(
        '<w:body><w:p><w:pPr><w:pStyle w:val="H1"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr></w:r></w:p>'
        '<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/></w:tblPr></w:tbl></w:body>'
    )
    numbering = make(
        '<w:numbering><w:abstractNum><w:numStyleLink w:val="ListA"/><w:styleLink w:val="ListB"/>'
        '</w:abstractNum><w:pStyle w:val="Gone"/></w:numbering>'
    )
    _oxml.prune_styles(styles, iter([story, numbering]))
    assert style_ids(styles) == [
        "Normal",
        "TableNormal",
        "H1",
        "Base",
        "Body",
        "H1Char",
        "Strong",
        "Grid",
        "ListA",
        "ListB",
    ]
    assert styles.find(qn("w:latentStyles")) is not None


def test_prune_styles_goes_on_past_a_missing_style() -> None:
    # H1 names B (kept, and its own base C) and then a style that does not exist
    styles = styles_with(
        '<w:style w:styleId="H1"><w:basedOn w:val="B"/><w:next w:val="Missing"/></w:style>',
        '<w:style w:styleId="B"><w:basedOn w:val="C"/></w:style>',
        '<w:style w:styleId="C"/>',
        '<w:style w:styleId="D"/>',
    )
    story = make('<w:body><w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr></w:p></w:body>')
    _oxml.prune_styles(styles, [story])
    assert style_ids(styles) == ["H1", "B", "C"]


def test_settings_for_chinese_layout() -> None:
    settings = make(
        '<w:settings><w:updateFields w:val="true"/><w:compat><w:compatSetting/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"/></w:settings>'
    )
    _oxml.settings_tweaks(settings)
    _oxml.settings_tweaks(settings)
    assert xml(settings) == (
        "<w:settings><w:compat><w:doNotExpandShiftReturn/><w:compatSetting/></w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'
    )
    bare = make("<w:settings><w:zoom/></w:settings>")
    _oxml.settings_tweaks(bare)
    assert (
        xml(bare)
        == "<w:settings><w:zoom/><w:compat><w:doNotExpandShiftReturn/></w:compat></w:settings>"
    )


# --------------------------------------------------------------------------- layout estimate


def test_int_reads_signed_integers_only() -> None:
    spacing = make('<w:spacing w:before="-12" w:after="X1" w:line="5.5" w:val="0"/>')
    assert oxml_facts._int(None, "before") is None
    assert oxml_facts._int(spacing, "before") == -12
    assert oxml_facts._int(spacing, "after") is None
    assert oxml_facts._int(spacing, "line") is None
    assert oxml_facts._int(spacing, "val") == 0
    assert oxml_facts._int(spacing, "lineRule") is None


def test_paragraph_facts_of_a_formatted_paragraph() -> None:
    paragraph = make(
        '<w:p><w:pPr><w:pStyle w:val="Body"/><w:snapToGrid w:val="false"/>'
        '<w:spacing w:before="120" w:after="0" w:line="579" w:lineRule="exact"/>'
        '<w:ind w:leftChars="100" w:rightChars="50" w:firstLineChars="200" w:hangingChars="30"/>'
        '<w:rPr><w:sz w:val="80"/></w:rPr></w:pPr>'
        '<w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t>一二</w:t><w:br/></w:r>'
        '<w:r><w:rPr><w:sz w:val="44"/></w:rPr><w:t>三</w:t><w:t/><w:br/></w:r>'
        '<w:r><w:drawing><wp:inline><wp:extent cx="10" cy="2000"/></wp:inline>'
        '<wp:anchor><wp:extent cx="10" cy="3000"/></wp:anchor></w:drawing></w:r></w:p>'
    )
    assert _oxml.paragraph_facts(paragraph) == {
        "style": "Body",
        "before": 120,
        "after": 0,
        "line": 579,
        "rule": "exact",
        "snap": False,
        "indent": 320,
        "indents": {
            "leftChars": 100,
            "rightChars": 50,
            "firstLineChars": 200,
            "hangingChars": 30,
        },
        "size": 22.0,
        "text": "一二三",
        "breaks": 2,
        "pictures": [2000, 3000],
    }


def test_paragraph_facts_of_a_bare_paragraph_and_grid_flags() -> None:
    assert _oxml.paragraph_facts(make("<w:p><w:r><w:t>字</w:t></w:r></w:p>")) == {
        "style": None,
        "before": None,
        "after": None,
        "line": None,
        "rule": None,
        "snap": None,
        "indent": 0,
        "indents": dict.fromkeys(("leftChars", "rightChars", "firstLineChars", "hangingChars")),
        "size": 0.0,
        "text": "字",
        "breaks": 0,
        "pictures": [],
    }
    facts = _oxml.paragraph_facts(
        make('<w:p><w:pPr><w:snapToGrid w:val="0"/><w:ind w:hangingChars="200"/></w:pPr></w:p>')
    )
    assert (facts["snap"], facts["indent"], facts["style"]) == (False, -200, None)
    assert _oxml.paragraph_facts(make("<w:p><w:pPr><w:snapToGrid/></w:pPr></w:p>"))["snap"] is True
    on = make('<w:p><w:pPr><w:snapToGrid w:val="1"/><w:spacing w:line="240"/></w:pPr></w:p>')
    assert (_oxml.paragraph_facts(on)["snap"], _oxml.paragraph_facts(on)["rule"]) == (True, None)


def test_paragraph_runs_flags_and_tracking() -> None:
    paragraph = make(
        '<w:p><w:pPr><w:keepNext/><w:widowControl w:val="0"/><w:pBdr><w:bottom/></w:pBdr>'
        "</w:pPr>"
        '<w:r><w:rPr><w:spacing w:val="-5"/><w:sz w:val="32"/></w:rPr><w:t>一</w:t><w:br/></w:r>'
        "<w:hyperlink><w:r><w:t>二</w:t></w:r></w:hyperlink></w:p>"
    )
    assert _oxml.paragraph_runs(paragraph) == [("一", 32, -5), ("\n", 32, -5), ("二", None, None)]
    assert _oxml.paragraph_flag(paragraph, "keepNext") is True
    assert _oxml.paragraph_flag(paragraph, "widowControl") is False
    assert _oxml.paragraph_flag(paragraph, "keepLines") is None
    assert _oxml.has_bottom_border(paragraph) and not _oxml.ends_section(paragraph)
    _oxml.track_runs(paragraph, -16)
    _oxml.size_runs(paragraph, 15.0)
    assert _oxml.paragraph_runs(paragraph) == [("一", 30, -16), ("\n", 30, -16), ("二", 30, -16)]
    # the new properties sit in schema order: spacing before sz
    second = paragraph.find(".//w:hyperlink/w:r/w:rPr", ooxml_names.PREFIXES)
    assert [etree.QName(e).localname for e in second] == ["spacing", "sz", "szCs"]


def test_section_start_and_floating_tables() -> None:
    assert _oxml.section_start(make("<w:sectPr/>")) == "nextPage"
    assert (
        _oxml.section_start(make('<w:sectPr><w:type w:val="evenPage"/></w:sectPr>')) == "evenPage"
    )
    assert not _oxml.is_floating(make("<w:tbl><w:tblPr/></w:tbl>"))
    assert _oxml.is_floating(make("<w:tbl><w:tblPr><w:tblpPr/></w:tblPr></w:tbl>"))


def test_table_facts_per_cell_text_width_and_size() -> None:
    table = make(
        "<w:tbl><w:tblPr/><w:tr>"
        '<w:tc><w:tcPr><w:tcW w:w="3000"/></w:tcPr><w:p><w:r><w:rPr><w:sz w:val="24"/>'
        '</w:rPr><w:t>报：</w:t></w:r><w:r><w:rPr><w:sz w:val="30"/></w:rPr><w:t>委领导</w:t>'
        "</w:r></w:p></w:tc>"
        "<w:tc><w:tcPr/><w:p><w:r><w:t/></w:r></w:p></w:tc>"
        '</w:tr><w:tr><w:tc><w:tcPr><w:tcW w:w="auto"/></w:tcPr><w:p><w:r><w:rPr><w:sz/>'
        "</w:rPr><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    assert _oxml.table_facts(table) == [
        [("报：委领导", 3000, 15.0), ("", 0, 14.0)],
        [("x", 0, 0.0)],
    ]


# --------------------------------------------------------------------------- pictures, tables


def test_picture_run_is_inline_with_zero_distances_and_the_file_name_as_data() -> None:
    paragraph = make("<w:p/>")
    run = _oxml.add_picture(
        paragraph, rel_id="rId12", shape_id=3, name='a"<&>.png', cx=5000, cy=2500
    )
    assert run.getparent() is paragraph
    inline = run.find(f"{qn('w:drawing')}/{qn('wp:inline')}")
    assert [inline.get(side) for side in ("distT", "distB", "distL", "distR")] == ["0"] * 4
    assert xml(run) == (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        '<wp:extent cx="5000" cy="2500"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:docPr id="3" name="Picture 3"/><wp:cNvGraphicFramePr>'
        '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="a&quot;&lt;&amp;&gt;.png"/>'
        "<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
        '<a:blip r:embed="rId12"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5000" cy="2500"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


# --------------------------------------------------------------------------- building blocks


def test_qn_and_w_spell_elements_like_word() -> None:
    # the shared names agree with python-docx's, which Word and LibreOffice have read for years
    for tag in ("w:p", "r:id", "wp:inline", "a:blip", "pic:pic", "xml:space"):
        assert ooxml_names.qn(tag) == qn(tag)
    assert ooxml_names.qn("w:p") == ooxml_names.clark(ooxml_names.W, "p")
    element = _oxml.w("jc", val="center")
    assert element.tag == qn("w:jc")
    assert element.get(qn("w:val")) == "center"
    assert etree.tostring(element).startswith(b"<w:jc ")


def test_paragraphs_go_before_the_final_section_properties() -> None:
    body = make('<w:body><w:p/><w:sectPr w:rsidR="1"/></w:body>')
    added = _oxml.add_paragraph(body)
    assert [etree.QName(c).localname for c in body] == ["p", "p", "sectPr"]
    assert body[1] is added
    cell = make("<w:tc><w:tcPr/></w:tc>")
    assert _oxml.add_paragraph(cell) is cell[-1]
    assert _oxml.add_paragraph(make("<w:body/>")).tag == qn("w:p")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "<w:r/>"),
        ("报：委领导", "<w:r><w:t>报：委领导</w:t></w:r>"),
        ("编辑\t签发", "<w:r><w:t>编辑</w:t><w:tab/><w:t>签发</w:t></w:r>"),
        ("a\nb\rc", "<w:r><w:t>a</w:t><w:br/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>"),
        ("\t\n", "<w:r><w:tab/><w:br/></w:r>"),
        (" 前后 ", '<w:r><w:t xml:space="preserve"> 前后 </w:t></w:r>'),
        ("\u3000王", '<w:r><w:t xml:space="preserve">\u3000王</w:t></w:r>'),
        ("王\u3000军", "<w:r><w:t>王\u3000军</w:t></w:r>"),
        (
            "— \t —",
            '<w:r><w:t xml:space="preserve">— </w:t><w:tab/>'
            '<w:t xml:space="preserve"> —</w:t></w:r>',
        ),
    ],
)
def test_run_text_tabs_breaks_and_kept_spaces(text: str, expected: str) -> None:
    paragraph = make("<w:p/>")
    run = _oxml.add_run(paragraph, text)
    assert run.getparent() is paragraph
    assert xml(run) == expected


def test_a_break_is_a_run_of_its_own() -> None:
    paragraph = make("<w:p><w:r/></w:p>")
    _oxml.add_break(paragraph)
    assert xml(paragraph) == "<w:p><w:r/><w:r><w:br/></w:r></w:p>"


def test_new_table_has_a_grid_one_paragraph_a_cell_and_comes_before_the_section() -> None:
    body = make("<w:body><w:sectPr/></w:body>")
    table = _oxml.add_table(body, 2, 3, 8844)
    assert body[0] is table
    assert xml(table) == (
        '<w:tbl><w:tblPr><w:tblW w:type="auto" w:w="0"/></w:tblPr><w:tblGrid>'
        + '<w:gridCol w:w="2948"/>' * 3
        + "</w:tblGrid>"
        + (
            "<w:tr>"
            + '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="2948"/></w:tcPr><w:p/></w:tc>' * 3
            + "</w:tr>"
        )
        * 2
        + "</w:tbl>"
    )
    rows = _oxml.rows_and_cells(table)
    assert [len(cells) for _, cells in rows] == [3, 3]
    assert _oxml.cell_paragraph(rows[1][1][2]).tag == qn("w:p")
    assert _oxml.add_table(make("<w:tc/>"), 1, 1, 100).getparent().tag == qn("w:tc")


def test_section_break_keeps_the_old_section_in_a_paragraph() -> None:
    body = make(
        '<w:body><w:p/><w:sectPr w:rsidR="00FC693F"><w:footerReference w:type="default"/>'
        '<w:headerReference w:type="even"/><w:pgSz w:w="11906"/></w:sectPr></w:body>'
    )
    sentinel = body[-1]
    assert _oxml.add_section_break(body, "evenPage") is sentinel
    assert xml(body) == (
        "<w:body><w:p/><w:p><w:pPr><w:sectPr>"
        '<w:footerReference w:type="default"/><w:headerReference w:type="even"/>'
        '<w:pgSz w:w="11906"/></w:sectPr></w:pPr></w:p>'
        '<w:sectPr w:rsidR="00FC693F"><w:type w:val="evenPage"/><w:pgSz w:w="11906"/>'
        "</w:sectPr></w:body>"
    )


def test_story_references_follow_the_others_and_precede_the_rest() -> None:
    sect = make('<w:sectPr><w:type w:val="evenPage"/><w:pgSz/></w:sectPr>')
    _oxml.add_story_reference(sect, "footer", "default", "rId12")
    _oxml.add_story_reference(sect, "header", "even", "rId13")
    assert xml(sect) == (
        '<w:sectPr><w:footerReference w:type="default" r:id="rId12"/>'
        '<w:headerReference w:type="even" r:id="rId13"/><w:type w:val="evenPage"/><w:pgSz/>'
        "</w:sectPr>"
    )
    bare = make("<w:sectPr/>")
    _oxml.add_story_reference(bare, "footer", "even", "rId9")
    assert bare[0].get(qn("r:id")) == "rId9"


def test_page_geometry_updates_size_and_margins_in_place() -> None:
    sect = make(
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1800"/>'
        "<w:cols/></w:sectPr>"
    )
    _oxml.page_geometry(sect, size=(11906, 16838), margins={"right": 1474, "top": 2098})
    assert xml(sect) == (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474"/>'
        "<w:cols/></w:sectPr>"
    )
    bare = make("<w:sectPr><w:docGrid/></w:sectPr>")
    _oxml.page_geometry(bare, size=(1, 2), margins={"left": 3})
    assert xml(bare) == (
        '<w:sectPr><w:pgSz w:w="1" w:h="2"/><w:pgMar w:left="3"/><w:docGrid/></w:sectPr>'
    )


def test_styles_are_found_added_and_linked() -> None:
    styles = make(
        '<w:styles><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/>'
        '</w:style><w:style w:styleId="Title"><w:name w:val="Title"/><w:next w:val="X"/>'
        '<w:uiPriority w:val="10"/></w:style></w:styles>'
    )
    assert _oxml.find_style(styles, "Title") is styles[1]
    with pytest.raises(KeyError, match="Missing"):
        _oxml.find_style(styles, "Missing")
    added = _oxml.add_paragraph_style(styles, "编者按", "BriefingNote")
    assert styles[-1] is added
    _oxml.style_links(added, based_on="Normal", next_id="Normal")
    assert xml(added) == (
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="BriefingNote">'
        '<w:name w:val="编者按"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
        "<w:qFormat/></w:style>"
    )
    title = styles[1]
    _oxml.style_links(title, based_on=None, next_id="Normal")
    assert xml(title) == (
        '<w:style w:styleId="Title"><w:name w:val="Title"/><w:next w:val="Normal"/>'
        '<w:uiPriority w:val="10"/></w:style>'
    )
    _oxml.style_links(title, based_on=None, next_id=None)
    assert title.find(qn("w:next")) is None


def test_paragraph_properties_are_created_first() -> None:
    paragraph = make("<w:p><w:r/></w:p>")
    ppr = _oxml.paragraph_properties(paragraph)
    assert paragraph[0] is ppr
    assert _oxml.paragraph_properties(paragraph) is ppr


def test_table_layout_fixed_width_borders_and_margins() -> None:
    table = make(
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblBorders><w:top w:val="double"/></w:tblBorders><w:tblCellMar><w:top w:w="9"/>'
        '</w:tblCellMar><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid/></w:tbl>'
    )
    _oxml.table_layout(
        table,
        width=8844,
        borders={"top": (8, "000000"), "bottom": (8, "FF0000"), "insideH": (6, "000000")},
    )
    nil = {side: f'<w:{side} w:val="nil"/>' for side in ("left", "right", "insideV")}
    assert xml(table) == (
        '<w:tbl><w:tblPr><w:tblW w:w="8844" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>'
        '<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        f'{nil["left"]}<w:bottom w:val="single" w:sz="8" w:space="0" w:color="FF0000"/>'
        f'{nil["right"]}<w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        f'{nil["insideV"]}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr><w:tblGrid/></w:tbl>"
    )


def test_table_layout_uncentred_with_own_margins() -> None:
    table = make("<w:tbl><w:tblPr/></w:tbl>")
    _oxml.table_layout(
        table, width=100, borders={"left": (4, "0000FF")}, cell_margin=(10, 20), center=False
    )
    assert xml(table) == (
        '<w:tbl><w:tblPr><w:tblW w:w="100" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/>'
        '<w:left w:val="single" w:sz="4" w:space="0" w:color="0000FF"/>'
        '<w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/>'
        '<w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="10" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="20" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:tbl>"
    )


def test_imprint_table_floats_on_the_bottom_margin() -> None:
    table = make('<w:tbl><w:tblPr><w:tblpPr w:tblpY="5"/><w:tblW w:w="1"/></w:tblPr></w:tbl>')
    _oxml.float_at_page_bottom(table, x=1588)
    assert xml(table) == (
        '<w:tbl><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0"'
        ' w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="1588"'
        ' w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/><w:tblW w:w="1"/></w:tblPr></w:tbl>'
    )


def test_cell_props_width_wrap_alignment_and_borders() -> None:
    cell = make("<w:tc><w:p/></w:tc>")
    _oxml.cell_props(
        cell,
        width=2000,
        borders={"right": (2, "FF0000"), "bottom": (4, "000000"), "top": None},
        no_wrap=True,
        v_align="center",
    )
    assert xml(cell) == (
        '<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/><w:tcBorders><w:top w:val="nil"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        '<w:right w:val="single" w:sz="2" w:space="0" w:color="FF0000"/></w:tcBorders>'
        '<w:noWrap/><w:vAlign w:val="center"/></w:tcPr><w:p/></w:tc>'
    )
    _oxml.cell_props(cell, width=3000, borders={"left": None})
    assert xml(cell) == (
        '<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/><w:tcBorders><w:left w:val="nil"/>'
        '</w:tcBorders><w:noWrap/><w:vAlign w:val="center"/></w:tcPr><w:p/></w:tc>'
    )
    plain = make('<w:tc><w:tcPr><w:tcBorders><w:top w:val="double"/></w:tcBorders></w:tcPr></w:tc>')
    _oxml.cell_props(plain, width=5, borders={}, v_align="")
    assert xml(plain) == (
        '<w:tc><w:tcPr><w:tcW w:w="5" w:type="dxa"/><w:tcBorders><w:top w:val="double"/>'
        "</w:tcBorders></w:tcPr></w:tc>"
    )


def test_row_props_after_the_row_exceptions_never_twice() -> None:
    row = make("<w:tr><w:tblPrEx/><w:tc/></w:tr>")
    _oxml.row_props(row, header=True, height=579)
    _oxml.row_props(row, header=True, height=300)
    assert xml(row) == (
        '<w:tr><w:tblPrEx/><w:trPr><w:cantSplit/><w:trHeight w:val="579" w:hRule="exact"/>'
        "<w:tblHeader/></w:trPr><w:tc/></w:tr>"
    )
    plain = make("<w:tr><w:tc/></w:tr>")
    _oxml.row_props(plain)
    assert xml(plain) == "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc/></w:tr>"
    loose = make("<w:tr><w:trPr/><w:tc/></w:tr>")
    _oxml.row_props(loose, cant_split=False)
    assert xml(loose) == "<w:tr><w:trPr/><w:tc/></w:tr>"


def test_grid_columns_take_one_width_each() -> None:
    table = make("<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid></w:tbl>")
    _oxml.grid_columns(table, [3000, 5844])
    assert xml(table) == (
        '<w:tbl><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="5844"/></w:tblGrid></w:tbl>'
    )
    with pytest.raises(ValueError, match="shorter"):
        _oxml.grid_columns(table, [8844])
    with pytest.raises(ValueError, match="longer"):
        _oxml.grid_columns(table, [1, 2, 3])


def test_table_facts_leave_out_the_cell_margins() -> None:
    table = make(
        '<w:tbl><w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="28" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="28" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tr><w:tc><w:tcPr><w:tcW w:w="737"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'
    )
    assert _oxml.table_facts(table) == [[("", 737 - 56, 14.0)]]
