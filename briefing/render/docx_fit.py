"""Fitting the written document to its pages: what a typesetter would still fix by hand.

After the writer has put down every block, this pass estimates the line breaks
(:mod:`briefing.render.docx_lines`) and the pages (:mod:`briefing.render.docx_pages`) and
corrects, in standard WordprocessingML that Word, WPS and LibreOffice all honour:

- the red rule under the masthead takes its height back from the space under it, so page 1
  keeps the 22-line grid of the other pages;
- 孤字: a paragraph or heading whose last line holds one character is tightened (negative
  character spacing on its runs, at most 5 % of the size) until the character comes back;
- the source line (供稿单位) keeps with the article's last lines (``keepNext`` and widow
  control on the paragraph before it);
- the table of contents stays on page 1: its pitch, then its size, tighten within readable
  limits; when it still cannot fit it goes on under a 续 heading at the top of page 2;
- the 版记 never stands alone on a page: when the last page misses it by about a line, the
  paragraphs of that page tighten (fewer lines by 挤字, then a smaller line pitch).

Every step is measured against LibreOffice (``docs/architecture.md``, 印刷版式的实现).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from briefing.ooxml_names import qn
from briefing.render import _oxml
from briefing.render.docx_layout import paragraph_lines
from briefing.render.docx_pages import (
    FLOAT_MARGIN,
    RULE_HEIGHT,
    Box,
    BoxCache,
    Pagination,
    boxes_of,
    paginate,
    paragraph_box,
)
from briefing.render.docx_styles import LINE, TEXT_HEIGHT, TRACKING, Role

if TYPE_CHECKING:
    from lxml import etree

#: 挤字: character spacing tried in turn, as a share of the size; 5.5 % is the most (三号:
#: -0.9 pt: 29 characters a line instead of 28, and 27 after a two-character indent)
SQUEEZE_STEPS = (0.03, 0.04, 0.05, 0.055)
#: styles whose paragraphs may be tightened: running text, headings, quotations, notes, lists
TEXT_STYLES = frozenset(
    {None, "Heading1", "Heading2", "Heading3", "Heading4", "Quote", "BriefingNote",
     "BriefingList", "Title"}
)  # fmt: skip
#: the 版记 may pull back text that misses it by this much (twips): about one line and a half
IMPRINT_REACH = LINE * 3 // 2
#: the smallest line pitch the last page may tighten to (26 pt, 90 % of the grid)
MIN_PITCH = 520
#: 撑行, the other way: at most 31 pt (7 % more than the grid's 28.95 pt), in 0.5 pt steps
MAX_PITCH = 620
PITCH_STEP = 10
#: the table of contents, tighter steps within readable limits: (size pt, line pitch twips)
TOC_STEPS = ((16.0, 520), (15.0, 480), (14.0, 440))
TOC_STYLES = frozenset({"BriefingToc", "BriefingTocColumn", "BriefingTocHeading"})
CONTINUED = "（续）"


def fit(
    body: etree._Element,
    roles: Mapping[str, Role],
    *,
    toc_heading: str,
    add_heading: Callable[[str], etree._Element],
    imprint_alone: bool = False,
) -> None:
    """Apply every correction to *body* in place (see the module docstring).

    *add_heading* writes a table-of-contents heading paragraph with the given text and
    returns it (the writer knows the heading's style and fonts). With *imprint_alone* the
    版记 has a section of its own (``layout.imprint_on_even_page``) and is left there."""
    cache: BoxCache = {}  # paragraph → its box, while it is not changed
    restore_first_page_grid(body, roles, cache)
    for box in boxes_of(body, roles, cache):
        squeeze_lone_character(box, roles)
    fit_contents(body, roles, cache, toc_heading, add_heading)
    keep_sources_with_text(body, roles, cache)
    if not imprint_alone:
        fit_imprint(body, roles, cache)


# --------------------------------------------------------------------------- page 1 grid


def restore_first_page_grid(
    body: etree._Element, roles: Mapping[str, Role], cache: BoxCache
) -> None:
    """The paragraph after the red rule gives up the rule's height from its space before."""
    paragraphs = [e for e in body if e.tag == qn("w:p")]
    for p, following in itertools.pairwise(paragraphs):
        if _oxml.has_bottom_border(p):
            before = paragraph_box(following, roles).before
            if before >= RULE_HEIGHT:
                _oxml.para_props(following, before=before - RULE_HEIGHT)
                cache.pop(following, None)
            return


# --------------------------------------------------------------------------- 孤字


def lone_character(lines: list[str]) -> bool:
    """Whether the last of several lines holds a single character (punctuation aside)."""
    if len(lines) < 2:
        return False
    return sum(1 for ch in lines[-1] if ch.isalnum()) <= 1 and lines[-1].strip() != ""


def squeeze(box: Box, roles: Mapping[str, Role], lines: int) -> bool:
    """Tighten *box*'s paragraph, mildest step first, until it takes at most *lines* lines
    and leaves no lone character. When tightening cannot do it and *lines* is the count it
    has, loosen it instead: without the 0.25 pt tracking a line holds one character less,
    which carries a second character down to the last line. False: nothing changed."""
    role = roles.get(box.style or "Normal", roles["Normal"])
    tries = [min(TRACKING, -round(role.size * 20 * step)) for step in SQUEEZE_STEPS]
    if lines >= len(box.text):
        tries.append(0)
    for spacing in dict.fromkeys(tries):
        trial = copy.deepcopy(box.element)
        _oxml.track_runs(trial, spacing)
        estimate = paragraph_lines(trial, roles)
        if len(estimate) <= lines and not lone_character(estimate):
            _oxml.track_runs(box.element, spacing)
            box.text = estimate
            box.lines = box.lines[: len(estimate)]
            return True
    return False


#: 撑字: character spacing tried in turn to carry a paragraph's last lines over with its
#: source line (twentieths of a point): without the tracking, then 0.25, 0.5 and 0.75 pt
#: looser (三号: 27, 27, 26 and 26 characters a line)
LOOSEN_STEPS = (0, 5, 10, 15)


def carry_over(
    body: etree._Element,
    roles: Mapping[str, Role],
    cache: BoxCache,
    paragraph: etree._Element,
    source: etree._Element,
    others: Sequence[etree._Element] = (),
) -> bool:
    """Loosen *paragraph* (with widow control) until its last two lines go over to the page
    of *source*, the mildest step that does; when it alone cannot, the *others* (the
    paragraphs before it on its page and the page before, nearest first) are loosened with
    it, one more at a time, as a typesetter spreads the text to turn a page; last, their
    lines are set a little further apart (up to ``MAX_PITCH``).
    Everything is restored and False returned when nothing does."""
    group = [paragraph, *others]
    originals = [copy.deepcopy(element) for element in group]
    _oxml.para_props(paragraph, widow_control=True)
    for count in range(1, len(group) + 1):
        for spacing in LOOSEN_STEPS:
            for element in group[:count]:
                _oxml.track_runs(element, spacing)
                cache.pop(element, None)
            if _lines_on_page_of(body, roles, cache, paragraph, source) >= 2:
                return True
    # 撑行: the characters untracked, the lines of these paragraphs a little further apart
    for pitch in range(LINE + PITCH_STEP, MAX_PITCH + 1, PITCH_STEP):
        for element in group:
            _oxml.track_runs(element, 0)
            _oxml.para_props(element, line=pitch, snap_to_grid=False)
            cache.pop(element, None)
        if _lines_on_page_of(body, roles, cache, paragraph, source) >= 2:
            return True
    for element, original in zip(group, originals, strict=True):
        _oxml.replace_element(element, original)
        cache.pop(element, None)
    return False


def _lines_on_page_of(
    body: etree._Element,
    roles: Mapping[str, Role],
    cache: BoxCache,
    paragraph: etree._Element,
    source: etree._Element,
) -> int:
    """How many lines of *paragraph* the estimate puts on the page where *source* starts."""
    boxes = boxes_of(body, roles, cache)
    pagination = paginate(boxes)
    places = {id(box.element): where for box, where in zip(boxes, pagination.placed, strict=True)}
    here, there = places[id(paragraph)], places[id(source)]
    return here.lines_per_page.get(there.first_page, 0)


def squeeze_lone_character(box: Box, roles: Mapping[str, Role]) -> bool:
    """Pull back (or push down a companion for) a last line holding one character."""
    if box.style not in TEXT_STYLES or not box.text or not lone_character(box.text):
        return False
    return squeeze(box, roles, len(box.text) - 1) or squeeze(box, roles, len(box.text))


# --------------------------------------------------------------------------- source line


def keep_sources_with_text(
    body: etree._Element, roles: Mapping[str, Role], cache: BoxCache
) -> None:
    """A source line the estimate puts alone at the top of a page comes back: the
    paragraphs of the page before tighten (挤字) until it fits there. When none can, a short
    paragraph before it (four lines at most) keeps with it under widow control; a longer one
    is loosened instead (and, when that is not enough, the other paragraphs of its page
    with it), so that its last two lines go over with the source (LibreOffice moves a
    keep-with-next paragraph whole: a long one would leave a page half empty)."""
    handled: set[int] = set()
    while True:
        boxes = boxes_of(body, roles, cache)
        pagination = paginate(boxes)
        alone = [
            k
            for k, (box, where) in enumerate(zip(boxes, pagination.placed, strict=True))
            if box.style == "BriefingSource"
            and where.top == 0
            and where.first_page > 1
            and k
            and k not in handled
        ]
        if not alone:
            return
        k = alone[0]
        handled.add(k)
        page = pagination.placed[k].first_page - 1
        before = [
            box
            for box, where in zip(boxes[:k], pagination.placed[:k], strict=True)
            if where.last_page == page and box.style in TEXT_STYLES and box.style != "Title"
        ]
        if any(squeeze(box, roles, len(box.text) - 1) for box in reversed(before)):
            continue
        previous = boxes[k - 1]
        if previous.style not in (None, "Quote", "BriefingList"):
            continue
        if len(previous.text) <= 4:
            _oxml.para_props(previous.element, keep_next=True, widow_control=True)
            cache.pop(previous.element, None)
        else:
            others = [box.element for box in reversed(before) if box is not previous]
            carry_over(body, roles, cache, previous.element, boxes[k].element, others)


# --------------------------------------------------------------------------- contents


def contents_boxes(pagination: Pagination) -> list[tuple[Box, int]]:
    return [
        (box, where.first_page)
        for box, where in zip(pagination.boxes, pagination.placed, strict=True)
        if box.style in TOC_STYLES
    ]


def contents_overflow(body: etree._Element, roles: Mapping[str, Role], cache: BoxCache) -> bool:
    """Whether some of the table of contents lands after page 1."""
    return any(page > 1 for _, page in contents_boxes(paginate(boxes_of(body, roles, cache))))


def contents_fit(body: etree._Element, roles: Mapping[str, Role]) -> bool:
    """Whether the table of contents of *body* (a masthead and contents only) fits page 1,
    tightened if need be; *body* is tightened in place."""
    cache: BoxCache = {}
    restore_first_page_grid(body, roles, cache)
    return not contents_overflow(body, roles, cache) or _tighten_contents(body, roles, cache)


def _contents_entries(body: etree._Element) -> list[etree._Element]:
    return [
        e
        for e in body
        if e.tag == qn("w:p")
        and _oxml.paragraph_facts(e)["style"] in ("BriefingToc", "BriefingTocColumn")
    ]


def _tighten_contents(body: etree._Element, roles: Mapping[str, Role], cache: BoxCache) -> bool:
    entries = _contents_entries(body)
    for size, pitch in TOC_STEPS:
        for e in entries:
            _oxml.para_props(e, line=pitch, snap_to_grid=False)
            _oxml.size_runs(e, size)
            cache.pop(e, None)
        if not contents_overflow(body, roles, cache):
            return True
    return False


def fit_contents(
    body: etree._Element,
    roles: Mapping[str, Role],
    cache: BoxCache,
    heading: str,
    add_heading: Callable[[str], etree._Element],
) -> None:
    """Keep the table of contents on page 1: tighter pitch, then smaller size; failing
    that, continue it on page 2 under a 续 heading."""
    if not contents_overflow(body, roles, cache):
        return
    entries = _contents_entries(body)
    originals = [copy.deepcopy(e) for e in entries]
    if _tighten_contents(body, roles, cache):
        return
    for e, original in zip(entries, originals, strict=True):
        _oxml.replace_element(e, original)
    _continue_contents(body, roles, cache, heading, add_heading)


def _continue_contents(
    body: etree._Element,
    roles: Mapping[str, Role],
    cache: BoxCache,
    heading: str,
    add_heading: Callable[[str], etree._Element],
) -> None:
    pagination = paginate(boxes_of(body, roles, cache))
    boxes = contents_boxes(pagination)
    spill = next((box for box, page in boxes if page > 1), None)
    if spill is None:
        return
    index = [box.element for box, _ in boxes].index(spill.element)
    # an entry whose title line keeps with its subtitle line moves with it
    while index > 0 and boxes[index - 1][0].keep_next and boxes[index - 1][1] == 1:
        index -= 1
    first = boxes[index][0].element
    continued = add_heading(f"{heading or '本期目录'}{CONTINUED}")
    first.addprevious(continued)
    _oxml.para_props(continued, page_break_before=True, before=0)


# --------------------------------------------------------------------------- 版记


def imprint_alone(pagination: Pagination) -> float | None:
    """When the 版记 would stand on a page without text, how many twips the last text page
    misses it by (None when the 版记 shares a page with text)."""
    text_pages = [
        where.last_page
        for box, where in zip(pagination.boxes, pagination.placed, strict=True)
        if "".join(box.text).strip()
    ]
    last_text = max(text_pages, default=1)
    for box, where in zip(pagination.boxes, pagination.placed, strict=True):
        if box.floating_rows and where.first_page > last_text:
            end = _text_end(pagination, last_text)
            return end + box.floating_rows * LINE + FLOAT_MARGIN - TEXT_HEIGHT
    return None


def _text_end(pagination: Pagination, page: int) -> float:
    """Where the text ends on *page* (twips from the top)."""
    ends = [
        p.bottom
        for b, p in zip(pagination.boxes, pagination.placed, strict=True)
        if p.last_page == page and b.lines and not b.floating_rows
    ]
    return max(ends, default=0)


def fit_imprint(body: etree._Element, roles: Mapping[str, Role], cache: BoxCache) -> None:
    """Pull the 版记 back onto the last text page when it misses by about a line: first the
    page's paragraphs that can lose a line by 挤字 do, then the page's line pitch tightens
    (off the grid) down to MIN_PITCH, and last its titles take one line of space before
    instead of one and a half. Nothing changes when that is still not enough."""

    def alone() -> bool:
        return imprint_alone(paginate(boxes_of(body, roles, cache))) is not None

    boxes = boxes_of(body, roles, cache)
    pagination = paginate(boxes)
    miss = imprint_alone(pagination)
    if miss is None:
        return
    if miss > IMPRINT_REACH:
        _carry_text_over(body, roles, cache)
        return
    last = max(p.last_page for b, p in zip(boxes, pagination.placed, strict=True) if b.text)
    on_page = [
        b
        for b, p in zip(boxes, pagination.placed, strict=True)
        if p.last_page == last and b.text and b.style != "BriefingMasthead"
    ]
    originals = [(box.element, copy.deepcopy(box.element)) for box in on_page]
    for box in sorted(on_page, key=lambda b: len(b.text[-1])):
        if box.style in TEXT_STYLES and box.style != "Title":
            squeeze(box, roles, len(box.text) - 1)
            if not alone():
                return
    for pitch in [*range(LINE - 20, MIN_PITCH, -20), MIN_PITCH]:
        for box in on_page:
            if box.style != "Title":
                _oxml.para_props(box.element, line=pitch, snap_to_grid=False)
                cache.pop(box.element, None)
        if not alone():
            return
    for box in on_page:
        if box.style == "Title":
            _oxml.para_props(box.element, before=LINE)
            cache.pop(box.element, None)
    if not alone():
        return
    for element, original in originals:
        _oxml.replace_element(element, original)
    _carry_text_over(body, roles, cache)


def _carry_text_over(body: etree._Element, roles: Mapping[str, Role], cache: BoxCache) -> None:
    """Too far to tighten: the article's end goes over to the 版记's page instead, its
    source line and a short last paragraph (four lines at most) keeping with the 版记, or
    the last two lines of a longer one, loosened."""
    boxes = boxes_of(body, roles, cache)
    k = next((i for i, box in enumerate(boxes) if box.floating_rows), None)
    if k is None or k < 2 or boxes[k - 1].style != "BriefingSource":
        return
    _oxml.para_props(boxes[k - 1].element, keep_next=True)
    cache.pop(boxes[k - 1].element, None)
    previous = boxes[k - 2]
    if previous.style not in (None, "Quote", "BriefingList"):
        return
    if len(previous.text) <= 4:
        _oxml.para_props(previous.element, keep_next=True, widow_control=True)
        cache.pop(previous.element, None)
        return
    pagination = paginate(boxes)
    page = pagination.placed[k - 2].last_page
    others = [
        box.element
        for box, where in zip(boxes[: k - 2], pagination.placed[: k - 2], strict=True)
        if where.last_page in (page - 1, page) and box.style in TEXT_STYLES and box.style != "Title"
    ]
    carry_over(body, roles, cache, previous.element, boxes[k - 1].element, others[::-1])
