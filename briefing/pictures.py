"""The one picture loader: where a picture is, whether it can be read, what it is.

``load_picture`` is used by ``check`` (with ``verify=True``) and by ``assemble`` (which hands
the bytes and the printed size to both renderers): every failure is a ``PictureFailure``
carrying the rule it breaks (P001-P004, F009) and a Chinese message, which the caller reports
through the rule registry's ``Reporter`` (severity overrides apply).

A file that merely starts with a PNG or JPEG signature is not a picture: a truncated JPEG or a
bare 8-byte PNG signature must not pass ``check``. Pillow decodes the header (and, cheaply,
the data) here; a header that claims billions of pixels is refused before anything is
decoded (a "decompression bomb"). The header reader that sizes pictures for print
(``picture_header``) must accept the file too.
"""

from __future__ import annotations

import errno
import importlib
import io
import os
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import display_path
from briefing.textio import (
    MAX_PICTURE_BYTES,
    UnsafeFile,
    picture_kind,
    read_bytes_safely,
    read_reason,
)

if TYPE_CHECKING:
    from PIL.ImageFile import ImageFile

# 30 megapixels: a 6000 × 5000 photo. Nothing printed on A4 at 300 dpi needs more (≈ 8.7 MP).
MAX_PIXELS = 30_000_000
# GIF and BMP are fully decoded to check them; keep that decode small.
MAX_DECODED_PIXELS = 16_000_000
MAX_SIDE = 30_000
# Pillow's reader of each kind (module, class): opening it directly skips Image.open's import
# of every plugin (≈5 ms), while kind detection is ours anyway
PILLOW_READERS = {
    "png": ("PngImagePlugin", "PngImageFile"),
    "jpeg": ("JpegImagePlugin", "JpegImageFile"),
    "gif": ("GifImagePlugin", "GifImageFile"),
    "bmp": ("BmpImagePlugin", "BmpImageFile"),
}


class BadPicture(Exception):
    """The picture cannot be used; the message (Chinese) says why, ``code`` which rule it
    breaks: P003 for a file that is no picture at all, P004 for a broken or oversized one."""

    def __init__(self, message: str, code: str = "P004") -> None:
        super().__init__(message)
        self.code = code


NOT_A_PICTURE = "不是 PNG、JPEG、GIF 或 BMP 文件"


