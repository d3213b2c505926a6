"""The HTML edition: one self-contained file per issue, for the intranet and for phones.

Decisions (the contract says "styles inline, pictures embedded or beside it"):

- **Everything in one file.** The stylesheet ``templates/html/bulletin.css`` is inlined into a
  ``<style>`` element and every picture is embedded as a ``data:`` URI (base64, the MIME type
  taken from the file signature, never from the extension). An editor can mail, upload or copy
  the one file and nothing goes missing; the cost is about a third more bytes per picture, which
  is acceptable for bulletins with a few photos. The page makes no network request at all: no web
  fonts (the font stacks name system faces, with free fallbacks), no CDN, no script. A
  Content-Security-Policy ``<meta>`` (``default-src 'none'``) enforces that in the browser too,
  as a second line of defence behind escaping.
- **Escaping.** jinja2 runs with ``autoescape=True`` and ``StrictUndefined``; every string from the
  model is text, never markup. Link targets are checked again here (the loader already drops
  unsafe ones): only ``http``, ``https``, ``mailto`` and relative targets become ``<a href>``,
  compared case-insensitively after removing whitespace and control characters the way browsers
  do (``java\\tscript:`` is ``javascript:`` to a browser). Anything else is rendered as plain text.
- **Templates.** The jinja2 loader searches ``<workspace>/templates/html`` first and the built-in
  ``templates/html`` second, so a workspace overrides file by file (the CSS is found the same way
  through :func:`briefing.templates.template_path`). The configured fonts and masthead colour
  (``briefing.yaml`` ``fonts:``/``layout:``) are passed to the CSS as custom properties so the
  HTML and DOCX editions use the same faces.
- **Determinism.** No dates, versions, random ids or dict-order dependence: the same bulletin
  gives the same bytes.

jinja2 is imported lazily (inside functions) because the CLI imports this module only when it
builds HTML.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.errors import Diagnostic, InputError, Severity
from briefing.model import (
    Block,
    Bulletin,
    CodeBlock,
    EditorNote,
    Fonts,
    Heading,
    Image,
    Kept,
    Layout,
    ListBlock,
    PageBreak,
    Paragraph,
    PictureRow,
    Quote,
    Span,
    Table,
)
from briefing.templates import current_recorded, search_dirs, template_path, usable_override

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_html", "safe_href"]

TEMPLATE = "bulletin.html.j2"
BLOCKS = "_blocks.html.j2"  # the macros TEMPLATE imports
STYLESHEET = "html/bulletin.css"
DRAFT_STYLESHEET = "html/draft.css"

# --------------------------------------------------------------------------- links

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def safe_href(href: str | None) -> str | None:
    """*href* cleaned, if it is http(s), mailto or relative; otherwise ``None``.

    Browsers strip leading/trailing C0 controls and spaces and drop tabs and newlines anywhere
    in a URL before looking at the scheme, so ``" java\\tscript:x"`` is a ``javascript:`` URL.
    We remove every whitespace and non-printable character first and then decide, so the text we
    check is the text we emit.
    """
    if href is None:
        return None
    cleaned = "".join(ch for ch in href if ch.isprintable() and not ch.isspace())
    if not cleaned:
        return None
    match = _SCHEME.match(cleaned)
    if match:
        return cleaned if match.group(1).lower() in _SAFE_SCHEMES else None
    # No valid scheme: relative, unless a colon still comes before the first "/", "?" or "#"
    # ("1x:y", "ü:y"): browsers disagree on such forms, so refuse them, and backslashes,
    # which browsers read as slashes.
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    if ":" in head or "\\" in cleaned:
        return None
    return cleaned


# --------------------------------------------------------------------------- pictures


def _data_uri(image: Image) -> str:
    """The picture the bulletin carries, as a ``data:`` URI (its kind from the signature)."""
    from markupsafe import Markup

    assert image.picture is not None
    data = image.picture.data
    # Markup: base64 needs no escaping, and _printable need not scan the ≈150 KB again.
    return Markup(
        f"data:image/{image.picture.kind};base64,{base64.b64encode(data).decode('ascii')}"
    )


TYPE_WIDTH_MM = 156.0  # the printed type area: picture widths are shares of it on screen too


class _Measures:
    """Picture widths and list hangs as classes, with the rules that size them: the page
    allows no style attributes (only the one inline stylesheet), so each size the bulletin
    uses becomes a rule of its own, named after its value."""

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}

    def width(self, share: float) -> str:
        """The class of a figure printed at *share* per cent of the type area's width."""
        value = f"{min(share, 100.0):.1f}"
        name = "w-" + value.replace(".", "-")
        self.rules[name] = f"figure.{name} {{ width: {value}%; }}"
        return name

    def hang(self, em: float) -> str:
        """The class of a list item whose text starts *em* after its marker."""
        name = "hang-" + f"{em:g}".replace(".", "-")
        self.rules[name] = f"article li.{name} {{ padding-left: {em:g}em; }}"
        return name

    def css(self) -> str:
        return "".join(f"{self.rules[name]}\n" for name in sorted(self.rules))


