"""The print view's model: PDFs made on a converter, pages rendered on request, stale states."""

from __future__ import annotations

import io
import json
import re
import threading
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


# --------------------------------------------------------------------------- exactly


class Pdf:
    """A converter whose PDF has a portrait A4 page and a landscape one; it can be held back
    (a conversion under way) and can fail."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.release = threading.Event()
        self.release.set()
        self.started = threading.Event()

    def convert(self, source: Path, target, *, timeout: float) -> bytes:  # type: ignore[no-untyped-def]
        import pypdfium2

        self.started.set()
        assert self.release.wait(30)
        if self.fail is not None:
            raise self.fail
        document = pypdfium2.PdfDocument.new()
        document.new_page(595.3, 841.9)
        document.new_page(841.9, 595.3)
        out = io.BytesIO()
        document.save(out)
        document.close()
        return out.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_each_page_is_its_own_image_from_the_first_to_the_last(
    good_workspace: Path, bulletin
) -> None:  # type: ignore[no-untyped-def]
    view = PagedView(good_workspace, Pdf())
    try:
        view.show(bulletin)
        wait_for(view, lambda p: p.version == 1)
        first, last = view.page_png(1, 1), view.page_png(1, 2)
        assert first is not None and last is not None
        assert png_size(first) == (893, 1263)  # 1.5 pixels a point
        assert png_size(last) == (1263, 893)
        assert view.page_png(1, 0) is None and view.page_png(1, 3) is None
    finally:
        view.close()


def test_the_status_follows_each_conversion(good_workspace: Path, bulletin) -> None:  # type: ignore[no-untyped-def]
    converter = Pdf()
    shown: list[Pages] = []
    view = PagedView(good_workspace, converter, on_pages=shown.append)
    try:
        assert (view.pages.status, view.pages.stale) == ("正在生成印刷版…", False)
        view.show(bulletin, time.perf_counter() - 5)  # saved five seconds ago
        pages = wait_for(view, lambda p: p.version == 1)
        assert (pages.status, pages.stale) == ("共 2 页", False)
        assert 5 <= pages.seconds < 60
        # a save while converting: the old pages are shown as old, then replaced
        converter.release.clear()
        converter.started.clear()
        view.show(bulletin)
        assert (view.pages.status, view.pages.stale) == ("正在更新印刷版…", True)
        assert converter.started.wait(30)
        view.show(bulletin)  # and another save before that conversion ends
        converter.release.set()
        wait_for(view, lambda p: p.version == 3)
        assert [(p.version, p.status, p.stale) for p in shown] == [
            (1, "共 2 页", False),
            (2, "共 2 页；正在更新…", True),
            (3, "共 2 页", False),
        ]
        view.show(None)
        assert (view.pages.status, view.pages.stale) == (
            "本期有错误（见右下角），下面是上次成功生成的页面",
            True,
        )
    finally:
        view.close()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (
            UsageError("LibreOffice 转换 PDF 超时（超过 180 秒），已终止"),
            "无法生成印刷版：LibreOffice 转换 PDF 超时（超过 180 秒），已终止",
        ),
        (RuntimeError("桥接中断"), "无法生成印刷版：RuntimeError: 桥接中断"),
    ],
)
def test_a_failed_conversion_keeps_the_last_pages_as_old(
    good_workspace: Path,
    bulletin,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    error: Exception,
    status: str,
) -> None:
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    converter = Pdf()
    view = PagedView(good_workspace, converter)
    try:
        view.show(bulletin)
        wait_for(view, lambda p: p.version == 1)
        converter.fail = error
        view.show(bulletin)
        pages = wait_for(view, lambda p: p.status.startswith("无法生成"))
        assert (pages.version, pages.status, pages.stale) == (1, status, True)
        assert view.page_png(1, 2) is not None  # the last pages are still there
        converter.fail = None
        view.show(bulletin)  # the print thread lives on
        assert wait_for(view, lambda p: p.version == 2).status == "共 2 页"
    finally:
        view.close()
    assert list(scratch.iterdir()) == []  # each conversion's folder is removed


def test_the_print_thread_does_not_keep_the_process_alive(good_workspace: Path) -> None:
    before = set(threading.enumerate())
    view = PagedView(good_workspace, None, unavailable="没有 LibreOffice")
    try:
        (thread,) = set(threading.enumerate()) - before
        assert thread.daemon
    finally:
        view.close()
    assert not thread.is_alive()


def test_the_print_page_is_a_valid_document(good_workspace: Path, bulletin) -> None:  # type: ignore[no-untyped-def]
    from tests.html.inspect_html import parse

    view = PagedView(good_workspace, Converter(3))
    try:
        view.show(bulletin)
        wait_for(view, lambda p: p.version == 1)
        version = "1|1:False:共 3 页 <!-- </script> -->"
        document = print_page(view, "<aside>面板</aside>\n", "NONCE", "default-src 'none'", version)
        root = parse(document)  # strict: any parse error fails
        assert root.findtext("head/title") == "预览：印刷版"
        viewport = root.find("head/meta[@name='viewport']")
        assert viewport is not None
        assert viewport.get("content") == "width=device-width, initial-scale=1"
        nav = root.find("body/nav")
        assert nav is not None and "".join(nav.itertext()) == "HTML 版 印刷版 共 3 页"
        assert nav.find("span").get("class") is None  # type: ignore[union-attr]
        figures = root.findall("body/main/figure")
        assert [f.find("img").get("loading") for f in figures] == ["eager", "eager", "lazy"]  # type: ignore[union-attr]
        assert [f.findtext("figcaption") for f in figures] == [
            "第 1 页 / 共 3 页",
            "第 2 页 / 共 3 页",
            "第 3 页 / 共 3 页",
        ]
        assert root.findtext("body/aside") == "面板"
        script = root.find("body/script")
        assert script is not None and script.get("nonce") == "NONCE"
        literal = re.search(r"var version = (.*);\n", script.text or "")
        assert literal is not None and json.loads(literal.group(1)) == version
        assert document.lower().count("</script") == 1 and "<!--" not in document
        view.show(None)  # errors: the pages shown are old
        stale = parse(print_page(view, "", "N", "", "v")).find("body/nav/span")
        assert stale is not None and stale.get("class") == "stale"
    finally:
        view.close()
