"""``cli.main``: SIGTERM unwinds a command like Ctrl-C, and the caller's handler is back after.

Run in this process, as a host program (or the test suite) would call it: a handler left
installed would turn the host's next SIGTERM into an exception in whatever code it runs.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import briefing.check
from briefing.cli import main


def callers_handler(signum: int, frame: object) -> None:
    raise AssertionError("the caller's handler ran while a command was running")


@pytest.fixture
def caller_handles_sigterm() -> Iterator[None]:
    before = signal.signal(signal.SIGTERM, callers_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> object:
    monkeypatch.setattr(sys, "argv", ["briefing", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    return stopped.value.code


@pytest.mark.usefixtures("caller_handles_sigterm")
def test_the_handler_is_restored_after_success_and_failure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run_main(monkeypatch, "--help") == 0
    assert signal.getsignal(signal.SIGTERM) is callers_handler
    assert run_main(monkeypatch, "-C", str(tmp_path / "missing"), "check") == 2
    assert signal.getsignal(signal.SIGTERM) is callers_handler


def terminated(*args: object, **kwargs: object) -> None:
    signal.raise_signal(signal.SIGTERM)


def interrupted(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.usefixtures("caller_handles_sigterm")
@pytest.mark.parametrize(("stop", "code"), [(terminated, 143), (interrupted, 130)])
def test_a_signal_during_a_command_exits_and_restores_the_handler(
    monkeypatch: pytest.MonkeyPatch, good_workspace: Path, stop: object, code: int
) -> None:
    """SIGTERM exits 143 and Ctrl-C 130, with the caller's handler back afterwards."""
    monkeypatch.setattr(briefing.check, "check_workspace", stop)
    assert run_main(monkeypatch, "-C", str(good_workspace), "check") == code
    assert signal.getsignal(signal.SIGTERM) is callers_handler
