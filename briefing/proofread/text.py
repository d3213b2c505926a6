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

from briefing.markdown import HTML_COMMENT
from briefing.markdown import RAW_TAG as HTML_TAG

OPAQUE = "\x00"
SKIP = "\x01"

# Full-width and CJK punctuation, the marks GB/T 15834 uses in Chinese text.
CJK_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】〔〕〖〗「」『』…—～·－．／％＋＝")
PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "（": "）", "【": "】", "〔": "〕"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
DIGITS = frozenset("0123456789")
LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# Full-width digits and Latin letters → ASCII, length-preserving (one char for one char).
FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}


def is_han(ch: str) -> bool:
    """A Chinese character (CJK ideographs with extensions, plus U+3007 ling)."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or code == 0x3007
    )


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


FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
ATX = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|$)")
ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_ITEM = re.compile(r"([ \t]*)([-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
QUOTE_MARK = re.compile(r" {0,3}> ?")
REF_DEF = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*\S")
# the editor's layout marks (briefing.markdown): a {…} line before a block, ::: containers
MARK_LINE = re.compile(r" {0,3}(?:\{[^{}\n]*\}|:{3,}.*)[ \t]*$")
TABLE_DELIM = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# The characters a line must start with (after its indentation) for each line pattern above to
# match; most lines of an article start with a Chinese character and skip them all.
FENCE_LEADS = "`~"
SETEXT_LEADS = "=-"
THEMATIC_LEADS = "-*_"
REF_DEF_LEADS = "["
MARK_LEADS = "{:"
QUOTE_LEADS = ">"
ATX_LEADS = "#"
LIST_LEADS = "-+*"  # or a digit: \d of LIST_ITEM is any Unicode digit, as str.isdecimal


CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.+?)(?<!`)\1(?!`)")
AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
LINK = re.compile(
    r"(!?\[)([^\]\n]*)(\])(\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)|\[[^\]\n]*\])"
)
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
IMAGE_MARK = re.compile(r"(?<=\x00)\{[^{}\n]*\}")  # \x00 is OPAQUE
EMPHASIS = re.compile(r"\*+|_+|~~")
ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|\\$", re.MULTILINE)


def _opaque(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", OPAQUE, match.group())


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


def _link(match: re.Match[str]) -> str:
    opener, label, closer, target = match.groups()
    return SKIP * len(opener) + label + SKIP * len(closer) + OPAQUE * len(target)


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


# What each step of mask_inline and mask_plain looks for before it does anything: a line of
# prose holds none of them and is returned as it is after one search. Literal-led
# alternatives, so that ``re`` skips to candidate characters quickly.
INLINE_SYNTAX = re.compile(r"`|<|@|\*|_|\\|\]\(|\]\[|://|www\.|~~")


def mask_inline(text: str) -> str:
    """Mask the inline Markdown constructs of *text* (blocks already masked)."""
    if INLINE_SYNTAX.search(text) is None:
        return text
    text = CODE_SPAN.sub(_opaque, text) if "`" in text else text
    if "<" in text:
        text = AUTOLINK.sub(_opaque, text)
    if "](" in text or "][" in text:
        text = LINK.sub(_link, text)
        if "{" in text:  # a picture's {width="50%"}: right after its masked target
            text = IMAGE_MARK.sub(_opaque, text)
    return mask_plain(text, markdown=True)


def mask_plain(text: str, *, markdown: bool = False) -> str:
    """Mask URLs and e-mail addresses (and with *markdown*, tags, emphasis and escapes)."""
    if "://" in text or "www." in text:
        text = URL.sub(_url, text)
    if "@" in text:
        text = _mask_emails(text)
    if markdown:
        if "<" in text:
            text = HTML_TAG.sub(_opaque, text)
        if "*" in text or "_" in text or "~~" in text:  # most lines have none: skip the call
            text = EMPHASIS.sub(lambda m: SKIP * len(m.group()), text)
        if "\\" in text:
            text = ESCAPE.sub(SKIP, text)
    return text


def mask_field(text: str) -> Masked:
    """A front-matter value: plain text, only URLs and e-mail addresses are masked."""
    return Masked(mask_plain(text), (Scope("field", 0, len(text)),))


def mask_markdown(text: str) -> Masked:
    """Mask a Markdown body: code, comments, URLs, link targets and syntax characters."""
    text = HTML_COMMENT.sub(_opaque, text) if "<!--" in text else text
    out: list[str] = []
    scopes: list[Scope] = []
    lines = text.split("\n")
    offset = 0
    fence: str | None = None
    open_kind = ""
    open_start = 0
    in_table = False
    previous_blank = True

    def close(end: int) -> None:
        nonlocal open_kind
        if open_kind:
            scopes.append(Scope(open_kind, open_start, end))
            open_kind = ""

    def begin(kind: str, start: int) -> None:
        nonlocal open_kind, open_start
        close(start)
        open_kind, open_start = kind, start

    for index, line in enumerate(lines):
        start, end = offset, offset + len(line)
        offset = end + 1
        if fence is not None:
            out.append(OPAQUE * len(line))
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            previous_blank = False
            continue
        if not line or line.isspace():  # not line.strip(), without the copy
            close(start)
            out.append(line)
            in_table = False
            previous_blank = True
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        lead = line[indent]  # the line is not blank
        opening = FENCE_OPEN.match(line) if lead in FENCE_LEADS else None
        if opening:
            close(start)
            fence = opening.group(1)
            out.append(OPAQUE * len(line))
            previous_blank = False
            continue
        if (line.startswith("\t") or indent >= 4) and previous_blank and open_kind != "item":
            out.append(OPAQUE * len(line))  # indented code block (a blank line closed the scope)
            continue
        previous_blank = False
        if in_table or (
            "|" in line
            and index + 1 < len(lines)
            and TABLE_DELIM.match(lines[index + 1])
            and not TABLE_DELIM.match(line)
        ):
            close(start)
            if TABLE_DELIM.match(line):
                out.append(OPAQUE * len(line))
            else:
                scopes.append(Scope("row", start, end))
                out.append(mask_inline(line.replace("\\|", SKIP + OPAQUE).replace("|", OPAQUE)))
            in_table = True
            continue
        if lead in SETEXT_LEADS and open_kind == "paragraph" and SETEXT.match(line):
            scopes.append(Scope("heading", open_start, start - 1))
            open_kind = ""
            out.append(OPAQUE * len(line))
            continue
        if (
            (lead in THEMATIC_LEADS and THEMATIC.match(line))
            or (lead in REF_DEF_LEADS and REF_DEF.match(line))
            or (lead in MARK_LEADS and MARK_LINE.match(line))
        ):
            close(start)
            out.append(OPAQUE * len(line))
            continue
        prefix = 0
        quote = QUOTE_MARK.match(line) if lead in QUOTE_LEADS else None
        if quote:  # what follows the marker may be a heading or an item
            prefix = quote.end()
            heading, item = ATX.match(line, prefix), LIST_ITEM.match(line, prefix)
        else:
            heading = ATX.match(line) if lead in ATX_LEADS else None
            listed = lead in LIST_LEADS or lead.isdecimal()
            item = LIST_ITEM.match(line) if listed else None
        if heading:
            close(start)
            head_end = heading.end()
            tail = ATX_CLOSE.search(line, head_end)
            content = line[head_end : tail.start() if tail else len(line)]
            masked = (
                " " * head_end
                + mask_inline(content)
                + (" " * (len(line) - tail.start()) if tail else "")
            )
            scopes.append(Scope("heading", start + head_end, start + head_end + len(content)))
            out.append(masked)
            continue
        if item:
            prefix = item.end()
            begin("item", start)
        elif quote:
            if open_kind != "quote":
                begin("quote", start)
        elif not open_kind:
            begin("paragraph", start)
        out.append(" " * prefix + mask_inline(line[prefix:]))
    close(len(text))
    return Masked("\n".join(out), tuple(scopes))
