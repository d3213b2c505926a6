"""``briefing preview`` in Chromium: an edit saved on disk appears in the open page by itself."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.children import interrupt_preview
from tests.conftest import GOOD_ARTICLE, issue_yaml

pytestmark = pytest.mark.browser

ISSUE = "issues/2018-028/"


@pytest.fixture
def preview_url(make_workspace, children) -> Iterator[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01-grid.md": GOOD_ARTICLE})
    process = children.briefing(["-C", str(root), "preview"])
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("预览地址："), line
        yield line.split("：", 1)[1].strip(), root
    finally:
        interrupt_preview(process)


def wait_for_text(page, text: str, seconds: float = 15) -> None:  # type: ignore[no-untyped-def]
    """Poll from Python: the page's CSP forbids the eval that ``wait_for_function`` needs."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in page.inner_text("body"):
                return
        except Error:  # the page is reloading; ask again
            pass
        time.sleep(0.1)
    raise AssertionError(f"“{text}” did not appear in the page")


def test_an_edit_on_disk_appears_in_the_open_page(browser, preview_url) -> None:  # type: ignore[no-untyped-def]
    url, root = preview_url
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(url)
        assert "42个网格" in page.inner_text("body")
        assert "检查通过" in page.inner_text("#briefing-preview")
        article = root / ISSUE / "01-grid.md"
        article.write_text(GOOD_ARTICLE.replace("42个网格", "43个网格,"), encoding="utf-8")
        wait_for_text(page, "43个网格")
        panel = page.inner_text("#briefing-preview")
        assert "issues/2018-028/01-grid.md:6:" in panel  # the half-width comma, file:line
        article.write_text("---\ntitle: [\n---\n", encoding="utf-8")
        wait_for_text(page, "无法生成本期简报")
        assert "01-grid.md:3:1" in page.inner_text("#briefing-preview")
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        page.close()
