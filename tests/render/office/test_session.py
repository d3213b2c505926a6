"""The LibreOffice session: start, convert, restart after a crash or a hang, stop without a trace."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from briefing.errors import UsageError
from briefing.render.pdf import PDF, ColdConverter
from briefing.render.reproducible import canonical_font_ids, normalise_pdf
from tests.children import Children
from tests.render.office.conftest import (
    live_in_group,
    office_processes,
    profile_marker,
    wait_until_gone,
)

pytestmark = pytest.mark.render


def soffice_bin(group: int) -> int:
    """The pid of soffice.bin (the process that does the work) in *group*."""
    for pid in live_in_group(group):
        if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    raise AssertionError(f"no soffice.bin in group {group}")


def test_start_convert_close_leaves_nothing(session, small_docx: Path) -> None:  # type: ignore[no-untyped-def]
    data = session.convert(small_docx, PDF, timeout=120)
    assert data.startswith(b"%PDF-")
    group = session.group
    work = Path(f"/proc/{group}/cmdline").read_bytes().split(b"UserInstallation=file://")[1]
    profile = Path(work.split(b"/profile")[0].decode())
    assert profile.is_dir()
    assert session.convert(small_docx, PDF, timeout=120).startswith(b"%PDF-")
    assert session.starts == 1  # the second conversion used the same LibreOffice
    session.close()
    assert wait_until_gone(group) == []
    assert not profile.exists()
    assert not session.running


def test_its_pipe_is_private(session) -> None:  # type: ignore[no-untyped-def]
    session.start()
    pipe = Path(f"/tmp/OSL_PIPE_{os.getuid()}_{session._pipe}")
    assert pipe.is_socket()
    assert pipe.stat().st_mode & 0o077 == 0  # nobody else may connect to this LibreOffice
    session.close()
    assert not pipe.exists()


def test_a_crashed_libreoffice_is_restarted(session, small_docx: Path) -> None:  # type: ignore[no-untyped-def]
    session.convert(small_docx, PDF, timeout=120)
    crashed = session.group
    os.killpg(crashed, signal.SIGKILL)
    data = session.convert(small_docx, PDF, timeout=120)
    assert data.startswith(b"%PDF-")
    assert session.starts == 2
    assert session.group != crashed
    assert wait_until_gone(crashed) == []


def test_a_hung_libreoffice_times_out_and_is_replaced(session, small_docx: Path) -> None:  # type: ignore[no-untyped-def]
    session.convert(small_docx, PDF, timeout=120)
    hung = session.group
    os.kill(soffice_bin(hung), signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(UsageError, match="超时"):
        session.convert(small_docx, PDF, timeout=3)
    assert time.monotonic() - started < 30
    assert wait_until_gone(hung) == []  # stopped processes are killed too
    assert session.convert(small_docx, PDF, timeout=120).startswith(b"%PDF-")
    assert session.starts == 2


def test_warm_conversions_give_the_cold_bytes(session, small_docx: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cold = ColdConverter().convert(small_docx, PDF, timeout=120)
    first = session.convert(small_docx, PDF, timeout=120)
    second = session.convert(small_docx, PDF, timeout=120)
    # LibreOffice numbers embedded fonts from a per-process counter: the second PDF differs
    # from a fresh process's until the numbers are made canonical
    assert canonical_font_ids(second) != second
    assert canonical_font_ids(first) is first  # a fresh process's numbers are kept as they are
    stamp = dt.datetime(2018, 12, 20, tzinfo=dt.UTC)
    assert normalise_pdf(second, stamp) == normalise_pdf(first, stamp) == normalise_pdf(cold, stamp)


CHILD = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
def terminated(signum, frame):
    raise KeyboardInterrupt
signal.signal(signal.SIGTERM, terminated)
from briefing.render.office import OfficeSession
with OfficeSession() as session:
    session.start()
    print(session.group, flush=True)
    time.sleep(120)
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_no_libreoffice_outlives_its_owner(
    uno_python: str, signum: int, children: Children
) -> None:
    """Ctrl-C and SIGTERM unwind through ``close``; ``kill -9`` leaves it to the bridge,
    whose standard input closes with its owner."""
    owner = children.start([sys.executable, "-c", CHILD])
    assert owner.stdout is not None
    line = owner.stdout.readline()
    assert line.strip().isdigit(), owner.stderr.read() if owner.stderr else line
    group = int(line)
    assert live_in_group(group)
    owner.send_signal(signum)
    owner.wait(timeout=60)
    assert wait_until_gone(group) == []
    assert office_processes(profile_marker(owner.pid)) == []
