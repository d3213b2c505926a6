"""Names typed on the command line: the longest accepted, the first refused, the whole message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import UsageError
from briefing.identifiers import issue_folder_name

runner = CliRunner()

REFUSED_LABEL = "不可用：只能由汉字、字母、数字组成（不超过 20 个字），不能包含 / . - 空格或换行"


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    return next(line for line in result.output.splitlines() if line.startswith("错误："))


def test_a_special_label_of_twenty_characters_is_the_longest(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "new-issue", "--date", "2018-12-25", "--special", "专" * 20)
    assert result.exit_code == 0, result.output
    assert (good_workspace / "issues" / f"2018-{'专' * 20}-01" / "issue.yaml").is_file()
    refused = run("-C", good_workspace, "new-issue", "--date", "2018-12-26", "--special", "刊" * 21)
    assert error_line(refused) == f"错误：专刊名称“{'刊' * 21}”{REFUSED_LABEL}"


def test_a_refused_label_is_shown_safely_and_at_most_forty_characters(
    good_workspace: Path,
) -> None:
    control = run("-C", good_workspace, "new-issue", "--date", "2018-12-25", "--special", "甲\a乙")
    assert error_line(control) == f"错误：专刊名称“甲?乙”{REFUSED_LABEL}"
    long = "一二三四五六七八九十" * 5
    shown = run("-C", good_workspace, "new-issue", "--date", "2018-12-25", "--special", long)
    assert error_line(shown) == f"错误：专刊名称“{long[:40]}”{REFUSED_LABEL}"
    assert sorted(p.name for p in (good_workspace / "issues").iterdir()) == ["2018-028"]


def test_an_issue_folder_name_of_48_characters_is_the_longest() -> None:
    assert issue_folder_name("年" * 48) == "年" * 48
    with pytest.raises(UsageError) as refused:
        issue_folder_name("年" * 49)
    assert str(refused.value) == (
        f"期刊目录名“{'年' * 40}”不可用（过长或含有路径分隔符、控制字符）；期号或年份是否写错了？"
    )


def test_a_slug_of_sixty_characters_is_the_longest(good_workspace: Path) -> None:
    issue = good_workspace / "issues" / "2018-028"
    args = ("-C", good_workspace, "new-article", "--title", "标题", "--source", "局", "--slug")
    assert run(*args, "x" * 60).exit_code == 0
    assert (issue / f"02-{'x' * 60}.md").is_file()
    assert error_line(run(*args, "y" * 61)) == "错误：--slug 过长（超过 60 个字符）"
    assert sorted(p.name for p in issue.glob("*.md")) == ["01-grid.md", f"02-{'x' * 60}.md"]


def test_a_title_of_two_hundred_characters_is_the_longest(good_workspace: Path) -> None:
    args = ("-C", good_workspace, "new-article", "--source", "局", "--title")
    assert run(*args, "标" * 200).exit_code == 0
    assert error_line(run(*args, "题" * 201)) == "错误：标题过长（超过 200 个字）"
    column = run(
        "-C",
        good_workspace,
        "new-article",
        "--title",
        "标题",
        "--source",
        "局",
        "--column",
        "栏\n目",
    )
    assert error_line(column) == "错误：栏目中不能有换行或控制字符"
