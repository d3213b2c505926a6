"""Reading and writing files the way contributors' files actually arrive.

Files must be UTF-8 (a BOM is accepted and dropped). A file in another encoding is refused
with the position of the first bad byte and a guess of what it is (GB18030 from old Word
exports is the usual case). Writes go to a temporary file that replaces the target, so an
interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from briefing.chars import has_han

# C0/C1 controls other than tab and newline, and Unicode noncharacters: Word, lxml and the
# HTML parser all refuse them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")

# Largest text file read (an article, issue.yaml, briefing.yaml). A long article is ~30 KB; the
# limit leaves room for a 2 MB pasted report while keeping `check` far below 200 MiB.
MAX_TEXT_BYTES = 4 * 1024 * 1024
# Largest picture read: a 20 MB photo straight from a camera is already unusual.
MAX_PICTURE_BYTES = 32 * 1024 * 1024


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


def read_text(path: Path, root: Path | None = None) -> str:
    """Text of *path*, read only when it is safe (see :func:`read_bytes_safely`)."""
    return decode(read_bytes_safely(path, root))


class UnsafeFile(Exception):
    """A file that must not be read: outside the workspace, not a regular file, too large.

    The message is Chinese and says why.
    """


def read_bytes_safely(path: Path, root: Path | None = None, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of *path* when it is a regular file inside *root* no larger than *limit*.

    Checked with ``stat`` before opening, so a FIFO never blocks and ``/dev/zero`` is never
    read; the file is opened with ``O_NONBLOCK`` and checked again with ``fstat`` so a swap
    between the two cannot slip a device in; at most *limit* + 1 bytes are read.
    Raises ``UnsafeFile`` (or ``OSError`` when the file cannot be read at all).
    """
    with _open_safely(path, root, limit) as (handle, info):
        data = _read_bounded(handle, info.st_size, limit)
    if len(data) > limit:
        raise UnsafeFile(_too_large(limit))
    return data


