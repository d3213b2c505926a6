"""Where a Markdown body's printed text is, from markdown-it's own tokens (``BodySyntax``).

While markdown-it parses, the rules of :mod:`briefing.markdown` note where its inline rules
matched syntax (code spans, links and pictures, autolinks, escapes, entities, emphasis that
became emphasis), in each inline token's ``meta`` under :data:`NOTES`. This module walks the
block tokens: each inline token's content is located in the text through the token's line
map (the content is the tail of its lines, without container markers and indentation), and
the notes are moved to offsets of the text with it. Proofreading masks the body from the
result, so it reads exactly what the renderer prints.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefing.model import BodySyntax

if TYPE_CHECKING:
    from markdown_it.token import Token

NOTES = "briefing.syntax"
Record = tuple[str, int, int]  # ("hidden" | "opaque", start, end), or ("delimiter", pos, token)

_WHITESPACE = frozenset(" \t\n\r\f\v\u3000")
_CONTAINERS = {"blockquote_open": "quote", "list_item_open": "item"}
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
Ranges = list[tuple[int, int]]
# Where an inline token's content lies in the text: (content offset, text offset, length)
# pieces, each a run of characters that are consecutive in both
Pieces = list[tuple[int, int, int]]


def body_syntax_of(text: str, tokens: list[Token]) -> BodySyntax:
    """Walk the block tokens: each inline token's content is located in *text* (what the
    parser read) through the token's line map, and the inline parse's notes are moved to
    offsets of *text* with it."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    out = _SyntaxParts()
    containers: list[str] = []
    kind = "paragraph"
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type in _CONTAINERS:
            containers.append(_CONTAINERS[token.type])
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type == "paragraph_open":
            kind = containers[-1] if containers else "paragraph"
        elif token.type == "heading_open":
            kind = "heading" if token.markup.startswith("#") else "setext"
        elif token.type == "inline" and token.map:
            pieces = _located(text, starts, token, kind)
            out.add_prose("heading" if kind == "setext" else kind, pieces)
            out.add_notes(token.meta.get(NOTES, ()), pieces)
        elif token.type == "tr_open" and token.map:
            i = _row(text, starts, tokens, i, out)
        elif token.type in ("fence", "code_block", "hr") and token.map:
            out.opaque_lines(text, starts, token.map)
        i += 1
    return out.freeze()


def _line(text: str, starts: list[int], number: int) -> tuple[int, int]:
    """Start and end (without the newline) of line *number* (0-based) of *text*."""
    start = starts[number] if number < len(starts) else len(text)
    end = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
    return start, end


def _located(text: str, starts: list[int], token: Token, kind: str) -> Pieces:
    """Where *token*'s content lies in *text*."""
    content = token.content
    first = token.map[0] if token.map else 0
    if kind == "heading":  # ATX: one line, the text between the markers
        start, end = _line(text, starts, first)
        line = text[start:end]
        at = line.find(content, len(line) - len(line.lstrip(" \t#")))
        return [(0, start + at, len(content))] if at >= 0 and content else []
    pieces: Pieces = []
    offset = 0
    for number, part in enumerate(content.split("\n")):
        start, end = _line(text, starts, first + number)
        piece = _right_aligned(text, start, end, part, offset)
        if piece is not None:
            pieces.append(piece)
        offset += len(part) + 1  # and the newline joining two lines of the content
    return pieces


def _right_aligned(
    text: str, start: int, end: int, part: str, offset: int
) -> tuple[int, int, int] | None:
    """Where *part*, one line of a paragraph's content starting at content *offset*, lies in
    the text line ``[start, end)``: the content is the line's tail without its container
    markers and indentation, so the two agree from their last printed character backwards
    (trailing spaces follow on both sides)."""
    kept = len(part.rstrip())
    line_end = start + len(text[start:end].rstrip())
    first = line_end - kept
    skipped = max(0, start - first)  # content the line cannot hold (tabs the parser expanded)
    length = len(part) - skipped
    return (offset + skipped, first + skipped, length) if length > 0 else None


