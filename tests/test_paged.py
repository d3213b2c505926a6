"""The print view's model: PDFs made on a converter, pages rendered on request, stale states."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from briefing.build import bulletin_for, resolve_issue
from briefing.check import check_workspace
from briefing.errors import UsageError
from briefing.paged import PagedView, Pages, print_page


def blank_pdf(pages: int) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595.3, 841.9)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


class Converter:
    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.calls = 0

    def convert(self, source: Path, target, *, timeout: float) -> bytes:  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.pages == 0:
            raise UsageError("LibreOffice 转换 PDF 超时（超过 180 秒），已终止")
        return blank_pdf(self.pages)


def wait_for(view: PagedView, predicate, seconds: float = 30) -> Pages:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate(view.pages):
        assert time.monotonic() < deadline, view.pages
        time.sleep(0.02)
    return view.pages


@pytest.fixture
def bulletin(good_workspace: Path):  # type: ignore[no-untyped-def]
    workspace = check_workspace(good_workspace)
    return bulletin_for(workspace, resolve_issue(workspace, None))


def test_pages_are_made_and_rendered_when_asked(good_workspace: Path, bulletin) -> None:  # type: ignore[no-untyped-def]
    shown: list[Pages] = []
    view = PagedView(good_workspace, Converter(3), on_pages=shown.append)
    try:
        assert view.pages.version == 0
        view.show(bulletin)
        pages = wait_for(view, lambda p: p.version == 1)
        assert len(pages.sizes) == 3
        assert pages.status == "共 3 页"
        assert shown == [pages]
        image = view.page_png(1, 2)
        assert image is not None
        assert image.startswith(b"\x89PNG")
        assert view.page_png(1, 2) is image  # rendered once, then kept
        assert view.page_png(1, 4) is None
        assert view.page_png(2, 1) is None  # a version that does not exist (yet)
        document = print_page(view, "<aside></aside>", "N", "default-src 'none'", "v")
        assert document.count("<figure") == 3
        assert "第 3 页 / 共 3 页" in document
        assert 'src="/__page/1/1.png" width="893" height="1263"' in document
        view.show(None)  # the text now has errors: the last pages stay, marked as old
        assert view.pages.stale
        assert "上次成功生成" in view.pages.status
        view.show(bulletin)
        assert wait_for(view, lambda p: p.version == 2).stale is False
        assert view.page_png(1, 1) is None  # replaced: the browser reloads
    finally:
        view.close()


def test_a_failed_conversion_is_said_on_the_page(good_workspace: Path, bulletin) -> None:  # type: ignore[no-untyped-def]
    view = PagedView(good_workspace, Converter(0))
    try:
        view.show(bulletin)
        pages = wait_for(view, lambda p: p.status.startswith("无法生成印刷版"))
        assert "超时" in pages.status
        assert pages.version == 0
    finally:
        view.close()


def test_without_libreoffice_the_view_says_why(good_workspace: Path, bulletin) -> None:  # type: ignore[no-untyped-def]
    view = PagedView(good_workspace, None, unavailable="未找到 LibreOffice，无法显示印刷版。")
    try:
        view.show(bulletin)
        assert view.pages.status == "未找到 LibreOffice，无法显示印刷版。"
        assert "未找到 LibreOffice" in print_page(view, "", "N", "", "v")
    finally:
        view.close()


def test_the_status_cannot_end_the_script(good_workspace: Path) -> None:
    view = PagedView(good_workspace, None, unavailable="</script><script>alert(1)</script>")
    try:
        document = print_page(view, "", "N", "", view.version())
        assert document.count("</script>") == 1
        assert "&lt;/script&gt;" in document
    finally:
        view.close()
