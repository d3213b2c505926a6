"""Layout estimates of the printed edition: text widths, line counts, title breaks, table
column widths, picture sizes and a rough pagination (page fill) of what is written so far.

Pure functions of the style table (:mod:`briefing.render.docx_styles`) and the text; the
writer (:mod:`briefing.render.docx`) asks them where lines and pages will break in Word and
LibreOffice, which it cannot see.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from briefing.model import Table
from briefing.render import _oxml
from briefing.render._oxml import ParagraphFacts
from briefing.render.docx_lines import Run, lines_of
from briefing.render.docx_styles import (
    BODY_SIZE,
    CJK_LINE_HEIGHT,
    EMU_PER_TWIP,
    ISSUER_FLOOR,
    LINE,
    LINES_PER_PAGE,
    TABLE_CELL_MARGIN,
    TABLE_CELL_MARGIN_NARROW,
    TABLE_SIZE,
    TABLE_SIZES,
    TEXT_WIDTH,
    TITLE_SIZE,
    TRACKING,
    Role,
)

if TYPE_CHECKING:
    from lxml import etree

# --------------------------------------------------------------------------- text widths


def text_width(text: str, size: float, tracking: float = TRACKING / 20) -> float:
    """Estimated advance of *text* in points: CJK and full-width forms one em, ASCII half
    (Times digits are exactly half an em), narrow ASCII punctuation a quarter, and the space
    Word and LibreOffice add between CJK and Latin letters or digits (measured 0.2 em)."""
    # counted with str methods rather than summed per character: sizes are whole half points,
    # so every term is exact in binary floating point and the total the same in any order
    narrow = sum(map(text.count, _NARROW))
    ascii_count = len(text.encode("ascii", "ignore"))
    width = (
        narrow * (size / 4)
        + (ascii_count - narrow) * (size / 2)
        + (len(text) - ascii_count) * size
        + len(text) * tracking
    )
    return width + _script_switches(text) * size * 0.2


_NARROW = ".,:;!'|"
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")


def _script_switches(text: str) -> int:
    """How often Latin letters or digits and CJK characters meet: each such pair is at an end
    of a run of letters and digits."""
    switches = 0
    for run in _ALNUM_RUN.finditer(text):
        start, end = run.span()
        switches += start > 0 and is_cjk(text[start - 1])
        switches += end < len(text) and is_cjk(text[end])
    return switches


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def wrapped_lines(text: str, size: float, indent_chars: float = 0.0) -> int:
    """Lines *text* takes across the type area at *size* pt (at least one)."""
    room = TEXT_WIDTH / 20
    width = text_width(text, size) + indent_chars * size
    return max(1, -(-int(width * 100) // int(room * 100)))


def table_height(rows: list[list[tuple[str, int, float]]], pictures: Sequence[int] = ()) -> float:
    """Grid lines a table takes: each row as high as its most wrapped cell (auto spacing),
    plus the tallest picture (EMU) of the row, for a row of pictures with their captions."""
    return sum(table_rows_twips(rows, pictures)) / LINE


def table_rows_twips(
    rows: list[list[tuple[str, int, float]]], pictures: Sequence[int] = ()
) -> list[float]:
    """The height of every table row in twips: as high as its most wrapped cell, plus its
    tallest picture (*pictures*: EMU per row, as ``_oxml.table_picture_heights``)."""
    heights = []
    for row in rows:
        lines = max(
            (
                # the readers' rounding: 30 twips of air, as the column widths allow
                max(1, -(-int(text_width(text, size, 0) * 20) // max(1, width - 30)))
                for text, width, size in row
            ),
            default=1,
        )
        size = max((size for _, _, size in row), default=TABLE_SIZE)
        heights.append(lines * size * 20 * 1.17 + 10)
    for index, picture in enumerate(pictures):
        heights[index] += picture / EMU_PER_TWIP
    return heights


def issuer_room(date: str) -> float:
    """Points left for the issuer beside the date and a one-character gap."""
    return TEXT_WIDTH / 20 - text_width(date, BODY_SIZE) - BODY_SIZE


def issuer_size(issuer: str, date: str) -> float | None:
    """三号, or the largest half point down to ISSUER_FLOOR at which the issuer, a one-character
    gap and the date share one line of the type area; None when even the floor is too big."""
    room, size = issuer_room(date), BODY_SIZE
    while text_width(issuer, size) > room:
        if size <= ISSUER_FLOOR:
            return None
        size -= 0.5
    return size


def split_issuer(issuer: str, date: str) -> tuple[float, str, str]:
    """An issuer too long for one line, in two at the largest size (三号 down to
    ISSUER_FLOOR) where the second line leaves room for the date; the break goes after a
    closing bracket or 、 nearest the middle."""
    room, middle, size = issuer_room(date), len(issuer) / 2, BODY_SIZE
    while True:
        fits = [
            i
            for i in range(1, len(issuer))
            if text_width(issuer[i:], size) <= room
            and text_width(issuer[:i], size) <= TEXT_WIDTH / 20
        ]
        if fits:
            best = min(fits, key=lambda i: (issuer[i - 1] not in "）)、", abs(i - middle)))
            return size, issuer[:best], issuer[best:]
        if size <= ISSUER_FLOOR:
            half = len(issuer) // 2
            return size, issuer[:half], issuer[half:]
        size -= 0.5


# Without spaces or punctuation to break at, a title breaks before one of the verbs and
# adverbs that open a phrase in 简报 titles (a segmenter such as jieba would bring a ~20 MB
# dictionary and a reported ~1 s first load, not measured here, for the few titles left).
_PHRASE_OPENERS = frozenset(
    [
        "全面",
        "推动",
        "推进",
        "加快",
        "聚焦",
        "助力",
        "助推",
        "打造",
        "破解",
        "实现",
        "探索",
        "建立",
        "构建",
        "强化",
        "深化",
        "提升",
        "开展",
        "召开",
        "举办",
        "做好",
        "落实",
        "扎实",
        "持续",
        "着力",
        "坚持",
        "创新",
        "优化",
        "完善",
        "服务",
        "保障",
        "促进",
        "筑牢",
        "织密",
        "激活",
        "赋能",
        "深入",
        "全力",
        "积极",
        "切实",
        "努力",
        "多措并举",
    ]
)
_TITLE_BREAK_AFTER = frozenset("，、：；！？”’》）】…—")
_TITLE_BREAK_BEFORE = frozenset("“‘《（【")
_OPENERS, _CLOSERS = "“‘《（【", "”’》）】"


def title_lines(title: str) -> list[str]:
    """The lines of an article title (GB/T 9704 §7.3.1: whole words, a balanced shape).

    An author's own line break (a newline in the title) wins. Otherwise a title wider than
    the type area is broken once, at the most balanced phrase boundary where both halves fit:
    a space, after a pause or closing mark, before an opening mark, never inside “…” or 《…》.
    Without such a boundary the title is left to the reader's line breaking.
    """
    explicit = [part.strip() for part in title.split("\n") if part.strip()]
    if len(explicit) > 1:
        return explicit
    title = title.strip()
    room = TEXT_WIDTH / 20
    if text_width(title, TITLE_SIZE) <= room:
        return [title]
    best: tuple[float, list[str]] | None = None
    depth = 0
    for i, ch in enumerate(title[:-1]):
        depth += (ch in _OPENERS) - (ch in _CLOSERS)
        after, nxt = ch, title[i + 1]
        rank = 0.0  # spaces first, then punctuation, then the phrase openers
        if after == " ":
            first, second = title[:i], title[i + 1 :]
        elif depth <= 0 and (after in _TITLE_BREAK_AFTER or nxt in _TITLE_BREAK_BEFORE):
            if after == "—" and nxt == "—":
                continue
            first, second, rank = title[: i + 1], title[i + 1 :], room
        elif depth <= 0 and _opens_phrase(title, i + 1) and not _opens_phrase(title, i - 1):
            first, second, rank = title[: i + 1], title[i + 1 :], 2 * room
        else:
            continue
        first, second = first.strip(), second.strip()
        if not first or not second:
            continue
        widths = text_width(first, TITLE_SIZE), text_width(second, TITLE_SIZE)
        if max(widths) > room:
            continue
        score = abs(widths[0] - widths[1]) + rank
        if best is None or score < best[0]:
            best = (score, [first, second])
    return best[1] if best else [title]


def _opens_phrase(title: str, i: int) -> bool:
    """Whether a phrase opener (推进, 全面 …) starts at index *i* of *title*."""
    return i >= 0 and any(title.startswith(word, i) for word in _PHRASE_OPENERS)


def masthead_size(name: str, wanted: float) -> float:
    """The configured masthead size, shrunk (in half points) until the name fits one line."""
    units = sum(0.5 if ch.isascii() else 1.0 for ch in name) or 1.0
    fits = TEXT_WIDTH / 20 / units * 0.98
    size = min(wanted, fits)
    return max(16.0, int(size * 2) / 2)


_NUMBER = re.compile(r"[-+±]?[\d.,，%‰:/]+[%‰万亿元个人次项户]?")
SHORT_LABEL = 6  # characters: unit names (东湖街道, 滨江新区管委会) stay on one line
MIN_WRAPPING = 4  # characters: the narrowest column for running text


def unbreakable(text: str) -> bool:
    """Numbers and short labels must never wrap inside a table cell."""
    text = text.strip()
    return bool(text) and (_NUMBER.fullmatch(text) is not None or len(text) <= SHORT_LABEL)


def table_widths(texts: Sequence[Sequence[str]], total: int) -> tuple[float, int, list[int]]:
    """Font size, cell margin and column widths (twips) from the cell contents, as layout
    revision 1 printed them (numbers and short labels then marked noWrap).

    The first of 四号, 小四, 五号 (then a narrower cell margin) at which every number and
    short label fits unbroken wins; each column gets at least its widest unbreakable cell,
    and the rest of the type width is shared in proportion to what the longer cells would
    need on one line. Past 五号 with narrow margins the columns are scaled to fit.
    """
    steps = [(size, TABLE_CELL_MARGIN) for size in TABLE_SIZES[:3]]
    steps.append((TABLE_SIZES[2], TABLE_CELL_MARGIN_NARROW))
    for size, margin in steps[:-1]:
        need, floor = _column_needs(texts, size, margin, labels_whole=True)
        if sum(floor) <= total:
            return size, margin, _share(need, floor, total)
    size, margin = steps[-1]  # the narrowest step, whether or not it fits
    need, floor = _column_needs(texts, size, margin, labels_whole=True)
    return size, margin, _share(need, floor, total)


@dataclass(frozen=True, slots=True)
class TableFit:
    size: float  # pt
    margin: int  # twips, left and right in every cell
    widths: list[int]  # twips per column, summing to the type width
    fits: bool  # False: numbers fit only below 六号 (``check`` reports L002)


def fit_table(texts: Sequence[Sequence[str]], total: int = TEXT_WIDTH) -> TableFit:
    """The largest size and widest margins at which no number wraps, and column widths that
    hold every number on one line (no ``noWrap``: Word and LibreOffice lay such cells out
    differently, so the widths alone must keep numbers whole).

    Steps: 四号, 小四, 五号 with 1.5 mm cell margins, then 0.5 mm margins at 五号, 小五 and
    六号; at each, short labels first stay whole, then may wrap (a label can break between
    characters, a number cannot). A table that fits nowhere down to 六号 keeps shrinking by
    half points, so a number is never broken, and is reported by ``check``.
    """
    steps = [(size, TABLE_CELL_MARGIN) for size in TABLE_SIZES[:3]]
    steps += [(size, TABLE_CELL_MARGIN_NARROW) for size in (10.5, *TABLE_SIZES[3:])]
    for size, margin in steps:
        for labels_whole in (True, False):
            need, floor = _column_needs(texts, size, margin, labels_whole=labels_whole)
            if sum(floor) <= total:
                return TableFit(size, margin, _share(need, floor, total), True)
    # fits nowhere: go on shrinking from the last step
    size = steps[-1][0]
    need, floor = _column_needs(texts, size, TABLE_CELL_MARGIN_NARROW, labels_whole=False)
    while size > MIN_TABLE_SIZE and sum(floor) > total:
        size -= 0.5
        need, floor = _column_needs(texts, size, TABLE_CELL_MARGIN_NARROW, labels_whole=False)
    return TableFit(size, TABLE_CELL_MARGIN_NARROW, _share(need, floor, total), False)


def table_texts(table: Table) -> list[list[str]]:
    """The plain text of every cell, header row first, short rows padded with empty cells."""
    rows = [table.header, *table.rows]
    columns = max((len(row) for row in rows), default=0)
    return [
        ["".join(s.text for s in row[c].spans) if c < len(row) else "" for c in range(columns)]
        for row in rows
    ]


MIN_TABLE_SIZE = 5.0  # pt: below 六号 only to keep a number whole; check says so


def _column_needs(
    texts: Sequence[Sequence[str]], size: float, margin: int, *, labels_whole: bool
) -> tuple[list[float], list[float]]:
    """What each column needs (twips) to hold its longest cell on one line, and the least it
    may have: its widest number (and, with *labels_whole*, short label) whole."""
    pad = 2 * margin + 30  # the cell margins and a little air for the readers' rounding
    need, floor = [], []
    for c in range(len(texts[0])):
        cells = [row[c] for row in texts]
        natural = max(text_width(t, size, 0) for t in cells) * 20 + pad
        minimum = max(
            (
                text_width(t, size, 0)
                if _whole(t, labels_whole)
                else min(size * MIN_WRAPPING, text_width(t, size, 0))
            )
            * 20
            + pad
            for t in cells
        )
        need.append(natural)
        floor.append(min(minimum, natural))
    return need, floor


def _whole(text: str, labels: bool) -> bool:
    """Whether a cell must stay on one line: a number always, a short label if *labels*."""
    text = text.strip()
    return unbreakable(text) if labels else _NUMBER.fullmatch(text) is not None


def _share(need: list[float], floor: list[float], total: int) -> list[int]:
    """Column widths: every column its floor, the rest in proportion to what the longer
    cells need; scaled down when even the floors do not fit."""
    if sum(need) <= total:
        base, extra = need, list(need)
    elif sum(floor) <= total:
        base, extra = floor, [n - m for n, m in zip(need, floor, strict=True)]
    else:
        base, extra = [m * total / sum(floor) for m in floor], [0.0] * len(floor)
    spare = max(0.0, total - sum(base))
    weight = sum(extra) or 1.0
    widths = [int(b + spare * e / weight) for b, e in zip(base, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


def fit_image(width: int, height: int, max_width: float, max_height: float) -> tuple[int, int]:
    """Native size (EMU), scaled down proportionally to fit the box; never scaled up."""
    scale = min(1.0, max_width / width if width else 1.0, max_height / height if height else 1.0)
    return int(width * scale), int(height * scale)


# --------------------------------------------------------------------------- page fill


class PageFill:
    """A rough pagination of a document body while it is written: which grid line of its page
    the next block starts on."""

    def __init__(self, roles: Mapping[str, Role]) -> None:
        self.roles = self._roles = roles  # paragraph styles by style id
        self._measured = 0  # body children already paginated (all final by then)
        self._used = 0.0  # grid lines used on the page after them

    def lines_used(self, body: etree._Element) -> float:
        """Grid lines already used on the page the next block starts on: a rough pagination
        of everything written so far (text widths estimated, keep rules ignored). Pictures
        use it to fit the space left; a wrong guess only moves a picture, as before.

        Blocks written before are final, so the count goes on from where the last call
        stopped: an issue with many pictures is paginated once, not once per picture."""
        used = self._used
        for element in itertools.islice(body, self._measured, None):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "sectPr":  # the final section properties: always last
                break
            self._measured += 1
            if tag == "p":
                height, whole = self.paragraph_height(_oxml.paragraph_facts(element))
            elif tag == "tbl":
                pictures = _oxml.table_picture_heights(element)
                height = table_height(_oxml.table_facts(element), pictures)
                whole = any(pictures)  # a row of pictures is never split across pages
            else:
                continue
            if whole and used + height > LINES_PER_PAGE + 0.01:
                used = 0.0
            used += height
            while used > LINES_PER_PAGE + 0.01:
                used -= LINES_PER_PAGE
        self._used = used
        return used

    def paragraph_height(self, facts: ParagraphFacts) -> tuple[float, bool]:
        """Grid lines a paragraph takes, and whether it must stay whole."""
        role = self._roles.get(facts["style"] or "Normal", self._roles["Normal"])
        before = facts["before"] if facts["before"] is not None else role.before
        after = facts["after"] if facts["after"] is not None else role.after
        line = facts["line"] or role.line or 240
        rule = facts["rule"] or role.rule
        snap = facts["snap"] if facts["snap"] is not None else role.snap is not False
        size = facts["size"] or role.size
        if facts["pictures"]:
            lines = max(facts["pictures"]) / 635 / LINE
            return (-(-lines // 1) if snap else lines) + (before + after) / LINE, True
        indent = facts["indent"] / 100 if facts["indent"] else (role.first_chars or 0)
        count = facts["breaks"] + wrapped_lines(facts["text"], size, indent)
        height = line if rule == "exact" else size * 20 * 1.3 * line / 240
        # on the grid LibreOffice gives a line as many pitches as its CJK font's full height
        # (ascent + descent, 1.45 em in Noto CJK) needs: a snapped 二号 line takes two
        per_line = -(-max(height, size * 20 * CJK_LINE_HEIGHT) // LINE) if snap else height / LINE
        return count * per_line + (before + after) / LINE, role.keep_lines


# --------------------------------------------------------------------------- line breaks


def paragraph_runs(p: etree._Element, role: Role) -> list[list[Run]]:
    """The runs of a written paragraph, split into its hard lines (``w:br``), each run with the
    size and character spacing it prints with (the style's where the run sets none: every
    style is based on Normal and inherits its tracking)."""
    tracking = TRACKING
    lines: list[list[Run]] = [[]]
    for text, half_points, spacing in _oxml.paragraph_runs(p):
        if text == "\n":
            lines.append([])
            continue
        size = half_points / 2 if half_points else role.size
        lines[-1].append(Run(text, size, (tracking if spacing is None else spacing) / 20))
    return lines


def paragraph_lines(
    p: etree._Element, roles: Mapping[str, Role], facts: ParagraphFacts | None = None
) -> list[str]:
    """The estimated printed lines of a written ``w:p`` (see :mod:`docx_lines`)."""
    facts = facts or _oxml.paragraph_facts(p)
    role = roles.get(facts["style"] or "Normal", roles["Normal"])
    unit = role.size  # indents in characters count the style's em
    ind = facts["indents"]

    def chars(key: str, default: int | None) -> float:
        value = ind[key]
        return (value / 100 if value is not None else (default or 0)) * unit

    left, right = chars("leftChars", role.left_chars), chars("rightChars", role.right_chars)
    if ind["hangingChars"]:
        first = -chars("hangingChars", 0)
    else:
        first = chars("firstLineChars", role.first_chars)
    room = TEXT_WIDTH / 20 - left - right
    hard_lines = tuple(tuple(hard) for hard in paragraph_runs(p, role))
    return list(_broken_lines(hard_lines, room - first, room))


@lru_cache(maxsize=4096)
def _broken_lines(
    hard_lines: tuple[tuple[Run, ...], ...], first_room: float, room: float
) -> tuple[str, ...]:
    """The lines of a paragraph's hard lines (cached: the fitting pass paginates the same
    paragraphs several times while it tries its corrections)."""
    lines: list[str] = []
    for hard in hard_lines:
        lines += lines_of(hard, first_room if not lines else room, room) or [""]
    return tuple(lines)
