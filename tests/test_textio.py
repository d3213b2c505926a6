"""Decoding contributors' files and writing outputs atomically."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest

from briefing import textio
from briefing.textio import (
    MAX_TEXT_BYTES,
    DecodeFailure,
    NotUtf8,
    UnsafeFile,
    UnsafeWrite,
    decode,
    guess_encoding,
    os_reason,
    read_bytes_safely,
    read_reason,
    read_text,
    real_path,
    resolving_folders,
    safe_folder,
    sha256_safely,
    write_atomic,
)


def test_crlf_and_bom() -> None:
    assert decode(b"\xef\xbb\xbfa\r\nb\rc") == "a\nb\nc"


@pytest.mark.parametrize(
    ("data", "guess"),
    [
        ("第一行\n第二行".encode("gb18030"), "GB18030"),
        ("甲".encode("utf-16"), "UTF-16"),
        (b"ab\x81\x7f\xff", None),
    ],
)
def test_encoding_guesses(data: bytes, guess: str | None) -> None:
    with pytest.raises(NotUtf8) as caught:
        decode(data)
    found = caught.value.failure.guess
    assert (found is None) if guess is None else guess in (found or "")


def test_write_atomic_keeps_or_sets_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.html"
        write_atomic(new, "甲", root=tmp_path)
        assert new.stat().st_mode & 0o777 == 0o644
        old = tmp_path / "old.md"
        old.write_text("x", encoding="utf-8")
        old.chmod(0o600)
        write_atomic(old, "乙", root=tmp_path)
        assert old.stat().st_mode & 0o777 == 0o600 and old.read_text(encoding="utf-8") == "乙"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    finally:
        os.umask(umask)


# --------------------------------------------------------------------------- reading


def test_a_decoding_failure_is_located_on_its_own_line() -> None:
    with pytest.raises(NotUtf8) as caught:
        decode("第一行\n第二行\n甲乙".encode() + b"\xff")
    assert caught.value.failure == DecodeFailure(3, 3, None)
    assert str(caught.value) == "not UTF-8 at 3:3"  # what a traceback or a log shows


@pytest.mark.parametrize(
    ("data", "guess"),
    [
        ("第一行\n第二行".encode("gb18030"), "GB18030（GBK/GB2312）"),
        ("甲".encode("utf-16-le"), None),  # no byte-order mark: not guessed from two bytes
        (b"\xff\xfe" + "甲".encode("utf-16-le"), "UTF-16"),
        (b"\xfe\xff" + "甲".encode("utf-16-be"), "UTF-16"),
        # Big5 bytes decode as GB18030 too, into characters GB2312 does not have
        ("臺灣資訊科技".encode("big5"), "Big5"),
        (b"ab\x81\x7f\xff", None),
    ],
)
def test_the_encoding_guess_is_named_exactly(data: bytes, guess: str | None) -> None:
    assert guess_encoding(data) == guess


TOO_LARGE = "文件过大（超过 {} MB），请拆分或压缩后再提交"


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(
    tmp_path: Path,
) -> None:
    limit = 3 * 1024 * 1024
    exact = tmp_path / "exact.md"
    with open(exact, "wb") as handle:
        handle.truncate(limit)  # sparse
    assert len(read_bytes_safely(exact, tmp_path, limit)) == limit
    with open(exact, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(UnsafeFile) as caught:
        read_bytes_safely(exact, tmp_path, limit)
    assert str(caught.value) == TOO_LARGE.format(3)
    with pytest.raises(UnsafeFile) as small:
        read_bytes_safely(exact, tmp_path, 1000)
    assert str(small.value) == TOO_LARGE.format(1)  # under 1 MB, still "1 MB"


def test_the_article_limit_is_four_megabytes(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)
    with pytest.raises(UnsafeFile) as caught:
        read_text(big, tmp_path)
    assert str(caught.value) == TOO_LARGE.format(4)


@pytest.mark.parametrize(
    ("size", "reported", "limit", "read"),
    [
        (12, 4, 100, 12),  # grew since fstat: read on to the end
        (12, 4, 10, None),  # grew past the limit: refused
        (12, 9, 10, None),  # the limit reached by the first read, and one byte more exists
        (10, 9, 10, 10),  # grew to exactly the limit
    ],
)
def test_a_file_that_grows_while_it_is_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
    reported: int,
    limit: int,
    read: int | None,
) -> None:
    path = tmp_path / "growing.md"
    path.write_bytes(b"x" * reported)
    fstat = os.fstat

    def then_the_writer_goes_on(fd: int) -> os.stat_result:
        info = fstat(fd)
        with open(path, "ab") as writer:
            writer.write(b"x" * (size - reported))
        return info

    monkeypatch.setattr(textio.os, "fstat", then_the_writer_goes_on)
    if read is None:
        with pytest.raises(UnsafeFile) as caught:
            read_bytes_safely(path, tmp_path, limit)
        assert str(caught.value) == TOO_LARGE.format(1)
    else:
        assert read_bytes_safely(path, tmp_path, limit) == b"x" * read


class RecordedReads(io.BytesIO):
    """A file whose reads are recorded: how much each one asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int | None] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.asked.append(size)
        return super().read(size)


