"""The archive's statistics and search pages: exact content, inert markup, and Chromium."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from briefing.archive import build_archive
from briefing.render.site_pages import script_hash
from tests.conftest import BASE_CONFIG, issue_yaml
from tests.html.inspect_html import parse, problems, text_of

SCRIPT_TITLE = "<script>window.__xss=1</script>关于“蜗牛工程”的通报"
SVG = "{http://www.w3.org/2000/svg}"
IMG_SOURCE = '<img src=x onerror="window.__xss=2">街道'


def article(title: str, source: str, body: str, instructions: int = 0) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"source: '{source}'"]
    if instructions:
        lines.append("instructions:")
        lines += ["  - {by: 王军, date: 2019-02-01, text: 阅。}"] * instructions
    return "\n".join([*lines, "---", "", body, ""])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tools") / "ws"
    files = {
        "issues/2018-028/issue.yaml": issue_yaml(),
        "issues/2018-028/01.md": article(SCRIPT_TITLE, "区建设局", "着力破解蜗牛工程难题。", 2),
        "issues/2018-028/02.md": article("楼道管家", IMG_SOURCE, "清理楼道堆物210余处。"),
        "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
        "issues/2019-001/01.md": article("新春走访", "区建设局", "走访困难群众" * 40, 1),
        "issues/2019-001/02.md": article("项目开工", "区统计局", "重点项目集中开工。"),
        "issues/2019-001/03.md": article("年度回顾", "区建设局", "</script><!-- 全年回顾。"),
    }
    root.mkdir(parents=True)
    # the raw "</script><!--" below is on purpose (escaping in the search page): H001 is an
    # error by default, so this workspace lowers it to let the issue into the archive
    config = BASE_CONFIG + "checks:\n  severity:\n    H001: warning\n"
    (root / "briefing.yaml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = build_archive(root, root / "build")
    assert result.built == ("2018-028", "2019-001")
    return root / "build"


def test_index_links_the_tools(site: Path) -> None:
    root = parse((site / "index.html").read_text(encoding="utf-8"))
    assert problems(root) == []
    links = [(a.get("href"), a.text) for a in root.iter("a")][:2]
    assert links == [("stats.html", "信息采用统计"), ("search.html", "全文检索")]


def test_stats_page_is_exact_and_inert(site: Path) -> None:
    html = (site / "stats.html").read_text(encoding="utf-8")
    root = parse(html)
    assert problems(root) == []
    # the charts are plain shapes and text: nothing that could run or load anything
    drawn = {str(el.tag).removeprefix(SVG) for svg in root.iter(f"{SVG}svg") for el in svg.iter()}
    assert drawn == {"svg", "title", "g", "text", "rect"}
    sections = list(root.iter("section"))
    assert [s.find("h2").text for s in sections] == ["2019年", "2018年"]
    rows = [[text_of(cell) for cell in tr] for tr in sections[0].iter("tr")]
    assert rows == [
        ["序号", "供稿单位", "采用", "批示", "获批示篇数"],
        ["1", "区建设局", "2", "1", "1"],
        ["2", "区统计局", "1", "0", "0"],
        ["", "合计", "3", "1", "1"],
    ]
    bars = [r.get("width") for r in sections[0].iter(f"{SVG}rect")]
    assert bars == ["180", "90"]
    assert "共 1 期，采用 3 篇，领导批示 1 件。" in text_of(sections[0])
    # the hostile unit name is text in the SVG, not markup
    labels = [t.text for t in sections[1].iter(f"{SVG}text")]
    assert IMG_SOURCE in labels
    assert "<img" not in html.replace("&lt;img", "")


def test_search_page_data_and_csp(site: Path) -> None:
    html = (site / "search.html").read_text(encoding="utf-8")
    root = parse(html)
    scripts = list(root.iter("script"))
    assert [s.get("type") for s in scripts] == ["application/json", None]
    assert problems(root) == ["active element <script>", "active element <script>"]
    csp = root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")
    assert f"script-src {script_hash(scripts[1].text)};" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    records = json.loads(scripts[0].text)
    assert [(r["title"], r["href"]) for r in records] == [
        ("新春走访", "2019-001/2019-001.html#article-1"),
        ("项目开工", "2019-001/2019-001.html#article-2"),
        ("年度回顾", "2019-001/2019-001.html#article-3"),
        (SCRIPT_TITLE, "2018-028/2018-028.html#article-1"),
        ("楼道管家", "2018-028/2018-028.html#article-2"),
    ]
    assert records[2]["text"].startswith("</script><!-- 全年回顾。")
    data = re.search(r'id="search-data">(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in data and ">" not in data and "&" not in data


def open_page(browser, url: str, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    seen: dict[str, list[str]] = {"requests": [], "console": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    return context, page, seen


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", ["stats.html", "search.html"])
def test_pages_fit_and_stay_offline(browser, site: Path, name: str, width: int) -> None:
    url = (site / name).as_uri() + ("?q=蜗牛工程" if name == "search.html" else "")
    context, page, seen = open_page(browser, url, width)
    try:
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{name} at {width}px scrolls sideways ({scroll} > {client})"
        assert page.evaluate("window.__xss") is None
        if name == "search.html":
            assert page.locator("#results li").count() == 1
    finally:
        context.close()
    assert seen["console"] == [] and seen["dialogs"] == []
    assert all(u.startswith((site / name).as_uri()) for u in seen["requests"]), seen["requests"]


@pytest.mark.browser
def test_search_finds_articles_and_stays_inert(browser, site: Path) -> None:
    context, page, seen = open_page(browser, (site / "search.html").as_uri(), 375)
    try:
        assert page.locator("#status").inner_text() == "共收录 5 篇文稿。"
        page.fill("#q", "蜗牛工程")
        results = page.locator("#results li")
        assert results.count() == 1
        link = results.nth(0).locator("a")
        assert link.inner_text() == SCRIPT_TITLE  # shown as text, never run
        assert link.get_attribute("href") == "2018-028/2018-028.html#article-1"
        assert results.nth(0).locator("mark").all_inner_texts() == ["蜗牛工程", "蜗牛工程"]
        page.fill("#q", "楼道 210")
        assert results.count() == 1
        assert IMG_SOURCE in results.nth(0).locator(".meta").inner_text()
        page.fill("#q", "script")
        assert results.count() == 2  # the title and the body that contain the word
        page.fill("#q", "没有的词")
        assert results.count() == 0 and page.locator("#status").inner_text() == "找到 0 篇。"
        assert (
            page.evaluate("document.querySelectorAll('#results img, #results script').length") == 0
        )
        assert page.evaluate("window.__xss") is None
        link_target = page.evaluate("document.querySelector('#results a')")
        assert link_target is None
        page.fill("#q", "走访")
        page.locator("#results a").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("2019-001/2019-001.html#article-1")
    finally:
        context.close()
    assert seen["console"] == [] and seen["dialogs"] == []


def test_search_records_hold_every_kind_of_text() -> None:
    from briefing.model import CodeBlock, Image, Paragraph, Quote, Span
    from briefing.render.site_pages import search_records
    from tests.factory import make_article, make_bulletin

    quote = Quote((Paragraph((Span("引文里的话"),), 3), CodeBlock("代码里的字", 4)), 2)
    picture = Image("a.png", Path("a.png"), "图为现场", 5)
    art = make_article(subtitle="副题文字", note="编者按文字", source=None)
    art2 = make_article(title="第二篇", blocks=(quote, picture))
    base = make_bulletin(2)
    pair = tuple(
        dataclasses.replace(item, article=a)
        for item, a in zip(base.articles, (art, art2), strict=True)
    )
    bulletin = dataclasses.replace(base, articles=pair)
    first, second = search_records(bulletin, "x/x.html")
    for expected in ("副题文字", "编者按文字", "一、建立问题清单", "项目清单", "进度"):
        assert expected in first["text"], expected
    assert first["source"] == "" and first["href"] == f"x/x.html#{base.articles[0].anchor}"
    assert "\n引文里的话\n代码里的字\n图为现场\n" in second["text"]


def test_tool_pages_are_deterministic(site: Path) -> None:
    again = build_archive(site.parent, site.parent / "again").index.parent
    for name in ("stats.html", "search.html", "index.html"):
        assert (again / name).read_bytes() == (site / name).read_bytes(), name


def test_long_unit_names_fit_left_of_the_bars() -> None:
    from briefing.render.site_pages import bar_chart
    from briefing.stats import GroupBy, Period, Stats, StatsRow

    rows = (StatsRow("区纪委监委派驻第三纪检监察组", 3, 0, 0), StatsRow("东湖街道", 1, 0, 0))
    chart = bar_chart(Stats(GroupBy.source, Period(), False, rows, 1))
    assert chart.label_width >= 16 * 14 + 8
    assert chart.width == chart.label_width + 180 + 40
    assert [b.width for b in chart.bars] == [180, 60]
