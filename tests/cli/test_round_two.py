"""Proofreading round two end to end: settings (checks.words, words_off, people), severity,
suppression comments, ``briefing rules``, ``check --fix``, and the unclosed YAML flow list."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefing.check import check_workspace
from briefing.cli import app
from briefing.errors import Severity
from tests.conftest import BASE_CONFIG, WorkspaceFactory, issue_yaml

runner = CliRunner()
ISSUE = "issues/2018-028/"
ARTICLE = """\
---
title: 新区文体中心已峻工
source: 社会事业局
---

截止目前，文体中心已峻工，1-10月接待群众3千人次。

区委副书记王建国到场调研。
"""
PEOPLE = """\
checks:
  words: {帐薄: 账簿}
  words_off: [凑和]
  people:
    - {name: 王建国, titles: [区委书记]}
    - name: 李明
      titles: 区长
"""


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def workspace(make_workspace: WorkspaceFactory, article: str = ARTICLE, extra: str = "") -> Path:
    return make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": article},
        config=BASE_CONFIG + extra,
    )


def codes(root: Path) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in check_workspace(root).diagnostics]


def test_check_reports_the_new_rules_with_file_and_line(make_workspace: WorkspaceFactory) -> None:
    root = workspace(make_workspace, extra=PEOPLE)
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output  # warnings only
    out = result.output
    title, body, leader = ARTICLE.split("\n")[1], ARTICLE.split("\n")[5], ARTICLE.split("\n")[7]

    def at(line: int, text: str, needle: str, code: str) -> str:
        return f"{ISSUE}01.md:{line}:{text.index(needle) + 1}: {code}"

    assert at(2, title, "峻工", "C309") in out and "应为“竣工”" in out
    assert at(6, body, "截止", "C310") in out
    assert at(6, body, "峻工", "C309") in out
    assert at(6, body, "-", "T110") in out
    assert at(6, body, "3千", "T112") in out
    assert at(8, leader, "王建国", "C311") in out and "文中写作“区委副书记”" in out


def test_workspace_words_extend_and_switch_off_the_list(make_workspace: WorkspaceFactory) -> None:
    article = ARTICLE.replace("已峻工，", "凑和着用帐薄，")
    found = codes(workspace(make_workspace, article, PEOPLE))
    assert ("C309", 6) in found  # 帐薄 (added); 凑和 switched off
    assert [c for c in found if c == ("C309", 6)] == [("C309", 6)]


def test_severity_and_disable_comments_apply(make_workspace: WorkspaceFactory) -> None:
    extra = "checks:\n  severity: {C309: error, T110: off, C310: off, T112: off}\n"
    article = ARTICLE.replace(
        "区委副书记王建国到场调研。", "文体中心已峻工。<!-- briefing-disable C309 -->"
    )
    root = workspace(make_workspace, article, extra)
    found = check_workspace(root).diagnostics
    assert [(d.code, d.line, d.severity) for d in found] == [
        ("C309", 2, Severity.ERROR),
        ("C309", 6, Severity.ERROR),
    ]
    assert run("-C", root, "check").exit_code == 1


def test_rules_lists_every_new_rule() -> None:
    result = run("rules")
    assert result.exit_code == 0
    for code in ("T110", "T111", "T112", "T113", "C309", "C310", "C311", "C312"):
        assert code in result.output


def test_fix_writes_only_the_unambiguous_replacements(make_workspace: WorkspaceFactory) -> None:
    root = workspace(make_workspace)
    article = root / ISSUE / "01.md"
    result = run("-C", root, "check", "--diff")
    body = ARTICLE.split("\n")[5]
    assert f"{ISSUE}01.md:6:{body.index('峻工') + 1}: C309 “峻工” → “竣工”" in result.output
    assert f"{ISSUE}01.md:6:{body.index('-') + 1}: T110 “-” → “—”" in result.output
    result = run("-C", root, "check", "--fix")
    assert result.exit_code == 0, result.output
    text = article.read_text(encoding="utf-8")
    assert "title: 新区文体中心已竣工" in text
    assert "截止目前，文体中心已竣工，1—10月接待群众3000人次。" in text  # 截止 is not fixed
    assert "C310" in result.output  # …it is still reported
    assert run("-C", root, "check", "--fix").output.startswith("没有可自动修正的内容")


def test_fix_honours_severity_off_and_the_workspace_list(make_workspace: WorkspaceFactory) -> None:
    extra = "checks:\n  severity: {T110: off}\n  words: {接待群众: 接待市民}\n  words_off: [峻工]\n"
    root = workspace(make_workspace, extra=extra)
    assert run("-C", root, "check", "--fix").exit_code == 0
    text = (root / ISSUE / "01.md").read_text(encoding="utf-8")
    assert "已峻工，1-10月接待市民3000人次" in text


def test_bad_word_and_people_settings_are_located(make_workspace: WorkspaceFactory) -> None:
    extra = (
        "checks:\n"
        "  words: {峻工: 峻工, 帐 薄: 账簿}\n"
        "  people:\n"
        "    - {titles: [区长]}\n"
        "    - {name: 王, titles: [区长]}\n"
        "    - 李明\n"
    )
    root = workspace(make_workspace, extra=extra)
    found = [
        (d.code, d.line, d.message) for d in check_workspace(root).diagnostics if d.code[0] == "M"
    ]
    assert [(code, line) for code, line, _ in found] == [
        ("M003", 15),
        ("M001", 17),
        ("M003", 18),
        ("M003", 19),
    ]
    assert "错误写法与正确写法相同" in found[0][2]
    assert "缺少必填字段“checks.people[1].name”" in found[1][2]
    assert "2–6个字" in found[2][2]


def test_an_unclosed_flow_list_is_reported_where_it_opens(make_workspace: WorkspaceFactory) -> None:
    article = "---\ntitle: 标题\ncolumn: [动态, 经验\nsource: 局\nnote: 按\n---\n正文。\n"
    root = workspace(make_workspace, article)
    (d,) = [d for d in check_workspace(root).diagnostics if d.code == "F002"]
    assert (d.line, d.column) == (3, 9)
    assert d.message == (
        "YAML 语法错误：这一行开始的方括号列表没有闭合（到第 4 行仍没有“]”），或其中的项之间缺少逗号"
    )


def test_an_unclosed_flow_mapping_in_settings_is_reported_where_it_opens(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml()},
        config="name: 测试\nissuer: 办\ndistribution: {报: 区领导,\n  发: 各部门\ncopies: 3\n",
    )
    (d,) = [d for d in check_workspace(root).diagnostics if d.code == "F002"]
    assert (d.path.name if d.path else "", d.line, d.column) == ("briefing.yaml", 3, 15)
    assert "花括号映射没有闭合" in d.message
