"""Assembling a Bulletin: order, columns, table of contents, 版记 overrides, name padding."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.assemble import (
    assemble,
    order_articles,
    pad_name,
    printed_note,
    printed_source,
    printed_subtitle,
)
from briefing.load import load_settings
from briefing.model import Article, EditorNote, Issue, SourceText
from briefing.rules import Reporter


def article(
    name: str, title: str, *, order: int | None = None, column: str | None = None
) -> Article:
    path = Path("/ws/issues/2018-028") / name
    return Article(
        path=path,
        title=title,
        source="局",
        blocks=(),
        body=SourceText("", path, 1),
        order=order,
        column=column,
    )


def issue(**kw: object) -> Issue:
    base = dict(
        id="2018-028",
        dir=Path("/ws/issues/2018-028"),
        year=2018,
        number=28,
        date=dt.date(2018, 12, 20),
        total=646,
    )
    base.update(kw)
    return Issue(**base)  # type: ignore[arg-type]


def titles(items: list[Article]) -> list[str]:
    return [a.title for a in items]


def test_order_front_matter_then_issue_list_then_file_name() -> None:
    arts = [
        article("01.md", "甲"),
        article("02.md", "乙"),
        article("03.md", "丙", order=1),
        article("04.md", "丁"),
    ]
    ordered = order_articles(issue(order=("04.md", "02.md")), arts)
    assert titles(ordered) == ["丙", "丁", "乙", "甲"]


def test_columns_group_in_order_of_first_appearance() -> None:
    arts = [
        article("01.md", "甲", column="工作动态"),
        article("02.md", "乙", column="基层信息"),
        article("03.md", "丙", column="工作动态"),
    ]
    assert titles(order_articles(issue(), arts)) == ["甲", "丙", "乙"]


def test_pad_two_character_names() -> None:
    assert pad_name("王军") == "王\u3000军"
    assert pad_name("李明远") == "李明远"
    assert pad_name("王军、张三丰") == "王\u3000军、张三丰"
    assert pad_name("欧阳明日") == "欧阳明日"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="王军李明远一丁、（）ab \u3000\u4dff\ua000", max_size=12))
def test_pad_name_widens_exactly_the_two_hanzi_runs(name: str) -> None:
    # the rule as a regular expression: two hanzi with no hanzi on either side
    two = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])([\u4e00-\u9fff])(?![\u4e00-\u9fff])")
    assert pad_name(name) == two.sub(lambda m: f"{m.group(1)}\u3000{m.group(2)}", name)


def test_bulletin_fields(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    arts = [article("01.md", "甲", column="工作动态"), article("02.md", "乙", column="经验交流")]
    bulletin = assemble(settings, issue(), arts, draft=True)
    assert bulletin.issue_label == "第二十八期（总第646期）"
    assert bulletin.date_text == "2018年12月20日"
    assert bulletin.uses_columns
    assert [(g.column, [e.title for e in g.entries]) for g in bulletin.toc] == [
        ("工作动态", ["甲"]),
        ("经验交流", ["乙"]),
    ]
    assert [a.anchor for a in bulletin.articles] == ["article-1", "article-2"]
    assert [(x.label, x.text) for x in bulletin.distribution] == [
        ("报", "区领导"),
        ("发", "各部门"),
    ]
    assert [(x.label, x.text) for x in bulletin.credits] == [
        ("编辑", "李明远"),
        ("签发", "王\u3000军"),
    ]
    assert bulletin.copies_text == "共印120份"
    assert bulletin.draft and bulletin.readership == "（领导参阅）"


def test_imprint_labels_print_one_colon(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    override = issue(
        distribution=(("报：", "委领导"), ("发:", "各部门")), credits=(("编辑 ：", "赵敏"),)
    )
    bulletin = assemble(settings, override, [article("01.md", "甲")])
    assert [x.heading for x in bulletin.distribution] == ["报：", "发："]
    assert [x.heading for x in bulletin.credits] == ["编辑："]


def test_issue_overrides_distribution_credits_and_copies(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    override = issue(distribution=(("送", "市委办公厅"),), credits=(("编辑", "赵敏"),), copies=30)
    bulletin = assemble(settings, override, [article("01.md", "甲")])
    assert [(x.label, x.text) for x in bulletin.distribution] == [("送", "市委办公厅")]
    assert [(x.label, x.text) for x in bulletin.credits] == [("编辑", "赵\u3000敏")]
    assert bulletin.copies_text == "共印30份"
    assert not bulletin.uses_columns


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("重点项目纪实", "——重点项目纪实"),
        ("-重点项目纪实", "——重点项目纪实"),
        ("——重点项目纪实", "——重点项目纪实"),
        ("—— 重点项目纪实", "——重点项目纪实"),
        ("－重点项目纪实", "——重点项目纪实"),
        ("  ", None),
        ("——", None),
        (None, None),
    ],
)
def test_printed_subtitle(written: str | None, printed: str | None) -> None:
    assert printed_subtitle(written) == printed


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("建设管理局", "（建设管理局）"),
        ("(建设管理局)", "（建设管理局）"),
        ("（建设管理局）", "（建设管理局）"),
        ("（建设管理局)", "（建设管理局）"),
        ("区委办(研究室)", "（区委办（研究室））"),
        ("（甲）乙（丙）", "（（甲）乙（丙））"),
        ("()", None),
        ("", None),
        (None, None),
    ],
)
def test_printed_source(written: str | None, printed: str | None) -> None:
    assert printed_source(written) == printed


@pytest.mark.parametrize(
    ("written", "label", "paragraphs"),
    [
        ("按语：要点。", "按语：", ("要点。",)),
        ("编者按：要点。", "编者按：", ("要点。",)),
        ("编者按:要点。", "编者按：", ("要点。",)),
        ("要点。\n\n第二段。", "编者按：", ("要点。", "第二段。")),
        ("  编者的话：  第一段\n第二段", "编者的话：", ("第一段", "第二段")),
    ],
)
def test_printed_note(written: str, label: str, paragraphs: tuple[str, ...]) -> None:
    assert printed_note(written) == EditorNote(label, paragraphs)
    assert printed_note("  \n") is None
    assert printed_note("编者按：\n") is None


def test_column_labels_before_each_group_and_in_the_toc(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    arts = [
        article("01.md", "甲", column="工作动态"),
        article("02.md", "乙", column="工作动态"),
        article("03.md", "丙"),
    ]
    bulletin = assemble(settings, issue(), arts)
    assert [a.column_label for a in bulletin.articles] == ["【工作动态】", None, "【其他】"]
    assert [g.label for g in bulletin.toc] == ["【工作动态】", "【其他】"]
    plain = assemble(settings, issue(), [article("01.md", "甲")])
    assert plain.articles[0].column_label is None and plain.toc[0].label is None
    assert plain.date == dt.date(2018, 12, 20)
    assert plain.articles[0].source == "（局）"
