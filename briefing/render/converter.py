"""Which LibreOffice converts: the preview's warm one, a session for a batch, or a cold start.

While ``briefing preview`` runs, its process keeps a LibreOffice running (an
:class:`~briefing.render.office.OfficeSession`) and offers it to every other briefing run in the same
workspace through a :class:`WarmServer`: a Unix socket in a folder only this user can enter
(``$XDG_RUNTIME_DIR/briefing`` or ``<tmp>/briefing-<uid>``, mode 0700; never a TCP port),
named after the workspace's path. A ``build --format pdf``, ``publish`` or ``site --pdf`` in
that workspace finds the socket (:func:`converter_for`) and sends its DOCX there instead of
starting LibreOffice. Without a preview, a batch (``site --pdf`` over an archive) starts one
session of its own for all its conversions, and a single conversion stays the cold
``soffice --convert-to``.

The wire format is one JSON line, then the bytes it announces, in each direction; the server
accepts only connections from its own user (``SO_PEERCRED``) and converts one document at a
time on one thread that owns LibreOffice (a process started by a thread that later exits would
lose its parent-death signal). A request the server cannot serve — it is gone, or its
LibreOffice will not start — falls back to the cold path, so the warm path can only make a
conversion faster, never make it fail. Both give the same bytes (see ``render.pdf``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import stat
import struct
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import UsageError
from briefing.render.pdf import DOCX, PDF, ColdConverter, ConversionFailed, Converter, Target

NO_WARM = "BRIEFING_NO_WARM"  # =1: never use a preview's LibreOffice (benchmarks, doubt)
if TYPE_CHECKING:
    from briefing.render.office import OfficeSession

MAX_DOCUMENT = 512 * 2**20  # a DOCX full of photographs stays far below this
_HEADER_LIMIT = 64 * 1024
_TARGETS = {target.suffix: target for target in (PDF, DOCX)}


class NotPrivate(Exception):
    """The folder for the socket exists but others could enter it (or it is not ours)."""


def runtime_folder(create: bool = False) -> Path | None:
    """The private folder of this user's warm converters; ``None`` when it does not exist
    (and *create* is false). Raises ``NotPrivate`` for a folder that is not ours alone."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and Path(base).is_absolute() and _private(Path(base)):
        folder = Path(base) / "briefing"
    else:
        folder = Path(tempfile.gettempdir()) / f"briefing-{os.getuid()}"
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
    try:
        if not _private(folder):
            raise NotPrivate(f"{folder} 不是只有当前用户能进入的目录")
    except FileNotFoundError:
        return None
    return folder


def _private(folder: Path) -> bool:
    info = os.lstat(folder)  # never follow a symlink someone put in our place
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def socket_name(root: Path) -> str:
    """The socket's file name for the workspace at *root* (short: Unix sockets have ~100 bytes)."""
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()
    return f"office-{digest[:24]}.sock"


# --------------------------------------------------------------------------- wire format


def _send(connection: socket.socket, header: dict[str, object], payload: bytes = b"") -> None:
    header = {**header, "size": len(payload)}
    connection.sendall(json.dumps(header).encode("utf-8") + b"\n" + payload)


def _receive(connection: socket.socket) -> tuple[dict[str, object], bytes]:
    stream = connection.makefile("rb")
    line = stream.readline(_HEADER_LIMIT)
    if not line.endswith(b"\n"):
        raise ConnectionError("no header")
    header = json.loads(line)
    if not isinstance(header, dict):
        raise ConnectionError("bad header")
    size = header.get("size", 0)
    if not isinstance(size, int) or not 0 <= size <= MAX_DOCUMENT:
        raise ConnectionError("bad size")
    payload = stream.read(size)
    if len(payload) != size:
        raise ConnectionError("short payload")
    return header, payload


# --------------------------------------------------------------------------- the server


