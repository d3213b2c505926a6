"""The preview exactly: the error page as a document, recovery after a failure, the watcher's
hand-offs, the print view's routes, and ``serve`` from its first page to Ctrl-C."""

from __future__ import annotations

import _thread
import json
import re
import shutil
import sys
import threading
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing import preview
from briefing.check import check_workspace
from briefing.errors import Diagnostic, Severity
from briefing.model import Bulletin
from briefing.paged import PagedView
from briefing.preview import Page, PreviewSession, error_page, open_server
from tests.conftest import GOOD_ARTICLE, issue_yaml
from tests.test_paged import Converter, wait_for
from tests.test_preview import BROKEN, ISSUE, SECOND, serving

# --------------------------------------------------------------------------- helpers


@pytest.fixture
def workspace(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01-grid.md": GOOD_ARTICLE,
            ISSUE + "02-waste.md": SECOND,
        }
    )


class Outline(HTMLParser):
    """What a browser makes of a page: elements with their attributes and text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = ""
        self.open: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.stray: list[str] = []  # text directly in <html>, <head> or <body>, or outside
        self.feed(document)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs), []))
        if tag not in ("meta",):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.open or self.open[-1] in ("html", "head", "body"):
            if data.strip():
                self.stray.append(data)
            return
        for tag, _, texts in reversed(self.elements):
            if tag == self.open[-1]:
                texts.append(data)
                break

    def find(self, tag: str) -> list[tuple[dict[str, str | None], str]]:
        return [(attrs, "".join(texts)) for t, attrs, texts in self.elements if t == tag]

    def text(self, tag: str) -> str:
        (found,) = self.find(tag)
        return found[1]


def script_nonce_and_version(outline: Outline) -> tuple[str | None, str]:
    (script,) = outline.find("script")
    match = re.search(r"var version = ([^;]*);", script[1])
    assert match is not None
    return script[0].get("nonce"), match.group(1)


def csp_of(outline: Outline) -> str:
    metas = [a for a, _ in outline.find("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    (meta,) = metas
    return str(meta["content"])


# --------------------------------------------------------------------------- the error page


def test_the_error_page_is_a_whole_document_whose_script_may_run(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    broken = workspace / ISSUE / "03-broken.md"
    broken.write_text(BROKEN, encoding="utf-8")
    page = session.rebuild({broken})
    assert not page.ok and page.version == 2
    outline = Outline(page.html)
    assert outline.doctype.lower() == "doctype html"
    assert [a for a, _ in outline.find("html")] == [{"lang": "zh-CN"}]
    assert outline.text("title") == "预览：无法生成"
    assert outline.text("h1") == "无法生成本期简报"
    assert [text for _, text in outline.find("p")] == [
        "期刊 2018-028 有错误，未生成任何文件",
        "检查发现 1 个错误，1 个警告",
    ]
    assert outline.stray == []
    nonce, version = script_nonce_and_version(outline)
    assert version == "2"  # the page reloads when /__version says otherwise
    assert nonce and len(nonce) >= 16 and f"script-src 'nonce-{nonce}';" in csp_of(outline)
    again = Outline(session.rebuild({broken}).html)
    assert script_nonce_and_version(again) == (script_nonce_and_version(again)[0], "3")
    assert script_nonce_and_version(again)[0] != nonce  # a new nonce for every page


def test_an_error_page_without_a_hint_has_no_empty_paragraph(tmp_path: Path) -> None:
    finding = Diagnostic("F002", Severity.ERROR, "坏了", tmp_path / "a.md", 1, 1)
    outline = Outline(error_page([finding], tmp_path, None, 7))
    assert [text for _, text in outline.find("p")] == ["检查发现 1 个错误，0 个警告"]
    assert outline.stray == []
    assert script_nonce_and_version(outline)[1] == "7"


def test_a_failure_before_checking_lists_its_own_message_then_recovers(workspace: Path) -> None:
    session = PreviewSession(workspace, "2018-028")
    assert session.start().ok
    folder = workspace / ISSUE
    aside = workspace / "aside"
    shutil.move(folder, aside)
    page = session.rebuild({folder / "issue.yaml"})
    assert not page.ok and page.version == 2
    assert page.findings == (
        Diagnostic("usage", Severity.ERROR, "找不到期刊“2018-028”；现有期刊：（无）"),
    )
    assert "找不到期刊“2018-028”；现有期刊：（无）" in page.html
    assert script_nonce_and_version(Outline(page.html))[1] == "2"
    # nothing usable stayed loaded: the next save, even of one article, starts afresh
    shutil.move(aside, folder)
    page = session.rebuild({folder / "01-grid.md"})
    assert page.ok, page.html
    assert list(page.findings) == sorted(
        check_workspace(workspace).diagnostics, key=Diagnostic.sort_key
    )


def test_a_hidden_article_file_is_not_a_warm_change(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    folder = (workspace / ISSUE).resolve()
    assert session._only_articles({folder / "01-grid.md"})
    assert not session._only_articles({folder / ".01-grid.md"})


def test_a_server_error_is_printed_but_a_dropped_connection_is_not(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = open_server(PreviewSession(workspace))
    try:
        for error in (ConnectionResetError(), TimeoutError()):
            try:
                raise error
            except OSError:
                server.handle_error(None, ("127.0.0.1", 5000))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("坏请求")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 5001))
        printed = capsys.readouterr().err
        assert "('127.0.0.1', 5001)" in printed and "ValueError: 坏请求" in printed
    finally:
        server.server_close()


# --------------------------------------------------------------------------- the watcher


class Recorder:
    """Stands for the print view: what the watcher hands it."""

    def __init__(self) -> None:
        self.shown: list[tuple[Bulletin | None, float | None]] = []

    def show(self, bulletin: Bulletin | None, saved_at: float | None = None) -> None:
        self.shown.append((bulletin, saved_at))


def test_the_watcher_rebuilds_warm_and_hands_on_each_page(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = PreviewSession(workspace)
    session.start()
    rebuilt: list[tuple[Page, float]] = []
    paged = Recorder()
    loads: list[str] = []
    original = preview.load_article

    def counting(path, settings, reporter):  # type: ignore[no-untyped-def]
        loads.append(path.name)
        return original(path, settings, reporter)

    monkeypatch.setattr(preview, "load_article", counting)
    stop = threading.Event()
    watcher = threading.Thread(
        target=preview.watch,
        args=(session, stop, lambda page, seconds: rebuilt.append((page, seconds)), paged),
    )
    watcher.start()
    try:
        time.sleep(0.3)  # let the watcher start
        article = workspace / ISSUE / "02-waste.md"
        article.write_text(SECOND.replace("300份", "400份"), encoding="utf-8")
        deadline = time.monotonic() + 10
        while not rebuilt and time.monotonic() < deadline:
            time.sleep(0.02)
        # build output and hidden files do not count as changes
        (workspace / "build").mkdir()
        (workspace / "build" / "x.html").write_text("x", encoding="utf-8")
        (workspace / ISSUE / ".02-waste.md.swp").write_text("x", encoding="utf-8")
        time.sleep(1.0)
        article.write_text(BROKEN, encoding="utf-8")
        deadline = time.monotonic() + 10
        while len(rebuilt) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        watcher.join(10)
    assert not watcher.is_alive()
    assert [page.ok for page, _ in rebuilt] == [True, False]
    assert [page for page, _ in rebuilt][-1] is session.page
    assert all(0 <= seconds < 10 for _, seconds in rebuilt)
    assert loads == ["02-waste.md", "02-waste.md"]  # the edited article alone, both times
    good, failed = paged.shown
    assert good[0] is not None and "400份" in str(good[0])
    assert failed[0] is None  # errors: the print view keeps its last pages
    assert all(isinstance(at, float) and at <= time.perf_counter() for _, at in paged.shown)


# --------------------------------------------------------------------------- the print view


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_the_print_view_routes(workspace: Path) -> None:
    session = PreviewSession(workspace)
    page = session.start()
    view = PagedView(session.root, Converter(2))
    try:
        view.show(session.bulletin)
        wait_for(view, lambda p: p.version == 1)
        server = open_server(session)
        server.paged = view
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}"
            status, kind, body = fetch(url + "/print")
            assert (status, kind) == (200, "text/html; charset=utf-8")
            document = body.decode("utf-8")
            outline = Outline(document)
            csp = csp_of(outline)
            nonce = outline.find("script")[0][0]["nonce"]
            assert csp == (
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                f"script-src 'nonce-{nonce}'; connect-src 'self'; base-uri 'none'; "
                "form-action 'none'"
            )
            assert [a["src"] for a, _ in outline.find("img")] == [
                "/__page/1/1.png",
                "/__page/1/2.png",
            ]
            # the issue's own findings, as on the HTML edition's panel
            shown = session.shown_findings(page)
            assert shown and len(outline.find("li")) == len(shown)
            # the page reloads when /__print_version stops answering this
            version = json.dumps(f"{page.version}|1:False:共 2 页")
            assert f"var version = {version};" in document
            assert fetch(url + "/__print_version") == (
                200,
                "text/plain; charset=utf-8",
                f"{page.version}|1:False:共 2 页".encode(),
            )
            status, kind, png = fetch(url + "/__page/1/2.png?t=1")
            assert (status, kind) == (200, "image/png") and png.startswith(b"\x89PNG")
            assert png == view.page_png(1, 2)
            gone = (404, "text/plain; charset=utf-8", "这一页已更新，请刷新".encode())
            for missing in (
                "/__page/2/1.png",
                "/__page/1/3.png",
                "/__page/x/1.png",
                "/__page/1/a.png",
            ):
                assert fetch(url + missing) == gone, missing
        finally:
            server.shutdown()
            thread.join(10)
            server.server_close()
    finally:
        view.close()


def test_the_print_routes_are_only_there_with_a_print_view(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    with serving(session) as url:
        for path in ("print", "__print_version", "__page/1/1.png"):
            assert fetch(url + path)[0] == 404, path


def test_the_print_view_lists_the_errors_of_a_broken_issue(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    broken = workspace / ISSUE / "03-broken.md"
    broken.write_text(BROKEN, encoding="utf-8")
    page = session.rebuild({broken})
    assert session.shown_findings(page) == list(page.findings)
    view = PagedView(session.root, None, unavailable="没有 LibreOffice")
    try:
        server = open_server(session)
        server.paged = view
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            status, _, body = fetch(f"http://127.0.0.1:{server.server_address[1]}/print")
        finally:
            server.shutdown()
            thread.join(10)
            server.server_close()
    finally:
        view.close()
    assert status == 200
    assert "issues/2018-028/03-broken.md:3:1</code> <b>F002</b>" in body.decode("utf-8")


# --------------------------------------------------------------------------- serve


def serve_until_interrupted(
    root: Path, monkeypatch: pytest.MonkeyPatch, visit: list[str]
) -> tuple[list[str], list[str], dict[str, tuple[int, str, bytes]]]:
    """Run ``serve`` in this thread, fetch *visit* from another, then press Ctrl-C."""
    announced: list[str] = []
    notes: list[str] = []
    fetched: dict[str, tuple[int, str, bytes]] = {}

    def visitor(url: str) -> None:
        try:
            for path in visit:
                fetched[path] = fetch(url + path)
        finally:
            _thread.interrupt_main()

    def announce(url: str) -> None:
        announced.append(url)
        threading.Thread(target=visitor, args=(url,)).start()

    before = threading.active_count()
    with pytest.raises(KeyboardInterrupt):
        preview.serve(root, None, 0, announce, lambda page, seconds: None, on_note=notes.append)
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() == before  # the server, the watcher, the print thread
    return announced, notes, fetched


def test_serve_without_libreoffice_serves_both_views_until_ctrl_c(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    announced, notes, fetched = serve_until_interrupted(
        workspace, monkeypatch, ["", "print", "__print_version"]
    )
    (url,) = announced
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
    assert notes == [f"未找到 LibreOffice，无法显示印刷版。{pdf.INSTALL_HINT}"]
    assert fetched[""][0] == 200 and "街道推行网格化管理" in fetched[""][2].decode("utf-8")
    assert "未找到 LibreOffice，无法显示印刷版。" in fetched["print"][2].decode("utf-8")
    assert fetched["__print_version"][2].decode("utf-8").startswith("1|0:False:未找到")
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with pytest.raises(urllib.error.URLError):  # closed, not left listening
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


class FakeWarm:
    """Stands for the warm LibreOffice server: records what serve asks of it."""

    made: list[FakeWarm] = []
    listens = True

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[str] = []
        type(self).made.append(self)  # each stand-in class keeps its own list

    def warm_up(self) -> None:
        self.calls.append("warm_up")

    def listen(self) -> bool:
        self.calls.append("listen")
        return self.listens

    def close(self) -> None:
        self.calls.append("close")

    def convert(self, source: Path, target: Path, *, timeout: float) -> bytes:
        raise AssertionError("not converting in this test")


@pytest.mark.parametrize(
    ("listens", "note"),
    [
        (True, "LibreOffice 常驻运行：本工作区的 PDF 转换（build、publish、site --pdf）都由它完成"),
        (False, "本工作区已有另一个预览提供常驻 LibreOffice；此预览只为自己的印刷版使用一个"),
    ],
)
def test_the_print_view_uses_a_warm_libreoffice_and_closes_it(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, listens: bool, note: str
) -> None:
    from briefing.render import converter, office, pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(office, "find_uno_python", lambda: office.UnoPython(sys.executable, ""))
    monkeypatch.setattr(converter, "WarmServer", FakeWarm)
    monkeypatch.setattr(FakeWarm, "made", [])
    monkeypatch.setattr(FakeWarm, "listens", listens)
    shown: list[object] = []
    monkeypatch.setattr(PagedView, "show", lambda self, bulletin, *rest: shown.append(bulletin))
    _, notes, _ = serve_until_interrupted(workspace, monkeypatch, [])
    (warm,) = FakeWarm.made
    assert warm.root == workspace.resolve()
    assert warm.calls == ["warm_up", "listen", "close"]
    assert notes == [note]
    assert len(shown) == 1 and shown[0] is not None  # the first page's bulletin


def test_without_uno_the_print_view_starts_libreoffice_cold(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import office, pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(office, "find_uno_python", lambda: office.UnoPython(None, "没有 uno"))
    notes: list[str] = []
    view, warm = preview.open_print_view(workspace, lambda pages: None, notes.append)
    try:
        assert warm is None
        assert isinstance(view.converter, pdf.ColdConverter)
        assert view.root == workspace
        assert notes == ["印刷版每次保存都要冷启动 LibreOffice（数秒）：没有 uno"]
    finally:
        view.close()
