"""Fixtures for the warm-LibreOffice tests: a small DOCX, a session, and the leak check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools import require_uno_python


def office_processes(marker: str) -> list[int]:
    """Live LibreOffice processes whose command line contains *marker* (a profile folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in command and b"soffice" in command and state != "Z":
            found.append(int(entry.name))
    return found


def profile_marker(pid: int) -> str:
    """The LibreOffice profile folders of process *pid* are named after it (``briefing.cleanup``)."""
    return f"briefing-soffice-{pid}-"


@pytest.fixture
def uno_python() -> str:
    return require_uno_python()


@pytest.fixture
def small_docx(good_workspace: Path) -> Path:
    """The DOCX of the conftest's one-article issue."""
    from briefing.build import build_issue
    from briefing.check import check_workspace

    result = build_issue(check_workspace(good_workspace), "2018-028", ("docx",))
    return result.files[0]


@pytest.fixture
def session(uno_python: str) -> Iterator[object]:
    from briefing.render.office import OfficeSession

    with OfficeSession(python=uno_python) as office:
        yield office


def live_in_group(group: int) -> list[int]:
    """Processes of *group* that are not zombies (a killed LibreOffice's children are reaped
    by init a moment later)."""
    from briefing.render.office import processes_in_group

    alive = []
    for pid in processes_in_group(group):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def wait_until_gone(group: int, seconds: float = 15) -> list[int]:
    """Poll until *group* has no live process; what is left after *seconds*."""
    import time

    deadline = time.monotonic() + seconds
    while (left := live_in_group(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
