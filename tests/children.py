"""Child processes that a test signals: they hear SIGINT and SIGTERM whatever the test runner's
shell did.

A shell starts a background job (``pytest ... &``) or a ``nohup`` command with SIGINT ignored,
and an ignored signal stays ignored across ``fork`` and ``exec``: a child that inherited that
never sees the test's Ctrl-C and the test hangs until its timeout. Every child a test means to
interrupt is started here, with both signals back at their defaults before its program runs.
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def default_signals() -> None:
    """``preexec_fn``: SIGINT and SIGTERM as a terminal's process has them."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def briefing_env(**extra: str) -> dict[str, str]:
    """The test's environment, importing ``briefing`` from this checkout."""
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def start_child(command: Sequence[str], **options: Any) -> subprocess.Popen[str]:
    """*command* with text pipes for its output, ready to be signalled."""
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    options.setdefault("env", briefing_env())
    return subprocess.Popen(list(command), text=True, preexec_fn=default_signals, **options)


class Children:
    """The processes one test starts (the ``children`` fixture): whichever the test leaves
    running, a failed assertion or a timeout, is stopped when it ends, not left behind."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[str]] = []

    def start(self, command: Sequence[str], **options: Any) -> subprocess.Popen[str]:
        """:func:`start_child`, remembered."""
        process = start_child(command, **options)
        self.started.append(process)
        return process

    def briefing(self, args: Sequence[str], **options: Any) -> subprocess.Popen[str]:
        """``python -m briefing *args*``."""
        return self.start([sys.executable, "-m", "briefing", *args], **options)

    def stop_all(self) -> None:
        """SIGTERM first, so that a briefing command stops its LibreOffice; then SIGKILL."""
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.communicate(timeout=STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    process.kill()
            process.communicate()


STOP_SECONDS = 15


def interrupt_preview(process: subprocess.Popen[str], seconds: float = 30) -> str:
    """Ctrl-C a running ``briefing preview``: it stops by itself within *seconds*, exits 0
    (Ctrl-C is how a preview ends), says so last and prints no traceback. Its standard error."""
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=seconds)
    assert process.returncode == 0, err
    assert err.splitlines()[-1] == "预览已停止", err
    assert "Traceback" not in err
    return err


def listening_addresses(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket process *pid* listens on, as the kernel has them
    (``/proc/net/tcp`` and ``tcp6``), not as the process says."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed since the listing
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and inode in inodes:
                found.add(_address(local, family))
    return found


LISTEN = "0A"  # TCP_LISTEN in the kernel's tables


def _address(hex_address: str, family: int) -> tuple[str, int]:
    """``0100007F:1F90`` → ("127.0.0.1", 8080): the address is printed one 32-bit word at a
    time in the machine's byte order, the port as a plain number."""
    address, port = hex_address.split(":")
    words = [int(address[i : i + 8], 16) for i in range(0, len(address), 8)]
    raw = b"".join(struct.pack("=I", word) for word in words)
    return socket.inet_ntop(family, raw), int(port, 16)
