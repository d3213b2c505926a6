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
            positions = _located(text, starts, token, kind)
            out.add_prose("heading" if kind == "setext" else kind, positions)
            out.add_notes(token.meta.get(NOTES, ()), positions)
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


def _located(text: str, starts: list[int], token: Token, kind: str) -> list[int]:
    """The file offset of each character of *token*'s content (-1 where none)."""
    content = token.content
    first = token.map[0] if token.map else 0
    if kind == "heading":  # ATX: one line, the text between the markers
        start, end = _line(text, starts, first)
        line = text[start:end]
        at = line.find(content, len(line) - len(line.lstrip(" \t#")))
        if at < 0:
            return [-1] * len(content)
        return list(range(start + at, start + at + len(content)))
    positions: list[int] = []
    for number, part in enumerate(content.split("\n")):
        if positions:
            positions.append(-1)  # the newline joining two lines of the content
        start, end = _line(text, starts, first + number)
        positions.extend(_right_aligned(text, start, end, part))
    return positions


def _right_aligned(text: str, start: int, end: int, part: str) -> list[int]:
    """Offsets of the characters of *part*, one line of a paragraph's content, in the file
    line ``[start, end)``: the content is the line's tail without its container markers and
    indentation, so the two agree from their last printed character backwards."""
    line = text[start:end]
    kept = part.rstrip()
    line_end = start + len(line.rstrip())
    first = line_end - len(kept)
    offsets = [k if k >= start else -1 for k in range(first, line_end)]
    return offsets + list(range(line_end, line_end + len(part) - len(kept)))


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
            out.add_text(positions)
            out.add_notes(token.meta.get(NOTES, ()), positions)
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
            return positions + [-1] * (len(content) - len(positions))
    return positions


class _SyntaxParts:
    """``BodySyntax`` under construction."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, int, int]] = []
        self.text: Ranges = []
        self.hidden: Ranges = []
        self.opaque: Ranges = []

    def scope(self, kind: str, start: int, end: int) -> None:
        self.scopes.append((kind, start, end))

    def add_prose(self, kind: str, positions: list[int]) -> None:
        located = [p for p in positions if p >= 0]
        if located:
            self.scope(kind, located[0], located[-1] + 1)
        self.add_text(positions)

    def add_text(self, positions: list[int]) -> None:
        self.text.extend(_runs(p for p in positions if p >= 0))

    def add_notes(self, records: Iterable[Record], positions: list[int]) -> None:
        for kind, start, end in records:
            target = self.hidden if kind == "hidden" else self.opaque
            target.extend(_runs(positions[k] for k in range(start, end) if positions[k] >= 0))

    def opaque_lines(self, text: str, starts: list[int], lines: list[int]) -> None:
        first, _ = _line(text, starts, lines[0])
        _, last = _line(text, starts, lines[1] - 1)
        self.opaque.append((first, last))

    def freeze(self) -> BodySyntax:
        return BodySyntax(
            tuple(self.scopes), tuple(self.text), tuple(self.hidden), tuple(self.opaque)
        )


def _runs(offsets: Iterable[int]) -> Ranges:
    """Increasing offsets as ``[start, end)`` runs of consecutive ones."""
    runs: Ranges = []
    for offset in offsets:
        if runs and runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], offset + 1)
        else:
            runs.append((offset, offset + 1))
    return runs