@pytest.mark.parametrize(
    ("length", "size", "limit"),
    [
        (12, 12, 100),  # as fstat said
        (10, 10, 10),  # exactly the limit
        (0, 0, 10),
        (12, 4, 100),  # grew since fstat, stays below the limit
        (40, 4, 10),  # grew past the limit
        (40, 9, 10),  # the first read reaches the limit, and more exists
        (40, 10, 10),  # fstat said exactly the limit, then it grew
        (3, 8, 10),  # shrank since fstat
    ],
)
def test_a_bounded_read_never_reads_more_than_one_byte_past_the_limit(
    length: int, size: int, limit: int
) -> None:
    data = bytes(range(length))
    handle = RecordedReads(data)
    assert textio._read_bounded(handle, size, limit) == data[: limit + 1]
    assert handle.tell() == min(length, limit + 1)


@pytest.mark.parametrize(("size", "limit"), [(0, 10), (12, 100), (10, 10), (3, 4 * 1024 * 1024)])
def test_a_file_as_fstat_said_is_read_at_once_in_its_own_size(size: int, limit: int) -> None:
    # read(n) allocates n bytes first: asking for the limit would cost 4 MiB per article
    handle = RecordedReads(b"x" * size)
    assert textio._read_bounded(handle, size, limit) == b"x" * size
    assert handle.asked == [size + 1]


def test_folders_fifos_and_files_elsewhere_are_refused_by_name(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "folder.md").mkdir(parents=True)
    os.mkfifo(root / "pipe.md")
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (root / "link.md").symlink_to(tmp_path / "secret.txt")
    expected = {
        "folder.md": "这是一个目录，不是文件",
        "pipe.md": "不是普通文件（可能是管道、设备或套接字），出于安全考虑不读取",
        "link.md": f"符号链接指向工作区以外（{tmp_path / 'secret.txt'}），出于安全考虑不读取",
    }
    for name, message in expected.items():
        with pytest.raises(UnsafeFile) as caught:
            read_bytes_safely(root / name, root)
        assert str(caught.value) == message, name
        with pytest.raises(UnsafeFile) as hashing:
            sha256_safely(root / name, root)
        assert str(hashing.value) == message, name


def test_a_workspace_whose_name_ends_in_a_space_is_inside_itself(tmp_path: Path) -> None:
    root = tmp_path / "简报 "
    root.mkdir()
    (root / "a.md").write_text("甲", encoding="utf-8")
    assert read_text(root / "a.md", root) == "甲"
    (tmp_path / "简报 2").mkdir()
    (tmp_path / "简报 2" / "b.md").write_text("乙", encoding="utf-8")
    with pytest.raises(UnsafeFile):
        read_text(tmp_path / "简报 2" / "b.md", root)


def test_sha256_streams_a_file_of_any_size(tmp_path: Path) -> None:
    data = bytes(range(256)) * (5 * 4096 + 7)  # 5 MiB and more: past the text limit, 6 chunks
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert sha256_safely(path, tmp_path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert sha256_safely(empty, tmp_path) == hashlib.sha256(b"").hexdigest()


def test_sha256_holds_a_chunk_not_the_file_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    with open(path, "wb") as handle:
        for index in range(16):  # 16 MiB
            handle.write(bytes([index]) * (1 << 20))
    tracemalloc.start()
    try:
        sha256_safely(path, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # a chunk or two (1 MiB each), never the file


def test_real_path_within_resolving_folders_is_realpath(tmp_path: Path) -> None:
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "a.md").write_text("甲", encoding="utf-8")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "link.md").symlink_to("a.md")
    paths: list[str | Path] = [
        tmp_path / "alias" / "a.md",
        tmp_path / "alias" / "link.md",
        tmp_path / "alias" / "sub" / "..",
        tmp_path / "alias" / "..",
        tmp_path / "alias" / "missing.md",
        f"{tmp_path}/alias/sub/",
        f"{tmp_path}/alias/sub/.",
        "relative.md",
    ]
    with resolving_folders():
        for _ in range(2):  # the second time from the remembered folders
            for path in paths:
                assert real_path(path) == os.path.realpath(path), path


