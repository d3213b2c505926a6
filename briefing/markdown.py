"""Parse an article body (Markdown) once into the shared block model.

markdown-it-py with raw HTML off and GFM tables on. Two adjustments for Chinese text:

* CommonMark's flanking rules refuse ``推行**“一件事一次办”**改革`` because the delimiter
  run touches full-width punctuation; our emphasis rule treats CJK punctuation next to a
  delimiter like a letter, so bold works the way contributors expect.
* A soft line break between two CJK characters joins them without a space (Chinese has no
  inter-word spaces); between Latin words it stays a space.

HTML comments are dropped (they carry ``briefing-disable`` suppressions); any other raw HTML
stays visible as text and is reported by ``check``.

An editor's marks on the layout use mdit-py-plugins' attribute syntax (as in pandoc and djot)
rather than syntax of our own: ``![说明](a.jpg){width="50%"}`` sets a picture's width,
``{.keep}`` on the line before a block keeps it on one page (``::: keep`` … ``:::`` keeps
several), ``{.pagebreak}`` before a block (or before ``***``) starts a new page in print.
Anything else in braces is a mark ``check`` reports (``MARKNOTES``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.chars import is_cjk
from briefing.markdown_syntax import NOTES, Record, body_syntax_of
from briefing.model import (
    Block,
    BodySyntax,
    CodeBlock,
    Heading,
    Image,
    Inline,
    Kept,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    PictureRow,
    Quote,
    SourceText,
    Span,
    Table,
    TableCell,
)
from briefing.textio import real_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_core.state_core import StateCore
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

    kind: str  # "raw-html" | "unsafe-link" | one of MARKNOTES
    text: str
    line: int
    column: int


# Notes on the editor's layout marks: an unknown mark (ignored), a picture width that is not a
# percentage of the type area (ignored), braces after a picture that did not parse as a mark
# (they would be printed, as in {width=50%} without quotes)
MARKNOTES = ("unknown-mark", "bad-width", "mark-as-text")
BLOCK_MARKS = frozenset({"keep", "pagebreak"})
MIN_WIDTH, MAX_WIDTH = 10, 100  # per cent of the type area
_WIDTH = re.compile(r"(\d+(?:\.\d+)?)%")


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
    marks = _records(state)
    for offset in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(ord(marker), length, len(state.tokens) - 1, -1, can_open, can_close)
        )
        marks.append(("delimiter", state.pos + offset, len(state.tokens) - 1))
    state.pos += length
    return True


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with GFM tables, raw HTML off, and the CJK emphasis rule.

    The inline rules that consume syntax (code spans, links, pictures, autolinks, escapes,
    entities) are markdown-it's own, wrapped to note where in the source they matched; the
    notes (in the parse's ``env``) say what proofreading must not read (:func:`body_syntax`).
    """
    from markdown_it import MarkdownIt
    from markdown_it import rules_inline as inline

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.inline.ruler.at("emphasis", _cjk_emphasis)
    use_layout_marks(md)
    for name, rule in (
        ("backticks", inline.backtick),
        ("link", inline.link),
        ("image", inline.image),
        ("autolink", inline.autolink),
        ("escape", inline.escape),
        ("entity", inline.entity),
    ):
        md.inline.ruler.at(name, _noting(name, rule))
    md.inline.ruler2.after("emphasis", "settle_emphasis_marks", _settle_emphasis_marks)
    md.core.ruler.after("inline", "attach_syntax_notes", _attach_notes)
    return md


def use_layout_marks(md: MarkdownIt) -> None:
    """The editor's layout marks (mdit-py-plugins): {width="50%"} after a picture, {.keep} /
    {.pagebreak} on the line before a block, ::: keep … ::: around blocks (any ::: name opens
    a container, so that ``check`` can report an unknown one)."""
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
    from mdit_py_plugins.container import container_plugin

    md.use(attrs_plugin, after=("image",)).use(attrs_block_plugin)
    md.use(container_plugin, name="mark", validate=lambda params, *_: True)


# --------------------------------------------------------------------------- syntax notes


def _records(state: StateInline) -> list[Record]:
    """The notes of this inline parse (one per paragraph, heading or cell), in its ``env``."""
    notes: dict[int, list[Record]] = state.env.setdefault(NOTES, {})
    return notes.setdefault(id(state.tokens), [])


def _noting(name: str, rule: Callable[[StateInline, bool], bool]) -> Callable[..., bool]:
    def noted(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, silent):
            return False
        if not silent:
            _records(state).extend(_what_matched(name, state, start))
        return True

    return noted


