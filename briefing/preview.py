"""Live preview: ``briefing preview`` serves one issue's HTML edition and rebuilds it on save.

A warm process is where a Python tool beats a one-shot converter: the settings, the templates
and every unchanged article stay loaded, so an edit to one article re-reads, re-parses and
re-proofreads that article only (``PreviewSession.rebuild``). Anything else that changes
(``briefing.yaml``, an ``issue.yaml``, templates, another issue) rebuilds from scratch, the
same way ``briefing check`` and ``build`` would.

Beside it, ``/print`` shows the pages as LibreOffice prints them (:mod:`briefing.paged`),
converted on a LibreOffice this process keeps running and offers to the workspace's other
briefing runs (``render.converter.WarmServer``); it is stopped with the preview.

The page is served from memory on 127.0.0.1 only; nothing is written to ``build/``. It is the
HTML edition as ``build`` renders it, with two additions for the preview alone: a panel listing
the ``check`` findings (file:line) and a small script that polls ``/__version`` and reloads the
page after a rebuild. The document's Content-Security-Policy forbids scripts, so the served copy
allows exactly that one script (by nonce) and requests to its own origin; the built HTML file
is unchanged. A broken issue (errors that stop ``build``) is served as a page listing them.
"""

from __future__ import annotations

import html
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import BriefingError, Diagnostic, Severity, UsageError
from briefing.load import (
    ARTICLE_SUFFIXES,
    ISSUE_FILE,
    LoadedIssue,
    article_files,
    check_severity_overrides,
    load_article,
    load_issue,
)
from briefing.model import Article, Bulletin, Settings
from briefing.paged import (
    PAGE_PREFIX,
    PRINT_PATH,
    PRINT_VERSION_PATH,
    PagedView,
    Pages,
    print_page,
)
from briefing.rules import Reporter
from briefing.workspace import Workspace

if TYPE_CHECKING:
    from briefing.render.converter import WarmServer

VERSION_PATH = "/__version"
POLL_MS = 250


@dataclass(frozen=True, slots=True)
class Page:
    """One build of the preview: the document served at ``/`` and what it was built from."""

    version: int
    html: str
    findings: tuple[Diagnostic, ...]
    ok: bool  # the bulletin rendered (False: the page lists the errors instead)


@dataclass(frozen=True, slots=True)
class _CachedArticle:
    stamp: tuple[int, int]  # (mtime_ns, size) of the file it was read from
    article: Article | None
    notes: tuple
    loaded: tuple[Diagnostic, ...]  # findings of loading the file
    proofread: tuple[Diagnostic, ...]  # findings of the per-article proofreading rules


