"""The frozen data model every stage hands to the next.

``load`` produces ``Settings``, ``Issue`` and ``Article`` (whose body is parsed once into
blocks); ``assemble`` turns them into a ``Bulletin``; both renderers (DOCX and HTML) consume
the same ``Bulletin`` and nothing else, so the two editions cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

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


def plain_text(spans: Inline) -> str:
    return "".join(" " if s.is_break else s.text for s in spans)


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
    spans: Inline
    depth: int = 0  # 0 for top-level items, 1 for items of a nested list, ...


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
class Image:
    """A picture on a line of its own; ``caption`` is the Markdown alt text."""

    src: str  # as written in the article
    path: Path  # resolved absolute path (may not exist: ``check`` reports it)
    caption: str
    line: int


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    line: int


Block = Heading | Paragraph | ListBlock | Table | Image | Quote | CodeBlock


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


@dataclass(frozen=True, slots=True)
class Instruction:
    """A leader's instruction (领导批示) received on an article; counted by ``briefing stats``."""

    by: str
    date: dt.date
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    path: Path
    title: str
    source: str | None
    blocks: tuple[Block, ...]
    body: SourceText  # raw Markdown body, for proofreading
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


@dataclass(frozen=True, slots=True)
class Numbering:
    format: str = "第{number_cn}期（总第{total}期）"
    special_format: str = "{label}第{number_cn}期"
    yearly_reset: bool = True
    previous: PreviousIssue | None = None


@dataclass(frozen=True, slots=True)
class Fonts:
    """Font family names per role, as Word/WPS know them (configurable per office)."""

    masthead: str = "方正小标宋简体"
    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    heading3: str = "仿宋_GB2312"
    heading4: str = "仿宋_GB2312"
    classification: str = "黑体"
    imprint: str = "仿宋_GB2312"  # 版记
    page_number: str = "宋体"
    latin: str = "Times New Roman"


@dataclass(frozen=True, slots=True)
class Layout:
    masthead_size: float = 42.0  # pt; 初号 by default
    masthead_color: str = "FF0000"
    imprint_on_even_page: bool = False  # 版记 on an even page (double-sided printing)
    pad_two_char_names: bool = True  # 王军 → 王　军 in the credits line


@dataclass(frozen=True, slots=True)
class CheckSettings:
    severity: dict[str, str] = field(default_factory=dict, hash=False)
    max_title_length: int = 40
    max_article_length: int = 3000
    banned_words: tuple[str, ...] = ()
    require_source: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    """``briefing.yaml``."""

    root: Path
    name: str
    issuer: str
    readership: str | None = None
    classification: str | None = None
    numbering: Numbering = Numbering()
    distribution: tuple[tuple[str, str], ...] = ()
    credits: tuple[tuple[str, str], ...] = ()
    copies: int | None = None
    fonts: Fonts = Fonts()
    layout: Layout = Layout()
    checks: CheckSettings = CheckSettings()
    units: dict[str, str] = field(default_factory=dict, hash=False)  # variant → canonical 单位

    @property
    def issues_dir(self) -> Path:
        return self.root / "issues"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"


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
    order: tuple[str, ...] = ()
    published: bool = False
    distribution: tuple[tuple[str, str], ...] | None = None
    credits: tuple[tuple[str, str], ...] | None = None
    copies: int | None = None


# --------------------------------------------------------------------------- the bulletin


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    subtitle: str | None
    anchor: str  # id of the article in the HTML edition, bookmark name in the DOCX


@dataclass(frozen=True, slots=True)
class TocGroup:
    column: str | None  # None when the issue uses no columns
    entries: tuple[TocEntry, ...]


@dataclass(frozen=True, slots=True)
class BulletinArticle:
    anchor: str
    article: Article
    column: str | None


@dataclass(frozen=True, slots=True)
class ImprintLine:
    """One line of the 版记 (报：/送：/发：)."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Bulletin:
    """Everything a renderer needs, already formatted for print."""

    name: str
    issue_id: str
    issue_label: str  # 第二十八期（总第646期）
    issuer: str
    date_text: str  # 2018年12月20日
    toc: tuple[TocGroup, ...]
    articles: tuple[BulletinArticle, ...]
    distribution: tuple[ImprintLine, ...]
    credits: tuple[ImprintLine, ...]  # 编辑 … 签发 (names already padded)
    fonts: Fonts
    layout: Layout
    readership: str | None = None
    classification: str | None = None
    theme: str | None = None
    copies_text: str | None = None  # 共印120份
    draft: bool = False
    base_dir: Path | None = None  # the issue folder (pictures are resolved already)

    @property
    def uses_columns(self) -> bool:
        return any(group.column for group in self.toc)
