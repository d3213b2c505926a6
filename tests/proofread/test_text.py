"""Masking and character helpers of the proofreading rules (``briefing/proofread/text.py``).

The masked text is compared whole, one line at a time: ``█`` stands for ``OPAQUE`` (code,
URLs, link targets, comments, table pipes) and ``·`` for ``SKIP`` (invisible syntax).
"""

from __future__ import annotations

import pytest

from briefing.proofread.text import (
    OPAQUE,
    SKIP,
    Scope,
    is_han,
    mask_field,
    mask_markdown,
    mask_plain,
    next_index,
    prev_index,
    snippet,
)


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
    "正文··加粗··和·斜体·，见·链接·███████████████与·引用·███。",
    "第二行██████，网址████████████████████████.，邮箱██████████。",
    "",
    "████████████████",
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
    "█ 甲 █ 乙·█丙 █",
    "█████████████",
    "█ 1 █ 2 █",
    "",
    "███",
    "",
    "设置标题",
    "███",
    "",
    "███████████",
    "███粗████\\·转义\\···删··█████████████，█████████████",
    "███",
    "██",
    "████",
    "段落末尾·",
]
SCOPES = [
    ("heading", 1, 6),
    ("paragraph", 11, 107),
    ("quote", 160, 172),
    ("item", 173, 184),
    ("item", 184, 191),
    ("row", 192, 204),
    ("row", 219, 228),
    ("heading", 235, 239),
    ("paragraph", 245, 304),
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


@pytest.mark.parametrize(
    ("char", "han"),
    [
        ("\u4e00", True),
        ("\u9fff", True),
        ("\u3400", True),
        ("\u4dbf", True),
        ("\uf900", True),
        ("\ufaff", True),
        ("\U00020000", True),
        ("\U0003ffff", True),
        ("\u3007", True),
        ("\u4dc0", False),
        ("\u33ff", False),
        ("\ua000", False),
        ("\uf8ff", False),
        ("\ufb00", False),
        ("\U0001ffff", False),
        ("\U00040000", False),
        ("\u3006", False),
        ("\u3008", False),
        ("a", False),
        ("", False),
    ],
)
def test_is_han(char, han):
    assert is_han(char) is han


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
            "甲\n█ a █ b █\n█████████████",
            [("paragraph", 0, 2), ("row", 2, 11)],
        ),
        ("甲\n***", "甲\n███", [("paragraph", 0, 2)]),
        ("甲\n[1]: http://a.cn", "甲\n████████████████", [("paragraph", 0, 2)]),
        ("甲\n## 乙", "甲\n   乙", [("paragraph", 0, 2), ("heading", 4, 6)]),
        ("> - 甲", "    甲", [("item", 0, 5)]),
        (
            "甲\n\n   ##\n乙",
            "甲\n\n     \n乙",
            [("paragraph", 0, 2), ("heading", 8, 8), ("paragraph", 9, 10)],
        ),
        ("```\n```js\n甲\n```\n乙", "███\n█████\n█\n███\n乙", [("paragraph", 16, 17)]),
        ("见[引用][1]。", "见·引用·███。", [("paragraph", 0, 9)]),
        ("甲_乙_", "甲·乙·", [("paragraph", 0, 4)]),
        ("甲~~乙~~", "甲··乙··", [("paragraph", 0, 6)]),
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
