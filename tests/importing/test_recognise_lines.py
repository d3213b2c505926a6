"""Recognition of a submission's lines: the text and bold of each paragraph, the lines under
the title (subtitle, author, source, 编者按) and the sign-off lines at the end."""

from __future__ import annotations

import io

import docx
import pytest

from briefing.importing.docx_reader import read_docx
from briefing.importing.recognise import join_break
from briefing.importing.source import BREAK, Para, Picture, Run, Table
from tests.importing.test_recognise import BIG, one, para

PNG = Picture(b"\x89PNG\r\n\x1a\n", "png")


def body(*items: Para | Table):  # type: ignore[no-untyped-def]
    """The article of a centred big title followed by *items*."""
    return one(para("标题", 1, **BIG), *items)


def runs_of(*runs: Run, **kw) -> tuple[Run, ...]:  # type: ignore[no-untyped-def]
    """The runs of the only body block of a paragraph made of *runs*."""
    (block,) = body(Para(runs, 2, **kw)).blocks
    return block.runs


# --------------------------------------------------------------------------- text of a paragraph


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("Hello", "world", "Hello world"),
        ("Hello\u3000 ", "  world", "Hello world"),
        ("\u3000Hello", "world\u3000", "\u3000Hello world\u3000"),
        ("城管局", "report", "城管局report"),
        ("report", "城管局", "report城管局"),
        ("report", "城b", "report城b"),
        ("城管局", "", "城管局"),
        ("report", "\u3000", "report"),
        ("", "report", "report"),
        ("\u3000", "report", "report"),
    ],
)
def test_a_soft_break_adds_a_space_only_between_words(before: str, after: str, joined: str) -> None:
    assert join_break(before, after) == joined


def test_the_lines_of_a_table_cell_are_joined_like_a_soft_break() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Smart")
    table.cell(0, 0).add_paragraph("City")
    table.cell(0, 1).paragraphs[0].add_run("智慧")
    table.cell(0, 1).add_paragraph("City")
    buffer = io.BytesIO()
    document.save(buffer)
    (grid,) = [i for i in read_docx(buffer.getvalue()).items if isinstance(i, Table)]
    assert grid.rows == (("Smart City", "智慧City"),)


def test_soft_breaks_join_lines_and_skip_empty_ones() -> None:
    assert runs_of(Run("Smart"), Run(BREAK), Run(BREAK), Run("City")) == (Run("Smart City"),)
    assert runs_of(Run("APP"), Run(BREAK), Run("上线运行。")) == (Run("APP上线运行。"),)
    assert runs_of(Run("共计"), Run(BREAK), Run("3个")) == (Run("共计3个"),)
    assert runs_of(Run("Wi-Fi"), Run(BREAK), Run("5G全覆盖。")) == (Run("Wi-Fi 5G全覆盖。"),)
    # the line after a break starts with a run of one character
    assert runs_of(Run("APP"), Run(BREAK), Run("a"), Run("端上线。")) == (Run("APP a端上线。"),)


def test_tabs_become_spaces_and_bold_spans_are_merged() -> None:
    assert runs_of(Run("甲\t乙。")) == (Run("甲 乙。"),)
    assert runs_of(Run("加粗", True), Run("的话", True), Run("。")) == (
        Run("加粗的话", True),
        Run("。"),
    )
    # a space between two bold runs stays inside the bold span
    assert runs_of(Run("加粗", True), Run("\u3000"), Run("的话", True), Run("。")) == (
        Run("加粗\u3000的话", True),
        Run("。"),
    )
    # so does the space a soft break adds between two bold words
    assert runs_of(Run("Smart", True), Run(BREAK), Run("City", True), Run("。")) == (
        Run("Smart City", True),
        Run("。"),
    )


def test_spaces_at_either_end_of_a_line_are_dropped_run_by_run() -> None:
    assert runs_of(Run("正文"), Run("\u3000\u3000")) == (Run("正文"),)
    assert runs_of(Run("甲", True), Run("乙。"), Run("\u3000")) == (
        Run("甲", True),
        Run("乙。"),
    )


def test_a_title_in_several_runs_is_their_text() -> None:
    article = one(Para((Run("关于", True), Run("停车难的调查")), 1, **BIG), para("正文。", 2))
    assert article.title == "关于停车难的调查"


# --------------------------------------------------------------------------- list items


