"""The preview to the byte: the findings panel, the injected script, the error page, the print
page, every route's status, headers and body, and the print view's states and messages.

Each test makes what it checks itself (no shared server or render), and none starts a
browser or LibreOffice: conversions are done by stand-ins returning a small PDF.
"""

from __future__ import annotations

import http.client
import io
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefing import paged, preview
from briefing.errors import Diagnostic, Severity, UsageError
from briefing.paged import PagedView, Pages, print_page
from briefing.preview import (
    PANEL_STYLE,
    PRINT_LINK,
    PreviewSession,
    error_page,
    findings_panel,
    inject,
    open_server,
)
from tests.conftest import BASE_CONFIG, GOOD_ARTICLE, issue_yaml
from tests.test_preview_edges import FakeWarm

ISSUE = "issues/2018-028/"
COMMA = "---\ntitle: 社区开展垃圾分类宣传\nsource: 滨文社区\n---\n\n社区组织志愿者入户宣传,共发放资料300份。\n"
BROKEN = "---\ntitle: [\n---\n正文。\n"

PREVIEW_SCRIPT = """\
<script nonce="NONCE">(function () {
  var version = %d;
  function poll() {
    fetch('/__version', {cache: 'no-store'})
      .then(function (r) { return r.text(); })
      .then(function (t) {
        if (Number(t) !== version) { location.reload(); }
        else { setTimeout(poll, 250); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 250);
})();</script>
"""

PREVIEW_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'nonce-NONCE'; connect-src 'self'; base-uri 'none'; form-action 'none'"
)


@pytest.fixture
def fixed_nonce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview, "_nonce", lambda: "NONCE")


def blank_pdf(*sizes: tuple[float, float]) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for width, height in sizes:
        document.new_page(width, height)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


