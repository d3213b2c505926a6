"""Verify a picture before any renderer sees it: format, dimensions, pixel count, integrity.

A file that merely starts with a PNG or JPEG signature is not a picture: a truncated JPEG or a
bare 8-byte PNG signature used to pass ``check`` and crash ``build``. Pillow decodes the
header (and, cheaply, the data) here; a header that claims billions of pixels is refused
before anything is decoded (a "decompression bomb"). python-docx's own header parser, which
the DOCX renderer uses, must accept the file too.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from briefing.textio import MAX_PICTURE_BYTES, picture_kind, read_bytes_safely

# 30 megapixels: a 6000 × 5000 photo. Nothing printed on A4 at 300 dpi needs more (≈ 8.7 MP).
MAX_PIXELS = 30_000_000
# GIF and BMP are fully decoded to check them; keep that decode small.
MAX_DECODED_PIXELS = 16_000_000
MAX_SIDE = 30_000
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "bmp": "BMP"}


class BadPicture(Exception):
    """The picture cannot be used; the message (Chinese) says why."""


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
        raise BadPicture("不是 PNG、JPEG、GIF 或 BMP 文件")
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]])
            width, height = picture.size
            _check_size(width, height)
            _decode(picture, kind, width * height)
    except BadPicture:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadPicture(
            f"像素过多（超过 {MAX_PIXELS // 1_000_000} 百万像素），请缩小后再提交"
        ) from None
    except Exception as exc:  # Pillow raises many kinds on corrupt data; all mean "broken"
        raise BadPicture(f"文件已损坏或被截断，无法解码（{type(exc).__name__}）") from None
    _check_docx_accepts(data)
    return PictureInfo(kind, width, height)


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width > MAX_SIDE or height > MAX_SIDE:
        raise BadPicture(f"尺寸异常（{width}×{height} 像素）")
    if width * height > MAX_PIXELS:
        raise BadPicture(
            f"像素过多（{width}×{height}，超过 {MAX_PIXELS // 1_000_000} 百万像素），请缩小后再提交"
        )


def _decode(picture, kind: str, pixels: int) -> None:  # type: ignore[no-untyped-def]
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
    from docx.image.image import Image as DocxImage

    try:
        info = DocxImage.from_blob(data)
        if info.px_width <= 0 or info.px_height <= 0 or info.width <= 0 or info.height <= 0:
            raise ValueError("zero size")
    except Exception as exc:  # the DOCX renderer would fail on it the same way
        raise BadPicture(
            f"Word 无法识别这个图片文件（{type(exc).__name__}），请另存后再提交"
        ) from None
