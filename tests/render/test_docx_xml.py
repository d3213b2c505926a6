"""DOCX structure: page geometry, CJK fonts, footers, 版记 and a golden document.xml.

The golden file is regenerated with ``BRIEFING_UPDATE_GOLDEN=1``; zip bytes are never
compared (timestamps inside the archive differ), only normalised XML.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefing.assemble import bulletin_article
from briefing.errors import InputError
from briefing.model import Image
from briefing.render.docx import render_docx
from tests.factory import SAMPLE_PNG, make_article, make_bulletin
from tests.golden import check_golden
from tests.render.conftest import NS, part_names, read_part, w

GOLDEN = Path(__file__).parent / "golden" / "document.xml"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def text_of(element: etree._Element) -> str:
    """Visible text, with w:tab as a tab character."""
    parts = []
    for run in element.iter(w("r")):
        for node in run:
            if node.tag == w("t"):
                parts.append(node.text or "")
            elif node.tag == w("tab"):
                parts.append("\t")
    return "".join(parts)


def normalised(xml: bytes) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(xml, parser)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode")


def test_golden_document_xml(rendered: Path) -> None:
    with zipfile.ZipFile(rendered) as package:
        actual = normalised(package.read("word/document.xml"))
    check_golden(GOLDEN, actual + "\n")


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    render_docx(make_bulletin(), first)
    render_docx(make_bulletin(), second)
    for name in part_names(first):
        if name.endswith(".xml"):
            with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
                assert a.read(name) == b.read(name), name


def test_page_size_margins_and_grid(rendered: Path) -> None:
    sect = read_part(rendered, "word/document.xml").find(".//w:body/w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    got = {k: margins.get(w(k)) for k in ("top", "bottom", "left", "right")}
    assert got == {"top": "2098", "bottom": "1984", "left": "1588", "right": "1474"}
    grid = sect.find("w:docGrid", NS)
    assert grid.get(w("linePitch")) == "579"  # 22 x 579 = 12738 <= 12756 twips (225 mm)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_no_theme_font_attributes(rendered: Path, part: str) -> None:
    names = [part] + [
        n for n in part_names(rendered) if re.match(r"word/(footer|header)\d*\.xml", n)
    ]
    for name in names:
        root = read_part(rendered, name)
        for fonts in root.iter(w("rFonts")):
            for attr in THEME_ATTRS:
                assert fonts.get(w(attr)) is None, f"{name}: {attr}"


def test_every_text_run_names_an_east_asian_font(rendered: Path) -> None:
    names = ["word/document.xml"] + [
        n for n in part_names(rendered) if re.match(r"word/(footer|header)\d*\.xml", n)
    ]
    for name in names:
        for run in read_part(rendered, name).iter(w("r")):
            if run.find("w:t", NS) is None:
                continue
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert fonts is not None, f"{name}: {etree.tostring(run, encoding='unicode')}"
            assert fonts.get(w("eastAsia")), f"{name}: {etree.tostring(run, encoding='unicode')}"
            text = "".join(t.text or "" for t in run.findall("w:t", NS))
            if re.search("[\u2014\u2026\u201c\u201d\u2018\u2019]", text):
                assert fonts.get(w("hint")) == "eastAsia", text


def test_styles_defaults_are_chinese(rendered: Path) -> None:
    styles = read_part(rendered, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(w("eastAsia")) == "仿宋_GB2312"
    assert defaults.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"
    for lang in styles.iter(w("lang")):
        assert lang.get(w("eastAsia")) in (None, "zh-CN")
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:sz", NS).get(w("val")) == "32"  # 三号
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("579", "exact")
    assert normal.find("w:pPr/w:ind", NS).get(w("firstLineChars")) == "200"


def test_theme_has_no_japanese_or_missing_east_asian_faces(rendered: Path) -> None:
    theme = read_part(rendered, "word/theme/theme1.xml")
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    faces = {el.get("typeface") for el in theme.iter(f"{{{a}}}ea")}
    assert faces <= {"黑体", "仿宋_GB2312"}
    hans = {el.get("typeface") for el in theme.iter(f"{{{a}}}font") if el.get("script") == "Hans"}
    assert hans <= {"黑体", "仿宋_GB2312"}


def test_footers_odd_right_even_left_with_page_field(rendered: Path) -> None:
    document = read_part(rendered, "word/document.xml")
    rels = read_part(rendered, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {
        ref.get(w("type")): targets[
            ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        ]
        for ref in document.iter(w("footerReference"))
    }
    assert set(refs) == {"default", "even"}
    for kind, jc, side in (("default", "right", "right"), ("even", "left", "left")):
        footer = read_part(rendered, f"word/{refs[kind]}")
        para = footer.find("w:p", NS)
        assert para.find("w:pPr/w:jc", NS).get(w("val")) == jc
        ind = para.find("w:pPr/w:ind", NS)
        assert ind.get(w(f"{side}Chars")) == "100"  # 空一字 on the outside
        assert ind.get(w("firstLineChars")) in (None, "0")
        text = "".join(t.text for t in para.iter(w("t")))
        assert text == "— 1 —"
        assert "PAGE" in "".join(t.text for t in para.iter(w("instrText")))
        sizes = {sz.get(w("val")) for sz in para.iter(w("sz"))}
        assert sizes == {"28"}  # 四号
    settings = read_part(rendered, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None


def test_masthead_rule_toc_and_bookmarks(rendered: Path) -> None:
    body = read_part(rendered, "word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    texts = [text_of(p) for p in paragraphs]
    name = paragraphs[texts.index("滨江新区信息")]
    assert name.find(".//w:color", NS).get(w("val")) == "FF0000"
    assert name.find("w:pPr/w:jc", NS).get(w("val")) == "center"
    issuer = paragraphs[texts.index("滨江新区（高新区）党政办公室\t2018年12月20日")]
    assert issuer.find("w:pPr/w:tabs/w:tab", NS).get(w("pos")) == "8844"
    rule = issuer.find("w:pPr/w:pBdr/w:bottom", NS)
    assert rule.get(w("color")) == "FF0000"
    assert "本期目录" in texts
    anchors = [h.get(w("anchor")) for h in body.iter(w("hyperlink"))]
    bookmarks = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert anchors == bookmarks == ["a1", "a2", "a3"]


def test_imprint_table_floats_on_the_bottom_margin(rendered: Path) -> None:
    body = read_part(rendered, "word/document.xml").find("w:body", NS)
    table = body.findall("w:tbl", NS)[-1]
    position = table.find("w:tblPr/w:tblpPr", NS)
    assert position.get(w("vertAnchor")) == "margin"
    assert position.get(w("tblpYSpec")) == "bottom"
    borders = table.find("w:tblPr/w:tblBorders", NS)
    assert borders.find("w:top", NS).get(w("sz")) == "8"  # 0.35 mm
    assert borders.find("w:bottom", NS).get(w("sz")) == "8"
    assert borders.find("w:insideH", NS).get(w("sz")) == "6"  # 0.25 mm
    rows = [text_of(tr) for tr in table.findall("w:tr", NS)]
    assert rows == [
        "报：委领导",
        "发：各有关部门，各街道",
        "编辑：李明远\t签发：王　军",
        "共印120份",
    ]
    for tr in table.findall("w:tr", NS):
        assert tr.find("w:trPr/w:cantSplit", NS) is not None


def test_tables_and_captions_do_not_inherit_body_spacing(rendered: Path) -> None:
    styles = read_part(rendered, "word/styles.xml")
    for style_id in ("BriefingTableText", "Caption", "Footer", "BriefingPicture"):
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        ind = style.find("w:pPr/w:ind", NS)
        assert ind.get(w("firstLineChars")) == "0", style_id
    table_text = styles.find("w:style[@w:styleId='BriefingTableText']/w:pPr/w:spacing", NS)
    assert table_text.get(w("lineRule")) == "auto"
    article_table = read_part(rendered, "word/document.xml").find("w:body/w:tbl", NS)
    assert article_table.find("w:tr/w:trPr/w:tblHeader", NS) is not None


def test_draft_mark_and_core_properties(tmp_path: Path) -> None:
    out = tmp_path / "draft.docx"
    render_docx(make_bulletin(draft=True), out)
    headers = [n for n in part_names(out) if re.match(r"word/header\d*\.xml", n)]
    assert headers
    for name in headers:
        assert "样稿" in "".join(t.text for t in read_part(out, name).iter(w("t")))
    core = read_part(out, "docProps/core.xml")
    dcterms = "http://purl.org/dc/terms/"
    assert core.find(f"{{{dcterms}}}created").text.startswith("2018-12-20")
    assert core.find(f"{{{dcterms}}}modified").text.startswith("2018-12-20")


def test_columns_group_the_contents(tmp_path: Path) -> None:
    out = tmp_path / "cols.docx"
    render_docx(make_bulletin(articles=4, columns=True), out)
    texts = [
        "".join(t.text or "" for t in p.iter(w("t")))
        for p in read_part(out, "word/document.xml").iter(w("p"))
    ]
    assert texts.index("【工作动态】") < texts.index("【基层信息】")


def test_even_page_imprint_starts_an_even_section(tmp_path: Path) -> None:
    from briefing.model import Layout

    out = tmp_path / "even.docx"
    render_docx(make_bulletin(layout=Layout(imprint_on_even_page=True)), out)
    sect = read_part(out, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:type", NS).get(w("val")) == "evenPage"


def test_missing_picture_is_an_input_error_before_any_edition(tmp_path: Path) -> None:
    """The bulletin decides whether a picture can be printed: a missing one is the P001
    finding ``check`` reports, raised before the DOCX (or the HTML) is written."""
    broken = make_article(blocks=(Image("images/gone.png", tmp_path / "gone.png", "缺图", 3),))
    with pytest.raises(InputError, match=r"找不到图片“images/gone\.png”") as caught:
        bulletin_article("a1", broken)
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("P001", 3)]
    assert not list(tmp_path.iterdir())


def test_image_is_scaled_to_the_text_width(tmp_path: Path) -> None:
    assert SAMPLE_PNG.is_file()
    out = tmp_path / "img.docx"
    render_docx(make_bulletin(articles=1), out)
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    extents = list(read_part(out, "word/document.xml").iter(f"{{{wp}}}extent"))
    assert extents
    for extent in extents:
        assert int(extent.get("cx")) <= 8844 * 635  # twips -> EMU
