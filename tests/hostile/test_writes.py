"""Every file the tool writes is created inside the workspace, never through a symlink.

Each writer is tried with a symlink planted where it writes (a folder on the way, or the file
itself), pointing out of the workspace: the command refuses (exit 2, a Chinese message that
names the link, no traceback) or, for the search index, answers without it and says why; the
outside folder is left exactly as it was. An output the user asks for outside the workspace
(``--out``) is their choice and is written there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.hostile.helpers import GOOD, ISSUE_ID

runner = CliRunner()
ISSUE = f"issues/{ISSUE_ID}"


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def refused(result, outside: Path, before: dict[str, bytes | None]) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "符号链接" in result.output and "出于安全考虑不经符号链接写入" in result.output
    assert snapshot(outside) == before


def link(at: Path, to: Path) -> None:
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(to)


# --------------------------------------------------------------------------- search index


def test_search_index_folder_symlinked_outside(ws: Path, outside: Path) -> None:
    link(ws / ".briefing", outside)
    before = snapshot(outside)
    result = run("-C", ws, "search", "网格")
    assert result.exit_code == 0, result.output
    assert "01-good.md" in result.output  # answered by reading the articles
    assert ".briefing 是符号链接" in result.output and "未使用索引" in result.output
    assert snapshot(outside) == before


@pytest.mark.parametrize("name", ["search.sqlite", "search.sqlite-journal", "search.sqlite-wal"])
def test_search_index_file_symlinked_to_a_missing_file(ws: Path, outside: Path, name: str) -> None:
    link(ws / ".briefing" / name, outside / "planted.sqlite")
    before = snapshot(outside)
    result = run("-C", ws, "search", "网格")
    assert result.exit_code == 0, result.output
    assert "01-good.md" in result.output
    assert f"{name} 是符号链接" in result.output
    assert not (outside / "planted.sqlite").exists()
    assert snapshot(outside) == before


def test_search_does_not_read_an_article_linked_outside(ws: Path, outside: Path) -> None:
    (outside / "secret.md").write_text(GOOD.replace("网格", "网格机密"), encoding="utf-8")
    link(ws / ISSUE / "02-leak.md", outside / "secret.md")
    for _ in range(2):  # a scan, then the index
        result = run("-C", ws, "search", "机密")
        assert result.exit_code == 1 and "机密" not in result.output.replace("“机密”", "")  # no hit


def test_a_planted_index_row_naming_a_file_elsewhere_is_never_opened(
    ws: Path, outside: Path
) -> None:
    import sqlite3

    (outside / "secret.md").write_text("机密网格\n", encoding="utf-8")
    assert run("-C", ws, "search", "网格").exit_code == 0
    index = ws / ".briefing" / "search.sqlite"
    with sqlite3.connect(index) as db:  # as a hostile repository could ship it
        db.execute("UPDATE articles SET path = ?", ("../outside/secret.md",))
    result = run("-C", ws, "search", "网格")
    assert result.exit_code == 0 and "机密" not in result.output
    assert "01-good.md" in result.output


# --------------------------------------------------------------------------- build and site


@pytest.mark.parametrize(
    "planted",
    [
        "build",  # the output folder
        f"build/{ISSUE_ID}",  # the issue's output folder
        f"build/{ISSUE_ID}/{ISSUE_ID}.html",  # the output file itself
    ],
)
def test_build_refuses_a_symlink_on_its_way(ws: Path, outside: Path, planted: str) -> None:
    target = outside / "planted.html" if planted.endswith(".html") else outside
    link(ws / planted, target)
    before = snapshot(outside)
    result = run("-C", ws, "build", "--format", "html")
    refused(result, outside, before)
    assert "提示：需要把输出放到别处时，请用 --out 直接指定那个目录" in result.output


def test_build_out_inside_the_workspace_through_a_planted_symlink(ws: Path, outside: Path) -> None:
    link(ws / "exports", outside)
    before = snapshot(outside)
    refused(run("-C", ws, "build", "--format", "html", "--out", "exports/x"), outside, before)


def test_build_out_outside_the_workspace_is_the_users_choice(ws: Path, tmp_path: Path) -> None:
    real = tmp_path / "share" / "bulletins"
    link(tmp_path / "shortcut", real.parent)  # the user's own symlink, named on the command line
    real.parent.mkdir()
    result = run(
        "-C", ws, "build", "--format", "html", "--out", tmp_path / "shortcut" / "bulletins"
    )
    assert result.exit_code == 0, result.output
    assert (real / f"{ISSUE_ID}.html").is_file()


@pytest.mark.parametrize("planted", ["build", "build/index.html", f"build/{ISSUE_ID}"])
def test_site_refuses_a_symlink_on_its_way(ws: Path, outside: Path, planted: str) -> None:
    target = outside / "index.html" if planted.endswith(".html") else outside
    link(ws / planted, target)
    before = snapshot(outside)
    refused(run("-C", ws, "site"), outside, before)


def test_site_cache_record_is_not_written_through_a_symlink(ws: Path, outside: Path) -> None:
    assert run("-C", ws, "site").exit_code == 0
    record = ws / "build" / ISSUE_ID / ".briefing-cache.json"
    record.unlink()
    link(record, outside / "record.json")
    (ws / ISSUE / "01-good.md").write_text(GOOD.replace("42", "43"), encoding="utf-8")
    before = snapshot(outside)
    refused(run("-C", ws, "site"), outside, before)


def test_build_record_is_not_written_through_a_symlink(ws: Path, outside: Path) -> None:
    link(ws / "build" / ISSUE_ID / ".briefing-build.json", outside / "record.json")
    before = snapshot(outside)
    refused(run("-C", ws, "build", "--format", "html"), outside, before)


# --------------------------------------------------------------------------- publish


@pytest.mark.parametrize("planted", ["manifest.json", "issue.yaml"])
def test_publish_refuses_before_building(ws: Path, outside: Path, planted: str) -> None:
    target = ws / ISSUE / planted
    if planted == "issue.yaml":  # read through a link inside the workspace: allowed to read
        (ws / "drafts").mkdir()
        os.replace(target, ws / "drafts" / "issue.yaml")
        link(target, ws / "drafts" / "issue.yaml")
        outside = ws / "drafts"
    else:
        link(target, outside / "manifest.json")
    before = snapshot(outside)
    result = run("-C", ws, "publish", ISSUE_ID, "--format", "html")
    if planted == "manifest.json":  # any manifest.json, even a link, is a record: undo it first
        assert result.exit_code == 2 and "已经签发（manifest.json 已存在）" in result.output
        assert snapshot(outside) == before
    else:
        refused(result, outside, before)
    assert not (ws / "build").exists()  # refused before anything was built


# --------------------------------------------------------------------------- creating


def test_new_issue_refuses_a_symlinked_issues_folder(ws: Path, outside: Path) -> None:
    os.rename(ws / "issues", outside / "issues")
    link(ws / "issues", outside / "issues")
    before = snapshot(outside)
    refused(run("-C", ws, "new-issue", "--date", "2018-12-27"), outside, before)


def test_the_lock_file_is_never_opened_through_a_symlink(ws: Path, outside: Path) -> None:
    link(ws / ".briefing.lock", outside / "lock")
    before = snapshot(outside)
    refused(run("-C", ws, "new-issue", "--date", "2018-12-27"), outside, before)
    refused(run("-C", ws, "new-article", "--title", "新", "--source", "局"), outside, before)


def test_new_article_refuses_an_issue_folder_that_is_a_symlink(ws: Path) -> None:
    drafts = ws / "drafts" / "2018-029"
    drafts.mkdir(parents=True)
    (drafts / "issue.yaml").write_text(
        "year: 2018\nnumber: 29\ntotal: 647\ndate: 2018-12-27\n", encoding="utf-8"
    )
    link(ws / "issues" / "2018-029", drafts)
    before = snapshot(drafts)
    result = run("-C", ws, "new-article", "--title", "新", "--source", "局", "--issue", "2018-029")
    refused(result, drafts, before)


def test_import_skips_a_picture_name_held_by_a_dangling_symlink(ws: Path, outside: Path) -> None:
    from tests.importing import submissions as sub

    link(ws / ISSUE / "images" / "02-1.png", outside / "planted.png")
    before = snapshot(outside)
    file = sub.manual_submission(ws.parent / "交警五大队-停车难.docx")
    result = run("-C", ws, "import", file)
    assert result.exit_code == 0, result.output
    assert (ws / ISSUE / "images" / "02-2.png").is_file()
    assert "images/02-2.png" in (ws / ISSUE / "02-交警五大队-停车难.md").read_text(encoding="utf-8")
    assert snapshot(outside) == before


def test_init_keeps_a_gitignore_that_is_a_symlink(tmp_path: Path, outside: Path) -> None:
    link(tmp_path / "new" / ".gitignore", outside / "gitignore")
    before = snapshot(outside)
    result = run("init", tmp_path / "new", "--name", "简报", "--issuer", "办公室")
    assert result.exit_code == 0, result.output
    assert snapshot(outside) == before


@pytest.mark.parametrize("output", ["csv", "table"])
def test_stats_out_inside_the_workspace_through_a_symlink(
    ws: Path, outside: Path, output: str
) -> None:
    link(ws / "reports", outside)
    before = snapshot(outside)
    result = run("-C", ws, "stats", "--format", output, "--out", ws / "reports" / "a.csv")
    refused(result, outside, before)


def test_stats_out_outside_the_workspace_is_the_users_choice(ws: Path, outside: Path) -> None:
    result = run("-C", ws, "stats", "--format", "csv", "--out", outside / "a.csv")
    assert result.exit_code == 0, result.output
    assert (outside / "a.csv").read_bytes().startswith("\ufeff序号".encode())


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"html": ' * 50_000, b" " * (2 * 1024 * 1024), b"\xff"],
)
def test_records_planted_in_the_output_folder_are_ignored(ws: Path, content: bytes) -> None:
    folder = ws / "build" / ISSUE_ID
    folder.mkdir(parents=True)
    (folder / ".briefing-build.json").write_bytes(content)
    (folder / ".briefing-cache.json").write_bytes(content)
    for command in (["build", "--format", "html"], ["site"]):
        result = run("-C", ws, *command)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
