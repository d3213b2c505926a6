"""Stage 4 — assemble: settings + issue + articles → the ``Bulletin`` both renderers print.

Decides everything both editions print, so the DOCX and HTML cannot disagree: article order,
column grouping and the table of contents (its heading, the marker before each entry, where
subtitles go), the printed 期号 and date, the 版记 lines with per-issue overrides, the padding
of two-character names in the credits line (王军 → 王　军), every printed string of an article
(——副题, （供稿单位）, the 编者按 label, 【栏目】), the markers of nested lists (1. → （1） → ①,
as 公文 number their levels) and every picture: its bytes, its printed size and whether it can
be printed at all (one loader, ``briefing.pictures``; failures are registry findings).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypedDict

from briefing.chars import is_han
from briefing.errors import InputError, Severity
from briefing.model import (
    Article,
    Block,
    Bulletin,
    BulletinArticle,
    EditorNote,
    Image,
    ImprintLine,
    Issue,
    Kept,
    Layout,
    ListBlock,
    ListItem,
    Picture,
    PictureRow,
    Quote,
    Settings,
    TocEntry,
    TocGroup,
)
from briefing.numbering import date_text, issue_label
from briefing.pictures import LoadedPicture, PictureFailure, load_picture
from briefing.rules import Reporter

# em dash, full-width hyphen, hyphen, en dash, horizontal bar, figure dash, spaces
_DASHES = "\u2014\uff0d-\u2013\u2015\u2012 \t\u3000"
_NOTE_LABEL = re.compile(r"^\s*(编者按|按语|编者的话|编者)\s*[：:]\s*")
_HALF_TO_FULL_PARENS = str.maketrans("()", "（）")


def order_articles(issue: Issue, articles: Sequence[Article]) -> list[Article]:
    """Front-matter ``order`` first, then the position in ``issue.yaml``'s ``order``, then the
    file name; when columns are used, articles are then grouped by column (first appearance)."""
    listed = {name: index for index, name in enumerate(issue.order)}

    def key(article: Article) -> tuple[int, int, str]:
        if article.order is not None:
            return (0, article.order, article.path.name)
        if article.path.name in listed:
            return (1, listed[article.path.name], article.path.name)
        return (2, 0, article.path.name)

    ordered = sorted(articles, key=key)
    columns: list[str | None] = []
    for article in ordered:
        if article.column not in columns:
            columns.append(article.column)
    if columns == [None]:
        return ordered
    return sorted(ordered, key=lambda a: columns.index(a.column))


def pad_name(name: str) -> str:
    """Widen each two-character name to three characters with an ideographic space."""
    # runs of hanzi, not a regex: a class of 21,000 code points costs ~2 ms to compile, in
    # every process that builds
    return "".join(
        "\u3000".join(run) if hanzi and len(run) == 2 else "".join(run)
        for hanzi, run in ((h, list(r)) for h, r in itertools.groupby(name, is_han))
    )


def printed_subtitle(text: str | None) -> str | None:
    """``——副题``: one em-dash pair whatever dash (if any) the author typed before it."""
    rest = (text or "").strip().lstrip(_DASHES).strip()
    return f"——{rest}" if rest else None


def printed_source(text: str | None) -> str | None:
    """``（供稿单位）`` in full-width parentheses, never doubled: ``(建设管理局)`` → ``（建设管理局）``.
    The readership line under the name is printed the same way: ``（领导参阅）``."""
    source = (text or "").strip().translate(_HALF_TO_FULL_PARENS)
    if source.startswith("（") and source.endswith("）") and _outer_pair(source):
        source = source[1:-1].strip()
    return f"（{source}）" if source else None


def _outer_pair(text: str) -> bool:
    """Whether the first （ closes with the last ）, as in （甲）, unlike （甲）乙（丙）."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "（") - (char == "）")
        if depth == 0:
            return index == len(text) - 1
    return False