def _what_matched(name: str, state: StateInline, start: int) -> list[Record]:
    end = state.pos
    if name in ("backticks", "autolink", "entity"):
        return [("opaque", start, end)]
    if name == "escape":
        last = state.tokens[-1]
        # A backslash before a character that needs no escaping is printed ("\中")
        printed = last.type == "text_special" and last.content == last.markup
        return [] if printed else [("hidden", start, start + 1)]
    opener = 2 if name == "image" else 1  # "![" or "["
    label_end = _label_end(state, start + opener - 1)
    return [
        ("hidden", start, start + opener),
        ("hidden", label_end, label_end + 1),
        ("opaque", label_end + 1, end + (_attributes_length(state.src, end) if opener == 2 else 0)),
    ]


def _attributes_length(src: str, at: int) -> int:
    """Length of the ``{…}`` the attribute rule will take after a picture ending at *at*."""
    if not src.startswith("{", at):
        return 0
    from mdit_py_plugins.attrs.parse import ParseError, parse

    try:
        closing, _ = parse(src[at:])  # the offset of the closing "}"
    except ParseError:
        return 0
    return closing + 1


def _label_end(state: StateInline, bracket: int) -> int:
    """Where the ``]`` closing the label that opens at *bracket* is (the rule found it too)."""
    end = state.pos
    label_end = state.md.helpers.parseLinkLabel(state, bracket, False)
    state.pos = end
    return label_end


def _attach_notes(state: StateCore) -> None:
    """Each inline token keeps its parse's notes in its ``meta`` (its children list, the
    notes' key until now, is replaced by the rules that follow)."""
    notes: dict[int, list[Record]] = state.env.pop(NOTES, {})
    for token in state.tokens:
        if token.type == "inline":
            token.meta[NOTES] = notes.get(id(token.children), [])


def _settle_emphasis_marks(state: StateInline) -> None:
    """Delimiters that became emphasis print nothing; unmatched ones stay printed ``*``."""
    notes = state.env.get(NOTES, {}).get(id(state.tokens))
    if not notes:
        return
    settled: list[Record] = []
    for kind, start, index in notes:
        if kind != "delimiter":
            settled.append((kind, start, index))
            continue
        token = state.tokens[index]
        if token.type != "text" or not token.content:
            settled.append(("hidden", start, start + 1))
    notes[:] = settled


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


def parse_body(
    body: SourceText, base_dir: Path
) -> tuple[tuple[Block, ...], list[Note], BodySyntax]:
    """Blocks of *body*, what ``check`` must report about it, and where its printed text is;
    pictures resolve against *base_dir* (the article's folder)."""
    source, tokens = _parse(body.text)
    builder = _BlockBuilder(body, base_dir)
    blocks = builder.blocks(tokens)
    syntax = body_syntax_of(source, tokens)
    return _relative_headings(blocks), builder.notes + find_raw_html(body), syntax


def body_syntax(text: str) -> BodySyntax:
    """Where the printed text of the Markdown *text* is (see ``BodySyntax``)."""
    source, tokens = _parse(text)
    return body_syntax_of(source, tokens)


