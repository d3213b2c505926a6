"""The archive's statistics page and offline search page (``briefing site``).

``stats.html``: per year, the 信息采用 ranking of :mod:`briefing.stats` as a table and a bar
chart drawn as inline SVG (no script, no external request). ``search.html``: the text of every
archived article as JSON in a ``<script type="application/json">`` block (``<``, ``>`` and ``&``
written as ``\\u003c`` …, so no title can close the block) and one small inline script
(``templates/html/search.js``) allowed by its SHA-256 in the page's Content-Security-Policy;
it inserts results with ``textContent`` only. Both pages are deterministic.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.model import (
    Block,
    Bulletin,
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
)
from briefing.stats import Stats

__all__ = ["BarChart", "bar_chart", "build_search_page", "build_stats_page", "search_records"]

SCRIPT = "html/search.js"
BAR_HEIGHT = 26
LABEL_WIDTH = 160
BAR_WIDTH = 180


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True, slots=True)
class Bar:
    y: int
    name: str
    adopted: int
    instructions: int
    width: int  # of the 采用 bar, in SVG units


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]


def bar_chart(stats: Stats) -> BarChart:
    """Horizontal bars of 采用 per unit, longest first (the order of ``stats.rows``)."""
    most = max((r.adopted for r in stats.rows), default=0) or 1
    bars = tuple(
        Bar(i * BAR_HEIGHT, r.name, r.adopted, r.instructions, round(BAR_WIDTH * r.adopted / most))
        for i, r in enumerate(stats.rows)
    )
    # the longest name must fit left of the bars (16 px characters), however long it is
    label_width = max([LABEL_WIDTH, *(16 * len(r.name) + 12 for r in stats.rows)])
    width = label_width + BAR_WIDTH + 40
    return BarChart(width, max(1, len(bars)) * BAR_HEIGHT, label_width, bars)


def build_stats_page(
    name: str, years: Sequence[tuple[int, Stats]], out: Path, *, workspace_root: Path | None
) -> None:
    """``stats.html``: one section per year, newest first."""
    from briefing.render.html import name_css, render_template, stylesheet, write_atomically
    from briefing.render.site import STYLESHEET

    sections = [(year, stats, bar_chart(stats)) for year, stats in years]
    html = render_template(
        "stats.html.j2",
        workspace_root,
        name=name,
        title=f"{name}·信息采用统计",
        sections=sections,
        css=stylesheet(STYLESHEET, workspace_root, name_css(name)),
    )
    write_atomically(out, html)


# --------------------------------------------------------------------------- search


def plain_text(spans: Iterable[Span]) -> str:
    return "".join(" " if span.is_break else span.text for span in spans)


def _block_text(blocks: Iterable[Block]) -> Iterable[str]:
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield plain_text(block.spans)
        elif isinstance(block, ListBlock):
            yield from (plain_text(item.spans) for item in block.items)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield " ".join(plain_text(cell.spans) for cell in row)
        elif isinstance(block, Image):
            yield block.caption
        elif isinstance(block, Quote):
            yield from _block_text(block.blocks)
        elif isinstance(block, CodeBlock):
            yield block.text


def search_records(bulletin: Bulletin, href: str) -> list[dict[str, str]]:
    """One record per article of a rendered issue: where it is and all of its text."""
    records = []
    for item in bulletin.articles:
        article = item.article
        parts = [article.subtitle, article.note, *_block_text(article.blocks), article.source]
        records.append(
            {
                "label": bulletin.issue_label,
                "date": bulletin.date_text,
                "title": article.title,
                "source": article.source or "",
                "href": f"{href}#{item.anchor}",
                "text": "\n".join(p for p in parts if p),
            }
        )
    return records


def _json_for_html(data: object) -> str:
    """JSON that cannot end its ``<script>`` block or open a comment inside it."""
    from briefing.render.html import _FORBIDDEN_CHARS

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # characters HTML forbids (C1 controls, lone surrogates…) become JSON escapes or go
    return _FORBIDDEN_CHARS.sub(
        lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000 else "", text
    )


def script_hash(script: str) -> str:
    """The CSP source allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def build_search_page(
    name: str, records: Sequence[dict[str, str]], out: Path, *, workspace_root: Path | None
) -> None:
    """``search.html``: offline search over *records* (newest issue first)."""
    from markupsafe import Markup

    from briefing.render.html import name_css, render_template, stylesheet, write_atomically
    from briefing.render.site import STYLESHEET
    from briefing.templates import template_path

    script = template_path(SCRIPT, workspace_root).read_text(encoding="utf-8")
    html = render_template(
        "search.html.j2",
        workspace_root,
        name=name,
        title=f"{name}·全文检索",
        count=len(records),
        data=Markup(_json_for_html(list(records))),
        script=Markup(script),
        script_hash=script_hash(script),
        css=stylesheet(STYLESHEET, workspace_root, name_css(name)),
    )
    write_atomically(out, html)
