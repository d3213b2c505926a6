"""briefing.proofread's entry points: which texts are read, in which order, reported where."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefing.model import CheckSettings, SourceText
from briefing.proofread import article_segments, proofread_article, proofread_issue
from briefing.rules import Reporter
from tests.proofread.conftest import PATH, make_article


def diagnostics(reporter: Reporter) -> list[tuple[str, Path | None, int | None, int | None, str]]:
    return [(d.code, d.path, d.line, d.column, d.message) for d in reporter.sorted()]


def test_segments_come_in_a_fixed_field_order_and_skip_body_order_and_empty_values() -> None:
    article = make_article(
        "---\nmemo: 东区\nnote: 附注\nauthor: 张三\ncolumn: 专栏\nsource: 局\n"
        "subtitle: 副题\ntitle: 标题\n---\n正文。"
    )
    fields = {
        **article.fields,
        "order": SourceText("1", PATH, 20),
        "empty": SourceText("", PATH, 21),
    }
    article = dataclasses.replace(article, fields=fields)
    names = [segment.name for segment in article_segments(article)]
    assert names == ["title", "subtitle", "source", "column", "author", "note", "memo", "body"]


def test_a_title_without_its_own_field_is_read_at_line_1() -> None:
    article = dataclasses.replace(make_article("---\nsource: 局\n---\n正文。"), title="标题。")
    first = article_segments(article)[0]
    assert (first.name, first.source) == ("title", SourceText("标题。", PATH, 1))
    reporter = Reporter()
    proofread_article(article, reporter, CheckSettings())
    assert diagnostics(reporter) == [
        (
            "T109",
            PATH,
            1,
            3,
            "标题“标题。”末尾不应加标点“。”（问号、叹号、引号、书名号、括号除外）",
        )
    ]


def _article(folder: Path, name: str, source_line: str) -> object:
    text = f"---\ntitle: 标题{name}\n{source_line}\n---\n正文。\n"
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return make_article(text, path)


def test_source_variants_are_reported_at_the_source_field(tmp_path: Path) -> None:
    usual = [_article(tmp_path, f"0{n}", "source: 交警五大队") for n in (1, 2)]
    odd = _article(tmp_path, "03", "source: 交警5大队")
    reporter = Reporter()
    proofread_issue([*usual, odd], reporter, CheckSettings())
    assert diagnostics(reporter) == [
        (
            "C308",
            tmp_path / "03.md",
            3,
            9,
            "供稿单位“交警5大队”与 01.md 中的“交警五大队”是同一单位的不同写法，请统一",
        )
    ]


def test_a_source_without_its_own_field_is_reported_at_line_1(tmp_path: Path) -> None:
    usual = [_article(tmp_path, f"0{n}", "source: 交警五大队") for n in (1, 2)]
    odd = dataclasses.replace(_article(tmp_path, "03", "column: 动态"), source="交警5大队")
    reporter = Reporter()
    proofread_issue([*usual, odd], reporter, CheckSettings())
    assert [(d.code, d.path, d.line, d.column) for d in reporter.sorted()] == [
        ("C308", tmp_path / "03.md", 1, 1)
    ]


def test_a_suppressed_variant_does_not_hide_the_next_one(tmp_path: Path) -> None:
    usual = [_article(tmp_path, f"0{n}", "source: 交警五大队") for n in (1, 2, 3)]
    hidden = _article(tmp_path, "04", "source: 交警5大队  # briefing-disable C308")
    other_code = _article(tmp_path, "05", "source: 交警5大队  # briefing-disable T101")
    shown = _article(tmp_path, "06", "source: 交警5大队")
    reporter = Reporter()
    proofread_issue([*usual, hidden, other_code, shown], reporter, CheckSettings())
    assert [(d.path, d.line) for d in reporter.sorted()] == [
        (tmp_path / "05.md", 3),
        (tmp_path / "06.md", 3),
    ]


def test_every_line_of_a_yaml_articles_body_is_text_not_a_comment(tmp_path: Path) -> None:
    from briefing.proofread.core import article_suppressions

    path = tmp_path / "a.yaml"
    path.write_text(
        "title: 甲 # briefing-disable T109\n"
        "body: |\n"
        "  第一行\n"
        "  第二行 # briefing-disable T101\n"
        "  第三行 # briefing-disable T102\n"
        "source: 乙 # briefing-disable T103\n",
        encoding="utf-8",
    )
    body = SourceText(
        "第一行\n第二行 # briefing-disable T101\n第三行 # briefing-disable T102", path, 3
    )
    found = article_suppressions(path, body)
    assert found.lines == {1: frozenset({"T109"}), 6: frozenset({"T103"})}
