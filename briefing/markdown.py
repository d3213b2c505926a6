"""Parse an article body (Markdown) once into the shared block model.

markdown-it-py with raw HTML off and GFM tables on. Two adjustments for Chinese text:

* CommonMark's flanking rules refuse ``推行**“一件事一次办”**改革`` because the delimiter
  run touches full-width punctuation; our emphasis rule treats CJK punctuation next to a
  delimiter like a letter, so bold works the way contributors expect.
* A soft line break between two CJK characters joins them without a space (Chinese has no
  inter-word spaces); between Latin words it stays a space.

HTML comments are dropped (they carry ``briefing-disable`` suppressions); any other raw HTML
stays visible as text and is reported by ``check``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.model import (
    Block,
    CodeBlock,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    SourceText,
    Span,
    Table,
    TableCell,
)
from briefing.textio import real_path

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.state_inline import StateInline
    from markdown_it.token import Token

FRONT_MATTER_FENCE = re.compile(r"---[ \t]*$")


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the line closing the front matter that opens on line 0 (``---`` … ``---`` or
    ``...``), or ``None`` when the article has no complete front-matter block."""
    if not lines or not FRONT_MATTER_FENCE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        if FRONT_MATTER_FENCE.match(lines[index]) or lines[index].rstrip() == "...":
            return index
    return None


HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
SAFE_LINK = re.compile(r"^(?:https?:|mailto:|[^:]*$)", re.IGNORECASE)
_SOFT = "\x00soft\x00"


