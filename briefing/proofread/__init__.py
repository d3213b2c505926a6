"""Proofreading: Chinese typography (T1xx), numbering structure (S2xx) and content (C3xx).

Round two (issue #25) adds number forms (``numbers``: T110–T113), 错别字 and misused words
(``words``: C309, C310) and the people register (``people``: C311, C312).

``briefing check`` calls ``proofread_article`` for every article and ``proofread_issue`` once per
issue. Every finding is a warning by default (severity is configurable per code), carries the
file line:column of the offending text and says what to write instead. Suppression comments
are honoured here, before anything reaches the ``Reporter``:

* Markdown: ``<!-- briefing-disable T101 -->`` at the end of a line (that line) or
  ``<!-- briefing-disable-next-line T101,T102 -->`` on a line of its own (the next line);
  without codes, every proofreading code.
* YAML (front matter or a YAML article): ``# briefing-disable T101`` at the end of the line,
  ``# briefing-disable-next-line …`` likewise. In a YAML article's ``body`` (Markdown), use the
  HTML comment form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from briefing.model import Article, CheckSettings, SourceText
from briefing.proofread import content, numbers, people, structure, typography, words
from briefing.proofread.core import (
    Finding,
    Segment,
    Suppressions,
    article_suppressions,
    body_segment,
    field_segment,
)
from briefing.rules import SOURCE_VARIANT, Reporter

__all__ = ["article_findings", "proofread_article", "proofread_issue"]

TITLE_FIELDS = ("title", "subtitle")
SKIPPED_FIELDS = frozenset({"body", "order"})


def article_segments(article: Article) -> list[Segment]:
    """The body and every located front-matter text value (title first)."""
    fields = dict(article.fields)
    if "title" not in fields and article.title:
        fields["title"] = SourceText(article.title, article.path, 1)
    segments = [
        field_segment(name, fields[name])
        for name in sorted(fields, key=_field_order)
        if name not in SKIPPED_FIELDS and fields[name].text
    ]
    segments.append(body_segment(article.body, article.syntax))
    return segments


def _field_order(name: str) -> tuple[int, str]:
    order = ("title", "subtitle", "source", "column", "author", "note")
    return (order.index(name) if name in order else len(order), name)


def article_findings(article: Article, checks: CheckSettings) -> Iterator[tuple[Segment, Finding]]:
    """Every finding of *article* with its segment (suppressions not yet applied)."""
    for segment in article_segments(article):
        is_title = segment.name in TITLE_FIELDS
        for finding in typography.check(segment, title=is_title):
            yield segment, finding
        for finding in content.check(segment, checks):
            yield segment, finding
        for finding in round_two(segment, checks):
            yield segment, finding
        if segment.name == "title":
            for finding in content.title_length(segment, checks):
                yield segment, finding
        if segment.is_body:
            for finding in structure.check(segment, article.blocks):
                yield segment, finding
            for finding in content.article_length(segment, checks):
                yield segment, finding


def round_two(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    """Numbers, words and the people register (issue #25)."""
    yield from numbers.check(segment)
    yield from words.check(segment, checks)
    yield from people.check(segment, checks)


def proofread_article(article: Article, reporter: Reporter, checks: CheckSettings) -> None:
    """Report the typography, structure and content findings of one article."""
    suppressions: Suppressions | None = None
    # the segment whose line starts were found last, and its locator
    located: tuple[Segment, Callable[[int], tuple[int, int]]] | None = None
    for segment, finding in article_findings(article, checks):
        if suppressions is None:
            suppressions = article_suppressions(article.path, article.body)
        if located is None or located[0] is not segment:
            located = (segment, segment.source.locator())
        line, column = located[1](finding.start)
        if not suppressions.hides(finding.code, line):
            reporter.add(finding.code, finding.message, article.path, line, column)


def proofread_issue(articles: Sequence[Article], reporter: Reporter, checks: CheckSettings) -> None:
    """Cross-article rules: the same 供稿单位 spelled two ways in one issue (C308)."""
    for article, spelling, model in content.source_variants(articles):
        source = article.fields.get("source") or SourceText(spelling, article.path, 1)
        line, column = source.locate(0)
        suppressions = article_suppressions(article.path, article.body)
        if suppressions.hides(SOURCE_VARIANT.code, line):
            continue
        reporter.add(
            SOURCE_VARIANT.code,
            f"供稿单位“{spelling}”与 {model.path.name} 中的“{model.source}”是同一单位的不同写法，请统一",
            article.path,
            line,
            column,
        )
