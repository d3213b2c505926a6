"""Hostile text in every field of the model must come out as inert text.

Each payload goes into every string the bulletin prints (masthead, TOC, titles, notes, body
spans, captions, tables, lists, quotes, 版记) and into every link target; the output, parsed
strictly, must have no script, no event handler, no foreign element and no link with a
scheme other than http(s)/mailto/relative. The payloads must still be visible as text.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import html5lib.html5parser
import pytest

from briefing.assemble import bulletin_article, column_label
from briefing.model import (
    CodeBlock,
    Fonts,
    Heading,
    Image,
    ImprintLine,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Span,
    Table,
    TableCell,
    TocEntry,
    TocGroup,
)
from briefing.render.html import render_html
from briefing.render.site import SiteEntry, build_site_index
from tests.factory import SAMPLE_PNG, make_article, make_bulletin
from tests.html.inspect_html import parse, problems, scheme_of, text_of

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="x',
    "' onmouseover='x",
    "</style><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<svg/onload=alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\njavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "VbScRiPt:msgbox(1)",
    "{{ 7*7 }}{% raw %}",
    "<!-- -->]]>&amp;",
]
FORBIDDEN_SCHEMES = {"javascript", "vbscript", "data", "file"}


def spans(p: str) -> tuple[Span, ...]:
    return (
        Span(p),
        Span(p, bold=True),
        Span(p, italic=True),
        Span(p, code=True),
        Span(p, href=p),
        Span(p, bold=True, href=p),
        Span("\n"),
        Span(p, href=f"https://a.cn/{p}"),
    )


def hostile_bulletin(p: str):
    body = (
        Heading(1, spans(p), 1),
        Paragraph(spans(p), 2),
        ListBlock((ListItem(spans(p)), ListItem(spans(p), 1)), False, 3),
        ListBlock((ListItem(spans(p)),), True, 4, start=2),
        Table((TableCell(spans(p), "right"),), ((TableCell(spans(p)),),), 5),
        Image("images/sample.png", SAMPLE_PNG, p, 6),  # the src is never printed
        Quote((Paragraph(spans(p), 7), Heading(2, spans(p), 8)), 7),
        CodeBlock(p, 9),
    )
    article = make_article(title=p, subtitle=p, note=p, source=p, column=p, author=p, blocks=body)
    second = make_article(title=p + "2", column=None, note=None, subtitle=None, source=None)
    items = (
        bulletin_article(p, article, column_label=column_label(p)),
        dataclasses.replace(bulletin_article("a2", second), column="栏目"),
    )
    toc = (
        TocGroup(p, (TocEntry(p, p, p, p),), column_label(p)),
        TocGroup("栏目", (TocEntry(p, None, "a2"),), "【栏目】"),
    )
    return dataclasses.replace(
        make_bulletin(1, draft=True),
        name=p,
        issuer=p,
        readership=p,
        classification=p,
        issue_label=p,
        date_text=p,
        theme=p,
        copies_text=p,
        toc=toc,
        articles=items,
        distribution=(ImprintLine(p, p),),
        credits=(ImprintLine(p, p), ImprintLine("签发", p)),
        fonts=Fonts(**{f.name: p for f in dataclasses.fields(Fonts)}),
        layout=Layout(masthead_color=p),
    )


def assert_inert(html: str, payload: str) -> None:
    root = parse(html)  # strict: raises on any parse error
    assert problems(root) == []
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on")
            if name in {"href", "src"}:
                assert scheme_of(value) not in FORBIDDEN_SCHEMES or value.startswith(
                    "data:image/"
                ), value
    assert not list(root.iter("script"))
    # the payload is shown, not dropped (modulo whitespace the parser folds)
    visible = text_of(root.find("body"))
    shown = "".join(ch for ch in payload if ch.isprintable() or ch in "\t\n").strip()
    assert shown[:8] in visible
    # the <style> element was never closed early, and configured font names stayed CSS strings
    assert len(list(root.iter("style"))) == 1
    css = root.find("head/style").text or ""
    assert "<" not in css
    assert css.count("{") == css.count("}")
    assert "url(" not in css.replace(" ", "").lower()


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_bulletin_is_inert(tmp_path: Path, payload: str) -> None:
    out = tmp_path / "x.html"
    render_html(hostile_bulletin(payload), out)
    html = out.read_text(encoding="utf-8")
    assert_inert(html, payload)
    # only the https links built by the test and in-page anchors survive as links
    root = parse(html)
    for a in root.iter("a"):
        href = a.get("href")
        assert href.startswith(("#", "https://a.cn/")) or scheme_of(href) is None, href
    # the <title> holds the text, nothing else (control characters are dropped)
    shown = "".join(ch for ch in payload if ch.isprintable() or ch in "\t\n")
    assert root.find("head/title").text == shown + shown


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_site_index_is_inert(tmp_path: Path, payload: str) -> None:
    entries = [
        SiteEntry(payload, 2018, payload, payload, payload, (payload, payload)),
        SiteEntry("2018-001", 2018, "第一期", "2018年1月5日", "2018-001/2018-001.html", (payload,)),
    ]
    out = tmp_path / "index.html"
    build_site_index(payload, entries, out)
    assert_inert(out.read_text(encoding="utf-8"), payload)


def test_strict_parser_really_is_strict() -> None:
    with pytest.raises(html5lib.html5parser.ParseError):
        parse("<!DOCTYPE html><html><body><p></div></body></html>")
    with pytest.raises(html5lib.html5parser.ParseError):
        parse("<p>no doctype</p>")


def test_the_checker_catches_what_it_should() -> None:
    bad = (
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        '<a href=" JaVa&#9;script:x">a</a><img src="x.png" alt="">'
        '<p onclick="x">p</p></body></html>'
    )
    found = problems(parse(bad))
    assert any("javascript" in f for f in found)
    assert any("src" in f for f in found)
    assert any("onclick" in f for f in found)