def test_within_resolving_folders_a_folder_is_resolved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "real").mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / "real" / name).write_text("甲", encoding="utf-8")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "link.md").symlink_to("a.md")
    folder = tmp_path / "alias"
    realpath = os.path.realpath
    resolved: list[str] = []

    def recorded(path: str | os.PathLike[str], **kwargs: bool) -> str:
        resolved.append(os.fspath(path))
        return realpath(path, **kwargs)

    monkeypatch.setattr(textio.os.path, "realpath", recorded)
    names = ["a.md", "b.md", "link.md", "c.md", "a.md"]
    with resolving_folders():
        found = [real_path(folder / name) for name in names]
    assert found == [
        str(tmp_path / "real" / name) for name in ["a.md", "b.md", "a.md", "c.md", "a.md"]
    ]
    # the folder once, then only the file that is itself a symlink
    assert resolved == [str(folder), str(tmp_path / "real" / "link.md")]
    resolved.clear()
    assert real_path(folder / "b.md") == str(tmp_path / "real" / "b.md")
    assert resolved == [str(folder / "b.md")]  # outside the block: nothing remembered


# --------------------------------------------------------------------------- writing


def test_writing_into_a_folder_with_a_space_in_its_name(tmp_path: Path) -> None:
    write_atomic(tmp_path / "my docs" / "a b" / "note.txt", "甲", root=tmp_path)
    assert (tmp_path / "my docs" / "a b" / "note.txt").read_text(encoding="utf-8") == "甲"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my docs"]


