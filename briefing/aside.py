"""Run one independent piece of work in a forked child while this process does another.

``build --format docx,html`` renders two editions of the same in-memory bulletin that share
nothing: the HTML edition (jinja2's import and template compilation, ≈ 0.15 s) can run on the
second core while this process builds the DOCX. A forked child inherits the bulletin as it
is, so nothing is pickled on the way in; only a failure comes back, pickled, through a pipe.

An aside can also start before its input exists (``prepare`` + ``awaits_input``): ``build``
forks the HTML edition's process first thing, so that importing jinja2 and compiling the
templates overlaps with checking the workspace; the bulletin follows through a second pipe,
pickled, once it is assembled (:meth:`Aside.give`).

Fork is used only where it is safe and pays: on a POSIX system, in a process with a single
thread (forking a threaded process can deadlock in the child), and not when
``BRIEFING_SERIAL=1`` asks for one process (debugging, profiling). Otherwise the work simply
runs in this process when its result is asked for. Either way the caller sees the same
outcome: the work's own exception is raised by :meth:`Aside.wait`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable

from briefing.errors import UsageError

SERIAL_ENV = "BRIEFING_SERIAL"


class AsideCrashed(UsageError):
    """The child ended without reporting (killed, out of memory): an environment failure."""


class Aside:
    """Work started with :func:`start_aside`; :meth:`wait` returns once it is done."""

    def __init__(
        self,
        work: Callable[..., None],
        what: str,
        prepare: Callable[[], None] | None = None,
        *,
        awaits_input: bool = False,
    ) -> None:
        self._work: Callable[..., None] | None = work
        self._prepare = prepare
        self._awaits_input = awaits_input
        self._input: tuple[object, ...] | None = None  # given, when the work runs here
        self.what = what  # Chinese, for a crash message: "生成 HTML 版"
        self._pid = 0
        self._pipe = -1  # the child's report
        self._input_pipe = -1  # the work's input, for an aside that awaits it
        self._writer: threading.Thread | None = None

    def _fork(self) -> None:
        read, write = os.pipe()
        input_read, input_write = os.pipe() if self._awaits_input else (-1, -1)
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's frames
            os.close(read)
            if input_write >= 0:
                os.close(input_write)
            _run_child(self._prepare, self._work, write, input_read)  # type: ignore[arg-type]
        os.close(write)
        if input_read >= 0:
            os.close(input_read)
        self._pid, self._pipe, self._input_pipe, self._work = pid, read, input_write, None

    def give(self, *args: object) -> None:
        """The work's input, for an aside started before it existed. In a child it goes
        pickled through a pipe, written by a thread: a large bulletin must not hold this
        process up while the child is still preparing."""
        if self._work is not None or not self._pid:
            self._input = args
            return
        data = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        pipe, self._input_pipe = self._input_pipe, -1
        self._writer = threading.Thread(target=_send, args=(pipe, data), daemon=True)
        self._writer.start()

    def wait(self) -> None:
        """Block until the work is done; raise its exception if it failed."""
        if self._work is not None:
            work, self._work = self._work, None
            if self._prepare is not None:
                self._prepare()
            work(*(self._input or ()))
            return
        if not self._pid:
            return
        if self._input_pipe >= 0:  # a child waiting for input it will never get
            self.cancel()
            raise RuntimeError(f"{self.what}：子进程没有收到输入")
        report = _read_all(self._pipe)
        status = self._reap()
        if report:
            raise _unpickle(report, self.what)
        if status != 0:
            raise AsideCrashed(f"{self.what}的子进程{_describe(status)}")

    def cancel(self) -> None:
        """Stop the work (the caller failed first, or never gave it its input); never
        raises, and does nothing once the work is done."""
        self._work = None
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int:
        pid, self._pid = self._pid, 0
        for fd in (self._pipe, self._input_pipe):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._pipe = self._input_pipe = -1
        try:
            status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        except ChildProcessError:
            status = 0
        if self._writer is not None:  # the child has ended: the write is done or failed
            self._writer.join()
            self._writer = None
        return status


def start_aside(
    work: Callable[..., None],
    what: str,
    *,
    prepare: Callable[[], None] | None = None,
    awaits_input: bool = False,
) -> Aside:
    """Start *work* in a forked child when that is safe, else defer it to ``wait()``.

    *what* names the work in Chinese for the message of a crashed child. With
    *awaits_input*, the child runs *prepare* and then waits for :meth:`Aside.give`."""
    aside = Aside(work, what, prepare, awaits_input=awaits_input)
    if can_fork():
        aside._fork()
    return aside


def can_fork() -> bool:
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and os.environ.get(SERIAL_ENV, "") not in ("1", "true", "yes")
    )


def _run_child(
    prepare: Callable[[], None] | None, work: Callable[..., None], pipe: int, input_pipe: int
) -> None:
    status = 0
    try:
        # Ctrl-C reaches the whole process group: the parent reports it and stops this child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # The parent's SIGTERM handler cleans up the parent's files; a child must just end.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if prepare is not None:
            prepare()
        args: tuple[object, ...] = ()
        if input_pipe >= 0:
            data = _read_all(input_pipe)
            if not data:  # the parent gave up before it had the input: nothing to do
                return
            # Written by our parent a moment ago, through a pipe only it and we hold.
            args = pickle.loads(data)
        work(*args)
    except BaseException as exc:  # everything goes back to the parent, which decides
        status = 1
        _write_all(pipe, _pickle(exc))
    finally:
        os._exit(status)


def _pickle(exc: BaseException) -> bytes:
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)  # an exception whose __init__ takes other arguments fails here
        return data
    except Exception:
        return pickle.dumps(_Unpicklable(type(exc).__name__, str(exc)))


class _Unpicklable(Exception):
    """Stands in for a child's exception that cannot cross the pipe."""


def _unpickle(data: bytes, what: str) -> BaseException:
    # Written by our own forked child a moment ago, through a pipe only it and we hold.
    found = pickle.loads(data)
    if isinstance(found, _Unpicklable):
        name, message = found.args
        return AsideCrashed(f"{what}失败：{name}: {message}")
    return found if isinstance(found, BaseException) else AsideCrashed(f"{what}失败")


def _describe(status: int) -> str:
    if status < 0:
        return f"被信号 {-status} 终止"
    return f"异常退出（退出码 {status}）"


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _send(fd: int, data: bytes) -> None:
    """Write the input and close the pipe; a child that ended first reports for itself."""
    with contextlib.suppress(OSError):  # BrokenPipeError: the child is gone
        _write_all(fd, data)
    with contextlib.suppress(OSError):
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
