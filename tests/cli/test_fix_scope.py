"""``briefing check --fix .`` at the workspace root edits articles only (issue #9): README.md,
CI workflows, pre-commit settings and templates are never touched, even when they hold text
that a fix would change."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

REPO = Path(__file__).resolve().parents[2]
FIXABLE = "街道召开会议,部署工作。"  # T101: a half-width comma between Chinese characters

BYSTANDERS = {
    "README.md": f"# 说明\n\n{FIXABLE}\n",
    ".github/workflows/check.yml": f"name: 检查\n# {FIXABLE}\non: [push]\n",
    ".pre-commit-config.yaml": f"repos: []\n# {FIXABLE}\n",
    "templates/html/note.md": f"{FIXABLE}\n",
    "docs/guide.md": f"{FIXABLE}\n",
    "issues/notes.md": f"{FIXABLE}\n",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "issues", root / "issues")
    shutil.copy(REPO / "briefing.yaml", root / "briefing.yaml")
    for name, text in BYSTANDERS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    article = next((root / "issues" / "2018-028").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + f"\n{FIXABLE}\n", encoding="utf-8")
    return root


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        name: ((root / name).read_bytes(), (root / name).stat().st_mtime_ns) for name in BYSTANDERS
    }


@pytest.mark.parametrize("how", ["cwd", "-C"])
def test_fix_at_the_root_touches_only_articles(
    workspace: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(workspace)
    article = next((workspace / "issues" / "2018-028").glob("*.md"))
    if how == "cwd":
        monkeypatch.chdir(workspace)
        args = ["check", "--fix", "."]
    else:
        args = ["-C", str(workspace), "check", "--fix", str(workspace)]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "街道召开会议，部署工作。" in article.read_text(encoding="utf-8"), result.output
    assert _snapshot(workspace) == before
    for name in BYSTANDERS:
        assert name not in result.output
    leftovers = [p for p in workspace.rglob("*") if p.name.startswith(".briefing")]
    assert leftovers == [] and os.listdir(workspace / ".github" / "workflows") == ["check.yml"]


def test_check_and_fix_read_a_link_as_the_renderer_does(workspace: Path) -> None:
    """A link whose text holds brackets is a link to markdown-it: its ``](`` is syntax, not a
    half-width bracket, and ``--fix`` changes the prose around it without breaking it."""
    article = next((workspace / "issues" / "2018-028").glob("*.md"))
    link = "[通知[2019]3号文件](http://gov.cn/a?b=1,2)"
    original = article.read_text(encoding="utf-8").replace(f"\n{FIXABLE}\n", "\n")
    article.write_text(original + f"\n见{link},请落实。\n", encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(app, ["-C", str(workspace), "check", "--format", "json", str(article)])
    found = [(d["code"], d["line"]) for d in json.loads(checked.output)["diagnostics"]]
    last = len(article.read_text(encoding="utf-8").splitlines())
    assert found == [("T101", last)]  # the comma after the link, nothing inside it
    fixed = runner.invoke(app, ["-C", str(workspace), "check", "--fix", str(article)])
    assert fixed.exit_code == 0, fixed.output
    assert article.read_text(encoding="utf-8").endswith(f"\n见{link}，请落实。\n")