class PictureFailure(Exception):
    """Why a picture of an article cannot be printed: the rule code and the whole message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class LoadedPicture:
    data: bytes
    header: PictureHeader


def is_remote(src: str) -> bool:
    """A network address rather than a file of the workspace."""
    return "://" in src or src.startswith(("data:", "//"))


def load_picture(
    src: str,
    path: Path,
    root: Path | None,
    *,
    real_root: Path | None = None,
    verify: bool = False,
) -> LoadedPicture:
    """The picture written as *src* and resolved to *path*: its bytes and header.

    With a workspace *root* the picture must lie inside it (*real_root* is its resolved form,
    when the caller has it already). *verify* also decodes it with Pillow (what ``check``
    does; ``assemble`` then only reads the header). Raises ``PictureFailure``.
    """
    if is_remote(src):
        raise PictureFailure("P002", f"图片“{src}”是网络地址；请把图片放进本期的 images/ 目录")
    if root is not None:
        inside = real_root if real_root is not None else root.resolve()
        if inside not in path.parents:
            raise PictureFailure(
                "P002", f"图片路径“{src}”指向工作区以外；请把图片放进本期的 images/ 目录"
            )
    if not os.path.lexists(path):
        where = display_path(path, root) if root is not None else str(path)
        raise PictureFailure("P001", f"找不到图片“{src}”（{where}）")
    try:
        data = read_bytes_safely(path, root, MAX_PICTURE_BYTES)
        if verify:
            verify_picture_bytes(data)
        header = picture_header(data)
    except UnsafeFile as exc:
        raise PictureFailure("F009", f"图片“{src}”无法使用：{exc}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PictureFailure("F009", f"图片“{src}”无法使用：{read_reason(exc)}") from None
        raise PictureFailure("P001", f"图片“{src}”无法读取：{read_reason(exc)}") from None
    except BadPicture as exc:
        if exc.code == "P003":
            raise PictureFailure("P003", f"图片“{src}”{exc}") from None
        raise PictureFailure(exc.code, f"图片“{src}”无法使用：{exc}") from None
    return LoadedPicture(data, header)


@dataclass(frozen=True, slots=True)
class PictureInfo:
    kind: str  # png | jpeg | gif | bmp
    width: int
    height: int


def verify_picture(path: Path, root: Path | None = None) -> PictureInfo:
    """Read and verify the picture at *path*; raises ``BadPicture`` or ``UnsafeFile``/``OSError``."""
    data = read_bytes_safely(path, root, MAX_PICTURE_BYTES)
    return verify_picture_bytes(data)


def verify_picture_bytes(data: bytes) -> PictureInfo:
    kind = picture_kind(data[:8])
    if kind is None:
        raise BadPicture(NOT_A_PICTURE, "P003")
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = _open(kind, data)
            width, height = picture.size
            _check_size(width, height)
            _decode(picture, kind, width * height)
    except BadPicture:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadPicture(
            f"像素过多（超过 {MAX_PIXELS // 1_000_000} 百万像素），请缩小后再提交"
        ) from None
    except Exception:  # Pillow raises many kinds on corrupt data; all mean "broken"
        raise BadPicture("文件已损坏或被截断，图像数据无法解码") from None
    if kind == "png":
        _check_nothing_after_png(data)
    _check_docx_accepts(data)
    return PictureInfo(kind, width, height)


def _check_nothing_after_png(data: bytes) -> None:
    """A PNG ends with its IEND chunk. Bytes after it are no part of the picture: a file that
    is at once a PNG and a web page (or an archive) carries them. Zero padding is tolerated."""
    offset = 8
    while offset + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        end = offset + 12 + length
        if data[offset + 4 : offset + 8] == b"IEND":
            extra = data[end:]
            if extra.strip(b"\0"):
                raise BadPicture(
                    f"图像数据之后还附有 {len(extra)} 字节的其他内容"
                    "（图片可能被拼接了网页或其他文件），请重新导出图片"
                )
            return
        offset = end


def _open(kind: str, data: bytes) -> ImageFile:
    """Pillow's reader of *kind* on *data*: the header is read, no pixel yet."""
    from PIL import Image

    module, name = PILLOW_READERS[kind]
    reader = getattr(importlib.import_module(f"PIL.{module}"), name)
    try:
        return reader(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise  # a GIF frame far larger than its screen: too many pixels, not a broken header
    except Exception:  # SyntaxError, struct.error, EOFError …: not a readable header
        raise BadPicture("文件已损坏或被截断，文件头无法识别") from None


def _check_size(width: int, height: int) -> None:
    # too many pixels first: a decompression bomb is usually also too wide, and "too many
    # pixels, make it smaller" is what its sender needs to hear
    if width * height > MAX_PIXELS:
        raise BadPicture(
            f"像素过多（{width}×{height}，超过 {MAX_PIXELS // 1_000_000} 百万像素），请缩小后再提交"
        )
    if width <= 0 or height <= 0 or width > MAX_SIDE or height > MAX_SIDE:
        raise BadPicture(f"尺寸异常（{width}×{height} 像素）")


def _decode(picture: ImageFile, kind: str, pixels: int) -> None:
    """Read all the data: PNG chunk CRCs up to IEND, JPEG at 1/8 scale, GIF/BMP in full."""
    if kind == "png":
        picture.verify()
    elif kind == "jpeg":
        picture.draft("RGB", (max(1, picture.size[0] // 8), max(1, picture.size[1] // 8)))
        picture.load()
    else:
        if pixels > MAX_DECODED_PIXELS:
            raise BadPicture(
                f"{kind.upper()} 图片过大（超过 {MAX_DECODED_PIXELS // 1_000_000} 百万像素），"
                "请转成 JPEG 或缩小"
            )
        picture.load()


def _check_docx_accepts(data: bytes) -> None:
    """The DOCX renderer sizes a picture from its header: that reading must succeed."""
    try:
        picture_header(data)
    except BadPicture as exc:
        raise BadPicture(f"Word 无法识别这个图片文件（{exc}），请另存后再提交") from None


# --------------------------------------------------------------------------- header reading

EMU_PER_INCH = 914_400
DEFAULT_DPI = 72
BMP_DEFAULT_DPI = 96  # a BMP without a resolution is a screen capture


@dataclass(frozen=True, slots=True)
class PictureHeader:
    """What a DOCX needs from a picture without decoding it: kind, pixels and resolution."""

    kind: str  # png | jpeg | gif | bmp
    width: int
    height: int
    dpi_x: int = DEFAULT_DPI
    dpi_y: int = DEFAULT_DPI

    @property
    def extent(self) -> tuple[int, int]:
        """Native size in EMU: the pixels at the picture's own resolution."""
        return (
            int(self.width / self.dpi_x * EMU_PER_INCH),
            int(self.height / self.dpi_y * EMU_PER_INCH),
        )


def picture_header(data: bytes) -> PictureHeader:
    """Kind, pixel size and resolution read from the header of *data*; ``BadPicture`` when
    the header is unreadable or declares an empty picture.

    The resolution rules are python-docx's (which sized every picture before briefing wrote
    its own DOCX), so a picture keeps the size it printed at: PNG ``pHYs``, the JFIF density
    of a JFIF file or the Exif resolution of an Exif file, BMP pixels per metre (96 dpi when
    absent), 72 dpi otherwise. Where python-docx gave up (a JPEG that is neither JFIF nor
    Exif, a zero density) this reads what it can and falls back to 72 dpi.
    """
    kind = picture_kind(data[:8])
    reader = _HEADER_READERS.get(kind or "")
    if reader is None:
        raise BadPicture(NOT_A_PICTURE, "P003")
    try:
        header = reader(data)
    except (struct.error, IndexError, ValueError):
        raise BadPicture("文件头不完整") from None
    if header.width <= 0 or header.height <= 0:
        raise BadPicture(f"尺寸为零（{header.width}×{header.height} 像素）")
    return header


def _usable_dpi(dpi: int) -> int:
    return dpi if dpi > 0 else DEFAULT_DPI


def _png_header(data: bytes) -> PictureHeader:
    width = height = 0
    dpi = (DEFAULT_DPI, DEFAULT_DPI)
    seen_size = seen_phys = False
    offset = 8
    while offset + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, offset)
        body = offset + 8
        if kind == b"IHDR" and not seen_size:
            width, height = struct.unpack_from(">II", data, body)
            seen_size = True
        elif kind == b"pHYs" and not seen_phys:
            per_unit_x, per_unit_y, unit = struct.unpack_from(">IIB", data, body)
            dpi = (_png_dpi(unit, per_unit_x), _png_dpi(unit, per_unit_y))
            seen_phys = True
        elif kind == b"IEND":
            break
        offset = body + length + 4
    if not seen_size:
        raise ValueError("no IHDR")
    return PictureHeader("png", width, height, *dpi)


def _png_dpi(unit: int, per_unit: int) -> int:
    return _usable_dpi(round(per_unit * 0.0254)) if unit == 1 and per_unit else DEFAULT_DPI


# SOF0-SOF15 without DHT (C4), JPG (C8) and DAC (CC): the frame headers carrying the size
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# markers without a length: TEM, RST0-7, SOI, EOI
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xDA)})


