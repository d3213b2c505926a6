"""Realistic submissions built in tests: Word files formatted by hand, as offices send them."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.factory import SAMPLE_PNG

TITLE = "交警五大队“三个一”机制破解城区停车难"
SUBTITLE = "城区静态交通治理纪实"
NOTE = "停车难是群众反映强烈的问题，现将五大队的做法刊发，供各单位参考。"
SOURCE = "交警五大队"
CAPTION = "图为民警在老旧小区周边施划临时停车泊位"
# The body paragraphs as a reader sees them (indentation and soft breaks removed): the text
# every import must preserve exactly. Markdown-special characters are deliberate.
BODY = (
    "今年以来，五大队围绕城区停车难问题，建立“一张图、一套表、一个群”工作机制，新增泊位1200个。",
    "一、摸清底数，绘好“一张图”",
    "对辖区42个老旧小区逐一走访，标注可利用空地、背街小巷和单位内部停车场。",
    "（一）分片包干",
    "全队民警按片区包干，每周至少走访2次，问题清单做到*日清日结*，编号_A-1_与[附件1]一并上报。",
    "（二）动态更新",
    "对新建小区和改造路段及时更新，采用<停车一张图>系统统一管理 & 共享，#3号路段已完成。",
    "二、共享资源，用好“一套表”",
    "与12家机关事业单位签订错时共享协议，夜间开放内部车位860个。",
    "1. 签约单位按月报送开放情况。",
)
TABLE = (
    ("单位", "开放车位", "开放时段"),
    ("区政务服务中心", "320", "19:00—7:00"),
    ("区图书馆", "180", "全天"),
)


def _font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _body(document, text: str, *, indent: str = "full-width", bold_prefix: int = 0):
    p = document.add_paragraph()
    if indent == "full-width":
        text = "\u3000\u3000" + text
    elif indent == "first-line":
        p.paragraph_format.first_line_indent = Pt(32)
    elif indent == "spaces":
        text = "    " + text
    if bold_prefix:
        offset = len(text) - len(text.lstrip("\u3000 "))
        _font(p.add_run(text[: offset + bold_prefix]), "仿宋_GB2312", 16, True)
        text = text[offset + bold_prefix :]
    _font(p.add_run(text), "仿宋_GB2312", 16)
    return p


def _heading(document, text: str, font: str, *, bold: bool = False):
    p = document.add_paragraph()
    _font(p.add_run("\u3000\u3000" + text), font, 16, bold)
    return p


def manual_submission(path: Path, *, picture: bool = True, date_line: bool = True) -> Path:
    """A submission typed the way offices type them: no styles, everything by hand."""
    document = docx.Document()
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(TITLE), "方正小标宋简体", 22)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("——" + SUBTITLE), "楷体_GB2312", 16)
    document.add_paragraph()  # an empty line, as typed
    p = document.add_paragraph()
    _font(p.add_run("\u3000\u3000编者按："), "黑体", 16)
    _font(p.add_run(NOTE), "楷体_GB2312", 16)
    _body(document, BODY[0], bold_prefix=4)
    _heading(document, BODY[1], "黑体")
    # a soft line break (Shift+Enter) in the middle of a paragraph, after a comma
    p = _body(document, "对辖区42个老旧小区逐一走访，", indent="first-line")
    p.add_run().add_break()
    _font(p.add_run("标注可利用空地、背街小巷和单位内部停车场。"), "仿宋_GB2312", 16)
    _heading(document, BODY[3], "楷体_GB2312")
    _body(document, BODY[4], indent="spaces")
    _heading(document, BODY[5], "楷体_GB2312")
    _body(document, BODY[6], indent="none")
    document.add_paragraph("\u3000\u3000")  # blank but for indentation
    _heading(document, BODY[7], "仿宋_GB2312", bold=True)
    _body(document, BODY[8])
    _body(document, BODY[9])
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for row, values in zip(table.rows, TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    if picture:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(str(SAMPLE_PNG))
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(CAPTION), "楷体_GB2312", 14)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(p.add_run(f"（{SOURCE}）"), "仿宋_GB2312", 16)
    if date_line:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run("2018年12月18日"), "仿宋_GB2312", 16)
    document.add_paragraph()
    document.save(str(path))
    return path


def styled_submission(path: Path, title: str = "街道推行“居民议事厅”") -> Path:
    """A submission that uses Word's built-in styles (Title, Heading 1/2) and no numbering."""
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph("作者：张明", style="Normal").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("新桥社区每月召开一次议事会。", style="Normal")
    document.add_paragraph("议事规则", style="Heading 1")
    document.add_paragraph("议题由居民提出，现场表决。", style="Normal")
    document.add_paragraph("表决方式", style="Heading 2")
    document.add_paragraph("举手表决，过半数通过。", style="Normal")
    document.save(str(path))
    return path


def plain_text(title: str = TITLE) -> str:
    """The same submission as a plain text file (Notepad style, full-width indentation)."""
    lines = [title, "——" + SUBTITLE, "", "\u3000\u3000编者按：" + NOTE]
    lines += ["\u3000\u3000" + text for text in BODY]
    lines += ["", f"（{SOURCE}）", ""]
    return "\r\n".join(lines)


def doc_files(folder: Path) -> list[Path]:
    """The manual and the styled submission saved as Word 97 ``.doc`` files by one LibreOffice
    run (an office's older files); *folder* keeps the ``.docx`` sources beside them."""
    from briefing.render import pdf

    sources = [
        manual_submission(folder / "交警五大队-停车难.docx"),
        styled_submission(folder / "新桥社区-议事厅.docx"),
    ]
    docs = [source.with_suffix(".doc") for source in sources]
    with pdf.soffice_convert_many(
        sources, "doc:MS Word 97", "doc", timeout=180, what="DOC"
    ) as produced:
        for source, doc in zip(sources, docs, strict=True):
            doc.write_bytes(produced[source].read_bytes())  # type: ignore[union-attr]
    return docs
