"""Every user-visible message is Chinese, the framework's included; exit codes as the README says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import briefing.cli.common as cli_common
from briefing.cli import app
from briefing.cli_text import chinese_message, unknown_command
from briefing.rules import RULES
from tests.conftest import GOOD_ARTICLE, REPO, issue_yaml

runner = CliRunner()
ENGLISH = re.compile(
    r"Usage:|Options:|Commands:|Arguments:|Error:|Try '|Did you mean|Invalid value|No such|"
    r"Missing|Aborted|is a file|requires an|default:|required\]"
)


def run(*args: str | Path, **kw):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args], **kw)


def chinese(output: str) -> None:
    assert not ENGLISH.search(output), output
    assert re.search(r"[\u4e00-\u9fff]", output), output


def test_unknown_command_suggests_the_right_one() -> None:
    result = run("chek")
    assert result.exit_code == 2
    assert "错误：没有“chek”命令，是不是“check”？" in result.output
    assert "用法：" in result.output and "查看帮助" in result.output
    chinese(result.output)
    nothing = run("zzzz")
    assert nothing.exit_code == 2 and "没有“zzzz”命令；运行 briefing -h" in nothing.output


def test_invalid_and_missing_option_values(good_workspace: Path) -> None:
    bad = run("-C", good_workspace, "check", "--format", "xml")
    assert bad.exit_code == 2
    assert "“--format”的值无效：“xml”不是可选值之一：text、json、github" in bad.output
    chinese(bad.output)
    missing = run("-C", good_workspace, "check", "--format")
    assert missing.exit_code == 2 and "选项“--format”需要一个值" in missing.output
    chinese(missing.output)
    typo = run("-C", good_workspace, "check", "--fromat", "json")
    assert typo.exit_code == 2 and "没有“--fromat”选项，是不是“--format”？" in typo.output
    argument = run("-C", good_workspace, "publish")
    assert argument.exit_code == 2 and "缺少参数“期刊”" in argument.output
    extra = run("-C", good_workspace, "list", "x")
    assert extra.exit_code == 2 and "多余的参数：x" in extra.output


def test_out_pointing_at_a_file(good_workspace: Path) -> None:
    target = good_workspace / "afile"
    target.write_text("x", encoding="utf-8")
    result = run("-C", good_workspace, "build", "--out", target)
    assert result.exit_code == 2
    assert f"“--out”的值无效：“{target}”是文件，这里需要目录" in result.output
    chinese(result.output)


def test_help_headings_are_chinese() -> None:
    for args in ((), ("check",), ("build",), ("publish",), ("new-issue",)):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "用法：" in result.output and "选项：" in result.output
        chinese(result.output)
    assert "命令：" in run("--help").output
    assert "参数：" in run("build", "--help").output
    assert "[默认：docx,html]" in run("build", "--help").output
    assert "--out <目录>" in run("build", "--help").output
    assert "--title <文字>" in run("new-article", "--help").output
    assert "[路径...]" in run("check", "--help").output


def every_command(group=None, path=()):  # type: ignore[no-untyped-def]
    """Every command line's words, subcommands (``instruction add``) included."""
    import typer.main

    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from every_command(command, (*path, name))


def test_no_english_placeholder_in_any_help() -> None:
    """Usage lines and argument rows name what to type in Chinese: no {words}..., files...."""
    commands = list(every_command())
    assert ("instruction", "add") in commands and ("settings",) in commands
    for words in commands:
        result = run(*words, "--help")
        assert result.exit_code == 0, words
        usage = result.output.splitlines()[0]
        assert usage.startswith(f"用法：briefing {' '.join(words)} "), usage
        assert not re.search(r"[{}]|[a-z]{2,}\.\.\.|\[[a-z_]+\]", usage), usage
        arguments = result.output.partition("参数：\n")[2].partition("\n\n")[0]
        for row in arguments.splitlines():
            assert re.match(r"^  [\u4e00-\u9fff]+(\.\.\.)?\s", row), (words, row)
    missing = run("search")
    assert missing.exit_code == 2 and "错误：缺少参数“关键词”" in missing.output