def _figure(image: Image, measures: _Measures) -> FigureView:
    assert image.picture is not None
    share = image.picture.width_mm / TYPE_WIDTH_MM * 100
    return FigureView(_data_uri(image), image.caption, measures.width(share))


# --------------------------------------------------------------------------- view model
# The templates receive plain, already-safe values: hrefs checked, pictures encoded, lists
# nested, heading tags chosen. Templates decide only markup and order.


@dataclass(frozen=True, slots=True)
class InlineView:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    br: bool = False


@dataclass(slots=True)
class ListNode:
    inline: tuple[InlineView, ...]
    marker: str = ""  # as the bulletin decided: 1.  （1）  ①  ●
    hang: str = ""  # class: where the text starts after the marker (the DOCX's hanging indent)
    ordered: bool = False  # whether its children form a numbered list
    more: list[tuple[InlineView, ...]] = field(default_factory=list)  # further paragraphs
    children: list[ListNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FigureView:
    src: str
    caption: str
    width: str  # class: a share of the text column, the printed share of the type area


@dataclass(frozen=True, slots=True)
class BlockView:
    kind: str  # heading | paragraph | list | table | figure | quote | code | keep | pagebreak
    inline: tuple[InlineView, ...] = ()
    tag: str = ""  # heading: h3..h6
    level: int = 0  # heading: the article's relative level (styles follow it, as in DOCX)
    ordered: bool = False
    items: tuple[ListNode, ...] = ()
    header: tuple[tuple[tuple[InlineView, ...], str], ...] = ()  # (cell, align class)
    rows: tuple[tuple[tuple[tuple[InlineView, ...], str], ...], ...] = ()
    figures: tuple[FigureView, ...] = ()  # one picture, or a row side by side
    blocks: tuple[BlockView, ...] = ()
    text: str = ""


def _inline(spans: Iterable[Span]) -> tuple[InlineView, ...]:
    out = []
    for span in spans:
        if span.is_break:
            out.append(InlineView("", br=True))
        elif span.text:
            out.append(
                InlineView(span.text, span.bold, span.italic, span.code, safe_href(span.href))
            )
    return tuple(out)


def _list_tree(block: ListBlock, measures: _Measures) -> tuple[ListNode, ...]:
    """Nest the flat items by depth (a jump of more than one level is one level); a further
    paragraph of an item joins it."""
    roots: list[ListNode] = []
    stack: list[ListNode] = []  # stack[d] = the last item seen at depth d
    for item in block.items:
        depth = min(max(item.depth, 0), len(stack))
        if not item.marker and depth < len(stack):
            stack[depth].more.append(_inline(item.spans))
            continue
        node = ListNode(_inline(item.spans), item.marker, measures.hang(item.hang))
        del stack[depth:]
        if stack:
            stack[-1].ordered = item.ordered
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return tuple(roots)


_ALIGN = {"left": "al-left", "center": "al-center", "right": "al-right"}


def _cell(cell: Any) -> tuple[tuple[InlineView, ...], str]:
    return _inline(cell.spans), _ALIGN.get(cell.align or "", "")


class _Blocks:
    """Maps model blocks to views; keeps the heading rank so tags never skip a level."""

    def __init__(self, measures: _Measures) -> None:
        self.rank = 0  # 0 = the article title (h2)
        self.measures = measures

    def convert(self, blocks: Sequence[Block], *, in_quote: bool = False) -> tuple[BlockView, ...]:
        views = (self.one(block, in_quote) for block in blocks)
        return tuple(view for view in views if view is not None)

    def one(self, block: Block, in_quote: bool) -> BlockView | None:
        if isinstance(block, Heading):
            if in_quote:  # headings inside a quotation stay out of the document outline
                return BlockView("paragraph", _inline(block.spans), level=-1)
            self.rank = max(1, min(block.level, self.rank + 1))
            return BlockView(
                "heading",
                _inline(block.spans),
                tag=f"h{min(2 + self.rank, 6)}",
                level=min(max(block.level, 1), 4),
            )
        if isinstance(block, Paragraph):
            return BlockView("paragraph", _inline(block.spans))
        if isinstance(block, ListBlock):
            return BlockView("list", ordered=block.ordered, items=_list_tree(block, self.measures))
        if isinstance(block, Table):
            return BlockView(
                "table",
                header=tuple(_cell(c) for c in block.header),
                rows=tuple(tuple(_cell(c) for c in row) for row in block.rows),
            )
        if isinstance(block, Image):  # a picture that cannot be printed is in neither edition
            if block.picture is None:
                return None
            return BlockView("figure", figures=(_figure(block, self.measures),))
        if isinstance(block, PictureRow):
            figures = tuple(_figure(i, self.measures) for i in block.images if i.picture)
            return BlockView("figure", figures=figures) if figures else None
        if isinstance(block, PageBreak):
            return BlockView("pagebreak")
        if isinstance(block, Kept):
            return BlockView("keep", blocks=self.convert(block.blocks, in_quote=in_quote))
        if isinstance(block, Quote):
            return BlockView("quote", blocks=self.convert(block.blocks, in_quote=True))
        if isinstance(block, CodeBlock):
            return BlockView("code", text=block.text)
        raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class ArticleView:
    anchor: str
    title: str
    subtitle: str | None
    author: str | None
    note: EditorNote | None
    blocks: tuple[BlockView, ...]
    source: str | None
    column_label: str | None  # 【栏目】 before the first article of each column


def _articles(bulletin: Bulletin, measures: _Measures) -> tuple[ArticleView, ...]:
    return tuple(
        ArticleView(
            anchor=item.anchor,
            title=item.title,
            subtitle=item.subtitle,
            author=item.author,
            note=item.note,
            blocks=_Blocks(measures).convert(item.blocks),
            source=item.source,
            column_label=item.column_label,
        )
        for item in bulletin.articles
    )


# --------------------------------------------------------------------------- fonts → CSS

_FANG = ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "serif")
_HEI = ("黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "sans-serif")
_KAI = ("楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", "serif")
_XBS = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "serif")

