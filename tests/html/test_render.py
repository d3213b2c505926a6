"""The HTML edition: structure, escaping helpers, templates, determinism and golden files."""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pytest

from briefing.assemble import bulletin_article
from briefing.errors import InputError
from briefing.model import (
    Fonts,
    Heading,
    Image,
    Layout,
    ListBlock,
    ListItem,
    Span,
    TocEntry,
    TocGroup,
)
from briefing.render.html import render_html, safe_href
from briefing.textio import picture_kind
from tests.factory import SAMPLE_PNG, make_article, make_bulletin, para
from tests.html.inspect_html import (
    EXPECTED_CSP,
    check_golden,
    csp_policy,
    normalise,
    parse,
    problems,
    text_of,
)


def render(tmp_path: Path, bulletin=None, name: str = "out.html", **kw) -> str:
    out = tmp_path / name
    render_html(bulletin or make_bulletin(), out, **kw)
    return out.read_text(encoding="utf-8")


def parse_style(root) -> str:
    return root.find("head/style").text


def headings(root) -> list[int]:
    return [int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", str(el.tag))]


def find(root, tag: str, cls: str | None = None) -> list:
    return [el for el in root.iter(tag) if cls is None or cls in (el.get("class") or "").split()]


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    "kw",
    [{}, {"columns": True}, {"draft": True}, {"articles": 30}],
    ids=["plain", "columns", "draft", "thirty"],
)
def test_structure(tmp_path: Path, kw: dict) -> None:
    bulletin = make_bulletin(**kw)
    root = parse(render(tmp_path, bulletin))
    assert root.get("lang") == "zh-CN"
    assert csp_policy(root) == EXPECTED_CSP
    head = root.find("head")
    assert head.find("meta[@charset]").get("charset").lower() == "utf-8"
    assert "width=device-width" in head.find("meta[@name='viewport']").get("content")
    assert head.find("title").text == "滨江新区信息第二十八期（总第646期）"
    body = root.find("body")
    for tag in ("header", "nav", "main", "footer"):
        assert len(list(body.iter(tag))) == 1, tag
    assert problems(root) == []

    # the masthead, in order
    header = next(body.iter("header"))
    assert find(header, "h1")[0].text == "滨江新区信息"
    texts = [text_of(el) for el in header.iter("p")]
    assert "内部刊物 请勿外传" in texts
    assert "（领导参阅）" in texts
    assert "第二十八期（总第646期）" in texts
    assert [s.text for s in header.iter("span")] == [
        "滨江新区（高新区）党政办公室",
        "2018年12月20日",
    ]
    assert find(header, "hr", "red-rule")

    # headings never skip a level, starting at h1
    levels = headings(root)
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels

    # one article per bulletin article, each TOC link points at one
    articles = list(body.iter("article"))
    assert [a.get("id") for a in articles] == [b.anchor for b in bulletin.articles]
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    nav = next(body.iter("nav"))
    links = [a.get("href") for a in nav.iter("a")]
    assert len(links) == len(bulletin.articles)
    assert all(link.startswith("#") and link[1:] in ids for link in links)
    assert [a.get("href") for a in body.iter("a") if a.get("href", "").startswith("#")]
    assert all(h[1:] in ids for h in (a.get("href") for a in body.iter("a")) if h.startswith("#"))

    # every picture has alt text and is embedded
    imgs = list(root.iter("img"))
    assert len(imgs) == len(bulletin.articles)
    assert all(img.get("alt") == "图为工作人员在施工现场核查进度" for img in imgs)
    assert all(img.get("src").startswith("data:image/png;base64,") for img in imgs)

    draft_marks = find(body, "p", "draft-mark")
    assert (len(draft_marks) == 1) == bulletin.draft
    if bulletin.draft:
        assert draft_marks[0].text == "样稿"


