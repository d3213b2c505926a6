"""Stage 4 — assemble: settings + issue + articles → the ``Bulletin`` both renderers print.

Decides everything editorial that is not typography: article order, column grouping and the
table of contents, the printed 期号 and date, the 版记 lines with per-issue overrides, the
padding of two-character names in the credits line (王军 → 王　军), and every printed string of
an article (——副题, （供稿单位）, the 编者按 label, 【栏目】), so the DOCX and HTML editions
cannot print the same article differently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from briefing.chars import is_han
from briefing.model import (
    Article,
    Bulletin,
    BulletinArticle,
    EditorNote,
    ImprintLine,
    Issue,
    Settings,
    TocEntry,
    TocGroup,
)
from briefing.numbering import date_text, issue_label

# em dash, full-width hyphen, hyphen, en dash, horizontal bar, figure dash, spaces
_DASHES = "\u2014\uff0d-\u2013\u2015\u2012 \t\u3000"
_NOTE_LABEL = re.compile(r"^\s*(编者按|按语|编者的话|编者)\s*[：:]\s*")
_HALF_TO_FULL_PARENS = str.maketrans("()", "（）")


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
    # runs of hanzi, not a regex: a class of 21,000 code points costs ~2 ms to compile, in
    # every process that builds
    return "".join(
        "\u3000".join(run) if hanzi and len(run) == 2 else "".join(run)
        for hanzi, run in ((h, list(r)) for h, r in itertools.groupby(name, is_han))
    )


def printed_subtitle(text: str | None) -> str | None:
    """``——副题``: one em-dash pair whatever dash (if any) the author typed before it."""
    rest = (text or "").strip().lstrip(_DASHES).strip()
    return f"——{rest}" if rest else None


def printed_source(text: str | None) -> str | None:
    """``（供稿单位）`` in full-width parentheses, never doubled: ``(建设管理局)`` → ``（建设管理局）``.
    The readership line under the name is printed the same way: ``（领导参阅）``."""
    source = (text or "").strip().translate(_HALF_TO_FULL_PARENS)
    if source.startswith("（") and source.endswith("）") and _outer_pair(source):
        source = source[1:-1].strip()
    return f"（{source}）" if source else None


def _outer_pair(text: str) -> bool:
    """Whether the first （ closes with the last ）, as in （甲）, unlike （甲）乙（丙）."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "（") - (char == "）")
        if depth == 0:
            return index == len(text) - 1
    return False


def printed_note(text: str | None) -> EditorNote | None:
    """The 编者按 label and paragraphs. A note that starts with its own label (``按语：``,
    ``编者按：`` …) keeps it; any other note gets ``编者按：``."""
    if not text or not text.strip():
        return None
    label = "编者按："
    match = _NOTE_LABEL.match(text)
    if match:
        label = f"{match.group(1)}："
        text = text[match.end() :]
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    return EditorNote(label, paragraphs) if paragraphs else None  # a bare label prints nothing


def _imprint_label(label: str) -> str:
    """``报：`` or ``报:`` as written in the YAML → ``报`` (the colon is printed once)."""
    return label.strip().rstrip("：:").strip() or label


def column_label(column: str | None) -> str:
    return f"【{column}】" if column else "【其他】"


def assemble(
    settings: Settings, issue: Issue, articles: Sequence[Article], *, draft: bool = False
) -> Bulletin:
    ordered = order_articles(issue, articles)
    uses_columns = any(article.column for article in ordered)
    items = tuple(
        _bulletin_article(index, article, ordered[index - 2] if index > 1 else None, uses_columns)
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
        date=issue.date,
        date_text=date_text(issue.date),
        toc=_toc(items, uses_columns),
        articles=items,
        distribution=tuple(
            ImprintLine(_imprint_label(label), text)
            for label, text in (
                issue.distribution if issue.distribution is not None else settings.distribution
            )
        ),
        credits=tuple(
            ImprintLine(_imprint_label(label), pad_name(text) if pad else text)
            for label, text in credits
        ),
        fonts=settings.fonts,
        layout=settings.layout,
        readership=printed_source(settings.readership),
        classification=settings.classification,
        theme=issue.theme,
        copies_text=f"共印{copies}份" if copies else None,
        draft=draft,
        base_dir=issue.dir,
    )


def _bulletin_article(
    index: int, article: Article, previous: Article | None, uses_columns: bool
) -> BulletinArticle:
    starts_group = uses_columns and (previous is None or previous.column != article.column)
    return bulletin_article(
        f"article-{index}",
        article,
        column_label=column_label(article.column) if starts_group else None,
    )


def bulletin_article(
    anchor: str, article: Article, *, column_label: str | None = None
) -> BulletinArticle:
    """*article* with its printed strings decided."""
    author = (article.author or "").strip()
    return BulletinArticle(
        anchor=anchor,
        article=article,
        column=article.column,
        title=article.title.strip(),
        subtitle=printed_subtitle(article.subtitle),
        author=author or None,
        note=printed_note(article.note),
        source=printed_source(article.source),
        column_label=column_label,
    )


def _toc(items: Sequence[BulletinArticle], uses_columns: bool) -> tuple[TocGroup, ...]:
    groups: list[TocGroup] = []
    for item in items:
        entry = TocEntry(item.title, item.subtitle, item.anchor)
        if groups and groups[-1].column == item.column:
            last = groups[-1]
            groups[-1] = TocGroup(last.column, (*last.entries, entry), last.label)
        else:
            label = column_label(item.column) if uses_columns else None
            groups.append(TocGroup(item.column, (entry,), label))
    return tuple(groups)