def printed_note(text: str | None) -> EditorNote | None:
    """The 编者按 label and paragraphs. A note that starts with its own label (``按语：``,
    ``编者按：`` …) keeps it; any other note gets ``编者按：``."""
    if not text or not text.strip():
        return None
    label = "编者按："
    match = _NOTE_LABEL.match(text)
    if match:
        label = f"{match.group(1)}："
        text = text[match.end() :]
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    return EditorNote(label, paragraphs) if paragraphs else None  # a bare label prints nothing


def _imprint_label(label: str) -> str:
    """``报：`` or ``报:`` as written in the YAML → ``报`` (the colon is printed once)."""
    return label.strip().rstrip("：:").strip() or label


def column_label(column: str | None) -> str:
    return f"【{column}】" if column else "【其他】"


def assemble(
    settings: Settings,
    issue: Issue,
    articles: Sequence[Article],
    *,
    draft: bool = False,
    bodies: bool = True,
) -> Bulletin:
    """The bulletin as both editions print it. Without *bodies*, only what the first page
    prints (报头 and contents) is decided: the articles' bodies and pictures are not read
    (``check`` estimates there whether the contents fit page 1)."""
    ordered = order_articles(issue, articles)
    uses_columns = any(article.column for article in ordered)
    reporter = Reporter(settings.checks.severity)
    items = tuple(
        _bulletin_article(
            index,
            article,
            ordered[index - 2] if index > 1 else None,
            uses_columns,
            _Pictures(settings.root, reporter),
            bodies=bodies,
        )
        for index, article in enumerate(ordered, start=1)
    )
    errors = [d for d in reporter.sorted() if d.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, hint=f"期刊 {issue.dir.name} 的图片无法印出，未生成任何文件")
    credits = issue.credits if issue.credits is not None else settings.credits
    pad = settings.layout.pad_two_char_names
    copies = issue.copies if issue.copies is not None else settings.copies
    return Bulletin(
        name=settings.name,
        issue_id=issue.id,
        issue_label=issue_label(settings.numbering, issue),
        issuer=settings.issuer,
        date=issue.date,
        date_text=date_text(issue.date),
        toc=contents(items, settings.layout, uses_columns=uses_columns),
        articles=items,
        distribution=tuple(
            ImprintLine(_imprint_label(label), text)
            for label, text in (
                issue.distribution if issue.distribution is not None else settings.distribution
            )
        ),
        credits=tuple(
            ImprintLine(_imprint_label(label), pad_name(text) if pad else text)
            for label, text in credits
        ),
        fonts=settings.fonts,
        layout=settings.layout,
        readership=printed_source(settings.readership),
        classification=settings.classification,
        theme=issue.theme,
        copies_text=f"共印{copies}份" if copies else None,
        draft=draft,
        base_dir=issue.dir,
        **contents_layout(settings.layout),
    )


def _bulletin_article(
    index: int,
    article: Article,
    previous: Article | None,
    uses_columns: bool,
    pictures: _Pictures,
    *,
    bodies: bool = True,
) -> BulletinArticle:
    starts_group = uses_columns and (previous is None or previous.column != article.column)
    return bulletin_article(
        f"article-{index}",
        article,
        column_label=column_label(article.column) if starts_group else None,
        pictures=pictures,
        body=bodies,
    )


def bulletin_article(
    anchor: str,
    article: Article,
    *,
    column_label: str | None = None,
    pictures: _Pictures | None = None,
    body: bool = True,
) -> BulletinArticle:
    """*article* with its printed strings and body decided (without *body*, its strings
    only). Pictures are read with *pictures* (by default without a workspace to keep them
    in, failures raised at once)."""
    author = (article.author or "").strip()
    if pictures is None:
        pictures = _Pictures(None, Reporter())
    return BulletinArticle(
        anchor=anchor,
        article=article,
        column=article.column,
        title=article.title.strip(),
        subtitle=printed_subtitle(article.subtitle),
        author=author or None,
        note=printed_note(article.note),
        source=printed_source(article.source),
        column_label=column_label,
        blocks=printed_blocks(article, pictures) if body else (),
    )