def _jpeg_header(data: bytes) -> PictureHeader:
    size: tuple[int, int] | None = None
    jfif: tuple[int, int] | None = None
    exif: tuple[int, int] | None = None
    for code, segment in _jpeg_segments(data):
        if code in _JPEG_FRAMES and size is None:
            height, width = struct.unpack_from(">HH", segment, 1)
            size = (width, height)
        elif code == 0xE0 and jfif is None and segment.startswith(b"JFIF\x00"):
            unit, density_x, density_y = struct.unpack_from(">BHH", segment, 7)
            jfif = (_jfif_dpi(unit, density_x), _jfif_dpi(unit, density_y))
        elif code == 0xE1 and exif is None and segment.startswith(b"Exif\x00\x00"):
            exif = _exif_dpi(segment[6:])
    if size is None:
        raise ValueError("no frame header")
    # python-docx read the density of the header the file announces at offset 6
    announced = {b"JFIF": jfif, b"Exif": exif}.get(data[6:10])
    dpi = announced or jfif or exif or (DEFAULT_DPI, DEFAULT_DPI)
    return PictureHeader("jpeg", *size, *dpi)


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """``(marker code, segment without its length)`` up to the start of the scan."""
    offset = 2
    while True:
        offset = data.index(b"\xff", offset)
        while data[offset] == 0xFF:  # fill bytes
            offset += 1
        code = data[offset]
        offset += 1
        if code == 0x00 or code in _JPEG_STANDALONE:
            continue
        (length,) = struct.unpack_from(">H", data, offset)
        if length < 2:
            raise ValueError("bad segment length")
        yield code, data[offset + 2 : offset + length]
        if code == 0xDA:  # start of scan: the header is over
            return
        offset += length