def test_a_write_outside_its_root_is_refused_with_a_reason(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    target = root / ".." / "escaped.txt"
    with pytest.raises(UnsafeWrite) as caught:
        write_atomic(target, "x", root=root)
    assert os_reason(caught.value) == f"{target.parent} 不在 {root} 之内，不写入"
    assert not (tmp_path / "escaped.txt").exists()


def test_a_symlinked_folder_on_the_way_is_named_with_its_target(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "ws", tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    root.mkdir()
    (root / "out").symlink_to(elsewhere)
    with pytest.raises(UnsafeWrite) as caught:
        write_atomic(root / "out" / "sub" / "a.html", "x", root=root)
    assert os_reason(caught.value) == (
        f"out 是符号链接（指向 {elsewhere}），出于安全考虑不经符号链接写入"
    )
    assert list((elsewhere / "sub").iterdir()) == []
    (root / "page.html").symlink_to(elsewhere / "page.html")
    with pytest.raises(UnsafeWrite) as file_link:
        write_atomic(root / "page.html", "x", root=root)
    assert os_reason(file_link.value) == (
        f"page.html 是符号链接（指向 {elsewhere / 'page.html'}），出于安全考虑不经符号链接写入"
    )
    assert not (elsewhere / "page.html").exists()


def test_a_link_reached_through_the_real_path_of_a_linked_root_is_shown_in_full(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "named").symlink_to(real)
    (real / "a.html").symlink_to("b.html")
    with pytest.raises(UnsafeWrite) as caught:
        write_atomic(real / "a.html", "x", root=tmp_path / "named")
    assert os_reason(caught.value) == (
        f"{real / 'a.html'} 是符号链接（指向 b.html），出于安全考虑不经符号链接写入"
    )


def test_a_link_that_vanishes_while_it_is_refused_is_still_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "page.html").symlink_to(tmp_path / "elsewhere.html")

    def vanished(path: object) -> str:  # removed between lstat and readlink
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    monkeypatch.setattr(textio.os, "readlink", vanished)
    with pytest.raises(UnsafeWrite) as caught:
        write_atomic(tmp_path / "page.html", "x", root=tmp_path)
    assert os_reason(caught.value) == (
        "page.html 是符号链接（指向 ?），出于安全考虑不经符号链接写入"
    )


def test_a_refused_write_is_an_oserror_naming_its_path(tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(tmp_path)
    with pytest.raises(UnsafeWrite) as caught:
        write_atomic(tmp_path / "out" / "a.html", "x", root=tmp_path)
    refused = caught.value
    reason = f"out 是符号链接（指向 {tmp_path}），出于安全考虑不经符号链接写入"
    assert isinstance(refused, OSError)  # every caller's handling of a failed write applies
    assert (refused.errno, refused.strerror, refused.filename) == (
        errno.EPERM,
        reason,
        str(tmp_path / "out"),
    )
    assert str(refused) == f"[Errno {errno.EPERM}] {reason}: '{tmp_path / 'out'}'"


def raised(action) -> OSError:  # type: ignore[no-untyped-def]
    try:
        action()
    except OSError as exc:
        return exc
    raise AssertionError("no OSError")


def same_error(ours: OSError, system: OSError, filename: Path | None = None) -> None:
    assert type(ours) is type(system)
    assert (ours.errno, ours.strerror) == (system.errno, system.strerror)
    assert ours.filename == (str(filename) if filename else system.filename)


def test_a_file_in_the_way_fails_as_mkdir_p_would(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    same_error(raised(lambda: safe_folder(taken, tmp_path)), raised(lambda: os.makedirs(taken)))
    assert os_reason(raised(lambda: safe_folder(taken, tmp_path))) == f"同名文件已存在（{taken}）"
    # deeper down, the error names the file in the way (mkdir -p names the folder it wanted)
    deeper = taken / "sub"
    ours = raised(lambda: safe_folder(deeper, tmp_path))
    same_error(ours, raised(lambda: os.makedirs(deeper)), filename=taken)
    assert os_reason(ours) == f"路径中有一个同名的文件而不是目录（{taken}）"


def test_a_folder_where_the_file_goes_fails_as_opening_it_would(tmp_path: Path) -> None:
    (tmp_path / "page.html").mkdir()
    target = tmp_path / "page.html"
    ours = raised(lambda: write_atomic(target, "x", root=tmp_path))
    same_error(ours, raised(lambda: open(target, "wb")))  # noqa: SIM115
    assert os_reason(ours) == f"同名目录已存在（{target}）"


def test_a_folder_made_meanwhile_by_another_process_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mkdir = os.mkdir

    def raced(path: str, *args: object) -> None:
        mkdir(path)  # the other process was first
        raise FileExistsError(errno.EEXIST, "File exists", path)

    monkeypatch.setattr(textio.os, "mkdir", raced)
    assert safe_folder(tmp_path / "a" / "b", tmp_path) == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir()


def test_the_temporary_file_is_hidden_beside_the_target_and_removed_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []

    def fail(source: str, target: object) -> None:
        seen.append(Path(source))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(textio.os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(tmp_path / "01.md", "甲", root=tmp_path)
    (temporary,) = seen
    # a run killed before the rename leaves a file that check and site skip (hidden) and
    # that says what it was
    assert temporary.parent == tmp_path
    assert temporary.name.startswith(".01.md.") and temporary.name.endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ELOOP, "符号链接形成循环，指不到任何文件"),
        (errno.ENOTDIR, "路径中有一个同名的文件而不是目录"),
        (errno.ENAMETOOLONG, "文件名过长"),
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EDQUOT, "超出磁盘配额"),
        (errno.EACCES, "没有写入权限"),
        (errno.EPERM, "没有写入权限"),
        (errno.EROFS, "文件系统是只读的"),
        (errno.EEXIST, "同名文件已存在"),
        (errno.EISDIR, "同名目录已存在"),
        (errno.ENOENT, "文件或目录不存在"),
    ],
)
def test_a_failed_write_says_why_in_chinese(code: int, reason: str) -> None:
    assert os_reason(OSError(code, "system text", "/w/a.docx")) == f"{reason}（/w/a.docx）"
    assert os_reason(OSError(code, "system text")) == reason


def test_a_failure_without_an_errno_is_named_by_its_type() -> None:
    assert os_reason(OSError("没有代码")) == "OSError"
    assert os_reason(TimeoutError()) == "TimeoutError"
    assert os_reason(OSError(9999, "unknown text")) == "unknown text"
    assert read_reason(OSError("没有代码")) == "读取出错（OSError）"
    assert read_reason(FileNotFoundError(errno.ENOENT, "x")) == "文件不存在"


def test_ctrl_c_just_after_the_rename_stays_a_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace = os.replace

    def then_interrupted(source: str, target: str) -> None:
        replace(source, target)
        raise KeyboardInterrupt  # the signal arrives as the rename returns

    monkeypatch.setattr(textio.os, "replace", then_interrupted)
    target = tmp_path / "01.md"
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "甲", root=tmp_path)
    assert target.read_text(encoding="utf-8") == "甲"
    assert list(tmp_path.iterdir()) == [target]