def _parse(text: str) -> tuple[str, list[Token]]:
    """The text as the parser reads it (comments blanked, same length), and its tokens."""
    # markdown-it turns a lone CR into a line break and NUL into U+FFFD; done here first,
    # with the same length, the parser's lines and offsets are the text's.
    source = strip_comments(text).replace("\r", "\n").replace("\x00", "\ufffd")
    return source, markdown_parser().parse(source)


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
            if token.nesting == 1 or kind in ("hr", "fence", "code_block"):
                end = _closing(tokens, i) if token.nesting == 1 else i
                marks = self.block_marks(token)
                made = self.block(tokens, i, end)
                if "pagebreak" in marks:
                    out.append(PageBreak(self.line_of(token)))
                if "keep" in marks and made:
                    out.append(Kept(tuple(made), self.line_of(token)))
                else:
                    out.extend(made)
                i = end + 1
            else:  # stray closers and inline tokens outside a block: nothing to print
                i += 1
        return tuple(out)

    def block(self, tokens: list[Token], start: int, end: int) -> list[Block]:
        """The blocks made of ``tokens[start:end + 1]``, one Markdown block."""
        token = tokens[start]
        kind = token.type
        line = self.line_of(token)
        if kind == "heading_open":
            return [Heading(int(token.tag[1]), self.inline(tokens[start + 1]), line)]
        if kind == "paragraph_open":
            return self.paragraph(tokens[start + 1], line)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return [self.list_block(tokens[start : end + 1])]
        if kind == "table_open":
            return [self.table(tokens[start : end + 1])]
        if kind == "blockquote_open":
            return [Quote(self.blocks(tokens[start + 1 : end]), line)]
        if kind in ("fence", "code_block"):
            return [CodeBlock(token.content.rstrip("\n"), line)]
        if kind == "container_mark_open":
            inner = self.blocks(tokens[start + 1 : end])
            name = token.info.strip().split(" ", 1)[0]
            if name == "keep":
                return [Kept(inner, line)] if inner else []
            self.note_mark("unknown-mark", f"::: {name}".rstrip(), line, ":")
            return list(inner)
        return []  # hr: a thematic break prints nothing unless marked as a page break

    def block_marks(self, token: Token) -> set[str]:
        """The known classes of a ``{…}`` line before a block; anything else is noted."""
        if not token.attrs:
            return set()
        line = self.line_of(token) - 1  # the mark stands on the line before its block
        classes = set(str(token.attrs.get("class", "")).split())
        for name in sorted(classes - BLOCK_MARKS):
            self.note_mark("unknown-mark", f".{name}", line, "{")
        for key in sorted(k for k in token.attrs if k != "class"):
            self.note_mark("unknown-mark", f"{key}", line, "{")
        return classes & BLOCK_MARKS

    def note_mark(self, kind: str, text: str, line: int, needle: str) -> None:
        """A note on a mark at file *line*, its column that of the ``{`` (or the first
        character) of *needle* on that line."""
        source = self.body.text.split("\n")
        index = line - self.body.line
        found = source[index].find(needle) if 0 <= index < len(source) else -1
        column = found + max(needle.find("{"), 0) + 1 if found >= 0 else 1
        self.notes.append(Note(kind, text, line, column))

    def paragraph(self, inline: Token, line: int) -> list[Block]:
        children = inline.children or []
        if not any(c.type == "image" for c in children):
            return [Paragraph(self.inline(inline, pictures=False), line)]
        blocks: list[Block] = []
        spans = self.inline(inline, pictures=False)
        if "".join(s.text for s in spans).strip():
            blocks.append(Paragraph(spans, line))
        pictures: list[Image] = []
        at = line  # the file line of each child: soft and hard breaks move on
        for index, child in enumerate(children):
            if child.type in ("softbreak", "hardbreak"):
                at += 1
            elif child.type == "image":
                pictures.append(self.image(child, at))
                following = children[index + 1] if index + 1 < len(children) else None
                if following is not None and following.content.startswith("{"):
                    mark = following.content.split("}")[0] + "}"
                    self.note_mark("mark-as-text", mark, at, "){")
        if len(pictures) == 1:
            blocks.append(pictures[0])
        elif pictures:
            blocks.append(PictureRow(tuple(pictures), line))
        return blocks

    def image(self, token: Token, line: int) -> Image:
        src = str(token.attrs.get("src", ""))
        caption = "".join(c.content for c in token.children or []) or token.content
        # os.path.realpath (as real_path), not Path.resolve: a symlink loop must reach
        # check's picture rules (Path.resolve raises RuntimeError on one in Python 3.11)
        path = Path(real_path(self.base_dir / src))
        width = None
        for key, value in token.attrs.items():
            if key in ("src", "alt"):
                continue
            if key == "width":
                width = self.width(str(value), line)
            else:
                self.note_mark("unknown-mark", f".{value}" if key == "class" else key, line, "){")
        return Image(src, path, caption.strip(), line, width)

    def width(self, value: str, line: int) -> float | None:
        """``50%`` → 0.5 of the type area; anything else is noted and ignored."""
        match = _WIDTH.fullmatch(value.strip())
        if match is None or not MIN_WIDTH <= float(match.group(1)) <= MAX_WIDTH:
            self.note_mark("bad-width", value, line, "width")
            return None
        return float(match.group(1)) / 100

    def list_block(self, tokens: list[Token]) -> ListBlock:
        """Items in reading order with their depth, whether their own list is numbered and
        their place in it (a nested list counts from its own start)."""
        items: list[ListItem] = []
        lists: list[list[int]] = []  # per open list: [ordered, count]
        numbered = False  # the current item's first paragraph not yet seen
        for token in tokens:
            if token.type in ("bullet_list_open", "ordered_list_open"):
                ordered = token.type == "ordered_list_open"
                start = int(token.attrs.get("start", 1) or 1) if ordered else 1
                lists.append([int(ordered), start - 1])
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif token.type == "list_item_open":
                lists[-1][1] += 1
                numbered = True
            elif token.type == "inline":
                in_ordered, count = lists[-1]
                # a second paragraph of an item continues it, without a marker of its own
                number = count if numbered else 0
                items.append(ListItem(self.inline(token), len(lists) - 1, bool(in_ordered), number))
                numbered = False
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

    def inline(self, token: Token, *, pictures: bool = True) -> Inline:
        """The spans of an inline token. A paragraph's pictures become ``Image`` blocks
        (``pictures=False``); in a heading, list item or table cell a picture prints as its
        caption, so no text is lost."""
        children = token.children or []
        if len(children) == 1 and children[0].type == "text":  # most paragraphs: one plain run
            return (Span(children[0].content),) if children[0].content else ()
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
            elif kind == "image" and pictures:
                caption = "".join(c.content for c in child.children or []) or child.content
                spans.append(Span(caption, bold > 0, italic > 0, False, href))
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
