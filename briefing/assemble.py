"""Stage 4 — assemble: settings + issue + articles → the ``Bulletin`` both renderers print.

Decides everything editorial that is not typography: article order, column grouping and the
table of contents, the printed 期号 and date, the 版记 lines with per-issue overrides, and the
padding of two-character names in the credits line (王军 → 王　军).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.model import (
    Article,
    Bulletin,
    BulletinArticle,
    ImprintLine,
    Issue,
    Settings,
    TocEntry,
    TocGroup,
)
from briefing.numbering import date_text, issue_label

_TWO_HANZI = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])([\u4e00-\u9fff])(?![\u4e00-\u9fff])"
)


def order_articles(issue: Issue, articles: Sequence[Article]) -> list[Article]:
    """Front-matter ``order`` first, then the position in ``issue.yaml``'s ``order``, then the
    file name; when columns are used, articles are then grouped by column (first appearance)."""
    listed = {name: index for index, name in enumerate(issue.order)}

    def key(article: Article) -> tuple[int, int, str]:
        if article.order is not None:
            return (0, article.order, article.path.name)
        if article.path.name in listed:
            return (1, listed[article.path.name], article.path.name)
        return (2, 0, article.path.name)

    ordered = sorted(articles, key=key)
    columns: list[str | None] = []
    for article in ordered:
        if article.column not in columns:
            columns.append(article.column)
    if columns == [None]:
        return ordered
    return sorted(ordered, key=lambda a: columns.index(a.column))


def pad_name(name: str) -> str:
    """Widen each two-character name to three characters with an ideographic space."""
    return _TWO_HANZI.sub(lambda m: f"{m.group(1)}\u3000{m.group(2)}", name)


def assemble(
    settings: Settings, issue: Issue, articles: Sequence[Article], *, draft: bool = False
) -> Bulletin:
    ordered = order_articles(issue, articles)
    items = tuple(
        BulletinArticle(f"article-{index}", article, article.column)
        for index, article in enumerate(ordered, start=1)
    )
    credits = issue.credits if issue.credits is not None else settings.credits
    pad = settings.layout.pad_two_char_names
    copies = issue.copies if issue.copies is not None else settings.copies
    return Bulletin(
        name=settings.name,
        issue_id=issue.id,
        issue_label=issue_label(settings.numbering, issue),
        issuer=settings.issuer,
        date_text=date_text(issue.date),
        toc=_toc(items),
        articles=items,
        distribution=tuple(
            ImprintLine(label, text)
            for label, text in (
                issue.distribution if issue.distribution is not None else settings.distribution
            )
        ),
        credits=tuple(
            ImprintLine(label, pad_name(text) if pad else text) for label, text in credits
        ),
        fonts=settings.fonts,
        layout=settings.layout,
        readership=settings.readership,
        classification=settings.classification,
        theme=issue.theme,
        copies_text=f"共印{copies}份" if copies else None,
        draft=draft,
        base_dir=issue.dir,
    )


def _toc(items: Sequence[BulletinArticle]) -> tuple[TocGroup, ...]:
    groups: list[TocGroup] = []
    for item in items:
        entry = TocEntry(item.article.title, item.article.subtitle, item.anchor)
        if groups and groups[-1].column == item.column:
            last = groups[-1]
            groups[-1] = TocGroup(last.column, (*last.entries, entry))
        else:
            groups.append(TocGroup(item.column, (entry,)))
    return tuple(groups)
