"""The frozen data model every stage hands to the next.

``load`` produces ``Settings``, ``Issue`` and ``Article`` (whose body is parsed once into
blocks); ``assemble`` turns them into a ``Bulletin``; both renderers (DOCX and HTML) consume
the same ``Bulletin`` and nothing else, so the two editions cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.config import ISSUE_SCHEMA, default

# --------------------------------------------------------------------------- inline text


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with uniform formatting. ``text == "\\n"`` is a hard line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None  # only http(s), mailto or relative targets survive loading

    @property
    def is_break(self) -> bool:
        return self.text == "\n"


Inline = tuple[Span, ...]


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    """``level`` is relative: 1 = the shallowest heading level used in the article (一级标题)."""

    level: int
    spans: Inline
    line: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: Inline
    line: int


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a (possibly nested) list. The parser fills ``depth``, ``ordered`` and
    ``number``; ``assemble`` decides ``marker`` and ``hang``, which both editions print."""

    spans: Inline
    depth: int = 0  # 0 for top-level items, 1 for items of a nested list, ...
    ordered: bool = False  # whether the item's own list is numbered
    number: int = 1  # its place in its own list, counted from that list's start
    marker: str = ""  # as printed: 1.  （1）  ①  ●
    hang: float = 0.0  # em before the item's text on its first line: wrapped lines start there


