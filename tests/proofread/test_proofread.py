"""Whole-article behaviour: registry, zero findings on clean prose, suppression, YAML positions."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import Severity
from briefing.markdown import parse_body
from briefing.model import Article, CheckSettings, SourceText
from briefing.proofread import proofread_article
from briefing.rules import RULES, Reporter
from tests.proofread.conftest import findings, make_article, md, where

HERE = Path(__file__).parent
CODES = {
    "T101",
    "T102",
    "T103",
    "T104",
    "T105",
    "T106",
    "T107",
    "T108",
    "T109",
    "T110",
    "T111",
    "T112",
    "T113",
    "S201",
    "S202",
    "S203",
    "S204",
    "S205",
    "C301",
    "C302",
    "C303",
    "C304",
    "C305",
    "C306",
    "C307",
    "C308",
    "C309",
    "C310",
    "C311",
    "C312",
}


def test_every_rule_is_registered_as_a_warning_with_a_chinese_summary():
    ours = {code: rule for code, rule in RULES.items() if code[0] in "TSC"}
    assert set(ours) == CODES
    for code, rule in ours.items():
        assert rule.severity is Severity.WARNING
        assert rule.category == {"T": "标点", "S": "结构", "C": "内容"}[code[0]]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.summary)
    fixable = {"T101", "T104", "T106", "T107", "T110", "T111", "T112", "C309"}
    assert {c for c, r in ours.items() if r.fixable} == fixable


def test_clean_article_has_zero_findings():
    text = (HERE / "clean_article.md").read_text(encoding="utf-8")
    article = make_article(text)
    assert len(article.body.text) > 1300
    checks = CheckSettings(banned_words=("史无前例",))
    assert findings(article, checks) == []


def test_severity_override_off_drops_a_rule():
    reporter = Reporter({"T101": "off"})
    proofread_article(md("今年以来,街道…"), reporter, CheckSettings())
    assert [d.code for d in reporter.diagnostics] == ["T106"]


def test_markdown_suppression_comments():
    body = (
        "第一行,保留 <!-- briefing-disable T101 -->\n"
        "<!-- briefing-disable-next-line T101,T106 -->\n"
        "第三行,也保留...\n"
        "第四行,报告...<!-- briefing-disable T108 -->\n"
        "<!-- briefing-disable-next-line -->\n"
        "第六行,全部保留...\n"
    )
    assert where(md(body)) == [("T101", 8, 4), ("T106", 8, 7)]


def test_yaml_comment_suppression_in_front_matter(tmp_path):
    text = "---\ntitle: 街道推进改革。 # briefing-disable T109\nsource: 行政审批局\n---\n正文。\n"
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    article = make_article(text, path)
    assert findings(article) == []
    plain = text.replace(" # briefing-disable T109", "")
    assert where(make_article(plain, tmp_path / "missing.md")) == [("T109", 2, 14)]


def test_yaml_article_positions_and_suppression(tmp_path):
    text = (
        "title: 交警五大队开展护学行动, 守护平安  # briefing-disable T108\n"
        "source: 交警五大队\n"
        "body: |\n"
        "  今年以来,大队在辖区学校设立护学岗。\n"
        "\n"
        "  一是早到岗;三是晚离岗。\n"
    )
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    body_text = "今年以来,大队在辖区学校设立护学岗。\n\n一是早到岗;三是晚离岗。\n"
    body = SourceText(body_text, path, 4, 3, 2)
    blocks, _, _ = parse_body(body, tmp_path)
    article = Article(
        path=path,
        title="交警五大队开展护学行动, 守护平安",
        source="交警五大队",
        blocks=blocks,
        body=body,
        fields={
            "title": SourceText("交警五大队开展护学行动, 守护平安", path, 1, 8),
            "source": SourceText("交警五大队", path, 2, 9),
        },
    )
    assert where(article) == [("T101", 1, 19), ("T101", 4, 7), ("T101", 6, 8), ("S204", 6, 9)]
    lines = text.split("\n")
    assert lines[3][6] == ","
    assert lines[5][7] == ";"
    assert lines[5][8:10] == "三是"
