"""Masking and character helpers of the proofreading rules (``briefing/proofread/text.py``).

The masked text is compared whole, one line at a time: ``█`` stands for ``OPAQUE`` (code,
URLs, link targets, comments, table pipes) and ``·`` for ``SKIP`` (invisible syntax).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given

from briefing.markdown import parse_body
from briefing.model import (
    Block,
    CodeBlock,
    Heading,
    Image,
    Kept,
    ListBlock,
    Paragraph,
    PictureRow,
    Quote,
    SourceText,
    Table,
)
from briefing.proofread.text import (
    OPAQUE,
    SKIP,
    Scope,
    mask_field,
    mask_markdown,
    mask_plain,
    next_index,
    prev_index,
    snippet,
)
from tests.strategies import EXAMPLES, MARKDOWN


def shown(text: str) -> str:
    return text.replace(OPAQUE, "█").replace(SKIP, "·")


DOC = "\n".join(
    [
        "# 一、标题 ##",
        "",
        "正文**加粗**和_斜体_，见[链接](http://a.cn/x)与[引用][1]。",
        "第二行`code`，网址https://www.gov.cn/a_(b).，邮箱a.b@gov.cn。",
        "",
        "[1]: http://x.cn",
        "",
        "```python",
        "print(1)",
        "```",
        "",
        "    缩进代码",
        "",
        "> 引用一",
        "> 引用二",
        "",
        "- 列表一",
        "  续行",
        "1. 列表二",
        "",
        "| 甲 | 乙\\|丙 |",
        "| --- | --- |",
        "| 1 | 2 |",
        "",
        "***",
        "",
        "设置标题",
        "===",
        "",
        "<!-- 注释 -->",
        "<b>粗</b>\\*转义\\*~~删~~<http://a.cn>，a@b.cn_x@d.cn",
        "~~~",
        "围栏",
        "~~~~",
        "段落末尾\\",
    ]
)
MASKED = [
    "  一、标题   ",
    "",
    "正文··加粗··和_斜体_，见·链接·███████████████与·引用·███。",  # "_斜体_" prints as written
    "第二行██████，网址████████████████████████.，邮箱██████████。",
    "",
    "                ",  # a reference definition prints nothing
    "",
    "█████████",
    "████████",
    "███",
    "",
    "████████",
    "",
    "  引用一",
    "  引用二",
    "",
    "  列表一",
    "  续行",
    "   列表二",
    "",
    "█ 甲 █ 乙·|丙 █",  # the escaped pipe is printed, its backslash is not
    "             ",
    "█ 1 █ 2 █",
    "",
    "███",
    "",
    "设置标题",
    "   ",
    "",
    "███████████",
    "███粗████·*转义·*~~删~~█████████████，█████████████",  # no strikethrough: ~~ is printed
    "███",
    "██",
    "████",
    "段落末尾\\",  # a backslash ending the paragraph is printed
]
SCOPES = [
    ("heading", 2, 6),
    ("paragraph", 11, 106),
    ("quote", 162, 171),
    ("item", 175, 183),
    ("item", 187, 190),
    ("row", 192, 204),
    ("row", 219, 228),
    ("heading", 235, 239),
    ("paragraph", 257, 303),
    ("paragraph", 316, 321),
]


def test_mask_markdown_exactly():
    masked = mask_markdown(DOC)
    assert len(masked.text) == len(DOC)
    assert shown(masked.text).split("\n") == MASKED
    assert [(s.kind, s.start, s.end) for s in masked.scopes] == SCOPES


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("见http://a.cn/x)。", "见█████████████)。"),
        ("（见http://a.cn/(b))。", "（见███████████████)。"),
        ("http://a.cn/x).,", "█████████████).,"),
        ("www.gov.cn/a?b=1!", "████████████████!"),
        ("网址：https://a.cn/路径", "网址：█████████████路径"),
        ("a@b.cn_x@d.cn，c@d.cn", "█████████████，██████"),
        ("中**文** http://a.cn a@b.cn", "中**文** ███████████ ██████"),
    ],
)
def test_mask_plain_urls_and_addresses(text, masked):
    assert shown(mask_plain(text)) == masked


def test_mask_field_masks_addresses_only_and_is_one_scope():
    masked = mask_field("中**文** http://a.cn")
    assert shown(masked.text) == "中**文** ███████████"
    assert masked.scopes == (Scope("field", 0, 18),)


def test_neighbour_indexes_step_over_syntax_and_optionally_spaces():
    text = f"a{SKIP} \t\u3000{SKIP}b"
    assert prev_index(text, 6) == 4
    assert prev_index(text, 6, spaces=True) == 0
    assert next_index(text, 0) == 2
    assert next_index(text, 0, spaces=True) == 6
    assert prev_index(f"{SKIP}a", 1) == -1
    assert next_index(f"a{SKIP}", 0) == 2


def test_snippet_keeps_one_line_and_a_few_characters_either_side():
    assert snippet("一二三四五六七八九十", 4, 5) == "一二三四五六七八九"
    assert snippet("一二\n三四五六\n七八", 4, 5) == "三四五六"
    assert snippet("一二三四五", 2, 3, 1) == "二三四"
    assert snippet(" 甲 ", 1, 2) == "甲"
    assert snippet("一二三四五六七", 0, 1) == "一二三四五"


@pytest.mark.parametrize(
    ("text", "masked", "scopes"),
    [
        ("    代码\n\n甲", "██████\n\n甲", [("paragraph", 8, 9)]),  # code at the very start
        ("\t代码", "███", []),
        ("甲\n    乙", "甲\n    乙", [("paragraph", 0, 7)]),  # a lazy line is no code block
        ("甲|乙", "甲|乙", [("paragraph", 0, 3)]),  # a pipe on the last line
        (
            "甲\n| a | b |\n| --- | --- |",
            "甲\n█ a █ b █\n             ",
            [("paragraph", 0, 1), ("row", 2, 11)],
        ),
        ("甲\n***", "甲\n███", [("paragraph", 0, 1)]),
        # a reference definition cannot interrupt a paragraph: it is printed
        ("甲\n[1]: http://a.cn", "甲\n[1]: ███████████", [("paragraph", 0, 18)]),
        ("甲\n## 乙", "甲\n   乙", [("paragraph", 0, 1), ("heading", 5, 6)]),
        ("> - 甲", "    甲", [("item", 4, 5)]),
        ("甲\n\n   ##\n乙", "甲\n\n     \n乙", [("paragraph", 0, 1), ("paragraph", 9, 10)]),
        ("```\n```js\n甲\n```\n乙", "███\n█████\n█\n███\n乙", [("paragraph", 16, 17)]),
        ("见[引用][1]。", "见[引用][1]。", [("paragraph", 0, 9)]),  # no such reference
        ("甲_乙_", "甲_乙_", [("paragraph", 0, 4)]),  # "_" inside a word is no emphasis
        ("甲 _乙_ 丙", "甲 ·乙· 丙", [("paragraph", 0, 7)]),
        ("甲~~乙~~", "甲~~乙~~", [("paragraph", 0, 6)]),
        # the renderer's link: the label may hold brackets
        (
            "[通知[2019]3号文件](http://a.cn)。",
            "·通知[2019]3号文件·█████████████。",
            [("paragraph", 0, 28)],
        ),
        (
            "见![图（一）](images/a.png)说明",
            "见··图（一）·██████████████说明",
            [("paragraph", 0, 24)],
        ),
        # three cells above two columns: no table, one paragraph (the code span is opaque)
        (
            "| a `|` b | c |\n|---|---|\n| 1 | 2 |",
            "| a ███ b | c |\n|---|---|\n| 1 | 2 |",
            [("paragraph", 0, 35)],
        ),
        (
            "- 甲\n\n  乙\n  ```\n  代码\n  ```",
            "  甲\n\n  乙\n█████\n████\n█████",
            [("item", 2, 3), ("item", 7, 8)],
        ),
        ("甲&amp;乙&#x4e00;", "甲█████乙████████", [("paragraph", 0, 15)]),
        ("甲\\中\\,", "甲\\中·,", [("paragraph", 0, 5)]),  # "\中" prints its backslash
    ],
)
def test_mask_markdown_blocks(text, masked, scopes):
    result = mask_markdown(text)
    assert shown(result.text) == masked
    assert [(s.kind, s.start, s.end) for s in result.scopes] == scopes


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("http://a.cn/AX", "██████████████"),
        ("见http://a.cn/X)", "见█████████████)"),
        ("http://a.cn/x.)", "█████████████.)"),
        ("http://a.cn/(a)))", "███████████████))"),
    ],
)
def test_url_trailing_punctuation_and_parentheses(text, masked):
    assert shown(mask_plain(text)) == masked


def test_neighbours_and_snippets_across_letters_and_lines():
    assert prev_index("中X ", 3, spaces=True) == 1
    assert next_index("a X", 0, spaces=True) == 2
    assert snippet("一\n二\n三", 4, 5) == "三"
    assert snippet("一\n二\n三", 0, 1) == "一"


# --------------------------------------------------------------------------- the renderer's text


def printed_characters(blocks: tuple[Block, ...]) -> str:
    """Every character the renderer prints from *blocks*, without whitespace."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            out += [span.text for span in block.spans]
        elif isinstance(block, ListBlock):
            out += [span.text for item in block.items for span in item.spans]
        elif isinstance(block, Table):
            rows = (block.header, *block.rows)
            out += [span.text for row in rows for cell in row for span in cell.spans]
        elif isinstance(block, Quote | Kept):
            out.append(printed_characters(block.blocks))
        elif isinstance(block, PictureRow):
            out += [image.caption for image in block.images]
        elif isinstance(block, Image):
            out.append(block.caption)
        elif isinstance(block, CodeBlock):
            out.append(block.text)
    return "".join(ch for ch in "".join(out) if not ch.isspace())


