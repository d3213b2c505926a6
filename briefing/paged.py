"""The preview's print view: the pages as LibreOffice prints them, refreshed on every save.

``briefing preview`` serves it at ``/print``. After each successful rebuild of the HTML
edition, :class:`PagedView` renders the same bulletin to DOCX and converts it to PDF exactly
as ``build --format pdf`` does (the 版记's even-page decision included), on the preview's warm
LibreOffice (``render.converter.WarmServer``), then shows the PDF's pages as images. Pages are
rasterised by PDFium (pypdfium2) when the browser asks for them — a page scrolled into view —
and kept until the next PDF, so a save costs one conversion plus the pages in sight.

One thread makes the PDFs, newest bulletin first (saves that arrive during a conversion
collapse into one more conversion); PDFium is not thread-safe, so every use of it holds one lock.
"""

from __future__ import annotations

import html
import io
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.errors import BriefingError
from briefing.model import Bulletin

if TYPE_CHECKING:
    from briefing.render.pdf import Converter

SCALE = 1.5  # pixels per PDF point: an A4 page is 893 × 1263 px, sharp at 800 px on a 1.1x screen
PRINT_PATH = "/print"
PRINT_VERSION_PATH = "/__print_version"
PAGE_PREFIX = "/__page/"

_PDFIUM = threading.Lock()  # PDFium: one call at a time in the whole process


@dataclass(frozen=True, slots=True)
class Pages:
    """One PDF of the issue, ready to show."""

    version: int  # 0: none yet
    sizes: tuple[tuple[float, float], ...] = ()  # (width, height) in points, per page
    status: str = ""  # what the view says above the pages (Chinese)
    stale: bool = False  # the pages are older than the current text (an error, or converting)
    seconds: float = 0.0  # how long the last PDF took, save to pages
    document: Any = field(default=None, compare=False, repr=False)  # pypdfium2.PdfDocument