class Converter:
    """Stands for LibreOffice: a two-page PDF (A4 upright, A4 across), or *fail* raised."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.sources: list[Path] = []

    def convert(self, source: Path, target, *, timeout: float) -> bytes:  # type: ignore[no-untyped-def]
        self.sources.append(source)
        if self.fail is not None:
            raise self.fail
        return blank_pdf((595.3, 841.9), (841.9, 595.3))


def wait_for(view: PagedView, predicate, seconds: float = 20) -> Pages:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate(view.pages):
        assert time.monotonic() < deadline, view.pages
        time.sleep(0.02)
    return view.pages


# --------------------------------------------------------------------------- the panel


def test_the_panel_counts_and_escapes_each_finding(tmp_path: Path) -> None:
    findings = [
        Diagnostic("F002", Severity.ERROR, "标题<b>坏&了", tmp_path / "issues/a.md", 3, 1),
        Diagnostic("T101", Severity.WARNING, "“,”", tmp_path / "issues/b<x>.md", 6, 12),
        Diagnostic("T102", Severity.WARNING, "'引号\"", tmp_path / "c.md", 1, 2),
    ]
    assert findings_panel(findings, tmp_path) == (
        f'<aside id="briefing-preview" role="status" style="{PANEL_STYLE}">\n'
        '<p style="margin:0;font-weight:bold">检查发现 1 个错误，2 个警告</p>\n'
        '<ul style="margin:4px 0 0;padding-left:1.2em">\n'
        '<li class="error"><code>issues/a.md:3:1</code> <b>F002</b> 标题&lt;b&gt;坏&amp;了</li>\n'
        '<li class="warning"><code>issues/b&lt;x&gt;.md:6:12</code> <b>T101</b> “,”</li>\n'
        '<li class="warning"><code>c.md:1:2</code> <b>T102</b> &#x27;引号&quot;</li>\n'
        "</ul>\n</aside>\n"
    )


def test_a_panel_without_findings_says_the_check_passed(tmp_path: Path) -> None:
    assert findings_panel([], tmp_path) == (
        f'<aside id="briefing-preview" role="status" style="{PANEL_STYLE}">\n'
        '<p style="margin:0;font-weight:bold">检查通过：没有发现问题</p>\n'
        '<ul style="margin:4px 0 0;padding-left:1.2em">\n'
        "</ul>\n</aside>\n"
    )


def test_a_panel_of_errors_only_counts_no_warnings(tmp_path: Path) -> None:
    findings = (Diagnostic("F002", Severity.ERROR, "坏", tmp_path / "a.md", 1, 1) for _ in "ab")
    panel = findings_panel(findings, tmp_path)  # any iterable, read once
    assert '<p style="margin:0;font-weight:bold">检查发现 2 个错误，0 个警告</p>' in panel
    assert panel.count('<li class="error"><code>a.md:1:1</code> <b>F002</b> 坏</li>\n') == 2


# --------------------------------------------------------------------------- the page


def test_inject_relaxes_the_policy_for_one_script_before_the_last_body_end(
    tmp_path: Path, fixed_nonce: None
) -> None:
    document = (
        '<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<meta name="x" content="y"></head><body><p>"</body>"</p>'
        '<p>http-equiv="Content-Security-Policy" content="x"</p></body>\n</html>\n'
    )
    assert inject(document, [], tmp_path, 3) == (
        f'<html><head><meta http-equiv="Content-Security-Policy" content="{PREVIEW_CSP}">'
        '<meta name="x" content="y"></head><body><p>"</body>"</p>'
        '<p>http-equiv="Content-Security-Policy" content="x"</p>'
        + findings_panel([], tmp_path)
        + PRINT_LINK
        + PREVIEW_SCRIPT % 3
        + "</body>\n</html>\n"
    )


def test_inject_without_a_policy_or_a_body_end_appends(tmp_path: Path, fixed_nonce: None) -> None:
    assert inject("<p>正文</p>", [], tmp_path, 12) == (
        "<p>正文</p>" + findings_panel([], tmp_path) + PRINT_LINK + PREVIEW_SCRIPT % 12
    )


def test_the_error_page_to_the_byte(tmp_path: Path, fixed_nonce: None) -> None:
    finding = Diagnostic("F002", Severity.ERROR, "坏", tmp_path / "a.md", 3, 1)
    head = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{PREVIEW_CSP}">\n'
        "<title>预览：无法生成</title>\n</head>\n<body>\n"
        '<h1 style="font:bold 20px sans-serif;color:#a8071a">无法生成本期简报</h1>\n'
    )
    tail = findings_panel([finding], tmp_path) + PREVIEW_SCRIPT % 4 + "</body>\n</html>\n"
    assert error_page([finding], tmp_path, "期刊<x>有错误", 4) == (
        head + "<p>期刊&lt;x&gt;有错误</p>\n" + tail
    )
    assert error_page([finding], tmp_path, "", 4) == head + tail
    assert error_page([], tmp_path, None) == (
        head + findings_panel([], tmp_path) + PREVIEW_SCRIPT % 0 + "</body>\n</html>\n"
    )


def test_each_page_gets_a_fresh_unguessable_nonce(tmp_path: Path) -> None:
    nonces = {preview._nonce() for _ in range(20)}
    assert len(nonces) == 20
    assert all(len(n) == 22 and n.replace("-", "").replace("_", "").isalnum() for n in nonces)


# --------------------------------------------------------------------------- the print page


PRINT_SCRIPT = """\
<script nonce="N">(function () {
  var version = %s;
  var y = sessionStorage.getItem('briefing-print-y');
  if (y !== null) { window.scrollTo(0, Number(y)); sessionStorage.removeItem('briefing-print-y'); }
  function poll() {
    fetch('/__print_version', {cache: 'no-store'})
      .then(function (r) { return r.text(); })
      .then(function (t) {
        if (t !== version) {
          sessionStorage.setItem('briefing-print-y', String(window.scrollY));
          location.reload();
        } else { setTimeout(poll, 250); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 250);
})();</script>
"""


@contextmanager
def view_showing(root: Path, pages: Pages) -> Iterator[PagedView]:
    view = PagedView(root, None)
    view.pages = pages
    try:
        yield view
    finally:
        view.close()


def print_head(csp: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        "<title>预览：印刷版</title>\n"
        f"<style>{paged.PRINT_STYLE}</style>\n</head>\n<body>\n"
    )


def test_the_print_page_to_the_byte(tmp_path: Path) -> None:
    sizes = ((595.3, 841.9), (841.9, 595.3), (100.2, 50.5))
    with view_showing(tmp_path, Pages(7, sizes, "共 3 页")) as view:
        document = print_page(view, "<aside>面板</aside>\n", "N", "CSP", "7|1:False:共 3 页")
    assert document == (
        print_head("CSP") + '<nav id="print-bar"><a href="/">HTML 版</a> <b>印刷版</b> '
        '<span id="print-status">共 3 页</span></nav>\n'
        '<main id="pages">\n'
        '<figure class="sheet" id="page-1"><img src="/__page/7/1.png" width="893" height="1263" '
        'loading="eager" alt="第 1 页"><figcaption>第 1 页 / 共 3 页</figcaption></figure>\n'
        '<figure class="sheet" id="page-2"><img src="/__page/7/2.png" width="1263" height="893" '
        'loading="eager" alt="第 2 页"><figcaption>第 2 页 / 共 3 页</figcaption></figure>\n'
        '<figure class="sheet" id="page-3"><img src="/__page/7/3.png" width="150" height="76" '
        'loading="lazy" alt="第 3 页"><figcaption>第 3 页 / 共 3 页</figcaption></figure>\n'
        "</main>\n"
        "<aside>面板</aside>\n"
        + PRINT_SCRIPT % '"7|1:False:\\u5171 3 \\u9875"'
        + "</body>\n</html>\n"
    )


def test_old_pages_and_no_pages_on_the_print_page(tmp_path: Path) -> None:
    with view_showing(tmp_path, Pages(0, (), "无法生成印刷版：<坏>", stale=True)) as view:
        document = print_page(view, "", "N", "C", "v")
    assert document == (
        print_head("C") + '<nav id="print-bar"><a href="/">HTML 版</a> <b>印刷版</b> '
        '<span id="print-status" class="stale">无法生成印刷版：&lt;坏&gt;</span></nav>\n'
        '<main id="pages">\n\n</main>\n' + PRINT_SCRIPT % '"v"' + "</body>\n</html>\n"
    )


def test_the_version_in_the_script_cannot_end_it() -> None:
    assert paged._js_string('</script><!--"\\') == ('"\\u003c/script\\u003e\\u003c!--\\"\\\\"')


# --------------------------------------------------------------------------- the print view


@pytest.fixture
def bulletin(make_workspace):  # type: ignore[no-untyped-def]
    from briefing.build import bulletin_for, resolve_issue
    from briefing.check import check_workspace

    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01-grid.md": GOOD_ARTICLE})
    workspace = check_workspace(root)
    return bulletin_for(workspace, resolve_issue(workspace, None))


def test_a_view_starts_with_nothing_to_show(tmp_path: Path) -> None:
    view = PagedView(tmp_path, None)
    try:
        assert view.pages == Pages(0, (), "正在生成印刷版…", False, 0.0)
        assert view.version() == "0:False:正在生成印刷版…"
        assert view.page_png(0, 1) is None and view.page_png(0, 0) is None
        view.show(None)  # errors before any pages: nothing to mark as old
        assert view.pages == Pages(0, (), "正在生成印刷版…", False, 0.0)
    finally:
        view.close()


def test_the_print_thread_is_named_and_ends_with_the_view(tmp_path: Path) -> None:
    view = PagedView(tmp_path, None, unavailable="没有 LibreOffice")
    thread = view._thread
    assert (thread.name, thread.daemon, thread.is_alive()) == ("briefing-print", True, True)
    view.close()
    assert not thread.is_alive()


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
def test_a_first_conversion_that_fails_is_old_news_at_once(
    tmp_path: Path, bulletin, error: Exception, status: str
) -> None:  # type: ignore[no-untyped-def]
    view = PagedView(tmp_path, Converter(error))
    try:
        view.show(bulletin)
        pages = wait_for(view, lambda p: p.status.startswith("无法生成"))
        assert (pages.version, pages.sizes, pages.status, pages.stale) == (0, (), status, True)
        assert view.version() == f"0:True:{status}"
    finally:
        view.close()


def test_each_conversion_happens_in_a_folder_of_its_own(
    tmp_path: Path, bulletin, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    converter = Converter()
    view = PagedView(tmp_path, converter)
    try:
        view.show(bulletin)
        wait_for(view, lambda p: p.version == 1)
    finally:
        view.close()
    (source,) = converter.sources
    assert source.parent.parent == scratch
    assert source.parent.name.startswith("briefing-print-")
    assert source.name == "2018-028.docx"
    assert list(scratch.iterdir()) == []


class Vanishing(Converter):
    """A conversion whose scratch folder is removed under it (a temp cleaner, say)."""

    def convert(self, source: Path, target, *, timeout: float) -> bytes:  # type: ignore[no-untyped-def]
        data = super().convert(source, target, timeout=timeout)
        if len(self.sources) == 1:
            shutil.rmtree(source.parent)
        return data


def test_a_scratch_folder_removed_under_the_conversion_does_not_stop_the_view(
    tmp_path: Path, bulletin
) -> None:  # type: ignore[no-untyped-def]
    errors: list[threading.ExceptHookArgs] = []
    hook = threading.excepthook
    threading.excepthook = errors.append
    view = PagedView(tmp_path, Vanishing())
    try:
        view.show(bulletin)
        failed = wait_for(view, lambda p: p.status.startswith("无法生成"))
        assert failed.status.startswith("无法生成印刷版：FileNotFoundError: ")
        view.show(bulletin)
        assert wait_for(view, lambda p: p.version == 1, 10).status == "共 2 页"
    finally:
        view.close()
        threading.excepthook = hook
    assert errors == []


@pytest.fixture
def fonts_root(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    """One good article and the workspace's own fonts.conf."""
    return make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01-grid.md": GOOD_ARTICLE,
            "templates/fonts.conf": "<fontconfig></fontconfig>\n",
        }
    )


def test_the_print_view_converts_with_the_workspace_fonts(
    fonts_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are the PDF ``build`` makes, with the workspace's fonts.conf."""
    from briefing.build import bulletin_for, resolve_issue
    from briefing.check import check_workspace
    from briefing.render import pdf

    workspace = check_workspace(fonts_root)
    bulletin = bulletin_for(workspace, resolve_issue(workspace, None))
    used: list[Path | None] = []

    def convert_to_pdf(docx: Path, target: Path, *, fonts_conf=None, **options) -> None:  # type: ignore[no-untyped-def]
        used.append(fonts_conf)
        target.write_bytes(blank_pdf((595.3, 841.9)))

    monkeypatch.setattr(pdf, "convert_to_pdf", convert_to_pdf)
    monkeypatch.setattr(pdf, "page_count", lambda path: 2)
    view = PagedView(fonts_root, Converter())
    try:
        view.show(bulletin)
        assert wait_for(view, lambda p: p.version == 1).status == "共 1 页"
    finally:
        view.close()
    assert used and set(used) == {fonts_root / "templates" / "fonts.conf"}


def test_a_page_image_is_a_quickly_compressed_png(tmp_path: Path, bulletin) -> None:  # type: ignore[no-untyped-def]
    import zlib

    view = PagedView(tmp_path, Converter())
    try:
        view.show(bulletin)
        wait_for(view, lambda p: p.version == 1)
        image = view.page_png(1, 1)
    finally:
        view.close()
    assert image is not None and image.startswith(b"\x89PNG\r\n\x1a\n")
    at = image.index(b"IDAT")
    header = image[at + 4 : at + 6]
    assert header[0] & 0x0F == 8  # deflate
    assert header[1] >> 6 == 0  # zlib's "fastest" level: a page is rendered while you wait
    assert zlib.decompressobj().decompress(image[at + 4 :])  # a valid stream


# --------------------------------------------------------------------------- the routes


@pytest.fixture
def workspace(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {
            "issues/2018-027/issue.yaml": issue_yaml(27, 645, date="2018-12-10"),
            "issues/2018-027/01.md": COMMA.replace("垃圾分类", "旧闻"),
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01-grid.md": GOOD_ARTICLE,
            ISSUE + "02-waste.md": COMMA,
        },
        config=BASE_CONFIG.replace("number: 27, total: 645", "number: 26, total: 644"),
    )


@contextmanager
def running(session: PreviewSession, view: PagedView | None = None) -> Iterator[preview._Server]:
    server = open_server(session)
    server.paged = view
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


def ask(
    server: preview._Server, path: str, host: str | None = "127.0.0.1:{port}"
) -> tuple[int, dict[str, str], bytes]:
    """Status, the headers the preview sets, and body of GET *path* with Host *host*."""
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host.format(port=port))
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        names = ("Content-Type", "Content-Length", "Cache-Control")
        headers = {name: response.headers[name] for name in names if name in response.headers}
        return response.status, headers, body
    finally:
        connection.close()


def text(status: int, body: str) -> tuple[int, dict[str, str], bytes]:
    data = body.encode("utf-8")
    headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": str(len(data)),
        "Cache-Control": "no-store",
    }
    return status, headers, data


