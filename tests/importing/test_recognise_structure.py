"""Where recognition draws its lines: titles, article boundaries, bulletins, headings, blocks.

Each test pins the exact boundary of one rule (18 pt, 40 and 50 characters, 100 for an outline
heading, the same type on both lines of a title …) on paragraphs of the reader's model.
"""

from __future__ import annotations

from briefing.importing.recognise import Block, _toc_columns, heading_rank, recognise
from briefing.importing.source import Document, Para, Picture, Run, Table
from tests.importing.test_recognise import BIG, docx, one, para

PNG = Picture(b"\x89PNG\r\n\x1a\n", "png")
BULLETIN_STYLES = frozenset({"BriefingMasthead", "BriefingSource"})
GUESSED = [("标题", 1, "没有标题格式，按标题处理")]


def bulletin(*items: Para | Table) -> Document:
    return Document(tuple(items), "DOCX", BULLETIN_STYLES)


def bold(text: str = "") -> Para:
    return para("", runs=(Run(text or "x", True),))


# --------------------------------------------------------------------------- the title


def test_what_counts_as_title_formatting() -> None:
    def guesses(**first) -> list:
        return one(para("街道开展安全检查", 1, **first), para("正文。", 2)).guesses

    assert guesses(style="title") == []
    assert guesses(style="标题") == []
    assert guesses(size=18.0) == []  # 二号 and larger is title type, whatever the face
    assert guesses(size=17.5) == GUESSED
    assert guesses(fonts=frozenset({"FZXBSJW--GB1-0"})) == []  # 方正小标宋 by its PostScript name
    assert guesses(fonts=frozenset({"宋体"}), size=16.0) == GUESSED


def test_a_plain_text_title_of_sixty_characters_is_not_flagged() -> None:
    article = one(para("这" * 60), para("正文。", 2), kind="UTF-8 文本")
    assert article.guesses == []


def _title(first: Para, second: Para) -> str:
    return one(first, second, para("正文。", 3)).title


def test_a_second_title_line_needs_the_same_big_centred_type() -> None:
    song = frozenset({"宋体"})
    xbs = frozenset({"FZXBSJW--GB1-0"})
    centred = {"align": "center"}
    # big by size alone, by face alone, and 18 pt exactly
    assert (
        _title(
            para("上半句", 1, size=22.0, fonts=song, **centred),
            para("下半句", 2, size=22.0, fonts=song, **centred),
        )
        == "上半句下半句"
    )
    assert (
        _title(para("上半句", 1, fonts=xbs, **centred), para("下半句", 2, fonts=xbs, **centred))
        == "上半句下半句"
    )
    assert (
        _title(para("上半句", 1, size=18.0, **centred), para("下半句", 2, size=18.0, **centred))
        == "上半句下半句"
    )
    # not big, a smaller size, a different face, or the title not centred
    assert (
        _title(
            para("上半句", 1, size=16.0, fonts=song, **centred),
            para("下半句", 2, size=16.0, fonts=song, **centred),
        )
        == "上半句"
    )
    assert (
        _title(
            para("上半句", 1, size=22.0, fonts=song, **centred),
            para("下半句", 2, size=16.0, fonts=song, **centred),
        )
        == "上半句"
    )
    assert _title(para("上半句", 1, **BIG), para("下半句", 2, **{**BIG, "size": 18.0})) == "上半句"
    assert (
        _title(
            para("上半句", 1, style="title", size=22.0, fonts=xbs),
            para("下半句", 2, size=22.0, fonts=xbs, **centred),
        )
        == "上半句"
    )


def test_a_subtitle_or_a_picture_in_title_type_is_not_more_title() -> None:
    article = one(para("标题", 1, **BIG), para("——副题", 2, **BIG), para("正文。", 3))
    assert (article.title, article.subtitle) == ("标题", "副题")
    pictured = one(para("标题", 1, **BIG), para("题图", 2, pictures=(PNG,), **BIG))
    assert pictured.title == "标题"
    assert pictured.blocks == [
        Block("para", 2, (Run("题图"),)),
        Block("image", 2, picture=PNG),
    ]


# --------------------------------------------------------------------------- several articles


def test_each_kind_of_big_title_after_body_starts_another_article() -> None:
    def titles(second: Para) -> list[str]:
        items = (para("第一篇", 1, **BIG), para("正文一。", 2), second, para("正文二。", 4))
        return [a.title for a in recognise(docx(*items))]

    assert titles(para("第二篇", 3, style="title")) == ["第一篇", "第二篇"]
    assert titles(para("第二篇", 3, style="标题")) == ["第一篇", "第二篇"]
    centred = {"align": "center"}
    assert titles(para("第二篇", 3, size=22.0, fonts=frozenset({"宋体"}), **centred)) == [
        "第一篇",
        "第二篇",
    ]
    assert titles(para("第二篇", 3, size=18.0, **centred)) == ["第一篇", "第二篇"]
    assert titles(para("第二篇", 3, fonts=frozenset({"FZXBSJW--GB1-0"}), **centred)) == [
        "第一篇",
        "第二篇",
    ]
    assert titles(para("小结", 3, size=17.0, **centred)) == ["第一篇"]


# --------------------------------------------------------------------------- a built bulletin


