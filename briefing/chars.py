"""What kind of character this is: the one place that knows the Unicode ranges of Chinese text.

``is_han`` answers "is this a Chinese character" (an ideograph, or 〇); ``is_cjk`` answers "does
this character make its context Chinese" (ideographs and kana, and the full-width and
CJK punctuation around them). Parsing, proofreading, typesetting and import all ask one of the
two, so a character is Chinese everywhere or nowhere.
"""

from __future__ import annotations

import re

# Ideographs: the unified block, extension A, compatibility ideographs, the supplementary planes.
HAN_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
# A regular-expression class of the same ideographs, for patterns that need one.
HAN_CLASS = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in HAN_RANGES) + "\u3007"


def is_han(ch: str) -> bool:
    """A Chinese character: an ideograph of ``HAN_RANGES``, or 〇 (U+3007, ling)."""
    if not ch:
        return False
    code = ord(ch)
    return code == 0x3007 or any(a <= code <= b for a, b in HAN_RANGES)


def is_cjk(ch: str) -> bool:
    """CJK ideographs and kana, and the full-width and CJK punctuation blocks: what
    makes a context Chinese (bold next to “”, a soft line break that adds no space)."""
    if not ch:
        return False
    code = ord(ch)
    return (
        code == 0xB7  # · (间隔号)
        or 0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or 0x2010 <= code <= 0x206F  # “ ” ‘ ’ — …
    )


def has_han(text: str) -> bool:
    return any(is_han(ch) for ch in text)


_NOT_IN_SLUG = re.compile(f"[^0-9A-Za-z{HAN_CLASS}_-]+")


def slug(text: str) -> str:
    """*text* as the part of a file name after its number: letters, digits, Chinese
    characters, ``_`` and ``-``; every other run becomes one ``-``."""
    return _NOT_IN_SLUG.sub("-", text).strip("-")