class PreviewSession:
    """The warm state of one preview: settings, loaded articles and the current page."""

    def __init__(self, root: Path, issue_id: str | None = None) -> None:
        self.root = root.resolve()
        self.issue_id = issue_id
        self.folder: Path | None = None
        self.version = 0
        self.page: Page | None = None
        self.bulletin: Bulletin | None = None  # the last page's bulletin; None when it failed
        self._settings: Settings | None = None
        self._overrides: dict[str, str] = {}
        self._rest: tuple[Diagnostic, ...] = ()  # findings outside the issue folder's checks
        self._issue: tuple[object, tuple[Diagnostic, ...]] | None = None
        self._articles: dict[Path, _CachedArticle] = {}
        self._loaded: LoadedIssue | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ building

    def start(self) -> Page:
        """The first build; an unknown issue or a missing workspace raises ``UsageError``."""
        return self.rebuild(None, first=True)

    def rebuild(self, changed: Iterable[Path] | None = None, *, first: bool = False) -> Page:
        """Rebuild after *changed* files (``None``: everything); bad input becomes the page."""
        with self._lock:
            version = self.version + 1
            findings: tuple[Diagnostic, ...] | None = None
            try:
                if self._settings is None or not self._only_articles(changed):
                    findings = self._cold()
                else:
                    findings = self._warm()
                page = Page(version, self._render(findings, version), findings, True)
            except BriefingError as error:
                self.bulletin = None
                if first and isinstance(error, UsageError):
                    raise
                page = self._failed(version, findings, error.diagnostics, error.hint)
            except Exception as error:  # an input nobody foresaw must not stop the preview
                self.bulletin = None
                hint = f"内部错误：{type(error).__name__}: {error}"
                page = self._failed(version, findings, (), hint)
            self.version = version
            self.page = page
            return page

    def _failed(
        self,
        version: int,
        findings: tuple[Diagnostic, ...] | None,
        reported: Iterable[Diagnostic],
        hint: str | None,
    ) -> Page:
        """The error page: every finding of the issue when checking got that far."""
        if findings is None:
            self._settings = None  # nothing usable is loaded: start afresh on the next change
            shown = list(reported)
        else:
            shown = self._issue_findings(findings)
        return Page(version, error_page(shown, self.root, hint, version), tuple(shown), False)

    def _only_articles(self, changed: Iterable[Path] | None) -> bool:
        if changed is None or self.folder is None:
            return False
        for path in changed:
            if path.parent != self.folder or path.name == ISSUE_FILE:
                return False
            if path.suffix.lower() not in ARTICLE_SUFFIXES or path.name.startswith("."):
                return False
        return True

    def _cold(self) -> tuple[Diagnostic, ...]:
        from briefing.build import resolve_issue
        from briefing.check import check_workspace

        workspace = check_workspace(self.root)
        self._settings = workspace.settings
        self._overrides = check_severity_overrides(workspace.settings, Reporter())
        self.folder = resolve_issue(workspace, self.issue_id or self._folder_name()).dir
        self._issue = None
        self._articles.clear()
        folder_findings = self._folder_findings()
        # Everything check_workspace found that is not this folder's own checks (settings,
        # the register, other issues) stays as it is until a non-article file changes.
        rest = Counter(workspace.diagnostics)
        rest.subtract(folder_findings)
        self._rest = tuple(rest.elements())
        return self._sorted(folder_findings)

    def _folder_name(self) -> str | None:
        return self.folder.name if self.folder is not None else None

    def _warm(self) -> tuple[Diagnostic, ...]:
        return self._sorted(self._folder_findings())

    def _sorted(self, folder_findings: list[Diagnostic]) -> tuple[Diagnostic, ...]:
        return tuple(sorted([*self._rest, *folder_findings], key=Diagnostic.sort_key))

    def _folder_findings(self) -> list[Diagnostic]:
        """Load (from the cache where unchanged) and check the issue folder, as ``check`` does."""
        from briefing.check import check_issue
        from briefing.proofread import proofread_issue

        assert self.folder is not None
        assert self._settings is not None
        settings = self._settings
        reporter = Reporter(self._overrides)
        if self._issue is None:
            first = Reporter(self._overrides)
            self._issue = (load_issue(self.folder, first), tuple(first.diagnostics))
        issue, issue_findings = self._issue
        reporter.diagnostics.extend(issue_findings)
        articles: list[Article] = []
        notes: list[tuple[Path, object]] = []
        cached_articles: list[_CachedArticle] = []
        paths = article_files(self.folder, reporter)
        for path in paths:
            cached = self._article(path)
            reporter.diagnostics.extend(cached.loaded)
            if cached.article is not None:
                articles.append(cached.article)
                notes.extend((path, n) for n in cached.notes)
                cached_articles.append(cached)
        for gone in set(self._articles) - set(paths):
            del self._articles[gone]
        loaded = LoadedIssue(self.folder, issue, tuple(articles), tuple(notes))  # type: ignore[arg-type]
        self._loaded = loaded
        # check_issue without its proofreading, which is per article (cached) plus the
        # cross-article rule: the same findings in the same order as check_issue's.
        check_issue(settings, loaded, reporter, advice=False)
        for cached in cached_articles:
            reporter.diagnostics.extend(cached.proofread)
        if articles:
            proofread_issue(articles, reporter, settings.checks)
        return reporter.diagnostics

    def _article(self, path: Path) -> _CachedArticle:
        """The loaded and proofread article at *path*, re-read only when the file changed."""
        from briefing.proofread import proofread_article

        assert self._settings is not None
        try:
            info = path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = (0, 0)
        cached = self._articles.get(path)
        if cached is not None and cached.stamp == stamp:
            return cached
        loading = Reporter(self._overrides)
        result = load_article(path, self._settings, loading)
        article, notes = result if result is not None else (None, [])
        proofreading = Reporter(self._overrides)
        if article is not None:
            proofread_article(article, proofreading, self._settings.checks)
        cached = _CachedArticle(
            stamp,
            article,
            tuple(notes),
            tuple(loading.diagnostics),
            tuple(proofreading.diagnostics),
        )
        self._articles[path] = cached
        return cached

    def _render(self, findings: tuple[Diagnostic, ...], version: int) -> str:
        from briefing.build import bulletin_for
        from briefing.render.html import html_document

        assert self._settings is not None
        assert self._loaded is not None
        workspace = Workspace(self._settings, (self._loaded,), findings)
        bulletin = bulletin_for(workspace, self._loaded)
        document = html_document(bulletin, workspace_root=self.root)
        self.bulletin = bulletin
        return inject(document, self._issue_findings(findings), self.root, version)

    def shown_findings(self, page: Page) -> list[Diagnostic]:
        """The findings *page*'s panel lists: the issue's own."""
        return self._issue_findings(page.findings) if page.ok else list(page.findings)

    def _issue_findings(self, findings: Iterable[Diagnostic]) -> list[Diagnostic]:
        from briefing.workspace import select

        assert self.folder is not None
        return select(list(findings), [self.folder], self.root)


