"""Only regular files inside the workspace are read; names typed by users never leave their
folder; ``--fix`` writes only what it may, where it may."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.proofread.fix import fix_files
from briefing.textio import MAX_TEXT_BYTES
from tests.hostile.helpers import GOOD, ISSUE_ID, check, workspace

FIXABLE = "---\ntitle: 待修正文稿\nsource: 长河街道\n---\n\n今年以来,街道[链接,中文](http://a.b/c,d)划分网格, 成效明显.\n"
FIXED_BODY = "今年以来，街道[链接,中文](http://a.b/c,d)划分网格，成效明显。\n"
ISSUE = f"issues/{ISSUE_ID}"
REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def codes_for(root: Path, name: str) -> set[str]:
    return {d.code for d in check(root).diagnostics if d.path and d.path.name == name}


def test_symlink_outside_the_workspace_is_not_read(ws: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD.replace("正常文稿", "机密文件"), encoding="utf-8")
    (ws / ISSUE / "02-leak.md").symlink_to(secret)
    assert "F009" in codes_for(ws, "02-leak.md")
    result = run("-C", ws, "build", "--format", "html", "--out", ws / "build" / "x")
    assert result.exit_code == 1
    assert not (ws / "build" / "x").exists()


def test_symlink_inside_the_workspace_is_read(ws: Path) -> None:
    (ws / "drafts").mkdir()
    (ws / "drafts" / "a.md").write_text(GOOD.replace("正常文稿", "另一篇"), encoding="utf-8")
    (ws / ISSUE / "02-link.md").symlink_to(ws / "drafts" / "a.md")
    assert codes_for(ws, "02-link.md") == set()


def test_issue_folder_symlinked_outside_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    workspace(outside, {f"{ISSUE}/01-good.md": GOOD})
    root = workspace(tmp_path / "ws", {})
    (root / "issues" / "2018-029").symlink_to(outside / ISSUE)
    found = {d.code for d in check(root).diagnostics if "2018-029" in str(d.path)}
    assert "F009" in found


def test_dev_zero_and_directories_are_refused(ws: Path) -> None:
    (ws / ISSUE / "02-zero.md").symlink_to("/dev/zero")
    (ws / ISSUE / "03-folder.md").mkdir()
    # /dev/zero is outside the workspace; a device inside it is refused as not regular
    assert "F009" in codes_for(ws, "02-zero.md")


def test_fifo_does_not_hang_check(ws: Path) -> None:
    os.mkfifo(ws / ISSUE / "02-fifo.md")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "-C", str(ws), "check"],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert result.returncode == 1
    assert "02-fifo.md" in result.stdout and "F009" in result.stdout


def test_oversized_article_is_refused_without_reading(ws: Path) -> None:
    big = ws / ISSUE / "02-big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: nothing is really written
    assert "F009" in codes_for(ws, "02-big.md")


def test_picture_symlink_outside_is_refused(ws: Path, tmp_path: Path) -> None:
    from tests.factory import SAMPLE_PNG

    (ws / ISSUE / "images").mkdir()
    (ws / ISSUE / "images" / "a.png").symlink_to(SAMPLE_PNG)
    (ws / ISSUE / "02-pic.md").write_text(GOOD + "\n![图](images/a.png)\n", encoding="utf-8")
    assert "P002" in codes_for(ws, "02-pic.md")


def test_picture_symlink_loop_is_a_located_finding_not_a_crash(ws: Path) -> None:
    (ws / ISSUE / "images").mkdir()
    (ws / ISSUE / "images" / "loop.png").symlink_to("loop.png")
    (ws / ISSUE / "02-pic.md").write_text(GOOD + "\n![图](images/loop.png)\n", encoding="utf-8")
    found = [
        d for d in check(ws).diagnostics if d.path and d.path.name == "02-pic.md" and d.line == 8
    ]
    assert [(d.code, d.line, d.column, d.message) for d in found] == [
        ("F009", 8, 1, "图片“images/loop.png”无法使用：符号链接形成循环，指不到任何文件")
    ]
    result = run("-C", ws, "build", "--format", "html", "--out", ws / "build" / "x")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (ws / "build" / "x").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--fix"],
        ["build"],
        ["list"],
        ["search", "网格"],
        ["stats"],
        ["site"],
    ],
)
def test_an_article_that_is_a_symlink_loop_never_crashes(ws: Path, command: list[str]) -> None:
    (ws / ISSUE / "02-loop.md").symlink_to("02-loop.md")
    result = run("-C", ws, *command)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert result.exit_code in (0, 1), result.output
    if command[0] in ("check", "build"):
        assert result.exit_code == 1
        assert "02-loop.md" in result.output
        assert "符号链接形成循环，指不到任何文件" in result.output
    if command[0] == "search":
        assert "01-good.md" in result.output  # the readable article is still searched


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ELOOP, "符号链接形成循环，指不到任何文件"),
        (errno.ENOENT, "文件不存在"),
        (errno.EACCES, "没有读取权限"),
        (errno.EPERM, "没有读取权限"),
        (errno.EISDIR, "这是一个目录，不是文件"),
        (errno.ENOTDIR, "路径中有一个同名的文件而不是目录"),
        (errno.ENAMETOOLONG, "文件名过长"),
        (errno.EIO, "磁盘读取出错"),
        (errno.ENOSPC, "读取出错（OSError）"),  # not a reading failure: no system text
    ],
)
def test_read_reasons_are_chinese_whatever_the_locale(code: int, reason: str) -> None:
    from briefing.textio import read_reason

    assert read_reason(OSError(code, "system text in the locale's language")) == reason


def test_picture_fifo_is_refused(ws: Path) -> None:
    (ws / ISSUE / "images").mkdir()
    os.mkfifo(ws / ISSUE / "images" / "a.png")
    (ws / ISSUE / "02-pic.md").write_text(GOOD + "\n![图](images/a.png)\n", encoding="utf-8")
    assert "F009" in codes_for(ws, "02-pic.md")


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(
    "label", ["028/../../../x", "../x", "专刊\npublished: true", ".hidden", "a b", "专" * 30, "/"]
)
def test_bad_special_labels_are_refused(ws: Path, tmp_path: Path, label: str) -> None:
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = run("-C", ws, "new-issue", "--date", "2018-12-25", "--special", label)
    assert result.exit_code == 2, result.output
    assert "专刊名称" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_special_label_is_quoted_in_issue_yaml(ws: Path) -> None:
    result = run("-C", ws, "new-issue", "--date", "2018-12-25", "--special", "true")
    assert result.exit_code == 0, result.output
    assert (ws / "issues" / "2018-true-01" / "issue.yaml").read_text().count('special: "true"')
    assert run("-C", ws, "check").exit_code == 0


def test_huge_previous_number_gives_a_clear_message(ws: Path) -> None:
    config = (ws / "briefing.yaml").read_text(encoding="utf-8")
    (ws / "briefing.yaml").write_text(
        config.replace("number: 27", "number: " + "9" * 250), encoding="utf-8"
    )
    result = run("-C", ws, "new-issue", "--date", "2018-12-25")
    assert result.exit_code != 0
    assert "File name too long" not in result.output
    assert not any(len(p.name) > 100 for p in (ws / "issues").iterdir())


@pytest.mark.parametrize(
    ("option", "value"),
    [("--title", "标题\n---\npublished: true"), ("--source", "单位\x01"), ("--column", "栏\r目")],
)
def test_new_article_refuses_newlines_and_controls(ws: Path, option: str, value: str) -> None:
    args = {"--title": "标题", "--source": "单位", option: value}
    result = run("-C", ws, "new-article", *[x for kv in args.items() for x in kv])
    assert result.exit_code == 2
    assert sorted(p.name for p in (ws / ISSUE).iterdir()) == ["01-good.md", "issue.yaml"]


def test_init_refuses_newlines(tmp_path: Path) -> None:
    result = run("init", tmp_path / "new", "--name", "简报\nissuer: 假", "--issuer", "办")
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()


def test_new_article_slug_and_issue_stay_inside(ws: Path) -> None:
    result = run(
        "-C", ws, "new-article", "--title", "新文稿", "--source", "局", "--slug", "../../x"
    )
    assert result.exit_code == 0, result.output
    assert (ws / ISSUE / "02-x.md").is_file()
    assert codes_for(ws, "02-x.md") == {"F004"}  # only the empty body of the template
    long_slug = run("-C", ws, "new-article", "--title", "标", "--source", "局", "--slug", "x" * 99)
    assert long_slug.exit_code == 2
    up = run("-C", ws, "new-article", "--title", "标", "--source", "局", "--issue", "..")
    assert up.exit_code == 2


def test_check_paths_are_relative_to_dash_c(ws: Path, tmp_path: Path, monkeypatch) -> None:
    (ws / ISSUE / "02-bad.md").write_text("no front matter\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("-C", "ws", "check", f"{ISSUE}/02-bad.md")
    assert result.exit_code == 1
    assert "02-bad.md" in result.output and "找不到" not in result.output


def test_check_refuses_paths_outside_the_workspace(ws: Path, tmp_path: Path) -> None:
    result = run("-C", ws, "check", tmp_path)
    assert result.exit_code == 2 and "不在工作区" in result.output


def test_fix_reports_an_unwritable_folder(ws: Path, fixable: Path, monkeypatch) -> None:
    import errno

    import briefing.textio

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EACCES, "Permission denied", str(fixable.parent))

    monkeypatch.setattr(briefing.textio.tempfile, "mkstemp", refuse)
    code, output = fixed_by_cli(ws)
    assert code == 2 and "没有写入权限" in output
    assert fixable.read_text(encoding="utf-8") == FIXABLE


@pytest.mark.parametrize("where", ["file", "issues"])
def test_bad_out_folders_are_usage_errors(ws: Path, where: str) -> None:
    target = ws / "plain.txt"
    target.write_text("x", encoding="utf-8")
    out = target / "sub" if where == "file" else ws / "issues" / "out"
    result = run("-C", ws, "build", "--format", "html", "--out", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_out_under_a_file_is_an_environment_error(ws: Path) -> None:
    (ws / "plain.txt").write_text("x", encoding="utf-8")
    result = run("-C", ws, "build", "--format", "html", "--out", ws / "plain.txt" / "a" / "b")
    assert result.exit_code == 2
    assert "同名的文件" in result.output or "是一个文件" in result.output


def test_full_disk_is_an_environment_error(ws: Path, monkeypatch) -> None:
    import errno

    import briefing.build

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "x.html")

    monkeypatch.setattr(briefing.build.os, "replace", full)
    result = run("-C", ws, "build", "--format", "html")
    assert result.exit_code == 2
    assert "磁盘空间不足" in result.output
    assert not list((ws / "build").rglob("*.html"))
    assert not list((ws / "build").glob(".briefing-*"))


# --------------------------------------------------------------------------- --fix on files


@pytest.fixture
def fixable(ws: Path) -> Path:
    path = ws / ISSUE / "02-fix.md"
    path.write_text(FIXABLE, encoding="utf-8")
    return path


def fixed_by_cli(ws: Path) -> tuple[int, str]:
    result = run("-C", ws, "check", "--fix")
    return result.exit_code, result.output


def test_fix_keeps_bom_and_crlf(ws: Path, fixable: Path) -> None:
    fixable.write_bytes(b"\xef\xbb\xbf" + FIXABLE.replace("\n", "\r\n").encode())
    code, output = fixed_by_cli(ws)
    assert code == 0, output
    data = fixable.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\r\n") == FIXABLE.count("\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert data.decode("utf-8-sig").replace("\r\n", "\n").endswith(FIXED_BODY)


def test_fix_refuses_read_only_files(ws: Path, fixable: Path) -> None:
    fixable.chmod(0o444)
    code, output = fixed_by_cli(ws)
    assert code == 2
    assert "02-fix.md" in output and "只读" in output
    assert fixable.read_text(encoding="utf-8") == FIXABLE


def test_fix_edits_through_symlinks_and_hard_links(ws: Path, fixable: Path) -> None:
    (ws / "drafts").mkdir()
    real = ws / "drafts" / "real.md"
    real.write_text(FIXABLE.replace("待修正文稿", "链接文稿"), encoding="utf-8")
    (ws / ISSUE / "03-symlink.md").symlink_to(real)
    hard = ws / "drafts" / "hard.md"
    os.link(fixable, hard)
    inode = fixable.stat().st_ino
    code, output = fixed_by_cli(ws)
    assert code == 0, output
    assert (ws / ISSUE / "03-symlink.md").is_symlink()
    assert real.read_text(encoding="utf-8").endswith(FIXED_BODY)
    assert fixable.stat().st_ino == inode == hard.stat().st_ino
    assert hard.read_text(encoding="utf-8").endswith(FIXED_BODY)


def test_fix_does_not_overwrite_a_concurrent_save(ws: Path, fixable: Path, monkeypatch) -> None:
    import briefing.proofread.fix as fix

    original = fix.fix_text
    saved = FIXABLE.replace("成效明显", "编辑刚刚保存")

    def slow_fix(text: str, *, kind: str, checks):  # type: ignore[no-untyped-def]
        result = original(text, kind=kind, checks=checks)
        if "待修正文稿" in text:
            fixable.write_text(saved, encoding="utf-8")  # an editor saves meanwhile
        return result

    monkeypatch.setattr(fix, "fix_text", slow_fix)
    results = list(fix_files(ws, [], write=True))
    assert [r.problem for r in results if r.problem] == [
        "文件在修正期间被其他程序修改，未写入；请重新运行 --fix"
    ]
    assert fixable.read_text(encoding="utf-8") == saved


def test_fix_touches_only_articles(ws: Path, fixable: Path) -> None:
    readme = ws / "README.md"
    readme.write_text("中文,后\n", encoding="utf-8")
    workflow = ws / ".github" / "workflows" / "ci.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: 中文,后\n", encoding="utf-8")
    code, _ = fixed_by_cli(ws)
    assert code == 0
    assert readme.read_text(encoding="utf-8") == "中文,后\n"
    assert workflow.read_text(encoding="utf-8") == "name: 中文,后\n"
    result = run("-C", ws, "check", "--fix", ws)
    assert result.exit_code == 0
    assert readme.read_text(encoding="utf-8") == "中文,后\n"


def test_second_fix_changes_nothing(ws: Path, fixable: Path) -> None:
    assert fixed_by_cli(ws)[0] == 0
    once = fixable.read_bytes()
    code, output = fixed_by_cli(ws)
    assert code == 0 and "没有可自动修正的内容" in output
    assert fixable.read_bytes() == once
    assert "T108" not in run("-C", ws, "check").output


def test_fix_skips_files_outside_and_with_controls(ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(FIXABLE, encoding="utf-8")
    (ws / ISSUE / "03-out.md").symlink_to(outside)
    control = ws / ISSUE / "04-control.yaml"
    control.write_text("title: 标题,中文\x01\nsource: 局\nbody: 中文,后\n", encoding="utf-8")
    result = run("-C", ws, "check", "--fix")
    assert result.exit_code == 1  # F009 and F010 remain errors
    assert outside.read_text(encoding="utf-8") == FIXABLE
    assert "\x01" in control.read_text(encoding="utf-8")