def test_toc_groups_by_column(tmp_path: Path) -> None:
    root = parse(render(tmp_path, make_bulletin(4, columns=True)))
    nav = next(root.iter("nav"))
    groups = find(nav, "section", "toc-group")
    assert [g.find("h3").text for g in groups] == ["【工作动态】", "【基层信息】"]
    assert [a.get("href") for a in groups[0].iter("a")] == ["#a1", "#a3"]
    assert "——重点项目百日攻坚纪实" in text_of(groups[0])
    labels = [p.text for p in find(root, "p", "column-label")]
    assert labels[0] == "【工作动态】"


def test_toc_without_columns_has_no_groups(tmp_path: Path) -> None:
    root = parse(render(tmp_path))
    nav = next(root.iter("nav"))
    assert nav.find("h2").text == "本期目录"
    assert not find(nav, "section")
    assert not find(root, "p", "column-label")
    assert [t.text for t in find(nav, "span", "toc-subtitle")] == ["——重点项目百日攻坚纪实"]


def test_article_body_mapping(tmp_path: Path) -> None:
    root = parse(render(tmp_path))
    article = next(root.iter("article"))
    assert article.find("h2").text == "第1篇：“三张清单”推动重点工程提速"
    assert find(article, "p", "subtitle")[0].text == "——重点项目百日攻坚纪实"
    note = find(article, "aside", "note")[0]
    assert text_of(note).strip() == "编者按：现将有关做法刊发，供参考。"
    assert note.find("p/strong").text == "编者按："
    # Heading levels 1..4 → h3..h6 with the role class the CSS styles
    assert [
        (el.tag, el.get("class"))
        for el in article.iter()
        if str(el.tag) in {"h3", "h4", "h5", "h6"}
    ] == [("h3", "lv1"), ("h4", "lv2"), ("h5", "lv3"), ("h6", "lv4")]
    assert [s.text for s in article.iter("strong")] == ["编者按：", "26个重点项目"]
    assert article.find(".//em").text == "限时办结"
    assert [text_of(li) for li in article.find(".//ul")] == ["●项目清单", "●责任清单"]
    wrap = find(article, "div", "table-wrap")[0]
    table = wrap.find("table")
    assert [th.text for th in table.iter("th")] == ["项目", "进度"]
    assert [td.get("class") for td in table.iter("td")] == [None, "al-right", None, "al-right"]
    figure = article.find("figure")
    assert figure.find("figcaption").text == "图为工作人员在施工现场核查进度"
    assert text_of(article.find("blockquote")).strip() == "群众的满意度是检验工作成效的标尺。"
    assert article.find("pre").text == "编号 2018-028"
    last = [p for p in article.iter("p") if not p.get("class")][-1]
    assert last.find("br") is not None
    assert find(article, "p", "source")[0].text == "（建设管理局）"


def test_footer_imprint(tmp_path: Path) -> None:
    root = parse(render(tmp_path))
    footer = next(root.iter("footer"))
    lines = [text_of(p) for p in footer.iter("p")]
    assert lines == [
        "报：委领导",
        "发：各有关部门，各街道",
        "编辑：李明远签发：王　军",
        "共印120份",
    ]
    credits = find(footer, "p", "credits")[0]
    assert [s.text for s in credits.iter("span")] == ["编辑：李明远", "签发：王　军"]


def test_footer_left_out_when_empty(tmp_path: Path) -> None:
    bulletin = make_bulletin(distribution=(), credits=(), copies_text=None)
    root = parse(render(tmp_path, bulletin))
    assert not list(root.iter("footer"))


