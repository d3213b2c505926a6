"""``briefing.check``: each finding compared whole (code, severity, message, file, line, column),
with the negative cases next to it, and the worker pool's choice between serial and parallel."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest

import briefing.check
from briefing.check import _check_folders, _leave_interrupts_to_parent, check_issue, check_workspace
from briefing.errors import Severity
from briefing.load import load_issue_folder, load_settings
from briefing.rules import Reporter
from tests.conftest import BASE_CONFIG, REPO, WorkspaceFactory, issue_yaml

E, W = Severity.ERROR, Severity.WARNING
ISSUE = "issues/2018-028/"
Finding = tuple[str, Severity, str, str, int | None, int | None]
NO_FRONT_MATTER = "Markdown 文稿应以 --- 开头的元数据块开始（title、source 等），以 --- 结束"


def article(title: str = "甲", body: str = "正文。", *, source: str = "局", order: str = "") -> str:
    return f"---\ntitle: {title}\nsource: {source}\n{order}---\n\n{body}\n"


def relative(root: Path, path: Path | None) -> str:
    return path.relative_to(root).as_posix() if path else ""


def everything(root: Path, *, advice: bool = False) -> list[Finding]:
    return [
        (d.code, d.severity, d.message, relative(root, d.path), d.line, d.column)
        for d in check_workspace(root, advice=advice).diagnostics
    ]


def test_unsafe_links_are_located_and_named(make_workspace: WorkspaceFactory) -> None:
    body = "正文[甲](ftp://example.com/a)和[乙](tel:110)。\n\n第二段[丙](https://example.com/)。\n\n[丁](sms:1)"
    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": article(body=body)})
    tail = "不安全或不受支持，已按普通文字处理"
    assert everything(root) == [
        ("H002", E, f"链接地址“ftp://example.com/a”{tail}", ISSUE + "01.md", 6, 1),
        ("H002", E, f"链接地址“tel:110”{tail}", ISSUE + "01.md", 6, 1),
        ("H002", E, f"链接地址“sms:1”{tail}", ISSUE + "01.md", 10, 1),
    ]


def test_an_issue_without_articles_is_a_warning_on_its_issue_yaml(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-029/issue.yaml": issue_yaml(29, 647),
            "issues/2018-029/01.md": article(),
            "issues/2018-030/issue.yaml": issue_yaml(30, 648),
            "issues/2018-030/01.md": "# 没有元数据块\n",  # an article file, though unloadable
        }
    )
    assert everything(root) == [
        (
            "F008",
            W,
            "期刊 2018-028 还没有文稿：不能生成，briefing site 也不会收入归档；"
            "用 briefing new-article 添加",
            "issues/2018-028/issue.yaml",
            1,
            1,
        ),
        ("F003", E, NO_FRONT_MATTER, "issues/2018-030/01.md", 1, 1),
    ]


def test_publication_records_are_checked(make_workspace: WorkspaceFactory) -> None:
    from briefing.manifest import write_manifest

    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": article(),
            "issues/2018-029/issue.yaml": issue_yaml(29, 647) + "published: true\n",
            "issues/2018-029/01.md": article(),
        }
    )
    settings = load_settings(root, Reporter())
    write_manifest(load_issue_folder(root / ISSUE, settings, Reporter()), root, "第二十八期", [], 2)
    (root / ISSUE / "01.md").write_text(article(body="改过的正文。"), encoding="utf-8")
    assert everything(root) == [
        (
            "R001",
            E,
            "已签发期刊的文件 issues/2018-028/01.md 在签发后被修改；"
            "请恢复签发时的内容（见 manifest.json）",
            ISSUE + "01.md",
            1,
            1,
        ),
        (
            "R003",
            W,
            "期刊 2018-029 标为已签发（published: true），但没有签发记录 manifest.json；"
            "运行 briefing publish 2018-029 补记",
            "issues/2018-029/issue.yaml",
            5,
            1,
        ),
    ]


def test_duplicate_titles_and_orders_name_the_first_article(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01.md": article("甲", order="order: 3\n"),
            ISSUE + "02.md": article("乙", order="order: 3\n"),
            ISSUE + "03.md": article("甲", source="办"),
        }
    )
    assert everything(root) == [
        ("M006", E, "order: 3 与 01.md 重复，请调整顺序号", ISSUE + "02.md", 4, 8),
        ("M005", E, "标题“甲”与 01.md 重复", ISSUE + "03.md", 2, 8),
    ]


def test_order_list_entries_are_checked_against_the_folder(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml() + "order:\n  - 02.md\n  - 09.md\n  - 09.md\n",
            ISSUE + "01.md": article(),
            ISSUE + "02.md": "# 没有元数据块\n",  # listed, present, but not loaded: no M007
        },
    )
    assert everything(root) == [
        ("F003", E, NO_FRONT_MATTER, ISSUE + "02.md", 1, 1),
        ("M007", E, "order 中列出的文稿 09.md 不存在", ISSUE + "issue.yaml", 6, 3),
        ("M007", E, "order 中重复列出了 09.md", ISSUE + "issue.yaml", 6, 3),
    ]


def test_severity_settings_are_checked_before_any_issue(make_workspace: WorkspaceFactory) -> None:
    config = (
        BASE_CONFIG + "checks:\n  severity: {X999: off, F006: never, P002: warning, F008: off}\n"
    )
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml()}, config=config)
    where = ("briefing.yaml", 15, 13)
    assert everything(root) == [
        ("M002", E, "checks.severity 中的规则代码“X999”不存在（见 briefing rules）", *where),
        ("M003", E, "规则 F006 的级别应为 error、warning 或 off，现在是“never”", *where),
        ("M003", E, "规则 P002 防止读取或排版不安全的内容，不能降为 warning", *where),
    ]


def loaded_issue(root: Path):  # type: ignore[no-untyped-def]
    settings = load_settings(root, Reporter())
    return settings, load_issue_folder(root / ISSUE, settings, Reporter())


def test_check_issue_proofreads_unless_told_not_to(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01.md": article(body="今年以来,街道推行网格化管理。"),
            ISSUE + "02.md": article("乙", source="交警五大队"),
            ISSUE + "03.md": article("丙", source="交警5大队"),
            ISSUE + "04.md": article("丁", source="交警五大队"),
        }
    )
    settings, loaded = loaded_issue(root)
    reporter = Reporter()
    check_issue(settings, loaded, reporter)
    assert [(d.code, d.path.name, d.line, d.column) for d in reporter.sorted()] == [
        ("T101", "01.md", 6, 5),
        ("C308", "03.md", 3, 9),
    ]
    assert reporter.sorted()[1].message == (
        "供稿单位“交警5大队”与 02.md 中的“交警五大队”是同一单位的不同写法，请统一"
    )
    quiet = Reporter()
    check_issue(settings, loaded, quiet, advice=False)
    assert quiet.diagnostics == []
    assert [d[0] for d in everything(root, advice=True)] == ["T101", "C308"]
    assert everything(root, advice=False) == []


def swapped_picture(root: Path, target: str) -> list[tuple[str, str]]:
    """Findings for a picture that was valid when the article was loaded and was then replaced
    by a symbolic link to *target*: the check reads the picture again, safely."""
    settings, loaded = loaded_issue(root)
    picture = root / ISSUE / "images/a.png"
    picture.unlink()
    picture.symlink_to(target)
    reporter = Reporter()
    check_issue(settings, loaded, reporter, advice=False)
    return [(d.code, d.message) for d in reporter.sorted()]


@pytest.fixture
def picture_workspace(make_workspace: WorkspaceFactory) -> Path:
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": article(body="![图](images/a.png)")}
    )
    (root / ISSUE / "images").mkdir()
    shutil.copy(REPO / "tests/data/images/sample.png", root / ISSUE / "images/a.png")
    return root


def test_a_picture_is_never_read_through_a_link_out_of_the_workspace(
    picture_workspace: Path,
) -> None:
    outside = picture_workspace.parent / "outside.png"
    shutil.copy(REPO / "tests/data/images/sample.png", outside)
    assert check_workspace(picture_workspace, advice=False).diagnostics == ()
    assert swapped_picture(picture_workspace, str(outside)) == [
        (
            "F009",
            f"图片“images/a.png”无法使用：符号链接指向工作区以外（{outside}），出于安全考虑不读取",
        )
    ]


def test_a_picture_that_cannot_be_read_says_why(picture_workspace: Path) -> None:
    assert swapped_picture(picture_workspace, "gone.png") == [
        ("P001", "图片“images/a.png”无法读取：文件不存在")
    ]


# --------------------------------------------------------------------------- the worker pool


def _probe(job: tuple[Path, object, object, bool, bool]) -> tuple[str, int, bool]:
    """Stands in for ``_check_folder``: which folder, in which process, ignoring Ctrl-C?"""
    return job[0].name, os.getpid(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def probed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, count: int, *, advice: bool = True
) -> tuple[list[str], set[str]]:
    """The folder names in result order, and where each ran: "parent" or "worker"."""
    monkeypatch.setattr(briefing.check, "_check_folder", _probe)
    folders = [tmp_path / f"2018-{n:03d}" for n in range(1, count + 1)]
    settings = load_settings(tmp_path, Reporter())
    results = _check_folders(folders, settings, {}, advice, True)
    where = {
        "parent" if pid == os.getpid() else ("worker" if ignored else "worker hearing Ctrl-C")
        for _, pid, ignored in results
    }
    assert [name for name, _, _ in results] == [f.name for f in folders]
    return [name for name, _, _ in results], where


def test_a_large_register_is_checked_by_workers_that_leave_ctrl_c_to_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert briefing.check.PARALLEL_MIN_FOLDERS == 12
    assert probed(monkeypatch, tmp_path, 12)[1] == {"worker"}
    assert probed(monkeypatch, tmp_path, 11)[1] == {"parent"}
    assert probed(monkeypatch, tmp_path, 12, advice=False)[1] == {"parent"}


def test_one_core_or_no_fork_checks_in_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert probed(monkeypatch, tmp_path, 12)[1] == {"parent"}
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert probed(monkeypatch, tmp_path, 12)[1] == {"parent"}
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert probed(monkeypatch, tmp_path, 12)[1] == {"parent"}


def test_a_worker_ignores_ctrl_c() -> None:
    """From the dispositions a terminal gives (whatever this test process inherited), a worker
    ignores Ctrl-C and leaves SIGTERM alone."""
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _leave_interrupts_to_parent()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def test_a_fresh_process_knows_the_proofreading_codes_its_workers_report(
    make_workspace: WorkspaceFactory,
) -> None:
    """The rules register when ``briefing.proofread`` is imported, which the pool's workers did
    and, without ``checks.severity``, the parent did not: adding their T101 to its reporter
    was a KeyError. Only a fresh interpreter shows it (this one has imported everything)."""
    import json
    import subprocess
    import sys

    files = {}
    for n in range(28, 28 + briefing.check.PARALLEL_MIN_FOLDERS):
        files[f"issues/2018-{n:03d}/issue.yaml"] = issue_yaml(n, 618 + n)
        files[f"issues/2018-{n:03d}/01.md"] = article(body="今年以来,街道推行网格化管理。")
    root = make_workspace(files)
    probe = (
        "import os, sys; os.cpu_count = lambda: 2\n"
        "from briefing.cli import app\n"
        "app(sys.argv[1:], prog_name='briefing')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "-C", str(root), "check", "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # warnings only
    found = json.loads(done.stdout)["diagnostics"]
    assert [d["code"] for d in found] == ["T101"] * briefing.check.PARALLEL_MIN_FOLDERS


def test_workers_get_small_chunks_of_folders_so_they_finish_together() -> None:
    from briefing.check import _chunk_size

    assert [_chunk_size(n, 2) for n in (12, 31, 32, 125, 1000)] == [1, 1, 1, 3, 31]
    assert _chunk_size(125, 4) == 1


@pytest.mark.parametrize(("count", "warned"), [(13, False), (16, True)])
def test_a_contents_too_long_for_page_one_is_a_warning_before_the_build(
    make_workspace: WorkspaceFactory, count: int, warned: bool
) -> None:
    files = {ISSUE + "issue.yaml": issue_yaml()}
    for i in range(1, count + 1):
        files[ISSUE + f"{i:02d}.md"] = article(title=f"第{i}篇：新区全面推进重点工程建设")
    root = make_workspace(files)
    found = [f for f in everything(root, advice=True) if f[0] == "L001"]
    message = (
        f"本期目录共 {count} 条，收紧行距和字号后首页仍放不下，将在第 2 页“本期目录（续）”下接排；"
        "如需全部留在首页，可减少篇目或缩短标题"
    )
    assert found == ([("L001", W, message, ISSUE + "issue.yaml", 1, 1)] if warned else [])
