"""Plain-text submissions: detect the encoding, one paragraph per line.

Offices send text saved by Notepad or exported from OA systems: UTF-8 (with or without a
BOM), GB18030/GBK, or UTF-16 (Notepad's "Unicode", with a BOM). UTF-8 is tried first through
``textio.decode``; otherwise ``textio.guess_encoding`` names the encoding, which is also the
one used to decode. BOM-less UTF-16 is recognised by its zero bytes. Every non-blank line is a
paragraph: Notepad does not wrap lines, so a line break is a paragraph break.
"""

from __future__ import annotations

from briefing.chars import is_han
from briefing.importing.source import TEXT_KIND, Document, Para, Run, Unreadable
from briefing.textio import NotUtf8, decode, guess_encoding

CODECS = {"UTF-16": "utf-16", "GB18030（GBK/GB2312）": "gb18030", "Big5": "big5"}


def detect(data: bytes) -> tuple[str, str]:
    """(text, encoding label) of *data*; ``Unreadable`` when no encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return decode(data), "UTF-8（带 BOM）"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        label: str | None = guess_encoding(data)  # "UTF-16", from the BOM
    else:
        try:
            text = decode(data)
        except NotUtf8:
            pass
        else:
            if "\x00" not in text:
                return text, "UTF-8"
        label = _bomless_utf16(data) or guess_encoding(data)
    if label is None:
        raise Unreadable("无法识别文本的编码（不是 UTF-8、GB18030 或 UTF-16），也可能不是文本文件")
    codec = CODECS.get(label, label)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise Unreadable(f"文本看起来是 {label} 编码，但其中有无法解码的字节") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), label


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: decodes to (nearly) nothing but Chinese, ASCII and punctuation.

    GB18030 bytes read as UTF-16 give Hangul, surrogates and rare symbols instead, so this
    is tried before the GB18030 guess, which would accept many UTF-16 byte strings.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return codec
    return None


def looks_like_text(text: str) -> bool:
    """At least 95 % Chinese, ASCII and punctuation: not bytes decoded as if they were text."""
    return sum(_plausible(ch) for ch in text) >= 0.95 * len(text)


def _plausible(ch: str) -> bool:
    code = ord(ch)
    return (
        0x20 <= code < 0x7F
        or ch in "\r\n\t"
        or is_han(ch)
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2000 <= code <= 0x206F
        or 0xA0 <= code <= 0x24F  # Latin-1 and Latin Extended: names, units, signs
        or 0x2460 <= code <= 0x24FF  # ① ⑴ ⒈
    )


def read_text_file(data: bytes) -> Document:
    text, label = detect(data)
    if "\x00" in text or any(ch < " " and ch not in "\n\t\f" for ch in text[:4096]):
        raise Unreadable(f"这不像文本文件（按 {label} 解码后有控制字符）")
    paragraphs = tuple(
        Para((Run(line),), number)
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()  # a line of spaces of any width is no paragraph
    )
    if not paragraphs:
        raise Unreadable("文件中没有文字")
    shown = {"utf-16-le": "UTF-16（无 BOM）", "utf-16-be": "UTF-16（无 BOM）"}.get(label, label)
    return Document(paragraphs, f"{shown} {TEXT_KIND}")
