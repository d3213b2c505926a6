"""End to end, in the manner of pelican's functional tests: every example workspace goes
through both renderers, and the two editions must print the same visible text — titles,
subtitles, sources, 编者按 labels, the table of contents, 栏目 labels and body text."""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree, html

from briefing.build import bulletin_for, render_into
from briefing.check import check_workspace

REPO = Path(__file__).resolve().parent.parent
WORKSPACES = (REPO, REPO / "examples" / "leaders", REPO / "examples" / "columns")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACE = re.compile(r"\s+")


@dataclass
class ArticleText:
    column_label: str | None = None
    title: str = ""
    subtitle: str | None = None
    author: str | None = None
    note: list[str] = field(default_factory=list)
    source: str | None = None
    body: str = ""


@dataclass
class Edition:
    masthead: list[str] = field(default_factory=list)  # classification … issuer and date, theme
    toc: list[tuple[str, ...]] = field(default_factory=list)
    articles: list[ArticleText] = field(default_factory=list)
    imprint: str = ""  # 版记, whitespace removed


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


# --------------------------------------------------------------------------- DOCX


def _docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """``(style id, visible text)`` of every body paragraph, table cells included; list
    markers (the first run of a list paragraph) are left out, as HTML draws them with CSS."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else "Normal"
        runs = list(p.iter(f"{W}r"))
        if style_id == "BriefingList" and runs:
            runs = runs[1:]
        text = "".join(t.text or "" for r in runs for t in r.iter(f"{W}t"))
        out.append((style_id, text))
    return out


def docx_edition(path: Path) -> Edition:
    edition = Edition()
    current: ArticleText | None = None
    pending_column: str | None = None
    for style, text in _docx_paragraphs(path):
        if current is None and style in ("BriefingMasthead", "BriefingTocHeading") and text:
            if text != "本期目录":
                edition.masthead.append(_squeeze(text))
        elif style == "BriefingImprint":
            edition.imprint += _squeeze(text)
        elif style == "BriefingTocColumn":
            edition.toc.append(("column", text))
        elif style == "BriefingToc":
            if text.startswith("——"):
                edition.toc[-1] = (*edition.toc[-1], text)
            else:
                edition.toc.append(("entry", text.removeprefix("◆\u3000")))
        elif style == "BriefingColumn":
            pending_column = text
        elif style == "Title":
            current = ArticleText(column_label=pending_column, title=text)
            edition.articles.append(current)
            pending_column = None
        elif current is None or style == "BriefingMasthead":
            continue
        elif style == "Subtitle":
            current.subtitle = text
        elif style == "BriefingAuthor":
            current.author = text
        elif style == "BriefingNote":
            current.note.append(text)
        elif style == "BriefingSource":
            current.source = text
        else:
            current.body += text
    return edition


# --------------------------------------------------------------------------- HTML


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def html_edition(path: Path) -> Edition:
    root = html.fromstring(path.read_bytes())
    edition = Edition()
    header = root.find(".//header")
    edition.masthead = [
        _squeeze(_text(e))
        for e in header
        if e.tag in ("h1", "p") and e.get("class") != "draft-mark"
    ]
    footer = root.find(".//footer")
    edition.imprint = _squeeze(_text(footer)) if footer is not None else ""
    nav = root.find(".//nav")
    for element in nav.iter("h3", "li"):
        if element.tag == "h3":
            edition.toc.append(("column", _text(element)))
            continue
        title = _text(element.find(".//span[@class='toc-title']"))
        subtitle = element.find(".//span[@class='toc-subtitle']")
        edition.toc.append(("entry", title, *([_text(subtitle)] if subtitle is not None else [])))
    main = root.find(".//main")
    pending_column = None
    for element in main:
        if element.get("class") == "column-label":
            pending_column = _text(element)
            continue
        article = ArticleText(column_label=pending_column)
        pending_column = None
        for child in element:
            kind = child.get("class")
            if kind == "title":
                article.title = _text(child)
            elif kind == "subtitle":
                article.subtitle = _text(child)
            elif kind == "byline":
                article.author = _text(child)
            elif kind == "note":
                article.note = [_text(p) for p in child.iter("p")]
            elif kind == "source":
                article.source = _text(child)
            elif kind != "back":
                article.body += _text(child)
        edition.articles.append(article)
    return edition


# --------------------------------------------------------------------------- the comparison


def _render_all(root: Path, out: Path) -> list[tuple[str, Edition, Edition]]:
    workspace = check_workspace(root, proofread=False)
    results = []
    for loaded in workspace.issues:
        if not loaded.articles:
            continue
        bulletin = bulletin_for(workspace, loaded)
        folder = out / loaded.dir.name
        folder.mkdir(parents=True)
        render_into(bulletin, ("docx", "html"), folder, root)
        stem = folder / bulletin.issue_id
        editions = (
            docx_edition(stem.with_suffix(".docx")),
            html_edition(stem.with_suffix(".html")),
        )
        results.append((loaded.dir.name, *editions))
    return results


def _assert_same(name: str, docx: Edition, web: Edition) -> None:
    assert docx.masthead == web.masthead, name
    assert docx.imprint == web.imprint, name
    assert docx.toc == web.toc, name
    assert len(docx.articles) == len(web.articles), name
    for left, right in zip(docx.articles, web.articles, strict=True):
        where = f"{name}: {left.title}"
        assert left.title == right.title, where
        assert left.column_label == right.column_label, where
        assert left.subtitle == right.subtitle, where
        assert left.author == right.author, where
        assert left.note == right.note, where
        assert left.source == right.source, where
        assert _squeeze(left.body) == _squeeze(right.body), where
        assert _squeeze(left.body), where


@pytest.mark.parametrize("root", WORKSPACES, ids=lambda p: p.relative_to(REPO).as_posix() or ".")
def test_example_editions_print_the_same_text(root: Path, tmp_path: Path) -> None:
    results = _render_all(root, tmp_path)
    assert results
    for name, docx, web in results:
        _assert_same(name, docx, web)
        assert docx.articles and docx.toc and len(docx.masthead) >= 3


MESSY = """---
title: 重点工程“三张清单”
subtitle: -重点项目纪实
source: (建设管理局)
column: 工作动态
note: |
  按语：这是按语的第一段。
  这是第二段。
---

正文第一段，写于 2018 年。

- 列表一
- 列表二
"""

UNLABELLED = """---
title: 没有栏目的一篇
subtitle: ——已有破折号
source: （规划局）
note: 现将有关做法刊发。
---

正文。
"""


def test_messy_front_matter_prints_one_form_in_both_editions(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "examples" / "columns", root)
    issue = next(p for p in (root / "issues").iterdir() if p.is_dir())
    (issue / "90-messy.md").write_text(MESSY, encoding="utf-8")
    (issue / "91-plain.md").write_text(UNLABELLED, encoding="utf-8")
    [(name, docx, web)] = _render_all(root, tmp_path / "out")
    _assert_same(name, docx, web)
    messy = next(a for a in docx.articles if a.title == "重点工程“三张清单”")
    assert messy.subtitle == "——重点项目纪实"
    assert messy.source == "（建设管理局）"
    assert messy.note == ["按语：这是按语的第一段。", "这是第二段。"]
    plain = next(a for a in docx.articles if a.title == "没有栏目的一篇")
    assert plain.subtitle == "——已有破折号"
    assert plain.source == "（规划局）"
    assert plain.note == ["编者按：现将有关做法刊发。"]
    assert plain.column_label == "【其他】"
    assert ("entry", "重点工程“三张清单”", "——重点项目纪实") in docx.toc
    assert ("column", "【工作动态】") in docx.toc
