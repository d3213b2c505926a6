"""The DOCX reader on the WordprocessingML that real files contain."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from briefing.importing.docx_reader import read_docx
from briefing.importing.source import BREAK, Para, Table, Unreadable
from tests.factory import SAMPLE_PNG


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _append(document, xml: str) -> None:
    document.element.body.insert(len(document.element.body) - 1, parse_xml(xml))


def paragraphs(data: bytes) -> list[Para]:
    return [i for i in read_docx(data).items if isinstance(i, Para)]


def test_revisions_links_fields_and_breaks() -> None:
    document = docx.Document()
    _append(
        document,
        f"""<w:p {nsdecls("w", "r")}>
          <w:r><w:t>保留</w:t></w:r>
          <w:del w:id="1" w:author="a"><w:r><w:delText>删除的</w:delText></w:r></w:del>
          <w:ins w:id="2" w:author="a"><w:r><w:t>插入的</w:t></w:r></w:ins>
          <w:hyperlink r:id="rId99"><w:r><w:t>链接</w:t></w:r></w:hyperlink>
          <w:r><w:fldChar w:fldCharType="begin"/></w:r>
          <w:r><w:instrText>PAGE</w:instrText></w:r>
          <w:r><w:fldChar w:fldCharType="separate"/></w:r>
          <w:r><w:t>3</w:t></w:r>
          <w:r><w:fldChar w:fldCharType="end"/></w:r>
          <w:r><w:br/><w:t>下</w:t><w:br w:type="page"/><w:tab/><w:noBreakHyphen/></w:r>
        </w:p>""",
    )
    (p,) = paragraphs(_bytes(document))
    assert p.text == f"保留插入的链接3{BREAK}下\t-"


def test_styles_resolve_through_the_chain() -> None:
    document = docx.Document()
    styles = document.styles.element
    styles.append(
        parse_xml(
            f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="MyTitle">
              <w:name w:val="公文标题"/><w:basedOn w:val="Heading1"/>
              <w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>"""
        )
    )
    styles.append(
        parse_xml(
            f"""<w:style {nsdecls("w")} w:type="character" w:styleId="Strong2">
              <w:name w:val="强调"/><w:rPr><w:b/><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>"""
        )
    )
    styles.append(
        parse_xml(
            f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="WpsHeading">
              <w:name w:val="标题 2"/></w:style>"""
        )
    )
    _append(
        document,
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="MyTitle"/></w:pPr><w:r><w:t>大标题</w:t></w:r></w:p>',
    )
    _append(
        document,
        f"""<w:p {nsdecls("w")}><w:r><w:rPr><w:rStyle w:val="Strong2"/></w:rPr><w:t>加粗</w:t></w:r>
        <w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>不加粗</w:t></w:r></w:p>""",
    )
    _append(
        document,
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="WpsHeading"/></w:pPr><w:r><w:t>二级</w:t></w:r></w:p>',
    )
    _append(
        document,
        f'<w:p {nsdecls("w")}><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>大纲</w:t></w:r></w:p>',
    )
    title, mixed, wps, outline = paragraphs(_bytes(document))
    assert (title.align, title.size, title.outline, title.style) == ("center", 22.0, 1, "公文标题")
    assert [(r.text, r.bold) for r in mixed.runs] == [("加粗", True), ("不加粗", False)]
    assert "黑体" in mixed.fonts and not mixed.bold
    assert wps.outline == 2 and outline.outline == 3


def test_automatic_numbering_is_read_as_text() -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f"""<w:abstractNum {nsdecls("w")} w:abstractNumId="7">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%2）"/></w:lvl>
              <w:lvl w:ilvl="2"><w:numFmt w:val="bullet"/><w:lvlText w:val="·"/></w:lvl>
            </w:abstractNum>"""
        )
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="7"><w:abstractNumId w:val="7"/></w:num>')
    )
    for level, text in ((0, "甲"), (1, "乙"), (1, "丙"), (0, "丁"), (1, "戊"), (2, "己")):
        _append(
            document,
            f"""<w:p {nsdecls("w")}><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr></w:pPr>
            <w:r><w:t>{text}</w:t></w:r></w:p>""",
        )
    # a heading style that carries the numbering itself, as Word templates do
    document.styles.element.append(
        parse_xml(
            f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="NumberedHeading">
              <w:name w:val="heading 1"/>
              <w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style>"""
        )
    )
    _append(
        document,
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="NumberedHeading"/></w:pPr><w:r><w:t>庚</w:t></w:r></w:p>',
    )
    numbers = [p.auto_number for p in paragraphs(_bytes(document))]
    assert numbers == ["一、", "（1）", "（2）", "二、", "（1）", "", "三、"]