class ContentsLayout(TypedDict):
    """The ``Bulletin`` fields that lay out the table of contents."""

    toc_heading: str | None
    toc_subtitle_inline: bool


def contents_layout(layout: Layout) -> ContentsLayout:
    """The printed heading of the table of contents (None: no heading) and whether subtitles
    share their title's line, as ``Bulletin`` fields."""
    heading = layout.toc_heading.strip()
    return {
        "toc_heading": heading or None,
        "toc_subtitle_inline": layout.toc_subtitle == "inline",
    }


def toc_marker(setting: str, number: int) -> str:
    """What is printed before the *number*-th entry: the configured symbol, ``1.`` or nothing."""
    setting = setting.strip()
    if setting in ("", "none"):
        return ""
    return f"{number}." if setting == "numbers" else setting


def contents(
    items: Sequence[BulletinArticle], layout: Layout, *, uses_columns: bool
) -> tuple[TocGroup, ...]:
    """The table of contents: one group per column (one group without columns)."""
    groups: list[TocGroup] = []
    for number, item in enumerate(items, start=1):
        marker = toc_marker(layout.toc_marker, number)
        entry = TocEntry(item.title, item.subtitle, item.anchor, marker)
        if groups and groups[-1].column == item.column:
            last = groups[-1]
            groups[-1] = TocGroup(last.column, (*last.entries, entry), last.label)
        else:
            label = column_label(item.column) if uses_columns else None
            groups.append(TocGroup(item.column, (entry,), label))
    return tuple(groups)


# --------------------------------------------------------------------------- lists

_CIRCLED = "".join(map(chr, range(0x2460, 0x2474)))  # ① … ⑳
_BULLETS = ("●", "○", "▪")


def list_marker(ordered: bool, rank: int, number: int) -> str:
    """The marker of an item: numbered lists follow the 公文 levels 1. → （1） → ① by how
    many numbered lists hold the item (*rank*, 1 for the outermost); a continuation
    paragraph of an item (*number* 0) has none."""
    if number <= 0:
        return ""
    if not ordered:
        return _BULLETS[min(rank, len(_BULLETS)) - 1]
    if rank == 1:
        return f"{number}."
    if rank == 2 or number > len(_CIRCLED):
        return f"（{number}）"
    return _CIRCLED[number - 1]


def marker_width(marker: str) -> float:
    """Width of *marker* in em: ASCII digits half an em, the full stop a quarter."""
    return sum(0.25 if ch == "." else 0.5 if ch.isascii() else 1.0 for ch in marker)


def _hang(marker: str) -> float:
    """Em from the marker's start to the item's text, in half ems: room for the marker and
    some air (one em after a bullet; half an em after （1）, whose digit Word and
    LibreOffice set 0.2 em apart from the brackets on either side)."""
    if not marker:
        return 0.0
    air = 0.5 if marker.endswith("）") else 1.0 if marker in _BULLETS else 0.25
    return math.ceil((marker_width(marker) + air) * 2) / 2


def numbered_list(block: ListBlock) -> ListBlock:
    """*block* with every item's printed marker and hang decided. Items of one list share
    the widest hang of the list, so their texts start in one column (9. and 10.)."""
    outer: list[bool] = []  # per open depth: whether that level's list is numbered
    lists: list[int] = []  # per open depth: the id of the list its items belong to
    next_list = 0
    decided: list[tuple[ListItem, int]] = []
    for item in block.items:
        depth = min(item.depth, len(outer))
        del outer[depth:], lists[depth + 1 :]
        if len(lists) <= depth:
            lists.append(next_list)
            next_list += 1
        rank = outer.count(item.ordered) + 1  # numbered levels count apart from bullets
        outer.append(item.ordered)
        marker = list_marker(item.ordered, rank, item.number)
        decided.append((dataclasses.replace(item, marker=marker), lists[depth]))
    widest: dict[int, float] = {}
    for item, list_id in decided:
        widest[list_id] = max(widest.get(list_id, 0.0), _hang(item.marker))
    items = tuple(dataclasses.replace(item, hang=widest[list_id]) for item, list_id in decided)
    return dataclasses.replace(block, items=items)


