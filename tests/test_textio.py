"""Decoding contributors' files and writing outputs atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.textio import NotUtf8, decode, write_atomic


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
