"""Content rules C301-C308, finding by finding: code, offsets and whole message.

Each case pins one decision of ``briefing/proofread/content.py`` (found by mutation testing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.model import CheckSettings, SourceText
from briefing.proofread import content
from briefing.proofread.core import body_segment, field_segment
from tests.proofread.conftest import make_article

PATH = Path("issues/2018-028/article.md")


def body_findings(body: str, checks: CheckSettings | None = None) -> list[tuple]:
    segment = body_segment(SourceText(body, PATH, 5))
    found = content.check(segment, checks or CheckSettings())
    return [(f.code, f.start, f.end, f.message) for f in found]


CASES = [
    ("20201010日", [("C304", 0, 9, "“20201010日”疑似漏写了“年”“月”，应为“2020年10月10日”")]),
    ("20200101日", [("C304", 0, 9, "“20200101日”疑似漏写了“年”“月”，应为“2020年1月1日”")]),
    ("2020131日", [("C304", 0, 8, "“2020131日”疑似漏写了“年”“月”，应为“2020年1月31日”")]),
    ("2020810号", [("C304", 0, 8, "“2020810号”疑似漏写了“年”“月”，应为“2020年8月10日”")]),
    (
        "13月完成，2月30日召开",
        [
            ("C301", 0, 2, "“13月”：没有13月，月份应为1—12"),
            ("C301", 8, 10, "“2月30日”：2月没有30日，最多29日"),
        ],
    ),
    ("3月完成，2月30日", [("C301", 7, 9, "“2月30日”：2月没有30日，最多29日")]),
    ("209912日", [("C304", 0, 7, "“209912日”疑似漏写了“年”“月”，应为“2099年1月2日”")]),
    (
        "2020999日，2020810日",
        [("C304", 9, 17, "“2020810日”疑似漏写了“年”“月”，应为“2020年8月10日”")],
    ),
    ("2020年811日验收。", [("C304", 5, 9, "“811日”疑似漏写了“年”“月”，应为“8月11日”")]),
    ("2020年1010日", [("C304", 5, 10, "“1010日”疑似漏写了“年”“月”，应为“10月10日”")]),
    (
        "18年3月启动试点。",
        [("C303", 0, 3, "“18年3月启”：年份应写全称，如“2018年”，不简写为“18年”")],
    ),
    ("99年3月", [("C303", 0, 3, "“99年3月”：年份应写全称，如“2099年”，不简写为“99年”")]),
    (
        "2018年03月05日召开会议。",
        [
            ("C302", 5, 7, "“2018年03月05日”：月、日不编虚位，应写“3月”，不写“03月”"),
            ("C302", 8, 10, "“2018年03月05日”：月、日不编虚位，应写“5日”，不写“05日”"),
        ],
    ),
    ("3月05日", [("C302", 2, 4, "“3月05日”：月、日不编虚位，应写“5日”，不写“05日”")]),
    (
        "2019年2月29日召开。",
        [("C301", 7, 9, "“2019年2月29日”：2019年2月没有29日（该年不是闰年），最多28日")],
    ),
    (
        "x2019年2月29日",
        [("C301", 8, 10, "“2019年2月29日”：2019年2月没有29日（该年不是闰年），最多28日")],
    ),
    ("会议于2月30日召开。", [("C301", 5, 7, "“2月30日”：2月没有30日，最多29日")]),
    ("计划13月完成。", [("C301", 2, 4, "“13月”：没有13月，月份应为1—12")]),
    ("0月启动。", [("C301", 0, 1, "“0月”：没有0月，月份应为1—12")]),
    ("4月31日截止。", [("C301", 2, 4, "“4月31日”：4月没有31日，最多30日")]),
    ("2019年4月31日", [("C301", 7, 9, "“2019年4月31日”：2019年4月没有31日，最多30日")]),
    ("1月32日", [("C301", 2, 4, "“1月32日”：1月没有32日，最多31日")]),
    ("12月32日", [("C301", 3, 5, "“12月32日”：12月没有32日，最多31日")]),
    ("2月0日", [("C301", 2, 3, "“2月0日”：2月没有0日，最多29日")]),
    ("1月31日", []),
    ("12月", []),
    ("1.5月", []),
    ("112月", []),
    ("2020年2月29日", []),
    (
        "２０１９年２月２９日",
        [("C301", 7, 9, "“２０１９年２月２９日”：2019年2月没有29日（该年不是闰年），最多28日")],
    ),
    (
        "于2020810日召开，202011月份完成，2020年811日验收。",
        [
            ("C304", 1, 9, "“2020810日”疑似漏写了“年”“月”，应为“2020年8月10日”"),
            ("C304", 12, 19, "“202011月”疑似漏写了“年”“月”，应为“2020年11月”"),
            ("C304", 28, 32, "“811日”疑似漏写了“年”“月”，应为“8月11日”"),
        ],
    ),
    (
        "2020111日",
        [("C304", 0, 8, "“2020111日”疑似漏写了“年”“月”，应为“2020年1月11日”或“2020年11月1日”之一")],
    ),
    ("2021229日", []),
    ("202013月", []),
    ("189912月", []),
    ("209912月", [("C304", 0, 7, "“209912月”疑似漏写了“年”“月”，应为“2099年12月”")]),
    ("210012月", []),
    ("190011日", [("C304", 0, 7, "“190011日”疑似漏写了“年”“月”，应为“1900年1月1日”")]),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_date_findings_exactly(body, expected):
    assert body_findings(body) == expected


def test_banned_words_every_occurrence_of_every_word():
    checks = CheckSettings(banned_words=("亮点", "", "亮点纷呈", "史无前例"))
    message = "“{}”在禁用词表中（briefing.yaml 的 checks.banned_words），请改写或删除"
    # equally long words come in set order: compare sorted
    assert sorted(body_findings("今年亮点纷呈，**亮点**突出，史无前例。", checks)) == [
        ("C307", 2, 4, message.format("亮点")),
        ("C307", 2, 6, message.format("亮点纷呈")),
        ("C307", 9, 11, message.format("亮点")),
        ("C307", 16, 20, message.format("史无前例")),
    ]


def test_title_length_counts_non_space_characters():
    checks = CheckSettings(max_title_length=5)
    title = field_segment("title", SourceText("关于 深化改革的报告", PATH, 2, 8))
    assert list(content.title_length(title, checks)) == [
        content.Finding(
            "C305", 0, 1, "标题共9字，超过了5字的上限（checks.max_title_length），请精简"
        )
    ]
    exact = field_segment("title", SourceText("深化 改革", PATH, 2, 8))
    assert list(content.title_length(exact, CheckSettings(max_title_length=4))) == []


def test_article_length_counts_visible_text_and_points_at_its_start():
    checks = CheckSettings(max_article_length=10)
    body = body_segment(
        SourceText("\n\n  今年以来，街道坚持\u3000问题导向`code`，扎实推进。", PATH, 5)
    )
    assert list(content.article_length(body, checks)) == [
        content.Finding(
            "C306", 4, 5, "正文约19字，超过了10字的上限（checks.max_article_length），请压缩篇幅"
        )
    ]
    at_limit = body_segment(SourceText("今年以来，\t街道坚持\n问", PATH, 5))
    assert list(content.article_length(at_limit, checks)) == []


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("交警五大队", "交警5大队"),
        ("交警 5 大队", "交警5大队"),
        ("交警十五大队", "交警15大队"),
        ("交警二十大队", "交警20大队"),
        ("交警一百零五大队", "交警105大队"),
        ("三〇一室", "301室"),
        ("两百人", "200人"),
        ("十大队", "10大队"),
        ("一百二十人", "120人"),
        ("百人", "100人"),
        ("ＡＢＣ１", "ABC1"),
    ],
)
def test_source_key(source, key):
    assert content.source_key(source) == key


def test_source_variants_name_the_usual_spelling():
    a = make_article("---\ntitle: 甲\nsource: 交警5大队\n---\n正文。", Path("a.md"))
    b = make_article("---\ntitle: 乙\nsource: 交警五大队\n---\n正文。", Path("b.md"))
    c = make_article("---\ntitle: 丙\nsource: 交警五大队\n---\n正文。", Path("c.md"))
    d = make_article("---\ntitle: 丁\n---\n正文。", Path("d.md"))
    assert list(content.source_variants([a, b, c, d])) == [(a, "交警5大队", b)]
    assert list(content.source_variants([b, c])) == []
    e = make_article("---\ntitle: 戊\nsource: 行政审批局\n---\n正文。", Path("e.md"))
    assert list(content.source_variants([e, a, b, c])) == [(a, "交警5大队", b)]


def test_banned_words_longer_first_at_one_place_and_every_occurrence():
    checks = CheckSettings(banned_words=("亮点", "亮点纷呈"))
    found = body_findings("亮点纷呈，亮点，亮点", checks)
    assert [(start, end) for _, start, end, _ in found] == [(0, 4), (0, 2), (5, 7), (8, 10)]