def test_pictures_modern_and_vml_and_merged_table_cells() -> None:
    document = docx.Document()
    document.add_paragraph().add_run().add_picture(str(SAMPLE_PNG))
    rid, _ = document.part.get_or_add_image(str(SAMPLE_PNG))
    _append(
        document,
        f"""<w:p {nsdecls("w", "r")} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape><v:imagedata r:id="{rid}"/></v:shape></w:pict></w:r></w:p>""",
    )
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "右"
    table.cell(1, 0).paragraphs[0].add_run("上")
    table.cell(1, 0).add_paragraph("下")
    table.cell(1, 2).paragraphs[0].add_run().add_picture(str(SAMPLE_PNG))
    items = read_docx(_bytes(document)).items
    pictures = [pic for item in items if isinstance(item, Para) for pic in item.pictures]
    assert [p.ext for p in pictures] == ["png", "png", "png"]
    assert isinstance(items[-2], Table) and items[-1].pictures  # the cell's picture follows
    assert pictures[0].data == SAMPLE_PNG.read_bytes()
    (grid,) = [i for i in items if isinstance(i, Table)]
    assert grid.rows == (("合并", "", "右"), ("上下", "", ""))


def test_not_a_docx(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="已损坏"):
        read_docx(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(Unreadable, match="空"):
        read_docx(b"   ")


def test_many_parts_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.importing import docx_reader

    monkeypatch.setattr(docx_reader, "MAX_PARTS", 3)
    with pytest.raises(Unreadable, match="部件"):
        read_docx(_bytes(docx.Document()))
    monkeypatch.setattr(docx_reader, "MAX_PARTS", 2000)
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(Unreadable, match="解压后"):
        read_docx(_bytes(docx.Document()))


def test_text_boxes_follow_their_paragraph_once() -> None:
    document = docx.Document()
    inner = "<w:txbxContent><w:p><w:r><w:t>内框</w:t></w:r></w:p></w:txbxContent>"
    box = (
        "<w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p>"
        f"<w:p><w:r><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict></w:r></w:p>"
        "</w:txbxContent>"
    )
    _append(
        document,
        f"""<w:p {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"
          xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
          xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
          <w:r><w:t>锚点段</w:t></w:r>
          <w:r><mc:AlternateContent>
            <mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>
            <mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>
          </mc:AlternateContent></w:r></w:p>""",
    )
    texts = [p.text for p in paragraphs(_bytes(document))]
    assert texts == ["锚点段", "框中文字", "", "内框"]


def _numbered(level: str, definition: str) -> bytes:
    document = docx.Document()
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="97">{definition}</w:abstractNum>'
        )
    )
    document.part.numbering_part.element.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="97"><w:abstractNumId w:val="97"/></w:num>')
    )
    _append(
        document,
        f"""<w:p {nsdecls("w")}><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="97"/>
        </w:numPr></w:pPr><w:r><w:t>字</w:t></w:r></w:p>""",
    )
    return _bytes(document)


@pytest.mark.parametrize(
    ("level", "definition", "number"),
    [
        ("0", '<w:lvl w:ilvl="0"><w:start/><w:lvlText w:val="%1."/></w:lvl>', "1."),
        ("0", '<w:lvl w:ilvl="0"><w:start w:val="x"/><w:lvlText w:val="%1."/></w:lvl>', "1."),
        ("0", '<w:lvl w:ilvl="0"><w:numFmt/><w:lvlText/></w:lvl>', ""),
        ("0", '<w:lvl w:ilvl="x"><w:lvlText w:val="%1."/></w:lvl>', ""),
        ("12", '<w:lvl w:ilvl="12"><w:lvlText w:val="%13."/></w:lvl>', ""),
        ("x", '<w:lvl w:ilvl="0"><w:lvlText w:val="%1."/></w:lvl>', ""),
        ("²", '<w:lvl w:ilvl="0"><w:lvlText w:val="%1."/></w:lvl>', ""),
    ],
)
def test_damaged_numbering_reads_as_unnumbered_never_raises(
    level: str, definition: str, number: str
) -> None:
    (p,) = paragraphs(_numbered(level, definition))
    assert (p.text, p.auto_number) == ("字", number)


@pytest.mark.parametrize("value", ["²", "x", "", "9" * 5000, "-4"])
def test_damaged_sizes_and_levels_read_as_unset(value: str) -> None:
    document = docx.Document()
    document.styles.element.append(
        parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Odd"><w:name/></w:style>')
    )
    _append(
        document,
        f"""<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Odd"/><w:outlineLvl w:val="{value}"/>
        </w:pPr><w:r><w:rPr><w:sz w:val="{value}"/></w:rPr><w:t>字</w:t></w:r></w:p>""",
    )
    (p,) = paragraphs(_bytes(document))
    # a style without a name is known by its id
    assert (p.text, p.size, p.outline, p.style) == ("字", 11.0, None, "odd")  # default size


@pytest.mark.parametrize(("span", "cells"), [("²", 1), ("3", 3), ("999999999", 63)])
def test_merged_cells_span_at_most_word_s_columns(span: str, cells: int) -> None:
    document = docx.Document()
    _append(
        document,
        f"""<w:tbl {nsdecls("w")}><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>
        <w:p><w:r><w:t>字</w:t></w:r></w:p></w:tc></w:tr></w:tbl>""",
    )
    (table,) = [i for i in read_docx(_bytes(document)).items if isinstance(i, Table)]
    assert table.rows == (("字",) + ("",) * (cells - 1),)
