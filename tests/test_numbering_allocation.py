"""``new-issue`` end to end: what it writes, what it refuses, and where the register points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from briefing.cli import app
from briefing.load import load_settings
from briefing.numbering import allocate_issue
from briefing.rules import Reporter
from tests.conftest import WorkspaceFactory, issue_yaml

runner = CliRunner()


def test_allocation_reports_every_field(make_workspace: WorkspaceFactory) -> None:
    settings = load_settings(make_workspace(), Reporter())
    special = allocate_issue(settings, dt.date(2018, 12, 25), "专刊")
    assert (special.year, special.special, special.date) == (2018, "专刊", dt.date(2018, 12, 25))
    text = (settings.issues_dir / special.id / "issue.yaml").read_text(encoding="utf-8")
    assert text == "year: 2018\nnumber: 1\nspecial: 专刊\ndate: 2018-12-25\n"
    plain = allocate_issue(settings, dt.date(2019, 1, 8))
    assert (plain.id, plain.year, plain.special, plain.date) == (
        "2019-001",
        2019,
        None,
        dt.date(2019, 1, 8),
    )


def test_new_issue_refuses_a_broken_register_with_a_hint(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace({"issues/2018-028/issue.yaml": "year: 2018\nnumber: [\n"})
    result = runner.invoke(app, ["-C", str(root), "new-issue", "--date", "2018-12-28"])
    assert result.exit_code == 1
    assert "issues/2018-028/issue.yaml:" in result.output
    assert "提示：先修正这些 issue.yaml，再分配新期号" in result.output.splitlines()
    assert sorted(p.name for p in (root / "issues").iterdir()) == ["2018-028"]


def test_new_issue_refuses_a_folder_that_is_in_the_way(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace({"issues/2018-028": "不是目录"})  # a file where the folder goes
    result = runner.invoke(app, ["-C", str(root), "new-issue", "--date", "2018-12-20"])
    assert result.exit_code == 2
    assert "期刊目录 issues/2018-028 已存在，但其中没有可用的 issue.yaml" in result.output
    assert (root / "issues" / "2018-028").read_text(encoding="utf-8") == "不是目录"


def test_register_findings_point_at_the_issue_yaml(make_workspace: WorkspaceFactory) -> None:
    from briefing.check import check_workspace

    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-029/issue.yaml": issue_yaml(28, 647),  # duplicate 期, folder mismatch
        }
    )
    found = check_workspace(root, advice=False).diagnostics
    where = root / "issues" / "2018-029" / "issue.yaml"
    for code in ("N001", "N003"):
        finding = next(d for d in found if d.code == code)
        assert finding.path == where and finding.line and finding.column, code
    mismatch = next(d for d in found if d.code == "N003")
    assert "目录名 2018-029 与 issue.yaml 不一致" in mismatch.message
    assert "2018-028" in mismatch.message  # the name the folder should have
    assert all(d.message for d in found)


def test_allocation_creates_a_missing_issues_folder(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace()
    (root / "issues").rmdir()
    result = runner.invoke(app, ["-C", str(root), "new-issue", "--date", "2018-12-20"])
    assert result.exit_code == 0, result.output
    assert (root / "issues" / "2018-028" / "issue.yaml").is_file()
    assert Path(root / "issues" / "2018-028" / "images").is_dir()