# --------------------------------------------------------------------------- the page


def _nonce() -> str:
    return secrets.token_urlsafe(16)


def _csp(nonce: str) -> str:
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'nonce-{nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'"
    )


def _print_version(page: Page, paged: PagedView) -> str:
    """Changes with the findings (every rebuild) and with the pages."""
    return f"{page.version}|{paged.version()}"


def _print_csp(nonce: str) -> str:
    return (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        f"script-src 'nonce-{nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'"
    )


def _script(nonce: str, version: int) -> str:
    return (
        f'<script nonce="{nonce}">(function () {{\n'
        f"  var version = {version};\n"
        "  function poll() {\n"
        f"    fetch('{VERSION_PATH}', {{cache: 'no-store'}})\n"
        "      .then(function (r) { return r.text(); })\n"
        "      .then(function (t) {\n"
        "        if (Number(t) !== version) { location.reload(); }\n"
        f"        else {{ setTimeout(poll, {POLL_MS}); }}\n"
        "      })\n"
        "      .catch(function () { setTimeout(poll, 1000); });\n"
        "  }\n"
        f"  setTimeout(poll, {POLL_MS});\n"
        "})();</script>\n"
    )


PANEL_STYLE = (
    "position:fixed;right:12px;bottom:12px;max-width:36em;max-height:40vh;overflow:auto;"
    "background:#fffbe6;border:1px solid #d4b106;border-radius:6px;padding:8px 12px;"
    "font:14px/1.5 sans-serif;color:#222;box-shadow:0 2px 8px rgba(0,0,0,.2);z-index:9999"
)


PRINT_LINK = (
    '<a id="briefing-print-link" href="/print" style="position:fixed;right:12px;top:12px;'
    "z-index:9999;background:#fff;border:1px solid #0050b3;border-radius:4px;padding:2px 8px;"
    'font:14px/1.5 sans-serif;color:#0050b3">印刷版（分页）</a>\n'
)


def findings_panel(findings: Iterable[Diagnostic], root: Path) -> str:
    """The ``check`` findings as an HTML panel, one ``file:line`` entry each."""
    findings = list(findings)
    errors = sum(d.severity is Severity.ERROR for d in findings)
    if findings:
        heading = f"检查发现 {errors} 个错误，{len(findings) - errors} 个警告"
    else:
        heading = "检查通过：没有发现问题"
    items = "".join(
        f'<li class="{d.severity.value}"><code>{html.escape(d.location(root))}</code> '
        f"<b>{html.escape(d.code)}</b> {html.escape(d.message)}</li>\n"
        for d in findings
    )
    return (
        f'<aside id="briefing-preview" role="status" style="{PANEL_STYLE}">\n'
        f'<p style="margin:0;font-weight:bold">{html.escape(heading)}</p>\n'
        f'<ul style="margin:4px 0 0;padding-left:1.2em">\n{items}</ul>\n</aside>\n'
    )


