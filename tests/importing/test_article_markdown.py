"""The exact Markdown an import writes: front matter strings, heading marks, bold, tables."""

from __future__ import annotations

import pytest

from briefing.importing.article import escape, inline, markdown_body, yaml_string
from briefing.importing.recognise import Block
from briefing.importing.source import Run


def picture(n: int) -> str:
    return f"images/图{n}.png"


def para(text: str, number: int = 1) -> Block:
    return Block("para", number, runs=(Run(text),))


def heading(text: str, rank: int) -> Block:
    return Block("heading", 1, runs=(Run(text),), rank=rank)


def test_yaml_string_escapes_backslash_quote_and_control_characters() -> None:
    assert yaml_string('路径C:\\新建"文件夹"\t\x01\x7f末') == (
        '"路径C:\\\\新建\\"文件夹\\"\\x09\\x01\\x7f末"'
    )
    assert yaml_string("交警五大队") == '"交警五大队"'


def test_the_shallowest_heading_rank_gets_two_marks() -> None:
    blocks = [heading("一、总体情况", 1), para("正文。"), heading("（一）分片包干", 2)]
    assert markdown_body(blocks, picture) == "## 一、总体情况\n\n正文。\n\n### （一）分片包干\n"


def test_heading_marks_are_relative_to_the_shallowest_rank_used() -> None:
    blocks = [heading("（一）分片包干", 2), heading("1. 细则", 3), para("正文。", 2)]
    assert markdown_body(blocks, picture) == "## （一）分片包干\n\n### 1. 细则\n\n正文。\n"


def test_heading_marks_stop_at_six() -> None:
    blocks = [heading("一", 1), heading("五", 5), heading("六", 6), heading("九", 9)]
    assert markdown_body(blocks, picture) == "## 一\n\n###### 五\n\n###### 六\n\n###### 九\n"


def test_a_trailing_hash_in_a_heading_is_escaped() -> None:
    assert markdown_body([heading("推广C#", 1)], picture) == "## 推广C\\#\n"
    assert markdown_body([heading("C#语言", 1)], picture) == "## C#语言\n"


def test_pictures_are_numbered_in_order() -> None:
    blocks = [
        Block("image", 1, caption="图为泊位"),
        para("正文。", 2),
        Block("image", 3, caption="图为*现场*"),
        Block("image", 4),
    ]
    assert markdown_body(blocks, picture) == (
        "![图为泊位](images/图1.png)\n\n正文。\n\n"
        "![图为\\*现场\\*](images/图2.png)\n\n![](images/图3.png)\n"
    )


def test_the_body_ends_with_one_newline_and_keeps_its_last_characters() -> None:
    assert markdown_body([para("第一段。"), para("附件X", 2)], picture) == "第一段。\n\n附件X\n"
    assert markdown_body([para("末尾有空格 ", 1)], picture) == "末尾有空格 \n"
    assert markdown_body([para("末尾\u3000", 1)], picture) == "末尾\u3000\n"


def test_table_cells_escape_the_bar_and_paragraphs_do_not() -> None:
    rows = (("单位", "时段|备注"), ("区图书馆", "全天|*开放*"))
    blocks = [para("甲|乙"), Block("table", 2, rows=rows)]
    assert markdown_body(blocks, picture) == (
        "甲|乙\n\n| 单位 | 时段\\|备注 |\n|---|---|\n| 区图书馆 | 全天\\|\\*开放\\* |\n"
    )
    assert escape("a|b") == "a|b"
    assert escape("a|b", table=True) == "a\\|b"


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        # Bold that opens and closes beside letters, digits and CJK characters.
        ((Run("粗体", True), Run("abc")), "**粗体**abc"),
        ((Run("ab", True), Run("cd")), "**ab**cd"),
        ((Run("a"), Run("b", True)), "a**b**"),
        ((Run("好。", True), Run("abc")), "**好。**abc"),
        ((Run("a"), Run("（注）", True)), "a**（注）**"),
        # ASCII punctuation at the edge: bold only where a space, punctuation or CJK is beside.
        ((Run("a,"), Run("(b)", True)), "a,**(b)**"),
        ((Run("字"), Run("(注)", True)), "字**(注)**"),
        ((Run("a "), Run("(b)", True)), "a **(b)**"),
        ((Run("a"), Run("(b)", True)), "a(b)"),
        ((Run("(b)", True), Run("c")), "(b)c"),
        ((Run("(b)", True), Run("，c")), "**(b)**，c"),
        # Edge spaces stay outside the marks.
        ((Run("\u3000要点 ", True), Run("正文")), "\u3000**要点** 正文"),
        # Spaces outside SPACES (thin, hair, en) too: the run stays bold.
        ((Run("要点\u2009", True), Run("正文")), "**要点**\u2009正文"),
        ((Run("\u200a要点\u2002", True),), "\u200a**要点**\u2002"),
    ],
)
def test_bold_runs_become_double_stars_only_where_they_can_open_and_close(
    runs: tuple[Run, ...], expected: str
) -> None:
    assert inline(runs) == expected