def test_a_list_item_loses_its_marker_and_keeps_its_bold() -> None:
    def item(*runs: Run) -> tuple[tuple[Run, ...], int]:
        (block,) = body(Para(runs, 2, style="列表")).blocks
        assert block.kind == "list"
        return block.runs, block.rank

    assert item(Run("●\u3000加粗的要点", True)) == ((Run("加粗的要点", True),), 0)
    assert item(Run("●\u3000"), Run("加粗", True), Run("的要点")) == (
        (Run("加粗", True), Run("的要点")),
        0,
    )
    # the marker is in a run of its own, its spaces in the next one
    assert item(Run("●", True), Run("\u3000\u3000要点")) == ((Run("要点"),), 0)
    assert item(Run("2.第二", True), Run("要点"), Run("加粗", True)) == (
        (Run("第二", True), Run("要点"), Run("加粗", True)),
        2,
    )


# --------------------------------------------------------------------------- under the title


def test_subtitle_and_author_styles_are_read_without_their_marks() -> None:
    for style in ("subtitle", "副标题"):
        article = body(para("以五大队为例", 2, style=style), para("正文。", 3))
        assert (article.subtitle, [b.text for b in article.blocks]) == ("以五大队为例", ["正文。"])
    article = body(para("李明", 2, style="作者"), para("正文。", 3))
    assert (article.author, article.guesses) == ("李明", [])


def test_at_most_three_lines_under_the_title_are_taken() -> None:
    article = body(
        para("（2018年12月18日）", 2, align="center"),
        para("（城管局）", 3, align="center"),
        para("作者：李明", 4),
        para("通讯员 王芳", 5),
        para("正文。", 6),
    )
    assert (article.source, article.author) == ("城管局", "作者：李明")
    assert [b.text for b in article.blocks] == ["通讯员 王芳", "正文。"]


def test_a_bracketed_end_mark_under_the_title_is_no_source() -> None:
    article = body(para("（待续）", 2, align="center"), para("正文。", 3))
    assert article.source is None
    assert [b.text for b in article.blocks] == ["（待续）", "正文。"]


def test_a_centred_line_of_up_to_25_characters_is_a_guessed_author() -> None:
    short = "李" * 25
    article = body(para(short, 2, align="center"), para("正文。", 3))
    assert (article.author, article.guesses) == (short, [("作者", 2, f"标题下居中的短行“{short}”")])
    for length in (26, 40):
        line = "李" * length
        article = body(para(line, 2, align="center"), para("正文。", 3))
        assert (article.author, article.guesses) == (None, [])
        assert [b.text for b in article.blocks] == [line, "正文。"]


# --------------------------------------------------------------------------- 编者按


def test_a_note_styled_paragraph_is_the_note() -> None:
    article = one(para("值得推广。", 1, style="编者按"), para("标题", 2, **BIG), para("正文。", 3))
    assert (article.title, article.note) == ("标题", "值得推广。")


def test_a_note_after_a_table_is_still_found() -> None:
    article = body(Table((("甲", "乙"),), 2), para("编者按：值得推广。", 3), para("正文。", 4))
    assert article.note == "值得推广。"
    assert [b.kind for b in article.blocks] == ["table", "para"]


def test_a_note_is_looked_for_among_the_first_six_items_only() -> None:
    paras = [para(f"第{n}段。", n) for n in range(2, 6)]
    sixth = body(*paras, para("编者按：值得推广。", 6), para("正文。", 7))
    assert sixth.note == "值得推广。"
    late = body(*paras, para("正文。", 6), para("编者按：值得推广。", 7), para("正文。", 8))
    assert late.note is None
    assert "编者按：值得推广。" in [b.text for b in late.blocks]


# --------------------------------------------------------------------------- the sign-off


def tail(*lines: Para):  # type: ignore[no-untyped-def]
    """The article of a title, one paragraph of text and the closing *lines*."""
    return body(para("正文。", 2), *lines)


def test_a_sign_off_styled_paragraph_is_read_not_guessed() -> None:
    article = tail(para("(区应急管理局", 3, style="供稿单位"))
    assert (article.source, article.guesses) == ("区应急管理局", [])
    article = tail(para("XYZ科技有限公司", 3, style="供稿单位"))
    assert (article.source, article.guesses) == ("XYZ科技有限公司", [])


def test_a_right_aligned_sign_off_has_at_most_30_characters() -> None:
    unit = "区" * 28 + "办公室"
    assert len(unit) == 31
    article = tail(para(unit[1:], 3, align="right"))
    assert (article.source, article.guesses) == (
        unit[1:],
        [("供稿单位", 3, f"右对齐的落款“{unit[1:]}”")],
    )
    for line in (unit, "区" * 40):
        article = tail(para(line, 3, align="right"))
        assert (article.source, [b.text for b in article.blocks]) == (None, ["正文。", line])


