"""briefing.aside: work in a forked child comes back as its result or its own exception."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from briefing import aside
from briefing.aside import AsideCrashed, start_aside
from briefing.errors import Diagnostic, InputError, Severity, UsageError


def test_work_runs_in_a_child_and_its_files_are_there_after_wait(tmp_path: Path) -> None:
    out = tmp_path / "pid.txt"
    job = start_aside(lambda: out.write_text(str(os.getpid())), "测试")
    job.wait()
    assert out.read_text() != str(os.getpid())  # another process did it
    job.wait()  # a second wait is harmless


def test_a_located_error_comes_back_whole() -> None:
    where = Diagnostic("P004", Severity.ERROR, "图片已损坏", Path("issues/a/01.md"), 7, 3)

    def fail() -> None:
        raise InputError([where], hint="换一张图片")

    job = start_aside(fail, "测试")
    with pytest.raises(InputError) as caught:
        job.wait()
    assert caught.value.diagnostics == (where,)
    assert caught.value.hint == "换一张图片"


def test_an_exception_that_cannot_be_pickled_is_reported_by_name() -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"{a}/{b}")

    def fail() -> None:
        raise Odd(1, 2)

    with pytest.raises(AsideCrashed, match=r"^生成 HTML 版失败：Odd: 1/2$"):
        start_aside(fail, "生成 HTML 版").wait()


def test_a_killed_child_is_an_environment_error() -> None:
    job = start_aside(lambda: os.kill(os.getpid(), signal.SIGKILL), "生成 HTML 版")
    with pytest.raises(AsideCrashed, match=r"^生成 HTML 版的子进程被信号 9 终止$") as caught:
        job.wait()
    assert isinstance(caught.value, UsageError)


def test_a_child_exiting_without_a_report_is_an_environment_error() -> None:
    job = start_aside(lambda: os._exit(3), "生成 HTML 版")
    with pytest.raises(AsideCrashed, match=r"^生成 HTML 版的子进程异常退出（退出码 3）$"):
        job.wait()


def test_cancel_stops_the_child_at_once() -> None:
    job = start_aside(lambda: time.sleep(30), "测试")
    pid = job._pid
    assert pid
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped, not a zombie
    job.wait()  # nothing left to wait for


def test_the_child_ignores_ctrl_c_and_dies_on_sigterm(tmp_path: Path) -> None:
    seen = tmp_path / "handlers.txt"

    def record() -> None:
        seen.write_text(
            f"{signal.getsignal(signal.SIGINT) is signal.SIG_IGN} "
            f"{signal.getsignal(signal.SIGTERM) is signal.SIG_DFL}"
        )

    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        start_aside(record, "测试").wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen.read_text() == "True True"


def test_serial_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_SERIAL", "1")
    ran: list[int] = []
    job = start_aside(lambda: ran.append(os.getpid()), "测试")
    assert ran == []  # deferred to wait()
    job.wait()
    assert ran == [os.getpid()]


def test_serial_in_a_threaded_process() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not aside.can_fork()
        ran: list[int] = []
        start_aside(lambda: ran.append(os.getpid()), "测试").wait()
        assert ran == [os.getpid()]
    finally:
        stop.set()
        thread.join()
    assert aside.can_fork()


def test_serial_work_raises_its_own_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_SERIAL", "1")

    def fail() -> None:
        raise UsageError("磁盘空间不足")

    with pytest.raises(UsageError, match=r"^磁盘空间不足$"):
        start_aside(fail, "测试").wait()