def test_import_messages_carry_no_english_command_name(
    good_workspace: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "空白.docx"
    empty.write_bytes(b"")
    result = run("-C", good_workspace, "import", empty, "--issue", "2018-028")
    assert result.exit_code == 1
    assert result.output.strip().endswith("空白.docx: 错误 无法导入：文件是空的")
    assert " import " not in result.output


def test_no_arguments_shows_the_help() -> None:
    result = run()
    assert "命令：" in result.output and "check" in result.output


def test_abort_is_chinese_with_exit_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "interactive", lambda: True)
    result = run("init", tmp_path / "desk", input="")  # Ctrl-D at the first question
    assert result.exit_code == 130
    assert "已中止。" in result.output
    assert not (tmp_path / "desk" / "briefing.yaml").exists()


def test_ctrl_c_in_a_real_process_exits_130(tmp_path: Path) -> None:
    script = (
        "import briefing.cli as c, briefing.cli.common as cc, typer\n"
        "def boom(): raise KeyboardInterrupt\n"
        "cc.interactive = lambda: True\n"
        "typer.prompt = lambda *a, **k: boom()\n"
        "c.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "init", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 130
    assert "已中止。" in done.stderr and "Traceback" not in done.stderr


def test_a_date_that_does_not_exist(good_workspace: Path) -> None:
    result = run("-C", good_workspace, "new-issue", "--date", "2018-02-30")
    assert result.exit_code == 2
    assert "日期“2018-02-30”不存在" in result.output
    wrong = run("-C", good_workspace, "new-issue", "--date", "2018/12/30")
    assert wrong.exit_code == 2 and "格式不对" in wrong.output


def test_new_issue_refuses_back_dating_and_backfills(good_workspace: Path) -> None:
    before = sorted(p.name for p in (good_workspace / "issues").iterdir())
    result = run("-C", good_workspace, "new-issue", "--date", "2018-06-01")
    assert result.exit_code == 1
    assert "早于最新一期 2018-028" in result.output and "--backfill" in result.output
    assert sorted(p.name for p in (good_workspace / "issues").iterdir()) == before
    nothing = run("-C", good_workspace, "new-issue", "--date", "2018-06-01", "--backfill")
    assert nothing.exit_code == 1 and "没有可供 2018-06-01 补编的空号" in nothing.output
    (good_workspace / "issues/2018-030").mkdir()
    (good_workspace / "issues/2018-030/issue.yaml").write_text(
        issue_yaml(30, 648, date="2018-12-28"), encoding="utf-8"
    )
    filled = run("-C", good_workspace, "new-issue", "--date", "2018-12-24", "--backfill")
    assert filled.exit_code == 0, filled.output
    assert filled.output.split() == ["2018-029", "第二十九期（总第647期）"]


def test_a_location_is_never_an_emoji(make_workspace) -> None:  # type: ignore[no-untyped-def]
    body = "\n".join(["正文第一段。"] * 20) + "\n这里有半角逗号,后面是汉字。\n"
    lines = ["---", "title: 长文", "source: 办公室", "---", ""] + [""] * 94 + [body]
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/04-long.md": "\n".join(lines)}
    )
    result = run("-C", root, "check")
    assert re.search(r"04-long\.md:1\d\d:\d+: T\d+", result.output), result.output
    assert "💯" not in result.output