# --------------------------------------------------------------------------- pictures

# the type area (8844 twips, the DOCX's own measure); a picture never fills a page
TYPE_WIDTH_MM, MAX_HEIGHT_MM = 8844 / 1440 * 25.4, 150.0
ROW_GAP_MM = 5.6  # one 三号 character between pictures side by side
ROW_MAX = 3  # pictures side by side; more on one line make several rows
EMU_PER_MM = 36_000


class _Pictures:
    """Reads the pictures of an issue once each, reporting failures through the registry."""

    def __init__(self, root: Path | None, reporter: Reporter) -> None:
        self.root = root
        self.real_root = root.resolve() if root is not None else None
        self.reporter = reporter
        self.loaded: dict[Path, LoadedPicture | None] = {}

    def load(self, image: Image, article: Article) -> LoadedPicture | None:
        """The picture of *image*, or None when it cannot be printed (reported; with the
        default severities an error that stops the build)."""
        if image.path not in self.loaded:
            try:
                self.loaded[image.path] = load_picture(
                    image.src, image.path, self.root, real_root=self.real_root
                )
            except PictureFailure as failure:
                self.loaded[image.path] = None
                self.reporter.add(failure.code, failure.message, article.path, image.line, 1)
                if self.root is None and self.reporter.diagnostics:
                    raise InputError(self.reporter.diagnostics[-1:]) from None
        return self.loaded[image.path]


def native_size_mm(loaded: LoadedPicture) -> tuple[float, float]:
    """The picture's own size at its own resolution, in millimetres."""
    width, height = loaded.header.extent
    return width / EMU_PER_MM, height / EMU_PER_MM


def fit_mm(width: float, height: float, max_width: float, max_height: float) -> tuple[float, float]:
    """*width* × *height* scaled down proportionally into the box; never scaled up."""
    scale = min(1.0, max_width / width, max_height / height)
    return width * scale, height * scale


def picture_size(loaded: LoadedPicture, share: float | None) -> tuple[float, float]:
    """The printed size of a picture on a line of its own: its own size, or the editor's
    share of the type width, within the type width and the height limit."""
    width, height = native_size_mm(loaded)
    if share is not None:
        width, height = share * TYPE_WIDTH_MM, height * share * TYPE_WIDTH_MM / width
        return fit_mm(width, height, width, MAX_HEIGHT_MM)
    return fit_mm(width, height, TYPE_WIDTH_MM, MAX_HEIGHT_MM)


def row_sizes(
    pictures: Sequence[LoadedPicture], shares: Sequence[float | None]
) -> list[tuple[float, float]]:
    """Sizes of pictures side by side: those with an editor's width take it, the others
    share the rest of the line at one height (never above their own size)."""
    room = TYPE_WIDTH_MM - ROW_GAP_MM * (len(pictures) - 1)
    sizes: list[tuple[float, float] | None] = [None] * len(pictures)
    for i, (loaded, share) in enumerate(zip(pictures, shares, strict=True)):
        if share is not None:
            width, height = native_size_mm(loaded)
            wanted = min(share * TYPE_WIDTH_MM, room)
            sizes[i] = fit_mm(wanted, height * wanted / width, wanted, MAX_HEIGHT_MM)
    rest = room - sum(size[0] for size in sizes if size is not None)
    free = [i for i, size in enumerate(sizes) if size is None]
    if free:
        natives = [native_size_mm(pictures[i]) for i in free]
        aspects = [width / height for width, height in natives]
        height = min(
            max(rest, ROW_GAP_MM) / sum(aspects),
            MAX_HEIGHT_MM,
            min(h for _, h in natives),
        )
        for i, aspect in zip(free, aspects, strict=True):
            sizes[i] = (height * aspect, height)
    return [size for size in sizes if size is not None]


