"""A LibreOffice kept running: one start-up for many conversions.

A cold ``soffice --convert-to`` spends most of its two seconds starting LibreOffice. An
:class:`OfficeSession` starts it once, listening on a UNO pipe, and converts document after
document through a small bridge script (``office_bridge.py``) run by a Python that has
LibreOffice's ``uno`` module — Debian's ``python3-uno`` is for the system Python, not for the
interpreter briefing runs in (:func:`find_uno_python`). The bridge and this process talk over
the bridge's standard input and output; LibreOffice's own pipe is a socket only its user can
open (it is created under umask 077, and the bridge refuses one that is not).

Why not ``unoserver`` (PyPI), which packages this pattern: it listens on TCP ports (XML-RPC on
2003, UNO on 2002) that every local user can reach, sleeps a fixed seven seconds at start-up,
replaces the process's signal handlers and must be installed into the uno Python itself; what
briefing needs of it is one load-and-store call.

Lifetime: LibreOffice runs in its own process group, started with the same options and
environment as the cold path (``render.pdf.soffice_launch``). The session kills that group when
it is closed (also on Ctrl-C and SIGTERM, which unwind through ``close``), when a conversion
times out, and when LibreOffice crashes (the next conversion starts a new one and is retried
once). If this process dies without closing — ``kill -9``, a crash — the bridge's standard
input closes and it kills the group (and on Linux the kernel's parent-death signal does the
same); the profile folder is named after this process, so the next briefing run also removes
whatever is left (``briefing.cleanup``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing.errors import UsageError
from briefing.render import pdf  # find_soffice looked up when called: office and pdf always agree
from briefing.render.pdf import (
    INSTALL_HINT,
    ConversionFailed,
    Target,
    hold_signals,
    kill_group,
    release_signals,
    soffice_launch,
    work_folder,
)
from briefing.templates import template_path

BRIDGE = Path(__file__).with_name("office_bridge.py")
UNO_HINT = "请安装 python3-uno（Debian/Ubuntu：apt-get install python3-uno）"
QUIT_TIMEOUT = 5.0
START_TIMEOUT = 90.0  # LibreOffice's first start with a new profile takes 2–10 s; a busy host more


class OfficeUnavailable(UsageError):
    """No LibreOffice can be kept running here (no ``uno`` Python, or it would not start)."""


@dataclass(frozen=True, slots=True)
class UnoPython:
    """The outcome of looking for a Python with LibreOffice's ``uno`` module."""

    python: str | None
    reason: str  # why there is none (empty when found)


def uno_python_candidates() -> list[str]:
    """Pythons that may have ``uno``: LibreOffice's own, the system's, this one."""
    found: list[str] = []
    soffice = pdf.find_soffice()
    if soffice is not None:
        program = Path(os.path.realpath(soffice)).parent
        found += [str(program / name) for name in ("python", "python.bin", "python3")]
    found += ["/usr/bin/python3", "/usr/local/bin/python3", sys.executable]
    return [c for c in dict.fromkeys(found) if os.access(c, os.X_OK) and Path(c).is_file()]