# CSS custom property → (Fonts attribute, fallback stack)
_FONT_ROLES = (
    ("--font-masthead", "masthead", _XBS),
    ("--font-title", "title", _XBS),
    ("--font-body", "body", _FANG),
    ("--font-h1", "heading1", _HEI),
    ("--font-h2", "heading2", _KAI),
    ("--font-h3", "heading3", _FANG),
    ("--font-h4", "heading4", _FANG),
    ("--font-classification", "classification", _HEI),
    ("--font-imprint", "imprint", _FANG),
)
_GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"})


def _css_family(name: str) -> str:
    if name in _GENERIC:
        return name
    # Family names come from briefing.yaml: keep them inside a CSS string and the <style> element.
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '"\\<>;{}')
    return f'"{cleaned}"'


def font_stack(configured: str, fallbacks: Sequence[str]) -> str:
    names = [configured.strip(), *fallbacks] if configured.strip() else list(fallbacks)
    unique = list(dict.fromkeys(names))
    return ", ".join(_css_family(n) for n in unique)


def name_width_em(name: str) -> float:
    """Width of the masthead *name* in em, letter-spacing included (half-width counts half)."""
    import unicodedata

    width = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in name.strip())
    return round(max(width, 1.0) * 1.12 + 0.2, 2)


def name_css(name: str) -> str:
    """CSS that lets the masthead name fill its line on a phone without overflowing."""
    return f":root {{ --name-em: {name_width_em(name):g}; }}\n"


def _settings_css(fonts: Fonts, layout: Layout) -> str:
    lines = [":root {"]
    for prop, attr, stack in _FONT_ROLES:
        lines.append(f"  {prop}: {font_stack(getattr(fonts, attr), stack)};")
    colour = layout.masthead_color.strip().lstrip("#")
    if re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        lines.append(f"  --masthead-color: #{colour.upper()};")
    size = layout.masthead_size
    if 12 <= size <= 96:
        lines.append(f"  --masthead-size: {size:g}pt;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _style_text(css: str) -> str:
    # A stylesheet can never close its own <style> element.
    return css.replace("</", "<\\/")


# --------------------------------------------------------------------------- environment


def template_dirs(workspace_root: Path | None) -> list[Path]:
    return search_dirs("html", workspace_root)


# Characters HTML5 forbids in a document (C0/C1 controls other than whitespace, noncharacters,
# lone surrogates): dropped from every printed value so the output always parses cleanly.
_FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0010fffe\U0010ffff]"
)


def _printable(value: Any) -> Any:
    """jinja2 ``finalize``: clean every printed text value.

    Markup passes as it is. Ours is made of clean parts only: macro output (built from values
    already cleaned here), the stylesheet (cleaned by :func:`stylesheet`) and picture data URIs
    (base64). Cleaning it again re-scanned every picture once per macro nesting level (50
    issues rendered in one process: 0.85 s with that, 0.33 s without).
    """
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return _FORBIDDEN_CHARS.sub("", value)
    return value