class WarmServer:
    """The preview's LibreOffice, for the preview itself (:meth:`convert`) and, once
    :meth:`listen` succeeded, for the workspace's other briefing runs."""

    def __init__(self, root: Path, session: OfficeSession | None = None) -> None:
        from briefing.render.office import OfficeSession
        from briefing.templates import template_path

        self.root = root.resolve()
        self.session = session or OfficeSession(template_path("fonts.conf", self.root))
        # one long-lived thread starts, uses and stops LibreOffice (see the module docstring)
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="briefing-office")
        self._listener: socket.socket | None = None
        self._path: Path | None = None
        self._accepting: threading.Thread | None = None
        self._closed = threading.Event()

    @property
    def path(self) -> Path | None:
        """The socket, while this server listens on it."""
        return self._path

    def warm_up(self) -> None:
        """Start LibreOffice in the background, so the first conversion finds it running."""
        self._worker.submit(self._start_quietly)

    def _start_quietly(self) -> None:
        with contextlib.suppress(UsageError):
            self.session.start()

    def convert(self, source: Path, target: Target, *, timeout: float) -> bytes:
        """Convert on this server's LibreOffice; cold when it cannot start (no ``uno``
        Python after all, a LibreOffice that will not come up)."""
        from briefing.render.office import OfficeUnavailable

        try:
            return self.convert_with(source, target, None, timeout=timeout)
        except OfficeUnavailable:
            if self._closed.is_set():
                raise
            return ColdConverter(self.session.fonts_conf).convert(source, target, timeout=timeout)

    def convert_with(
        self, source: Path, target: Target, fonts_conf: Path | None, *, timeout: float
    ) -> bytes:
        """Convert on the LibreOffice thread; *fonts_conf* another fontconfig file to use."""
        if self._closed.is_set():
            from briefing.render.office import OfficeUnavailable

            raise OfficeUnavailable("预览已停止")

        def job() -> bytes:
            if fonts_conf is not None:
                self.session.restart_with(fonts_conf)
            try:
                return self.session.convert(source, target, timeout=timeout)
            finally:
                if not self.session.running and not self._closed.is_set():
                    self.warm_up()  # stopped after a hang: the next save should find it ready

        return self._worker.submit(job).result()

    def listen(self) -> bool:
        """Offer the converter on the workspace's socket; ``False`` when another process
        (another preview of the same workspace) already does, or no private folder exists."""
        try:
            folder = runtime_folder(create=True)
        except (NotPrivate, OSError):
            return False
        if folder is None:
            return False
        path = folder / socket_name(self.root)
        if _answers(path):
            return False
        path.unlink(missing_ok=True)  # left by a preview that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(path))
            os.chmod(path, 0o600)
            listener.listen(8)
        except OSError:
            listener.close()
            return False
        listener.settimeout(0.2)
        self._listener, self._path = listener, path
        self._accepting = threading.Thread(
            target=self._accept, name="briefing-office-listener", daemon=True
        )
        self._accepting.start()
        return True

    def close(self) -> None:
        """Stop listening, remove the socket, stop LibreOffice (at once, even mid-conversion:
        this runs on Ctrl-C)."""
        self._closed.set()
        self.session.abort()
        if self._accepting is not None:
            self._accepting.join()
        if self._listener is not None:
            self._listener.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)
        self._listener = self._path = self._accepting = None
        self._worker.submit(self.session.close).result()
        self._worker.shutdown()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(
                target=self._serve, args=(connection,), name="briefing-office-client", daemon=True
            ).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(None)
            if not _same_user(connection):
                return
            try:
                header, payload = _receive(connection)
            except (OSError, ValueError, ConnectionError):
                return
            with contextlib.suppress(OSError):
                self._answer(connection, header, payload)

    def _answer(self, connection: socket.socket, header: dict[str, object], data: bytes) -> None:
        from briefing.render.office import OfficeUnavailable

        if header.get("op") == "ping":
            _send(connection, {"ok": True})
            return
        target = _TARGETS.get(str(header.get("target")))
        name = Path(str(header.get("name", ""))).name
        fonts = header.get("fonts_conf")
        timeout = header.get("timeout")
        if target is None or not name or not isinstance(timeout, int | float):
            _send(connection, {"ok": False, "kind": "unavailable", "error": "bad request"})
            return
        with tempfile.TemporaryDirectory(prefix="briefing-warm-") as tmp:
            source = Path(tmp) / name
            source.write_bytes(data)
            try:
                produced = self.convert_with(
                    source, target, Path(fonts) if isinstance(fonts, str) else None, timeout=timeout
                )
            except OfficeUnavailable as error:
                _send(connection, {"ok": False, "kind": "unavailable", "error": str(error)})
            except ConversionFailed as error:
                _send(connection, {"ok": False, "kind": "failed", "error": str(error)})
            except UsageError as error:
                _send(connection, {"ok": False, "kind": "error", "error": str(error)})
            else:
                _send(connection, {"ok": True}, produced)