class PagedView:
    """The PDF pages of the latest good bulletin of a preview."""

    def __init__(
        self,
        root: Path,
        converter: Converter | None,
        *,
        unavailable: str = "",
        on_pages: Callable[[Pages], None] = lambda pages: None,
    ) -> None:
        self.root = root
        self.converter = converter  # None: no LibreOffice here
        self.pages = Pages(0, status=unavailable or "正在生成印刷版…")
        self._unavailable = unavailable
        self._on_pages = on_pages
        self._wanted: tuple[Bulletin, float] | None = None
        self._changed = threading.Condition()
        self._stopping = False
        self._images: dict[tuple[int, int], bytes] = {}
        self._thread = threading.Thread(target=self._work, name="briefing-print", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ making PDFs

    def show(self, bulletin: Bulletin | None, saved_at: float | None = None) -> None:
        """Make the pages of *bulletin* (``None``: the text has errors; keep the last pages)."""
        if bulletin is None:
            if self.pages.version:
                self._publish(
                    self._with(
                        status="本期有错误（见右下角），下面是上次成功生成的页面", stale=True
                    )
                )
            return
        if self.converter is None:
            return
        with self._changed:
            self._wanted = (bulletin, saved_at if saved_at is not None else time.perf_counter())
            self._changed.notify()
        if self.pages.version:
            self._publish(self._with(status="正在更新印刷版…", stale=True))

    def close(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify()
        self._thread.join()
        with _PDFIUM:
            if self.pages.document is not None:
                self.pages.document.close()

    def _work(self) -> None:
        while True:
            with self._changed:
                while self._wanted is None and not self._stopping:
                    self._changed.wait()
                if self._stopping:
                    return
                wanted, self._wanted = self._wanted, None
            assert wanted is not None
            self._make(*wanted)

    def _make(self, bulletin: Bulletin, saved_at: float) -> None:
        from briefing.build import render_into

        folder = Path(tempfile.mkdtemp(prefix="briefing-print-"))
        try:
            (pdf,) = render_into(bulletin, ("pdf",), folder, self.root, converter=self.converter)
            data = pdf.read_bytes()
        except BriefingError as error:
            self._publish(self._with(status=f"无法生成印刷版：{error}", stale=True))
            return
        except Exception as error:  # a conversion nobody foresaw must not stop the preview
            self._publish(
                self._with(status=f"无法生成印刷版：{type(error).__name__}: {error}", stale=True)
            )
            return
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with self._changed:
            newer = self._wanted is not None
        self._open(data, saved_at, newer)

    def _open(self, data: bytes, saved_at: float, newer: bool) -> None:
        import pypdfium2

        with _PDFIUM:
            document = pypdfium2.PdfDocument(data)
            sizes = tuple(document.get_page_size(index) for index in range(len(document)))
            old = self.pages
            seconds = time.perf_counter() - saved_at
            status = f"共 {len(sizes)} 页" + ("；正在更新…" if newer else "")
            self.pages = Pages(old.version + 1, sizes, status, newer, seconds, document)
            self._images = {}
            if old.document is not None:
                old.document.close()
        self._on_pages(self.pages)

    def _with(self, **changes: object) -> Pages:
        from dataclasses import replace

        return replace(self.pages, **changes)  # type: ignore[arg-type]

    def _publish(self, pages: Pages) -> None:
        with _PDFIUM:
            self.pages = pages

    # ------------------------------------------------------------------ serving

    def version(self) -> str:
        """Changes whenever what ``/print`` shows changes."""
        pages = self.pages
        return f"{pages.version}:{pages.stale}:{pages.status}"

    def page_png(self, version: int, number: int) -> bytes | None:
        """Page *number* (1-based) of PDF *version* as PNG; ``None`` when it is not there
        (a newer PDF replaced it: the browser reloads)."""
        key = (version, number)
        with _PDFIUM:
            pages = self.pages
            if pages.version != version or not 1 <= number <= len(pages.sizes):
                return None
            if key not in self._images:
                self._images[key] = _render(pages.document, number - 1)
            return self._images[key]


def _render(document: Any, index: int) -> bytes:
    page = document[index]
    try:
        bitmap = page.render(scale=SCALE)
        image = bitmap.to_pil()
    finally:
        page.close()
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # fast: a page is rendered while you wait
    return out.getvalue()


# --------------------------------------------------------------------------- the page


def print_page(view: PagedView, panel: str, nonce: str, csp: str, version: str) -> str:
    """The ``/print`` document: every page as an image with its number, the findings panel;
    its script reloads it when ``/__print_version`` stops answering *version*."""
    pages = view.pages
    figures = []
    total = len(pages.sizes)
    for number, (width, height) in enumerate(pages.sizes, 1):
        w, h = round(width * SCALE), round(height * SCALE)
        figures.append(
            f'<figure class="sheet" id="page-{number}">'
            f'<img src="{PAGE_PREFIX}{pages.version}/{number}.png" width="{w}" height="{h}" '
            f'loading="{"eager" if number <= 2 else "lazy"}" alt="第 {number} 页">'
            f"<figcaption>第 {number} 页 / 共 {total} 页</figcaption></figure>"
        )
    stale = ' class="stale"' if pages.stale else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        "<title>预览：印刷版</title>\n"
        f"<style>{PRINT_STYLE}</style>\n</head>\n<body>\n"
        '<nav id="print-bar"><a href="/">HTML 版</a> <b>印刷版</b> '
        f'<span id="print-status"{stale}>{html.escape(pages.status)}</span></nav>\n'
        f'<main id="pages">\n{chr(10).join(figures)}\n</main>\n'
        + panel
        + _print_script(nonce, version)
        + "</body>\n</html>\n"
    )


PRINT_STYLE = (
    "html{background:#e8e8e8}body{margin:0;font:15px/1.5 sans-serif;color:#222}"
    "#print-bar{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid #ccc;"
    "padding:6px 12px;display:flex;gap:12px;flex-wrap:wrap;align-items:baseline}"
    "#print-bar a{color:#0050b3}#print-status.stale{color:#ad6800}"
    "main{padding:12px 8px 40vh}"
    ".sheet{margin:0 auto 16px;max-width:800px}"
    ".sheet img{display:block;width:100%;height:auto;background:#fff;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3)}"
    ".sheet figcaption{text-align:center;font-size:13px;color:#555;margin-top:4px}"
    "@media (max-width:480px){main{padding:8px 4px 40vh}.sheet{margin-bottom:10px}}"
)


def _print_script(nonce: str, version: str) -> str:
    # reload when the pages change, keeping the place the editor was reading
    return (
        f'<script nonce="{nonce}">(function () {{\n'
        f"  var version = {_js_string(version)};\n"
        "  var y = sessionStorage.getItem('briefing-print-y');\n"
        "  if (y !== null) { window.scrollTo(0, Number(y)); sessionStorage.removeItem('briefing-print-y'); }\n"
        "  function poll() {\n"
        f"    fetch('{PRINT_VERSION_PATH}', {{cache: 'no-store'}})\n"
        "      .then(function (r) { return r.text(); })\n"
        "      .then(function (t) {\n"
        "        if (t !== version) {\n"
        "          sessionStorage.setItem('briefing-print-y', String(window.scrollY));\n"
        "          location.reload();\n"
        "        } else { setTimeout(poll, 250); }\n"
        "      })\n"
        "      .catch(function () { setTimeout(poll, 1000); });\n"
        "  }\n"
        "  setTimeout(poll, 250);\n"
        "})();</script>\n"
    )


def _js_string(text: str) -> str:
    """*text* as a JavaScript string literal that cannot end the script element."""
    import json

    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")