def sha256_safely(path: Path, root: Path) -> str:
    """SHA-256 (hex) of *path*, read only when it is a regular file inside *root* (as
    :func:`read_bytes_safely`, streamed and of any size: a 签发 record hashes every file of
    an issue, and must not tell anyone the hash of a file elsewhere)."""
    digest = hashlib.sha256()
    with _open_safely(path, root, None) as (handle, _info):
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _open_safely(
    path: Path, root: Path | None, limit: int | None
) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    resolved = real_path(path)
    if root is not None and not _real_path_inside(resolved, _real_root(os.fspath(root))):
        what = "符号链接" if os.path.islink(path) else "路径"
        raise UnsafeFile(f"{what}指向工作区以外（{resolved}），出于安全考虑不读取")
    _require_regular(os.stat(resolved), limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(resolved, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        _require_regular(info, limit)
        yield handle, info


def _read_bounded(handle: BinaryIO, size: int, limit: int) -> bytes:
    """What ``handle.read(limit + 1)`` returns, asking for the *size* from ``fstat`` first.

    ``read(n)`` allocates n bytes before reading: 4 MiB for every article and 32 MiB for
    every picture cost more than the reading itself (≈ 20 µs and ≈ 70 µs a file). A file
    that grew since ``fstat`` is read on, up to the limit.
    """
    data = handle.read(min(size, limit) + 1)
    if len(data) <= size or len(data) > limit:
        return data  # the whole file, or already more than the limit
    return data + handle.read(limit + 1 - len(data))


# Real locations of the folders resolved so far, while ``resolving_folders()`` is active.
_real_folders: dict[str, str] | None = None


@contextmanager
def resolving_folders() -> Iterator[None]:
    """Let :func:`real_path` remember the real location of each folder within the block.

    ``os.path.realpath`` makes an ``lstat`` per path component, ≈ 45 µs for an article
    seven folders deep, and a check resolves every article and picture in the same few
    folders. Remembered for one command only (``check_workspace``): a folder swapped for a
    symlink is seen by the next check, as in a ``briefing preview`` session.
    """
    global _real_folders
    outer = _real_folders
    if outer is None:
        _real_folders = {}
    try:
        yield
    finally:
        _real_folders = outer


# Why a path leads nowhere, whether it was to be read or written (os_reason adds the
# reasons of a failed write, read_reason those of a failed read).
PATH_REASONS = {
    errno.ELOOP: "符号链接形成循环，指不到任何文件",
    errno.ENOTDIR: "路径中有一个同名的文件而不是目录",
    errno.ENAMETOOLONG: "文件名过长",
}
_READ_REASONS = {
    **PATH_REASONS,
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EIO: "磁盘读取出错",
}


def read_reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese: the system's own text (``strerror``) is in
    the language of the machine's locale, which a message must not depend on."""
    return _READ_REASONS.get(exc.errno or 0) or f"读取出错（{type(exc).__name__}）"


def os_reason(exc: OSError) -> str:
    """A Chinese reason for a file-system failure."""
    if isinstance(exc, UnsafeWrite):
        return exc.reason
    reasons = {
        **PATH_REASONS,
        errno.ENOSPC: "磁盘空间不足",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "文件系统是只读的",
        errno.EEXIST: "同名文件已存在",
        errno.EISDIR: "同名目录已存在",
        errno.ENOENT: "文件或目录不存在",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"{reason}（{exc.filename}）" if exc.filename else reason


def resolved(path: str | os.PathLike[str]) -> Path:
    """``Path.resolve()``, except that a symlink loop (a hostile submission can hold one) is
    returned as it is instead of raising ``RuntimeError``, as Python 3.11's ``resolve`` does;
    reading the file then reports it (F007/F009)."""
    return Path(os.path.realpath(path))


def real_path(path: str | os.PathLike[str]) -> str:
    """``os.path.realpath(path)``; within :func:`resolving_folders`, the folder holding *path*
    is resolved once and only the file itself is looked at (``lstat``: is it a symlink?)."""
    folders = _real_folders
    if folders is None or os.name != "posix":
        return os.path.realpath(path)
    path = os.fspath(path)
    head, tail = os.path.split(path)
    if not head or tail in ("", ".", ".."):
        return os.path.realpath(path)
    real_head = folders.get(head)
    if real_head is None:
        real_head = folders[head] = os.path.realpath(head)
    joined = os.path.join(real_head, tail)
    # realpath resolves the components left to right: with the folder resolved, only the last
    # one is left, and a symlink there is resolved the same way
    return os.path.realpath(joined) if os.path.islink(joined) else joined


def _real_path_inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


@lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    # One workspace root per command: resolving it once spares an lstat per path component
    # on every file read (a 1,000-article check read 31,000 of them).
    return os.path.realpath(root)


def _require_regular(info: os.stat_result, limit: int | None) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeFile("这是一个目录，不是文件")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile("不是普通文件（可能是管道、设备或套接字），出于安全考虑不读取")
    if limit is not None and info.st_size > limit:
        raise UnsafeFile(_too_large(limit))


def _too_large(limit: int) -> str:
    return f"文件过大（超过 {max(1, limit // (1024 * 1024))} MB），请拆分或压缩后再提交"


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
    decoded = {}
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if has_han(text):
            decoded[name] = text
    gb, big5 = decoded.get("gb18030"), decoded.get("big5")
    # Big5 bytes usually decode as GB18030 too, but into rare GBK-only characters: text that
    # fits GB2312 is GB18030, anything else that is valid Big5 is Big5.
    if gb is not None and (big5 is None or _fits_gb2312(gb)):
        return "GB18030（GBK/GB2312）"
    if big5 is not None:
        return "Big5"
    return None


def _fits_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


class UnsafeWrite(OSError):
    """A write refused: its path leaves the folder it must stay in, or passes through a
    symlink. An ``OSError``, so every caller's handling of a failed write applies (an
    environment error, exit 2); :func:`os_reason` gives its Chinese message."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(errno.EPERM, reason, os.fspath(path))
        self.reason = reason


def write_anchor(target: Path, root: Path) -> Path:
    """The folder from which writes under *target* are checked (:func:`safe_folder`): the
    workspace *root* when *target* lies in it, else *target* itself — an output folder the
    user chose outside the workspace (``--out``) is theirs to point anywhere, but nothing in
    the workspace can redirect a write that the workspace holds."""
    try:
        _below(target, root)
    except UnsafeWrite:
        return target
    return root


def safe_folder(folder: Path, root: Path, *, create: bool = True) -> Path:
    """*folder* as a real folder at or below *root*, its missing folders created.

    Every component below *root* is looked at with ``lstat`` and never followed: a symlink
    there (committed to the workspace, or planted) is refused with ``UnsafeWrite``, a file in
    the way raises ``FileExistsError`` (``NotADirectoryError`` above the last folder), a path leading out of *root* (``..``) is refused.
    *root* itself may be a symlink: it is the folder the user named. This guards against
    links present in the workspace, not against a process swapping folders while we write
    (one that can do that can already change every input).
    """
    base, parts = _below(folder, root)
    if create:
        os.makedirs(base, exist_ok=True)
    current = base
    for index, part in enumerate(parts, start=1):
        current = os.path.join(current, part)
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            if not create:
                raise
            # FileExistsError: made meanwhile by another process, or a dangling link
            with suppress(FileExistsError):
                os.mkdir(current)
            info = os.lstat(current)
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeWrite(current, _link_reason(current, base))
        if not stat.S_ISDIR(info.st_mode):  # what mkdir -p would say
            if index == len(parts):
                raise FileExistsError(errno.EEXIST, "File exists", current)
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", current)
    return Path(current)


def refuse_link(path: Path, root: Path) -> None:
    """``UnsafeWrite`` when the file *path*, about to be replaced, is a symlink (a rename
    would replace the link, not write through it, but a link where we write is never ours);
    ``IsADirectoryError`` when it is a folder."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWrite(path, _link_reason(os.fspath(path), os.fspath(root)))
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))


def _below(path: Path, root: Path) -> tuple[str, tuple[str, ...]]:
    """(the form of *root* that *path* is written from, the components of *path* below it),
    compared without resolving anything: ``..`` is taken literally, as written."""
    absolute = os.path.abspath(path)
    for base in dict.fromkeys((os.path.abspath(root), _real_root(os.fspath(root)))):
        relative = os.path.relpath(absolute, base)
        if relative == os.curdir:
            return base, ()
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return base, tuple(relative.split(os.sep))
    raise UnsafeWrite(path, f"{path} 不在 {root} 之内，不写入")


def _link_reason(link: str, base: str) -> str:
    shown = os.path.relpath(link, base) if link.startswith(base) else link
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return f"{shown} 是符号链接（指向 {target}），出于安全考虑不经符号链接写入"


def write_atomic(path: Path, data: bytes | str, *, root: Path) -> None:
    """Replace *path* with *data* via a temporary file in the same folder.

    *path* must lie below *root* with no symlink on the way, nor at *path* itself
    (:func:`safe_folder`, :func:`refuse_link`); missing folders are created. The result keeps
    the permissions of the file it replaces, or gets the ordinary ones the umask allows
    (``mkstemp`` alone would leave 0600, unreadable to an intranet web server).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = safe_folder(path.parent, root)
    target = folder / path.name
    refuse_link(target, root)
    mode = _target_mode(target)
    # mkstemp opens with O_EXCL (and O_NOFOLLOW where there is one): never an existing file
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
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