def shown_nowhere(readable: str, printed: str) -> Counter[str]:
    """Characters *readable* holds more often than *printed* (a paragraph's pictures are
    printed after its text, so order is not compared)."""
    return Counter(readable) - Counter(printed)


@EXAMPLES
@given(MARKDOWN)
@example("[通知[2019]3号文件](http://a.cn)，见![图（一）](a.png)")
@example("| 甲 | 乙\\|丙 |\n| - | - |\n| `|` | **粗** |")
@example("> - 甲**乙**\n>   丙\n\n1. 一\n   - 二")
@example("# ![图](images/p.png)\n\n- ![图二](a.png)说明")
@example("![图](images/p.png)# ")
@example("\n{.keep}\n## 一、")
@example('![甲](a.png){width="50%"} ![乙](b.png)\n\n::: keep\n段落\n:::')
def test_the_mask_shows_only_what_the_renderer_prints(text: str) -> None:
    """Proofreading reads what is printed: every character the mask leaves readable is one the
    renderer prints (it may hide more: URLs, tags, code)."""
    blocks, _, syntax = parse_body(SourceText(text, Path("a.md"), 1), Path("."))
    masked = mask_markdown(text, syntax)
    assert len(masked.text) == len(text)
    assert [i for i, ch in enumerate(masked.text) if ch == "\n"] == [
        i for i, ch in enumerate(text) if ch == "\n"
    ]
    readable = "".join(ch for ch in masked.text if ch not in (OPAQUE, SKIP) and not ch.isspace())
    assert not shown_nowhere(readable, printed_characters(blocks))
    for scope in masked.scopes:
        assert 0 <= scope.start <= scope.end <= len(text)


@EXAMPLES
@given(MARKDOWN)
def test_the_loaders_syntax_and_a_fresh_parse_mask_alike(text: str) -> None:
    _, _, syntax = parse_body(SourceText(text, Path("a.md"), 1), Path("."))
    assert mask_markdown(text, syntax) == mask_markdown(text)
