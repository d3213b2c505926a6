"""End-to-end CLI runs through typer's CliRunner: exit codes, messages, files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import GOOD_ARTICLE, issue_yaml

runner = CliRunner()


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


COMMAND_SUMMARIES = {
    "init": "创建简报工作区：briefing.yaml、issues/ 和 templates/。",
    "new-issue": "分配下一期的期号与总期号，创建期刊目录并显示期号。",
    "new-article": "按模板新建一篇文稿（Markdown），文件名自动编号。",
    "check": "校验工作区、期刊和文稿：字段、期号、图片、标点、结构、内容。",
    "build": "生成一期简报：红头 DOCX、HTML，以及经 LibreOffice 转换的 PDF。",
    "list": "期刊登记簿：期刊目录、期号、日期、文稿数、领导批示数、状态。",
    "rules": "列出全部检查规则：代码、级别、类别和说明。",
    "site": "生成 HTML 归档：按年份列出全部期刊，链接到每期的 HTML。",
    "doctor": "检查本机环境：LibreOffice，以及每种字体角色实际会用到的字体。",
}


def test_help_is_chinese_for_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "编印工作简报：校对文稿、分配期号、生成红头 DOCX / HTML / PDF。" in result.output
    assert "-h, --help" in result.output and "显示此帮助信息并退出。" in result.output
    registered = {
        c.name or c.callback.__name__: (c.callback.__doc__ or "").strip().splitlines()[0]  # type: ignore[union-attr]
        for c in app.registered_commands
    }
    assert set(COMMAND_SUMMARIES) <= set(registered)
    # commands added later must at least have a Chinese one-line summary of their own
    summaries = {**registered, **COMMAND_SUMMARIES}
    for command, summary in summaries.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in summary), command
        listed = next(line for line in result.output.splitlines() if f" {command} " in line)
        assert summary in listed, command
        sub = run(command, "--help")
        assert sub.exit_code == 0, command
        assert summary in sub.output, command
        assert "显示此帮助信息并退出。" in sub.output, command


def test_editor_walkthrough(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    result = run(
        "init",
        root,
        "--name",
        "测试区信息",
        "--issuer",
        "测试区党政办公室",
        "--readership",
        "领导参阅",
        "--editor",
        "李明远",
        "--approver",
        "王军",
    )
    assert result.exit_code == 0, result.output
    result = run("-C", root, "new-issue", "--date", "2018-12-20")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["2018-001", "第一期（总第1期）"]
    for index, (title, source) in enumerate(
        [
            ("街道推行网格化管理", "长河街道"),
            ("审批局压缩开办时间", "行政审批局"),
            ("社区建立议事厅", "新桥社区"),
        ],
        start=1,
    ):
        result = run("-C", root, "new-article", "--title", title, "--source", source)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"issues/2018-001/{index:02d}.md"
    # fresh articles have no body yet: check says so, with locations
    result = run("-C", root, "check")
    assert result.exit_code == 1
    assert "issues/2018-001/01.md:5:1: F004 文稿正文为空" in result.output
    for index in (1, 2, 3):
        path = root / "issues/2018-001" / f"{index:02d}.md"
        path.write_text(
            path.read_text(encoding="utf-8").split("<!--")[0]
            + f"今年以来，各项工作进展顺利，共办理事项{index * 12}件。\n",
            encoding="utf-8",
        )
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output
    result = run("-C", root, "list")
    assert result.exit_code == 0
    assert "第一期（总第1期）" in result.output and "编辑中" in result.output


def test_no_workspace_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert "找不到 briefing.yaml" in result.output
    assert "Traceback" not in result.output


def test_explicit_workspace_must_exist(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "list")
    assert result.exit_code == 2 and "不是简报工作区" in result.output


def test_workspace_found_by_walking_up(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(good_workspace / "issues" / "2018-028")
    result = run("check")
    assert result.exit_code == 0, result.output


def test_new_article_refuses_without_a_terminal(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "new-article", "--title", "标题")
    assert result.exit_code == 2
    assert "缺少供稿单位" in result.output and "--source" in result.output


def test_new_article_into_named_issue_with_column(good_workspace: Path) -> None:
    result = run(
        "-C",
        good_workspace,
        "new-article",
        "--title",
        "标题: 副题",
        "--source",
        "局",
        "--column",
        "工作动态",
        "--issue",
        "2018-028",
        "--slug",
        "grid work",
    )
    assert result.exit_code == 0, result.output
    created = good_workspace / "issues/2018-028/02-grid-work.md"
    assert created.is_file()
    assert 'title: "标题: 副题"' in created.read_text(encoding="utf-8")


def test_new_article_unknown_issue(good_workspace: Path) -> None:
    result = run(
        "-C", good_workspace, "new-article", "--title", "t", "--source", "s", "--issue", "2030-001"
    )
    assert result.exit_code == 2 and "找不到期刊" in result.output


def test_new_issue_bad_date(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "new-issue", "--date", "2018-02-30")
    assert result.exit_code == 2 and "2018-02-30" in result.output


def test_new_issue_special(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "new-issue", "--date", "2018-12-25", "--special", "专刊")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["2018-专刊-01", "专刊第一期"]


def bad_workspace(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE,
            "issues/2018-028/02.md": "---\ntitle: 标题\nsourse: 局\n---\n正文。\n",
        }
    )


def test_check_text_format(make_workspace) -> None:  # type: ignore[no-untyped-def]
    result = run("-C", bad_workspace(make_workspace), "check")
    assert result.exit_code == 1
    assert "issues/2018-028/02.md:3:1: M002 未知字段“sourse”，是不是“source”？" in result.output


def test_check_json_format(make_workspace) -> None:  # type: ignore[no-untyped-def]
    result = run("-C", bad_workspace(make_workspace), "check", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["errors"] >= 1
    first = document["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "code", "severity", "message"}
    assert first["path"] == "issues/2018-028/02.md"


def test_check_github_format(make_workspace) -> None:  # type: ignore[no-untyped-def]
    result = run("-C", bad_workspace(make_workspace), "check", "--format", "github")
    assert result.exit_code == 1
    assert (
        "::error file=issues/2018-028/02.md,line=3,col=1,title=M002::未知字段“sourse”"
        in result.output
    )


def test_check_limited_to_paths(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = bad_workspace(make_workspace)
    assert run("-C", root, "check", root / "issues/2018-028/01.md").exit_code == 0
    assert run("-C", root, "check", root / "issues/2018-028/02.md").exit_code == 1
    assert run("-C", root, "check", root / "nowhere.md").exit_code == 2


def test_strict_fails_on_warnings(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE,
            "issues/2018-028/notes.txt": "x",  # F006 is a warning
        }
    )
    assert run("-C", root, "check").exit_code == 0
    assert run("-C", root, "check", "--strict").exit_code == 1


def test_rules_lists_codes() -> None:
    result = run("rules")
    assert result.exit_code == 0
    for code in ("F001", "M002", "N001", "P001"):
        assert code in result.output


def test_build_refuses_bad_issue_and_writes_nothing(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = bad_workspace(make_workspace)
    result = run("-C", root, "build", "2018-028")
    assert result.exit_code == 1
    assert "M002" in result.output and "未生成任何文件" in result.output
    assert not (root / "build" / "2018-028").exists()
    assert not any((root / "build").glob(".briefing-*")) if (root / "build").exists() else True


def test_build_unknown_issue_and_format(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "build", "2030-001")
    assert result.exit_code == 2 and "找不到期刊" in result.output
    result = run("-C", good_workspace, "build", "--format", "docx,odt")
    assert result.exit_code == 2 and "odt" in result.output


def test_build_writes_docx_and_html_atomically(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "build")
    assert result.exit_code == 0, result.output
    out = good_workspace / "build" / "2018-028"
    outputs = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert outputs == ["2018-028.docx", "2018-028.html"]  # plus the hidden build record
    assert (out / "2018-028.html").stat().st_mode & 0o044 == 0o044  # readable by a web server
    assert not list((good_workspace / "build").glob(".briefing-*"))
    custom = good_workspace / "elsewhere"
    result = run(
        "-C", good_workspace, "build", "2018-028", "--format", "html", "--out", custom, "--draft"
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in custom.iterdir() if not p.name.startswith(".")] == ["2018-028.html"]
    assert "样稿" in (custom / "2018-028.html").read_text(encoding="utf-8")


def test_build_refuses_broken_picture_and_leaves_old_output(good_workspace: Path) -> None:
    assert run("-C", good_workspace, "build", "--format", "html").exit_code == 0
    html = good_workspace / "build/2018-028/2018-028.html"
    before = html.read_bytes()
    article = good_workspace / "issues/2018-028/01-grid.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\n![图](images/none.png)\n", encoding="utf-8"
    )
    result = run("-C", good_workspace, "build", "--format", "html")
    assert result.exit_code == 1
    assert "issues/2018-028/01-grid.md:8:1: P001" in result.output
    assert html.read_bytes() == before


def test_fix_and_diff(good_workspace: Path) -> None:
    article = good_workspace / "issues/2018-028/01-grid.md"
    article.write_text(GOOD_ARTICLE.replace("今年以来，", "今年以来,"), encoding="utf-8")
    article.chmod(0o640)
    result = run("-C", good_workspace, "check", "--diff")
    assert "issues/2018-028/01-grid.md:6:5: T101 “,” → “，”" in result.output
    assert "今年以来," in article.read_text(encoding="utf-8")
    result = run("-C", good_workspace, "check", "--fix")
    assert result.exit_code == 0, result.output
    assert article.read_text(encoding="utf-8") == GOOD_ARTICLE
    assert article.stat().st_mode & 0o777 == 0o640
    assert "检查通过" in result.output


def test_new_article_asks_on_a_terminal(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefing.cli.common.interactive", lambda: True)
    result = runner.invoke(
        app, ["-C", str(good_workspace), "new-article"], input="社区建立议事厅\n新桥社区\n"
    )
    assert result.exit_code == 0, result.output
    created = good_workspace / "issues/2018-028/02.md"
    text = created.read_text(encoding="utf-8")
    assert 'title: "社区建立议事厅"' in text and 'source: "新桥社区"' in text


def test_doctor_reports_roles() -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "LibreOffice" in result.output and "仿宋_GB2312" in result.output


def test_docs_rules_is_in_sync_with_the_registry() -> None:
    from briefing.rules import rules_markdown
    from tests.conftest import REPO

    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "regenerate with: briefing rules --markdown > docs/rules.md"
    )


def test_every_command_is_documented_in_the_readme() -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"briefing {name}" in readme, name


def test_ci_runs_the_readme_test_command_with_the_coverage_gate() -> None:
    import re
    import tomllib

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"```bash\n(pip install -e \"\.\[test\]\".*)\n```", readme)
    assert command, "the README's test command is missing"
    assert "--cov=briefing" in command.group(1)
    assert command.group(1) in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["coverage"]["run"]["branch"] is True
    assert config["tool"]["coverage"]["report"]["fail_under"] >= 90
    assert any(
        dep.startswith("pytest-cov") for dep in config["project"]["optional-dependencies"]["test"]
    )
