"""``briefing preview``'s print view in Chromium: LibreOffice's pages, numbered, refreshed on save."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.children import interrupt_preview
from tests.conftest import GOOD_ARTICLE, issue_yaml
from tests.html.test_preview_browser import wait_for_text
from tests.render.office.conftest import office_processes, profile_marker
from tests.tools import require_uno_python

pytestmark = [pytest.mark.browser, pytest.mark.render]

ISSUE = "issues/2018-028/"


@pytest.fixture
def print_url(make_workspace, children) -> Iterator[tuple[str, Path, list[str]]]:  # type: ignore[no-untyped-def]
    require_uno_python()
    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01-grid.md": GOOD_ARTICLE})
    process = children.briefing(["-C", str(root), "preview"])
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        assert lines[1].startswith("印刷版（分页）："), lines
        yield lines[1].split("：", 1)[1].strip(), root, lines
    finally:
        err = interrupt_preview(process, 60)
    assert "印刷版已更新" in err
    assert office_processes(profile_marker(process.pid)) == []  # its LibreOffice went with it


def loaded_pages(page) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(natural width, shown width) of every page image the browser has loaded."""
    sizes = page.locator("#pages img").evaluate_all(
        "images => images.map(i => [i.complete ? i.naturalWidth : 0, i.clientWidth])"
    )
    return [tuple(s) for s in sizes]


def wait_for_pages(page, seconds: float = 60) -> str:  # type: ignore[no-untyped-def]
    """The status line once the first page image has loaded."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            sizes = loaded_pages(page)
            if sizes and sizes[0][0] > 0:
                return page.inner_text("#print-status")
        except Error:  # reloading
            pass
        time.sleep(0.2)
    raise AssertionError("no page appeared in the print view")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_print_view_shows_numbered_pages_and_follows_saves(
    browser,
    print_url,
    width: int,
) -> None:  # type: ignore[no-untyped-def]
    url, root, _ = print_url
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(url)
        status = wait_for_pages(page)
        total = int(re.search(r"共 (\d+) 页", status)[1])  # type: ignore[index]
        captions = page.locator("figcaption").all_inner_texts()
        assert captions == [f"第 {n} 页 / 共 {total} 页" for n in range(1, total + 1)]
        natural, shown = loaded_pages(page)[0]
        assert natural >= 800  # rendered sharp enough to read
        assert shown <= width  # fits the screen, a phone's too
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        assert "检查通过" in page.inner_text("#briefing-preview")
        first_src = page.locator("#pages img").first.get_attribute("src")
        article = root / ISSUE / "01-grid.md"
        article.write_text(GOOD_ARTICLE.replace("42个网格", "43个网格,"), encoding="utf-8")
        wait_for_text(page, "01-grid.md:6:", 30)  # the half-width comma, in the findings panel
        deadline = time.monotonic() + 60
        while page.locator("#pages img").first.get_attribute("src") == first_src:
            assert time.monotonic() < deadline, "the pages were not refreshed"
            time.sleep(0.2)
        assert "共" in wait_for_pages(page)
        page.click("text=HTML 版")
        wait_for_text(page, "43个网格")
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        page.close()
