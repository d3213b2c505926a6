"""The UNO bridge: run by a Python that has LibreOffice's ``uno`` module, not by briefing's own.

Debian's ``python3-uno`` installs ``uno`` for the system Python (``/usr/bin/python3``) and
LibreOffice's own builds bundle a Python of their own, so neither is usually the interpreter
briefing runs in. ``briefing.render.office`` therefore starts this file as a script under such a
Python (it imports nothing from briefing) and talks to it over its standard input and output,
one JSON object a line:

- on start: ``{"ready": true}`` once connected to the LibreOffice listening on the pipe named
  by ``--pipe``, or ``{"ready": false, "error": …}``;
- ``{"quit": true}``: LibreOffice is asked to terminate, the bridge exits;
- request ``{"source": path, "target": path, "filter": name, "options": [[name, type, value]…]}``,
  answer ``{"ok": true}`` or ``{"ok": false, "error": …, "lost": bool}`` (``lost``: the
  connection to LibreOffice is gone — it crashed or was killed).

The document is loaded hidden and read-only and stored with the filter's options, as
``soffice --convert-to`` does, so the PDF is the one the cold path writes.

It is also the watchdog of that LibreOffice: a thread reads standard input, and when it closes
(the owner exited, crashed or was killed) it kills LibreOffice's process group (``--group``)
and exits, even while a conversion is under way. On Linux the kernel also sends it SIGTERM
when its parent dies (``PR_SET_PDEATHSIG``), with the same effect.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import stat
import sys
import threading
import time
from typing import NoReturn

_PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> int:
    pipe, group, connect_timeout = _arguments(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the owner's to handle
    # the owner holds SIGTERM back while it starts us; the parent-death signal needs it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _die_with_parent(group)
    requests: queue.Queue[dict[str, object]] = queue.Queue()
    threading.Thread(target=_read_requests, args=(requests, group), daemon=True).start()
    try:
        desktop = _connect(pipe, connect_timeout)
    except Exception as error:  # any failure is reported, not raised
        _answer({"ready": False, "error": _describe(error)})
        _stop(group)
    _answer({"ready": True})
    while True:
        request = requests.get()
        if request.get("quit"):
            _quit(desktop)
        try:
            _convert(desktop, request)
        except Exception as error:
            lost = not _alive(desktop)
            _answer({"ok": False, "error": _describe(error), "lost": lost})
            if lost:
                _stop(group)
            continue
        _answer({"ok": True})


def _arguments(argv: list[str]) -> tuple[str, int, float]:
    # plain indexing: this script must also run on the older Pythons that ship with LibreOffice
    values = {argv[i]: argv[i + 1] for i in range(0, len(argv) - 1, 2)}
    return values["--pipe"], int(values["--group"]), float(values.get("--connect-timeout", "60"))


def _read_requests(requests: queue.Queue[dict[str, object]], group: int) -> None:
    """Hand each request line to the main thread; on end of input, stop LibreOffice and exit."""
    for line in sys.stdin:
        if line.strip():
            requests.put(json.loads(line))
    _stop(group)


def _stop(group: int) -> NoReturn:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    os._exit(0)


def _quit(desktop) -> NoReturn:  # type: ignore[no-untyped-def]
    """Let LibreOffice shut down by itself (it then removes its pipes from /tmp)."""
    with contextlib.suppress(Exception):  # terminating disposes the bridge under our feet
        desktop.terminate()
    _answer({"ok": True})
    os._exit(0)


def _die_with_parent(group: int) -> None:
    """Linux: SIGTERM when the parent dies; the handler stops LibreOffice and exits."""
    signal.signal(signal.SIGTERM, lambda signum, frame: _stop(group))
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        _stop(group)


def _connect(pipe: str, timeout: float):  # type: ignore[no-untyped-def]
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    remote = None
    while remote is None:
        _refuse_foreign_pipe(pipe)
        try:
            remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)


def _refuse_foreign_pipe(pipe: str) -> None:
    """LibreOffice's pipe is a socket in /tmp (or /var/tmp): connect only to one of ours that
    nobody else may open (a socket someone else made under that name is refused)."""
    uid = os.getuid()
    for folder in ("/tmp", "/var/tmp"):
        path = f"{folder}/OSL_PIPE_{uid}_{pipe}"
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISSOCK(info.st_mode) or info.st_uid != uid or info.st_mode & 0o077:
            raise RuntimeError(f"{path} is not a private socket of this user")


def _convert(desktop, request: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name: str, value: object) -> PropertyValue:
        return PropertyValue(Name=name, Value=value)

    source = uno.systemPathToFileUrl(str(request["source"]))
    target = uno.systemPathToFileUrl(str(request["target"]))
    document = desktop.loadComponentFromURL(
        source, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True))
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        store = [prop("FilterName", request["filter"]), prop("Overwrite", True)]
        options = [prop(name, _typed(kind, value)) for name, kind, value in request["options"]]  # type: ignore[attr-defined]
        if options:
            store.append(
                prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", tuple(options)))
            )
        document.storeToURL(target, tuple(store))
    finally:
        document.close(True)


def _typed(kind: str, value: str) -> object:
    if kind == "boolean":
        return value == "true"
    if kind == "long":
        return int(value)
    return value


def _alive(desktop) -> bool:  # type: ignore[no-untyped-def]
    try:
        desktop.getFrames()
    except Exception:  # a disposed bridge raises its own exception types
        return False
    return True


def _describe(error: BaseException) -> str:
    text = getattr(error, "Message", None) or str(error)
    return f"{type(error).__name__}: {text}".strip()


def _answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
