"""Content rules C301-C308: dates, lengths, banned words, 供稿单位 variants."""

from __future__ import annotations

import pytest

from briefing.model import CheckSettings
from briefing.proofread import proofread_issue
from briefing.rules import Reporter
from tests.proofread.conftest import findings, make_article, md, where

BODY = 5


def codes(body: str, prefix: str = "C", checks: CheckSettings | None = None) -> list[str]:
    return [d.code for d in findings(md(body), checks, prefix)]


@pytest.mark.parametrize(
    "text",
    [
        "会议定于2月30日召开。",
        "计划13月完成。",
        "于3月32日前上报。",
        "2019年2月29日召开。",
        "0月启动。",
        "4月31日截止。",
    ],
)
def test_impossible_dates(text):
    assert codes(text) == ["C301"]


@pytest.mark.parametrize(
    "text",
    [
        "2020年2月29日召开。",
        "会议于2月29日召开。",
        "2018年12月20日印发。",
        "历时3个月。",
        "12月份完成。",
        "18年来坚持不懈。",
        "3月5日至8日举办。",
    ],
)
def test_possible_dates(text):
    assert codes(text) == []


def test_impossible_date_message_and_column():
    line = "经研究，定于2019年2月29日召开。"
    found = findings(md(line), codes="C301")
    assert (found[0].line, found[0].column) == (BODY, line.index("29日") + 1)
    assert "2019年2月没有29日（该年不是闰年）" in found[0].message


def test_leading_zeros():
    line = "2018年03月05日召开会议。"
    found = findings(md(line), codes="C302")
    assert [d.column for d in found] == [line.index("03") + 1, line.index("05") + 1]
    assert "应写“3月”" in found[0].message
    assert codes("2018年3月5日召开会议，10月10日总结。", "C302") == []


def test_two_digit_year():
    found = findings(md("18年3月启动试点。"), codes="C303")
    assert len(found) == 1
    assert "2018年" in found[0].message
    assert codes("18年来坚持不懈，共走访3个月。", "C303") == []
    assert codes("服刑18年3个月。", "C303") == []


def test_lost_date_units():
    found = findings(md("于2020810日召开，202011月份完成，2020年811日验收。"), codes="C304")
    assert [d.message.split("应为")[1] for d in found] == [
        "“2020年8月10日”",
        "“2020年11月”",
        "“8月11日”",
    ]
    assert codes("累计服务12000日，投资20000月。", "C304") == []


def test_a_year_run_into_a_month_range() -> None:
    found = findings(md("20191-3月完成，201911—12月验收，20194-2月不成立。"), codes="C304")
    assert [d.message for d in found] == [
        "“20191-3月”疑似漏写了“年”“月”，应为“2019年1—3月”",
        "“201911—12月”疑似漏写了“年”“月”，应为“2019年11—12月”",
    ]
    assert [d.column for d in found] == [1, 12]
    assert codes("12345-6月，2019年1-3月。", "C304") == []
    assert codes("电话12345日夜值守。", "C304") == []


def test_full_width_date_is_still_checked():
    assert codes("２月３０日", "C301") == ["C301"]


def test_title_length():
    checks = CheckSettings(max_title_length=10)
    article = md("正文。", title="关于进一步深化行政审批制度改革的报告")
    assert where(article, "C305", checks) == [("C305", 2, 8)]
    assert where(md("正文。", title="审批改革见成效"), "C305", checks) == []


def test_article_length():
    checks = CheckSettings(max_article_length=20)
    assert codes(
        "今年以来，街道坚持问题导向，扎实推进各项工作，取得明显成效。", "C306", checks
    ) == ["C306"]
    assert codes("今年以来，街道扎实推进各项工作。", "C306", checks) == []
    found = findings(
        md("\n\n今年以来，街道坚持问题导向，扎实推进各项工作，取得明显成效。"), checks, "C306"
    )
    assert (found[0].line, found[0].column) == (BODY + 2, 1)


def test_banned_words():
    checks = CheckSettings(banned_words=("亮点纷呈", "史无前例"))
    line = "今年工作亮点纷呈，取得史无前例的成绩，亮点纷呈。"
    found = findings(md(line, title="工作亮点纷呈"), checks, "C307")
    assert [(d.line, d.column) for d in found] == [
        (2, 8 + 2),
        (BODY, line.index("亮点") + 1),
        (BODY, line.index("史无") + 1),
        (BODY, line.rindex("亮点") + 1),
    ]
    assert codes("今年工作成效明显。", "C307", checks) == []


def test_source_variants_across_an_issue():
    from pathlib import Path

    articles = [
        make_article("---\ntitle: 甲\nsource: 交警五大队\n---\n正文。", Path("a.md")),
        make_article("---\ntitle: 乙\nsource: 交警5大队\n---\n正文。", Path("b.md")),
        make_article("---\ntitle: 丙\nsource: 交警五大队\n---\n正文。", Path("c.md")),
        make_article("---\ntitle: 丁\nsource: 交警 六大队\n---\n正文。", Path("d.md")),
        make_article("---\ntitle: 戊\nsource: 交警六大队\n---\n正文。", Path("e.md")),
        make_article("---\ntitle: 己\nsource: 行政审批局\n---\n正文。", Path("f.md")),
        make_article("---\ntitle: 庚\nsource: 市行政审批局\n---\n正文。", Path("g.md")),
    ]
    reporter = Reporter()
    proofread_issue(articles, reporter, CheckSettings())
    found = reporter.sorted()
    assert [(d.code, d.path.name, d.line, d.column) for d in found] == [
        ("C308", "b.md", 3, 9),
        ("C308", "e.md", 3, 9),
    ]
    assert "“交警5大队”与 a.md 中的“交警五大队”" in found[0].message