@dataclass(frozen=True, slots=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool
    line: int
    start: int = 1


@dataclass(frozen=True, slots=True)
class TableCell:
    spans: Inline
    align: str | None = None  # "left" | "center" | "right" | None


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    line: int


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture as both editions print it, decided by ``assemble``: the file's bytes and the
    printed size in millimetres (at most the type area: 156 mm wide, 150 mm high)."""

    data: bytes = field(repr=False)
    kind: str  # png | jpeg | gif | bmp
    width_mm: float
    height_mm: float
    # the print edition may shrink it to the room left on a page; never one of a set of
    # identical pictures (they print at one size) nor a picture in a row
    shrinkable: bool = True


@dataclass(frozen=True, slots=True)
class Image:
    """A picture; ``caption`` is the Markdown alt text."""

    src: str  # as written in the article
    path: Path  # resolved absolute path (may not exist: ``check`` reports it)
    caption: str
    line: int
    width: float | None = None  # the editor's {width="50%"}: a share of the type area's width
    picture: Picture | None = None  # decided by ``assemble``; None in a loaded article


@dataclass(frozen=True, slots=True)
class PictureRow:
    """Pictures written on one line (one Markdown paragraph): printed side by side, each
    with its caption under it. A single picture on its line is an ``Image`` block."""

    images: tuple[Image, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class PageBreak:
    """The editor's page break (``{.pagebreak}`` on a block or on ``***``): the next block
    starts a new page in print; the screen edition ignores it."""

    line: int


@dataclass(frozen=True, slots=True)
class Kept:
    """Blocks the editor marked to stay on one page (``{.keep}`` before a block, or a
    ``::: keep`` container around several)."""

    blocks: tuple[Block, ...]
    line: int


Block = (
    Heading
    | Paragraph
    | ListBlock
    | Table
    | Image
    | PictureRow
    | Quote
    | CodeBlock
    | PageBreak
    | Kept
)


def images(blocks: Sequence[Block]) -> Iterator[Image]:
    """Every picture in *blocks*, rows, quotes and kept blocks included, in reading order."""
    for block in blocks:
        if isinstance(block, Image):
            yield block
        elif isinstance(block, PictureRow):
            yield from block.images
        elif isinstance(block, Quote | Kept):
            yield from images(block.blocks)


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True, slots=True)
class SourceText:
    """Text taken from a file, with what is needed to point back into it.

    ``line`` is the 1-based file line of the text's first line and ``indent`` the number of
    columns every line after the first is shifted by (YAML block scalars are indented).
    """

    text: str
    path: Path
    line: int
    column: int = 1
    indent: int = 0

    def locate(self, offset: int) -> tuple[int, int]:
        """File ``(line, column)``, both 1-based, of character *offset* in ``text``."""
        before = self.text[:offset]
        newlines = before.count("\n")
        if newlines == 0:
            return self.line, self.column + offset
        return self.line + newlines, offset - before.rfind("\n") + self.indent

    def locator(self) -> Callable[[int], tuple[int, int]]:
        """``locate`` for many offsets: the line starts are found once, then bisected.

        ``locate`` alone rescans the text before each offset, which is quadratic when a long
        text has many findings.
        """
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))

        def locate(offset: int) -> tuple[int, int]:
            index = bisect_right(starts, offset) - 1
            if index == 0:
                return self.line, self.column + offset
            return self.line + index, offset - starts[index] + 1 + self.indent

        return locate


@dataclass(frozen=True, slots=True)
class Instruction:
    """A leader's instruction (领导批示) received on an article; counted by ``briefing stats``.

    Recorded in the workspace's register (``briefing.instructions``) or, in articles written
    before it, in the front matter."""

    by: str
    date: dt.date
    text: str | None = None
    position: str | None = None  # the leader's post: 区委书记


@dataclass(frozen=True, slots=True)
class BodySyntax:
    """Where a Markdown body's printed text is, as markdown-it read it: offsets into the body.

    ``scopes``: each block of prose as ``(kind, start, end)``; kind is ``heading``,
    ``paragraph``, ``item`` (a paragraph of a list item), ``quote`` (a paragraph in a block
    quote) or ``row`` (a table row, the whole line). ``text``: ranges printed as written.
    ``hidden``: syntax between printed text that prints nothing (emphasis marks, link brackets,
    escaping backslashes). ``opaque``: what is printed or kept but is not prose (code, link
    targets, autolinks, entities, code blocks, thematic breaks, table pipes). Anything else
    (block markers, indentation, reference definitions) prints nothing either.
    """

    scopes: tuple[tuple[str, int, int], ...] = ()
    text: tuple[tuple[int, int], ...] = ()
    hidden: tuple[tuple[int, int], ...] = ()
    opaque: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    path: Path
    title: str
    source: str | None
    blocks: tuple[Block, ...]
    body: SourceText  # raw Markdown body, for proofreading
    syntax: BodySyntax | None = field(default=None, compare=False, hash=False)
    fields: dict[str, SourceText] = field(default_factory=dict, compare=False, hash=False)
    subtitle: str | None = None
    column: str | None = None
    order: int | None = None
    note: str | None = None
    author: str | None = None
    instructions: tuple[Instruction, ...] = ()


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True, slots=True)
class PreviousIssue:
    year: int
    number: int
    total: int


# Defaults come from the one settings schema (``briefing.config``), never written here.


@dataclass(frozen=True, slots=True)
class Numbering:
    format: str = default("numbering.format")
    special_format: str = default("numbering.special_format")
    yearly_reset: bool = default("numbering.yearly_reset")
    previous: PreviousIssue | None = None


@dataclass(frozen=True, slots=True)
class Fonts:
    """Font family names per role, as Word/WPS know them (configurable per office)."""

    masthead: str = default("fonts.masthead")
    title: str = default("fonts.title")
    body: str = default("fonts.body")
    heading1: str = default("fonts.heading1")
    heading2: str = default("fonts.heading2")
    heading3: str = default("fonts.heading3")
    heading4: str = default("fonts.heading4")
    classification: str = default("fonts.classification")
    imprint: str = default("fonts.imprint")  # 版记
    page_number: str = default("fonts.page_number")
    latin: str = default("fonts.latin")


@dataclass(frozen=True, slots=True)
class Layout:
    masthead_size: float = default("layout.masthead_size")  # pt
    masthead_color: str = default("layout.masthead_color")  # RRGGBB
    imprint_on_even_page: bool = default("layout.imprint_on_even_page")
    pad_two_char_names: bool = default("layout.pad_two_char_names")  # 王军 → 王　军
    # 本期目录的样式 (issue #10)
    toc_heading: str = default("layout.toc_heading")  # "" = no heading
    toc_marker: str = default("layout.toc_marker")  # ◆ …, numbers, none
    toc_subtitle: str = default("layout.toc_subtitle")  # line, inline


@dataclass(frozen=True, slots=True)
class CheckSettings:
    severity: dict[str, str] = field(default_factory=dict, hash=False)
    max_title_length: int = default("checks.max_title_length")
    max_article_length: int = default("checks.max_article_length")
    banned_words: tuple[str, ...] = default("checks.banned_words")
    require_source: bool = default("checks.require_source")
    words: tuple[tuple[str, str], ...] = default("checks.words")  # wrong → right (C309)
    words_off: tuple[str, ...] = default("checks.words_off")
    people: tuple[Person, ...] = default("checks.people")  # the register of C311/C312


@dataclass(frozen=True, slots=True)
class Person:
    """One entry of ``checks.people``: a name and the titles it may be printed with."""

    name: str
    titles: tuple[str, ...] = ()


# (line, column) of each setting's value by dotted path, e.g. "numbering.format"
Positions = dict[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Settings:
    """``briefing.yaml``."""

    root: Path
    name: str
    issuer: str
    readership: str | None = None
    classification: str | None = None
    numbering: Numbering = Numbering()
    distribution: tuple[tuple[str, str], ...] = default("distribution")
    credits: tuple[tuple[str, str], ...] = default("credits")
    copies: int | None = None
    fonts: Fonts = Fonts()
    layout: Layout = Layout()
    checks: CheckSettings = CheckSettings()
    units: dict[str, str] = field(default_factory=dict, hash=False)  # variant → canonical 单位
    positions: Positions = field(default_factory=dict, compare=False, hash=False)

    @property
    def issues_dir(self) -> Path:
        return self.root / "issues"


@dataclass(frozen=True, slots=True)
class Issue:
    """``issues/<id>/issue.yaml``. ``number`` counts within the year (or within the special
    series when ``special`` is set); ``total`` is the running 总期 and is None for specials."""

    id: str
    dir: Path
    year: int
    number: int
    date: dt.date
    total: int | None = None
    special: str | None = None
    theme: str | None = None
    order: tuple[str, ...] = default("order", ISSUE_SCHEMA)
    published: bool = default("published", ISSUE_SCHEMA)
    distribution: tuple[tuple[str, str], ...] | None = None
    credits: tuple[tuple[str, str], ...] | None = None
    copies: int | None = None
    positions: Positions = field(default_factory=dict, compare=False, hash=False)


# --------------------------------------------------------------------------- the bulletin


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    subtitle: str | None  # as printed: ——重点项目纪实
    anchor: str  # id of the article in the HTML edition, bookmark name in the DOCX
    marker: str = ""  # as printed before the title: ◆, 1. (``layout.toc_marker``), or none


@dataclass(frozen=True, slots=True)
class TocGroup:
    column: str | None  # None when the issue uses no columns
    entries: tuple[TocEntry, ...]
    label: str | None = None  # as printed: 【工作动态】; None when the issue uses no columns


@dataclass(frozen=True, slots=True)
class EditorNote:
    """编者按 as printed: its label (the author's own, or 编者按：) and its paragraphs."""

    label: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BulletinArticle:
    """One article with every string a renderer prints already decided here, so both
    editions print the same text (renderers only lay it out)."""

    anchor: str
    article: Article
    column: str | None
    title: str
    subtitle: str | None  # ——重点项目纪实
    author: str | None
    note: EditorNote | None
    source: str | None  # （建设管理局）
    column_label: str | None = None  # 【工作动态】 before the first article of each column group
    # the body as printed: list markers, picture sizes and data decided (``assemble``);
    # empty only for an article made without ``assemble``
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class ImprintLine:
    """One line of the 版记 (报：/送：/发：); ``label`` without its colon."""

    label: str
    text: str

    @property
    def heading(self) -> str:
        """The label as printed: ``报：``."""
        return f"{self.label}："


#: The printed edition's typesetting rules (fitting, tightening, keep rules). A published
#: issue records the revision it was printed with and is rebuilt with it, so that its DOCX
#: still verifies byte for byte after the rules improve; 1 is every issue published before
#: the revision was recorded.
LAYOUT_REVISION = 2


@dataclass(frozen=True, slots=True)
class Bulletin:
    """Everything a renderer needs, already formatted for print."""

    name: str
    issue_id: str
    issue_label: str  # 第二十八期（总第646期）
    issuer: str
    date: dt.date
    date_text: str  # 2018年12月20日
    toc: tuple[TocGroup, ...]
    articles: tuple[BulletinArticle, ...]
    distribution: tuple[ImprintLine, ...]
    credits: tuple[ImprintLine, ...]  # 编辑 … 签发 (names already padded)
    fonts: Fonts
    layout: Layout
    readership: str | None = None  # as printed: （领导参阅）
    classification: str | None = None
    theme: str | None = None
    copies_text: str | None = None  # 共印120份
    draft: bool = False
    base_dir: Path | None = None  # the issue folder (pictures are resolved already)
    toc_heading: str | None = "本期目录"  # as printed above the contents; None: no heading
    toc_subtitle_inline: bool = False  # 标题——副题 on one line (``layout.toc_subtitle: inline``)
    layout_revision: int = LAYOUT_REVISION  # a published issue's own, from its manifest

    @property
    def uses_columns(self) -> bool:
        return any(group.column for group in self.toc)