def test_nested_lists_and_heading_ranks(tmp_path: Path) -> None:
    items = (
        ListItem((Span("甲"),), 0, True, 3),
        ListItem((Span("甲一"),), 1, True, 1),
        ListItem((Span("甲一一"),), 3, True, 1),
        ListItem((Span("乙"),), 0, True, 4),
    )
    blocks = (
        Heading(1, (Span("一、总体情况"),), 1),
        Heading(3, (Span("1.跳过一级"),), 2),  # the author skipped a level
        ListBlock(items, True, 3, start=3),
        para("正文。"),
    )
    art = make_article(blocks=blocks, note="请各单位参阅。\n\n第二段。")
    bulletin = dataclasses.replace(make_bulletin(1), articles=(bulletin_article("a1", art),))
    root = parse(render(tmp_path, bulletin))
    article = next(root.iter("article"))
    assert [
        (el.tag, el.get("class")) for el in article.iter() if str(el.tag) in {"h3", "h4", "h5"}
    ] == [("h3", "lv1"), ("h4", "lv3")]
    ol = article.find("ol")
    top = list(ol)
    # the markers the bulletin decided: 公文 levels, counted from each list's own start
    assert [li.find("span").text + li.find("span").tail for li in top] == ["3.甲", "4.乙"]
    nested = top[0].find("ol/li")
    assert text_of(nested).startswith("（1）甲一")
    assert text_of(nested.find("ol/li")) == "①甲一一"
    assert nested.get("class") == "hang-3"
    assert "article li.hang-3 { padding-left: 3em; }" in parse_style(root)
    note = find(article, "aside", "note")[0]
    assert [text_of(p) for p in note.iter("p")] == ["编者按：请各单位参阅。", "第二段。"]


