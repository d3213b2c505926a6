"""Unit tests of the defensive pieces: picture verification, leftovers, names, fix guards."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from briefing import cleanup
from briefing.errors import UsageError
from briefing.identifiers import issue_folder_name, single_line, special_label
from briefing.pictures import BadPicture, verify_picture, verify_picture_bytes
from briefing.proofread.fix import _verified, encode_like, markdown_edits, token_signature
from briefing.textio import UnsafeFile, os_reason
from tests.factory import SAMPLE_PNG

CORPUS = Path(__file__).parent / "corpus" / "pictures"


def image(kind: str, size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "BMP"])
def test_good_pictures_pass(kind: str) -> None:
    info = verify_picture_bytes(image(kind, (40, 30)))
    assert (info.width, info.height) == (40, 30)


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("truncated.jpg", "截断"),
        ("bare-signature.png", "截断"),
        ("bomb.png", "像素过多"),
        ("zero.png", "截断"),
        ("text-as-picture.png", "不是 PNG"),
    ],
)
def test_bad_pictures_fail(name: str, needle: str) -> None:
    with pytest.raises(BadPicture, match=needle):
        verify_picture_bytes((CORPUS / name).read_bytes())


def test_broken_header_and_broken_data_say_which() -> None:
    with pytest.raises(BadPicture) as header:
        verify_picture_bytes((CORPUS / "bare-signature.png").read_bytes())
    assert str(header.value) == "文件已损坏或被截断，文件头无法识别"
    whole = image("JPEG", (400, 300))
    with pytest.raises(BadPicture) as data:
        verify_picture_bytes(whole[: len(whole) // 2])  # the header is there, half the scan
    assert str(data.value) == "文件已损坏或被截断，图像数据无法解码"
    with pytest.raises(BadPicture) as bomb:
        verify_picture_bytes((CORPUS / "bomb.png").read_bytes())
    assert str(bomb.value) == "像素过多（100000×100000，超过 30 百万像素），请缩小后再提交"


def test_large_gif_is_not_decoded() -> None:
    from briefing import pictures

    data = image("GIF", (50, 50))
    original = pictures.MAX_DECODED_PIXELS
    pictures.MAX_DECODED_PIXELS = 100
    try:
        with pytest.raises(BadPicture, match="GIF"):
            verify_picture_bytes(data)
    finally:
        pictures.MAX_DECODED_PIXELS = original


def test_picture_outside_root_is_unsafe(tmp_path: Path) -> None:
    assert verify_picture(SAMPLE_PNG).kind == "png"
    with pytest.raises(UnsafeFile):
        verify_picture(SAMPLE_PNG, tmp_path)


def test_stale_profiles_are_removed_and_only_soffice_is_killed(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid now belongs to nobody
    stale = tmp_path / f"{cleanup.SOFFICE_PREFIX}{dead.pid}-abc"
    stale.mkdir()
    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        (stale / cleanup.SOFFICE_PID_FILE).write_text(str(sleeper.pid))
        mine = tmp_path / f"{cleanup.SOFFICE_PREFIX}{os.getpid()}-mine"
        mine.mkdir()
        other = tmp_path / f"{cleanup.SOFFICE_PREFIX}nopid"
        other.mkdir()
        assert cleanup.remove_stale_soffice_profiles(tmp_path) == [stale]
        assert mine.is_dir() and other.is_dir() and not stale.exists()
        assert sleeper.poll() is None  # "sleep" is not LibreOffice: a recycled pid is spared
    finally:
        sleeper.kill()
        sleeper.wait()


def test_owner_pid_parsing() -> None:
    assert cleanup.owner_pid(".briefing-123-x", ".briefing-") == 123
    assert cleanup.owner_pid(".briefing-cache.json", ".briefing-") is None
    assert cleanup.owner_pid("other", ".briefing-") is None
    assert not cleanup.process_exists(0)
    assert cleanup.process_exists(os.getpid())


def test_names() -> None:
    assert special_label(" 专刊 ") == "专刊"
    assert issue_folder_name("2018-028") == "2018-028"
    for bad in ("", ".x", "a/b", "a\\b", "x" * 49, "a\nb"):
        with pytest.raises(UsageError):
            issue_folder_name(bad)
    with pytest.raises(UsageError):
        single_line("标题", "长" * 201)


def test_os_reasons() -> None:
    import errno

    assert os_reason(OSError(errno.EACCES, "x", "/a")) == "没有写入权限（/a）"
    assert os_reason(OSError(errno.EROFS, "x")) == "文件系统是只读的"
    assert os_reason(OSError(errno.EIO, "I/O error")) == "I/O error"


def test_edits_that_change_tokens_are_dropped() -> None:
    body = "中文[链接](http://a.b)中文,后"
    baseline = token_signature(body)
    breaking = (2, 3, "【", "T101")  # would turn the link into text
    good = (len(body) - 2, len(body) - 1, "，", "T101")
    assert _verified(body, [breaking, good], baseline) == [good]
    assert _verified(body, [breaking], baseline) == []
    assert markdown_edits("```\n中文,后\n```\n") == []


def test_encode_like_refuses_a_changed_line_count() -> None:
    assert encode_like(b"a\r\nb", "a\nb") == b"a\r\nb"
    assert encode_like(b"a\r\nb", "a") is None


def test_safety_rules_cannot_be_silenced(tmp_path: Path) -> None:
    from tests.hostile.helpers import SETTINGS, check, workspace

    config = SETTINGS + "checks:\n  severity: {F009: off, P004: warning, T101: off}\n"
    ws = check(workspace(tmp_path / "ws", {"briefing.yaml": config}))
    messages = [d.message for d in ws.diagnostics if d.code == "M003"]
    assert len(messages) == 2 and all("不能降为" in m for m in messages)


# --------------------------------------------------------------------------- picture limits


def gif_with_frame(side: int) -> bytes:
    """A 10 x 10 GIF whose one frame claims *side* x *side* pixels."""
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", 10, 10, 0, 0, 0)
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, side, side, 0)
        + b"\x02\x02\x44\x01\x00\x3b"
    )


@pytest.mark.parametrize("side", [20000, 10000])  # past Pillow's error and warning limits
def test_a_gif_frame_far_larger_than_its_screen_is_a_bomb(side: int) -> None:
    with pytest.raises(BadPicture) as caught:
        verify_picture_bytes(gif_with_frame(side))
    assert str(caught.value) == "像素过多（超过 30 百万像素），请缩小后再提交"


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (6000, 5000, None),  # exactly 30 megapixels
        (6001, 5000, "像素过多（6001×5000，超过 30 百万像素），请缩小后再提交"),
        (30000, 1, None),
        (30001, 1, "尺寸异常（30001×1 像素）"),
        (1, 30000, None),
        (1, 30001, "尺寸异常（1×30001 像素）"),
        (1, 1, None),
        (0, 7, "尺寸异常（0×7 像素）"),
        (7, 0, "尺寸异常（7×0 像素）"),
    ],
)
def test_size_limits_are_inclusive(width: int, height: int, message: str | None) -> None:
    from briefing.pictures import _check_size

    if message is None:
        _check_size(width, height)
    else:
        with pytest.raises(BadPicture) as caught:
            _check_size(width, height)
        assert str(caught.value) == message


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_only_gif_and_bmp_count_against_the_decoding_limit(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing import pictures

    monkeypatch.setattr(pictures, "MAX_DECODED_PIXELS", 100)
    assert verify_picture_bytes(image(kind, (40, 30))).width == 40  # checked, not decoded
    with pytest.raises(BadPicture) as caught:
        verify_picture_bytes(image("BMP", (40, 30)))
    assert str(caught.value) == "BMP 图片过大（超过 0 百万像素），请转成 JPEG 或缩小"
    monkeypatch.setattr(pictures, "MAX_DECODED_PIXELS", 1200)
    assert verify_picture_bytes(image("BMP", (40, 30))).height == 30  # the limit itself passes


def test_a_png_with_a_bad_checksum_is_broken() -> None:
    data = bytearray(image("PNG", (40, 30)))
    at = data.index(b"IDAT") + 8
    data[at] ^= 0xFF  # one byte of compressed data changed: the chunk's CRC no longer matches
    with pytest.raises(BadPicture) as caught:
        verify_picture_bytes(bytes(data))
    assert str(caught.value) == "文件已损坏或被截断，图像数据无法解码"


def test_a_header_the_docx_writer_cannot_read_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing import pictures

    def unreadable(data: bytes) -> None:
        raise BadPicture("文件头不完整")

    monkeypatch.setattr(pictures, "picture_header", unreadable)
    with pytest.raises(BadPicture) as caught:
        verify_picture_bytes(image("PNG", (4, 3)))
    assert str(caught.value) == "Word 无法识别这个图片文件（文件头不完整），请另存后再提交"


def test_pictures_are_read_up_to_their_own_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    # a valid PNG of 5 MB (a large text chunk), over the 4 MB limit of articles
    data = image("PNG", (8, 8))
    note = b"comment\x00" + b"x" * 5_000_000
    text = struct.pack(">I", len(note)) + b"tEXt" + note
    text += struct.pack(">I", zlib.crc32(b"tEXt" + note))
    big.write_bytes(data[:33] + text + data[33:])
    assert verify_picture(big, tmp_path).width == 8
