"""End to end, in the manner of pelican's functional tests: every example workspace goes
through both renderers, and the two editions must print the same visible text — titles,
subtitles, sources, 编者按 labels, the table of contents (its heading, the marker before each
entry, where the subtitle goes), 栏目 labels, body text, list markers, picture captions and
sizes: everything both print is decided once, in the assembled bulletin."""

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
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
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
    toc_heading: str | None = None
    toc: list[tuple[str, ...]] = field(default_factory=list)  # (kind, marker, title, subtitle?)
    markers: list[str] = field(default_factory=list)  # list markers, in reading order
    pictures: list[tuple[str, float]] = field(default_factory=list)  # caption, width in mm
    articles: list[ArticleText] = field(default_factory=list)
    imprint: str = ""  # 版记, whitespace removed


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


# --------------------------------------------------------------------------- DOCX


EMU_PER_MM = 36_000


@dataclass
class DocxParagraph:
    style: str
    text: str  # visible text; a list marker and a contents marker are left out
    marker: str = ""  # the list or contents marker, as printed (without its tab or space)
    inline_subtitle: str | None = None  # a contents entry's subtitle on the title's line
    pictures: list[float] = field(default_factory=list)  # widths, mm


def _docx_paragraphs(path: Path) -> list[DocxParagraph]:
    """Every body paragraph, table cells included, with the markers it prints apart."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else "Normal"
        runs = list(p.iter(f"{W}r"))
        marker, subtitle = "", None
        if style_id == "BriefingList" and runs and runs[0].find(f"{W}tab") is not None:
            marker, runs = _run_text(runs[0]), runs[1:]
        link = p.find(f"{W}hyperlink")
        if style_id == "BriefingToc" and link is not None:
            linked = link.findall(f"{W}r")
            if len(linked) == 2:  # the marker run, then the title
                marker = _run_text(linked[0]).rstrip("\u3000")
            outside = [r for r in runs if r.getparent() is not link]
            if outside:
                subtitle = "".join(map(_run_text, outside))
            runs = linked[-1:]
        widths = [int(e.get("cx")) / EMU_PER_MM for e in p.iter(f"{WP}extent")]
        text = "".join(map(_run_text, runs))
        out.append(DocxParagraph(style_id, text, marker, subtitle, widths))
    return out


def _run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(f"{W}t"))


_CONTENTS = ("BriefingToc", "BriefingTocColumn")


def docx_edition(path: Path) -> Edition:
    edition = Edition()
    current: ArticleText | None = None
    pending_column: str | None = None
    paragraphs = _docx_paragraphs(path)
    for index, paragraph in enumerate(paragraphs):
        style, text = paragraph.style, paragraph.text
        following = paragraphs[index + 1].style if index + 1 < len(paragraphs) else ""
        if current is None and style == "BriefingTocHeading" and following in _CONTENTS:
            edition.toc_heading = text
        elif current is None and style in ("BriefingMasthead", "BriefingTocHeading") and text:
            edition.masthead.append(_squeeze(text))
        elif style == "BriefingImprint":
            edition.imprint += _squeeze(text)
        elif style == "BriefingTocColumn":
            edition.toc.append(("column", text))
        elif style == "BriefingToc":
            if text.startswith("——"):
                edition.toc[-1] = (*edition.toc[-1], text)
            else:
                subtitle = paragraph.inline_subtitle
                entry = ("entry", paragraph.marker, text, *([subtitle] if subtitle else []))
                edition.toc.append(entry)
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
        elif style == "Caption":
            continue  # compared with its picture
        elif style == "BriefingPicture":
            edition.pictures += [(_caption_after(paragraphs, index), w) for w in paragraph.pictures]
        else:
            current.body += text
            if paragraph.marker:
                edition.markers.append(paragraph.marker)
    return edition


def _caption_after(paragraphs: list[DocxParagraph], index: int) -> str:
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    return following.text if following is not None and following.style == "Caption" else ""


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
    heading = nav.find("h2")
    if "visually-hidden" not in (heading.get("class") or ""):
        edition.toc_heading = _text(heading)
    for element in nav.iter("h3", "li"):
        if element.tag == "h3":
            edition.toc.append(("column", _text(element)))
            continue
        marker = element.find(".//span[@class='toc-marker']")
        title = _text(element.find(".//span[@class='toc-title']"))
        subtitles = [s for s in element.iter("span") if "toc-subtitle" in (s.get("class") or "")]
        edition.toc.append(
            (
                "entry",
                _text(marker) if marker is not None else "",
                title,
                *[_text(s) for s in subtitles],
            )
        )
    widths = _figure_widths(root)
    for figure in root.iter("figure"):
        caption = figure.find("figcaption")
        edition.pictures.append(
            (_text(caption) if caption is not None else "", widths[figure.get("class")])
        )
    edition.markers = [_text(m) for m in root.iter("span") if m.get("class") == "marker"]
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
                article.body += _body_text(child)
        edition.articles.append(article)
    return edition


def _body_text(element: etree._Element) -> str:
    """Visible body text: list markers and captions are compared on their own."""
    parts = [element.text or ""]
    for child in element:
        if child.get("class") != "marker" and child.tag != "figcaption":
            parts.append(_body_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _figure_widths(root: etree._Element) -> dict[str, float]:
    """Printed width (mm of the 156 mm type area) of each figure class in the stylesheet."""
    style = root.find(".//style").text
    return {
        name: float(share) / 100 * 156
        for name, share in re.findall(r"figure\.(w-[\d-]+) \{ width: ([\d.]+)%; \}", style)
    }


# --------------------------------------------------------------------------- the comparison


def _render_all(root: Path, out: Path) -> list[tuple[str, Edition, Edition]]:
    workspace = check_workspace(root, advice=False)
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
    assert docx.toc_heading == web.toc_heading, name
    assert docx.toc == web.toc, name
    assert docx.markers == web.markers, name
    assert [caption for caption, _ in docx.pictures] == [c for c, _ in web.pictures], name
    for (_, printed), (_, screen) in zip(docx.pictures, web.pictures, strict=True):
        # the print edition may shrink a picture into the room left on its page
        assert printed <= screen + 0.1, name
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
        for edition in (docx, web):  # each edition's contents list its articles in print order
            listed = [_squeeze(entry[2]) for entry in edition.toc if entry[0] == "entry"]
            assert listed == [_squeeze(article.title) for article in edition.articles], name


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
    assert ("entry", "◆", "重点工程“三张清单”", "——重点项目纪实") in docx.toc
    assert ("column", "【工作动态】") in docx.toc


DECIDED = """---
title: 版式在两版中一致
source: 建设管理局
---