def test_bulletin_columns_come_from_the_contents() -> None:
    contents = (
        Table((("测试区信息",),), 1),  # a masthead an office redrew as a table
        para("本期目录", 2, style="目录标题"),
        para("【工作动态】", 3, style="目录栏目"),
        para("◆\u3000第一篇", 4, style="目录"),
        para("【基层信息】", 5, style="目录栏目"),
        para("◆\u3000第二篇", 6, style="目录"),
        para("——副题", 7, style="目录"),
    )
    doc = bulletin(
        *contents,
        para("第一篇", 8, style="title"),
        para("正文一。", 9),
        para("第二篇", 10, style="title"),
        para("——副题", 11, style="subtitle"),
        para("正文二。", 12),
        para("第三篇", 13, style="title"),
        para("正文三。", 14),
    )
    articles = recognise(doc)
    assert [(a.title, a.subtitle, a.column) for a in articles] == [
        ("第一篇", None, "工作动态"),
        ("第二篇", "副题", "基层信息"),
        ("第三篇", None, None),  # not in the contents
    ]
    # a subtitle line of the contents names no article
    assert _toc_columns(list(contents)) == {"第一篇": "工作动态", "第二篇": "基层信息"}


def test_bulletin_names_keep_their_letters() -> None:
    doc = bulletin(
        para("【XX县动态】", 1, style="目录栏目"),
        para("◆\u3000XX镇推行议事厅", 2, style="目录"),
        para("XX镇推行议事厅", 3, style="title"),
        para("正文一。", 4),
        para("【XX专栏】", 5, style="栏目"),
        para("第二篇", 6, style="title"),
        para("正文二。", 7),
    )
    assert [(a.title, a.column) for a in recognise(doc)] == [
        ("XX镇推行议事厅", "XX县动态"),
        ("第二篇", "XX专栏"),
    ]


def test_bulletin_furniture_is_skipped_wherever_it_is() -> None:
    doc = bulletin(
        para("测试区信息", 1, style="报头"),
        para("第一篇", 2, style="title"),
        para("李明", 3, align="center"),
        para("正文一。", 4),
        para("测试区信息", 5, style="报头"),
        para("正文二。", 6),
        Table((("报：区领导",),), 7, frozenset({"版记"})),
        # an article pasted under the 版记 is still read, not dropped
        para("补发一篇", 8, style="title"),
        para("正文三。", 9),
    )
    first, second = recognise(doc)
    assert (first.author, first.guesses) == ("李明", [("作者", 3, "标题下居中的短行“李明”")])
    assert [b.text for b in first.blocks] == ["正文一。", "正文二。"]
    assert (second.title, [b.text for b in second.blocks]) == ("补发一篇", ["正文三。"])


# --------------------------------------------------------------------------- headings


def test_heading_length_limits() -> None:
    outlined = para("", outline=1)
    assert heading_rank(outlined, "字" * 100) == 1
    assert heading_rank(outlined, "字" * 101) is None
    assert heading_rank(bold(), "字" * 40) == 3
    assert heading_rank(bold(), "字" * 41) is None
    assert heading_rank(bold(), "注") == 3
    assert heading_rank(para(""), "") is None
    assert heading_rank(para(""), "一、" + "字" * 48) == 1
    assert heading_rank(para(""), "一、" + "字" * 49) is None


def test_heading_wording_and_faces() -> None:
    # a title style with an outline level is no heading
    assert heading_rank(para("", outline=1, style="title"), "标题") is None
    assert heading_rank(para("", outline=1, style="标题"), "标题") is None
    assert heading_rank(bold(), "全面推行1+X") == 3
    assert heading_rank(bold(), "全面推行。") is None
    # a sentence break inside makes it text, whatever follows the break
    assert heading_rank(para(""), "1.建立台账。X") is None
    assert heading_rank(para("", fonts=frozenset({"SimHei"})), "强化组织领导") == 1
    assert heading_rank(para("", fonts=frozenset({"STKaiti"})), "压实责任") == 2


# --------------------------------------------------------------------------- closing lines


def test_a_contact_line_ending_in_a_full_stop_is_dropped() -> None:
    article = one(para("标题", 1, **BIG), para("正文。", 2), para("联系人：王芳。", 3))
    assert article.warnings == [(3, "文末的“联系人：王芳。”没有导入")]
    assert [b.text for b in article.blocks] == ["正文。"]


def test_an_end_mark_only_with_brackets_and_spaces_around_it() -> None:
    article = one(para("标题", 1, **BIG), para("正文。", 2), para("【 完 】", 3))
    assert article.warnings == [(3, "文末的“【 完 】”没有导入")]
    kept = one(para("标题", 1, **BIG), para("正文。", 2), para("X完", 3))
    assert (kept.warnings, [b.text for b in kept.blocks]) == ([], ["正文。", "X完"])


# --------------------------------------------------------------------------- body blocks


def test_every_block_kind_keeps_its_paragraph_number() -> None:
    article = one(
        para("标题", 1, **BIG),
        Table((("甲", "乙"), ("1",)), 2),
        para("说明文字", 3, pictures=(PNG,)),
        para("现场照片", 4, style="caption"),
        para("", 5, pictures=(PNG,)),
        para("新建泊位", 6, style="题注"),
        para("●\u3000第一项", 7, style="列表"),
        para("2.第二项", 8, style="列表"),
        para("引用的话。", 9, style="引用"),
        para("", 10, runs=(Run("一、", True), Run("强化领导"))),
        para("正文。", 11),
    )
    assert article.blocks == [
        Block("table", 2, rows=(("甲", "乙"), ("1", ""))),
        Block("para", 3, (Run("说明文字"),)),
        Block("image", 3, picture=PNG, caption="现场照片"),
        Block("image", 5, picture=PNG, caption="新建泊位"),
        Block("list", 7, (Run("第一项"),)),
        Block("list", 8, (Run("第二项"),), rank=2),
        Block("quote", 9, (Run("引用的话。"),)),
        Block("heading", 10, (Run("一、强化领导"),), rank=1),
        Block("para", 11, (Run("正文。"),)),
    ]
