"""The picture header reader the DOCX renderer sizes pictures with (``picture_header``).

python-docx sized every picture before briefing wrote its own DOCX: on every file it can read,
the reader must give the same native size (EMU), or a rebuilt issue would print its pictures
at another size. Where python-docx gave up, the reader still gives a sensible answer.
"""

from __future__ import annotations

import io
import struct
import zlib

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


# --------------------------------------------------------------------------- hand-built headers


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*chunks: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def ihdr(width: int, height: int) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def phys(x: int, y: int, unit: int = 1) -> bytes:
    return chunk(b"pHYs", struct.pack(">IIB", x, y, unit))


IDAT, IEND = chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")), chunk(b"IEND", b"")


def segment(code: int, payload: bytes) -> bytes:
    return bytes([0xFF, code]) + struct.pack(">H", len(payload) + 2) + payload


def jfif(unit: int, x: int, y: int) -> bytes:
    return segment(0xE0, b"JFIF\x00\x01\x01" + struct.pack(">BHH", unit, x, y) + b"\x00\x00")


def exif(order: str, entries: list[tuple[int, int, int]], rationals: dict[int, tuple[int, int]]):  # type: ignore[no-untyped-def]
    """An Exif APP1 segment whose first image directory holds *entries* ``(tag, type, value)``
    and, for RATIONAL tags, ``rationals[tag] = (numerator, denominator)``."""
    mark = b"II" if order == "<" else b"MM"
    count = len(entries) + len(rationals)
    data_at = 8 + 2 + 12 * count + 4
    directory, extra = b"", b""
    for tag, kind, value in entries:
        field = (
            struct.pack(order + "H", value) + b"\x00\x00"
            if kind == 3
            else struct.pack(order + "I", value)
        )
        directory += struct.pack(order + "HHI", tag, kind, 1) + field
    for tag, (numerator, denominator) in rationals.items():
        offset = data_at + len(extra)
        directory += struct.pack(order + "HHII", tag, 5, 1, offset)
        extra += struct.pack(order + "II", numerator, denominator)
    tiff = mark + struct.pack(order + "HI", 42, 8) + struct.pack(order + "H", count)
    return segment(0xE1, b"Exif\x00\x00" + tiff + directory + b"\x00\x00\x00\x00" + extra)


