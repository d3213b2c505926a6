"""Leftovers of killed runs: staging folders and LibreOffice profiles named after their owner.

A build names its temporary folders ``<prefix><pid>-…``. A run that is stopped normally (also
by Ctrl-C or SIGTERM, see ``briefing.cli``) removes its own; one killed with ``kill -9``
cannot, so the next run removes every such folder whose owner process no longer exists.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

SOFFICE_PREFIX = "briefing-soffice-"
SOFFICE_PID_FILE = "soffice.pid"
_OWNER = re.compile(r"(\d+)-")


def owner_pid(name: str, prefix: str) -> int | None:
    """The pid in ``<prefix><pid>-…``, or ``None`` for a name without one."""
    if not name.startswith(prefix):
        return None
    match = _OWNER.match(name, len(prefix))
    return int(match.group(1)) if match else None


def process_exists(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def owner_is_gone(name: str, prefix: str) -> bool:
    pid = owner_pid(name, prefix)
    return pid is not None and pid != os.getpid() and not process_exists(pid)


def remove_stale_soffice_profiles(tmp: Path | None = None) -> list[Path]:
    """Remove the LibreOffice profiles of dead builds (stopping their orphaned LibreOffice)."""
    removed = []
    folder = tmp or Path(tempfile.gettempdir())
    for path in folder.glob(f"{SOFFICE_PREFIX}*"):
        if not path.is_dir() or path.is_symlink() or not owner_is_gone(path.name, SOFFICE_PREFIX):
            continue
        stop_soffice_recorded_in(path)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def stop_soffice_recorded_in(folder: Path) -> None:
    """Kill the LibreOffice process group recorded in *folder*, if it is still LibreOffice."""
    try:
        pid = int((folder / SOFFICE_PID_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return
    if process_exists(pid) and _is_soffice(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def _is_soffice(pid: int) -> bool:
    """Whether *pid* is LibreOffice (a recycled pid must never be killed)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"soffice" in command or b"libreoffice" in command
