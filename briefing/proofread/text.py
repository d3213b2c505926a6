"""Character classes and offset-preserving masking for the proofreading rules.

Every rule looks at a *masked* copy of the text: the same length as the original, so an offset
found in the mask is an offset in the file (``SourceText.locate`` turns it into line:column).
Two placeholders replace what a rule must not read:

* ``OPAQUE`` stands for text that is not Chinese prose (code, URLs, link targets, HTML comments,
  table pipes, thematic breaks). It is neither CJK nor punctuation, so no context rule fires
  across it in the wrong way.
* ``SKIP`` stands for Markdown syntax that is invisible in print (``**``, ``_``, the ``[`` and
  ``]`` of a link, escaping backslashes). Neighbour look-ups step over it, so
  ``推进**重点**工作`` reads as ``推进重点工作``.

Line-leading syntax (``#`` of a heading, list markers, ``>``) becomes plain spaces: it sits at
the start of a line where spaces are indentation and mean nothing to the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.markdown import HTML_COMMENT, body_syntax
from briefing.markdown import RAW_TAG as HTML_TAG
from briefing.model import BodySyntax

OPAQUE = "\x00"
SKIP = "\x01"

PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "（": "）", "【": "】", "〔": "〕"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
DIGITS = frozenset("0123456789")
LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# Full-width digits and Latin letters → ASCII, length-preserving (one char for one char).
FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}


def prev_index(text: str, index: int, *, spaces: bool = False) -> int:
    """Index of the nearest character before *index* that is not ``SKIP`` (nor a space when
    *spaces*); -1 at the start of the text."""
    i = index - 1
    while i >= 0 and (text[i] == SKIP or (spaces and text[i] in " \t\u3000")):
        i -= 1
    return i


def next_index(text: str, index: int, *, spaces: bool = False) -> int:
    """Index of the nearest character after *index* that is not ``SKIP`` (nor a space when
    *spaces*); ``len(text)`` at the end."""
    i = index + 1
    n = len(text)
    while i < n and (text[i] == SKIP or (spaces and text[i] in " \t\u3000")):
        i += 1
    return i


def char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def snippet(text: str, start: int, end: int, width: int = 4) -> str:
    """The offending text with a few characters either side, for a message (one line)."""
    left = text[max(0, start - width) : start].rsplit("\n", 1)[-1]
    right = text[end : end + width].split("\n", 1)[0]
    return f"{left}{text[start:end]}{right}".strip()


# --------------------------------------------------------------------------- masking


@dataclass(frozen=True, slots=True)
class Scope:
    """A stretch of text that pairs of quotes and brackets must balance within.

    ``kind``: ``heading``, ``paragraph``, ``item`` (list item), ``row`` (table row),
    ``quote`` or ``field`` (a front-matter value).
    """

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Masked:
    text: str
    scopes: tuple[Scope, ...]


# Case-insensitive for the scheme only: with re.IGNORECASE on the whole pattern, compiling the
# CJK ranges of the class took ≈2.6 ms instead of ≈0.9 ms at every start. The class has no
# cased letters, so the matches are the same (checked for every code point).
URL = re.compile(
    r"(?i:(?:https?|ftp)://|www\.)[^\s<>\x00\x01\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# EMAIL tried only where a run of address characters begins. Tried at every position, a long
# run without a valid "@domain" after it is rescanned from each of its characters (quadratic:
# an 80 KB line took 17 s). A match from inside a run exists only if one from its start does
# (both must end at the same "@"), so the matches are the same; see ``_emails``.
EMAIL_AT_RUN = re.compile(r"(?<![A-Za-z0-9._%+-])" + EMAIL.pattern)


def _opaque(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(OPAQUE, match.group())


def _url(match: re.Match[str]) -> str:
    url = match.group()
    # Trailing ASCII punctuation ends the sentence, not the URL (as GFM autolinks do).
    trimmed = url.rstrip(".,;:!?'\"")
    # Counted once and kept up to date: recounting per stripped ")" is quadratic in the URL.
    opens, closes = trimmed.count("("), trimmed.count(")")
    while trimmed.endswith(")") and opens < closes:
        trimmed = trimmed[:-1].rstrip(".,;:!?'\"")
        closes -= 1
    return OPAQUE * len(trimmed) + url[len(trimmed) :]


def _mask_emails(text: str) -> str:
    """``EMAIL.sub(_opaque, text)`` in linear time."""
    parts: list[str] = []
    pos = 0
    while True:
        # Right after a match the next run may start mid-run (``a@b.cc_x@d.cn``): try there
        # first, anchored, as ``re.sub`` would; elsewhere only where runs begin.
        match = EMAIL.match(text, pos) if pos else None
        match = match or EMAIL_AT_RUN.search(text, pos)
        if match is None:
            break
        parts.append(text[pos : match.start()])
        parts.append(_opaque(match))
        pos = match.end()
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def mask_plain(text: str) -> str:
    """Mask URLs and e-mail addresses: they are not prose, wherever they are written."""
    if "://" in text or "www." in text:
        text = URL.sub(_url, text)
    if "@" in text:
        text = _mask_emails(text)
    return text


def mask_field(text: str) -> Masked:
    """A front-matter value: plain text, only URLs and e-mail addresses are masked."""
    return Masked(mask_plain(text), (Scope("field", 0, len(text)),))


def mask_markdown(text: str, syntax: BodySyntax | None = None) -> Masked:
    """Mask a Markdown body as markdown-it reads it (*syntax*, parsed here when not given):
    only the printed text stays; invisible syntax becomes ``SKIP``, code, link targets, table
    pipes and the like ``OPAQUE``, block markers and indentation spaces. Raw HTML tags (shown
    as text, and reported by ``check``), URLs and e-mail addresses are ``OPAQUE`` too."""
    if syntax is None:
        syntax = body_syntax(text)
    out = [" "] * len(text)  # block markers, indentation: nothing a rule should read
    newline = text.find("\n")
    while newline >= 0:
        out[newline] = "\n"
        newline = text.find("\n", newline + 1)
    for start, end in syntax.text:
        out[start:end] = text[start:end]
    for start, end in syntax.opaque:
        out[start:end] = _opaque_run(text, start, end)
    for start, end in syntax.hidden:
        out[start:end] = SKIP * (end - start)
    for match in HTML_COMMENT.finditer(text):
        out[match.start() : match.end()] = _opaque_run(text, match.start(), match.end())
    masked = "".join(out)
    if "<" in masked:
        masked = HTML_TAG.sub(_opaque, masked)
    scopes = tuple(Scope(kind, start, end) for kind, start, end in syntax.scopes)
    return Masked(mask_plain(masked), scopes)


def _opaque_run(text: str, start: int, end: int) -> str:
    """``OPAQUE`` for every character of ``text[start:end]`` but the line breaks."""
    part = text[start:end]
    return _NOT_NEWLINE.sub(OPAQUE, part) if "\n" in part else OPAQUE * len(part)


_NOT_NEWLINE = re.compile(r"[^\n]")