def _jfif_dpi(unit: int, density: int) -> int:
    if unit == 1:
        return _usable_dpi(density)
    if unit == 2:
        return _usable_dpi(round(density * 2.54))
    return DEFAULT_DPI


_TIFF_X_RESOLUTION, _TIFF_Y_RESOLUTION, _TIFF_RESOLUTION_UNIT = 0x011A, 0x011B, 0x0128


def _exif_dpi(tiff: bytes) -> tuple[int, int]:
    """Resolution from the first image directory of the TIFF block inside an Exif segment;
    72 dpi when the block is broken (the picture itself may be fine: python-docx refused it)."""
    try:
        return _tiff_dpi(tiff)
    except (struct.error, ZeroDivisionError):
        return DEFAULT_DPI, DEFAULT_DPI


def _tiff_dpi(tiff: bytes) -> tuple[int, int]:
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return DEFAULT_DPI, DEFAULT_DPI
    (first,) = struct.unpack_from(order + "I", tiff, 4)
    (count,) = struct.unpack_from(order + "H", tiff, first)
    values: dict[int, float] = {}
    for index in range(count):
        tag, kind, _, value = struct.unpack_from(order + "HHII", tiff, first + 2 + index * 12)
        if kind == 3:  # SHORT, stored in the first half of the value field
            (values[tag],) = struct.unpack_from(order + "H", tiff, first + 2 + index * 12 + 8)
        elif kind == 4:  # LONG
            values[tag] = value
        elif kind == 5:  # RATIONAL, stored at the offset in the value field
            numerator, denominator = struct.unpack_from(order + "II", tiff, value)
            values[tag] = numerator / denominator
    unit = values.get(_TIFF_RESOLUTION_UNIT, 2)

    def dpi(tag: int) -> int:
        if tag not in values or unit == 1:
            return DEFAULT_DPI
        return _usable_dpi(round(values[tag] * (1 if unit == 2 else 2.54)))

    return dpi(_TIFF_X_RESOLUTION), dpi(_TIFF_Y_RESOLUTION)


def _gif_header(data: bytes) -> PictureHeader:
    width, height = struct.unpack_from("<HH", data, 6)
    return PictureHeader("gif", width, height)


def _bmp_header(data: bytes) -> PictureHeader:
    width, height = struct.unpack_from("<ii", data, 0x12)
    per_metre_x, per_metre_y = struct.unpack_from("<II", data, 0x26)
    # a negative height is a top-down BMP, not an empty one
    return PictureHeader("bmp", width, abs(height), _bmp_dpi(per_metre_x), _bmp_dpi(per_metre_y))


def _bmp_dpi(per_metre: int) -> int:
    return _usable_dpi(round(per_metre * 0.0254)) if per_metre else BMP_DEFAULT_DPI


_HEADER_READERS = {"png": _png_header, "jpeg": _jpeg_header, "gif": _gif_header, "bmp": _bmp_header}