@cache
def find_uno_python() -> UnoPython:
    """The first candidate Python that imports ``uno`` (asked once per process)."""
    if pdf.find_soffice() is None:
        return UnoPython(None, f"未找到 LibreOffice。{INSTALL_HINT}")
    tried = uno_python_candidates()
    for python in tried:
        try:
            result = subprocess.run(
                [python, "-c", "import uno"],
                env=bridge_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode == 0:
            return UnoPython(python, "")
    return UnoPython(
        None, f"{'、'.join(tried) or '本机'}都没有 LibreOffice 的 uno 模块。{UNO_HINT}"
    )


def bridge_env() -> dict[str, str]:
    """This environment without what points a Python at briefing's own packages."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


class _Lost(Exception):
    """LibreOffice or the bridge is gone."""


class _Hung(Exception):
    """No answer within the timeout."""


class OfficeSession:
    """One LibreOffice (started on first use) and its bridge; thread-safe, one conversion at
    a time. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        fonts_conf: Path | None = None,
        *,
        python: str | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.fonts_conf = fonts_conf if fonts_conf is not None else template_path("fonts.conf")
        self._python = python
        self._start_timeout = start_timeout
        self._lock = threading.RLock()
        self._office: subprocess.Popen[bytes] | None = None
        self._bridge: subprocess.Popen[bytes] | None = None
        self._work: tempfile.TemporaryDirectory[str] | None = None
        self._pipe = ""
        self._buffer = b""
        self._count = 0
        self._aborted = False
        self._fonts_digest = ""
        self.starts = 0  # how many LibreOffice processes this session started

    # ------------------------------------------------------------------ lifetime

    def __enter__(self) -> OfficeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._office is not None and self._office.poll() is None

    @property
    def group(self) -> int | None:
        """LibreOffice's process group (its first process's pid), while it runs."""
        return self._office.pid if self._office is not None else None

    def start(self) -> None:
        """Start LibreOffice now rather than at the first conversion."""
        with self._lock:
            if not self.running:
                self._stop()
                self._start()

    def close(self) -> None:
        """Stop LibreOffice (asked first, killed if it does not go within seconds) and the
        bridge; remove the profile."""
        with self._lock:
            if self.running and self._bridge is not None and self._bridge.poll() is None:
                with contextlib.suppress(_Lost, _Hung):
                    self._ask({"quit": True}, QUIT_TIMEOUT)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    assert self._office is not None
                    self._office.wait(QUIT_TIMEOUT)
            self._stop()

    def abort(self) -> None:
        """From any thread: kill LibreOffice and the bridge now, even mid-conversion, and
        refuse further work (the conversion under way raises ``OfficeUnavailable``). Call
        :meth:`close` afterwards to reap the processes and remove the profile."""
        self._aborted = True
        bridge, office = self._bridge, self._office
        if bridge is not None:
            with contextlib.suppress(OSError):
                bridge.kill()
        if office is not None:
            kill_group(office)

    def restart_with(self, fonts_conf: Path) -> None:
        """Use *fonts_conf* from now on (LibreOffice reads it once, at start)."""
        with self._lock:
            if fonts_conf != self.fonts_conf:
                self._stop()
                self.fonts_conf = fonts_conf

    # ------------------------------------------------------------------ converting

    def convert(self, source: Path, target: Target, *, timeout: float) -> bytes:
        """*source* converted to *target*; raises like the cold path (``UsageError`` for a
        timeout or a LibreOffice that keeps crashing, ``ConversionFailed`` for a document it
        cannot convert)."""
        with self._lock:
            for attempt in (1, 2):
                if self._aborted:
                    raise OfficeUnavailable("LibreOffice 已停止")
                if not self.running or self._fonts_digest != _digest(self.fonts_conf):
                    self._stop()  # gone, or its fontconfig file was edited since it started
                    self._start()
                try:
                    return self._convert_once(source, target, timeout)
                except _Lost as lost:
                    self._stop()
                    if self._aborted:
                        raise OfficeUnavailable("LibreOffice 已停止") from None
                    if attempt == 2:
                        raise UsageError(
                            f"LibreOffice 转换 {target.what} 时意外退出（已重启一次仍失败）：{lost}"
                        ) from None
                except _Hung:
                    self._stop()
                    raise UsageError(
                        f"LibreOffice 转换 {target.what} 超时（超过 {timeout:g} 秒），已终止并将在下次转换时重启。"
                        "可能文档过大，或 LibreOffice 卡住。"
                    ) from None
        raise AssertionError("unreachable")

    def _convert_once(self, source: Path, target: Target, timeout: float) -> bytes:
        assert self._work is not None
        self._count += 1
        folder = Path(self._work.name) / "jobs" / str(self._count)
        inbox, outbox = folder / "in", folder / "out"
        inbox.mkdir(parents=True)
        outbox.mkdir()
        try:
            # the same file name as the cold path converts: nothing in the output may differ
            staged = inbox / source.name
            shutil.copyfile(source, staged)
            produced = outbox / f"{source.stem}.{target.suffix}"
            answer = self._ask(
                {
                    "source": str(staged),
                    "target": str(produced),
                    "filter": target.filter,
                    "options": target.uno_options(),
                },
                timeout,
            )
            if not answer.get("ok"):
                if answer.get("lost"):
                    raise _Lost(str(answer.get("error", "")))
                raise ConversionFailed(
                    f"LibreOffice 转换 {target.what} 失败：{source.name}\n{answer.get('error', '')}"
                )
            if not produced.is_file() or produced.stat().st_size == 0:
                raise ConversionFailed(f"LibreOffice 转换 {target.what} 失败：{source.name}")
            return produced.read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # ------------------------------------------------------------------ the processes

    def _start(self) -> None:
        if self._aborted:
            raise OfficeUnavailable("LibreOffice 已停止")
        soffice = pdf.find_soffice()
        if soffice is None:
            raise OfficeUnavailable(f"未找到 LibreOffice（soffice）。{INSTALL_HINT}")
        python = self._python or find_uno_python().python
        if python is None:
            raise OfficeUnavailable(find_uno_python().reason)
        self._fonts_digest = _digest(self.fonts_conf)
        self._work = work_folder()
        work = Path(self._work.name)
        self._pipe = f"briefing{secrets.token_hex(12)}"
        command, env = soffice_launch(soffice, work, self.fonts_conf)
        command.append(f"--accept=pipe,name={self._pipe};urp;StarOffice.ComponentContext")
        log = open(work / "office.log", "wb")  # noqa: SIM115 - handed to the children
        held = hold_signals() if threading.current_thread() is threading.main_thread() else None
        try:
            self._office = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=0o077,  # LibreOffice's pipe (a socket in /tmp) for this user alone
            )
            from briefing.cleanup import SOFFICE_PID_FILE

            (work / SOFFICE_PID_FILE).write_text(str(self._office.pid), encoding="ascii")
            self._bridge = subprocess.Popen(
                [
                    python,
                    str(BRIDGE),
                    "--pipe",
                    self._pipe,
                    "--group",
                    str(self._office.pid),
                    "--connect-timeout",
                    f"{self._start_timeout:g}",
                ],
                env=bridge_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,  # the terminal's Ctrl-C is for this process to handle
            )
        except OSError as error:
            self._stop()
            raise OfficeUnavailable(f"无法启动 LibreOffice 或 uno 桥接程序：{error}") from None
        finally:
            log.close()
            release_signals(held)
        self.starts += 1
        self._buffer = b""
        try:
            answer = self._read_answer(self._start_timeout + 5)
        except (_Lost, _Hung):
            answer = {"ready": False, "error": self._log_tail()}
        if not answer.get("ready"):
            self._stop()
            raise OfficeUnavailable(f"LibreOffice 未能启动：{answer.get('error', '')}")

    def _stop(self) -> None:
        """Bridge first (it would otherwise outlive us), then LibreOffice's whole group."""
        bridge, office, work = self._bridge, self._office, self._work
        self._bridge = self._office = self._work = None
        if bridge is not None:
            with contextlib.suppress(OSError):
                bridge.kill()
            bridge.wait()
            for stream in (bridge.stdin, bridge.stdout):
                if stream is not None:
                    stream.close()
        if office is not None:
            kill_group(office)
            office.wait()
        if self._pipe:
            # LibreOffice killed does not remove its pipe's socket
            for folder in ("/tmp", "/var/tmp"):
                Path(f"{folder}/OSL_PIPE_{os.getuid()}_{self._pipe}").unlink(missing_ok=True)
            self._pipe = ""
        if work is not None:
            work.cleanup()

    def _ask(self, request: dict[str, object], timeout: float) -> dict[str, object]:
        bridge = self._bridge
        assert bridge is not None
        assert bridge.stdin is not None
        try:
            bridge.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            bridge.stdin.flush()
        except OSError as error:
            raise _Lost(f"桥接程序已退出：{error}") from None
        return self._read_answer(timeout)

    def _read_answer(self, timeout: float) -> dict[str, object]:
        bridge = self._bridge
        assert bridge is not None
        assert bridge.stdout is not None
        fd = bridge.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Hung
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                if self._office is not None and self._office.poll() is not None:
                    raise _Lost(f"LibreOffice 已退出（退出码 {self._office.returncode}）")
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise _Lost("桥接程序已退出")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            answer = json.loads(line)
        except ValueError:
            raise _Lost(f"桥接程序的回答无法读取：{line[:200]!r}") from None
        return answer if isinstance(answer, dict) else {}

    def _log_tail(self) -> str:
        if self._work is None:
            return ""
        try:
            text = (Path(self._work.name) / "office.log").read_text("utf-8", "replace")
        except OSError:
            return ""
        kept = [line for line in text.splitlines() if line.strip() and "javaldx" not in line]
        return "\n".join(kept[-5:])

    # ------------------------------------------------------------------ inspection

    def processes(self) -> list[int]:
        """Pids in LibreOffice's process group (Linux ``/proc``; for tests and ``doctor``)."""
        return processes_in_group(self.group) if self.group is not None else []


def _digest(path: Path | None) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else "-"
    except OSError:
        return "-"


def processes_in_group(group: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.getpgid(int(entry.name)) == group:
                    found.append(int(entry.name))
    return found
