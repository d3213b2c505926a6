"""Structure rules S201-S205: heading numbering and 一是/第一 enumerations."""

from __future__ import annotations

import pytest

from tests.proofread.conftest import findings, md, where

BODY = 5


def codes(body: str, prefix: str = "S") -> list[str]:
    return [d.code for d in findings(md(body), codes=prefix)]


GOOD = """## 一、提高政治站位

### （一）加强组织领导

### （二）完善工作机制

## 二、压实工作责任

### （一）明确责任分工

#### 1.细化任务清单

#### 2.建立工作台账

##### （1）按月更新

##### （2）按季通报

## 三、强化督查问效
"""


def test_correct_numbering_has_no_findings():
    assert codes(GOOD) == []


def test_level_one_skips_a_number():
    body = "## 一、提高政治站位\n\n## 二、压实工作责任\n\n## 四、强化督查问效\n"
    found = findings(md(body), codes="S201")
    assert [(d.line, d.column) for d in found] == [(BODY + 4, 4)]
    assert "应为“三、”" in found[0].message


def test_numbering_restarts_under_each_parent():
    body = "## 一、甲\n\n### （一）子\n\n### （二）子\n\n## 二、乙\n\n### （二）子\n"
    found = where(md(body), "S201")
    assert found == [("S201", BODY + 8, 5)]


def test_repeated_heading_number():
    found = findings(md("## 一、甲\n\n### （一）子\n\n### （一）子\n"), codes="S201")
    assert len(found) == 1
    assert "重复" in found[0].message


def test_mixed_forms_within_a_level():
    body = "## 一、甲\n\n### （一）子\n\n### 2.子\n\n### （三）子\n"
    found = findings(md(body), codes="S202")
    assert [(d.line, d.column) for d in found] == [(BODY + 4, 5)]
    assert "“（一）”" in found[0].message
    assert "“2.”" in found[0].message


def test_reversed_hierarchy():
    body = "## （一）甲\n\n### 一、子\n\n## （二）乙\n"
    assert "S202" in codes(body)


def test_extra_dunhao_and_wrong_marks():
    body = (
        "## 一、甲\n\n### （一）、子\n\n### （二）子\n\n#### 1、细化\n\n#### 2.建立\n\n## 二.乙\n"
    )
    found = findings(md(body), codes="S203")
    assert [(d.line, d.column) for d in found] == [(BODY + 2, 5), (BODY + 6, 6), (BODY + 10, 4)]
    assert "应写作“（一）”" in found[0].message
    assert "应写作“1.”" in found[1].message
    assert "应写作“二、”" in found[2].message
    assert codes(body, "S201") == []
    assert codes(body, "S202") == []


def test_run_in_paragraph_numbers():
    body = "## 一、甲\n\n（一）加强领导。成立专班。\n\n（二）完善机制。\n\n（四）强化督查。\n\n## 二、乙\n\n（一）新的一节重新编号。\n"
    found = where(md(body), "S201")
    assert found == [("S201", BODY + 6, 1)]


def test_run_in_lower_levels_restart():
    body = "（一）加强领导。\n\n1.成立专班。\n\n2.建立台账。\n\n（二）完善机制。\n\n1.每周调度。\n\n3.季度通报。\n"
    assert where(md(body), "S201") == [("S201", BODY + 10, 1)]
    assert codes("1、成立专班。\n\n2、建立台账。", "S203") == ["S203", "S203"]


@pytest.mark.parametrize(
    "text",
    [
        "一、二季度经济运行平稳。",
        "1.5万名群众参与评议。",
        "2018年是改革开放40周年。",
    ],
)
def test_paragraph_starts_that_are_not_numbers(text):
    assert codes(text) == []


# --------------------------------------------------------------------------- 一是 / 第一


def test_yishi_skip_and_repeat():
    line = "一是建立台账；二是明确责任；四是强化督查。"
    found = findings(md(line), codes="S204")
    assert [(d.line, d.column) for d in found] == [(BODY, line.index("四是") + 1)]
    assert "应为“三是”" in found[0].message
    assert codes("一是建立台账；二是明确责任；二是强化督查。", "S204") == ["S204"]
    assert codes("二是明确责任；三是强化督查。", "S204") == ["S204"]
    assert codes("一是建立台账；一是明确责任。", "S204") == ["S204"]


def test_yishi_across_paragraphs_of_a_section():
    body = "一是建立台账。\n\n二是明确责任。\n\n三是强化督查。\n\n## 二、乙\n\n一是新的列举。"
    assert codes(body, "S204") == []
    assert codes("一是建立台账。\n\n三是强化督查。", "S204") == ["S204"]


@pytest.mark.parametrize(
    "text",
    [
        "一是建立台账，**二是**明确责任，三是强化督查。",
        "坚持标准统一是关键，唯一是底线。",
        "做到一是一、二是二，实事求是。",
        "一是抓学习；二是抓落实。下一段又说，一是抓宣传；二是抓考核。",
    ],
)
def test_yishi_correct(text):
    assert codes(text, "S204") == []


def test_diyi_sequence():
    line = "第一，建立台账；第二，明确责任；第四，强化督查。"
    assert where(md(line), "S205") == [("S205", BODY, line.index("第四") + 1)]
    assert codes("第一，建立台账；第二，明确责任；第三，强化督查。", "S205") == []
    assert codes("该街道排名全市第一，第一季度各项指标领先。", "S205") == []
    assert codes("第一，建立台账；第一，明确责任。", "S205") == ["S205"]


def test_setext_headings_count_as_headings():
    body = "一、提高政治站位\n========\n\n正文。\n\n三、强化督查\n--------\n"
    assert where(md(body), "S201") == [("S201", BODY + 5, 1)]