def document(body: str) -> tuple[int, dict[str, str], bytes]:
    data = body.encode("utf-8")
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(data)),
        "Cache-Control": "no-store",
    }
    return 200, headers, data


def test_the_page_and_its_version(workspace: Path) -> None:
    session = PreviewSession(workspace)
    page = session.start()
    with running(session) as server:
        assert ask(server, "/") == document(page.html)
        assert ask(server, "/?from=editor") == document(page.html)
        assert ask(server, "/__version") == text(200, "1")
        assert ask(server, "/__version?t=5") == text(200, "1")
        assert ask(server, "/__version?t=5?u=6") == text(200, "1")
        for path in ("/index.html", "/__version/", "/print", "/__print_version"):
            assert ask(server, path) == text(404, "没有这个页面"), path
        assert ask(server, "/__page/1/1.png") == text(404, "没有这个页面")


def test_another_host_or_none_is_refused_before_anything_else(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    with running(session) as server:
        refused = text(421, "只响应本机地址（127.0.0.1、localhost）的请求")
        for path in ("/", "/__version", "/nothing"):
            assert ask(server, path, "rebind.example:{port}") == refused, path
            assert ask(server, path, None) == text(400, "请求缺少 Host 头"), path
        assert ask(server, "/", " LOCALHOST:{port} ")[0] == 200


def test_before_the_first_build_every_route_waits(workspace: Path) -> None:
    session = PreviewSession(workspace)
    view = PagedView(session.root, None, unavailable="没有 LibreOffice")
    try:
        with running(session, view) as server:
            for path in ("/", "/__version", "/print", "/__print_version", "/__page/1/1.png"):
                assert ask(server, path) == text(503, "正在生成…"), path
            assert ask(server, "/", "rebind.example")[0] == 421
    finally:
        view.close()


def test_a_rebuild_after_a_save_is_what_is_served(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    article = workspace / ISSUE / "01-grid.md"
    with running(session) as server:
        article.write_text(GOOD_ARTICLE.replace("42个网格", "43个网格"), encoding="utf-8")
        page = session.rebuild({article})
        assert page.ok and page.version == 2 and "43个网格" in page.html
        assert ask(server, "/") == document(page.html)
        assert ask(server, "/__version") == text(200, "2")


def test_the_print_routes_to_the_byte(workspace: Path, fixed_nonce: None) -> None:
    session = PreviewSession(workspace)
    page = session.start()
    view = PagedView(session.root, Converter())
    try:
        view.show(session.bulletin)
        wait_for(view, lambda p: p.version == 1)
        version = f"{page.version}|1:False:共 2 页"
        shown = session.shown_findings(page)
        # the issue's own finding, not the other issue's
        assert [(d.code, d.path) for d in shown] == [
            ("T101", (workspace / ISSUE / "02-waste.md").resolve())
        ]
        csp = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "script-src 'nonce-NONCE'; connect-src 'self'; base-uri 'none'; form-action 'none'"
        )
        expected = print_page(view, findings_panel(shown, session.root), "NONCE", csp, version)
        with running(session, view) as server:
            assert ask(server, "/print") == document(expected)
            assert ask(server, "/print?x=1") == document(expected)
            assert ask(server, "/__print_version") == text(200, version)
            image = view.page_png(1, 2)
            assert image is not None
            png = {"Content-Type": "image/png", "Content-Length": str(len(image))}
            assert ask(server, "/__page/1/2.png?t=9") == (
                200,
                {**png, "Cache-Control": "no-store"},
                image,
            )
            assert ask(server, "/__page/1/2") == (200, {**png, "Cache-Control": "no-store"}, image)
            gone = text(404, "这一页已更新，请刷新")
            for missing in (
                "/__page/",
                "/__page/1",
                "/__page/1/",
                "/__page/0/1.png",
                "/__page/1/0.png",
                "/__page/1/3.png",
                "/__page/1/1/1.png",
                "/__page/-1/1.png",
                "/__page/1/+1.png",
                "/__page/1/1.PNG",
            ):
                assert ask(server, missing) == gone, missing
            assert ask(server, "/") == document(page.html)
            assert ask(server, "/__version") == text(200, "1")
    finally:
        view.close()


def test_the_print_view_of_a_failed_page_lists_the_failure(
    workspace: Path, fixed_nonce: None
) -> None:
    session = PreviewSession(workspace, "2018-028")
    session.start()
    folder = workspace / ISSUE
    shutil.move(folder, workspace / "aside")
    page = session.rebuild({folder / "issue.yaml"})
    assert not page.ok
    assert (
        session.shown_findings(page)
        == list(page.findings)
        == [Diagnostic("usage", Severity.ERROR, "找不到期刊“2018-028”；现有期刊：2018-027")]
    )
    view = PagedView(session.root, None, unavailable="没有 LibreOffice")
    try:
        with running(session, view) as server:
            status, _, body = ask(server, "/print")
    finally:
        view.close()
    assert status == 200
    assert findings_panel(page.findings, session.root) in body.decode("utf-8")


# --------------------------------------------------------------------------- serve


class Warm(Converter, FakeWarm):
    """Stands for the warm LibreOffice server ``serve`` starts, converting as the stand-in does."""

    made: list[FakeWarm] = []

    def __init__(self, root: Path) -> None:
        Converter.__init__(self)
        FakeWarm.__init__(self, root)


@pytest.fixture
def warm(monkeypatch: pytest.MonkeyPatch) -> type[Warm]:
    import sys

    from briefing.render import converter, office, pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(office, "find_uno_python", lambda: office.UnoPython(sys.executable, ""))
    monkeypatch.setattr(converter, "WarmServer", Warm)
    monkeypatch.setattr(Warm, "made", [])
    return Warm


def test_the_print_view_without_libreoffice(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    notes: list[str] = []
    view, office = preview.open_print_view(workspace, lambda pages: None, notes.append)
    try:
        reason = f"未找到 LibreOffice，无法显示印刷版。{pdf.INSTALL_HINT}"
        assert (view.root, view.converter, office) == (workspace, None, None)
        assert view.pages == Pages(0, (), reason)
        assert notes == [reason]
    finally:
        view.close()


def test_the_cold_print_view_uses_the_workspace_fonts_and_reports_its_pages(
    fonts_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import office, pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(office, "find_uno_python", lambda: office.UnoPython(None, "没有 uno"))
    monkeypatch.setattr(pdf.ColdConverter, "convert", Converter().convert)
    session = PreviewSession(fonts_root)
    session.start()
    made: list[Pages] = []
    view, warm_server = preview.open_print_view(session.root, made.append, lambda text: None)
    try:
        assert warm_server is None and view.root == session.root
        assert view.converter == pdf.ColdConverter(session.root / "templates" / "fonts.conf")
        view.show(session.bulletin)
        pages = wait_for(view, lambda p: p.version == 1)
    finally:
        view.close()
    assert made == [pages] and pages.status == "共 2 页"


def test_the_warm_print_view_converts_on_the_server_and_reports_its_pages(
    workspace: Path, warm: type[Warm]
) -> None:
    session = PreviewSession(workspace)
    session.start()
    made: list[Pages] = []
    notes: list[str] = []
    view, server = preview.open_print_view(session.root, made.append, notes.append)
    try:
        (started,) = warm.made
        assert server is started and view.converter is started and view.root == session.root
        assert started.root == session.root and started.calls == ["warm_up", "listen"]
        view.show(session.bulletin)
        pages = wait_for(view, lambda p: p.version == 1)
    finally:
        view.close()
    assert made == [pages] and len(started.sources) == 1
    assert notes == [
        "LibreOffice 常驻运行：本工作区的 PDF 转换（build、publish、site --pdf）都由它完成"
    ]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_the_named_issue_on_the_port_until_ctrl_c(
    workspace: Path, warm: type[Warm]
) -> None:
    import _thread
    import urllib.request

    port = free_port()
    announced: list[str] = []
    rebuilt: list[preview.Page] = []
    made: list[Pages] = []
    seen: dict[str, str] = {}
    returned = threading.Event()
    other = workspace / "issues/2018-027/01.md"

    def until(condition, seconds: float = 15) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.02)

    def visit(url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                seen["first"] = response.read().decode("utf-8")
            until(lambda: made)
            time.sleep(0.3)  # let the watcher start
            other.write_text(COMMA.replace("垃圾分类", "新闻"), encoding="utf-8")
            until(lambda: rebuilt)
            with urllib.request.urlopen(url, timeout=5) as response:
                seen["after"] = response.read().decode("utf-8")
            time.sleep(0.5)  # the preview keeps running until Ctrl-C
        finally:
            if not returned.is_set():
                _thread.interrupt_main()

    def announce(url: str) -> None:
        announced.append(url)
        threading.Thread(target=visit, args=(url,)).start()

    before = threading.active_count()
    try:
        with pytest.raises(KeyboardInterrupt):
            preview.serve(
                workspace,
                "2018-027",
                port,
                announce,
                lambda page, seconds: rebuilt.append(page),
                made.append,
            )
    finally:
        returned.set()
    until(lambda: threading.active_count() <= before, 5)
    assert threading.active_count() == before
    assert announced == [f"http://127.0.0.1:{port}/"]
    assert "第二十七期" in seen["first"] and "社区开展旧闻宣传" in seen["first"]
    assert "社区开展新闻宣传" in seen["after"]
    assert rebuilt and rebuilt[0].ok
    assert made and made[0].status == "共 2 页"
    (started,) = warm.made
    assert started.calls == ["warm_up", "listen", "close"]


def test_serve_on_a_busy_port_fails_and_leaves_nothing_running(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import socket

    from briefing.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    before = threading.active_count()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(OSError, match="Address already in use") as raised:
            preview.serve(
                workspace, None, busy.getsockname()[1], lambda url: None, lambda p, s: None
            )
    assert raised.value.errno == errno.EADDRINUSE
    assert threading.active_count() == before  # the print thread was stopped


def test_a_connection_beyond_the_limit_is_closed_at_once(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    monkeypatch.setattr(preview, "MAX_CONNECTIONS", 2)
    monkeypatch.setattr(preview._Handler, "timeout", 20)
    session = PreviewSession(workspace)
    session.start()
    with running(session) as server:
        address = server.server_address[:2]
        held = [socket.create_connection(address, timeout=5) for _ in range(2)]
        try:
            for sock in held:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # never finished
            time.sleep(0.2)
            with socket.create_connection(address, timeout=3) as extra:
                extra.sendall(b"GET /__version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert extra.recv(100) == b""  # closed unanswered, not left waiting
        finally:
            for sock in held:
                sock.close()
        deadline = time.monotonic() + 5
        while True:  # the slots are given back once the held connections are seen closed
            try:
                if ask(server, "/__version")[0] == 200:
                    break
            except http.client.RemoteDisconnected:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert capsys.readouterr().err == ""


def test_a_request_that_fails_is_reported_with_its_client_and_the_preview_goes_on(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session = PreviewSession(workspace)
    session.start()

    def broken(page):  # type: ignore[no-untyped-def]
        raise ValueError("面板坏了")

    monkeypatch.setattr(session, "shown_findings", broken)
    view = PagedView(session.root, None, unavailable="没有 LibreOffice")
    try:
        with running(session, view) as server:
            port = server.server_address[1]
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.putrequest("GET", "/print", skip_host=True)
                connection.putheader("Host", f"127.0.0.1:{port}")
                connection.endheaders()
                assert connection.sock is not None
                client = connection.sock.getsockname()
                with pytest.raises(http.client.RemoteDisconnected):
                    connection.getresponse()
            finally:
                connection.close()
            assert ask(server, "/__version") == text(200, "1")
    finally:
        view.close()
    printed = capsys.readouterr().err
    assert "ValueError: 面板坏了" in printed
    assert f"Exception occurred during processing of request from {client}" in printed


# --------------------------------------------------------------------------- the findings


def checked(root: Path) -> list[Diagnostic]:
    from briefing.check import check_workspace

    return sorted(check_workspace(root).diagnostics, key=Diagnostic.sort_key)


def test_the_findings_of_other_issues_are_kept_once_and_the_panel_shows_the_issues_own(
    workspace: Path,
) -> None:
    session = PreviewSession(workspace)
    page = session.start()
    other = (workspace / "issues/2018-027/01.md").resolve()
    ours = (workspace / ISSUE / "02-waste.md").resolve()
    assert [(d.code, d.path) for d in page.findings] == [("T101", other), ("T101", ours)]
    assert list(page.findings) == checked(workspace)
    assert [(d.code, d.path) for d in session.shown_findings(page)] == [("T101", ours)]
    assert page.html.count("<li ") == 1 and "检查发现 0 个错误，1 个警告" in page.html
    assert session.bulletin is not None and session.bulletin.issue_id == "2018-028"
    article = workspace / ISSUE / "02-waste.md"
    article.write_text(COMMA.replace(",", "，"), encoding="utf-8")
    page = session.rebuild({article})  # warm: the other issue's finding stays, once
    assert [(d.code, d.path) for d in page.findings] == [("T101", other)]
    assert list(page.findings) == checked(workspace)
    assert session.shown_findings(page) == []
    assert "检查通过：没有发现问题" in page.html
    article.write_text(BROKEN, encoding="utf-8")
    page = session.rebuild({article})
    assert not page.ok and session.bulletin is None  # the print view keeps its last pages
    assert page.version == 3


def test_severity_overrides_apply_to_every_stage_cold_and_warm(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml() + "foo: 1\n",
            ISSUE + "01.md": GOOD_ARTICLE.replace("---\n\n", "bar: 2\n---\n\n", 1),
            ISSUE + "02.md": COMMA,
        },
        config=BASE_CONFIG + "checks:\n  severity:\n    M002: warning\n    T101: off\n",
    )
    session = PreviewSession(root)
    page = session.start()
    assert page.ok
    folder = (root / ISSUE).resolve()
    expected = [("M002", folder / "01.md", 4), ("M002", folder / "issue.yaml", 5)]
    assert [(d.code, d.path, d.line) for d in page.findings] == expected
    assert all(d.severity is Severity.WARNING for d in page.findings)
    assert list(page.findings) == checked(root)
    article = root / ISSUE / "02.md"
    article.write_text(COMMA.replace("300份", "400份"), encoding="utf-8")
    page = session.rebuild({article})
    assert page.ok and "400份" in page.html
    assert list(page.findings) == checked(root)
    first = root / ISSUE / "01.md"
    first.write_text(first.read_text(encoding="utf-8").replace("42个", "43个"), encoding="utf-8")
    page = session.rebuild({first})
    assert page.ok and "43个" in page.html
    assert list(page.findings) == checked(root)


def test_the_preview_uses_the_workspace_templates(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01.md": GOOD_ARTICLE,
            "templates/html/bulletin.css": "body { color: #123456; }\n",
        }
    )
    page = PreviewSession(root).start()
    assert page.ok and "body { color: #123456; }" in page.html


def test_every_kind_of_finding_matches_check_cold_and_warm(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01.md": GOOD_ARTICLE.replace("source: 长河街道", "source: 滨文社区"),
            ISSUE + "02.md": COMMA.replace("source: 滨文社区", "source: 滨文 社区")
            + "\n<span>原样</span>\n",
            ISSUE + "notes.txt": "备忘\n",
        },
        config=BASE_CONFIG + "checks:\n  severity:\n    H001: warning\n",
    )
    session = PreviewSession(root)
    page = session.start()
    assert page.ok
    codes = {d.code for d in page.findings}
    assert {"F006", "C308", "H001", "T101"} <= codes, codes
    assert list(page.findings) == checked(root)
    # warm: what the parser notes (raw HTML) goes with the article's text, both ways
    article = root / ISSUE / "02.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("<span>原样</span>", "补充一句。"), encoding="utf-8")
    page = session.rebuild({article})
    assert page.ok and "补充一句" in page.html
    assert "H001" not in {d.code for d in page.findings}
    assert list(page.findings) == checked(root)
    first = root / ISSUE / "01.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n<b>加粗</b>\n", encoding="utf-8")
    page = session.rebuild({first})
    assert [d.path.name for d in page.findings if d.code == "H001"] == ["01.md", "01.md"]
    assert list(page.findings) == checked(root)


def test_a_new_issue_does_not_take_over_the_preview(workspace: Path) -> None:
    session = PreviewSession(workspace)
    assert "第二十八期" in session.start().html
    newer = workspace / "issues/2018-029"
    newer.mkdir()
    (newer / "issue.yaml").write_text(issue_yaml(29, 647, date="2018-12-30"), encoding="utf-8")
    (newer / "01.md").write_text(GOOD_ARTICLE.replace("42个", "44个"), encoding="utf-8")
    page = session.rebuild({newer / "issue.yaml"})  # not an article of ours: from scratch
    assert page.ok and "第二十八期" in page.html and "44个" not in page.html
    assert PreviewSession(workspace).start().html.count("第二十九期") >= 1


def test_an_unexpected_failure_after_checking_lists_the_issues_findings(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = PreviewSession(workspace)
    session.start()

    def explode(findings, version):  # type: ignore[no-untyped-def]
        raise ValueError("坏了")

    monkeypatch.setattr(session, "_render", explode)
    page = session.rebuild({workspace / ISSUE / "01-grid.md"})
    assert (page.ok, page.version, session.version, session.page) == (False, 2, 2, page)
    assert session.bulletin is None
    ours = (workspace / ISSUE / "02-waste.md").resolve()
    assert [(d.code, d.path) for d in page.findings] == [("T101", ours)]
    assert "<p>内部错误：ValueError: 坏了</p>" in page.html
    assert "检查发现 0 个错误，1 个警告" in page.html
    monkeypatch.undo()
    assert session.rebuild({workspace / ISSUE / "01-grid.md"}).ok  # warm again


def test_an_unexpected_failure_before_checking_starts_afresh(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing import check

    session = PreviewSession(workspace)
    session.start()
    original = check.check_workspace

    def explode(root):  # type: ignore[no-untyped-def]
        raise OSError("磁盘坏了")

    monkeypatch.setattr(check, "check_workspace", explode)
    page = session.rebuild({workspace / "briefing.yaml"})
    assert (page.ok, page.version, page.findings) == (False, 2, ())
    assert "<p>内部错误：OSError: 磁盘坏了</p>" in page.html
    assert "检查通过：没有发现问题" in page.html
    monkeypatch.setattr(check, "check_workspace", original)
    page = session.rebuild({workspace / ISSUE / "01-grid.md"})  # an article, yet from scratch
    assert page.ok and list(page.findings) == checked(workspace)


def test_a_bad_severity_entry_is_a_finding_of_the_preview_too(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": GOOD_ARTICLE},
        config=BASE_CONFIG + "checks:\n  severity:\n    X999: off\n",
    )
    page = PreviewSession(root).start()
    assert not page.ok  # an error in the settings, as check reports it
    assert list(page.findings) == checked(root) and len(page.findings) == 1
    assert "checks.severity 中的规则代码“X999”不存在（见 briefing rules）" in page.html
