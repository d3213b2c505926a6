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


# --------------------------------------------------------------------------- input given later


def _write_pid_and_input(out: Path, text: str) -> None:
    out.write_text(f"{os.getpid()} {text}")


def test_a_prepared_child_gets_its_input_later(tmp_path: Path) -> None:
    prepared = tmp_path / "prepared.txt"
    job = start_aside(
        _write_pid_and_input,
        "测试",
        prepare=lambda: prepared.write_text(str(os.getpid())),
        awaits_input=True,
    )
    assert job._pid
    deadline = time.monotonic() + 10
    while not prepared.exists() and time.monotonic() < deadline:
        time.sleep(0.01)  # it prepares before there is any input
    out = tmp_path / "out.txt"
    job.give(out, "简报")
    job.wait()
    pid, text = out.read_text().split()
    assert pid == prepared.read_text() != str(os.getpid())
    assert text == "简报"


def test_a_large_input_does_not_hold_up_the_giver(tmp_path: Path) -> None:
    # the child is still preparing: a 4 MB input fills the pipe, and give() must return
    job = start_aside(
        lambda out, data: out.write_text(str(len(data))),
        "测试",
        prepare=lambda: time.sleep(1),
        awaits_input=True,
    )
    out = tmp_path / "out.txt"
    started = time.monotonic()
    job.give(out, "字" * 4_000_000)
    assert time.monotonic() - started < 0.5
    job.wait()
    assert out.read_text() == "4000000"


def test_a_failed_preparation_is_raised_by_wait_and_give_does_not_break(tmp_path: Path) -> None:
    def prepare() -> None:
        raise InputError("模板有语法错误")

    job = start_aside(lambda out: out.write_text("x"), "测试", prepare=prepare, awaits_input=True)
    time.sleep(0.2)  # the child has failed and closed its end of the input pipe
    job.give(tmp_path / "out.txt")
    with pytest.raises(InputError, match="模板有语法错误"):
        job.wait()
    assert not (tmp_path / "out.txt").exists()


def test_cancel_before_the_input_ends_the_waiting_child() -> None:
    job = start_aside(lambda: None, "测试", awaits_input=True)
    pid = job._pid
    job.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    job.cancel()  # twice is harmless


def test_waiting_without_giving_the_input_is_a_bug_not_a_hang() -> None:
    job = start_aside(lambda text: None, "测试", awaits_input=True)
    pid = job._pid
    with pytest.raises(RuntimeError, match="没有收到输入"):
        job.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_serial_prepares_then_works_with_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_SERIAL", "1")
    events: list[str] = []
    job = start_aside(
        lambda text: events.append(f"work {text}"),
        "测试",
        prepare=lambda: events.append("prepare"),
        awaits_input=True,
    )
    job.give("简报")
    assert events == []
    job.wait()
    assert events == ["prepare", "work 简报"]
