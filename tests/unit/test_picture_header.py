"""The picture header reader the DOCX renderer sizes pictures with (``picture_header``).

python-docx sized every picture before briefing wrote its own DOCX: on every file it can read,
the reader must give the same native size (EMU), or a rebuilt issue would print its pictures
at another size. Where python-docx gave up, the reader still gives a sensible answer.
"""

from __future__ import annotations

import io
import struct

import pytest
from docx.image.image import Image as DocxImage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from briefing.pictures import BadPicture, PictureHeader, picture_header, verify_picture_bytes

DPI = st.one_of(
    st.sampled_from([72, 96, 150, 300, 600, 72.5, 299.7]), st.floats(1, 2400, allow_nan=False)
)


def pillow(kind: str, size: tuple[int, int], **options) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, kind, **options)
    return out.getvalue()


@st.composite
def pictures(draw) -> bytes:  # type: ignore[no-untyped-def]
    size = (draw(st.integers(1, 600)), draw(st.integers(1, 600)))
    kind = draw(st.sampled_from(["PNG", "JPEG", "JPEG-Exif", "GIF", "BMP"]))
    dpi = (draw(DPI), draw(DPI))
    if kind == "JPEG-Exif":
        exif = Image.Exif()
        exif[0x011A], exif[0x011B] = dpi
        exif[0x0128] = draw(st.sampled_from([1, 2, 3]))
        jfif = draw(st.booleans())
        data = pillow("JPEG", size, exif=exif.tobytes())
        return data if jfif else _without_jfif(data)
    if kind == "GIF" or draw(st.booleans()):
        return pillow(kind.split("-")[0], size)
    return pillow(kind, size, dpi=dpi)


def _without_jfif(data: bytes) -> bytes:
    """The JPEG with its JFIF APP0 segment cut out, so an Exif APP1 follows the SOI."""
    if data[2:4] != b"\xff\xe0":
        return data
    (length,) = struct.unpack(">H", data[4:6])
    return data[:2] + data[4 + length :]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pictures())
def test_native_size_is_python_docx_s(data: bytes) -> None:
    expected = DocxImage.from_blob(data)
    header = picture_header(data)
    assert header.extent == (expected.width, expected.height)
    assert (header.width, header.height) == (expected.px_width, expected.px_height)


def test_kinds_and_defaults() -> None:
    assert picture_header(pillow("PNG", (4, 3))) == PictureHeader("png", 4, 3, 72, 72)
    assert picture_header(pillow("GIF", (4, 3))) == PictureHeader("gif", 4, 3, 72, 72)
    assert picture_header(pillow("BMP", (4, 3))) == PictureHeader("bmp", 4, 3, 96, 96)
    assert picture_header(pillow("PNG", (4, 3), dpi=(300, 150))).extent == (12192, 18288)
    assert picture_header(pillow("JPEG", (300, 150), dpi=(150, 300))).extent == (1828800, 457200)


def test_a_jpeg_python_docx_refused_is_read() -> None:
    # no JFIF and no Exif header: python-docx raised UnrecognizedImageError for these
    data = _without_jfif(pillow("JPEG", (64, 48)))
    assert data[6:10] not in (b"JFIF", b"Exif")
    assert picture_header(data) == PictureHeader("jpeg", 64, 48, 72, 72)
    assert verify_picture_bytes(data).width == 64


def test_a_zero_density_falls_back_to_72_dpi() -> None:
    data = bytearray(pillow("JPEG", (72, 144), dpi=(300, 300)))
    assert data[6:10] == b"JFIF"
    data[14:18] = b"\x00\x00\x00\x00"  # density 0 x 0 dots per inch
    assert picture_header(bytes(data)).extent == (914400, 1828800)
    png = bytearray(pillow("PNG", (72, 72), dpi=(300, 300)))
    at = png.index(b"pHYs") + 4
    png[at : at + 8] = bytes(8)  # 0 pixels per metre, unit metre
    assert picture_header(bytes(png)).extent == (914400, 914400)


def test_a_top_down_bmp_has_its_height() -> None:
    data = bytearray(pillow("BMP", (5, 7)))
    data[0x16:0x1A] = struct.pack("<i", -7)
    assert picture_header(bytes(data)) == PictureHeader("bmp", 5, 7, 96, 96)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"not a picture", "不是 PNG"),
        (b"\x89PNG\r\n\x1a\n", "文件头不完整"),
        (b"\x89PNG\r\n\x1a\n" + struct.pack(">I4s", 13, b"IHDR") + bytes(13), "尺寸为零"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "文件头不完整"),
        (b"\xff\xd8\xff\xe0\x00\x01", "文件头不完整"),
        (b"GIF89a\x00", "文件头不完整"),
        (b"BM" + bytes(20), "文件头不完整"),
    ],
)
def test_unreadable_headers_are_bad_pictures(data: bytes, needle: str) -> None:
    with pytest.raises(BadPicture, match=needle):
        picture_header(data)


def test_fill_bytes_and_stuffed_zeros_between_segments_are_skipped() -> None:
    data = pillow("JPEG", (33, 22))
    (length,) = struct.unpack(">H", data[4:6])
    end = 4 + length  # after the APP0 segment: stray bytes, a stuffed zero, fill bytes
    padded = data[:end] + b"\x00\xff\x00\xff\xff" + data[end:]
    assert (picture_header(padded).width, picture_header(padded).height) == (33, 22)