def _rows(
    pictures: Sequence[tuple[Image, LoadedPicture]],
) -> list[list[tuple[Image, LoadedPicture]]]:
    """Pictures of one line in rows of at most ROW_MAX, as even as possible (4 → 2 + 2)."""
    count = math.ceil(len(pictures) / ROW_MAX)
    size, extra = divmod(len(pictures), count)
    rows, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        rows.append(list(pictures[start:end]))
        start = end
    return rows


def _mm(length: float) -> float:
    """*length* to a nanometre, rounded down: never past the type area, and a picture's
    own size (in EMU, 1/36000 mm) comes back whole."""
    return math.floor(length * 1e6 + 1e-3) / 1e6


def _picture(
    image: Image, loaded: LoadedPicture, size: tuple[float, float], shrinkable: bool
) -> Image:
    width, height = size
    picture = Picture(loaded.data, loaded.header.kind, _mm(width), _mm(height), shrinkable)
    return dataclasses.replace(image, picture=picture)


def printed_blocks(article: Article, pictures: _Pictures) -> tuple[Block, ...]:
    """The article's body as printed: lists numbered, pictures read and sized. A picture
    that cannot be printed (reported) is left out; pictures with the same pixels in one
    article print at one size, so the print edition never shrinks one of them alone."""
    counts: dict[tuple[int, int, int, int], int] = {}
    for image in _standalone_images(article.blocks):
        loaded = pictures.load(image, article)
        if loaded is not None and image.width is None:
            key = _identity(loaded)
            counts[key] = counts.get(key, 0) + 1
    return _decide(article.blocks, article, pictures, counts)


def _identity(loaded: LoadedPicture) -> tuple[int, int, int, int]:
    header = loaded.header
    return header.width, header.height, header.dpi_x, header.dpi_y


def _standalone_images(blocks: Sequence[Block]) -> list[Image]:
    found: list[Image] = []
    for block in blocks:
        if isinstance(block, Image):
            found.append(block)
        elif isinstance(block, Quote | Kept):
            found.extend(_standalone_images(block.blocks))
    return found


def _decide(
    blocks: Sequence[Block],
    article: Article,
    pictures: _Pictures,
    counts: Mapping[tuple[int, int, int, int], int],
) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            out.append(numbered_list(block))
        elif isinstance(block, Image):
            loaded = pictures.load(block, article)
            if loaded is not None:
                # the editor's width is kept as written; identical pictures print alike
                alone = block.width is None and counts.get(_identity(loaded), 0) < 2
                size = picture_size(loaded, block.width)
                out.append(_picture(block, loaded, size, alone))
        elif isinstance(block, PictureRow):
            out.extend(_picture_rows(block, article, pictures))
        elif isinstance(block, Quote | Kept):
            inner = _decide(block.blocks, article, pictures, counts)
            out.append(dataclasses.replace(block, blocks=inner))
        else:
            out.append(block)
    return tuple(out)


def _picture_rows(row: PictureRow, article: Article, pictures: _Pictures) -> list[Block]:
    printable = [
        (image, loaded)
        for image in row.images
        if (loaded := pictures.load(image, article)) is not None
    ]
    if len(printable) == 1:
        image, loaded = printable[0]
        size = picture_size(loaded, image.width)
        return [_picture(image, loaded, size, image.width is None)]
    rows: list[Block] = []
    for row_pictures in _rows(printable):
        sizes = row_sizes(
            [loaded for _, loaded in row_pictures], [i.width for i, _ in row_pictures]
        )
        decided = tuple(
            _picture(image, loaded, size, False)
            for (image, loaded), size in zip(row_pictures, sizes, strict=True)
        )
        rows.append(PictureRow(decided, row.line))
    return rows