@dataclass(frozen=True, slots=True)
class Note:
    """Something the parser noticed that ``check`` reports (raw HTML, unsafe link)."""

    kind: str  # "raw-html" | "unsafe-link"
    text: str
    line: int
    column: int


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana/hangul and the full-width/CJK punctuation blocks: what makes a
    context Chinese, for the emphasis fix, soft line breaks and the proofreading rules."""
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


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _scan_delims(state: StateInline, start: int, can_split_word: bool) -> tuple[bool, bool, int]:
    """CommonMark delimiter scanning, except that a CJK neighbour never blocks flanking.

    CommonMark treats “ ” （ ） ， as punctuation, so ``行**“`` cannot open and ``%**，`` cannot
    close. Here only non-CJK punctuation counts against flanking, while CJK characters and
    CJK punctuation on the other side count in favour (as whitespace and punctuation do).
    """
    src, maximum = state.src, state.posMax
    marker = src[start]
    last = src[start - 1] if start > 0 else " "
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    following = src[pos] if pos < maximum else " "

    last_space, next_space = last.isspace(), following.isspace()
    last_blocks = _is_punct(last) and not is_cjk(last)
    next_blocks = _is_punct(following) and not is_cjk(following)
    last_opens = last_space or _is_punct(last) or is_cjk(last)
    next_opens = next_space or _is_punct(following) or is_cjk(following)

    left = not next_space and not (next_blocks and not last_opens)
    right = not last_space and not (last_blocks and not next_opens)
    can_open = left and (can_split_word or not right or _is_punct(last))
    can_close = right and (can_split_word or not left or _is_punct(following))
    return can_open, can_close, pos - start


def _cjk_emphasis(state: StateInline, silent: bool) -> bool:
    from markdown_it.rules_inline.state_inline import Delimiter

    marker = state.src[state.pos]
    if silent or marker not in "_*":
        return False
    can_open, can_close, length = _scan_delims(state, state.pos, marker == "*")
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(ord(marker), length, len(state.tokens) - 1, -1, can_open, can_close)
        )
    state.pos += length
    return True


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with GFM tables, raw HTML off, and the CJK emphasis rule."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.inline.ruler.at("emphasis", _cjk_emphasis)
    return md


def strip_comments(text: str) -> str:
    """Blank out HTML comments, keeping every other character at its offset."""
    return HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def find_raw_html(body: SourceText) -> list[Note]:
    if "<" not in body.text:  # every tag starts with one, and masking adds none
        return []
    text = _mask_code(strip_comments(body.text))
    notes = []
    locate = body.locator()
    for match in RAW_TAG.finditer(text):
        line, column = locate(match.start())
        notes.append(Note("raw-html", match.group(), line, column))
    return notes


def _mask_code(text: str) -> str:
    """Blank fenced code blocks and inline code, where tags are legitimate text."""
    text = re.sub(
        r"(?ms)^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$",
        lambda m: re.sub(r"[^\n]", " ", m.group()),
        text,
    )
    return re.sub(r"`[^`\n]+`", lambda m: " " * len(m.group()), text)


def parse_body(body: SourceText, base_dir: Path) -> tuple[tuple[Block, ...], list[Note]]:
    """Blocks of *body*; pictures resolve against *base_dir* (the article's folder)."""
    tokens = markdown_parser().parse(strip_comments(body.text))
    builder = _BlockBuilder(body, base_dir)
    blocks = builder.blocks(tokens)
    return _relative_headings(blocks), builder.notes + find_raw_html(body)


def _relative_headings(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    if not levels or (min(levels) == 1 and max(levels) <= 4):
        return blocks  # already relative: every heading would be rebuilt as it is
    top = min(levels)
    return tuple(
        Heading(min(b.level - top + 1, 4), b.spans, b.line) if isinstance(b, Heading) else b
        for b in blocks
    )


class _BlockBuilder:
    """Walks markdown-it's flat token stream and emits blocks."""

    def __init__(self, body: SourceText, base_dir: Path):
        self.body = body
        self.base_dir = base_dir
        self.notes: list[Note] = []

    def line_of(self, token: Token) -> int:
        return self.body.line + (token.map[0] if token.map else 0)

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        out: list[Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "heading_open":
                level = int(token.tag[1])
                out.append(Heading(level, self.inline(tokens[i + 1]), self.line_of(token)))
                i += 3
            elif kind == "paragraph_open":
                out.extend(self.paragraph(tokens[i + 1], self.line_of(token)))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                end = _closing(tokens, i)
                out.append(self.list_block(tokens[i : end + 1]))
                i = end + 1
            elif kind == "table_open":
                end = _closing(tokens, i)
                out.append(self.table(tokens[i : end + 1]))
                i = end + 1
            elif kind == "blockquote_open":
                end = _closing(tokens, i)
                inner = self.blocks(tokens[i + 1 : end])
                out.append(Quote(inner, self.line_of(token)))
                i = end + 1
            elif kind in ("fence", "code_block"):
                out.append(CodeBlock(token.content.rstrip("\n"), self.line_of(token)))
                i += 1
            else:  # hr, stray closers: nothing to print
                i += 1
        return tuple(out)

    def paragraph(self, inline: Token, line: int) -> list[Block]:
        images = [c for c in inline.children or [] if c.type == "image"]
        if not images:
            return [Paragraph(self.inline(inline), line)]
        blocks: list[Block] = []
        spans = self.inline(inline)
        if "".join(s.text for s in spans).strip():
            blocks.append(Paragraph(spans, line))
        for image in images:
            src = str(image.attrs.get("src", ""))
            caption = "".join(c.content for c in image.children or []) or image.content
            # os.path.realpath (as real_path), not Path.resolve: a symlink loop must reach
            # check's picture rules (Path.resolve raises RuntimeError on one in Python 3.11)
            path = Path(real_path(self.base_dir / src))
            blocks.append(Image(src, path, caption.strip(), line))
        return blocks

    def list_block(self, tokens: list[Token]) -> ListBlock:
        items: list[ListItem] = []
        depth = -1
        for token in tokens:
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif token.type == "inline":
                items.append(ListItem(self.inline(token), depth))
        first = tokens[0]
        start = int(first.attrs.get("start", 1) or 1)
        return ListBlock(
            tuple(items), first.type == "ordered_list_open", self.line_of(first), start
        )

    def table(self, tokens: list[Token]) -> Table:
        rows: list[tuple[TableCell, ...]] = []
        header: tuple[TableCell, ...] = ()
        current: list[TableCell] = []
        align: str | None = None
        for token in tokens:
            if token.type in ("th_open", "td_open"):
                style = str(token.attrs.get("style", ""))
                align = style.split(":", 1)[1].strip() if "text-align" in style else None
            elif token.type == "inline":
                current.append(TableCell(self.inline(token), align))
            elif token.type == "tr_close":
                if not header and not rows and any(t.type == "th_open" for t in tokens):
                    header = tuple(current)
                else:
                    rows.append(tuple(current))
                current = []
        return Table(header, tuple(rows), self.line_of(tokens[0]))

    def inline(self, token: Token) -> Inline:
        children = token.children or []
        spans: list[Span] = []
        bold = italic = 0
        href: str | None = None
        for child in children:
            kind = child.type
            if kind == "text":
                spans.append(Span(child.content, bold > 0, italic > 0, False, href))
            elif kind == "softbreak":
                spans.append(Span(_SOFT))
            elif kind == "hardbreak":
                spans.append(Span("\n"))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "code_inline":
                spans.append(Span(child.content, bold > 0, italic > 0, True, href))
            elif kind == "link_open":
                href = self.safe_href(str(child.attrs.get("href", "")), token)
            elif kind == "link_close":
                href = None
            elif kind == "image":
                continue  # emitted as an Image block by paragraph()
        return _merge(_resolve_soft_breaks(spans))

    def safe_href(self, href: str, token: Token) -> str | None:
        cleaned = "".join(ch for ch in href if ch.isprintable()).strip()
        if SAFE_LINK.match(cleaned):
            return cleaned
        self.notes.append(Note("unsafe-link", href, self.line_of(token), 1))
        return None


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block opened at *start*."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _resolve_soft_breaks(spans: list[Span]) -> list[Span]:
    # The first character of the next real text after each position, found in one backward
    # pass: looking ahead from every soft break is quadratic in a paragraph of many lines.
    after_at = [""] * len(spans)
    after = ""
    for i in range(len(spans) - 1, -1, -1):
        after_at[i] = after
        text = spans[i].text
        if text and text != _SOFT:
            after = text[:1]
    out: list[Span] = []
    for i, span in enumerate(spans):
        if span.text != _SOFT:
            out.append(span)
            continue
        before = out[-1].text[-1:] if out and out[-1].text else ""
        after = after_at[i]
        joined = (before and is_cjk(before)) or (after and is_cjk(after))
        if not joined:
            out.append(Span(" ", span.bold, span.italic, False, None))
    return out


def _merge(spans: list[Span]) -> Inline:
    """Join neighbouring spans with identical formatting."""
    # Runs of joinable spans are collected and joined once: ``a + b`` per span is quadratic.
    runs: list[tuple[Span, list[str]]] = []
    for span in spans:
        if not span.text:
            continue
        prev = runs[-1][0] if runs else None
        if (
            prev is not None
            and not prev.is_break
            and not span.is_break
            and (prev.bold, prev.italic, prev.code, prev.href)
            == (span.bold, span.italic, span.code, span.href)
        ):
            runs[-1][1].append(span.text)
        else:
            runs.append((span, [span.text]))
    return tuple(
        first
        if len(texts) == 1
        else Span("".join(texts), first.bold, first.italic, first.code, first.href)
        for first, texts in runs
    )
