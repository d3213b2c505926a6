"""Write a recognised article as ``new-article`` does: YAML front matter, then Markdown.

Text from Word is literal, so every character Markdown would read as syntax is escaped
(``*``, ``_``, ``[``, ``<``, a leading ``#`` or ``1. ``, an entity-like ``&``…): the body the
loader parses back is exactly the submitted text. Bold runs become ``**…**``; headings get
``#`` marks relative to the shallowest rank used (that one is ``##``, the 一级标题, as in the
``new-article`` template).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from briefing.chars import is_cjk
from briefing.importing.recognise import Block, Imported
from briefing.importing.source import Run

INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>])|&(?=#?[0-9A-Za-z]+;)")
LINE_START = re.compile(r"^(?:([#+=~-])|(\d{1,9})([.)])(?=\s|$))")
FIELD_ORDER = ("title", "subtitle", "source", "column", "author", "note")


def escape(text: str, *, table: bool = False) -> str:
    """*text* with Markdown syntax characters escaped (``|`` too inside tables)."""
    escaped = INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    return escaped.replace("|", "\\|") if table else escaped


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar, safe for colons, quotes and control characters."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", escaped)
    return f'"{escaped}"'


def inline(runs: tuple[Run, ...]) -> str:
    """Runs as Markdown: bold runs wrapped in ``**``, their edge spaces kept outside.

    Where ``**`` could not open or close (``1**;**`` is not emphasis in CommonMark, nor with
    our CJK flanking rule), the run is written without bold: the text must stay exact.
    """
    items: list[tuple[str, bool]] = []
    for run in runs:
        core = run.text.strip()  # ** beside any space (a thin one too) neither opens nor closes
        if not run.bold or not core:
            items.append((escape(run.text), False))
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(lead) + len(core) :]
        items += [(escape(lead), False), (escape(core), True), (escape(trail), False)]
    items = [item for item in items if item[0]]
    out = ""
    for index, (text, bold) in enumerate(items):
        after = items[index + 1][0][:1] if index + 1 < len(items) else " "
        if bold and _opens(out[-1:] or " ", text[0]) and _closes(text[-1], after):
            out += f"**{text}**"
        else:
            out += text
    return escape_line_start(out)


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _loose(ch: str) -> bool:
    """Characters beside which a delimiter may open or close (space, punctuation, CJK)."""
    return ch.isspace() or _punct(ch) or is_cjk(ch)


def _opens(before: str, first: str) -> bool:
    """``**`` between *before* and *first* is left-flanking (see ``markdown._scan_delims``)."""
    return not first.isspace() and not (_punct(first) and not is_cjk(first) and not _loose(before))


def _closes(last: str, after: str) -> bool:
    return not last.isspace() and not (_punct(last) and not is_cjk(last) and not _loose(after))


def escape_line_start(markdown: str) -> str:
    """Escape a leading ``#``/``-``/``1.`` of an already escaped line."""
    match = LINE_START.match(markdown)
    if match is None:
        return markdown
    if match.group(1):
        return "\\" + markdown
    return f"{match.group(2)}\\{markdown[len(match.group(2)) :]}"


def article_text(article: Imported, picture_src: Callable[[int], str]) -> str:
    """The article file; *picture_src(n)* gives the relative path of the n-th picture (1-based)."""
    values = {
        "title": article.title,
        "subtitle": article.subtitle,
        "source": article.source,
        "author": article.author,
        "note": article.note,
        "column": article.column,
    }
    lines = ["---"]
    lines += [f"{key}: {yaml_string(value)}" for key in FIELD_ORDER if (value := values[key])]
    lines.append("---")
    body = markdown_body(article.blocks, picture_src)
    return "\n".join(lines) + "\n\n" + body


def markdown_body(blocks: list[Block], picture_src: Callable[[int], str]) -> str:
    ranks = [b.rank for b in blocks if b.kind == "heading"]
    top = min(ranks, default=1)
    out: list[str] = []
    pictures = 0
    for block in blocks:
        if block.kind == "heading":
            marks = "#" * min(block.rank - top + 2, 6)
            text = escape(block.text)  # a trailing "#" would be read as a closing sequence
            out.append(f"{marks} {text[:-1]}\\#" if text.endswith("#") else f"{marks} {text}")
        elif block.kind == "image":
            pictures += 1
            out.append(f"![{escape(block.caption)}]({picture_src(pictures)})")
        elif block.kind == "table":
            out.append(_table(block.rows))
        elif block.kind == "list":
            marker = f"{block.rank}." if block.rank else "-"
            out.append(f"{marker} {inline(block.runs)}")
        elif block.kind == "quote":
            out.append(f"> {inline(block.runs)}")
        else:
            out.append(inline(block.runs))
    return "".join(f"{text}\n\n" for text in out).rstrip("\n") + "\n"


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape(c, table=True) for c in cells) + " |"

    header, *rest = rows
    return "\n".join([line(header), "|" + "---|" * len(header), *(line(r) for r in rest)])