主要做法如下：

1. 建立台账，逐项明确责任单位和完成时限，确保各项工作按计划推进落实到位。
   1. 项目清单
   2. 责任清单
      1. 牵头单位
      2. 配合单位
2. 定期调度

   每月召开一次调度会。
3. 跟踪问效

![图为一号工地](images/a.png) ![图为二号工地](images/a.png) ![图为三号工地](images/a.png)

![图为全景](images/a.png){width="50%"}
"""


def test_contents_lists_and_pictures_are_decided_once(tmp_path: Path) -> None:
    """The contents heading, numbered markers and inline subtitles configured in
    briefing.yaml, nested list markers and the pictures of a row reach both editions alike."""
    from PIL import Image as Pillow

    root = tmp_path / "ws"
    shutil.copytree(REPO / "examples" / "columns", root)
    settings = root / "briefing.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + 'layout:\n  toc_heading: "本 期 要 目"\n  toc_marker: numbers\n  toc_subtitle: inline\n',
        encoding="utf-8",
    )
    issue = next(p for p in (root / "issues").iterdir() if p.is_dir())
    Pillow.new("RGB", (400, 300), "gray").save(issue / "images" / "a.png", dpi=(72, 72))
    (issue / "90-decided.md").write_text(DECIDED, encoding="utf-8")
    (issue / "91-messy.md").write_text(MESSY, encoding="utf-8")
    [(name, docx, web)] = _render_all(root, tmp_path / "out")
    _assert_same(name, docx, web)
    assert docx.toc_heading == "本 期 要 目"
    assert [entry[1] for entry in docx.toc if entry[0] == "entry"][:3] == ["1.", "2.", "3."]
    assert ("entry", "3.", "重点工程“三张清单”", "——重点项目纪实") in docx.toc
    assert docx.markers[-7:] == ["1.", "（1）", "（2）", "①", "②", "2.", "3."]
    captions = [caption for caption, _ in docx.pictures]
    assert captions[-4:] == ["图为一号工地", "图为二号工地", "图为三号工地", "图为全景"]
    row = [width for _, width in docx.pictures[-4:-1]]
    assert max(row) - min(row) < 0.1 and sum(row) < 156  # one size, side by side
    assert docx.pictures[-1][1] == pytest.approx(78, abs=0.1)  # {width="50%"}
