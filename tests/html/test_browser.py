"""The HTML edition in a real browser (Debian chromium via playwright; never `playwright install`).

Phone (375 px) and desktop (1280 px) layouts without horizontal page scrolling, working table
of contents, A4 printing, and not a single network request.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest

from briefing.assemble import bulletin_article
from briefing.model import Paragraph, Span, Table, TableCell
from briefing.render.html import render_html
from tests.factory import make_article, make_bulletin
from tests.tools import require_module

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


def stress_bulletin():
    """Wide table, long unbroken Latin text and a long link: the page must still not scroll."""
    wide = Table(
        tuple(TableCell((Span(f"第{i}列指标名称"),)) for i in range(14)),
        ((tuple(TableCell((Span(f"{i * 1234}.56"),), "right") for i in range(14))),),
        2,
    )
    long_text = Paragraph(
        (
            Span("系统地址：" + "averyveryverylongidentifier" * 6),
            Span(
                "https://www.example.gov.cn/" + "path/" * 20,
                href="https://www.example.gov.cn/" + "path/" * 20,
            ),
        ),
        3,
    )
    art = make_article(title="关于" + "重点工程" * 12 + "的报告", blocks=(long_text, wide))
    base = make_bulletin(2, draft=True, name="滨江新区（高新区）党政办公室工作信息")
    return dataclasses.replace(base, articles=(*base.articles, bulletin_article("a9", art)))


BULLETINS = {
    "plain": lambda: make_bulletin(),
    "columns-draft": lambda: make_bulletin(4, columns=True, draft=True),
    "thirty": lambda: make_bulletin(30),
    "stress": stress_bulletin,
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    out = {}
    for name, make in BULLETINS.items():
        out[name] = folder / f"{name}.html"
        render_html(make(), out[name])
    return out


def open_page(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return context, page, requests


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(BULLETINS))
def test_layout_fits_and_stays_offline(
    browser, pages, tmp_path: Path, name: str, width: int
) -> None:
    context, page, requests = open_page(browser, pages[name], width)
    try:
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{name} at {width}px scrolls sideways ({scroll} > {client})"
        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # the look: red masthead, FangSong-first body, two-character indents
        styles = page.evaluate("""() => {
            const cs = (sel) => getComputedStyle(document.querySelector(sel));
            return {
              name: cs('header h1').color,
              rule: cs('hr.red-rule').borderTopColor,
              body: cs('body').fontFamily,
              indent: cs('article p:not([class])').textIndent,
              fontSize: cs('article p:not([class])').fontSize,
              title: cs('article h2').textAlign,
            };
        }""")
        assert styles["name"] == "rgb(255, 0, 0)"
        assert styles["rule"] == "rgb(255, 0, 0)"
        assert styles["body"].replace('"', "").startswith("仿宋_GB2312, 仿宋, FangSong")
        assert float(styles["indent"][:-2]) == pytest.approx(
            2 * float(styles["fontSize"][:-2]), abs=0.1
        )
        assert styles["title"] == "center"

        # pictures decoded from their data: URIs
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        if "draft" in name or name == "stress":
            assert page.locator(".draft-mark").is_visible()
        if name == "stress" and width == 375:
            # the wide table scrolls inside its own box
            inner = page.evaluate(
                "(() => { const w = document.querySelector('#a9 .table-wrap');"
                " return [w.scrollWidth, w.clientWidth]; })()"
            )
            assert inner[0] > inner[1]
    finally:
        context.close()
    assert requests, "no request recorded at all"
    assert all(url == pages[name].as_uri() or url.startswith("data:") for url in requests), requests


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["thirty", "columns-draft"])
def test_toc_links_scroll_to_articles(browser, pages, name: str, width: int) -> None:
    context, page, _ = open_page(browser, pages[name], width)
    try:
        links = page.locator("nav a")
        count = links.count()
        assert count == (30 if name == "thirty" else 4)
        for i in range(count):
            link = links.nth(i)
            target = link.get_attribute("href")
            link.scroll_into_view_if_needed()
            link.click()
            top, height = page.evaluate(
                "(id) => [document.getElementById(id).getBoundingClientRect().top, innerHeight]",
                target[1:],
            )
            assert 0 <= top < height, f"{target}: top {top} not in the viewport"
            assert page.evaluate("location.hash") == target
    finally:
        context.close()


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


@pytest.mark.parametrize("name", ["plain", "thirty", "stress"])
def test_prints_on_a4(browser, pages, tmp_path: Path, name: str) -> None:
    pdfplumber = require_module("pdfplumber")
    context, page, requests = open_page(browser, pages[name], 1280)
    pdf = tmp_path / f"{name}.pdf"
    try:
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        for p in doc.pages:
            assert p.width == pytest.approx(595, abs=2)
            assert p.height == pytest.approx(842, abs=2)
            # text stays inside the GB/T 9704 type area (left 28 mm, right 26 mm, top 37 mm)
            words = [w for w in p.extract_words() if "—" not in w["text"]]
            mm = 72 / 25.4
            assert all(w["x0"] >= 28 * mm - 3 and w["x1"] <= p.width - 26 * mm + 3 for w in words)
            assert all(w["top"] >= 37 * mm - 3 for w in words)
    # Chromium's PDF maps some Noto CJK glyphs to Kangxi radicals (⽬ for 目): NFKC folds them back
    flat = [fold(t) for t in texts]
    # masthead on the first page; the 版记 kept together on one page (the last)
    assert fold("本期目录") in flat[0]
    if name != "stress":
        assert fold("滨江新区信息") in flat[0]
    else:  # the 14-column table shrinks and wraps in print: no column is cut off the page
        for i in range(14):
            assert fold(f"{i * 1234}.56") in "".join(flat), i
    assert all(
        fold(t) in flat[-1] for t in ("报：委领导", "发：各有关", "编辑：李明远", "共印120份")
    )
    if len(flat) > 1:
        assert fold("— 1 —") in flat[0]
        assert fold("— 2 —") in flat[1]
    assert all(url == pages[name].as_uri() or url.startswith("data:") for url in requests)


STAMP_AND_TEXT = """() => {
    const box = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    const stamp = document.querySelector('.draft-mark');
    const texts = [];
    const walker = document.createTreeWalker(
        document.querySelector('header.masthead'), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim() || stamp.contains(node)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) texts.push([node.textContent, box(r)]);
    }
    return {stamp: box(stamp.getBoundingClientRect()), texts};
}"""


@pytest.mark.parametrize("width", [320, 375, 414, 1280])
@pytest.mark.parametrize(
    ("name", "classification"),
    [
        ("滨江新区信息", ""),
        ("东湖镇工作简报", ""),
        ("滨江新区（高新区）党政办公室工作信息", ""),
        ("滨江新区信息", "内部资料 注意保存"),
    ],
)
def test_the_draft_stamp_never_covers_the_masthead(
    browser, make_workspace, name: str, classification: str, width: int
) -> None:
    """Built as an editor builds a 样稿; the stamp's box (rotated: its bounding box) meets no
    text box of the masthead: classification, name (its last character included), 期号."""
    from typer.testing import CliRunner

    from briefing.cli import app
    from tests.conftest import BASE_CONFIG, GOOD_ARTICLE, issue_yaml

    config = BASE_CONFIG.replace("name: 测试区信息", f"name: {name}")
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": GOOD_ARTICLE},
        config=config + (f"classification: {classification}\n" if classification else ""),
    )
    built = CliRunner().invoke(app, ["-C", str(root), "build", "--format", "html", "--draft"])
    assert built.exit_code == 0, built.output
    context, page, _ = open_page(browser, root / "build/2018-028/2018-028.html", width)
    try:
        found = page.evaluate(STAMP_AND_TEXT)
    finally:
        context.close()
    stamp = found["stamp"]
    assert stamp["right"] - stamp["left"] > 40  # the stamp is there and drawn
    names = "".join(text for text, _ in found["texts"])
    assert name in names and classification in names
    for text, box in found["texts"]:
        apart = (
            box["right"] <= stamp["left"]
            or box["left"] >= stamp["right"]
            or box["bottom"] <= stamp["top"]
            or box["top"] >= stamp["bottom"]
        )
        assert apart, f"at {width}px the stamp {stamp} covers “{text}” {box}"
