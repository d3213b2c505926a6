"""Helpers: build ``Article`` objects straight from Markdown text, without the loader."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.model import Article, CheckSettings, SourceText
from briefing.rules import Reporter

PATH = Path("issues/2018-028/article.md")
FIELD = re.compile(r"^([A-Za-z_]+):[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?$")


def make_article(markdown: str, path: Path = PATH) -> Article:
    """An article from ``---`` front matter (one ``key: value`` per line) and a Markdown body.

    Positions are the file's: the front matter starts on line 2, the body right after the
    closing ``---``.
    """
    from briefing.markdown import parse_body

    lines = markdown.split("\n")
    assert lines[0] == "---", "test articles start with front matter"
    close = lines.index("---", 1)
    fields: dict[str, SourceText] = {}
    for number, line in enumerate(lines[1:close], start=2):
        match = FIELD.match(line)
        if match and match.group(2):
            fields[match.group(1)] = SourceText(match.group(2), path, number, match.start(2) + 1)
    body = SourceText("\n".join(lines[close + 1 :]), path, close + 2)
    blocks, _, syntax = parse_body(body, path.parent)
    return Article(
        path=path,
        title=fields["title"].text if "title" in fields else "无题",
        source=fields["source"].text if "source" in fields else None,
        blocks=blocks,
        body=body,
        syntax=syntax,
        fields=fields,
        subtitle=fields["subtitle"].text if "subtitle" in fields else None,
    )


def md(body: str, title: str = "街道推进“一件事一次办”改革", source: str = "行政审批局") -> Article:
    """An article with the usual front matter around *body*."""
    return make_article(f"---\ntitle: {title}\nsource: {source}\n---\n{body}")


def findings(
    article: Article, checks: CheckSettings | None = None, codes: str | None = None
) -> list:
    """Diagnostics of *article* (optionally only codes starting with *codes*)."""
    from briefing.proofread import proofread_article

    reporter = Reporter()
    proofread_article(article, reporter, checks or CheckSettings())
    found = reporter.sorted()
    return [d for d in found if codes is None or d.code.startswith(codes)]


def where(
    article: Article, prefix: str | None = None, checks: CheckSettings | None = None
) -> list[tuple[str, int, int]]:
    """``(code, line, column)`` of every finding."""
    return [(d.code, d.line, d.column) for d in findings(article, checks, prefix)]
