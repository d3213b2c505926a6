"""The settings reference from the installed tool: ``briefing settings``, pointed at by the
generated ``briefing.yaml`` and by every message about an unknown setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from briefing import config
from briefing.cli import app
from tests.conftest import BASE_CONFIG, REPO, WorkspaceFactory, issue_yaml

runner = CliRunner()


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_every_setting_is_explained(tmp_path: Path) -> None:
    # run where no docs/ folder exists, as a pip user would
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "settings"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for _, _, schema in config.SCHEMAS:
        for path, spec in config._walk(schema):
            assert path in lines, path
            assert f"    {spec.doc}" in lines[lines.index(path) + 1 :], path
    assert lines[0] == "briefing.yaml：工作区的简报设置"
    assert "issue.yaml：每期目录中的本期设置；期号只由 briefing new-issue 分配" in lines


def test_one_setting_a_group_or_a_last_name() -> None:
    one = run("settings", "layout.masthead_size")
    assert one.exit_code == 0
    assert one.output.splitlines() == [
        "briefing.yaml：工作区的简报设置",
        "",
        "layout.masthead_size",
        "    报头字号（磅）；名称太长时自动缩小到一行放得下",
        "    类型：数字；默认：42",
        "    取值：16–80",
    ]
    assert run("settings", "masthead_size").output == one.output
    group = run("settings", "numbering").output
    assert "numbering.previous.total" in group and "layout" not in group
    both = run("settings", "copies").output
    assert "briefing.yaml：" in both and "issue.yaml：" in both


def test_an_unknown_name_suggests_the_closest() -> None:
    result = run("settings", "colour")
    assert result.exit_code == 2
    assert "错误：没有“colour”这项设置，是不是“layout.masthead_color”？" in result.output
    assert "提示：运行 briefing settings 查看全部设置" in result.output


def test_markdown_is_docs_config_md() -> None:
    result = run("settings", "--markdown")
    assert result.output == (REPO / "docs" / "config.md").read_text(encoding="utf-8")


def test_the_generated_briefing_yaml_and_errors_point_there(
    tmp_path: Path, make_workspace: WorkspaceFactory
) -> None:
    made = run("init", tmp_path / "desk", "--name", "测试信息", "--issuer", "测试办公室")
    assert made.exit_code == 0, made.output
    text = (tmp_path / "desk" / "briefing.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# 简报设置：运行 briefing settings 查看每一项的说明（briefing settings 名称 只看一项）"
    )
    assert "docs/config.md" not in text
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml() + "theme: 主题\nthme: x\n"},
        config=BASE_CONFIG + "layuot: {}\n",
    )
    check = run("-C", root, "check")
    assert check.exit_code == 1
    assert (
        "briefing.yaml:14:1: M002 未知字段“layuot”，是不是“layout”？"
        "（每一项设置的说明：运行 briefing settings）"
    ) in check.output
    assert (
        "issues/2018-028/issue.yaml:6:1: M002 未知字段“thme”，是不是“theme”？"
        "（每一项设置的说明：运行 briefing settings）"
    ) in check.output