def environment(workspace_root: Path | None) -> jinja2.Environment:
    """The jinja2 environment for *workspace_root*, shared within the process.

    Reusing it means each template is compiled once (an archive renders many issues). jinja2
    reloads a template whose file changed; the key also lists the workspace's override files,
    since one added or removed changes which file a name resolves to, which that check misses,
    and the overrides a published issue may use (``templates.recorded_templates``).
    """
    dirs = template_dirs(workspace_root)
    overrides = dirs[0] if workspace_root is not None else None
    present = (
        tuple(sorted(str(p) for p in overrides.rglob("*")))
        if overrides and overrides.is_dir()
        else ()
    )
    root = str(workspace_root) if workspace_root is not None else None
    return _environment(tuple(str(d) for d in dirs), present, root, current_recorded())


@functools.lru_cache(maxsize=8)
def _environment(
    search_path: tuple[str, ...],
    _overrides: tuple[str, ...],
    root: str | None,
    recorded: frozenset[str] | None,
) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        finalize=_printable,
        loader=_loader(search_path, root, recorded),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _loader(
    search_path: tuple[str, ...], root: str | None, recorded: frozenset[str] | None
) -> jinja2.BaseLoader:
    """The built-in templates, after the workspace's usable overrides when there is one."""
    import jinja2
    from jinja2.loaders import split_template_path

    if root is None:
        return jinja2.FileSystemLoader(list(search_path))
    workspace = Path(root)

    class Overrides(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Any]:
            path = Path(search_path[0], *split_template_path(template))
            if not usable_override(path, workspace, recorded):
                raise jinja2.TemplateNotFound(template)
            return super().get_source(environment, template)

    return jinja2.ChoiceLoader(
        [Overrides(search_path[0]), jinja2.FileSystemLoader(list(search_path[1:]))]
    )


def stylesheet(name: str, workspace_root: Path | None, extra: str = "") -> Any:
    """The CSS file *name* (workspace override or built-in) plus *extra*, as safe markup."""
    from markupsafe import Markup

    css = template_path(name, workspace_root).read_text(encoding="utf-8")
    return Markup(_FORBIDDEN_CHARS.sub("", _style_text(css.rstrip("\n") + "\n" + extra)))


def write_atomically(out: Path, text: str) -> None:
    """Write *text* as UTF-8; never leave a half-written file, keep ordinary permissions.

    The folder is the caller's: ``build`` renders into a staging folder it has just made,
    ``site`` checks its output folder first (``textio.safe_folder``); the file itself is
    never written through a symlink."""
    from briefing.textio import write_atomic

    write_atomic(out, text, root=out.parent)


# --------------------------------------------------------------------------- entry point


def render_template(template: str, workspace_root: Path | None, /, **context: Any) -> str:
    """*template* (a workspace override or the built-in one) rendered with *context*; a
    broken override is an ``InputError`` naming its file and line."""
    with _template_errors():
        return environment(workspace_root).get_template(template).render(**context)


@contextlib.contextmanager
def _template_errors() -> Iterator[None]:
    """jinja2's errors in a workspace's template override, as located Chinese messages (the
    built-in templates are tested; an editor's copy may not be)."""
    import jinja2

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename) if exc.filename else None
        raise InputError(
            [
                Diagnostic(
                    "template",
                    Severity.ERROR,
                    f"模板语法错误：{exc.message}",
                    where,
                    exc.lineno if where else None,
                )
            ],
            hint="改正工作区 templates/html/ 中的这个模板，或删除它以使用内置模板",
        ) from None
    except jinja2.TemplateError as exc:
        raise InputError(
            f"模板出错：{exc}",
            hint="检查工作区 templates/html/ 中的模板，或删除它们以使用内置模板",
        ) from None


def render_html(bulletin: Bulletin, out: Path, *, workspace_root: Path | None = None) -> None:
    """Write the issue as one self-contained HTML file at *out*."""
    write_atomically(out, html_document(bulletin, workspace_root=workspace_root))


def html_document(bulletin: Bulletin, *, workspace_root: Path | None = None) -> str:
    """The issue as one self-contained HTML document (what ``render_html`` writes)."""
    measures = _Measures()
    articles = _articles(bulletin, measures)
    return render_template(
        TEMPLATE,
        workspace_root,
        bulletin=bulletin,
        title=f"{bulletin.name}{bulletin.issue_label}",
        articles=articles,
        css=stylesheet(
            STYLESHEET,
            workspace_root,
            _settings_css(bulletin.fonts, bulletin.layout)
            + name_css(bulletin.name)
            + measures.css()
            + (_draft_css(workspace_root) if bulletin.draft else ""),
        ),
    )


def _draft_css(workspace_root: Path | None) -> str:
    """What only a 样稿 needs (room for its stamp on a phone), so that the HTML of an issue
    that is not a draft, a signed one above all, stays exactly what it was."""
    return template_path(DRAFT_STYLESHEET, workspace_root).read_text(encoding="utf-8")
