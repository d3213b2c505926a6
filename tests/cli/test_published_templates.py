"""A published issue is rebuilt with the templates recorded at 签发 (#22, item 5).

An editor who adds a template override for later issues expects the published ones to stay as
they were sent: the rebuild ignores overrides added after 签发 (and says so), so it still
reproduces the record byte for byte; a recorded override that was changed or deleted makes the
rebuild differ, which is refused and explained. Template overrides that are links to files
outside the workspace are never used.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import GOOD_ARTICLE, issue_yaml

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
CSS = (REPO / "templates" / "html" / "bulletin.css").read_text(encoding="utf-8")
MARK = "/* 新版式 */ body { letter-spacing: 0.01em; }\n"


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def desk(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01-grid.md": GOOD_ARTICLE}
    )
    result = run("-C", root, "publish", "2018-028", "--format", "docx,html")
    assert result.exit_code == 0, result.output
    return root


def add_override(root: Path, name: str = "bulletin.css", text: str = CSS + MARK) -> Path:
    path = root / "templates" / "html" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("formats", ["html", "docx,html"])
def test_an_override_added_after_publish_is_not_used_for_it(desk: Path, formats: str) -> None:
    published = (desk / "build/2018-028/2018-028.html").read_bytes()
    add_override(desk)
    result = run("-C", desk, "build", "2018-028", "--format", formats)
    assert result.exit_code == 0, result.output
    assert "与签发记录逐字节一致" in result.output
    assert (
        "注意：模板 templates/html/bulletin.css 是签发后新增的，重新生成已签发的 2018-028 时未使用"
        in result.output
    )
    assert (desk / "build/2018-028/2018-028.html").read_bytes() == published


def test_the_new_override_is_used_for_an_unpublished_issue(desk: Path) -> None:
    add_override(desk)
    (desk / "issues/2018-029").mkdir()
    (desk / "issues/2018-029/issue.yaml").write_text(
        issue_yaml(number=29, total=647, date="2018-12-27"), encoding="utf-8"
    )
    (desk / "issues/2018-029/01.md").write_text(GOOD_ARTICLE, encoding="utf-8")
    result = run("-C", desk, "build", "2018-029", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "新版式" in (desk / "build/2018-029/2018-029.html").read_text(encoding="utf-8")
    assert "签发后新增" not in result.output


def test_the_site_keeps_the_published_issue(desk: Path) -> None:
    add_override(desk)
    result = run("-C", desk, "site")
    assert result.exit_code == 0, result.output
    assert "未收入归档" not in result.output
    page = (desk / "build/2018-028/2018-028.html").read_text(encoding="utf-8")
    assert "新版式" not in page


def test_a_recorded_override_changed_after_publish_is_refused(
    tmp_path: Path, make_workspace
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
            "templates/html/bulletin.css": CSS,
        }
    )
    assert run("-C", root, "publish", "2018-028", "--format", "html").exit_code == 0
    add_override(root)
    result = run("-C", root, "build", "2018-028", "--format", "html")
    assert result.exit_code == 1
    assert "templates/html/bulletin.css 在签发后被修改" in result.output


def test_an_override_linked_outside_the_workspace_is_never_used(
    tmp_path: Path, make_workspace
) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text(CSS + "/* 机密 */\n", encoding="utf-8")
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01-grid.md": GOOD_ARTICLE}
    )
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "bulletin.css").symlink_to(secret)
    result = run("-C", root, "build", "2018-028", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "机密" not in (root / "build/2018-028/2018-028.html").read_text(encoding="utf-8")
    published = run("-C", root, "publish", "2018-028", "--format", "html")
    assert published.exit_code == 0, published.output
    manifest = (root / "issues/2018-028/manifest.json").read_text(encoding="utf-8")
    assert "bulletin.css" not in manifest  # not a template of this workspace: not recorded
