"""Reading and writing files the way contributors' files actually arrive.

Files must be UTF-8 (a BOM is accepted and dropped). A file in another encoding is refused
with the position of the first bad byte and a guess of what it is (GB18030 from old Word
exports is the usual case). Writes go to a temporary file that replaces the target, so an
interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    line: int
    column: int
    guess: str | None


class NotUtf8(Exception):
    def __init__(self, failure: DecodeFailure):
        self.failure = failure
        super().__init__(f"not UTF-8 at {failure.line}:{failure.column}")


def decode(data: bytes) -> str:
    """UTF-8 text of *data* (BOM dropped, CRLF normalised); raises ``NotUtf8``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(_failure(data, exc.start)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    return decode(path.read_bytes())


def _failure(data: bytes, offset: int) -> DecodeFailure:
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return DecodeFailure(line, column, guess_encoding(data))


def guess_encoding(data: bytes) -> str | None:
    """A best guess at the encoding of bytes that are not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for name, label in (("gb18030", "GB18030（GBK/GB2312）"), ("big5", "Big5")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return label
    return None


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace *path* with *data* via a temporary file in the same folder.

    The result keeps the permissions of the file it replaces, or gets the ordinary ones the
    umask allows (``mkstemp`` alone would leave 0600, unreadable to an intranet web server).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _target_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _target_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# Picture formats both editions can carry (DOCX embeds them, browsers show them).
PICTURE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)


def picture_kind(head: bytes) -> str | None:
    """``png``/``jpeg``/``gif``/``bmp`` from the first bytes of a file, else ``None``."""
    return next((kind for sig, kind in PICTURE_SIGNATURES if head.startswith(sig)), None)
