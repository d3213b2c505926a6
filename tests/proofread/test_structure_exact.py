"""Structure rules S201-S205, finding by finding: code, offsets and whole message.

Also the numeral helpers and the heading levels read from the ``#``s when the caller has no
parsed blocks. Each case pins one decision of ``briefing/proofread/structure.py`` (found by
mutation testing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.model import SourceText
from briefing.proofread import structure
from briefing.proofread.core import body_segment
from briefing.proofread.text import SKIP
from tests.proofread.conftest import md

PATH = Path("issues/2018-028/article.md")


def body_findings(body: str) -> list[tuple]:
    article = md(body)
    found = structure.check(body_segment(article.body), article.blocks)
    return [(f.code, f.start, f.end, f.message) for f in found]


def findings_without_blocks(body: str) -> list[tuple]:
    found = structure.check(body_segment(SourceText(body, PATH, 5)), [])
    return [(f.code, f.start, f.end, f.message) for f in found]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("", None),
        ("一一", None),
        ("十十", None),
        ("十一十", None),
        ("一二十", None),
        ("十一二", None),
        ("甲", None),
        ("十甲", None),
    ],
)
def test_cn_number(text, value):
    assert structure.cn_number(text) == value


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")]
)
def test_cn_text(n, text):
    assert structure.cn_text(n) == text


@pytest.mark.parametrize(
    ("form", "n", "text"),
    [
        ("cn", 11, "十一、"),
        ("pcn", 2, "（二）"),
        ("num", 12, "12."),
        ("pnum", 3, "（3）"),
        ("circ", 1, "①"),
        ("circ", 3, "③"),
        (None, 1, "（无序号）"),
    ],
)
def test_label(form, n, text):
    assert structure.label(form, n) == text


def test_parse_number_reads_circled_numbers_and_skips_syntax():
    assert structure.parse_number("③落实", 0, 3) == (structure.Number("circ", 3, 0, 1, "③"), None)
    text = f"{SKIP}{SKIP}一{SKIP}{SKIP}、加强"
    assert structure.parse_number(text, 0, len(text)) == (
        structure.Number("cn", 1, 2, 4, "一、"),
        None,
    )
    assert structure.parse_number(SKIP * 2, 0, 2) == (None, None)


CASES = [
    (
        "## 一、甲\n\n## 乙\n\n## 三、丙",
        [
            ("S202", 11, 12, "同级标题的序号形式应一致：本级其他标题“一、”，这个标题没有序号"),
            ("S201", 17, 19, "本层第一个标题的序号应为“一、”，这里是“三、”"),
        ],
    ),
    (
        "## 甲\n\n## 乙\n\n## 三、丙",
        [
            ("S202", 15, 17, "同级标题的序号形式应一致：本级其他标题不加序号，这个标题“三、”"),
            ("S201", 15, 17, "本层第一个标题的序号应为“一、”，这里是“三、”"),
        ],
    ),
    (
        "## 一、甲\n\n### 一、乙",
        [
            (
                "S202",
                12,
                14,
                "标题层次序数颠倒：上一级用“一、”，这一级却用“一、”；应依次用“一、”“（一）”“1.”“（1）”",
            )
        ],
    ),
    (
        "## （一）甲\n\n### 子\n\n### 一、子\n\n### 二、子",
        [
            ("S202", 13, 14, "同级标题的序号形式应一致：本级其他标题“一、”，这个标题没有序号"),
            (
                "S202",
                20,
                22,
                "标题层次序数颠倒：上一级用“（一）”，这一级却用“一、”；应依次用“一、”“（一）”“1.”“（1）”",
            ),
        ],
    ),
    (
        "## 甲\n\n## 一、乙\n\n## 三、丙",
        [
            ("S202", 3, 4, "同级标题的序号形式应一致：本级其他标题“一、”，这个标题没有序号"),
            ("S201", 17, 19, "序号不连续：上一个是“一、”，这里是“三、”，应为“二、”"),
        ],
    ),
    ("- 一是甲；三是乙", [("S204", 6, 8, "序数跳号：“一是”之后是“三是”，应为“二是”")]),
    ("> 一是甲；三是乙", [("S204", 6, 8, "序数跳号：“一是”之后是“三是”，应为“二是”")]),
    (
        "| 甲 | 乙 |\n| --- | --- |\n\n一是甲；三是乙。",
        [("S204", 29, 31, "序数跳号：“一是”之后是“三是”，应为“二是”")],
    ),
    (
        "（一）加强领导。二是明确责任。",
        [("S204", 8, 10, "“二是”之前没有“一是”，序数应从“一是”开始")],
    ),
    ("## 一、甲\n\n二是乙。", [("S204", 8, 10, "“二是”之前没有“一是”，序数应从“一是”开始")]),
    (
        "坚持标准统一是关键：一是抓学习；三是抓落实。",
        [("S204", 16, 18, "序数跳号：“一是”之后是“三是”，应为“二是”")],
    ),
    (
        "做到一是一、二是二；一是甲；三是乙。",
        [("S204", 14, 16, "序数跳号：“一是”之后是“三是”，应为“二是”")],
    ),
    (
        "“十十是”不是序数；一是甲；三是乙。",
        [("S204", 14, 16, "序数跳号：“一是”之后是“三是”，应为“二是”")],
    ),
    (
        "第二，甲；第二，乙；第四，丙。",
        [
            ("S205", 0, 2, "“第二”之前没有“第一”，序数应从“第一”开始"),
            ("S205", 5, 7, "“第二”重复了，应为“第三”"),
            ("S205", 10, 12, "序数跳号：“第二”之后是“第四”，应为“第三”"),
        ],
    ),
    (
        "二是甲；二是乙；四是丙。",
        [
            ("S204", 0, 2, "“二是”之前没有“一是”，序数应从“一是”开始"),
            ("S204", 4, 6, "“二是”重复了，应为“三是”"),
            ("S204", 8, 10, "序数跳号：“二是”之后是“四是”，应为“三是”"),
        ],
    ),
    ("## 一、甲\n\n> ## 三、引文\n\n## 二、乙", []),
    (
        "## 甲\n\n**一**、加强。\n\n**三**、完善。",
        [("S201", 19, 21, "序号不连续：上一个是“一、”，这里是“三、”，应为“二、”")],
    ),
    ("正文。\n\n__", []),
    ("①甲。\n\n③乙。", [("S201", 5, 6, "序号不连续：上一个是“①”，这里是“③”，应为“②”")]),
    (
        "## 一、甲\n\n### （1）、乙",
        [("S203", 12, 16, "序号“（1）、”多了“、”：括号序号后不再加标点，应写作“（1）”")],
    ),
    (
        "## 二、甲\n\n（二）乙。\n\n1、丙。\n\n2.丁。",
        [
            ("S201", 3, 5, "本层第一个标题的序号应为“一、”，这里是“二、”"),
            ("S201", 8, 11, "本层第一个段落的序号应为“（一）”，这里是“（二）”"),
            ("S203", 15, 17, "序号“1、”应写作“1.”：阿拉伯数字序号后用下脚点“.”，不用顿号"),
        ],
    ),
    (
        "## 一、甲\n\n## 一、乙\n\n## 十二、丙",
        [
            ("S201", 11, 13, "序号“一、”与上一个重复，应为“二、”"),
            ("S201", 19, 22, "序号不连续：上一个是“一、”，这里是“十二、”，应为“二、”"),
        ],
    ),
    (
        "（十）甲。\n\n（十二）乙。\n\n（十一）丙。",
        [
            ("S201", 0, 3, "本层第一个段落的序号应为“（一）”，这里是“（十）”"),
            ("S201", 7, 11, "序号不连续：上一个是“（十）”，这里是“（十二）”，应为“（十一）”"),
            ("S201", 15, 19, "序号不连续：上一个是“（十二）”，这里是“（十一）”，应为“（十三）”"),
        ],
    ),
]
WITHOUT_BLOCKS = [
    (  # a setext heading underlined with "-" is level 2, like "##"
        "一、甲\n===\n\n## （一）乙\n\n（三）丙\n---",
        [("S201", 18, 21, "序号不连续：上一个是“（一）”，这里是“（三）”，应为“（二）”")],
    ),
    (
        "# 一、甲\n\n## （一）乙\n\n## （三）丙",
        [("S201", 19, 22, "序号不连续：上一个是“（一）”，这里是“（三）”，应为“（二）”")],
    ),
    (
        "一、甲\n===\n\n（一）乙\n---\n\n（三）丙\n---",
        [("S201", 19, 22, "序号不连续：上一个是“（一）”，这里是“（三）”，应为“（二）”")],
    ),
    (
        "\n## 一、甲\n\n### （一）乙\n\n### （三）丙",
        [("S201", 23, 26, "序号不连续：上一个是“（一）”，这里是“（三）”，应为“（二）”")],
    ),
    (
        "# 一、甲\n\n## （一）乙\n\n### 1.丙\n\n#### （1）丁\n\n##### ①戊",
        [("S202", 42, 43, "同级标题的序号形式应一致：本级其他标题“（1）”，这个标题“①”")],
    ),
    (
        "> ## 一、甲\n\n> ### （一）乙\n\n> ### （三）丙",
        [("S201", 28, 31, "序号不连续：上一个是“（一）”，这里是“（三）”，应为“（二）”")],
    ),
    (
        "## 一、甲\n\n#### （一）乙\n\n### （三）丙",
        [
            (
                "S202",
                13,
                16,
                "标题层次序数颠倒：上一级用“（一）”，这一级却用“（一）”；应依次用“一、”“（一）”“1.”“（1）”",
            ),
            ("S201", 23, 26, "本层第一个标题的序号应为“（一）”，这里是“（三）”"),
        ],
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_structure_findings_exactly(body, expected):
    assert body_findings(body) == expected


@pytest.mark.parametrize(("body", "expected"), WITHOUT_BLOCKS)
def test_heading_levels_from_the_hashes_without_blocks(body, expected):
    assert findings_without_blocks(body) == expected
