"""Recognition rules on hand-made paragraphs, and the Markdown escaping that keeps text exact."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.importing.article import article_text, escape, inline
from briefing.importing.recognise import SPACES, Block, clean_runs, heading_rank, recognise
from briefing.importing.source import BREAK, Document, Para, Picture, Run, Table
from briefing.markdown import parse_body
from briefing.model import Paragraph, SourceText


def para(text: str, number: int = 1, **kw) -> Para:
    runs = kw.pop("runs", None) or (Run(text),)
    return Para(runs, number, **kw)


def docx(*items) -> Document:
    return Document(tuple(items), "DOCX")


def one(*items, kind: str = "DOCX"):
    (article,) = recognise(Document(tuple(items), kind))
    return article


BIG = {"align": "center", "size": 22.0, "fonts": frozenset({"方正小标宋简体"})}


def test_title_over_two_centred_lines_is_joined() -> None:
    article = one(
        para("关于城区停车难问题的", 1, **BIG),
        para("调查与思考", 2, **BIG),
        para("——以五大队为例", 3, align="center"),
        para("　　正文。", 4),
    )
    assert (article.title, article.subtitle) == ("关于城区停车难问题的调查与思考", "以五大队为例")
    assert article.warnings == []


@pytest.mark.parametrize("kind", ["DOCX", "DOC→DOCX", "WPS→DOCX"])
def test_first_paragraph_without_title_formatting_is_a_located_guess(kind: str) -> None:
    article = one(para("街道开展安全检查", 1), para("正文第一段。", 2), kind=kind)
    assert article.title == "街道开展安全检查"
    assert article.warnings == []
    assert article.guesses == [("标题", 1, "没有标题格式，按标题处理")]
    assert [b.text for b in article.blocks] == ["正文第一段。"]


def test_plain_text_title_is_no_guess() -> None:
    article = one(para("街道开展安全检查"), para("正文。", 2), kind="UTF-8 文本")
    assert article.warnings == []


def test_author_lines_and_a_source_under_the_title() -> None:
    article = one(
        para("标题", 1, **BIG),
        para("（城管局）", 2, align="center"),
        para("通讯员 王芳", 3),
        para("正文。", 4),
    )
    assert (article.source, article.author) == ("城管局", "通讯员 王芳")
    centred = one(
        para("标题", 1, **BIG),
        para("（2018年12月18日）", 2, align="center"),
        para("李明　王芳", 3, align="center"),
        para("正文。", 4),
    )
    assert centred.author == "李明　王芳"
    assert centred.warnings == [(2, "标题下的日期“（2018年12月18日）”没有导入")]
    assert centred.guesses == [("作者", 3, "标题下居中的短行“李明　王芳”")]
    assert [b.text for b in centred.blocks] == ["正文。"]


def test_note_anywhere_near_the_top_and_an_empty_one() -> None:
    article = one(para("编者按：值得推广。", 1), para("标题", 2, **BIG), para("正文。", 3))
    assert (article.title, article.note) == ("标题", "值得推广。")
    empty = one(para("标题", 1, **BIG), para("【编者按】：", 2), para("正文。", 3))
    assert empty.note is None and (2, "编者按是空的，已忽略") in empty.warnings


def test_closing_source_forms() -> None:
    def source(*tail: Para) -> str | None:
        return one(para("标题", 1, **BIG), para("正文。", 2), *tail).source

    assert source(para("（供稿单位：区应急管理局）", 3)) == "区应急管理局"
    assert source(para("(区应急管理局供稿)", 3)) == "区应急管理局"
    assert source(para("供稿：区应急管理局", 3)) == "区应急管理局"
    assert (
        source(para("区应急管理局", 3, align="right"), para("2018年12月1日", 4, align="right"))
        == "区应急管理局"
    )
    assert source(para("二〇一八年十二月一日", 3, align="right")) is None
    assert source(para("（完）", 3)) is None
    assert source(para("这是正文的最后一段，不是单位。", 3, align="right")) is None


def test_heading_ranks() -> None:
    assert heading_rank(para(""), "一、强化组织领导") == 1
    assert heading_rank(para(""), "（二）压实责任") == 2
    assert heading_rank(para(""), "3．建立台账") == 3
    assert heading_rank(para(""), "(4)按月调度") == 4
    assert heading_rank(para(""), "一、强化组织领导。区里成立了领导小组，统筹推进。") is None
    assert heading_rank(para(""), "1.5亿元资金全部到位") is None
    hei = para("", fonts=frozenset({"黑体"}))
    kai = para("", fonts=frozenset({"楷体_GB2312"}))
    assert heading_rank(hei, "强化组织领导") == 1
    assert heading_rank(kai, "压实责任") == 2
    assert heading_rank(para("", runs=(Run("建立台账", True),)), "建立台账") == 3
    assert heading_rank(hei, "这一段虽然是黑体，但它是一句完整的话。") is None
    assert heading_rank(para("", outline=7), "样式标题") == 4
    assert heading_rank(para("", pictures=(Picture(b"", "png"),)), "一、图") is None


def test_heading_levels_are_relative() -> None:
    article = one(
        para("标题", 1, **BIG),
        para("（一）第一部分", 2),
        para("正文。", 3),
        para("1.细节", 4),
    )
    text = article_text(article, lambda n: "")
    assert "## （一）第一部分" in text and "### 1.细节" in text


def test_soft_breaks_and_indentation() -> None:
    runs = (Run("\u3000\u3000第一行，"), Run(BREAK), Run("  第二行"), Run(BREAK), Run("end"))
    assert "".join(r.text for r in clean_runs(Para(runs, 1))) == "第一行，第二行end"
    latin = (Run("Hello"), Run(BREAK), Run("world "), Run("bold", True))
    assert clean_runs(Para(latin, 1)) == (Run("Hello world "), Run("bold", True))
    numbered = Para((Run("强化领导"),), 1, auto_number="一、")
    assert "".join(r.text for r in clean_runs(numbered)) == "一、强化领导"


def test_pictures_captions_and_tables() -> None:
    png = Picture(b"\x89PNG\r\n\x1a\n", "png")
    article = one(
        para("标题", 1, **BIG),
        Table((("甲", "乙"), ("1",)), 2),
        para("", 3, pictures=(png,)),
        para("图：现场照片", 4),
        para("图为新建泊位", 5, pictures=(png,)),
        para("说明文字", 6, pictures=(png,)),
        para("正文。", 7),
    )
    kinds = [(b.kind, b.caption) for b in article.blocks]
    assert kinds == [
        ("table", ""),
        ("image", "图：现场照片"),
        ("image", "图为新建泊位"),
        ("para", ""),
        ("image", ""),
        ("para", ""),
    ]
    assert article.blocks[0].rows == (("甲", "乙"), ("1", ""))
    assert article.pictures == 3


def test_bulletin_is_split_and_its_furniture_skipped() -> None:
    doc = Document(
        (
            para("测试区信息", 1, style="报头"),
            para("本期目录", 2, style="目录标题"),
            para("【基层信息】", 2, style="目录栏目"),
            para("◆\u3000第二篇", 2, style="目录"),
            para("【工作动态】", 2, style="栏目"),
            para("第一篇", 3, style="title"),
            para("正文一。", 4),
            para("（单位一）", 5, style="供稿单位"),
            para("第二篇", 6, style="title"),
            para("正文二。", 7),
            Table((("报：区领导",),), 8, frozenset({"版记"})),
            para("", 9, style="报头"),
        ),
        "DOCX",
        frozenset({"BriefingMasthead", "BriefingSource"}),
    )
    first, second = recognise(doc)
    assert (first.title, first.source, [b.text for b in first.blocks]) == (
        "第一篇",
        "单位一",
        ["正文一。"],
    )
    assert (second.title, [b.text for b in second.blocks]) == ("第二篇", ["正文二。"])
    # the 【栏目】 line before an article, else the contents, gives the column
    assert (first.column, second.column) == ("工作动态", "工作动态")


def test_nothing_to_import() -> None:
    assert recognise(docx(Table((("",),), 1), para("　", 2))) == []
    assert recognise(docx(para("编者按：只有按语。"))) == []
    png = Picture(b"\x89PNG\r\n\x1a\n", "png")
    (logo_first,) = recognise(docx(para("", 1, pictures=(png,)), para("标题", 2, **BIG)))
    assert logo_first.title == "标题" and [b.kind for b in logo_first.blocks] == ["image"]
    assert logo_first.warnings[0] == (2, "标题前的 1 个表格或图片已按正文处理")


def test_a_long_first_line_of_plain_text_is_flagged() -> None:
    article = one(para("这" * 61), para("正文。", 2), kind="UTF-8 文本")
    assert article.warnings == []
    assert article.guesses == [("标题", 1, "有 61 个字，可能是正文第一段")]


# --------------------------------------------------------------------------- escaping

ALPHABET = st.sampled_from(
    list("中文，。“”（）、：；！？—…") + list("abc 123") + list("\\`*_[]<>#!|&;-+=.)~")
)


def _parsed(markdown: str) -> str:
    blocks, _, _ = parse_body(SourceText(markdown, Path("a.md"), 1), Path("."))
    assert all(isinstance(b, Paragraph) for b in blocks)
    return "".join(s.text for b in blocks for s in b.spans)  # type: ignore[union-attr]


@settings(max_examples=100, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool))
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    assert _parsed(inline((Run(text),))) == text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(ALPHABET, min_size=1, max_size=8), st.booleans()), min_size=1, max_size=4
    )
)
def test_bold_runs_parse_back_to_the_same_text(parts: list[tuple[str, bool]]) -> None:
    runs = clean_runs(Para(tuple(Run(t, b) for t, b in parts), 1))
    if runs:
        assert _parsed(inline(runs)) == "".join(r.text for r in runs)


def test_escape_examples() -> None:
    assert escape("a|b", table=True) == "a\\|b"
    assert escape("&amp; & x") == "\\&amp; & x"
    assert inline((Run("# 不是标题"),)) == "\\# 不是标题"
    assert inline((Run("1. 不是列表"),)) == "1\\. 不是列表"
    assert inline((Run("- 不是列表"),)) == "\\- 不是列表"
    assert inline((Run(" 加粗 ", True),)) == " **加粗** "


def test_block_text() -> None:
    assert Block("para", 1, (Run("a"), Run("b", True))).text == "ab"


def test_heading_text_ending_in_a_hash_survives() -> None:
    article = one(para("标题", 1, **BIG), para("一、第3#", 2), para("正文。", 3))
    text = article_text(article, lambda n: "")
    body = text.split("---\n", 2)[2]
    blocks, _, _ = parse_body(SourceText(body, Path("a.md"), 1), Path("."))
    assert "".join(s.text for s in blocks[0].spans) == "一、第3#"  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["DOCX", "DOC→DOCX", "WPS→DOCX", "RTF→DOCX", "ODT→DOCX"])
def test_several_articles_in_one_submission(kind: str) -> None:
    first, second = recognise(
        Document(
            (
                para("第一篇的标题", 1, **BIG),
                para("——副题", 2, align="center"),
                para("正文一。", 3),
                para("（单位一）", 4, align="right"),
                para("第二篇的标题", 5, **BIG),
                para("分两行", 6, **BIG),
                para("正文二。", 7),
            ),
            kind,
        )
    )
    assert (first.title, first.subtitle, first.source) == ("第一篇的标题", "副题", "单位一")
    assert (second.title, [b.text for b in second.blocks]) == ("第二篇的标题分两行", ["正文二。"])


def test_a_fence_of_tildes_is_text() -> None:
    assert _parsed(inline((Run("~~~"),))) == "~~~"


def test_every_unicode_space_is_a_space() -> None:
    separators = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs"}
    assert set(SPACES) == separators | {"\t"}


def test_thin_and_narrow_spaces_are_no_text() -> None:
    article = one(
        para("\u2009标题\u202f", 1, **BIG),
        para("\u2009\u2009", 2),
        para("\u2005正文。\u200a", 3),
        Table((("\u202f甲\u2009", "乙"), ("\u2009", "\u205f")), 4),
        Table((("\u2009", "\u202f"),), 5),
    )
    assert article.title == "标题"
    assert [(b.kind, b.text, b.number) for b in article.blocks] == [
        ("para", "正文。", 3),
        ("table", "", 4),
    ]
    assert article.blocks[1].rows == (("甲", "乙"), ("", ""))