def _row(
    text: str,
    starts: list[int],
    tokens: list[Token],
    i: int,
    out: _SyntaxParts,
) -> int:
    """A table row: its cells located between the unescaped pipes of its line."""
    row_lines = tokens[i].map
    assert row_lines is not None  # markdown-it maps every table row to its lines
    start, end = _line(text, starts, row_lines[0])
    out.scope("row", start, end)
    cells = _cells(text, start, end)
    printed: set[int] = set()
    j = i + 1
    index = 0
    while j < len(tokens) and tokens[j].type != "tr_close":
        token = tokens[j]
        if token.type == "inline":
            cell = cells[index] if index < len(cells) else (end, end)
            positions = _cell_positions(text, cell, token.content)
            pieces = _pieces(positions)
            out.add_text(pieces)
            out.add_notes(token.meta.get(NOTES, ()), pieces)
            printed.update(positions)
            index += 1
        j += 1
    for offset in range(start, end):
        if offset not in printed and text[offset] not in _WHITESPACE:
            if text[offset] == "\\" and text[offset + 1 : offset + 2] == "|":
                out.hidden.append((offset, offset + 1))
            else:
                out.opaque.append((offset, offset + 1))
    return j


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each cell of the row line, between unescaped pipes."""
    line = text[start:end]
    bounds = [m.start() for m in _UNESCAPED_PIPE.finditer(line)]
    edges = [-1, *bounds, len(line)]
    cells = [(start + a + 1, start + b) for a, b in itertools.pairwise(edges)]
    if line.lstrip().startswith("|"):
        cells = cells[1:]
    if line.rstrip().endswith("|") and not line.rstrip().endswith("\\|"):
        cells = cells[:-1]
    return cells


def _cell_positions(text: str, cell: tuple[int, int], content: str) -> list[int]:
    """Offsets of *content* (a cell's text, ``\\|`` unescaped) in the cell's file range."""
    positions: list[int] = []
    offset = cell[0]
    while offset < cell[1] and text[offset] in _WHITESPACE:
        offset += 1
    for ch in content:
        if text[offset : offset + 2] == "\\|" and ch == "|":
            offset += 1
        if offset < cell[1] and text[offset] == ch:
            positions.append(offset)
            offset += 1
        else:
            break
    return positions


def _pieces(positions: list[int]) -> Pieces:
    """Offsets of the content's first characters (in order) as pieces."""
    pieces: Pieces = []
    for index, position in enumerate(positions):
        if pieces:
            content, where, length = pieces[-1]
            if content + length == index and where + length == position:
                pieces[-1] = (content, where, length + 1)
                continue
        pieces.append((index, position, 1))
    return pieces


class _SyntaxParts:
    """``BodySyntax`` under construction."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, int, int]] = []
        self.text: Ranges = []
        self.hidden: Ranges = []
        self.opaque: Ranges = []

    def scope(self, kind: str, start: int, end: int) -> None:
        self.scopes.append((kind, start, end))

    def add_prose(self, kind: str, pieces: Pieces) -> None:
        if pieces:
            _, last, length = pieces[-1]
            self.scope(kind, pieces[0][1], last + length)
        self.add_text(pieces)

    def add_text(self, pieces: Pieces) -> None:
        self.text.extend((where, where + length) for _, where, length in pieces)

    def add_notes(self, records: Iterable[Record], pieces: Pieces) -> None:
        for kind, start, end in records:
            target = self.hidden if kind == "hidden" else self.opaque
            target.extend(_mapped(start, end, pieces))

    def opaque_lines(self, text: str, starts: list[int], lines: list[int]) -> None:
        first, _ = _line(text, starts, lines[0])
        _, last = _line(text, starts, lines[1] - 1)
        self.opaque.append((first, last))

    def freeze(self) -> BodySyntax:
        return BodySyntax(
            tuple(self.scopes), tuple(self.text), tuple(self.hidden), tuple(self.opaque)
        )


def _mapped(start: int, end: int, pieces: Pieces) -> Ranges:
    """The text ranges holding content ``[start, end)``: one per piece it overlaps."""
    ranges: Ranges = []
    for content, where, length in pieces:
        low, high = max(start, content), min(end, content + length)
        if low < high:
            ranges.append((where + low - content, where + high - content))
    return ranges
