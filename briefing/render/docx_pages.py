"""Where the written document breaks into pages, estimated as LibreOffice paginates it.

Every body element becomes a :class:`Box`: its lines (heights in twips, from the line-break
estimate of :mod:`briefing.render.docx_layout`), the spacing around it and its keep rules.
:func:`paginate` lays the boxes on pages of the type area's height the way LibreOffice does
(measured): the space before a paragraph is dropped at the top of a page; a paragraph with
``keepLines`` (or a single line) moves whole; with widow control a page keeps at least two of
its lines at the foot and two at the head; a ``keepNext`` paragraph moves to the next page
with the one it keeps with, its whole chain with it, unless the chain fills a page. The
floated 版记 takes its rows at the foot of the page its anchor lands on.

The estimate is shared: the fitting pass (:mod:`briefing.render.docx_fit`) tightens where it
finds a page that misses by a line, pictures can ask how much of a page is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lxml import etree

from briefing.ooxml_names import qn
from briefing.render import _oxml
from briefing.render.docx_layout import paragraph_lines, table_rows_twips
from briefing.render.docx_styles import CJK_LINE_HEIGHT, LINE, TEXT_HEIGHT, Role

#: the red rule under the masthead: a bottom border of 1.5 pt, 4 pt from the text (measured:
#: page 1's lines sit 2.0 mm lower than a plain page's)
RULE_HEIGHT = 110
#: the style of a table's box (paragraph boxes carry their style id, None for Normal)
TABLE = "w:tbl"
#: what LibreOffice wants free above the floated 版记 besides its rows (measured: text
#: ending 0.3 mm above it still pushed it on); the fitting pass leaves this much
FLOAT_MARGIN = 60


@dataclass
class Box:
    """One body element as the paginator sees it."""

    element: etree._Element
    style: str | None
    lines: list[float]  # the height of every line (or table row) in twips
    before: int = 0
    after: int = 0
    keep_next: bool = False
    keep_lines: bool = False
    widow: bool = False
    page_break_before: bool = False
    new_page: str | None = None  # a section begins after this box: "page" or "even"
    floating_rows: int = 0  # the 版记: rows floated to the foot of the anchor's page
    text: list[str] = field(default_factory=list)  # the estimated lines (paragraphs)


#: boxes of paragraphs already estimated, by element: the fitting pass drops those it changes
BoxCache = dict[etree._Element, Box]


@dataclass
class Placed:
    """Where a box landed: the page and the offset (twips) of its first and last line."""

    first_page: int
    last_page: int
    top: float  # offset of the first line on its page (after the space before)
    bottom: float  # offset of the end of the last line on its page
    lines_per_page: dict[int, int] = field(default_factory=dict)


@dataclass
class Pagination:
    boxes: list[Box]
    placed: list[Placed]
    used: list[float]  # twips used on every page (1-based pages: used[0] is page 1)

    @property
    def pages(self) -> int:
        return len(self.used)

    def free(self, page: int) -> float:
        """Twips left at the foot of *page* (1-based)."""
        return TEXT_HEIGHT - self.used[page - 1]


def boxes_of(
    body: etree._Element,
    roles: Mapping[str, Role],
    cache: BoxCache | None = None,
) -> list[Box]:
    """The paginator's view of a written ``w:body``. With *cache* (element → box), boxes of
    paragraphs seen before are reused: the caller drops those it changes."""
    boxes: list[Box] = []
    final = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
    even = final is not None and _oxml.section_start(final) == "evenPage"
    for element in body:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            box = cache.get(element) if cache is not None else None
            if box is None:
                box = paragraph_box(element, roles)
                if cache is not None:
                    cache[element] = box
            box.new_page = None
            boxes.append(box)
            if _oxml.ends_section(element):
                boxes[-1].new_page = "even" if even else "page"
        elif tag == "tbl":
            pictures = _oxml.table_picture_heights(element)  # a row of pictures
            rows = table_rows_twips(_oxml.table_facts(element), pictures)
            if _oxml.is_floating(element):
                boxes.append(Box(element, TABLE, [], floating_rows=len(rows)))
            else:
                boxes.append(Box(element, TABLE, rows))
    return boxes


def paragraph_box(p: etree._Element, roles: Mapping[str, Role]) -> Box:
    facts = _oxml.paragraph_facts(p)
    role = roles.get(facts["style"] or "Normal", roles["Normal"])
    before = facts["before"] if facts["before"] is not None else role.before
    after = facts["after"] if facts["after"] is not None else role.after
    line = facts["line"] or role.line or 240
    rule = facts["rule"] or role.rule
    snap = facts["snap"] if facts["snap"] is not None else role.snap is not False
    keep_next, keep_lines = (_oxml.paragraph_flag(p, tag) for tag in ("keepNext", "keepLines"))
    box = Box(
        p,
        facts["style"],
        [],
        before,
        after,
        role.keep_next if keep_next is None else keep_next,
        role.keep_lines if keep_lines is None else keep_lines,
        bool(_oxml.paragraph_flag(p, "widowControl")),
        page_break_before=bool(_oxml.paragraph_flag(p, "pageBreakBefore")),
    )
    if facts["pictures"]:
        height = max(facts["pictures"]) // 635
        box.lines = [-(-height // LINE) * LINE if snap else height]
        box.keep_lines = True
        return box
    size = facts["size"] or role.size
    height = line if rule == "exact" else round(size * 20 * 1.3 * line / 240)
    if snap:
        # on the grid a line takes as many pitches as its CJK face's full height needs
        height = -(-max(height, round(size * 20 * CJK_LINE_HEIGHT)) // LINE) * LINE
    box.text = paragraph_lines(p, roles, facts)
    box.lines = [height] * len(box.text)
    if _oxml.has_bottom_border(p):
        box.after += RULE_HEIGHT
    return box


def paginate(boxes: Sequence[Box]) -> Pagination:
    """Lay *boxes* on pages (see the module docstring)."""
    y: float  # twips down the page: table rows are estimated in fractions
    placed: list[Placed | None] = [None] * len(boxes)
    forced: set[int] = set()  # boxes a keep chain sends to the top of a page
    i = 0
    page, y = 1, 0
    used: dict[int, float] = {}
    starts: list[tuple[int, float]] = [(1, 0)] * len(boxes)  # (page, y) before each box
    while i < len(boxes):
        starts[i] = (page, y)
        box = boxes[i]
        if (i in forced or box.page_break_before) and y > 0:
            page, y = page + 1, 0
        if box.floating_rows:
            placed[i] = Placed(page, page, y, y)
            i += 1
            continue
        result = _place(box, page, y)
        placed[i] = result
        page, y = result.last_page, result.bottom
        used[page] = max(used.get(page, 0), y)
        # keep with next: this box's end and the next box's first lines share a page
        chain_start = _broken_chain(boxes, placed, i)
        if chain_start is not None and chain_start not in forced:
            forced.add(chain_start)
            i = chain_start
            page, y = starts[chain_start]
            used = {p: u for p, u in used.items() if p < page}
            if y:
                used[page] = y
            continue
        y = min(TEXT_HEIGHT, y + box.after)
        if box.new_page:
            page, y = page + 1, 0
            if box.new_page == "even" and page % 2:
                page += 1
        i += 1
    pages = max(used) if used else 1
    last = [p for p in placed if p is not None]
    pages = max(pages, max((p.last_page for p in last), default=1))
    floats = [(b, p) for b, p in zip(boxes, placed, strict=True) if b.floating_rows and p]
    for box, where in floats:
        # the 版记 floats at the foot of its anchor's page: the text above must leave its rows
        # free, or LibreOffice moves the anchor (and the 版记) on to the next page
        need = box.floating_rows * LINE + FLOAT_MARGIN
        if used.get(where.first_page, 0) + need > TEXT_HEIGHT:
            where.first_page = where.last_page = where.first_page + 1
            pages = max(pages, where.first_page)
            # what keeps with the 版记 (its source line, a short last paragraph, their
            # title) goes over with it
            k = boxes.index(box)
            while k > 0 and boxes[k - 1].keep_next and (moved := placed[k - 1]) is not None:
                k -= 1
                moved.first_page = moved.last_page = where.first_page
        used[where.first_page] = TEXT_HEIGHT
    return Pagination(
        list(boxes),
        [p for p in placed if p is not None],
        [used.get(p, 0) for p in range(1, pages + 1)],
    )


def _place(box: Box, page: int, y: float) -> Placed:
    """Put one box at (page, y): whole, split with widow control, or moved on."""
    if y > 0:
        y += box.before
    lines = box.lines or [0]
    total = sum(lines)
    whole = box.keep_lines or len(lines) == 1
    if y > 0 and whole and y + total > TEXT_HEIGHT and total <= TEXT_HEIGHT:
        page, y = page + 1, 0
    first_page, top = page, y
    per_page: dict[int, int] = {}
    n = len(lines)
    k = 0
    while k < n:
        fit = 0
        room = TEXT_HEIGHT - y
        while k + fit < n and sum(lines[k : k + fit + 1]) <= room:
            fit += 1
        if fit == n - k:
            per_page[page] = per_page.get(page, 0) + fit
            y += sum(lines[k:])
            break
        if box.widow and n >= 2:
            if k == 0 and fit < 2 and y > 0:
                fit = 0  # fewer than two lines at the foot: all move on
            elif n - k - fit < 2:
                fit = max(0, n - k - 2)
                if k == 0 and fit < 2:
                    fit = 0
        if fit == 0 and y == 0:
            fit = 1  # a line taller than a page still goes somewhere
        if fit:
            per_page[page] = per_page.get(page, 0) + fit
            k += fit
        if fit == 0 and k == 0:
            first_page, top = page + 1, 0
        page, y = page + 1, 0
    return Placed(first_page, page, top, y, per_page)


def _broken_chain(boxes: Sequence[Box], placed: Sequence[Placed | None], i: int) -> int | None:
    """When box *i* starts on another page than the box before it ends and that one keeps
    with it, the first box of the keep chain (to be moved to a new page); None otherwise.
    A chain that begins at the top of a page stays (it cannot do better)."""
    if i == 0:
        return None
    previous, here = placed[i - 1], placed[i]
    if previous is None or here is None or not boxes[i - 1].keep_next:
        return None
    if previous.last_page == here.first_page:
        return None
    start = i - 1
    while start > 0 and boxes[start - 1].keep_next and not boxes[start - 1].floating_rows:
        start -= 1
    head = placed[start]
    if head is None or (head.top == 0 and head.first_page == previous.last_page):
        return None
    return start


def page_fill(
    body: etree._Element,
    roles: Mapping[str, Role],
    cache: BoxCache | None = None,
) -> tuple[int, float]:
    """The page the next block written to *body* starts on and the twips already used on it
    (keep rules and widow control included): what a picture may fill before it moves on."""
    boxes = [box for box in boxes_of(body, roles, cache) if not box.floating_rows]
    if not boxes:
        return 1, 0
    last = paginate(boxes).placed[-1]
    used = min(TEXT_HEIGHT, last.bottom + boxes[-1].after)
    return last.last_page, used