def inject(document: str, findings: Iterable[Diagnostic], root: Path, version: int) -> str:
    """*document* with the findings panel and the reload script, its CSP allowing that script."""
    nonce = _nonce()
    head, marker, rest = document.partition('http-equiv="Content-Security-Policy" content="')
    if marker:
        _, _, rest = rest.partition('"')
        document = f'{head}{marker}{_csp(nonce)}"{rest}'
    addition = findings_panel(findings, root) + PRINT_LINK + _script(nonce, version)
    before, body_end, after = document.rpartition("</body>")
    if not body_end:
        return document + addition
    return before + addition + body_end + after


def error_page(
    findings: Iterable[Diagnostic], root: Path, hint: str | None, version: int = 0
) -> str:
    """A page in place of the bulletin when it cannot be built: the errors, and a reload."""
    nonce = _nonce()
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(nonce)}">\n'
        "<title>预览：无法生成</title>\n</head>\n<body>\n"
        '<h1 style="font:bold 20px sans-serif;color:#a8071a">无法生成本期简报</h1>\n'
        + (f"<p>{html.escape(hint)}</p>\n" if hint else "")
        + findings_panel(findings, root)
        + _script(nonce, version)
        + "</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- serving


# A request must arrive, and its answer be taken, within this many seconds: a connection left
# half-sent (or idle) must not hold a thread for ever (300 of them held 339 threads).
REQUEST_TIMEOUT = 5.0
# Connections served at once; one more is closed unanswered. A browser opens at most six.
MAX_CONNECTIONS = 32


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the listen backlog: a burst of connections waits, not refused

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A thread per connection, at most ``MAX_CONNECTIONS`` of them."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A browser that closes or reloads mid-response is normal, not an error to print;
        neither is a client that sends nothing in time."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    session: PreviewSession
    paged: PagedView | None = None


def allowed_host(host: str | None, port: int) -> bool:
    """Whether a request's ``Host`` names this preview: 127.0.0.1, localhost or [::1] on its
    port. Any other name may be a DNS-rebinding page reading an unpublished issue."""
    if host is None:
        return False
    names = ("127.0.0.1", "localhost", "[::1]")
    candidates = {f"{name}:{port}" for name in names}
    if port == 80:
        candidates.update(names)
    return host.strip().lower() in candidates


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = REQUEST_TIMEOUT  # a socket timeout for reading the request and sending the answer

    def do_GET(self) -> None:
        if self.headers.get("Host") is None:
            self._send(400, "text/plain; charset=utf-8", "请求缺少 Host 头")
            return
        if not allowed_host(self.headers.get("Host"), self.server.server_address[1]):
            self._send(
                421, "text/plain; charset=utf-8", "只响应本机地址（127.0.0.1、localhost）的请求"
            )
            return
        page = self.server.session.page
        path = self.path.split("?", 1)[0]
        paged = self.server.paged
        if page is None:
            self._send(503, "text/plain; charset=utf-8", "正在生成…")
        elif paged is not None and path.startswith(PAGE_PREFIX):
            self._send_page_image(paged, path[len(PAGE_PREFIX) :])
        elif paged is not None and path == PRINT_VERSION_PATH:
            self._send(200, "text/plain; charset=utf-8", _print_version(page, paged))
        elif paged is not None and path == PRINT_PATH:
            nonce = _nonce()
            session = self.server.session
            panel = findings_panel(session.shown_findings(page), session.root)
            document = print_page(
                paged, panel, nonce, _print_csp(nonce), _print_version(page, paged)
            )
            self._send(200, "text/html; charset=utf-8", document)
        elif path == "/":
            self._send(200, "text/html; charset=utf-8", page.html)
        elif path == VERSION_PATH:
            self._send(200, "text/plain; charset=utf-8", str(page.version))
        else:
            self._send(404, "text/plain; charset=utf-8", "没有这个页面")

    def _send_page_image(self, paged: PagedView, rest: str) -> None:
        version, _, name = rest.partition("/")
        number = name.removesuffix(".png")
        image = None
        if version.isdigit() and number.isdigit():
            image = paged.page_png(int(version), int(number))
        if image is None:
            self._send(404, "text/plain; charset=utf-8", "这一页已更新，请刷新")
            return
        self._send(200, "image/png", image)

    def _send(self, status: int, kind: str, text: str | bytes) -> None:
        body = text.encode("utf-8") if isinstance(text, str) else text
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows rebuilds, not every poll


