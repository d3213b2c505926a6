"""Progress of long operations: reported by the library, drawn by the CLI on a terminal only."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefing.archive import build_archive
from briefing.build import build_issue
from briefing.check import check_workspace
from tests.conftest import REPO


class Recorder:
    """A :class:`briefing.progress.Progress` that remembers every task and its steps."""

    def __init__(self) -> None:
        self.tasks: list[tuple[str, int | None]] = []
        self.steps: dict[str, int] = {}

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[object]:
        self.tasks.append((description, total))
        self.steps[description] = 0
        recorder = self

        class Step:
            def advance(self, amount: int = 1) -> None:
                recorder.steps[description] += amount

        yield Step()


def test_a_pdf_build_reports_its_conversion(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def convert(docx, pdf, **options):  # type: ignore[no-untyped-def]
        pdf.write_bytes(b"%PDF-1.7\n<< /Type /Page >>\n")

    monkeypatch.setattr("briefing.render.pdf.convert_to_pdf", convert)
    progress = Recorder()
    build_issue(check_workspace(good_workspace), "2018-028", ("pdf",), progress=progress)
    assert progress.tasks == [("LibreOffice 转换 PDF：2018-028", None)]


def test_the_archive_counts_its_issues(good_workspace: Path) -> None:
    progress = Recorder()
    build_archive(good_workspace, None, progress=progress)
    assert progress.tasks == [("检查工作区", None), ("生成归档", 1)]
    assert progress.steps["生成归档"] == 1


def test_the_first_search_builds_the_index_with_progress(good_workspace: Path) -> None:
    from briefing.search import make_query, search

    first = Recorder()
    search(good_workspace, make_query(["网格"], None, None), progress=first)
    assert ("建立检索索引", 1) in first.tasks
    again = Recorder()
    search(good_workspace, make_query(["网格"], None, None), progress=again)
    assert again.tasks == []  # an up-to-date index is not worth a progress bar


def run_site(root: Path, *, terminal: bool) -> tuple[str, str]:
    """``briefing site`` with standard error on a pseudo-terminal or a pipe."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm", "COLUMNS": "100"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        env.pop(name, None)
    command = [sys.executable, "-m", "briefing", "-C", str(root), "site"]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    drawn = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            drawn += chunk
        elif process.poll() is not None:
            break
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read().decode()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    return out, drawn.decode("utf-8", "replace")


def test_progress_is_drawn_on_a_terminal_only(good_workspace: Path) -> None:
    out, drawn = run_site(good_workspace, terminal=True)
    assert out.strip().endswith("index.html")
    assert "生成归档" in drawn
    assert "已用" in drawn
    out, err = run_site(good_workspace, terminal=False)
    assert out.strip().endswith("index.html")
    assert "生成归档" not in err
    assert "\x1b[" not in err + out