def jpeg(*segments: bytes, size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG header: SOI, *segments*, a baseline frame of *size*, the start of the scan."""
    width, height = size
    frame = segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    scan = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return b"\xff\xd8" + b"".join(segments) + frame + scan + b"\x00" * 16 + b"\xff\xd9"


X_RES, Y_RES, UNIT = 0x011A, 0x011B, 0x0128


def test_png_resolution_is_the_first_phys_wherever_it_stands() -> None:
    after_data = png(ihdr(10, 20), IDAT, phys(11811, 5906), phys(1, 1), IEND)
    assert picture_header(after_data) == PictureHeader("png", 10, 20, 300, 150)
    # nothing after IEND is read, and an aspect ratio alone (unit 0) is no resolution
    assert picture_header(png(ihdr(10, 20), IEND, phys(11811, 11811))).dpi_x == 72
    assert picture_header(png(ihdr(10, 20), phys(11811, 11811, unit=0), IEND)).dpi_x == 72
    # the size comes from IHDR, not from whatever chunk comes first
    assert picture_header(png(chunk(b"tEXt", b"a\x00b" * 9), ihdr(7, 9), IEND)).width == 7


def test_png_fields_are_unsigned() -> None:
    header = picture_header(png(ihdr(2**31 + 1, 3), phys(2**31, 2**31), IEND))
    assert header.width == 2**31 + 1
    assert header.dpi_x == round(2**31 * 0.0254)
    # a chunk length past the end of the file ends the scan instead of looping back
    assert picture_header(png(ihdr(5, 6), struct.pack(">I4s", 0xFFFFFFF0, b"zzzz"))).height == 6


def test_a_png_cut_inside_a_chunk_header_field_is_incomplete() -> None:
    with pytest.raises(BadPicture, match=r"^文件头不完整$"):
        picture_header(png(ihdr(5, 6), struct.pack(">I4s", 9, b"pHYs")))
    with pytest.raises(BadPicture, match=r"^文件头不完整$"):
        picture_header(png(chunk(b"tEXt", b"x"), IEND))  # no IHDR at all


@pytest.mark.parametrize(("width", "height"), [(0, 5), (5, 0), (0, 0)])
def test_an_empty_picture_is_refused(width: int, height: int) -> None:
    with pytest.raises(BadPicture, match=rf"^尺寸为零（{width}×{height} 像素）$"):
        picture_header(png(ihdr(width, height), IEND))


def test_jfif_density_in_inches_and_centimetres() -> None:
    assert picture_header(jpeg(jfif(1, 300, 40000))).dpi_y == 40000  # unsigned
    assert picture_header(jpeg(jfif(2, 118, 59))).extent == (
        int(64 / 300 * 914400),
        int(48 / 150 * 914400),
    )
    assert picture_header(jpeg(jfif(0, 1, 1))).dpi_x == 72  # an aspect ratio only


def test_jpeg_frame_size_is_unsigned_and_long_segments_are_skipped() -> None:
    profile = segment(0xE2, b"ICC_PROFILE\x00" + bytes(40000))  # a colour profile: 40 KB
    empty_comment = b"\xff\xfe\x00\x02"
    header = picture_header(jpeg(jfif(1, 96, 96), profile, empty_comment, size=(40000, 3)))
    assert (header.width, header.height, header.dpi_x) == (40000, 3, 96)


def test_the_header_a_jpeg_announces_decides_its_resolution() -> None:
    both = exif("<", [(UNIT, 3, 2)], {X_RES: (300, 1), Y_RES: (300, 1)})
    # JFIF at offset 6: its density, whatever Exif says (python-docx did the same)
    assert picture_header(jpeg(jfif(1, 96, 96), both)).dpi_x == 96
    # Exif at offset 6: the Exif resolution, whatever JFIF says
    assert picture_header(jpeg(both, jfif(1, 96, 96))).dpi_x == 300
    # neither announced (a comment first): JFIF first, else Exif, else 72
    comment = segment(0xFE, b"made by hand")
    assert picture_header(jpeg(comment, both, jfif(1, 96, 96))).dpi_x == 96
    assert picture_header(jpeg(comment, both)).dpi_x == 300
    assert picture_header(jpeg(comment)).dpi_x == 72


def test_only_the_first_real_jfif_and_exif_segments_count() -> None:
    first = exif(">", [], {X_RES: (150, 1), Y_RES: (150, 1)})
    second = exif(">", [], {X_RES: (600, 1), Y_RES: (600, 1)})
    assert picture_header(jpeg(first, second)).dpi_x == 150
    assert picture_header(jpeg(jfif(1, 100, 100), jfif(1, 200, 200))).dpi_x == 100
    # segments that merely start with the words are neither
    fake_jfif = segment(0xE1, b"JFIF\x00\x01\x01" + struct.pack(">BHH", 1, 500, 500))
    fake_exif = segment(0xE0, b"Exif\x00\x00" + bytes(30))
    xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x/>")
    assert picture_header(jpeg(xmp, fake_jfif, fake_exif, jfif(1, 120, 120))).dpi_x == 120


@pytest.mark.parametrize("order", ["<", ">"])
def test_exif_resolution_units_and_types(order: str) -> None:
    def dpi(entries, rationals):  # type: ignore[no-untyped-def]
        return picture_header(jpeg(exif(order, entries, rationals))).dpi_x

    assert dpi([], {X_RES: (300, 1)}) == 300  # no unit: inches
    assert dpi([(UNIT, 3, 2)], {X_RES: (300, 1)}) == 300
    assert dpi([(UNIT, 3, 3)], {X_RES: (118, 1)}) == 300  # per centimetre
    assert dpi([(UNIT, 3, 1)], {X_RES: (300, 1)}) == 72  # no absolute unit
    assert dpi([(X_RES, 4, 200)], {}) == 200  # stored as a LONG
    assert dpi([(X_RES, 3, 180)], {}) == 180  # stored as a SHORT
    assert dpi([(UNIT, 3, 2)], {}) == 72  # no resolution at all
    assert dpi([], {X_RES: (300, 0)}) == 72  # a zero denominator: broken, not fatal
    assert dpi([], {X_RES: (3_000_000_000, 10_000_000)}) == 300  # unsigned rationals


def test_a_broken_exif_block_leaves_the_picture_at_72_dpi() -> None:
    broken = segment(0xE1, b"Exif\x00\x00II*\x00" + struct.pack("<I", 5000))  # IFD past the end
    assert picture_header(jpeg(broken)) == PictureHeader("jpeg", 64, 48, 72, 72)
    odd_order = segment(0xE1, b"Exif\x00\x00XX*\x00" + bytes(8))
    assert picture_header(jpeg(odd_order)).dpi_x == 72


def test_jpeg_segment_lengths_below_two_are_broken() -> None:
    with pytest.raises(BadPicture, match=r"^文件头不完整$"):
        picture_header(b"\xff\xd8\xff\xfe\x00\x01" + bytes(20))
    with pytest.raises(BadPicture, match=r"^文件头不完整$"):
        picture_header(b"\xff\xd8" + segment(0xFE, b"no frame") + b"\xff\xd9")


def test_gif_and_bmp_sizes_are_unsigned_and_bmp_resolution_defaults_to_96() -> None:
    gif = b"GIF89a" + struct.pack("<HH", 40000, 50000) + bytes(10)
    assert picture_header(gif) == PictureHeader("gif", 40000, 50000, 72, 72)
    bmp = bytearray(pillow("BMP", (5, 7)))
    bmp[0x26:0x2E] = struct.pack("<II", 0, 0)
    assert picture_header(bytes(bmp)) == PictureHeader("bmp", 5, 7, 96, 96)
    bmp[0x26:0x2E] = struct.pack("<II", 11811, 2**31)
    assert picture_header(bytes(bmp)).dpi_x == 300
    assert picture_header(bytes(bmp)).dpi_y == round(2**31 * 0.0254)


def test_unknown_kinds_are_named() -> None:
    with pytest.raises(BadPicture, match=r"^不是 PNG、JPEG、GIF 或 BMP 文件$"):
        picture_header(b"%PDF-1.7")
