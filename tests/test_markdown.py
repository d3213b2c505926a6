"""Markdown → block model: CJK emphasis, soft breaks, tables, images, lists, raw HTML."""

from __future__ import annotations

from pathlib import Path

from briefing.markdown import parse_body
from briefing.model import CodeBlock, Heading, Image, ListBlock, Paragraph, Quote, SourceText, Table


def parse(text: str, line: int = 5):  # type: ignore[no-untyped-def]
    """Blocks and notes (the printed-text map is tested with the proofreading masks)."""
    blocks, notes, _ = parse_body(
        SourceText(text, Path("/ws/issues/x/a.md"), line), Path("/ws/issues/x")
    )
    return blocks, notes


def test_bold_next_to_chinese_punctuation() -> None:
    (para,), _ = parse("推行**“一件事一次办”**改革，这是**重点（一）**内容。")
    assert isinstance(para, Paragraph)
    bold = [s.text for s in para.spans if s.bold]
    assert bold == ["“一件事一次办”", "重点（一）"]
    assert "**" not in "".join(s.text for s in para.spans)


def test_bold_closing_after_ascii_punctuation_before_chinese_comma() -> None:
    (para,), _ = parse("投资**完成率达到103.5%**，其中*11个*项目**提前**完成。**注意**")
    assert [s.text for s in para.spans if s.bold] == ["完成率达到103.5%", "提前", "注意"]
    assert [s.text for s in para.spans if s.italic] == ["11个"]
    assert "*" not in "".join(s.text for s in para.spans)


def test_plain_commonmark_emphasis_still_works() -> None:
    (para,), _ = parse("a **bold** word, snake_case_name and 2*3*4")
    assert [s.text for s in para.spans if s.bold] == ["bold"]
    assert "snake_case_name" in "".join(s.text for s in para.spans)


def test_soft_breaks_join_chinese_but_keep_latin_spaces() -> None:
    (para,), _ = parse("第一行\n第二行\nreport\nready")
    assert "".join(s.text for s in para.spans) == "第一行第二行report ready"


def test_heading_levels_are_relative_to_the_shallowest() -> None:
    blocks, _ = parse(
        "## 一、总体情况\n\n### （一）进展\n\n#### 1.项目\n\n##### （1）细节\n\n###### 再深"
    )
    assert [b.level for b in blocks if isinstance(b, Heading)] == [1, 2, 3, 4, 4]


def test_lines_point_into_the_file() -> None:
    blocks, _ = parse("第一段\n\n## 一、标题\n\n第二段", line=7)
    assert [b.line for b in blocks] == [7, 9, 11]


def test_table_image_list_quote_code() -> None:
    text = (
        "| 项目 | 进度 |\n|:--|--:|\n| 滨江大道 | 85% |\n\n"
        "![图为施工现场](images/site.jpg)\n\n"
        "1. 甲\n   - 乙\n2. 丙\n\n> 引文\n\n```\n代码\n```\n"
    )
    blocks, _ = parse(text)
    table, image, lst, quote, code = blocks
    assert isinstance(table, Table) and [c.align for c in table.header] == ["left", "right"]
    assert table.rows[0][1].spans[0].text == "85%"
    assert isinstance(image, Image) and image.caption == "图为施工现场"
    assert image.path == Path("/ws/issues/x/images/site.jpg")
    assert isinstance(lst, ListBlock) and lst.ordered and [i.depth for i in lst.items] == [0, 1, 0]
    assert isinstance(quote, Quote) and isinstance(code, CodeBlock) and code.text == "代码"


def test_raw_html_is_text_and_reported_but_comments_vanish() -> None:
    (para,), notes = parse("正文<script>alert(1)</script>结束<!-- briefing-disable T101 -->")
    assert "<script>" in "".join(s.text for s in para.spans)
    assert "briefing-disable" not in "".join(s.text for s in para.spans)
    assert [(n.kind, n.text, n.column) for n in notes] == [
        ("raw-html", "<script>", 3),
        ("raw-html", "</script>", 19),
    ]


def test_unsafe_links_lose_their_target() -> None:
    (para,), notes = parse(
        "[政府网](https://www.gov.cn) [文件](ftp://x/y) [坏](javascript:alert(1))"
    )
    links = {s.text: s.href for s in para.spans if s.href}
    assert links == {"政府网": "https://www.gov.cn"}
    assert [n.kind for n in notes] == ["unsafe-link"]
    assert "javascript" not in "".join(s.href or "" for s in para.spans)


def test_a_plain_paragraph_is_one_unformatted_span() -> None:
    from briefing.model import Span

    blocks, _ = parse("全区新建便民服务点12个。\n\n第二段\n接着写。\n\n**加粗**开头。")
    assert blocks == (
        Paragraph((Span("全区新建便民服务点12个。"),), 5),
        Paragraph((Span("第二段接着写。"),), 7),
        Paragraph((Span("加粗", bold=True), Span("开头。")), 10),
    )