def test_links(tmp_path: Path) -> None:
    spans = (
        Span("见"),
        Span("官网", href="https://example.gov.cn/a?b=1&c=2"),
        Span("和"),
        Span("附件", href="files/a.pdf"),
        Span("、"),
        Span("邮箱", href="mailto:x@example.cn"),
        Span("。", href="javascript:alert(1)"),
    )
    art = make_article(blocks=(para(*spans),))
    bulletin = dataclasses.replace(make_bulletin(1), articles=(bulletin_article("a1", art),))
    html = render(tmp_path, bulletin)
    assert 'href="https://example.gov.cn/a?b=1&amp;c=2"' in html
    root = parse(html)
    article = next(root.iter("article"))
    assert [
        (a.get("href"), a.text) for a in article.iter("a") if not a.get("href").startswith("#")
    ] == [
        ("https://example.gov.cn/a?b=1&c=2", "官网"),
        ("files/a.pdf", "附件"),
        ("mailto:x@example.cn", "邮箱"),
    ]
    assert "见官网和附件、邮箱。" in text_of(article)


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://a.cn/x", "https://a.cn/x"),
        ("HTTP://A.CN", "HTTP://A.CN"),
        ("mailto:a@b.cn", "mailto:a@b.cn"),
        ("images/a.png", "images/a.png"),
        ("#article-1", "#article-1"),
        ("../2018-027/2018-027.html", "../2018-027/2018-027.html"),
        ("  https://a.cn  ", "https://a.cn"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("\tjavascript:alert(1)", None),
        ("\njavascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("java\rscript:alert(1)", None),
        ("\x00javascript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("java\u200bscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("DATA:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("VBScript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("1x:y", None),
        ("\\\\evil/share", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_safe_href(href: str | None, expected: str | None) -> None:
    assert safe_href(href) == expected


def test_picture_kind_from_the_signature() -> None:
    assert picture_kind(SAMPLE_PNG.read_bytes()) == "png"
    assert picture_kind(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert picture_kind(b"GIF89a...") == "gif"
    assert picture_kind(b"BM....") == "bmp"
    assert picture_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert picture_kind(b"<html><script>alert(1)</script>") is None


def _with_image(path: Path):
    art = make_article(blocks=(Image("images/x.png", path, "图", 3),))
    return dataclasses.replace(make_bulletin(1), articles=(bulletin_article("a1", art),))


def test_picture_signature_wins_over_extension(tmp_path: Path) -> None:
    """A picture that cannot be printed is a registry finding when the bulletin is made,
    before either edition is written."""
    fake = tmp_path / "x.png"
    fake.write_bytes(b"<script>alert(1)</script>")
    with pytest.raises(InputError) as caught:
        _with_image(fake)
    assert caught.value.diagnostics[0].code == "P003"
    assert caught.value.diagnostics[0].line == 3


def test_missing_picture(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _with_image(tmp_path / "nope.png")
    assert caught.value.diagnostics[0].code == "P001"
    assert not list(tmp_path.iterdir())


def test_jpeg_is_embedded_with_its_own_type(tmp_path: Path) -> None:
    from PIL import Image as Pillow

    jpeg = tmp_path / "photo.png"  # misnamed on purpose
    Pillow.new("RGB", (8, 6)).save(jpeg, "JPEG")
    html = render(tmp_path, _with_image(jpeg))
    assert 'src="data:image/jpeg;base64,' in html


def test_configured_fonts_and_colour_reach_the_css(tmp_path: Path) -> None:
    fonts = Fonts(body="方正仿宋_GBK", heading1="方正黑体_GBK")
    html = render(tmp_path, make_bulletin(fonts=fonts, layout=Layout(masthead_color="c00000")))
    style = parse(html).find("head/style").text
    assert (
        '--font-body: "方正仿宋_GBK", "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;'
        in style
    )
    assert '--font-h1: "方正黑体_GBK", "黑体"' in style
    assert "--masthead-color: #C00000;" in style
    # the built-in stylesheet is there too, with the A4 page box
    assert "@page" in style
    assert "size: A4" in style
    assert "37mm 26mm 35mm 28mm" in style
    assert "line-break: strict" in style


def test_workspace_overrides_templates_file_by_file(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "templates" / "html").mkdir(parents=True)
    (ws / "templates" / "html" / "bulletin.css").write_text(
        "body { color: #123456; }\n", encoding="utf-8"
    )
    html = render(tmp_path, workspace_root=ws)
    style = parse(html).find("head/style").text
    assert "#123456" in style
    assert "@page" not in style
    # the built-in page template is still used
    assert "本期目录" in html
    (ws / "templates" / "html" / "_blocks.html.j2").write_text(
        "{% macro blocks(items) %}<p>自定义正文</p>{% endmacro %}\n", encoding="utf-8"
    )
    root = parse(render(tmp_path, workspace_root=ws, name="b.html"))
    assert text_of(next(root.iter("article"))).count("自定义正文") == 1


def test_deterministic(tmp_path: Path) -> None:
    a = render(tmp_path, make_bulletin(columns=True), name="a.html")
    b = render(tmp_path, make_bulletin(columns=True), name="b.html")
    assert a == b
    assert "\r" not in a
    assert str(tmp_path) not in a


def test_overwrites_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "2018-028.html"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    render_html(make_bulletin(), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["2018-028.html"]


def test_toc_entries_follow_the_model(tmp_path: Path) -> None:
    bulletin = make_bulletin(2)
    toc = (TocGroup(None, (TocEntry("另一标题", None, "a2"), TocEntry("标题一", "——副题", "a1"))),)
    root = parse(render(tmp_path, dataclasses.replace(bulletin, toc=toc)))
    nav = next(root.iter("nav"))
    assert [(text_of(a), a.get("href")) for a in nav.iter("a")] == [
        ("另一标题", "#a2"),
        ("标题一——副题", "#a1"),
    ]


# --------------------------------------------------------------------------- golden


@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("plain.html", {}),
        ("columns-draft.html", {"articles": 4, "columns": True, "draft": True}),
    ],
)
def test_golden(tmp_path: Path, name: str, kw: dict) -> None:
    check_golden(name, normalise(render(tmp_path, make_bulletin(**kw))))


def test_only_a_draft_carries_the_stamp_band(tmp_path: Path) -> None:
    """The room for the 样稿 stamp is a draft's own CSS: a signed issue's HTML never changes
    because of it (its bytes are in the 签发 record)."""
    band = ".page.is-draft { padding-top: 68px; }"
    assert band in render(tmp_path, make_bulletin(draft=True))
    assert band not in render(tmp_path, make_bulletin())
    assert "draft.css" not in render(tmp_path, make_bulletin())