def test_rules_are_shown_in_full_at_any_width(monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in ("40", "200"):
        monkeypatch.setenv("COLUMNS", columns)
        result = run("rules")
        assert result.exit_code == 0
        assert not any(line.endswith("…") for line in result.output.splitlines())
        for rule in RULES.values():
            row = next(line for line in result.output.splitlines() if line.startswith(rule.code))
            assert re.match(rf"{rule.code}  {rule.title} *  {rule.severity.label}  ", row), row
            assert rule.summary in row and rule.name not in row  # the English slug is left out
    piped = subprocess.run(
        [sys.executable, "-m", "briefing", "rules"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert all(rule.summary in piped.stdout for rule in RULES.values())


def test_check_and_site_agree_on_an_empty_issue(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
            "issues/2018-029/issue.yaml": issue_yaml(29, 647, date="2018-12-28"),
        }
    )
    checked = run("-C", root, "check")
    assert checked.exit_code == 0
    assert "issues/2018-029/issue.yaml:1:1: F008 期刊 2018-029 还没有文稿" in checked.output
    site = run("-C", root, "site")
    assert site.exit_code == 0
    assert "期刊 2018-029 还没有文稿，未收入归档" in site.output
    assert "briefing check 查看" not in site.output
    built = run("-C", root, "build", "2018-029")
    assert built.exit_code == 1 and "还没有文稿" in built.output


def test_raw_html_is_an_error_that_blocks_the_build(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE
            + "\n第二段<br>换行。\n\n[链接](ftp://x/y)\n",
        }
    )
    result = run("-C", root, "check")
    assert result.exit_code == 1
    assert "H001" in result.output and "H002" in result.output
    built = run("-C", root, "build")
    assert built.exit_code == 1
    assert not (root / "build").exists()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "H 标记（默认是错误，会阻止生成）" in readme
    assert RULES["H001"].severity.value == "error" and RULES["H002"].severity.value == "error"


def test_interactive_init_asks_every_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "interactive", lambda: True)
    answers = "滨江信息\n\n\n办公室\n\n2018 27 645\n报: 区领导；送: 区人大\n\n李明远\n王军\n120\n"
    result = run("init", tmp_path / "desk", input=answers)
    assert result.exit_code == 0, result.output
    for question in ("简报名称", "阅读范围", "左上角标识", "编印单位", "期号格式", "此前最后一期"):
        assert question in result.output
    for question in ("版记报送范围", "编辑：", "签发：", "印数"):
        assert question in result.output
    assert "编辑：\n" in result.output  # an empty answer to a required field is asked again
    from briefing.load import load_settings
    from briefing.rules import Reporter

    reporter = Reporter()
    settings = load_settings(tmp_path / "desk", reporter)
    assert reporter.diagnostics == []
    assert settings.readership == "领导参阅"
    assert settings.classification == "内部资料 注意保存"
    assert settings.numbering.previous is not None and settings.numbering.previous.total == 645
    assert settings.distribution == (("报", "区领导"), ("送", "区人大"))
    assert settings.credits == (("编辑", "李明远"), ("签发", "王军"))
    assert settings.copies == 120


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("名\n\n\n办\n\n2018 27\n", "年份 期号 总期号"),
        ("名\n\n\n办\n\n\n报 区领导\n", "标签: 单位"),
        ("名\n\n\n办\n\n\n\n李\n王\n十\n", "正整数"),
    ],
)
def test_interactive_init_rejects_malformed_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: str, message: str
) -> None:
    monkeypatch.setattr(cli_common, "interactive", lambda: True)
    result = run("init", tmp_path / "desk", input=answers)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "desk" / "briefing.yaml").exists()


def test_message_shapes() -> None:
    assert chinese_message("Missing argument 'ISSUE'.") == "缺少参数“ISSUE”"
    assert chinese_message("Missing option '--name'.") == "缺少选项“--name”"
    assert chinese_message("Option '--x' does not take a value.") == "选项“--x”不接受值"
    assert chinese_message("Option '--x' requires 2 arguments.") == "选项“--x”需要 2 个值"
    assert chinese_message("Argument 'a' takes 2 values.") == "参数“a”需要 2 个值"
    assert chinese_message("Could not open file 'f': denied") == "无法打开文件“f”：denied"
    assert chinese_message("Invalid value: 'x' is not one of 'a', 'b'.") == (
        "取值无效：“x”不是可选值之一：a、b"
    )
    assert chinese_message("file 'a.txt' does not exist.") == "文件“a.txt”不存在"
    assert chinese_message("dir 'a' is not writable.") == "目录“a”不可写"
    assert chinese_message("Directory 'a' is a file.") == "“a”是文件，这里需要目录"  # typer 0.28
    assert chinese_message("path 'a' is a directory.") == "“a”是目录，这里需要路径"
    assert chinese_message("Missing command.") == "缺少命令"
    assert chinese_message("Value error, 'x' is not one of 'a'.") == "“x”不是可选值之一：a"
    assert chinese_message("something else") == "something else"
    assert unknown_command("bild", ["build", "check"]) == "没有“bild”命令，是不是“build”？"


def test_list_prints_labels_as_written(make_workspace) -> None:  # type: ignore[no-untyped-def]
    config = 'name: 测试\nissuer: 测试办\nnumbering:\n  format: "[{year}]第{number}期:100:"\n'
    root = make_workspace(
        {"issues/2018-001/issue.yaml": issue_yaml(1, 1, 2018, "2018-01-05")}, config=config
    )
    result = run("-C", root, "list")
    assert result.exit_code == 0
    assert "[2018]第1期:100:" in result.output