def _same_user(connection: socket.socket) -> bool:
    """Whether the peer runs as this user (Linux ``SO_PEERCRED``; elsewhere the 0700 folder
    already keeps others out)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _answers(path: Path) -> bool:
    """Whether a warm converter listens on *path* now."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            probe.connect(str(path))
            _send(probe, {"op": "ping"})
            header, _ = _receive(probe)
    except (OSError, ValueError, ConnectionError):
        return False
    return header.get("ok") is True


# --------------------------------------------------------------------------- the clients


@dataclass(frozen=True, slots=True)
class WarmClient:
    """A conversion sent to the preview's LibreOffice; cold when that is not possible."""

    path: Path
    fonts_conf: Path | None

    @classmethod
    def find(cls, root: Path, fonts_conf: Path | None) -> WarmClient | None:
        """The client of the warm converter serving *root*, if one answers."""
        path = warm_socket(root)
        if path is None or not _answers(path):
            return None
        return cls(path, fonts_conf)

    def convert(self, source: Path, target: Target, *, timeout: float) -> bytes:
        header = {
            "op": "convert",
            "name": source.name,
            "target": target.suffix,
            "timeout": timeout,
            "fonts_conf": str(self.fonts_conf) if self.fonts_conf else None,
        }
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(timeout + 30)
                connection.connect(str(self.path))
                _send(connection, header, source.read_bytes())
                answer, produced = _receive(connection)
        except (OSError, ValueError, ConnectionError):
            answer, produced = {"ok": False, "kind": "unavailable"}, b""
        if answer.get("ok"):
            return produced
        if answer.get("kind") == "failed":
            raise ConversionFailed(str(answer.get("error", "")))
        if answer.get("kind") == "error":
            raise UsageError(str(answer.get("error", "")))
        return ColdConverter(self.fonts_conf).convert(source, target, timeout=timeout)


def warm_socket(root: Path) -> Path | None:
    """Where the warm converter of *root* would listen (``None``: no private folder)."""
    try:
        folder = runtime_folder()
    except (NotPrivate, OSError):
        return None
    if folder is None:
        return None
    path = folder / socket_name(root)
    return path if path.exists() else None


class _SessionOrCold:
    """A session of this process, started at its first conversion; cold if it cannot start."""

    def __init__(self, fonts_conf: Path | None) -> None:
        from briefing.render.office import OfficeSession

        self.session = OfficeSession(fonts_conf)
        self.cold = ColdConverter(fonts_conf)
        self.unavailable = False

    def convert(self, source: Path, target: Target, *, timeout: float) -> bytes:
        from briefing.render.office import OfficeUnavailable

        if not self.unavailable:
            try:
                return self.session.convert(source, target, timeout=timeout)
            except OfficeUnavailable:
                self.unavailable = True
        return self.cold.convert(source, target, timeout=timeout)


@contextlib.contextmanager
def converter_for(
    root: Path, fonts_conf: Path | None, *, batch: bool = False
) -> Iterator[Converter]:
    """The converter for work in the workspace at *root*: the preview's warm LibreOffice when
    one serves it (unless ``BRIEFING_NO_WARM=1``); else, for a *batch*, one LibreOffice
    session for all conversions (stopped when the ``with`` block ends); else the cold
    ``soffice --convert-to``."""
    warm = None if os.environ.get(NO_WARM) == "1" else WarmClient.find(root, fonts_conf)
    if warm is not None:
        yield warm
        return
    if not batch:
        yield ColdConverter(fonts_conf)
        return
    from briefing.render.office import find_uno_python

    if find_uno_python().python is None:
        yield ColdConverter(fonts_conf)
        return
    converter = _SessionOrCold(fonts_conf)
    try:
        yield converter
    finally:
        converter.session.close()


@dataclass(frozen=True, slots=True)
class WarmStatus:
    """What ``doctor`` says about the warm path."""

    available: bool  # a LibreOffice can be kept running here
    reason: str  # why not (empty when available)
    python: str | None  # the Python with ``uno``
    serving: Path | None  # the socket of a preview serving this workspace now


def warm_status(root: Path | None) -> WarmStatus:
    from briefing.render.office import find_uno_python

    found = find_uno_python()
    reason = found.reason
    if found.python is not None:
        try:
            runtime_folder()
        except NotPrivate as error:
            reason = f"{error}，无法安全地提供常驻转换器"
        except OSError as error:
            reason = f"无法检查常驻转换器的目录：{error}"
    serving = None
    if root is not None:
        path = warm_socket(root)
        serving = path if path is not None and _answers(path) else None
    return WarmStatus(not reason, reason, found.python, serving)