def test_a_right_aligned_supplier_line_loses_only_a_closing_供稿() -> None:
    assert tail(para("区应急管理局供稿", 3, align="right")).source == "区应急管理局"
    assert tail(para("供稿单位区应急管理局", 3, align="right")).source == "供稿单位区应急管理局"


def test_a_picture_at_the_end_is_no_sign_off() -> None:
    article = tail(para("（区应急管理局）", 3, pictures=(PNG,)))
    assert article.source is None
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("para", "正文。"),
        ("para", "（区应急管理局）"),
        ("image", ""),
    ]


def test_a_labelled_unit_keeps_a_closing_latin_letter_and_loses_a_full_stop() -> None:
    assert tail(para("来源：SpaceX。", 3)).source == "SpaceX"


def test_a_labelled_end_mark_is_no_source() -> None:
    article = tail(para("来源：全文完", 3))
    assert article.source is None
    assert [b.text for b in article.blocks] == ["正文。", "来源：全文完"]


def test_a_centred_or_right_aligned_date_at_the_end_is_dropped() -> None:
    for align in ("center", "right"):
        article = tail(para("（城管局）", 3), para("2018年12月1日", 4, align=align))
        assert article.source == "城管局"
        assert article.warnings == [(4, "文末日期“2018年12月1日”没有导入（简报印发日期另行印出）")]
        assert [b.text for b in article.blocks] == ["正文。"]


def test_a_contact_line_of_up_to_60_characters_is_dropped() -> None:
    for length in (51, 60):
        line = "联系人：" + "王" * (length - 4)
        article = tail(para(line, 3))
        assert article.warnings == [(3, f"文末的“{line}”没有导入")]
        assert [b.text for b in article.blocks] == ["正文。"]
    line = "联系人：" + "王" * 57
    article = tail(para(line, 3))
    assert (article.warnings, [b.text for b in article.blocks]) == ([], ["正文。", line])


def test_at_most_five_closing_lines_are_taken() -> None:
    lines = [
        para("（城管局）", 3),
        para("（完）", 4),
        para("2018年12月1日", 5),
        para("审核：张三", 6),
        para("联系人：李四", 7),
    ]
    article = tail(*lines)
    assert article.source == "城管局"
    assert [n for n, _ in article.warnings] == [7, 6, 5, 4]
    assert [b.text for b in article.blocks] == ["正文。"]
    sixth = tail(*lines, para("联系电话：12345678", 8))
    assert sixth.source is None
    assert [n for n, _ in sixth.warnings] == [8, 7, 6, 5, 4]
    assert [b.text for b in sixth.blocks] == ["正文。", "（城管局）"]


def test_an_author_line_at_the_end_loses_its_brackets() -> None:
    article = tail(para("（作者：李明）", 3), para("（城管局）", 4))
    assert (article.author, article.source) == ("作者：李明", "城管局")
    assert [b.text for b in article.blocks] == ["正文。"]
    latin = tail(para("（记者：ALEX）", 3), para("（城管局）", 4))
    assert latin.author == "记者：ALEX"
    plain_line = tail(para("通讯员：王芳", 3))
    assert (plain_line.author, [b.text for b in plain_line.blocks]) == ("通讯员：王芳", ["正文。"])


def test_an_author_line_at_the_end_has_at_most_30_characters() -> None:
    line = "作者：" + "李" * 27
    assert tail(para(line, 3)).author == line
    longer = line + "明"
    article = tail(para(longer, 3))
    assert (article.author, [b.text for b in article.blocks]) == (None, ["正文。", longer])


# --------------------------------------------------------------------------- run-on sign-off


def test_a_run_on_sign_off_in_its_own_run_keeps_the_bold_before_it() -> None:
    runs = (Run("甲。", True), Run("乙。"), Run("丙。", True), Run("丁。（来源：城管局）"))
    article = body(para("正文。", 2), Para(runs, 3))
    assert article.source == "城管局"
    assert article.blocks[-1].runs == (*runs[:3], Run("丁。"))
    # the sign-off starts a run of its own
    (block,) = body(Para((Run("取得实效。", True), Run("（来源：城管局）")), 2)).blocks
    assert block.runs == (Run("取得实效。", True),)


def test_a_run_on_sign_off_after_a_numbered_paragraph() -> None:
    last = Para((Run("取得实效。（来源：城管局）"),), 3, auto_number="1.")
    article = body(para("正文。", 2), last)
    assert article.source == "城管局"
    assert [b.text for b in article.blocks] == ["正文。", "1.取得实效。"]


def test_a_run_on_end_mark_is_no_source() -> None:
    article = body(para("正文。", 2), para("取得实效。（来源：未完待续）", 3))
    assert article.source is None
    assert [b.text for b in article.blocks] == ["正文。", "取得实效。（来源：未完待续）"]