def open_server(session: PreviewSession, port: int = 0) -> _Server:
    """An HTTP server for *session* on 127.0.0.1 (*port* 0: a free port)."""
    server = _Server(("127.0.0.1", port), _Handler)
    server.session = session
    return server


def watch_filter(root: Path) -> Callable[[object, str], bool]:
    """Changes worth a rebuild: not build output, caches, hidden files or editor backups."""
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    build = (root / "build").resolve()

    def wanted(change: object, path: str) -> bool:
        resolved = Path(path)
        if resolved == build or build in resolved.parents:
            return False
        if any(part.startswith(".") for part in resolved.relative_to(root).parts):
            return False
        return default(change, path)  # type: ignore[arg-type]

    return wanted


def watch(
    session: PreviewSession,
    stop: threading.Event,
    on_rebuild: Callable[[Page, float], None] = lambda page, seconds: None,
    paged: PagedView | None = None,
) -> None:
    """Rebuild *session* on every change under its workspace until *stop* is set; hand each
    rebuilt bulletin to the print view *paged*."""
    import time

    from watchfiles import watch as watch_changes

    root = session.root.resolve()
    for changes in watch_changes(
        root,
        watch_filter=watch_filter(root),
        debounce=50,
        step=20,
        stop_event=stop,
        raise_interrupt=False,
    ):
        started = time.perf_counter()
        page = session.rebuild({Path(path) for _, path in changes})
        on_rebuild(page, time.perf_counter() - started)
        if paged is not None:
            paged.show(session.bulletin if page.ok else None, started)


def open_print_view(
    root: Path, on_pages: Callable[[Pages], None], on_note: Callable[[str], None]
) -> tuple[PagedView, WarmServer | None]:
    """The print view and, where LibreOffice can be kept running, the warm converter it uses
    (listening for the workspace's other briefing runs when no other preview does)."""
    from briefing.render.converter import WarmServer
    from briefing.render.office import find_uno_python
    from briefing.render.pdf import INSTALL_HINT, ColdConverter, find_soffice
    from briefing.templates import template_path

    if find_soffice() is None:
        reason = f"未找到 LibreOffice，无法显示印刷版。{INSTALL_HINT}"
        on_note(reason)
        return PagedView(root, None, unavailable=reason, on_pages=on_pages), None
    uno = find_uno_python()
    if uno.python is None:
        on_note(f"印刷版每次保存都要冷启动 LibreOffice（数秒）：{uno.reason}")
        cold = ColdConverter(template_path("fonts.conf", root))
        return PagedView(root, cold, on_pages=on_pages), None
    server = WarmServer(root)
    server.warm_up()
    if server.listen():
        on_note("LibreOffice 常驻运行：本工作区的 PDF 转换（build、publish、site --pdf）都由它完成")
    else:
        on_note("本工作区已有另一个预览提供常驻 LibreOffice；此预览只为自己的印刷版使用一个")
    return PagedView(root, server, on_pages=on_pages), server


def serve(
    root: Path,
    issue_id: str | None,
    port: int,
    announce: Callable[[str], None],
    on_rebuild: Callable[[Page, float], None],
    on_pages: Callable[[Pages], None] = lambda pages: None,
    on_note: Callable[[str], None] = lambda text: None,
) -> None:
    """Serve the preview until Ctrl-C (``KeyboardInterrupt`` propagates after a clean stop)."""
    session = PreviewSession(root.resolve(), issue_id)
    session.start()
    paged, office = open_print_view(session.root, on_pages, on_note)
    stop = threading.Event()
    server: _Server | None = None
    threads: list[threading.Thread] = []
    try:
        paged.show(session.bulletin)
        server = open_server(session, port)
        server.paged = paged
        threads = [
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}),
            threading.Thread(target=watch, args=(session, stop, on_rebuild, paged)),
        ]
        for thread in threads:
            thread.start()
        announce(f"http://127.0.0.1:{server.server_address[1]}/")
        while not stop.wait(0.2):
            pass
    finally:
        stop.set()
        if server is not None:
            server.shutdown()
        for thread in threads:
            thread.join()
        if server is not None:
            server.server_close()
        if office is not None:
            office.close()  # first: a conversion under way ends now, not at its timeout
        paged.close()
